//! Results on disk: a results folder is written in a hidden staging folder beside it and
//! renamed into place only when every file is complete, so a failed or interrupted run leaves
//! nothing behind and an existing folder is replaced only when asked (`force`).
//!
//! The writers are plain functions of the results; the CLI decides when to call them.

pub mod plot;
pub mod report;

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::scenario::config::Config;
use crate::sim::run::Replication;
use crate::sim::summary::{yearly_columns, yearly_values};
use crate::stats::Estimate;

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("results folder {} already exists\n  hint: pass --force to replace it, or choose another folder with --out", .0.display())]
    Exists(PathBuf),
    #[error("cannot write results to {}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
}

fn io_at(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io { path: path.to_owned(), source }
}

/// A results folder being written. Dropped without `commit`, it removes what it wrote.
#[derive(Debug)]
pub struct StagedDir {
    target: PathBuf,
    staging: PathBuf,
    force: bool,
    committed: bool,
}

impl StagedDir {
    /// Creates the staging folder. Fails at once if `target` exists and `force` is off, so a
    /// bad destination is reported before any simulation runs.
    pub fn create(target: &Path, force: bool) -> Result<StagedDir, OutputError> {
        if target.exists() && !force {
            return Err(OutputError::Exists(target.to_owned()));
        }
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(io_at(&parent))?;
        let name = target.file_name().map_or_else(|| "results".into(), |n| n.to_string_lossy().into_owned());
        let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(io_at(&staging))?;
        }
        fs::create_dir(&staging).map_err(io_at(&staging))?;
        Ok(StagedDir { target: target.to_owned(), staging, force, committed: false })
    }

    /// Where to write files now.
    pub fn path(&self) -> &Path {
        &self.staging
    }

    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Moves the finished folder into place, replacing an existing one if `force` was given.
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        if self.target.exists() {
            if !self.force {
                return Err(OutputError::Exists(self.target.clone()));
            }
            let old = self.staging.with_file_name(format!(
                ".{}.old-{}",
                self.target.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
                std::process::id()
            ));
            fs::rename(&self.target, &old).map_err(io_at(&self.target))?;
            fs::rename(&self.staging, &self.target).map_err(io_at(&self.target))?;
            fs::remove_dir_all(&old).map_err(io_at(&old))?;
        } else {
            fs::rename(&self.staging, &self.target).map_err(io_at(&self.target))?;
        }
        self.committed = true;
        Ok(self.target.clone())
    }
}

impl Drop for StagedDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// Streams `yearly.csv` and `municipalities.csv` as replications arrive.
pub struct TableWriters {
    yearly: Option<csv::Writer<BufWriter<fs::File>>>,
    municipalities: Option<csv::Writer<BufWriter<fs::File>>>,
    first_year: i32,
}

impl TableWriters {
    pub fn create(dir: &Path, config: &Config) -> Result<TableWriters, OutputError> {
        let open = |name: &str| -> Result<csv::Writer<BufWriter<fs::File>>, OutputError> {
            let path = dir.join(name);
            let file = fs::File::create(&path).map_err(io_at(&path))?;
            Ok(csv::Writer::from_writer(BufWriter::new(file)))
        };
        let mut yearly = if config.output.yearly { Some(open("yearly.csv")?) } else { None };
        if let Some(w) = &mut yearly {
            w.write_record(yearly_columns())
                .map_err(|e| OutputError::Io { path: dir.join("yearly.csv"), source: e.into() })?;
        }
        let municipalities =
            if config.output.municipalities { Some(open("municipalities.csv")?) } else { None };
        Ok(TableWriters { yearly, municipalities, first_year: config.calendar.report_start.year() })
    }

    pub fn write(&mut self, rep: &Replication) -> io::Result<()> {
        if let Some(w) = &mut self.yearly {
            for (i, row) in rep.tally.rows().into_iter().enumerate() {
                let mut record = vec![rep.replication.to_string(), (self.first_year + i as i32).to_string()];
                record.extend(yearly_values(&row).into_iter().map(fmt_number));
                w.write_record(&record)?;
            }
        }
        if let Some(w) = &mut self.municipalities {
            for row in &rep.municipalities {
                w.serialize(row)?;
            }
        }
        Ok(())
    }

    pub fn finish(self) -> io::Result<()> {
        if let Some(mut w) = self.yearly {
            w.flush()?;
        }
        if let Some(mut w) = self.municipalities {
            w.flush()?;
        }
        Ok(())
    }
}

/// Numbers in CSV: shortest round-trip form; undefined values as an empty field.
fn fmt_number(x: f64) -> String {
    if x.is_finite() { format!("{x}") } else { String::new() }
}

/// What `manifest.json` records about a run.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub version: &'static str,
    pub scenario: String,
    pub scenario_name: String,
    pub scenario_sha256: String,
    pub seed: u64,
    pub replications: u32,
    pub threads: usize,
    pub municipalities: u32,
    pub months_per_replication: i32,
    pub burn_in_months: i32,
    pub report_start: String,
    pub report_end: String,
    pub municipality_months: u64,
    pub elapsed_seconds: f64,
    pub municipality_months_per_second: f64,
    pub command: Vec<String>,
}

pub fn write_json(path: &Path, value: &impl Serialize) -> Result<(), OutputError> {
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|e| OutputError::Io { path: path.to_owned(), source: e.into() })?;
    text.push('\n');
    fs::write(path, text).map_err(io_at(path))
}

/// The `summary.json` document: headline estimates, then `exits_by_reason`.
pub fn summary_json(
    config: &Config,
    headlines: &[(&str, Estimate)],
    exit_shares: &[(&str, Estimate)],
) -> Value {
    let mut doc = Map::new();
    doc.insert("scenario".into(), json!(config.name));
    doc.insert("replications".into(), json!(config.replications));
    doc.insert(
        "report_period".into(),
        json!({"start": config.calendar.report_start.to_string(), "end": config.calendar.end.to_string()}),
    );
    for (name, e) in headlines {
        doc.insert((*name).into(), json!(e));
    }
    let reasons: Map<String, Value> = exit_shares.iter().map(|(n, e)| ((*n).to_string(), json!(e))).collect();
    doc.insert("exits_by_reason".into(), Value::Object(reasons));
    Value::Object(doc)
}

/// Writes a table of survey answers as CSV; an unanswered question is an empty cell.
pub fn write_survey_table(path: &Path, table: &crate::survey::Table) -> Result<(), OutputError> {
    let mut w = csv::Writer::from_path(path)
        .map_err(|e| OutputError::Io { path: path.to_owned(), source: e.into() })?;
    let csv_err = |e: csv::Error| OutputError::Io { path: path.to_owned(), source: e.into() };
    w.write_record(&table.columns).map_err(csv_err)?;
    for row in &table.rows {
        w.write_record(row.iter().map(|v| if v.is_finite() { format!("{v}") } else { String::new() }))
            .map_err(csv_err)?;
    }
    w.flush().map_err(io_at(path))
}

/// Writes a regression as CSV with columns `name,beta,se,t,p` (standardised betas).
pub fn write_regression(path: &Path, ols: &crate::stats::Ols) -> Result<(), OutputError> {
    let mut text = String::from("name,beta,se,t,p\n");
    for c in &ols.coefficients {
        text.push_str(&format!("{},{},{},{},{}\n", c.name, c.beta, c.se, c.t, c.p));
    }
    write_text(path, &text)
}

/// Writes a file whole or not at all: to a hidden temporary beside it, then renamed.
pub fn write_file_atomically(path: &Path, text: &str) -> Result<(), OutputError> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.partial-{}", std::process::id()));
    write_text(&tmp, text)?;
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        OutputError::Io { path: path.to_owned(), source: e }
    })
}

/// Writes text to a file in the results folder.
pub fn write_text(path: &Path, text: &str) -> Result<(), OutputError> {
    let file = fs::File::create(path).map_err(io_at(path))?;
    let mut w = BufWriter::new(file);
    w.write_all(text.as_bytes()).and_then(|_| w.flush()).map_err(io_at(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("samspill-output-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn a_dropped_staging_folder_leaves_nothing() {
        let root = tmp("drop");
        let target = root.join("out");
        {
            let s = StagedDir::create(&target, false).unwrap();
            fs::write(s.path().join("x"), "1").unwrap();
        }
        assert!(!target.exists());
        assert_eq!(fs::read_dir(&root).unwrap().count(), 0);
    }

    #[test]
    fn an_existing_folder_is_kept_without_force_and_replaced_with_it() {
        let root = tmp("force");
        let target = root.join("out");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("old"), "1").unwrap();
        assert!(matches!(StagedDir::create(&target, false), Err(OutputError::Exists(_))));
        let s = StagedDir::create(&target, true).unwrap();
        fs::write(s.path().join("new"), "2").unwrap();
        s.commit().unwrap();
        assert!(target.join("new").exists());
        assert!(!target.join("old").exists());
        assert_eq!(fs::read_dir(&root).unwrap().count(), 1, "no staging or old folder left");
    }
}
