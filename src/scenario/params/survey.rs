//! The survey's instrument parameters (`[survey]`): when the emulated survey is taken, who
//! answers, and how answers measure the respondents' simulated state. Declared with the
//! mechanism groups' `param_group!`.

use serde::{Deserialize, Serialize};

use super::{AsF64, ParamDoc, RangeProblem};

param_group! {
    /// The emulated 2020 survey: when it is taken, who answers, and how answers measure the
    /// respondents' simulated state (response noise, perception, item offsets of the instrument).
    /// These describe the measurement, not the mechanisms: they never change what happens in a
    /// municipality, only what its mayor and director say about it.
    pub struct Survey in "survey" {
        /// Months after the anchor election (`calendar.election_anchor`) that the survey is taken.
        months_after_election: u32 = 14, 0.0..=600.0;
        /// Chance that a municipality's director answers.
        director_response_rate: f64 = 0.58, 0.0..=1.0;
        /// Chance that a municipality's mayor answers (independently of the director).
        mayor_response_rate: f64 = 0.65, 0.0..=1.0;
        /// Chance that a respondent skips any one question (item non-response; regressions drop incomplete cases).
        item_nonresponse: f64 = 0.006, 0.0..=0.5;
        /// Spread of a respondent's general favourability, shared by their cooperation and climate answers (Likert steps).
        halo_sd: f64 = 0.3, 0.0..=3.0;
        /// Spread of a respondent's misperception of each climate dimension (climate standard deviations).
        perception_sd: f64 = 0.4, 0.0..=3.0;
        /// Response noise of one Likert answer (Likert steps).
        item_noise_sd: f64 = 0.6, 0.0..=3.0;
        /// Offset of "respect for each other's roles" from the 1–5 image of trust (1 + 4 × trust).
        respect_for_roles: f64 = 0.1, -4.0..=4.0;
        /// Offset of "trust that all information is shared".
        trust_all_information_shared: f64 = 0.2, -4.0..=4.0;
        /// Offset of "room for constructive criticism".
        room_for_constructive_criticism: f64 = -0.1, -4.0..=4.0;
        /// Offset of "we discuss how to improve the cooperation".
        discuss_how_to_improve: f64 = -0.4, -4.0..=4.0;
        /// Offset of "the cooperation works very well".
        works_very_well: f64 = 0.1, -4.0..=4.0;
        /// Mayors' favourable bias on the cooperation items (Likert steps).
        mayor_cooperation_bias: f64 = 0.05, -4.0..=4.0;
        /// Likert steps per standard deviation of party cooperation in its items (the items of each climate dimension measure it with their own strength).
        climate_loading_cooperation: f64 = 0.8, 0.0..=4.0;
        /// Likert steps per standard deviation of professional conduct in its items.
        climate_loading_conduct: f64 = 0.8, 0.0..=4.0;
        /// Likert steps per standard deviation of clear signals in its items.
        climate_loading_clarity: f64 = 0.8, 0.0..=4.0;
        /// Centre (answer of a typical council) of "the parties cooperate well".
        parties_cooperate_well: f64 = 3.5, 1.0..=5.0;
        /// Centre of "there are many conflicts between the parties" (reversed item).
        many_party_conflicts: f64 = 2.7, 1.0..=5.0;
        /// Centre of "the politicians do not micromanage".
        no_micromanagement: f64 = 3.6, 1.0..=5.0;
        /// Centre of "the politicians act professionally".
        act_professionally: f64 = 3.8, 1.0..=5.0;
        /// Centre of "the politicians make unrealistic promises" (reversed item).
        unrealistic_promises: f64 = 3.4, 1.0..=5.0;
        /// Centre of "the politicians give clear signals".
        clear_signals: f64 = 3.1, 1.0..=5.0;
        /// Centre of "the politicians are willing to prioritise".
        willing_to_prioritise: f64 = 2.9, 1.0..=5.0;
        /// Centre of "the politicians come up with creative ideas" (read from clarity of signals).
        creative_ideas: f64 = 3.3, 1.0..=5.0;
        /// Mayors' favourable bias on party-cooperation items (Likert steps).
        mayor_bias_cooperation: f64 = 0.4, -4.0..=4.0;
        /// Mayors' favourable bias on professional-conduct items.
        mayor_bias_conduct: f64 = 0.45, -4.0..=4.0;
        /// Mayors' favourable bias on clarity items.
        mayor_bias_clarity: f64 = 0.8, -4.0..=4.0;
        /// Centre of "sufficient room for manoeuvre in personnel matters".
        discretion_personnel: f64 = 4.6, 1.0..=5.0;
        /// Centre of "… in economic matters".
        discretion_economic: f64 = 3.3, 1.0..=5.0;
        /// Centre of "… in organisational matters".
        discretion_organisational: f64 = 4.2, 1.0..=5.0;
        /// Likert steps per standard deviation of the director's room for manoeuvre.
        discretion_loading: f64 = 0.5, 0.0..=4.0;
        /// Centre of "my contract contains result requirements" (1 very small … 5 very large extent).
        contract_result_requirements: f64 = 2.4, 1.0..=5.0;
        /// Centre of "my contract contains a task specification".
        contract_task_specification: f64 = 2.6, 1.0..=5.0;
        /// Likert steps per standard deviation of the contract's clarity.
        contract_loading: f64 = 0.9, 0.0..=4.0;
        /// Centre of "the new Local Government Act has made the roles clearer".
        new_act_clarity: f64 = 3.2, 1.0..=5.0;
        /// Likert steps per unit of role clarity left by reviews, less half a step per zone of role mismatch.
        new_act_loading: f64 = 0.8, 0.0..=4.0;
        /// Chance that a respondent reports a development measure's frequency one category off.
        measure_recall_error: f64 = 0.1, 0.0..=1.0;
        /// Chance that a mayor reports a measure one category more frequent than practised (mayors' optimism).
        mayor_measure_optimism: f64 = 0.1, 0.0..=1.0;
        /// Chance that a mayor knows how often a measure of the administration's own (learning from other municipalities, the director's release for development) is held; a mayor who does not answers from an impression.
        mayor_knows_administrative_measures: f64 = 0.5, 0.0..=1.0;
        /// Centre of a mayor's impression of an administrative measure's frequency, on the answer scale (1 never, 2 rarer, 3 once a term, 4 annually).
        mayor_measure_impression: f64 = 2.5, 1.0..=4.0;
        /// Spread of that impression (answer categories).
        mayor_measure_impression_sd: f64 = 1.0, 0.0..=4.0;
        /// Spread of the noise on the career pull when a director states quit plans (log scale).
        quit_noise_sd: f64 = 0.8, 0.0..=5.0;
        /// Intention (with noise) above which a director answers "maybe" to plans of leaving.
        quit_maybe_from: f64 = -0.1, -20.0..=20.0;
        /// Intention above which a director answers "certainly".
        quit_certainly_from: f64 = 0.9, -20.0..=20.0;
        /// Chance that a director recruited from outside the municipality does not know why the predecessor left.
        predecessor_unknown_external: f64 = 0.06, 0.0..=1.0;
        /// Chance that a director whose conversation is held by the formannskap also ticks the mayor (who chairs it).
        formannskap_conversation_mayor: f64 = 0.6, 0.0..=1.0;
        /// Chance that a conversation held in another form is with the mayor alone (else "other").
        other_conversation_mayor_alone: f64 = 0.4, 0.0..=1.0;
        /// Centre of the weight given to location when offered a director post elsewhere (1–5).
        offer_location: f64 = 4.0, 1.0..=5.0;
        /// Centre of the weight given to the municipality's openness to new ideas.
        offer_openness_to_new_ideas: f64 = 4.0, 1.0..=5.0;
        /// Centre of the weight given to political conditions; directors who met distrust and unclear signals weigh them more.
        offer_political_conditions: f64 = 3.6, 1.0..=5.0;
        /// Centre of the weight given to the municipality's size; directors of small municipalities weigh it more.
        offer_size: f64 = 3.5, 1.0..=5.0;
        /// Centre of the weight given to salary.
        offer_salary: f64 = 3.3, 1.0..=5.0;
        /// Centre of the weight given to the municipal economy.
        offer_municipal_economy: f64 = 3.1, 1.0..=5.0;
        /// Centre of the weight given to the administrative organisation; directors who lived through an administrative conflict weigh it more.
        offer_administrative_organisation: f64 = 2.7, 1.0..=5.0;
    }
}
