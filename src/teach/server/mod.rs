//! `samspill serve`: a small HTTP server for the teaching page (`teach`).
//!
//! Routes: `GET /` the page, `GET /app.js` and `GET /style.css` its script and style (all
//! compiled into the binary: the page needs no network), `GET /api/levers` the levers and
//! presets, `POST /api/run` a run of the model. Nothing else: the API reads no files and
//! takes no paths; the base scenario is read once, at start.
//!
//! Safe to leave running through a day of classes, whatever the clients do. It is hyper's
//! HTTP/1.1 server on a small tokio runtime: connections cost a task, not a thread, so idle,
//! slow or silent clients cannot starve the others.
//! - connections are bounded (`max_connections`, from the open-file limit); beyond it, new
//!   ones wait in the kernel's queue; an `accept` that fails (out of file descriptors, say) is
//!   retried after a pause, never the end of the server;
//! - a request's head must arrive within `HEAD_TIMEOUT` and be at most `MAX_HEAD` bytes (else
//!   431 or the connection is closed), its body within `BODY_TIMEOUT` (else 408); an idle
//!   keep-alive connection is closed after `HEAD_TIMEOUT`; no connection lives longer than
//!   `CONNECTION_LIFETIME` (a client that stops reading its answer is dropped then);
//! - runs of the model go to tokio's blocking pool, so the event loop never waits for them;
//! - the log is written with errors ignored: a closed stderr changes nothing;
//! - every request is checked (`teach::Settings::from_request`) before it may wait for the
//!   engine, and the work one request may ask for is capped (`teach::MAX_*`);
//! - the engine runs one request at a time; at most `max_waiting` more wait their turn, and
//!   any beyond are refused at once with 503 and a message (never queued without bound);
//! - bodies over `MAX_BODY` bytes are refused (413);
//! - bound to loopback, the server answers only requests addressed to loopback (`Host`), so a
//!   web page elsewhere cannot drive it through the browser (DNS rebinding).

mod http;

use std::collections::VecDeque;
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hyper::Method;

pub use http::{Running, Stopper, max_connections, start};

use crate::analysis::compare::ScenarioResult;
use crate::scenario::Loaded;
use crate::scenario::config::Config;
use crate::sim::run::{RunError, RunStats};
use crate::teach::{self, InputError, Request, Settings, Window};

/// Largest request body accepted.
pub const MAX_BODY: usize = 64 * 1024;
/// Largest request head (request line and headers) accepted.
pub const MAX_HEAD: usize = 64 * 1024;
/// Time a client has to send a request's head (and that an idle connection is kept).
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(15);
/// Time a client has to send a request's body once its head has come.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest any connection is kept, whatever it does.
pub const CONNECTION_LIFETIME: Duration = Duration::from_secs(600);
/// Pause after an `accept` that failed for want of resources, before trying again.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);
/// National runs of the baseline kept for reuse.
const BASELINE_CACHE: usize = 16;
/// Threads of the event loop (the engine has its own pool).
const HTTP_THREADS: usize = 2;

const PAGE: &str = include_str!("../web/index.html");
const SCRIPT: &str = include_str!("../web/app.js");
const STYLE: &str = include_str!("../web/style.css");

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub host: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// Engine threads; 0 means one per core.
    pub threads: usize,
    /// Requests that may wait while the engine is busy; more are refused.
    pub max_waiting: usize,
}

/// What the server knows: the base scenario and the engine's state.
pub struct App {
    base: Loaded,
    /// How the saved scenario file names the base (`extends`).
    base_reference: String,
    page: String,
    catalogue: String,
    engine: Engine,
    threads: usize,
    loopback_only: bool,
    log: Box<dyn Fn(&str) + Send + Sync>,
}

/// The single engine slot and its bounded queue.
struct Engine {
    /// Held while a request runs the model; those waiting for it block here.
    slot: Mutex<VecDeque<(BaselineKey, Arc<ScenarioResult>)>>,
    /// Requests admitted and not yet finished (running or waiting).
    admitted: AtomicUsize,
    max_waiting: usize,
}

type BaselineKey = (u32, u32, u32);

/// A request's place in the engine's queue; leaving frees it.
struct Ticket<'a>(&'a AtomicUsize);

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Engine {
    fn new(max_waiting: usize) -> Engine {
        Engine { slot: Mutex::new(VecDeque::new()), admitted: AtomicUsize::new(0), max_waiting }
    }

    /// A place in the queue, or `None` when one request runs and `max_waiting` wait already.
    fn admit(&self) -> Option<Ticket<'_>> {
        let before = self.admitted.fetch_add(1, Ordering::SeqCst);
        let ticket = Ticket(&self.admitted);
        (before <= self.max_waiting).then_some(ticket)
    }
}

/// A response before it is sent.
struct Reply {
    status: u16,
    content_type: &'static str,
    body: String,
    extra: Vec<(&'static str, String)>,
}

impl Reply {
    fn json(status: u16, value: &serde_json::Value) -> Reply {
        Reply {
            status,
            content_type: "application/json; charset=utf-8",
            body: value.to_string(),
            extra: Vec::new(),
        }
    }
    fn error(status: u16, field: &str, en: &str, nb: &str) -> Reply {
        Reply::json(status, &serde_json::json!({"error": {"field": field, "message": en, "melding": nb}}))
    }
    fn input(e: &InputError) -> Reply {
        Reply::json(400, &serde_json::json!({"error": e}))
    }
}

impl App {
    /// `base_reference` is how a saved scenario should name the base (`extends = ...`).
    pub fn new(
        base: Loaded,
        base_reference: String,
        options: &ServeOptions,
        log: Box<dyn Fn(&str) + Send + Sync>,
    ) -> App {
        let catalogue = teach::catalogue();
        let mut info = catalogue;
        let members: Vec<serde_json::Value> = crate::model::register::members(base.config.population.municipalities as usize)
            .iter()
            .map(|e| serde_json::json!({"number": e.number_text(), "name": e.name, "county": e.county, "population": e.population}))
            .collect();
        info["base"] = serde_json::json!({"name": base.config.name, "description": base.config.description.trim(), "seed": base.config.seed, "municipalities": base.config.population.municipalities, "members": members});
        info["poor_cooperation_below"] = serde_json::json!(base.config.output.poor_cooperation_below);
        // `</` cannot close the script element the catalogue sits in.
        let catalogue = info.to_string().replace("</", "<\\/");
        let page = PAGE.replace(
            "<!--CATALOGUE-->",
            &format!("<script type=\"application/json\" id=\"catalogue\">{catalogue}</script>"),
        );
        App {
            base,
            base_reference,
            page,
            catalogue: info.to_string(),
            engine: Engine::new(options.max_waiting),
            threads: options.threads,
            loopback_only: options.host.is_loopback(),
            log,
        }
    }

    /// Answers one request (method, path, Host header, body) without touching the network:
    /// the tests call it directly.
    fn answer(&self, method: &Method, url: &str, host: Option<&str>, body: Result<String, Reply>) -> Reply {
        if self.loopback_only && !host.is_some_and(|h| self.is_loopback_host(h)) {
            return Reply::error(
                403,
                "host",
                "this server answers only requests addressed to this machine (127.0.0.1 or localhost)",
                "serveren svarer bare på forespørsler til denne maskinen (127.0.0.1 eller localhost)",
            );
        }
        let path = url.split(['?', '#']).next().unwrap_or("");
        let page = |content_type: &'static str, body: &str| Reply {
            status: 200,
            content_type,
            body: body.to_string(),
            extra: Vec::new(),
        };
        match (method.as_str(), path) {
            ("GET", "/") => {
                let mut r = page("text/html; charset=utf-8", &self.page);
                r.extra.push(("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'".into()));
                r
            }
            ("GET", "/app.js") => page("text/javascript; charset=utf-8", SCRIPT),
            ("GET", "/style.css") => page("text/css; charset=utf-8", STYLE),
            ("GET", "/favicon.ico") => {
                Reply { status: 204, content_type: "text/plain", body: String::new(), extra: Vec::new() }
            }
            ("GET", "/api/levers") => Reply {
                status: 200,
                content_type: "application/json; charset=utf-8",
                body: self.catalogue.clone(),
                extra: Vec::new(),
            },
            ("POST", "/api/run") => match body {
                Ok(text) => self.run(&text),
                Err(reply) => reply,
            },
            (_, "/" | "/app.js" | "/style.css" | "/api/levers" | "/api/run") => {
                let mut r = Reply::error(
                    405,
                    "method",
                    &format!("{method} is not allowed here"),
                    &format!("{method} er ikke tillatt her"),
                );
                r.extra.push(("Allow", if path == "/api/run" { "POST".into() } else { "GET".into() }));
                r
            }
            _ => Reply::error(
                404,
                "path",
                &format!("no such page: {path}"),
                &format!("ingen slik side: {path}"),
            ),
        }
    }

    fn is_loopback_host(&self, host: &str) -> bool {
        let name = host
            .rsplit_once(':')
            .filter(|(_, p)| p.chars().all(|c| c.is_ascii_digit()))
            .map_or(host, |(n, _)| n);
        matches!(name, "localhost" | "127.0.0.1" | "[::1]")
    }

    /// `POST /api/run`: checks the request, waits its turn, runs the settings and the baseline.
    fn run(&self, body: &str) -> Reply {
        let request: Request = match serde_json::from_str(if body.trim().is_empty() { "{}" } else { body }) {
            Ok(r) => r,
            Err(e) => {
                return Reply::error(
                    400,
                    "body",
                    &format!("the request is not valid JSON for this API: {e}"),
                    &format!("forespørselen er ikke gyldig JSON for dette API-et: {e}"),
                );
            }
        };
        let settings = match Settings::from_request(&request, &self.base.config) {
            Ok(s) => s,
            Err(e) => return Reply::input(&e),
        };
        let (config, baseline_config, over) = match teach::scenarios(&self.base, &settings) {
            Ok(x) => x,
            Err(e) => return Reply::input(&e),
        };
        let Some(_ticket) = self.engine.admit() else {
            let mut r = Reply::error(
                503,
                "engine",
                "the model is busy with other requests; try again in a moment",
                "modellen regner på andre forespørsler; prøv igjen om et øyeblikk",
            );
            r.extra.push(("Retry-After", "2".into()));
            return r;
        };
        let mut cache = self.engine.slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let started = Instant::now();
        let window = Window::of(&config, settings.terms).expect("checked when the scenarios were built");
        let key = (settings.terms, settings.replications, settings.municipalities);
        let mut work = RunStats { threads: 0, municipality_months: 0 };
        let failed = |e: RunError| {
            Reply::error(500, "engine", &format!("the model failed: {e}"), &format!("modellen feilet: {e}"))
        };
        // Runs one scenario's many municipalities, counting the work.
        let mut run = |label: &str, config: &Config| -> Result<Arc<ScenarioResult>, RunError> {
            let (r, stats) = teach::run_many(label, config, self.threads)?;
            work.threads = stats.threads;
            work.municipality_months += stats.municipality_months;
            Ok(Arc::new(r))
        };
        let cached = cache.iter().find(|(k, _)| *k == key).map(|(_, r)| Arc::clone(r));
        let baseline_from_cache = cached.is_some();
        let baseline = match cached {
            Some(r) => r,
            None => {
                let r = match run("baseline", &baseline_config) {
                    Ok(r) => r,
                    Err(e) => return failed(e),
                };
                if cache.len() == BASELINE_CACHE {
                    cache.pop_front();
                }
                cache.push_back((key, Arc::clone(&r)));
                r
            }
        };
        let result = if settings.is_today() {
            Arc::clone(&baseline)
        } else {
            match run("settings", &config) {
                Ok(r) => r,
                Err(e) => return failed(e),
            }
        };
        // The story follows one municipality of the whole world (its director may move to or be
        // hired from any other), whatever number the many-view runs.
        let whole = self.base.config.population.municipalities;
        let (mut story_config, mut story_baseline) = (config.clone(), baseline_config.clone());
        story_config.population.municipalities = whole;
        story_baseline.population.municipalities = whole;
        let story = teach::story(&story_config, settings.municipality, window);
        let baseline_story = teach::story(&story_baseline, settings.municipality, window);
        work.municipality_months +=
            2 * u64::from(whole) * u64::try_from(window.end.0 - config.calendar.start.0 + 1).unwrap_or(0);
        drop(cache);
        let elapsed = started.elapsed().as_secs_f64();
        let levers: serde_json::Map<String, serde_json::Value> =
            settings.levers.iter().map(|(k, v)| ((*k).to_string(), serde_json::json!(v))).collect();
        let changed: Vec<String> = settings
            .levers
            .iter()
            .filter(|(_, v)| *v != teach::TODAY)
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        (self.log)(&format!(
            "run: {} · municipality {} · {} terms · {} replications × {} municipalities · {elapsed:.2} s",
            if changed.is_empty() { "as today".to_string() } else { changed.join(" ") },
            settings.municipality,
            settings.terms,
            settings.replications,
            settings.municipalities
        ));
        Reply::json(
            200,
            &serde_json::json!({
                "window": {"start": window.start.to_string(), "end": window.end.to_string(), "terms": settings.terms},
                "levers": levers,
                "municipality": settings.municipality,
                "replications": settings.replications,
                "municipalities": settings.municipalities,
                "seed": config.seed,
                "story": story,
                "baseline_story": {"cooperation": baseline_story.cooperation, "events": baseline_story.events, "acting": baseline_story.acting},
                "many": {
                    "settings": teach::summarise(&result),
                    "baseline": teach::summarise(&baseline),
                    "differences": teach::differences(&baseline, &result),
                },
                "scenario_file": teach::scenario_file(&self.base_reference, &over),
                "elapsed_seconds": elapsed,
                "manifest": {
                    "version": env!("CARGO_PKG_VERSION"),
                    "base_scenario": self.base_reference,
                    "base_scenario_sha256": self.base.sha256,
                    "seed": config.seed,
                    "threads": work.threads,
                    "municipality_months": work.municipality_months,
                    "baseline_from_cache": baseline_from_cache,
                    "elapsed_seconds": elapsed,
                },
            }),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(max_waiting: usize) -> App {
        let base = crate::scenario::load(std::path::Path::new("scenarios/baseline.toml")).unwrap();
        let options = ServeOptions { host: IpAddr::from([127, 0, 0, 1]), port: 0, threads: 1, max_waiting };
        App::new(base, "scenarios/baseline.toml".into(), &options, Box::new(|_| {}))
    }

    #[test]
    fn the_queue_is_bounded() {
        let engine = Engine::new(1);
        let running = engine.admit().expect("the first runs");
        let waiting = engine.admit().expect("one may wait");
        assert!(engine.admit().is_none(), "a third is refused");
        drop(running);
        let again = engine.admit().expect("a place is free again");
        drop((waiting, again));
        assert_eq!(engine.admitted.load(Ordering::SeqCst), 0, "refusals leave no trace");
    }

    #[test]
    fn a_busy_engine_refuses_with_a_message() {
        let app = app(0);
        let _running = app.engine.admit().unwrap();
        let r = app.answer(&Method::POST, "/api/run", Some("127.0.0.1:1"), Ok("{}".into()));
        assert_eq!(r.status, 503);
        assert!(r.body.contains("prøv igjen"), "{}", r.body);
    }

    #[test]
    fn invalid_requests_are_refused_before_they_wait() {
        let app = app(0);
        let _running = app.engine.admit().unwrap();
        let r = app.answer(
            &Method::POST,
            "/api/run",
            Some("localhost:8080"),
            Ok(r#"{"levers": {"parties": "many"}}"#.into()),
        );
        assert_eq!(r.status, 400, "{}", r.body);
        assert!(r.body.contains("levers.parties"));
    }

    #[test]
    fn only_loopback_hosts_are_answered() {
        let app = app(0);
        assert_eq!(app.answer(&Method::GET, "/", Some("evil.example:8080"), Ok(String::new())).status, 403);
        assert_eq!(app.answer(&Method::GET, "/", None, Ok(String::new())).status, 403);
        assert_eq!(app.answer(&Method::GET, "/", Some("localhost:8080"), Ok(String::new())).status, 200);
        assert_eq!(app.answer(&Method::GET, "/", Some("[::1]:8080"), Ok(String::new())).status, 200);
    }

    #[test]
    fn the_page_embeds_the_catalogue_and_loads_nothing_from_elsewhere() {
        let app = app(0);
        let r = app.answer(&Method::GET, "/", Some("127.0.0.1"), Ok(String::new()));
        assert!(r.body.contains("id=\"catalogue\""));
        assert!(!r.body.contains("<!--CATALOGUE-->"));
        // The only address allowed is SVG's namespace, a name that is never fetched.
        for text in [r.body.as_str(), SCRIPT, STYLE] {
            let text = text.replace("http://www.w3.org/2000/svg", "");
            assert!(
                !text.contains("http://") && !text.contains("https://"),
                "the page, its script and its style refer to no other site"
            );
        }
    }
}
