//! CLI tests on small scenarios: outputs, manifests, overwrite protection, and every class of
//! bad input (exit code 2, a located message with a hint, never a panic).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_samspill"))
}

fn small() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/small.toml")
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("samspill-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn run_writes_every_output_and_a_complete_manifest() {
    let dir = scratch("run");
    let out = dir.join("res");
    let o = bin()
        .args(["run"])
        .arg(small())
        .arg("--out")
        .arg(&out)
        .args(["--seed", "5", "--quiet"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert!(o.stdout.is_empty(), "--quiet prints nothing");
    for f in ["manifest.json", "summary.json", "yearly.csv", "municipalities.csv", "scenario.toml"] {
        assert!(out.join(f).is_file(), "no {f}");
    }
    let m = json(&out.join("manifest.json"));
    assert_eq!(m["seed"], 5);
    assert_eq!(m["replications"], 3);
    assert_eq!(m["municipalities"], 40);
    assert_eq!(m["municipality_months"], 3 * 40 * (40 * 12));
    assert_eq!(m["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(m["scenario_sha256"].as_str().unwrap().len(), 64);
    assert!(m["elapsed_seconds"].as_f64().unwrap() > 0.0);
    let s = json(&out.join("summary.json"));
    let coop = &s["cooperation_mean"];
    let (mean, lo, hi) = (
        coop["mean"].as_f64().unwrap(),
        coop["ci95"][0].as_f64().unwrap(),
        coop["ci95"][1].as_f64().unwrap(),
    );
    assert!(lo <= mean && mean <= hi && (1.0..=5.0).contains(&mean));
    assert!(s["exits_by_reason"]["dismissal_or_negotiated_exit"]["mean"].is_number());
    let yearly = std::fs::read_to_string(out.join("yearly.csv")).unwrap();
    assert_eq!(yearly.lines().count(), 1 + 3 * 8, "a header and 8 years × 3 replications");
    let munis = std::fs::read_to_string(out.join("municipalities.csv")).unwrap();
    assert_eq!(munis.lines().count(), 1 + 3 * 40);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "no staging folder left beside the results");
}

#[test]
fn default_folder_is_results_slash_name_and_is_never_overwritten_without_force() {
    let dir = scratch("default");
    let run = || bin().current_dir(&dir).args(["run"]).arg(small()).arg("--quiet").output().unwrap();
    let o = run();
    assert!(o.status.success(), "{}", text(&o));
    let summary = dir.join("results/small/summary.json");
    let before = std::fs::read(&summary).unwrap();
    let o = run();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("--force"));
    assert_eq!(std::fs::read(&summary).unwrap(), before);
    let o = bin()
        .current_dir(&dir)
        .args(["run"])
        .arg(small())
        .args(["--quiet", "--force", "--seed", "3"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert_ne!(std::fs::read(&summary).unwrap(), before);
    assert_eq!(
        std::fs::read_dir(dir.join("results")).unwrap().count(),
        1,
        "nothing left beside the results folder"
    );
}

#[test]
fn output_is_identical_across_thread_counts() {
    let dir = scratch("threads");
    for t in ["1", "2"] {
        let o = bin()
            .args(["run"])
            .arg(small())
            .arg("--out")
            .arg(dir.join(t))
            .args(["--threads", t, "--quiet"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", text(&o));
    }
    for f in ["summary.json", "yearly.csv", "municipalities.csv"] {
        assert_eq!(
            std::fs::read(dir.join("1").join(f)).unwrap(),
            std::fs::read(dir.join("2").join(f)).unwrap(),
            "{f} differs"
        );
    }
}

/// Writes a scenario, checks it, and returns the output, which must be a clean exit 2.
fn bad(name: &str, toml: &str) -> String {
    let dir = scratch(&format!("bad-{name}"));
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, toml).unwrap();
    let o = bin().arg("check").arg(&path).output().unwrap();
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{name}: {t}");
    assert!(!t.contains("panicked"), "{name}: {t}");
    assert!(t.contains(&format!("{name}.toml")), "{name}: the message names the file: {t}");
    // A failed run leaves no results folder behind.
    let out = dir.join("out");
    let o = bin().arg("run").arg(&path).arg("--out").arg(&out).arg("--quiet").output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(!out.exists());
    t
}

#[test]
fn unknown_keys_name_line_column_and_a_suggestion() {
    let t = bad("unknown", "seed = 1\n[exits]\nearly_pension_agee = 64\n");
    assert!(t.contains("unknown.toml:3:1"), "{t}");
    assert!(t.contains("early_pension_agee") && t.contains("did you mean `early_pension_age`"), "{t}");
}

#[test]
fn wrong_types_are_errors() {
    let t = bad("types", "replications = \"many\"\n");
    assert!(t.contains(":1:") && t.contains("invalid type"), "{t}");
}

#[test]
fn out_of_range_values_are_errors() {
    let t = bad("range", "[trust]\nrecovery_per_month = 2.0\n");
    assert!(
        t.contains("range.toml:2:1") && t.contains("trust.recovery_per_month") && t.contains("from 0 to 1"),
        "{t}"
    );
}

#[test]
fn shares_that_do_not_sum_to_one_are_errors() {
    let t = bad("shares", "[practices]\ninformal_contact = { daily = 0.5, weekly = 0.2 }\n");
    assert!(t.contains("shares.toml:2:1") && t.contains("sum to 0.7"), "{t}");
}

#[test]
fn malformed_months_and_calendar_order_are_errors() {
    let t = bad("month", "[calendar]\nend = \"2023/12\"\n");
    assert!(t.contains("month.toml:2:1") && t.contains("YYYY-MM"), "{t}");
    // The problem lies between start and report_start; the file sets only start: it is blamed.
    let t = bad("order", "[calendar]\nstart = \"2013-01\"\n");
    assert!(t.contains("order.toml:2:1") && t.contains("calendar.start") && t.contains("2013-01"), "{t}");
}

#[test]
fn syntax_errors_are_located() {
    let t = bad("syntax", "seed = 1\nreplications = [\n");
    assert!(t.contains("syntax.toml:") && t.contains("not valid TOML"), "{t}");
}

#[test]
fn a_missing_file_is_an_input_error() {
    let o = bin().args(["run", "no-such-scenario.toml", "--quiet"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("no-such-scenario.toml"));
}

/// The flags that set scenario keys meet the keys' checks, before anything runs, in every
/// command that takes them; the message names the key and the flag.
#[test]
fn flags_that_set_scenario_keys_meet_the_keys_ranges() {
    let dir = scratch("flag-range");
    for command in ["run", "survey", "fit", "compare"] {
        let mut c = bin();
        c.arg(command).arg(small());
        if command == "compare" {
            c.arg(small());
        }
        if command != "fit" {
            c.arg("--out").arg(dir.join(command));
        }
        let o = c.args(["--replications", "2000000", "--quiet"]).output().unwrap();
        let t = text(&o);
        assert_eq!(o.status.code(), Some(2), "{command}: {t}");
        assert!(
            t.contains("replications") && t.contains("--replications") && t.contains("1000000"),
            "{command}: {t}"
        );
        assert!(!dir.join(command).exists(), "{command} wrote nothing");
    }
}

#[test]
fn bad_arguments_exit_2() {
    let o = bin().arg("run").arg(small()).args(["--replications", "0"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let o = bin().arg("frobnicate").output().unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn check_reports_the_scenario_and_explain_lists_every_group() {
    let o = bin().arg("check").arg(small()).output().unwrap();
    assert!(o.status.success());
    let t = text(&o);
    assert!(t.contains("OK") && t.contains("municipalities 40"), "{t}");
    let o = bin().args(["check", "--explain"]).output().unwrap();
    assert!(o.status.success());
    let t = text(&o);
    for group in [
        "[calendar]",
        "[practices]",
        "[politics]",
        "[climate]",
        "[friction]",
        "[trust]",
        "[exits]",
        "[recruitment]",
    ] {
        assert!(t.contains(group), "--explain lacks {group}");
    }
}

#[test]
fn the_shipped_scenarios_are_valid() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tomls = |dir: &str| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        v.sort();
        v
    };
    for dir in ["scenarios", "scenarios/reforms", "tests/data", "tests/data/reforms"] {
        for p in tomls(dir) {
            let o = bin().arg("check").arg(&p).output().unwrap();
            assert!(o.status.success(), "{}: {}", p.display(), text(&o));
        }
    }
    // Sweep files are checked by laying out their points (each point's scenario validates).
    for dir in ["scenarios/sweeps", "tests/data/sweeps"] {
        for p in tomls(dir) {
            samspill::analysis::sweep::Sweep::load(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        }
    }
}

/// Every reform in the library says what it is, where it comes from and how it acts, and
/// extends a base scenario.
#[test]
fn the_reform_library_is_documented() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/reforms");
    let mut n = 0;
    for entry in std::fs::read_dir(root).unwrap() {
        let p = entry.unwrap().path();
        let t = std::fs::read_to_string(&p).unwrap();
        for needle in ["# Reform", "# What:", "# Source:", "# Mechanism:", "extends = ", "description = "] {
            assert!(
                t.contains(needle) || (needle == "# Reform" && t.starts_with("# Scenario")),
                "{} lacks `{needle}`",
                p.display()
            );
        }
        n += 1;
    }
    assert!(n >= 8, "the eight reforms of the issue, at least");
}

/// The baseline is the file analysts read and copy: it must spell out every key.
#[test]
fn the_baseline_lists_every_key() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.toml");
    let baseline: toml::Table = std::fs::read_to_string(path).unwrap().parse().unwrap();
    let defaults = toml::Table::try_from(samspill::scenario::ScenarioFile::default()).unwrap();
    fn walk(defaults: &toml::Table, file: &toml::Table, prefix: &str) {
        for (k, v) in defaults {
            let got = file.get(k).unwrap_or_else(|| panic!("baseline.toml lacks {prefix}{k}"));
            if let (toml::Value::Table(d), toml::Value::Table(f)) = (v, got)
                && !samspill::scenario::SHARE_TABLES.contains(&prefix.trim_end_matches('.'))
            {
                walk(d, f, &format!("{prefix}{k}."));
            }
        }
    }
    walk(&defaults, &baseline, "");
}

fn baseline() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.toml")
}

#[test]
fn survey_writes_respondents_regressions_and_a_manifest_and_keeps_existing_results() {
    let d = scratch("survey");
    let out = d.join("s");
    let o = bin()
        .args(["survey"])
        .arg(baseline())
        .args(["--replications", "1", "--seed", "5", "--quiet", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    for f in [
        "directors.csv",
        "mayors.csv",
        "regression_cooperation.csv",
        "regression_quit_plans.csv",
        "regressions.json",
        "manifest.json",
        "scenario.toml",
    ] {
        assert!(out.join(f).exists(), "{f} missing");
    }
    let reg = std::fs::read_to_string(out.join("regression_cooperation.csv")).unwrap();
    assert!(reg.starts_with("name,beta,se,t,p\n"));
    assert_eq!(reg.lines().count(), 32, "31 predictors and a header");
    assert_eq!(json(&out.join("regressions.json"))["cooperation"]["blocks"].as_array().unwrap().len(), 6);
    let o = bin().args(["survey"]).arg(baseline()).args(["--quiet", "--out"]).arg(&out).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

#[test]
fn a_survey_after_the_scenarios_end_is_a_clear_input_error() {
    let d = scratch("survey-late");
    let o = bin().args(["survey"]).arg(small()).arg("--out").arg(d.join("x")).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("survey.months_after_election") && text(&o).contains("hint"), "{}", text(&o));
    assert!(!d.join("x").exists());
}

#[test]
fn fit_writes_every_moment_and_rejects_a_missing_targets_file() {
    let d = scratch("fit");
    let path = d.join("fit.json");
    let o = bin()
        .args(["fit"])
        .arg(baseline())
        .args(["--replications", "2", "--quiet", "--json"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let v = json(&path);
    assert_eq!(v["replications"], 2);
    let moments = v["moments"].as_array().unwrap();
    assert!(moments.len() > 80);
    for key in ["id", "reported", "simulated", "se", "z"] {
        assert!(moments[0].get(key).is_some(), "moment lacks {key}");
    }
    let o = bin()
        .args(["fit"])
        .arg(baseline())
        .args(["--replications", "2", "--targets"])
        .arg(d.join("nope.toml"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

/// CMA-ES's generations are evaluated in parallel, yet the calibrated scenario and its fit
/// report are the same for one thread and two (the search draws from the calibration seed; the
/// budget is kept in whole generations; ties go to the smaller parameter values).
#[test]
fn calibrate_gives_the_same_scenario_for_one_and_two_threads() {
    let d = scratch("calibrate-threads");
    let run = |threads: &str| {
        let out = d.join(format!("fitted-{threads}.toml"));
        let o = bin()
            .args(["calibrate"])
            .arg(baseline())
            .args(["--budget", "30", "--replications", "2", "--blocks", "2", "--fit-replications", "2"])
            .args(["--anchor-rounds", "1", "--quiet", "--threads", threads, "--out"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", text(&o));
        let scenario = std::fs::read_to_string(&out).unwrap();
        // The header's timing and thread count differ, nothing else.
        let body: Vec<String> =
            scenario.lines().filter(|l| !l.starts_with("# calibration: ")).map(String::from).collect();
        let header = scenario.lines().take(3).collect::<Vec<_>>().join("\n");
        assert!(header.contains("CMA-ES") && header.contains("generations"), "{header}");
        (body, std::fs::read(d.join(format!("fitted-{threads}.fit.json"))).unwrap())
    };
    let (one, two) = (run("1"), run("2"));
    assert!(one.0 == two.0, "the calibrated scenarios differ between 1 and 2 threads");
    assert!(one.1 == two.1, "the fit reports differ between 1 and 2 threads");
}

#[test]
fn calibrate_writes_a_valid_scenario_and_its_fit_report() {
    let d = scratch("calibrate");
    let out = d.join("fitted.toml");
    let o = bin()
        .args(["calibrate"])
        .arg(baseline())
        .args([
            "--budget",
            "3",
            "--replications",
            "2",
            "--fit-replications",
            "2",
            "--anchor-rounds",
            "1",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert!(d.join("fitted.fit.json").exists() && d.join("fitted.fit.txt").exists());
    let text_out = std::fs::read_to_string(&out).unwrap();
    assert!(text_out.starts_with("# calibration: "));
    let o = bin().args(["check"]).arg(&out).output().unwrap();
    assert!(o.status.success(), "{}", text(&o));
    // An existing output is kept without --force.
    let o = bin()
        .args(["calibrate"])
        .arg(baseline())
        .args(["--budget", "1", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}
