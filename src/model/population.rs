//! The national population: each municipality's fixed traits. Number, name, county, population
//! and area are the register's (`register`); what the register lacks (centrality, merger,
//! council size, hierarchy, office layout, organisational practices, the local role culture)
//! is drawn once per replication from the municipality's own population stream.
//!
//! Every categorical trait is drawn by inversion from one uniform, so a scenario that
//! overrides one practice leaves every other trait of every municipality unchanged.

use crate::foundation::rng::{self, Process, Stream};
use crate::model::development::{Measure, PerMeasure};
use crate::model::register::{self, Entry};
use crate::scenario::categories::Category;
use crate::scenario::categories::{ConversationForm, Frequency, HowOften, OfficeDistance, Recommender};
use crate::scenario::config::{Config, PracticesConfig};

/// Log of 6 000 inhabitants, the centring point of size effects (a typical municipality).
pub fn reference_log_population() -> f64 {
    6000f64.ln()
}

/// Fixed traits of one municipality: its register data and its organisational practices.
#[derive(Debug, Clone, PartialEq)]
pub struct Traits {
    /// Index of the municipality in its world (0 …).
    pub id: u32,
    /// The municipality in the register: number, name, county, population, area.
    pub entry: &'static Entry,
    pub population: f64,
    pub log_population: f64,
    /// SSB centrality, 1 (least) … 6 (most central).
    pub centrality: u8,
    /// Formed by the 2020 merger reform.
    pub merged: bool,
    /// Council seats: the Local Government Act § 5-5 minimum plus seats the council chose to add.
    pub council_seats: u32,
    /// ln `council_seats`.
    pub log_council_seats: f64,
    pub hierarchy_levels: u8,
    pub office_distance: OfficeDistance,
    /// Fixed meetings of mayor and director.
    pub fixed_meetings: Frequency,
    /// Meetings of the political and administrative leader groups.
    pub leader_group_forum: Frequency,
    /// How often each development measure is held (the development conversation is annual or
    /// never here; who holds it is `conversation_form`).
    pub measures: PerMeasure<HowOften>,
    pub conversation_form: ConversationForm,
    pub who_recommends: Recommender,
    /// The director's room for manoeuvre that the council's delegation tends toward (standardised).
    pub discretion_base: f64,
    /// Month of the year (0–11) each annual measure is held in.
    pub measure_month: PerMeasure<u8>,
    /// How directly individual cases and politicians reach the director (1 for a typical
    /// municipality of three levels and ~6 000 inhabitants; more in small, flat ones).
    pub closeness: f64,
    /// The local role culture per zone (standard normal): the part of role dispositions the
    /// municipality's mayors and home-grown directors share.
    pub role_culture: [f64; 4],
    /// The council recruits its director with a profile and a choice anchored broadly in the council.
    pub broad_recruitment: bool,
}

impl Traits {
    /// Kommunenummer.
    pub fn number(&self) -> u16 {
        self.entry.number
    }
    /// The municipality's name.
    pub fn name(&self) -> &'static str {
        &self.entry.name
    }
}

/// The size bands the outputs report by: under 5 000, 5 000–20 000, over 20 000 inhabitants.
pub const SIZE_BANDS: [&str; 3] = ["under_5000", "5000_to_20000", "over_20000"];

/// The size band (index into `SIZE_BANDS`) of a municipality of `population` inhabitants.
pub fn size_band(population: f64) -> usize {
    usize::from(population >= 5_000.0) + usize::from(population > 20_000.0)
}

/// Local Government Act § 5-5: the smallest council a municipality of this size may have.
pub fn minimum_council_seats(population: f64) -> u32 {
    match population {
        p if p <= 5_000.0 => 11,
        p if p <= 10_000.0 => 19,
        p if p <= 50_000.0 => 27,
        p if p <= 100_000.0 => 35,
        _ => 43,
    }
}

/// Draws the traits of municipality `id` of a world of `config.population.municipalities` in
/// replication `replication` (for tests and single lookups; a world draws its members once).
pub fn draw(config: &Config, replication: u32, id: u32) -> Traits {
    let members = register::members(config.population.municipalities as usize);
    draw_member(config, replication, id, members[id as usize])
}

/// Draws the traits of the register's `entry`, municipality `id` of its world.
pub fn draw_member(config: &Config, replication: u32, id: u32, entry: &'static Entry) -> Traits {
    let pc = &config.population;
    let pr = &config.practices;
    let mut rng: Stream = rng::stream(config.seed, replication, id, Process::Population);
    let u = |rng: &mut Stream| rng::uniform(rng);

    let population = entry.population;
    let log_population = population.ln();
    let centrality_raw = pc.centrality_intercept
        + pc.centrality_per_log_population * (log_population - reference_log_population())
        + pc.centrality_noise_sd * rng::normal(&mut rng);
    let centrality = centrality_raw.round().clamp(1.0, 6.0) as u8;
    let merged = u(&mut rng) < pc.merged_share;

    let extra_pairs = rng::poisson_small(&mut rng, (pc.council_extra_seats_mean / 2.0).min(25.0));
    let council_seats = minimum_council_seats(population) + 2 * extra_pairs;

    let mut levels: i32 = 2
        + i32::from(population >= pc.hierarchy_three_levels_from)
        + i32::from(population >= pc.hierarchy_four_levels_from);
    let shift = u(&mut rng);
    if shift < pc.hierarchy_noise / 2.0 {
        levels -= 1;
    } else if shift < pc.hierarchy_noise {
        levels += 1;
    }
    let hierarchy_levels = levels.clamp(2, 5) as u8;

    let office_distance = pr.office_distance.pick(u(&mut rng));
    let fixed_meetings = pr.fixed_meetings.pick(u(&mut rng));
    let leader_group_forum = pr.leader_group_forum.pick(u(&mut rng));
    let conversation_form = pr.development_conversation.pick(u(&mut rng));
    let measures = PerMeasure([
        pr.delegation_review.pick(u(&mut rng)),
        pr.meeting_routines_review.pick(u(&mut rng)),
        pr.role_understanding_meetings.pick(u(&mut rng)),
        pr.inter_municipal_learning.pick(u(&mut rng)),
        pr.councillor_training.pick(u(&mut rng)),
        pr.director_release.pick(u(&mut rng)),
        if conversation_form == ConversationForm::None { HowOften::Never } else { HowOften::Annual },
    ]);
    let who_recommends = pr.who_recommends.pick(u(&mut rng));
    let discretion_base = rng::normal(&mut rng) + pr.discretion_shift;
    let mut measure_month = PerMeasure([0u8; Measure::ALL.len()]);
    for m in &mut measure_month.0 {
        *m = (u(&mut rng) * 12.0) as u8;
    }
    let role_culture = std::array::from_fn(|_| rng::normal(&mut rng));
    let broad_recruitment = u(&mut rng) < pr.broad_recruitment_share;
    let f = &config.friction;
    let closeness = (f.closeness_per_level * (3.0 - f64::from(hierarchy_levels))
        + f.closeness_per_log_population * (reference_log_population() - log_population))
        .exp();

    Traits {
        id,
        entry,
        population,
        log_population,
        centrality,
        merged,
        council_seats,
        log_council_seats: f64::from(council_seats).ln(),
        hierarchy_levels,
        office_distance,
        fixed_meetings,
        leader_group_forum,
        measures,
        conversation_form,
        who_recommends,
        discretion_base,
        measure_month,
        closeness,
        role_culture,
        broad_recruitment,
    }
}

/// Lays the practices a reform changes (those whose distribution differs between `parent` and
/// `reform`) from `fresh` (the traits drawn again under the reform with the same uniforms) over
/// `traits`; the others stay as they are. Traits that follow from mechanisms (closeness) are
/// the reform's.
pub(crate) fn adopt_practices(
    traits: &mut Traits,
    fresh: Traits,
    parent: &PracticesConfig,
    reform: &PracticesConfig,
) {
    macro_rules! changed {
        ($($dist:ident => $trait:expr, $new:expr;)+) => {
            $(if parent.$dist != reform.$dist { $trait = $new; })+
        };
    }
    changed! {
        office_distance => traits.office_distance, fresh.office_distance;
        fixed_meetings => traits.fixed_meetings, fresh.fixed_meetings;
        leader_group_forum => traits.leader_group_forum, fresh.leader_group_forum;
        who_recommends => traits.who_recommends, fresh.who_recommends;
        broad_recruitment_share => traits.broad_recruitment, fresh.broad_recruitment;
        discretion_shift => traits.discretion_base, fresh.discretion_base;
        delegation_review => traits.measures[Measure::DelegationReview], fresh.measures[Measure::DelegationReview];
        meeting_routines_review => traits.measures[Measure::MeetingRoutinesReview], fresh.measures[Measure::MeetingRoutinesReview];
        role_understanding_meetings => traits.measures[Measure::RoleUnderstandingMeetings], fresh.measures[Measure::RoleUnderstandingMeetings];
        inter_municipal_learning => traits.measures[Measure::InterMunicipalLearning], fresh.measures[Measure::InterMunicipalLearning];
        councillor_training => traits.measures[Measure::CouncillorTraining], fresh.measures[Measure::CouncillorTraining];
        director_release => traits.measures[Measure::DirectorRelease], fresh.measures[Measure::DirectorRelease];
    }
    if parent.development_conversation != reform.development_conversation {
        traits.conversation_form = fresh.conversation_form;
        traits.measures[Measure::DevelopmentConversation] = fresh.measures[Measure::DevelopmentConversation];
    }
    traits.closeness = fresh.closeness;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::test_config;

    #[test]
    fn council_minimums_follow_the_act() {
        assert_eq!(minimum_council_seats(800.0), 11);
        assert_eq!(minimum_council_seats(5_000.0), 11);
        assert_eq!(minimum_council_seats(5_001.0), 19);
        assert_eq!(minimum_council_seats(40_000.0), 27);
        assert_eq!(minimum_council_seats(99_000.0), 35);
        assert_eq!(minimum_council_seats(700_000.0), 43);
    }

    #[test]
    fn sizes_are_the_registers_and_small_flat_places_are_close() {
        let c = test_config("");
        let members = register::members(c.population.municipalities as usize);
        for id in 0..c.population.municipalities {
            let t = draw(&c, 1, id);
            assert_eq!(t.population, members[id as usize].population);
            assert_eq!(t.number(), members[id as usize].number);
        }
        let traits: Vec<Traits> = (0..c.population.municipalities).map(|id| draw(&c, 0, id)).collect();
        let mean = |keep: &dyn Fn(&Traits) -> bool| {
            let v: Vec<f64> = traits.iter().filter(|t| keep(t)).map(|t| t.closeness).collect();
            v.iter().sum::<f64>() / v.len() as f64
        };
        let small_flat = mean(&|t| t.population < 5_000.0 && t.hierarchy_levels <= 2);
        let large_deep = mean(&|t| t.population > 20_000.0 && t.hierarchy_levels >= 4);
        assert!(small_flat > 1.5 * large_deep, "small and flat {small_flat}, large and deep {large_deep}");
    }

    #[test]
    fn traits_are_consistent() {
        let c = test_config("");
        for id in 0..c.population.municipalities {
            let t = draw(&c, 3, id);
            assert!(t.council_seats >= minimum_council_seats(t.population));
            assert!(t.council_seats % 2 == 1, "councils have an odd number of seats");
            assert!((1..=6).contains(&t.centrality));
            assert!((2..=5).contains(&t.hierarchy_levels));
            assert!(t.measure_month.0.iter().all(|&m| m < 12));
        }
    }

    #[test]
    fn overriding_one_practice_leaves_the_other_traits_alone() {
        let base = test_config("");
        let mut reform = base.clone();
        reform.practices.delegation_review = crate::scenario::categories::Categorical::all(HowOften::Annual);
        for id in 0..50 {
            let a = draw(&base, 0, id);
            let mut b = draw(&reform, 0, id);
            assert_eq!(b.measures[Measure::DelegationReview], HowOften::Annual);
            b.measures[Measure::DelegationReview] = a.measures[Measure::DelegationReview];
            assert_eq!(a, b);
        }
    }
}
