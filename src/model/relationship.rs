//! The mayor and the mayor–director relationship: trust, which the survey reads as cooperation
//! quality, and the cases that turn into friction and wear it down.
//!
//! Each month cases arrive in Svara's four zones; each may become friction, likelier under an
//! unclear or micromanaging council, a divided one, low trust, unclear roles and mismatched
//! role expectations. Informal contact and fixed meetings resolve some friction early, which
//! costs less trust. Trust recovers toward the pair's resting level. A new pair (a new mayor or
//! a new director) has a chemistry of its own that it does not know at first: its resting level
//! starts at a typical pair's and learns the chemistry over `trust.learning_months`, so good
//! matches settle and poor ones sour within the first year or two. Mismatched role expectations
//! cause friction unless a working agreement (left by reviews, role meetings and development
//! conversations, and fading) covers them; nobody's expectations change.

use crate::foundation::calendar::Month;
use crate::foundation::fastmath::{self, logistic};
use crate::foundation::rng::{self, Clock, Stream};
use crate::model::Derived;
use crate::model::population::Traits;
use crate::scenario::categories::{Categorical, Expectations, InformalContact, Recommender, Role};
use crate::scenario::config::Config;

/// The mayor in office.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Mayor {
    pub(crate) since: Month,
    /// The mayor's role dispositions per zone (standard normal, persistent).
    pub(crate) dispositions: [f64; 4],
    /// What the mayor expects of the director in each zone: the dispositions' categories.
    pub(crate) expectations: Expectations,
    /// Until the mayor leaves between elections (`politics.mayor_exit_per_year`).
    pub(crate) leaving: Clock,
}

impl Mayor {
    /// A mayor before the first election.
    pub(crate) fn new(t: Month, rng: &mut Stream) -> Mayor {
        Mayor {
            since: t,
            dispositions: [0.0; 4],
            expectations: [Role::Independence; 4],
            leaving: Clock::wound(rng),
        }
    }
}

/// The standard normal distribution function.
#[inline]
pub fn phi(x: f64) -> f64 {
    0.5 * statrs::function::erf::erfc(-x / std::f64::consts::SQRT_2)
}

/// The role expectations that dispositions (standard normal) give, by the shares of each zone:
/// a disposition at the share-quantile of a category falls in it, so a population of
/// dispositions has exactly the shares.
pub(crate) fn expectations(dispositions: &[f64; 4], shares: &[Categorical<Role>; 4]) -> Expectations {
    std::array::from_fn(|z| {
        let d = dispositions[z];
        // The normal distribution function lies within 0.0095 of logistic(1.702 d) (Camilli
        // 1994): where that band falls in one category, the exact value is not needed.
        let rough = logistic(PHI_LOGISTIC_SCALE * d);
        let (low, high) =
            (shares[z].pick(rough - PHI_LOGISTIC_ERROR), shares[z].pick(rough + PHI_LOGISTIC_ERROR));
        if low == high { low } else { shares[z].pick(phi(d)) }
    })
}

/// Φ(x) ≈ logistic(1.702 x) …
const PHI_LOGISTIC_SCALE: f64 = 1.702;
/// … within this (the largest error is 0.0095).
const PHI_LOGISTIC_ERROR: f64 = 0.01;

/// Why a new mayor–director pair forms: it decides whose stream draws the pair's chemistry,
/// and whether trust starts at a typical pair's level (a new director) or carries over (a new
/// mayor inherits the director's standing, and the match is tested from there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PairCause {
    NewMayor,
    NewDirector,
}

/// The relationship between the mayor and the director.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Relationship {
    pub(crate) informal_contact: InformalContact,
    /// The uniform the pair's informal contact was drawn with (a practice adopted later is
    /// drawn again with it: common random numbers).
    pub(crate) informal_u: f64,
    /// The level trust returns to: a typical pair's at first, the pair's own as it learns it.
    pub(crate) resting_trust: f64,
    /// The pair's chemistry on the logit scale of trust (relative to a typical pair).
    pub(crate) chemistry: f64,
    /// When the pair formed.
    pub(crate) since: Month,
    /// The pair knows its match: its resting level is its own.
    pub(crate) learnt: bool,
    /// Working agreement on roles (0–1): the share of mismatch friction it prevents. Fades.
    pub(crate) agreement: f64,
    /// Trust in [0, 1]; cooperation quality is its image on 1–5.
    pub(crate) trust: f64,
    /// How clear the roles are after reviews (fades).
    pub(crate) role_clarity: f64,
    /// The director's room for manoeuvre (standardised).
    pub(crate) discretion: f64,
    /// Last election or arrival of a new mayor: dismissals are likelier soon after.
    pub(crate) last_political_turnover: Month,
    /// Until the next case that turns into friction (the month's intensity is the mean number).
    friction: Clock,
    /// Steps of disagreement between the pair's role expectations per zone (`mismatch`), fixed
    /// while the pair lasts.
    pub(crate) mismatch: [u8; 4],
}

impl Relationship {
    /// A relationship before the first pair forms; its friction clock is wound from `rng` (the
    /// cases stream).
    pub(crate) fn new(discretion: f64, t: Month, rng: &mut Stream) -> Relationship {
        Relationship {
            informal_contact: InformalContact::SeveralPerWeek,
            informal_u: 0.5,
            resting_trust: 0.9,
            chemistry: 0.0,
            since: t,
            learnt: false,
            agreement: 0.0,
            trust: 0.9,
            role_clarity: 0.0,
            discretion,
            last_political_turnover: t,
            friction: Clock::wound(rng),
            mismatch: [0; 4],
        }
    }

    /// Cooperation quality on the survey's 1–5 scale: a linear image of trust.
    #[inline]
    pub(crate) fn cooperation(&self) -> f64 {
        1.0 + 4.0 * self.trust
    }

    /// A new pair forms in month `t`: its chemistry (plus `match_shift`, what the way the
    /// director was recruited brings) and how often the two meet informally (one normal and one
    /// uniform from `rng`), with the `mismatch` of their role expectations. Its resting level
    /// starts at a typical pair's; a new director starts there too, while with a new mayor trust
    /// carries over.
    pub(crate) fn form(
        &mut self,
        config: &Config,
        (cause, mismatch): (PairCause, [u8; 4]),
        match_shift: f64,
        t: Month,
        rng: &mut Stream,
    ) {
        self.mismatch = mismatch;
        let chemistry = rng::normal(rng);
        let informal_u = rng::uniform(rng);
        self.chemistry = config.trust.chemistry_sd * chemistry + match_shift;
        self.since = t;
        self.learnt = false;
        self.resting_trust = logistic(config.trust.base);
        self.informal_contact = config.practices.informal_contact.pick(informal_u);
        self.informal_u = informal_u;
        if cause == PairCause::NewDirector {
            self.trust = self.resting_trust;
            self.agreement = 0.0;
        }
    }

    /// The month passes for the pair: it learns its match (the resting level moves from a
    /// typical pair's toward its own), and its working agreement fades.
    #[inline]
    pub(crate) fn month(&mut self, config: &Config, derived: &Derived, t: Month) {
        self.agreement *= derived.agreement_decay;
        let months = (t.0 - self.since.0) as usize;
        if let Some(known) = derived.learned.get(months) {
            self.resting_trust = logistic(config.trust.base + known * self.chemistry);
        } else if !self.learnt {
            self.resting_trust = logistic(config.trust.base + self.chemistry);
            self.learnt = true;
        }
    }

    /// Closes `fraction` of the gap to the resting level, if trust lies below it.
    pub(crate) fn repair(&mut self, fraction: f64) {
        let gap = self.resting_trust - self.trust;
        if gap > 0.0 {
            self.trust += fraction * gap;
        }
    }

    /// One month of cases: how many became friction and how many of those stayed unresolved.
    /// Trust moves toward its resting level and pays for the friction; the pair's `mismatch`
    /// sets the friction its role expectations cause. Draws from the cases stream: per friction
    /// one exponential (the clock) and one uniform; one normal.
    pub(crate) fn cases_month(
        &mut self,
        config: &Config,
        derived: &Derived,
        traits: &Traits,
        climate: [f64; 3],
        rng: &mut Stream,
    ) -> (u32, u32) {
        let mismatch = self.mismatch;
        let f = &config.friction;
        let [coop, conduct, clarity] = climate;
        let common = f.base + f.unclear_signals * (-clarity) + f.distrust * (1.0 - self.trust)
            - f.role_clarity * self.role_clarity;
        let distance = traits.office_distance as usize as f64;
        let micro = traits.closeness * f.micromanagement * (-conduct) - f.office_distance * distance;
        let party = f.party_conflict * (-coop);
        let recommends =
            if traits.who_recommends == Recommender::Director { f.director_recommends } else { 0.0 };
        let eta = [
            common + micro - f.discretion * self.discretion,
            common + micro,
            common + party + recommends,
            common + party,
        ];
        let per_step = f.role_mismatch * (1.0 - self.agreement);
        let close = [traits.closeness, traits.closeness, 1.0, 1.0];
        let chance = fastmath::logistic4(std::array::from_fn(|z| eta[z] + per_step * f64::from(mismatch[z])));
        let mut mean = 0.0;
        for z in 0..4 {
            mean += close[z] * derived.cases[z] * chance[z];
        }
        let friction = self.friction.count(mean, rng);
        let resolve = 1.0
            - (1.0 - derived.informal_resolution[self.informal_contact as usize])
                * (1.0 - derived.fixed_resolution[traits.fixed_meetings as usize]);
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
        (friction, unresolved)
    }
}

/// Steps of disagreement (0–2) between two sets of role expectations, per zone.
pub(crate) fn mismatch(a: &Expectations, b: &Expectations) -> [u8; 4] {
    std::array::from_fn(|z| (a[z] as u8).abs_diff(b[z] as u8))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::foundation::rng::{Process, stream};
    use crate::model::population;
    use crate::scenario::test_config;

    #[test]
    fn the_logistic_band_around_the_normal_distribution_function_holds() {
        let worst = (-80_000..=80_000)
            .map(|i| {
                let x = f64::from(i) / 10_000.0;
                (phi(x) - logistic(PHI_LOGISTIC_SCALE * x)).abs()
            })
            .fold(0.0, f64::max);
        assert!(worst < 0.0095, "{worst}");
    }

    #[test]
    fn expectations_are_the_categories_of_the_exact_distribution_function() {
        let c = test_config("");
        let mut rng = stream(4, 0, 0, Process::Politics);
        for _ in 0..20_000 {
            let d: [f64; 4] = std::array::from_fn(|_| 1.5 * rng::normal(&mut rng));
            let exact: Expectations = std::array::from_fn(|z| c.roles.mayor[z].pick(phi(d[z])));
            assert_eq!(expectations(&d, &c.roles.mayor), exact, "{d:?}");
        }
    }

    fn setup(extra: &str) -> (Config, Derived, Traits) {
        let c = test_config(extra);
        let d = Derived::new(&c);
        let t = population::draw(&c, 0, 0);
        (c, d, t)
    }

    /// A month long after the pair formed: its resting level is learnt.
    fn later() -> Month {
        Month::new(2100, 1)
    }

    /// Mean friction a month over `n` months, and its standard error (months are independent
    /// draws here: trust is reset every month).
    fn friction_with(
        traits: &Traits,
        climate: [f64; 3],
        mismatch: [u8; 4],
        agreement: f64,
        seed: u64,
    ) -> (f64, f64) {
        let c = test_config("");
        let d = Derived::new(&c);
        let mut rng = stream(seed, 0, 0, Process::Cases);
        let mut pair = Relationship::new(0.0, Month::new(2000, 1), &mut rng);
        let n = 20_000;
        let (mut sum, mut squares) = (0.0, 0.0);
        for _ in 0..n {
            pair.trust = 0.8;
            pair.agreement = agreement / d.agreement_decay;
            pair.month(&c, &d, later());
            pair.mismatch = mismatch;
            let f = f64::from(pair.cases_month(&c, &d, traits, climate, &mut rng).0);
            sum += f;
            squares += f * f;
        }
        let mean = sum / f64::from(n);
        let var = squares / f64::from(n) - mean * mean;
        (mean, (var / f64::from(n)).sqrt())
    }

    fn mean_friction(climate: [f64; 3], mismatch: [u8; 4]) -> f64 {
        let (_, _, traits) = setup("");
        friction_with(&traits, climate, mismatch, 0.0, 7).0
    }

    /// `a` exceeds `b` by more than four standard errors of their difference.
    fn clearly_above(a: (f64, f64), b: (f64, f64)) -> bool {
        a.0 - b.0 > 4.0 * (a.1 * a.1 + b.1 * b.1).sqrt()
    }

    #[test]
    fn a_worse_climate_and_mismatched_roles_bring_more_friction() {
        let calm = mean_friction([0.5; 3], [0; 4]);
        let stormy = mean_friction([-1.0; 3], [0; 4]);
        let mismatched = mean_friction([0.5; 3], [2; 4]);
        assert!(stormy > calm * 1.1, "calm {calm}, stormy {stormy}");
        assert!(mismatched > calm * 1.1, "calm {calm}, mismatched {mismatched}");
    }

    #[test]
    fn closeness_raises_exposure_in_small_flat_municipalities() {
        let (_, _, traits) = setup("");
        let close = Traits { closeness: 2.0, ..traits.clone() };
        let distant = Traits { closeness: 0.5, ..traits };
        // A council that micromanages: the director of a small, flat administration meets it.
        let climate = [0.0, -1.0, 0.0];
        let (near, far) = (
            friction_with(&close, climate, [0; 4], 0.0, 3),
            friction_with(&distant, climate, [0; 4], 0.0, 4),
        );
        assert!(clearly_above(near, far), "close {near:?}, distant {far:?}");
    }

    #[test]
    fn a_working_agreement_lowers_the_friction_mismatched_expectations_cause() {
        let (_, _, traits) = setup("");
        let without = friction_with(&traits, [0.0; 3], [2; 4], 0.0, 5);
        let with = friction_with(&traits, [0.0; 3], [2; 4], 0.9, 6);
        assert!(clearly_above(without, with), "without {without:?}, with {with:?}");
        // Where expectations agree, an agreement changes nothing.
        let (_, _, traits) = setup("");
        let same_a = friction_with(&traits, [0.0; 3], [0; 4], 0.0, 8);
        let same_b = friction_with(&traits, [0.0; 3], [0; 4], 0.9, 8);
        assert_eq!(same_a, same_b);
    }

    #[test]
    fn daily_informal_contact_resolves_more_friction_early() {
        let (c, d, traits) = setup("");
        let unresolved_share = |contact| {
            let mut rng = stream(9, 0, 0, Process::Cases);
            let mut pair = Relationship::new(0.0, Month::new(2000, 1), &mut rng);
            pair.informal_contact = contact;
            let (mut friction, mut unresolved) = (0u64, 0u64);
            for _ in 0..20_000 {
                pair.trust = 0.8;
                let (f, u) = pair.cases_month(&c, &d, &traits, [0.0; 3], &mut rng);
                friction += u64::from(f);
                unresolved += u64::from(u);
            }
            unresolved as f64 / friction as f64
        };
        assert!(unresolved_share(InformalContact::Daily) < unresolved_share(InformalContact::Rarer));
    }

    #[test]
    fn a_new_pair_starts_at_a_typical_level_and_learns_its_match() {
        let (c, d, _) = setup("");
        let start = Month::new(2000, 1);
        let mut pair = Relationship::new(0.0, start, &mut stream(1, 0, 0, Process::Cases));
        pair.trust = 0.1;
        pair.form(&c, (PairCause::NewDirector, [0; 4]), 0.0, start, &mut stream(1, 0, 0, Process::Director));
        assert_eq!(pair.trust, logistic(c.trust.base), "a new director starts at a typical pair's level");
        pair.trust = 0.1;
        pair.form(&c, (PairCause::NewMayor, [0; 4]), 0.0, start, &mut stream(1, 0, 0, Process::Politics));
        assert_eq!(pair.trust, 0.1, "a new mayor inherits the director's standing");
        assert_eq!(pair.resting_trust, logistic(c.trust.base));
        // A poor match: the resting level sinks toward the pair's own as the months pass.
        pair.chemistry = -2.0;
        let mut rests = Vec::new();
        for m in [1, 6, 12, 24, 120] {
            pair.month(&c, &d, Month(start.0 + m));
            rests.push(pair.resting_trust);
        }
        assert!(rests.windows(2).all(|w| w[1] <= w[0]), "{rests:?}");
        assert!((rests[4] - logistic(c.trust.base - 2.0)).abs() < 0.01, "{rests:?}");
    }

    #[test]
    fn repair_never_lowers_trust_above_its_resting_level() {
        let mut pair = Relationship::new(0.0, Month::new(2000, 1), &mut stream(1, 0, 0, Process::Cases));
        pair.resting_trust = 0.6;
        pair.trust = 0.9;
        pair.repair(0.5);
        assert_eq!(pair.trust, 0.9);
        pair.trust = 0.2;
        pair.repair(0.5);
        assert!((pair.trust - 0.4).abs() < 1e-15);
    }

    #[test]
    fn mismatch_counts_steps_between_expectations() {
        use Role::*;
        assert_eq!(
            mismatch(
                &[Independence, Dialogue, Loyalty, Dialogue],
                &[Loyalty, Dialogue, Independence, Independence]
            ),
            [2, 0, 2, 1]
        );
    }
}
