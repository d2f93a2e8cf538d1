//! The council's latent political climate in three dimensions (party cooperation, professional
//! conduct, clarity of signals), on a standardised scale: 0 is a typical council, ±1 a standard
//! deviation.
//!
//! The climate has a persistent culture that evolves from term to term, a level set at each
//! election (culture, the governing base's breadth and an election shock), a monthly drift
//! between elections, the fading lift of councillor training, and the inexperience of a newly
//! elected council, which time and training repair (the last two in conduct and clarity only).

use crate::foundation::rng::{self, Stream};
use crate::scenario::categories::{Category, category};
use crate::scenario::params::Climate as ClimateParams;

category! {
    /// The climate's dimensions, in the order every climate array holds them.
    Dimension {
        PartyCooperation = "party_cooperation", ProfessionalConduct = "professional_conduct",
        ClearSignals = "clear_signals",
    }
}

/// The climate of one council.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Climate {
    /// Persistent culture, per dimension.
    pub(crate) culture: [f64; 3],
    /// This term's level, per dimension.
    pub(crate) level: [f64; 3],
    /// Monthly drift since the election (AR(1)), per dimension.
    pub(crate) drift: [f64; 3],
    /// What councillor training adds to conduct and clarity, fading.
    pub(crate) training_lift: f64,
    /// What the newcomers' inexperience takes from conduct and clarity, fading.
    pub(crate) inexperience: f64,
}

impl Climate {
    /// A council's culture at the start of the simulation: one shared normal, then one own
    /// normal per dimension.
    pub(crate) fn new(cl: &ClimateParams, rng: &mut Stream) -> Climate {
        let mut culture = [0.0; 3];
        let shared = rng::normal(rng);
        for c in &mut culture {
            *c = cl.culture_sd
                * (cl.culture_shared.sqrt() * shared + (1.0 - cl.culture_shared).sqrt() * rng::normal(rng));
        }
        Climate { culture, level: [0.0; 3], drift: [0.0; 3], training_lift: 0.0, inexperience: 0.0 }
    }

    /// The climate this month: term level, drift and (for conduct and clarity) training's lift.
    #[inline]
    pub(crate) fn current(&self) -> [f64; 3] {
        [
            self.level[0] + self.drift[0],
            self.level[1] + self.drift[1] + self.training_lift - self.inexperience,
            self.level[2] + self.drift[2] + self.training_lift - self.inexperience,
        ]
    }

    /// A new term after an election: culture evolves, the election shifts the climate, a
    /// broader governing base (`coalition_parties`) pulls every dimension down, and the share of
    /// newcomers (`newcomers`) sets how inexperienced the council starts.
    pub(crate) fn new_term(
        &mut self,
        cl: &ClimateParams,
        coalition_parties: u32,
        newcomers: f64,
        rng: &mut Stream,
    ) {
        self.inexperience = cl.newcomer_dip * newcomers;
        let rho = cl.culture_persistence;
        let innovation_scale = (1.0 - rho * rho).sqrt() * cl.culture_sd;
        let shared = rng::normal(rng);
        let shock_shared = rng::normal(rng);
        let at_one = [cl.cooperation_at_one_party, cl.conduct_at_one_party, cl.clarity_at_one_party];
        let per_party = [cl.cooperation_per_party, cl.conduct_per_party, cl.clarity_per_party];
        for k in 0..3 {
            let own = rng::normal(rng);
            self.culture[k] = rho * self.culture[k]
                + innovation_scale
                    * (cl.culture_shared.sqrt() * shared + (1.0 - cl.culture_shared).sqrt() * own);
            let shock = cl.election_shock_sd
                * (cl.election_shock_shared.sqrt() * shock_shared
                    + (1.0 - cl.election_shock_shared).sqrt() * rng::normal(rng));
            self.level[k] =
                at_one[k] + per_party[k] * f64::from(coalition_parties - 1) + self.culture[k] + shock;
        }
    }

    /// One month between elections: the drift moves (one normal per dimension) and training's
    /// lift fades by `training_decay`.
    pub(crate) fn month(
        &mut self,
        cl: &ClimateParams,
        training_decay: f64,
        experience_decay: f64,
        rng: &mut Stream,
    ) {
        let shocks = [rng::normal(rng), rng::normal(rng), rng::normal(rng)];
        for (d, shock) in self.drift.iter_mut().zip(shocks) {
            *d = cl.drift_persistence * *d + cl.drift_sd * shock;
        }
        self.training_lift *= training_decay;
        self.inexperience *= experience_decay;
    }

    /// A round of councillor training lifts conduct and clarity by `cl.training_effect` and
    /// repairs part of the newcomers' inexperience.
    pub(crate) fn train(&mut self, cl: &ClimateParams) {
        self.training_lift += cl.training_effect;
        self.inexperience *= 1.0 - cl.training_experience_repair;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::foundation::rng::{Process, stream};

    #[test]
    fn broader_governing_bases_lower_every_dimension() {
        let cl = ClimateParams::default();
        let mut one = Climate::new(&cl, &mut stream(5, 0, 0, Process::Climate));
        let mut five = one.clone();
        one.new_term(&cl, 1, 0.5, &mut stream(5, 0, 0, Process::Climate));
        five.new_term(&cl, 5, 0.5, &mut stream(5, 0, 0, Process::Climate));
        let per_party = [cl.cooperation_per_party, cl.conduct_per_party, cl.clarity_per_party];
        for d in Dimension::ALL {
            let k = d.index();
            let gap = five.current()[k] - one.current()[k];
            assert!((gap - 4.0 * per_party[k]).abs() < 1e-12, "{d:?}: {gap}");
        }
    }

    #[test]
    fn training_lifts_conduct_and_clarity_and_fades() {
        let cl = ClimateParams::default();
        let mut c = Climate::new(&cl, &mut stream(1, 0, 0, Process::Climate));
        let before = c.current();
        let cl = ClimateParams { training_effect: 0.5, ..cl };
        c.train(&cl);
        let after = c.current();
        assert_eq!(after[Dimension::PartyCooperation.index()], before[Dimension::PartyCooperation.index()]);
        assert!(
            (after[Dimension::ClearSignals.index()] - before[Dimension::ClearSignals.index()] - 0.5).abs()
                < 1e-12
        );
        let quiet = ClimateParams { drift_sd: 0.0, ..cl };
        c.month(&quiet, 0.5, 1.0, &mut stream(1, 0, 0, Process::Climate));
        assert!((c.training_lift - 0.25).abs() < 1e-12);
    }

    #[test]
    fn a_council_of_newcomers_starts_inexperienced_and_time_and_training_repair_it() {
        let cl = ClimateParams { drift_sd: 0.0, ..ClimateParams::default() };
        let start = Climate::new(&cl, &mut stream(3, 0, 0, Process::Climate));
        let (mut old_hands, mut c) = (start.clone(), start);
        old_hands.new_term(&cl, 2, 0.0, &mut stream(3, 0, 0, Process::Climate));
        c.new_term(&cl, 2, 1.0, &mut stream(3, 0, 0, Process::Climate));
        let (seasoned, fresh) = (old_hands.current(), c.current());
        assert_eq!(fresh[0], seasoned[0], "party cooperation is not a matter of experience");
        assert!((seasoned[1] - fresh[1] - cl.newcomer_dip).abs() < 1e-12);
        c.month(&cl, 1.0, 0.5, &mut stream(3, 0, 0, Process::Climate));
        assert!((c.inexperience - 0.5 * cl.newcomer_dip).abs() < 1e-12);
        c.train(&cl);
        assert!(
            (c.inexperience - 0.5 * cl.newcomer_dip * (1.0 - cl.training_experience_repair)).abs() < 1e-12
        );
    }

    #[test]
    fn the_drift_is_stationary_with_the_expected_spread() {
        // AR(1) with persistence ρ and innovation sd σ has stationary sd σ/√(1 − ρ²).
        let cl = ClimateParams::default();
        let mut c = Climate::new(&cl, &mut stream(2, 0, 0, Process::Climate));
        let mut rng = stream(2, 0, 0, Process::Climate);
        let n = 200_000;
        let mut sum_sq = 0.0;
        for i in 0..n + 1_000 {
            c.month(&cl, 1.0, 1.0, &mut rng);
            if i >= 1_000 {
                sum_sq += c.drift[0] * c.drift[0];
            }
        }
        let sd = (sum_sq / f64::from(n)).sqrt();
        let expected = cl.drift_sd / (1.0 - cl.drift_persistence * cl.drift_persistence).sqrt();
        // Autocorrelated draws: the sample variance of an AR(1) has variance about
        // 2σ⁴(1 + ρ²)/((1 − ρ²) n), so the sample sd has standard error σ √((1 + ρ²)/(2 (1 − ρ²) n)).
        let rho2 = cl.drift_persistence * cl.drift_persistence;
        let se = expected * ((1.0 + rho2) / (2.0 * (1.0 - rho2) * f64::from(n))).sqrt();
        assert!((sd - expected).abs() < 5.0 * se, "sd {sd}, expected {expected} ± {se}");
    }
}
