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
            "delegation_rules_review",
            "meeting_routines_review",
            "role_understanding_meetings",
            "inter_municipal_learning",
            "councillor_training",
            "director_release_for_development",
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
