//! Many municipalities under the page's settings beside the national baseline: the summaries
//! the page shows (with intervals) and the paired differences.

use std::sync::atomic::AtomicBool;

use ndarray::Axis;
use serde::Serialize;

use crate::analysis::compare::{self, OutcomeRow, ScenarioResult};
use crate::model::exits::ExitReason;
use crate::scenario::categories::Category;
use crate::scenario::config::Config;
use crate::sim::record::{COOPERATION_BIN_NAMES, Tally};
use crate::sim::run::{RunError, RunStats};
use crate::sim::summary::HEADLINES;
use crate::stats::Estimate;

/// Many municipalities under one scenario, over the window.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Summary {
    pub cooperation_mean: Estimate,
    pub poor_cooperation_share: Estimate,
    /// Director exits per 100 municipalities per year.
    pub exits_per_100_per_year: Estimate,
    /// Share of municipality-years in each bin of year-end cooperation (`record::COOPERATION_BIN_NAMES`).
    pub cooperation_bins: Vec<f64>,
    /// Exits per 100 municipalities per year, by reason (`model::ExitReason::NAMES` order).
    pub exits_by_reason_per_100_per_year: Vec<f64>,
}

fn headline(result: &ScenarioResult, name: &str, scale: f64) -> Estimate {
    let i = HEADLINES.iter().position(|h| *h == name).expect("a headline");
    let samples: Vec<f64> = result.headlines.iter().map(|h| h[i] * scale).collect();
    Estimate::from_samples(&samples)
}

/// The figures the page shows for one scenario's runs.
pub fn summarise(result: &ScenarioResult) -> Summary {
    let total = result.tally.sum_axis(Axis(0));
    let year_ends = total[Tally::YearEndMunicipalities as usize];
    let years = total[Tally::MunicipalityMonths as usize] / 12.0;
    Summary {
        cooperation_mean: headline(result, "cooperation_mean", 1.0),
        poor_cooperation_share: headline(result, "poor_cooperation_share", 1.0),
        exits_per_100_per_year: headline(result, "director_exit_rate_per_year", 100.0),
        cooperation_bins: (0..COOPERATION_BIN_NAMES.len())
            .map(|b| if year_ends > 0.0 { total[Tally::YearEndBin0 as usize + b] / year_ends } else { 0.0 })
            .collect(),
        exits_by_reason_per_100_per_year: (0..ExitReason::NAMES.len())
            .map(|r| if years > 0.0 { 100.0 * total[Tally::Exits0 as usize + r] / years } else { 0.0 })
            .collect(),
    }
}

/// Settings − baseline for the outcomes the page reports, paired by replication.
pub fn differences(baseline: &ScenarioResult, settings: &ScenarioResult) -> Vec<OutcomeRow> {
    compare::paired_outcomes(baseline, settings)
        .into_iter()
        .filter(|o| {
            ["cooperation_mean", "poor_cooperation_share", "director_exit_rate_per_year"].contains(&o.outcome)
        })
        .map(|mut o| {
            if o.outcome == "director_exit_rate_per_year" {
                let [low, high] = &mut o.effect.ci95;
                for x in [&mut o.effect.base, &mut o.effect.reform, &mut o.effect.difference, low, high] {
                    *x *= 100.0;
                }
                o.outcome = "exits_per_100_per_year";
            }
            o
        })
        .collect()
}

/// Runs the national simulation of one scenario for the page.
pub fn run_many(
    label: &str,
    config: &Config,
    threads: usize,
) -> Result<(ScenarioResult, RunStats), RunError> {
    let cancel = AtomicBool::new(false);
    compare::run_scenario(label, config, threads, &|_| {}, &cancel)
}
