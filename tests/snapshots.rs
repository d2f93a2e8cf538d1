//! Snapshot tests of every file samspill exports (insta): the run's `summary.json`,
//! `yearly.csv`, `municipalities.csv`, `manifest.json` (volatile fields redacted) and HTML
//! report, the survey's regressions, the comparison's JSON, CSV, HTML report and workbook's
//! sheets, and a sweep's CSV and workbook's sheets (the `.xlsx` bytes themselves carry a
//! creation time; their sheets are what they hold). The
//! snapshots live in `tests/snapshots/`; a change to any exported byte shows up as a diff to
//! review (`cargo insta review`, or compare the `.snap.new` file), and a refactoring that
//! changes nothing passes untouched.
//!
//! Every input is a small scenario with a fixed seed, so the files are the same on every run.

mod common;

use std::path::Path;
use std::sync::atomic::AtomicBool;

use common::run_all;
use samspill::analysis::{compare, sweep};
use samspill::output::labels::Lang;
use samspill::output::{Manifest, ScenarioRecord, Work, charts, export, report, workbook};
use samspill::scenario::{self, Loaded, Overrides};
use samspill::sim::summary::SummaryBuilder;
use samspill::survey;

fn load(path: &str, overrides: Overrides) -> Loaded {
    scenario::load_with(Path::new(path), &overrides).unwrap_or_else(|e| panic!("{e}"))
}

/// Two replications of the 40-municipality test scenario.
fn small() -> Loaded {
    load("tests/data/small.toml", Overrides { seed: Some(5), replications: Some(2) })
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).expect("exports are UTF-8")
}

#[test]
fn run_exports() {
    let loaded = small();
    let config = &loaded.config;
    let reps = run_all(config, 2);
    let mut summary = SummaryBuilder::default();
    let mut yearly = text(export::yearly_header().unwrap());
    for rep in &reps {
        summary.add(&rep.tally);
        yearly.push_str(&text(export::yearly_csv(rep, &config.calendar).unwrap()));
    }
    let finished = summary.finish();
    let tallies: Vec<_> = reps.iter().map(|r| r.tally.clone()).collect();
    let figures = charts::run_figures(&tallies, config.calendar.report_start.year(), Lang::Nb).unwrap();
    let html = report::run_html(
        &report::RunReport {
            title: "small",
            description: &config.description,
            file: "tests/data/small.toml",
            seed: config.seed,
            report_start: config.calendar.report_start.to_string(),
            report_end: config.calendar.end.to_string(),
            tallies: &tallies,
            headlines: &finished.headlines,
        },
        &figures,
        Lang::Nb,
        "0.0.0-test",
    );
    insta::assert_snapshot!("run_report.html", html);
    let summary = export::json(&export::summary_json(config, &finished)).unwrap();
    insta::assert_snapshot!("summary.json", summary);
    insta::assert_snapshot!("yearly.csv", yearly);
    let municipalities = text(export::municipalities_csv(&reps[0].municipalities, true).unwrap());
    insta::assert_snapshot!("municipalities.csv", municipalities);

    let work = Work { threads: 2, municipality_months: 1234, elapsed_seconds: 1.5 };
    let manifest = Manifest::run(&loaded, config, work, vec!["samspill".into(), "run".into()]);
    insta::assert_json_snapshot!("manifest.json", manifest, {
        ".threads" => "[threads]",
        ".elapsed_seconds" => "[seconds]",
        ".municipality_months_per_second" => "[rate]",
        ".command" => "[command]",
    });
}

#[test]
fn survey_exports() {
    let loaded = load("scenarios/baseline.toml", Overrides { seed: Some(3), replications: Some(1) });
    let surveys = survey::run_survey(&loaded.config, 0..1, 1, &|_| {}, &AtomicBool::new(false)).unwrap();
    let directors = &surveys[0].directors;
    let regressions = survey::regressions(directors).unwrap();
    insta::assert_snapshot!("regression_cooperation.csv", export::regression_csv(&regressions.cooperation));
    let json = export::regressions_json(&regressions, directors.rows.len(), surveys[0].mayors.rows.len());
    insta::assert_snapshot!("regressions.json", export::json(&json).unwrap());
    let head: Vec<u8> = export::survey_table_csv(directors).unwrap();
    let first_rows: String = text(head).lines().take(4).map(|l| format!("{l}\n")).collect();
    insta::assert_snapshot!("directors_head.csv", first_rows);
}

#[test]
fn comparison_exports() {
    let base = load("tests/data/national-small.toml", Overrides { seed: Some(4), replications: Some(2) });
    let reform = load("tests/data/reforms/fragmented.toml", Overrides::default());
    let entry = |label: &str, l: &Loaded| compare::Entry {
        label: label.into(),
        config: l.config.clone(),
        draws: Vec::new(),
    };
    let c = compare::compare(
        &entry("national-small", &base),
        &[entry("fragmented", &reform)],
        2,
        &|_| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    insta::assert_snapshot!("comparison.json", export::json(&export::comparison_json(&c)).unwrap());
    insta::assert_snapshot!("comparison.csv", export::comparison_csv(&c));
    let figures = charts::comparison_figures(&c, Lang::Nb).unwrap();
    insta::assert_snapshot!("report.html", report::comparison_html(&c, &figures, Lang::Nb, "0.0.0-test"));
    insta::assert_debug_snapshot!("comparison_sheets", workbook::comparison_sheets(&c, Lang::Nb));

    let manifest = Manifest::compare(
        ScenarioRecord::new("national-small", &base),
        vec![ScenarioRecord::new("fragmented", &reform)],
        c.seed,
        c.replications,
        Work { threads: 2, municipality_months: c.stats.municipality_months, elapsed_seconds: 1.0 },
        "nb",
        vec!["samspill".into()],
    );
    insta::assert_json_snapshot!("comparison_manifest.json", manifest, {
        ".threads" => "[threads]",
        ".elapsed_seconds" => "[seconds]",
        ".municipality_months_per_second" => "[rate]",
        ".command" => "[command]",
    });
}

#[test]
fn sweep_exports() {
    let spec = sweep::Sweep::load(Path::new("tests/data/sweeps/small.toml")).unwrap();
    let mut csv = format!("{}\n", export::sweep_header(&spec.parameters));
    for i in 0..spec.points.len() {
        let point = spec.run_point(i, 2, &|_| {}, &AtomicBool::new(false)).unwrap();
        csv.push_str(&export::sweep_line(&point));
        csv.push('\n');
    }
    insta::assert_snapshot!("sweep.csv", csv);
    let svgs = charts::sweep_charts(&csv, &spec.parameters, Lang::En).unwrap();
    let names: Vec<&str> = svgs.iter().map(|(name, _)| name.as_str()).collect();
    insta::assert_snapshot!("sweep_charts", names.join("\n"));
    insta::assert_debug_snapshot!("sweep_sheets", workbook::sweep_sheets(&csv, Lang::Nb));
}
