//! The plain-language summary at the top of a comparison's report: what was compared, which
//! measures clearly help or harm, which show no clear effect, and how sure the figures are.

use std::fmt::Write as _;

use super::comparison::effect;
use super::{and_list, clear, html_escape, month_words, signed};
use crate::analysis::compare::Comparison;
use crate::output::labels::{Lang, shown};

/// "Name (+0,12)" for each reform whose effect on `outcome` is clear in the direction `sign`,
/// largest first.
pub(crate) fn clear_list(c: &Comparison, lang: Lang, outcome: &str, sign: f64) -> Vec<String> {
    let s = shown(outcome);
    let mut rows: Vec<(&str, f64)> = c
        .reforms
        .iter()
        .filter_map(|r| effect(c, &r.label, outcome).map(|e| (r.display_name(), e)))
        .filter(|(_, e)| clear(e) && e.difference * sign > 0.0)
        .map(|(name, e)| (name, e.difference))
        .collect();
    rows.sort_by(|a, b| (b.1 * sign).total_cmp(&(a.1 * sign)));
    rows.iter()
        .map(|(name, d)| {
            format!("{} ({})", html_escape(name), signed(lang, d * s.scale, s.diff_decimals.min(2)))
        })
        .collect()
}

/// The plain-language summary at the top: what was compared, which measures clearly help or
/// harm cooperation and forced exits, which show no clear effect, and how sure the figures are.
pub(crate) fn summary(h: &mut String, c: &Comparison, lang: Lang) {
    let l = |nb, en| lang.pick(nb, en);
    let _ = writeln!(h, "<section id=\"sammendrag\">\n<h2>{}</h2>", l("Sammendrag", "Summary"));
    let dated = c.reforms.iter().filter_map(|r| r.adopted_from).min();
    let n = c.reforms.len();
    let (years, base) =
        (format!("{}–{}", &c.report_start[..4], &c.report_end[..4]), html_escape(c.base.display_name()));
    let what = match lang {
        Lang::Nb => format!(
            "Vi har simulert alle kommunene {} ganger over årene {years}: først slik de er i grunnlaget ({base}), så med {}{}. Valgene, sakene og personene er de samme i alle kjøringene, så forskjellene skyldes {} alene.{}",
            c.replications,
            if n == 1 { "tiltaket".to_string() } else { format!("hvert av {n} tiltak") },
            dated.map_or_else(String::new, |m| format!(", innført fra {}", month_words(lang, m))),
            if n == 1 { "tiltaket" } else { "tiltakene" },
            if dated.is_some() {
                " Tallene nedenfor er gjennomsnitt over hele perioden, også årene før innføringen; hvordan virkningen bygger seg opp år for år, står under «År for år etter innføringen»."
            } else {
                ""
            }
        ),
        Lang::En => format!(
            "We simulated every municipality {} times over {years}: first as in the base ({base}), then with {}{}. The elections, cases and people are the same in every run, so the differences come from {} alone.{}",
            c.replications,
            if n == 1 { "the measure".to_string() } else { format!("each of {n} measures") },
            dated.map_or_else(String::new, |m| format!(", adopted from {}", month_words(lang, m))),
            if n == 1 { "the measure" } else { "the measures" },
            if dated.is_some() {
                " The figures below are means over the whole period, the years before adoption included; how the effect builds up year by year is under “Year by year after adoption”."
            } else {
                ""
            }
        ),
    };
    let _ = writeln!(h, "<p>{what}</p>\n<ul>");
    let better = clear_list(c, lang, "cooperation_mean", 1.0);
    let worse = clear_list(c, lang, "cooperation_mean", -1.0);
    let fewer = clear_list(c, lang, "forced_exit_rate_per_year", -1.0);
    let more = clear_list(c, lang, "forced_exit_rate_per_year", 1.0);
    let item = |h: &mut String, list: &[String], nb: &'static str, en: &'static str| {
        if !list.is_empty() {
            let _ = writeln!(h, "<li>{} {}.</li>", lang.pick(nb, en), and_list(lang, list));
        }
    };
    item(
        h,
        &better,
        "<strong>Samarbeidet mellom ordfører og kommunedirektør blir tydelig bedre</strong> (på skalaen 1–5) med",
        "<strong>Cooperation between mayor and chief executive clearly improves</strong> (on the 1–5 scale) with",
    );
    item(
        h,
        &worse,
        "<strong>Samarbeidet blir tydelig dårligere</strong> med",
        "<strong>Cooperation clearly worsens</strong> with",
    );
    if better.is_empty() && worse.is_empty() {
        let _ = writeln!(
            h,
            "<li>{}</li>",
            match (n, lang) {
                (1, Lang::Nb) => "Tiltaket endrer ikke samarbeidet tydelig.",
                (1, Lang::En) => "The measure does not clearly change cooperation.",
                (_, Lang::Nb) => "Ingen av tiltakene endrer samarbeidet tydelig.",
                (_, Lang::En) => "None of the measures clearly changes cooperation.",
            }
        );
    }
    item(
        h,
        &fewer,
        "<strong>Færre kommunedirektører må gå</strong> etter konflikt, oppsigelse eller forhandlet avgang (per 100 kommuner per år) med",
        "<strong>Fewer chief executives are forced out</strong> by conflict, dismissal or a negotiated exit (per 100 municipalities per year) with",
    );
    item(h, &more, "<strong>Flere må gå</strong> med", "<strong>More are forced out</strong> with");
    let unclear: Vec<String> = c
        .reforms
        .iter()
        .filter(|r| {
            ["cooperation_mean", "forced_exit_rate_per_year"]
                .iter()
                .all(|o| effect(c, &r.label, o).is_none_or(|e| !clear(e)))
        })
        .map(|r| html_escape(r.display_name()))
        .collect();
    if !unclear.is_empty() {
        let _ = writeln!(
            h,
            "<li>{} {}{}</li>",
            l(
                "<strong>Uten sikker virkning</strong> på noen av de to:",
                "<strong>No clear effect</strong> on either:"
            ),
            and_list(lang, &unclear),
            l(
                ". Virkningen kan være liten eller null; flere replikasjoner kan skille den fra null.",
                ". The effect may be small or nil; more replications may tell it from zero."
            )
        );
    }
    let _ = writeln!(h, "</ul>");
    // How sure: the intervals, what the model is, and the largest effect against the spread.
    let mut sure = String::from(if c.parameter_draws > 0 {
        l(
            "Hvor sikre er vi? «Tydelig» betyr at 95 %-intervallet ikke omfatter null. Intervallene tar med både tilfeldighetene i simuleringen og usikkerheten i modellens parametre.",
            "How sure are we? “Clearly” means the 95 % interval excludes zero. The intervals include both the chance of the simulation and the uncertainty in the model's parameters.",
        )
    } else {
        l(
            "Hvor sikre er vi? «Tydelig» betyr at 95 %-intervallet ikke omfatter null. Intervallene tar med tilfeldighetene i simuleringen, men ikke usikkerheten i modellens parametre (kjør med --parameter-draws for det).",
            "How sure are we? “Clearly” means the 95 % interval excludes zero. The intervals include the chance of the simulation but not the uncertainty in the model's parameters (run with --parameter-draws for that).",
        )
    });
    sure.push(' ');
    sure.push_str(l(
        "Modellen er kalibrert mot landsundersøkelsen blant ordførere og kommunedirektører i 2020 og viser mekanismer og størrelsesordener, ikke spådommer for én bestemt kommune.",
        "The model is calibrated to the 2020 national survey of mayors and chief executives and shows mechanisms and orders of magnitude, not forecasts for one municipality.",
    ));
    // The size of the largest clear effect (none is sized where none is clear).
    let largest = c
        .reforms
        .iter()
        .filter_map(|r| effect(c, &r.label, "cooperation_mean").map(|e| (r, e)))
        .filter(|(_, e)| clear(e))
        .max_by(|a, b| a.1.difference.abs().total_cmp(&b.1.difference.abs()));
    let spread = c.outcomes.iter().find(|o| o.outcome == "cooperation_sd").map(|o| o.effect.base);
    if let (Some((r, e)), Some(sd)) = (largest, spread) {
        let p = c.power.iter().find(|p| p.scenario == r.label);
        let text = match lang {
            Lang::Nb => format!(
                " Den største virkningen på samarbeidet, {} for {}, er {} mot forskjellene mellom kommunene (standardavvik {}){}.",
                signed(lang, e.difference, 2),
                html_escape(r.display_name()),
                size_words(lang, e.difference / sd),
                lang.number(sd, 2),
                p.map_or_else(String::new, |p| format!(
                    ": en spørreundersøkelse som den i 2020 ville sett den med sannsynlighet {} %, mot 10 % for et tiltak uten virkning",
                    lang.number(100.0 * p.power, 0)
                ))
            ),
            Lang::En => format!(
                " The largest effect on cooperation, {} for {}, is {} against the differences between municipalities (standard deviation {}){}.",
                signed(lang, e.difference, 2),
                html_escape(r.display_name()),
                size_words(lang, e.difference / sd),
                lang.number(sd, 2),
                p.map_or_else(String::new, |p| format!(
                    ": a survey like the 2020 one would see it with probability {} %, against 10 % for a measure with no effect",
                    lang.number(100.0 * p.power, 0)
                ))
            ),
        };
        sure.push_str(&text);
    }
    let _ = writeln!(h, "<p>{sure}</p>\n</section>");
}

/// An effect's size against the spread between municipalities, in words: Cohen's
/// conventions, 0.2 standard deviations small, 0.5 medium, 0.8 large.
pub(crate) fn size_words(lang: Lang, standardised: f64) -> &'static str {
    match standardised.abs() {
        x if x < 0.2 => lang.pick("svært liten", "very small"),
        x if x < 0.5 => lang.pick("liten", "small"),
        x if x < 0.8 => lang.pick("moderat", "moderate"),
        _ => lang.pick("stor", "large"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_follow_cohens_conventions_and_lists_read_as_prose() {
        assert_eq!(size_words(Lang::Nb, 0.1), "svært liten");
        assert_eq!(size_words(Lang::Nb, -0.21), "liten");
        assert_eq!(size_words(Lang::En, 0.6), "moderate");
        assert_eq!(size_words(Lang::En, 1.2), "large");
        let items = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(and_list(Lang::Nb, &items(&["A", "B", "C"])), "A, B og C");
        assert_eq!(and_list(Lang::En, &items(&["A", "B"])), "A and B");
        assert_eq!(and_list(Lang::Nb, &items(&["A"])), "A");
    }
}
