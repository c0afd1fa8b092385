//! From an [`Observation`] to a [`Diagnosis`]: who failed, why, and what to do.
//!
//! The path is you → your network → Cloudflare's edge (the switchboard) → OpenAI's servers (the
//! office). Each probe tests part of it: the trace reaches only the edge, the origin request goes
//! all the way, the API is a second door into the same office, and the control host (asked only
//! when everything failed below HTTP) tells "your internet" from "Cloudflare". A pure function:
//! no clock, no network; every branch is covered by the table in the tests.

use serde::{Deserialize, Serialize};

use crate::classify::{classify, classify_app, parse_trace, ray_colo, Block, Class};
use crate::model::{HttpResponse, NetErrorKind, Observation, Outcome, Probe, Target};
use crate::statuspage::{ComponentStatus, Incident, Indicator, StatusReport};

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
    /// The evidence does not point anywhere.
    Inconclusive,
}

impl Cause {
    pub const ALL: [Cause; 23] = [
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
}

impl Advice {
    pub const ALL: [Advice; 12] = [
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
    ControlAnswered,
    ControlFailed {
        error: NetErrorKind,
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
}

impl Blind {
    /// Every reason, for the checks that render each.
    pub const ALL: [Blind; 2] = [Blind::Challenge, Blind::Refused];

    pub const fn as_str(self) -> &'static str {
        match self {
            Blind::Challenge => "challenge",
            Blind::Refused => "refused",
        }
    }
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
}

impl Diagnosis {
    pub fn color(&self) -> Color {
        self.verdict.color()
    }
}

/// What the edge probe tells.
enum Edge {
    Trace,
    NotTrace,
    HttpError(u16),
    Failed,
    Skipped,
}

/// Diagnose one observation.
pub fn diagnose(obs: &Observation) -> Diagnosis {
    let mut evidence = Vec::new();
    let mut info = EdgeInfo::default();

    let edge = read_edge(obs.edge.as_ref(), &mut evidence, &mut info);
    let (origin_class, origin_status) = read_origin(obs.origin.as_ref(), &mut evidence, &mut info);
    let api = read_api(obs.api.as_ref(), &mut evidence);
    let app = read_app(obs.app.as_ref(), &mut evidence);
    let control = obs.control.as_ref().map(|p| match p.net_error() {
        None => {
            evidence.push(Evidence::ControlAnswered);
            true
        }
        Some(error) => {
            evidence.push(Evidence::ControlFailed { error });
            false
        }
    });
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
    let maintenance = page.as_ref().is_some_and(|p| p.maintenance);
    let api_alive = api.map(|a| a == ApiState::Alive);

    // The trace was not Cloudflare's and the page did not come through Cloudflare either:
    // something on the user's network answers in its place (a Wi-Fi login page, a proxy).
    let via_cloudflare = obs.origin.as_ref().and_then(Probe::response).map(|r| {
        r.header("cf-ray").is_some()
            || r.header("server")
                .is_some_and(|s| s.to_ascii_lowercase().contains("cloudflare"))
    });
    let intercepted = matches!(edge, Edge::NotTrace) && via_cloudflare == Some(false);

    let limited = match origin_class {
        Some(Class::Challenge { .. }) if !intercepted => Some(Blind::Challenge),
        Some(Class::Refused { .. }) if !intercepted => Some(Blind::Refused),
        _ => None,
    };
    if let (Some(reason), Some(status)) = (limited, origin_status) {
        evidence.push(Evidence::LimitedView { status, reason });
    }

    use Advice::*;
    let trouble = proxy_or_interception(obs);
    let (verdict, layer, cause, mut advice, cf_code) = match origin_class {
        _ if trouble.is_some() => {
            let cause = trouble.unwrap_or(Cause::ProxyFailing);
            let advice = match cause {
                Cause::TlsIntercepted => vec![ChangeNetwork, CheckConnection],
                Cause::ProxyFailing => vec![CheckConnection, ProxySettings, Wait],
                _ => vec![ProxySettings, CheckConnection],
            };
            let layer = if cause == Cause::TlsIntercepted {
                Layer::Network
            } else {
                Layer::Proxy
            };
            (Verdict::Offline, layer, cause, advice, None)
        }
        _ if intercepted => (
            Verdict::Offline,
            Layer::Network,
            Cause::CaptivePortal,
            vec![SignInToNetwork, CheckConnection],
            None,
        ),
        // A challenge or a bare 403 is about Gatewatch's request, not about OpenAI's servers:
        // judge from what else can be seen.
        Some(Class::Challenge { .. } | Class::Refused { .. }) => {
            blind(&edge, api, app.as_ref(), page.as_ref(), api_alive)
        }
        Some(Class::Blocked { block, code, .. }) => {
            let (cause, advice) = match block {
                Block::AccessDenied => (Cause::AccessDenied, vec![ChangeNetwork, PhoneApp]),
                Block::RateLimited => (Cause::RateLimited, vec![WaitForLimit, PhoneApp]),
                Block::Region => (Cause::Region, vec![ChangeNetwork]),
            };
            // A rate limit is personal only while nothing else is wrong: during OpenAI's own
            // incidents everyone got 429s. The other doors and the status page decide.
            let others = blind(&edge, api, app.as_ref(), page.as_ref(), api_alive);
            if block == Block::RateLimited && others.0 != Verdict::Up {
                others
            } else {
                (Verdict::Blocked, Layer::Edge, cause, advice, code)
            }
        }
        Some(
            class @ (Class::Gateway { .. } | Class::EdgeFailure { .. } | Class::OriginError { .. }),
        ) => down_by(class, maintenance, api_alive),
        Some(Class::Ok | Class::Answered { .. }) => {
            let app_door = app.as_ref().map(|a| a.door);
            let (verdict, cause, advice) =
                working(obs, &edge, api, app_door, page.as_ref(), &mut evidence);
            let layer = if verdict == Verdict::Up {
                Layer::None
            } else {
                Layer::Origin
            };
            (verdict, layer, cause, advice, None)
        }
        None => {
            let origin_error = obs.origin.as_ref().and_then(Probe::net_error);
            let app_answered = app.as_ref().is_some_and(|a| a.door != Door::Unreachable);
            unreachable_origin(&edge, origin_error, api, app_answered, control)
        }
    };
    phone_advice(&mut advice, app.as_ref().map(|a| a.door), page.as_ref());

    Diagnosis {
        verdict,
        layer,
        cause,
        // Under a limited view the verdict does not rest on chatgpt.com's 403 (the evidence
        // keeps it): no notification or history row should read "down (403)".
        http_status: origin_status.filter(|_| limited.is_none()),
        cf_code,
        evidence,
        edge: info,
        api_alive,
        status_page: page,
        advice,
        latency_ms: obs
            .origin
            .as_ref()
            .filter(|p| p.response().is_some())
            .map(|p| p.latency_ms),
        limited,
        app_route: app.map(|a| a.door),
    }
}

/// Does this diagnosis need the other doors (the edge trace, the API, the phone apps' route)?
/// Only a plain "up" seen through chatgpt.com itself does not: anything else — slow, degraded,
/// refused, down, unreachable, or a limited view (a challenge, whose verdict rests on the other
/// doors) — must be told apart by asking them all.
pub fn needs_other_doors(d: &Diagnosis) -> bool {
    d.verdict != Verdict::Up || d.limited.is_some()
}

/// The hop between you and the internet failing: a proxy wanting a login (a 407, whoever asks:
/// only proxies answer 407), or — with a proxy in use — its own error pages or refused tunnels on
/// every door, or no answer from it at all; and, proxy or not, a certificate on chatgpt.com that
/// is not trusted (Cloudflare's always are: something intercepts). Never "ChatGPT is down".
fn proxy_or_interception(obs: &Observation) -> Option<Cause> {
    let origin = obs.origin.as_ref()?;
    let login = |p: &Probe| {
        p.net_error() == Some(NetErrorKind::ProxyAuth)
            || p.response().is_some_and(|r| r.status == 407)
    };
    if login(origin) {
        return Some(Cause::ProxyLogin);
    }
    if let Outcome::Failed {
        error: NetErrorKind::Tls,
        detail,
    } = &origin.outcome
    {
        let d = detail.to_ascii_lowercase();
        if [
            "unknownissuer",
            "unknown issuer",
            "self-signed",
            "self signed",
            "invalid peer certificate",
        ]
        .iter()
        .any(|m| d.contains(m))
        {
            return Some(Cause::TlsIntercepted);
        }
    }
    obs.proxy.as_ref()?;
    let via_cloudflare = |r: &HttpResponse| {
        r.header("cf-ray").is_some()
            || r.header("server")
                .is_some_and(|s| s.to_ascii_lowercase().contains("cloudflare"))
    };
    // Every door the checks asked (the control host goes through the proxy too).
    let doors: Vec<&Probe> = obs.probes().collect();
    let own_error = |p: &Probe| match p.response() {
        Some(r) => r.status >= 500 && !via_cloudflare(r),
        None => p.net_error() == Some(NetErrorKind::ProxyRefused),
    };
    if own_error(origin) && doors.iter().all(|p| own_error(p) || p.response().is_none()) {
        return Some(Cause::ProxyFailing);
    }
    let unreachable = |p: &&Probe| {
        matches!(
            p.net_error(),
            Some(NetErrorKind::Connect | NetErrorKind::Timeout | NetErrorKind::Dns)
        )
    };
    if doors.iter().all(unreachable) {
        return Some(Cause::ProxyUnreachable);
    }
    None
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

/// chatgpt.com challenged or refused Gatewatch's request, so it shows nothing of OpenAI's
/// servers. What can still be seen: the edge trace, the API, the phone apps' route and the status
/// page. Nothing points to trouble → up, with the limited view said plainly (by the caller's
/// evidence); the status page reports ChatGPT's conversations fully down, or two doors fail →
/// down; anything less → degraded. Never "refuses you": a bot check on Gatewatch's own requests
/// says nothing about the user's browser.
fn blind(
    edge: &Edge,
    api: Option<ApiState>,
    app: Option<&AppRead>,
    page: Option<&StatusPageView>,
    api_alive: Option<bool>,
) -> (Verdict, Layer, Cause, Vec<Advice>, Option<u16>) {
    use Advice::*;
    let api_failing = api == Some(ApiState::Failing);
    let app_failing = app
        .and_then(|a| (a.door == Door::Fails).then_some(a.class))
        .flatten();
    let officially_down =
        page.is_some_and(|p| p.chatgpt_worst == ComponentStatus::MajorOutage && p.chatgpt_core);
    let maintenance = page.is_some_and(|p| p.maintenance);
    if officially_down || (app_failing.is_some() && api_failing) {
        // Named by the failing door's answer when there is one; else by the official word.
        return match app_failing {
            Some(class) => down_by(class, maintenance, api_alive),
            None => (
                Verdict::OriginError,
                Layer::Origin,
                if maintenance {
                    Cause::Maintenance
                } else {
                    Cause::OfficialOutage
                },
                down_advice(api_alive),
                None,
            ),
        };
    }
    if page.is_some_and(|p| p.chatgpt_affected) {
        return (
            Verdict::Degraded,
            Layer::Origin,
            Cause::OfficialIncident,
            vec![StatusPage, Reload, PhoneApp],
            None,
        );
    }
    let edge_failing = matches!(edge, Edge::Failed | Edge::HttpError(500..=599));
    let app_unreachable = app.is_some_and(|a| a.door == Door::Unreachable);
    if app_failing.is_some() || api_failing || edge_failing || app_unreachable {
        return (
            Verdict::Degraded,
            Layer::Origin,
            Cause::PartialFailure,
            vec![Reload, StatusPage],
            None,
        );
    }
    (Verdict::Up, Layer::None, Cause::Healthy, vec![], None)
}

/// The verdict an outage-type answer gives (`Gateway`, `EdgeFailure`, `OriginError`), whichever
/// door it came through.
fn down_by(
    class: Class,
    maintenance: bool,
    api_alive: Option<bool>,
) -> (Verdict, Layer, Cause, Vec<Advice>, Option<u16>) {
    use Advice::*;
    match class {
        Class::Gateway { status, code } => (
            Verdict::BadGateway,
            Layer::Origin,
            gateway_cause(status, maintenance),
            down_advice(api_alive),
            code,
        ),
        Class::EdgeFailure { .. } => (
            Verdict::EdgeError,
            Layer::Edge,
            Cause::CloudflareFailure,
            vec![Wait, PhoneApp, Reload],
            None,
        ),
        _ => (
            Verdict::OriginError,
            Layer::Origin,
            if maintenance {
                Cause::Maintenance
            } else {
                Cause::OriginFailure
            },
            down_advice(api_alive),
            None,
        ),
    }
}

fn gateway_cause(status: u16, maintenance: bool) -> Cause {
    if maintenance {
        return Cause::Maintenance;
    }
    match status {
        521 | 523 | 530 => Cause::BrokenLink,
        525 | 526 => Cause::OriginTls,
        _ => Cause::Overload,
    }
}

fn down_advice(api_alive: Option<bool>) -> Vec<Advice> {
    let mut advice = vec![Advice::PhoneApp, Advice::Reload];
    if api_alive == Some(true) {
        advice.push(Advice::OtherServices);
    }
    advice.extend([Advice::StatusPage, Advice::Wait]);
    advice
}

/// The site answered: up, unless something says it is struggling.
fn working(
    obs: &Observation,
    edge: &Edge,
    api: Option<ApiState>,
    app: Option<Door>,
    page: Option<&StatusPageView>,
    evidence: &mut Vec<Evidence>,
) -> (Verdict, Cause, Vec<Advice>) {
    use Advice::*;
    let slow_limit = obs.slow_ms;
    let slow = [&obs.origin, &obs.edge]
        .into_iter()
        .flatten()
        .find(|p| slow_limit > 0 && p.response().is_some() && p.latency_ms > slow_limit);
    if let Some(p) = slow {
        evidence.push(Evidence::Slow {
            target: p.target,
            latency_ms: p.latency_ms,
            limit_ms: slow_limit,
        });
        return (Verdict::Degraded, Cause::Slow, vec![Reload, Wait]);
    }
    let edge_failing = matches!(edge, Edge::Failed | Edge::HttpError(500..=599));
    // Another door failing while chatgpt.com answers is not an outage by itself.
    if api == Some(ApiState::Failing) || app == Some(Door::Fails) || edge_failing {
        return (
            Verdict::Degraded,
            Cause::PartialFailure,
            vec![Reload, StatusPage],
        );
    }
    if page.is_some_and(|p| p.chatgpt_affected) {
        return (
            Verdict::Degraded,
            Cause::OfficialIncident,
            vec![StatusPage, Reload, PhoneApp],
        );
    }
    (Verdict::Up, Cause::Healthy, vec![])
}

/// chatgpt.com did not answer at all: whose fault is it?
fn unreachable_origin(
    edge: &Edge,
    origin_error: Option<NetErrorKind>,
    api: Option<ApiState>,
    app_answered: bool,
    control: Option<bool>,
) -> (Verdict, Layer, Cause, Vec<Advice>, Option<u16>) {
    use Advice::*;
    let api_answered = matches!(api, Some(ApiState::Alive | ApiState::Failing));
    match edge {
        // The switchboard answers, the office does not pick up in time.
        Edge::Trace if origin_error == Some(NetErrorKind::Timeout) => (
            Verdict::BadGateway,
            Layer::Origin,
            Cause::Overload,
            down_advice(if api_answered {
                Some(api == Some(ApiState::Alive))
            } else {
                None
            }),
            None,
        ),
        Edge::Trace => (
            Verdict::Unknown,
            Layer::Unclear,
            Cause::Inconclusive,
            vec![Reload, Wait],
            None,
        ),
        Edge::HttpError(500..=599) => (
            Verdict::EdgeError,
            Layer::Edge,
            Cause::CloudflareFailure,
            vec![Wait, PhoneApp],
            None,
        ),
        Edge::NotTrace if control != Some(true) => (
            Verdict::Offline,
            Layer::Network,
            Cause::CaptivePortal,
            vec![SignInToNetwork, CheckConnection],
            None,
        ),
        _ if api_answered || app_answered || control == Some(true) => (
            Verdict::EdgeError,
            Layer::Edge,
            Cause::CloudflareUnreachable,
            vec![Wait, PhoneApp, StatusPage],
            None,
        ),
        _ if control == Some(false) => (
            Verdict::Offline,
            Layer::Network,
            Cause::YourNetwork,
            vec![CheckConnection],
            None,
        ),
        _ => (
            Verdict::Unknown,
            Layer::Unclear,
            Cause::Inconclusive,
            vec![Reload, Wait],
            None,
        ),
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

fn read_api(p: Option<&Probe>, evidence: &mut Vec<Evidence>) -> Option<ApiState> {
    let p = p?;
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
