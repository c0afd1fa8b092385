//! The data a check produces, before anyone interprets it.
//!
//! The prober (I/O) fills an [`Observation`]; everything after that — classification, diagnosis,
//! the monitor — is a pure function of these values. Keeping raw facts (status, a few headers, the
//! first bytes of a body, the kind of network failure) separate from their meaning is what lets the
//! diagnosis be tested exhaustively from tables.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::certname::CertNames;
use crate::statuspage::StatusReport;

/// Which of the probed services a request went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// `chatgpt.com/cdn-cgi/trace`, answered by Cloudflare's edge itself.
    Edge,
    /// A light chatgpt.com request that must reach OpenAI's servers.
    Origin,
    /// An unauthenticated api.openai.com request (401 + JSON error = alive).
    Api,
    /// OpenAI's status page.
    StatusPage,
    /// An unrelated host, asked only when everything else failed at the network level.
    Control,
    /// The phone apps' host (ios.chat.openai.com): a second door to OpenAI's servers that
    /// clients without a browser pass, and a measurement for the "use the phone app" advice.
    App,
}

impl Target {
    pub const fn as_str(self) -> &'static str {
        match self {
            Target::Edge => "edge",
            Target::Origin => "origin",
            Target::Api => "api",
            Target::StatusPage => "status_page",
            Target::Control => "control",
            Target::App => "app",
        }
    }
}

/// How a request failed below HTTP: the distinction matters ("your internet" vs "their server").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NetErrorKind {
    /// The host name did not resolve.
    Dns,
    /// The TCP connection was refused or could not be opened.
    Connect,
    /// No answer within the time limit (connect or total).
    Timeout,
    /// The connection was reset or closed before a complete HTTP answer.
    Reset,
    /// The TLS handshake failed (certificate, protocol, interception).
    Tls,
    /// Anything else below HTTP (malformed response, protocol error).
    Protocol,
    /// The proxy wants a login (407 to the tunnel request).
    ProxyAuth,
    /// The proxy would not open a tunnel (its own refusal or error), or could not be reached.
    ProxyRefused,
}

impl NetErrorKind {
    /// Every kind, for the checks that say each in words.
    pub const ALL: [NetErrorKind; 8] = [
        NetErrorKind::Dns,
        NetErrorKind::Connect,
        NetErrorKind::Timeout,
        NetErrorKind::Reset,
        NetErrorKind::Tls,
        NetErrorKind::Protocol,
        NetErrorKind::ProxyAuth,
        NetErrorKind::ProxyRefused,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            NetErrorKind::Dns => "dns",
            NetErrorKind::Connect => "connect",
            NetErrorKind::Timeout => "timeout",
            NetErrorKind::Reset => "reset",
            NetErrorKind::Tls => "tls",
            NetErrorKind::Protocol => "protocol",
            NetErrorKind::ProxyAuth => "proxy_auth",
            NetErrorKind::ProxyRefused => "proxy_refused",
        }
    }
}

/// An HTTP answer, reduced to what diagnosis needs. The body is at most the prober's cap.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HttpResponse {
    pub status: u16,
    /// Header names lower-cased; only the headers the diagnosis reads are kept.
    pub headers: Vec<(String, String)>,
    /// The first bytes of the body, decoded lossily as UTF-8.
    pub body: String,
    /// The body was longer than the cap (or did not finish in time) and was cut.
    pub truncated: bool,
}

impl HttpResponse {
    pub fn new(status: u16) -> Self {
        HttpResponse {
            status,
            ..Default::default()
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers
            .push((name.to_ascii_lowercase(), value.to_string()));
        self
    }

    pub fn with_body(mut self, body: &str) -> Self {
        self.body = body.to_string();
        self
    }

    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What came back from one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    Response(HttpResponse),
    Failed { error: NetErrorKind, detail: String },
}

/// What the name of a request's host resolved to, when Gatewatch resolved it itself: a direct
/// connection (through a proxy, the proxy resolves, and this is `None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DnsAnswer {
    /// These addresses, in the order they were tried.
    Addresses { addrs: Vec<IpAddr> },
    /// The resolver says the name does not exist (NXDOMAIN). chatgpt.com always exists.
    NoSuchName,
    /// The lookup failed otherwise (no answer, a server failure).
    Failed,
}

impl DnsAnswer {
    pub fn first(&self) -> Option<IpAddr> {
        match self {
            DnsAnswer::Addresses { addrs } => addrs.first().copied(),
            _ => None,
        }
    }
}

/// A closer look at a request to chatgpt.com that failed below HTTP, taken by the prober right
/// after it failed: what the proxy said to the tunnel request, or how far a TLS handshake of
/// Gatewatch's own got (no request is ever sent over it).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Look {
    /// The proxy's own answer to `CONNECT chatgpt.com:443`, when it refused the tunnel.
    pub proxy_answer: Option<HttpResponse>,
    pub handshake: Option<Handshake>,
}

/// How a TLS handshake with the host's name went, seen from Gatewatch's side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Handshake {
    /// The server presented this certificate (read for its names, never trusted).
    Certificate { names: CertNames },
    /// The connection was cut right after Gatewatch's ClientHello, before any answer.
    /// `other_name`: whether the same address answered a ClientHello for another name (a
    /// filter that reads the name cuts only OpenAI's); `None` when that was not tried.
    ResetAfterHello { other_name: Option<bool> },
    /// The server answered the ClientHello with a TLS alert, or otherwise not with a certificate.
    Refused,
    /// The connection itself could not be made, or the hello got no answer in time.
    NoConnection { error: NetErrorKind },
}

/// One request of a check: where it went, what came back and how long it took.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Probe {
    pub target: Target,
    pub url: String,
    pub outcome: Outcome,
    pub latency_ms: u64,
    /// The address the request was answered from (the proxy's, through a proxy), or for a
    /// failed request the first address its name resolved to.
    #[serde(default)]
    pub addr: Option<IpAddr>,
    /// What the host's name resolved to, when Gatewatch resolved it (direct connections).
    #[serde(default)]
    pub dns: Option<DnsAnswer>,
    /// A closer look after a failure below HTTP (chatgpt.com only).
    #[serde(default)]
    pub look: Option<Look>,
}

impl Probe {
    /// A probe with only what every request has; where it went and what was seen below HTTP
    /// are added by the prober.
    pub fn new(target: Target, url: impl Into<String>, outcome: Outcome, latency_ms: u64) -> Probe {
        Probe {
            target,
            url: url.into(),
            outcome,
            latency_ms,
            addr: None,
            dns: None,
            look: None,
        }
    }

    /// The host the request was for (lower-cased), from its URL.
    pub fn host(&self) -> Option<String> {
        crate::addr::url_host(&self.url)
    }

    pub fn response(&self) -> Option<&HttpResponse> {
        match &self.outcome {
            Outcome::Response(r) => Some(r),
            Outcome::Failed { .. } => None,
        }
    }

    pub fn net_error(&self) -> Option<NetErrorKind> {
        match &self.outcome {
            Outcome::Failed { error, .. } => Some(*error),
            Outcome::Response(_) => None,
        }
    }
}

/// Which doors a check asked. A healthy minute costs one request: while the last answer was
/// healthy the monitor asks chatgpt.com alone, and any other answer makes the same check ask
/// every door (see [`crate::monitor::Monitor::doors`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Asked {
    /// The edge trace, the API and the phone apps' route as well as chatgpt.com (and the
    /// control host when all of them failed below HTTP).
    #[default]
    AllDoors,
    /// chatgpt.com alone: it answered as a healthy site does, so nothing else was needed.
    ChatgptOnly,
}

impl Asked {
    pub const fn as_str(self) -> &'static str {
        match self {
            Asked::AllDoors => "all_doors",
            Asked::ChatgptOnly => "chatgpt_only",
        }
    }
}

/// Everything one check learned. Probes that were not run (disabled, or not needed) are `None`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Observation {
    /// Which doors were asked (observations recorded before this existed asked them all).
    #[serde(default)]
    pub asked: Asked,
    pub edge: Option<Probe>,
    pub origin: Option<Probe>,
    pub api: Option<Probe>,
    pub control: Option<Probe>,
    /// The phone apps' route (absent from observations recorded before it existed).
    #[serde(default)]
    pub app: Option<Probe>,
    /// The status page as last read (it is polled less often than the rest), if ever.
    pub status_page: Option<StatusReport>,
    /// An answer slower than this (ms) counts as "slow" and makes the verdict at best degraded.
    pub slow_ms: u64,
    /// The proxy the requests went through (no password), `None` when they went direct.
    #[serde(default)]
    pub proxy: Option<String>,
    /// What the user should know about the proxy (a PAC script that was not evaluated).
    #[serde(default)]
    pub proxy_note: Option<String>,
}

impl Observation {
    /// The probes that were run, in a stable order.
    pub fn probes(&self) -> impl Iterator<Item = &Probe> {
        [
            &self.edge,
            &self.origin,
            &self.api,
            &self.app,
            &self.control,
        ]
        .into_iter()
        .filter_map(|p| p.as_ref())
    }
}
