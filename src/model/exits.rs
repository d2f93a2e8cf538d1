//! Why and when a director leaves: the director's intention to move, the competing hazards of
//! every exit reason (retirement in the window from the early pension, moves outside the market
//! for directors, conflict with the politicians, dismissal, conflict within the administration,
//! illness, other), the end of a fixed term, and the vacancy that follows (an acting director
//! until the market fills the post, `market`). Exit reasons are what happened: the reason whose
//! hazard fired, with lost trust among the reasons where it caused that hazard, and retirement
//! where a director old enough for the early pension quit and took it.
//!
//! The hazards themselves, their ceiling and the draw of an exit by thinning are in `hazards`.

use crate::foundation::calendar::Month;
use crate::foundation::fastmath;
use crate::foundation::rng::{self, Clock, Stream};
use crate::model::director::{Contract, Director, fixed_term_months};
use crate::model::population::reference_log_population;
use crate::model::relationship::PairCause;
use crate::model::{Derived, MonthEvents, Municipality};
use crate::scenario::categories::{Category, Education, Frequency, PreviousPost, category};
use crate::scenario::config::Config;
use crate::scenario::params::Exits;

category! {
    /// Why a director left.
    ExitReason {
        Retirement = "retirement", CareerMove = "career_move",
        ConflictWithPoliticians = "conflict_with_politicians",
        ConflictWithinAdministration = "conflict_within_administration",
        DismissalOrNegotiatedExit = "dismissal_or_negotiated_exit", IllnessOrDeath = "illness_or_death",
        FixedTermEnded = "fixed_term_ended", Other = "other",
    }
}

impl ExitReason {
    /// Whether the exit was forced: a conflict with the politicians, or a dismissal or
    /// negotiated exit.
    pub fn is_forced(self) -> bool {
        matches!(self, ExitReason::ConflictWithPoliticians | ExitReason::DismissalOrNegotiatedExit)
    }

    /// Whether a director old enough for the early pension who leaves for this reason retires:
    /// one who quits (over a conflict, for other reasons) or whose fixed term is not renewed
    /// does; one who moves to another post, falls ill or is dismissed (with severance pay) leaves
    /// for that.
    pub fn ends_in_pension(self) -> bool {
        !matches!(
            self,
            ExitReason::CareerMove | ExitReason::IllnessOrDeath | ExitReason::DismissalOrNegotiatedExit
        )
    }
}

/// Number of exit reasons.
pub const EXIT_REASONS: usize = ExitReason::ALL.len();

/// A set of exit reasons: the main one and those that also played a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReasonSet(u16);

impl ReasonSet {
    pub fn insert(&mut self, r: ExitReason) {
        self.0 |= 1 << r.index();
    }
    pub fn contains(self, r: ExitReason) -> bool {
        self.0 & (1 << r.index()) != 0
    }
    /// The reasons in the set, in `ExitReason` order.
    pub fn iter(self) -> impl Iterator<Item = ExitReason> {
        ExitReason::ALL.iter().copied().filter(move |r| self.contains(*r))
    }
}

/// Who held the post before the incumbent, as far as the simulation knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Predecessor {
    /// The incumbent was in post when the simulation began.
    BeforeStart,
    /// The post was created by the 2020 merger.
    Merger,
    /// The predecessor left for `main` and, in part, for the rest of `reasons` (which holds `main`).
    Left { main: ExitReason, reasons: ReasonSet },
}

/// A director's exit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exit {
    pub reason: ExitReason,
    /// Completed tenure in post, months.
    pub tenure_months: i32,
    /// Age on leaving, years.
    pub age: f64,
    /// The director had a severance agreement.
    pub severance: bool,
}

/// Conflicts within the administration: they break out now and then and last a while.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AdminConflict {
    /// The conflict lasts until this month (exclusive).
    pub(crate) until: Option<Month>,
    /// Monthly hazard that a conflict breaks out: fixed by the configuration and the
    /// municipality's hierarchy and forum, so computed once.
    outbreak: f64,
    /// Until the next outbreak (it runs while no conflict is going on).
    clock: Clock,
}

impl AdminConflict {
    pub(crate) fn new(
        e: &Exits,
        hierarchy_levels: u8,
        leader_group_forum: Frequency,
        rng: &mut Stream,
    ) -> AdminConflict {
        let outbreak = outbreak_per_month(e, hierarchy_levels, leader_group_forum);
        AdminConflict { until: None, outbreak, clock: Clock::wound(rng) }
    }

    /// The outbreak hazard again, for a forum that changed (the clock runs on).
    pub(crate) fn reset_outbreak(&mut self, e: &Exits, hierarchy_levels: u8, leader_group_forum: Frequency) {
        self.outbreak = outbreak_per_month(e, hierarchy_levels, leader_group_forum);
    }

    pub(crate) fn active(&self, t: Month) -> bool {
        self.until.is_some_and(|until| t < until)
    }
}

/// The monthly hazard that a conflict breaks out in the administration.
fn outbreak_per_month(e: &Exits, hierarchy_levels: u8, leader_group_forum: Frequency) -> f64 {
    e.admin_conflict_start_per_year
        * (e.admin_conflict_hierarchy_effect * (f64::from(hierarchy_levels) - 3.0)
            + e.admin_conflict_forum_effect * forum_intensity(leader_group_forum))
        .exp()
        / 12.0
}

/// Frequency of leader-group forums as an intensity: none 0, rarer 1, monthly 2, weekly 3.
fn forum_intensity(f: Frequency) -> f64 {
    (3 - f.index()) as f64
}

impl Municipality {
    /// The director's intention to move (log scale), from the director's state: the outside
    /// options the director sees (career stage: years left before the early pension; the posts
    /// recently advertised that would be a step up from here; network; education), how the
    /// relationship with the politicians feels (lost trust, unclear signals), and what holds
    /// (roots in the municipality, a leader-group forum to belong to), plus personal mobility.
    /// The survey's "plans to leave" read it; the market weighs candidates by it; and it sets
    /// the hazard of leaving for a post outside the market for directors.
    pub fn intention(&self, config: &Config, t: Month) -> f64 {
        self.intention_parts(config, t).0
    }

    /// The intention, and the part of it that lost trust contributes.
    pub(crate) fn intention_parts(&self, config: &Config, t: Month) -> (f64, f64) {
        let e = &config.exits;
        let d = &self.director;
        let distrust = e.career_distrust_effect * (1.0 - self.pair.trust);
        // Career stage: years left before the early pension, against the 12 of a director of 50.
        let stage = ((e.early_pension_age - d.age(t)).max(0.0) - 12.0) / 10.0;
        let intention = e.career_age_effect * stage
            + e.career_years_in_municipality_effect * d.years_in_municipality(t) / 10.0
            + e.career_market_effect * (self.market_openness - self.post_appeal_log(config))
            + e.career_network_effect * d.network
            + if d.education == Education::UniversityOver4Years { e.career_education_effect } else { 0.0 }
            + distrust
            + e.career_unclear_signals_effect * (-self.climate.current()[2])
            + e.career_forum_effect * forum_intensity(self.traits.leader_group_forum)
            + d.mobility;
        (intention, distrust)
    }

    /// How attractive this municipality's post is to directors elsewhere (log scale): larger
    /// and more central places draw; the reference is ~6 000 inhabitants and centrality 3.
    pub(crate) fn post_appeal_log(&self, config: &Config) -> f64 {
        let k = &config.market;
        k.size_pull * (self.traits.log_population - reference_log_population())
            + k.centrality_pull * (f64::from(self.traits.centrality) - 3.0)
    }

    /// The director's month: a conflict in the administration may break out; the intention to
    /// move is formed; the director may leave, or a fixed term run out; an acting period that is
    /// over hands the post to the market (`ev.search_ends`). The director stream draws only when
    /// something happens (the clocks of `AdminConflict` and of exits).
    pub(crate) fn director_month(
        &mut self,
        config: &Config,
        derived: &Derived,
        t: Month,
        ev: &mut MonthEvents,
    ) {
        let e = &config.exits;
        let rng = &mut self.streams.director;
        let a = &mut self.admin_conflict;
        if !a.active(t) && a.clock.tick(a.outbreak) {
            a.until = Some(Month(t.0 + rng::geometric_months(rng, e.admin_conflict_mean_months)));
            a.clock.wind(rng);
        }

        if self.director.is_acting() {
            self.intention = f64::NEG_INFINITY;
            ev.search_ends = self.director.term_over(t);
            return;
        }
        let (intention, distrust) = self.intention_parts(config, t);
        self.intention = intention;
        let mobility = fastmath::exp(intention.min(10.0));
        self.mobility = mobility;
        let exit = if self.director.age(t) >= e.max_age {
            Some((ExitReason::Retirement, 0.0))
        } else {
            let left = self.hazard_exit(config, derived, t, (distrust, mobility));
            if left.is_some() {
                left
            } else if self.director.contract == Contract::FixedTerm && self.director.term_over(t) {
                self.fixed_term_ends(config, derived)
            } else {
                None
            }
        };
        if let Some((reason, conflict_share)) = exit {
            self.director_leaves(config, t, reason, conflict_share, ev);
        }
    }

    /// A fixed term has run out: it is not renewed (an exit, with the share of that chance lost
    /// trust caused) or renewed for another term.
    #[cold]
    #[inline(never)]
    fn fixed_term_ends(&mut self, config: &Config, derived: &Derived) -> Option<(ExitReason, f64)> {
        let e = &config.exits;
        let not_renewed =
            (e.fixed_term_nonrenewal + e.fixed_term_distrust_effect * (1.0 - self.pair.trust)).min(1.0);
        if rng::uniform(&mut self.streams.director) < not_renewed {
            let share = 1.0 - e.fixed_term_nonrenewal / not_renewed.max(e.fixed_term_nonrenewal);
            Some((ExitReason::FixedTermEnded, share))
        } else {
            let end = self.director.term_ends.expect("a fixed term has an end");
            self.director.term_ends = Some(Month(end.0 + derived.fixed_term_months));
            None
        }
    }

    /// The director leaves for `reason`, and the post falls vacant: an acting director (an
    /// internal candidate) holds it until the market fills it. The successor knows why: the
    /// main reason and what also played a part, as it happened. Lost trust played a part with
    /// chance `conflict_share` (the share of the hazard it caused); the administration's
    /// conflict if one was going on; retirement where a director old enough for the early
    /// pension left for anything but another post. Returns the director who left.
    #[cold]
    #[inline(never)]
    pub(crate) fn director_leaves(
        &mut self,
        config: &Config,
        t: Month,
        reason: ExitReason,
        conflict_share: f64,
        ev: &mut MonthEvents,
    ) -> Director {
        let mut reasons = ReasonSet::default();
        reasons.insert(reason);
        if conflict_share > 0.0 && rng::uniform(&mut self.streams.director) < conflict_share {
            reasons.insert(ExitReason::ConflictWithPoliticians);
        }
        if reason.ends_in_pension() && self.director.age(t) >= config.exits.early_pension_age {
            reasons.insert(ExitReason::Retirement);
        }
        if self.admin_conflict.active(t) {
            reasons.insert(ExitReason::ConflictWithinAdministration);
        }
        ev.exit = Some(self.exit_now(reason, t));
        self.predecessor = Predecessor::Left { main: reason, reasons };
        self.admin_conflict.until = None;
        let rng = &mut self.streams.director;
        let acting_months = rng::geometric_months(rng, config.recruitment.acting_months_mean).max(1);
        let mut acting = Director::recruit_as(
            config,
            rng,
            t,
            &self.traits.role_culture,
            PreviousPost::OtherPostSameMunicipality,
        );
        acting.contract = Contract::Acting;
        acting.term_ends = Some(Month(t.0 + acting_months));
        self.appoint(config, t, acting)
    }

    /// The incumbent's exit for `reason` in month `t`.
    pub(crate) fn exit_now(&self, reason: ExitReason, t: Month) -> Exit {
        Exit {
            reason,
            tenure_months: t.0 - self.director.in_post_since.0,
            age: self.director.age(t),
            severance: self.director.severance,
        }
    }

    /// `director` takes up the post in month `t` and forms a new pair with the mayor; a council
    /// that anchored its choice broadly finds a better match. Returns the previous holder.
    pub(crate) fn appoint(&mut self, config: &Config, t: Month, director: Director) -> Director {
        let previous = std::mem::replace(&mut self.director, director);
        self.director.in_post_since = t;
        let shift = if self.traits.broad_recruitment { config.market.broad_recruitment_match } else { 0.0 };
        let mismatch = self.role_mismatch();
        self.pair.form(config, (PairCause::NewDirector, mismatch), shift, t, &mut self.streams.director);
        previous
    }

    /// The acting director is appointed to the post on the terms `terms` (a recruit's contract).
    pub(crate) fn confirm_acting(&mut self, config: &Config, t: Month, terms: &Director) {
        let d = &mut self.director;
        d.contract =
            if terms.contract == Contract::FixedTerm { Contract::FixedTerm } else { Contract::Permanent };
        d.severance = terms.severance;
        d.contract_clarity = terms.contract_clarity;
        d.in_post_since = t;
        d.term_ends = (d.contract == Contract::FixedTerm).then(|| Month(t.0 + fixed_term_months(config)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_municipality;
    use crate::scenario::test_config;
    use crate::sim::run::simulate_world_until;

    /// The default scenario, its derived rates, and its first municipality.
    fn setup() -> (Config, Derived, Municipality) {
        let c = test_config("");
        let d = Derived::new(&c);
        let m = test_municipality(&c, 0);
        (c, d, m)
    }

    #[test]
    fn retirement_opens_at_the_early_pension_rises_with_age_and_retirees_are_older_than_movers() {
        let (c, d, mut m) = setup();
        let t = Month::parse("2020-01").unwrap();
        for age in [45, 55, 61] {
            m.director.birth = Month(t.0 - age * 12);
            assert_eq!(m.exit_hazards(&c, &d, t).0[ExitReason::Retirement as usize], 0.0, "at {age}");
        }
        let mut last = 0.0;
        for age in [62, 63, 65, 67, 69] {
            m.director.birth = Month(t.0 - age * 12);
            let h = m.exit_hazards(&c, &d, t).0[ExitReason::Retirement as usize];
            assert!(h > last, "retirement hazard at {age} is {h}, not above {last}");
            last = h;
        }

        let (mut retire, mut career) = (Vec::new(), Vec::new());
        simulate_world_until(&c, &d, 0, c.calendar.end, |w, _| {
            for ev in w.events() {
                match ev.exit {
                    Some(e) if e.reason == ExitReason::Retirement => retire.push(e.age),
                    Some(e) if e.reason == ExitReason::CareerMove => career.push(e.age),
                    _ => {}
                }
            }
        });
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        assert!(retire.len() > 100 && career.len() > 100);
        assert!(retire.iter().all(|&a| a >= c.exits.early_pension_age), "nobody retires before the window");
        assert!(
            mean(&retire) > mean(&career) + 5.0,
            "retirees {:.1}, movers {:.1}",
            mean(&retire),
            mean(&career)
        );
    }

    #[test]
    fn lost_trust_raises_conflict_and_dismissal_hazards_and_severance_shifts_them() {
        let (c, d, mut m) = setup();
        let t = Month::parse("2021-06").unwrap();
        let hazards = |m: &Municipality| m.exit_hazards(&c, &d, t).0;
        m.pair.trust = 0.9;
        let high = hazards(&m);
        m.pair.trust = 0.2;
        let low = hazards(&m);
        for r in [
            ExitReason::ConflictWithPoliticians,
            ExitReason::DismissalOrNegotiatedExit,
            ExitReason::CareerMove,
        ] {
            assert!(low[r as usize] > high[r as usize], "{r:?}");
        }
        m.director.severance = true;
        let severance = hazards(&m);
        let ratio = |r: ExitReason| severance[r as usize] / low[r as usize];
        assert!(
            (ratio(ExitReason::ConflictWithPoliticians) - c.exits.severance_conflict_multiplier).abs()
                < 1e-12
        );
        assert!(
            (ratio(ExitReason::DismissalOrNegotiatedExit) - c.exits.severance_dismissal_multiplier).abs()
                < 1e-12
        );
    }

    #[test]
    fn an_exit_names_its_reason_and_the_successor_knows_it() {
        let c = test_config("");
        let mut m = test_municipality(&c, 4);
        let t = Month::parse("2021-06").unwrap();
        m.pair.trust = 0.1;
        let mut ev = MonthEvents::default();
        // Lost trust caused all of the hazard that fired: it is among the reasons.
        let left = m.director_leaves(&c, t, ExitReason::CareerMove, 1.0, &mut ev);
        assert!(!left.is_acting());
        assert_eq!(ev.exit.map(|e| e.reason), Some(ExitReason::CareerMove));
        match m.predecessor {
            Predecessor::Left { main, reasons } => {
                assert_eq!(main, ExitReason::CareerMove);
                assert!(reasons.contains(ExitReason::CareerMove));
                assert!(reasons.contains(ExitReason::ConflictWithPoliticians), "lost trust caused it");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(m.director.in_post_since, t);
        assert!(m.director.is_acting(), "an acting director holds the post until the market fills it");
        assert!(!m.admin_conflict.active(t));
        // A hazard lost trust played no part in names no conflict.
        let mut ev = MonthEvents::default();
        m.director.contract = Contract::Permanent;
        m.director.birth = Month(t.0 - 50 * 12);
        m.director_leaves(&c, t, ExitReason::IllnessOrDeath, 0.0, &mut ev);
        match m.predecessor {
            Predecessor::Left { reasons, .. } => {
                assert_eq!(reasons.iter().collect::<Vec<_>>(), vec![ExitReason::IllnessOrDeath]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn reason_sets_hold_what_is_inserted() {
        let mut s = ReasonSet::default();
        s.insert(ExitReason::Other);
        s.insert(ExitReason::Retirement);
        assert_eq!(s.iter().collect::<Vec<_>>(), vec![ExitReason::Retirement, ExitReason::Other]);
        assert!(!s.contains(ExitReason::CareerMove));
    }
}
