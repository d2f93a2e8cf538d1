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
    /// A figure the emulated surveys cannot give: its regression could not be estimated, or
    /// its statistic is undefined (no respondents, no variance).
    #[error("figure `{figure}` cannot be computed: {reason}; {hint}", hint = crate::survey::TOO_FEW_RESPONDENTS_HINT)]
    Degenerate { figure: String, reason: String },
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
    /// The reported value lies more than 2 SE from zero: a model that returned zero for it
    /// would miss it. Only such figures can tell a good model from a bad one.
    pub informative: bool,
    /// An instrument parameter of the calibration solves this figure one for one (an item's
    /// centre, a recall bias: `calibrate::ANCHORS`), so matching it says little of the model.
    pub anchored: bool,
    /// The figure reads back a distribution the scenario sets directly (`INPUTS_READ_BACK`).
    pub input_read_back: bool,
}

impl Moment {
    /// Neither an input read back nor anchored: a figure the mechanisms have to produce.
    pub fn is_mechanism(&self) -> bool {
        !self.anchored && !self.input_read_back
    }
}

/// Figures (by the start of their id) that read back a distribution the scenario sets
/// directly, through the survey's recall and sampling noise: size bands (the register's) and
/// centrality, practices (meetings, the six development measures, the development conversation,
/// who recommends), role expectations, education, recruits' sex and contracts. Directors'
/// previous posts are not among them: the labour market decides how many come from another
/// municipality's director post, and so the mix of the rest.
pub const INPUTS_READ_BACK: &[&str] = &[
    "population.size_bands.",
    "population.context.centrality_",
    "population.context.merged_share",
    "meetings.",
    "development.measures.",
    "development.conversation.held_share",
    "roles.vignettes.",
    "director.education_share.",
    "director.leadership_education_share.",
    "director.who_recommends.",
    "director.women_share",
    "director.contract.fixed_term_aremal",
    "director.contract.permanent",
];

/// The share of `moments` within two standard errors and their mean z² (NaN for none).
pub fn within_two_and_mean_z2<'m>(moments: impl Iterator<Item = &'m Moment>) -> (f64, f64, usize) {
    let (within, z2, n) = moments.fold((0usize, 0.0, 0usize), |(w, s, n), m| {
        (w + usize::from(m.z.abs() <= 2.0), s + m.z * m.z, n + 1)
    });
    (within as f64 / n as f64, z2 / n as f64, n)
}

#[derive(Debug, Clone, Serialize)]
pub struct FitReport {
    pub scenario: String,
    pub seed: u64,
    pub replications: u32,
    /// Mean complete cases of the cooperation regression per emulated survey.
    pub complete_cases: f64,
    /// Emulated surveys whose regressions could not be estimated (left out of the regression
    /// figures only).
    pub surveys_without_regressions: usize,
    /// The fit over all figures, the informative ones and those the mechanisms produce.
    pub summary: FitSummary,
    pub moments: Vec<Moment>,
}

/// How well a group of figures fits.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct GroupFit {
    pub figures: usize,
    pub share_within_two_se: f64,
    pub mean_z2: f64,
}

/// `GroupFit` over all figures, the informative ones, and those the mechanisms produce (not
/// inputs read back, not anchored).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct FitSummary {
    pub all: GroupFit,
    pub informative: GroupFit,
    pub mechanisms: GroupFit,
}

impl GroupFit {
    fn of<'m>(moments: impl Iterator<Item = &'m Moment>) -> GroupFit {
        let (share_within_two_se, mean_z2, figures) = within_two_and_mean_z2(moments);
        GroupFit { figures, share_within_two_se, mean_z2 }
    }
}

impl FitReport {
    /// Moments that are figures (not category labels).
    pub fn figures(&self) -> impl Iterator<Item = &Moment> {
        self.moments.iter().filter(|m| m.se_basis != SeBasis::Label)
    }
    /// Share of figures within two standard errors.
    pub fn share_within_two(&self) -> f64 {
        within_two_and_mean_z2(self.figures()).0
    }
    /// Mean z² over the figures (about 1 for a model that fits).
    pub fn mean_z2(&self) -> f64 {
        within_two_and_mean_z2(self.figures()).1
    }
    /// The calibration's distance: the sum of squared z-scores.
    pub fn distance(&self) -> f64 {
        self.figures().map(|m| m.z * m.z).sum()
    }

    /// A readable table: the share within 2 SE and mean z² over all figures, the informative
    /// ones and those the mechanisms produce; then informative figures first, worst first.
    pub fn table(&self, limit: Option<usize>) -> String {
        use std::fmt::Write;
        let mut order: Vec<&Moment> = self.figures().collect();
        order.sort_by(|a, b| b.informative.cmp(&a.informative).then(b.z.abs().total_cmp(&a.z.abs())));
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Fit of `{}` to the 2020 survey: {} emulated surveys, {:.0} complete cases per regression on average.",
            self.scenario, self.replications, self.complete_cases
        );
        let line = |out: &mut String, what: &str, moments: Vec<&Moment>| {
            let (within, z2, n) = within_two_and_mean_z2(moments.into_iter());
            let _ = writeln!(
                out,
                "  {what:<66} {n:>4} figures: {:>5.1} % within 2 SE, mean z² {z2:.2}",
                100.0 * within
            );
        };
        let _ = writeln!(
            out,
            "A model that fits has about 95 % within 2 survey standard errors and mean z² about 1."
        );
        line(&mut out, "all figures", self.figures().collect());
        line(
            &mut out,
            "informative (reported value more than 2 SE from zero)",
            self.figures().filter(|m| m.informative).collect(),
        );
        line(
            &mut out,
            "produced by the mechanisms (not inputs read back, not anchored)",
            self.figures().filter(|m| m.is_mechanism()).collect(),
        );
        let _ = writeln!(
            out,
            "Sum of z² = {:.1}. Marks: i informative, a anchored, r input read back.\n",
            self.distance()
        );
        let _ = writeln!(
            out,
            "{:<64} {:>3} {:>9} {:>9} {:>8} {:>7}",
            "figure", "", "reported", "simulated", "se", "z"
        );
        for m in order.iter().take(limit.unwrap_or(usize::MAX)) {
            let marks: String = [(m.informative, 'i'), (m.anchored, 'a'), (m.input_read_back, 'r')]
                .iter()
                .map(|&(on, c)| if on { c } else { ' ' })
                .collect();
            let _ = writeln!(
                out,
                "{:<64} {marks:>3} {:>9.3} {:>9.3} {:>8.3} {:>7.2}",
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
        .map(|rep| Measured { rep, regressions: survey::regressions(&rep.directors) })
        .collect();
    let mut moments = Vec::with_capacity(targets.figures.len());
    for target in &targets.figures {
        // A regression figure is measured on the surveys whose regression can be estimated (a
        // rare predictor may lack variance in one small survey); it needs two of them.
        let regression = target.id.starts_with("regression.");
        let usable: Vec<&Measured> =
            measured.iter().filter(|m| !regression || m.regressions.is_ok()).collect();
        if usable.len() < 2 {
            let (m, e) = measured
                .iter()
                .find_map(|m| m.regressions.as_ref().err().map(|e| (m, e)))
                .expect("surveys were left out only for a failed regression");
            return Err(FitError::Degenerate {
                figure: target.id.clone(),
                reason: format!(
                    "the regression can be estimated in fewer than 2 emulated surveys (survey {}: {e})",
                    m.rep.replication
                ),
            });
        }
        let found: Vec<Option<f64>> = usable.iter().map(|m| statistic(&target.id, m, targets)).collect();
        if let Some(i) = found.iter().position(Option::is_none) {
            // A survey without respondents has no columns to measure: the figure is known but
            // undefined there. A figure no survey can give is one this module does not know.
            let rep = usable[i].rep;
            let nobody = [("directors", &rep.directors), ("mayors", &rep.mayors)]
                .into_iter()
                .find(|(_, t)| t.rows.is_empty())
                .map(|(who, _)| who);
            return Err(match nobody {
                Some(who) => FitError::Degenerate {
                    figure: target.id.clone(),
                    reason: format!("no {who} answered emulated survey {}", rep.replication),
                },
                None if found.iter().any(Option::is_some) => FitError::Degenerate {
                    figure: target.id.clone(),
                    reason: format!("it is undefined in emulated survey {}", rep.replication),
                },
                None => FitError::Unknown(target.id.clone()),
            });
        }
        let values: Vec<f64> = found.into_iter().flatten().collect();
        let simulated = values.iter().sum::<f64>() / values.len() as f64;
        let (se, se_basis) = standard_error(target, targets, &values);
        if se_basis != SeBasis::Label && !(simulated.is_finite() && se.is_finite() && se > 0.0) {
            return Err(FitError::Degenerate {
                figure: target.id.clone(),
                reason: format!(
                    "it is undefined in the emulated surveys (mean {simulated}, standard error {se}): too few respondents, or answers without variance"
                ),
            });
        }
        let figure = se_basis != SeBasis::Label;
        let z = if figure { (simulated - target.reported) / se } else { 0.0 };
        moments.push(Moment {
            id: target.id.clone(),
            reported: target.reported,
            simulated,
            se,
            z,
            se_basis,
            informative: figure && target.reported.abs() > 2.0 * se,
            anchored: crate::analysis::calibrate::ANCHORS.iter().any(|a| a.figure == target.id),
            input_read_back: INPUTS_READ_BACK.iter().any(|p| target.id.starts_with(p)),
        });
    }
    let complete_cases = crate::stats::mean(
        &measured
            .iter()
            .filter_map(|m| m.regressions.as_ref().ok())
            .map(|r| r.cooperation.n as f64)
            .collect::<Vec<_>>(),
    );
    let figures = || moments.iter().filter(|m| m.se_basis != SeBasis::Label);
    let summary = FitSummary {
        all: GroupFit::of(figures()),
        informative: GroupFit::of(figures().filter(|m| m.informative)),
        mechanisms: GroupFit::of(figures().filter(|m| m.is_mechanism())),
    };
    Ok(FitReport {
        scenario: config.name.clone(),
        seed: config.seed,
        replications: surveys.len() as u32,
        complete_cases,
        surveys_without_regressions: measured.iter().filter(|m| m.regressions.is_err()).count(),
        summary,
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

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicBool;

    use super::*;
    use crate::scenario::parse_str;

    #[test]
    fn a_figure_the_emulated_surveys_cannot_give_is_an_error_that_names_it() {
        // About 25 directors answer: too few for the 31 predictors of the regression.
        let config = parse_str("replications = 2\n[survey]\ndirector_response_rate = 0.08\n", "t").unwrap().1;
        let surveys = survey::run_survey(&config, 0..2, 2, &|_| {}, &AtomicBool::new(false)).unwrap();
        match report(&config, &Targets::bundled(), &surveys) {
            Err(FitError::Degenerate { figure, reason }) => {
                assert!(figure.starts_with("regression."), "{figure}");
                assert!(reason.contains("complete cases"), "{reason}");
            }
            other => panic!("expected a degenerate figure, got {:?}", other.map(|r| r.distance())),
        }
    }
}
