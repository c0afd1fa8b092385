//! From an [`Observation`] to a [`Diagnosis`]: who failed, why, and what to do.
//!
//! The path is you → your network (its filter, its proxy) → Cloudflare's edge (the switchboard)
//! → OpenAI's servers (the office). Each probe tests part of it: the trace reaches only the edge,
//! the origin request goes all the way, the API and the phone apps' host are other doors into the
//! same office, and the control host's known answer (a plain-HTTP `204`, asked when OpenAI's
//! doors fail or answer without Cloudflare) tells "your internet works" from "it does not" and
//! from "a login page answers in its place".
//!
//! The evidence is read in the order of the path, as Android's NetworkMonitor does: one layer per
//! module, each answering "does this layer explain what was seen?" — [`network`] (a login page,
//! no internet), [`proxy`] (a proxy wanting a login, failing, or refusing by policy), [`filter`]
//! (a network that blocks ChatGPT: a filter's page, a DNS answer outside Cloudflare, a reset
//! after the ClientHello, a block server's certificate; or one that intercepts TLS), then
//! [`service`] (Cloudflare and OpenAI themselves) and, when chatgpt.com cannot be seen through,
//! [`blind`]. The first layer that explains the evidence gives the verdict. A pure function: no
//! clock, no network; every branch is covered by the tables in the tests.

use serde::{Deserialize, Serialize};

use crate::classify::{classify, classify_app, parse_trace, ray_colo, via_cloudflare, Class};
use crate::model::{HttpResponse, NetErrorKind, Observation, Probe, Target};
use crate::statuspage::{ComponentStatus, Incident, Indicator, StatusReport};

mod blind;
mod filter;
mod network;
mod proxy;
mod service;

/// The stable verdict names (they appear in JSON, exit codes and history).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Up,
    Degraded,
    BadGateway,
    OriginError,
    EdgeError,
    Blocked,
    Offline,
    Unknown,
}

/// How a verdict counts for the monitor and for exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Health {
    /// ChatGPT works (possibly slowly, possibly refusing this client).
    Working,
    /// ChatGPT is down.
    Down,
    /// We cannot tell (our own network is down, or the evidence is inconclusive).
    CantTell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Color {
    Green,
    Amber,
    Red,
    Grey,
}

impl Color {
    pub const fn as_str(self) -> &'static str {
        match self {
            Color::Green => "green",
            Color::Amber => "amber",
            Color::Red => "red",
            Color::Grey => "grey",
        }
    }
}

impl Verdict {
    pub const ALL: [Verdict; 8] = [
        Verdict::Up,
        Verdict::Degraded,
        Verdict::BadGateway,
        Verdict::OriginError,
        Verdict::EdgeError,
        Verdict::Blocked,
        Verdict::Offline,
        Verdict::Unknown,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Verdict::Up => "up",
            Verdict::Degraded => "degraded",
            Verdict::BadGateway => "bad_gateway",
            Verdict::OriginError => "origin_error",
            Verdict::EdgeError => "edge_error",
            Verdict::Blocked => "blocked",
            Verdict::Offline => "offline",
            Verdict::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub const fn health(self) -> Health {
        match self {
            Verdict::Up | Verdict::Degraded | Verdict::Blocked => Health::Working,
            Verdict::BadGateway | Verdict::OriginError | Verdict::EdgeError => Health::Down,
            Verdict::Offline | Verdict::Unknown => Health::CantTell,
        }
    }

    pub const fn color(self) -> Color {
        match self {
            Verdict::Up => Color::Green,
            Verdict::Degraded | Verdict::Blocked => Color::Amber,
            Verdict::BadGateway | Verdict::OriginError | Verdict::EdgeError => Color::Red,
            Verdict::Offline | Verdict::Unknown => Color::Grey,
        }
    }

    /// The CLI's exit code: 0 up, 1 degraded or blocked, 2 down, 3 cannot tell.
    pub const fn exit_code(self) -> i32 {
        match self {
            Verdict::Up => 0,
            Verdict::Degraded | Verdict::Blocked => 1,
            Verdict::BadGateway | Verdict::OriginError | Verdict::EdgeError => 2,
            Verdict::Offline | Verdict::Unknown => 3,
        }
    }
}

/// The hop of the path that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    /// Nothing failed.
    None,
    /// Your computer or your network.
    Network,
    /// The proxy your requests go through (between your network and Cloudflare).
    Proxy,
    /// Cloudflare's edge, the switchboard.
    Edge,
    /// OpenAI's servers behind Cloudflare, the office.
    Origin,
    /// Cannot say.
    Unclear,
}

/// The likely cause, named from the evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    Healthy,
    Slow,
    /// Some OpenAI door fails while chatgpt.com answers (the API, or the edge trace).
    PartialFailure,
    /// The official status page admits a ChatGPT problem while the site answers.
    OfficialIncident,
    /// 502/504/520/522/524: OpenAI's servers are overloaded or failing to answer Cloudflare.
    Overload,
    /// 521/523/530: Cloudflare cannot reach OpenAI's servers at all (broken link, down, DNS).
    BrokenLink,
    /// 525/526: the secure connection between Cloudflare and OpenAI fails.
    OriginTls,
    /// The status page announces maintenance and the site fails.
    Maintenance,
    /// OpenAI's status page reports ChatGPT down, and nothing Gatewatch can see contradicts it
    /// (used when chatgpt.com itself cannot be seen: see [`Blind`]).
    OfficialOutage,
    /// OpenAI's servers answered with their own error.
    OriginFailure,
    /// Cloudflare's own pages report its own failure.
    CloudflareFailure,
    /// Cloudflare does not answer at all while the rest of the internet does.
    CloudflareUnreachable,
    /// A bot check ("Just a moment...") in place of the page.
    Challenge,
    AccessDenied,
    RateLimited,
    Region,
    /// A network that intercepts requests (Wi-Fi login page, proxy).
    CaptivePortal,
    /// Your own connection is down.
    YourNetwork,
    /// The proxy between you and the internet wants a login (407).
    ProxyLogin,
    /// Your network's proxy answers, but cannot reach the internet (its own error pages, or a
    /// refused tunnel).
    ProxyFailing,
    /// The proxy the checks go through does not answer at all.
    ProxyUnreachable,
    /// chatgpt.com's certificate is not a trusted one (Cloudflare's always are): something on
    /// your network intercepts secure connections.
    TlsIntercepted,
    /// The network (its web filter, its DNS, its proxy by policy) blocks ChatGPT, while the rest
    /// of the internet works: see [`NetworkBlock`].
    NetworkBlocks,
    /// The evidence does not point anywhere.
    Inconclusive,
}

impl Cause {
    pub const ALL: [Cause; 24] = [
        Cause::Healthy,
        Cause::Slow,
        Cause::PartialFailure,
        Cause::OfficialIncident,
        Cause::Overload,
        Cause::BrokenLink,
        Cause::OriginTls,
        Cause::Maintenance,
        Cause::OfficialOutage,
        Cause::OriginFailure,
        Cause::CloudflareFailure,
        Cause::CloudflareUnreachable,
        Cause::Challenge,
        Cause::AccessDenied,
        Cause::RateLimited,
        Cause::Region,
        Cause::CaptivePortal,
        Cause::YourNetwork,
        Cause::ProxyLogin,
        Cause::ProxyFailing,
        Cause::ProxyUnreachable,
        Cause::TlsIntercepted,
        Cause::NetworkBlocks,
        Cause::Inconclusive,
    ];
}

/// What the user can do, in the order the diagnosis recommends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Advice {
    /// Use the ChatGPT phone app: it reaches OpenAI by another route (not a promise).
    PhoneApp,
    /// Use the ChatGPT phone app: its route was measured and answers right now.
    PhoneAppAnswers,
    /// Reload the page in a minute.
    Reload,
    /// Other OpenAI services (the API) still answer.
    OtherServices,
    /// Nothing to do on your side: wait, Gatewatch will tell you when it is back.
    Wait,
    /// See what OpenAI's status page says.
    StatusPage,
    /// Check your own connection (Wi-Fi, cable, router).
    CheckConnection,
    /// Sign in to the Wi-Fi's login page.
    SignInToNetwork,
    /// Open chatgpt.com in your browser to pass the check.
    OpenInBrowser,
    /// Turn off the VPN or proxy, or try another network.
    ChangeNetwork,
    /// Slow down; the limit lifts by itself.
    WaitForLimit,
    /// Check the proxy setting (its address, user name and password).
    ProxySettings,
    /// This network blocks ChatGPT: mobile data gets round it (the phone app on mobile data).
    MobileData,
    /// Ask the network's administrator (work, school) whether ChatGPT is allowed.
    AskAdministrator,
    /// A VPN gets round the block, but only where the network's rules allow one.
    VpnIfAllowed,
}

impl Advice {
    pub const ALL: [Advice; 15] = [
        Advice::PhoneApp,
        Advice::PhoneAppAnswers,
        Advice::Reload,
        Advice::OtherServices,
        Advice::Wait,
        Advice::StatusPage,
        Advice::CheckConnection,
        Advice::SignInToNetwork,
        Advice::OpenInBrowser,
        Advice::ChangeNetwork,
        Advice::WaitForLimit,
        Advice::ProxySettings,
        Advice::MobileData,
        Advice::AskAdministrator,
        Advice::VpnIfAllowed,
    ];
}

/// One fact that led to the verdict, kept structured so it can be shown in any language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "fact", rename_all = "snake_case")]
pub enum Evidence {
    /// Cloudflare's edge answered its trace.
    EdgeAnswered {
        colo: Option<String>,
        latency_ms: u64,
    },
    /// Something answered the trace URL, but not with Cloudflare's trace.
    EdgeNotTrace {
        status: u16,
    },
    /// The trace URL answered with an error status.
    EdgeHttpError {
        status: u16,
    },
    EdgeFailed {
        error: NetErrorKind,
    },
    /// chatgpt.com answered.
    OriginAnswered {
        status: u16,
        class: String,
        code: Option<u16>,
        colo: Option<String>,
        latency_ms: u64,
    },
    OriginFailed {
        error: NetErrorKind,
        latency_ms: u64,
    },
    ApiAlive {
        latency_ms: u64,
    },
    ApiHttpError {
        status: u16,
        class: String,
    },
    ApiFailed {
        error: NetErrorKind,
    },
    /// The control host's known answer came back as it should (`204`, no body): the internet
    /// works from here.
    ControlAnswered,
    /// Something else came back in its place (a login page, a redirect): the network answers
    /// for the internet.
    ControlReplaced {
        status: u16,
    },
    ControlFailed {
        error: NetErrorKind,
    },
    /// Something that did not come through Cloudflare answered for one of OpenAI's hosts (a
    /// filter's or a login page): not that host's answer, and not counted as one.
    AnsweredInPlace {
        target: Target,
        status: u16,
    },
    /// The network blocks one of OpenAI's doors: how, by whom (when it says), and the detail
    /// (a status code, an address, a certificate's names).
    NetworkBlock {
        target: Target,
        how: BlockHow,
        vendor: Option<String>,
        detail: Option<String>,
    },
    Slow {
        target: Target,
        latency_ms: u64,
        limit_ms: u64,
    },
    StatusPage {
        indicator: Indicator,
        chatgpt_affected: bool,
        incidents: usize,
        /// The worst status among ChatGPT's components (phone apps aside).
        #[serde(default)]
        chatgpt_worst: ComponentStatus,
    },
    /// chatgpt.com challenged or refused Gatewatch's own request: it never reached OpenAI's
    /// servers, so the verdict rests on the other probes.
    LimitedView {
        status: u16,
        reason: Blind,
    },
    /// What the phone apps' route answered.
    AppRoute {
        door: Door,
        status: Option<u16>,
        error: Option<NetErrorKind>,
        latency_ms: u64,
    },
    /// What the status page says of the phone apps.
    PhoneApps {
        status: ComponentStatus,
    },
    /// chatgpt.com asked to be left alone this long (`Retry-After`); the monitor waits at least
    /// that long (bounded) before it asks again.
    RetryAfter {
        secs: u64,
    },
}

/// Why chatgpt.com could not be seen through: its answer was about Gatewatch's request, not about
/// OpenAI's servers. Plain clients on datacenter and VPN addresses get this on every request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Blind {
    /// A bot check (`cf-mitigated: challenge`, "Just a moment..."), which no program can pass.
    Challenge,
    /// A 403 without a reason Gatewatch recognises.
    Refused,
    /// The user's network blocks chatgpt.com (see [`NetworkBlock`]): what is known of ChatGPT
    /// comes from what still passes.
    Network,
}

impl Blind {
    /// Every reason, for the checks that render each.
    pub const ALL: [Blind; 3] = [Blind::Challenge, Blind::Refused, Blind::Network];

    pub const fn as_str(self) -> &'static str {
        match self {
            Blind::Challenge => "challenge",
            Blind::Refused => "refused",
            Blind::Network => "network",
        }
    }
}

/// How a network blocks ChatGPT, each read from evidence (see [`filter`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockHow {
    /// A page that did not come through Cloudflare answered for OpenAI's host, while the
    /// internet works: a web filter's block page.
    FilterPage,
    /// The configured proxy refused to connect to OpenAI's host (403 with its page), while it
    /// passes other sites.
    ProxyPolicy,
    /// OpenAI's name resolved outside Cloudflare's address space (`0.0.0.0`, a private address,
    /// a block-page server), or not at all while other names resolve.
    DnsAnswer,
    /// The connection was cut right after the TLS ClientHello named OpenAI's host (filtering
    /// by the name in the handshake), while other names pass.
    Reset,
    /// A server outside Cloudflare's addresses answered with a certificate that is not
    /// chatgpt.com's: a block server.
    ForeignCertificate,
}

impl BlockHow {
    pub const ALL: [BlockHow; 5] = [
        BlockHow::FilterPage,
        BlockHow::ProxyPolicy,
        BlockHow::DnsAnswer,
        BlockHow::Reset,
        BlockHow::ForeignCertificate,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            BlockHow::FilterPage => "filter_page",
            BlockHow::ProxyPolicy => "proxy_policy",
            BlockHow::DnsAnswer => "dns_answer",
            BlockHow::Reset => "reset",
            BlockHow::ForeignCertificate => "foreign_certificate",
        }
    }
}

/// The network blocks ChatGPT: how, by whom, and what is known of ChatGPT itself from what still
/// passes (the status page, doors that answer through Cloudflare).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkBlock {
    pub how: BlockHow,
    /// The filter, when its page, certificate or address names it ("Fortinet", "Squid").
    pub vendor: Option<String>,
    /// What was seen: a status code, an address, a certificate's names (not translated).
    pub detail: Option<String>,
    /// The door the block was read from.
    pub target: Target,
    /// ChatGPT's own state as far as what passes shows it: `Up` (nothing wrong), `Degraded`, a
    /// down verdict; `None` when nothing passes to tell.
    pub beyond: Option<Verdict>,
}

/// What a door to OpenAI's servers (here: the phone apps' route) showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Door {
    /// OpenAI's servers answered through it.
    Answers,
    /// It answered with an outage-type error (Cloudflare's 5xx, OpenAI's 5xx).
    Fails,
    /// It challenged or refused the request: says nothing about OpenAI's servers.
    Refuses,
    /// No answer at the network level.
    Unreachable,
}

impl Door {
    pub const fn as_str(self) -> &'static str {
        match self {
            Door::Answers => "answers",
            Door::Fails => "fails",
            Door::Refuses => "refuses",
            Door::Unreachable => "unreachable",
        }
    }
}

/// The status page, as far as this diagnosis is concerned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusPageView {
    pub indicator: Indicator,
    pub description: Option<String>,
    pub chatgpt_affected: bool,
    pub maintenance: bool,
    pub incidents: Vec<Incident>,
    pub fetched_at_ms: i64,
    /// The worst status among ChatGPT's components, phone apps aside…
    #[serde(default)]
    pub chatgpt_worst: ComponentStatus,
    /// …and whether that worst status hits the conversations themselves, not one feature.
    #[serde(default)]
    pub chatgpt_core: bool,
    /// The phone apps' components, if the page has them.
    #[serde(default)]
    pub phone_apps: Option<ComponentStatus>,
}

impl From<&StatusReport> for StatusPageView {
    fn from(r: &StatusReport) -> Self {
        StatusPageView {
            indicator: r.indicator,
            description: r.description.clone(),
            chatgpt_affected: r.chatgpt_affected(),
            maintenance: r.chatgpt_maintenance(),
            incidents: r.incidents.clone(),
            fetched_at_ms: r.fetched_at_ms,
            chatgpt_worst: r.chatgpt_worst().0,
            chatgpt_core: r.chatgpt_worst().1,
            phone_apps: r.phone_apps(),
        }
    }
}

/// Where the user meets Cloudflare.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EdgeInfo {
    pub colo: Option<String>,
    pub loc: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnosis {
    pub verdict: Verdict,
    pub layer: Layer,
    pub cause: Cause,
    /// The chatgpt.com status code the verdict rests on, if it answered (not under a limited
    /// view, where it is the challenge's: see [`Evidence::LimitedView`]).
    pub http_status: Option<u16>,
    /// A Cloudflare 1xxx code from the error page, if any.
    pub cf_code: Option<u16>,
    pub evidence: Vec<Evidence>,
    pub edge: EdgeInfo,
    /// Does api.openai.com answer (None: not probed)?
    pub api_alive: Option<bool>,
    pub status_page: Option<StatusPageView>,
    pub advice: Vec<Advice>,
    /// chatgpt.com's answer time, when it answered.
    pub latency_ms: Option<u64>,
    /// Set when chatgpt.com answered Gatewatch's request with a challenge or a bare refusal: the
    /// verdict then rests on the edge, the API, the phone apps' route and the status page.
    #[serde(default)]
    pub limited: Option<Blind>,
    /// What the phone apps' route showed, when it was asked.
    #[serde(default)]
    pub app_route: Option<Door>,
    /// Set when the user's network blocks ChatGPT (verdict `blocked`, cause `network_blocks`).
    #[serde(default)]
    pub network_block: Option<NetworkBlock>,
}

impl Diagnosis {
    pub fn color(&self) -> Color {
        self.verdict.color()
    }

    /// How this counts for the monitor and in JSON: as the verdict does, except that a network
    /// blocking ChatGPT says nothing first-hand about ChatGPT (it is never down or back).
    pub fn health(&self) -> Health {
        if self.network_block.is_some() {
            Health::CantTell
        } else {
            self.verdict.health()
        }
    }
}

/// What the edge probe tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edge {
    Trace,
    NotTrace,
    HttpError(u16),
    Failed,
    Skipped,
}

/// What the control host's known answer (`204`, no body) showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Known {
    /// It came back as it should: the internet works from here.
    Answer,
    /// Something else came back in its place: a login page, a redirect, a network's error.
    Replaced(u16),
    /// No answer below HTTP.
    Failed(NetErrorKind),
    /// Not asked this time.
    NotAsked,
}

/// A layer's reading of the evidence: the verdict and what goes with it.
struct Reading {
    verdict: Verdict,
    layer: Layer,
    cause: Cause,
    advice: Vec<Advice>,
    cf_code: Option<u16>,
    block: Option<NetworkBlock>,
}

impl Reading {
    fn new(verdict: Verdict, layer: Layer, cause: Cause, advice: Vec<Advice>) -> Reading {
        Reading {
            verdict,
            layer,
            cause,
            advice,
            cf_code: None,
            block: None,
        }
    }

    fn with_code(mut self, code: Option<u16>) -> Reading {
        self.cf_code = code;
        self
    }
}

/// Everything read from the probes, shared by the layers.
struct Seen<'a> {
    obs: &'a Observation,
    edge: Edge,
    origin: Option<Class>,
    api: Option<ApiState>,
    app: Option<AppRead>,
    known: Known,
    page: Option<StatusPageView>,
    api_alive: Option<bool>,
    maintenance: bool,
}

impl Seen<'_> {
    fn origin_probe(&self) -> Option<&Probe> {
        self.obs.origin.as_ref()
    }

    /// chatgpt.com answered, but not through Cloudflare (no `cf-ray`, no `server: cloudflare`).
    fn origin_not_via_cloudflare(&self) -> bool {
        self.origin_probe()
            .and_then(Probe::response)
            .is_some_and(|r| !via_cloudflare(r))
    }

    fn app_door(&self) -> Option<Door> {
        self.app.as_ref().map(|a| a.door)
    }
}

/// Diagnose one observation.
pub fn diagnose(obs: &Observation) -> Diagnosis {
    let mut evidence = Vec::new();
    let mut info = EdgeInfo::default();

    let edge = read_edge(obs.edge.as_ref(), &mut evidence, &mut info);
    let (origin, origin_status) = read_origin(obs.origin.as_ref(), &mut evidence, &mut info);
    let api = read_api(obs.api.as_ref(), &mut evidence);
    let app = read_app(obs.app.as_ref(), &mut evidence);
    let known = network::read_control(obs.control.as_ref(), &mut evidence);
    let page = obs.status_page.as_ref().map(StatusPageView::from);
    if let Some(p) = &page {
        evidence.push(Evidence::StatusPage {
            indicator: p.indicator,
            chatgpt_affected: p.chatgpt_affected,
            incidents: p.incidents.len(),
            chatgpt_worst: p.chatgpt_worst,
        });
        if let Some(status) = p.phone_apps {
            evidence.push(Evidence::PhoneApps { status });
        }
    }
    let seen = Seen {
        obs,
        edge,
        origin,
        api,
        api_alive: api.map(|a| a == ApiState::Alive),
        app,
        known,
        maintenance: page.as_ref().is_some_and(|p| p.maintenance),
        page,
    };

    // In the order of the path, from the user outwards: the first layer that explains the
    // evidence gives the verdict.
    let reading = proxy::login(&seen)
        .or_else(|| network::portal(&seen))
        .or_else(|| filter::block(&seen))
        .or_else(|| proxy::failing(&seen))
        .or_else(|| filter::intercepted(&seen))
        .or_else(|| network::answered_in_place(&seen));
    let limited = match (&reading, seen.origin) {
        (Some(r), _) if r.block.is_some() => Some(Blind::Network),
        (Some(_), _) => None,
        (None, Some(Class::Challenge { .. })) => Some(Blind::Challenge),
        (None, Some(Class::Refused { .. })) => Some(Blind::Refused),
        (None, _) => None,
    };
    if let (Some(reason @ (Blind::Challenge | Blind::Refused)), Some(status)) =
        (limited, origin_status)
    {
        evidence.push(Evidence::LimitedView { status, reason });
    }
    let mut r = reading.unwrap_or_else(|| service::read(&seen, &mut evidence));
    if let Some(b) = &r.block {
        evidence.push(Evidence::NetworkBlock {
            target: b.target,
            how: b.how,
            vendor: b.vendor.clone(),
            detail: b.detail.clone(),
        });
    }
    phone_advice(&mut r.advice, seen.app_door(), seen.page.as_ref());

    Diagnosis {
        verdict: r.verdict,
        layer: r.layer,
        cause: r.cause,
        // Under a limited view the verdict does not rest on chatgpt.com's answer (the evidence
        // keeps it): no notification or history row should read "down (403)".
        http_status: origin_status.filter(|_| limited.is_none()),
        cf_code: r.cf_code,
        evidence,
        edge: info,
        api_alive: seen.api_alive,
        status_page: seen.page,
        advice: r.advice,
        latency_ms: obs
            .origin
            .as_ref()
            .filter(|p| p.response().is_some())
            .map(|p| p.latency_ms),
        limited,
        app_route: seen.app.map(|a| a.door),
        network_block: r.block,
    }
}

/// Does this diagnosis need the other doors (the edge trace, the API, the phone apps' route)?
/// Only a plain "up" seen through chatgpt.com itself does not: anything else — slow, degraded,
/// refused, down, unreachable, or a limited view (a challenge, whose verdict rests on the other
/// doors) — must be told apart by asking them all.
pub fn needs_other_doors(d: &Diagnosis) -> bool {
    d.verdict != Verdict::Up || d.limited.is_some()
}

/// Does this observation need the control host's known answer? Whenever chatgpt.com did not
/// answer through Cloudflare — it failed below HTTP, or something else answered in its place —
/// since only the known answer tells a network that blocks or intercepts from one that is down.
pub fn needs_known_answer(obs: &Observation) -> bool {
    obs.origin
        .as_ref()
        .is_some_and(|p| p.response().is_none_or(|r| !via_cloudflare(r)))
}

/// The phone-app advice, from measurements only: the phone apps' route answered ("it answers
/// right now"), failed or the status page reports the apps affected (no such advice), or was not
/// asked (the general advice, "often keeps working, not always").
fn phone_advice(advice: &mut Vec<Advice>, app: Option<Door>, page: Option<&StatusPageView>) {
    let apps_reported_down = page
        .and_then(|p| p.phone_apps)
        .is_some_and(ComponentStatus::is_outage);
    if app == Some(Door::Fails) || apps_reported_down {
        advice.retain(|a| *a != Advice::PhoneApp);
    } else if app == Some(Door::Answers) {
        for a in advice.iter_mut().filter(|a| **a == Advice::PhoneApp) {
            *a = Advice::PhoneAppAnswers;
        }
    }
}

fn read_edge(p: Option<&Probe>, evidence: &mut Vec<Evidence>, info: &mut EdgeInfo) -> Edge {
    let Some(p) = p else { return Edge::Skipped };
    match p.response() {
        None => {
            let error = p.net_error().unwrap_or(NetErrorKind::Protocol);
            evidence.push(Evidence::EdgeFailed { error });
            Edge::Failed
        }
        Some(r) if r.status == 200 => match parse_trace(&r.body) {
            Some(t) => {
                info.colo = t.colo.clone();
                info.loc = t.loc.clone();
                evidence.push(Evidence::EdgeAnswered {
                    colo: t.colo.clone(),
                    latency_ms: p.latency_ms,
                });
                Edge::Trace
            }
            None => {
                evidence.push(Evidence::EdgeNotTrace { status: r.status });
                Edge::NotTrace
            }
        },
        Some(r) => {
            evidence.push(Evidence::EdgeHttpError { status: r.status });
            if r.status >= 500 {
                Edge::HttpError(r.status)
            } else {
                Edge::NotTrace
            }
        }
    }
}

fn read_origin(
    p: Option<&Probe>,
    evidence: &mut Vec<Evidence>,
    info: &mut EdgeInfo,
) -> (Option<Class>, Option<u16>) {
    let Some(p) = p else { return (None, None) };
    match p.response() {
        Some(r) => {
            let class = classify(r, false);
            let colo = ray_colo(r);
            if info.colo.is_none() {
                info.colo = colo.clone();
            }
            let code = match class {
                Class::Blocked { code, .. } | Class::Gateway { code, .. } => code,
                _ => None,
            };
            evidence.push(Evidence::OriginAnswered {
                status: r.status,
                class: class_name(&class).into(),
                code,
                colo,
                latency_ms: p.latency_ms,
            });
            // Only a rate limit's: a 503's would slow the watch for the recovery people wait for.
            if let Some(secs) = retry_after_secs(r).filter(|_| r.status == 429) {
                evidence.push(Evidence::RetryAfter { secs });
            }
            (Some(class), Some(r.status))
        }
        None => {
            let error = p.net_error().unwrap_or(NetErrorKind::Protocol);
            evidence.push(Evidence::OriginFailed {
                error,
                latency_ms: p.latency_ms,
            });
            (None, None)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ApiState {
    Alive,
    /// It answered, with an outage-type error.
    Failing,
    /// It answered, refusing us (challenge, block): says nothing about outages.
    Refusing,
    Unreachable,
}

/// Only proxies answer 407: such an answer comes from the proxy, not the host asked, which is
/// as unreached as if the tunnel had been refused (as it is for https through a proxy).
fn host_answer(p: &Probe) -> Result<&HttpResponse, Option<NetErrorKind>> {
    match p.response() {
        Some(r) if r.status == 407 => Err(Some(NetErrorKind::ProxyAuth)),
        Some(r) => Ok(r),
        None => Err(p.net_error()),
    }
}

/// One of OpenAI's own names answered by something that did not come through Cloudflare (a
/// filter's page, a login page): not the host's answer. Test endpoints and mirrors given by
/// address or another name are taken as they answer.
fn answered_in_place(p: &Probe, evidence: &mut Vec<Evidence>) -> bool {
    let Some(r) = p.response() else {
        return false;
    };
    let in_place = r.status != 407
        && !via_cloudflare(r)
        && p.host().is_some_and(|h| crate::addr::is_openai_name(&h));
    if in_place {
        evidence.push(Evidence::AnsweredInPlace {
            target: p.target,
            status: r.status,
        });
    }
    in_place
}

fn read_api(p: Option<&Probe>, evidence: &mut Vec<Evidence>) -> Option<ApiState> {
    let p = p?;
    if answered_in_place(p, evidence) {
        return Some(ApiState::Refusing);
    }
    Some(match host_answer(p) {
        Ok(r) => match classify(r, true) {
            Class::Ok | Class::Answered { .. } => {
                evidence.push(Evidence::ApiAlive {
                    latency_ms: p.latency_ms,
                });
                ApiState::Alive
            }
            class @ (Class::Challenge { .. } | Class::Refused { .. } | Class::Blocked { .. }) => {
                evidence.push(Evidence::ApiHttpError {
                    status: r.status,
                    class: class_name(&class).into(),
                });
                ApiState::Refusing
            }
            class => {
                evidence.push(Evidence::ApiHttpError {
                    status: r.status,
                    class: class_name(&class).into(),
                });
                ApiState::Failing
            }
        },
        Err(error) => {
            evidence.push(Evidence::ApiFailed {
                error: error.unwrap_or(NetErrorKind::Protocol),
            });
            ApiState::Unreachable
        }
    })
}

/// What the phone apps' route showed, with the failing answer's class for the verdict.
struct AppRead {
    door: Door,
    class: Option<Class>,
}

fn read_app(p: Option<&Probe>, evidence: &mut Vec<Evidence>) -> Option<AppRead> {
    let p = p?;
    if answered_in_place(p, evidence) {
        return Some(AppRead {
            door: Door::Refuses,
            class: None,
        });
    }
    let (door, class, status, error) = match host_answer(p) {
        Ok(r) => {
            let class = classify_app(r);
            let door = match class {
                Class::Ok | Class::Answered { .. } => Door::Answers,
                Class::Challenge { .. } | Class::Refused { .. } | Class::Blocked { .. } => {
                    Door::Refuses
                }
                Class::Gateway { .. } | Class::EdgeFailure { .. } | Class::OriginError { .. } => {
                    Door::Fails
                }
            };
            (door, Some(class), Some(r.status), None)
        }
        Err(error) => (Door::Unreachable, None, None, error),
    };
    evidence.push(Evidence::AppRoute {
        door,
        status,
        error,
        latency_ms: p.latency_ms,
    });
    Some(AppRead { door, class })
}

/// `Retry-After` in seconds: delta-seconds, or an HTTP date read against the answer's own `Date`
/// (never against our clock: the core has none).
pub fn retry_after_secs(r: &HttpResponse) -> Option<u64> {
    let v = r.header("retry-after")?.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(secs);
    }
    let at = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    let now = chrono::DateTime::parse_from_rfc2822(r.header("date")?.trim()).ok()?;
    Some(u64::try_from((at - now).num_seconds()).unwrap_or(0))
}

fn class_name(c: &Class) -> &'static str {
    match c {
        Class::Ok => "ok",
        Class::Answered { .. } => "answered",
        Class::Challenge { .. } => "challenge",
        Class::Refused { .. } => "refused",
        Class::Blocked { .. } => "blocked",
        Class::Gateway { .. } => "gateway",
        Class::EdgeFailure { .. } => "edge_failure",
        Class::OriginError { .. } => "origin_error",
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_filter;
