//! Parameter sweeps: a scenario run at many points of one or more of its parameters, with
//! replications at each point, written one row per point to `sweep.csv`, with a chart of each
//! key outcome against each swept parameter.
//!
//! A sweep is described by a TOML file (see `scenarios/sweeps/fragmentation.toml`):
//!
//! ```toml
//! scenario = "../baseline.toml"   # relative to the sweep file
//! replications = 16               # at every point
//! design = "grid"                 # or "latin_hypercube", with `points = N`
//! [[parameter]]
//! name = "politics.fixed_coalition_parties"
//! values = [1, 2, 3, 4, 5, 6, 7]  # a grid's values; a Latin hypercube takes min and max
//! ```
//!
//! Every point uses the same seed (common random numbers), so the curves are smooth in the
//! parameter and the differences between points come from the parameter alone. A point's
//! results depend only on the spec and the point's index, never on which other points run in
//! the same process; that is what makes sharding exact: `--shard K/N` runs the points whose
//! index is K−1 modulo N, and `merge` puts the shards' rows back in index order, giving a
//! `sweep.csv` byte for byte the same as an unsharded run's.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use ndarray::Axis;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::foundation::rng::{self, Process};
use crate::scenario::config::Config;
use crate::scenario::{self, Loaded, ScenarioFile};
use crate::sim::run::{self, RunError, RunOptions};
use crate::sim::summary::{HEADLINES, headline_values};
use crate::stats::Estimate;

mod shard;
pub use shard::{Shard, ShardRecord, merge};

/// How the points of a sweep are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Design {
    /// Every combination of the parameters' `values`.
    #[default]
    Grid,
    /// `points` points spread over each parameter's [min, max], one per stratum of each.
    LatinHypercube,
}

/// One swept parameter as written in a sweep file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParameterSpec {
    /// Dotted scenario key, e.g. `politics.fixed_coalition_parties`.
    pub name: String,
    /// The values of a grid.
    pub values: Option<Vec<f64>>,
    /// The range of a Latin hypercube.
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// A sweep file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepFile {
    #[serde(default)]
    pub description: String,
    /// The scenario swept, relative to the sweep file.
    pub scenario: String,
    /// Replications at every point.
    pub replications: u32,
    /// Seed of every point [default: the scenario's].
    pub seed: Option<u64>,
    #[serde(default)]
    pub design: Design,
    /// Points of a Latin hypercube.
    pub points: Option<u32>,
    pub parameter: Vec<ParameterSpec>,
}

/// A sweep ready to run: the base scenario, the parameters and every point's values.
#[derive(Debug, Clone)]
pub struct Sweep {
    pub path: PathBuf,
    pub file: SweepFile,
    pub base: Loaded,
    pub seed: u64,
    /// Parameter names, in the file's order.
    pub parameters: Vec<String>,
    /// Every point's parameter values, in point order.
    pub points: Vec<Vec<f64>>,
    /// SHA-256 of the sweep file and the scenario chain: shards of different sweeps never merge.
    pub sha256: String,
    /// The sweep file's text, as it was read.
    pub text: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    #[error("cannot read sweep file {}: {source}\n  hint: check the path; sweeps live in scenarios/sweeps/", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{}{}: {message}\n  hint: {hint}", path.display(), location.map(|(l, c)| format!(":{l}:{c}")).unwrap_or_default())]
    Invalid { path: PathBuf, location: Option<(usize, usize)>, message: String, hint: String },
    #[error(transparent)]
    Scenario(#[from] scenario::ScenarioError),
    #[error(transparent)]
    Run(#[from] RunError),
}

/// Most points a sweep may have: each point's scenario is built before anything runs.
pub const MAX_POINTS: u128 = 10_000;
/// Most runs (points × replications) a sweep may ask for: as many as one scenario's
/// `replications` may be.
pub const MAX_RUNS: u128 = 1_000_000;

/// `n` with a comma between thousands (656,100,000,000).
fn thousands(n: u128) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Refuses a sweep of `points` points (`how`: how they come about) before any is laid out.
fn check_size(path: &Path, points: u128, how: &str, replications: u32) -> Result<(), SweepError> {
    let runs = points.saturating_mul(u128::from(replications));
    if points > MAX_POINTS || runs > MAX_RUNS {
        return Err(invalid(
            path,
            format!(
                "the sweep has {} points ({how}) × {replications} replications = {} runs; a sweep may have at most {} points and {} runs",
                thousands(points),
                thousands(runs),
                thousands(MAX_POINTS),
                thousands(MAX_RUNS)
            ),
            "use fewer values per parameter, fewer parameters, or a latin_hypercube with fewer points",
        ));
    }
    Ok(())
}

/// Refuses a parameter named twice, pointing at its second `name`.
fn check_unique(path: &Path, text: &str, file: &SweepFile) -> Result<(), SweepError> {
    for (j, p) in file.parameter.iter().enumerate() {
        if file.parameter[..j].iter().any(|q| q.name == p.name) {
            let location = toml_edit::Document::parse(text)
                .ok()
                .and_then(|doc| doc.get("parameter")?.as_array_of_tables()?.get(j)?.get("name")?.span())
                .map(|span| scenario::line_col(text, span.start));
            return Err(SweepError::Invalid {
                path: path.to_owned(),
                location,
                message: format!("parameter `{}` is given twice", scenario::echo(&p.name)),
                hint: "give each parameter once, with all its values".into(),
            });
        }
    }
    Ok(())
}

fn invalid(path: &Path, message: impl Into<String>, hint: impl Into<String>) -> SweepError {
    SweepError::Invalid { path: path.to_owned(), location: None, message: message.into(), hint: hint.into() }
}

impl Sweep {
    /// Reads a sweep file, its scenario, and lays out its points.
    pub fn load(path: &Path) -> Result<Sweep, SweepError> {
        let text = scenario::read_input_text(path)
            .map_err(|source| SweepError::Read { path: path.to_owned(), source })?;
        Sweep::parse(path, &text)
    }

    /// Reads `text` as the sweep file `path` (its scenario is read relative to `path`).
    pub fn parse(path: &Path, text: &str) -> Result<Sweep, SweepError> {
        let text = text.to_owned();
        let file: SweepFile = toml::from_str(&text).map_err(|e| SweepError::Invalid {
            path: path.to_owned(),
            location: e.span().map(|s| scenario::line_col(&text, s.start)),
            message: scenario::echo_quoted(e.message().trim()),
            hint: "a sweep file gives `scenario`, `replications`, `design` and one [[parameter]] table per parameter (name, and values or min/max); see scenarios/sweeps/fragmentation.toml".into(),
        })?;
        let base = scenario::load(&path.parent().unwrap_or(Path::new("")).join(&file.scenario))?;
        if file.replications < 2 {
            return Err(invalid(
                path,
                format!("replications = {} gives no intervals", file.replications),
                "use at least 2 replications per point",
            ));
        }
        if file.parameter.is_empty() {
            return Err(invalid(
                path,
                "no [[parameter]] to sweep",
                "add a [[parameter]] table with a `name` and `values` (grid) or `min` and `max` (latin_hypercube)",
            ));
        }
        check_unique(path, &text, &file)?;
        let template = toml::Value::try_from(&base.file).expect("a scenario serialises");
        for p in &file.parameter {
            match lookup(&template, &p.name) {
                Some(toml::Value::Integer(_) | toml::Value::Float(_)) => {}
                // A month (e.g. `adoption.from`) is swept in whole years: 2029 stands for 2029-01.
                Some(toml::Value::String(m)) if crate::foundation::calendar::Month::parse(m).is_some() => {}
                _ => {
                    return Err(invalid(
                        path,
                        format!("`{}` is not a numeric scenario key", scenario::echo(&p.name)),
                        "name a number (or a month, swept in years) of the scenario by its dotted key, e.g. politics.fixed_coalition_parties or adoption.share (see `samspill check --explain`)",
                    ));
                }
            }
        }
        let seed = file.seed.unwrap_or(base.config.seed);
        let points = match file.design {
            Design::Grid => {
                let mut grid = Vec::new();
                for p in &file.parameter {
                    let values = p.values.as_ref().filter(|v| !v.is_empty()).ok_or_else(|| {
                        invalid(
                            path,
                            format!("parameter `{}` has no `values`", scenario::echo(&p.name)),
                            "a grid needs values = [ ... ] for every parameter",
                        )
                    })?;
                    grid.push(values);
                }
                let size = grid.iter().fold(1u128, |n, v| n.saturating_mul(v.len() as u128));
                let how = grid.iter().map(|v| v.len().to_string()).collect::<Vec<_>>().join(" × ");
                check_size(path, size, &format!("{how} values"), file.replications)?;
                let mut points: Vec<Vec<f64>> = vec![Vec::new()];
                for values in grid {
                    points = points
                        .iter()
                        .flat_map(|pt| values.iter().map(move |v| [pt.as_slice(), &[*v]].concat()))
                        .collect();
                }
                points
            }
            Design::LatinHypercube => {
                let n = file.points.filter(|&n| n >= 2).ok_or_else(|| {
                    invalid(path, "a Latin hypercube needs `points`", "add points = 20 (at least 2)")
                })?;
                check_size(path, u128::from(n), "the latin_hypercube's `points`", file.replications)?;
                let n = n as usize;
                let mut columns = Vec::new();
                for (j, p) in file.parameter.iter().enumerate() {
                    let (Some(lo), Some(hi)) = (p.min, p.max) else {
                        return Err(invalid(
                            path,
                            format!("parameter `{}` needs `min` and `max`", scenario::echo(&p.name)),
                            "a Latin hypercube samples each parameter between its min and max",
                        ));
                    };
                    if hi <= lo {
                        return Err(invalid(
                            path,
                            format!(
                                "parameter `{}` has max {hi} not above min {lo}",
                                scenario::echo(&p.name)
                            ),
                            "make max larger than min",
                        ));
                    }
                    let integer = matches!(
                        lookup(&template, &p.name),
                        Some(toml::Value::Integer(_) | toml::Value::String(_))
                    );
                    columns.push(latin_column(seed, j as u32, n, lo, hi, integer));
                }
                (0..n).map(|i| columns.iter().map(|c| c[i]).collect()).collect()
            }
        };
        let mut hasher = Sha256::new();
        hasher.update(text.as_bytes());
        hasher.update(base.sha256.as_bytes());
        let sha256 = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
        let parameters = file.parameter.iter().map(|p| p.name.clone()).collect();
        let sweep = Sweep { path: path.to_owned(), file, base, seed, parameters, points, sha256, text };
        // Build every point's scenario now, so a value out of range fails before anything runs.
        for i in 0..sweep.points.len() {
            sweep.config(i)?;
        }
        Ok(sweep)
    }

    /// The scenario of point `i`: the base with the point's parameter values.
    pub fn config(&self, i: usize) -> Result<Config, SweepError> {
        let mut value = toml::Value::try_from(&self.base.file).expect("a scenario serialises");
        for (name, x) in self.parameters.iter().zip(&self.points[i]) {
            let slot = lookup_mut(&mut value, name).expect("checked when the sweep was read");
            *slot = match slot {
                toml::Value::String(_) => {
                    if x.fract() != 0.0 || !(1000.0..=9999.0).contains(x) {
                        return Err(invalid(
                            &self.path,
                            format!(
                                "`{}` is a month, swept in whole years; {x} is not a year",
                                scenario::echo(name)
                            ),
                            "give years, e.g. values = [2027, 2029, 2031] (each stands for its January)",
                        ));
                    }
                    toml::Value::String(format!("{:04}-01", *x as i32))
                }
                toml::Value::Integer(_) => {
                    if x.fract() != 0.0 || *x < 0.0 {
                        return Err(invalid(
                            &self.path,
                            format!("`{}` takes whole numbers, not {x}", scenario::echo(name)),
                            "give whole numbers for this parameter",
                        ));
                    }
                    toml::Value::Integer(*x as i64)
                }
                _ => toml::Value::Float(*x),
            };
        }
        let mut file: ScenarioFile = value.try_into().map_err(|e: toml::de::Error| {
            invalid(&self.path, e.message().to_string(), "check the parameter's values")
        })?;
        // The sweep's seed and replications are laid over the scenario before validation, so
        // they meet the same checks as the scenario's own keys.
        file.seed = self.seed;
        file.replications = self.file.replications;
        let mut config = scenario::validate(&file, &self.base.config.name).map_err(|problems| {
            let text: Vec<String> = problems
                .iter()
                .map(|p| format!("{}: {}", p.field.as_deref().unwrap_or("?"), p.message))
                .collect();
            invalid(
                &self.path,
                format!("point {} makes the scenario invalid: {}", i + 1, text.join("; ")),
                "keep the swept values within the ranges `samspill check --explain` lists",
            )
        })?;
        config.output.municipalities = false;
        Ok(config)
    }

    /// Runs point `i`: every headline's mean and interval over the point's replications.
    pub fn run_point(
        &self,
        i: usize,
        threads: usize,
        progress: &(dyn Fn(u64) + Sync),
        cancel: &AtomicBool,
    ) -> Result<SweepPoint, SweepError> {
        let config = self.config(i)?;
        let mut samples: Vec<Vec<f64>> = vec![Vec::new(); HEADLINES.len()];
        let stats = run::run(&config, RunOptions { threads }, progress, cancel, |rep| {
            for (k, v) in headline_values(&rep.tally.sum_axis(Axis(0)).view()).into_iter().enumerate() {
                samples[k].push(v);
            }
            Ok(())
        })?;
        Ok(SweepPoint {
            index: i,
            values: self.points[i].clone(),
            replications: self.file.replications,
            headlines: samples.iter().map(|s| Estimate::from_samples(s)).collect(),
            municipality_months: stats.municipality_months,
        })
    }

    /// The indices of the points shard `k` of `n` runs (1-based `k`).
    pub fn shard_points(&self, shard: Shard) -> Vec<usize> {
        (0..self.points.len()).filter(|i| i % shard.count == shard.index - 1).collect()
    }
}

/// What one point of a sweep gave.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepPoint {
    /// 0-based index of the point.
    pub index: usize,
    /// The point's parameter values, in the sweep file's order.
    pub values: Vec<f64>,
    pub replications: u32,
    /// Every headline (`sim::summary::HEADLINES` order) over the point's replications.
    pub headlines: Vec<Estimate>,
    /// Work done, for the manifest.
    pub municipality_months: u64,
}

fn lookup<'a>(value: &'a toml::Value, dotted: &str) -> Option<&'a toml::Value> {
    dotted.split('.').try_fold(value, |v, k| v.as_table()?.get(k))
}

fn lookup_mut<'a>(value: &'a mut toml::Value, dotted: &str) -> Option<&'a mut toml::Value> {
    dotted.split('.').try_fold(value, |v, k| v.as_table_mut()?.get_mut(k))
}

/// One Latin-hypercube column: `n` values, one in each of `n` equal strata of [lo, hi], in a
/// random order (rounded to whole numbers for integer parameters).
fn latin_column(seed: u64, parameter: u32, n: usize, lo: f64, hi: f64, integer: bool) -> Vec<f64> {
    let mut rng = rng::stream(seed, 0, parameter, Process::Design);
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = (rng::uniform(&mut rng) * (i + 1) as f64) as usize;
        order.swap(i, j.min(i));
    }
    order
        .into_iter()
        .map(|stratum| {
            let x = lo + (hi - lo) * (stratum as f64 + rng::uniform(&mut rng)) / n as f64;
            if integer { x.round() } else { x }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::export::{sweep_header, sweep_line};

    const SCENARIO: &str =
        "replications = 2\n[population]\nmunicipalities = 40\n[calendar]\nstart = \"1990-01\"\n";

    /// A fresh folder holding the small scenario above as `s.toml`.
    fn folder(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("samspill-sweep-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("s.toml"), SCENARIO).unwrap();
        d
    }

    fn load(dir: &Path, file: &str, text: &str) -> Result<Sweep, SweepError> {
        let path = dir.join(file);
        std::fs::write(&path, text).unwrap();
        Sweep::load(&path)
    }

    const GRID: &str = "scenario = \"s.toml\"\nreplications = 2\n\
        [[parameter]]\nname = \"politics.fixed_coalition_parties\"\nvalues = [1, 2, 3]\n\
        [[parameter]]\nname = \"friction.base\"\nvalues = [-5.0, -4.0]\n";

    #[test]
    fn a_grid_is_every_combination_in_the_files_order() {
        let d = folder("grid");
        let s = load(&d, "grid.toml", GRID).unwrap();
        assert_eq!(s.parameters, ["politics.fixed_coalition_parties", "friction.base"]);
        let expected: Vec<Vec<f64>> =
            [1.0, 2.0, 3.0].iter().flat_map(|&k| [-5.0, -4.0].map(|b| vec![k, b])).collect();
        assert_eq!(s.points, expected);
        assert_eq!(s.seed, s.base.config.seed, "the scenario's seed unless the sweep names one");
        for (i, point) in s.points.iter().enumerate() {
            let c = s.config(i).unwrap();
            assert_eq!(f64::from(c.politics.fixed_coalition_parties), point[0]);
            assert_eq!(c.friction.base, point[1]);
            assert_eq!((c.replications, c.output.municipalities), (2, false));
        }
        // The hash covers the sweep file: another sweep of the same scenario never merges with it.
        let other = load(&d, "other.toml", &GRID.replace("[1, 2, 3]", "[1, 2]")).unwrap();
        assert_ne!(other.sha256, s.sha256);
        assert_eq!(load(&d, "grid.toml", GRID).unwrap().sha256, s.sha256);
    }

    #[test]
    fn the_shards_of_a_sweep_partition_its_points() {
        let d = folder("shards");
        let s = load(&d, "grid.toml", GRID).unwrap();
        let n = s.points.len();
        // More shards than points too: the extra shards are empty.
        for count in 1..=n + 2 {
            let mut all: Vec<usize> = Vec::new();
            for index in 1..=count {
                let points = s.shard_points(Shard { index, count });
                assert!(points.iter().all(|i| i % count == index - 1), "{index}/{count}: {points:?}");
                all.extend(points);
            }
            all.sort_unstable();
            assert_eq!(all, (0..n).collect::<Vec<_>>(), "{count} shards");
        }
    }

    #[test]
    fn a_latin_hypercube_column_has_one_value_in_each_stratum() {
        let (n, lo, hi) = (12, 2.0, 8.0);
        let column = latin_column(5, 1, n, lo, hi, false);
        let mut strata: Vec<usize> =
            column.iter().map(|x| ((x - lo) / (hi - lo) * n as f64).floor() as usize).collect();
        strata.sort_unstable();
        assert_eq!(strata, (0..n).collect::<Vec<_>>(), "{column:?}");
        assert_eq!(column, latin_column(5, 1, n, lo, hi, false), "the column depends only on its inputs");
        // An integer parameter gets the same draws, rounded.
        let whole = latin_column(5, 1, n, lo, hi, true);
        assert_eq!(whole, column.iter().map(|x| x.round()).collect::<Vec<_>>());
    }

    #[test]
    fn a_latin_hypercube_sweep_spreads_each_parameter_over_its_range() {
        let d = folder("lhs");
        let text = "scenario = \"s.toml\"\nreplications = 2\ndesign = \"latin_hypercube\"\npoints = 6\n\
            [[parameter]]\nname = \"politics.fixed_coalition_parties\"\nmin = 1\nmax = 7\n\
            [[parameter]]\nname = \"friction.base\"\nmin = -6.0\nmax = -3.0\n";
        let s = load(&d, "lhs.toml", text).unwrap();
        assert_eq!(s.points.len(), 6);
        let parties: Vec<f64> = s.points.iter().map(|p| p[0]).collect();
        assert!(parties.iter().all(|k| k.fract() == 0.0 && (1.0..=7.0).contains(k)), "{parties:?}");
        let mut strata: Vec<usize> =
            s.points.iter().map(|p| ((p[1] + 6.0) / 3.0 * 6.0).floor() as usize).collect();
        strata.sort_unstable();
        assert_eq!(strata, (0..6).collect::<Vec<_>>());
    }

    #[test]
    fn a_sweep_that_cannot_run_is_rejected_when_read() {
        let d = folder("bad");
        // Each broken file fails for its own reason, before anything runs.
        let rejects = |text: &str, reason: &str| match load(&d, "bad.toml", text) {
            Err(SweepError::Invalid { message, .. }) => assert!(message.contains(reason), "{message}"),
            other => panic!("expected `{reason}`, got {other:?}"),
        };
        rejects(&GRID.replace("replications = 2", "replications = 1"), "gives no intervals");
        rejects(&GRID.replace("friction.base", "friction.no_such_key"), "is not a numeric scenario key");
        rejects(&GRID.replace("[1, 2, 3]", "[1, 2.5]"), "takes whole numbers");
        rejects(&GRID.replace("[-5.0, -4.0]", "[-5.0, 50.0]"), "makes the scenario invalid");
        rejects(&GRID.replace("values = [1, 2, 3]", "min = 1\nmax = 3"), "has no `values`");
        let lhs = "scenario = \"s.toml\"\nreplications = 2\ndesign = \"latin_hypercube\"\npoints = 4\n\
            [[parameter]]\nname = \"friction.base\"\nmin = -3.0\nmax = -6.0\n";
        rejects(lhs, "not above min");
        rejects(&lhs.replace("points = 4\n", ""), "needs `points`");
        // Sizes are checked before any point is laid out, and the message gives them.
        rejects(&lhs.replace("points = 4", "points = 4000000000"), "4,000,000,000 points");
        rejects(
            &lhs.replace("points = 4", "points = 10000").replace("replications = 2", "replications = 101"),
            "1,010,000 runs",
        );
        let many = format!("values = [{}]", (0..200).map(|i| i.to_string()).collect::<Vec<_>>().join(", "));
        let huge =
            GRID.replace("values = [1, 2, 3]", &many).replace("[-5.0, -4.0]", &many.replace("values = ", ""));
        rejects(&huge, "40,000 points (200 × 200 values)");
        // A parameter given twice would show values that were never simulated.
        let twice = format!("{GRID}[[parameter]]\nname = \"friction.base\"\nvalues = [-3.0]\n");
        match load(&d, "bad.toml", &twice) {
            Err(SweepError::Invalid { message, location, .. }) => {
                assert!(message.contains("`friction.base` is given twice"), "{message}");
                assert_eq!(
                    location.map(|l| l.0),
                    Some(twice.lines().count() - 1),
                    "points at the second name"
                );
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_sharded_run_merges_to_the_bytes_of_an_unsharded_one() {
        let d = folder("exact");
        let s = load(&d, "grid.toml", GRID).unwrap();
        let header = sweep_header(&s.parameters);
        let run_shard = |shard: Shard| {
            let indices = s.shard_points(shard);
            let mut csv = format!("{header}\n");
            for &i in &indices {
                let point = s.run_point(i, 2, &|_| {}, &AtomicBool::new(false)).unwrap();
                csv.push_str(&sweep_line(&point));
                csv.push('\n');
            }
            let record = ShardRecord {
                sweep: "grid.toml".into(),
                sweep_sha256: s.sha256.clone(),
                shard,
                total_points: s.points.len(),
                points: indices.iter().map(|i| i + 1).collect(),
                header: header.clone(),
            };
            (record, csv)
        };
        let (_, unsharded) = run_shard(Shard { index: 1, count: 1 });
        let shards: Vec<_> = (1..=4).map(|index| run_shard(Shard { index, count: 4 })).collect();
        let (_, merged) = merge(&shards).unwrap();
        assert_eq!(merged, unsharded);
        // The points differ, so matching bytes mean every row landed in its place.
        let rows: Vec<&str> = unsharded.lines().skip(1).map(|l| l.split_once(',').unwrap().1).collect();
        assert!(rows.windows(2).all(|w| w[0] != w[1]));
    }
}
