//! Drives Debian's headless Chromium over the Chrome DevTools Protocol, for the teaching page's
//! browser test: launch on a page, evaluate JavaScript, click an element with real mouse
//! events. The WebSocket is tungstenite's; the protocol use is a handful of JSON messages.
//!
//! (The headless_chrome crate does this and more, but its generated protocol bindings added
//! about two and a half minutes to a clean CI build on two cores, measured 2026-11-23.)

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

/// Flags that keep Chromium headless and quiet on a machine without a display or network.
const FLAGS: [&str; 10] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--remote-debugging-port=0",
];

/// Where Chromium is: `SAMSPILL_CHROMIUM`, else Debian's usual paths.
pub fn find() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("SAMSPILL_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// A headless Chromium showing one page; killed when dropped.
pub struct Chromium {
    child: Child,
    profile: PathBuf,
    socket: WebSocket<MaybeTlsStream<TcpStream>>,
    next_id: u64,
}

fn wait<T>(what: &str, timeout: Duration, mut attempt: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(x) = attempt() {
            return x;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

impl Chromium {
    /// Starts Chromium at `path` on `url` with a window of `width` × `height`.
    pub fn launch(path: &PathBuf, url: &str, width: u32, height: u32) -> Chromium {
        let profile =
            std::env::temp_dir().join(format!("samspill-chromium-{}-{}", std::process::id(), url.len()));
        let _ = std::fs::remove_dir_all(&profile);
        std::fs::create_dir_all(&profile).unwrap();
        let child = Command::new(path)
            .args(FLAGS)
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(format!("--window-size={width},{height}"))
            .arg(url)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", path.display()));
        // With port 0, Chromium picks a port and writes it to DevToolsActivePort.
        let port_file = profile.join("DevToolsActivePort");
        let port: u16 = wait("Chromium's DevTools port", Duration::from_secs(30), || {
            std::fs::read_to_string(&port_file).ok()?.lines().next()?.trim().parse().ok()
        });
        let agent: ureq::Agent =
            ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(5))).build().into();
        let list_url = format!("http://127.0.0.1:{port}/json/list");
        let page_socket = wait("the page's DevTools target", Duration::from_secs(30), || {
            let text = agent.get(&list_url).call().ok()?.body_mut().read_to_string().ok()?;
            let targets: Value = serde_json::from_str(&text).ok()?;
            targets.as_array()?.iter().find(|t| t["type"] == "page")?["webSocketDebuggerUrl"]
                .as_str()
                .map(str::to_string)
        });
        let (socket, _) = tungstenite::connect(page_socket.as_str()).expect("connects to the page");
        Chromium { child, profile, socket, next_id: 0 }
    }

    /// Sends one protocol command and returns its result (events in between are skipped).
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.socket
            .send(Message::text(json!({"id": id, "method": method, "params": params}).to_string()))
            .expect("sends to Chromium");
        loop {
            let message = self.socket.read().expect("reads from Chromium");
            let Message::Text(text) = message else { continue };
            let reply: Value = serde_json::from_str(text.as_str()).expect("Chromium speaks JSON");
            if reply["id"] == id {
                assert!(reply.get("error").is_none(), "{method} failed: {}", reply["error"]);
                return reply["result"].clone();
            }
        }
    }

    /// Evaluates a JavaScript expression in the page and returns its value (JSON-able values
    /// come back whole); an exception fails the test.
    pub fn eval(&mut self, expression: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
        );
        assert!(
            result.get("exceptionDetails").is_none(),
            "{expression} threw: {}",
            result["exceptionDetails"]
        );
        result["result"]["value"].clone()
    }

    /// Waits until `expression` is true in the page.
    pub fn wait_for(&mut self, expression: &str, what: &str) {
        wait(what, Duration::from_secs(60), || (self.eval(expression) == Value::Bool(true)).then_some(()));
    }

    /// Clicks the element `selector` selects as a user would: scrolled into view, then a
    /// mouse press and release at its centre.
    pub fn click(&mut self, selector: &str) {
        let quoted = serde_json::to_string(selector).unwrap();
        let centre = self.eval(&format!(
            "(() => {{ const e = document.querySelector({quoted}); if (!e) return null; e.scrollIntoView({{block: 'center'}}); const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()"
        ));
        let [x, y] = [centre[0].as_f64(), centre[1].as_f64()];
        let (Some(x), Some(y)) = (x, y) else { panic!("nothing on the page matches {selector}") };
        for kind in ["mousePressed", "mouseReleased"] {
            self.call(
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}),
            );
        }
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}
