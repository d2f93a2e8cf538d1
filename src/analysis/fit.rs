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

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use serde::Serialize;

use crate::model::climate::Dimension;
use crate::scenario::categories::{
    Category, Education, Frequency, InformalContact, LeadershipEducation, PreviousPost, Recommender,
};
use crate::scenario::config::Config;
use crate::sim::run::RunError;
use crate::survey::{self, SurveyReplication, Table};

/// The project's copy of the published figures (KS FoU 204031, 2021), used when no other
/// targets file is given.
pub const BUNDLED_TARGETS: &str = include_str!("../../calibration/targets.toml");

#[derive(Debug, thiserror::Error)]
pub enum FitError {
    #[error("{path}: {message}")]
    Targets { path: String, message: String },
    #[error("no simulated counterpart for the figure `{0}` of the targets file")]
    Unknown(String),
    #[error("the emulated survey of replication {replication}: {source}")]
    Stats { replication: u32, source: crate::stats::StatsError },
    #[error(transparent)]
    Run(#[from] RunError),
    #[error(
        "a fit report needs at least 2 replications (the spread between them is the standard error of some figures)"
    )]
    TooFewReplications,
}

/// One figure of the targets file.
#[derive(Debug, Clone)]
pub struct Target {
    pub id: String,
    pub reported: f64,
    /// The reported t-value, for regression coefficients.
    pub t: Option<f64>,
}

/// The targets file, flattened.
#[derive(Debug, Clone)]
pub struct Targets {
    pub figures: Vec<Target>,
    pub directors: f64,
    pub mayors: f64,
    pub municipalities: f64,
    /// Size bands of Table 2.4, inhabitants.
    pub bands: Vec<(f64, f64)>,
    values: BTreeMap<String, f64>,
}

/// Is this figure a description of the survey itself (its date, sample, bands, design) rather
/// than something a model can match or miss?
pub fn is_description(id: &str) -> bool {
    id.starts_with("survey.")
        || id.contains(".bands.")
        || id.ends_with("n_predictors")
        || id.ends_with("_count")
        || id.ends_with("age_min")
        || id.ends_with("age_max")
}

impl Targets {
    pub fn bundled() -> Targets {
        Targets::parse(BUNDLED_TARGETS, "calibration/targets.toml (bundled)")
            .expect("the bundled targets file parses")
    }

    pub fn load(path: &Path) -> Result<Targets, FitError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| FitError::Targets {
            path: shown.clone(),
            message: format!("cannot read it: {e}"),
        })?;
        Targets::parse(&text, &shown)
    }

    pub fn parse(text: &str, path: &str) -> Result<Targets, FitError> {
        let bad = |message: String| FitError::Targets { path: path.to_string(), message };
        let root: toml::Table = text.parse().map_err(|e: toml::de::Error| bad(e.to_string()))?;
        let mut figures = Vec::new();
        walk(&toml::Value::Table(root.clone()), &mut Vec::new(), &mut figures);
        let values: BTreeMap<String, f64> =
            figures.iter().map(|f: &Target| (f.id.clone(), f.reported)).collect();
        let get = |id: &str| values.get(id).copied().ok_or_else(|| bad(format!("missing `{id}`")));
        let bands = root
            .get("population")
            .and_then(|p| p.get("size_bands"))
            .and_then(|b| b.get("bands"))
            .and_then(|b| b.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|pair| {
                        let p = pair.as_array()?;
                        Some((number(p.first()?)?, number(p.get(1)?)?))
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        Ok(Targets {
            directors: get("survey.director_responses")?,
            mayors: get("survey.mayor_responses")?,
            municipalities: get("survey.municipalities")?,
            figures: figures.into_iter().filter(|f| !is_description(&f.id)).collect(),
            bands,
            values,
        })
    }

    /// A reported figure by id.
    pub fn value(&self, id: &str) -> Option<f64> {
        self.values.get(id).copied()
    }
}

fn number(v: &toml::Value) -> Option<f64> {
    match v {
        toml::Value::Integer(i) => Some(*i as f64),
        toml::Value::Float(f) => Some(*f),
        _ => None,
    }
}

fn walk(v: &toml::Value, path: &mut Vec<String>, out: &mut Vec<Target>) {
    match v {
        toml::Value::Table(t) => {
            if let Some(beta) = t.get("beta").and_then(number) {
                out.push(Target { id: path.join("."), reported: beta, t: t.get("t").and_then(number) });
                return;
            }
            for (k, v) in t {
                path.push(k.clone());
                walk(v, path, out);
                path.pop();
            }
        }
        toml::Value::Array(a) => {
            let named = a.first().and_then(|e| e.as_table()).is_some_and(|t| t.contains_key("name"));
            for (i, e) in a.iter().enumerate() {
                let key = if named {
                    e.get("name").and_then(|n| n.as_str()).unwrap_or_default().to_string()
                } else {
                    i.to_string()
                };
                path.push(key);
                walk(e, path, out);
                path.pop();
            }
        }
        other => {
            if let Some(x) = number(other) {
                out.push(Target { id: path.join("."), reported: x, t: None });
            }
        }
    }
}

// ---------------------------------------------------------------- statistics of one survey

fn finite(v: &[f64]) -> impl Iterator<Item = f64> + '_ {
    v.iter().copied().filter(|x| x.is_finite())
}

pub fn mean(v: &[f64]) -> f64 {
    let (s, n) = finite(v).fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    s / n as f64
}

pub fn sd(v: &[f64]) -> f64 {
    let m = mean(v);
    let (s, n) = finite(v).fold((0.0, 0usize), |(s, n), x| (s + (x - m).powi(2), n + 1));
    (s / (n as f64 - 1.0)).sqrt()
}

fn share(v: &[f64], value: f64) -> f64 {
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

/// One replication's survey, ready to be measured.
struct Measured<'a> {
    rep: &'a SurveyReplication,
    regressions: survey::Regressions,
}

impl Measured<'_> {
    fn table(&self, mayor: bool) -> &Table {
        if mayor { &self.rep.mayors } else { &self.rep.directors }
    }
    fn col(&self, mayor: bool, name: &str) -> Option<Vec<f64>> {
        self.table(mayor).column(name)
    }
    fn dir(&self, name: &str) -> Option<Vec<f64>> {
        self.col(false, name)
    }
}

fn index_of(names: &[&str], name: &str) -> Option<f64> {
    names.iter().position(|n| *n == name).map(|i| i as f64)
}

/// The items of a climate index, reversed where the report reversed them.
fn climate_index_items(m: &Measured, index: &str) -> Option<Vec<Vec<f64>>> {
    let dim = match index {
        "political_cooperation" => Dimension::PartyCooperation,
        "professional_conduct" => Dimension::ProfessionalConduct,
        "clear_signals" => Dimension::ClearSignals,
        _ => return None,
    };
    let items = survey::CLIMATE_ITEMS
        .iter()
        .filter(|(name, _, d, _)| *d == dim && *name != "creative_ideas")
        .map(|(_, column, _, reversed)| {
            let c = m.dir(column).expect("climate item column");
            if *reversed { c.iter().map(|x| 6.0 - x).collect() } else { c }
        })
        .collect();
    Some(items)
}

fn coefficient(ols: &crate::stats::Ols, name: &str) -> Option<f64> {
    ols.coefficients.iter().find(|c| c.name == name).map(|c| c.beta)
}

/// The simulated counterpart of figure `id` in one replication.
fn statistic(id: &str, m: &Measured, targets: &Targets) -> Option<f64> {
    let p: Vec<&str> = id.split('.').collect();
    let idx = |s: &str| s.parse::<usize>().ok();
    let who = |s: &str| match s {
        "mayor" => Some(true),
        "director" => Some(false),
        _ => None,
    };
    let v = match p.as_slice() {
        ["population", "size_bands", "share", i] => {
            let (lo, hi) = *targets.bands.get(idx(i)?)?;
            let reg = &m.rep.register;
            reg.iter().filter(|r| r.population >= lo && r.population < hi).count() as f64 / reg.len() as f64
        }
        ["population", "size_bands", "log_population_mean"] => mean(&m.dir("log_population")?),
        ["population", "size_bands", "log_population_std"] => sd(&m.dir("log_population")?),
        ["population", "context", "centrality_mean"] => mean(&m.dir("centrality")?),
        ["population", "context", "centrality_std"] => sd(&m.dir("centrality")?),
        ["population", "context", "merged_share"] => mean(&m.dir("merged")?),
        ["population", "context", "parties_in_council_corr_council_size"] => {
            let reg = &m.rep.register;
            let parties: Vec<f64> = reg.iter().map(|r| f64::from(r.parties_in_council)).collect();
            correlation(&parties, &reg.iter().map(|r| f64::from(r.council_seats)).collect::<Vec<_>>())
        }
        ["population", "context", "parties_in_council_corr_population"] => {
            let reg = &m.rep.register;
            let parties: Vec<f64> = reg.iter().map(|r| f64::from(r.parties_in_council)).collect();
            // Against log population: the report's size variable (Appendix 1) is the log.
            correlation(&parties, &reg.iter().map(|r| r.log_population).collect::<Vec<_>>())
        }
        // Category labels of Table 2.16, not figures: reported as themselves.
        ["population", "governing_coalition", "parties", _] => targets.value(id)?,
        ["population", "governing_coalition", "share", i] => {
            let c: Vec<f64> = m.dir("coalition_parties")?.iter().map(|x| x.min(7.0)).collect();
            share(&c, idx(i)? as f64 + 1.0)
        }
        ["population", "governing_coalition", "mean"] => mean(&m.dir("coalition_parties")?),
        ["population", "governing_coalition", "std"] => sd(&m.dir("coalition_parties")?),
        ["director", "women_share"] => 1.0 - mean(&m.dir("director_male")?),
        ["director", "age_mean"] => mean(&m.dir("director_age")?),
        ["director", "age_std"] => sd(&m.dir("director_age")?),
        ["director", "education_share", cat] => {
            share(&m.dir("director_education")?, index_of(Education::NAMES, cat)? + 1.0)
        }
        ["director", "years_in_municipality_mean"] => mean(&m.dir("years_in_municipality")?),
        ["director", "years_in_municipality_std"] => sd(&m.dir("years_in_municipality")?),
        ["director", "years_in_post_mean"] => mean(&m.dir("years_in_post")?),
        ["director", "years_in_post_std"] => sd(&m.dir("years_in_post")?),
        ["director", "leadership_education_share", cat] => {
            share(&m.dir("leadership_education")?, 3.0 - index_of(LeadershipEducation::NAMES, cat)?)
        }
        ["director", "previous_post", cat] => {
            share(&m.dir("previous_post")?, index_of(PreviousPost::NAMES, cat)?)
        }
        ["director", "contract", cat] => {
            let code = match *cat {
                "permanent" => 0.0,
                "fixed_term_aremal" => 1.0,
                "acting" => 2.0,
                _ => return None,
            };
            share(&m.dir("contract")?, code)
        }
        ["director", "contract_clarity", item @ ("result_requirements" | "task_specification"), i] => {
            share(&m.dir(&format!("contract_{item}"))?, idx(i)? as f64 + 1.0)
        }
        ["director", "contract_clarity", "clear_contract_index_mean"] => mean(&m.dir("clear_contract")?),
        ["director", "contract_clarity", "clear_contract_index_std"] => sd(&m.dir("clear_contract")?),
        ["director", "discretion", "index_mean"] => mean(&m.dir("director_discretion")?),
        ["director", "discretion", "index_std"] => sd(&m.dir("director_discretion")?),
        ["director", "discretion", item, stat] => {
            let c = m.dir(&format!("discretion_{item}"))?;
            match *stat {
                "mean" => mean(&c),
                "std" => sd(&c),
                _ => return None,
            }
        }
        ["director", "who_recommends", cat] => {
            share(&m.dir("who_recommends")?, index_of(Recommender::NAMES, cat)?)
        }
        ["meetings", "fixed_mayor_director", cat] => {
            share(&m.dir("fixed_meetings_mayor_director")?, 4.0 - index_of(Frequency::NAMES, cat)?)
        }
        ["meetings", "informal_mayor_director", cat] => {
            share(&m.dir("informal_meetings_mayor_director")?, 4.0 - index_of(InformalContact::NAMES, cat)?)
        }
        ["meetings", "political_and_administrative_leader_groups", cat] => {
            share(&m.dir("leader_group_meetings")?, 4.0 - index_of(Frequency::NAMES, cat)?)
        }
        ["development", "conversation", "held_share"] => mean(&m.dir("development_conversation")?),
        ["development", "conversation", "participants_given_held", part] => {
            mean(&m.dir(&format!("conversation_{part}"))?)
        }
        ["development", "measures", name, i] => {
            let (base, mayor) = match name.strip_suffix("_mayor") {
                Some(b) => (b, true),
                None => (*name, false),
            };
            let column = if base == "councillor_training_beyond_ks" { "councillor_training" } else { base };
            share(&m.col(mayor, column)?, 4.0 - idx(i)? as f64)
        }
        ["climate", "items", item, w] => mean(&m.col(who(w)?, survey::climate_column(item)?)?),
        ["climate", "indices", index, stat] => match *stat {
            "mean" => mean(&m.dir(index)?),
            "std" => sd(&m.dir(index)?),
            "alpha" => cronbach_alpha(&climate_index_items(m, index)?),
            _ => return None,
        },
        ["climate", "correlations", pair] => {
            let (a, b) = pair.split_once("__")?;
            correlation(&m.dir(a)?, &m.dir(b)?)
        }
        ["cooperation", "items", item, w, i] => {
            let c = m.col(who(w)?, item)?;
            match *i {
                "0" => mean(&c),
                "1" => sd(&c),
                _ => return None,
            }
        }
        ["cooperation", "index", stat] => match *stat {
            "alpha" => cronbach_alpha(
                &survey::COOPERATION_ITEMS.iter().map(|n| m.dir(n).expect("item")).collect::<Vec<_>>(),
            ),
            "mean" | "director_mean" => mean(&m.dir("cooperation_index")?),
            "std" => sd(&m.dir("cooperation_index")?),
            "mayor_mean" => mean(&m.col(true, "cooperation_index")?),
            _ => return None,
        },
        ["roles", "vignettes", "role_index_mean"] => mean(&m.dir("role_understanding_political_loyalty")?),
        ["roles", "vignettes", "role_index_std"] => sd(&m.dir("role_understanding_political_loyalty")?),
        ["roles", "vignettes", v, w, i] => share(&m.col(who(w)?, v)?, idx(i)? as f64 + 1.0),
        ["regression", "cooperation", "r2"] => m.regressions.cooperation.r2,
        ["regression", "cooperation", "r2_adjusted"] => m.regressions.cooperation.r2_adjusted,
        ["regression", "cooperation", "betas", name] => coefficient(&m.regressions.cooperation, name)?,
        ["regression", "cooperation_blocks", "delta_r2", i] => {
            *m.regressions.cooperation_blocks.get(idx(i)?)?
        }
        ["regression", "quit_plans", "r2"] => m.regressions.quit_plans.r2,
        ["regression", "quit_plans", "r2_adjusted"] => m.regressions.quit_plans.r2_adjusted,
        ["regression", "quit_plans", "betas", name] => coefficient(&m.regressions.quit_plans, name)?,
        ["turnover", "quit_plans", cat] => {
            let code = match *cat {
                "will_not" => 1.0,
                "maybe" => 2.0,
                "certainly" => 3.0,
                _ => return None,
            };
            share(&m.dir("quit_plans")?, code)
        }
        ["turnover", "predecessor_exit_reasons", reason] => mean(&m.dir(reason)?),
        ["turnover", "job_offer_factors", factor] => mean(&m.dir(&format!("offer_{factor}"))?),
        _ => return None,
    };
    Some(v)
}

// ---------------------------------------------------------------- standard errors

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
fn standard_error(target: &Target, targets: &Targets, simulated: &[f64]) -> (f64, SeBasis) {
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

// ---------------------------------------------------------------- the report

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
