//! The command line: the `samspill` binary's argument definitions, progress bars, messages and
//! exit codes (see `session`); one file per command. Everything else is the library's. `main`
//! parses, dispatches on one flat `match` and prints the error chain.

/// `print!` for a command's report on stdout; see `session::out`.
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::session::out(format_args!($($arg)*)) };
}

/// `println!` for a command's report on stdout; see `session::out`.
macro_rules! outln {
    () => { $crate::cli::session::out(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::cli::session::out(format_args!("{}\n", format_args!($($arg)*))) };
}

mod check;
mod compare;
mod fit;
mod profile;
mod run;
mod serve;
mod session;
mod survey;
mod sweep;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    Run(run::RunArgs),
    /// Take the emulated 2020 survey of directors and mayors and recompute the report's regressions.
    Survey(survey::SurveyArgs),
    /// Compare the emulated survey with every published figure of the 2020 survey.
    Fit(fit::FitArgs),
    /// Fit a scenario's mechanism parameters to the published figures of the 2020 survey.
    Calibrate(fit::CalibrateArgs),
    /// Which mechanism parameters the published figures identify, their standard errors and a posterior sample.
    Identify(fit::IdentifyArgs),
    /// Compare reforms with a base scenario (each reform with the base's seed and replications: common random numbers; paired intervals, survey power, HTML report).
    Compare(compare::CompareArgs),
    /// Run a scenario over a grid or Latin hypercube of its parameters (shardable across machines).
    Sweep(sweep::SweepArgs),
    /// Join the folders of a sharded sweep into the folder an unsharded run writes.
    Merge(sweep::MergeArgs),
    /// One real municipality's outlook over the next years, as it is and with each reform of the library adopted by it alone.
    Profile(profile::ProfileArgs),
    /// Check a scenario file and print what it will simulate; --explain lists every key.
    Check(check::CheckArgs),
    /// Serve the teaching page (bokmål, offline) for the councillor programme: levers, presets, live runs.
    Serve(serve::ServeArgs),
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
        Command::Run(args) => run::run(args),
        Command::Survey(args) => survey::run(args),
        Command::Fit(args) => fit::run_fit(args),
        Command::Calibrate(args) => fit::run_calibrate(args),
        Command::Identify(args) => fit::run_identify(args),
        Command::Compare(args) => compare::run(args),
        Command::Sweep(args) => sweep::run_sweep(args),
        Command::Merge(args) => sweep::run_merge(args),
        Command::Profile(args) => profile::run(args),
        Command::Check(args) => check::run(args),
        Command::Serve(args) => serve::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            session::say(&format!("error: {}", message(&f.error)));
            ExitCode::from(f.code)
        }
    }
}

/// An error and its causes joined by ": ", leaving out a cause whose text the message has
/// already given (many errors print their source themselves: the OS message once, not twice).
fn message(error: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in error.chain() {
        let part = cause.to_string();
        if text.contains(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cause_the_message_already_gives_is_not_repeated() {
        let os = std::io::Error::from(std::io::ErrorKind::NotFound);
        let said = os.to_string();
        let e = anyhow::Error::new(os).context(format!("cannot write x: {said}"));
        assert_eq!(message(&e), format!("cannot write x: {said}"));
        let e = anyhow::anyhow!("inner").context("outer");
        assert_eq!(message(&e), "outer: inner");
    }
}
