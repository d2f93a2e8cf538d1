//! `samspill fit` and `samspill calibrate`: the emulated survey against every published figure
//! of the 2020 survey, and the calibration of a scenario's mechanisms to them.

use std::path::{Path, PathBuf};

use anyhow::Context;
use indicatif::ProgressBar;
use samspill::analysis::{calibrate, fit};
use samspill::output;
use samspill::scenario::{self, Overrides};
use samspill::survey;

use super::session::{Failure, Keys, Session, Writing, file_target, load, own_file_target};

#[derive(Debug, clap::Args)]
pub struct FitArgs {
    /// Scenario file (TOML), e.g. scenarios/baseline.toml.
    scenario: PathBuf,
    /// Published figures to compare with [default: the project's copy, calibration/targets.toml].
    #[arg(long)]
    targets: Option<PathBuf>,
    // The emulated surveys to average are the replications (at least 2).
    #[command(flatten)]
    keys: Keys,
    /// Also write the report as JSON to this file (an existing file only with --force).
    #[arg(long)]
    json: Option<PathBuf>,
    /// Rows of the table to print, worst first [default: all].
    #[arg(long)]
    top: Option<usize>,
    #[command(flatten)]
    writing: Writing,
}

#[derive(Debug, clap::Args)]
pub struct CalibrateArgs {
    /// Scenario to start from (TOML), e.g. scenarios/baseline.toml.
    scenario: PathBuf,
    /// Where to write the calibrated scenario; its fit report goes beside it (<stem>.fit.json, <stem>.fit.txt).
    #[arg(long)]
    out: PathBuf,
    /// Published figures to fit [default: the project's copy, calibration/targets.toml].
    #[arg(long)]
    targets: Option<PathBuf>,
    /// Evaluations the optimiser (CMA-ES) may spend on the mechanism parameters.
    #[arg(long, default_value_t = 660)]
    budget: u64,
    /// Emulated surveys per seed block and evaluation.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u32).range(2..))]
    replications: u32,
    /// Independent seed blocks per evaluation: figures are averaged over all blocks' surveys
    /// (simulation noise about 1/√(blocks × replications) of the survey's), and the blocks'
    /// spread is the objective's noise, against which convergence is judged.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(2..=64))]
    blocks: u32,
    /// Emulated surveys in the final fit report.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(2..))]
    fit_replications: u32,
    /// Rounds of the instrument's item centres before and after the optimiser.
    #[arg(long, default_value_t = 4)]
    anchor_rounds: u32,
    /// Seed of every random stream, the same in every evaluation (overrides the scenario's `seed`).
    #[arg(long)]
    seed: Option<u64>,
    #[command(flatten)]
    writing: Writing,
}

fn load_targets(path: Option<&Path>) -> Result<fit::Targets, Failure> {
    match path {
        Some(p) => fit::Targets::load(p).map_err(Failure::input),
        None => Ok(fit::Targets::bundled()),
    }
}

/// The fit report as JSON, written whole or not at all.
fn write_report_json(path: &Path, report: &fit::FitReport) -> Result<(), Failure> {
    let text = output::export::json(report).map_err(Failure::runtime)?;
    Ok(output::write_file_atomically(path, &text)?)
}

/// Whether `bytes` are a fit report as `fit --json` writes it (a JSON object with its
/// top-level keys), which a later `fit --json` to the same file may replace.
fn is_fit_report(bytes: &[u8]) -> bool {
    const KEYS: [&str; 5] = ["scenario", "seed", "replications", "summary", "moments"];
    serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(bytes)
        .is_ok_and(|report| KEYS.iter().all(|k| report.contains_key(*k)))
}

pub fn run_fit(args: FitArgs) -> Result<(), Failure> {
    let session = Session::new(&args.writing.common);
    let loaded = load(&args.scenario, &args.keys.overrides())?;
    let config = &loaded.config;
    let targets = load_targets(args.targets.as_deref())?;
    if let Some(path) = &args.json {
        own_file_target(path, args.writing.force, is_fit_report)?;
    }
    let total = u64::from(config.replications) * u64::from(config.population.municipalities);
    let bar = session.progress(total, format!("fit of {} ×{}", config.name, config.replications));
    let report = fit::fit(config, &targets, session.threads, &|n| bar.inc(n), session.cancel())?;
    bar.finish_and_clear();
    if let Some(path) = &args.json {
        write_report_json(path, &report)?;
    }
    if !session.quiet {
        out!("{}", report.table(args.top));
    }
    Ok(())
}

struct BarProgress(ProgressBar);

impl calibrate::Progress for BarProgress {
    fn evaluation(&self, stage: &str, distance: f64, best: f64) {
        self.0.set_message(format!("{stage}: distance {distance:.1}, best {best:.1}"));
        self.0.inc(1);
    }
}

pub fn run_calibrate(args: CalibrateArgs) -> Result<(), Failure> {
    let session = Session::new(&args.writing.common);
    let loaded = load(&args.scenario, &Overrides { seed: args.seed, replications: None })?;
    survey::survey_date(&loaded.config).map_err(|e| Failure::input(anyhow::anyhow!(e)))?;
    let targets = load_targets(args.targets.as_deref())?;
    let stem =
        args.out.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "calibrated".into());
    let report_json = args.out.with_file_name(format!("{stem}.fit.json"));
    let report_txt = args.out.with_file_name(format!("{stem}.fit.txt"));
    for path in [&args.out, &report_json, &report_txt] {
        file_target(path, args.writing.force)?;
    }
    if let Some(parent) = args.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))
            .map_err(Failure::input)?;
    }
    // The anchor rounds, the noise at the start, the search and the final evaluation(s).
    let total = args.budget + 2 * u64::from(args.anchor_rounds) + 3;
    let bar = BarProgress(session.progress(total, String::new()));
    let settings = calibrate::Settings {
        replications: args.replications,
        blocks: args.blocks,
        budget: args.budget,
        anchor_rounds: args.anchor_rounds,
        threads: session.threads,
    };
    let fitted =
        calibrate::calibrate(&loaded.file, &loaded.config.name, &targets, settings, &bar, session.cancel())
            .map_err(|e| match e {
            calibrate::CalibrateError::Cancelled => Failure::interrupted(),
            other => Failure::runtime(other),
        })?;
    bar.0.finish_and_clear();

    // The calibrated scenario as it will be written (values rounded), and its fit report.
    let minutes = session.elapsed() / 60.0;
    let per_second = fitted.evaluations as f64 / (minutes * 60.0).max(1e-9);
    let noise = fitted.noise.map_or_else(|| "not measured".to_string(), |n| format!("{n:.1}"));
    let header = format!(
        "Calibrated by `samspill calibrate` (samspill {}) from {} against {}: distance (sum of z²) {:.1}\n(noise across seed blocks {noise}) after {} evaluations of {} blocks of {} emulated surveys, CMA-ES\n{} generations ({}), seed {}, {} threads, {:.1} minutes ({:.2} evaluations/s).",
        env!("CARGO_PKG_VERSION"),
        args.scenario.display(),
        args.targets.as_deref().map_or("calibration/targets.toml".to_string(), |p| p.display().to_string()),
        fitted.distance,
        fitted.evaluations,
        args.blocks,
        args.replications,
        fitted.generations,
        fitted.stopped,
        loaded.config.seed,
        session.threads,
        minutes,
        per_second,
    );
    let text = calibrate::write_scenario(&loaded.text, &fitted.file, &header).map_err(Failure::runtime)?;
    let fit_replications = Overrides { replications: Some(args.fit_replications), seed: None };
    let config = scenario::load_text(&loaded.path, &text, &fit_replications)
        .map_err(|e| Failure::runtime(anyhow::anyhow!("the calibrated scenario does not validate: {e}")))?
        .config;
    let report = fit::fit(&config, &targets, session.threads, &|_| {}, session.cancel())?;
    write_report_json(&report_json, &report)?;
    output::write_file_atomically(&report_txt, &report.table(None))?;
    output::write_file_atomically(&args.out, &text)?;
    if !session.quiet {
        out!("{}", report.table(Some(15)));
        outln!(
            "wrote {} and its fit report {} ({} evaluations in {:.1} minutes, {:.2}/s on {} threads; {})",
            args.out.display(),
            report_json.display(),
            fitted.evaluations,
            minutes,
            per_second,
            session.threads,
            fitted.stopped
        );
    }
    Ok(())
}

#[derive(Debug, clap::Args)]
pub struct IdentifyArgs {
    /// The calibrated scenario (TOML), e.g. scenarios/baseline.toml.
    scenario: PathBuf,
    /// Folder for identification.json and posterior.csv.
    #[arg(long, default_value = "calibration")]
    out: PathBuf,
    /// Published figures [default: the project's copy, calibration/targets.toml].
    #[arg(long)]
    targets: Option<PathBuf>,
    /// Emulated surveys per evaluation (the simulation-noise factor is 1 + 1/N).
    #[arg(long, default_value_t = 40, value_parser = clap::value_parser!(u32).range(2..))]
    replications: u32,
    /// Seed of every random stream, the same in every evaluation (overrides the scenario's `seed`).
    #[arg(long)]
    seed: Option<u64>,
    #[command(flatten)]
    writing: Writing,
}

pub fn run_identify(args: IdentifyArgs) -> Result<(), Failure> {
    let session = Session::new(&args.writing.common);
    let loaded = load(&args.scenario, &Overrides { seed: args.seed, replications: None })?;
    survey::survey_date(&loaded.config).map_err(|e| Failure::input(anyhow::anyhow!(e)))?;
    let targets = load_targets(args.targets.as_deref())?;
    let identification_json = args.out.join("identification.json");
    let posterior_csv = args.out.join("posterior.csv");
    for path in [&identification_json, &posterior_csv] {
        file_target(path, args.writing.force)?;
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))
        .map_err(Failure::input)?;
    let total = calibrate::IDENTIFY_BLOCKS * (1 + 2 * calibrate::FREE.len() as u64);
    let bar = BarProgress(session.progress(total, String::new()));
    let settings = calibrate::Settings {
        replications: args.replications,
        blocks: 1,
        budget: 0,
        anchor_rounds: 0,
        threads: session.threads,
    };
    let mut file = loaded.file.clone();
    file.seed = loaded.config.seed;
    let estimated =
        calibrate::identify(&file, &loaded.config.name, &targets, settings, &bar, session.cancel()).map_err(
            |e| match e {
                calibrate::CalibrateError::Cancelled => Failure::interrupted(),
                calibrate::CalibrateError::Fit(f) => f.into(),
                other => Failure::runtime(other),
            },
        )?;
    bar.0.finish_and_clear();
    let json = output::export::json(&estimated.identification).map_err(Failure::runtime)?;
    let csv = calibrate::posterior_csv(&estimated.identification, &estimated.posterior)
        .map_err(Failure::runtime)?;
    output::write_file_atomically(&identification_json, &json)?;
    output::write_file_atomically(&posterior_csv, &csv)?;
    if !session.quiet {
        let id = &estimated.identification;
        outln!("{:<48} {:>10} {:>10}  informed most by", "identified parameter", "estimate", "se");
        for p in &id.parameters {
            let se = p.se.map_or("—".to_string(), |s| format!("{s:.4}"));
            let by = p
                .informed_by
                .first()
                .map_or(String::new(), |i| format!("{} ({:+.1} z over the range)", i.figure, i.z_over_range));
            outln!("{:<48} {:>10.4} {:>10}  {by}", p.name, p.estimate, se);
        }
        for f in &id.fixed {
            let why = f.largest_z_over_range.map_or_else(
                || "held at a documented value".to_string(),
                |z| format!("at most {z:.2} z over its range"),
            );
            outln!("fixed: {} = {} ({why})", f.name, f.value);
        }
        outln!(
            "{} identified, {} fixed, {} weak directions; {} evaluations of {} surveys in {:.1} s; wrote {} and {}",
            id.parameters.len(),
            id.fixed.len(),
            id.weak_directions,
            id.evaluations,
            id.replications,
            session.elapsed(),
            identification_json.display(),
            posterior_csv.display()
        );
    }
    Ok(())
}
