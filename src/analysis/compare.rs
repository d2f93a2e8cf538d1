//! Comparing reforms with a base scenario, with common random numbers.
//!
//! Every scenario is run with the base's seed and replication count. Because each process of
//! each municipality draws from its own stream (`rng`), replication `r` of every scenario has
//! the same municipalities, elections, cases and shocks; a reform changes only what it acts
//! on. Differences are therefore taken replication by replication (paired), and their 95 %
//! intervals come from the spread of those paired differences (Student's t). A scenario
//! compared with itself gives differences of exactly zero.
//!
//! Survey power asks whether the 2020 survey could have seen a reform: in each replication,
//! half of the municipalities (drawn from the `Adoption` stream) are taken from the reform's
//! world and half from the base's — municipalities do not interact, so this is the world in
//! which half adopted it — and the directors' answers are analysed as an evaluator would: OLS
//! of the cooperation index on an adoption indicator with the report's register controls
//! (log population, centrality, merger). Practices, climate and the other predictors of the
//! report's regression are left out because a reform acts through them: controlling for a
//! mediator would hide the effect being sought. Power is the share of emulated surveys in
//! which the indicator is significant at the 10 % level (two-sided).

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

use ndarray::{Array2, Axis};
use serde::Serialize;

use crate::foundation::rng::{self, Process};
use crate::scenario::config::Config;
use crate::sim::record::{TENURE_BIN0, TENURE_BINS, Tally, new_tally};
use crate::sim::run::{self, RunError, RunOptions, RunStats};
use crate::sim::summary::{HEADLINES, headline_values};
use crate::stats;
use crate::stats::Estimate;
use crate::survey::{self, SurveyReplication};

/// Significance level of the survey power test.
pub const POWER_ALPHA: f64 = 0.10;
/// Share of municipalities that adopt the reform in the survey power calculation.
pub const ADOPTION_SHARE: f64 = 0.5;
/// Register controls of the power regression (pre-treatment: a reform cannot move them).
pub const POWER_CONTROLS: [&str; 3] = ["log_population", "centrality", "merged"];

/// A scenario to compare: its label (the file's stem) and its configuration.
#[derive(Debug, Clone)]
pub struct Entry {
    pub label: String,
    pub config: Config,
}

/// What one scenario's runs produced.
#[derive(Debug, Clone)]
pub struct ScenarioResult {
    pub label: String,
    pub description: String,
    /// Headline figures per replication, in `HEADLINES` order.
    pub headlines: Vec<Vec<f64>>,
    /// Tallies of the reported period summed over replications (one row per reported year).
    pub tally: Array2<f64>,
    pub first_year: i32,
    /// The emulated 2020 survey of every replication.
    pub surveys: Vec<SurveyReplication>,
}

impl ScenarioResult {
    /// Mean cooperation per reported year.
    pub fn cooperation_by_year(&self) -> Vec<(i32, f64)> {
        self.by_year(|row| row[Tally::CooperationSum as usize] / row[Tally::MunicipalityMonths as usize])
    }

    /// Exits of one reason per 100 municipalities per reported year.
    pub fn exits_by_year(&self, reason: usize) -> Vec<(i32, f64)> {
        self.by_year(|row| {
            100.0 * row[Tally::Exits0 as usize + reason] / (row[Tally::MunicipalityMonths as usize] / 12.0)
        })
    }

    fn by_year(&self, f: impl Fn(&[f64]) -> f64) -> Vec<(i32, f64)> {
        self.tally
            .axis_iter(Axis(0))
            .enumerate()
            .map(|(i, row)| {
                (self.first_year + i as i32, f(row.as_slice().expect("tally rows are contiguous")))
            })
            .collect()
    }

    /// Share of completed tenures in each whole-year bin (the last bin open), over the reported period.
    pub fn tenure_distribution(&self) -> Vec<f64> {
        let total = self.tally.sum_axis(Axis(0));
        let counts: Vec<f64> = (0..TENURE_BINS).map(|b| total[TENURE_BIN0 + b]).collect();
        let n: f64 = counts.iter().sum();
        counts.iter().map(|c| if n > 0.0 { c / n } else { 0.0 }).collect()
    }
}

/// One outcome of one reform, as `comparison.json` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct OutcomeRow {
    pub scenario: String,
    pub outcome: &'static str,
    /// Mean over replications in the base scenario.
    pub base: f64,
    /// Mean over replications in the reform scenario.
    pub reform: f64,
    /// Mean paired difference, reform − base.
    pub difference: f64,
    /// 95 % interval of the mean paired difference.
    pub ci95: [f64; 2],
    /// Replications where the outcome is defined in both scenarios.
    pub replications: usize,
}

/// The chance that a 2020-style survey detects a reform adopted by half the municipalities.
#[derive(Debug, Clone, Serialize)]
pub struct Power {
    pub scenario: String,
    /// Share of emulated surveys in which the adoption indicator is significant at 10 %.
    pub power: f64,
    /// Wilson 95 % interval of that share (it is estimated from finitely many surveys).
    pub ci95: [f64; 2],
    pub surveys: usize,
    /// Mean standardised beta of the adoption indicator.
    pub mean_beta: f64,
    /// Mean complete cases per survey.
    pub mean_complete_cases: f64,
}

/// Everything `compare` found.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub base: ScenarioResult,
    pub reforms: Vec<ScenarioResult>,
    pub outcomes: Vec<OutcomeRow>,
    pub power: Vec<Power>,
    pub seed: u64,
    pub replications: u32,
    pub report_start: String,
    pub report_end: String,
    pub stats: RunStats,
}

/// Runs the base and every reform with the base's seed and replications, and compares them.
/// `progress` counts municipality timelines (each scenario runs every municipality twice:
/// the full history, and the history up to the survey).
pub fn compare(
    base: &Entry,
    reforms: &[Entry],
    threads: usize,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<Comparison, RunError> {
    let seed = base.config.seed;
    let replications = base.config.replications;
    let mut municipality_months = 0;
    let mut threads_used = threads;
    let mut run_one = |entry: &Entry| -> Result<ScenarioResult, RunError> {
        let mut config = entry.config.clone();
        config.seed = seed;
        config.replications = replications;
        let (mut result, stats) = run_scenario(&entry.label, &config, threads, progress, cancel)?;
        threads_used = stats.threads;
        municipality_months += stats.municipality_months;
        result.surveys = survey::run_survey(&config, 0..replications, threads, progress, cancel)?;
        municipality_months += survey::municipality_months(&config)?;
        Ok(result)
    };
    let base_result = run_one(base)?;
    let mut reform_results = Vec::with_capacity(reforms.len());
    for r in reforms {
        reform_results.push(run_one(r)?);
    }
    let mut outcomes = Vec::new();
    let mut power = Vec::new();
    for r in &reform_results {
        outcomes.extend(paired_outcomes(&base_result, r));
        power.push(
            survey_power(&base_result, r, seed)
                .map_err(|e| RunError::Input(format!("survey power of {}: {e}", r.label)))?,
        );
    }
    let cal = &base.config.calendar;
    Ok(Comparison {
        base: base_result,
        reforms: reform_results,
        outcomes,
        power,
        seed,
        replications,
        report_start: cal.report_start.to_string(),
        report_end: cal.end.to_string(),
        stats: RunStats { threads: threads_used, municipality_months },
    })
}

/// Runs one scenario as it stands (its own seed and replications) and keeps what a comparison
/// needs: headlines per replication and the summed tally. No survey (`surveys` is empty).
pub fn run_scenario(
    label: &str,
    config: &Config,
    threads: usize,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<(ScenarioResult, RunStats), RunError> {
    let mut config = config.clone();
    config.output.municipalities = false;
    let mut headlines = Vec::new();
    let mut tally = new_tally(&config);
    let stats = run::run(&config, RunOptions { threads }, progress, cancel, |rep| {
        headlines.push(headline_values(&rep.tally.sum_axis(Axis(0)).view()).to_vec());
        tally += &rep.tally;
        Ok(())
    })?;
    let result = ScenarioResult {
        label: label.to_string(),
        description: config.description.trim().to_string(),
        headlines,
        tally,
        first_year: config.calendar.report_start.year(),
        surveys: Vec::new(),
    };
    Ok((result, stats))
}

/// Paired differences of every headline, replication by replication.
pub fn paired_outcomes(base: &ScenarioResult, reform: &ScenarioResult) -> Vec<OutcomeRow> {
    HEADLINES
        .iter()
        .enumerate()
        .filter_map(|(i, name)| {
            let pairs: Vec<(f64, f64)> = base
                .headlines
                .iter()
                .zip(&reform.headlines)
                .map(|(b, r)| (b[i], r[i]))
                .filter(|(b, r)| b.is_finite() && r.is_finite())
                .collect();
            if pairs.is_empty() {
                return None;
            }
            let differences: Vec<f64> = pairs.iter().map(|(b, r)| r - b).collect();
            let e = Estimate::from_samples(&differences);
            let difference = e.mean.unwrap_or(f64::NAN);
            Some(OutcomeRow {
                scenario: reform.label.clone(),
                outcome: name,
                base: stats::mean(&pairs.iter().map(|p| p.0).collect::<Vec<_>>()),
                reform: stats::mean(&pairs.iter().map(|p| p.1).collect::<Vec<_>>()),
                difference,
                ci95: e.ci95.unwrap_or([difference, difference]),
                replications: pairs.len(),
            })
        })
        .collect()
}

/// Whether municipality `id` adopts the reform in replication `replication`.
pub fn adopts(seed: u64, replication: u32, id: u32) -> bool {
    rng::uniform(&mut rng::stream(seed, replication, id, Process::Adoption)) < ADOPTION_SHARE
}

/// The survey power of a reform: see the module's header.
pub fn survey_power(
    base: &ScenarioResult,
    reform: &ScenarioResult,
    seed: u64,
) -> Result<Power, stats::StatsError> {
    let mut detections = 0;
    let mut betas = Vec::new();
    let mut cases = Vec::new();
    for (b, r) in base.surveys.iter().zip(&reform.surveys) {
        let id_column = b.directors.index("municipality").expect("survey rows carry the municipality");
        let by_id = |s: &SurveyReplication| -> BTreeMap<u32, Vec<f64>> {
            s.directors.rows.iter().map(|row| (row[id_column] as u32, row.clone())).collect()
        };
        let (base_rows, reform_rows) = (by_id(b), by_id(r));
        let ids: std::collections::BTreeSet<u32> =
            base_rows.keys().chain(reform_rows.keys()).copied().collect();
        let mut adopted = Vec::new();
        let mut rows = Vec::new();
        for id in ids {
            let adopt = adopts(seed, b.replication, id);
            if let Some(row) = if adopt { reform_rows.get(&id) } else { base_rows.get(&id) } {
                adopted.push(f64::from(u8::from(adopt)));
                rows.push(row);
            }
        }
        let column = |name: &str| -> Vec<f64> {
            let j = b
                .directors
                .index(name)
                .unwrap_or_else(|| panic!("the directors' table has a column `{name}`"));
            rows.iter().map(|row| row[j]).collect()
        };
        let y = column("cooperation_index");
        let controls: Vec<Vec<f64>> = POWER_CONTROLS.iter().map(|c| column(c)).collect();
        let mut predictors: Vec<(&str, &[f64])> = vec![("adopted", adopted.as_slice())];
        predictors.extend(POWER_CONTROLS.iter().zip(&controls).map(|(n, v)| (*n, v.as_slice())));
        let fit = stats::ols(&y, &predictors)?;
        let k = &fit.coefficients[0];
        detections += usize::from(k.p < POWER_ALPHA);
        betas.push(k.beta);
        cases.push(fit.n as f64);
    }
    let n = betas.len();
    let p = detections as f64 / n.max(1) as f64;
    Ok(Power {
        scenario: reform.label.clone(),
        power: p,
        ci95: stats::wilson(detections, n),
        surveys: n,
        mean_beta: if n > 0 { stats::mean(&betas) } else { f64::NAN },
        mean_complete_cases: if n > 0 { stats::mean(&cases) } else { f64::NAN },
    })
}
