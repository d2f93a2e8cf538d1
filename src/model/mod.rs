//! The agents of one municipality and their monthly step.
//!
//! A `Municipality` is composed of parts, each a type with its own methods in its own file:
//! its fixed `Traits` (`population`), its `Council` and elections (`council`), the council's
//! `Climate` (`climate`), the `Mayor` and the mayor–director `Relationship` (`relationship`),
//! the `Director` and recruitment (`director`), exits and succession (`exits`), and the
//! development measures it holds (`development`). This file owns the composition, the random
//! streams and the order of the monthly step; the parts touch only their own state, and what
//! crosses parts (a new mayor forms a new pair, an exit appoints a successor) happens here or
//! in an `impl Municipality` block of the part that starts it.
//!
//! Municipalities live in a `World` (`world`): the register's municipalities of one replication,
//! stepped month by month in lockstep, and a labour market for directors (`market`) that fills
//! vacancies after every municipality has had its month, so directors move between them.
//!
//! `Municipality::step` advances one municipality's month, in this order:
//!
//! 1. election (every `election_interval_months` on the real calendar): seats, governing base,
//!    climate shift, perhaps a new mayor, the term's development measures scheduled;
//! 2. a mayor leaving between elections;
//! 3. the climate drifts; councillor training's lift and the newcomers' inexperience fade;
//! 4. scheduled development measures are held (reviews, conversations, training, …);
//! 5. the pair learns its match and its working agreement fades; cases arrive in the four
//!    zones; some turn into friction; informal contact resolves some early; trust moves toward
//!    its resting level and loses what unresolved friction costs;
//! 6. the director: a conflict in the administration may break out or end; the director's
//!    intention to move is formed; the director may leave (the competing hazards of every
//!    reason, by thinning under their ceiling: `hazards`); an acting period may end, which
//!    hands the post to the market; a fixed-term contract may end;
//! 7. the merger reform, once, in merged municipalities.
//!
//! The step reads and writes only this municipality's state; what crosses municipalities
//! (a director hired away) happens in the market phase of `World::step`, in a fixed order.
//! Each process draws from its own stream (see `rng`): the climate a fixed number of numbers
//! per month, the processes with a hazard (a mayor leaving between elections, a conflict in the
//! administration breaking out, the cases that turn into friction, a director's candidate exits)
//! on exponential clocks that draw only at their events. So scenarios that differ in one
//! mechanism keep the same elections, shocks and cases elsewhere, and a quiet month draws little.

pub mod climate;
pub mod council;
pub mod development;
pub mod director;
pub mod exits;
pub mod facts;
pub mod hazards;
#[cfg(test)]
mod invariants;
pub mod market;
pub mod population;
pub mod register;
pub mod relationship;
pub mod world;

use crate::foundation::calendar::Month;
use crate::foundation::fastmath;
use crate::foundation::rng::{self, Clock, Process, Stream};
use crate::scenario::categories::{Category, Expectations, InformalContact};
use crate::scenario::config::Config;

use climate::Climate;
use council::Council;
use development::{Measure, Schedule};
use director::Director;
use exits::{AdminConflict, Exit, ExitReason, Predecessor};
use population::Traits;
use relationship::{Mayor, PairCause, Relationship};

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
    /// The acting period is over: the post goes to the market this month.
    pub search_ends: bool,
    /// The post went to the sitting director of this municipality (its index in the world).
    pub recruited_from: Option<u32>,
}

/// One municipality's agents and their state.
#[derive(Debug, Clone)]
pub struct Municipality {
    pub(crate) traits: Traits,
    pub(crate) council: Council,
    pub(crate) climate: Climate,
    pub(crate) mayor: Mayor,
    pub(crate) pair: Relationship,
    pub(crate) director: Director,
    pub(crate) admin_conflict: AdminConflict,
    /// Who held the post before the incumbent.
    pub(crate) predecessor: Predecessor,
    pub(crate) schedule: Schedule,
    /// The market for director posts as the director sees it: the log of the recent vacancies
    /// the director could move up to, set by the world every month.
    pub(crate) market_openness: f64,
    /// The director's intention to move this month (log scale; see `exits::intention`).
    pub(crate) intention: f64,
    /// e^min(intention, 10): the intention as a rate, for the career hazard and the market.
    pub(crate) mobility: f64,
    /// Until the next candidate exit of the director in post (`hazards::hazard_exit`).
    pub(crate) exit_clock: Clock,
    pub(crate) streams: Streams,
}

/// The random streams of one municipality, one per process (see `foundation::rng`).
#[derive(Debug, Clone)]
pub(crate) struct Streams {
    pub(crate) politics: Stream,
    climate: Stream,
    cases: Stream,
    pub(crate) director: Stream,
    events: Stream,
    /// This municipality's vacancies on the labour market (`market`): whether a search
    /// succeeds, whom it finds. Its own stream, so a vacancy elsewhere shifts none of its draws.
    pub(crate) market: Stream,
}

/// Everything the monthly step needs that does not change during a run, derived once from the
/// configuration: decay factors, monthly rates.
#[derive(Debug, Clone)]
pub struct Derived {
    training_decay: f64,
    clarity_decay: f64,
    experience_decay: f64,
    pub(crate) agreement_decay: f64,
    /// Share of a new pair's chemistry known after m months, while it is still learning.
    pub(crate) learned: Vec<f64>,
    pub(crate) informal_resolution: [f64; 4],
    pub(crate) fixed_resolution: [f64; 4],
    /// A mayor's hazard of leaving between elections, per month.
    mayor_exit_hazard: f64,
    pub(crate) cases: [f64; 4],
    pub(crate) after_election_months: i32,
    pub(crate) fixed_term_months: i32,
    /// What the upper bound of the exit hazards needs (`hazards::Ceilings`).
    pub(crate) ceilings: hazards::Ceilings,
    /// (27 / seats)^`exits.dismissal_council_size_effect` by council seats, and the effect.
    dismissal_size: Vec<f64>,
    dismissal_size_effect: f64,
}

impl Derived {
    pub fn new(c: &Config) -> Derived {
        let half = |h: f64| 0.5f64.powf(1.0 / h);
        let ct = &c.contact;
        Derived {
            training_decay: half(c.climate.training_half_life_months),
            clarity_decay: half(c.friction.role_clarity_half_life_months),
            experience_decay: half(c.climate.experience_half_life_months),
            agreement_decay: half(c.development.agreement_half_life_months),
            learned: (0..)
                .map(|m| 1.0 - (-f64::from(m) / c.trust.learning_months).exp())
                .take_while(|k| *k < 0.999)
                .collect(),
            informal_resolution: [
                ct.informal_daily,
                ct.informal_several_per_week,
                ct.informal_weekly,
                ct.informal_rarer,
            ],
            fixed_resolution: [ct.fixed_weekly, ct.fixed_monthly, 0.0, 0.0],
            mayor_exit_hazard: c.politics.mayor_exit_per_year / 12.0,
            cases: [c.cases.administration, c.cases.organisation, c.cases.policy_making, c.cases.politics],
            after_election_months: c.exits.after_election_months.round() as i32,
            fixed_term_months: director::fixed_term_months(c),
            ceilings: hazards::Ceilings::new(&c.exits),
            dismissal_size: (0..=MAX_TABULATED_SEATS)
                .map(|s| dismissal_size(c.exits.dismissal_council_size_effect, s))
                .collect(),
            dismissal_size_effect: c.exits.dismissal_council_size_effect,
        }
    }

    /// (27 / seats)^`exits.dismissal_council_size_effect`: a small council dismisses sooner.
    #[inline]
    pub(crate) fn dismissal_council_size(&self, seats: u32) -> f64 {
        match self.dismissal_size.get(seats as usize) {
            Some(&f) => f,
            None => dismissal_size(self.dismissal_size_effect, seats),
        }
    }
}

/// Council sizes up to which `Derived` tabulates the dismissal factor (the largest council in
/// Norway has 77 seats).
const MAX_TABULATED_SEATS: u32 = 127;

/// (27 / seats)^`effect`.
fn dismissal_size(effect: f64, seats: u32) -> f64 {
    const LN_27: f64 = 3.295_836_866_004_329;
    fastmath::exp(effect * (LN_27 - f64::from(seats).ln()))
}

impl Municipality {
    /// A municipality at the first simulated month: a fresh council, a mayor and a director
    /// already some years in post. The burn-in erases these starting values.
    pub(crate) fn new(config: &Config, traits: Traits, replication: u32) -> Municipality {
        let (id, seed) = (traits.id, config.seed);
        let mut streams = Streams {
            politics: rng::stream(seed, replication, id, Process::Politics),
            climate: rng::stream(seed, replication, id, Process::Climate),
            cases: rng::stream(seed, replication, id, Process::Cases),
            director: rng::stream(seed, replication, id, Process::Director),
            events: rng::stream(seed, replication, id, Process::Events),
            market: rng::stream(seed, replication, id, Process::Market),
        };
        let t0 = config.calendar.start;
        let climate = Climate::new(&config.climate, &mut streams.climate);
        let mut director = Director::recruit(config, &mut streams.director, t0, &traits.role_culture);
        // Already some years in post: shift the start back and age the director accordingly.
        let elapsed = (rng::uniform(&mut streams.director) * 120.0) as i32;
        director.in_post_since = Month(t0.0 - elapsed);
        director.in_municipality_since = Month(director.in_municipality_since.0 - elapsed);
        director.birth = Month(director.birth.0 - elapsed);
        let too_old = director.age(t0) - (config.exits.max_age - 1.0);
        if too_old > 0.0 {
            director.birth = Month(director.birth.0 + (too_old * 12.0).ceil() as i32);
        }
        let mut m = Municipality {
            council: Council::new(t0),
            climate,
            mayor: Mayor::new(t0, &mut streams.politics),
            pair: Relationship::new(traits.discretion_base, t0, &mut streams.cases),
            director,
            admin_conflict: AdminConflict::new(
                &config.exits,
                traits.hierarchy_levels,
                traits.leader_group_forum,
                &mut streams.director,
            ),
            predecessor: Predecessor::BeforeStart,
            schedule: Schedule::empty(),
            market_openness: 0.0,
            intention: 0.0,
            mobility: 1.0,
            exit_clock: Clock::wound(&mut streams.director),
            traits,
            streams,
        };
        m.hold_election(config, t0);
        m.new_mayor(config, t0);
        m
    }

    /// The municipality adopts the reform `reform` of the scenario `parent` in month `t`, before
    /// the month's step: each practice whose distribution the reform changes is drawn again from
    /// the reform's with the uniform it was drawn with (common random numbers; the pair's informal
    /// contact too), the others stay as they are; the term's schedule follows the new
    /// frequencies and the administration's conflict hazard the new forum; a reform of role
    /// expectations reaches the mayor and director in office. From now on its months run on
    /// `reform` (`World::step_in`).
    #[cold]
    #[inline(never)]
    pub(crate) fn adopt(&mut self, parent: &Config, reform: &Config, replication: u32, t: Month) {
        let before = self.traits.measures;
        let fresh = population::draw_member(reform, replication, self.traits.id, self.traits.entry);
        population::adopt_practices(&mut self.traits, fresh, &parent.practices, &reform.practices);
        if parent.practices.informal_contact != reform.practices.informal_contact {
            self.pair.informal_contact = reform.practices.informal_contact.pick(self.pair.informal_u);
        }
        // A reform of role expectations reaches the mayor and director in office: their
        // dispositions keep their rank and are read against the reform's shares, and the pair's
        // mismatch follows (trust carries on).
        if parent.roles != reform.roles {
            self.mayor.expectations =
                relationship::expectations(&self.mayor.dispositions, &reform.roles.mayor);
            self.director.expectations =
                relationship::expectations(&self.director.dispositions, &reform.roles.director);
            self.pair.mismatch =
                relationship::mismatch(&self.mayor.expectations, &self.director.expectations);
        }
        self.practices_changed(&reform.exits, &before, t);
    }

    /// After the practices changed in month `t` (`before`: the measures' frequencies they had):
    /// the term's schedule and the administration's conflict hazard follow them.
    pub(crate) fn practices_changed(
        &mut self,
        e: &crate::scenario::params::Exits,
        before: &development::PerMeasure<crate::scenario::categories::HowOften>,
        t: Month,
    ) {
        self.schedule.adopt(before, &self.traits, t);
        let tr = &self.traits;
        self.admin_conflict.reset_outbreak(e, tr.hierarchy_levels, tr.leader_group_forum);
    }

    /// Advances one month; `ev` receives what happened.
    pub(crate) fn step(&mut self, config: &Config, derived: &Derived, t: Month, ev: &mut MonthEvents) {
        *ev = MonthEvents::default();

        // 1. Elections.
        if config.calendar.is_election(t) {
            ev.election = true;
            ev.new_mayor_at_election = self.hold_election(config, t);
        }

        // 2. A mayor leaving between elections (the mayor's clock runs outside election months).
        if !ev.election && self.mayor.leaving.tick(derived.mayor_exit_hazard) {
            self.new_mayor(config, t);
            ev.new_mayor_between_elections = true;
        }

        // 3. Climate drift and training's fading lift; role clarity fades too.
        self.climate.month(
            &config.climate,
            derived.training_decay,
            derived.experience_decay,
            &mut self.streams.climate,
        );
        self.pair.role_clarity *= derived.clarity_decay;

        // 4. Development measures due this month.
        if self.schedule.any_due(t) {
            for &k in Measure::ALL {
                if self.schedule.is_due(k, t) {
                    self.hold_measure(config, k);
                    self.schedule.held(k, self.traits.measures[k], t);
                }
            }
        }

        // 5. The pair learns its match and its working agreement fades; cases, friction, trust.
        self.pair.month(config, derived, t);
        let (friction, unresolved) = self.pair.cases_month(
            config,
            derived,
            &self.traits,
            self.climate.current(),
            &mut self.streams.cases,
        );
        ev.friction = friction;
        ev.unresolved = unresolved;

        // 6. The director.
        self.director_month(config, derived, t, ev);

        // 7. The merger reform.
        if t == config.calendar.merger && self.traits.merged {
            self.merge(config, t, ev);
        }
    }

    /// The merger reform in a merged municipality: perhaps a new director for the new one.
    #[cold]
    #[inline(never)]
    fn merge(&mut self, config: &Config, t: Month, ev: &mut MonthEvents) {
        if rng::uniform(&mut self.streams.events) < config.exits.merger_new_director_probability {
            if !self.director.is_acting() {
                ev.exit = Some(self.exit_now(ExitReason::Other, t));
            }
            let next = Director::recruit(config, &mut self.streams.director, t, &self.traits.role_culture);
            self.appoint(config, t, next);
            self.predecessor = Predecessor::Merger;
        }
    }

    /// Seats, governing base, climate for the new term, the term's development measures,
    /// perhaps a new mayor. Returns whether the mayor changed.
    #[cold]
    #[inline(never)]
    fn hold_election(&mut self, config: &Config, t: Month) -> bool {
        let p = &config.politics;
        self.council.elect(&self.traits, p, t, &mut self.streams.politics);
        self.pair.last_political_turnover = t;
        let new_mayor = rng::uniform(&mut self.streams.politics) < self.council.new_mayor_chance(p);
        let newcomers = (p.newcomer_share_mean
            + p.newcomer_share_sd * rng::normal(&mut self.streams.politics))
        .clamp(0.0, 1.0);
        self.climate.new_term(
            &config.climate,
            self.council.coalition_parties,
            newcomers,
            &mut self.streams.climate,
        );
        let term = config.calendar.election_interval_months;
        self.schedule.plan_term(&self.traits, &config.development, t, term, &mut self.streams.events);
        if new_mayor {
            self.new_mayor(config, t);
        }
        new_mayor
    }

    /// A new mayor takes office: their role dispositions (partly the local role culture), and
    /// a new pair with the director whose match is tested from here.
    #[cold]
    #[inline(never)]
    fn new_mayor(&mut self, config: &Config, t: Month) {
        let rng = &mut self.streams.politics;
        let shared = config.dispositions.shared_in_municipality;
        let culture = &self.traits.role_culture;
        self.mayor.dispositions =
            std::array::from_fn(|z| shared.sqrt() * culture[z] + (1.0 - shared).sqrt() * rng::normal(rng));
        self.mayor.expectations = relationship::expectations(&self.mayor.dispositions, &config.roles.mayor);
        self.mayor.since = t;
        self.mayor.leaving.wind(rng);
        self.pair.last_political_turnover = t;
        let mismatch = relationship::mismatch(&self.mayor.expectations, &self.director.expectations);
        self.pair.form(config, (PairCause::NewMayor, mismatch), 0.0, t, rng);
    }

    // ------------------------------------------------------------------ views for other layers

    /// The municipality's fixed traits.
    pub fn traits(&self) -> &Traits {
        &self.traits
    }

    /// The director in post (or acting).
    pub fn director(&self) -> &Director {
        &self.director
    }

    /// The climate this month, in `climate::Dimension` order.
    #[inline]
    pub fn climate(&self) -> [f64; 3] {
        self.climate.current()
    }

    /// Trust between mayor and director, in [0, 1].
    pub fn trust(&self) -> f64 {
        self.pair.trust
    }

    /// Cooperation quality on the survey's 1–5 scale: a linear image of trust.
    #[inline]
    pub fn cooperation(&self) -> f64 {
        self.pair.cooperation()
    }

    /// How often mayor and director talk informally.
    pub fn informal_contact(&self) -> InformalContact {
        self.pair.informal_contact
    }

    /// Parties in the council and in the mayor's governing base.
    pub fn parties(&self) -> (u32, u32) {
        (self.council.parties_in_council, self.council.coalition_parties)
    }

    /// What the mayor expects of the director in each zone.
    pub fn mayor_expectations(&self) -> &Expectations {
        &self.mayor.expectations
    }

    /// The mayor's role dispositions (standard normal per zone).
    pub fn mayor_dispositions(&self) -> &[f64; 4] {
        &self.mayor.dispositions
    }

    /// Steps of disagreement between mayor and director in each zone (0–2).
    pub fn role_mismatch(&self) -> [u8; 4] {
        relationship::mismatch(&self.mayor.expectations, &self.director.expectations)
    }

    /// Whether a conflict within the administration is going on in month `t`.
    pub fn in_admin_conflict(&self, t: Month) -> bool {
        self.admin_conflict.active(t)
    }

    /// Who held the post before the incumbent.
    pub fn predecessor(&self) -> Predecessor {
        self.predecessor
    }
}

/// For unit tests: municipality `id` of replication 0 at the first month of `config`.
#[cfg(test)]
pub(crate) fn test_municipality(config: &Config, id: u32) -> Municipality {
    Municipality::new(config, population::draw(config, 0, id), 0)
}
