//! Every label a reader sees, in bokmål and English, in one table: the headline outcomes, the
//! exit reasons and the cooperation bins; and how numbers are written in each language. The
//! report, the charts, the sweep charts and the teaching page all read their words here.

/// The language of reports and chart labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Norwegian bokmål.
    #[default]
    Nb,
    /// English.
    En,
}

impl Lang {
    pub(crate) fn pick(self, nb: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Nb => nb,
            Lang::En => en,
        }
    }

    /// A number with `decimals` decimals, with a decimal comma in bokmål and a proper minus sign.
    pub fn number(self, x: f64, decimals: usize) -> String {
        if !x.is_finite() {
            return "–".into();
        }
        let s = format!("{x:.decimals$}");
        let s = if s.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') {
            s.trim_start_matches('-').to_string()
        } else {
            s
        };
        let s = s.replace('-', "−");
        match self {
            Lang::Nb => s.replace('.', ","),
            Lang::En => s,
        }
    }
}

/// The label of a headline outcome (see `summary::HEADLINES`), or the name itself if unknown.
pub fn outcome_label(lang: Lang, name: &str) -> String {
    let (nb, en) = match name {
        "cooperation_mean" => ("Samarbeidskvalitet, gjennomsnitt (1–5)", "Cooperation quality, mean (1–5)"),
        "cooperation_sd" => ("Samarbeidskvalitet, standardavvik", "Cooperation quality, standard deviation"),
        "poor_cooperation_share" => {
            ("Andel kommuner med svakt samarbeid", "Share of municipalities with poor cooperation")
        }
        "director_exit_rate_per_year" => {
            ("Kommunedirektørskifter per kommune per år", "Director exits per municipality per year")
        }
        "exits_conflict_with_politicians_per_year" => (
            "Avganger etter konflikt med politikerne, per kommune per år",
            "Exits over conflict with politicians, per municipality per year",
        ),
        "mean_completed_tenure_years" => {
            ("Fullført tid i stillingen, gjennomsnitt (år)", "Completed tenure, mean (years)")
        }
        "mean_elapsed_tenure_years" => {
            ("Tid i stillingen så langt, gjennomsnitt (år)", "Years in post so far, mean")
        }
        "vacancy_months_per_exit" => {
            ("Måneder med konstituert leder per skifte", "Months with an acting director per exit")
        }
        "acting_director_share" => {
            ("Andel måneder med konstituert kommunedirektør", "Share of months with an acting director")
        }
        "mayor_change_rate_per_election" => ("Ordførerskifter per valg", "Mayor changes per election"),
        "mayor_changes_between_elections_per_year" => {
            ("Ordførerskifter mellom valg, per år", "Mayor changes between elections, per year")
        }
        "friction_per_year" => {
            ("Friksjonssaker per kommune per år", "Friction cases per municipality per year")
        }
        "unresolved_friction_per_year" => {
            ("Uløste friksjonssaker per kommune per år", "Unresolved friction per municipality per year")
        }
        "coalition_parties_mean" => {
            ("Partier bak ordføreren, gjennomsnitt", "Parties behind the mayor, mean")
        }
        "party_cooperation_mean" => {
            ("Samarbeid mellom partiene (standardisert)", "Cooperation between parties (standardised)")
        }
        "professional_conduct_mean" => {
            ("Saklig opptreden (standardisert)", "Professional conduct (standardised)")
        }
        "clear_signals_mean" => ("Tydelige signaler (standardisert)", "Clear signals (standardised)"),
        "director_age_mean" => ("Kommunedirektørens alder, gjennomsnitt", "Director's age, mean"),
        other => return other.to_string(),
    };
    lang.pick(nb, en).to_string()
}

/// The label of an exit reason (see `model::ExitReason::NAMES`).
pub fn exit_reason_label(lang: Lang, name: &str) -> String {
    let (nb, en) = match name {
        "retirement" => ("Pensjon", "Retirement"),
        "career_move" => ("Karriereskifte", "Career move"),
        "conflict_with_politicians" => ("Konflikt med politikerne", "Conflict with politicians"),
        "conflict_within_administration" => {
            ("Konflikt i administrasjonen", "Conflict within the administration")
        }
        "dismissal_or_negotiated_exit" => {
            ("Oppsigelse eller forhandlet avgang", "Dismissal or negotiated exit")
        }
        "illness_or_death" => ("Sykdom eller dødsfall", "Illness or death"),
        "fixed_term_ended" => ("Åremål utløpt", "Fixed term ended"),
        "other" => ("Annet", "Other"),
        other => return other.to_string(),
    };
    lang.pick(nb, en).to_string()
}

/// The outcomes a comparison report puts first.
pub const KEY_OUTCOMES: [&str; 5] = [
    "cooperation_mean",
    "poor_cooperation_share",
    "director_exit_rate_per_year",
    "exits_conflict_with_politicians_per_year",
    "mean_completed_tenure_years",
];

/// Labels of the year-end cooperation bins (`sim::record::COOPERATION_BIN_NAMES`) in `lang`.
pub fn cooperation_bin_labels(lang: Lang) -> [&'static str; 6] {
    match lang {
        Lang::Nb => ["< 2", "2–3", "3–3,5", "3,5–4", "4–4,5", "≥ 4,5"],
        Lang::En => ["< 2", "2–3", "3–3.5", "3.5–4", "4–4.5", "≥ 4.5"],
    }
}

/// The teaching page's own words (buttons, headings, status lines, event narration), by key,
/// in bokmål and English; `{name}` marks a value the page fills in.
const PAGE_TEXT: &[(&str, &str, &str)] = &[
    (
        "title",
        "Samspillet mellom ordfører og kommunedirektør",
        "The interplay between mayor and chief executive",
    ),
    ("controls", "Innstillinger", "Settings"),
    ("show_help", "Vis forklaringer til spakene", "Explain the levers"),
    ("municipality", "Kommune nr.", "Municipality no."),
    ("another", "Ny kommune", "Another municipality"),
    ("terms", "Valgperioder", "Election terms"),
    ("speed", "Tempo", "Speed"),
    ("speed_slow", "Rolig", "Slow"),
    ("speed_normal", "Normalt", "Normal"),
    ("speed_fast", "Raskt", "Fast"),
    ("run", "Kjør", "Run"),
    ("story_title", "Én kommune, måned for måned", "One municipality, month by month"),
    ("now", "Samarbeidet nå", "Cooperation now"),
    ("skip", "Vis alt", "Show all"),
    ("replay", "Spill av igjen", "Replay"),
    (
        "many_title",
        "Mange kommuner med de samme innstillingene",
        "Many municipalities with the same settings",
    ),
    (
        "many_help",
        "Hele landet simulert flere ganger med innstillingene dine, side om side med landet slik det er i dag. Strekene viser 95 % konfidensintervall.",
        "The whole country simulated several times with your settings, side by side with the country as it is today. The bars show 95 % confidence intervals.",
    ),
    (
        "coop_dist",
        "Samarbeidskvalitet ved årsskiftet, andel kommuner",
        "Cooperation quality at the turn of the year, share of municipalities",
    ),
    (
        "exit_reasons",
        "Kommunedirektøren slutter: per 100 kommuner per år, etter årsak",
        "The director leaves: per 100 municipalities per year, by reason",
    ),
    (
        "scenario_file",
        "Innstillingene som scenariofil (for samspill run)",
        "The settings as a scenario file (for samspill run)",
    ),
    (
        "footer",
        "Samspill er en simuleringsmodell, kalibrert til landsundersøkelsen blant ordførere og kommunedirektører i 2020. Den viser mekanismer og størrelsesordener, ikke spådommer for én bestemt kommune.",
        "Samspill is a simulation model, calibrated to the 2020 national survey of mayors and chief executives. It shows mechanisms and orders of magnitude, not forecasts for any one municipality.",
    ),
    ("running", "Modellen regner …", "The model is running …"),
    ("ready", "Ferdig på {s} s.", "Done in {s} s."),
    ("busy", "Modellen er opptatt. Prøv igjen om et øyeblikk.", "The model is busy. Try again in a moment."),
    ("failed", "Noe gikk galt: ", "Something went wrong: "),
    (
        "offline",
        "Får ikke kontakt med samspill-serveren. Kjører den fortsatt?",
        "Cannot reach the samspill server. Is it still running?",
    ),
    ("yours", "Dine innstillinger", "Your settings"),
    ("today", "I dag", "Today"),
    ("same_today", "Samme kommune i dag", "Same municipality today"),
    ("cooperation", "Samarbeidskvalitet (1–5)", "Cooperation quality (1–5)"),
    ("poor", "Svakt samarbeid (under {x})", "Poor cooperation (below {x})"),
    (
        "exits",
        "Kommunedirektøren slutter, per 100 kommuner per år",
        "Directors leaving, per 100 municipalities per year",
    ),
    ("difference", "Forskjell", "Difference"),
    ("not_clear", "ikke sikker forskjell", "no clear difference"),
    ("friction", "Friksjonssaker", "Friction cases"),
    ("unresolved", "uløste", "unresolved"),
    ("resolved", "løst tidlig", "resolved early"),
    ("election", "Valg", "Election"),
    ("acting", "Konstituert", "Acting"),
    ("poor_zone", "svakt samarbeid", "poor cooperation"),
    (
        "ev_election",
        "Valg: {p} partier i kommunestyret, {c} bak ordføreren",
        "Election: {p} parties in the council, {c} behind the mayor",
    ),
    ("ev_new_mayor", "ny ordfører", "a new mayor"),
    ("ev_same_mayor", "ordføreren fortsetter", "the mayor stays"),
    ("ev_mayor", "Ny ordfører mellom valg", "A new mayor between elections"),
    ("ev_leaves", "Kommunedirektøren slutter etter {y} år: {r}", "The director leaves after {y} years: {r}"),
    ("ev_acting", "en konstituert overtar", "an acting director takes over"),
    ("ev_appointed", "Ny kommunedirektør på plass", "A new director in post"),
    ("legend_exit", "kommunedirektøren slutter", "the director leaves"),
    (
        "profile",
        "Kommune nr. {id}: {pop} innbyggere, {seats} representanter.",
        "Municipality no. {id}: {pop} inhabitants, {seats} councillors.",
    ),
    (
        "profile_practice",
        "Uformell kontakt: {informal}. Delegeringsreglementet: {delegation}. Utviklingssamtale: {conversation}. Møteplass for ledelsen: {forum}. Folkevalgtopplæring: {training}. Sluttavtale: {severance}.",
        "Informal contact: {informal}. Delegation rules: {delegation}. Development conversation: {conversation}. Leaders' forum: {forum}. Councillor training: {training}. Severance agreement: {severance}.",
    ),
    ("yes", "ja", "yes"),
    ("no", "nei", "no"),
    ("other_form", "annen ordning", "other arrangement"),
    ("share", "Andel", "Share"),
    ("per_100", "per 100 kommuner per år", "per 100 municipalities per year"),
    (
        "base_info",
        "Grunnlag: {name} – {description} Frø {seed}, {reps} gjentak av {n} kommuner.",
        "Baseline: {name} – {description} Seed {seed}, {reps} replications of {n} municipalities.",
    ),
];

/// Month abbreviations in bokmål and English.
const MONTHS: [[&str; 12]; 2] = [
    ["jan.", "feb.", "mar.", "apr.", "mai", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "des."],
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
];

/// The teaching page's words as the page reads them: `{"nb": {key: text, …, "months": […]},
/// "en": {…}}` (the page's `t(key)` looks a key up in its language).
pub fn page_text() -> serde_json::Value {
    let language = |lang: Lang| {
        let mut words: serde_json::Map<String, serde_json::Value> = PAGE_TEXT
            .iter()
            .map(|(key, nb, en)| ((*key).to_string(), serde_json::Value::from(lang.pick(nb, en))))
            .collect();
        let months = match lang {
            Lang::Nb => MONTHS[0],
            Lang::En => MONTHS[1],
        };
        words.insert("months".into(), serde_json::json!(months));
        serde_json::Value::Object(words)
    };
    serde_json::json!({"nb": language(Lang::Nb), "en": language(Lang::En)})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::exits::ExitReason;
    use crate::scenario::categories::Category;

    #[test]
    fn the_page_has_every_word_in_both_languages() {
        let text = page_text();
        for (key, nb, en) in PAGE_TEXT {
            assert!(!nb.is_empty() && !en.is_empty(), "{key}");
            assert_eq!(text["nb"][key], *nb);
            assert_eq!(text["en"][key], *en);
        }
        let keys: std::collections::BTreeSet<&str> = PAGE_TEXT.iter().map(|(k, _, _)| *k).collect();
        assert_eq!(keys.len(), PAGE_TEXT.len(), "every key once");
        assert_eq!(text["nb"]["months"][4], "mai");
    }

    #[test]
    fn numbers_follow_the_language() {
        assert_eq!(Lang::Nb.number(-0.1234, 3), "−0,123");
        assert_eq!(Lang::En.number(4.5, 1), "4.5");
        assert_eq!(Lang::Nb.number(-0.00001, 3), "0,000");
        assert_eq!(Lang::En.number(f64::NAN, 2), "–");
    }

    #[test]
    fn every_headline_and_exit_reason_has_labels_in_both_languages() {
        for name in crate::sim::summary::HEADLINES {
            assert_ne!(outcome_label(Lang::Nb, name), name);
            assert_ne!(outcome_label(Lang::En, name), name);
        }
        for name in ExitReason::NAMES {
            assert_ne!(exit_reason_label(Lang::Nb, name), *name);
        }
    }
}
