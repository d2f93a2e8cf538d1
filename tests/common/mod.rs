//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::sync::atomic::AtomicBool;

use ndarray::Axis;
use samspill::scenario::config::Config;
use samspill::sim::run::{self, Replication, RunOptions};
use samspill::sim::summary::{HEADLINES, headline_values};

/// The default national scenario, with `edit` applied to its TOML text first.
pub fn config(extra_toml: &str) -> Config {
    samspill::scenario::parse_str(extra_toml, "test").unwrap_or_else(|p| panic!("{p:?}")).1
}

/// Runs a scenario and returns every replication.
pub fn run_all(config: &Config, threads: usize) -> Vec<Replication> {
    let mut out = Vec::new();
    run::run(config, RunOptions { threads }, &|_| {}, &AtomicBool::new(false), |r| {
        out.push(r);
        Ok(())
    })
    .unwrap();
    out
}

/// Each replication's value of one headline figure over the reported period.
pub fn headline(reps: &[Replication], name: &str) -> Vec<f64> {
    let i = HEADLINES.iter().position(|h| *h == name).unwrap_or_else(|| panic!("no headline {name}"));
    reps.iter().map(|r| headline_values(&r.tally.sum_axis(Axis(0)).view())[i]).collect()
}

/// Paired comparison under common random numbers: mean of (b − a) over replications and its
/// standard error.
pub fn paired(a: &[f64], b: &[f64]) -> (f64, f64) {
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| y - x).collect();
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    let var = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

/// Asserts that `b` exceeds `a` (sign +1) or falls short of it (sign −1) by more than four
/// standard errors of the paired difference. With 12 replications a t-statistic of 4 has a
/// one-sided chance below 0.1 % under no effect, so a pass is evidence of the direction and a
/// failure is not noise.
pub fn assert_direction(what: &str, a: &[f64], b: &[f64], sign: f64) {
    let (d, se) = paired(a, b);
    assert!(
        sign * d > 4.0 * se,
        "{what}: difference {d:.5} with standard error {se:.5}, expected sign {sign}"
    );
}
