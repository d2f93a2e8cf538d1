//! One municipality's outlook as files: `profile.json` (for programs) and `profile.html`, a
//! short page in plain bokmål (or English) for a mayor or a council: how likely the director is
//! to leave in the coming years, how cooperation is likely to be, and which reforms would most
//! lower the chance of a forced exit, each with its interval.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::analysis::profile::{Effect, Level, Outlook};
use crate::foundation::calendar::Month;
use crate::model::register::Entry;
use crate::output::labels::Lang;
use crate::output::report::{STYLE, html_escape};
use crate::scenario::config::Config;

/// The `profile.json` document.
pub fn profile_json(
    entry: &Entry,
    from: Month,
    to: Month,
    facts: &[(String, String)],
    config: &Config,
    o: &Outlook,
) -> Value {
    let facts: serde_json::Map<String, Value> =
        facts.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
    json!({
        "municipality": {
            "number": entry.number_text(),
            "name": entry.name,
            "county": entry.county,
            "population": entry.population.round() as u64,
        },
        "horizon": {"from": from.to_string(), "to": to.to_string(), "years": (to.0 - from.0 + 1) / 12},
        "facts": facts,
        "scenario": config.name,
        "seed": config.seed,
        "replications": o.replications,
        "parameter_draws": o.parameter_draws,
        "exit_probability": o.exit_probability,
        "forced_exit_probability": o.forced_exit_probability,
        "cooperation_mean": o.cooperation_mean,
        "reforms": o.reforms,
    })
}

fn percent(lang: Lang, p: f64) -> String {
    format!("{} %", lang.number(100.0 * p, 0))
}

fn level(lang: Lang, l: &Level, as_percent: bool) -> String {
    if as_percent {
        format!("{} ({}–{})", percent(lang, l.mean), percent(lang, l.ci95[0]), percent(lang, l.ci95[1]))
    } else {
        format!("{} ({}–{})", lang.number(l.mean, 2), lang.number(l.ci95[0], 2), lang.number(l.ci95[1], 2))
    }
}

/// A change in percentage points (or scale points) with its interval; bold where the interval
/// excludes zero.
fn change(lang: Lang, e: &Effect, points: bool) -> String {
    let (k, d) = if points { (100.0, 0) } else { (1.0, 2) };
    let sign = |x: f64| if x > 0.0 { format!("+{}", lang.number(k * x, d)) } else { lang.number(k * x, d) };
    let text = format!("{} ({} til {})", sign(e.difference), sign(e.ci95[0]), sign(e.ci95[1]));
    let text = if lang == Lang::En { text.replace(" til ", " to ") } else { text };
    if e.ci95[0] > 0.0 || e.ci95[1] < 0.0 { format!("<strong>{text}</strong>") } else { text }
}

/// The `profile.html` page.
pub fn profile_html(
    entry: &Entry,
    from: Month,
    to: Month,
    facts: &[(String, String)],
    o: &Outlook,
    lang: Lang,
    version: &str,
) -> String {
    let t = |nb: &'static str, en: &'static str| lang.pick(nb, en);
    let name = html_escape(&entry.name);
    let years = (to.0 - from.0 + 1) / 12;
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{} {name}</title><style>{STYLE}</style></head><body>",
        t("nb", "en"),
        t("Utsikter for", "Outlook for"),
    );
    let _ = write!(
        h,
        "<h1>{} {name} {}–{}</h1><p class=\"muted\">{}, {} {}. {}</p>",
        t("Utsikter for", "Outlook for"),
        from.year(),
        to.year(),
        html_escape(&entry.county),
        lang.number(entry.population, 0),
        t("innbyggere", "inhabitants"),
        t(
            "Simulert med samspill: kommunen i en nasjonal modell av alle landets kommuner, fra i dag og framover.",
            "Simulated with samspill: the municipality in a national model of every Norwegian municipality, from today on."
        ),
    );
    let _ = write!(
        h,
        "<h2 id=\"sammendrag\">{}</h2><ul><li>{} {years} {}: <strong>{}</strong>.</li><li>{}: <strong>{}</strong>.</li><li>{}: <strong>{}</strong>.</li></ul>",
        t("Kort fortalt", "In short"),
        t(
            "Sjansen for at kommunedirektøren slutter i løpet av",
            "The chance that the director leaves within"
        ),
        t("år", "years"),
        level(lang, &o.exit_probability, true),
        t(
            "Sjansen for at det skjer etter en konflikt med politikerne, en oppsigelse eller en forhandlet avgang",
            "The chance that it happens after a conflict with the politicians, a dismissal or a negotiated exit"
        ),
        level(lang, &o.forced_exit_probability, true),
        t(
            "Samarbeidet mellom ordfører og kommunedirektør, gjennomsnitt på en skala fra 1 til 5",
            "Cooperation between mayor and director, mean on a scale from 1 to 5"
        ),
        level(lang, &o.cooperation_mean, false),
    );
    if !facts.is_empty() {
        let list: Vec<String> =
            facts.iter().map(|(k, v)| format!("{} = {}", html_escape(k), html_escape(v))).collect();
        let _ = write!(
            h,
            "<p class=\"muted\">{}: {}.</p>",
            t("Kjent om kommunen i dag", "Known about the municipality today"),
            list.join(", ")
        );
    }
    let _ = write!(
        h,
        "<h2>{}</h2><p>{}</p><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        t("Hva tiltakene kan gjøre", "What the measures could do"),
        t(
            "Hvert tiltak innført i kommunen alene fra starten av perioden, sammenlignet med å fortsette som i dag. Endring i prosentpoeng (samarbeid: skalapoeng), med 95 %-intervall; uthevet der intervallet ikke omfatter null. Tiltakene er sortert etter hvor mye de senker sjansen for en tvungen avgang.",
            "Each measure adopted by the municipality alone from the start of the period, compared with going on as today. Change in percentage points (cooperation: scale points), with a 95 % interval; bold where the interval excludes zero. Sorted by how much they lower the chance of a forced exit."
        ),
        t("Tiltak", "Measure"),
        t("Tvungen avgang", "Forced exit"),
        t("Kommunedirektøren slutter", "The director leaves"),
        t("Samarbeid", "Cooperation"),
    );
    for r in &o.reforms {
        let title = html_escape(r.title.as_deref().unwrap_or(&r.reform));
        let _ = write!(
            h,
            "<tr><td>{title}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            change(lang, &r.forced_exit_probability, true),
            change(lang, &r.exit_probability, true),
            change(lang, &r.cooperation_mean, false),
        );
    }
    let _ = writeln!(
        h,
        "</table><h2>{}</h2><p class=\"muted\">{} {} {}{}. {}</p><p class=\"muted\">samspill {version}</p></body></html>",
        t("Hvor sikre er tallene?", "How certain are the numbers?"),
        t("Beregnet over", "Computed over"),
        o.replications,
        t("simulerte forløp", "simulated histories"),
        if o.parameter_draws > 0 {
            format!(
                ", {} {} {}",
                t(
                    "med usikkerheten i modellens parametre (",
                    "with the uncertainty of the model's parameters ("
                ),
                o.parameter_draws,
                t("trekk)", "draws)")
            )
        } else {
            String::new()
        },
        t(
            "Intervallene sier hvor mye tallene kan variere; de sier ikke noe om forhold modellen ikke kjenner, som personene eller lokale saker. Bruk dem som et utgangspunkt for samtale, ikke som en spådom.",
            "The intervals say how much the numbers could vary; they say nothing about what the model does not know, such as the people or local issues. Use them to start a conversation, not as a forecast."
        ),
    );
    h
}
