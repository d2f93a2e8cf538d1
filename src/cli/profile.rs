//! `samspill profile`: one real municipality's outlook over the next years, as it is and with
//! each reform of the library adopted by it alone, written as `profile.json` and a short
//! `profile.html` in bokmål (or English) for a mayor or a council.

use std::path::{Path, PathBuf};

use samspill::analysis::posterior::Posterior;
use samspill::analysis::profile::{self, Request, Variant};
use samspill::foundation::calendar::Month;
use samspill::model::facts::FACTS;
use samspill::model::register::{self, Entry};
use samspill::model::world::World;
use samspill::output::labels::Lang;
use samspill::output::{self, Manifest, ScenarioRecord, profile_page};
use samspill::scenario::{self, Loaded};

use super::session::{Failure, Keys, Language, Session, Writing, command_line, load, stage, stem};

#[derive(Debug, clap::Args)]
pub struct ProfileArgs {
    /// The municipality: its name (e.g. Tynset) or kommunenummer (e.g. 3427).
    municipality: String,
    /// First month of the outlook, "YYYY-MM": the world is simulated to it, the facts set then,
    /// and the reforms adopted then.
    #[arg(long, default_value = "2027-01")]
    from: String,
    /// Years the outlook covers.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=30))]
    years: u32,
    /// The scenario to project with.
    #[arg(long, default_value = "scenarios/projection.toml")]
    scenario: PathBuf,
    /// The reforms to try, each adopted by the municipality alone (every *.toml of the folder).
    #[arg(long, default_value = "scenarios/reforms")]
    reforms: PathBuf,
    /// A known fact about the municipality at `--from`, KEY=VALUE (repeatable), e.g.
    /// coalition_parties=4, director_age=61, director_years_in_post=2, delegation_review=annual.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    facts: Vec<String>,
    /// Results folder [default: results/profile-<kommunenummer>].
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    keys: Keys,
    /// Posterior draws of the calibrated parameters the replications run again under (at most
    /// one per replication), for intervals with the parameters' part as `compare` computes it.
    /// One municipality's yes-or-no outcomes tell little about that part unless there are many
    /// replications (hundreds), so it is off by default: 0, simulation uncertainty only.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=1000))]
    parameter_draws: u32,
    #[command(flatten)]
    language: Language,
    #[command(flatten)]
    writing: Writing,
}

/// The register's municipality `given` names (a number or a name), or an error with close matches.
fn find(given: &str) -> Result<&'static Entry, Failure> {
    let all = register::all();
    let wanted = given.trim();
    if let Ok(n) = wanted.parse::<u16>()
        && let Some(e) = all.iter().find(|e| e.number == n)
    {
        return Ok(e);
    }
    let named: Vec<&Entry> = all.iter().filter(|e| e.name.to_lowercase() == wanted.to_lowercase()).collect();
    match named.as_slice() {
        [one] => return Ok(one),
        [] => {}
        many => {
            let which: Vec<String> =
                many.iter().map(|e| format!("{} ({}, {})", e.number_text(), e.name, e.county)).collect();
            return Err(Failure::input(anyhow::anyhow!(
                "more than one municipality (kommune) is called \"{wanted}\": {}\n  hint: give its kommunenummer instead",
                which.join(", ")
            )));
        }
    }
    let mut close: Vec<(f64, &Entry)> = all
        .iter()
        .map(|e| (strsim::jaro_winkler(&e.name.to_lowercase(), &wanted.to_lowercase()), e))
        .filter(|(s, _)| *s > 0.75)
        .collect();
    close.sort_by(|a, b| b.0.total_cmp(&a.0));
    let close: Vec<String> =
        close.iter().take(4).map(|(_, e)| format!("{} ({})", e.name, e.number_text())).collect();
    let hint = if close.is_empty() {
        "give a name or kommunenummer of the register (data/municipalities-2025.csv)".to_string()
    } else {
        format!("did you mean {}?", close.join(", "))
    };
    Err(Failure::input(anyhow::anyhow!(
        "no municipality (kommune) of the register is called \"{}\"\n  hint: {hint}",
        scenario::echo(wanted)
    )))
}

fn invalid(what: &str, problems: Vec<scenario::Problem>) -> Failure {
    let text: Vec<String> =
        problems.iter().map(|p| format!("{}: {}", p.field.as_deref().unwrap_or("?"), p.message)).collect();
    Failure::input(anyhow::anyhow!("{what}: {}", text.join("; ")))
}

pub fn run(args: ProfileArgs) -> Result<(), Failure> {
    let session = Session::new(&args.writing.common);
    let entry = find(&args.municipality)?;
    let from = Month::parse(&args.from).ok_or_else(|| {
        Failure::input(anyhow::anyhow!(
            "--from {:?} is not a month\n  hint: write it as YYYY-MM, e.g. --from 2027-01",
            args.from
        ))
    })?;
    let to = Month(from.0 + 12 * args.years as i32 - 1);
    let loaded: Loaded = load(&args.scenario, &args.keys.overrides())?;
    if from <= loaded.config.calendar.start {
        return Err(Failure::input(anyhow::anyhow!(
            "--from {from} lies before the scenario's calendar starts ({})\n  hint: give a later month",
            loaded.config.calendar.start
        )));
    }
    let members = register::members(loaded.config.population.municipalities as usize);
    let focal = members.iter().position(|e| std::ptr::eq(*e, entry)).ok_or_else(|| {
        Failure::input(anyhow::anyhow!(
            "{} is not among the {} municipalities of {}\n  hint: set population.municipalities = 357",
            entry.name,
            members.len(),
            args.scenario.display()
        ))
    })?;
    let mut facts = Vec::new();
    for fact in &args.facts {
        let (key, value) = fact.split_once('=').ok_or_else(|| {
            Failure::input(anyhow::anyhow!(
                "--set {fact:?} is not KEY=VALUE\n  hint: e.g. --set director_age=61; keys: {}",
                FACTS.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ")
            ))
        })?;
        facts.push((key.trim().to_string(), value.trim().to_string()));
    }
    // Check the facts on the municipality as the scenario starts it.
    let mut scratch = World::new(&loaded.config, 0);
    for (key, value) in &facts {
        scratch
            .municipality_mut(focal)
            .set_fact(&loaded.config, key, value, from)
            .map_err(|e| Failure::input(anyhow::anyhow!("--set: {e}")))?;
    }
    let calendar = |t: &mut toml::Table| {
        let c: toml::Table =
            toml::from_str(&format!("report_start = \"{from}\"\nend = \"{to}\"\n")).expect("TOML");
        t.insert("calendar".into(), toml::Value::Table(c));
    };
    let posterior = Posterior::bundled();
    let n_draws = (args.parameter_draws as usize).min(loaded.config.replications as usize);
    let variant = |label: String, title: Option<String>, over: toml::Table| -> Result<Variant, Failure> {
        let (file, config) = scenario::with_overlay(&loaded, over).map_err(|p| invalid(&label, p))?;
        let draws = (0..n_draws)
            .map(|k| posterior.config(&file, &config.name, k * posterior.draws.len() / n_draws))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Failure::input(anyhow::anyhow!("{label}: {e}")))?;
        Ok(Variant { label, title, config, draws })
    };
    let mut base_over = toml::Table::new();
    calendar(&mut base_over);
    let as_is = variant("as_is".into(), None, base_over)?;
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&args.reforms)
        .map_err(|e| {
            Failure::input(anyhow::anyhow!(
                "cannot read the reforms folder {}: {e}\n  hint: run from the project's folder, or pass --reforms DIR",
                args.reforms.display()
            ))
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let mut reforms = Vec::new();
    let mut records = Vec::new();
    for path in &paths {
        let (title, changes) = scenario::reform_changes(path).map_err(Failure::input)?;
        let mut over = toml::Table::new();
        calendar(&mut over);
        let adoption: toml::Table =
            toml::from_str(&format!("from = \"{from}\"\nwhere = {{ numbers = [{}] }}\n", entry.number))
                .expect("TOML");
        let mut adoption = adoption;
        adoption.insert("changes".into(), toml::Value::Table(changes));
        over.insert("adoption".into(), toml::Value::Table(adoption));
        reforms.push(variant(stem(path), title, over)?);
        records.push(ScenarioRecord::new(&stem(path), &load(path, &Default::default())?));
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("results").join(format!("profile-{}", entry.number_text())));
    let staged = stage(&out, args.writing.force, args.writing.common.quiet)?;
    let dir = staged.path().to_owned();
    let request = Request { focal, from, to, facts: facts.clone(), as_is, reforms };
    let replications = u64::from(loaded.config.replications);
    let bar = session.progress(replications, format!("{} {from}–{to}", entry.name));
    let outlook = profile::project(&request, session.threads, &|n| bar.inc(n), session.cancel())?;
    bar.finish_and_clear();
    let lang: Lang = args.language.lang.into();
    let doc = profile_page::profile_json(entry, from, to, &facts, &loaded.config, &outlook);
    output::write_json(&dir.join("profile.json"), &doc)?;
    let html = profile_page::profile_html(entry, from, to, &facts, &outlook, lang, env!("CARGO_PKG_VERSION"));
    output::write_text(&dir.join("profile.html"), &html)?;
    output::write_text(&dir.join("scenario.toml"), &loaded.resolved_text)?;
    // Work: each replication's world to `from` and each variant's horizon (twice with draws).
    let n = u64::from(loaded.config.population.municipalities);
    let months = (from.0 - loaded.config.calendar.start.0) as u64
        + (request.reforms.len() as u64 + 1) * (to.0 - from.0 + 1) as u64;
    let work = session.work(months * n * replications * (1 + u64::from(n_draws > 0)));
    let manifest = Manifest::compare(
        ScenarioRecord::new(&stem(&args.scenario), &loaded),
        records,
        loaded.config.seed,
        loaded.config.replications,
        work,
        args.language.lang.code(),
        command_line(),
    );
    output::write_json(&dir.join("manifest.json"), &manifest)?;
    let target = staged.commit()?;
    if !session.quiet {
        let p = |l: &profile::Level| format!("{:.2} [{:.2}, {:.2}]", l.mean, l.ci95[0], l.ci95[1]);
        outln!(
            "{} ({}, {}), {from} to {to}, {} replications",
            entry.name,
            entry.number_text(),
            entry.county,
            outlook.replications
        );
        outln!("  the director leaves            {}", p(&outlook.exit_probability));
        outln!("  … in a forced exit             {}", p(&outlook.forced_exit_probability));
        outln!("  cooperation (1–5)              {}", p(&outlook.cooperation_mean));
        for r in &outlook.reforms {
            let e = &r.forced_exit_probability;
            outln!(
                "  {:<32} forced exit {:+.3} [{:+.3}, {:+.3}]",
                r.reform,
                e.difference,
                e.ci95[0],
                e.ci95[1]
            );
        }
        outln!("wrote {} (profile.html, profile.json)", target.display());
    }
    Ok(())
}
