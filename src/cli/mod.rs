//! The command line: argument definitions, progress bars, messages and exit codes. Everything
//! else is the library's. Exit codes: 0 success, 1 a failure while running (I/O), 2 bad input
//! (arguments, scenario files, an existing results folder), 130 interrupted (Ctrl-C).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use anyhow::Context;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use samspill::analysis::{calibrate, compare, fit, sweep};
use samspill::output::{self, Manifest, OutputError, StagedDir, TableWriters};
use samspill::scenario::config::Config;
use samspill::scenario::{self, Loaded};
use samspill::sim::run::{self, RunError, RunOptions};
use samspill::sim::summary::SummaryBuilder;
use samspill::survey;

#[derive(Debug, Parser)]
#[command(
    name = "samspill",
    version,
    about = "Simulates the interplay between Norwegian municipal councils and their chief executives (kommunedirektør)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a scenario: the national simulation, replicated, with results written to a folder.
    Run(RunArgs),
    /// Take the emulated 2020 survey of directors and mayors and recompute the report's regressions.
    Survey(SurveyArgs),
    /// Compare the emulated survey with every published figure of the 2020 survey.
    Fit(FitArgs),
    /// Fit a scenario's mechanism parameters to the published figures of the 2020 survey.
    Calibrate(CalibrateArgs),
    /// Compare reforms with a base scenario (common random numbers, paired intervals, survey power, HTML report).
    Compare(CompareArgs),
    /// Run a scenario over a grid or Latin hypercube of its parameters (shardable across machines).
    Sweep(SweepArgs),
    /// Join the folders of a sharded sweep into the folder an unsharded run writes.
    Merge(MergeArgs),
    /// Check a scenario file and print what it will simulate; --explain lists every key.
    Check(CheckArgs),
    /// Serve the teaching page (bokmål, offline) for the councillor programme: levers, presets, live runs.
    Serve(ServeArgs),
}

#[derive(Debug, clap::Args)]
struct ServeArgs {
    /// Port to listen on (0 picks a free one; the address is printed on start).
    #[arg(long, default_value_t = 8320)]
    port: u16,
    /// Address to listen on. The default answers this machine only; to let a classroom connect,
    /// give this machine's network address (anyone who can reach it can then run the model).
    #[arg(long, default_value = "127.0.0.1")]
    host: std::net::IpAddr,
    /// The national baseline the page starts from and compares with.
    #[arg(long, default_value = "scenarios/baseline.toml")]
    scenario: PathBuf,
    /// Open the page in the default browser once the server is listening.
    #[arg(long)]
    open: bool,
    /// Requests that may wait while the model is busy; more are refused with a message.
    #[arg(long, default_value_t = 4)]
    max_waiting: usize,
    /// Worker threads of the model [default: one per core]. Results do not depend on it.
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Print only the address, not every run.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Debug, clap::Args)]
struct SweepArgs {
    /// Sweep file (TOML), e.g. scenarios/sweeps/fragmentation.toml.
    spec: PathBuf,
    /// Results folder [default: results/sweep-<file name>, with -shard-K-of-N for a shard].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Run only shard K of N (the points whose number is K modulo N); join shards with `samspill merge`.
    #[arg(long, value_name = "K/N")]
    shard: Option<sweep::Shard>,
    /// Language of the charts' labels.
    #[arg(long, value_enum, default_value_t = LangArg::Nb)]
    lang: LangArg,
    /// Worker threads [default: one per core]. Results do not depend on it.
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Replace the results folder if it exists.
    #[arg(long)]
    force: bool,
    /// No progress bar and no report on stdout.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Debug, clap::Args)]
struct MergeArgs {
    /// The shards' results folders (any order).
    #[arg(required = true)]
    shards: Vec<PathBuf>,
    /// Folder to write the joined sweep to.
    #[arg(long)]
    out: PathBuf,
    /// Language of the charts' labels.
    #[arg(long, value_enum, default_value_t = LangArg::Nb)]
    lang: LangArg,
    /// Replace the results folder if it exists.
    #[arg(long)]
    force: bool,
    /// Print nothing on success.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Debug, clap::Args)]
struct CompareArgs {
    /// The base scenario, e.g. scenarios/baseline.toml.
    base: PathBuf,
    /// One or more reform scenarios, e.g. scenarios/reforms/informal-contact.toml.
    #[arg(required = true)]
    reforms: Vec<PathBuf>,
    /// Results folder [default: results/compare-<base name>].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replications of every scenario (overrides the base's `replications`; at least 2).
    #[arg(long, value_parser = clap::value_parser!(u32).range(2..))]
    replications: Option<u32>,
    /// Seed of every scenario (overrides the base's `seed`; reforms always use the base's).
    #[arg(long)]
    seed: Option<u64>,
    /// Language of report.html and its charts.
    #[arg(long, value_enum, default_value_t = LangArg::Nb)]
    lang: LangArg,
    /// Worker threads [default: one per core]. Results do not depend on it.
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Replace the results folder if it exists.
    #[arg(long)]
    force: bool,
    /// No progress bar and no table on stdout.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Debug, clap::Args)]
struct CalibrateArgs {
    /// Scenario to start from (TOML), e.g. scenarios/baseline.toml.
    scenario: PathBuf,
    /// Where to write the calibrated scenario; its fit report goes beside it (<stem>.fit.json, <stem>.fit.txt).
    #[arg(long)]
    out: PathBuf,
    /// Published figures to fit [default: the project's copy, calibration/targets.toml].
    #[arg(long)]
    targets: Option<PathBuf>,
    /// Evaluations the optimiser may spend on the mechanism parameters.
    #[arg(long, default_value_t = 600)]
    budget: u64,
    /// Emulated surveys per evaluation (simulation noise is then about 1/√N of the survey's).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(2..))]
    replications: u32,
    /// Emulated surveys in the final fit report.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(2..))]
    fit_replications: u32,
    /// Rounds of the instrument's item centres before and after the optimiser.
    #[arg(long, default_value_t = 4)]
    anchor_rounds: u32,
    /// Seed of every random stream, the same in every evaluation (overrides the scenario's `seed`).
    #[arg(long)]
    seed: Option<u64>,
    /// Worker threads [default: one per core]. Results do not depend on it.
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Replace the output scenario if it exists.
    #[arg(long)]
    force: bool,
    /// No progress bar and no table on stdout.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Debug, clap::Args)]
struct SurveyArgs {
    /// Scenario file (TOML), e.g. scenarios/baseline.toml.
    scenario: PathBuf,
    /// Results folder [default: results/<scenario name>-survey].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Seed of every random stream (overrides the scenario's `seed`).
    #[arg(long)]
    seed: Option<u64>,
    /// Surveys to take, each of a fresh national replication; their respondents are pooled in
    /// the files [default: 1].
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    replications: u32,
    /// Worker threads [default: one per core]. Results do not depend on it.
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Replace the results folder if it exists.
    #[arg(long)]
    force: bool,
    /// No progress bar and no report on stdout.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Debug, clap::Args)]
struct FitArgs {
    /// Scenario file (TOML), e.g. scenarios/baseline.toml.
    scenario: PathBuf,
    /// Published figures to compare with [default: the project's copy, calibration/targets.toml].
    #[arg(long)]
    targets: Option<PathBuf>,
    /// Emulated surveys to average (overrides the scenario's `replications`; at least 2).
    #[arg(long, value_parser = clap::value_parser!(u32).range(2..))]
    replications: Option<u32>,
    /// Seed of every random stream (overrides the scenario's `seed`).
    #[arg(long)]
    seed: Option<u64>,
    /// Also write the report as JSON to this file.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Rows of the table to print, worst first [default: all].
    #[arg(long)]
    top: Option<usize>,
    /// Worker threads [default: one per core]. Results do not depend on it.
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// No progress bar and no table on stdout.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Debug, clap::Args)]
struct RunArgs {
    /// Scenario file (TOML), e.g. scenarios/baseline.toml.
    scenario: PathBuf,
    /// Results folder [default: results/<scenario name>].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Seed of every random stream (overrides the scenario's `seed`).
    #[arg(long)]
    seed: Option<u64>,
    /// Number of replications (overrides the scenario's `replications`).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    replications: Option<u32>,
    /// Worker threads [default: one per core]. Results do not depend on it.
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Replace the results folder if it exists.
    #[arg(long)]
    force: bool,
    /// No progress bar and no report on stdout.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// Scenario file (TOML) to check.
    #[arg(required_unless_present = "explain")]
    scenario: Option<PathBuf>,
    /// Print the reference of every scenario key (Markdown) instead.
    #[arg(long)]
    explain: bool,
    /// Print the resolved scenario instead: every key, with what it inherits through `extends`.
    #[arg(long, conflicts_with = "explain")]
    resolved: bool,
}

/// The language of reports and charts, as given on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LangArg {
    /// Norwegian bokmål.
    Nb,
    /// English.
    En,
}

impl From<LangArg> for samspill::output::report::Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::Nb => samspill::output::report::Lang::Nb,
            LangArg::En => samspill::output::report::Lang::En,
        }
    }
}

/// An error and the exit code it deserves.
struct Failure {
    code: u8,
    error: anyhow::Error,
}

impl Failure {
    fn input(error: impl Into<anyhow::Error>) -> Failure {
        Failure { code: 2, error: error.into() }
    }
    fn runtime(error: impl Into<anyhow::Error>) -> Failure {
        Failure { code: 1, error: error.into() }
    }
}

impl From<OutputError> for Failure {
    fn from(e: OutputError) -> Failure {
        match e {
            OutputError::Exists(_) => Failure::input(e),
            OutputError::Io { .. } => Failure::runtime(e),
        }
    }
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Run(args) => cmd_run(args),
        Command::Survey(args) => cmd_survey(args),
        Command::Fit(args) => cmd_fit(args),
        Command::Calibrate(args) => cmd_calibrate(args),
        Command::Compare(args) => cmd_compare(args),
        Command::Sweep(args) => cmd_sweep(args),
        Command::Merge(args) => cmd_merge(args),
        Command::Check(args) => cmd_check(args),
        Command::Serve(args) => cmd_serve(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("error: {:#}", f.error);
            ExitCode::from(f.code)
        }
    }
}

fn load(path: &Path) -> Result<Loaded, Failure> {
    scenario::load(path).map_err(Failure::input)
}

/// Ctrl-C sets the returned flag; the engine stops between units of work.
fn cancel_on_ctrl_c() -> Arc<AtomicBool> {
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancel);
    // If a handler cannot be installed, Ctrl-C simply ends the process as usual.
    let _ = ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed));
    cancel
}

fn run_failure(e: RunError) -> Failure {
    match e {
        RunError::Cancelled => {
            Failure { code: 130, error: anyhow::anyhow!("interrupted; nothing was written") }
        }
        RunError::ThreadPool { .. } | RunError::Input(_) => Failure::input(e),
        RunError::Sink(_) => Failure::runtime(e),
    }
}

fn cmd_survey(args: SurveyArgs) -> Result<(), Failure> {
    let started = Instant::now();
    let mut loaded = load(&args.scenario)?;
    if let Some(seed) = args.seed {
        loaded.config.seed = seed;
    }
    loaded.config.replications = args.replications;
    let config = &loaded.config;
    let out =
        args.out.clone().unwrap_or_else(|| Path::new("results").join(format!("{}-survey", config.name)));
    let staged = StagedDir::create(&out, args.force)?;
    let dir = staged.path().to_owned();
    let cancel = cancel_on_ctrl_c();
    let bar = progress_bar(
        u64::from(config.replications) * u64::from(config.population.municipalities),
        args.quiet,
    );
    bar.set_message(format!("survey of {} ×{}", config.name, config.replications));
    let surveys = survey::run_survey(config, 0..config.replications, args.threads, &|n| bar.inc(n), &cancel)
        .map_err(run_failure)?;
    bar.finish_and_clear();

    let mut directors = survey::Table::default();
    let mut mayors = survey::Table::default();
    for s in surveys {
        directors.columns.clone_from(&s.directors.columns);
        mayors.columns.clone_from(&s.mayors.columns);
        directors.rows.extend(s.directors.rows);
        mayors.rows.extend(s.mayors.rows);
    }
    let regressions = survey::regressions(&directors)
        .map_err(|e| Failure::runtime(anyhow::Error::new(e).context("the survey's regressions")))?;
    output::write_survey_table(&dir.join("directors.csv"), &directors)?;
    output::write_survey_table(&dir.join("mayors.csv"), &mayors)?;
    output::write_regression(&dir.join("regression_cooperation.csv"), &regressions.cooperation)?;
    output::write_regression(&dir.join("regression_quit_plans.csv"), &regressions.quit_plans)?;
    let blocks: Vec<serde_json::Value> = survey::COOPERATION_BLOCKS
        .iter()
        .zip(&regressions.cooperation_blocks)
        .map(|((name, members), d)| serde_json::json!({"block": name, "predictors": members, "delta_r2_adjusted": d}))
        .collect();
    let fit_json = serde_json::json!({
        "respondents": {"directors": directors.rows.len(), "mayors": mayors.rows.len()},
        "cooperation": {
            "complete_cases": regressions.cooperation.n,
            "r2": regressions.cooperation.r2,
            "r2_adjusted": regressions.cooperation.r2_adjusted,
            "blocks": blocks,
        },
        "quit_plans": {
            "complete_cases": regressions.quit_plans.n,
            "r2": regressions.quit_plans.r2,
            "r2_adjusted": regressions.quit_plans.r2_adjusted,
        },
    });
    output::write_json(&dir.join("regressions.json"), &fit_json)?;
    output::write_text(&dir.join("scenario.toml"), &loaded.resolved_text)?;
    let months =
        config.calendar.survey_month(config.survey.months_after_election).0 - config.calendar.start.0 + 1;
    let stats = run::RunStats {
        threads: if args.threads == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            args.threads
        },
        municipality_months: u64::from(config.replications)
            * u64::from(config.population.municipalities)
            * months as u64,
    };
    let manifest = manifest(&loaded, config, stats, started.elapsed().as_secs_f64());
    output::write_json(&dir.join("manifest.json"), &manifest)?;
    let target = staged.commit()?;
    if !args.quiet {
        let c = &regressions.cooperation;
        println!(
            "{} survey(s) of {}: {} directors and {} mayors answered; {} complete cases in the cooperation regression (R² {:.3}, adjusted {:.3})",
            config.replications,
            config.name,
            directors.rows.len(),
            mayors.rows.len(),
            c.n,
            c.r2,
            c.r2_adjusted
        );
        println!("{:<40} {:>8} {:>8} {:>7}", "standardised beta", "beta", "se", "p");
        for k in &c.coefficients {
            println!("  {:<38} {:>8.3} {:>8.3} {:>7.3}", k.name, k.beta, k.se, k.p);
        }
        println!("wrote {}", target.display());
    }
    Ok(())
}

fn cmd_serve(args: ServeArgs) -> Result<(), Failure> {
    use samspill::teach::server::{self, App, ServeOptions};
    let loaded = load(&args.scenario)?;
    // A saved scenario names the base by its absolute path, so it runs from any folder.
    let reference =
        std::fs::canonicalize(&args.scenario).unwrap_or_else(|_| args.scenario.clone()).display().to_string();
    let options = ServeOptions {
        host: args.host,
        port: args.port,
        threads: args.threads,
        max_waiting: args.max_waiting,
    };
    let quiet = args.quiet;
    let log: Box<dyn Fn(&str) + Send + Sync> = Box::new(move |line| {
        if !quiet {
            eprintln!("{line}");
        }
    });
    let app = App::new(loaded, reference, &options, log);
    let running = server::start(app, &options).map_err(|e| {
        let hint = match e.kind() {
            std::io::ErrorKind::AddrInUse => format!(
                "; another program uses port {}: choose another with --port (or --port 0 for any free one)",
                args.port
            ),
            std::io::ErrorKind::AddrNotAvailable => {
                format!("; {} is not an address of this machine (--host)", args.host)
            }
            std::io::ErrorKind::PermissionDenied => {
                "; ports below 1024 need privileges: choose --port 1024 or above".to_string()
            }
            _ => String::new(),
        };
        Failure::input(anyhow::anyhow!("cannot listen on {}:{}: {e}{hint}", args.host, args.port))
    })?;
    let url = format!("http://{}/", running.addr);
    // The first line on stdout is the address (scripts and tests read it).
    println!("{url}");
    if !args.quiet {
        eprintln!("samspill serves the teaching page at {url} (Ctrl-C stops it)");
    }
    if args.open
        && let Err(e) = open::that_detached(&url)
    {
        eprintln!("could not open a browser ({e}); open {url} yourself");
    }
    let stop = running.stopper();
    let _ = ctrlc::set_handler(move || stop.store(true, Ordering::Relaxed));
    running.wait();
    if !args.quiet {
        eprintln!("stopped");
    }
    Ok(())
}

fn load_targets(path: Option<&Path>) -> Result<fit::Targets, Failure> {
    match path {
        Some(p) => fit::Targets::load(p).map_err(Failure::input),
        None => Ok(fit::Targets::bundled()),
    }
}

fn fit_failure(e: fit::FitError) -> Failure {
    match e {
        fit::FitError::Run(r) => run_failure(r),
        fit::FitError::Targets { .. } | fit::FitError::Unknown(_) | fit::FitError::TooFewReplications => {
            Failure::input(e)
        }
        fit::FitError::Stats { .. } => Failure::runtime(e),
    }
}

fn cmd_fit(args: FitArgs) -> Result<(), Failure> {
    let mut loaded = load(&args.scenario)?;
    if let Some(seed) = args.seed {
        loaded.config.seed = seed;
    }
    if let Some(r) = args.replications {
        loaded.config.replications = r;
    }
    let config = &loaded.config;
    let targets = load_targets(args.targets.as_deref())?;
    let cancel = cancel_on_ctrl_c();
    let bar = progress_bar(
        u64::from(config.replications) * u64::from(config.population.municipalities),
        args.quiet,
    );
    bar.set_message(format!("fit of {} ×{}", config.name, config.replications));
    let report = fit::fit(config, &targets, args.threads, &|n| bar.inc(n), &cancel).map_err(fit_failure)?;
    bar.finish_and_clear();
    if let Some(path) = &args.json {
        let mut text = serde_json::to_string_pretty(&report).map_err(Failure::runtime)?;
        text.push('\n');
        output::write_file_atomically(path, &text)?;
    }
    if !args.quiet {
        print!("{}", report.table(args.top));
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

fn cmd_calibrate(args: CalibrateArgs) -> Result<(), Failure> {
    let started = Instant::now();
    let mut loaded = load(&args.scenario)?;
    if let Some(seed) = args.seed {
        loaded.file.seed = seed;
        loaded.config.seed = seed;
    }
    survey::survey_date(&loaded.config).map_err(|e| Failure::input(anyhow::anyhow!(e)))?;
    let targets = load_targets(args.targets.as_deref())?;
    if args.out.exists() && !args.force {
        return Err(Failure::input(anyhow::anyhow!(
            "{} already exists\n  hint: pass --force to replace it, or choose another file with --out",
            args.out.display()
        )));
    }
    if let Some(parent) = args.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))
            .map_err(Failure::input)?;
    }
    let stem =
        args.out.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "calibrated".into());
    let report_json = args.out.with_file_name(format!("{stem}.fit.json"));
    let report_txt = args.out.with_file_name(format!("{stem}.fit.txt"));
    let cancel = cancel_on_ctrl_c();
    let total = args.budget + 2 * u64::from(args.anchor_rounds) + 1;
    let bar = BarProgress(progress_bar(total, args.quiet));
    let settings = calibrate::Settings {
        replications: args.replications,
        budget: args.budget,
        anchor_rounds: args.anchor_rounds,
        threads: args.threads,
    };
    let name = loaded.config.name.clone();
    let fitted = calibrate::calibrate(&loaded.file, &name, &targets, settings, &bar, &cancel).map_err(
        |e| match e {
            calibrate::CalibrateError::Cancelled => {
                Failure { code: 130, error: anyhow::anyhow!("interrupted; nothing was written") }
            }
            other => Failure::runtime(other),
        },
    )?;
    bar.0.finish_and_clear();

    // The calibrated scenario as it will be written (values rounded), and its fit report.
    let original = std::fs::read_to_string(&loaded.path).map_err(Failure::runtime)?;
    let minutes = started.elapsed().as_secs_f64() / 60.0;
    let header = format!(
        "Calibrated by `samspill calibrate` (samspill {}) from {} against {}: distance (sum of z²) {:.1}\nafter {} evaluations of {} emulated surveys each, seed {}, in {:.1} minutes.",
        env!("CARGO_PKG_VERSION"),
        args.scenario.display(),
        args.targets.as_deref().map_or("calibration/targets.toml".to_string(), |p| p.display().to_string()),
        fitted.distance,
        fitted.evaluations,
        args.replications,
        loaded.config.seed,
        minutes
    );
    let text = calibrate::write_scenario(&original, &fitted.file, &header).map_err(Failure::runtime)?;
    let fit_replications = scenario::Overrides { replications: Some(args.fit_replications), seed: None };
    let config = scenario::load_text(&loaded.path, &text, &fit_replications)
        .map_err(|e| Failure::runtime(anyhow::anyhow!("the calibrated scenario does not validate: {e}")))?
        .config;
    let report = fit::fit(&config, &targets, args.threads, &|_| {}, &cancel).map_err(fit_failure)?;
    let mut json = serde_json::to_string_pretty(&report).map_err(Failure::runtime)?;
    json.push('\n');
    output::write_file_atomically(&report_json, &json)?;
    output::write_file_atomically(&report_txt, &report.table(None))?;
    output::write_file_atomically(&args.out, &text)?;
    if !args.quiet {
        print!("{}", report.table(Some(15)));
        println!(
            "wrote {} and its fit report {} ({} evaluations in {:.1} minutes)",
            args.out.display(),
            report_json.display(),
            fitted.evaluations,
            started.elapsed().as_secs_f64() / 60.0
        );
    }
    Ok(())
}

/// The label of a scenario in comparisons: its file's stem.
fn stem(path: &Path) -> String {
    path.file_stem().map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned())
}

fn cmd_compare(args: CompareArgs) -> Result<(), Failure> {
    let started = Instant::now();
    let mut base = load(&args.base)?;
    if let Some(seed) = args.seed {
        base.config.seed = seed;
    }
    if let Some(r) = args.replications {
        base.config.replications = r;
    }
    if base.config.replications < 2 {
        return Err(Failure::input(anyhow::anyhow!(
            "a comparison needs at least 2 replications for its intervals\n  hint: pass --replications 20 (or more)"
        )));
    }
    let mut reforms = Vec::new();
    for path in &args.reforms {
        let loaded = load(path)?;
        if reforms.iter().any(|(l, _): &(String, Loaded)| *l == stem(path)) {
            return Err(Failure::input(anyhow::anyhow!(
                "two reforms are called `{}`\n  hint: reforms are labelled by their file names, which must differ",
                stem(path)
            )));
        }
        reforms.push((stem(path), loaded));
    }
    for (_, r) in &reforms {
        survey::survey_date(&r.config).map_err(|e| Failure::input(anyhow::anyhow!(e)))?;
    }
    survey::survey_date(&base.config).map_err(|e| Failure::input(anyhow::anyhow!(e)))?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("results").join(format!("compare-{}", base.config.name)));
    let staged = StagedDir::create(&out, args.force)?;
    let dir = staged.path().to_owned();

    let cancel = cancel_on_ctrl_c();
    let base_entry = compare::Entry { label: stem(&args.base), config: base.config.clone() };
    let entries: Vec<compare::Entry> = reforms
        .iter()
        .map(|(label, l)| compare::Entry { label: label.clone(), config: l.config.clone() })
        .collect();
    let total: u64 = std::iter::once(&base_entry)
        .chain(&entries)
        .map(|e| 2 * u64::from(base.config.replications) * u64::from(e.config.population.municipalities))
        .sum();
    let bar = progress_bar(total, args.quiet);
    bar.set_message(format!(
        "{} reform(s) against {} ×{}",
        entries.len(),
        base_entry.label,
        base.config.replications
    ));
    let comparison = compare::compare(&base_entry, &entries, args.threads, &|n| bar.inc(n), &cancel)
        .map_err(run_failure)?;
    bar.finish_and_clear();

    output::write_json(&dir.join("comparison.json"), &comparison.to_json())?;
    output::write_text(&dir.join("comparison.csv"), &comparison.to_csv())?;
    let figures = samspill::output::report::comparison_figures(&comparison, args.lang.into())
        .map_err(|e| Failure::runtime(anyhow::anyhow!(e)))?;
    let html = samspill::output::report::comparison_html(
        &comparison,
        &figures,
        args.lang.into(),
        env!("CARGO_PKG_VERSION"),
    );
    output::write_text(&dir.join("report.html"), &html)?;
    std::fs::create_dir_all(dir.join("plots")).map_err(Failure::runtime)?;
    for f in &figures {
        output::write_text(&dir.join("plots").join(&f.file), &f.svg)?;
    }
    std::fs::create_dir_all(dir.join("scenarios")).map_err(Failure::runtime)?;
    output::write_text(
        &dir.join("scenarios").join(format!("base-{}.toml", base_entry.label)),
        &base.resolved_text,
    )?;
    for (label, l) in &reforms {
        output::write_text(&dir.join("scenarios").join(format!("{label}.toml")), &l.resolved_text)?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let scenario_record = |label: &str, l: &Loaded| serde_json::json!({"label": label, "path": l.path.display().to_string(), "sha256": l.sha256, "extends": l.chain[1..].iter().map(|p| p.display().to_string()).collect::<Vec<_>>()});
    let manifest = serde_json::json!({
        "version": env!("CARGO_PKG_VERSION"),
        "base": scenario_record(&base_entry.label, &base),
        "reforms": reforms.iter().map(|(label, l)| scenario_record(label, l)).collect::<Vec<_>>(),
        "seed": comparison.seed,
        "replications": comparison.replications,
        "threads": comparison.stats.threads,
        "municipality_months": comparison.stats.municipality_months,
        "elapsed_seconds": elapsed,
        "municipality_months_per_second": comparison.stats.municipality_months as f64 / elapsed.max(1e-9),
        "lang": format!("{:?}", args.lang).to_lowercase(),
        "command": std::env::args().collect::<Vec<_>>(),
    });
    output::write_json(&dir.join("manifest.json"), &manifest)?;
    let target = staged.commit()?;
    if !args.quiet {
        print_comparison(&comparison);
        println!(
            "wrote {} (report.html, comparison.json, comparison.csv) in {:.1} s",
            target.display(),
            elapsed
        );
    }
    Ok(())
}

fn print_comparison(c: &compare::Comparison) {
    println!(
        "{} replications, seed {}, {} to {}; difference = reform − {} (paired, 95 % interval)",
        c.replications, c.seed, c.report_start, c.report_end, c.base.label
    );
    for r in &c.reforms {
        println!("{}", r.label);
        for o in c
            .outcomes
            .iter()
            .filter(|o| o.scenario == r.label && samspill::output::report::KEY_OUTCOMES.contains(&o.outcome))
        {
            println!(
                "  {:<42} {:>9.4} → {:>9.4}   {:>+9.4} [{:+.4}, {:+.4}]",
                o.outcome, o.base, o.reform, o.difference, o.ci95[0], o.ci95[1]
            );
        }
        if let Some(p) = c.power.iter().find(|p| p.scenario == r.label) {
            println!(
                "  {:<42} {:>9.2} [{:.2}, {:.2}] of {} surveys",
                "survey power (half adopt, 10 % level)", p.power, p.ci95[0], p.ci95[1], p.surveys
            );
        }
    }
}

fn sweep_failure(e: sweep::SweepError) -> Failure {
    match e {
        sweep::SweepError::Run(r) => run_failure(r),
        other => Failure::input(other),
    }
}

/// Writes `sweep.csv`, `shard.json` and, when the folder holds every point, the charts.
fn write_sweep(
    dir: &Path,
    record: &sweep::ShardRecord,
    csv: &str,
    lang: samspill::output::report::Lang,
) -> Result<(), Failure> {
    output::write_text(&dir.join("sweep.csv"), csv)?;
    output::write_json(&dir.join("shard.json"), record)?;
    if record.points.len() == record.total_points {
        let header: Vec<&str> = record.header.split(',').collect();
        let end = header.iter().position(|c| *c == "replications").unwrap_or(header.len());
        let parameters: Vec<String> = header[1..end].iter().map(|s| s.to_string()).collect();
        for (file, svg) in
            sweep::charts(csv, &parameters, lang).map_err(|e| Failure::runtime(anyhow::anyhow!(e)))?
        {
            output::write_text(&dir.join(file), &svg)?;
        }
    }
    Ok(())
}

fn cmd_sweep(args: SweepArgs) -> Result<(), Failure> {
    let started = Instant::now();
    let spec = sweep::Sweep::load(&args.spec).map_err(sweep_failure)?;
    let shard = args.shard.unwrap_or(sweep::Shard { index: 1, count: 1 });
    let indices = spec.shard_points(shard);
    let name = stem(&args.spec);
    let out = args.out.clone().unwrap_or_else(|| {
        let suffix = if shard.count > 1 {
            format!("-shard-{}-of-{}", shard.index, shard.count)
        } else {
            String::new()
        };
        Path::new("results").join(format!("sweep-{name}{suffix}"))
    });
    let staged = StagedDir::create(&out, args.force)?;
    let dir = staged.path().to_owned();
    let cancel = cancel_on_ctrl_c();
    let municipalities = u64::from(spec.base.config.population.municipalities);
    let bar =
        progress_bar(indices.len() as u64 * u64::from(spec.file.replications) * municipalities, args.quiet);
    let mut csv = spec.header();
    csv.push('\n');
    let mut work = 0;
    for (n, &i) in indices.iter().enumerate() {
        bar.set_message(format!("point {} of {} ({} of {name})", n + 1, indices.len(), i + 1));
        let (line, months) =
            spec.run_point(i, args.threads, &|k| bar.inc(k), &cancel).map_err(sweep_failure)?;
        csv.push_str(&line);
        csv.push('\n');
        work += months;
    }
    bar.finish_and_clear();
    let record = sweep::ShardRecord {
        sweep: args.spec.display().to_string(),
        sweep_sha256: spec.sha256.clone(),
        shard,
        total_points: spec.points.len(),
        points: indices.iter().map(|i| i + 1).collect(),
        header: spec.header(),
    };
    write_sweep(&dir, &record, &csv, args.lang.into())?;
    let spec_text = std::fs::read_to_string(&args.spec).map_err(Failure::runtime)?;
    output::write_text(&dir.join("sweep.toml"), &spec_text)?;
    output::write_text(&dir.join("scenario.toml"), &spec.base.resolved_text)?;
    let elapsed = started.elapsed().as_secs_f64();
    let threads = if args.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        args.threads
    };
    let manifest = serde_json::json!({
        "version": env!("CARGO_PKG_VERSION"),
        "sweep": args.spec.display().to_string(),
        "sweep_sha256": spec.sha256,
        "scenario": spec.base.path.display().to_string(),
        "scenario_sha256": spec.base.sha256,
        "seed": spec.seed,
        "replications_per_point": spec.file.replications,
        "points": indices.len(),
        "shard": format!("{}/{}", shard.index, shard.count),
        "threads": threads,
        "municipality_months": work,
        "elapsed_seconds": elapsed,
        "municipality_months_per_second": work as f64 / elapsed.max(1e-9),
        "command": std::env::args().collect::<Vec<_>>(),
    });
    output::write_json(&dir.join("manifest.json"), &manifest)?;
    let target = staged.commit()?;
    if !args.quiet {
        print!("{csv}");
        println!(
            "wrote {} ({} of {} points, {:.1} s)",
            target.display(),
            indices.len(),
            spec.points.len(),
            elapsed
        );
    }
    Ok(())
}

fn cmd_merge(args: MergeArgs) -> Result<(), Failure> {
    let mut records: Vec<(sweep::ShardRecord, String)> = Vec::new();
    for dir in &args.shards {
        let read = |name: &str| {
            std::fs::read_to_string(dir.join(name))
                .with_context(|| format!("{} is not a sweep's results folder (no readable {name})\n  hint: pass the folders `samspill sweep --shard K/N` wrote", dir.display()))
                .map_err(Failure::input)
        };
        let record: sweep::ShardRecord = serde_json::from_str(&read("shard.json")?)
            .with_context(|| format!("{}: shard.json is damaged", dir.display()))
            .map_err(Failure::input)?;
        records.push((record, read("sweep.csv")?));
    }
    let first = &records[0].0;
    for (r, _) in &records {
        if r.sweep_sha256 != first.sweep_sha256 || r.header != first.header {
            return Err(Failure::input(anyhow::anyhow!(
                "the folders hold shards of different sweeps ({} and {})\n  hint: merge only the shards of one sweep file, run with the same scenario",
                first.sweep,
                r.sweep
            )));
        }
    }
    let mut lines: Vec<(usize, String)> = Vec::new();
    for (r, csv) in &records {
        for line in csv.lines().skip(1).filter(|l| !l.is_empty()) {
            let point: usize = line.split(',').next().and_then(|p| p.parse().ok()).ok_or_else(|| {
                Failure::input(anyhow::anyhow!("{}: a row of sweep.csv has no point number", r.sweep))
            })?;
            lines.push((point, line.to_string()));
        }
    }
    lines.sort_by_key(|(p, _)| *p);
    let points: Vec<usize> = lines.iter().map(|(p, _)| *p).collect();
    let expected: Vec<usize> = (1..=first.total_points).collect();
    if points != expected {
        let missing: Vec<String> =
            expected.iter().filter(|p| !points.contains(p)).map(|p| p.to_string()).collect();
        let duplicated = points.windows(2).any(|w| w[0] == w[1]);
        return Err(Failure::input(anyhow::anyhow!(
            "the shards do not hold each of the sweep's {} points exactly once (missing: {}{})\n  hint: pass every shard's folder once, e.g. those of --shard 1/{n} … {n}/{n}",
            first.total_points,
            if missing.is_empty() { "none".into() } else { missing.join(", ") },
            if duplicated { "; some points appear twice" } else { "" },
            n = first.shard.count
        )));
    }
    let staged = StagedDir::create(&args.out, args.force)?;
    let dir = staged.path().to_owned();
    let mut csv = first.header.clone();
    csv.push('\n');
    for (_, line) in &lines {
        csv.push_str(line);
        csv.push('\n');
    }
    let record =
        sweep::ShardRecord { shard: sweep::Shard { index: 1, count: 1 }, points: expected, ..first.clone() };
    write_sweep(&dir, &record, &csv, args.lang.into())?;
    for name in ["sweep.toml", "scenario.toml"] {
        if let Ok(text) = std::fs::read_to_string(args.shards[0].join(name)) {
            output::write_text(&dir.join(name), &text)?;
        }
    }
    let manifest = serde_json::json!({
        "version": env!("CARGO_PKG_VERSION"),
        "sweep": first.sweep,
        "sweep_sha256": first.sweep_sha256,
        "merged_from": args.shards.iter().map(|d| d.display().to_string()).collect::<Vec<_>>(),
        "points": first.total_points,
        "command": std::env::args().collect::<Vec<_>>(),
    });
    output::write_json(&dir.join("manifest.json"), &manifest)?;
    let target = staged.commit()?;
    if !args.quiet {
        println!("merged {} shards ({} points) into {}", records.len(), first.total_points, target.display());
    }
    Ok(())
}

fn cmd_check(args: CheckArgs) -> Result<(), Failure> {
    if args.explain {
        print!("{}", samspill::scenario::reference::markdown());
        return Ok(());
    }
    let path = args.scenario.expect("clap requires a scenario without --explain");
    let loaded = load(&path)?;
    if args.resolved {
        let text = scenario::every_key(&loaded.file, &loaded.config.name);
        let chain: Vec<String> = loaded.chain.iter().map(|p| p.display().to_string()).collect();
        println!(
            "# {} resolved (read: {}); every key written out.\n{text}",
            path.display(),
            chain.join(" ← ")
        );
        return Ok(());
    }
    let c = &loaded.config;
    let cal = &c.calendar;
    println!("{}: OK", path.display());
    for parent in &loaded.chain[1..] {
        println!("  extends        {}", parent.display());
    }
    println!("  name           {}", c.name);
    if !c.description.is_empty() {
        println!("  description    {}", c.description.trim());
    }
    println!("  municipalities {}", c.population.municipalities);
    println!("  replications   {} (seed {})", c.replications, c.seed);
    println!(
        "  simulated      {} to {} ({} months, of which {} burn-in)",
        cal.start,
        cal.end,
        cal.months(),
        cal.months() - cal.report_months()
    );
    println!("  reported       {} to {}", cal.report_start, cal.end);
    println!(
        "  work           {} municipality-months",
        u64::from(c.replications) * u64::from(c.population.municipalities) * cal.months() as u64
    );
    println!("  sha256         {}", loaded.sha256);
    Ok(())
}

fn progress_bar(total: u64, quiet: bool) -> ProgressBar {
    let target = if quiet { ProgressDrawTarget::hidden() } else { ProgressDrawTarget::stderr() };
    let bar = ProgressBar::with_draw_target(Some(total), target);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} {msg} [{bar:40}] {percent}% ({elapsed} elapsed, ~{eta} left)",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    bar
}

fn cmd_run(args: RunArgs) -> Result<(), Failure> {
    let started = Instant::now();
    let mut loaded = load(&args.scenario)?;
    if let Some(seed) = args.seed {
        loaded.config.seed = seed;
    }
    if let Some(r) = args.replications {
        loaded.config.replications = r;
    }
    let config = &loaded.config;
    let out = args.out.clone().unwrap_or_else(|| Path::new("results").join(&config.name));
    let staged = StagedDir::create(&out, args.force)?;
    let dir = staged.path().to_owned();

    let cancel = Arc::new(AtomicBool::new(false));
    {
        let cancel = Arc::clone(&cancel);
        // If a handler cannot be installed, Ctrl-C simply ends the process as usual.
        let _ = ctrlc::set_handler(move || cancel.store(true, Ordering::Relaxed));
    }

    let total = u64::from(config.replications) * u64::from(config.population.municipalities);
    let bar = progress_bar(total, args.quiet);
    bar.set_message(format!("{} ×{}", config.name, config.replications));
    let mut tables = TableWriters::create(&dir, config)?;
    let mut summary = SummaryBuilder::default();
    let stats = run::run(config, RunOptions { threads: args.threads }, &|n| bar.inc(n), &cancel, |rep| {
        summary.add(&rep.tally);
        tables.write(&rep)
    })
    .map_err(|e| match e {
        RunError::Cancelled => {
            Failure { code: 130, error: anyhow::anyhow!("interrupted; nothing was written") }
        }
        RunError::ThreadPool { .. } | RunError::Input(_) => Failure::input(e),
        RunError::Sink(_) => {
            Failure::runtime(anyhow::Error::new(e).context(format!("writing results to {}", out.display())))
        }
    })?;
    bar.finish_and_clear();
    tables
        .finish()
        .with_context(|| format!("writing results to {}", out.display()))
        .map_err(Failure::runtime)?;

    let (headlines, exits) = summary.finish();
    output::write_json(&dir.join("summary.json"), &output::summary_json(config, &headlines, &exits))?;
    output::write_text(&dir.join("scenario.toml"), &loaded.resolved_text)?;
    let elapsed = started.elapsed().as_secs_f64();
    let manifest = manifest(&loaded, config, stats, elapsed);
    output::write_json(&dir.join("manifest.json"), &manifest)?;
    let target = staged.commit()?;

    if !args.quiet {
        report(config, &headlines, &exits, &target, &manifest);
    }
    Ok(())
}

fn manifest(loaded: &Loaded, config: &Config, stats: run::RunStats, elapsed: f64) -> Manifest {
    let cal = &config.calendar;
    Manifest {
        version: env!("CARGO_PKG_VERSION"),
        scenario: loaded.path.display().to_string(),
        scenario_name: config.name.clone(),
        scenario_sha256: loaded.sha256.clone(),
        seed: config.seed,
        replications: config.replications,
        threads: stats.threads,
        municipalities: config.population.municipalities,
        months_per_replication: cal.months(),
        burn_in_months: cal.months() - cal.report_months(),
        report_start: cal.report_start.to_string(),
        report_end: cal.end.to_string(),
        municipality_months: stats.municipality_months,
        elapsed_seconds: elapsed,
        municipality_months_per_second: stats.municipality_months as f64 / elapsed.max(1e-9),
        command: std::env::args().collect(),
    }
}

fn report(
    config: &Config,
    headlines: &[(&str, samspill::stats::Estimate)],
    exits: &[(&str, samspill::stats::Estimate)],
    target: &Path,
    m: &Manifest,
) {
    let fmt = |e: &samspill::stats::Estimate| match (e.mean, e.ci95) {
        (Some(m), Some([lo, hi])) => format!("{m:>9.4}   [{lo:.4}, {hi:.4}]"),
        (Some(m), None) => format!("{m:>9.4}"),
        _ => "        –".into(),
    };
    println!(
        "{} — {} replications, {} to {}",
        config.name, config.replications, config.calendar.report_start, config.calendar.end
    );
    println!("{:<44} {:>9}   95% interval", "", "mean");
    for (name, e) in headlines {
        println!("  {name:<42} {}", fmt(e));
    }
    println!("  exits by reason (share of exits)");
    for (name, e) in exits {
        println!("    {name:<40} {}", fmt(e));
    }
    println!(
        "wrote {} ({:.3e} municipality-months in {:.2} s, {:.3e}/s on {} threads)",
        target.display(),
        m.municipality_months as f64,
        m.elapsed_seconds,
        m.municipality_months_per_second,
        m.threads
    );
}
