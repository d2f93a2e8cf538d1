//! The questionnaires: every answer a measurement of the respondent's simulated state, with
//! the instrument's noise, halo, perception, bias and item non-response.

use super::instrument::*;
use super::{Answers, Register};
use crate::foundation::calendar::Month;
use crate::foundation::rng::{self, Process, Stream};
use crate::model::Municipality;
use crate::model::climate::Dimension;
use crate::model::development::Measure;
use crate::model::director::Contract;
use crate::model::exits::{ExitReason, Predecessor};
use crate::model::population::reference_log_population;
use crate::model::relationship::phi;
use crate::scenario::categories::{Category, ConversationForm, HowOften, PreviousPost, Recommender};
use crate::scenario::config::Config;

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
    let loadings = [s.climate_loading_cooperation, s.climate_loading_conduct, s.climate_loading_clarity];
    let mut climate_items = [0.0; 8];
    for (j, (_, column, dim, reversed)) in CLIMATE_ITEMS.iter().enumerate() {
        let favourable = loadings[dim.index()] * perceived[dim.index()] + halo + mayor_bias[dim.index()];
        let sign = if *reversed { -1.0 } else { 1.0 };
        let noise = s.item_noise_sd * a.normal();
        climate_items[j] = a.ask(likert(centres[j] + sign * favourable + noise));
        row.put(column, climate_items[j]);
    }
    let [pcw, mpc, nmm, act, urp, cls, wtp, _] = climate_items;
    row.put("political_cooperation", (pcw + (6.0 - mpc)) / 2.0);
    row.put("professional_conduct", (act + nmm) / 2.0);
    row.put("clear_signals", (cls + wtp + (6.0 - urp)) / 3.0);

    // Role vignettes: each answer reads the respondent's disposition in the vignette's zone,
    // coloured by the situation the vignette describes (`dispositions.situational_share`).
    let (dispositions, shares) = if mayor {
        (&m.mayor.dispositions, &config.roles.mayor)
    } else {
        (&m.director.dispositions, &config.roles.director)
    };
    let situational = config.dispositions.situational_share;
    let mut role_index = 0.0;
    for (z, name) in VIGNETTES.iter().enumerate() {
        let reading = (1.0 - situational).sqrt() * dispositions[z] + situational.sqrt() * a.normal();
        let v = a.ask(shares[z].pick(phi(reading)).index() as f64 + 1.0);
        role_index += v;
        row.put(name, v);
    }
    row.put("role_understanding_political_loyalty", role_index);

    // Development measures, recalled with some error; mayors remember them as more frequent.
    // A mayor who has no part in a measure of the administration's own may not know how often
    // it is held, and then answers from an impression (the same draws either way).
    for (k, name) in MEASURE_ITEMS.iter().enumerate() {
        let measure = Measure::ALL[k];
        let mut code = m.traits.measures[measure].index() as i32;
        let (u_err, u_dir, u_opt) = (a.uniform(), a.uniform(), a.uniform());
        if u_err < s.measure_recall_error {
            code += if u_dir < 0.5 { -1 } else { 1 };
        }
        if mayor && u_opt < s.mayor_measure_optimism {
            code -= 1;
        }
        let mut answer = f64::from(4 - code.clamp(0, 3));
        if mayor && !measure.involves_mayor() {
            let (u_known, impression) = (a.uniform(), a.normal());
            if u_known >= s.mayor_knows_administrative_measures {
                answer = (s.mayor_measure_impression + s.mayor_measure_impression_sd * impression)
                    .round()
                    .clamp(1.0, 4.0);
            }
        }
        row.put(name, a.ask(answer));
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

    // Plans to leave for another job within 3–4 years: the intention to move, stated with noise.
    let pull = m.intention(config, t) + s.quit_noise_sd * a.normal();
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

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::model::Derived;
    use crate::model::exits::ReasonSet;
    use crate::model::population;
    use crate::scenario::parse_str;
    use crate::sim::run::simulate_until;
    use crate::survey::survey_date;

    /// The instrument without its own error: no response noise, halo, misperception, recall
    /// error, mayors' optimism or item non-response, and everyone answers.
    const EXACT: &str = "halo_sd = 0.0\nperception_sd = 0.0\nitem_noise_sd = 0.0\nitem_nonresponse = 0.0\n\
        measure_recall_error = 0.0\nmayor_measure_optimism = 0.0\nmayor_knows_administrative_measures = 1.0\n\
        director_response_rate = 1.0\nmayor_response_rate = 1.0\n";

    fn config(survey: &str) -> Config {
        // Vignettes read the dispositions without the situation's part.
        let text = format!("[dispositions]\nsituational_share = 0.0\n[survey]\n{survey}");
        parse_str(&text, "t").unwrap_or_else(|p| panic!("{p:?}")).1
    }

    /// Municipality `id` of replication 0 at the survey month.
    fn at_survey(c: &Config, id: u32) -> (Municipality, Month) {
        let t = survey_date(c).unwrap();
        (simulate_until(c, &Derived::new(c), 0, id, t, |_, _, _| {}), t)
    }

    /// Both questionnaires of one municipality, asked from the start of `stream`.
    fn ask_both(m: &Municipality, c: &Config, t: Month, stream: &mut Stream) -> (Answers, Answers) {
        let mut a = Asker { rng: stream, nonresponse: c.survey.item_nonresponse };
        let director = director_answers(m, c, t, &mut a);
        let mayor = common_answers(m, c, &mut a, true);
        (director, mayor)
    }

    #[test]
    fn likert_answers_are_the_nearest_step_on_the_scale() {
        assert_eq!(likert(2.4), 2.0);
        assert_eq!(likert(2.5), 3.0);
        assert_eq!(likert(-3.0), 1.0);
        assert_eq!(likert(7.2), 5.0);
    }

    /// Without the instrument's error, answers are exact readings of the municipality's state.
    #[test]
    fn noiseless_answers_read_the_municipalitys_state_exactly() {
        let c = config(EXACT);
        let s = &c.survey;
        let mut contracts = HashSet::new();
        for id in 0..30 {
            let (m, t) = at_survey(&c, id);
            let (director, mayor, _) = survey_municipality(&m, &c, 0, t);
            let (director, mayor) = (director.unwrap(), mayor.unwrap());
            let d = &m.director;
            for row in [&director, &mayor] {
                assert_eq!(row.get("replication"), Some(0.0));
                assert_eq!(row.get("municipality"), Some(f64::from(id)));
            }
            assert_eq!(director.get("coalition_parties"), Some(f64::from(m.council.coalition_parties)));
            assert_eq!(director.get("years_in_post"), Some(d.years_in_post(t).round()));
            assert_eq!(director.get("contract"), Some(d.contract.index() as f64));
            assert_eq!(
                director.get("fixed_term_contract"),
                Some(f64::from(u8::from(d.contract == Contract::FixedTerm)))
            );
            contracts.insert(d.contract.index());
            assert_eq!(director.get("hierarchy_levels"), Some(f64::from(m.traits.hierarchy_levels)));
            for (z, name) in VIGNETTES.iter().enumerate() {
                assert_eq!(director.get(name), Some(d.expectations[z].index() as f64 + 1.0), "{name}");
                assert_eq!(mayor.get(name), Some(m.mayor.expectations[z].index() as f64 + 1.0), "{name}");
            }
            let loyalty: f64 = d.expectations.iter().map(|r| r.index() as f64 + 1.0).sum();
            assert_eq!(director.get("role_understanding_political_loyalty"), Some(loyalty));
            // The cooperation items read trust; mayors add their favourable bias.
            assert_eq!(director.get("works_very_well"), Some(likert(m.cooperation() + s.works_very_well)));
            assert_eq!(
                mayor.get("works_very_well"),
                Some(likert(m.cooperation() + s.works_very_well + s.mayor_cooperation_bias))
            );
            // A reversed climate item falls as the climate improves.
            let parties = m.climate()[Dimension::PartyCooperation.index()];
            assert_eq!(
                director.get("climate_many_party_conflicts"),
                Some(likert(s.many_party_conflicts - s.climate_loading_cooperation * parties))
            );
            // Measures are recalled exactly: 4 annual … 1 never, for both respondents.
            for (k, name) in MEASURE_ITEMS.iter().enumerate() {
                let code = 4.0 - m.traits.measures[Measure::ALL[k]].index() as f64;
                assert_eq!(director.get(name), Some(code), "{name}");
                assert_eq!(mayor.get(name), Some(code), "{name}");
            }
        }
        // The contract assertions saw more than one kind of contract.
        assert!(contracts.len() > 1, "{contracts:?}");
    }

    #[test]
    fn optimistic_mayors_report_every_measure_one_step_more_often() {
        let c = config(&EXACT.replace("mayor_measure_optimism = 0.0", "mayor_measure_optimism = 1.0"));
        for id in 0..10 {
            let (m, t) = at_survey(&c, id);
            let (director, mayor, _) = survey_municipality(&m, &c, 0, t);
            let (director, mayor) = (director.unwrap(), mayor.unwrap());
            for name in MEASURE_ITEMS {
                let said = director.get(name).unwrap();
                assert_eq!(mayor.get(name), Some((said + 1.0).min(4.0)), "{name}");
            }
        }
    }

    #[test]
    fn mayors_who_do_not_know_an_administrative_measure_answer_their_impression() {
        // No mayor knows; every impression is "rarer" (2) exactly. The measures mayors take
        // part in are still reported as practised.
        let c = config(&EXACT.replace(
            "mayor_knows_administrative_measures = 1.0",
            "mayor_knows_administrative_measures = 0.0\nmayor_measure_impression = 2.0\nmayor_measure_impression_sd = 0.0",
        ));
        for id in 0..10 {
            let (m, t) = at_survey(&c, id);
            let (director, mayor, _) = survey_municipality(&m, &c, 0, t);
            let (director, mayor) = (director.unwrap(), mayor.unwrap());
            for (k, name) in MEASURE_ITEMS.iter().enumerate() {
                let practised = 4.0 - m.traits.measures[Measure::ALL[k]].index() as f64;
                assert_eq!(director.get(name), Some(practised), "{name}");
                let expected = if Measure::ALL[k].involves_mayor() { practised } else { 2.0 };
                assert_eq!(mayor.get(name), Some(expected), "{name}");
            }
        }
    }

    /// Every question draws the same numbers whether or not it is answered, so two scenarios
    /// that differ only in item non-response leave the survey stream in the same place, and an
    /// answer given in both is the same answer.
    #[test]
    fn item_nonresponse_does_not_change_the_draws_or_the_columns() {
        let answering = config("item_nonresponse = 0.0\n");
        let skipping = config("item_nonresponse = 0.5\n");
        let (mut given, mut missing) = (0, 0);
        let mut columns: Option<Vec<&str>> = None;
        for id in 0..10 {
            let (m, t) = at_survey(&answering, id);
            let mut a_stream = rng::stream(answering.seed, 0, id, Process::Survey);
            let mut b_stream = a_stream.clone();
            let (a_dir, a_may) = ask_both(&m, &answering, t, &mut a_stream);
            let (b_dir, b_may) = ask_both(&m, &skipping, t, &mut b_stream);
            assert_eq!(rng::uniform(&mut a_stream), rng::uniform(&mut b_stream), "municipality {id}");
            for (a, b) in [(&a_dir, &b_dir), (&a_may, &b_may)] {
                assert_eq!(a.names, b.names);
                for (j, (x, y)) in a.values.iter().zip(&b.values).enumerate() {
                    assert!(y.is_nan() || x == y, "{}: {x} answered as {y}", a.names[j]);
                    if y.is_nan() { missing += 1 } else { given += 1 }
                }
            }
            // A respondent's row has the same columns whoever the municipality is.
            let names = columns.get_or_insert_with(|| a_dir.names.clone());
            assert_eq!(*names, a_dir.names);
            // The predecessor item is one question: all its boxes are missing, or none.
            let skipped = PREDECESSOR_ITEMS.iter().filter(|n| b_dir.get(n).unwrap().is_nan()).count();
            assert!(skipped == 0 || skipped == PREDECESSOR_ITEMS.len(), "{skipped} boxes missing");
        }
        // Both kinds of answer occurred, so the comparison above compared something.
        assert!(given > 0 && missing > 0, "{given} given, {missing} missing");
        let names = columns.unwrap();
        let unique: HashSet<&str> = names.iter().copied().collect();
        assert_eq!(unique.len(), names.len(), "a column name occurs twice");
    }

    /// The director's questionnaire is asked (and its draws taken) whether or not the director
    /// responds, so the mayor's answers do not depend on the director's response rate.
    #[test]
    fn the_mayors_answers_do_not_depend_on_whether_the_director_responds() {
        let responds = config("director_response_rate = 1.0\nmayor_response_rate = 1.0\n");
        let silent = config("director_response_rate = 0.0\nmayor_response_rate = 1.0\n");
        for id in 0..10 {
            let (m, t) = at_survey(&responds, id);
            let (director, mayor, register) = survey_municipality(&m, &responds, 0, t);
            let (no_director, same_mayor, same_register) = survey_municipality(&m, &silent, 0, t);
            assert!(director.is_some() && no_director.is_none());
            let bits = |a: &Answers| a.values.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&mayor.unwrap()), bits(&same_mayor.unwrap()));
            assert_eq!(register, same_register);
        }
    }

    #[test]
    fn the_register_describes_every_municipality_whoever_answers() {
        let c = config("director_response_rate = 0.0\nmayor_response_rate = 0.0\n");
        let (m, t) = at_survey(&c, 3);
        let (director, mayor, register) = survey_municipality(&m, &c, 0, t);
        assert!(director.is_none() && mayor.is_none());
        let tr = &m.traits;
        assert_eq!(
            register,
            Register {
                population: tr.population,
                log_population: tr.log_population,
                centrality: tr.centrality,
                merged: tr.merged,
                council_seats: tr.council_seats,
                parties_in_council: m.council.parties_in_council,
                coalition_parties: m.council.coalition_parties,
            }
        );
    }

    /// The boxes a director ticks for why the predecessor left.
    fn predecessor_ticks(m: &Municipality, c: &Config) -> Vec<&'static str> {
        let t = c.calendar.start;
        let (director, _, _) = survey_municipality(m, c, 0, t);
        let director = director.unwrap();
        PREDECESSOR_ITEMS
            .into_iter()
            .filter(|n| {
                let v = director.get(n).unwrap();
                assert!(v == 0.0 || v == 1.0, "{n} = {v}");
                v == 1.0
            })
            .collect()
    }

    #[test]
    fn a_director_in_post_before_the_simulation_began_does_not_know_why_the_predecessor_left() {
        // Not knowing is not left to chance here: only the start of the simulation explains it.
        let c = config(&format!("{EXACT}predecessor_unknown_external = 0.0\n"));
        for id in 0..20 {
            let m = Municipality::new(&c, population::draw(&c, 0, id), 0);
            assert_eq!(m.predecessor, Predecessor::BeforeStart);
            assert_eq!(predecessor_ticks(&m, &c), ["do_not_know"], "municipality {id}");
        }
    }

    #[test]
    fn a_known_predecessor_is_reported_as_the_successor_knows_it() {
        let c = config(&format!("{EXACT}predecessor_unknown_external = 0.0\n"));
        let mut m = Municipality::new(&c, population::draw(&c, 0, 1), 0);
        let mut reasons = ReasonSet::default();
        reasons.insert(ExitReason::Retirement);
        reasons.insert(ExitReason::DismissalOrNegotiatedExit);
        reasons.insert(ExitReason::FixedTermEnded);
        m.predecessor = Predecessor::Left { main: ExitReason::Retirement, reasons };
        // A dismissal is a conflict with the politicians to the successor; a fixed term's end
        // is "other".
        assert_eq!(predecessor_ticks(&m, &c), ["retirement_age", "conflict_with_politicians", "other"]);
        m.predecessor = Predecessor::Merger;
        assert_eq!(predecessor_ticks(&m, &c), ["no_predecessor_merger"]);

        // A director from outside who never learns why: "do not know", whatever the reasons;
        // one who came from inside the municipality knows.
        let c = config(&format!("{EXACT}predecessor_unknown_external = 1.0\n"));
        m.predecessor = Predecessor::Left { main: ExitReason::Retirement, reasons };
        m.director.previous_post = PreviousPost::PrivateSector;
        assert_eq!(predecessor_ticks(&m, &c), ["do_not_know"]);
        m.director.previous_post = PreviousPost::OtherPostSameMunicipality;
        assert_eq!(predecessor_ticks(&m, &c), ["retirement_age", "conflict_with_politicians", "other"]);
    }
}
