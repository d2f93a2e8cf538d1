//! `samspill sweep` and `samspill merge`: a scenario run over a grid or Latin hypercube of its
//! parameters (one shard or all points), and the join of a sweep's shards.

use std::path::{Path, PathBuf};

use anyhow::Context;
use samspill::analysis::sweep;
use samspill::output::labels::Lang;
use samspill::output::labels::{KEY_OUTCOMES, outcome_label, shown};
use samspill::output::{self, Manifest, charts, export, workbook};

use super::session::{Failure, Language, Session, Writing, command_line, stage, stem};

#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// Sweep file (TOML), e.g. scenarios/sweeps/fragmentation.toml.
    spec: PathBuf,
    /// Results folder [default: results/sweep-<file name>, with -shard-K-of-N for a shard].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Run only shard K of N (the points whose number is K modulo N); join shards with `samspill merge`.
    #[arg(long, value_name = "K/N")]
    shard: Option<sweep::Shard>,
    #[command(flatten)]
    language: Language,
    #[command(flatten)]
    writing: Writing,
}

#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// The shards' results folders (any order).
    #[arg(required = true)]
    shards: Vec<PathBuf>,
    /// Folder to write the joined sweep to.
    #[arg(long)]
    out: PathBuf,
    #[command(flatten)]
    language: Language,
    /// Replace the results folder if it exists.
    #[arg(long)]
    force: bool,
    /// Print nothing on success.
    #[arg(long, short)]
    quiet: bool,
}

/// Writes `sweep.csv`, `shard.json` and, when the folder holds every point, the charts.
fn write_sweep(dir: &Path, record: &sweep::ShardRecord, csv: &str, lang: Lang) -> Result<(), Failure> {
    output::write_text(&dir.join("sweep.csv"), csv)?;
    output::write_json(&dir.join("shard.json"), record)?;
    if record.points.len() == record.total_points {
        let header: Vec<&str> = record.header.split(',').collect();
        let end = header.iter().position(|c| *c == "replications").unwrap_or(header.len());
        let parameters: Vec<String> = header[1..end].iter().map(|s| s.to_string()).collect();
        let svgs =
            charts::sweep_charts(csv, &parameters, lang).map_err(|e| Failure::runtime(anyhow::anyhow!(e)))?;
        for (file, svg) in svgs {
            output::write_text(&dir.join(file), &svg)?;
        }
        let book = workbook::xlsx(&workbook::sweep_sheets(csv, lang))
            .map_err(|e| Failure::runtime(anyhow::anyhow!("writing sweep.xlsx: {e}")))?;
        output::write_bytes(&dir.join("sweep.xlsx"), &book)?;
    }
    Ok(())
}

pub fn run_sweep(args: SweepArgs) -> Result<(), Failure> {
    let session = Session::new(&args.writing.common);
    let spec = sweep::Sweep::load(&args.spec)?;
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
    let staged = stage(&out, args.writing.force, args.writing.common.quiet)?;
    let dir = staged.path().to_owned();
    let municipalities = u64::from(spec.base.config.population.municipalities);
    let bar = session
        .progress(indices.len() as u64 * u64::from(spec.file.replications) * municipalities, String::new());
    let header = export::sweep_header(&spec.parameters);
    let mut csv = format!("{header}\n");
    let mut work = 0;
    for (n, &i) in indices.iter().enumerate() {
        bar.set_message(format!("point {} of {} ({} of {name})", n + 1, indices.len(), i + 1));
        let point = spec.run_point(i, session.threads, &|k| bar.inc(k), session.cancel())?;
        csv.push_str(&export::sweep_line(&point));
        csv.push('\n');
        work += point.municipality_months;
    }
    bar.finish_and_clear();
    let record = sweep::ShardRecord {
        sweep: args.spec.display().to_string(),
        sweep_sha256: spec.sha256.clone(),
        shard,
        total_points: spec.points.len(),
        points: indices.iter().map(|i| i + 1).collect(),
        header,
    };
    write_sweep(&dir, &record, &csv, args.language.lang.into())?;
    output::write_text(&dir.join("sweep.toml"), &spec.text)?;
    output::write_text(&dir.join("scenario.toml"), &spec.base.resolved_text)?;
    let shard_name = format!("{}/{}", shard.index, shard.count);
    let manifest = Manifest::sweep(&spec, indices.len(), shard_name, session.work(work), command_line());
    output::write_json(&dir.join("manifest.json"), &manifest)?;
    let target = staged.commit()?;
    if !session.quiet {
        print_summary(&csv, args.language.lang.into());
        outln!(
            "wrote {} ({} of {} points, {:.1} s; sweep.csv, sweep.xlsx, charts)",
            target.display(),
            indices.len(),
            spec.points.len(),
            manifest.elapsed_seconds.unwrap_or(0.0)
        );
    }
    Ok(())
}

/// A few lines on the terminal instead of the whole table: each key outcome's range over the
/// points and where it is lowest and highest.
fn print_summary(csv: &str, lang: Lang) {
    let (header, rows) = charts::parse_csv(csv);
    let end = header.iter().position(|c| c == "replications").unwrap_or(header.len());
    let parameters = &header[1..end];
    let at = |row: &[f64]| {
        parameters
            .iter()
            .zip(&row[1..end])
            .map(|(p, v)| format!("{p} = {}", lang.number(*v, charts::decimals_of(*v))))
            .collect::<Vec<_>>()
            .join(", ")
    };
    outln!(
        "{} {}",
        rows.len(),
        lang.pick(
            "punkter; hvert hovedutfall lavest og høyest:",
            "points; each key outcome's lowest and highest point:"
        )
    );
    for outcome in KEY_OUTCOMES {
        let Some(c) = header.iter().position(|h| h == outcome) else { continue };
        let shown = shown(outcome);
        let (k, d) = (shown.scale, shown.diff_decimals);
        let finite = rows.iter().filter(|r| r[c].is_finite());
        let (Some(lo), Some(hi)) = (
            finite.clone().min_by(|a, b| a[c].total_cmp(&b[c])),
            finite.max_by(|a, b| a[c].total_cmp(&b[c])),
        ) else {
            continue;
        };
        outln!(
            "  {}\n    {} ({}) – {} ({})",
            outcome_label(lang, outcome),
            lang.number(k * lo[c], d),
            at(lo),
            lang.number(k * hi[c], d),
            at(hi)
        );
    }
}

pub fn run_merge(args: MergeArgs) -> Result<(), Failure> {
    let mut shards: Vec<(sweep::ShardRecord, String)> = Vec::new();
    for dir in &args.shards {
        let read = |name: &str| {
            std::fs::read_to_string(dir.join(name))
                .with_context(|| {
                    format!(
                        "{} is not a sweep's results folder (no readable {name})\n  hint: pass the folders `samspill sweep --shard K/N` wrote",
                        dir.display()
                    )
                })
                .map_err(Failure::input)
        };
        let record: sweep::ShardRecord = serde_json::from_str(&read("shard.json")?)
            .with_context(|| format!("{}: shard.json is damaged", dir.display()))
            .map_err(Failure::input)?;
        shards.push((record, read("sweep.csv")?));
    }
    let (record, csv) = sweep::merge(&shards).map_err(|e| Failure::input(anyhow::anyhow!(e)))?;
    let staged = stage(&args.out, args.force, args.quiet)?;
    let dir = staged.path().to_owned();
    write_sweep(&dir, &record, &csv, args.language.lang.into())?;
    for name in ["sweep.toml", "scenario.toml"] {
        if let Ok(text) = std::fs::read_to_string(args.shards[0].join(name)) {
            output::write_text(&dir.join(name), &text)?;
        }
    }
    let merged_from = args.shards.iter().map(|d| d.display().to_string()).collect();
    let manifest = Manifest::merge(
        record.sweep.clone(),
        record.sweep_sha256.clone(),
        merged_from,
        record.total_points,
        command_line(),
    );
    output::write_json(&dir.join("manifest.json"), &manifest)?;
    let target = staged.commit()?;
    if !args.quiet {
        outln!("merged {} shards ({} points) into {}", shards.len(), record.total_points, target.display());
    }
    Ok(())
}
