//! The HTML report of a comparison, for readers who are not programmers: the question, the
//! scenarios, the effects with intervals, survey power, the charts inlined as SVG (so the one
//! file works offline and can be sent on) and the assumptions, in bokmål or English.

use std::fmt::Write as _;

use crate::analysis::compare::Comparison;
use crate::analysis::transition::group_name;
use crate::output::charts::Figure;
use crate::output::labels::{KEY_OUTCOMES, Lang, group_label, outcome_label};
use crate::sim::record::GROUPS;

/// Decimals that show an outcome's differences.
fn decimals(outcome: &str) -> usize {
    match outcome {
        "cooperation_mean"
        | "mean_completed_tenure_years"
        | "mean_elapsed_tenure_years"
        | "director_age_mean"
        | "coalition_parties_mean" => 3,
        "turnover_cost_nok_per_year" => 0,
        _ => 4,
    }
}

/// Escapes text for HTML.
pub fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Strips the XML prologue, if any, so an SVG document can be inlined in HTML.
fn inline_svg(svg: &str) -> &str {
    svg.find("<svg").map_or(svg, |i| &svg[i..])
}

pub const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}\
h1{font-size:1.7rem}h2{margin-top:2.2rem;border-bottom:1px solid #ccc}table{border-collapse:collapse;margin:1rem 0;font-size:.92rem}\
th,td{padding:.3rem .6rem;border-bottom:1px solid #e3e3e3;text-align:right}th:first-child,td:first-child{text-align:left}\
td.sig{font-weight:600}.muted{color:#666;font-size:.9rem}figure{margin:1.5rem 0}figcaption{color:#555;font-size:.9rem}svg{max-width:100%;height:auto}";

/// One table per reform of its key outcomes (`key`) or of the others: base, reform, the
/// difference (bold where its interval excludes zero) and the interval.
fn effect_tables(h: &mut String, c: &Comparison, lang: Lang, header: &str, key: bool) {
    let n = |x: f64, d: usize| lang.number(x, d);
    for r in &c.reforms {
        let _ = write!(h, "<h3>{}</h3>\n<table>\n{header}\n", html_escape(r.display_name()));
        for o in
            c.outcomes.iter().filter(|o| o.scenario == r.label && KEY_OUTCOMES.contains(&o.outcome) == key)
        {
            let d = decimals(o.outcome);
            let sig = o.effect.ci95[0] > 0.0 || o.effect.ci95[1] < 0.0;
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td{}>{}</td><td>[{}, {}]</td></tr>",
                html_escape(&outcome_label(lang, o.outcome)),
                n(o.effect.base, d),
                n(o.effect.reform, d),
                if sig { " class=\"sig\"" } else { "" },
                n(o.effect.difference, d),
                n(o.effect.ci95[0], d),
                n(o.effect.ci95[1], d)
            );
        }
        let _ = writeln!(h, "</table>");
    }
}

/// The HTML report of a comparison, with `figures` inlined.
pub fn comparison_html(c: &Comparison, figures: &[Figure], lang: Lang, version: &str) -> String {
    let l = |nb, en| lang.pick(nb, en);
    let n = |x: f64, d: usize| lang.number(x, d);
    let mut h = String::new();
    let reforms: Vec<String> = c.reforms.iter().map(|r| r.display_name().to_string()).collect();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        l("nb", "en"),
        html_escape(&format!(
            "{}: {} – {}",
            l("Reformsammenligning", "Reform comparison"),
            c.base.display_name(),
            reforms.join(", ")
        ))
    );
    let _ = writeln!(
        h,
        "<h1>{}</h1>",
        html_escape(&format!(
            "{}: {}",
            l("Hva om kommunene gjorde dette?", "What if municipalities did this?"),
            reforms.join(", ")
        ))
    );
    let _ = writeln!(
        h,
        "<p>{}</p>",
        l(
            "Spørsmålet: hvordan ville samarbeidet mellom ordfører og kommunedirektør, og skiftene av kommunedirektør, ha sett ut dersom alle kommuner hadde innført reformen? Svaret er en simulering av alle landets kommuner, kalibrert mot den nasjonale spørreundersøkelsen blant ordførere og kommunedirektører i 2020. Hver reform sammenlignes med grunnlaget i nøyaktig de samme kommunene, valgene og sakene, slik at forskjellen skyldes reformen alene.",
            "The question: how would cooperation between mayor and director, and director turnover, have looked if every municipality had adopted the reform? The answer is a simulation of all the country's municipalities, calibrated to the 2020 national survey of mayors and directors. Each reform is compared with the base in exactly the same municipalities, elections and cases, so that the difference comes from the reform alone."
        )
    );

    // Scenarios.
    let _ = write!(h, "<h2>{}</h2>\n<ul>\n", l("Scenarioene", "The scenarios"));
    for (i, s) in std::iter::once(&c.base).chain(&c.reforms).enumerate() {
        let role = if i == 0 { l("grunnlag", "base") } else { l("reform", "reform") };
        let desc = if s.description.is_empty() {
            String::new()
        } else {
            format!(": {}", html_escape(&s.description))
        };
        // A title is shown with the file's stem beside it, so that the files can be found.
        let name = match &s.title {
            Some(title) => {
                format!("<strong>{}</strong> ({}, {role})", html_escape(title), html_escape(&s.label))
            }
            None => format!("<strong>{}</strong> ({role})", html_escape(&s.label)),
        };
        let _ = writeln!(h, "<li>{name}{desc}</li>");
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
    let _ = writeln!(h, "<h2>{}</h2>", l("Effekter", "Effects"));
    let _ = writeln!(
        h,
        "<p>{}</p>",
        l(
            "Forskjell = reform minus grunnlag, gjennomsnitt over replikasjonene, med 95 % konfidensintervall for den parede forskjellen. Uthevede forskjeller har et intervall som ikke omfatter null.",
            "Difference = reform minus base, averaged over replications, with the 95 % confidence interval of the paired difference. Differences in bold have an interval that excludes zero."
        )
    );
    if c.parameter_draws > 0 {
        let nb = format!(
            "Intervallene tar også med usikkerheten i selve modellen: tallene i kalibreringen bestemmer ikke modellens parametre nøyaktig, så hver replikasjon er kjørt på nytt med ett av {} sannsynlige parametersett (det samme for grunnlag og reform). Det brede intervallet er summen av begge kildene; i comparison.json og comparison.csv står også intervallet fra simuleringen alene (ci95_simulation). En effekt som er tydelig bare i det smale intervallet, avhenger av parametre som dataene ikke fastlegger. Med få replikasjoner er parameterdelen usikker: der kjøringene med de trukne parametrene varierer lite mer enn kjøringene med de kalibrerte, er den anslått som liten, men aldri som null.",
            c.parameter_draws
        );
        let en = format!(
            "The intervals also include the uncertainty of the model itself: the survey figures do not pin the model's parameters down exactly, so every replication was run again under one of {} plausible parameter sets (the same for base and reform). The wide interval adds both sources; comparison.json and comparison.csv also give the interval from simulation alone (ci95_simulation). An effect that is clear only in the narrow interval depends on parameters the data do not pin down. With few replications the parameters' part is uncertain: where the runs under the drawn parameters vary little more than those at the calibrated values, it is estimated as small, but never as nil.",
            c.parameter_draws
        );
        let text = match lang {
            Lang::Nb => nb,
            Lang::En => en,
        };
        let _ = writeln!(h, "<p>{text}</p>");
    }
    let header = format!(
        "<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        l("Utfall", "Outcome"),
        l("Grunnlag", "Base"),
        l("Reform", "Reform"),
        l("Forskjell", "Difference"),
        l("95 % intervall", "95 % interval")
    );
    effect_tables(&mut h, c, lang, &header, true);
    inline_figures(&mut h, figures, |file| file.starts_with("effect_"));

    transition_and_subgroups(&mut h, c, figures, lang);

    // Survey power.
    let _ = writeln!(
        h,
        "<h2>{}</h2>",
        l("Kunne en spørreundersøkelse se effekten?", "Could a survey see the effect?")
    );
    let _ = write!(
        h,
        "<p>{}</p>\n<table>\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>\n",
        l(
            "Sannsynligheten for at en undersøkelse som den i 2020 (samme svarprosent blant kommunedirektørene, samme samarbeidsindeks) ville påvist reformens effekt på 10 %-nivået dersom halvparten av kommunene hadde innført den. Analysen er en regresjon av samarbeidsindeksen på hvem som innførte reformen, kontrollert for innbyggertall, sentralitet og sammenslåing.",
            "The probability that a survey like the 2020 one (same response rate among directors, same cooperation index) would detect the reform's effect at the 10 % level if half of the municipalities had adopted it. The analysis regresses the cooperation index on who adopted the reform, controlling for population, centrality and merger."
        ),
        l("Reform", "Reform"),
        l("Styrke", "Power"),
        l("95 % intervall", "95 % interval"),
        l("Emulerte undersøkelser", "Emulated surveys")
    );
    for p in &c.power {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>[{}, {}]</td><td>{}</td></tr>",
            html_escape(
                c.reforms
                    .iter()
                    .find(|r| r.label == p.scenario)
                    .map_or(p.scenario.as_str(), |r| r.display_name())
            ),
            n(p.power, 2),
            n(p.ci95[0], 2),
            n(p.ci95[1], 2),
            p.surveys
        );
    }
    let _ = writeln!(h, "</table>");

    // Time series and distributions.
    let _ = writeln!(h, "<h2>{}</h2>", l("Over tid", "Over time"));
    inline_figures(&mut h, figures, |file| !file.starts_with("effect_") && !file.starts_with("transition_"));

    // Other outcomes.
    let _ = writeln!(h, "<h2>{}</h2>", l("Andre utfall", "Other outcomes"));
    effect_tables(&mut h, c, lang, &header, false);

    // Assumptions.
    let _ = write!(h, "<h2>{}</h2>\n<ul>\n", l("Forutsetninger", "Assumptions"));
    let assumptions: [&str; 6] = [
        l(
            "Reformen gjelder i alle kommuner gjennom hele den simulerte historien; tallene viser en varig tilstand med reformen, ikke overgangen til den.",
            "The reform holds in every municipality throughout the simulated history; the figures show a lasting state with the reform, not the transition to it.",
        ),
        l(
            "Alt annet er som i grunnlaget. Mekanismene og styrken deres er kalibrert mot undersøkelsen i 2020 (se calibration/baseline.fit.txt); en reform virker bare gjennom mekanismene modellen har.",
            "Everything else is as in the base. The mechanisms and their strengths are calibrated to the 2020 survey (see calibration/baseline.fit.txt); a reform acts only through the mechanisms the model has.",
        ),
        l(
            "Felles tilfeldige tall: hver replikasjon av hvert scenario har de samme kommunene, valgene, sakene og sjokkene. Å sammenligne grunnlaget med seg selv gir nøyaktig null.",
            "Common random numbers: each replication of every scenario has the same municipalities, elections, cases and shocks. Comparing the base with itself gives exactly zero.",
        ),
        l(
            "Intervallene gjelder simuleringsusikkerheten (hvor mange replikasjoner som er kjørt), ikke usikkerheten i modellens parametre.",
            "The intervals express simulation uncertainty (how many replications were run), not uncertainty in the model's parameters.",
        ),
        l(
            "Svakt samarbeid: samarbeidskvalitet under terskelen i scenariofilens output.poor_cooperation_below.",
            "Poor cooperation: cooperation quality below the scenario's output.poor_cooperation_below.",
        ),
        l(
            "Styrkeberegningen trekker tilfeldig hvilken halvpart av kommunene som innfører reformen, i hver emulerte undersøkelse.",
            "The power calculation draws at random which half of the municipalities adopts the reform, in each emulated survey.",
        ),
    ];
    for a in assumptions {
        let _ = writeln!(h, "<li>{}</li>", html_escape(a));
    }
    let _ = write!(
        h,
        "</ul>\n<p class=\"muted\">samspill {version}. {}</p>\n</body>\n</html>\n",
        l(
            "Tallene ligger i comparison.json og comparison.csv i samme mappe.",
            "The numbers are in comparison.json and comparison.csv in the same folder."
        )
    );
    h
}

/// The figures whose file names `keep` keeps, inlined with their captions.
fn inline_figures(h: &mut String, figures: &[Figure], keep: impl Fn(&str) -> bool) {
    for f in figures.iter().filter(|f| keep(&f.file)) {
        let _ = write!(
            h,
            "<figure>\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
            inline_svg(&f.svg),
            html_escape(&f.caption)
        );
    }
}

/// The transition charts (reforms adopted at a date) and the table of effects by subgroup.
fn transition_and_subgroups(h: &mut String, c: &Comparison, figures: &[Figure], lang: Lang) {
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
            "Forskjell = reform minus grunnlag i hver gruppe av kommuner (innbyggere; partier bak ordføreren), fra første hele år etter innføringen, med 95 % intervall. Uthevet der intervallet ikke omfatter null.",
            "Difference = reform minus base in each group of municipalities (inhabitants; parties behind the mayor), from the first full year after adoption, with the 95 % interval. Bold where the interval excludes zero."
        )
    );
    for r in &c.reforms {
        let _ = writeln!(h, "<h3>{}</h3>", html_escape(r.display_name()));
        let _ = write!(h, "<table><tr><th>{}</th>", l("Gruppe", "Group"));
        for o in ["cooperation_mean", "forced_exit_rate_per_year", "turnover_cost_nok_per_year"] {
            let _ = write!(h, "<th>{}</th>", html_escape(&outcome_label(lang, o)));
        }
        let _ = writeln!(h, "</tr>");
        let groups = (0..GROUPS)
            .map(|g| group_name(g).1)
            .filter(|g| c.subgroups.iter().any(|s| s.scenario == r.label && s.group == *g));
        for g in groups {
            let _ = write!(h, "<tr><td>{}</td>", group_label(lang, g));
            for o in ["cooperation_mean", "forced_exit_rate_per_year", "turnover_cost_nok_per_year"] {
                let cell =
                    c.subgroups.iter().find(|s| s.scenario == r.label && s.group == g && s.outcome == o);
                let d = if o == "turnover_cost_nok_per_year" { 0 } else { decimals(o) };
                let text = cell.map_or_else(String::new, |s| {
                    let bold = s.effect.ci95[0] > 0.0 || s.effect.ci95[1] < 0.0;
                    let v = format!(
                        "{} [{}, {}]",
                        lang.number(s.effect.difference, d),
                        lang.number(s.effect.ci95[0], d),
                        lang.number(s.effect.ci95[1], d)
                    );
                    if bold { format!("<strong>{v}</strong>") } else { v }
                });
                let _ = write!(h, "<td>{text}</td>");
            }
            let _ = writeln!(h, "</tr>");
        }
        let _ = writeln!(h, "</table>");
    }
}
