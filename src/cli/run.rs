//! `samspill run`: the national simulation of a scenario, replicated, written to a results
//! folder (an HTML report, summary, yearly and municipality tables, the scenario, the manifest).

use std::path::{Path, PathBuf};

use anyhow::Context;
use samspill::output::labels::Lang;
use samspill::output::{self, Manifest, TableWriters, charts, export, report};
use samspill::scenario::config::Config;
use samspill::sim::run::{self, RunError, RunOptions};
use samspill::sim::summary::SummaryBuilder;
use samspill::stats::Estimate;

use super::session::{Failure, Keys, Language, Session, Writing, command_line, load, stage};

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Scenario file (TOML), e.g. scenarios/baseline.toml.
    scenario: PathBuf,
    /// Results folder [default: results/<scenario name>].
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    keys: Keys,
    #[command(flatten)]
    language: Language,
    #[command(flatten)]
    writing: Writing,
}

pub fn run(args: RunArgs) -> Result<(), Failure> {
    let session = Session::new(&args.writing.common);
    let loaded = load(&args.scenario, &args.keys.overrides())?;
    let config = &loaded.config;
    let out = args.out.clone().unwrap_or_else(|| Path::new("results").join(&config.name));
    let staged = stage(&out, args.writing.force, args.writing.common.quiet)?;
    let dir = staged.path().to_owned();

    let total = u64::from(config.replications) * u64::from(config.population.municipalities);
    let bar = session.progress(total, format!("{} ×{}", config.name, config.replications));
    let mut tables = TableWriters::create(&dir, config)?;
    let mut summary = SummaryBuilder::default();
    // Each replication's yearly tally, for the report's bands (a few kilobytes each).
    let mut tallies = Vec::with_capacity(config.replications as usize);
    let options = RunOptions { threads: session.threads };
    let stats = run::run(config, options, &|n| bar.inc(n), session.cancel(), |rep| {
        summary.add(&rep.tally);
        tallies.push(rep.tally.clone());
        tables.write(&rep)
    })
    .map_err(|e| match e {
        RunError::Sink(_) => {
            Failure::runtime(anyhow::Error::new(e).context(format!("writing results to {}", out.display())))
        }
        other => other.into(),
    })?;
    bar.finish_and_clear();
    tables
        .finish()
        .with_context(|| format!("writing results to {}", out.display()))
        .map_err(Failure::runtime)?;

    let summary = summary.finish();
    output::write_json(&dir.join("summary.json"), &export::summary_json(config, &summary))?;
    output::write_text(&dir.join("scenario.toml"), &loaded.resolved_text)?;
    let lang: Lang = args.language.lang.into();
    let figures = charts::run_figures(&tallies, config.calendar.report_start.year(), lang)
        .map_err(|e| Failure::runtime(anyhow::anyhow!(e)))?;
    let file = args.scenario.display().to_string();
    let html = report::run_html(
        &report::RunReport {
            title: config.title.as_deref().unwrap_or(&config.name),
            description: &config.description,
            file: &file,
            seed: config.seed,
            report_start: config.calendar.report_start.to_string(),
            report_end: config.calendar.end.to_string(),
            tallies: &tallies,
            headlines: &summary.headlines,
        },
        &figures,
        lang,
        env!("CARGO_PKG_VERSION"),
    );
    output::write_text(&dir.join("report.html"), &html)?;
    let manifest = Manifest::run(&loaded, config, session.work(stats.municipality_months), command_line());
    output::write_json(&dir.join("manifest.json"), &manifest)?;
    let target = staged.commit()?;

    if !session.quiet {
        print_summary(config, &summary.headlines, &summary.exit_shares, &target, &manifest);
    }
    Ok(())
}

fn print_summary(
    config: &Config,
    headlines: &[(&str, Estimate)],
    exits: &[(&str, Estimate)],
    target: &Path,
    m: &Manifest,
) {
    let fmt = |e: &Estimate| match (e.mean, e.ci95) {
        (Some(m), Some([lo, hi])) => format!("{m:>9.4}   [{lo:.4}, {hi:.4}]"),
        (Some(m), None) => format!("{m:>9.4}"),
        _ => "        –".into(),
    };
    outln!(
        "{} — {} replications, {} to {}",
        config.name,
        config.replications,
        config.calendar.report_start,
        config.calendar.end
    );
    outln!("{:<44} {:>9}   95% interval", "", "mean");
    for (name, e) in headlines {
        outln!("  {name:<42} {}", fmt(e));
    }
    outln!("  exits by reason (share of exits)");
    for (name, e) in exits {
        outln!("    {name:<40} {}", fmt(e));
    }
    outln!(
        "wrote {} ({:.3e} municipality-months in {:.2} s, {:.3e}/s on {} threads)",
        target.display(),
        m.municipality_months.unwrap_or(0) as f64,
        m.elapsed_seconds.unwrap_or(0.0),
        m.municipality_months_per_second.unwrap_or(0.0),
        m.threads.unwrap_or(0)
    );
}
