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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::exits::ExitReason;
    use crate::scenario::categories::Category;

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
