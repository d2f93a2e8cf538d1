//! Regression tests of the reliability audit (issue 13): one test per defect it found, named by
//! what must hold. Each runs the binary as a user would; the server's tests are in `teaching.rs`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use sha2::Digest;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_samspill"))
}

fn project(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("samspill-reliability-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Exit 2 with a message, never a panic.
fn refused(o: &Output) {
    assert_eq!(o.status.code(), Some(2), "{}", text(o));
    assert!(!text(o).contains("panicked"), "{}", text(o));
    assert!(text(o).contains("error:"), "{}", text(o));
}

#[test]
fn a_survey_without_respondents_is_refused_with_a_hint_not_a_panic() {
    let dir = scratch("noresp");
    let scenario = dir.join("noresp.toml");
    std::fs::write(
        &scenario,
        format!(
            "extends = {:?}\nname = \"noresp\"\n[survey]\ndirector_response_rate = 0.0\n",
            project("tests/data/national-small.toml")
        ),
    )
    .unwrap();
    let reform = project("tests/data/reforms/fragmented.toml");
    let out = dir.join("out");
    let commands: [Vec<&std::ffi::OsStr>; 3] = [
        vec![
            "survey".as_ref(),
            scenario.as_ref(),
            "--replications".as_ref(),
            "1".as_ref(),
            "--out".as_ref(),
            out.as_ref(),
        ],
        vec!["fit".as_ref(), scenario.as_ref(), "--replications".as_ref(), "2".as_ref()],
        vec![
            "compare".as_ref(),
            scenario.as_ref(),
            reform.as_ref(),
            "--replications".as_ref(),
            "2".as_ref(),
            "--out".as_ref(),
            out.as_ref(),
        ],
    ];
    for args in commands {
        let o = bin().args(&args).arg("--quiet").output().unwrap();
        refused(&o);
        assert!(text(&o).contains("director_response_rate"), "the hint names the key: {}", text(&o));
    }
    assert_eq!(listing(&dir), ["noresp.toml"], "nothing written");
}

#[test]
fn force_replaces_only_a_results_folder_samspill_wrote() {
    let dir = scratch("force");
    let work = dir.join("mywork");
    std::fs::create_dir_all(work.join("sub")).unwrap();
    std::fs::copy(project("tests/data/small.toml"), work.join("small.toml")).unwrap();
    std::fs::write(work.join("sub/thesis.tex"), "precious").unwrap();
    let o = bin()
        .arg("run")
        .arg(work.join("small.toml"))
        .args(["--replications", "1", "--quiet", "--force", "--out"])
        .arg(&work)
        .output()
        .unwrap();
    refused(&o);
    assert!(
        text(&o).contains("mywork") && text(&o).contains("not a samspill results folder"),
        "{}",
        text(&o)
    );
    assert_eq!(listing(&work), ["small.toml", "sub"]);
    assert_eq!(std::fs::read_to_string(work.join("sub/thesis.tex")).unwrap(), "precious");

    // A file named as the results folder: refused before anything runs, the file untouched.
    let file = dir.join("afile");
    std::fs::write(&file, "data").unwrap();
    let o = bin()
        .arg("run")
        .arg(project("tests/data/small.toml"))
        .args(["--replications", "1", "--quiet", "--force", "--out"])
        .arg(&file)
        .output()
        .unwrap();
    refused(&o);
    assert!(text(&o).contains("afile is a file"), "{}", text(&o));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "data");

    // A results folder is replaced.
    let res = dir.join("res");
    for reps in ["1", "2"] {
        let o = bin()
            .arg("run")
            .arg(project("tests/data/small.toml"))
            .args(["--replications", reps, "--quiet", "--force", "--out"])
            .arg(&res)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", text(&o));
    }
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(res.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["replications"], 2);
    assert_eq!(listing(&dir), ["afile", "mywork", "res"], "nothing hidden left beside them");
}

#[test]
fn fit_json_overwrites_only_its_own_report_without_force() {
    let dir = scratch("fitjson");
    let report = dir.join("report.json");
    std::fs::write(&report, "mine").unwrap();
    let fit = |force: bool| {
        let mut c = bin();
        c.arg("fit").arg(project("scenarios/baseline.toml")).args([
            "--replications",
            "2",
            "--quiet",
            "--json",
        ]);
        c.arg(&report);
        if force {
            c.arg("--force");
        }
        c.output().unwrap()
    };
    let o = fit(false);
    refused(&o);
    assert!(text(&o).contains("already exists"), "{}", text(&o));
    assert_eq!(std::fs::read_to_string(&report).unwrap(), "mine");
    let o = fit(true);
    assert!(o.status.success(), "{}", text(&o));
    assert!(std::fs::read_to_string(&report).unwrap().starts_with('{'));
    // A fit report that fit wrote itself is replaced by the next fit without --force.
    let before = std::fs::metadata(&report).unwrap().modified().unwrap();
    std::thread::sleep(Duration::from_millis(20));
    let o = fit(false);
    assert!(o.status.success(), "{}", text(&o));
    assert!(std::fs::metadata(&report).unwrap().modified().unwrap() > before);
    // A JSON object of someone else's is not a fit report.
    std::fs::write(&report, r#"{"scenario": "mine"}"#).unwrap();
    refused(&fit(false));
    assert_eq!(std::fs::read_to_string(&report).unwrap(), r#"{"scenario": "mine"}"#);
}

#[test]
fn sigterm_stops_a_run_like_ctrl_c_and_leaves_nothing() {
    let dir = scratch("sigterm");
    let child = bin()
        .arg("run")
        .arg(project("scenarios/baseline.toml"))
        .args(["--replications", "2000", "--threads", "1", "--quiet", "--out"])
        .arg(dir.join("res"))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the staging folder exists: the run has begun.
    let began = Instant::now();
    while listing(&dir).is_empty() && began.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!listing(&dir).is_empty(), "the run began");
    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130), "{}", text(&o));
    assert!(listing(&dir).is_empty(), "left: {:?}", listing(&dir));
}

#[test]
fn a_closed_stdout_ends_the_command_quietly() {
    for args in [vec!["check", "--explain"], vec!["check", "--resolved", "scenarios/baseline.toml"]] {
        // The reader is gone before the command starts: its first write fails.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let o = bin()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(&args)
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", text(&o));
        assert!(o.stderr.is_empty(), "{args:?}: {}", text(&o));
    }
}

/// Runs `samspill run` with `args` into `out`, quietly; panics with the output if it fails.
fn run(scenario: &Path, args: &[&str], out: &Path) {
    let o = bin().arg("run").arg(scenario).args(args).arg("--quiet").arg("--out").arg(out).output().unwrap();
    assert!(o.status.success(), "{}", text(&o));
}

#[test]
fn a_results_folders_scenario_toml_reproduces_the_run_flags_and_name_included() {
    let dir = scratch("reproduce");
    // A scenario that extends another, run with flags.
    run(
        &project("scenarios/reforms/informal-contact.toml"),
        &["--seed", "77", "--replications", "2"],
        &dir.join("A"),
    );
    run(&dir.join("A/scenario.toml"), &[], &dir.join("B"));
    // A single file without a name, run with a flag.
    let own = dir.join("myscen.toml");
    std::fs::write(&own, "# mine\nseed = 5\nreplications = 2\n[population]\nmunicipalities = 20\n[calendar]\nstart = \"1995-01\"\n").unwrap();
    run(&own, &["--seed", "9"], &dir.join("C"));
    run(&dir.join("C/scenario.toml"), &[], &dir.join("D"));
    for (first, again) in [("A", "B"), ("C", "D")] {
        let read = |d: &str, f: &str| std::fs::read(dir.join(d).join(f)).unwrap();
        assert_eq!(
            read(first, "summary.json"),
            read(again, "summary.json"),
            "{first} rerun from its scenario.toml"
        );
        let manifest: serde_json::Value = serde_json::from_slice(&read(first, "manifest.json")).unwrap();
        let saved = read(first, "scenario.toml");
        let hash: String = sha2::Sha256::digest(&saved).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(manifest["resolved_scenario_sha256"], hash.as_str());
    }
    let saved = std::fs::read_to_string(dir.join("C/scenario.toml")).unwrap();
    assert!(
        saved.contains("# mine") && saved.contains("seed = 9") && saved.contains("name = \"myscen\""),
        "{saved}"
    );
    // A file that names itself and is run without flags is saved byte for byte.
    run(&dir.join("C/scenario.toml"), &[], &dir.join("E"));
    assert_eq!(std::fs::read(dir.join("E/scenario.toml")).unwrap(), saved.as_bytes());
}

#[test]
fn a_seed_beyond_a_toml_integer_is_refused_like_the_key() {
    let dir = scratch("seed");
    let o = bin()
        .arg("run")
        .arg(project("tests/data/small.toml"))
        .args(["--seed", "18446744073709551615", "--quiet", "--out"])
        .arg(dir.join("r"))
        .output()
        .unwrap();
    refused(&o);
    assert!(text(&o).contains("seed") && text(&o).contains("--seed"), "{}", text(&o));
    assert!(listing(&dir).is_empty());
}

#[test]
fn a_year_the_reported_period_cuts_says_its_months_and_counts_municipalities() {
    let dir = scratch("partial");
    let scenario = dir.join("partial.toml");
    std::fs::write(
        &scenario,
        "name = \"partial\"\nreplications = 1\n[calendar]\nstart = \"1990-01\"\nreport_start = \"2012-07\"\nend = \"2014-03\"\n[population]\nmunicipalities = 40\n",
    )
    .unwrap();
    run(&scenario, &[], &dir.join("r"));
    let yearly = std::fs::read_to_string(dir.join("r/yearly.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(yearly.as_bytes());
    let header = rows.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let got: Vec<(String, String, String, String)> = rows
        .records()
        .map(|r| {
            let r = r.unwrap();
            let last_bin = &r[column("cooperation_4_5_and_above_share")];
            (
                r[1].to_string(),
                r[column("months")].to_string(),
                r[column("municipalities")].to_string(),
                last_bin.to_string(),
            )
        })
        .collect();
    let years: Vec<(&str, &str, &str)> =
        got.iter().map(|(y, m, n, _)| (y.as_str(), m.as_str(), n.as_str())).collect();
    assert_eq!(years, [("2012", "6", "40"), ("2013", "12", "40"), ("2014", "3", "40")]);
    assert!(
        got.iter().all(|(_, _, _, bin)| !bin.is_empty()),
        "year-end bins are filled in every year: {got:?}"
    );
}

#[test]
fn a_one_municipality_survey_is_refused_or_done_for_every_seed_never_a_panic() {
    let dir = scratch("one");
    let one = dir.join("one.toml");
    std::fs::write(&one, "name = \"one\"\nreplications = 1\n[calendar]\nstart = \"2000-01\"\n[population]\nmunicipalities = 1\n")
        .unwrap();
    for seed in 1..=6 {
        let out = dir.join(format!("s{seed}"));
        let o = bin()
            .arg("survey")
            .arg(&one)
            .args(["--seed", &seed.to_string(), "--quiet", "--out"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            matches!(o.status.code(), Some(0 | 2)) && !text(&o).contains("panicked"),
            "seed {seed}: {}",
            text(&o)
        );
    }
}

#[test]
fn an_extends_chain_is_read_in_linear_time_and_capped() {
    let dir = scratch("chain");
    let write_chain = |n: usize| {
        for k in 0..n {
            let parent = if k + 1 < n { format!("extends = \"c{}.toml\"\n", k + 1) } else { String::new() };
            std::fs::write(dir.join(format!("c{k}.toml")), format!("{parent}seed = {k}\n")).unwrap();
        }
    };
    write_chain(1200);
    // The last 1000 files form a chain of exactly the cap: accepted.
    let started = Instant::now();
    let o = bin().arg("check").arg(dir.join("c200.toml")).output().unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    // One more is refused, at the `extends` of the file that would exceed it.
    let o = bin().arg("check").arg(dir.join("c199.toml")).output().unwrap();
    refused(&o);
    assert!(text(&o).contains("longer than 1000") && text(&o).contains("c1198.toml:1:1"), "{}", text(&o));
    // A FIFO is not read as a parent (it would block).
    let fifo = dir.join("fifo.toml");
    if Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success()) {
        std::fs::write(dir.join("child.toml"), "extends = \"fifo.toml\"\n").unwrap();
        let o = bin().arg("check").arg(dir.join("child.toml")).output().unwrap();
        refused(&o);
        assert!(text(&o).contains("not a regular file"), "{}", text(&o));
    }
}
