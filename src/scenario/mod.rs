//! Scenario files: the TOML format users write, how it is read, and how it is checked.
//!
//! Reading happens in two stages (as ripgrep does with its flags): serde reads the file into
//! the raw `ScenarioFile` (unknown keys and wrong types fail here, with the span toml reports),
//! then `validate` checks ranges, sums and orderings and builds the engine's `Config`. Every
//! problem is reported with the file, line, column and dotted field name, found by looking the
//! field up in a span-preserving parse of the same text, and with a hint on how to fix it.
//!
//! Inheritance: a file may say `extends = "../baseline.toml"` and give only what differs.
//! `load` reads the chain of parents (child first), overlays their tables root first — tables
//! merge key by key, except that a distribution (`practices.*`, `careers.*`, `roles.*.*`) and
//! any array is replaced whole, so a child's shares always sum on their own — and validates the
//! result. `name` and `description` are never inherited: they describe the file they are in.
//! A problem is reported in the file of the chain that sets the offending field.

pub mod categories;
pub mod config;
pub mod params;
pub mod reference;

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::foundation::calendar::Month;
use crate::scenario::categories::{Categorical, Category};
use crate::scenario::config::{
    CalendarConfig, CareersConfig, Config, OutputConfig, PopulationConfig, PracticesConfig, RolesConfig,
};
use crate::scenario::params::{
    Cases, Climate, Contact, Development, Exits, Friction, Politics, Recruitment, Survey, Trust,
};

// ------------------------------------------------------------------------------ file format

/// A scenario file as written. Every key is optional; a missing key takes its documented default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScenarioFile {
    /// Name used for the default results folder; the file's stem when absent.
    pub name: Option<String>,
    pub description: String,
    pub seed: u64,
    pub replications: u32,
    pub calendar: CalendarFile,
    pub output: OutputFile,
    pub population: PopulationFile,
    pub practices: PracticesFile,
    pub roles: RolesFile,
    pub careers: CareersFile,
    pub politics: Politics,
    pub climate: Climate,
    pub cases: Cases,
    pub friction: Friction,
    pub contact: Contact,
    pub trust: Trust,
    pub development: Development,
    pub exits: Exits,
    pub recruitment: Recruitment,
    pub survey: Survey,
}

impl Default for ScenarioFile {
    fn default() -> Self {
        Self {
            name: None,
            description: String::new(),
            seed: 2020,
            replications: 20,
            calendar: CalendarFile::default(),
            output: OutputFile::default(),
            population: PopulationFile::default(),
            practices: PracticesFile::default(),
            roles: RolesFile::default(),
            careers: CareersFile::default(),
            politics: Politics::default(),
            climate: Climate::default(),
            cases: Cases::default(),
            friction: Friction::default(),
            contact: Contact::default(),
            trust: Trust::default(),
            development: Development::default(),
            exits: Exits::default(),
            recruitment: Recruitment::default(),
            survey: Survey::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CalendarFile {
    pub start: String,
    pub report_start: String,
    pub end: String,
    pub election_anchor: String,
    pub election_interval_months: u32,
    pub merger: String,
}

impl Default for CalendarFile {
    fn default() -> Self {
        Self {
            start: "1960-01".into(),
            report_start: "2012-01".into(),
            end: "2023-12".into(),
            election_anchor: "2019-09".into(),
            election_interval_months: 48,
            merger: "2020-01".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OutputFile {
    pub poor_cooperation_below: f64,
    pub yearly: bool,
    pub municipalities: bool,
}

impl Default for OutputFile {
    fn default() -> Self {
        Self { poor_cooperation_below: 3.5, yearly: true, municipalities: true }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PopulationFile {
    pub municipalities: u32,
    pub size_bands: Vec<[f64; 2]>,
    pub size_band_shares: Vec<f64>,
    pub centrality_intercept: f64,
    pub centrality_per_log_population: f64,
    pub centrality_noise_sd: f64,
    pub merged_share: f64,
    pub council_extra_seats_mean: f64,
    pub hierarchy_three_levels_from: f64,
    pub hierarchy_four_levels_from: f64,
    pub hierarchy_noise: f64,
}

impl Default for PopulationFile {
    fn default() -> Self {
        // The size bands of the 356 municipalities after the 2020 reform (SSB, as tabulated in
        // the KS FoU report 204031, Table 2.4). They describe the population simulated; they
        // are an input, not something the model is fitted to reproduce.
        Self {
            municipalities: 356,
            size_bands: vec![
                [0.0, 2000.0],
                [2000.0, 5000.0],
                [5000.0, 10000.0],
                [10000.0, 20000.0],
                [20000.0, 50000.0],
                [50000.0, 1_000_000.0],
            ],
            size_band_shares: vec![0.21, 0.28, 0.20, 0.14, 0.12, 0.05],
            centrality_intercept: 2.4,
            centrality_per_log_population: 0.8,
            centrality_noise_sd: 0.8,
            merged_share: 0.2,
            council_extra_seats_mean: 6.0,
            hierarchy_three_levels_from: 3000.0,
            hierarchy_four_levels_from: 30000.0,
            hierarchy_noise: 0.2,
        }
    }
}

/// Tables whose keys are distributions (`Shares`) rather than sub-tables, for code that walks
/// a scenario's TOML tree.
pub const SHARE_TABLES: [&str; 4] = ["practices", "careers", "roles.mayor", "roles.director"];

/// A distribution over named categories: either a table of shares (missing categories count
/// as 0; the shares must sum to 1) or the name of one category, meaning "all municipalities".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Shares {
    All(String),
    Table(BTreeMap<String, f64>),
}

fn shares(pairs: &[(&str, f64)]) -> Shares {
    Shares::Table(pairs.iter().map(|(k, v)| ((*k).to_string(), *v)).collect())
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PracticesFile {
    pub fixed_meetings: Shares,
    pub informal_contact: Shares,
    pub leader_group_forum: Shares,
    pub delegation_review: Shares,
    pub meeting_routines_review: Shares,
    pub role_understanding_meetings: Shares,
    pub inter_municipal_learning: Shares,
    pub councillor_training: Shares,
    pub director_release: Shares,
    pub development_conversation: Shares,
    pub who_recommends: Shares,
    pub office_distance: Shares,
    pub discretion_shift: f64,
}

impl Default for PracticesFile {
    fn default() -> Self {
        // Rounded readings of BRIEF.md: fixed meetings mostly weekly, informal contact mostly
        // several times a week or daily, half never hold leader-group meetings, the delegation
        // rules reviewed once a term as the law asks, about half of directors drafting.
        let measure = |a, t, r, n| shares(&[("annual", a), ("per_term", t), ("rarer", r), ("never", n)]);
        Self {
            fixed_meetings: shares(&[("weekly", 0.65), ("monthly", 0.1), ("rarer", 0.1), ("none", 0.15)]),
            informal_contact: shares(&[
                ("daily", 0.2),
                ("several_per_week", 0.7),
                ("weekly", 0.08),
                ("rarer", 0.02),
            ]),
            leader_group_forum: shares(&[("weekly", 0.1), ("monthly", 0.1), ("rarer", 0.3), ("none", 0.5)]),
            delegation_review: measure(0.05, 0.85, 0.08, 0.02),
            meeting_routines_review: measure(0.4, 0.4, 0.15, 0.05),
            role_understanding_meetings: measure(0.35, 0.45, 0.12, 0.08),
            inter_municipal_learning: measure(0.15, 0.15, 0.3, 0.4),
            councillor_training: measure(0.2, 0.55, 0.15, 0.1),
            director_release: measure(0.1, 0.1, 0.3, 0.5),
            development_conversation: shares(&[
                ("employer_committee", 0.45),
                ("formannskap", 0.2),
                ("other", 0.1),
                ("none", 0.25),
            ]),
            who_recommends: shares(&[
                ("director", 0.5),
                ("formannskap_or_mayor", 0.2),
                ("sector_committee", 0.2),
                ("varies", 0.1),
            ]),
            office_distance: shares(&[
                ("same_floor", 0.3),
                ("different_floors", 0.6),
                ("different_buildings", 0.1),
            ]),
            discretion_shift: 0.0,
        }
    }
}

/// Role expectations in each of Svara's four zones, as shares over independence / dialogue / loyalty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZoneShares {
    pub administration: Shares,
    pub organisation: Shares,
    pub policy_making: Shares,
    pub politics: Shares,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RolesFile {
    pub mayor: ZoneShares,
    pub director: ZoneShares,
}

impl Default for RolesFile {
    fn default() -> Self {
        // BRIEF.md: mayors and directors agree in the pure zones and disagree on organisation
        // design, where mayors want more loyalty.
        let role = |i, d, l| shares(&[("independence", i), ("dialogue", d), ("loyalty", l)]);
        Self {
            mayor: ZoneShares {
                administration: role(0.8, 0.15, 0.05),
                organisation: role(0.2, 0.55, 0.25),
                policy_making: role(0.5, 0.45, 0.05),
                politics: role(0.85, 0.12, 0.03),
            },
            director: ZoneShares {
                administration: role(0.8, 0.15, 0.05),
                organisation: role(0.3, 0.6, 0.1),
                policy_making: role(0.5, 0.45, 0.05),
                politics: role(0.85, 0.12, 0.03),
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CareersFile {
    pub previous_post: Shares,
    pub education: Shares,
    pub leadership_education: Shares,
}

impl Default for CareersFile {
    fn default() -> Self {
        Self {
            previous_post: shares(&[
                ("same_post_other_municipality", 0.25),
                ("other_post_same_municipality", 0.25),
                ("state_or_regional_administration", 0.18),
                ("other_post_other_municipality", 0.15),
                ("private_sector", 0.14),
                ("labour_and_business_organisations", 0.03),
            ]),
            education: shares(&[
                ("upper_secondary", 0.03),
                ("university_up_to_4y", 0.3),
                ("university_over_4y", 0.67),
            ]),
            leadership_education: shares(&[("credit_bearing", 0.5), ("non_credit", 0.4), ("none", 0.1)]),
        }
    }
}

// ------------------------------------------------------------------------------ errors

/// One problem in a scenario file, located where possible.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The file of an inheritance chain the problem lies in, when not the file loaded.
    pub file: Option<PathBuf>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// Dotted path of the field, e.g. `practices.fixed_meetings`.
    pub field: Option<String>,
    pub message: String,
    pub hint: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("cannot read scenario file {}: {source}\n  hint: check the path; scenarios live in scenarios/, e.g. scenarios/baseline.toml", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{}", render_problems(path, problems))]
    Invalid { path: PathBuf, problems: Vec<Problem> },
}

fn render_problems(path: &Path, problems: &[Problem]) -> String {
    let mut out = String::new();
    for (i, p) in problems.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&p.file.as_deref().unwrap_or(path).display().to_string());
        if let (Some(l), Some(c)) = (p.line, p.column) {
            out.push_str(&format!(":{l}:{c}"));
        }
        out.push_str(": ");
        if let Some(f) = &p.field {
            out.push_str(&format!("field `{f}`: "));
        }
        out.push_str(&p.message);
        if let Some(h) = &p.hint {
            out.push_str("\n  hint: ");
            out.push_str(h);
        }
    }
    if problems.len() > 1 {
        let scope =
            if problems.iter().any(|p| p.file.is_some()) { " and the scenarios it extends" } else { "" };
        out.push_str(&format!("\n{} problems in {}{scope}", problems.len(), path.display()));
    }
    out
}

/// A scenario read from a file, with what the manifest records about it.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub config: Config,
    /// The resolved scenario: the file's own keys over those of the scenarios it extends.
    pub file: ScenarioFile,
    pub path: PathBuf,
    /// The files read, the loaded one first, then the scenario it extends, and so on.
    pub chain: Vec<PathBuf>,
    /// SHA-256 of the bytes of every file of the chain, in chain order (for one file, the
    /// file's own hash, as `sha256sum` prints it).
    pub sha256: String,
    /// A standalone scenario that reproduces this one: the file's text when it extends nothing,
    /// else the resolved scenario with every key written out.
    pub resolved_text: String,
}

/// Name of the key that makes a scenario inherit from another.
pub const EXTENDS: &str = "extends";

// ------------------------------------------------------------------------------ loading

/// Reads, parses and validates a scenario file and the scenarios it extends.
pub fn load(path: &Path) -> Result<Loaded, ScenarioError> {
    let bytes =
        std::fs::read(path).map_err(|source| ScenarioError::Read { path: path.to_owned(), source })?;
    let text = utf8(path, bytes)?;
    load_text(path, &text)
}

fn utf8(path: &Path, bytes: Vec<u8>) -> Result<String, ScenarioError> {
    String::from_utf8(bytes).map_err(|e| ScenarioError::Invalid {
        path: path.to_owned(),
        problems: vec![Problem {
            file: None,
            line: None,
            column: None,
            field: None,
            message: format!("the file is not UTF-8 text ({e})"),
            hint: Some("save the scenario as UTF-8".into()),
        }],
    })
}

/// One file of an inheritance chain.
struct Source {
    path: PathBuf,
    text: String,
}

impl Source {
    fn doc(&self) -> toml_edit::Document<&str> {
        toml_edit::Document::parse(self.text.as_str()).expect("checked when the chain was read")
    }
}

fn invalid_at(path: &Path, source: &Source, field: &str, message: String, hint: &str) -> ScenarioError {
    let (line, column) = span_of(&source.doc(), field).map(|s| line_col(&source.text, s.start)).unzip();
    let file = (source.path != path).then(|| source.path.clone());
    ScenarioError::Invalid {
        path: path.to_owned(),
        problems: vec![Problem {
            file,
            line,
            column,
            field: Some(field.into()),
            message,
            hint: Some(hint.into()),
        }],
    }
}

/// Reads the chain of scenarios `text` (the contents of `path`) extends, child first.
fn read_chain(path: &Path, text: &str) -> Result<Vec<Source>, ScenarioError> {
    let mut chain = vec![Source { path: path.to_owned(), text: text.to_owned() }];
    let mut seen = vec![std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())];
    loop {
        let current = chain.last().expect("the chain starts with the loaded file");
        let parent = {
            let doc = match toml_edit::Document::parse(current.text.as_str()) {
                Ok(doc) => doc,
                // Let the ordinary parse report the syntax error with its position.
                Err(_) if chain.len() == 1 => return Ok(chain),
                Err(e) => {
                    let (line, column) = e.span().map(|s| line_col(&current.text, s.start)).unzip();
                    return Err(ScenarioError::Invalid {
                        path: path.to_owned(),
                        problems: vec![Problem {
                            file: Some(current.path.clone()),
                            line,
                            column,
                            field: None,
                            message: format!("not valid TOML: {}", e.message().trim()),
                            hint: Some("check brackets, quotes and `key = value` syntax on that line".into()),
                        }],
                    });
                }
            };
            match doc.get(EXTENDS) {
                None => return Ok(chain),
                Some(item) => match item.as_str() {
                    Some(rel) => rel.to_owned(),
                    None => {
                        return Err(invalid_at(
                            path,
                            current,
                            EXTENDS,
                            "`extends` must be a file name in quotes".into(),
                            "write e.g. extends = \"../baseline.toml\" (relative to this file)",
                        ));
                    }
                },
            }
        };
        let parent_path = tidy_path(&current.path.parent().unwrap_or(Path::new("")).join(&parent));
        let bytes = match std::fs::read(&parent_path) {
            Ok(b) => b,
            Err(e) => {
                return Err(invalid_at(
                    path,
                    current,
                    EXTENDS,
                    format!("cannot read the scenario it extends, {}: {e}", parent_path.display()),
                    "the path is relative to the file that says `extends`; check it, e.g. extends = \"../baseline.toml\"",
                ));
            }
        };
        let canonical = std::fs::canonicalize(&parent_path).unwrap_or_else(|_| parent_path.clone());
        if seen.contains(&canonical) {
            let names: Vec<String> = chain
                .iter()
                .map(|s| s.path.display().to_string())
                .chain([parent_path.display().to_string()])
                .collect();
            return Err(invalid_at(
                path,
                current,
                EXTENDS,
                format!("scenarios extend each other in a cycle: {}", names.join(" → ")),
                "one scenario of the cycle must extend nothing (remove its `extends`)",
            ));
        }
        seen.push(canonical);
        let text = utf8(&parent_path, bytes)?;
        chain.push(Source { path: parent_path, text });
    }
}

/// `a/b/../c` as `a/c`, so messages name parents the way a user would write them.
fn tidy_path(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Overlays `over` on `base`: tables merge key by key, except distributions (the keys of
/// `SHARE_TABLES`) and every non-table value, which are replaced whole.
fn overlay(base: &mut toml::Table, over: toml::Table, at: &str) {
    for (key, value) in over {
        let path = if at.is_empty() { key.clone() } else { format!("{at}.{key}") };
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) if !SHARE_TABLES.contains(&at) => {
                overlay(b, o, &path)
            }
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// Parses and validates `text` as the contents of the scenario file `path`, reading the
/// scenarios it extends from disk (relative to `path`).
pub fn load_text(path: &Path, text: &str) -> Result<Loaded, ScenarioError> {
    let chain = read_chain(path, text)?;
    let mut hasher = Sha256::new();
    for source in &chain {
        hasher.update(source.text.as_bytes());
    }
    let sha256 = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect::<String>();
    let stem =
        path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "scenario".into());
    let paths = chain.iter().map(|s| s.path.clone()).collect();
    if chain.len() == 1 {
        let (file, config) = parse_str(text, &stem)
            .map_err(|problems| ScenarioError::Invalid { path: path.to_owned(), problems })?;
        return Ok(Loaded {
            config,
            file,
            path: path.to_owned(),
            chain: paths,
            sha256,
            resolved_text: text.to_owned(),
        });
    }

    // Overlay the chain root first; only the loaded file's name and description count.
    let mut merged = toml::Table::new();
    for (i, source) in chain.iter().enumerate().rev() {
        let mut table: toml::Table = toml::from_str(&source.text).map_err(|e| ScenarioError::Invalid {
            path: path.to_owned(),
            problems: vec![serde_problem(&source.text, &source.doc(), &e)]
                .into_iter()
                .map(|mut p| {
                    p.file = (i > 0).then(|| source.path.clone());
                    p
                })
                .collect(),
        })?;
        table.remove(EXTENDS);
        if i > 0 {
            table.remove("name");
            table.remove("description");
        }
        overlay(&mut merged, table, "");
    }
    let merged_text = toml::to_string(&merged).expect("a TOML table serialises");
    let (file, config) = parse_str(&merged_text, &stem).map_err(|problems| ScenarioError::Invalid {
        path: path.to_owned(),
        problems: problems.into_iter().map(|p| locate_in_chain(p, &chain)).collect(),
    })?;
    let resolved_text = format!(
        "# The scenario {} resolved: it extends {}.\n# Every key is written out; this file alone reproduces it.\n{}",
        path.display(),
        chain[1..].iter().map(|s| s.path.display().to_string()).collect::<Vec<_>>().join(", which extends "),
        every_key(&file, &config)
    );
    Ok(Loaded { config, file, path: path.to_owned(), chain: paths, sha256, resolved_text })
}

/// `base` with the keys of `over` laid over it (as a scenario that extends it would lay them),
/// validated. `over` uses the scenario file's own keys, e.g. `{ practices = { informal_contact
/// = "daily" } }`; a problem names the overridden field. The teaching server builds its
/// scenarios this way, so a lever means exactly what the same lines in a file would mean.
pub fn with_overlay(base: &Loaded, over: toml::Table) -> Result<(ScenarioFile, Config), Vec<Problem>> {
    let mut merged: toml::Table = toml::from_str(&base.resolved_text).map_err(|e| {
        vec![Problem {
            file: None,
            line: None,
            column: None,
            field: None,
            message: format!("the base scenario does not re-read: {e}"),
            hint: None,
        }]
    })?;
    merged.remove(EXTENDS);
    overlay(&mut merged, over, "");
    let text = toml::to_string(&merged).expect("a TOML table serialises");
    parse_str(&text, &base.config.name)
        .map_err(|problems| problems.into_iter().map(|p| Problem { line: None, column: None, ..p }).collect())
}

/// The scenario with every key written out (defaults included), as TOML.
pub fn every_key(file: &ScenarioFile, config: &Config) -> String {
    let mut file = file.clone();
    file.name = Some(config.name.clone());
    toml::to_string(&file).expect("a scenario serialises")
}

/// Places a problem found in the merged scenario in the file of the chain that sets its field
/// (the nearest to the loaded file); a problem with no such file stays with the loaded file.
fn locate_in_chain(mut p: Problem, chain: &[Source]) -> Problem {
    p.line = None;
    p.column = None;
    let Some(field) = p.field.clone() else { return p };
    // A distribution is set as a whole: look for the field, then for its table.
    let candidates = [Some(field.as_str()), field.rsplit_once('.').map(|(t, _)| t)];
    for candidate in candidates.into_iter().flatten() {
        for (i, source) in chain.iter().enumerate() {
            if let Some(span) = span_of(&source.doc(), candidate) {
                let (l, c) = line_col(&source.text, span.start);
                p.line = Some(l);
                p.column = Some(c);
                p.file = (i > 0).then(|| source.path.clone());
                return p;
            }
        }
    }
    p
}

/// Parses and validates the text of one scenario file; `default_name` names a scenario that
/// has no `name`. It does not follow `extends` (that needs the file's place: see `load_text`).
pub fn parse_str(text: &str, default_name: &str) -> Result<(ScenarioFile, Config), Vec<Problem>> {
    let doc = match toml_edit::Document::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            let (line, column) = e.span().map(|s| line_col(text, s.start)).unzip();
            return Err(vec![Problem {
                file: None,
                line,
                column,
                field: None,
                message: format!("not valid TOML: {}", e.message().trim()),
                hint: Some("check brackets, quotes and `key = value` syntax on that line".into()),
            }]);
        }
    };
    let file: ScenarioFile = match toml::from_str(text) {
        Ok(f) => f,
        Err(e) => return Err(vec![serde_problem(text, &doc, &e)]),
    };
    let config = validate(&file, default_name).map_err(|problems| {
        problems
            .into_iter()
            .map(|mut p| {
                if let Some(span) = p.field.as_deref().and_then(|f| span_of(&doc, f)) {
                    let (l, c) = line_col(text, span.start);
                    p.line = Some(l);
                    p.column = Some(c);
                }
                p
            })
            .collect::<Vec<_>>()
    })?;
    Ok((file, config))
}

fn serde_problem(text: &str, doc: &toml_edit::Document<&str>, e: &toml::de::Error) -> Problem {
    let message = e.message().trim().to_string();
    let (line, column) = e.span().map(|s| line_col(text, s.start)).unzip();
    let field = e.span().and_then(|s| path_at(doc.as_table(), s.start));
    let hint = if let Some(unknown) =
        message.strip_prefix("unknown field `").and_then(|r| r.split('`').next())
    {
        let expected: Vec<&str> = message.split('`').skip(3).step_by(2).collect();
        let closest = expected
            .iter()
            .map(|c| (strsim::jaro_winkler(unknown, c), *c))
            .filter(|(score, _)| *score > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        Some(match closest {
            Some((_, c)) => format!("did you mean `{c}`? Every key is listed by `samspill check --explain`"),
            None => {
                "remove the key, or see `samspill check --explain` for the keys this table accepts".into()
            }
        })
    } else if message.contains("did not match any variant") {
        Some("give either a table of shares, e.g. { weekly = 0.7, monthly = 0.3 }, or one category name in quotes".into())
    } else if message.starts_with("invalid type") {
        Some("see `samspill check --explain` for the type and range of each key".into())
    } else {
        None
    };
    Problem { file: None, line, column, field, message, hint }
}

/// 1-based line and column of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The span of a dotted field path in the parsed document (the key, where there is one).
fn span_of(doc: &toml_edit::Document<&str>, path: &str) -> Option<Range<usize>> {
    let mut table: &dyn toml_edit::TableLike = doc.as_table();
    let parts: Vec<&str> = path.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let (key, item) = table.get_key_value(part)?;
        if i + 1 == parts.len() {
            return key.span().or_else(|| item.span());
        }
        table = item.as_table_like()?;
    }
    None
}

/// The dotted path of the deepest key whose key or value spans `offset`.
fn path_at(table: &dyn toml_edit::TableLike, offset: usize) -> Option<String> {
    for (key, item) in table.iter() {
        let (k, _) = table.get_key_value(key)?;
        let in_key = k.span().is_some_and(|s| s.contains(&offset));
        let in_item = item.span().is_some_and(|s| s.contains(&offset));
        let inner = item.as_table_like().and_then(|t| path_at(t, offset));
        if let Some(inner) = inner {
            return Some(format!("{key}.{inner}"));
        }
        if in_key || in_item {
            return Some(key.to_string());
        }
    }
    None
}

// ------------------------------------------------------------------------------ validation

struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn fail(&mut self, field: &str, message: impl Into<String>, hint: impl Into<String>) {
        self.problems.push(Problem {
            file: None,
            line: None,
            column: None,
            field: Some(field.to_string()),
            message: message.into(),
            hint: Some(hint.into()),
        });
    }

    fn range(&mut self, field: &str, value: f64, min: f64, max: f64) {
        if !(min..=max).contains(&value) {
            self.fail(field, format!("{value} is out of range"), format!("use a value from {min} to {max}"));
        }
    }

    fn month(&mut self, field: &str, s: &str) -> Month {
        Month::parse(s).unwrap_or_else(|| {
            self.fail(
                field,
                format!("\"{s}\" is not a month"),
                "write months as \"YYYY-MM\", e.g. \"2019-09\"",
            );
            Month(0)
        })
    }

    fn shares<C: Category>(&mut self, field: &str, spec: &Shares) -> Categorical<C> {
        let names = C::NAMES;
        let listed = names.join(", ");
        match spec {
            Shares::All(name) => match names.iter().position(|n| n == name) {
                Some(i) => Categorical::all(C::ALL[i]),
                None => {
                    self.fail(field, format!("unknown category \"{name}\""), format!("use one of: {listed}"));
                    Categorical::all(C::ALL[0])
                }
            },
            Shares::Table(map) => {
                let mut out = vec![0.0; names.len()];
                let mut ok = true;
                for (k, v) in map {
                    match names.iter().position(|n| n == k) {
                        Some(i) => out[i] = *v,
                        None => {
                            ok = false;
                            self.fail(
                                field,
                                format!("unknown category `{k}`"),
                                format!("the categories are: {listed}"),
                            );
                        }
                    }
                    if !(0.0..=1.0).contains(v) {
                        ok = false;
                        self.fail(
                            field,
                            format!("share of `{k}` is {v}"),
                            "each share must lie between 0 and 1",
                        );
                    }
                }
                let sum: f64 = out.iter().sum();
                if ok && (sum - 1.0).abs() > 1e-6 {
                    self.fail(
                        field,
                        format!("shares sum to {sum:.6}, not 1"),
                        format!("make the shares of {listed} add up to 1 (missing categories count as 0)"),
                    );
                }
                Categorical::new(&out)
            }
        }
    }
}

/// Checks a parsed scenario and builds the engine's configuration. Problems carry field paths;
/// `parse_str` adds their line and column.
pub fn validate(f: &ScenarioFile, default_name: &str) -> Result<Config, Vec<Problem>> {
    let mut c = Checker { problems: Vec::new() };

    let name = f.name.clone().unwrap_or_else(|| default_name.to_string());
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
        c.fail(
            "name",
            format!("\"{name}\" cannot name a results folder"),
            "use letters, digits, '-' and '_'",
        );
    }
    c.range("replications", f64::from(f.replications), 1.0, 1_000_000.0);

    // Calendar.
    let cal = &f.calendar;
    let calendar = CalendarConfig {
        start: c.month("calendar.start", &cal.start),
        report_start: c.month("calendar.report_start", &cal.report_start),
        end: c.month("calendar.end", &cal.end),
        election_anchor: c.month("calendar.election_anchor", &cal.election_anchor),
        election_interval_months: cal.election_interval_months as i32,
        merger: c.month("calendar.merger", &cal.merger),
    };
    if c.problems.is_empty() {
        if calendar.report_start <= calendar.start {
            c.fail(
                "calendar.report_start",
                format!(
                    "the reported period starts {} but the simulation only starts {}",
                    calendar.report_start, calendar.start
                ),
                "start the simulation decades before the reported period so that it is burnt in",
            );
        }
        if calendar.end < calendar.report_start {
            c.fail(
                "calendar.end",
                format!("end {} is before report_start {}", calendar.end, calendar.report_start),
                "end must not be before report_start",
            );
        }
    }
    c.range("calendar.election_interval_months", f64::from(cal.election_interval_months), 12.0, 120.0);

    // Output.
    c.range("output.poor_cooperation_below", f.output.poor_cooperation_below, 1.0, 5.0);

    // Population.
    let p = &f.population;
    c.range("population.municipalities", f64::from(p.municipalities), 1.0, 100_000.0);
    if p.size_bands.is_empty() || p.size_bands.len() != p.size_band_shares.len() {
        c.fail(
            "population.size_band_shares",
            format!("{} shares for {} size bands", p.size_band_shares.len(), p.size_bands.len()),
            "give one share per band in population.size_bands",
        );
    }
    for (i, [lo, hi]) in p.size_bands.iter().enumerate() {
        if !(*lo >= 0.0 && hi > lo) {
            c.fail(
                "population.size_bands",
                format!("band {} is [{lo}, {hi}]", i + 1),
                "each band is [lowest, highest] inhabitants with lowest < highest",
            );
        }
    }
    let sum: f64 = p.size_band_shares.iter().sum();
    if p.size_band_shares.iter().any(|s| !(0.0..=1.0).contains(s)) || (sum - 1.0).abs() > 1e-6 {
        c.fail(
            "population.size_band_shares",
            format!("shares sum to {sum:.6}"),
            "shares lie in [0, 1] and sum to 1",
        );
    }
    c.range("population.centrality_intercept", p.centrality_intercept, 1.0, 6.0);
    c.range("population.centrality_per_log_population", p.centrality_per_log_population, -5.0, 5.0);
    c.range("population.centrality_noise_sd", p.centrality_noise_sd, 0.0, 5.0);
    c.range("population.merged_share", p.merged_share, 0.0, 1.0);
    c.range("population.council_extra_seats_mean", p.council_extra_seats_mean, 0.0, 40.0);
    c.range("population.hierarchy_three_levels_from", p.hierarchy_three_levels_from, 0.0, 1e7);
    c.range(
        "population.hierarchy_four_levels_from",
        p.hierarchy_four_levels_from,
        p.hierarchy_three_levels_from,
        1e7,
    );
    c.range("population.hierarchy_noise", p.hierarchy_noise, 0.0, 1.0);
    // Below ~200 inhabitants there is no Norwegian municipality; a band starting at 0 starts there.
    let population = PopulationConfig {
        municipalities: p.municipalities,
        band_log_bounds: p
            .size_bands
            .iter()
            .map(|[lo, hi]| (lo.max(200.0).ln(), hi.max(201.0).ln()))
            .collect(),
        band_shares: p.size_band_shares.clone(),
        centrality_intercept: p.centrality_intercept,
        centrality_per_log_population: p.centrality_per_log_population,
        centrality_noise_sd: p.centrality_noise_sd,
        merged_share: p.merged_share,
        council_extra_seats_mean: p.council_extra_seats_mean,
        hierarchy_three_levels_from: p.hierarchy_three_levels_from,
        hierarchy_four_levels_from: p.hierarchy_four_levels_from,
        hierarchy_noise: p.hierarchy_noise,
    };

    // Practices.
    let pr = &f.practices;
    let practices = PracticesConfig {
        fixed_meetings: c.shares("practices.fixed_meetings", &pr.fixed_meetings),
        informal_contact: c.shares("practices.informal_contact", &pr.informal_contact),
        leader_group_forum: c.shares("practices.leader_group_forum", &pr.leader_group_forum),
        delegation_review: c.shares("practices.delegation_review", &pr.delegation_review),
        meeting_routines_review: c.shares("practices.meeting_routines_review", &pr.meeting_routines_review),
        role_understanding_meetings: c
            .shares("practices.role_understanding_meetings", &pr.role_understanding_meetings),
        inter_municipal_learning: c
            .shares("practices.inter_municipal_learning", &pr.inter_municipal_learning),
        councillor_training: c.shares("practices.councillor_training", &pr.councillor_training),
        director_release: c.shares("practices.director_release", &pr.director_release),
        development_conversation: c
            .shares("practices.development_conversation", &pr.development_conversation),
        who_recommends: c.shares("practices.who_recommends", &pr.who_recommends),
        office_distance: c.shares("practices.office_distance", &pr.office_distance),
        discretion_shift: pr.discretion_shift,
    };
    c.range("practices.discretion_shift", pr.discretion_shift, -5.0, 5.0);

    let zones = |c: &mut Checker, who: &str, z: &ZoneShares| {
        [
            c.shares(&format!("roles.{who}.administration"), &z.administration),
            c.shares(&format!("roles.{who}.organisation"), &z.organisation),
            c.shares(&format!("roles.{who}.policy_making"), &z.policy_making),
            c.shares(&format!("roles.{who}.politics"), &z.politics),
        ]
    };
    let roles = RolesConfig {
        mayor: zones(&mut c, "mayor", &f.roles.mayor),
        director: zones(&mut c, "director", &f.roles.director),
    };
    let careers = CareersConfig {
        previous_post: c.shares("careers.previous_post", &f.careers.previous_post),
        education: c.shares("careers.education", &f.careers.education),
        leadership_education: c.shares("careers.leadership_education", &f.careers.leadership_education),
    };

    // Mechanism parameters.
    let ranges = [
        f.politics.range_problems(),
        f.climate.range_problems(),
        f.cases.range_problems(),
        f.friction.range_problems(),
        f.contact.range_problems(),
        f.trust.range_problems(),
        f.development.range_problems(),
        f.exits.range_problems(),
        f.recruitment.range_problems(),
        f.survey.range_problems(),
    ]
    .concat();
    for r in ranges {
        c.fail(
            &r.path,
            format!("{} is out of range", r.value),
            format!("use a value from {} to {} ({})", r.min, r.max, r.doc.trim()),
        );
    }
    let r = &f.recruitment;
    if r.age_min >= r.age_max {
        c.fail(
            "recruitment.age_min",
            format!("age_min {} is not below age_max {}", r.age_min, r.age_max),
            "make recruitment.age_min smaller than recruitment.age_max",
        );
    }
    if f.survey.quit_maybe_from >= f.survey.quit_certainly_from {
        c.fail(
            "survey.quit_certainly_from",
            format!(
                "quit_certainly_from {} is not above quit_maybe_from {}",
                f.survey.quit_certainly_from, f.survey.quit_maybe_from
            ),
            "the pull to answer \"certainly\" must exceed the pull to answer \"maybe\"",
        );
    }
    if f.exits.max_age <= r.age_max {
        c.fail(
            "exits.max_age",
            format!("max_age {} is not above recruits' age_max {}", f.exits.max_age, r.age_max),
            "raise exits.max_age or lower recruitment.age_max",
        );
    }

    if !c.problems.is_empty() {
        return Err(c.problems);
    }
    Ok(Config {
        name,
        description: f.description.clone(),
        seed: f.seed,
        replications: f.replications,
        calendar,
        output: OutputConfig {
            poor_cooperation_below: f.output.poor_cooperation_below,
            yearly: f.output.yearly,
            municipalities: f.output.municipalities,
        },
        population,
        practices,
        roles,
        careers,
        politics: f.politics.clone(),
        climate: f.climate.clone(),
        cases: f.cases.clone(),
        friction: f.friction.clone(),
        contact: f.contact.clone(),
        trust: f.trust.clone(),
        development: f.development.clone(),
        exits: f.exits.clone(),
        recruitment: f.recruitment.clone(),
        survey: f.survey.clone(),
    })
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", render_problems(Path::new("<scenario>"), std::slice::from_ref(self)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<Problem> {
        parse_str(text, "t").expect_err("expected problems")
    }

    #[test]
    fn an_empty_file_is_the_default_scenario() {
        let (file, config) = parse_str("", "t").unwrap();
        assert_eq!(file, ScenarioFile::default());
        assert_eq!(config.name, "t");
        assert_eq!(config.population.municipalities, 356);
    }

    #[test]
    fn the_default_scenario_round_trips_through_toml() {
        let text = toml::to_string(&ScenarioFile::default()).unwrap();
        let (file, _) = parse_str(&text, "t").unwrap();
        assert_eq!(file, ScenarioFile::default());
    }

    #[test]
    fn unknown_keys_are_located_and_get_a_suggestion() {
        let p = problems("seed = 1\n\n[trust]\nrecovery_per_mont = 0.1\n");
        assert_eq!(p[0].line, Some(4));
        assert_eq!(p[0].column, Some(1));
        assert!(p[0].message.contains("recovery_per_mont"));
        assert!(p[0].hint.as_deref().unwrap().contains("recovery_per_month"), "{:?}", p[0].hint);
    }

    #[test]
    fn wrong_types_are_located() {
        let p = problems("[climate]\ndrift_sd = \"high\"\n");
        assert_eq!(p[0].line, Some(2));
        assert!(p[0].message.contains("invalid type"), "{}", p[0].message);
        assert_eq!(p[0].field.as_deref(), Some("climate.drift_sd"));
    }

    #[test]
    fn out_of_range_values_name_field_line_and_range() {
        let p = problems("[friction]\nbase = -4\ndistrust = 99\n");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].field.as_deref(), Some("friction.distrust"));
        assert_eq!(p[0].line, Some(3));
        assert!(p[0].hint.as_deref().unwrap().contains("from 0 to 20"));
    }

    #[test]
    fn shares_must_sum_to_one_and_name_known_categories() {
        let p = problems("[practices]\nfixed_meetings = { weekly = 0.5, monthly = 0.4 }\n");
        assert_eq!(p[0].field.as_deref(), Some("practices.fixed_meetings"));
        assert_eq!(p[0].line, Some(2));
        assert!(p[0].message.contains("sum to 0.9"), "{}", p[0].message);
        let p = problems("[practices]\nfixed_meetings = { weekly = 0.5, fortnightly = 0.5 }\n");
        assert!(p[0].message.contains("fortnightly"));
        assert!(p[0].hint.as_deref().unwrap().contains("weekly, monthly, rarer, none"));
        let p = problems("[practices]\ndelegation_review = \"yearly\"\n");
        assert!(p[0].hint.as_deref().unwrap().contains("annual"));
    }

    #[test]
    fn one_category_name_means_all_municipalities() {
        let (_, c) = parse_str("[practices]\ndelegation_review = \"annual\"\n", "t").unwrap();
        assert_eq!(c.practices.delegation_review.shares(), &[1.0, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn calendar_order_and_format_are_checked() {
        let p = problems("[calendar]\nstart = \"2015-01\"\nreport_start = \"2012-01\"\n");
        assert_eq!(p[0].field.as_deref(), Some("calendar.report_start"));
        let p = problems("[calendar]\nstart = \"1960\"\n");
        assert!(p[0].hint.as_deref().unwrap().contains("YYYY-MM"));
    }

    #[test]
    fn syntax_errors_give_a_line() {
        let p = problems("seed = 1\n[unclosed\n");
        assert_eq!(p[0].line, Some(2));
        assert!(p[0].message.contains("not valid TOML"));
    }

    #[test]
    fn every_problem_is_reported_not_only_the_first() {
        let p = problems("[trust]\nbase = 99\nnoise_sd = -1\n");
        assert_eq!(p.len(), 2);
    }
}
