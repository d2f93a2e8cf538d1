//! Random streams and the few samplers the monthly step needs.
//!
//! Every stream is a xoshiro256++ generator seeded from (seed, replication, municipality,
//! process) through SplitMix64, so a municipality's history depends on nothing but those four
//! numbers: not on the thread that runs it, nor on the order municipalities are run in. Each
//! process (elections, climate, cases, director, events, population) has a stream of its own so
//! that a scenario which changes one process leaves the draws of the others untouched; this is
//! what makes common random numbers work when scenarios are compared.

use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Exp1, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::foundation::fastmath;

/// The generator used everywhere in the model.
pub type Stream = Xoshiro256PlusPlus;

/// The processes that own a random stream each.
#[derive(Debug, Clone, Copy)]
#[repr(u64)]
pub enum Process {
    Population = 1,
    Politics = 2,
    Climate = 3,
    Cases = 4,
    Director = 5,
    Events = 6,
    /// The survey's response and answer noise: measuring never disturbs the simulation.
    Survey = 7,
    /// Which municipalities adopt a reform when survey power is computed (`compare`).
    Adoption = 8,
    /// The points of a Latin-hypercube sweep.
    Design = 9,
    /// Draws of the parameters' posterior sample (`calibrate::identify`).
    Posterior = 10,
    /// The labour market for directors: the world's stream (municipality `WORLD`) for the
    /// order vacancies are filled in, and each municipality's for its own vacancies.
    Market = 11,
    /// Which municipalities adopt a reform at its date (`[adoption]`): one uniform per
    /// municipality, so a smaller share's adopters are among a larger one's.
    Uptake = 12,
}

/// The `municipality` argument of a stream that belongs to the whole world, not to one
/// municipality (the labour market).
pub const WORLD: u32 = u32::MAX;

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The stream of one process of one municipality in one replication.
pub fn stream(seed: u64, replication: u32, municipality: u32, process: Process) -> Stream {
    let mut s = seed;
    let mut mix = splitmix64(&mut s);
    for word in [u64::from(replication), u64::from(municipality), process as u64] {
        s = mix ^ word.wrapping_mul(0xD6E8_FEB8_6659_FD93);
        mix = splitmix64(&mut s);
    }
    let mut bytes = [0u8; 32];
    for chunk in bytes.chunks_exact_mut(8) {
        chunk.copy_from_slice(&splitmix64(&mut s).to_le_bytes());
    }
    Stream::from_seed(bytes)
}

/// Uniform on [0, 1), 53 bits.
#[inline]
pub fn uniform(rng: &mut Stream) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

#[inline]
pub fn normal(rng: &mut Stream) -> f64 {
    StandardNormal.sample(rng)
}

#[inline]
pub fn bernoulli(rng: &mut Stream, p: f64) -> bool {
    uniform(rng) < p
}

/// Poisson count by inversion; the monthly means here are small (a few at most), where
/// inversion is both exact and cheaper than the general samplers.
#[inline]
pub fn poisson_small(rng: &mut Stream, mean: f64) -> u32 {
    debug_assert!((0.0..30.0).contains(&mean));
    let limit = fastmath::exp(-mean);
    let mut k = 0;
    let mut p = uniform(rng);
    while p > limit {
        k += 1;
        p *= uniform(rng);
    }
    k
}

/// A standard exponential draw (mean 1), by the ziggurat.
#[inline]
pub fn exponential(rng: &mut Stream) -> f64 {
    Exp1.sample(rng)
}

/// An exponential clock: the cumulative hazard left until the next event of a process whose
/// hazard may change from month to month. A month of hazard h makes the event happen with
/// chance 1 − e^(−h), as a uniform draw against that chance each month would, but the clock
/// draws only when an event happens (to wind itself for the next), not every month.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Clock(f64);

impl Clock {
    /// A clock wound from `rng`.
    pub fn wound(rng: &mut Stream) -> Clock {
        Clock(exponential(rng))
    }

    /// Runs a month of hazard `h`: whether the event happens. After it has, the clock must be
    /// wound again (`wind`) before it runs on.
    #[inline]
    pub fn tick(&mut self, h: f64) -> bool {
        self.0 -= h;
        self.0 <= 0.0
    }

    /// Winds the clock for the next event.
    pub fn wind(&mut self, rng: &mut Stream) {
        self.0 = exponential(rng);
    }

    /// Runs a month of hazard `h` for a process whose events recur: how many happen (a Poisson
    /// count with mean `h`, independent of other months). One draw per event.
    #[inline]
    pub fn count(&mut self, h: f64, rng: &mut Stream) -> u32 {
        let mut left = h;
        let mut events = 0;
        while self.0 <= left {
            left -= self.0;
            events += 1;
            self.0 = exponential(rng);
        }
        self.0 -= left;
        events
    }
}

/// A duration in whole months, geometric on {1, 2, …} with the given mean; 0 when the mean
/// is 0 and 1 month for means between 0 and 1.
pub fn geometric_months(rng: &mut Stream, mean: f64) -> i32 {
    if mean <= 0.0 {
        return 0;
    }
    if mean <= 1.0 {
        return 1;
    }
    let p = 1.0 / mean;
    let u = uniform(rng).max(f64::MIN_POSITIVE);
    (u.ln() / (1.0 - p).ln()).floor() as i32 + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_differ_by_every_coordinate_and_repeat_exactly() {
        let draw = |s, r, m, p| stream(s, r, m, p).next_u64();
        let a = draw(1, 0, 0, Process::Cases);
        assert_eq!(a, draw(1, 0, 0, Process::Cases));
        assert_ne!(a, draw(2, 0, 0, Process::Cases));
        assert_ne!(a, draw(1, 1, 0, Process::Cases));
        assert_ne!(a, draw(1, 0, 1, Process::Cases));
        assert_ne!(a, draw(1, 0, 0, Process::Climate));
    }

    /// The sample mean of n Poisson draws lies within 4 standard errors of the mean
    /// (a false alarm once in ~16 000 seeds; the seed is fixed, so the test is deterministic).
    #[test]
    fn poisson_small_has_the_right_mean() {
        let mut rng = stream(9, 0, 0, Process::Cases);
        for mean in [0.05, 0.7, 3.0] {
            let n = 200_000;
            let total: u64 = (0..n).map(|_| u64::from(poisson_small(&mut rng, mean))).sum();
            let got = total as f64 / n as f64;
            let se = (mean / n as f64).sqrt();
            assert!((got - mean).abs() < 4.0 * se, "mean {mean}: got {got}");
        }
    }

    #[test]
    fn a_clock_counts_poisson_events_month_by_month() {
        let mut rng = stream(12, 0, 0, Process::Cases);
        let mut clock = Clock::wound(&mut rng);
        for mean in [0.05, 0.7, 3.0] {
            let n = 200_000;
            let counts: Vec<f64> = (0..n).map(|_| f64::from(clock.count(mean, &mut rng))).collect();
            let m = counts.iter().sum::<f64>() / f64::from(n);
            let var = counts.iter().map(|c| (c - m) * (c - m)).sum::<f64>() / f64::from(n - 1);
            // Poisson: variance = mean; the sample variance's SE is about sqrt((μ + 2μ²)/n).
            assert!((m - mean).abs() < 4.0 * (mean / f64::from(n)).sqrt(), "mean {mean}: got {m}");
            let se_var = ((mean + 2.0 * mean * mean) / f64::from(n)).sqrt();
            assert!((var - mean).abs() < 4.0 * se_var, "mean {mean}: variance {var}");
            // No month's count depends on the last one's (Poisson process increments).
            let lag: f64 = counts.windows(2).map(|w| (w[0] - m) * (w[1] - m)).sum::<f64>() / f64::from(n - 1);
            assert!(lag.abs() < 4.0 * var / f64::from(n).sqrt(), "mean {mean}: lag covariance {lag}");
        }
    }

    #[test]
    fn a_clock_fires_with_the_monthly_chance_of_its_hazard() {
        let mut rng = stream(13, 0, 0, Process::Politics);
        let h = 0.05;
        let mut clock = Clock::wound(&mut rng);
        let n = 400_000;
        let mut fired = 0u32;
        for _ in 0..n {
            if clock.tick(h) {
                fired += 1;
                clock.wind(&mut rng);
            }
        }
        let p = 1.0 - (-h).exp();
        let got = f64::from(fired) / f64::from(n);
        assert!((got - p).abs() < 4.0 * (p * (1.0 - p) / f64::from(n)).sqrt(), "{got} against {p}");
    }

    #[test]
    fn geometric_months_has_the_right_mean() {
        let mut rng = stream(3, 0, 0, Process::Director);
        let mean = 4.0;
        let n = 200_000;
        let draws: Vec<f64> = (0..n).map(|_| f64::from(geometric_months(&mut rng, mean))).collect();
        assert!(draws.iter().all(|&d| d >= 1.0));
        let m = draws.iter().sum::<f64>() / n as f64;
        // Geometric on {1, 2, …} with p = 1/mean: mean 1/p, variance (1 - p)/p².
        let expected = mean;
        let var = (1.0 - 1.0 / expected) * expected * expected;
        assert!((m - expected).abs() < 4.0 * (var / n as f64).sqrt(), "got {m}");
    }
}
