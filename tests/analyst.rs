//! The analysts' workflow: scenario inheritance, `compare` (common random numbers, paired
//! intervals, survey power, report), and `sweep` with shards and `merge`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::AtomicBool;

use samspill::analysis::compare::{self, Entry, ScenarioResult};
use samspill::foundation::rng::{self, Process};
use samspill::scenario::{self, ScenarioError};
use samspill::sim::summary::HEADLINES;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("samspill-analyst-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_samspill"))
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn invalid(e: ScenarioError) -> String {
    match e {
        ScenarioError::Invalid { .. } => e.to_string(),
        other => panic!("expected a located problem, got {other}"),
    }
}

// ------------------------------------------------------------------------------ inheritance

#[test]
fn a_child_overrides_its_parent_key_by_key_and_replaces_distributions_whole() {
    let dir = scratch("inherit");
    std::fs::write(
        dir.join("parent.toml"),
        "name = \"parent\"\ntitle = \"Foreldrescenarioet\"\ndescription = \"the parent\"\nseed = 7\n[practices]\ndelegation_review = { annual = 0.2, per_term = 0.8 }\n[trust]\nbase = 2.0\nnoise_sd = 0.02\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("sub/child.toml"), "extends = \"../parent.toml\"\n[practices]\ndelegation_review = { never = 1.0 }\n[trust]\nbase = 1.0\n").unwrap();
    let loaded = scenario::load(&dir.join("sub/child.toml")).unwrap();
    assert_eq!(loaded.config.name, "child", "a name is never inherited");
    assert_eq!(loaded.config.description, "", "nor is a description");
    assert_eq!(loaded.config.title, None, "nor a title");
    let parent = scenario::load(&dir.join("parent.toml")).unwrap();
    assert_eq!(parent.config.title.as_deref(), Some("Foreldrescenarioet"));
    assert_eq!(loaded.config.seed, 7, "other keys are");
    assert_eq!(loaded.config.trust.base, 1.0, "the child's value wins");
    assert_eq!(loaded.config.trust.noise_sd, 0.02, "keys the child leaves alone keep the parent's value");
    assert_eq!(
        loaded.config.practices.delegation_review.shares(),
        &[0.0, 0.0, 0.0, 1.0],
        "a distribution is replaced whole, not merged"
    );
    assert_eq!(loaded.chain.len(), 2);
    // The resolved text reproduces the scenario on its own.
    let (_, alone) = scenario::parse_str(loaded.resolved_text.as_str(), "x").unwrap();
    assert_eq!(alone.trust, loaded.config.trust);
    assert_eq!(alone.practices.delegation_review, loaded.config.practices.delegation_review);
    assert_eq!(alone.name, "child");
}

#[test]
fn problems_are_reported_in_the_file_that_sets_the_field() {
    let dir = scratch("inherit-errors");
    std::fs::write(dir.join("parent.toml"), "seed = 1\n\n[friction]\ndistrust = 50\n").unwrap();
    std::fs::write(dir.join("child.toml"), "extends = \"parent.toml\"\n[trust]\nbase = 99\n").unwrap();
    let msg = invalid(scenario::load(&dir.join("child.toml")).unwrap_err());
    assert!(msg.contains("parent.toml:4:1: field `friction.distrust`"), "{msg}");
    assert!(msg.contains("child.toml:3:1: field `trust.base`"), "{msg}");
}

#[test]
fn cycles_and_missing_parents_are_clear_errors() {
    let dir = scratch("inherit-cycle");
    std::fs::write(dir.join("a.toml"), "extends = \"b.toml\"\n").unwrap();
    std::fs::write(dir.join("b.toml"), "extends = \"a.toml\"\n").unwrap();
    let msg = invalid(scenario::load(&dir.join("a.toml")).unwrap_err());
    assert!(msg.contains("cycle") && msg.contains("a.toml → ") && msg.contains("hint:"), "{msg}");
    std::fs::write(dir.join("c.toml"), "seed = 3\nextends = \"nowhere.toml\"\n").unwrap();
    let msg = invalid(scenario::load(&dir.join("c.toml")).unwrap_err());
    assert!(msg.contains("c.toml:2:1") && msg.contains("nowhere.toml") && msg.contains("hint:"), "{msg}");
    // Through the CLI: exit code 2, no panic.
    let o = bin().arg("check").arg(dir.join("a.toml")).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(!text(&o).contains("panicked"));
}

#[test]
fn check_resolved_prints_every_key_of_the_resolved_scenario() {
    let o = bin().args(["check", "--resolved"]).arg(data("reforms/fragmented.toml")).output().unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("extra_coalition_parties = 2"), "the child's value");
    assert!(out.contains("municipalities = 60"), "the parent's value");
    // The grandparent is the calibrated baseline: its value, whatever the calibration made it.
    let baseline =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/baseline.toml")).unwrap();
    let line = baseline.lines().find(|l| l.starts_with("parties_per_log_population = ")).unwrap();
    assert!(out.contains(line), "the grandparent's value: {line}");
    assert!(out.contains("[survey]"), "and every default");
}

// ------------------------------------------------------------------------------ compare

fn entry(name: &str, replications: u32) -> Entry {
    let mut loaded = scenario::load(&data(name)).unwrap();
    loaded.config.replications = replications;
    Entry {
        label: Path::new(name).file_stem().unwrap().to_string_lossy().into_owned(),
        config: loaded.config,
        draws: Vec::new(),
    }
}

/// `entry` under `n` draws of the project's posterior.
fn with_draws(name: &str, replications: u32, n: usize) -> Entry {
    let loaded = scenario::load(&data(name)).unwrap();
    let posterior = samspill::analysis::posterior::Posterior::bundled();
    // Spread evenly through the sample, as `compare --parameter-draws` takes them.
    let draws = (0..n)
        .map(|k| posterior.config(&loaded.file, &loaded.config.name, k * posterior.draws.len() / n).unwrap())
        .collect();
    Entry { draws, ..entry(name, replications) }
}

#[test]
fn parameter_draws_widen_the_interval_and_leave_the_estimate_and_simulation_interval_alone() {
    let plain = compare::compare(
        &entry("national-small.toml", 64),
        &[entry("reforms/fragmented.toml", 64)],
        2,
        &|_| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    let drawn = compare::compare(
        &with_draws("national-small.toml", 64, 64),
        &[with_draws("reforms/fragmented.toml", 64, 64)],
        2,
        &|_| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    for (p, d) in plain.outcomes.iter().zip(&drawn.outcomes) {
        // The point estimate and its simulation interval come from the same runs as without draws.
        assert_eq!(
            (p.effect.difference, p.effect.ci95_simulation),
            (d.effect.difference, d.effect.ci95_simulation),
            "{}",
            p.outcome
        );
        assert_eq!(
            p.effect.ci95, p.effect.ci95_simulation,
            "without draws the total interval is the simulation one"
        );
        assert!(
            d.effect.ci95[0] <= d.effect.ci95_simulation[0]
                && d.effect.ci95[1] >= d.effect.ci95_simulation[1],
            "{} {:?} {:?}",
            d.outcome,
            d.effect.ci95,
            d.effect.ci95_simulation
        );
    }
    // With one draw per replication the parameters' share of the variance is estimated from 64
    // paired differences; two more parties behind every mayor moves cooperation by much more
    // under some draws than under others, which that many pairs detect.
    let coop = drawn.outcomes.iter().find(|o| o.outcome == "cooperation_mean").unwrap();
    assert!(
        coop.effect.ci95[1] - coop.effect.ci95[0]
            > coop.effect.ci95_simulation[1] - coop.effect.ci95_simulation[0]
    );
}

#[test]
fn a_scenario_compared_with_itself_differs_by_exactly_zero() {
    let base = entry("national-small.toml", 3);
    let c =
        compare::compare(&base, std::slice::from_ref(&base), 2, &|_| {}, &AtomicBool::new(false)).unwrap();
    assert_eq!(c.outcomes.len(), HEADLINES.len());
    for o in &c.outcomes {
        assert_eq!((o.effect.difference, o.effect.ci95), (0.0, [0.0, 0.0]), "{}", o.outcome);
        assert_eq!(o.effect.base, o.effect.reform);
    }
}

#[test]
fn common_random_numbers_make_the_reform_the_only_difference() {
    // A reform of the survey instrument alone changes no history: every outcome of the run is
    // identical, replication by replication, though its configuration differs.
    let base = entry("national-small.toml", 2);
    let mut reform = base.clone();
    reform.label = "noisier-survey".into();
    reform.config.survey.item_noise_sd *= 2.0;
    let c = compare::compare(&base, &[reform], 1, &|_| {}, &AtomicBool::new(false)).unwrap();
    assert!(c.outcomes.iter().all(|o| o.effect.difference == 0.0));
    assert_eq!(c.base.tally, c.reforms[0].tally);
}

#[test]
fn fragmentation_lowers_cooperation_in_a_comparison() {
    let base = entry("national-small.toml", 6);
    let reform = entry("reforms/fragmented.toml", 6);
    let c = compare::compare(&base, &[reform], 0, &|_| {}, &AtomicBool::new(false)).unwrap();
    let row = c.outcomes.iter().find(|o| o.outcome == "cooperation_mean").unwrap();
    assert!(row.effect.ci95[1] < 0.0, "two more parties should lower cooperation: {row:?}");
    assert!(row.effect.ci95[0] <= row.effect.difference && row.effect.difference <= row.effect.ci95[1]);
    let p = &c.power[0];
    assert_eq!(p.surveys, 6);
    assert!((0.0..=1.0).contains(&p.power) && p.ci95[0] <= p.power && p.power <= p.ci95[1]);
}

/// A synthetic scenario result whose replications have the given headline values.
fn synthetic(label: &str, values: &[f64]) -> ScenarioResult {
    ScenarioResult {
        label: label.into(),
        title: None,
        description: String::new(),
        headlines: values.iter().map(|v| vec![*v; HEADLINES.len()]).collect(),
        headlines_drawn: Vec::new(),
        tally: ndarray::Array2::zeros((1, 1)),
        tallies: Vec::new(),
        tallies_drawn: Vec::new(),
        adopted_from: None,
        first_year: 2012,
        surveys: Vec::new(),
    }
}

/// The paired 95 % interval covers a known difference in 95 % of trials. With 4000 trials the
/// coverage's standard error is √(0.95·0.05/4000) = 0.0034; the bound is four of them.
#[test]
fn paired_intervals_cover_a_known_difference_95_percent_of_the_time() {
    let truth = 0.3;
    let trials = 4000;
    let mut covered = 0;
    let mut rng = rng::stream(42, 0, 0, Process::Events);
    for _ in 0..trials {
        // Replications share a large common component (what common random numbers give),
        // and the reform adds the true effect plus its own noise.
        let n = 6;
        let common: Vec<f64> = (0..n).map(|_| 5.0 * rng::normal(&mut rng)).collect();
        let base: Vec<f64> = common.iter().map(|c| c + 0.2 * rng::normal(&mut rng)).collect();
        let reform: Vec<f64> = common.iter().map(|c| c + truth + 0.2 * rng::normal(&mut rng)).collect();
        let rows = compare::paired_outcomes(&synthetic("b", &base), &synthetic("r", &reform));
        let [lo, hi] = rows[0].effect.ci95;
        covered += usize::from(lo <= truth && truth <= hi);
    }
    let coverage = covered as f64 / trials as f64;
    let se = (0.95f64 * 0.05 / trials as f64).sqrt();
    assert!((coverage - 0.95).abs() < 4.0 * se, "coverage {coverage}");
}

#[test]
fn wilson_intervals_behave_at_the_edges() {
    assert_eq!(samspill::stats::wilson(0, 0), [0.0, 1.0]);
    let [lo, hi] = samspill::stats::wilson(0, 20);
    assert_eq!(lo, 0.0);
    assert!(hi > 0.1 && hi < 0.2, "{hi}");
    let [lo, hi] = samspill::stats::wilson(10, 20);
    assert!((lo - 0.2993).abs() < 1e-3 && (hi - 0.7007).abs() < 1e-3, "{lo} {hi}");
}

#[test]
fn compare_writes_its_tables_and_an_offline_report_with_charts_in_either_language() {
    let dir = scratch("compare");
    for (lang, word) in [("nb", "Samarbeidskvalitet"), ("en", "Cooperation quality")] {
        let out = dir.join(lang);
        let o = bin()
            .arg("compare")
            .arg(data("national-small.toml"))
            .arg(data("reforms/fragmented.toml"))
            .arg("--out")
            .arg(&out)
            .args(["--replications", "2", "--seed", "4", "--quiet", "--lang", lang])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", text(&o));
        let j: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("comparison.json")).unwrap()).unwrap();
        let rows = j["outcomes"].as_array().unwrap();
        for key in ["scenario", "outcome", "base", "reform", "difference", "ci95"] {
            assert!(rows[0].get(key).is_some(), "outcome rows have {key}");
        }
        assert_eq!(rows[0]["scenario"], "fragmented");
        assert_eq!(j["survey_power"][0]["scenario"], "fragmented");
        let csv = std::fs::read_to_string(out.join("comparison.csv")).unwrap();
        // The whole period's effects, then year by year and by subgroup (long form).
        let period_rows = csv.lines().filter(|l| l.contains(",all,")).count();
        assert!(period_rows >= HEADLINES.len(), "{period_rows} rows for the whole period and the years");
        assert!(csv.starts_with("scenario,outcome,period,group,"), "{}", csv.lines().next().unwrap());
        assert!(csv.lines().any(|l| l.contains(",under_5000,")), "subgroup rows");
        assert!(
            !j["transition"].as_array().unwrap().is_empty() && !j["subgroups"].as_array().unwrap().is_empty()
        );
        let html = std::fs::read_to_string(out.join("report.html")).unwrap();
        assert!(html.contains(word), "{lang} labels");
        assert!(
            html.contains("<h1>") && html.contains("To partier mer bak hver ordfører"),
            "the reform's title"
        );
        assert!(html.contains("fragmented.toml"), "with the file beside its title");
        assert!(
            html.contains("id=\"sammendrag\"") && html.contains("id=\"oversikt\""),
            "summary and overview"
        );
        // The workbook: numbers stored as numbers, one sheet per table.
        let book = std::fs::read(out.join("comparison.xlsx")).unwrap();
        assert_eq!(&book[..2], b"PK", "comparison.xlsx is a zip archive");
        assert!(
            html.matches("<svg").count() >= 5,
            "effects, cooperation, exits per scenario and tenure are drawn"
        );
        assert!(!html.contains("<script"), "the report needs no scripts");
        assert!(
            !html.contains("src=\"http") && !html.contains("href=\"http"),
            "nothing is loaded from the internet"
        );
        for entry in std::fs::read_dir(out.join("plots")).unwrap() {
            let svg = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        }
        let m: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
        assert_eq!(m["seed"], 4);
        assert_eq!(m["reforms"][0]["extends"].as_array().unwrap().len(), 2);
        assert!(out.join("scenarios/fragmented.toml").is_file());
    }
    // The folder is not overwritten without --force.
    let o = bin()
        .arg("compare")
        .arg(data("national-small.toml"))
        .arg(data("national-small.toml"))
        .arg("--out")
        .arg(dir.join("nb"))
        .arg("--quiet")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("--force"));
}

// ------------------------------------------------------------------------------ sweeps

fn sweep(spec: &str, out: &Path, extra: &[&str]) {
    let o =
        bin().arg("sweep").arg(data(spec)).arg("--out").arg(out).arg("--quiet").args(extra).output().unwrap();
    assert!(o.status.success(), "{}", text(&o));
}

#[test]
fn sharded_sweeps_merge_into_exactly_the_unsharded_sweep() {
    let dir = scratch("sweep");
    sweep("sweeps/small.toml", &dir.join("full"), &[]);
    for k in 1..=3 {
        sweep("sweeps/small.toml", &dir.join(format!("s{k}")), &["--shard", &format!("{k}/3")]);
    }
    let o = bin()
        .arg("merge")
        .args([dir.join("s3"), dir.join("s1"), dir.join("s2")])
        .arg("--out")
        .arg(dir.join("merged"))
        .arg("--quiet")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let full = std::fs::read(dir.join("full/sweep.csv")).unwrap();
    assert_eq!(full, std::fs::read(dir.join("merged/sweep.csv")).unwrap());
    let csv = String::from_utf8(full).unwrap();
    assert_eq!(csv.lines().count(), 1 + 6, "a 3 × 2 grid");
    assert!(csv.starts_with(
        "point,politics.fixed_coalition_parties,climate.training_effect,replications,cooperation_mean,"
    ));
    // One chart per key outcome and parameter, the same after merging.
    let svgs: Vec<_> = std::fs::read_dir(dir.join("full"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "svg"))
        .collect();
    assert_eq!(svgs.len(), 2 * samspill::output::labels::KEY_OUTCOMES.len());
    for e in svgs {
        assert_eq!(
            std::fs::read(e.path()).unwrap(),
            std::fs::read(dir.join("merged").join(e.file_name())).unwrap()
        );
    }
    // A missing shard is an error that says which points are missing.
    let o = bin()
        .arg("merge")
        .args([dir.join("s1"), dir.join("s2")])
        .arg("--out")
        .arg(dir.join("partial"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("missing: 3, 6"), "{}", text(&o));
}

#[test]
fn a_fixed_governing_base_lowers_cooperation_along_the_sweep() {
    let dir = scratch("sweep-direction");
    sweep("sweeps/small.toml", &dir.join("out"), &[]);
    let (header, rows) =
        samspill::output::charts::parse_csv(&std::fs::read_to_string(dir.join("out/sweep.csv")).unwrap());
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let (parties, training, coop) =
        (col("politics.fixed_coalition_parties"), col("climate.training_effect"), col("cooperation_mean"));
    for t in [0.0, 0.3] {
        let curve: Vec<f64> = rows.iter().filter(|r| r[training] == t).map(|r| r[coop]).collect();
        let xs: Vec<f64> = rows.iter().filter(|r| r[training] == t).map(|r| r[parties]).collect();
        assert_eq!(xs, [1.0, 3.0, 5.0]);
        assert!(
            curve[0] > curve[1] && curve[1] > curve[2],
            "cooperation falls with the parties behind the mayor: {curve:?}"
        );
    }
}

#[test]
fn latin_hypercube_points_fill_every_stratum_of_every_parameter() {
    let dir = scratch("lhs");
    sweep("sweeps/lhs.toml", &dir.join("out"), &[]);
    let (header, rows) =
        samspill::output::charts::parse_csv(&std::fs::read_to_string(dir.join("out/sweep.csv")).unwrap());
    let j = header.iter().position(|h| h == "trust.recovery_per_month").unwrap();
    let mut strata: Vec<usize> = rows.iter().map(|r| ((r[j] - 0.01) / 0.07 * 5.0) as usize).collect();
    strata.sort_unstable();
    assert_eq!(strata, [0, 1, 2, 3, 4]);
    let k = header.iter().position(|h| h == "politics.fixed_coalition_parties").unwrap();
    assert!(
        rows.iter().all(|r| r[k].fract() == 0.0 && (1.0..=7.0).contains(&r[k])),
        "an integer parameter takes whole values"
    );
}

#[test]
fn bad_sweeps_are_clear_errors() {
    let dir = scratch("sweep-bad");
    let write = |name: &str, body: &str| {
        let p = dir.join(name);
        std::fs::write(&p, format!("scenario = \"{}\"\n{body}", data("national-small.toml").display()))
            .unwrap();
        p
    };
    let cases = [
        (
            write(
                "unknown.toml",
                "replications = 2\n[[parameter]]\nname = \"trust.nothing\"\nvalues = [1]\n",
            ),
            "not a numeric scenario key",
        ),
        (
            write("range.toml", "replications = 2\n[[parameter]]\nname = \"trust.base\"\nvalues = [1, 99]\n"),
            "trust.base",
        ),
        (
            write(
                "typo.toml",
                "replications = 2\ndesing = \"grid\"\n[[parameter]]\nname = \"trust.base\"\nvalues = [1]\n",
            ),
            "desing",
        ),
        (
            write(
                "lhs.toml",
                "replications = 2\ndesign = \"latin_hypercube\"\npoints = 4\n[[parameter]]\nname = \"trust.base\"\nvalues = [1]\n",
            ),
            "min",
        ),
    ];
    for (path, needle) in cases {
        let o = bin().arg("sweep").arg(&path).arg("--out").arg(dir.join("x")).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{}", text(&o));
        assert!(text(&o).contains(needle) && text(&o).contains("hint:"), "{}", text(&o));
        assert!(!text(&o).contains("panicked"));
    }
    let o = bin().arg("sweep").arg(data("sweeps/small.toml")).args(["--shard", "4/3"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_scenario_that_extends_nothing_is_warned_that_it_runs_uncalibrated_defaults() {
    let o = bin().args(["check"]).arg(data("small.toml")).output().unwrap();
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("warning:") && err.contains("not calibrated") && err.contains("[friction]"),
        "{err}"
    );
    assert!(err.contains("hint: start it with extends"), "{err}");
    for complete in ["scenarios/baseline.toml", "scenarios/reforms/informal-contact.toml"] {
        let o = bin().args(["check", complete]).output().unwrap();
        assert!(!String::from_utf8_lossy(&o.stderr).contains("warning"), "{complete} is calibrated");
    }
}
