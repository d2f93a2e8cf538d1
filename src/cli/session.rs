//! What every command shares: the common arguments (flattened into each command's), the
//! session that resolves them once (worker threads, Ctrl-C, the progress bar, the clock), and
//! how errors become messages and exit codes: 0 success, 1 a failure while running (I/O),
//! 2 bad input (arguments, scenario files, an existing results folder), 130 interrupted.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use samspill::analysis::{fit, sweep};
use samspill::output::labels::Lang;
use samspill::output::{OutputError, StagedDir, Work};
use samspill::scenario::{self, Loaded, Overrides};
use samspill::sim::run::{self, RunError};

/// Worker threads and terminal output, for every command that simulates.
#[derive(Debug, clap::Args)]
pub struct Common {
    /// Worker threads [default: one per core]. Results do not depend on it.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// No progress bar and no report on stdout.
    #[arg(long, short)]
    pub quiet: bool,
}

/// The common arguments and `--force`, for every command that simulates and writes results.
#[derive(Debug, clap::Args)]
pub struct Writing {
    /// Replace the results folder (or file) if it exists.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub common: Common,
}

/// `--seed` and `--replications`: values for the scenario's own keys, checked as the keys are.
#[derive(Debug, clap::Args)]
pub struct Keys {
    /// Seed of every random stream (overrides the scenario's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Number of replications (overrides the scenario's `replications`).
    #[arg(long)]
    pub replications: Option<u32>,
}

impl Keys {
    pub fn overrides(&self) -> Overrides {
        Overrides { seed: self.seed, replications: self.replications }
    }
}

/// `--lang`, for every command that writes a report or charts.
#[derive(Debug, clap::Args)]
pub struct Language {
    /// Language of the report and the charts' labels.
    #[arg(long, value_enum, default_value_t = LangArg::Nb)]
    pub lang: LangArg,
}

/// The language of reports and charts, as given on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LangArg {
    /// Norwegian bokmål.
    Nb,
    /// English.
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::Nb => Lang::Nb,
            LangArg::En => Lang::En,
        }
    }
}

impl LangArg {
    pub fn code(self) -> &'static str {
        match self {
            LangArg::Nb => "nb",
            LangArg::En => "en",
        }
    }
}

/// One command's session: the resolved thread count, the Ctrl-C flag, the clock, and whether
/// to talk.
pub struct Session {
    pub threads: usize,
    pub quiet: bool,
    cancel: Arc<AtomicBool>,
    started: Instant,
}

impl Session {
    /// Resolves the thread count and installs the Ctrl-C handler (the engine then stops
    /// between units of work, and nothing is written).
    pub fn new(common: &Common) -> Session {
        let cancel = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&cancel);
        // If a handler cannot be installed, Ctrl-C simply ends the process as usual.
        let _ = ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed));
        Session {
            threads: run::threads(common.threads),
            quiet: common.quiet,
            cancel,
            started: Instant::now(),
        }
    }

    pub fn cancel(&self) -> &AtomicBool {
        &self.cancel
    }

    /// Seconds since the command started.
    pub fn elapsed(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    /// The work done so far, for a manifest.
    pub fn work(&self, municipality_months: u64) -> Work {
        Work { threads: self.threads, municipality_months, elapsed_seconds: self.elapsed() }
    }

    /// A progress bar on stderr over `total` units (hidden with `--quiet`).
    pub fn progress(&self, total: u64, message: String) -> ProgressBar {
        let target = if self.quiet { ProgressDrawTarget::hidden() } else { ProgressDrawTarget::stderr() };
        let bar = ProgressBar::with_draw_target(Some(total), target);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {msg} [{bar:40}] {percent}% ({elapsed} elapsed, ~{eta} left)",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        bar.set_message(message);
        bar
    }
}

/// The command line as given, for manifests.
pub fn command_line() -> Vec<String> {
    std::env::args().collect()
}

/// An error and the exit code it deserves.
pub struct Failure {
    pub code: u8,
    pub error: anyhow::Error,
}

impl Failure {
    pub fn input(error: impl Into<anyhow::Error>) -> Failure {
        Failure { code: 2, error: error.into() }
    }
    pub fn runtime(error: impl Into<anyhow::Error>) -> Failure {
        Failure { code: 1, error: error.into() }
    }
    pub fn interrupted() -> Failure {
        Failure { code: 130, error: anyhow::anyhow!("interrupted; nothing was written") }
    }
}

impl From<OutputError> for Failure {
    fn from(e: OutputError) -> Failure {
        match e {
            OutputError::Exists(_) | OutputError::NotResults { .. } => Failure::input(e),
            OutputError::Io { .. } => Failure::runtime(e),
        }
    }
}

impl From<RunError> for Failure {
    fn from(e: RunError) -> Failure {
        match e {
            RunError::Cancelled => Failure::interrupted(),
            RunError::ThreadPool { .. } | RunError::Input(_) => Failure::input(e),
            RunError::Sink(_) => Failure::runtime(e),
        }
    }
}

impl From<fit::FitError> for Failure {
    fn from(e: fit::FitError) -> Failure {
        match e {
            fit::FitError::Run(r) => r.into(),
            // A survey that cannot be estimated (too few respondents) is input too.
            fit::FitError::Targets { .. }
            | fit::FitError::Unknown(_)
            | fit::FitError::TooFewReplications
            | fit::FitError::Degenerate { .. } => Failure::input(e),
        }
    }
}

impl From<sweep::SweepError> for Failure {
    fn from(e: sweep::SweepError) -> Failure {
        match e {
            sweep::SweepError::Run(r) => r.into(),
            other => Failure::input(other),
        }
    }
}

/// Stages a results folder at `out` (see `output::StagedDir`), telling on stderr what it
/// cleaned up of killed runs first (unless `quiet`).
pub fn stage(out: &Path, force: bool, quiet: bool) -> Result<StagedDir, Failure> {
    // Cleaned first, so that what was put back is said even when the target is then refused.
    let cleaned = samspill::output::clean_leftovers(out);
    if !quiet {
        for line in cleaned {
            say(&format!("note: {line}"));
        }
    }
    Ok(StagedDir::create(out, force)?)
}

/// Whether a single results file may be written at `path` (before any work is done): it is
/// free, or it is a file and `force` is on. A folder is never replaced by a file.
pub fn file_target(path: &Path, force: bool) -> Result<(), Failure> {
    own_file_target(path, force, |_| false)
}

/// `file_target`, where a file that `ours` recognises (from its bytes) as one this command
/// wrote itself may also be replaced without `force`: running a command again replaces its
/// own results, and nothing else.
pub fn own_file_target(path: &Path, force: bool, ours: impl Fn(&[u8]) -> bool) -> Result<(), Failure> {
    match std::fs::symlink_metadata(path) {
        Err(_) => Ok(()),
        Ok(meta) if meta.is_dir() => Err(Failure::input(anyhow::anyhow!(
            "{} is a folder; a file cannot replace it\n  hint: give a file name",
            path.display()
        ))),
        Ok(_) if force => Ok(()),
        Ok(meta) if meta.is_file() && std::fs::read(path).is_ok_and(|bytes| ours(&bytes)) => Ok(()),
        Ok(_) => Err(Failure::input(anyhow::anyhow!(
            "{} already exists\n  hint: pass --force to replace it, or choose another file",
            path.display()
        ))),
    }
}

/// Writes a command's report to stdout. A closed stdout (its reader gone, as in
/// `samspill check --explain | head -1`) ends the process quietly with exit 0: what the
/// command was asked to do is done, and no one is left to read the rest. Any other error
/// writing stdout ends it with exit 1 and a message on stderr.
pub fn out(text: std::fmt::Arguments) {
    use std::io::Write;
    if let Err(e) = std::io::stdout().lock().write_fmt(text) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        say(&format!("error: cannot write to stdout: {e}"));
        std::process::exit(1);
    }
}

/// A line on stderr; a closed or full stderr is no reason to fail.
pub fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// Loads a scenario with the flags that set its keys; a bad file or flag is an input error.
pub fn load(path: &Path, overrides: &Overrides) -> Result<Loaded, Failure> {
    let loaded = scenario::load_with(path, overrides).map_err(Failure::input)?;
    let defaults = loaded.tables_left_to_defaults();
    if !defaults.is_empty() {
        say(&format!(
            "warning: {} extends no scenario, so [{}] take the model's built-in defaults, which are not calibrated\n  hint: start it with extends = \"scenarios/baseline.toml\" (relative to the file) and set only what you change",
            path.display(),
            defaults.join("], [")
        ));
    }
    Ok(loaded)
}

/// The label of a scenario in comparisons and the name of a sweep: its file's stem.
pub fn stem(path: &Path) -> String {
    path.file_stem().map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned())
}
