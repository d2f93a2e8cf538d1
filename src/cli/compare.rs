//! `samspill compare`: reforms against a base scenario with common random numbers, written as
//! `comparison.json`/`.csv`/`.xlsx`, an HTML report with its charts, and the scenarios compared.

use std::path::{Path, PathBuf};

use samspill::analysis::compare;
use samspill::analysis::posterior::Posterior;
use samspill::output::labels::{KEY_OUTCOMES, Lang};
use samspill::output::{self, Manifest, ScenarioRecord, charts, export, report, workbook};
use samspill::scenario::config::Config;
use samspill::scenario::{self, Loaded, Overrides};
use samspill::survey;

use super::session::{Failure, Keys, Language, Session, Writing, command_line, load, stage, stem};

#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// The base scenario, e.g. scenarios/baseline.toml.
    base: PathBuf,
    /// One or more reform scenarios, e.g. scenarios/reforms/informal-contact.toml.
    #[arg(required = true)]
    reforms: Vec<PathBuf>,
    /// Results folder [default: results/compare-<base name>].
    #[arg(long)]
    out: Option<PathBuf>,
    // Seed and replications of every scenario: the base's, which these override (reforms always
    // use the base's; a comparison needs at least 2 replications).
    #[command(flatten)]
    keys: Keys,
    /// Carry the calibration's parameter uncertainty into every interval: the replications run
    /// again under N draws of the posterior (the same draw in base and reform; at most one per
    /// replication), and `ci95` is the total interval beside `ci95_simulation`. It doubles the
    /// run time; 0: simulation only.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u32).range(0..=1000))]
    parameter_draws: u32,
    /// The posterior sample to draw from [default: the project's, calibration/posterior.csv].
    #[arg(long)]
    posterior: Option<PathBuf>,
    #[command(flatten)]
    language: Language,
    #[command(flatten)]
    writing: Writing,
}

pub fn run(args: CompareArgs) -> Result<(), Failure> {
    let session = Session::new(&args.writing.common);
    let base = load(&args.base, &args.keys.overrides())?;
    if base.config.replications < 2 {
        return Err(Failure::input(anyhow::anyhow!(
            "a comparison needs at least 2 replications for its intervals\n  hint: pass --replications 20 (or more)"
        )));
    }
    // Every reform runs with the base's seed and replications; loaded with them, the scenario
    // a results folder saves for it says so and reproduces it.
    let as_base = Overrides { seed: Some(base.config.seed), replications: Some(base.config.replications) };
    let mut reforms: Vec<(String, Loaded)> = Vec::new();
    for path in &args.reforms {
        let loaded = load(path, &as_base)?;
        if reforms.iter().any(|(l, _)| *l == stem(path)) {
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
    let staged = stage(&out, args.writing.force, args.writing.common.quiet)?;
    let dir = staged.path().to_owned();

    let posterior = match &args.posterior {
        None => Posterior::bundled(),
        Some(p) => scenario::read_input_text(p)
            .map_err(|e| e.to_string())
            .and_then(|text| Posterior::parse(&text))
            .map_err(|e| Failure::input(anyhow::anyhow!("{}: {e}", p.display())))?,
    };
    // Draws spread evenly through the sample (its rows are independent draws); at most one
    // per replication.
    let draws = |l: &Loaded| -> Result<Vec<Config>, Failure> {
        let n = (args.parameter_draws as usize).min(base.config.replications as usize);
        (0..n)
            .map(|k| posterior.config(&l.file, &l.config.name, k * posterior.draws.len() / n))
            .collect::<Result<_, _>>()
            .map_err(|e| Failure::input(anyhow::anyhow!("{}: {e}", l.path.display())))
    };
    let base_entry =
        compare::Entry { label: stem(&args.base), config: base.config.clone(), draws: draws(&base)? };
    let entries: Vec<compare::Entry> = reforms
        .iter()
        .map(|(label, l)| {
            Ok(compare::Entry { label: label.clone(), config: l.config.clone(), draws: draws(l)? })
        })
        .collect::<Result<_, Failure>>()?;
    let replications = u64::from(base.config.replications);
    let total: u64 = std::iter::once(&base_entry)
        .chain(&entries)
        // The runs, the survey and, with draws, the runs again under them.
        .map(|e| {
            (2 + u64::from(!e.draws.is_empty()))
                * replications
                * u64::from(e.config.population.municipalities)
        })
        .sum();
    let message = format!("{} reform(s) against {} ×{}", entries.len(), base_entry.label, replications);
    let bar = session.progress(total, message);
    let comparison =
        compare::compare(&base_entry, &entries, session.threads, &|n| bar.inc(n), session.cancel())?;
    bar.finish_and_clear();

    let lang: Lang = args.language.lang.into();
    output::write_json(&dir.join("comparison.json"), &export::comparison_json(&comparison))?;
    output::write_text(&dir.join("comparison.csv"), &export::comparison_csv(&comparison))?;
    let book = workbook::xlsx(&workbook::comparison_sheets(&comparison, lang))
        .map_err(|e| Failure::runtime(anyhow::anyhow!("writing comparison.xlsx: {e}")))?;
    output::write_bytes(&dir.join("comparison.xlsx"), &book)?;
    let figures =
        charts::comparison_figures(&comparison, lang).map_err(|e| Failure::runtime(anyhow::anyhow!(e)))?;
    let html = report::comparison_html(&comparison, &figures, lang, env!("CARGO_PKG_VERSION"));
    output::write_text(&dir.join("report.html"), &html)?;
    std::fs::create_dir_all(dir.join("plots")).map_err(Failure::runtime)?;
    for f in &figures {
        output::write_text(&dir.join("plots").join(&f.file), &f.svg)?;
    }
    std::fs::create_dir_all(dir.join("scenarios")).map_err(Failure::runtime)?;
    let base_file = dir.join("scenarios").join(format!("base-{}.toml", base_entry.label));
    output::write_text(&base_file, &base.resolved_text)?;
    for (label, l) in &reforms {
        output::write_text(&dir.join("scenarios").join(format!("{label}.toml")), &l.resolved_text)?;
    }
    let manifest = Manifest::compare(
        ScenarioRecord::new(&base_entry.label, &base),
        reforms.iter().map(|(label, l)| ScenarioRecord::new(label, l)).collect(),
        comparison.seed,
        comparison.replications,
        session.work(comparison.stats.municipality_months),
        args.language.lang.code(),
        command_line(),
    );
    output::write_json(&dir.join("manifest.json"), &manifest)?;
    let target = staged.commit()?;
    if !session.quiet {
        print_comparison(&comparison);
        outln!(
            "wrote {} (report.html, comparison.xlsx, comparison.json, comparison.csv) in {:.1} s",
            target.display(),
            manifest.elapsed_seconds.unwrap_or(0.0)
        );
    }
    Ok(())
}

fn print_comparison(c: &compare::Comparison) {
    outln!(
        "{} replications, seed {}, {} to {}; difference = reform − {} (paired, 95 % interval)",
        c.replications,
        c.seed,
        c.report_start,
        c.report_end,
        c.base.label
    );
    for r in &c.reforms {
        outln!("{}", r.label);
        for o in c.outcomes.iter().filter(|o| o.scenario == r.label && KEY_OUTCOMES.contains(&o.outcome)) {
            outln!(
                "  {:<42} {:>9.4} → {:>9.4}   {:>+9.4} [{:+.4}, {:+.4}]",
                o.outcome,
                o.effect.base,
                o.effect.reform,
                o.effect.difference,
                o.effect.ci95[0],
                o.effect.ci95[1]
            );
        }
        if let Some(p) = c.power.iter().find(|p| p.scenario == r.label) {
            outln!(
                "  {:<42} {:>9.2} [{:.2}, {:.2}] of {} surveys",
                "survey power (half adopt, 10 % level)",
                p.power,
                p.ci95[0],
                p.ci95[1],
                p.surveys
            );
        }
    }
}
