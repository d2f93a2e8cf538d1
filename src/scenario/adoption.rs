//! Reforms adopted at a date by some municipalities (`[adoption]`).
//!
//! A reform file with an `[adoption]` table holds, until `from`, exactly the scenario it
//! extends (its parent); from `from` on, the municipalities that adopt it follow the reform's
//! own keys (`is_adoptable` tables: practices and mechanisms), the others the parent. Which
//! municipalities adopt is `where` (targeting by size, governing base, county or number) and
//! `share` (drawn from a stream of its own, so the same municipalities adopt in every scenario
//! with the same share and target, and a smaller share's adopters are among a larger one's).
//!
//! As files are read, the loaded file's own keys of those tables move into
//! `adoption.changes` (`move_own_keys`), so the resolved scenario is the parent's keys at the top
//! and the reform's changes inside `[adoption]`: the form a results folder's `scenario.toml`
//! saves, and the one validation reads. Keys outside those tables (`calendar`, `population`,
//! `output`, `costs`, `survey`, `seed`, `replications`) describe the run, not the reform, and
//! hold for every municipality from the start.

use serde::{Deserialize, Serialize};

use crate::foundation::calendar::Month;
use crate::model::register;
use crate::scenario::config::Config;
use crate::scenario::file::ScenarioFile;
use crate::scenario::problem::Problem;
use crate::scenario::validate::MECHANISM_TABLES;
use crate::scenario::{chain, echo};

/// The tables a reform adopted at a date may change beyond the mechanisms
/// (`validate::MECHANISM_TABLES`): practices, role expectations, careers, and trends.
const ADOPTABLE_BESIDES_MECHANISMS: [&str; 4] = ["practices", "roles", "careers", "trends"];

/// Whether a reform adopted at a date may change the table `key`.
pub fn is_adoptable(key: &str) -> bool {
    ADOPTABLE_BESIDES_MECHANISMS.contains(&key) || MECHANISM_TABLES.contains(&key)
}

/// Every table a reform adopted at a date may change, for messages.
fn adoptable() -> String {
    [&ADOPTABLE_BESIDES_MECHANISMS[..], &MECHANISM_TABLES[..]].concat().join(", ")
}

/// `[adoption]` as a file writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdoptionFile {
    /// First month the reform holds, "YYYY-MM".
    pub from: String,
    /// Share of the targeted municipalities that adopt it.
    #[serde(default = "everyone")]
    pub share: f64,
    /// Which municipalities may adopt it (all conditions hold).
    #[serde(default, rename = "where", skip_serializing_if = "Target::is_empty")]
    pub target: Target,
    /// The reform's own keys, which hold for the adopters from `from` (always written, so a
    /// resolved scenario read again keeps its top-level keys as the parent's).
    #[serde(default)]
    pub changes: toml::Table,
}

fn everyone() -> f64 {
    1.0
}

/// `where = { … }`: the municipalities a reform is meant for (every condition given must hold).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub population_below: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub population_at_least: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coalition_parties_at_least: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub county: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub numbers: Option<Vec<u16>>,
}

impl Target {
    fn is_empty(&self) -> bool {
        *self == Target::default()
    }

    /// Whether a municipality of the register (`number`, `county`, `population`) with a governing
    /// base of `coalition_parties` parties at the adoption date is targeted.
    pub fn matches(&self, number: u16, county: &str, population: f64, coalition_parties: u32) -> bool {
        self.population_below.is_none_or(|x| population < x)
            && self.population_at_least.is_none_or(|x| population >= x)
            && self.coalition_parties_at_least.is_none_or(|x| coalition_parties >= x)
            && self.county.as_ref().is_none_or(|c| c.eq_ignore_ascii_case(county))
            && self.numbers.as_ref().is_none_or(|n| n.contains(&number))
    }
}

/// A validated adoption: when, by whom, and the configuration the adopters follow.
#[derive(Debug, Clone, PartialEq)]
pub struct Adoption {
    pub from: Month,
    pub share: f64,
    pub target: Target,
    /// The scenario with the reform's changes: what adopters follow from `from`.
    pub reform: Config,
}

impl Adoption {
    /// Whether only some municipalities may adopt (a share below 1, or a target).
    pub fn is_partial(&self) -> bool {
        self.share < 1.0 || !self.target.is_empty()
    }
}

/// Moves the keys of the adoptable tables of a file that has `[adoption]` into `adoption.changes` (laid
/// over any changes it gives there), so they hold only for adopters from the adoption date.
///
/// A file that gives `changes` itself (as a resolved scenario does: the keys at its top are then
/// the parent's) keeps its keys where they are.
pub(crate) fn move_own_keys(table: &mut toml::Table) {
    let Some(toml::Value::Table(adoption)) = table.get("adoption") else { return };
    if adoption.contains_key("changes") {
        return;
    }
    let keys: Vec<String> = table.keys().filter(|k| is_adoptable(k)).cloned().collect();
    let own: toml::Table = keys.into_iter().filter_map(|k| table.remove(&k).map(|v| (k, v))).collect();
    let Some(toml::Value::Table(adoption)) = table.get_mut("adoption") else { return };
    adoption.insert("changes".into(), toml::Value::Table(own));
}

fn problem(field: &str, message: String, hint: &str) -> Problem {
    Problem {
        file: None,
        line: None,
        column: None,
        field: Some(field.to_string()),
        message,
        hint: Some(hint.to_string()),
        related: Vec::new(),
    }
}

/// Checks `[adoption]` of the scenario `f` (whose other keys gave `base`) and builds the
/// reform's configuration: `f` with the changes laid over it, validated as any scenario.
pub(crate) fn validate(
    a: &AdoptionFile,
    f: &ScenarioFile,
    base: &Config,
    default_name: &str,
) -> Result<Adoption, Vec<Problem>> {
    let mut problems = Vec::new();
    let cal = &base.calendar;
    let from = match Month::parse(&a.from) {
        None => {
            problems.push(problem(
                "adoption.from",
                format!("\"{}\" is not a month", echo(&a.from)),
                "write the adoption month as \"YYYY-MM\", e.g. from = \"2027-01\"",
            ));
            Month(0)
        }
        Some(m) if m < cal.start || m > cal.end => {
            problems.push(problem(
                "adoption.from",
                format!("{m} lies outside the simulated calendar ({} to {})", cal.start, cal.end),
                "adopt the reform within the calendar, or move calendar.end",
            ));
            m
        }
        Some(m) => m,
    };
    if !(0.0..=1.0).contains(&a.share) {
        problems.push(problem(
            "adoption.share",
            format!("{} is out of range", a.share),
            "give the share of targeted municipalities that adopt, from 0 to 1",
        ));
    }
    let t = &a.target;
    for (key, value) in
        [("population_below", t.population_below), ("population_at_least", t.population_at_least)]
    {
        if value.is_some_and(|v| !(v >= 0.0 && v.is_finite())) {
            problems.push(problem(
                &format!("adoption.where.{key}"),
                format!("{} is not a number of inhabitants", value.unwrap_or_default()),
                "give inhabitants, e.g. population_below = 5000",
            ));
        }
    }
    let registry = register::all();
    if let Some(county) = &t.county
        && !registry.iter().any(|e| e.county.eq_ignore_ascii_case(county))
    {
        let mut counties: Vec<&str> = registry.iter().map(|e| e.county.as_str()).collect();
        counties.dedup();
        counties.sort_unstable();
        counties.dedup();
        problems.push(problem(
            "adoption.where.county",
            format!("no county of the register is called \"{}\"", echo(county)),
            &format!("use one of: {}", counties.join(", ")),
        ));
    }
    for n in t.numbers.iter().flatten() {
        if !registry.iter().any(|e| e.number == *n) {
            problems.push(problem(
                "adoption.where.numbers",
                format!("{n:04} is not a municipality number of the register"),
                "give kommunenummer of data/municipalities-2025.csv, e.g. numbers = [3427]",
            ));
        }
    }
    for key in a.changes.keys() {
        if !is_adoptable(key) {
            problems.push(problem(
                &format!("adoption.changes.{key}"),
                format!("`{}` describes the run, not a reform a municipality adopts", echo(key)),
                &format!("a reform adopted at a date may change: {}", adoptable()),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    // The reform: the scenario with its changes, validated as any scenario.
    let mut value = toml::Value::try_from(f).expect("a scenario serialises");
    if let toml::Value::Table(table) = &mut value {
        table.remove("adoption");
        chain::overlay(table, a.changes.clone(), "");
    }
    let reform: ScenarioFile = value.try_into().map_err(|e: toml::de::Error| {
        vec![problem("adoption.changes", e.message().trim().to_string(), "check the reform's keys")]
    })?;
    let reform = crate::scenario::validate(&reform, default_name)?;
    Ok(Adoption { from, share: a.share, target: a.target.clone(), reform })
}
