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
//!   correlations, turnover), so they are fitted jointly by CMA-ES (the `cmaes` crate) on the
//!   unit box of their ranges: a population-based search that adapts its own step sizes and
//!   correlations and does not stall on a surface that common random numbers make piecewise
//!   flat, as a simplex does. Each generation's candidates are evaluated in parallel; the
//!   search's own draws come from the calibration seed, so a run is the same whatever the
//!   number of threads. Parameters that no figure informs are not fitted (`FIXED`).
//!
//! **The objective is not one seed's noise.** Every evaluation runs `blocks` independent blocks
//! of `replications` emulated surveys (replications `b·R .. (b+1)·R` of the calibration seed:
//! independent streams). Within a block every evaluation uses the same streams (common random
//! numbers), so the distance changes only because the parameters did; across blocks the
//! streams differ, and the figures are averaged over all of them. The spread of the blocks'
//! own distances measures the objective's noise, and the search stops when it no longer
//! improves by more than that noise.

use std::sync::atomic::{AtomicBool, Ordering};

use cmaes::{CMAESOptions, DVector};

use crate::analysis::fit::{self, FitError, FitReport, Targets};
use crate::scenario::config::Config;
use crate::scenario::{self, ScenarioFile};
use crate::survey;

mod identify;
mod parameters;
pub use identify::{BLOCKS as IDENTIFY_BLOCKS, Estimated, Identification, posterior_csv};
use parameters::range_of;
pub use parameters::{
    ANCHORS, Anchor, FIXED, FREE, Free, HEADER_MARK, Held, get, round4, set, write_scenario,
};

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
    /// Emulated surveys per seed block and evaluation.
    pub replications: u32,
    /// Independent seed blocks per evaluation (their figures are averaged; their spread is the
    /// objective's noise).
    pub blocks: u32,
    /// Evaluations the optimiser may spend on the mechanism parameters.
    pub budget: u64,
    /// Rounds of secant steps on the instrument anchors, before and after the optimiser.
    pub anchor_rounds: u32,
    pub threads: usize,
}

impl Settings {
    /// Emulated surveys per evaluation, all blocks together.
    pub fn surveys(&self) -> u32 {
        self.replications.saturating_mul(self.blocks.max(1))
    }
}

/// What the calibration reports as it goes.
pub trait Progress: Sync {
    /// An evaluation finished with this distance; `best` is the best so far.
    fn evaluation(&self, stage: &str, distance: f64, best: f64);
}

/// The distance the mechanism search minimises: Σ z² over the figures that no instrument
/// anchor solves. An anchored figure moves one for one with its item centre, which the anchor
/// rounds re-solve after the search, so while the centres are held it would only penalise
/// every mechanism that moves its level (as `identify` leaves it out of the Jacobian).
pub fn search_distance(report: &FitReport) -> f64 {
    report.figures().filter(|m| !m.anchored).map(|m| m.z * m.z).sum()
}

/// An evaluation: the fit report over every block's surveys, and each block's own report.
struct Evaluation {
    report: FitReport,
    blocks: Vec<Option<FitReport>>,
}

impl Evaluation {
    /// The noise of a distance: the standard deviation of the blocks' distances over √blocks
    /// (the distance of the pooled figures varies across seeds about as a mean over blocks
    /// would). `None` with fewer than two measurable blocks.
    fn noise(&self, distance: fn(&FitReport) -> f64) -> Option<f64> {
        let d: Vec<f64> = self.blocks.iter().flatten().map(distance).filter(|d| d.is_finite()).collect();
        if d.len() < 2 {
            return None;
        }
        let n = d.len() as f64;
        let mean = d.iter().sum::<f64>() / n;
        let var = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        Some((var / n).sqrt())
    }
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
        file.replications = self.settings.surveys();
        scenario::validate(&file, self.name).map_err(|p| {
            CalibrateError::Parameter(
                "scenario".into(),
                p.iter().map(|p| p.message.clone()).collect::<Vec<_>>().join("; "),
            )
        })
    }

    /// The fit report of `file` over every block's surveys.
    fn evaluate(&self, file: &ScenarioFile, stage: &str) -> Result<FitReport, CalibrateError> {
        self.evaluate_with(file, stage, false).map(|e| e.report)
    }

    /// As `evaluate`, with each block's own report too (for the objective's noise).
    fn evaluate_blocks(&self, file: &ScenarioFile, stage: &str) -> Result<Evaluation, CalibrateError> {
        self.evaluate_with(file, stage, true)
    }

    /// Every block's surveys of `file`, the fit report over all of them and, if `per_block`
    /// (only where the noise is wanted: the search's evaluations do without), each block's.
    fn evaluate_with(
        &self,
        file: &ScenarioFile,
        stage: &str,
        per_block: bool,
    ) -> Result<Evaluation, CalibrateError> {
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
        let blocks = if per_block && self.settings.blocks > 1 {
            surveys
                .chunks(self.settings.replications as usize)
                .map(|block| fit::report(&config, self.targets, block).ok())
                .collect()
        } else {
            Vec::new()
        };
        let d = report.distance();
        {
            let mut best = self.best.lock().expect("no panics while holding the lock");
            // Ties (vanishingly rare) go to the smaller parameter values, so that the best point
            // does not depend on which of a generation's evaluations finished first.
            let tie = d == best.0 && {
                let (a, b) =
                    (get(file, FREE.iter().map(|f| f.path))?, get(&best.1, FREE.iter().map(|f| f.path))?);
                a.iter().zip(&b).map(|(x, y)| x.total_cmp(y)).find(|o| o.is_ne())
                    == Some(std::cmp::Ordering::Less)
            };
            if d < best.0 || tie {
                *best = (d, file.clone());
            }
            self.progress.evaluation(stage, d, best.0);
        }
        Ok(Evaluation { report, blocks })
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

/// Initial step of the search, as a share of each parameter's range.
pub const INITIAL_STEP: f64 = 0.05;
/// The search stops when the best distance has improved by less than the objective's noise
/// over `10 + ⌈30 n / λ⌉` generations (n parameters, λ candidates per generation): the window
/// of CMA-ES's own flat-history criterion (Hansen's TolHistFun), here against the noise.
pub fn stall_generations(parameters: usize, population: usize) -> usize {
    10 + (30 * parameters).div_ceil(population.max(1))
}

/// The distance at a point of the unit box, as the search sees it: outside the box, the
/// nearest point's distance plus a penalty, so the search turns back without the model ever
/// running with an implausible value.
struct Objective<'a, 'b> {
    evaluator: &'a Evaluator<'b>,
    file: &'a ScenarioFile,
    /// The first evaluation that failed, if any.
    failure: std::sync::Mutex<Option<CalibrateError>>,
}

impl Objective<'_, '_> {
    fn file_at(&self, unit: &[f64]) -> Result<ScenarioFile, CalibrateError> {
        let values: Vec<(&str, f64)> =
            FREE.iter().zip(unit).map(|(f, u)| (f.path, f.lo + f.span() * u.clamp(0.0, 1.0))).collect();
        set(self.file, &values)
    }

    fn cost(&self, unit: &[f64]) -> f64 {
        // A cost never fails: once the run is cancelled or an evaluation fails, every further
        // point costs infinity (without running the model) and the failure is reported
        // afterwards. (The budget is kept in whole generations, before each one starts, so
        // which candidates run never depends on which finished first.)
        if self.evaluator.cancel.load(Ordering::Relaxed) {
            return f64::INFINITY;
        }
        let outside: f64 = unit.iter().map(|u| (u - u.clamp(0.0, 1.0)).powi(2)).sum();
        let report = self.file_at(unit).and_then(|file| self.evaluator.evaluate(&file, "mechanisms"));
        match report {
            Ok(report) => search_distance(&report) * (1.0 + 10.0 * outside),
            // A point whose emulated surveys cannot be measured is a bad fit, not a failure.
            Err(CalibrateError::Fit(FitError::Degenerate { .. })) => DEGENERATE_DISTANCE * (1.0 + outside),
            Err(e) => {
                let mut failure = self.failure.lock().expect("no panics while holding the lock");
                failure.get_or_insert(e);
                f64::INFINITY
            }
        }
    }
}

/// The result of a calibration.
pub struct Calibrated {
    pub file: ScenarioFile,
    pub distance: f64,
    /// The noise of that distance (its spread across seed blocks), where measurable.
    pub noise: Option<f64>,
    pub evaluations: u64,
    /// Generations of the search.
    pub generations: usize,
    /// Why the search stopped.
    pub stopped: String,
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
    let settings = Settings { blocks: 1, ..settings };
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

    // 2. The mechanisms, jointly, by CMA-ES on the unit box, until the budget is spent or the
    //    best distance stops improving by more than the objective's noise.
    let x0: Vec<f64> = FREE
        .iter()
        .zip(get(&start, FREE.iter().map(|f| f.path))?)
        .map(|(f, x)| ((x - f.lo) / f.span()).clamp(0.0, 1.0))
        .collect();
    let objective = Objective { evaluator: &evaluator, file: &start, failure: std::sync::Mutex::new(None) };
    let cost = |x: &DVector<f64>| objective.cost(x.as_slice());
    let mut search = CMAESOptions::new(x0, INITIAL_STEP)
        .seed(file.seed)
        .build(&cost)
        .map_err(|e| CalibrateError::Optimiser(format!("{e:?}")))?;
    let population = search.parameters().lambda() as u64;
    let stall = stall_generations(FREE.len(), search.parameters().lambda());
    let noise = evaluator.evaluate_blocks(&start, "mechanisms")?.noise(search_distance);
    let budget_ends = evaluator.evaluations.load(Ordering::Relaxed) + settings.budget;
    let mut history: Vec<f64> = Vec::new();
    let stopped = loop {
        // Only whole generations, so that the budget never cuts one short.
        if evaluator.evaluations.load(Ordering::Relaxed) + population > budget_ends {
            break format!(
                "the budget of {} evaluations was spent (generations of {population})",
                settings.budget
            );
        }
        let ended = evaluator.pool.install(|| search.next_parallel());
        let best = search.overall_best_individual().map_or(f64::INFINITY, |b| b.value);
        history.push(best);
        if cancel.load(Ordering::Relaxed) {
            return Err(CalibrateError::Cancelled);
        }
        if let Some(e) = objective.failure.lock().expect("no panics while holding the lock").take() {
            return Err(e);
        }
        if let Some(data) = ended {
            break format!("CMA-ES ended: {:?}", data.reasons);
        }
        if let Some(noise) = noise
            && history.len() > stall
            && history[history.len() - 1 - stall] - best < noise
        {
            break format!(
                "the best distance improved by less than its noise ({noise:.1}) over {stall} generations"
            );
        }
    };
    let generations = search.generation();
    let mechanisms = match search.overall_best_individual() {
        Some(b) if b.value.is_finite() => objective.file_at(b.point.as_slice())?,
        _ => start.clone(),
    };

    // 3. The instrument again, for the fitted mechanisms; keep the best file seen.
    let last = evaluator.anchor_rounds(mechanisms, settings.anchor_rounds)?;
    let final_evaluation = evaluator.evaluate_blocks(&last, "instrument")?;
    let (best_distance, best_file) = evaluator.best.lock().expect("no panics while holding the lock").clone();
    let (file, distance, noise) = if final_evaluation.report.distance() <= best_distance {
        (last, final_evaluation.report.distance(), final_evaluation.noise(FitReport::distance))
    } else {
        let noise = evaluator.evaluate_blocks(&best_file, "instrument")?.noise(FitReport::distance);
        (best_file, best_distance, noise)
    };
    Ok(Calibrated {
        file,
        distance,
        noise,
        evaluations: evaluator.evaluations.load(Ordering::Relaxed),
        generations,
        stopped,
    })
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
        // The search leaves the anchored figures to their anchors.
        let anchored: f64 = report.figures().filter(|m| m.anchored).map(|m| m.z * m.z).sum();
        assert!((search_distance(&report) + anchored - report.distance()).abs() < 1e-9);

        // The noise of a distance is the spread of the blocks' distances over √blocks; one
        // block (or none measurable) has none.
        let one = Evaluation { report: report.clone(), blocks: vec![Some(report.clone()), None] };
        assert_eq!(one.noise(FitReport::distance), None);
        let two = Evaluation { report: report.clone(), blocks: vec![Some(report.clone()), Some(report)] };
        assert_eq!(two.noise(FitReport::distance), Some(0.0));
    }

    #[test]
    fn the_stall_window_is_cma_es_own_flat_history_window() {
        // 10 + ⌈30 n / λ⌉: for 40 parameters and 15 candidates, 10 + 80.
        assert_eq!(stall_generations(40, 15), 90);
        assert_eq!(stall_generations(1, 4), 18);
        assert_eq!(stall_generations(3, 0), 100);
    }
}
