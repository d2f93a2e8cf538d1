//! Problems in scenario files, and where they are: every problem names the file, line, column
//! and dotted field where it can, and says how to fix it. The location comes from a
//! span-preserving parse (`toml_edit`) of the text the problem was found in.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

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
    /// The other fields a problem between fields involves (`recruitment.age_max` beside
    /// `recruitment.age_min`): where the file does not set `field`, the problem is placed at
    /// the first of these it sets, and names that one.
    pub related: Vec<String>,
}

impl Problem {
    /// `text` is not TOML: `e` says where and why.
    pub(crate) fn syntax(text: &str, e: &toml_edit::TomlError) -> Problem {
        let (line, column) = e.span().map(|s| line_col(text, s.start)).unzip();
        Problem {
            file: None,
            line,
            column,
            field: None,
            message: format!("not valid TOML: {}", e.message().trim()),
            hint: Some("check brackets, quotes and `key = value` syntax on that line".into()),
            related: Vec::new(),
        }
    }

    /// Where to look for the problem in a file, in order: its field, the fields it involves,
    /// then the field's table (a distribution is set as a whole). Each with whether it is a
    /// field the problem may name.
    pub(crate) fn candidates(&self) -> Vec<(String, bool)> {
        let Some(field) = &self.field else { return Vec::new() };
        let mut out = vec![(field.clone(), true)];
        out.extend(self.related.iter().map(|r| (r.clone(), true)));
        if let Some((table, _)) = field.rsplit_once('.') {
            out.push((table.to_string(), false));
        }
        out
    }
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
            out.push_str(&format!("field `{}`: ", crate::scenario::echo(f)));
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

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", render_problems(Path::new("<scenario>"), std::slice::from_ref(self)))
    }
}

pub(crate) fn utf8(path: &Path, bytes: Vec<u8>) -> Result<String, ScenarioError> {
    String::from_utf8(bytes).map_err(|e| ScenarioError::Invalid {
        path: path.to_owned(),
        problems: vec![Problem {
            file: None,
            line: None,
            column: None,
            field: None,
            message: format!("the file is not UTF-8 text ({e})"),
            hint: Some("save the scenario as UTF-8".into()),
            related: Vec::new(),
        }],
    })
}

/// A parser's message with every quoted value or key in it ("…" or `…`) shortened (see
/// `echo`): a file's values and keys may be of any length, a message should not be.
pub(crate) fn echo_quoted(message: &str) -> String {
    let shorten = |text: &str, quote: char| {
        text.split(quote)
            .enumerate()
            .map(|(i, part)| if i % 2 == 1 { crate::scenario::echo(part) } else { part.to_string() })
            .collect::<Vec<_>>()
            .join(&quote.to_string())
    };
    shorten(&shorten(message, '"'), '`')
}

pub(crate) fn serde_problem(text: &str, doc: &toml_edit::Document<&str>, e: &toml::de::Error) -> Problem {
    let message = echo_quoted(e.message().trim());
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
    Problem { file: None, line, column, field, message, hint, related: Vec::new() }
}

/// 1-based line and column of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The span of a dotted field path in the parsed document (the key, where there is one).
pub(crate) fn span_of(doc: &toml_edit::Document<&str>, path: &str) -> Option<Range<usize>> {
    let mut table: &dyn toml_edit::TableLike = doc.as_table();
    // A trend names a dotted key in quotes: `trends."group.key"`.
    if let Some(key) = path.strip_prefix("trends.\"").and_then(|k| k.strip_suffix('"')) {
        let (k, item) = table.get("trends")?.as_table_like()?.get_key_value(key)?;
        return k.span().or_else(|| item.span());
    }
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
