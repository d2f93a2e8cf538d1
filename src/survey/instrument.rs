//! The instrument: the 2020 questionnaire's items as the answer files name them, and the
//! predictors of the report's regressions grouped in its blocks.

use crate::model::climate::Dimension;

/// The five cooperation items (Table 2.5), answered on 1–5.
pub const COOPERATION_ITEMS: [&str; 5] = [
    "respect_for_roles",
    "trust_all_information_shared",
    "room_for_constructive_criticism",
    "discuss_how_to_improve",
    "works_very_well",
];

/// The eight climate items (Table 2.17): name, column in the answer files (prefixed, since
/// `clear_signals` is also the name of an index), the climate dimension it reads, and whether
/// it is reversed (agreement means a worse climate).
pub const CLIMATE_ITEMS: [(&str, &str, Dimension, bool); 8] = [
    ("parties_cooperate_well", "climate_parties_cooperate_well", Dimension::PartyCooperation, false),
    ("many_party_conflicts", "climate_many_party_conflicts", Dimension::PartyCooperation, true),
    ("no_micromanagement", "climate_no_micromanagement", Dimension::ProfessionalConduct, false),
    ("act_professionally", "climate_act_professionally", Dimension::ProfessionalConduct, false),
    ("unrealistic_promises", "climate_unrealistic_promises", Dimension::ClearSignals, true),
    ("clear_signals", "climate_clear_signals", Dimension::ClearSignals, false),
    ("willing_to_prioritise", "climate_willing_to_prioritise", Dimension::ClearSignals, false),
    ("creative_ideas", "climate_creative_ideas", Dimension::ClearSignals, false),
];

/// The column of a climate item.
pub fn climate_column(item: &str) -> Option<&'static str> {
    CLIMATE_ITEMS.iter().find(|c| c.0 == item).map(|c| c.1)
}

/// The four role vignettes (Tables 2.7–2.10), one per Svara zone in zone order; answers are
/// 1 professional independence, 2 dialogue, 3 political loyalty.
pub const VIGNETTES: [&str; 4] = [
    "hiring_administration",
    "part_time_organisation_design",
    "housing_development_policy_making",
    "two_alternatives_politics",
];

/// The development measures of Table 2.15 in `Measure` order, as the survey names them;
/// answers are coded 4 annual, 3 at least once a term, 2 rarer, 1 never (higher = more often).
pub const MEASURE_ITEMS: [&str; 6] = [
    "delegation_rules_review",
    "meeting_routines_review",
    "role_understanding_meetings",
    "inter_municipal_learning",
    "councillor_training",
    "director_release_for_development",
];

/// Why the predecessor left (Table 3.10), several answers allowed.
pub const PREDECESSOR_ITEMS: [&str; 8] = [
    "retirement_age",
    "career_move",
    "conflict_with_politicians",
    "conflict_within_administration",
    "illness_or_death",
    "do_not_know",
    "no_predecessor_merger",
    "other",
];

/// Who takes part in the director's development conversation (Table 2.14): the answer
/// columns, `conversation_` and the participant as the targets name it.
pub const CONVERSATION_COLUMNS: [&str; 5] = [
    "conversation_mayor",
    "conversation_deputy_mayor",
    "conversation_minority_leader",
    "conversation_formannskap",
    "conversation_other",
];

/// What weighs when a director is offered a post elsewhere (Table 3.8), answered on 1–5: the
/// answer columns, `offer_` and the factor as the targets name it.
pub const OFFER_COLUMNS: [&str; 7] = [
    "offer_location",
    "offer_openness_to_new_ideas",
    "offer_political_conditions",
    "offer_size",
    "offer_salary",
    "offer_municipal_economy",
    "offer_administrative_organisation",
];

/// The predictors of the report's regression of cooperation quality (Appendix 2), in its
/// order, grouped in the blocks of Appendix 3.
pub const COOPERATION_BLOCKS: [(&str, &[&str]); 6] = [
    ("role_understanding", &["role_understanding_political_loyalty"]),
    ("politics", &["coalition_parties", "political_cooperation", "professional_conduct", "clear_signals"]),
    (
        "organisation",
        &[
            "director_discretion",
            "clear_contract",
            "fixed_term_contract",
            "hierarchy_levels",
            "fixed_meetings_mayor_director",
            "informal_meetings_mayor_director",
            "leader_group_meetings",
            "office_distance",
            "director_recommends",
        ],
    ),
    (
        "development",
        &[
            "development_conversation",
            MEASURE_ITEMS[0],
            MEASURE_ITEMS[1],
            MEASURE_ITEMS[2],
            MEASURE_ITEMS[3],
            MEASURE_ITEMS[4],
            MEASURE_ITEMS[5],
        ],
    ),
    (
        "director",
        &[
            "director_age",
            "director_male",
            "director_education",
            "years_in_municipality",
            "years_in_post",
            "leadership_education",
        ],
    ),
    ("municipality", &["log_population", "centrality", "merged", "clarity_from_new_act"]),
];

/// The quit-plans regression (Appendix 4) uses the same predictors plus the cooperation index,
/// entered under this name.
pub const COOPERATION_QUALITY: &str = "cooperation_quality";

/// Every predictor of the cooperation regression, in order.
pub fn cooperation_predictors() -> Vec<&'static str> {
    COOPERATION_BLOCKS.iter().flat_map(|(_, names)| names.iter().copied()).collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::model::development::Measure;
    use crate::scenario::categories::{Category, Zone};

    #[test]
    fn the_cooperation_regression_has_the_31_unique_predictors_of_appendix_2() {
        let names = cooperation_predictors();
        assert_eq!(names.len(), 31, "Appendix 2 lists 31 predictors");
        let unique: HashSet<&str> = names.iter().copied().collect();
        assert_eq!(unique.len(), names.len(), "a predictor entered twice: {names:?}");
        // The blocks of Appendix 3, each non-empty, concatenated in order, are the predictors.
        assert_eq!(
            COOPERATION_BLOCKS.iter().map(|(b, _)| *b).collect::<Vec<_>>(),
            ["role_understanding", "politics", "organisation", "development", "director", "municipality"]
        );
        assert!(COOPERATION_BLOCKS.iter().all(|(_, members)| !members.is_empty()));
        assert_eq!(names[0], "role_understanding_political_loyalty");
        assert_eq!(names[30], "clarity_from_new_act");
        // The quit-plans regression adds the cooperation index under a name of its own.
        assert!(!names.contains(&COOPERATION_QUALITY));
    }

    #[test]
    fn climate_columns_are_unique_prefixed_and_found_by_item() {
        let columns: HashSet<&str> = CLIMATE_ITEMS.iter().map(|c| c.1).collect();
        assert_eq!(columns.len(), CLIMATE_ITEMS.len());
        for (item, column, _, _) in CLIMATE_ITEMS {
            assert_eq!(column, format!("climate_{item}"), "the column of `{item}`");
            assert_eq!(climate_column(item), Some(column));
        }
        // The prefix is what keeps an item apart from the index of the same name.
        for index in ["political_cooperation", "professional_conduct", "clear_signals"] {
            assert!(!columns.contains(index), "`{index}` is an index, not an item's column");
        }
        assert_eq!(climate_column("climate_clear_signals"), None, "a column is not an item");
        assert_eq!(climate_column("no_such_item"), None);
    }

    #[test]
    fn every_climate_dimension_is_read_by_an_item_that_agrees_with_a_good_climate() {
        // Without a non-reversed item a dimension could only be read upside down.
        for dim in Dimension::ALL {
            assert!(
                CLIMATE_ITEMS.iter().any(|(_, _, d, reversed)| d == dim && !reversed),
                "{dim:?} has no item that agreement means a better climate"
            );
        }
    }

    #[test]
    fn the_item_lists_match_the_engines_categories() {
        // One vignette per Svara zone, in zone order.
        assert_eq!(VIGNETTES.len(), Zone::ALL.len());
        // Table 2.15's measures are the engine's measures but the development conversation,
        // which the questionnaire asks about on its own; the questionnaire reads
        // `Measure::ALL[k]` for the k-th item.
        assert_eq!(MEASURE_ITEMS.len() + 1, Measure::ALL.len());
        assert_eq!(Measure::ALL[MEASURE_ITEMS.len()], Measure::DevelopmentConversation);
        // The questionnaire ticks the sixth predecessor item for a director who does not know.
        assert_eq!(PREDECESSOR_ITEMS[5], "do_not_know");
    }

    #[test]
    fn answer_columns_carry_the_prefixes_the_fit_report_builds_them_with() {
        // The fit report finds `conversation_{participant}` and `offer_{factor}`.
        assert!(CONVERSATION_COLUMNS.iter().all(|c| c.starts_with("conversation_")));
        assert!(OFFER_COLUMNS.iter().all(|c| c.starts_with("offer_")));
    }

    #[test]
    fn no_two_items_share_a_column() {
        // `Table::index` finds the first column of a name, so a duplicate would shadow an item.
        let all: Vec<&str> = COOPERATION_ITEMS
            .iter()
            .chain(CLIMATE_ITEMS.iter().map(|c| &c.1))
            .chain(&VIGNETTES)
            .chain(&MEASURE_ITEMS)
            .chain(&PREDECESSOR_ITEMS)
            .chain(&CONVERSATION_COLUMNS)
            .chain(&OFFER_COLUMNS)
            .copied()
            .collect();
        let unique: HashSet<&str> = all.iter().copied().collect();
        assert_eq!(unique.len(), all.len());
    }
}
