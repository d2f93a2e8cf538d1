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
//! result. `name`, `title` and `description` are never inherited: they describe the file they are in.
//! A problem is reported in the file of the chain that sets the offending field.
//!
//! Values given on the command line (`--seed`, `--replications`: `Overrides`) are laid over
//! the scenario before validation, so a flag meets the same checks as the key it sets.
//!
//! The parts: `file` (the serde types), `params` (the mechanism parameters, declared once),
//! `categories` (named categories as enums), `chain` (`extends`), `validate` (into `config`,
//! the engine's validated configuration), `problem` (located errors), `reference` (every key,
//! for `samspill check --explain`).

pub mod adoption;
pub mod categories;
mod chain;
pub mod config;
mod file;
pub mod params;
mod problem;
pub mod reference;
mod validate;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::scenario::config::Config;

pub use file::{
    CalendarFile, CareersFile, OutputFile, PopulationFile, PracticesFile, RolesFile, SHARE_TABLES,
    ScenarioFile, Shares, ZoneShares,
};
pub use problem::{Problem, ScenarioError};
pub(crate) use problem::{echo_quoted, line_col};
pub use validate::validate;

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
    /// A standalone scenario that reproduces this run of it, flags included: the file's text
    /// when it extends nothing (with the name it runs under and the values of `--seed` and
    /// `--replications` written in, if any), else the resolved scenario with every key written
    /// out. Results folders save it as `scenario.toml`.
    pub resolved_text: String,
    /// The loaded file's own text, as it was read (never read again: it may change on disk).
    pub text: String,
}

impl Loaded {
    /// The tables a scenario that extends nothing leaves to the model's built-in defaults (the
    /// starting values before calibration, not the calibrated ones of scenarios/baseline.toml):
    /// empty when it extends a scenario or gives every mechanism, practice and role table.
    pub fn tables_left_to_defaults(&self) -> Vec<&'static str> {
        if self.chain.len() > 1 {
            return Vec::new();
        }
        // One pass over the lines, not a second parse: a table is given by a `[table]` or
        // `[table.sub]` header, or by a `table.key = …` or `table = { … }` line.
        let tables: Vec<&'static str> =
            validate::MECHANISM_TABLES.iter().copied().chain(["practices", "roles"]).collect();
        let mut given = vec![false; tables.len()];
        // Keys count only before the first table header (after it they belong to that table).
        let mut at_root = true;
        for line in self.text.lines() {
            let l = line.trim_start();
            let header = l.strip_prefix('[');
            at_root &= header.is_none();
            if header.is_none() && !at_root {
                continue;
            }
            let l = header.unwrap_or(l);
            let Some(end) = l.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) else { continue };
            let rest = l[end..].trim_start();
            if (rest.starts_with(']') || rest.starts_with('.') || rest.starts_with('='))
                && let Some(k) = tables.iter().position(|t| *t == &l[..end])
            {
                given[k] = true;
            }
        }
        tables.into_iter().zip(given).filter(|(_, g)| !g).map(|(t, _)| t).collect()
    }

    /// SHA-256 of `resolved_text`: the hash of the `scenario.toml` a results folder saves.
    pub fn resolved_sha256(&self) -> String {
        if self.chain.len() == 1 && self.resolved_text == self.text {
            // The file's own hash (`sha256`), already computed.
            return self.sha256.clone();
        }
        sha256_hex(self.resolved_text.as_bytes())
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Name of the key that makes a scenario inherit from another.
pub const EXTENDS: &str = "extends";

/// Values given on the command line for keys of the scenario. They are laid over the scenario
/// before it is validated, so a flag meets the same range checks as the key it sets; a problem
/// with one names the flag.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Overrides {
    /// `--seed`: the key `seed`.
    pub seed: Option<u64>,
    /// `--replications`: the key `replications`.
    pub replications: Option<u32>,
}

impl Overrides {
    fn apply(&self, file: &mut ScenarioFile) {
        if let Some(seed) = self.seed {
            file.seed = seed;
        }
        if let Some(r) = self.replications {
            file.replications = r;
        }
    }

    /// The flags given with their values, as typed (e.g. "--seed 77 --replications 3").
    fn flags(&self) -> String {
        let seed = self.seed.map(|s| format!("--seed {s}"));
        let replications = self.replications.map(|r| format!("--replications {r}"));
        [seed, replications].into_iter().flatten().collect::<Vec<_>>().join(" ")
    }

    /// The flag that set `field`, if one did.
    fn flag(&self, field: Option<&str>) -> Option<&'static str> {
        match field {
            Some("seed") if self.seed.is_some() => Some("--seed"),
            Some("replications") if self.replications.is_some() => Some("--replications"),
            _ => None,
        }
    }

    /// Places a problem: one with a value a flag set lies in no file, so it names the flag;
    /// any other is placed by `locate`.
    fn place(&self, mut p: Problem, locate: impl FnOnce(Problem) -> Problem) -> Problem {
        match self.flag(p.field.as_deref()) {
            Some(flag) => {
                p.file = None;
                p.line = None;
                p.column = None;
                p.message = format!("{} (set by {flag})", p.message);
                p
            }
            None => locate(p),
        }
    }
}

/// Largest input file read (a scenario, a sweep, a targets file).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Reads an input file whole: only a regular file (a FIFO or a device such as `/dev/zero` is
/// refused before it is opened) of at most `MAX_FILE_BYTES`.
pub fn read_input(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a regular file"));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("larger than {} MiB", MAX_FILE_BYTES / (1024 * 1024)),
        ));
    }
    Ok(bytes)
}

/// As `read_input`, for a text file (UTF-8).
pub fn read_input_text(path: &Path) -> std::io::Result<String> {
    String::from_utf8(read_input(path)?).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

/// At most this many characters of a value a file gave are echoed in a message.
const ECHO_CHARS: usize = 60;

/// A value from a file as a message shows it: whole if short, else its start and how much more.
pub fn echo(value: &str) -> String {
    match value.char_indices().nth(ECHO_CHARS) {
        None => value.to_string(),
        Some((at, _)) => format!("{}… ({} more characters)", &value[..at], value[at..].chars().count()),
    }
}

/// Reads, parses and validates a scenario file and the scenarios it extends.
pub fn load(path: &Path) -> Result<Loaded, ScenarioError> {
    load_with(path, &Overrides::default())
}

/// As `load`, with values from the command line laid over the scenario before validation.
pub fn load_with(path: &Path, overrides: &Overrides) -> Result<Loaded, ScenarioError> {
    let bytes = read_input(path).map_err(|source| ScenarioError::Read { path: path.to_owned(), source })?;
    let text = problem::utf8(path, bytes)?;
    load_text(path, &text, overrides)
}

/// Parses and validates `text` as the contents of the scenario file `path`, reading the
/// scenarios it extends from disk (relative to `path`), with `overrides` laid over it.
pub fn load_text(path: &Path, text: &str, overrides: &Overrides) -> Result<Loaded, ScenarioError> {
    let chain = chain::read_chain(path, text)?;
    let sha256 = sha256_hex(chain.iter().map(|s| s.text.as_str()).collect::<String>().as_bytes());
    let stem =
        path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "scenario".into());
    let paths = chain.iter().map(|s| s.path.clone()).collect();
    let invalid = |problems| ScenarioError::Invalid { path: path.to_owned(), problems };
    let (file, config, resolved_text) = if chain.len() == 1 && !has_adoption(text) {
        let (file, config) = parse_with(text, &stem, overrides).map_err(invalid)?;
        let resolved_text = as_run(path, text, &config.name, file.name.is_some(), overrides);
        (file, config, resolved_text)
    } else {
        resolve_chain(path, &chain, &stem, overrides).map_err(invalid)?
    };
    Ok(Loaded {
        config,
        file,
        path: path.to_owned(),
        chain: paths,
        sha256,
        resolved_text,
        text: text.to_owned(),
    })
}

/// Whether the text of a scenario file has an `[adoption]` table (its reform's keys then move
/// into `adoption.changes` as it is read).
fn has_adoption(text: &str) -> bool {
    text.contains("adoption")
        && toml::from_str::<toml::Table>(text)
            .is_ok_and(|t| matches!(t.get("adoption"), Some(toml::Value::Table(_))))
}

/// A path as a TOML comment can hold it (a line break in a file name would end the comment).
fn one_line(path: &Path) -> String {
    path.display().to_string().replace(['\n', '\r'], "\u{fffd}")
}

/// The scenario of an `extends` chain (the loaded file first): its files laid over each other,
/// validated with `overrides`, and the standalone text that reproduces it.
fn resolve_chain(
    path: &Path,
    chain: &[chain::Source],
    stem: &str,
    overrides: &Overrides,
) -> Result<(ScenarioFile, Config, String), Vec<Problem>> {
    // Overlay the chain root first; only the loaded file's name, title and description count.
    let mut merged = toml::Table::new();
    for (i, source) in chain.iter().enumerate().rev() {
        let mut table: toml::Table = toml::from_str(&source.text).map_err(|e| {
            let mut p = problem::serde_problem(&source.text, &source.doc(), &e);
            p.file = (i > 0).then(|| source.path.clone());
            vec![p]
        })?;
        table.remove(EXTENDS);
        if i > 0 {
            table.remove("name");
            table.remove("title");
            table.remove("description");
            table.remove("adoption");
        } else {
            adoption::move_own_keys(&mut table);
        }
        chain::overlay(&mut merged, table, "");
    }
    let merged_text = toml::to_string(&merged).expect("a TOML table serialises");
    let locate = |problems: Vec<Problem>| {
        problems
            .into_iter()
            .map(|p| overrides.place(p, |p| chain::locate_in_chain(p, chain)))
            .collect::<Vec<_>>()
    };
    let (file, config) = parse_with(&merged_text, stem, overrides).map_err(locate)?;
    // The resolved text is the scenario as its files give it, with the flags' values.
    let mut as_run: ScenarioFile = toml::from_str(&merged_text).expect("read above");
    overrides.apply(&mut as_run);
    let flags = overrides.flags();
    let extends = if chain.len() == 1 {
        "nothing (its reform's keys are in [adoption.changes])".to_string()
    } else {
        chain[1..].iter().map(|s| one_line(&s.path)).collect::<Vec<_>>().join(", which extends ")
    };
    let resolved_text = format!(
        "# The scenario {} resolved: it extends {}.\n# Every key is written out{}; this file alone reproduces it.\n{}",
        one_line(path),
        extends,
        if flags.is_empty() { String::new() } else { format!(" (with {flags}, the values it ran with)") },
        every_key(&as_run, &config.name)
    );
    Ok((file, config, resolved_text))
}

/// The text of a single scenario file as it was run: unchanged when it names itself and no
/// flag set a key; else with `name` and the flags' values written in (comments and layout kept).
fn as_run(path: &Path, text: &str, name: &str, named: bool, overrides: &Overrides) -> String {
    if named && overrides.flags().is_empty() {
        return text.to_owned();
    }
    let mut doc: toml_edit::DocumentMut = text.parse().expect("parsed when it was validated");
    let unnamed = !named;
    let mut said = Vec::new();
    if unnamed {
        doc["name"] = toml_edit::value(name);
        said.push(format!("name = \"{name}\" (the file's stem, which it ran under)"));
    }
    if let Some(seed) = overrides.seed {
        doc["seed"] = toml_edit::value(i64::try_from(seed).expect("validated: fits a TOML integer"));
    }
    if let Some(r) = overrides.replications {
        doc["replications"] = toml_edit::value(i64::from(r));
    }
    if !overrides.flags().is_empty() {
        said.push(format!("{} (the values it ran with)", overrides.flags()));
    }
    format!("# {} as run, with {} written in.\n{doc}", one_line(path), said.join(" and "))
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
            related: Vec::new(),
        }]
    })?;
    merged.remove(EXTENDS);
    chain::overlay(&mut merged, over, "");
    let text = toml::to_string(&merged).expect("a TOML table serialises");
    parse_str(&text, &base.config.name)
        .map_err(|problems| problems.into_iter().map(|p| Problem { line: None, column: None, ..p }).collect())
}

/// What a reform file changes: the keys of the adoptable tables (`adoption::is_adoptable`) its chain sets
/// beyond the scenario at the chain's root (the base every reform of the library extends), and
/// its title. `samspill profile` lets one municipality adopt them at a date.
pub fn reform_changes(path: &Path) -> Result<(Option<String>, toml::Table), ScenarioError> {
    let bytes = read_input(path).map_err(|source| ScenarioError::Read { path: path.to_owned(), source })?;
    let text = problem::utf8(path, bytes)?;
    let chain = chain::read_chain(path, &text)?;
    let own = if chain.len() > 1 { &chain[..chain.len() - 1] } else { &chain[..] };
    let mut merged = toml::Table::new();
    let mut title = None;
    for (i, source) in own.iter().enumerate().rev() {
        let mut table: toml::Table = toml::from_str(&source.text).map_err(|e| ScenarioError::Invalid {
            path: path.to_owned(),
            problems: vec![Problem {
                file: (i > 0).then(|| source.path.clone()),
                ..problem::serde_problem(&source.text, &source.doc(), &e)
            }],
        })?;
        if i == 0 {
            title = table.get("title").and_then(|t| t.as_str()).map(str::to_string);
        }
        table.retain(|k, _| adoption::is_adoptable(k));
        chain::overlay(&mut merged, table, "");
    }
    Ok((title, merged))
}

/// The scenario with every key written out (defaults included) under the name `name`, as TOML.
pub fn every_key(file: &ScenarioFile, name: &str) -> String {
    let mut file = file.clone();
    file.name = Some(name.to_string());
    toml::to_string(&file).expect("a scenario serialises")
}

/// Parses and validates the text of one scenario file; `default_name` names a scenario that
/// has no `name`. It does not follow `extends` (that needs the file's place: see `load_text`).
pub fn parse_str(text: &str, default_name: &str) -> Result<(ScenarioFile, Config), Vec<Problem>> {
    parse_with(text, default_name, &Overrides::default())
}

/// As `parse_str`, with `overrides` laid over the file before validation.
fn parse_with(
    text: &str,
    default_name: &str,
    overrides: &Overrides,
) -> Result<(ScenarioFile, Config), Vec<Problem>> {
    // A reform adopted at a date: its own keys move into `adoption.changes` first.
    let moved;
    let text_read = if has_adoption(text) {
        let mut table: toml::Table = toml::from_str(text).expect("has_adoption parsed it");
        adoption::move_own_keys(&mut table);
        moved = toml::to_string(&table).expect("a TOML table serialises");
        moved.as_str()
    } else {
        text
    };
    // The document with its spans is parsed only to place a problem.
    let mut file: ScenarioFile = match toml::from_str(text_read) {
        Ok(f) => f,
        Err(e) => {
            return Err(vec![match toml_edit::Document::parse(text) {
                Ok(doc) => problem::serde_problem(text, &doc, &e),
                Err(e) => Problem::syntax(text, &e),
            }]);
        }
    };
    overrides.apply(&mut file);
    let config = validate(&file, default_name).map_err(|problems| {
        let doc = toml_edit::Document::parse(text).expect("the file parsed as TOML above");
        problems
            .into_iter()
            .map(|p| {
                overrides.place(p, |mut p| {
                    for (candidate, names_it) in p.candidates() {
                        if let Some(span) = problem::span_of(&doc, &candidate) {
                            let (l, c) = line_col(text, span.start);
                            p.line = Some(l);
                            p.column = Some(c);
                            if names_it {
                                p.field = Some(candidate);
                            }
                            break;
                        }
                    }
                    p
                })
            })
            .collect::<Vec<_>>()
    })?;
    Ok((file, config))
}

/// For unit tests: the default national scenario with the TOML `extra` laid over it, validated.
#[cfg(test)]
pub(crate) fn test_config(extra: &str) -> Config {
    parse_str(extra, "test").unwrap_or_else(|p| panic!("{p:?}")).1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_echoed_in_part() {
        let long = "9".repeat(400);
        let p = parse_str(&format!("name = \"{long}/\"\n"), "t").unwrap_err();
        assert!(p[0].message.len() < 150, "{}", p[0].message);
        assert!(p[0].message.contains("(341 more characters)"), "{}", p[0].message);
        let p = parse_str(&format!("replications = \"{long}\"\n"), "t").unwrap_err();
        assert!(p[0].message.len() < 200, "{}", p[0].message);
        // A long key too: the parser names it in backticks.
        let p = parse_str(&format!("[trust]\n{} = 1\n", "k".repeat(5000)), "t").unwrap_err();
        assert!(p[0].message.len() < 600, "{}", p[0].message);
    }

    #[test]
    fn only_regular_files_are_read_as_input() {
        let e = read_input(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput);
        assert!(read_input(Path::new("scenarios/baseline.toml")).is_ok());
    }

    #[test]
    fn flags_override_the_file_and_meet_the_keys_ranges() {
        let text = "seed = 3\nreplications = 5\n";
        let flags = Overrides { seed: Some(9), replications: Some(7) };
        let (file, config) = parse_with(text, "t", &flags).unwrap();
        assert_eq!((file.seed, config.seed, config.replications), (9, 9, 7));
        let too_many = Overrides { replications: Some(2_000_000), seed: None };
        let p = parse_with(text, "t", &too_many).unwrap_err();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].field.as_deref(), Some("replications"));
        assert!(p[0].message.contains("set by --replications"), "{}", p[0].message);
        assert_eq!((p[0].line, p[0].column), (None, None), "a flag has no place in the file");
    }

    #[test]
    fn a_key_out_of_range_in_the_file_is_still_located_there() {
        let p = parse_str("seed = 1\nreplications = 0\n", "t").unwrap_err();
        assert_eq!((p[0].line, p[0].column), (Some(2), Some(1)));
        assert!(!p[0].message.contains("set by"));
    }
}
