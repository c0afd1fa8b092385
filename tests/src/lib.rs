//! Fake chatgpt.com, api.openai.com, status.openai.com and a control host, speaking real HTTP/1.1
//! on `127.0.0.1:0`.
//!
//! Written on raw tokio sockets rather than an HTTP framework, because the interesting answers
//! are the ones a framework would not give: a connection reset, an empty reply, a hang, a body
//! dripping one byte at a time, 10 MB of padding. The pages are modelled on what Cloudflare and
//! OpenAI send (see shared/DOMAIN.md): Cloudflare-branded 502s with a ray ID, plain nginx 502s,
//! 52x/530 pages with 1xxx codes, challenges with `cf-mitigated: challenge`, the API's `cf_*` JSON
//! errors, Statuspage and incident.io JSON with ETags.
//!
//! The scenario can be switched at run time, from the test (`FakeWorld::set`) or from another
//! process (`PUT /__fake/scenario` on any of the five ports), and request/byte counters are kept
//! per host (`GET /__fake/stats`) for the benchmark.
//!
//! Beside the fake internet, the other real parts the tests and the benchmark drive:
//! [`tls`] (an HTTPS host with a self-signed certificate), [`blocking`] (networks that block
//! ChatGPT: a filtering proxy, a block server, a box that resets by name, a network namespace
//! of the test's own), [`proxy`] (tinyproxy), [`host`] (a stand-in Tauri host that
//! serves the explainer to a browser), [`webdriver`] (a minimal W3C WebDriver client) and
//! [`desktop`] (a tray host and a notification tap on the session bus) and [`session`] (what the
//! tests running the real app in a headless desktop share); [`releases`], a fake release server
//! for the update check, with manifests and files signed at test time; [`site`], chatgpt.com over
//! HTTPS as the user's own browser meets it, [`cdp`], Chromium driven over the DevTools protocol,
//! and [`marionette`], Firefox driven over its own, for the browser companion's end-to-end tests,
//! and what those two tests share ([`companion`]: the real tray, its browser window, the page's
//! requests).

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

pub mod blocking;
pub mod captures;
pub mod cdp;
#[cfg(target_os = "linux")]
pub mod companion;
pub mod desktop;
pub mod host;
pub mod marionette;
mod pages;
pub mod proxy;
pub mod receivers;
pub mod releases;
pub mod session;
pub mod site;
pub mod tls;
pub mod webdriver;

pub use pages::Page;

/// Which real host a listener plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Chatgpt,
    Api,
    Status,
    Control,
    /// The phone apps' host (ios.chat.openai.com).
    App,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Chatgpt,
        Role::Api,
        Role::Status,
        Role::Control,
        Role::App,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Role::Chatgpt => "chatgpt",
            Role::Api => "api",
            Role::Status => "status",
            Role::Control => "control",
            Role::App => "app",
        }
    }

    pub fn env_var(self) -> &'static str {
        match self {
            Role::Chatgpt => "GATEWATCH_CHATGPT_URL",
            Role::Api => "GATEWATCH_API_URL",
            Role::Status => "GATEWATCH_STATUS_URL",
            Role::Control => "GATEWATCH_CONTROL_URL",
            Role::App => "GATEWATCH_APP_URL",
        }
    }
}

/// What the fake internet is doing. `expected` names the verdict Gatewatch must give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    Healthy,
    /// Cloudflare-branded 502 on the web, API fine (2025-01-23).
    BadGateway,
    /// nginx-style `<h1>502 Bad Gateway</h1>` with `cloudflare` in the body.
    BadGatewayPlain,
    /// Web and API both 502 (`cf_bad_gateway` JSON on the API, 2023-11-08).
    BadGatewayEverywhere,
    GatewayTimeout,
    /// Cloudflare 520-526.
    Cloudflare(u16),
    /// 530 with error 1016 (origin DNS).
    Cloudflare530,
    /// OpenAI's own 500 page, no Cloudflare markers.
    Origin500,
    /// OpenAI's own 503 "at capacity" page.
    Origin503,
    /// Cloudflare's own branded 500s everywhere, the trace included (2025-11-18).
    Cloudflare500,
    /// Every chatgpt.com and API connection is reset; the control host answers.
    EdgeDown,
    /// Every connection, the control host's included, is reset.
    Offline,
    /// A Wi-Fi login page answers every request on every host.
    CaptivePortal,
    /// The network's web filter answers for OpenAI's hosts with its block page (no Cloudflare
    /// marks), while the rest of the internet (the control host, the status page) works.
    NetworkFilter,
    /// chatgpt.com challenges every plain client (datacenter and VPN addresses); all else is well.
    Challenge,
    /// chatgpt.com challenges Gatewatch, and the status page reports ChatGPT's conversations
    /// fully down; the other doors still answer.
    ChallengeOutage,
    /// chatgpt.com challenges Gatewatch; the phone apps' route and the API both answer 502.
    ChallengeBadGateway,
    /// chatgpt.com refuses with OpenAI's own "Unable to load site" block page (VPN addresses).
    OpenaiBlock,
    /// Cloudflare's own outage of 2025-11-18: 500 pages asking to unblock challenges.cloudflare.com.
    UnblockChallenges,
    /// The web works; the phone apps' route answers 502.
    AppDown,
    Blocked1020,
    GeoBlocked,
    RateLimited,
    /// The origin answers after `ms`.
    Slow {
        ms: u64,
    },
    /// The origin accepts the request and never answers.
    Hang,
    /// The origin resets the connection after reading the request.
    Reset,
    /// The origin closes the connection without a byte.
    EmptyReply,
    /// The origin answers 200 with 10 MB.
    HugeBody,
    /// A branded 502 padded to 10 MB.
    HugeError,
    /// The origin answers 200 and then drips its body a byte at a time.
    SlowDrip,
    /// The origin answers 200, then resets halfway through the body.
    ResetMidBody,
    /// The site works; the API fails with `cf_service_unavailable`.
    ApiDown,
    /// The site works; the status page reports a major ChatGPT incident.
    StatusIncident,
    /// The site works; summary.json is gone, incident.io's feed reports an incident.
    StatusIncidentIo,
    /// The site works; the status page answers broken JSON.
    StatusMalformed,
    /// The site works; the status page answers 2 MB of JSON.
    StatusHuge,
    /// Healthy and Cloudflare 502 in turn, every `period_ms`.
    Flapping {
        period_ms: u64,
    },
}

impl Scenario {
    /// Every scenario with its default parameters, for tables and `--list`.
    pub fn all() -> Vec<Scenario> {
        let mut v = vec![
            Scenario::Healthy,
            Scenario::BadGateway,
            Scenario::BadGatewayPlain,
            Scenario::BadGatewayEverywhere,
            Scenario::GatewayTimeout,
        ];
        v.extend((520..=526).map(Scenario::Cloudflare));
        v.extend([
            Scenario::Cloudflare530,
            Scenario::Origin500,
            Scenario::Origin503,
            Scenario::Cloudflare500,
            Scenario::EdgeDown,
            Scenario::Offline,
            Scenario::CaptivePortal,
            Scenario::NetworkFilter,
            Scenario::Challenge,
            Scenario::ChallengeOutage,
            Scenario::ChallengeBadGateway,
            Scenario::OpenaiBlock,
            Scenario::UnblockChallenges,
            Scenario::AppDown,
            Scenario::Blocked1020,
            Scenario::GeoBlocked,
            Scenario::RateLimited,
            Scenario::Slow { ms: 5_000 },
            Scenario::Hang,
            Scenario::Reset,
            Scenario::EmptyReply,
            Scenario::HugeBody,
            Scenario::HugeError,
            Scenario::SlowDrip,
            Scenario::ResetMidBody,
            Scenario::ApiDown,
            Scenario::StatusIncident,
            Scenario::StatusIncidentIo,
            Scenario::StatusMalformed,
            Scenario::StatusHuge,
            Scenario::Flapping { period_ms: 300_000 },
        ]);
        v
    }

    /// The verdict a correct diagnosis gives (for `Flapping`, the first phase's).
    pub fn expected(self) -> &'static str {
        use Scenario::*;
        match self {
            Healthy
            | HugeBody
            | SlowDrip
            | ResetMidBody
            | StatusMalformed
            | StatusHuge
            | Challenge
            | Flapping { .. } => "up",
            BadGateway | BadGatewayPlain | BadGatewayEverywhere | GatewayTimeout
            | Cloudflare(_) | Cloudflare530 | Hang | HugeError | ChallengeBadGateway => {
                "bad_gateway"
            }
            Origin500 | Origin503 | ChallengeOutage => "origin_error",
            Cloudflare500 | EdgeDown | UnblockChallenges => "edge_error",
            Offline | CaptivePortal => "offline",
            Blocked1020 | GeoBlocked | RateLimited | OpenaiBlock | NetworkFilter => "blocked",
            Slow { .. } | ApiDown | StatusIncident | StatusIncidentIo | AppDown => "degraded",
            Reset | EmptyReply => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<Scenario> {
        let (name, arg) = match s.split_once(':') {
            Some((n, a)) => (n, Some(a.parse::<u64>().ok()?)),
            None => (s, None),
        };
        let simple = |sc: Scenario| arg.is_none().then_some(sc);
        match name {
            "slow" => Some(Scenario::Slow {
                ms: arg.unwrap_or(5_000),
            }),
            "flapping" => Some(Scenario::Flapping {
                period_ms: arg.unwrap_or(300_000).max(1),
            }),
            _ => Scenario::all()
                .into_iter()
                .find(|sc| sc.to_string() == name)
                .and_then(simple),
        }
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Scenario::*;
        let name = match self {
            Healthy => "healthy",
            BadGateway => "bad-gateway",
            BadGatewayPlain => "bad-gateway-plain",
            BadGatewayEverywhere => "bad-gateway-everywhere",
            GatewayTimeout => "gateway-timeout",
            Cloudflare(code) => return write!(f, "cf-{code}"),
            Cloudflare530 => "cf-530",
            Origin500 => "origin-500",
            Origin503 => "origin-503",
            Cloudflare500 => "cloudflare-500",
            EdgeDown => "edge-down",
            Offline => "offline",
            CaptivePortal => "captive-portal",
            NetworkFilter => "network-filter",
            Challenge => "challenge",
            ChallengeOutage => "challenge-outage",
            ChallengeBadGateway => "challenge-bad-gateway",
            OpenaiBlock => "openai-block",
            UnblockChallenges => "unblock-challenges",
            AppDown => "app-down",
            Blocked1020 => "blocked-1020",
            GeoBlocked => "geo-blocked",
            RateLimited => "rate-limited",
            Slow { ms } => return write!(f, "slow:{ms}"),
            Hang => "hang",
            Reset => "reset",
            EmptyReply => "empty-reply",
            HugeBody => "huge-body",
            HugeError => "huge-error",
            SlowDrip => "slow-drip",
            ResetMidBody => "reset-mid-body",
            ApiDown => "api-down",
            StatusIncident => "status-incident",
            StatusIncidentIo => "status-incidentio",
            StatusMalformed => "status-malformed",
            StatusHuge => "status-huge",
            Flapping { period_ms } => return write!(f, "flapping:{period_ms}"),
        };
        f.write_str(name)
    }
}

/// What one request gets.
#[derive(Debug, Clone)]
pub(crate) enum Action {
    Respond(pages::Page),
    /// Read the request, then send an RST.
    Reset,
    /// Read the request, then close without a byte.
    Close,
    /// Read the request, then say nothing until the client gives up.
    Hang,
    Delay(u64, Box<Action>),
    /// Send the head, then the body one byte every `ms`.
    Drip(pages::Page, u64),
    /// Send the head and half the body, then reset.
    CutHalfway(pages::Page),
}

#[derive(Default)]
struct Counters {
    requests: AtomicU64,
    bytes_in: AtomicU64,
    bytes_out: AtomicU64,
    /// Every distinct User-Agent seen (bounded), and the request paths in order (bounded).
    agents: Mutex<Vec<String>>,
    paths: Mutex<Vec<String>>,
}

const MAX_LOG: usize = 1000;

/// Per-host traffic, as seen by the fake server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Traffic {
    pub requests: u64,
    pub bytes_in: u64,
    pub bytes_out: u64,
}

struct Shared {
    scenario: Mutex<(Scenario, Instant)>,
    counters: HashMap<Role, Counters>,
    /// Answers that replace the scenario's for one host and path (replayed captures).
    replays: Mutex<HashMap<(Role, String), Page>>,
}

impl Shared {
    fn scenario(&self) -> (Scenario, Duration) {
        let guard = self.scenario.lock().unwrap_or_else(|p| p.into_inner());
        (guard.0, guard.1.elapsed())
    }

    fn set(&self, s: Scenario) {
        *self.scenario.lock().unwrap_or_else(|p| p.into_inner()) = (s, Instant::now());
    }
}

/// Accept a connection on a fake host's `listener`, the socket not inherited by programs the
/// test starts. Windows gives an accepted socket the listener's no-inherit flag; Wine does not,
/// so every `gatewatch` a test started meanwhile held the connection open, and closing it sent
/// nothing (no FIN, no RST) until that program exited: a "reset" read as "no answer in time".
/// (A program started in the microseconds between the accept and the flag's change still
/// inherits it.)
pub async fn accept(listener: &TcpListener) -> std::io::Result<(TcpStream, SocketAddr)> {
    let (stream, peer) = listener.accept().await?;
    #[cfg(windows)]
    {
        use std::os::windows::io::AsRawSocket;
        use windows_sys::Win32::Foundation::{SetHandleInformation, HANDLE_FLAG_INHERIT};
        // SAFETY: the socket is open for the whole call; only its inherit flag changes.
        let ok =
            unsafe { SetHandleInformation(stream.as_raw_socket() as _, HANDLE_FLAG_INHERIT, 0) };
        assert!(
            ok != 0,
            "an accepted socket stays inheritable: {}",
            std::io::Error::last_os_error()
        );
    }
    Ok((stream, peer))
}

/// A loopback port where every connection is refused, for as long as this lives. A socket
/// bound to the port but not listening holds it: a listener bound and dropped at once would free
/// its port for the next port-0 bind, and under Wine a "refused" status page once answered 404
/// from a fake world that had been given that port.
pub struct RefusedPort {
    _socket: tokio::net::TcpSocket,
    addr: SocketAddr,
}

impl RefusedPort {
    pub fn new() -> std::io::Result<RefusedPort> {
        let socket = tokio::net::TcpSocket::new_v4()?;
        socket.bind(SocketAddr::from(([127, 0, 0, 1], 0)))?;
        let addr = socket.local_addr()?;
        Ok(RefusedPort {
            _socket: socket,
            addr,
        })
    }

    /// `scheme://127.0.0.1:port`.
    pub fn url(&self, scheme: &str) -> String {
        format!("{scheme}://{}", self.addr)
    }
}

/// `bin` (the `gatewatch` CLI) with no ambient environment but `PATH`: English, the data dir
/// `data`, stdin closed, killed when dropped.
pub fn cli_command(bin: &str, data: &std::path::Path) -> tokio::process::Command {
    let mut c = tokio::process::Command::new(bin);
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("GATEWATCH_DATA_DIR", data)
        .env("LANG", "C")
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    c
}

/// `watch`'s flags for a quick pace in tests: checks every 200 ms, re-checks after 100 ms.
pub const QUICK_PACE: [&str; 6] = [
    "--interval",
    "200ms",
    "--down-interval",
    "200ms",
    "--recheck",
    "100ms",
];

/// The five fake hosts, running until dropped.
pub struct FakeWorld {
    addrs: HashMap<Role, SocketAddr>,
    shared: Arc<Shared>,
    _stop: watch::Sender<bool>,
}

impl FakeWorld {
    /// Start all five hosts on ephemeral loopback ports.
    pub async fn start(scenario: Scenario) -> std::io::Result<FakeWorld> {
        Self::start_on("127.0.0.1", 0, scenario).await
    }

    /// Start on `host`, ports `base..base+4` (or ephemeral ports when `base` is 0).
    pub async fn start_on(host: &str, base: u16, scenario: Scenario) -> std::io::Result<FakeWorld> {
        let shared = Arc::new(Shared {
            scenario: Mutex::new((scenario, Instant::now())),
            counters: Role::ALL
                .iter()
                .map(|r| (*r, Counters::default()))
                .collect(),
            replays: Mutex::new(HashMap::new()),
        });
        let (stop_tx, stop_rx) = watch::channel(false);
        let mut addrs = HashMap::new();
        for (i, role) in Role::ALL.into_iter().enumerate() {
            let port = if base == 0 { 0 } else { base + i as u16 };
            let listener = TcpListener::bind((host, port)).await?;
            addrs.insert(role, listener.local_addr()?);
            tokio::spawn(serve(listener, role, shared.clone(), stop_rx.clone()));
        }
        Ok(FakeWorld {
            addrs,
            shared,
            _stop: stop_tx,
        })
    }

    pub fn set(&self, s: Scenario) {
        self.shared.set(s);
    }

    /// From now on, answer `path` on `role`'s host with exactly `page`, whatever the scenario
    /// (a real response replayed from a capture file).
    pub fn replay(&self, role: Role, path: &str, page: Page) {
        self.shared
            .replays
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert((role, path.to_string()), page);
    }

    pub fn scenario(&self) -> Scenario {
        self.shared.scenario().0
    }

    pub fn url(&self, role: Role) -> String {
        format!("http://{}", self.addrs[&role])
    }

    /// The `endpoints` object of a settings file that points Gatewatch at this world.
    pub fn endpoints(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        for role in Role::ALL {
            m.insert(role.name().into(), self.url(role).into());
        }
        serde_json::Value::Object(m)
    }

    /// `(variable, value)` pairs that point Gatewatch at this world.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        Role::ALL
            .iter()
            .map(|r| (r.env_var(), self.url(*r)))
            .collect()
    }

    /// [`cli_command`] pointed at this world.
    pub fn command(&self, bin: &str, data: &std::path::Path) -> tokio::process::Command {
        let mut c = cli_command(bin, data);
        c.envs(self.env());
        c
    }

    /// The distinct User-Agent headers this host has seen.
    pub fn user_agents(&self, role: Role) -> Vec<String> {
        self.shared.counters[&role]
            .agents
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The paths requested from this host, in order (admin paths excluded).
    pub fn paths(&self, role: Role) -> Vec<String> {
        self.shared.counters[&role]
            .paths
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn traffic(&self, role: Role) -> Traffic {
        let c = &self.shared.counters[&role];
        Traffic {
            requests: c.requests.load(Ordering::Relaxed),
            bytes_in: c.bytes_in.load(Ordering::Relaxed),
            bytes_out: c.bytes_out.load(Ordering::Relaxed),
        }
    }
}

async fn serve(
    listener: TcpListener,
    role: Role,
    shared: Arc<Shared>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            _ = stop.changed() => return,
            accepted = accept(&listener) => {
                let Ok((stream, _)) = accepted else { continue };
                let shared = shared.clone();
                let stop = stop.clone();
                tokio::spawn(async move {
                    tokio::select! {
                        _ = connection(stream, role, &shared) => {}
                        _ = wait_stop(stop) => {}
                    }
                });
            }
        }
    }
}

async fn wait_stop(mut stop: watch::Receiver<bool>) {
    // Resolves when the world is dropped (sender gone) or told to stop.
    while stop.changed().await.is_ok() {}
}

pub(crate) struct Request {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    close: bool,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

const MAX_HEAD: usize = 16 * 1024;

/// Serve one connection, keep-alive, until the client closes it or an action ends it.
async fn connection(mut stream: TcpStream, role: Role, shared: &Shared) {
    let counters = &shared.counters[&role];
    let mut buf = Vec::new();
    loop {
        let Some(req) = read_request(&mut stream, &mut buf, counters).await else {
            return;
        };
        counters.requests.fetch_add(1, Ordering::Relaxed);
        if !req.path.starts_with("/__fake/") {
            let agent = req.header("user-agent").unwrap_or("").to_string();
            let mut agents = counters.agents.lock().unwrap_or_else(|p| p.into_inner());
            if !agents.contains(&agent) && agents.len() < MAX_LOG {
                agents.push(agent);
            }
            let mut paths = counters.paths.lock().unwrap_or_else(|p| p.into_inner());
            if paths.len() < MAX_LOG {
                paths.push(req.path.clone());
            }
        }
        let replayed = shared
            .replays
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&(role, req.path.clone()))
            .cloned();
        let action = if req.path.starts_with("/__fake/") {
            admin(&req, shared)
        } else if let Some(page) = replayed {
            Action::Respond(page)
        } else {
            let (scenario, elapsed) = shared.scenario();
            pages::route(
                scenario,
                elapsed,
                role,
                &req.method,
                &req.path,
                req.header("if-none-match"),
            )
        };
        if !perform(&mut stream, action, counters).await || req.close {
            return;
        }
    }
}

async fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>, c: &Counters) -> Option<Request> {
    let head_end = loop {
        if let Some(i) = find(buf, b"\r\n\r\n") {
            break i;
        }
        if buf.len() > MAX_HEAD {
            return None;
        }
        let mut chunk = [0u8; 4096];
        let n = tokio::time::timeout(Duration::from_secs(30), stream.read(&mut chunk))
            .await
            .ok()?
            .ok()?;
        if n == 0 {
            return None;
        }
        c.bytes_in.fetch_add(n as u64, Ordering::Relaxed);
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split_whitespace();
    let (method, path) = (first.next()?.to_string(), first.next()?.to_string());
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0)
        .min(MAX_HEAD);
    buf.drain(..head_end + 4);
    while buf.len() < len {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        c.bytes_in.fetch_add(n as u64, Ordering::Relaxed);
        buf.extend_from_slice(&chunk[..n]);
    }
    let body: Vec<u8> = buf.drain(..len).collect();
    let close = headers
        .iter()
        .any(|(n, v)| n == "connection" && v.eq_ignore_ascii_case("close"));
    Some(Request {
        method,
        path,
        headers,
        body,
        close,
    })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn admin(req: &Request, shared: &Shared) -> Action {
    let text = |status: u16, body: String| Action::Respond(pages::Page::text(status, body));
    match (req.method.as_str(), req.path.as_str()) {
        ("GET", "/__fake/scenario") => text(200, format!("{}\n", shared.scenario().0)),
        ("PUT" | "POST", "/__fake/scenario") => {
            let name = String::from_utf8_lossy(&req.body).trim().to_string();
            match Scenario::parse(&name) {
                Some(s) => {
                    shared.set(s);
                    text(200, format!("{s}\n"))
                }
                None => text(400, format!("unknown scenario {name:?}\n")),
            }
        }
        ("GET", "/__fake/stats") => {
            let stats: serde_json::Map<String, serde_json::Value> = Role::ALL
                .iter()
                .map(|r| {
                    let c = &shared.counters[r];
                    (
                        r.name().to_string(),
                        serde_json::json!({
                            "requests": c.requests.load(Ordering::Relaxed),
                            "bytes_in": c.bytes_in.load(Ordering::Relaxed),
                            "bytes_out": c.bytes_out.load(Ordering::Relaxed),
                        }),
                    )
                })
                .collect();
            Action::Respond(pages::Page::json(
                200,
                serde_json::Value::Object(stats).to_string(),
            ))
        }
        _ => text(404, "no such admin path\n".into()),
    }
}

/// Carry out an action. `false`: the connection is finished.
fn perform<'a>(
    stream: &'a mut TcpStream,
    action: Action,
    c: &'a Counters,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = bool> + Send + 'a>> {
    Box::pin(async move {
        match action {
            Action::Respond(page) => {
                let bytes = page.into_bytes();
                c.bytes_out.fetch_add(bytes.len() as u64, Ordering::Relaxed);
                stream.write_all(&bytes).await.is_ok()
            }
            Action::Reset => {
                // SO_LINGER 0 turns close() into an RST.
                stream.set_zero_linger().ok();
                false
            }
            Action::Close => {
                stream.shutdown().await.ok();
                false
            }
            Action::Hang => {
                // Hold the connection open, silent, until the peer gives up.
                let mut sink = [0u8; 1024];
                while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
                false
            }
            Action::Delay(ms, then) => {
                tokio::time::sleep(Duration::from_millis(ms)).await;
                perform(stream, *then, c).await
            }
            Action::Drip(page, ms) => {
                let (head, body) = page.head_and_body();
                c.bytes_out.fetch_add(head.len() as u64, Ordering::Relaxed);
                if stream.write_all(&head).await.is_err() {
                    return false;
                }
                for b in body {
                    tokio::time::sleep(Duration::from_millis(ms)).await;
                    c.bytes_out.fetch_add(1, Ordering::Relaxed);
                    if stream.write_all(&[b]).await.is_err() {
                        return false;
                    }
                }
                true
            }
            Action::CutHalfway(page) => {
                let (head, body) = page.head_and_body();
                let half = &body[..body.len() / 2];
                c.bytes_out
                    .fetch_add((head.len() + half.len()) as u64, Ordering::Relaxed);
                if stream.write_all(&head).await.is_ok() && stream.write_all(half).await.is_ok() {
                    stream.flush().await.ok();
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                stream.set_zero_linger().ok();
                false
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenario_names_round_trip() {
        for s in Scenario::all() {
            assert_eq!(Scenario::parse(&s.to_string()), Some(s), "{s}");
        }
        assert_eq!(
            Scenario::parse("slow:250"),
            Some(Scenario::Slow { ms: 250 })
        );
        assert_eq!(
            Scenario::parse("flapping:2000"),
            Some(Scenario::Flapping { period_ms: 2000 })
        );
        assert_eq!(Scenario::parse("healthy:3"), None);
        assert_eq!(Scenario::parse("nope"), None);
    }
}
