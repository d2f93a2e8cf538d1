//! The emulated 2020 survey of mayors and directors: an instrument that measures simulated
//! municipalities the way the real survey measured the real ones (MODEL.md, "like with like").
//!
//! At the survey month (`survey.months_after_election` after the anchor election, November
//! 2020 by default) each municipality's director and mayor answer, independently, with the
//! scenario's response rates. Every answer is a *measurement* of the respondent's simulated
//! state: the cooperation items read trust, the climate items read the council's latent
//! climate through the respondent's perception, the vignettes read role expectations, the
//! practices read the municipality's traits (with recall error), quit plans read the
//! director's career pull, the predecessor item reads why the previous director left as the
//! incumbent knows it. Response noise, a respondent's general favourability (halo) and mayors'
//! favourable bias are the instrument's; item non-response leaves answers missing.
//!
//! Answers draw from the survey's own random stream (`rng::Process::Survey`), a fixed number
//! of draws per municipality whoever answers, so measuring never disturbs the simulation and
//! two scenarios compared with common random numbers get the same respondents.
//!
//! The report's statistics are recomputed on the synthetic answers exactly as the report built
//! them: indices, OLS with standardised betas and listwise deletion, and the change in
//! adjusted R² as blocks of predictors enter (see `stats`).

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::foundation::calendar::Month;
use crate::foundation::rng::{self, Process, Stream};
use crate::model::climate::Dimension;
use crate::model::development::Measure;
use crate::model::director::Contract;
use crate::model::exits::{ExitReason, Predecessor};
use crate::model::population::reference_log_population;
use crate::model::{Derived, Municipality};
use crate::scenario::categories::{Category, ConversationForm, HowOften, PreviousPost, Recommender};
use crate::scenario::config::Config;
use crate::sim::run::{BLOCK, RunError, simulate_until};
use crate::stats::{self, Ols, StatsError};

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

/// One kind of respondent's answers: named columns, one row per respondent, `NaN` where a
/// question was not answered.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<f64>>,
}

impl Table {
    fn push(&mut self, row: Answers) {
        if self.columns.is_empty() {
            self.columns = row.names;
        } else {
            debug_assert_eq!(self.columns, row.names, "every respondent answers the same questionnaire");
        }
        self.rows.push(row.values);
    }

    fn append(&mut self, other: Table) {
        if self.columns.is_empty() {
            self.columns = other.columns;
        }
        self.rows.extend(other.rows);
    }

    /// Index of a column.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| *c == name)
    }

    /// A column's values, or `None` if the table has no such column.
    pub fn column(&self, name: &str) -> Option<Vec<f64>> {
        let j = self.index(name)?;
        Some(self.rows.iter().map(|r| r[j]).collect())
    }
}

/// One respondent's answers as they are given, in questionnaire order.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Answers {
    pub names: Vec<&'static str>,
    pub values: Vec<f64>,
}

impl Answers {
    /// The answer to a question, if it was asked (`NaN` if skipped).
    pub fn get(&self, name: &str) -> Option<f64> {
        self.names.iter().position(|n| *n == name).map(|i| self.values[i])
    }
}

impl Answers {
    fn put(&mut self, name: &'static str, value: f64) {
        self.names.push(name);
        self.values.push(value);
    }
}

/// Register data on every municipality (answered or not) at the survey date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Register {
    pub population: f64,
    pub log_population: f64,
    pub centrality: u8,
    pub merged: bool,
    pub council_seats: u32,
    pub parties_in_council: u32,
    pub coalition_parties: u32,
}

/// One replication of the survey.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SurveyReplication {
    pub replication: u32,
    pub directors: Table,
    pub mayors: Table,
    /// Every municipality, in id order.
    pub register: Vec<Register>,
}

/// A Likert answer: the nearest step on 1–5.
fn likert(x: f64) -> f64 {
    x.round().clamp(1.0, 5.0)
}

/// The survey's random draws for one respondent. Every question draws the same numbers whether
/// or not it is answered, so the stream's use does not depend on the answers.
struct Asker<'a> {
    rng: &'a mut Stream,
    nonresponse: f64,
}

impl Asker<'_> {
    fn normal(&mut self) -> f64 {
        rng::normal(self.rng)
    }
    fn uniform(&mut self) -> f64 {
        rng::uniform(self.rng)
    }
    /// The answer `value`, or missing with the item non-response chance.
    fn ask(&mut self, value: f64) -> f64 {
        if rng::uniform(self.rng) < self.nonresponse { f64::NAN } else { value }
    }
}

/// Answers shared by both questionnaires: cooperation, climate, vignettes, development
/// measures. Returns the row.
fn common_answers(m: &Municipality, config: &Config, a: &mut Asker, mayor: bool) -> Answers {
    let s = &config.survey;
    let mut row = Answers::default();
    let halo = s.halo_sd * a.normal();

    // Cooperation quality: five readings of trust.
    let offsets = [
        s.respect_for_roles,
        s.trust_all_information_shared,
        s.room_for_constructive_criticism,
        s.discuss_how_to_improve,
        s.works_very_well,
    ];
    let bias = if mayor { s.mayor_cooperation_bias } else { 0.0 };
    let mut items = [0.0; 5];
    for (j, name) in COOPERATION_ITEMS.iter().enumerate() {
        let noise = s.item_noise_sd * a.normal();
        items[j] = a.ask(likert(m.cooperation() + offsets[j] + halo + bias + noise));
        row.put(name, items[j]);
    }
    row.put("cooperation_index", items.iter().sum::<f64>() / 5.0);

    // The climate, as this respondent perceives it.
    let climate = m.climate();
    let perceived: [f64; 3] = std::array::from_fn(|k| climate[k] + s.perception_sd * a.normal());
    let centres = [
        s.parties_cooperate_well,
        s.many_party_conflicts,
        s.no_micromanagement,
        s.act_professionally,
        s.unrealistic_promises,
        s.clear_signals,
        s.willing_to_prioritise,
        s.creative_ideas,
    ];
    let mayor_bias =
        if mayor { [s.mayor_bias_cooperation, s.mayor_bias_conduct, s.mayor_bias_clarity] } else { [0.0; 3] };
    let mut climate_items = [0.0; 8];
    for (j, (_, column, dim, reversed)) in CLIMATE_ITEMS.iter().enumerate() {
        let favourable = s.climate_loading * perceived[dim.index()] + halo + mayor_bias[dim.index()];
        let sign = if *reversed { -1.0 } else { 1.0 };
        let noise = s.item_noise_sd * a.normal();
        climate_items[j] = a.ask(likert(centres[j] + sign * favourable + noise));
        row.put(column, climate_items[j]);
    }
    let [pcw, mpc, nmm, act, urp, cls, wtp, _] = climate_items;
    row.put("political_cooperation", (pcw + (6.0 - mpc)) / 2.0);
    row.put("professional_conduct", (act + nmm) / 2.0);
    row.put("clear_signals", (cls + wtp + (6.0 - urp)) / 3.0);

    // Role vignettes: what the respondent expects of the director in each zone.
    let expectations = if mayor { m.mayor.expectations } else { m.director.expectations };
    let mut role_index = 0.0;
    for (z, name) in VIGNETTES.iter().enumerate() {
        let v = a.ask(expectations[z].index() as f64 + 1.0);
        role_index += v;
        row.put(name, v);
    }
    row.put("role_understanding_political_loyalty", role_index);

    // Development measures, recalled with some error; mayors remember them as more frequent.
    for (k, name) in MEASURE_ITEMS.iter().enumerate() {
        let mut code = m.traits.measures[Measure::ALL[k]].index() as i32;
        let (u_err, u_dir, u_opt) = (a.uniform(), a.uniform(), a.uniform());
        if u_err < s.measure_recall_error {
            code += if u_dir < 0.5 { -1 } else { 1 };
        }
        if mayor && u_opt < s.mayor_measure_optimism {
            code -= 1;
        }
        let code = code.clamp(0, 3);
        row.put(name, a.ask(f64::from(4 - code)));
    }
    row
}

/// The director's questionnaire.
fn director_answers(m: &Municipality, config: &Config, t: Month, a: &mut Asker) -> Answers {
    let s = &config.survey;
    let d = &m.director;
    let tr = &m.traits;
    let mut row = common_answers(m, config, a, false);

    row.put("coalition_parties", a.ask(f64::from(m.council.coalition_parties)));

    // Room for manoeuvre: three readings of the delegated discretion.
    let centres = [s.discretion_personnel, s.discretion_economic, s.discretion_organisational];
    let mut discretion = 0.0;
    for (name, centre) in
        ["discretion_personnel", "discretion_economic", "discretion_organisational"].into_iter().zip(centres)
    {
        let noise = s.item_noise_sd * a.normal();
        let v = a.ask(likert(centre + s.discretion_loading * m.pair.discretion + noise));
        discretion += v;
        row.put(name, v);
    }
    row.put("director_discretion", discretion);

    // The contract.
    let mut clarity = 0.0;
    for (name, centre) in [
        ("contract_result_requirements", s.contract_result_requirements),
        ("contract_task_specification", s.contract_task_specification),
    ] {
        let noise = s.item_noise_sd * a.normal();
        let v = a.ask(likert(centre + s.contract_loading * d.contract_clarity + noise));
        clarity += v;
        row.put(name, v);
    }
    row.put("clear_contract", clarity / 2.0);
    let contract = a.ask(d.contract.index() as f64);
    row.put("contract", contract);
    row.put(
        "fixed_term_contract",
        if contract.is_nan() { f64::NAN } else { f64::from(u8::from(d.contract == Contract::FixedTerm)) },
    );
    row.put("hierarchy_levels", a.ask(f64::from(tr.hierarchy_levels)));

    // Meetings, coded so that higher means more often; office distance 1 same floor … 3 other building.
    row.put("fixed_meetings_mayor_director", a.ask((4 - tr.fixed_meetings.index()) as f64));
    row.put("informal_meetings_mayor_director", a.ask((4 - m.pair.informal_contact.index()) as f64));
    row.put("leader_group_meetings", a.ask((4 - tr.leader_group_forum.index()) as f64));
    row.put("office_distance", a.ask(tr.office_distance.index() as f64 + 1.0));
    let recommends = a.ask(tr.who_recommends.index() as f64);
    row.put("who_recommends", recommends);
    row.put(
        "director_recommends",
        if recommends.is_nan() {
            f64::NAN
        } else {
            f64::from(u8::from(tr.who_recommends == Recommender::Director))
        },
    );

    // The development conversation and who holds it.
    let held = tr.measures[Measure::DevelopmentConversation] != HowOften::Never;
    let (u_formannskap, u_other) = (a.uniform(), a.uniform());
    let held_answer = a.ask(f64::from(u8::from(held)));
    row.put("development_conversation", held_answer);
    let ticked: [bool; 5] = match tr.conversation_form {
        ConversationForm::EmployerCommittee => [true, true, true, false, false],
        ConversationForm::Formannskap => {
            [u_formannskap < s.formannskap_conversation_mayor, false, false, true, false]
        }
        _ => {
            let alone = u_other < s.other_conversation_mayor_alone;
            [alone, false, false, false, !alone]
        }
    };
    for (name, tick) in CONVERSATION_COLUMNS.into_iter().zip(ticked) {
        row.put(name, if held && !held_answer.is_nan() { f64::from(u8::from(tick)) } else { f64::NAN });
    }

    // The director.
    row.put("director_age", a.ask(d.age(t).floor()));
    row.put("director_male", a.ask(f64::from(u8::from(!d.woman))));
    row.put("director_education", a.ask(d.education.index() as f64 + 1.0));
    // Age in completed years, as ages are given; durations to the nearest year, as people
    // answer "how many years have you been …".
    row.put("years_in_municipality", a.ask(d.years_in_municipality(t).round()));
    row.put("years_in_post", a.ask(d.years_in_post(t).round()));
    row.put("leadership_education", a.ask((3 - d.leadership_education.index()) as f64));
    row.put("previous_post", a.ask(d.previous_post.index() as f64));

    // The municipality: register data, and whether the new act has made roles clearer.
    row.put("log_population", tr.log_population);
    row.put("centrality", f64::from(tr.centrality));
    row.put("merged", f64::from(u8::from(tr.merged)));
    let mismatch: u8 = m.role_mismatch().iter().sum();
    let noise = s.item_noise_sd * a.normal();
    row.put(
        "clarity_from_new_act",
        a.ask(likert(
            s.new_act_clarity + s.new_act_loading * m.pair.role_clarity - 0.5 * f64::from(mismatch) + noise,
        )),
    );

    // Plans to leave for another job within 3–4 years: the career pull, stated with noise.
    let pull = m.career_pull(config, t) + s.quit_noise_sd * a.normal();
    let plans = if pull < s.quit_maybe_from {
        1.0
    } else if pull < s.quit_certainly_from {
        2.0
    } else {
        3.0
    };
    row.put("quit_plans", a.ask(plans));

    // Why the predecessor left, as the incumbent knows it.
    let external = d.previous_post != PreviousPost::OtherPostSameMunicipality;
    let u_unknown = a.uniform();
    let unknown =
        (external && u_unknown < s.predecessor_unknown_external) || m.predecessor == Predecessor::BeforeStart;
    let has =
        |r: ExitReason| matches!(m.predecessor, Predecessor::Left { reasons, .. } if reasons.contains(r));
    let reasons = [
        has(ExitReason::Retirement),
        has(ExitReason::CareerMove),
        // A dismissal or negotiated exit is, to the successor, a conflict with the politicians.
        has(ExitReason::ConflictWithPoliticians) || has(ExitReason::DismissalOrNegotiatedExit),
        has(ExitReason::ConflictWithinAdministration),
        has(ExitReason::IllnessOrDeath),
        false,
        m.predecessor == Predecessor::Merger,
        has(ExitReason::FixedTermEnded) || has(ExitReason::Other),
    ];
    let answered = !a.ask(0.0).is_nan();
    for (j, name) in PREDECESSOR_ITEMS.iter().enumerate() {
        let tick = if unknown { j == 5 } else { reasons[j] };
        row.put(name, if answered { f64::from(u8::from(tick)) } else { f64::NAN });
    }

    // What would weigh if offered a post elsewhere. Political conditions weigh more for a
    // director who has met distrust and unclear signals, size for one in a small place, the
    // administrative organisation for one in an administrative conflict.
    let offer_centres = [
        s.offer_location,
        s.offer_openness_to_new_ideas,
        s.offer_political_conditions + (1.0 - m.pair.trust)
            - 0.25 * m.climate()[Dimension::ClearSignals.index()],
        s.offer_size - 0.25 * (tr.log_population - reference_log_population()),
        s.offer_salary,
        s.offer_municipal_economy,
        s.offer_administrative_organisation + if m.in_admin_conflict(t) { 0.5 } else { 0.0 },
    ];
    for (name, centre) in OFFER_COLUMNS.into_iter().zip(offer_centres) {
        let noise = s.item_noise_sd * a.normal();
        row.put(name, a.ask(likert(centre + noise)));
    }
    row
}

/// Surveys one municipality at the survey month `t`: the director's and the mayor's answers
/// (`None` for one who does not respond, as column names and values) and its register data.
pub fn survey_municipality(
    m: &Municipality,
    config: &Config,
    replication: u32,
    t: Month,
) -> (Option<Answers>, Option<Answers>, Register) {
    let s = &config.survey;
    let id = m.traits.id;
    let mut stream = rng::stream(config.seed, replication, id, Process::Survey);
    let director_answers_it = rng::uniform(&mut stream) < s.director_response_rate;
    let mayor_answers_it = rng::uniform(&mut stream) < s.mayor_response_rate;
    let mut a = Asker { rng: &mut stream, nonresponse: s.item_nonresponse };
    let mut director = director_answers(m, config, t, &mut a);
    let mut mayor = common_answers(m, config, &mut a, true);
    for row in [&mut director, &mut mayor] {
        row.names.insert(0, "municipality");
        row.values.insert(0, f64::from(id));
        row.names.insert(0, "replication");
        row.values.insert(0, f64::from(replication));
    }
    let register = Register {
        population: m.traits.population,
        log_population: m.traits.log_population,
        centrality: m.traits.centrality,
        merged: m.traits.merged,
        council_seats: m.traits.council_seats,
        parties_in_council: m.council.parties_in_council,
        coalition_parties: m.council.coalition_parties,
    };
    (director_answers_it.then_some(director), mayor_answers_it.then_some(mayor), register)
}

/// The survey month, if the scenario simulates it (a scenario may end before the survey).
pub fn survey_date(config: &Config) -> Result<Month, String> {
    let cal = &config.calendar;
    let t = cal.survey_month(config.survey.months_after_election);
    if t <= cal.start || t > cal.end {
        return Err(format!(
            "scenario `{}` simulates {} – {}, but its survey (survey.months_after_election = {} after the election of {}) falls in {t}\n  hint: extend calendar.end or survey earlier",
            config.name, cal.start, cal.end, config.survey.months_after_election, cal.election_anchor
        ));
    }
    Ok(t)
}

/// Runs `replications` of the national simulation up to the survey month and surveys them,
/// with `threads` workers (0 = one per core). Replications are returned in order; results do
/// not depend on the number of threads. `progress` is called with municipalities finished.
pub fn run_survey(
    config: &Config,
    replications: std::ops::Range<u32>,
    threads: usize,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<Vec<SurveyReplication>, RunError> {
    let threads =
        if threads == 0 { std::thread::available_parallelism().map_or(1, |n| n.get()) } else { threads };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|source| RunError::ThreadPool { threads, source })?;
    pool.install(|| survey_in_pool(config, replications, progress, cancel))
}

/// As `run_survey`, in the current rayon pool (for callers that already run in one).
pub fn survey_in_pool(
    config: &Config,
    replications: std::ops::Range<u32>,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<Vec<SurveyReplication>, RunError> {
    let derived = Derived::new(config);
    let n = config.population.municipalities;
    let t = survey_date(config).map_err(RunError::Input)?;
    let items: Vec<(u32, std::ops::Range<u32>)> = replications
        .clone()
        .flat_map(|r| (0..n).step_by(BLOCK as usize).map(move |s| (r, s..(s + BLOCK).min(n))))
        .collect();
    let blocks: Vec<Option<SurveyReplication>> = items
        .par_iter()
        .map(|(r, ids)| {
            if cancel.load(Ordering::Relaxed) {
                return None;
            }
            let mut out = SurveyReplication { replication: *r, ..SurveyReplication::default() };
            for id in ids.clone() {
                let m = simulate_until(config, &derived, *r, id, t, |_, _, _| {});
                let (director, mayor, register) = survey_municipality(&m, config, *r, t);
                if let Some(row) = director {
                    out.directors.push(row);
                }
                if let Some(row) = mayor {
                    out.mayors.push(row);
                }
                out.register.push(register);
                progress(1);
            }
            Some(out)
        })
        .collect();
    let mut result: Vec<SurveyReplication> = Vec::new();
    for block in blocks {
        let block = block.ok_or(RunError::Cancelled)?;
        match result.last_mut() {
            Some(last) if last.replication == block.replication => {
                last.directors.append(block.directors);
                last.mayors.append(block.mayors);
                last.register.extend(block.register);
            }
            _ => result.push(block),
        }
    }
    Ok(result)
}

/// The report's regressions on one replication's directors.
#[derive(Debug, Clone)]
pub struct Regressions {
    pub cooperation: Ols,
    /// Change in adjusted R² as the blocks of `COOPERATION_BLOCKS` enter in order.
    pub cooperation_blocks: Vec<f64>,
    pub quit_plans: Ols,
}

fn columns(t: &Table, names: &[&'static str]) -> Vec<(&'static str, Vec<f64>)> {
    names
        .iter()
        .map(|n| (*n, t.column(n).unwrap_or_else(|| panic!("the directors' table has a column `{n}`"))))
        .collect()
}

/// Recomputes Appendices 2–4 on the directors' answers: OLS of the cooperation index on the
/// 31 predictors, the block decomposition, and OLS of quit plans on the same predictors plus
/// the cooperation index.
pub fn regressions(directors: &Table) -> Result<Regressions, StatsError> {
    let names = cooperation_predictors();
    let cols = columns(directors, &names);
    let y = directors.column("cooperation_index").expect("cooperation_index column");
    let refs: Vec<(&str, &[f64])> = cols.iter().map(|(n, v)| (*n, v.as_slice())).collect();
    let cooperation = stats::ols(&y, &refs)?;
    let mut blocks: Vec<Vec<(&str, &[f64])>> = Vec::new();
    let mut at = 0;
    for (_, members) in COOPERATION_BLOCKS {
        blocks.push(refs[at..at + members.len()].to_vec());
        at += members.len();
    }
    let cooperation_blocks = stats::block_increments(&y, &blocks)?;
    let quit = directors.column("quit_plans").expect("quit_plans column");
    let mut quit_refs = vec![(COOPERATION_QUALITY, y.as_slice())];
    quit_refs.extend(refs.iter().copied());
    let quit_plans = stats::ols(&quit, &quit_refs)?;
    Ok(Regressions { cooperation, cooperation_blocks, quit_plans })
}
