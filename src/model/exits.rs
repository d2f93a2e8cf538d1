//! Why and when a director leaves: the competing hazards of every exit reason (retirement,
//! career moves, conflict with the politicians, dismissal, conflict within the administration,
//! illness, other), the end of a fixed term, and succession (an acting period, a recruit).
//!
//! One uniform draw a month decides whether the director in post leaves and, reused, why: given
//! an exit, the draw divided by the exit chance is uniform again and picks the reason in
//! proportion to its hazard.

use crate::foundation::calendar::Month;
use crate::foundation::rng::{self, logistic};
use crate::model::director::{Contract, Director, fixed_term_months};
use crate::model::population::reference_log_population;
use crate::model::relationship::PairCause;
use crate::model::{Derived, MonthEvents, Municipality};
use crate::scenario::categories::{Category, Education, Frequency, category};
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
}

/// Conflicts within the administration: they break out now and then and last a while.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AdminConflict {
    /// The conflict lasts until this month (exclusive).
    pub(crate) until: Option<Month>,
    /// Monthly chance that a conflict breaks out: fixed by the configuration and the
    /// municipality's hierarchy and forum, so computed once.
    outbreak: f64,
}

impl AdminConflict {
    pub(crate) fn new(e: &Exits, hierarchy_levels: u8, leader_group_forum: Frequency) -> AdminConflict {
        let rate = e.admin_conflict_start_per_year
            * (e.admin_conflict_hierarchy_effect * (f64::from(hierarchy_levels) - 3.0)
                + e.admin_conflict_forum_effect * forum_intensity(leader_group_forum))
            .exp();
        AdminConflict { until: None, outbreak: 1.0 - (-rate / 12.0).exp() }
    }

    pub(crate) fn active(&self, t: Month) -> bool {
        self.until.is_some_and(|until| t < until)
    }
}

/// Frequency of leader-group forums as an intensity: none 0, rarer 1, monthly 2, weekly 3.
fn forum_intensity(f: Frequency) -> f64 {
    (3 - f.index()) as f64
}

impl Municipality {
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
            + if d.education == Education::UniversityOver4Years { e.career_education_effect } else { 0.0 }
            + e.career_distrust_effect * (1.0 - self.pair.trust)
            + e.career_unclear_signals_effect * (-self.climate.current()[2])
            + e.career_forum_effect * forum_intensity(self.traits.leader_group_forum)
            + d.mobility
    }

    /// Yearly hazard rates of each exit reason for the director in post this month.
    pub fn exit_hazards(&self, config: &Config, derived: &Derived, t: Month) -> [f64; EXIT_REASONS] {
        use ExitReason::*;
        let e = &config.exits;
        let d = &self.director;
        let age = d.age(t);
        let trust = self.pair.trust;
        let mut h = [0.0; EXIT_REASONS];
        h[Retirement as usize] = logistic((age - e.retirement_midpoint_age) / e.retirement_spread_years);
        h[IllnessOrDeath as usize] = e.illness_per_year_at_55 * (e.illness_age_slope * (age - 55.0)).exp();
        let pull = self.career_pull(config, t);
        h[CareerMove as usize] = e.career_per_year * pull.min(10.0).exp();
        let conflict = e.conflict_exit_max_per_year
            * logistic((e.conflict_exit_trust_threshold - trust) / e.conflict_exit_trust_spread);
        h[ConflictWithPoliticians as usize] =
            conflict * if d.severance { e.severance_conflict_multiplier } else { 1.0 };
        let after_turnover = t.0 - self.pair.last_political_turnover.0 < derived.after_election_months;
        h[DismissalOrNegotiatedExit as usize] = e.dismissal_max_per_year
            * logistic((e.dismissal_trust_threshold - trust) / e.dismissal_trust_spread)
            * if after_turnover { e.dismissal_after_election_multiplier } else { 1.0 }
            * if d.severance { e.severance_dismissal_multiplier } else { 1.0 };
        h[ConflictWithinAdministration as usize] =
            if self.admin_conflict.active(t) { e.admin_conflict_exit_per_year } else { 0.0 };
        h[Other as usize] = e.other_per_year;
        h
    }

    /// The director's month: a conflict in the administration may break out; the director may
    /// leave (or an acting period end, or a fixed term run out). Two draws from the director
    /// stream every month, more when something happens.
    pub(crate) fn director_month(
        &mut self,
        config: &Config,
        derived: &Derived,
        t: Month,
        ev: &mut MonthEvents,
    ) {
        let e = &config.exits;
        let rng = &mut self.streams.director;
        let u_admin = rng::uniform(rng);
        if !self.admin_conflict.active(t) && u_admin < self.admin_conflict.outbreak {
            self.admin_conflict.until =
                Some(Month(t.0 + rng::geometric_months(rng, e.admin_conflict_mean_months)));
        }

        let u_exit = rng::uniform(rng);
        if self.director.is_acting() {
            if self.director.term_over(t) {
                self.end_acting_period(config, t);
            }
            return;
        }
        let exit = if self.director.age(t) >= e.max_age {
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
                for &r in ExitReason::ALL {
                    acc += h[r as usize];
                    if target < acc {
                        reason = r;
                        break;
                    }
                }
                Some(reason)
            } else if self.director.contract == Contract::FixedTerm && self.director.term_over(t) {
                let not_renewed = (e.fixed_term_nonrenewal
                    + e.fixed_term_distrust_effect * (1.0 - self.pair.trust))
                    .min(1.0);
                if rng::uniform(&mut self.streams.director) < not_renewed {
                    Some(ExitReason::FixedTermEnded)
                } else {
                    let end = self.director.term_ends.expect("a fixed term has an end");
                    self.director.term_ends = Some(Month(end.0 + derived.fixed_term_months));
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

    /// The director leaves for `reason`: the successor knows why (with the reasons that also
    /// played a part), and an acting director or a recruit takes over.
    fn director_leaves(&mut self, config: &Config, t: Month, reason: ExitReason, ev: &mut MonthEvents) {
        let e = &config.exits;
        let mut reasons = ReasonSet::default();
        reasons.insert(reason);
        if self.pair.trust < e.conflict_reason_trust_below {
            reasons.insert(ExitReason::ConflictWithPoliticians);
        }
        if self.director.age(t) >= e.retirement_reason_age_from {
            reasons.insert(ExitReason::Retirement);
        }
        if self.admin_conflict.active(t) {
            reasons.insert(ExitReason::ConflictWithinAdministration);
        }
        ev.exit = Some(self.exit_now(reason, t));
        self.predecessor = Predecessor::Left { main: reason, reasons };
        self.admin_conflict.until = None;
        let rng = &mut self.streams.director;
        let acting_months = rng::geometric_months(rng, config.recruitment.acting_months_mean);
        let mut next = Director::recruit(config, rng, t);
        if acting_months > 0 {
            next.contract = Contract::Acting;
            next.term_ends = Some(Month(t.0 + acting_months));
        }
        self.appoint(config, t, next);
    }

    /// The incumbent's exit for `reason` in month `t`.
    pub(crate) fn exit_now(&self, reason: ExitReason, t: Month) -> Exit {
        Exit { reason, tenure_months: t.0 - self.director.in_post_since.0, age: self.director.age(t) }
    }

    /// The acting period ends: the acting director is appointed (on the terms a recruit would
    /// get), or a recruit starts.
    fn end_acting_period(&mut self, config: &Config, t: Month) {
        let rng = &mut self.streams.director;
        let keep = rng::uniform(rng) < config.recruitment.acting_hired_probability;
        let recruit = Director::recruit(config, rng, t);
        if keep {
            let d = &mut self.director;
            d.contract = if recruit.contract == Contract::FixedTerm {
                Contract::FixedTerm
            } else {
                Contract::Permanent
            };
            d.severance = recruit.severance;
            d.contract_clarity = recruit.contract_clarity;
            d.in_post_since = t;
            d.term_ends = (d.contract == Contract::FixedTerm).then(|| Month(t.0 + fixed_term_months(config)));
        } else {
            self.appoint(config, t, recruit);
        }
    }

    /// `director` takes up the post in month `t`, and forms a new pair with the mayor.
    pub(crate) fn appoint(&mut self, config: &Config, t: Month, director: Director) {
        self.director = director;
        self.director.in_post_since = t;
        self.pair.form(config, PairCause::NewDirector, &mut self.streams.director);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_municipality;
    use crate::scenario::test_config;
    use crate::sim::run::simulate_municipality;

    /// The default scenario, its derived rates, and its first municipality.
    fn setup() -> (Config, Derived, Municipality) {
        let c = test_config("");
        let d = Derived::new(&c);
        let m = test_municipality(&c, 0);
        (c, d, m)
    }

    #[test]
    fn retirement_hazard_rises_with_age_and_retirees_are_older_than_movers() {
        let (c, d, mut m) = setup();
        let t = Month::parse("2020-01").unwrap();
        let mut last = 0.0;
        for age in [45, 55, 60, 63, 65, 67, 69] {
            m.director.birth = Month(t.0 - age * 12);
            let h = m.exit_hazards(&c, &d, t)[ExitReason::Retirement as usize];
            assert!(h > last, "retirement hazard at {age} is {h}, not above {last}");
            last = h;
        }

        let (mut retire, mut career) = (Vec::new(), Vec::new());
        for id in 0..c.population.municipalities {
            simulate_municipality(&c, &d, 0, id, |_, ev, _| match ev.exit {
                Some(e) if e.reason == ExitReason::Retirement => retire.push(e.age),
                Some(e) if e.reason == ExitReason::CareerMove => career.push(e.age),
                _ => {}
            });
        }
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        assert!(retire.len() > 100 && career.len() > 100);
        assert!(mean(&retire) > 60.0, "retirees leave at {:.1} on average", mean(&retire));
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
        let hazards = |m: &Municipality| m.exit_hazards(&c, &d, t);
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
        m.director_leaves(&c, t, ExitReason::CareerMove, &mut ev);
        assert_eq!(ev.exit.map(|e| e.reason), Some(ExitReason::CareerMove));
        match m.predecessor {
            Predecessor::Left { main, reasons } => {
                assert_eq!(main, ExitReason::CareerMove);
                assert!(reasons.contains(ExitReason::CareerMove));
                assert!(reasons.contains(ExitReason::ConflictWithPoliticians), "trust was low");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(m.director.in_post_since, t);
        assert!(!m.admin_conflict.active(t));
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
