//! The targets file: the published figures of the 2020 survey, flattened to one figure per
//! dotted id. Only the fit report reads a figure: the fields are private to `analysis::fit`, so
//! no other module (the model least of all) can see a published value; the rest of the crate
//! can only load a targets file and hand it to `fit`.

use std::collections::BTreeMap;
use std::path::Path;

use super::FitError;

/// The project's copy of the published figures (KS FoU 204031, 2021), used when no other
/// targets file is given.
const BUNDLED_TARGETS: &str = include_str!("../../../calibration/targets.toml");

/// One figure of the targets file.
#[derive(Debug, Clone)]
pub(super) struct Target {
    pub(super) id: String,
    pub(super) reported: f64,
    /// The reported t-value, for regression coefficients.
    pub(super) t: Option<f64>,
}

/// The targets file, flattened.
#[derive(Debug, Clone)]
pub struct Targets {
    pub(super) figures: Vec<Target>,
    pub(super) directors: f64,
    pub(super) mayors: f64,
    pub(super) municipalities: f64,
    /// Size bands of Table 2.4, inhabitants.
    pub(super) bands: Vec<(f64, f64)>,
    values: BTreeMap<String, f64>,
}

/// Is this figure a description of the survey itself (its date, sample, bands, design) rather
/// than something a model can match or miss?
fn is_description(id: &str) -> bool {
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

    /// Figures to match (descriptions of the survey itself left out).
    pub fn len(&self) -> usize {
        self.figures.len()
    }

    pub fn is_empty(&self) -> bool {
        self.figures.is_empty()
    }

    /// A reported figure by id.
    pub(super) fn value(&self, id: &str) -> Option<f64> {
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
