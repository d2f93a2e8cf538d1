//! One home for statistics: descriptive statistics over answers and replications (means,
//! standard deviations, shares, correlations, Cronbach's alpha), intervals (Student's t for a
//! mean across replications, Wilson for a proportion), and OLS (`ols`).
//!
//! Missing values are `NaN` throughout (an unanswered question, an undefined rate); the
//! descriptive statistics skip them.

mod ols;

pub use ols::{Coefficient, Ols, StatsError, block_increments, ols};

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

fn finite(v: &[f64]) -> impl Iterator<Item = f64> + '_ {
    v.iter().copied().filter(|x| x.is_finite())
}

/// Mean of the finite values (`NaN` if there are none).
pub fn mean(v: &[f64]) -> f64 {
    let (s, n) = finite(v).fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    s / n as f64
}

/// Sample standard deviation (n − 1) of the finite values.
pub fn sd(v: &[f64]) -> f64 {
    let m = mean(v);
    let (s, n) = finite(v).fold((0.0, 0usize), |(s, n), x| (s + (x - m).powi(2), n + 1));
    (s / (n as f64 - 1.0)).sqrt()
}

/// Share of the finite values equal to `value`.
pub fn share(v: &[f64], value: f64) -> f64 {
    let (hit, n) = finite(v).fold((0usize, 0usize), |(h, n), x| (h + usize::from(x == value), n + 1));
    hit as f64 / n as f64
}

/// Pearson correlation over the cases where both are present.
pub fn correlation(a: &[f64], b: &[f64]) -> f64 {
    let pairs: Vec<(f64, f64)> =
        a.iter().zip(b).filter(|(x, y)| x.is_finite() && y.is_finite()).map(|(x, y)| (*x, *y)).collect();
    let n = pairs.len() as f64;
    let (ma, mb) = (pairs.iter().map(|p| p.0).sum::<f64>() / n, pairs.iter().map(|p| p.1).sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in &pairs {
        sab += (x - ma) * (y - mb);
        saa += (x - ma).powi(2);
        sbb += (y - mb).powi(2);
    }
    sab / (saa * sbb).sqrt()
}

/// Cronbach's alpha of items (already reversed where needed), over complete cases.
pub fn cronbach_alpha(items: &[Vec<f64>]) -> f64 {
    let k = items.len();
    let rows: Vec<usize> = (0..items[0].len()).filter(|&i| items.iter().all(|c| c[i].is_finite())).collect();
    let pick = |c: &Vec<f64>| rows.iter().map(|&i| c[i]).collect::<Vec<f64>>();
    let item_var: f64 = items.iter().map(|c| sd(&pick(c)).powi(2)).sum();
    let total: Vec<f64> = rows.iter().map(|&i| items.iter().map(|c| c[i]).sum()).collect();
    let kf = k as f64;
    kf / (kf - 1.0) * (1.0 - item_var / sd(&total).powi(2))
}

/// A figure across replications: its mean and a 95 % confidence interval for that mean.
/// Replications where the figure is undefined (say, a mean tenure with no exits) are left out;
/// with fewer than two defined values there is no interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    pub mean: Option<f64>,
    pub ci95: Option<[f64; 2]>,
}

impl Estimate {
    /// Student's t interval: replications are independent draws of the same stochastic model.
    pub fn from_samples(samples: &[f64]) -> Estimate {
        let v: Vec<f64> = finite(samples).collect();
        let n = v.len();
        if n == 0 {
            return Estimate { mean: None, ci95: None };
        }
        let mean = v.iter().sum::<f64>() / n as f64;
        if n < 2 {
            return Estimate { mean: Some(mean), ci95: None };
        }
        let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        let t = StudentsT::new(0.0, 1.0, (n - 1) as f64).map_or(1.96, |d| d.inverse_cdf(0.975));
        let half = t * (var / n as f64).sqrt();
        Estimate { mean: Some(mean), ci95: Some([mean - half, mean + half]) }
    }
}

/// Wilson score 95 % interval of a binomial proportion.
pub fn wilson(successes: usize, n: usize) -> [f64; 2] {
    if n == 0 {
        return [0.0, 1.0];
    }
    let z = 1.959_963_984_540_054_f64;
    let nf = n as f64;
    let p = successes as f64 / nf;
    let centre = (p + z * z / (2.0 * nf)) / (1.0 + z * z / nf);
    let half = z / (1.0 + z * z / nf) * (p * (1.0 - p) / nf + z * z / (4.0 * nf * nf)).sqrt();
    [(centre - half).max(0.0), (centre + half).min(1.0)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimate_uses_student_t() {
        let e = Estimate::from_samples(&[1.0, 2.0, 3.0]);
        assert_eq!(e.mean, Some(2.0));
        // sd 1, n 3, t(0.975, 2) = 4.302653
        let [lo, hi] = e.ci95.unwrap();
        assert!((hi - 2.0 - 4.302653 / 3f64.sqrt()).abs() < 1e-5, "{hi}");
        assert!((2.0 - lo - (hi - 2.0)).abs() < 1e-12);
    }

    #[test]
    fn estimate_skips_undefined_replications_and_needs_two_for_an_interval() {
        let e = Estimate::from_samples(&[f64::NAN, 4.0]);
        assert_eq!(e, Estimate { mean: Some(4.0), ci95: None });
        assert_eq!(Estimate::from_samples(&[]), Estimate { mean: None, ci95: None });
    }

    #[test]
    fn descriptive_statistics_skip_missing_values() {
        let v = [1.0, f64::NAN, 3.0];
        assert_eq!(mean(&v), 2.0);
        assert!((sd(&v) - 2f64.sqrt()).abs() < 1e-15);
        assert_eq!(share(&v, 3.0), 0.5);
        assert!((correlation(&[1.0, 2.0, 3.0, f64::NAN], &[2.0, 4.0, 6.0, 1.0]) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn cronbach_alpha_of_identical_items_is_one() {
        let item = vec![1.0, 2.0, 4.0, 5.0, 3.0];
        assert!((cronbach_alpha(&[item.clone(), item.clone(), item]) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn wilson_interval_matches_a_textbook_value() {
        // 8 of 10: Wilson 95 % interval (0.490, 0.943).
        let [lo, hi] = wilson(8, 10);
        assert!((lo - 0.4902).abs() < 1e-3 && (hi - 0.9433).abs() < 1e-3, "{lo} {hi}");
        assert_eq!(wilson(0, 0), [0.0, 1.0]);
    }
}
