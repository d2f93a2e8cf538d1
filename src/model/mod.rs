//! The agents of one municipality and their monthly step.
//!
//! A municipality holds its council (parties, the mayor's governing base, the latent political
//! climate), its mayor, its director (or acting director) and the relationship between mayor
//! and director (trust, the latent cooperation quality). `Municipality::step` advances one
//! month, in this order:
//!
//! 1. election (every `election_interval_months` on the real calendar): seats, governing base,
//!    climate shift, perhaps a new mayor, the term's development measures scheduled;
//! 2. a mayor leaving between elections;
//! 3. the climate drifts; councillor training's lift fades;
//! 4. scheduled development measures are held (reviews, conversations, training, …);
//! 5. cases arrive in the four zones; some turn into friction; informal contact resolves
//!    some early; trust moves toward its resting level and loses what unresolved friction costs;
//! 6. the director: a conflict in the administration may break out or end; the director may
//!    leave (one draw against the competing hazards of every reason); an acting period may end
//!    with a recruit; a fixed-term contract may end;
//! 7. the merger reform, once, in merged municipalities.
//!
//! Municipalities do not interact, so each is simulated over its whole timeline on its own
//! (its state stays in cache), and the step reads and writes only this municipality's state.
//! Each process draws from its own stream (see `rng`), and most draw a fixed number of
//! numbers per month whatever the state, so scenarios that differ in one mechanism keep the
//! same elections, shocks and cases elsewhere.

pub mod population;

use rand_distr::{Distribution, Gamma};

use crate::foundation::calendar::Month;
use crate::foundation::rng::{self, Process, Stream, logistic};
use crate::model::population::{MEASURES, Measure, Traits, reference_log_population};
use crate::scenario::config::Config;

/// Why a director left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ExitReason {
    Retirement = 0,
    CareerMove = 1,
    ConflictWithPoliticians = 2,
    ConflictWithinAdministration = 3,
    DismissalOrNegotiatedExit = 4,
    IllnessOrDeath = 5,
    FixedTermEnded = 6,
    Other = 7,
}

pub const EXIT_REASONS: usize = 8;
/// Output names of the exit reasons, in `ExitReason` order.
pub const EXIT_REASON_NAMES: [&str; EXIT_REASONS] = [
    "retirement",
    "career_move",
    "conflict_with_politicians",
    "conflict_within_administration",
    "dismissal_or_negotiated_exit",
    "illness_or_death",
    "fixed_term_ended",
    "other",
];

impl ExitReason {
    const ALL: [ExitReason; EXIT_REASONS] = [
        ExitReason::Retirement,
        ExitReason::CareerMove,
        ExitReason::ConflictWithPoliticians,
        ExitReason::ConflictWithinAdministration,
        ExitReason::DismissalOrNegotiatedExit,
        ExitReason::IllnessOrDeath,
        ExitReason::FixedTermEnded,
        ExitReason::Other,
    ];
    pub fn name(self) -> &'static str {
        EXIT_REASON_NAMES[self as usize]
    }
    pub fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// Flag in `predecessor_reasons`: the post was created by the 2020 merger (no predecessor).
pub const NO_PREDECESSOR_MERGER: u16 = 1 << 8;
/// Flag in `predecessor_reasons`: the director was in post when the simulation began.
pub const PREDECESSOR_BEFORE_START: u16 = 1 << 9;

/// Director's contract.
pub const PERMANENT: u8 = 0;
pub const FIXED_TERM: u8 = 1;
pub const ACTING: u8 = 2;
pub const CONTRACT_NAMES: [&str; 3] = ["permanent", "fixed_term", "acting"];

/// Climate dimensions, in this order everywhere.
pub const PARTY_COOPERATION: usize = 0;
pub const PROFESSIONAL_CONDUCT: usize = 1;
pub const CLEAR_SIGNALS: usize = 2;

/// Role expectations in a zone: 0 professional independence, 1 dialogue, 2 political loyalty.
pub type Expectations = [u8; 4];

const NEVER: i32 = i32::MAX;

/// The kommunedirektør (or the acting director while the post is vacant).
#[derive(Debug, Clone, PartialEq)]
pub struct Director {
    pub birth: Month,
    pub in_post_since: Month,
    pub in_municipality_since: Month,
    pub woman: bool,
    /// 0 upper secondary, 1 university up to 4 years, 2 over 4 years.
    pub education: u8,
    /// 0 credit-bearing, 1 non-credit, 2 none.
    pub leadership_education: u8,
    /// Index into `config::categories::PREVIOUS_POST`.
    pub previous_post: u8,
    pub contract: u8,
    pub severance: bool,
    /// Reach into other municipalities' networks: pulls toward career moves.
    pub network: f64,
    /// Personal mobility (log scale), fixed at hiring.
    pub mobility: f64,
    /// How clearly the contract states result requirements and tasks (standardised), fixed at hiring.
    pub contract_clarity: f64,
    pub expectations: Expectations,
    /// End of a fixed-term contract, or of the acting period; `NEVER` otherwise.
    pub term_ends: i32,
}

impl Director {
    pub fn age(&self, t: Month) -> f64 {
        f64::from(t.0 - self.birth.0) / 12.0
    }
    pub fn years_in_post(&self, t: Month) -> f64 {
        f64::from(t.0 - self.in_post_since.0) / 12.0
    }
    pub fn years_in_municipality(&self, t: Month) -> f64 {
        f64::from(t.0 - self.in_municipality_since.0) / 12.0
    }
    pub fn is_acting(&self) -> bool {
        self.contract == ACTING
    }
}

/// What happened in one month, for the recorder.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MonthEvents {
    pub election: bool,
    pub new_mayor_at_election: bool,
    pub new_mayor_between_elections: bool,
    pub friction: u32,
    pub unresolved: u32,
    /// A director (not an acting one) left.
    pub exit: Option<Exit>,
}

/// A director's exit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exit {
    pub reason: ExitReason,
    /// Completed tenure in post, months.
    pub tenure_months: i32,
    /// Age on leaving, years.
    pub age: f64,
}

/// One municipality's agents and their state.
#[derive(Debug, Clone)]
pub struct Municipality {
    pub traits: Traits,
    // Council.
    pub parties_in_council: u32,
    pub coalition_parties: u32,
    pub last_election: Month,
    // Climate: persistent culture, this term's level, monthly drift, training lift.
    pub culture: [f64; 3],
    pub climate_level: [f64; 3],
    pub climate_drift: [f64; 3],
    pub training_lift: f64,
    // Mayor.
    pub mayor_since: Month,
    pub mayor_expectations: Expectations,
    // The mayor–director pair.
    pub informal_contact: u8,
    pub resting_trust: f64,
    pub trust: f64,
    pub role_clarity: f64,
    pub discretion: f64,
    /// Last election or arrival of a new mayor: dismissals are likelier soon after.
    pub last_political_turnover: Month,
    /// A conflict within the administration lasts until this month (exclusive).
    pub admin_conflict_until: i32,
    /// Monthly chance that such a conflict breaks out: fixed by the configuration and the
    /// municipality's hierarchy and forum, so computed once.
    admin_conflict_outbreak: f64,
    pub director: Director,
    /// Why the incumbent's predecessor left: `ExitReason` bits plus the flags above.
    pub predecessor_reasons: u16,
    /// The predecessor's main reason, if there was a predecessor in the simulation.
    pub predecessor_main_reason: Option<ExitReason>,
    /// Month of the next occurrence of each development measure (`NEVER` if none is due).
    next_measure: [i32; MEASURES],
    streams: Streams,
}

#[derive(Debug, Clone)]
struct Streams {
    politics: Stream,
    climate: Stream,
    cases: Stream,
    director: Stream,
    events: Stream,
}

/// Everything the monthly step needs that does not change during a run, derived once from the
/// configuration: decay factors, monthly rates.
#[derive(Debug, Clone)]
pub struct Derived {
    training_decay: f64,
    clarity_decay: f64,
    informal_resolution: [f64; 4],
    fixed_resolution: [f64; 4],
    mayor_exit_month: f64,
    cases: [f64; 4],
    after_election_months: i32,
    fixed_term_months: i32,
}

impl Derived {
    pub fn new(c: &Config) -> Derived {
        let half = |h: f64| 0.5f64.powf(1.0 / h);
        let ct = &c.contact;
        Derived {
            training_decay: half(c.climate.training_half_life_months),
            clarity_decay: half(c.friction.role_clarity_half_life_months),
            informal_resolution: [
                ct.informal_daily,
                ct.informal_several_per_week,
                ct.informal_weekly,
                ct.informal_rarer,
            ],
            fixed_resolution: [ct.fixed_weekly, ct.fixed_monthly, 0.0, 0.0],
            mayor_exit_month: 1.0 - (-c.politics.mayor_exit_per_year / 12.0).exp(),
            cases: [c.cases.administration, c.cases.organisation, c.cases.policy_making, c.cases.politics],
            after_election_months: c.exits.after_election_months.round() as i32,
            fixed_term_months: fixed_term_months(c),
        }
    }
}

/// Length of a fixed-term (åremål) contract in whole months.
fn fixed_term_months(config: &Config) -> i32 {
    (config.exits.fixed_term_years * 12.0).round() as i32
}

/// Frequency of leader-group forums as an intensity: none 0, rarer 1, monthly 2, weekly 3.
fn forum_intensity(code: u8) -> f64 {
    f64::from(3 - code.min(3))
}

impl Municipality {
    /// A municipality at the first simulated month: a fresh council, a mayor and a director
    /// already some years in post. The burn-in erases these starting values.
    pub fn new(config: &Config, traits: Traits, replication: u32) -> Municipality {
        let id = traits.id;
        let seed = config.seed;
        let mut streams = Streams {
            politics: rng::stream(seed, replication, id, Process::Politics),
            climate: rng::stream(seed, replication, id, Process::Climate),
            cases: rng::stream(seed, replication, id, Process::Cases),
            director: rng::stream(seed, replication, id, Process::Director),
            events: rng::stream(seed, replication, id, Process::Events),
        };
        let t0 = config.calendar.start;
        let cl = &config.climate;
        let mut culture = [0.0; 3];
        let shared = rng::normal(&mut streams.climate);
        for c in &mut culture {
            *c = cl.culture_sd
                * (cl.culture_shared.sqrt() * shared
                    + (1.0 - cl.culture_shared).sqrt() * rng::normal(&mut streams.climate));
        }
        let mut director = recruit(config, &mut streams.director, t0);
        // Already some years in post: shift the start back and age the director accordingly.
        let elapsed = (rng::uniform(&mut streams.director) * 120.0) as i32;
        director.in_post_since = Month(t0.0 - elapsed);
        director.in_municipality_since = Month(director.in_municipality_since.0 - elapsed);
        director.birth = Month(director.birth.0 - elapsed);
        let too_old = director.age(t0) - (config.exits.max_age - 1.0);
        if too_old > 0.0 {
            director.birth = Month(director.birth.0 + (too_old * 12.0).ceil() as i32);
        }
        let discretion = traits.discretion_base;
        let e = &config.exits;
        let outbreak_rate = e.admin_conflict_start_per_year
            * (e.admin_conflict_hierarchy_effect * (f64::from(traits.hierarchy_levels) - 3.0)
                + e.admin_conflict_forum_effect * forum_intensity(traits.leader_group_forum))
            .exp();
        let mut m = Municipality {
            traits,
            parties_in_council: 1,
            coalition_parties: 1,
            last_election: t0,
            culture,
            climate_level: [0.0; 3],
            climate_drift: [0.0; 3],
            training_lift: 0.0,
            mayor_since: t0,
            mayor_expectations: [0; 4],
            informal_contact: 1,
            resting_trust: 0.9,
            trust: 0.9,
            role_clarity: 0.0,
            discretion,
            last_political_turnover: t0,
            admin_conflict_until: 0,
            admin_conflict_outbreak: 1.0 - (-outbreak_rate / 12.0).exp(),
            director,
            predecessor_reasons: PREDECESSOR_BEFORE_START,
            predecessor_main_reason: None,
            next_measure: [NEVER; MEASURES],
            streams,
        };
        m.hold_election(config, t0);
        m.new_mayor(config, t0, PairCause::Mayor);
        m.trust = m.resting_trust;
        m
    }

    /// The climate this month: term level, drift and (for conduct and clarity) training's lift.
    #[inline]
    pub fn climate(&self) -> [f64; 3] {
        [
            self.climate_level[0] + self.climate_drift[0],
            self.climate_level[1] + self.climate_drift[1] + self.training_lift,
            self.climate_level[2] + self.climate_drift[2] + self.training_lift,
        ]
    }

    /// Cooperation quality on the survey's 1–5 scale: a linear image of trust.
    #[inline]
    pub fn cooperation(&self) -> f64 {
        1.0 + 4.0 * self.trust
    }

    /// Steps to in-between disagreement of mayor and director in each zone (0–2).
    pub fn role_mismatch(&self) -> [u8; 4] {
        std::array::from_fn(|z| self.mayor_expectations[z].abs_diff(self.director.expectations[z]))
    }

    pub fn in_admin_conflict(&self, t: Month) -> bool {
        t.0 < self.admin_conflict_until
    }

    /// Advances one month.
    pub fn step(&mut self, config: &Config, derived: &Derived, t: Month) -> MonthEvents {
        let mut ev = MonthEvents::default();

        // 1. Elections.
        if config.calendar.is_election(t) {
            ev.election = true;
            ev.new_mayor_at_election = self.hold_election(config, t);
        }

        // 2. A mayor leaving between elections (one draw every month).
        let u = rng::uniform(&mut self.streams.politics);
        if !ev.election && u < derived.mayor_exit_month {
            self.new_mayor(config, t, PairCause::Mayor);
            ev.new_mayor_between_elections = true;
        }

        // 3. Climate drift and training's fading lift.
        let cl = &config.climate;
        for d in &mut self.climate_drift {
            *d = cl.drift_persistence * *d + cl.drift_sd * rng::normal(&mut self.streams.climate);
        }
        self.training_lift *= derived.training_decay;
        self.role_clarity *= derived.clarity_decay;

        // 4. Development measures due this month.
        if self.next_measure.contains(&t.0) {
            for k in 0..MEASURES {
                if self.next_measure[k] == t.0 {
                    self.hold_measure(config, k);
                    self.next_measure[k] = if self.traits.measures[k] == 0 { t.0 + 12 } else { NEVER };
                }
            }
        }

        // 5. Cases, friction and trust.
        self.cases_and_trust(config, derived, &mut ev);

        // 6. The director.
        self.director_month(config, derived, t, &mut ev);

        // 7. The merger reform.
        if t == config.calendar.merger
            && self.traits.merged
            && rng::uniform(&mut self.streams.events) < config.exits.merger_new_director_probability
        {
            if !self.director.is_acting() {
                ev.exit = Some(Exit {
                    reason: ExitReason::Other,
                    tenure_months: t.0 - self.director.in_post_since.0,
                    age: self.director.age(t),
                });
            }
            let next = recruit(config, &mut self.streams.director, t);
            self.appoint(config, t, next);
            self.predecessor_reasons = NO_PREDECESSOR_MERGER;
            self.predecessor_main_reason = None;
        }
        ev
    }

    /// Seats, governing base, climate for the new term, perhaps a new mayor. Returns whether
    /// the mayor changed.
    fn hold_election(&mut self, config: &Config, t: Month) -> bool {
        let p = &config.politics;
        let rng = &mut self.streams.politics;
        let seats = self.traits.council_seats;
        let years = f64::from(t.year()) + f64::from(t.month0()) / 12.0 - p.fragmentation_reference_year;
        let mean_lists = p.parties_intercept
            + p.parties_per_log_seat * f64::from(seats).ln()
            + p.parties_per_log_population * (self.traits.log_population - reference_log_population())
            + p.fragmentation_trend_per_decade * years / 10.0;
        let lists = (mean_lists + p.parties_noise_sd * rng::normal(rng))
            .round()
            .clamp(1.0, f64::from(seats.min(15))) as usize;

        // Electoral strength of each list, then seats by modified Sainte-Laguë (first divisor 1.4).
        let gamma = Gamma::new(p.party_strength_shape, 1.0).expect("shape validated positive");
        let mut votes = [0.0f64; 15];
        for v in votes.iter_mut().take(lists) {
            *v = gamma.sample(rng).max(1e-9);
        }
        let mut won = [0u32; 15];
        for _ in 0..seats {
            let mut best = 0;
            let mut best_q = -1.0;
            for i in 0..lists {
                let divisor = if won[i] == 0 { 1.4 } else { f64::from(2 * won[i] + 1) };
                let q = votes[i] / divisor;
                if q > best_q {
                    best_q = q;
                    best = i;
                }
            }
            won[best] += 1;
        }
        let mut held: Vec<u32> = won[..lists].iter().copied().filter(|&s| s > 0).collect();
        held.sort_unstable_by(|a, b| b.cmp(a));
        let parties = held.len() as u32;

        // The governing base: the largest parties until they hold a majority, perhaps one more.
        let mut sum = 0;
        let mut base = 0;
        for s in &held {
            sum += s;
            base += 1;
            if 2 * sum > seats {
                break;
            }
        }
        // Broad governing bases are common: each further party joins with the same chance
        // (three draws always, so the stream's use does not depend on the outcome).
        let surplus = [rng::uniform(rng), rng::uniform(rng), rng::uniform(rng)];
        base += surplus.iter().take_while(|&&u| u < p.surplus_party_probability).count() as u32;
        base = (base + p.extra_coalition_parties).min(parties).max(1);
        // A fixed governing base (a sweep lever) brings the parties it needs into the council.
        let parties = if p.fixed_coalition_parties > 0 {
            parties.max(p.fixed_coalition_parties.min(seats))
        } else {
            parties
        };
        if p.fixed_coalition_parties > 0 {
            base = p.fixed_coalition_parties.min(parties);
        }
        self.parties_in_council = parties;
        self.coalition_parties = base;
        self.last_election = t;
        self.last_political_turnover = t;

        let p_new = (p.new_mayor_base + p.new_mayor_per_coalition_party * f64::from(base - 1)).min(1.0);
        let new_mayor = rng::uniform(rng) < p_new;

        // Climate for the new term: culture evolves, the election shifts the climate, and a
        // broader governing base pulls every dimension down.
        let cl = &config.climate;
        let crng = &mut self.streams.climate;
        let rho = cl.culture_persistence;
        let innovation_scale = (1.0 - rho * rho).sqrt() * cl.culture_sd;
        let shared = rng::normal(crng);
        let shock_shared = rng::normal(crng);
        let at_one = [cl.cooperation_at_one_party, cl.conduct_at_one_party, cl.clarity_at_one_party];
        let per_party = [cl.cooperation_per_party, cl.conduct_per_party, cl.clarity_per_party];
        for k in 0..3 {
            let own = rng::normal(crng);
            self.culture[k] = rho * self.culture[k]
                + innovation_scale
                    * (cl.culture_shared.sqrt() * shared + (1.0 - cl.culture_shared).sqrt() * own);
            let shock = cl.election_shock_sd
                * (cl.election_shock_shared.sqrt() * shock_shared
                    + (1.0 - cl.election_shock_shared).sqrt() * rng::normal(crng));
            self.climate_level[k] = at_one[k] + per_party[k] * f64::from(base - 1) + self.culture[k] + shock;
        }

        self.schedule_term(config, t);
        if new_mayor {
            self.new_mayor(config, t, PairCause::Mayor);
        }
        new_mayor
    }

    /// Schedules the development measures of the term that starts at election month `t`:
    /// annual ones at their month every year, once-a-term ones in the first full year after
    /// the election, "rarer" ones there too with some chance.
    fn schedule_term(&mut self, config: &Config, t: Month) {
        let first_full_year = t.year() + 1;
        for k in 0..MEASURES {
            let month_in_year = (rng::uniform(&mut self.streams.events) * 12.0) as i32;
            let held_this_term =
                rng::uniform(&mut self.streams.events) < config.development.rarer_per_term_probability;
            let in_first_year = Month::new(first_full_year, 1).0 + month_in_year;
            self.next_measure[k] = match self.traits.measures[k] {
                0 => {
                    let m = i32::from(self.traits.measure_month[k]);
                    let this_year = Month::new(t.year(), 1).0 + m;
                    if this_year > t.0 { this_year } else { this_year + 12 }
                }
                1 => in_first_year,
                2 if held_this_term => in_first_year,
                _ => NEVER,
            };
        }
    }

    fn hold_measure(&mut self, config: &Config, k: usize) {
        let d = &config.development;
        match k {
            k if k == Measure::DelegationReview as usize => {
                self.realign(d.delegation_review_realign);
                self.role_clarity = self.role_clarity.max(d.delegation_review_clarity);
                // Politicians delegate more to a director they trust.
                self.discretion =
                    self.traits.discretion_base + d.discretion_trust_response * (self.trust - 0.8);
            }
            k if k == Measure::MeetingRoutinesReview as usize => {
                self.role_clarity = (self.role_clarity + d.routines_review_clarity).min(1.0);
            }
            k if k == Measure::RoleUnderstandingMeetings as usize => self.realign(d.role_meeting_realign),
            k if k == Measure::InterMunicipalLearning as usize || k == Measure::DirectorRelease as usize => {
                self.director.network += d.network_gain;
            }
            k if k == Measure::CouncillorTraining as usize => {
                self.training_lift += config.climate.training_effect;
            }
            _ => {
                // Development conversation.
                let effectiveness = match self.traits.conversation_form {
                    0 => 1.0,
                    1 => d.conversation_formannskap_effectiveness,
                    _ => d.conversation_other_effectiveness,
                };
                let gap = self.resting_trust - self.trust;
                if gap > 0.0 {
                    self.trust += (d.conversation_repair * effectiveness).min(1.0) * gap;
                }
                self.realign((d.conversation_realign * effectiveness).min(1.0));
            }
        }
    }

    /// In each zone where mayor and director disagree, with chance `p` one adopts the other's view.
    fn realign(&mut self, p: f64) {
        for z in 0..4 {
            let happens = rng::uniform(&mut self.streams.events) < p;
            let mayor_yields = rng::uniform(&mut self.streams.events) < 0.5;
            if happens && self.mayor_expectations[z] != self.director.expectations[z] {
                if mayor_yields {
                    self.mayor_expectations[z] = self.director.expectations[z];
                } else {
                    self.director.expectations[z] = self.mayor_expectations[z];
                }
            }
        }
    }

    fn new_mayor(&mut self, config: &Config, t: Month, cause: PairCause) {
        let rng = &mut self.streams.politics;
        for z in 0..4 {
            self.mayor_expectations[z] = config.roles.mayor[z].pick(rng::uniform(rng));
        }
        self.mayor_since = t;
        self.last_political_turnover = t;
        self.new_pair(config, cause);
    }

    /// A new mayor–director pair forms: its chemistry and how often the two meet informally.
    fn new_pair(&mut self, config: &Config, cause: PairCause) {
        let rng = match cause {
            PairCause::Mayor => &mut self.streams.politics,
            PairCause::Director => &mut self.streams.director,
        };
        let chemistry = rng::normal(rng);
        let informal_u = rng::uniform(rng);
        self.resting_trust = logistic(config.trust.base + config.trust.chemistry_sd * chemistry);
        self.informal_contact = config.practices.informal_contact.pick(informal_u);
        match cause {
            PairCause::Mayor => {
                let reset = config.trust.new_mayor_reset;
                self.trust = (1.0 - reset) * self.trust + reset * self.resting_trust;
            }
            PairCause::Director => self.trust = self.resting_trust,
        }
    }

    fn cases_and_trust(&mut self, config: &Config, derived: &Derived, ev: &mut MonthEvents) {
        let f = &config.friction;
        let [coop, conduct, clarity] = self.climate();
        let mismatch = self.role_mismatch();
        let common = f.base + f.unclear_signals * (-clarity) + f.distrust * (1.0 - self.trust)
            - f.role_clarity * self.role_clarity;
        let distance = f64::from(self.traits.office_distance);
        let micro = f.micromanagement * (-conduct) - f.office_distance * distance;
        let party = f.party_conflict * (-coop);
        let recommends = if self.traits.who_recommends == 0 { f.director_recommends } else { 0.0 };
        let eta = [
            common + micro - f.discretion * self.discretion,
            common + micro,
            common + party + recommends,
            common + party,
        ];
        let mut mean = 0.0;
        for z in 0..4 {
            mean += derived.cases[z] * logistic(eta[z] + f.role_mismatch * f64::from(mismatch[z]));
        }
        let rng = &mut self.streams.cases;
        let friction = if mean < 25.0 {
            rng::poisson_small(rng, mean)
        } else {
            rand_distr::Poisson::new(mean).map_or(0, |p| p.sample(rng) as u32)
        };
        let resolve = 1.0
            - (1.0 - derived.informal_resolution[self.informal_contact as usize])
                * (1.0 - derived.fixed_resolution[self.traits.fixed_meetings as usize]);
        let mut unresolved = 0;
        for _ in 0..friction {
            if rng::uniform(rng) >= resolve {
                unresolved += 1;
            }
        }
        let resolved = friction - unresolved;
        let tr = &config.trust;
        self.trust += tr.recovery_per_month * (self.resting_trust - self.trust)
            - tr.unresolved_friction_cost * f64::from(unresolved)
            - tr.resolved_friction_cost * f64::from(resolved)
            + tr.noise_sd * rng::normal(rng);
        self.trust = self.trust.clamp(0.0, 1.0);
        ev.friction = friction;
        ev.unresolved = unresolved;
    }

    /// The director's pull toward a career move (log scale): what the survey's "plans to leave"
    /// will measure, and what drives career exits. Younger directors, long education, wide
    /// networks, lost trust and unclear signals pull; roots in the municipality, a large
    /// municipality and an active leader-group forum hold.
    pub fn career_pull(&self, config: &Config, t: Month) -> f64 {
        let e = &config.exits;
        let d = &self.director;
        e.career_age_effect * (50.0 - d.age(t)) / 10.0
            + e.career_years_in_municipality_effect * d.years_in_municipality(t) / 10.0
            + e.career_log_population_effect * (self.traits.log_population - reference_log_population())
            + e.career_network_effect * d.network
            + if d.education == 2 { e.career_education_effect } else { 0.0 }
            + e.career_distrust_effect * (1.0 - self.trust)
            + e.career_unclear_signals_effect * (-self.climate()[CLEAR_SIGNALS])
            + e.career_forum_effect * forum_intensity(self.traits.leader_group_forum)
            + d.mobility
    }

    /// Yearly hazard rates of each exit reason for the director in post this month.
    pub fn exit_hazards(&self, config: &Config, derived: &Derived, t: Month) -> [f64; EXIT_REASONS] {
        let e = &config.exits;
        let d = &self.director;
        let age = d.age(t);
        let trust = self.trust;
        let mut h = [0.0; EXIT_REASONS];
        h[ExitReason::Retirement as usize] =
            logistic((age - e.retirement_midpoint_age) / e.retirement_spread_years);
        h[ExitReason::IllnessOrDeath as usize] =
            e.illness_per_year_at_55 * (e.illness_age_slope * (age - 55.0)).exp();
        let pull = self.career_pull(config, t);
        h[ExitReason::CareerMove as usize] = e.career_per_year * pull.min(10.0).exp();
        let conflict = e.conflict_exit_max_per_year
            * logistic((e.conflict_exit_trust_threshold - trust) / e.conflict_exit_trust_spread);
        h[ExitReason::ConflictWithPoliticians as usize] =
            conflict * if d.severance { e.severance_conflict_multiplier } else { 1.0 };
        let after_turnover = t.0 - self.last_political_turnover.0 < derived.after_election_months;
        h[ExitReason::DismissalOrNegotiatedExit as usize] = e.dismissal_max_per_year
            * logistic((e.dismissal_trust_threshold - trust) / e.dismissal_trust_spread)
            * if after_turnover { e.dismissal_after_election_multiplier } else { 1.0 }
            * if d.severance { e.severance_dismissal_multiplier } else { 1.0 };
        h[ExitReason::ConflictWithinAdministration as usize] =
            if self.in_admin_conflict(t) { e.admin_conflict_exit_per_year } else { 0.0 };
        h[ExitReason::Other as usize] = e.other_per_year;
        h
    }

    fn director_month(&mut self, config: &Config, derived: &Derived, t: Month, ev: &mut MonthEvents) {
        let e = &config.exits;
        // Conflicts within the administration break out and fade (one draw a month).
        let u_admin = rng::uniform(&mut self.streams.director);
        if !self.in_admin_conflict(t) && u_admin < self.admin_conflict_outbreak {
            self.admin_conflict_until =
                t.0 + rng::geometric_months(&mut self.streams.director, e.admin_conflict_mean_months);
        }

        // One draw a month decides whether and why the director leaves.
        let u_exit = rng::uniform(&mut self.streams.director);
        if self.director.is_acting() {
            if t.0 >= self.director.term_ends {
                self.end_acting_period(config, t);
            }
            return;
        }
        let age = self.director.age(t);
        let exit = if age >= e.max_age {
            Some(ExitReason::Retirement)
        } else {
            let h = self.exit_hazards(config, derived, t);
            let total: f64 = h.iter().sum();
            let p = 1.0 - (-total / 12.0).exp();
            if u_exit < p {
                // Reuse the draw: given an exit, u_exit / p is uniform on [0, 1).
                let target = u_exit / p * total;
                let mut acc = 0.0;
                let mut reason = ExitReason::Other;
                for r in ExitReason::ALL {
                    acc += h[r as usize];
                    if target < acc {
                        reason = r;
                        break;
                    }
                }
                Some(reason)
            } else if self.director.contract == FIXED_TERM && t.0 >= self.director.term_ends {
                let not_renewed =
                    (e.fixed_term_nonrenewal + e.fixed_term_distrust_effect * (1.0 - self.trust)).min(1.0);
                if rng::uniform(&mut self.streams.director) < not_renewed {
                    Some(ExitReason::FixedTermEnded)
                } else {
                    self.director.term_ends += derived.fixed_term_months;
                    None
                }
            } else {
                None
            }
        };
        if let Some(reason) = exit {
            self.director_leaves(config, t, reason, ev);
        }
    }

    fn director_leaves(&mut self, config: &Config, t: Month, reason: ExitReason, ev: &mut MonthEvents) {
        let e = &config.exits;
        let mut reasons = reason.bit();
        if self.trust < e.conflict_reason_trust_below {
            reasons |= ExitReason::ConflictWithPoliticians.bit();
        }
        if self.director.age(t) >= e.retirement_reason_age_from {
            reasons |= ExitReason::Retirement.bit();
        }
        if self.in_admin_conflict(t) {
            reasons |= ExitReason::ConflictWithinAdministration.bit();
        }
        ev.exit = Some(Exit {
            reason,
            tenure_months: t.0 - self.director.in_post_since.0,
            age: self.director.age(t),
        });
        self.predecessor_reasons = reasons;
        self.predecessor_main_reason = Some(reason);
        self.admin_conflict_until = 0;
        let acting_months =
            rng::geometric_months(&mut self.streams.director, config.recruitment.acting_months_mean);
        let mut next = recruit(config, &mut self.streams.director, t);
        if acting_months > 0 {
            next.contract = ACTING;
            next.term_ends = t.0 + acting_months;
        }
        self.appoint(config, t, next);
    }

    /// The acting period ends: the acting director is appointed, or a recruit starts.
    fn end_acting_period(&mut self, config: &Config, t: Month) {
        let rng = &mut self.streams.director;
        let keep = rng::uniform(rng) < config.recruitment.acting_hired_probability;
        let recruit_draw = recruit(config, rng, t);
        if keep {
            let d = &mut self.director;
            d.contract = if recruit_draw.contract == FIXED_TERM { FIXED_TERM } else { PERMANENT };
            d.severance = recruit_draw.severance;
            d.contract_clarity = recruit_draw.contract_clarity;
            d.in_post_since = t;
            d.term_ends = if d.contract == FIXED_TERM { t.0 + fixed_term_months(config) } else { NEVER };
        } else {
            self.appoint(config, t, recruit_draw);
        }
    }

    fn appoint(&mut self, config: &Config, t: Month, director: Director) {
        self.director = director;
        self.director.in_post_since = t;
        self.new_pair(config, PairCause::Director);
    }

    /// Checks the state's invariants; the tests call it every month.
    pub fn check_invariants(&self, config: &Config, t: Month) -> Result<(), String> {
        let d = &self.director;
        let fail = |what: String| Err(format!("municipality {} at {t}: {what}", self.traits.id));
        if d.is_acting() != (d.contract == ACTING) || (d.is_acting() && d.term_ends == NEVER) {
            return fail("an acting director without an end to the acting period".into());
        }
        if d.contract == PERMANENT && d.term_ends != NEVER {
            return fail("a permanent director with a term end".into());
        }
        if d.in_post_since > t || d.in_municipality_since > d.in_post_since {
            return fail(format!(
                "director in post since {} and in the municipality since {}",
                d.in_post_since, d.in_municipality_since
            ));
        }
        let age = d.age(t);
        if !(18.0..=config.exits.max_age + 1.0).contains(&age) {
            return fail(format!("director aged {age:.1}"));
        }
        if d.age(d.in_municipality_since) < 18.0 {
            return fail("director came to the municipality before turning 18".into());
        }
        if !(0.0..=1.0).contains(&self.trust) || !(0.0..=1.0).contains(&self.resting_trust) {
            return fail(format!("trust {} (resting {})", self.trust, self.resting_trust));
        }
        if !(1..=self.parties_in_council).contains(&self.coalition_parties)
            || self.parties_in_council > self.traits.council_seats
        {
            return fail(format!(
                "{} parties in a base of {} with {} seats",
                self.coalition_parties, self.parties_in_council, self.traits.council_seats
            ));
        }
        if self.mayor_since > t || self.last_election > t {
            return fail("mayor or election in the future".into());
        }
        if self.climate().iter().any(|c| !c.is_finite()) {
            return fail("climate not finite".into());
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy)]
enum PairCause {
    Mayor,
    Director,
}

/// Draws a recruit for the post, background by the career-path shares. Every recruit consumes
/// the same number of draws, whatever their background, so later draws of the stream do not
/// depend on who was recruited.
fn recruit(config: &Config, rng: &mut Stream, t: Month) -> Director {
    let r = &config.recruitment;
    let c = &config.careers;
    let previous_post = c.previous_post.pick(rng::uniform(rng));
    let age = (r.age_mean + r.age_sd * rng::normal(rng)).clamp(r.age_min, r.age_max);
    let woman = rng::uniform(rng) < r.women_share;
    let education = c.education.pick(rng::uniform(rng));
    let leadership_education = c.leadership_education.pick(rng::uniform(rng));
    let fixed_term = rng::uniform(rng) < r.fixed_term_share;
    let severance = rng::uniform(rng) < r.severance_share;
    let mobility = config.exits.career_personal_sd * rng::normal(rng);
    let contract_clarity = rng::normal(rng);
    let mut expectations = [0u8; 4];
    for (z, e) in expectations.iter_mut().enumerate() {
        *e = config.roles.director[z].pick(rng::uniform(rng));
    }
    let internal_years = -r.internal_years_in_municipality_mean * (1.0 - rng::uniform(rng)).ln();
    let birth = Month(t.0 - (age * 12.0).round() as i32);
    // Internal recruits (another post in the same municipality) arrive with years there
    // already, but not from before they were 20.
    let internal = previous_post == 1;
    let years_before = if internal { internal_years.min(age - 20.0).max(0.0) } else { 0.0 };
    let network = match previous_post {
        0 => r.network_same_post,
        3 => r.network_other_municipality,
        _ => r.network_other,
    };
    Director {
        birth,
        in_post_since: t,
        in_municipality_since: Month(t.0 - (years_before * 12.0).round() as i32),
        woman,
        education,
        leadership_education,
        previous_post,
        contract: if fixed_term { FIXED_TERM } else { PERMANENT },
        severance,
        network,
        mobility,
        contract_clarity,
        expectations,
        term_ends: if fixed_term { t.0 + fixed_term_months(config) } else { NEVER },
    }
}
