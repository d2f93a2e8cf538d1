//! The teaching server, end to end: the binary is started with `samspill serve --port 0` and
//! driven over HTTP (the API) and through Debian's headless Chromium (the page).
//!
//! The browser test needs Chromium (`/usr/bin/chromium`, or the path in `SAMSPILL_CHROMIUM`).
//! Where it is missing the test says so and passes — unless `SAMSPILL_REQUIRE_BROWSER` is set,
//! as `.ci/run` sets it after installing Chromium, so that in CI it runs and can fail.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

#[path = "common/chromium.rs"]
mod chromium;

/// A running `samspill serve`, stopped when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(extra: &[&str]) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_samspill"));
        command.args(["serve", "--port", "0", "--quiet", "--threads", "2"]).args(extra);
        Server::spawn(command.stderr(Stdio::inherit()))
    }

    /// Starts `samspill serve` as `command` gives it (its stdout is taken for the address).
    fn spawn(command: &mut Command) -> Server {
        let mut child = command.stdout(Stdio::piped()).spawn().expect("the binary starts");
        // The first line on stdout is the address.
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .expect("the server prints its address");
        let url = line.trim().to_string();
        assert!(url.starts_with("http://127.0.0.1:"), "bound to loopback: {url}");
        Server { child, url }
    }

    fn agent() -> ureq::Agent {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into()
    }

    fn get(&self, path: &str) -> (u16, String, Vec<(String, String)>) {
        let mut r = Self::agent()
            .get(&format!("{}{}", self.url, path.trim_start_matches('/')))
            .call()
            .expect("the server answers");
        let headers = r
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        (r.status().as_u16(), r.body_mut().read_to_string().unwrap(), headers)
    }

    fn post(&self, body: &str) -> (u16, Value) {
        let mut r = Self::agent()
            .post(&format!("{}api/run", self.url))
            .header("Content-Type", "application/json")
            .send(body)
            .expect("the server answers");
        let status = r.status().as_u16();
        let text = r.body_mut().with_config().limit(50_000_000).read_to_string().unwrap();
        (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("JSON back ({e}): {text}")))
    }

    /// Sends raw bytes and returns the status code (for what a well-behaved client would not send).
    fn raw(&self, request: &str) -> u16 {
        let addr = self.url.trim_start_matches("http://").trim_end_matches('/');
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        let _ = s.read_to_string(&mut answer);
        answer.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The server's address as `host:port`.
fn address(server: &Server) -> String {
    server.url.trim_start_matches("http://").trim_end_matches('/').to_string()
}

#[test]
fn the_server_outlives_more_idle_connections_than_it_has_file_descriptors() {
    // At `ulimit -n 20` the server's own descriptors and its floor of 16 connections exceed
    // the limit: `accept` fails with EMFILE while the idle clients hold theirs, and must be
    // retried, not end the accepting; the clients beyond wait in the kernel's queue.
    let mut command = Command::new("sh");
    command
        .args(["-c", "ulimit -n 20 && exec \"$0\" serve --port 0 --quiet --threads 1"])
        .arg(env!("CARGO_BIN_EXE_samspill"))
        .stderr(Stdio::inherit());
    let server = Server::spawn(&mut command);
    let idle: Vec<std::net::TcpStream> = (0..300)
        .map_while(|_| {
            std::net::TcpStream::connect_timeout(&address(&server).parse().unwrap(), Duration::from_secs(1))
                .ok()
        })
        .collect();
    assert!(idle.len() >= 20, "{} idle connections were opened", idle.len());
    std::thread::sleep(Duration::from_millis(500));
    drop(idle);
    let started = std::time::Instant::now();
    let (status, _, _) = server.get("/api/levers");
    assert_eq!(status, 200);
    assert!(started.elapsed() < Duration::from_secs(3), "answered in {:?}", started.elapsed());
}

#[test]
fn slow_or_silent_clients_do_not_starve_the_others_and_time_out() {
    let server = Server::start(&[]);
    let head = "POST /api/run HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n";
    let silent: Vec<std::net::TcpStream> = (0..16)
        .map(|_| {
            let mut s = std::net::TcpStream::connect(address(&server)).unwrap();
            s.write_all(head.as_bytes()).unwrap();
            s
        })
        .collect();
    for _ in 0..3 {
        let started = std::time::Instant::now();
        assert_eq!(server.get("/api/levers").0, 200);
        assert!(started.elapsed() < Duration::from_secs(3), "answered in {:?}", started.elapsed());
    }
    // The body never came: after the body timeout each silent client gets 408.
    let mut first = silent.into_iter().next().unwrap();
    first.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut answer = String::new();
    let _ = first.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
}

#[test]
fn an_oversized_request_head_is_refused_not_buffered() {
    let server = Server::start(&[]);
    let big =
        format!("GET /api/levers HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {}\r\n\r\n", "a".repeat(200_000));
    let mut s = std::net::TcpStream::connect(address(&server)).unwrap();
    let mut writer = s.try_clone().unwrap();
    // The server stops reading at its limit: send from another thread, ignoring a reset.
    let sender = std::thread::spawn(move || {
        let _ = writer.write_all(big.as_bytes());
    });
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    sender.join().unwrap();
    let answer = String::from_utf8_lossy(&answer);
    // Refused with 431, or closed before an answer (a reset may overtake the 431): never served.
    assert!(answer.starts_with("HTTP/1.1 431") || answer.is_empty(), "{answer:.200}");
    assert_eq!(server.get("/api/levers").0, 200, "and it goes on answering");
}

#[test]
fn a_closed_stderr_does_not_stop_the_server() {
    let mut command = Command::new(env!("CARGO_BIN_EXE_samspill"));
    command.args(["serve", "--port", "0", "--threads", "1"]).stderr(Stdio::piped());
    let mut server = Server::spawn(&mut command);
    // The server logs every run on stderr; no one reads it any more.
    drop(server.child.stderr.take());
    for i in 0..3 {
        let (status, answer) =
            server.post(&format!(r#"{{"replications": 1, "municipalities": 10, "municipality": {i}}}"#));
        assert_eq!(status, 200, "{answer}");
    }
    assert_eq!(server.get("/api/levers").0, 200);
    assert!(server.child.try_wait().unwrap().is_none(), "still running");
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("samspill-teaching-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn the_page_is_norwegian_self_contained_and_locked_to_this_site() {
    let server = Server::start(&[]);
    let (status, page, headers) = server.get("/");
    assert_eq!(status, 200);
    assert!(
        page.contains("<html lang=\"nb\">") && page.contains("kommunedirektør") && page.contains("ordfører")
    );
    assert!(
        page.contains("src=\"/app.js\"") && page.contains("href=\"/style.css\""),
        "script and style come from this server"
    );
    assert!(
        !page.contains("src=\"http") && !page.contains("href=\"http"),
        "nothing is loaded from elsewhere"
    );
    let csp = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-security-policy"))
        .map(|(_, v)| v.clone())
        .expect("a CSP header");
    assert!(csp.contains("default-src 'none'") && csp.contains("connect-src 'self'"), "{csp}");
    let (status, script, _) = server.get("/app.js");
    assert_eq!(status, 200);
    assert!(script.contains("/api/run"));
    assert_eq!(server.get("/style.css").0, 200);
    let (status, levers, _) = server.get("/api/levers");
    assert_eq!(status, 200);
    let levers: Value = serde_json::from_str(&levers).unwrap();
    let keys: Vec<&str> =
        levers["levers"].as_array().unwrap().iter().map(|l| l["key"].as_str().unwrap()).collect();
    assert_eq!(
        keys,
        [
            "parties",
            "culture",
            "clarity",
            "roles",
            "informal",
            "delegation_review",
            "development_conversation",
            "leader_group_forum",
            "councillor_training",
            "severance"
        ]
    );
    let presets: Vec<&str> =
        levers["presets"].as_array().unwrap().iter().map(|p| p["nb"].as_str().unwrap()).collect();
    for wanted in ["Godt samspill", "Fragmentert kommunestyre", "KS-anbefalingene"] {
        assert!(presets.contains(&wanted), "preset {wanted}: {presets:?}");
    }
    // No other paths, no other methods, no other hosts.
    let (status, body, _) = server.get("/etc/passwd");
    assert_eq!(status, 404, "{body}");
    assert_eq!(server.get("/api/run").0, 405);
    assert_eq!(server.raw("GET / HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n"), 403);
    assert_eq!(server.raw("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"), 200);
}

#[test]
fn a_run_follows_one_municipality_and_compares_many_with_the_baseline() {
    let server = Server::start(&[]);
    let (status, today) = server.post(r#"{"municipality": 40, "replications": 4}"#);
    assert_eq!(status, 200, "{today}");
    assert_eq!(today["window"], json!({"start": "2015-09", "end": "2023-08", "terms": 2}));
    let story = &today["story"];
    assert_eq!(story["months"].as_array().unwrap().len(), 96);
    assert_eq!(story["months"][0], "2015-09");
    assert!(
        story["cooperation"].as_array().unwrap().iter().all(|c| (1.0..=5.0).contains(&c.as_f64().unwrap()))
    );
    let elections: Vec<u64> = story["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "election")
        .map(|e| e["month"].as_u64().unwrap())
        .collect();
    assert_eq!(elections, [0, 48], "an election opens each term");
    // As today, the settings are the baseline: the same numbers, differences of exactly zero.
    assert_eq!(today["many"]["settings"], today["many"]["baseline"]);
    assert_eq!(story["cooperation"], today["baseline_story"]["cooperation"]);
    for d in today["many"]["differences"].as_array().unwrap() {
        assert_eq!(d["difference"], json!(0.0), "{d}");
        assert_eq!(d["ci95"], json!([0.0, 0.0]), "{d}");
    }
    let manifest = &today["manifest"];
    assert_eq!(manifest["seed"], 2020);
    assert_eq!(manifest["base_scenario_sha256"].as_str().unwrap().len(), 64);
    assert_eq!(manifest["baseline_from_cache"], false);
    let months = (2023 - 1960) * 12 + 8;
    assert_eq!(
        manifest["municipality_months"],
        4 * 357 * months + 2 * 357 * months,
        "as today only the baseline runs, plus the two stories (each a whole world)"
    );
    let bins: f64 = today["many"]["settings"]["cooperation_bins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_f64().unwrap())
        .sum();
    assert!((bins - 1.0).abs() < 1e-9, "the distribution sums to one: {bins}");

    // A fragmented council: the same municipality, elections at the same months, a base of six
    // parties, and lower cooperation nationally (an interval that excludes zero).
    let (status, fragmented) = server.post(r#"{"municipality": 40, "replications": 4, "levers": {"parties": "6", "culture": "weaker", "clarity": "weaker"}}"#);
    assert_eq!(status, 200, "{fragmented}");
    for e in fragmented["story"]["events"].as_array().unwrap().iter().filter(|e| e["kind"] == "election") {
        assert_eq!(e["parties_behind_mayor"], 6, "{e}");
    }
    assert_eq!(
        fragmented["many"]["baseline"], today["many"]["baseline"],
        "the baseline does not depend on the settings"
    );
    assert_eq!(fragmented["manifest"]["baseline_from_cache"], true);
    let coop = fragmented["many"]["differences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["outcome"] == "cooperation_mean")
        .unwrap()
        .clone();
    assert!(coop["ci95"][1].as_f64().unwrap() < 0.0, "a fragmented council lowers cooperation: {coop}");
}

#[test]
fn the_page_settings_saved_as_a_scenario_reproduce_its_numbers() {
    let server = Server::start(&[]);
    let (status, answer) = server
        .post(r#"{"replications": 3, "terms": 1, "levers": {"informal": "rarer", "severance": "none"}}"#);
    assert_eq!(status, 200, "{answer}");
    let dir = scratch("reproduce");
    let text = answer["scenario_file"].as_str().unwrap();
    // The saved file names the base relative to the folder the server ran in (the project's),
    // so it runs where the project's scenarios lie beside it.
    assert!(text.contains("extends = \"scenarios/baseline.toml\""), "{text}");
    #[cfg(unix)]
    std::os::unix::fs::symlink(std::fs::canonicalize("scenarios").unwrap(), dir.join("scenarios")).unwrap();
    #[cfg(not(unix))]
    return;
    let file = dir.join("from-the-page.toml");
    std::fs::write(&file, text).unwrap();
    let out = dir.join("results");
    let run = Command::new(env!("CARGO_BIN_EXE_samspill"))
        .args(["run", file.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet"])
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let page = answer["many"]["settings"]["cooperation_mean"]["mean"].as_f64().unwrap();
    let cli = summary["cooperation_mean"]["mean"].as_f64().unwrap();
    assert!((page - cli).abs() < 1e-12, "the page's {page} is samspill run's {cli}");
    let page_exits = answer["many"]["settings"]["exits_per_100_per_year"]["mean"].as_f64().unwrap();
    let cli_exits = 100.0 * summary["director_exit_rate_per_year"]["mean"].as_f64().unwrap();
    assert!((page_exits - cli_exits).abs() < 1e-9, "{page_exits} vs {cli_exits}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn bad_requests_get_a_clear_message_in_both_languages() {
    let server = Server::start(&[]);
    let cases = [
        (r#"{"levers": {"partier": "3"}}"#, "levers.partier"),
        (r#"{"levers": {"parties": "12"}}"#, "levers.parties"),
        (r#"{"replications": 1000}"#, "replications"),
        (r#"{"terms": 9}"#, "terms"),
        (r#"{"municipality": 99999}"#, "municipality"),
        (r#"{"levers": "#, "body"),
        (r#"{"path": "/etc/passwd"}"#, "body"),
    ];
    for (body, field) in cases {
        let (status, answer) = server.post(body);
        assert_eq!(status, 400, "{body}: {answer}");
        assert_eq!(answer["error"]["field"], field, "{body}: {answer}");
        assert!(
            !answer["error"]["message"].as_str().unwrap().is_empty()
                && !answer["error"]["melding"].as_str().unwrap().is_empty()
        );
    }
    let (status, answer) =
        server.post(&format!("{{\"levers\": {{}}, \"pad\": \"{}\"}}", "x".repeat(100_000)));
    assert_eq!(status, 413, "{answer}");
}

#[test]
fn a_busy_engine_queues_a_few_and_refuses_the_rest_with_a_message() {
    let server = Server::start(&["--max-waiting", "1"]);
    let heavy = r#"{"replications": 32, "terms": 3, "levers": {"parties": "7"}}"#;
    let answers: Vec<(u16, Value)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..10).map(|_| s.spawn(|| server.post(heavy))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let ok = answers.iter().filter(|(s, _)| *s == 200).count();
    let refused: Vec<&Value> = answers.iter().filter(|(s, _)| *s == 503).map(|(_, a)| a).collect();
    assert_eq!(ok + refused.len(), answers.len(), "every answer is a result or a refusal");
    assert!(
        (1..=3).contains(&ok),
        "one runs and one waits (a third may slip in after the first finished): {ok} ran"
    );
    assert!(!refused.is_empty());
    assert!(refused.iter().all(|a| a["error"]["melding"].as_str().unwrap().contains("prøv igjen")));
    // And it still answers afterwards.
    assert_eq!(server.post(r#"{"replications": 2, "terms": 1}"#).0, 200);
}

#[test]
fn serve_refuses_a_taken_port_and_a_bad_scenario_with_exit_2() {
    let server = Server::start(&[]);
    let port = server.url.trim_end_matches('/').rsplit(':').next().unwrap().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_samspill")).args(["serve", "--port", &port]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--port") && !err.contains("panicked"), "{err}");
    let dir = scratch("bad-scenario");
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "[politics]\nsurplus_party_probability = 2.0\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_samspill"))
        .args(["serve", "--port", "0", "--scenario", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("surplus_party_probability") && err.contains("bad.toml"), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}

// ------------------------------------------------------------------------------ the browser

#[test]
fn in_chromium_changing_a_lever_and_pressing_run_changes_the_charts() {
    let Some(path) = chromium::find() else {
        assert!(
            std::env::var_os("SAMSPILL_REQUIRE_BROWSER").is_none(),
            "SAMSPILL_REQUIRE_BROWSER is set but no Chromium was found (install Debian's chromium or set SAMSPILL_CHROMIUM)"
        );
        eprintln!(
            "SKIPPED: no Chromium here (install Debian's `chromium`, or set SAMSPILL_CHROMIUM); .ci/run installs it and requires this test"
        );
        return;
    };
    let server = Server::start(&[]);
    let mut page = chromium::Chromium::launch(&path, &server.url, 1280, 900);

    // The page runs the model as it loads: charts appear, in Norwegian.
    page.wait_for("document.body && document.body.dataset.runs === '1'", "the first run has come back");
    assert_eq!(page.eval("document.documentElement.lang"), "nb");
    assert_eq!(
        page.eval("document.querySelector('h1').textContent"),
        "Samspillet mellom ordfører og kommunedirektør"
    );
    page.click("#skip");
    page.wait_for("document.body.dataset.state === 'done'", "the story is shown in full");
    let charts = "['#story-chart', '#cards', '#coop-chart', '#exit-chart'].map(s => document.querySelector(s).innerHTML)";
    let before = page.eval(charts);
    assert_eq!(
        page.eval("document.querySelectorAll('#story-chart svg polyline').length"),
        1,
        "the story line is drawn"
    );
    assert_eq!(
        page.eval("document.querySelectorAll('#coop-chart svg rect').length >= 12"),
        true,
        "the distribution has bars"
    );

    // A teacher makes the council fragmented and presses Run.
    let seven = "fieldset[data-lever='parties'] button[data-value='7']";
    page.click(seven);
    assert_eq!(
        page.eval(&format!("document.querySelector(\"{seven}\").getAttribute('aria-pressed')")),
        "true"
    );
    page.click("#run");
    page.wait_for("document.body.dataset.runs === '2'", "the second run has come back");
    page.click("#skip");
    page.wait_for("document.body.dataset.state === 'done'", "the second story is shown in full");
    let after = page.eval(charts);
    for (i, name) in ["story", "cards", "distribution", "exits"].iter().enumerate() {
        assert!(before[i].as_str().is_some_and(|s| s.contains("<svg")), "the {name} chart is an SVG");
        assert_ne!(before[i], after[i], "the {name} chart changed");
    }
    assert_eq!(
        page.eval("document.querySelectorAll('#story-chart polyline').length"),
        2,
        "the same municipality today is drawn beside the settings"
    );
    let difference = page
        .eval("document.querySelector(\"#cards [data-outcome='cooperation_mean'] .difference\").textContent");
    assert!(difference.as_str().unwrap().starts_with("Forskjell: −"), "cooperation falls: {difference}");
    assert_eq!(page.eval("document.getElementById('error').hidden"), true, "no error shown");

    // The English toggle translates the page without a new run.
    page.click("button[data-lang='en']");
    assert_eq!(
        page.eval("document.querySelector('h1').textContent"),
        "The interplay between mayor and chief executive"
    );
    assert_eq!(page.eval("document.getElementById('profile').textContent.includes(' inhabitants, ')"), true);
    // The picker lists the register's municipalities by name.
    assert_eq!(page.eval("document.querySelectorAll('#municipality option').length"), 357);
    assert_eq!(
        page.eval("[...document.querySelectorAll('#municipality option')].some(o => o.textContent.startsWith('Oslo (Oslo'))"),
        true
    );
    assert_eq!(page.eval("document.body.dataset.runs"), "2");
}
