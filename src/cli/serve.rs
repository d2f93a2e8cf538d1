//! `samspill serve`: the teaching page for the councillor programme, on this machine (or, with
//! `--host`, the classroom's network), until Ctrl-C.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use samspill::scenario::Overrides;
use samspill::teach::server::{self, App, ServeOptions};

use super::session::{Failure, load, say};

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Port to listen on (0 picks a free one; the address is printed on start).
    #[arg(long, default_value_t = 8320)]
    port: u16,
    /// Address to listen on. The default answers this machine only; to let a classroom connect,
    /// give this machine's network address, or 0.0.0.0 for all of them (the addresses are
    /// printed; anyone who can reach them can then run the model).
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// The national baseline the page starts from and compares with.
    #[arg(long, default_value = "scenarios/baseline.toml")]
    scenario: PathBuf,
    /// Open the page in the default browser once the server is listening.
    #[arg(long)]
    open: bool,
    /// Requests that may wait while the model is busy; more are refused with a message.
    #[arg(long, default_value_t = 4)]
    max_waiting: usize,
    /// Worker threads of the model [default: one per core]. Results do not depend on it.
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Print only the address, not every run.
    #[arg(long, short)]
    quiet: bool,
}

pub fn run(args: ServeArgs) -> Result<(), Failure> {
    let loaded = load(&args.scenario, &Overrides::default())?;
    // A saved scenario names the base relative to the folder the server runs in (the project's,
    // usually), so it can be run there and moved with the project.
    let reference = relative_to_here(&args.scenario);
    let options = ServeOptions {
        host: args.host,
        port: args.port,
        threads: args.threads,
        max_waiting: args.max_waiting,
    };
    let quiet = args.quiet;
    // A closed or full stderr never stops the server (`say` ignores write errors).
    let log: Box<dyn Fn(&str) + Send + Sync> = Box::new(move |line| {
        if !quiet {
            say(line);
        }
    });
    let app = App::new(loaded, reference, &options, log);
    let running = server::start(app, &options).map_err(|e| {
        let hint = match e.kind() {
            std::io::ErrorKind::AddrInUse => format!(
                "; another program uses port {}: choose another with --port (or --port 0 for any free one)",
                args.port
            ),
            std::io::ErrorKind::AddrNotAvailable => {
                format!("; {} is not an address of this machine (--host)", args.host)
            }
            std::io::ErrorKind::PermissionDenied => {
                "; ports below 1024 need privileges: choose --port 1024 or above".to_string()
            }
            _ => String::new(),
        };
        Failure::input(anyhow::anyhow!("cannot listen on {}:{}: {e}{hint}", args.host, args.port))
    })?;
    // Listening on every address (0.0.0.0), this machine reaches the page at the loopback address.
    let url = if running.addr.ip().is_unspecified() {
        let loopback: IpAddr = if running.addr.is_ipv6() {
            std::net::Ipv6Addr::LOCALHOST.into()
        } else {
            std::net::Ipv4Addr::LOCALHOST.into()
        };
        format!("http://{}/", std::net::SocketAddr::new(loopback, running.addr.port()))
    } else {
        format!("http://{}/", running.addr)
    };
    // The first line on stdout is the address (scripts and tests read it).
    // A closed stdout does not stop the server either.
    {
        use std::io::Write;
        let _ = writeln!(std::io::stdout(), "{url}");
    }
    if !args.quiet {
        say(&format!("samspill serves the teaching page at {url} (Ctrl-C stops it)"));
    }
    // Listening on every address: say which ones the classroom can use.
    if args.host.is_unspecified() {
        let others = network_addresses(args.host.is_ipv6());
        if others.is_empty() {
            say("no network address found; the page answers on this machine only");
        }
        for ip in others {
            let shown = if ip.is_ipv6() { format!("[{ip}]") } else { ip.to_string() };
            say(&format!("on the network: http://{shown}:{}/", running.addr.port()));
        }
    }
    if args.open
        && let Err(e) = open::that_detached(&url)
    {
        say(&format!("could not open a browser ({e}); open {url} yourself"));
    }
    let stop = running.stopper();
    // Ctrl-C, SIGTERM and SIGHUP stop it (the `termination` feature of ctrlc).
    let _ = ctrlc::set_handler(move || stop.stop());
    running.wait();
    if !args.quiet {
        say("stopped");
    }
    Ok(())
}

/// `path` relative to the current folder where it lies inside it; otherwise as given.
fn relative_to_here(path: &Path) -> String {
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let here = std::env::current_dir().and_then(std::fs::canonicalize).ok();
    here.and_then(|h| absolute.strip_prefix(h).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

/// This machine's network addresses (not loopback), IPv6 ones too if `v6`.
#[cfg(unix)]
fn network_addresses(v6: bool) -> Vec<IpAddr> {
    let Ok(interfaces) = nix::ifaddrs::getifaddrs() else { return Vec::new() };
    let mut found: Vec<IpAddr> = interfaces
        .filter_map(|i| i.address)
        .filter_map(|a| {
            a.as_sockaddr_in()
                .map(|s| IpAddr::V4(s.ip()))
                .or_else(|| if v6 { a.as_sockaddr_in6().map(|s| IpAddr::V6(s.ip())) } else { None })
        })
        .filter(|ip| !ip.is_loopback() && !matches!(ip, IpAddr::V6(v) if v.is_unicast_link_local()))
        .collect();
    found.dedup();
    found
}

#[cfg(not(unix))]
fn network_addresses(_v6: bool) -> Vec<IpAddr> {
    Vec::new()
}
