//! The fit report: every published figure of the 2020 survey (the targets file) beside its
//! counterpart in the emulated survey, with the survey's sampling error and a z-score.
//!
//! This is calibration code: it reads the targets; the model never does. A figure is named by
//! its dotted path in the targets file (list entries with a `name` by that name, plain arrays by
//! 0-based index, a `[mean, std]` pair by index), and each is computed on the synthetic
//! respondents the way the report computed it on the real ones. A figure of the targets file
//! that this module cannot compute is an error, not a silent gap.
//!
//! Standard errors are the survey's, not the simulation's: |beta / t| for regression
//! coefficients, √(p(1−p)/n) for shares, std/√n for means (std/√(2(n−1)) for standard
//! deviations), (1−r²)/√(n−1) for correlations, with n the survey's respondents. Where the
//! report gives no basis (R² and its blocks, Cronbach's alpha, an item whose std is not
//! reported) the standard error is the spread of the statistic over the simulated surveys
//! themselves — the sampling error a 2020-style survey would have if the model were true.

mod standard_error;
mod statistic;
mod targets;

use std::sync::atomic::AtomicBool;

use serde::Serialize;

use crate::scenario::config::Config;
use crate::sim::run::RunError;
use crate::survey::{self, SurveyReplication};

pub use standard_error::SeBasis;
use standard_error::standard_error;
use statistic::{Measured, statistic};
pub use targets::Targets;

#[derive(Debug, thiserror::Error)]
pub enum FitError {
    #[error("{path}: {message}")]
    Targets { path: String, message: String },
    #[error("no simulated counterpart for the figure `{0}` of the targets file")]
    Unknown(String),
    #[error("the emulated survey of replication {replication}: {source}; {hint}", hint = crate::survey::TOO_FEW_RESPONDENTS_HINT)]
    Stats { replication: u32, source: crate::stats::StatsError },
    #[error(transparent)]
    Run(#[from] RunError),
    #[error(
        "a fit report needs at least 2 replications (the spread between them is the standard error of some figures)"
    )]
    TooFewReplications,
}

#[derive(Debug, Clone, Serialize)]
pub struct Moment {
    pub id: String,
    pub reported: f64,
    pub simulated: f64,
    pub se: f64,
    pub z: f64,
    pub se_basis: SeBasis,
}

#[derive(Debug, Clone, Serialize)]
pub struct FitReport {
    pub scenario: String,
    pub seed: u64,
    pub replications: u32,
    /// Mean complete cases of the cooperation regression per emulated survey.
    pub complete_cases: f64,
    pub moments: Vec<Moment>,
}

impl FitReport {
    /// Moments that are figures (not category labels).
    pub fn figures(&self) -> impl Iterator<Item = &Moment> {
        self.moments.iter().filter(|m| m.se_basis != SeBasis::Label)
    }
    /// Share of figures within two standard errors.
    pub fn share_within_two(&self) -> f64 {
        let (within, n) = self.figures().fold((0, 0), |(w, n), m| (w + usize::from(m.z.abs() <= 2.0), n + 1));
        within as f64 / n as f64
    }
    /// The calibration's distance: the sum of squared z-scores.
    pub fn distance(&self) -> f64 {
        self.figures().map(|m| m.z * m.z).sum()
    }

    /// A readable table, worst moments first.
    pub fn table(&self, limit: Option<usize>) -> String {
        use std::fmt::Write;
        let mut order: Vec<&Moment> = self.figures().collect();
        order.sort_by(|a, b| b.z.abs().total_cmp(&a.z.abs()));
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Fit of `{}` to the 2020 survey: {} emulated surveys, {:.0} complete cases per regression on average.",
            self.scenario, self.replications, self.complete_cases
        );
        let _ = writeln!(
            out,
            "{:.0} % of {} figures lie within 2 survey standard errors (sum of z² = {:.1}).\n",
            100.0 * self.share_within_two(),
            order.len(),
            self.distance()
        );
        let _ = writeln!(out, "{:<64} {:>9} {:>9} {:>8} {:>7}", "figure", "reported", "simulated", "se", "z");
        for m in order.iter().take(limit.unwrap_or(usize::MAX)) {
            let _ = writeln!(
                out,
                "{:<64} {:>9.3} {:>9.3} {:>8.3} {:>7.2}",
                m.id, m.reported, m.simulated, m.se, m.z
            );
        }
        out
    }
}

/// Computes the fit report from surveys already run.
pub fn report(
    config: &Config,
    targets: &Targets,
    surveys: &[SurveyReplication],
) -> Result<FitReport, FitError> {
    if surveys.len() < 2 {
        return Err(FitError::TooFewReplications);
    }
    let measured: Vec<Measured> = surveys
        .iter()
        .map(|rep| {
            survey::regressions(&rep.directors)
                .map(|regressions| Measured { rep, regressions })
                .map_err(|source| FitError::Stats { replication: rep.replication, source })
        })
        .collect::<Result<_, _>>()?;
    let mut moments = Vec::with_capacity(targets.figures.len());
    for target in &targets.figures {
        let values: Vec<f64> = measured
            .iter()
            .map(|m| statistic(&target.id, m, targets).ok_or_else(|| FitError::Unknown(target.id.clone())))
            .collect::<Result<_, _>>()?;
        let simulated = values.iter().sum::<f64>() / values.len() as f64;
        let (se, se_basis) = standard_error(target, targets, &values);
        let z = if se_basis == SeBasis::Label { 0.0 } else { (simulated - target.reported) / se };
        moments.push(Moment { id: target.id.clone(), reported: target.reported, simulated, se, z, se_basis });
    }
    let complete_cases =
        measured.iter().map(|m| m.regressions.cooperation.n as f64).sum::<f64>() / measured.len() as f64;
    Ok(FitReport {
        scenario: config.name.clone(),
        seed: config.seed,
        replications: surveys.len() as u32,
        complete_cases,
        moments,
    })
}

/// Runs `config.replications` emulated surveys and compares them with the targets.
pub fn fit(
    config: &Config,
    targets: &Targets,
    threads: usize,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<FitReport, FitError> {
    if config.replications < 2 {
        return Err(FitError::TooFewReplications);
    }
    let surveys = survey::run_survey(config, 0..config.replications, threads, progress, cancel)?;
    report(config, targets, &surveys)
}
