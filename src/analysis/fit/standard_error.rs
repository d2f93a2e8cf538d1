//! The survey's standard error of each figure, and where it comes from: |beta / t| for
//! coefficients, √(p(1−p)/n) for shares, std/√n for means, std/√(2(n−1)) for standard
//! deviations, (1−r²)/√(n−1) for correlations; the spread over the emulated surveys where the
//! report gives no basis.

use serde::Serialize;

use super::targets::{Target, Targets};

/// Where a moment's standard error comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SeBasis {
    /// |beta / t| as printed in the report.
    ReportedT,
    /// The median |beta / t| of the same regression (the report prints t ≈ 0 for this beta).
    RegressionMedian,
    /// √(p(1−p)/n).
    Share,
    /// std/√n with the reported std.
    Mean,
    /// std/√(2(n−1)) with the reported std.
    StandardDeviation,
    /// (1 − r²)/√(n − 1).
    Correlation,
    /// The simulated statistic's spread over the emulated surveys.
    Simulated,
    /// A category label, not a figure.
    Label,
}

/// Respondents behind a figure.
fn respondents(id: &str, t: &Targets) -> f64 {
    if id.starts_with("population.size_bands.share")
        || id.starts_with("population.context.parties_in_council_corr")
    {
        t.municipalities
    } else if id.ends_with(".mayor")
        || id.contains(".mayor.")
        || id.contains("_mayor.")
        || id.ends_with("mayor_mean")
    {
        t.mayors
    } else if id.starts_with("development.conversation.participants_given_held") {
        (t.value("development.conversation.held_share").unwrap_or(1.0) * t.directors).round()
    } else {
        t.directors
    }
}

/// The reported standard deviation that goes with a reported mean, if any.
fn reported_std(id: &str, t: &Targets) -> Option<f64> {
    let sibling = if let Some(stem) = id.strip_suffix("_mean") {
        // `x_mean` pairs with `x_std`; the cooperation index's group means with its `std`.
        t.value(&format!("{stem}_std")).or_else(|| {
            if id.starts_with("cooperation.index.") { t.value("cooperation.index.std") } else { None }
        })
    } else if let Some(stem) = id.strip_suffix(".mean") {
        t.value(&format!("{stem}.std"))
    } else if let Some(stem) = id.strip_suffix(".0") {
        if id.starts_with("cooperation.items.") { t.value(&format!("{stem}.1")) } else { None }
    } else {
        None
    };
    sibling.filter(|s| *s > 0.0)
}

fn is_std(id: &str) -> bool {
    id.ends_with("_std")
        || id.ends_with(".std")
        || (id.starts_with("cooperation.items.") && id.ends_with(".1"))
}

/// |beta / t| of a coefficient, where the report's t is informative (not ≈ 0).
fn reported_t_se(target: &Target) -> Option<f64> {
    target.t.filter(|t| t.abs() >= 0.1 && target.reported != 0.0).map(|t| (target.reported / t).abs())
}

/// The survey's standard error of figure `target`, given the simulated values over replications.
pub(super) fn standard_error(target: &Target, targets: &Targets, simulated: &[f64]) -> (f64, SeBasis) {
    let id = target.id.as_str();
    let reported = target.reported;
    let n = respondents(id, targets);
    if id.starts_with("population.governing_coalition.parties.") {
        return (1.0, SeBasis::Label);
    }
    if let Some((regression, _)) = id.split_once(".betas.").filter(|_| id.starts_with("regression.")) {
        if let Some(se) = reported_t_se(target) {
            return (se, SeBasis::ReportedT);
        }
        let prefix = format!("{regression}.betas.");
        let mut ses: Vec<f64> =
            targets.figures.iter().filter(|f| f.id.starts_with(&prefix)).filter_map(reported_t_se).collect();
        ses.sort_by(f64::total_cmp);
        if !ses.is_empty() {
            return (ses[ses.len() / 2], SeBasis::RegressionMedian);
        }
    }
    if id.starts_with("climate.correlations.") || id.contains("_corr_") {
        return ((1.0 - reported * reported) / (n - 1.0).sqrt(), SeBasis::Correlation);
    }
    if is_std(id) {
        return (reported / (2.0 * (n - 1.0)).sqrt(), SeBasis::StandardDeviation);
    }
    if let Some(s) = reported_std(id, targets) {
        return (s / n.sqrt(), SeBasis::Mean);
    }
    let is_share = id.contains("share")
        || [
            "director.previous_post.",
            "director.contract.",
            "director.contract_clarity.result",
            "director.contract_clarity.task",
            "director.who_recommends.",
        ]
        .iter()
        .any(|p| id.starts_with(p))
        || ([
            "meetings.",
            "development.",
            "roles.vignettes.",
            "turnover.quit_plans.",
            "turnover.predecessor_exit_reasons.",
        ]
        .iter()
        .any(|p| id.starts_with(p))
            && !id.ends_with("_mean"));
    if is_share && reported > 0.0 && reported < 1.0 {
        return ((reported * (1.0 - reported) / n).sqrt(), SeBasis::Share);
    }
    let k = simulated.len() as f64;
    let m = simulated.iter().sum::<f64>() / k;
    let spread = (simulated.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (k - 1.0)).sqrt();
    (spread.max(1e-6), SeBasis::Simulated)
}
