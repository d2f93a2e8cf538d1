//! Calibration by the simulated method of moments: choose the mechanism parameters (and the
//! survey instrument's item centres) so that the emulated 2020 survey reproduces the published
//! figures. Distance = Σ z², z = (simulated − reported) / survey SE, over every figure of the
//! fit report (see `fit`). This is calibration code: it reads the targets; the model does not.
//!
//! Two kinds of parameter are fitted differently, because they act differently:
//!
//! * **Instrument anchors** (`ANCHORS`): an item's centre moves that item's mean almost one for
//!   one and touches little else, so each is solved for its own figure by secant steps, all at
//!   once, a few rounds at a time.
//! * **Mechanism parameters** (`FREE`): they move many figures together (the regressions, the
//!   correlations, turnover), so they are fitted jointly by Nelder–Mead (the `argmin` crate) on
//!   the unit box of their ranges.
//!
//! Every evaluation uses the same seed: common random numbers, so that the distance changes
//! only because the parameters did, and the optimiser is not chasing simulation noise.

use std::sync::atomic::{AtomicBool, Ordering};

use argmin::core::{CostFunction, Executor};
use argmin::solver::neldermead::NelderMead;

use crate::analysis::fit::{self, FitError, FitReport, Targets};
use crate::scenario::config::Config;
use crate::scenario::{self, ScenarioFile};
use crate::survey;

mod identify;
mod parameters;
pub use identify::{BLOCKS as IDENTIFY_BLOCKS, Estimated, Identification, posterior_csv};
use parameters::range_of;
pub use parameters::{ANCHORS, Anchor, FREE, Free, HEADER_MARK, get, round4, set, write_scenario};

#[derive(Debug, thiserror::Error)]
pub enum CalibrateError {
    #[error(transparent)]
    Fit(#[from] FitError),
    #[error("parameter `{0}`: {1}")]
    Parameter(String, String),
    #[error("the optimiser failed: {0}")]
    Optimiser(String),
    #[error("calibration cancelled")]
    Cancelled,
}

/// Settings of a calibration.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Emulated surveys per evaluation.
    pub replications: u32,
    /// Evaluations the optimiser may spend on the mechanism parameters.
    pub budget: u64,
    /// Rounds of secant steps on the instrument anchors, before and after the optimiser.
    pub anchor_rounds: u32,
    pub threads: usize,
}

/// What the calibration reports as it goes.
pub trait Progress: Sync {
    /// An evaluation finished with this distance; `best` is the best so far.
    fn evaluation(&self, stage: &str, distance: f64, best: f64);
}

struct Evaluator<'a> {
    base: &'a ScenarioFile,
    name: &'a str,
    targets: &'a Targets,
    settings: Settings,
    cancel: &'a AtomicBool,
    progress: &'a dyn Progress,
    pool: rayon::ThreadPool,
    best: std::sync::Mutex<(f64, ScenarioFile)>,
    evaluations: std::sync::atomic::AtomicU64,
}

impl<'a> Evaluator<'a> {
    /// An evaluator of scenarios near `base` (called `name`), with its own worker pool.
    fn new(
        base: &'a ScenarioFile,
        name: &'a str,
        targets: &'a Targets,
        settings: Settings,
        progress: &'a dyn Progress,
        cancel: &'a AtomicBool,
    ) -> Result<Evaluator<'a>, CalibrateError> {
        let (pool, _) =
            crate::sim::run::pool(settings.threads).map_err(|e| CalibrateError::Fit(FitError::Run(e)))?;
        Ok(Evaluator {
            base,
            name,
            targets,
            settings,
            cancel,
            progress,
            pool,
            best: std::sync::Mutex::new((f64::INFINITY, base.clone())),
            evaluations: std::sync::atomic::AtomicU64::new(0),
        })
    }

    /// The scenario of an evaluation: `file` with the evaluation's replications, validated.
    fn config(&self, file: &ScenarioFile) -> Result<Config, CalibrateError> {
        let mut file = file.clone();
        file.replications = self.settings.replications;
        scenario::validate(&file, self.name).map_err(|p| {
            CalibrateError::Parameter(
                "scenario".into(),
                p.iter().map(|p| p.message.clone()).collect::<Vec<_>>().join("; "),
            )
        })
    }

    fn evaluate(&self, file: &ScenarioFile, stage: &str) -> Result<FitReport, CalibrateError> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(CalibrateError::Cancelled);
        }
        let config = self.config(file)?;
        let surveys = self
            .pool
            .install(|| survey::survey_in_pool(&config, 0..config.replications, &|_| {}, self.cancel))
            .map_err(|e| match e {
                crate::sim::run::RunError::Cancelled => CalibrateError::Cancelled,
                other => CalibrateError::Fit(FitError::Run(other)),
            })?;
        self.evaluations.fetch_add(1, Ordering::Relaxed);
        let report = fit::report(&config, self.targets, &surveys)?;
        let d = report.distance();
        let mut best = self.best.lock().expect("no panics while holding the lock");
        if d < best.0 {
            *best = (d, file.clone());
        }
        self.progress.evaluation(stage, d, best.0);
        Ok(report)
    }

    /// Secant steps on the instrument anchors, all at once, for `rounds` rounds.
    fn anchor_rounds(&self, mut file: ScenarioFile, rounds: u32) -> Result<ScenarioFile, CalibrateError> {
        let mut slopes: Vec<f64> = ANCHORS.iter().map(|a| a.slope).collect();
        let mut previous: Option<(Vec<f64>, Vec<f64>)> = None;
        for _ in 0..rounds {
            let report = self.evaluate(&file, "instrument")?;
            let xs = get(&file, ANCHORS.iter().map(|a| a.path))?;
            let ys: Vec<f64> = ANCHORS
                .iter()
                .map(|a| moment(&report, a.figure).map(|m| m.simulated))
                .collect::<Result<_, _>>()?;
            if let Some((px, py)) = &previous {
                for j in 0..ANCHORS.len() {
                    let (dx, dy) = (xs[j] - px[j], ys[j] - py[j]);
                    // Keep the secant only where it is informative and has the expected sign.
                    if dx.abs() > 1e-6 && dy.abs() > 1e-9 && (dy / dx).signum() == slopes[j].signum() {
                        slopes[j] = dy / dx;
                    }
                }
            }
            let mut updates = Vec::new();
            for (j, a) in ANCHORS.iter().enumerate() {
                let m = moment(&report, a.figure)?;
                let (lo, hi) = range_of(a.path);
                // At most a tenth of the parameter's plausible span per round.
                let span = if hi.is_finite() && lo.is_finite() { 0.1 * (hi - lo) } else { 1.0 };
                let step = ((m.reported - m.simulated) / slopes[j]).clamp(-span.min(1.0), span.min(1.0));
                updates.push((a.path, (xs[j] + step).clamp(lo, hi)));
            }
            previous = Some((xs, ys));
            file = set(&file, &updates)?;
        }
        Ok(file)
    }
}

fn moment<'r>(report: &'r FitReport, id: &str) -> Result<&'r fit::Moment, CalibrateError> {
    report
        .moments
        .iter()
        .find(|m| m.id == id)
        .ok_or_else(|| CalibrateError::Fit(FitError::Unknown(id.into())))
}

/// The distance given to a point whose emulated surveys cannot be measured (a figure
/// undefined, a regression that cannot be estimated): worse than any fit, but a number, so the
/// optimiser turns back from it instead of the calibration ending.
pub const DEGENERATE_DISTANCE: f64 = 1e9;

struct Objective<'a, 'b> {
    evaluator: &'a Evaluator<'b>,
    file: &'a ScenarioFile,
    /// The optimiser stops when the evaluation count reaches this.
    budget_ends: u64,
    /// The first evaluation that failed, if any.
    failure: std::sync::Mutex<Option<CalibrateError>>,
}

impl Objective<'_, '_> {
    fn file_at(&self, unit: &[f64]) -> Result<ScenarioFile, CalibrateError> {
        let values: Vec<(&str, f64)> =
            FREE.iter().zip(unit).map(|(f, u)| (f.path, f.lo + f.span() * u.clamp(0.0, 1.0))).collect();
        set(self.file, &values)
    }
}

impl CostFunction for Objective<'_, '_> {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, unit: &Self::Param) -> Result<f64, argmin::core::Error> {
        // argmin unwraps the costs of the first simplex, so a cost never fails: once the
        // budget is spent, the run is cancelled or an evaluation fails, every further point
        // costs infinity (without running the model) and the failure is reported afterwards.
        if self.evaluator.evaluations.load(Ordering::Relaxed) >= self.budget_ends
            || self.evaluator.cancel.load(Ordering::Relaxed)
        {
            return Ok(f64::INFINITY);
        }
        // Outside the unit box: the nearest point's distance plus a penalty, so the simplex
        // turns back without the model ever running with an implausible value.
        let outside: f64 = unit.iter().map(|u| (u - u.clamp(0.0, 1.0)).powi(2)).sum();
        let report = self.file_at(unit).and_then(|file| self.evaluator.evaluate(&file, "mechanisms"));
        match report {
            Ok(report) => Ok(report.distance() * (1.0 + 10.0 * outside)),
            // A point whose emulated surveys cannot be measured is a bad fit, not a failure.
            Err(CalibrateError::Fit(FitError::Degenerate { .. })) => {
                Ok(DEGENERATE_DISTANCE * (1.0 + outside))
            }
            Err(e) => {
                let mut failure = self.failure.lock().expect("no panics while holding the lock");
                failure.get_or_insert(e);
                Ok(f64::INFINITY)
            }
        }
    }
}

/// The result of a calibration.
pub struct Calibrated {
    pub file: ScenarioFile,
    pub distance: f64,
    pub evaluations: u64,
}

/// Identification and posterior sample of the mechanism parameters at the values of `file`
/// (see `identify`); every evaluation has `settings.replications` surveys from the file's seed.
pub fn identify(
    file: &ScenarioFile,
    name: &str,
    targets: &Targets,
    settings: Settings,
    progress: &dyn Progress,
    cancel: &AtomicBool,
) -> Result<Estimated, CalibrateError> {
    let evaluator = Evaluator::new(file, name, targets, settings, progress, cancel)?;
    evaluator.identify(file, file.seed)
}

/// Calibrates `file` (whose scenario is called `name`) to `targets`.
pub fn calibrate(
    file: &ScenarioFile,
    name: &str,
    targets: &Targets,
    settings: Settings,
    progress: &dyn Progress,
    cancel: &AtomicBool,
) -> Result<Calibrated, CalibrateError> {
    let evaluator = Evaluator::new(file, name, targets, settings, progress, cancel)?;

    // 1. The instrument, given the starting mechanisms.
    let start = evaluator.anchor_rounds(evaluator.base.clone(), settings.anchor_rounds)?;

    // 2. The mechanisms, jointly, by Nelder–Mead on the unit box, until the budget is spent
    //    or the simplex has converged. The best point seen is kept, whatever the simplex does.
    let x0: Vec<f64> = FREE
        .iter()
        .zip(get(&start, FREE.iter().map(|f| f.path))?)
        .map(|(f, x)| ((x - f.lo) / f.span()).clamp(0.0, 1.0))
        .collect();
    let mut simplex = vec![x0.clone()];
    for j in 0..x0.len() {
        let mut v = x0.clone();
        v[j] = if v[j] > 0.5 { v[j] - 0.15 } else { v[j] + 0.15 };
        simplex.push(v);
    }
    let budget_ends = evaluator.evaluations.load(Ordering::Relaxed) + settings.budget;
    let objective =
        Objective { evaluator: &evaluator, file: &start, budget_ends, failure: std::sync::Mutex::new(None) };
    let solver = NelderMead::new(simplex)
        .with_sd_tolerance(1e-3)
        .map_err(|e| CalibrateError::Optimiser(e.to_string()))?;
    let run = Executor::new(objective, solver)
        .configure(|s| s.max_iters(settings.budget))
        .run()
        .map_err(|e| CalibrateError::Optimiser(e.to_string()))?;
    let failure = run.problem.problem.and_then(|o| o.failure.into_inner().ok().flatten());
    if cancel.load(Ordering::Relaxed) {
        return Err(CalibrateError::Cancelled);
    }
    if let Some(e) = failure {
        return Err(e);
    }
    let mechanisms = evaluator.best.lock().expect("no panics while holding the lock").1.clone();

    // 3. The instrument again, for the fitted mechanisms; keep the best file seen.
    let last = evaluator.anchor_rounds(mechanisms, settings.anchor_rounds)?;
    let final_report = evaluator.evaluate(&last, "instrument")?;
    let (best_distance, best_file) = evaluator.best.lock().expect("no panics while holding the lock").clone();
    let (file, distance) = if final_report.distance() <= best_distance {
        (last, final_report.distance())
    } else {
        (best_file, best_distance)
    };
    Ok(Calibrated { file, distance, evaluations: evaluator.evaluations.load(Ordering::Relaxed) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::parse_str;

    #[test]
    fn every_anchor_names_a_figure_of_the_fit_report() {
        // The default 356 municipalities and two replications: the fit report needs two
        // surveys, each with enough respondents for its regressions.
        let config = parse_str("replications = 2\n", "t").unwrap().1;
        let surveys = survey::run_survey(&config, 0..2, 2, &|_| {}, &AtomicBool::new(false)).unwrap();
        let report = fit::report(&config, &Targets::bundled(), &surveys).unwrap();
        for a in ANCHORS {
            let m = moment(&report, a.figure).unwrap_or_else(|e| panic!("{}: {e}", a.path));
            assert!(m.simulated.is_finite() && m.se > 0.0, "{}: {m:?}", a.figure);
            assert!(m.anchored, "{} is marked anchored", a.figure);
        }
        // The report's marks: every anchored figure is an anchor's; every prefix of the inputs
        // read back names figures (none is stale); informative means more than 2 SE from zero.
        let anchored = report.moments.iter().filter(|m| m.anchored).count();
        assert_eq!(anchored, ANCHORS.len());
        for prefix in fit::INPUTS_READ_BACK {
            assert!(
                report.moments.iter().any(|m| m.id.starts_with(prefix)),
                "no figure starts with {prefix}"
            );
        }
        for m in report.figures() {
            assert_eq!(m.informative, m.reported.abs() > 2.0 * m.se, "{}", m.id);
        }
        let s = report.summary;
        assert_eq!(s.all.figures, report.figures().count());
        assert!(s.mechanisms.figures < s.all.figures && s.informative.figures < s.all.figures);
        assert!((s.all.share_within_two_se - report.share_within_two()).abs() < 1e-12);
    }
}
