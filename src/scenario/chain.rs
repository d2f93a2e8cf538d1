//! Inheritance: a scenario that says `extends = "../baseline.toml"` gives only what differs.
//! `read_chain` reads the files of the chain (child first), `overlay` lays one table over
//! another (distributions and arrays replaced whole), and `locate_in_chain` blames a problem
//! on the file of the chain that sets the offending field.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::scenario::problem::{Problem, ScenarioError, line_col, span_of, utf8};
use crate::scenario::{EXTENDS, SHARE_TABLES, read_input};

/// Most files an inheritance chain may have (the loaded file included).
pub const MAX_CHAIN: usize = 1000;

/// One file of an inheritance chain.
pub(crate) struct Source {
    pub(crate) path: PathBuf,
    pub(crate) text: String,
}

impl Source {
    pub(crate) fn doc(&self) -> toml_edit::Document<&str> {
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
            related: Vec::new(),
        }],
    }
}

/// Reads the chain of scenarios `text` (the contents of `path`) extends, child first.
pub(crate) fn read_chain(path: &Path, text: &str) -> Result<Vec<Source>, ScenarioError> {
    let mut chain = vec![Source { path: path.to_owned(), text: text.to_owned() }];
    let mut seen = HashSet::from([std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())]);
    loop {
        let current = chain.last().expect("the chain starts with the loaded file");
        // A file that cannot hold the key (not even as a quoted key with escapes) extends nothing.
        if !current.text.contains(EXTENDS) && !current.text.contains("\\u") && !current.text.contains("\\U") {
            return Ok(chain);
        }
        let parent = {
            let doc = match toml_edit::Document::parse(current.text.as_str()) {
                Ok(doc) => doc,
                // Let the ordinary parse report the syntax error with its position.
                Err(_) if chain.len() == 1 => return Ok(chain),
                Err(e) => {
                    let problem =
                        Problem { file: Some(current.path.clone()), ..Problem::syntax(&current.text, &e) };
                    return Err(ScenarioError::Invalid { path: path.to_owned(), problems: vec![problem] });
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
        if chain.len() >= MAX_CHAIN {
            return Err(invalid_at(
                path,
                current,
                EXTENDS,
                format!("the chain of scenarios that extend each other is longer than {MAX_CHAIN}"),
                "let a scenario extend the base directly rather than through a long chain",
            ));
        }
        let bytes = match read_input(&parent_path) {
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
        seen.insert(canonical);
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
pub(crate) fn overlay(base: &mut toml::Table, over: toml::Table, at: &str) {
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

/// Places a problem found in the merged scenario in the file of the chain that sets its field
/// (the nearest to the loaded file); a problem with no such file stays with the loaded file.
pub(crate) fn locate_in_chain(mut p: Problem, chain: &[Source]) -> Problem {
    p.line = None;
    p.column = None;
    for (candidate, names_it) in p.candidates() {
        for (i, source) in chain.iter().enumerate() {
            if let Some(span) = span_of(&source.doc(), &candidate) {
                let (l, c) = line_col(&source.text, span.start);
                p.line = Some(l);
                p.column = Some(c);
                p.file = (i > 0).then(|| source.path.clone());
                if names_it {
                    p.field = Some(candidate);
                }
                return p;
            }
        }
    }
    p
}
