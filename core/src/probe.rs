//! The prober: the only code that talks to the network.
//!
//! A full check sends, concurrently, the edge trace, the origin request, the API request, the
//! phone apps' route and — every few minutes, with `If-None-Match` — the status page. When
//! chatgpt.com does not answer through Cloudflare (it fails below HTTP, or something else
//! answers in its place) it also asks the control host for its known answer — an empty `204`
//! over plain HTTP, as operating systems check for captive portals — and takes a closer look at
//! how chatgpt.com failed ([`look`]: the proxy's own answer, the certificate shown, a
//! connection cut after the ClientHello). Names are resolved by a resolver that records its
//! answers ([`resolve`]), since where OpenAI's names resolve is evidence too. While ChatGPT is
//! healthy the monitor asks for chatgpt.com alone, and the prober widens to every door within
//! the same check when that answer is anything but healthy ([`Prober::check`]). Every request
//! has a connect and a total timeout, a body cap and an identifying User-Agent; redirects are
//! not followed (an answer is an answer). Only https leaves the machine, but for the known
//! answer, which carries nothing. What comes back is turned into plain [`Observation`] data.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, ACCEPT, ETAG, IF_NONE_MATCH};

use crate::diagnose;
use crate::model::{Asked, HttpResponse, NetErrorKind, Observation, Outcome, Probe, Target};
use crate::proxy;
use crate::settings::{is_loopback_url, Config, Endpoints, Probes};
use crate::statuspage::{self, PageError, PageFailure, StatusReport};

pub mod look;
pub mod resolve;

use resolve::Recorder;

pub const USER_AGENT: &str = concat!(
    "Gatewatch/",
    env!("CARGO_PKG_VERSION"),
    " (ChatGPT status monitor)"
);

/// Answered by Cloudflare's edge itself: a few hundred bytes of `key=value`.
pub const TRACE_PATH: &str = "/cdn-cgi/trace";
/// A tiny, uncached request that must reach OpenAI's servers: `{}` when logged out.
pub const ORIGIN_PATH: &str = "/api/auth/session";
/// Unauthenticated: a 401 with a JSON error proves the API is alive.
pub const API_PATH: &str = "/v1/models";
pub const STATUS_PATH: &str = "/api/v2/summary.json";
/// incident.io's own feed, tried when the Statuspage-compatible one is missing or unreadable.
pub const STATUS_FALLBACK_PATH: &str = "/proxy/status.openai.com";
pub const CONTROL_PATH: &str = "/generate_204";
/// The phone apps' host, asked at its root: see [`crate::settings::DEFAULT_APP`].
pub const APP_PATH: &str = "/";

/// Status-page JSON may legitimately be larger than a probe body; still bounded.
pub const STATUS_BODY_CAP: usize = 256 * 1024;
/// A remembered status report older than this many status intervals is no longer shown.
const STATUS_STALE_FACTOR: u32 = 3;

/// Headers worth keeping from an answer (everything the diagnosis reads).
const KEPT_HEADERS: &[&str] = &[
    "server",
    "cf-ray",
    "cf-mitigated",
    "cf-error-type",
    "cf-error-origin",
    "content-type",
    "retry-after",
    // Retry-After may be a date: read against the answer's own clock, not ours.
    "date",
    // Added by OpenAI's proxy layer: the answer reached OpenAI's servers.
    "x-envoy-upstream-service-time",
    // A block page's own marks: Squid's, Pi-hole's, NextDNS's, a proxy's `Via`.
    "x-squid-error",
    "x-pi-hole",
    "blocked-by",
    "via",
];

/// Is this header one the diagnosis reads?
pub(crate) fn kept(name: &str) -> bool {
    KEPT_HEADERS.iter().any(|k| k.eq_ignore_ascii_case(name))
}

/// The longest the closer look at a failure may take.
const LOOK_LIMIT: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    #[error("cannot set up the HTTP client (or its proxy): {0}")]
    Client(#[from] reqwest::Error),
}

struct StatusCache {
    report: Option<StatusReport>,
    etag: Option<String>,
    url: Option<String>,
    fetched: Option<Instant>,
}

pub struct Prober {
    client: reqwest::Client,
    route: proxy::Route,
    resolver: Recorder,
    cfg: Config,
    status: StatusCache,
}

impl Prober {
    pub fn new(cfg: Config) -> Result<Self, ProbeError> {
        let resolver = Recorder::new(cfg.endpoints.resolve_overrides());
        let b = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(cfg.probe.connect_timeout)
            .timeout(cfg.probe.timeout)
            .redirect(reqwest::redirect::Policy::none())
            // Redirects are not followed, so the configured endpoints are the only URLs ever
            // requested; each is https unless it is loopback or the known-answer check
            // (checked in `to_config`, and again before each request by `allowed`).
            .https_only(false)
            .dns_resolver(Arc::new(resolver.clone()))
            .pool_max_idle_per_host(1)
            .pool_idle_timeout(Duration::from_secs(90));
        // A proxy from the environment never sees traffic meant for this machine (`proxy::apply`).
        let (b, route) = proxy::apply(b, &cfg.proxy, cfg.endpoints.any_loopback())?;
        Ok(Prober {
            client: b.build()?,
            route,
            resolver,
            cfg,
            status: StatusCache {
                report: None,
                etag: None,
                url: None,
                fetched: None,
            },
        })
    }

    pub fn config(&self) -> &Config {
        &self.cfg
    }

    /// The proxy the requests go through, as applied.
    pub fn route(&self) -> &proxy::Route {
        &self.route
    }

    /// Run one check asking every door (what `gatewatch check` does). `wall_ms` stamps a
    /// freshly fetched status report. Also returns why the status page could not be read, when
    /// it was due this time and failed.
    pub async fn observe(&mut self, wall_ms: i64) -> (Observation, Option<PageFailure>) {
        self.check(Asked::AllDoors, wall_ms).await
    }

    /// Run one check. With [`Asked::ChatgptOnly`] chatgpt.com is asked alone (with the status
    /// page when it is due), and only if its answer does not read as healthy on its own
    /// ([`diagnose::needs_other_doors`]) are the other doors asked, in the same check, at once.
    /// The observation says which doors were asked in the end.
    pub async fn check(
        &mut self,
        asked: Asked,
        wall_ms: i64,
    ) -> (Observation, Option<PageFailure>) {
        let e = &self.cfg.endpoints;
        let origin_url = Endpoints::join(&e.chatgpt, ORIGIN_PATH);
        let doors = DoorUrls {
            edge: Endpoints::join(&e.chatgpt, TRACE_PATH),
            api: Endpoints::join(&e.api, API_PATH),
            app: Endpoints::join(&e.app, APP_PATH),
        };
        let p = self.cfg.probes.clone();
        let status_due = p.status_page
            && self
                .status
                .fetched
                .is_none_or(|t| t.elapsed() >= self.cfg.probe.status_interval);

        let net = Net {
            client: &self.client.clone(),
            resolver: &self.resolver.clone(),
        };
        let cap = self.cfg.probe.body_cap;
        let all_doors = asked == Asked::AllDoors;
        let origin = net.get(Target::Origin, &origin_url, "application/json", None, cap);
        let (origin, fresh, others) = tokio::join!(
            origin,
            async {
                if status_due {
                    Some(fetch_status(&net, &self.cfg.endpoints, &self.status, wall_ms).await)
                } else {
                    None
                }
            },
            async {
                if all_doors {
                    Some(ask_doors(&net, &doors, &p, cap).await)
                } else {
                    None
                }
            }
        );
        let status_error = fresh.and_then(|result| self.apply_status(result));
        let mut observation = Observation {
            asked: Asked::ChatgptOnly,
            origin: Some(origin.0),
            status_page: self.status_report(),
            slow_ms: self.cfg.probe.slow_ms,
            proxy: self.route.via.clone(),
            proxy_note: self.route.note.clone(),
            ..Observation::default()
        };
        let others = match others {
            Some(o) => o,
            None if !diagnose::needs_other_doors(&diagnose::diagnose(&observation)) => {
                return (observation, status_error);
            }
            None => ask_doors(&net, &doors, &p, cap).await,
        };
        observation.asked = Asked::AllDoors;
        observation.edge = others.edge;
        observation.api = others.api;
        observation.app = others.app;
        // chatgpt.com did not answer through Cloudflare: ask for the known answer, and look
        // closer at how chatgpt.com failed, both at once.
        if diagnose::needs_known_answer(&observation) {
            let control_url = Endpoints::join(&self.cfg.endpoints.control, CONTROL_PATH);
            let failure = observation
                .origin
                .as_ref()
                .and_then(|o| o.net_error().map(|e| (o.url.clone(), e)));
            let proxy = self.route.proxy_url();
            let (control, look) = tokio::join!(
                async {
                    if p.control {
                        Some(
                            net.get(Target::Control, &control_url, "*/*", None, 1024)
                                .await
                                .0,
                        )
                    } else {
                        None
                    }
                },
                async {
                    match failure {
                        Some((url, error)) => {
                            look::look(&url, error, proxy, net.resolver, self.look_limit()).await
                        }
                        None => None,
                    }
                }
            );
            observation.control = control;
            if let Some(o) = observation.origin.as_mut() {
                o.look = look;
            }
        }
        (observation, status_error)
    }

    fn look_limit(&self) -> Duration {
        self.cfg.probe.timeout.min(LOOK_LIMIT)
    }

    /// The remembered status report, unless it is too old to show.
    fn status_report(&self) -> Option<StatusReport> {
        let max_age = self.cfg.probe.status_interval * STATUS_STALE_FACTOR;
        self.status
            .report
            .clone()
            .filter(|_| self.status.fetched.is_some_and(|t| t.elapsed() <= max_age))
    }

    fn apply_status(&mut self, r: StatusFetch) -> Option<PageFailure> {
        self.status.fetched = Some(Instant::now());
        match r {
            StatusFetch::NotModified => None,
            StatusFetch::Fresh { report, etag, url } => {
                self.status.report = Some(report);
                self.status.etag = etag;
                self.status.url = Some(url);
                None
            }
            StatusFetch::Failed(e) => {
                self.status.etag = None;
                Some(e)
            }
        }
    }
}

/// The doors other than chatgpt.com's own page…
struct DoorUrls {
    edge: String,
    api: String,
    app: String,
}

/// …and what they answered.
struct Doors {
    edge: Option<Probe>,
    api: Option<Probe>,
    app: Option<Probe>,
}

/// The edge trace, the API and the phone apps' route, concurrently (each unless disabled).
async fn ask_doors(net: &Net<'_>, urls: &DoorUrls, p: &Probes, cap: usize) -> Doors {
    let one = |on: bool, target: Target, url: &str, accept: &'static str| {
        let url = url.to_string();
        async move {
            if on {
                Some(net.get(target, &url, accept, None, cap).await.0)
            } else {
                None
            }
        }
    };
    let (edge, api, app) = tokio::join!(
        one(p.edge, Target::Edge, &urls.edge, "text/plain"),
        one(p.api, Target::Api, &urls.api, "application/json"),
        one(p.app, Target::App, &urls.app, "*/*"),
    );
    Doors { edge, api, app }
}

enum StatusFetch {
    NotModified,
    Fresh {
        report: StatusReport,
        etag: Option<String>,
        url: String,
    },
    Failed(PageFailure),
}

async fn fetch_status(
    net: &Net<'_>,
    e: &Endpoints,
    cache: &StatusCache,
    wall_ms: i64,
) -> StatusFetch {
    let primary = Endpoints::join(&e.status, STATUS_PATH);
    let fallback = Endpoints::join(&e.status, STATUS_FALLBACK_PATH);
    // Ask the URL that worked last time first, with its ETag.
    let order = match cache.url.as_deref() {
        Some(u) if u == fallback => [fallback.clone(), primary.clone()],
        _ => [primary.clone(), fallback.clone()],
    };
    let mut first_error = None;
    for url in order {
        let etag = if cache.url.as_deref() == Some(url.as_str()) {
            cache.etag.as_deref()
        } else {
            None
        };
        let (probe, new_etag) = net
            .get(
                Target::StatusPage,
                &url,
                "application/json",
                etag,
                STATUS_BODY_CAP,
            )
            .await;
        let (error, detail) = match &probe.outcome {
            Outcome::Response(r) if r.status == 304 && etag.is_some() => {
                return StatusFetch::NotModified
            }
            Outcome::Response(r) if r.status == 200 && r.truncated => (
                PageError::TooLarge {
                    kib: STATUS_BODY_CAP / 1024,
                },
                format!(
                    "{url}: the answer is larger than {} KiB",
                    STATUS_BODY_CAP / 1024
                ),
            ),
            Outcome::Response(r) if r.status == 200 => match statuspage::parse(&r.body, wall_ms) {
                Ok(report) => {
                    return StatusFetch::Fresh {
                        report,
                        etag: new_etag,
                        url,
                    }
                }
                Err(e) => (PageError::Unreadable, format!("{url}: {e}")),
            },
            Outcome::Response(r) => (
                PageError::Http { status: r.status },
                format!("{url}: HTTP {}", r.status),
            ),
            Outcome::Failed { error, detail } => {
                (PageError::NoAnswer { error: *error }, detail.clone())
            }
        };
        let error = PageFailure { error, detail };
        first_error.get_or_insert(error);
    }
    StatusFetch::Failed(first_error.unwrap_or(PageFailure {
        error: PageError::Unreadable,
        detail: "no status page URL was asked".into(),
    }))
}

/// What every request goes out with: the client, and the resolver that records its answers.
struct Net<'a> {
    client: &'a reqwest::Client,
    resolver: &'a Recorder,
}

impl Net<'_> {
    /// One GET with a body cap. Returns the probe and the answer's ETag, if any.
    async fn get(
        &self,
        target: Target,
        url: &str,
        accept: &str,
        if_none_match: Option<&str>,
        cap: usize,
    ) -> (Probe, Option<String>) {
        let started = Instant::now();
        let elapsed = |s: Instant| s.elapsed().as_millis().min(u64::MAX as u128) as u64;
        if !allowed(target, url) {
            let outcome = Outcome::Failed {
                error: NetErrorKind::Protocol,
                detail: "refused: plain http is used only on this machine and for the known-answer check".into(),
            };
            return (Probe::new(target, url, outcome, 0), None);
        }
        let mut req = self.client.get(url).header(ACCEPT, accept);
        if let Some(tag) = if_none_match {
            req = req.header(IF_NONE_MATCH, tag);
        }
        let resp = match req.send().await {
            Ok(r) => r,
            Err(e) => {
                let (error, detail) = net_error(&e);
                let mut probe = Probe::new(
                    target,
                    url,
                    Outcome::Failed { error, detail },
                    elapsed(started),
                );
                self.place(&mut probe, None);
                return (probe, None);
            }
        };
        // Latency is time to the answer's head: what a user feels before the page starts.
        let latency_ms = elapsed(started);
        let status = resp.status().as_u16();
        let headers = kept_headers(resp.headers());
        let remote = resp.remote_addr().map(|a| a.ip());
        let etag = resp
            .headers()
            .get(ETAG)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let (body, truncated) = read_capped(resp, cap).await;
        let outcome = Outcome::Response(HttpResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
            truncated,
        });
        let mut probe = Probe::new(target, url, outcome, latency_ms);
        self.place(&mut probe, remote);
        (probe, etag)
    }

    /// Where the request went: the address that answered (or, when none did, the first its
    /// name resolved to), and the name's answer when this resolver gave it.
    fn place(&self, probe: &mut Probe, remote: Option<std::net::IpAddr>) {
        probe.dns = probe
            .host()
            .filter(|h| h.parse::<std::net::IpAddr>().is_err())
            .and_then(|h| self.resolver.answer(&h));
        probe.addr = remote.or_else(|| probe.dns.as_ref().and_then(|d| d.first()));
    }
}

/// Only https leaves this machine, but for the known-answer check (plain http by design: a
/// captive portal can answer only that in the internet's name), which carries nothing.
fn allowed(target: Target, url: &str) -> bool {
    match url::Url::parse(url) {
        Ok(u) => u.scheme() == "https" || is_loopback_url(&u) || target == Target::Control,
        Err(_) => false,
    }
}

/// Read at most `cap` bytes. A body that is cut short (cap, timeout, reset mid-body) keeps what
/// arrived and is marked truncated: the status line already said what the server meant.
async fn read_capped(mut resp: reqwest::Response, cap: usize) -> (Vec<u8>, bool) {
    let mut body = Vec::new();
    loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                let room = cap - body.len();
                if chunk.len() >= room {
                    body.extend_from_slice(&chunk[..room]);
                    return (body, true);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return (body, false),
            Err(_) => return (body, true),
        }
    }
}

fn kept_headers(h: &HeaderMap) -> Vec<(String, String)> {
    KEPT_HEADERS
        .iter()
        .filter_map(|name| {
            let v = h.get(*name)?.to_str().ok()?;
            Some((name.to_string(), v.chars().take(200).collect()))
        })
        .collect()
}

/// What kind of failure a reqwest error is, from its whole source chain (the update check's
/// requests are read the same way: `update::fetch`).
pub(crate) fn net_error(e: &reqwest::Error) -> (NetErrorKind, String) {
    let mut chain = Vec::new();
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        chain.push(err.to_string());
        cur = err.source();
    }
    let detail: String = chain.join(": ").chars().take(300).collect();
    let all = detail.to_ascii_lowercase();
    // The proxy's own answers to the tunnel (CONNECT) request, as hyper-util words them.
    let kind = if all.contains("proxy authorization required") {
        NetErrorKind::ProxyAuth
    } else if all.contains("tunnel error") {
        NetErrorKind::ProxyRefused
    } else if e.is_timeout() || all.contains("timed out") || all.contains("deadline has elapsed") {
        NetErrorKind::Timeout
    } else if all.contains("dns error")
        || all.contains("failed to lookup")
        || all.contains("name or service not known")
    {
        NetErrorKind::Dns
    } else if all.contains("certificate")
        || all.contains("tls")
        || all.contains("handshake")
        || all.contains("invalid peer")
    {
        NetErrorKind::Tls
    } else if all.contains("connection refused") || (e.is_connect() && !all.contains("reset")) {
        NetErrorKind::Connect
    } else if all.contains("reset")
        || all.contains("closed before message completed")
        || all.contains("connection closed")
        || all.contains("broken pipe")
        || all.contains("incomplete")
    {
        NetErrorKind::Reset
    } else {
        NetErrorKind::Protocol
    };
    (kind, detail)
}
