//! `manifest.json`: what produced a results folder, so that it can be reproduced and checked —
//! the version, the inputs and their SHA-256, the seed, the work done, the wall time and the
//! command line. One type for every command; a field a command has nothing to say about is
//! left out of its file. Each command's manifest is built by one constructor here.

use serde::Serialize;

use crate::analysis::sweep::Sweep;
use crate::scenario::Loaded;
use crate::scenario::config::Config;

/// A scenario compared in `compare`: its label, file, hash and the files it extends.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioRecord {
    pub label: String,
    pub path: String,
    pub sha256: String,
    pub extends: Vec<String>,
    /// SHA-256 of the scenario as the results folder saves it (flags written in).
    pub resolved_sha256: String,
}

impl ScenarioRecord {
    pub fn new(label: &str, loaded: &Loaded) -> ScenarioRecord {
        ScenarioRecord {
            label: label.to_string(),
            path: loaded.path.display().to_string(),
            sha256: loaded.sha256.clone(),
            extends: loaded.chain[1..].iter().map(|p| p.display().to_string()).collect(),
            resolved_sha256: loaded.resolved_sha256(),
        }
    }
}

/// How much work a command did and how fast.
#[derive(Debug, Clone, Copy)]
pub struct Work {
    pub threads: usize,
    pub municipality_months: u64,
    pub elapsed_seconds: f64,
}

impl Work {
    fn per_second(&self) -> f64 {
        self.municipality_months as f64 / self.elapsed_seconds.max(1e-9)
    }
}

/// What `manifest.json` records. Fields are in the order every manifest lists them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Manifest {
    pub version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sweep: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sweep_sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merged_from: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<ScenarioRecord>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reforms: Option<Vec<ScenarioRecord>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario_sha256: Option<String>,
    /// SHA-256 of the folder's `scenario.toml` (the scenario as run, flags written in).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved_scenario_sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replications: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replications_per_point: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threads: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub municipalities: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub months_per_replication: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub burn_in_months: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report_start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report_end: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub municipality_months: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elapsed_seconds: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub municipality_months_per_second: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    pub command: Vec<String>,
}

impl Manifest {
    fn new(command: Vec<String>) -> Manifest {
        Manifest { version: env!("CARGO_PKG_VERSION"), command, ..Manifest::default() }
    }

    fn with_work(mut self, work: Work) -> Manifest {
        self.threads = Some(work.threads);
        self.municipality_months = Some(work.municipality_months);
        self.elapsed_seconds = Some(work.elapsed_seconds);
        self.municipality_months_per_second = Some(work.per_second());
        self
    }

    /// The manifest of `run` and `survey`: the scenario as loaded and run (`config`, with the
    /// flags applied), its calendar, and the work.
    pub fn run(loaded: &Loaded, config: &Config, work: Work, command: Vec<String>) -> Manifest {
        let cal = &config.calendar;
        Manifest {
            scenario: Some(loaded.path.display().to_string()),
            scenario_name: Some(config.name.clone()),
            scenario_sha256: Some(loaded.sha256.clone()),
            resolved_scenario_sha256: Some(loaded.resolved_sha256()),
            seed: Some(config.seed),
            replications: Some(config.replications),
            municipalities: Some(config.population.municipalities),
            months_per_replication: Some(cal.months()),
            burn_in_months: Some(cal.months() - cal.report_months()),
            report_start: Some(cal.report_start.to_string()),
            report_end: Some(cal.end.to_string()),
            ..Manifest::new(command)
        }
        .with_work(work)
    }

    /// The manifest of `compare`.
    pub fn compare(
        base: ScenarioRecord,
        reforms: Vec<ScenarioRecord>,
        seed: u64,
        replications: u32,
        work: Work,
        lang: &str,
        command: Vec<String>,
    ) -> Manifest {
        Manifest {
            base: Some(base),
            reforms: Some(reforms),
            seed: Some(seed),
            replications: Some(replications),
            lang: Some(lang.to_string()),
            ..Manifest::new(command)
        }
        .with_work(work)
    }

    /// The manifest of `sweep`: `points` of the sweep's points, shard `shard` ("K/N").
    pub fn sweep(spec: &Sweep, points: usize, shard: String, work: Work, command: Vec<String>) -> Manifest {
        Manifest {
            sweep: Some(spec.path.display().to_string()),
            sweep_sha256: Some(spec.sha256.clone()),
            scenario: Some(spec.base.path.display().to_string()),
            scenario_sha256: Some(spec.base.sha256.clone()),
            resolved_scenario_sha256: Some(spec.base.resolved_sha256()),
            seed: Some(spec.seed),
            replications_per_point: Some(spec.file.replications),
            points: Some(points),
            shard: Some(shard),
            ..Manifest::new(command)
        }
        .with_work(work)
    }

    /// The manifest of `merge`.
    pub fn merge(
        sweep: String,
        sweep_sha256: String,
        merged_from: Vec<String>,
        points: usize,
        command: Vec<String>,
    ) -> Manifest {
        Manifest {
            sweep: Some(sweep),
            sweep_sha256: Some(sweep_sha256),
            merged_from: Some(merged_from),
            points: Some(points),
            ..Manifest::new(command)
        }
    }
}
