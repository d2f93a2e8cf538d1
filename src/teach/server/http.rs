//! The transport of `samspill serve`: hyper's HTTP/1.1 server on a small tokio runtime, with
//! the limits that keep it alive whatever clients do (see the parent module's header), in
//! front of `App::answer`.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::{Method, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::{Semaphore, watch};

use super::{
    ACCEPT_BACKOFF, App, BODY_TIMEOUT, CONNECTION_LIFETIME, HEAD_TIMEOUT, HTTP_THREADS, MAX_BODY, MAX_HEAD,
    Reply, ServeOptions,
};

/// A server that is listening.
pub struct Running {
    pub addr: std::net::SocketAddr,
    stop: Stopper,
    thread: std::thread::JoinHandle<()>,
}

/// Stops a running server (from a Ctrl-C handler, say): it stops accepting at once and gives
/// the requests in flight a moment to finish.
#[derive(Clone)]
pub struct Stopper(Arc<watch::Sender<bool>>);

impl Stopper {
    pub fn stop(&self) {
        self.0.send_replace(true);
    }
}

impl Running {
    /// A handle that stops the server.
    pub fn stopper(&self) -> Stopper {
        self.stop.clone()
    }

    /// Blocks until the server is stopped.
    pub fn wait(self) {
        let _ = self.thread.join();
    }
}

/// How many connections may be open at once: most of the open-file limit, so that `accept`
/// does not run out of file descriptors (one per connection) in the first place.
pub fn max_connections() -> usize {
    #[cfg(unix)]
    let limit = nix::sys::resource::getrlimit(nix::sys::resource::Resource::RLIMIT_NOFILE)
        .map_or(1024, |(soft, _)| usize::try_from(soft).unwrap_or(usize::MAX));
    #[cfg(not(unix))]
    let limit = 1024;
    limit.saturating_sub(64).clamp(16, 4096)
}

/// Binds the address and starts answering, on a thread of its own.
pub fn start(app: App, options: &ServeOptions) -> std::io::Result<Running> {
    let listener = std::net::TcpListener::bind((options.host, options.port))?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(HTTP_THREADS)
        .thread_name("samspill-http")
        .enable_io()
        .enable_time()
        .build()?;
    let listener = {
        let _inside = runtime.enter();
        tokio::net::TcpListener::from_std(listener)?
    };
    let (stop, stopped) = watch::channel(false);
    let app = Arc::new(app);
    let thread = std::thread::Builder::new().name("samspill-serve".into()).spawn(move || {
        runtime.block_on(accept_loop(listener, app, stopped, max_connections()));
        // Requests still running get a moment; the engine's own threads finish their work.
        runtime.shutdown_timeout(Duration::from_secs(2));
    })?;
    Ok(Running { addr, stop: Stopper(Arc::new(stop)), thread })
}

/// Accepts connections until stopped, at most `limit` at once.
async fn accept_loop(
    listener: tokio::net::TcpListener,
    app: Arc<App>,
    mut stopped: watch::Receiver<bool>,
    limit: usize,
) {
    let slots = Arc::new(Semaphore::new(limit));
    loop {
        let slot = tokio::select! {
            slot = Arc::clone(&slots).acquire_owned() => slot.expect("the semaphore is never closed"),
            _ = stopped.changed() => return,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors or memory, or a connection reset before it was
                // taken: the listener is fine; wait a little and go on.
                Err(_) => {
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
            _ = stopped.changed() => return,
        };
        let app = Arc::clone(&app);
        tokio::spawn(async move {
            let _slot = slot;
            let service = hyper::service::service_fn(move |request| respond(Arc::clone(&app), request));
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEAD_TIMEOUT)
                .max_buf_size(MAX_HEAD)
                .serve_connection(TokioIo::new(stream), service);
            // A connection's errors (a client that went away, a head too large: hyper has
            // answered it) are no concern of the server's.
            let _ = tokio::time::timeout(CONNECTION_LIFETIME, connection).await;
        });
    }
}

/// Answers one request: reads its body (bounded in size and time), then `App::answer`, on the
/// blocking pool when it may run the model.
async fn respond(
    app: Arc<App>,
    request: hyper::Request<Incoming>,
) -> Result<hyper::Response<Full<Bytes>>, Infallible> {
    let host = request.headers().get(hyper::header::HOST).and_then(|h| h.to_str().ok()).map(str::to_string);
    let method = request.method().clone();
    let url = request.uri().to_string();
    let reply = if method == Method::POST {
        let body = read_body(request.into_body()).await;
        tokio::task::spawn_blocking(move || app.answer(&method, &url, host.as_deref(), body))
            .await
            .unwrap_or_else(|_| {
                Reply::error(500, "engine", "the model stopped unexpectedly", "modellen stoppet uventet")
            })
    } else {
        app.answer(&method, &url, host.as_deref(), Ok(String::new()))
    };
    let mut response = hyper::Response::new(Full::new(Bytes::from(reply.body)));
    *response.status_mut() = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut headers = vec![
        ("Content-Type", reply.content_type.to_string()),
        ("Cache-Control", "no-store".to_string()),
        ("X-Content-Type-Options", "nosniff".to_string()),
        ("Referrer-Policy", "no-referrer".to_string()),
    ];
    headers.extend(reply.extra);
    for (name, value) in headers {
        if let Ok(value) = hyper::header::HeaderValue::from_str(&value) {
            response.headers_mut().insert(name, value);
        }
    }
    Ok(response)
}

/// A request's body as text: at most `MAX_BODY` bytes (else 413), within `BODY_TIMEOUT` (else
/// 408), UTF-8 (else 400).
async fn read_body(body: Incoming) -> Result<String, Reply> {
    let too_large = || {
        Reply::error(
            413,
            "body",
            &format!("the request body is larger than {MAX_BODY} bytes"),
            &format!("forespørselen er større enn {MAX_BODY} byte"),
        )
    };
    let bytes = match tokio::time::timeout(BODY_TIMEOUT, Limited::new(body, MAX_BODY).collect()).await {
        Err(_) => {
            let mut r = Reply::error(
                408,
                "body",
                &format!("the request body did not arrive within {} s", BODY_TIMEOUT.as_secs()),
                &format!("forespørselen kom ikke fram innen {} s", BODY_TIMEOUT.as_secs()),
            );
            r.extra.push(("Connection", "close".into()));
            return Err(r);
        }
        Ok(Err(e)) if e.downcast_ref::<http_body_util::LengthLimitError>().is_some() => {
            return Err(too_large());
        }
        Ok(Err(_)) => {
            return Err(Reply::error(
                400,
                "body",
                "the request body could not be read",
                "forespørselen kunne ikke leses",
            ));
        }
        Ok(Ok(collected)) => collected.to_bytes(),
    };
    String::from_utf8(bytes.to_vec()).map_err(|_| {
        Reply::error(400, "body", "the request body is not UTF-8 text", "forespørselen er ikke UTF-8-tekst")
    })
}
