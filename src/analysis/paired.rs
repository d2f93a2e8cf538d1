//! Paired differences between a reform and its base under common random numbers, and their
//! intervals: the simulation's (Student's t over replications) and, with posterior draws of the
//! parameters, the parameters' part (`parameter_variance`). Every effect samspill reports (on the
//! headlines, year by year, by subgroup, for one municipality) is estimated here.

use crate::stats::{self, Estimate};

/// A paired difference, reform − base, over replications.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Paired {
    /// Means over the replications where both are defined.
    pub base: f64,
    pub reform: f64,
    /// Mean paired difference.
    pub difference: f64,
    /// 95 % interval of the difference: simulation and, with posterior draws, parameter
    /// uncertainty (half-widths added in quadrature: the Student-t half-width of the mean and
    /// 1.96 × the parameters' standard deviation of the effect, estimated from how much more
    /// the paired differences under the draws vary than those at the calibrated values).
    pub ci95: [f64; 2],
    /// 95 % interval from simulation error alone.
    pub ci95_simulation: [f64; 2],
    /// Replications where the outcome is defined in both.
    pub replications: usize,
}

impl Paired {
    /// The paired difference of `calibrated` (base and reform values, replication by
    /// replication, at the calibrated parameters) and, for the parameters' part of the interval,
    /// `drawn` (the same under posterior draws; empty without). `None` if no replication has
    /// both values.
    pub fn new(calibrated: (&[f64], &[f64]), drawn: (&[f64], &[f64])) -> Option<Paired> {
        let pairs: Vec<(f64, f64)> = calibrated
            .0
            .iter()
            .zip(calibrated.1)
            .map(|(b, r)| (*b, *r))
            .filter(|(b, r)| b.is_finite() && r.is_finite())
            .collect();
        if pairs.is_empty() {
            return None;
        }
        let differences: Vec<f64> = pairs.iter().map(|(b, r)| r - b).collect();
        let e = Estimate::from_samples(&differences);
        let difference = e.mean.unwrap_or(f64::NAN);
        let ci95_simulation = e.ci95.unwrap_or([difference, difference]);
        // The paired differences under the posterior draws vary by simulation and by the
        // parameters; at the calibrated values by simulation alone. The excess variance is
        // the parameters' (a change of parameters shifts every later event, so common random
        // numbers do not pair a draw's run with the calibrated one).
        let drawn: Vec<f64> =
            drawn.0.iter().zip(drawn.1).map(|(b, r)| r - b).filter(|x| x.is_finite()).collect();
        let parameter_variance = if drawn.len() < 2 || differences.len() < 2 {
            0.0
        } else {
            parameter_variance(
                (stats::sd(&drawn).powi(2), drawn.len()),
                (stats::sd(&differences).powi(2), differences.len()),
            )
        };
        // Without a parameter part (no draws) the interval is the simulation's, to the bit
        // (recomputing it from its half-width could move a bound by rounding).
        let ci95 = if parameter_variance == 0.0 {
            ci95_simulation
        } else {
            let parameter = 1.96 * parameter_variance.sqrt();
            let simulation = (ci95_simulation[1] - ci95_simulation[0]) / 2.0;
            let half = simulation.hypot(parameter);
            [difference - half, difference + half]
        };
        Some(Paired {
            base: stats::mean(&pairs.iter().map(|p| p.0).collect::<Vec<_>>()),
            reform: stats::mean(&pairs.iter().map(|p| p.1).collect::<Vec<_>>()),
            difference,
            ci95,
            ci95_simulation,
            replications: pairs.len(),
        })
    }
}

/// The parameters' variance τ² of an effect, from the sample variance of its paired differences
/// under the posterior draws (`drawn`: variance and count) and at the calibrated values
/// (`calibrated`). Their ratio is (1 + τ²/σ²) times an F variable with (n_drawn − 1,
/// n_calibrated − 1) degrees of freedom, σ² the simulation's variance. The estimate is the
/// posterior mean of τ² = s² σ² under a uniform prior on s = τ/σ (the prior Gelman 2006
/// recommends for a variance component with few groups), σ² taken as its sample variance: it
/// follows the excess variance where that is clear, and unlike the excess (negative, so nil,
/// about one time in ten with 16 draws even where τ is as large as σ) it is never nil: a few
/// draws can show that the parameters matter little, not that they do not matter.
pub fn parameter_variance(drawn: (f64, usize), calibrated: (f64, usize)) -> f64 {
    let ((drawn_var, n1), (sim_var, n0)) = (drawn, calibrated);
    if drawn_var.is_nan() || drawn_var <= 0.0 || n1 < 2 || n0 < 2 {
        return 0.0;
    }
    if sim_var.is_nan() || sim_var <= 0.0 {
        // No simulation noise at the calibrated values: all the variation is the parameters'.
        return drawn_var;
    }
    let (d1, d2) = ((n1 - 1) as f64, (n0 - 1) as f64);
    // The F density's logarithm up to a constant (which the normalisation below removes).
    let ln_f = |x: f64| (d1 / 2.0 - 1.0) * x.ln() - (d1 + d2) / 2.0 * (d1 * x + d2).ln();
    let ratio = drawn_var / sim_var;
    // The likelihood of s falls off as (1 + s²)^−(n1 − 1)/2 beyond the observed ratio.
    let upper = 10.0 * (ratio.sqrt() + 1.0);
    let steps = 4000;
    let grid: Vec<(f64, f64)> = (0..steps)
        .map(|j| {
            let s = (f64::from(j) + 0.5) * upper / f64::from(steps);
            let scale = 1.0 + s * s;
            (s * s, ln_f(ratio / scale) - scale.ln())
        })
        .filter(|(_, l)| l.is_finite())
        .collect();
    // Log-likelihoods less their largest, so that many runs neither overflow nor underflow.
    let top = grid.iter().map(|(_, l)| *l).fold(f64::NEG_INFINITY, f64::max);
    let (mut weighted, mut total) = (0.0, 0.0);
    for (s2, l) in grid {
        let likelihood = (l - top).exp();
        weighted += s2 * likelihood;
        total += likelihood;
    }
    if total > 0.0 { sim_var * weighted / total } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parameter_variance_is_never_nil_follows_a_clear_excess_and_grows_with_the_draws_spread() {
        let v = |drawn: f64| parameter_variance((drawn, 16), (1.0, 16));
        assert!(v(0.5) > 0.0, "draws that vary less than the calibrated runs still leave some τ²");
        assert!(v(0.5) < v(1.0) && v(1.0) < v(2.0) && v(2.0) < v(8.0));
        // Where the excess is clear, the estimate is of its size.
        let clear = v(9.0);
        assert!((5.0..14.0).contains(&clear), "{clear}");
        // With many runs the posterior concentrates on the excess.
        let many = parameter_variance((3.0, 4000), (1.0, 4000));
        assert!((many - 2.0).abs() < 0.2, "{many}");
        assert_eq!(parameter_variance((0.0, 16), (1.0, 16)), 0.0);
        assert_eq!(parameter_variance((2.0, 16), (0.0, 16)), 2.0);
    }
    #[test]
    fn identical_runs_differ_by_exactly_zero_with_an_interval_of_zero() {
        let values = [3.9, 4.1, 4.0, 3.7];
        let p = Paired::new((&values, &values), (&values, &values)).unwrap();
        assert_eq!((p.difference, p.ci95, p.replications), (0.0, [0.0, 0.0], 4));
        assert!(Paired::new((&[f64::NAN], &[1.0]), (&[], &[])).is_none());
    }
}
