//! The report of a comparison: the summary and the overview of every measure first, then each
//! measure's outcomes, the transition, subgroups, survey power, charts, an appendix and the
//! assumptions.

use std::fmt::Write as _;

use super::summary::summary;
use super::{STYLE, clear, html_escape, inline_figures, month_words, signed};
use crate::analysis::compare::Comparison;
use crate::analysis::paired::Paired;
use crate::analysis::transition::group_name;
use crate::output::charts::Figure;
use crate::output::labels::{KEY_OUTCOMES, Lang, group_label, outcome_label, shown};
use crate::sim::record::{GROUPS, Tally};

/// One table per reform of its key outcomes (`key`) or of the others: base, reform, the
/// difference (bold where its interval excludes zero) and the interval, in the units a reader
/// is told (`labels::shown`).
pub(crate) fn effect_tables(h: &mut String, c: &Comparison, lang: Lang, header: &str, key: bool) {
    for r in &c.reforms {
        let _ =
            write!(h, "<details>\n<summary>{}</summary>\n<table>\n{header}\n", html_escape(r.display_name()));
        for o in
            c.outcomes.iter().filter(|o| o.scenario == r.label && KEY_OUTCOMES.contains(&o.outcome) == key)
        {
            let s = shown(o.outcome);
            let n = |x: f64, d: usize| lang.number(x * s.scale, d);
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td{}>{}</td><td>[{}, {}]</td></tr>",
                html_escape(&outcome_label(lang, o.outcome)),
                n(o.effect.base, s.decimals),
                n(o.effect.reform, s.decimals),
                if clear(&o.effect) { " class=\"sig\"" } else { "" },
                signed(lang, o.effect.difference * s.scale, s.diff_decimals),
                n(o.effect.ci95[0], s.diff_decimals),
                n(o.effect.ci95[1], s.diff_decimals)
            );
        }
        let _ = writeln!(h, "</table>\n</details>");
    }
}

/// The HTML report of a comparison, with `figures` inlined: a plain-language summary
/// (`#sammendrag`), one overview table of every reform against the base (`#oversikt`), then the
/// details a reader may want (each reform's outcomes, the transition, subgroups, survey power,
/// charts), the technical outcomes in an appendix, and the assumptions.
pub fn comparison_html(c: &Comparison, figures: &[Figure], lang: Lang, version: &str) -> String {
    let l = |nb, en| lang.pick(nb, en);
    let mut h = String::new();
    let heading = match c.reforms.as_slice() {
        [one] => format!(
            "{}: {}",
            l("Hva om kommunene innførte", "What if the municipalities adopted"),
            one.display_name()
        ),
        many => format!(
            "{} {} {}",
            l("Hva endrer", "What do"),
            many.len(),
            l(
                "tiltak i samspillet mellom ordfører og kommunedirektør?",
                "measures change in the interplay between mayor and chief executive?"
            )
        ),
    };
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        l("nb", "en"),
        html_escape(&heading),
        html_escape(&heading)
    );
    summary(&mut h, c, lang);
    overview(&mut h, c, lang);

    // Scenarios: bokmål titles, with the file each comes from; English descriptions in English.
    let _ = write!(h, "<h2>{}</h2>\n<ul>\n", l("Hva som er sammenlignet", "What was compared"));
    for (i, s) in std::iter::once(&c.base).chain(&c.reforms).enumerate() {
        let role = if i == 0 { l("grunnlaget", "the base") } else { l("tiltak", "measure") };
        let when = s.adopted_from.map_or_else(String::new, |m| {
            format!("; {} {}", l("innført fra", "adopted from"), month_words(lang, m))
        });
        let desc = if lang == Lang::En && !s.description.is_empty() {
            format!(": {}", html_escape(&s.description))
        } else {
            String::new()
        };
        let _ = writeln!(
            h,
            "<li><strong>{}</strong> <span class=\"muted\">({role}, {}.toml{when})</span>{desc}</li>",
            html_escape(s.display_name()),
            html_escape(&s.label)
        );
    }
    let _ = write!(
        h,
        "</ul>\n<p class=\"muted\">{} {}–{}; {} {}, {} {}.</p>\n",
        l("Rapportert periode", "Reported period"),
        c.report_start,
        c.report_end,
        c.replications,
        l("replikasjoner av alle kommunene", "replications of every municipality"),
        l("frø", "seed"),
        c.seed
    );

    // Effects.
    let _ = writeln!(
        h,
        "<h2 id=\"virkninger\">{}</h2>",
        l("Virkningene tiltak for tiltak", "The effects measure by measure")
    );
    let _ = writeln!(
        h,
        "<p>{}</p>",
        l(
            "Forskjell = tiltaket minus grunnlaget, gjennomsnitt over replikasjonene, med 95 % intervall for den parede forskjellen. Uthevede forskjeller har et intervall som ikke omfatter null. Rater er per 100 kommuner per år; forskjeller i andeler er i prosentpoeng.",
            "Difference = the measure minus the base, averaged over replications, with the 95 % interval of the paired difference. Differences in bold have an interval that excludes zero. Rates are per 100 municipalities per year; differences in shares are in percentage points."
        )
    );
    if c.parameter_draws > 0 {
        let nb = format!(
            "Intervallene tar også med usikkerheten i selve modellen: tallene i kalibreringen bestemmer ikke modellens parametre nøyaktig, så hver replikasjon er kjørt på nytt med ett av {} sannsynlige parametersett (det samme for grunnlag og tiltak). Det brede intervallet er summen av begge kildene; i comparison.json og comparison.csv står også intervallet fra simuleringen alene (ci95_simulation). En effekt som er tydelig bare i det smale intervallet, avhenger av parametre som dataene ikke fastlegger.",
            c.parameter_draws
        );
        let en = format!(
            "The intervals also include the uncertainty of the model itself: the survey figures do not pin the model's parameters down exactly, so every replication was run again under one of {} plausible parameter sets (the same for base and measure). The wide interval adds both sources; comparison.json and comparison.csv also give the interval from simulation alone (ci95_simulation). An effect that is clear only in the narrow interval depends on parameters the data do not pin down.",
            c.parameter_draws
        );
        let _ = writeln!(h, "<p>{}</p>", if lang == Lang::Nb { nb } else { en });
    }
    let header = format!(
        "<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        l("Utfall", "Outcome"),
        l("Grunnlag", "Base"),
        l("Tiltak", "Measure"),
        l("Forskjell", "Difference"),
        l("95 % intervall", "95 % interval")
    );
    effect_tables(&mut h, c, lang, &header, true);
    inline_figures(&mut h, figures, |file| file.starts_with("effect_"));

    transition_and_subgroups(&mut h, c, figures, lang);
    power(&mut h, c, lang);

    // Time series and distributions.
    let _ = writeln!(h, "<h2 id=\"over-tid\">{}</h2>", l("Over tid", "Over time"));
    inline_figures(&mut h, figures, |file| !file.starts_with("effect_") && !file.starts_with("transition_"));
    exits_by_reason(&mut h, c, lang);

    // The other outcomes, with what a standardised one means.
    let _ = writeln!(h, "<h2 id=\"tillegg\">{}</h2>", l("Tillegg: flere utfall", "Appendix: more outcomes"));
    let _ = writeln!(
        h,
        "<p>{}</p>",
        l(
            "Utfall målt «i standardavvik» er klimaet i kommunestyret slik modellen fører det: 0 er gjennomsnittet blant kommunene i dag, og 1 er forskjellen mellom en typisk kommune og en blant den beste sjettedelen. En forskjell på 0,1 er altså en tidel av den vanlige forskjellen mellom kommuner.",
            "Outcomes measured “in standard deviations” are the council's climate as the model keeps it: 0 is the average among today's municipalities, and 1 is the difference between a typical municipality and one among the best sixth. A difference of 0.1 is thus a tenth of the usual difference between municipalities."
        )
    );
    effect_tables(&mut h, c, lang, &header, false);

    // Assumptions.
    let _ = write!(h, "<h2 id=\"forutsetninger\">{}</h2>\n<ul>\n", l("Forutsetninger", "Assumptions"));
    let dated = c.reforms.iter().any(|r| r.adopted_from.is_some());
    let assumptions: [&str; 5] = [
        if dated {
            l(
                "Et tiltak med dato innføres fra den måneden; før det er alt som i grunnlaget, og tallene viser overgangen år for år. Et tiltak uten dato gjelder gjennom hele den simulerte historien og viser en varig tilstand med tiltaket.",
                "A measure with a date is adopted from that month; before it everything is as in the base, and the figures show the transition year by year. A measure without a date holds throughout the simulated history and shows a lasting state with it.",
            )
        } else {
            l(
                "Tiltaket gjelder i alle kommuner gjennom hele den simulerte historien; tallene viser en varig tilstand med tiltaket, ikke overgangen til det.",
                "The measure holds in every municipality throughout the simulated history; the figures show a lasting state with it, not the transition to it.",
            )
        },
        l(
            "Alt annet er som i grunnlaget. Mekanismene og styrken deres er kalibrert mot undersøkelsen i 2020; et tiltak virker bare gjennom mekanismene modellen har.",
            "Everything else is as in the base. The mechanisms and their strengths are calibrated to the 2020 survey; a measure acts only through the mechanisms the model has.",
        ),
        l(
            "Felles tilfeldige tall: hver replikasjon av hvert scenario har de samme kommunene, valgene, sakene og sjokkene. Å sammenligne grunnlaget med seg selv gir nøyaktig null.",
            "Common random numbers: each replication of every scenario has the same municipalities, elections, cases and shocks. Comparing the base with itself gives exactly zero.",
        ),
        l(
            "Svakt samarbeid: samarbeidskvalitet under terskelen i scenariofilens output.poor_cooperation_below.",
            "Poor cooperation: cooperation quality below the scenario's output.poor_cooperation_below.",
        ),
        l(
            "Styrkeberegningen trekker tilfeldig hvilken halvpart av kommunene som innfører tiltaket, i hver emulerte undersøkelse.",
            "The power calculation draws at random which half of the municipalities adopts the measure, in each emulated survey.",
        ),
    ];
    for a in assumptions {
        let _ = writeln!(h, "<li>{}</li>", html_escape(a));
    }
    let _ = write!(
        h,
        "</ul>\n<p class=\"muted\">samspill {version}. {}</p>\n</body>\n</html>\n",
        l(
            "Tallene ligger i comparison.xlsx, comparison.json og comparison.csv i samme mappe.",
            "The numbers are in comparison.xlsx, comparison.json and comparison.csv in the same folder."
        )
    );
    h
}

/// The effect of reform `label` on `outcome`.
pub(crate) fn effect<'c>(c: &'c Comparison, label: &str, outcome: &str) -> Option<&'c Paired> {
    c.outcomes.iter().find(|o| o.scenario == label && o.outcome == outcome).map(|o| &o.effect)
}

/// The outcomes of the overview table, in its column order.
pub(crate) const OVERVIEW: [&str; 5] = [
    "cooperation_mean",
    "poor_cooperation_share",
    "director_exit_rate_per_year",
    "forced_exit_rate_per_year",
    "turnover_cost_nok_per_year",
];

/// The overview's scale and decimals of `outcome`: the reader's units (`shown`), costs in
/// thousands of kroner.
pub(crate) fn overview_scale(outcome: &str) -> (f64, usize) {
    match outcome {
        "turnover_cost_nok_per_year" => (0.001, 0),
        o => (shown(o).scale, shown(o).diff_decimals.min(2)),
    }
}

/// Whether more of `outcome` is better for the reader (cooperation) or worse (exits, costs).
pub(crate) fn more_is_better(outcome: &str) -> bool {
    outcome == "cooperation_mean"
}

/// Every measure against the base in one table (`#oversikt`): the base's levels, then each
/// measure's differences with their intervals (green where clearly better, red where clearly
/// worse), largest gain in cooperation first, and the survey power.
pub(crate) fn overview(h: &mut String, c: &Comparison, lang: Lang) {
    let l = |nb, en| lang.pick(nb, en);
    let _ = writeln!(
        h,
        "<h2>{}</h2>",
        l("Oversikt: alle tiltak mot grunnlaget", "Overview: every measure against the base")
    );
    let _ = write!(h, "<table id=\"oversikt\" class=\"overview\">\n<tr><th>{}</th>", l("Tiltak", "Measure"));
    let heads: [(&str, &str); 5] = [
        ("Samarbeid (1–5), endring", "Cooperation (1–5), change"),
        ("Svakt samarbeid, prosentpoeng", "Poor cooperation, percentage points"),
        (
            "Skifter av kommunedirektør per 100 kommuner per år",
            "Director exits per 100 municipalities per year",
        ),
        ("Tvungne avganger per 100 kommuner per år", "Forced exits per 100 municipalities per year"),
        (
            "Kostnad ved skifter, 1000 kr per kommune per år",
            "Cost of turnover, NOK 1,000 per municipality per year",
        ),
    ];
    for (nb, en) in heads {
        let _ = write!(h, "<th>{}</th>", lang.pick(nb, en));
    }
    let _ =
        writeln!(h, "<th>{}</th></tr>", l("Ville en spørreundersøkelse se det?", "Would a survey see it?"));
    // The base's levels.
    let _ = write!(
        h,
        "<tr class=\"base\"><td>{} <span class=\"muted\">({})</span></td>",
        html_escape(c.base.display_name()),
        l("nivå i grunnlaget", "level in the base")
    );
    for o in OVERVIEW {
        let (scale, _) = overview_scale(o);
        let d = shown(o).decimals;
        let level = c.outcomes.iter().find(|r| r.outcome == o).map_or(f64::NAN, |r| r.effect.base);
        let unit = if shown(o).unit == crate::output::labels::Unit::PercentagePoints { " %" } else { "" };
        let _ = write!(h, "<td>{}{unit}</td>", lang.number(level * scale, d));
    }
    let _ = writeln!(h, "<td class=\"muted\">{}</td></tr>", l("10 % uten virkning", "10 % with no effect"));
    let mut reforms: Vec<_> = c.reforms.iter().collect();
    let coop = |label: &str| effect(c, label, "cooperation_mean").map_or(0.0, |e| e.difference);
    reforms.sort_by(|a, b| coop(&b.label).total_cmp(&coop(&a.label)));
    for r in reforms {
        let _ = write!(h, "<tr><td>{}</td>", html_escape(r.display_name()));
        for o in OVERVIEW {
            let (scale, d) = overview_scale(o);
            let cell = effect(c, &r.label, o).map_or_else(String::new, |e| {
                with_interval(lang, e, scale, d, signed(lang, e.difference * scale, d))
            });
            let class = effect(c, &r.label, o).filter(|e| clear(e)).map_or("", |e| {
                if (e.difference > 0.0) == more_is_better(o) {
                    " class=\"better\""
                } else {
                    " class=\"worse\""
                }
            });
            let _ = write!(h, "<td{class}>{cell}</td>");
        }
        let power = c
            .power
            .iter()
            .find(|p| p.scenario == r.label)
            .map_or_else(String::new, |p| format!("{} %", lang.number(100.0 * p.power, 0)));
        let _ = writeln!(h, "<td>{power}</td></tr>");
    }
    let _ = writeln!(
        h,
        "</table>\n<p class=\"muted\">{}</p>",
        l(
            "Hver celle: forskjellen mot grunnlaget, med 95 %-intervallet under. Grønt: tydelig bedre; rødt: tydelig verre; uten farge: intervallet omfatter null. Siste kolonne: sannsynligheten for at en undersøkelse som den i 2020 ville påvist virkningen på samarbeidet om halvparten av kommunene innførte tiltaket; et tiltak uten virkning får omtrent 10 %.",
            "Each cell: the difference from the base, with the 95 % interval below. Green: clearly better; red: clearly worse; no colour: the interval includes zero. Last column: the chance that a survey like the 2020 one would detect the effect on cooperation if half the municipalities adopted the measure; a measure with no effect scores about 10 %."
        )
    );
}

/// A table cell: `shown` (the difference as it is to be shown), and under it the 95 % interval
/// of `e` scaled by `scale`, with `d` decimals.
fn with_interval(lang: Lang, e: &Paired, scale: f64, d: usize, shown: String) -> String {
    format!(
        "{shown}<br><small>{} {} {}</small>",
        lang.number(e.ci95[0] * scale, d),
        lang.pick("til", "to"),
        lang.number(e.ci95[1] * scale, d)
    )
}

/// Survey power, with the 10 % a measure with no effect scores.
pub(crate) fn power(h: &mut String, c: &Comparison, lang: Lang) {
    let l = |nb, en| lang.pick(nb, en);
    let _ = writeln!(
        h,
        "<h2 id=\"styrke\">{}</h2>",
        l("Kunne en spørreundersøkelse se virkningen?", "Could a survey see the effect?")
    );
    let _ = write!(
        h,
        "<p>{}</p>\n<table>\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>\n",
        l(
            "Sannsynligheten for at en undersøkelse som den i 2020 (samme svarprosent blant kommunedirektørene, samme samarbeidsindeks) ville påvist tiltakets virkning på 10 %-nivået dersom halvparten av kommunene hadde innført det. Analysen er en regresjon av samarbeidsindeksen på hvem som innførte tiltaket, kontrollert for innbyggertall, sentralitet og sammenslåing. Et tiltak uten virkning blir «påvist» i omtrent 10 % av undersøkelsene (testens nivå); tall nær 10 % betyr at en undersøkelse ikke kan se virkningen.",
            "The probability that a survey like the 2020 one (same response rate among directors, same cooperation index) would detect the measure's effect at the 10 % level if half of the municipalities had adopted it. The analysis regresses the cooperation index on who adopted the measure, controlling for population, centrality and merger. A measure with no effect is “detected” in about 10 % of surveys (the test's level); figures near 10 % mean a survey cannot see the effect."
        ),
        l("Tiltak", "Measure"),
        l("Styrke", "Power"),
        l("95 % intervall", "95 % interval"),
        l("Emulerte undersøkelser", "Emulated surveys")
    );
    for p in &c.power {
        let name = c
            .reforms
            .iter()
            .find(|r| r.label == p.scenario)
            .map_or(p.scenario.as_str(), |r| r.display_name());
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{} %</td><td>[{} %, {} %]</td><td>{}</td></tr>",
            html_escape(name),
            lang.number(100.0 * p.power, 0),
            lang.number(100.0 * p.ci95[0], 0),
            lang.number(100.0 * p.ci95[1], 0),
            p.surveys
        );
    }
    let _ = writeln!(h, "</table>");
}

/// Exits by reason in every scenario, per 100 municipalities per year over the reported period,
/// as one table (a chart per scenario would not fit a dozen scenarios).
pub(crate) fn exits_by_reason(h: &mut String, c: &Comparison, lang: Lang) {
    use crate::model::exits::ExitReason;
    use crate::output::labels::exit_reason_label;
    use crate::scenario::categories::Category;
    let l = |nb, en| lang.pick(nb, en);
    let _ = write!(
        h,
        "<h3>{}</h3>\n<table class=\"reasons\">\n<tr><th>{}</th>",
        l(
            "Hvorfor kommunedirektørene slutter: avganger per 100 kommuner per år",
            "Why chief executives leave: exits per 100 municipalities per year"
        ),
        l("Scenario", "Scenario")
    );
    for r in ExitReason::NAMES {
        let _ = write!(h, "<th>{}</th>", html_escape(&exit_reason_label(lang, r)));
    }
    let _ = writeln!(h, "</tr>");
    for s in std::iter::once(&c.base).chain(&c.reforms) {
        let _ = write!(h, "<tr><td>{}</td>", html_escape(s.display_name()));
        // Over the whole period: exits over municipality-years (a year the period cuts short
        // counts for the months it has).
        let total = s.tally.sum_axis(ndarray::Axis(0));
        let years = total[Tally::MunicipalityMonths as usize] / 12.0;
        for r in 0..ExitReason::NAMES.len() {
            let rate = 100.0 * total[Tally::Exits0 as usize + r] / years;
            let _ = write!(h, "<td>{}</td>", lang.number(rate, 1));
        }
        let _ = writeln!(h, "</tr>");
    }
    let _ = writeln!(h, "</table>");
}

/// The transition charts (reforms adopted at a date) and the table of effects by subgroup.
pub(crate) fn transition_and_subgroups(h: &mut String, c: &Comparison, figures: &[Figure], lang: Lang) {
    let l = |nb, en| lang.pick(nb, en);
    if figures.iter().any(|f| f.file.starts_with("transition_")) {
        let _ = writeln!(
            h,
            "<h2 id=\"overgang\">{}</h2>",
            l("År for år etter innføringen", "Year by year after adoption")
        );
        inline_figures(h, figures, |file| file.starts_with("transition_"));
    }
    if c.subgroups.is_empty() {
        return;
    }
    let _ = writeln!(
        h,
        "<h2 id=\"grupper\">{}</h2>",
        l("For hvem: etter størrelse og styringsgrunnlag", "For whom: by size and governing base")
    );
    let _ = writeln!(
        h,
        "<p>{}</p>",
        l(
            "Forskjell = tiltaket minus grunnlaget i hver gruppe av kommuner (innbyggere; partier bak ordføreren), fra første hele år etter innføringen, med 95 %-intervallet under. Uthevet der intervallet ikke omfatter null.",
            "Difference = the measure minus the base in each group of municipalities (inhabitants; parties behind the mayor), from the first full year after adoption, with the 95 % interval below. Bold where the interval excludes zero."
        )
    );
    let groups: Vec<&str> =
        (0..GROUPS).map(|g| group_name(g).1).filter(|g| c.subgroups.iter().any(|s| s.group == *g)).collect();
    for o in ["cooperation_mean", "forced_exit_rate_per_year"] {
        let sh = shown(o);
        let d = sh.diff_decimals.min(2);
        let _ = write!(
            h,
            "<h3>{}</h3>\n<table class=\"overview\"><tr><th>{}</th>",
            html_escape(&outcome_label(lang, o)),
            l("Tiltak", "Measure")
        );
        for g in &groups {
            let _ = write!(h, "<th>{}</th>", group_label(lang, g));
        }
        let _ = writeln!(h, "</tr>");
        for r in &c.reforms {
            let _ = write!(h, "<tr><td>{}</td>", html_escape(r.display_name()));
            for g in &groups {
                let cell =
                    c.subgroups.iter().find(|s| s.scenario == r.label && s.group == *g && s.outcome == o);
                let text = cell.map_or_else(String::new, |s| {
                    let v = signed(lang, s.effect.difference * sh.scale, d);
                    let v = if clear(&s.effect) { format!("<strong>{v}</strong>") } else { v };
                    with_interval(lang, &s.effect, sh.scale, d, v)
                });
                let _ = write!(h, "<td>{text}</td>");
            }
            let _ = writeln!(h, "</tr>");
        }
        let _ = writeln!(h, "</table>");
    }
}
