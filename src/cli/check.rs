//! `samspill check`: validate a scenario and say what it will simulate; `--resolved` prints it
//! with everything it inherits, `--explain` the reference of every key.

use std::path::PathBuf;

use samspill::scenario::{self, Overrides};

use super::session::{Failure, load};

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
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

pub fn run(args: CheckArgs) -> Result<(), Failure> {
    if args.explain {
        out!("{}", scenario::reference::markdown());
        return Ok(());
    }
    let Some(path) = args.scenario else {
        return Err(Failure::input(anyhow::anyhow!("give a scenario file to check, or --explain")));
    };
    let loaded = load(&path, &Overrides::default())?;
    if args.resolved {
        let text = scenario::every_key(&loaded.file, &loaded.config.name);
        let chain: Vec<String> = loaded.chain.iter().map(|p| p.display().to_string()).collect();
        outln!("# {} resolved (read: {}); every key written out.\n{text}", path.display(), chain.join(" ← "));
        return Ok(());
    }
    let c = &loaded.config;
    let cal = &c.calendar;
    outln!("{}: OK", path.display());
    for parent in &loaded.chain[1..] {
        outln!("  extends        {}", parent.display());
    }
    outln!("  name           {}", c.name);
    if !c.description.is_empty() {
        outln!("  description    {}", c.description.trim());
    }
    outln!("  municipalities {}", c.population.municipalities);
    outln!("  replications   {} (seed {})", c.replications, c.seed);
    outln!(
        "  simulated      {} to {} ({} months, of which {} burn-in)",
        cal.start,
        cal.end,
        cal.months(),
        cal.months() - cal.report_months()
    );
    outln!("  reported       {} to {}", cal.report_start, cal.end);
    if let Some(a) = &c.adoption {
        let file = loaded.file.adoption.as_ref().expect("validated from the file's [adoption]");
        let target = toml::to_string(&file.target).unwrap_or_default().trim().replace('\n', ", ");
        let changes: Vec<&str> = file.changes.keys().map(String::as_str).collect();
        outln!(
            "  adoption       from {}, share {} of {} (changes {})",
            a.from,
            a.share,
            if target.is_empty() { "every municipality".to_string() } else { target },
            if changes.is_empty() { "nothing".to_string() } else { changes.join(", ") }
        );
    }
    outln!(
        "  work           {} municipality-months",
        u64::from(c.replications) * u64::from(c.population.municipalities) * cal.months() as u64
    );
    outln!("  sha256         {}", loaded.sha256);
    Ok(())
}
