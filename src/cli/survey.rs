//! `samspill survey`: the emulated 2020 survey of directors and mayors, its answers and the
//! report's regressions recomputed on them.

use std::path::{Path, PathBuf};

use samspill::output::{self, Manifest, export};
use samspill::scenario::Overrides;
use samspill::survey;

use super::session::{Failure, Session, Writing, command_line, load, stage};

#[derive(Debug, clap::Args)]
pub struct SurveyArgs {
    /// Scenario file (TOML), e.g. scenarios/baseline.toml.
    scenario: PathBuf,
    /// Results folder [default: results/<scenario name>-survey].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Seed of every random stream (overrides the scenario's `seed`).
    #[arg(long)]
    seed: Option<u64>,
    /// Surveys to take, each of a fresh national replication; their respondents are pooled in
    /// the files (overrides the scenario's `replications`).
    #[arg(long, default_value_t = 1)]
    replications: u32,
    #[command(flatten)]
    writing: Writing,
}

pub fn run(args: SurveyArgs) -> Result<(), Failure> {
    let session = Session::new(&args.writing.common);
    let loaded = load(&args.scenario, &Overrides { seed: args.seed, replications: Some(args.replications) })?;
    let config = &loaded.config;
    let out =
        args.out.clone().unwrap_or_else(|| Path::new("results").join(format!("{}-survey", config.name)));
    let staged = stage(&out, args.writing.force, args.writing.common.quiet)?;
    let dir = staged.path().to_owned();
    let total = u64::from(config.replications) * u64::from(config.population.municipalities);
    let bar = session.progress(total, format!("survey of {} ×{}", config.name, config.replications));
    let surveys = survey::run_survey(
        config,
        0..config.replications,
        session.threads,
        &|n| bar.inc(n),
        session.cancel(),
    )?;
    bar.finish_and_clear();

    let mut directors = survey::Table::default();
    let mut mayors = survey::Table::default();
    for s in surveys {
        directors.columns.clone_from(&s.directors.columns);
        mayors.columns.clone_from(&s.mayors.columns);
        directors.rows.extend(s.directors.rows);
        mayors.rows.extend(s.mayors.rows);
    }
    let regressions = survey::regressions(&directors).map_err(|e| {
        Failure::input(anyhow::anyhow!("the survey's regressions: {e}; {}", survey::TOO_FEW_RESPONDENTS_HINT))
    })?;
    let csv_error = |name: &str| {
        let path = dir.join(name);
        move |e: csv::Error| output::OutputError::Io { path, source: e.into() }
    };
    for (name, table) in [("directors.csv", &directors), ("mayors.csv", &mayors)] {
        let bytes = export::survey_table_csv(table).map_err(csv_error(name))?;
        output::write_bytes(&dir.join(name), &bytes)?;
    }
    output::write_text(
        &dir.join("regression_cooperation.csv"),
        &export::regression_csv(&regressions.cooperation),
    )?;
    output::write_text(
        &dir.join("regression_quit_plans.csv"),
        &export::regression_csv(&regressions.quit_plans),
    )?;
    let summary = export::regressions_json(&regressions, directors.rows.len(), mayors.rows.len());
    output::write_json(&dir.join("regressions.json"), &summary)?;
    output::write_text(&dir.join("scenario.toml"), &loaded.resolved_text)?;
    let work = session.work(survey::municipality_months(config)?);
    output::write_json(&dir.join("manifest.json"), &Manifest::run(&loaded, config, work, command_line()))?;
    let target = staged.commit()?;
    if !session.quiet {
        let c = &regressions.cooperation;
        outln!(
            "{} survey(s) of {}: {} directors and {} mayors answered; {} complete cases in the cooperation regression (R² {:.3}, adjusted {:.3})",
            config.replications,
            config.name,
            directors.rows.len(),
            mayors.rows.len(),
            c.n,
            c.r2,
            c.r2_adjusted
        );
        outln!("{:<40} {:>8} {:>8} {:>7}", "standardised beta", "beta", "se", "p");
        for k in &c.coefficients {
            outln!("  {:<38} {:>8.3} {:>8.3} {:>7.3}", k.name, k.beta, k.se, k.p);
        }
        outln!("wrote {}", target.display());
    }
    Ok(())
}
