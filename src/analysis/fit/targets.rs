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

/// For unit tests: a targets file of the survey's sample sizes (2020) and the figures in `rest`.
#[cfg(test)]
pub(super) fn test_targets(rest: &str) -> Targets {
    let text =
        format!("[survey]\nmunicipalities = 354\ndirector_responses = 206\nmayor_responses = 230\n{rest}");
    Targets::parse(&text, "test").unwrap_or_else(|e| panic!("{e}"))
}

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
        let text = crate::scenario::read_input_text(path).map_err(|e| FitError::Targets {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A small targets file with one of each shape the real one uses.
    const SMALL: &str = r#"
[survey]
date = "2020-11"
municipalities = 354
director_responses = 206
mayor_responses = 230
triumvirate_count = 80

[population.size_bands]
bands = [[0, 2000], [2000, 5000.5]]
share = [0.4, 0.6]

[director]
age_mean = 55.3
age_min = 38
education_share = { upper_secondary = 0.015, university_over_4y = 0.722 }

[cooperation.items]
works_very_well = { mayor = [4.5, 0.9] }

[regression.cooperation]
n_predictors = 2
order = ["a", "b"]
betas = [
  { name = "office_distance", beta = 0.150, p = 0.028, t = 2.212 },
  { name = "merged", beta = -0.015, p = 0.850 },
]
"#;

    fn ids(t: &Targets) -> Vec<&str> {
        t.figures.iter().map(|f| f.id.as_str()).collect()
    }

    #[test]
    fn figures_are_flattened_to_dotted_ids() {
        let t = Targets::parse(SMALL, "small.toml").unwrap();
        // Plain arrays by index, inline tables by key, named list entries by name, a
        // `[mean, std]` pair by index; strings and lists of strings are no figures. (Sorted:
        // the order of a table's keys is the TOML library's.)
        let mut sorted = ids(&t);
        sorted.sort_unstable();
        assert_eq!(
            sorted,
            [
                "cooperation.items.works_very_well.mayor.0",
                "cooperation.items.works_very_well.mayor.1",
                "director.age_mean",
                "director.education_share.university_over_4y",
                "director.education_share.upper_secondary",
                "population.size_bands.share.0",
                "population.size_bands.share.1",
                "regression.cooperation.betas.merged",
                "regression.cooperation.betas.office_distance",
            ]
        );
        assert_eq!(t.len(), 9);
        assert!(!t.is_empty());
        // A coefficient is one figure, its beta, with the reported t where there is one.
        let beta = |name: &str| {
            t.figures.iter().find(|f| f.id == format!("regression.cooperation.betas.{name}")).unwrap()
        };
        assert_eq!((beta("office_distance").reported, beta("office_distance").t), (0.150, Some(2.212)));
        assert_eq!((beta("merged").reported, beta("merged").t), (-0.015, None));
        assert_eq!(t.value("cooperation.items.works_very_well.mayor.1"), Some(0.9));
    }

    #[test]
    fn descriptions_of_the_survey_are_values_but_not_figures() {
        let t = Targets::parse(SMALL, "small.toml").unwrap();
        for id in [
            "survey.municipalities",
            "survey.triumvirate_count",
            "population.size_bands.bands.1.1",
            "director.age_min",
            "regression.cooperation.n_predictors",
        ] {
            assert!(!ids(&t).contains(&id), "{id} is a description");
            assert!(t.value(id).is_some(), "{id} is still readable");
        }
        assert_eq!((t.directors, t.mayors, t.municipalities), (206.0, 230.0, 354.0));
        assert_eq!(t.bands, [(0.0, 2000.0), (2000.0, 5000.5)]);
        assert_eq!(t.value("no.such.figure"), None);
    }

    #[test]
    fn a_malformed_or_incomplete_file_is_an_error_naming_it() {
        match Targets::parse("[survey\nmunicipalities = 1", "broken.toml") {
            Err(FitError::Targets { path, .. }) => assert_eq!(path, "broken.toml"),
            other => panic!("{other:?}"),
        }
        // The sample sizes are needed for every standard error.
        let err = Targets::parse("[survey]\nmunicipalities = 354\nmayor_responses = 230\n", "short.toml")
            .unwrap_err();
        assert_eq!(err.to_string(), "short.toml: missing `survey.director_responses`");
        let missing = std::env::temp_dir().join("samspill-targets-that-do-not-exist.toml");
        match Targets::load(&missing) {
            Err(FitError::Targets { path, message }) => {
                assert_eq!(path, missing.display().to_string());
                assert!(message.starts_with("cannot read it"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_bundled_targets_parse() {
        let t = Targets::bundled();
        assert!(!t.is_empty());
        assert_eq!((t.directors, t.mayors, t.municipalities), (206.0, 230.0, 354.0));
        assert_eq!(t.bands.len(), 6);
        // Every coefficient of Appendix 2 is a figure with its t.
        let betas: Vec<&Target> =
            t.figures.iter().filter(|f| f.id.starts_with("regression.cooperation.betas.")).collect();
        assert_eq!(betas.len() as f64, t.value("regression.cooperation.n_predictors").unwrap());
        assert!(betas.iter().all(|b| b.t.is_some()));
    }
}
