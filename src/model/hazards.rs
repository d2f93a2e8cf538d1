//! The competing hazards of a director's exit reasons, a cheap upper bound of their total, and
//! the draw of an exit by thinning (Lewis and Shedler 1979).
//!
//! Whether the director in post leaves, and why: candidate exits come at the rate of the
//! ceiling (`hazard_ceiling`), counted by an exponential clock, and a candidate is an exit with
//! chance total hazard / ceiling, for a reason in proportion to its hazard. The director leaves
//! with chance 1 − e^(−total/12) a month, as a uniform draw against that chance would decide,
//! but the hazards themselves are worked out only at a candidate, a few months in a hundred.

use crate::foundation::calendar::Month;
use crate::foundation::fastmath::{self, logistic};
use crate::foundation::rng;
use crate::model::exits::{EXIT_REASONS, ExitReason};
use crate::model::{Derived, Municipality};
use crate::scenario::categories::Category;
use crate::scenario::config::Config;
use crate::scenario::params::Exits;

/// What `Municipality::hazard_ceiling` needs of the configuration, worked out once (`Derived`).
#[derive(Debug, Clone)]
pub(crate) struct Ceilings {
    /// The illness hazard at the age limit (its highest: the slope is not negative), plus the
    /// hazard of other reasons.
    steady: f64,
    conflict: TrustTiers,
    dismissal: TrustTiers,
    /// The conflict hazard's maximum, without and with a severance agreement.
    conflict_max: [f64; 2],
    /// The dismissal hazard's maximum before the council's size, by severance agreement and
    /// by whether the last political turnover is recent.
    dismissal_max: [[f64; 2]; 2],
}

impl Ceilings {
    pub(crate) fn new(e: &Exits) -> Ceilings {
        debug_assert!(e.illness_age_slope >= 0.0);
        Ceilings {
            steady: e.illness_per_year_at_55 * (e.illness_age_slope * (e.max_age - 55.0)).max(0.0).exp()
                + e.other_per_year,
            conflict: TrustTiers::new(e.conflict_exit_trust_threshold, e.conflict_exit_trust_spread),
            dismissal: TrustTiers::new(e.dismissal_trust_threshold, e.dismissal_trust_spread),
            conflict_max: [
                e.conflict_exit_max_per_year,
                e.conflict_exit_max_per_year * e.severance_conflict_multiplier,
            ],
            dismissal_max: [false, true].map(|severance| {
                [false, true].map(|after| {
                    e.dismissal_max_per_year
                        * if after { e.dismissal_after_election_multiplier } else { 1.0 }
                        * if severance { e.severance_dismissal_multiplier } else { 1.0 }
                })
            }),
        }
    }
}

/// Tiers of an upper bound of logistic((threshold − trust) / spread), which is below e^z for
/// z = (threshold − trust) / spread: e^−8 from trust threshold + 8 spread up, e^−4 from
/// threshold + 4 spread up, else 1. (The bound's margin, e^−8 against 1/(1 + e^8), is far
/// wider than rounding.)
#[derive(Debug, Clone)]
struct TrustTiers {
    far: f64,
    near: f64,
}

impl TrustTiers {
    fn new(threshold: f64, spread: f64) -> TrustTiers {
        TrustTiers { far: threshold + 8.0 * spread, near: threshold + 4.0 * spread }
    }

    #[inline]
    fn logistic(&self, trust: f64) -> f64 {
        if trust >= self.far {
            3.354_626_279_025_119e-4
        } else if trust >= self.near {
            1.831_563_888_873_418e-2
        } else {
            1.0
        }
    }
}

impl Municipality {
    /// Yearly hazard rates of each exit reason for the director in post this month, and for
    /// each the share of it that lost trust causes (the part that would not be there at full
    /// trust). A career move here is a move outside the market for directors; moves to another
    /// municipality's post happen in the market.
    pub fn exit_hazards(
        &self,
        config: &Config,
        derived: &Derived,
        t: Month,
    ) -> ([f64; EXIT_REASONS], [f64; EXIT_REASONS]) {
        let (intention, distrust) = self.intention_parts(config, t);
        self.hazards_with(config, derived, t, (distrust, fastmath::exp(intention.min(10.0))))
    }

    /// `exit_hazards`, for the intention's part from lost trust and e^min(intention, 10)
    /// (`mobility`) already formed.
    #[cold]
    #[inline(never)]
    fn hazards_with(
        &self,
        config: &Config,
        derived: &Derived,
        t: Month,
        (distrust, mobility): (f64, f64),
    ) -> ([f64; EXIT_REASONS], [f64; EXIT_REASONS]) {
        use ExitReason::*;
        let e = &config.exits;
        let d = &self.director;
        let age = d.age(t);
        let trust = self.pair.trust;
        let mut h = [0.0; EXIT_REASONS];
        let mut conflict_share = [0.0; EXIT_REASONS];
        if let Some((retirement, push)) = self.retirement_hazard(e, age) {
            h[Retirement as usize] = retirement;
            conflict_share[Retirement as usize] = 1.0 - 1.0 / push;
        }
        h[IllnessOrDeath as usize] =
            e.illness_per_year_at_55 * fastmath::exp(e.illness_age_slope * (age - 55.0));
        h[CareerMove as usize] = e.career_per_year * mobility;
        conflict_share[CareerMove as usize] = 1.0 - fastmath::exp(-distrust.max(0.0));
        let conflict = e.conflict_exit_max_per_year
            * logistic((e.conflict_exit_trust_threshold - trust) / e.conflict_exit_trust_spread);
        h[ConflictWithPoliticians as usize] =
            conflict * if d.severance { e.severance_conflict_multiplier } else { 1.0 };
        conflict_share[ConflictWithPoliticians as usize] = 1.0;
        h[DismissalOrNegotiatedExit as usize] = e.dismissal_max_per_year
            * logistic((e.dismissal_trust_threshold - trust) / e.dismissal_trust_spread)
            * derived.dismissal_council_size(self.traits.council_seats)
            * if self.after_turnover(derived, t) { e.dismissal_after_election_multiplier } else { 1.0 }
            * if d.severance { e.severance_dismissal_multiplier } else { 1.0 };
        conflict_share[DismissalOrNegotiatedExit as usize] = 1.0;
        h[ConflictWithinAdministration as usize] = self.admin_exit_hazard(e, t);
        h[Other as usize] = e.other_per_year;
        (h, conflict_share)
    }

    /// The retirement hazard of a director aged `age`, from the early pension on, and the push
    /// lost trust gives it (a factor): none before.
    #[inline]
    fn retirement_hazard(&self, e: &Exits, age: f64) -> Option<(f64, f64)> {
        (age >= e.early_pension_age).then(|| {
            let push = 1.0 + e.retirement_distrust_effect * (1.0 - self.pair.trust);
            let hazard = e.retirement_at_early_pension_per_year
                * fastmath::exp(e.retirement_age_slope * (age - e.early_pension_age))
                * push;
            (hazard, push)
        })
    }

    /// Whether the last election or new mayor is recent enough to raise dismissals.
    #[inline]
    fn after_turnover(&self, derived: &Derived, t: Month) -> bool {
        t.0 - self.pair.last_political_turnover.0 < derived.after_election_months
    }

    /// The hazard of leaving over a conflict in the administration: while one is going on.
    #[inline]
    fn admin_exit_hazard(&self, e: &Exits, t: Month) -> f64 {
        if self.admin_conflict.active(t) { e.admin_conflict_exit_per_year } else { 0.0 }
    }

    /// An upper bound of the total of `hazards_with` for the director in post, who is under the
    /// age limit, with `career` the career hazard: the logistic chances of conflict and dismissal
    /// bounded by e^z ≥ logistic(z) in tiers of trust (`Ceilings`), the illness hazard by its
    /// value at the age limit, the rest exact. No exponential besides retirement's (from the
    /// early pension on).
    fn hazard_ceiling(&self, config: &Config, derived: &Derived, t: Month, career: f64) -> f64 {
        let e = &config.exits;
        let bounds = &derived.ceilings;
        let d = &self.director;
        let trust = self.pair.trust;
        let retirement = self.retirement_hazard(e, d.age(t)).map_or(0.0, |(hazard, _)| hazard);
        let after_turnover = self.after_turnover(derived, t);
        let conflict = bounds.conflict_max[usize::from(d.severance)] * bounds.conflict.logistic(trust);
        let dismissal = bounds.dismissal_max[usize::from(d.severance)][usize::from(after_turnover)]
            * bounds.dismissal.logistic(trust)
            * derived.dismissal_council_size(self.traits.council_seats);
        retirement + bounds.steady + career + conflict + dismissal + self.admin_exit_hazard(e, t)
    }

    /// Whether the director in post (under the age limit) leaves this month, and if so the
    /// reason and the share of its hazard lost trust caused: `distrust` is the intention's part
    /// from lost trust, `mobility` e^min(intention, 10).
    ///
    /// By thinning (Lewis and Shedler 1979): candidate exits come at the rate of the hazards'
    /// ceiling (`hazard_ceiling`), counted by the director's clock, and each is an exit with
    /// chance total hazard / ceiling, for the reason its draw falls on in proportion to the
    /// hazards. So the director leaves with chance 1 − e^(−total/12) a month, and the exact
    /// hazards and a draw are needed only at a candidate, a few months in a hundred.
    pub(crate) fn hazard_exit(
        &mut self,
        config: &Config,
        derived: &Derived,
        t: Month,
        (distrust, mobility): (f64, f64),
    ) -> Option<(ExitReason, f64)> {
        let ceiling = self.hazard_ceiling(config, derived, t, config.exits.career_per_year * mobility);
        let candidates = self.exit_clock.count(ceiling / 12.0, &mut self.streams.director);
        if candidates == 0 {
            return None;
        }
        let (h, conflict_share) = self.hazards_with(config, derived, t, (distrust, mobility));
        let total: f64 = h.iter().sum();
        for _ in 0..candidates {
            // Uniform on [0, ceiling): an exit where it falls below the total, for the reason
            // whose share of the total it falls in.
            let target = rng::uniform(&mut self.streams.director) * ceiling;
            if target < total {
                let mut acc = 0.0;
                let mut reason = ExitReason::Other;
                for &r in ExitReason::ALL {
                    acc += h[r as usize];
                    if target < acc {
                        reason = r;
                        break;
                    }
                }
                return Some((reason, conflict_share[reason as usize]));
            }
        }
        None
    }
}
