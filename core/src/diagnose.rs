//! From an [`Observation`] to a [`Diagnosis`]: who failed, why, and what to do.
//!
//! The path is you → your network → Cloudflare's edge (the switchboard) → OpenAI's servers (the
//! office). Each probe tests part of it: the trace reaches only the edge, the origin request goes
//! all the way, the API is a second door into the same office, and the control host (asked only
//! when everything failed below HTTP) tells "your internet" from "Cloudflare". A pure function:
//! no clock, no network; every branch is covered by the table in the tests.

use serde::{Deserialize, Serialize};

use crate::classify::{classify, parse_trace, ray_colo, Block, Class};
use crate::model::{NetErrorKind, Observation, Probe, Target};
use crate::statuspage::{Incident, Indicator, StatusReport};

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
    /// The evidence does not point anywhere.
    Inconclusive,
}

/// What the user can do, in the order the diagnosis recommends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Advice {
    /// Use the ChatGPT phone app: it reaches OpenAI by another route (not a promise).
    PhoneApp,
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
    },
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
    /// The chatgpt.com status code the verdict rests on, if it answered.
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
        });
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

    use Advice::*;
    let (verdict, layer, cause, advice, cf_code) = match origin_class {
        _ if intercepted => (
            Verdict::Offline,
            Layer::Network,
            Cause::CaptivePortal,
            vec![SignInToNetwork, CheckConnection],
            None,
        ),
        Some(Class::Challenge { .. }) => (
            Verdict::Blocked,
            Layer::Edge,
            Cause::Challenge,
            vec![OpenInBrowser, PhoneApp],
            None,
        ),
        Some(Class::Blocked { block, code, .. }) => {
            let (cause, advice) = match block {
                Block::AccessDenied => (Cause::AccessDenied, vec![ChangeNetwork, PhoneApp]),
                Block::RateLimited => (Cause::RateLimited, vec![WaitForLimit, PhoneApp]),
                Block::Region => (Cause::Region, vec![ChangeNetwork]),
            };
            (Verdict::Blocked, Layer::Edge, cause, advice, code)
        }
        Some(Class::Gateway { status, code }) => {
            let cause = if maintenance {
                Cause::Maintenance
            } else {
                match status {
                    521 | 523 | 530 => Cause::BrokenLink,
                    525 | 526 => Cause::OriginTls,
                    _ => Cause::Overload,
                }
            };
            (
                Verdict::BadGateway,
                Layer::Origin,
                cause,
                down_advice(api_alive),
                code,
            )
        }
        Some(Class::EdgeFailure { .. }) => (
            Verdict::EdgeError,
            Layer::Edge,
            Cause::CloudflareFailure,
            vec![Wait, PhoneApp, Reload],
            None,
        ),
        Some(Class::OriginError { .. }) => {
            let cause = if maintenance {
                Cause::Maintenance
            } else {
                Cause::OriginFailure
            };
            (
                Verdict::OriginError,
                Layer::Origin,
                cause,
                down_advice(api_alive),
                None,
            )
        }
        Some(Class::Ok | Class::Answered { .. }) => {
            let (verdict, cause, advice) = working(obs, &edge, api, page.as_ref(), &mut evidence);
            let layer = if verdict == Verdict::Up {
                Layer::None
            } else {
                Layer::Origin
            };
            (verdict, layer, cause, advice, None)
        }
        None => {
            let origin_error = obs.origin.as_ref().and_then(Probe::net_error);
            unreachable_origin(&edge, origin_error, api, control)
        }
    };

    Diagnosis {
        verdict,
        layer,
        cause,
        http_status: origin_status,
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
    if api == Some(ApiState::Failing) || edge_failing {
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
        _ if api_answered || control == Some(true) => (
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

fn read_api(p: Option<&Probe>, evidence: &mut Vec<Evidence>) -> Option<ApiState> {
    let p = p?;
    Some(match p.response() {
        Some(r) => match classify(r, true) {
            Class::Ok | Class::Answered { .. } => {
                evidence.push(Evidence::ApiAlive {
                    latency_ms: p.latency_ms,
                });
                ApiState::Alive
            }
            class @ (Class::Challenge { .. } | Class::Blocked { .. }) => {
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
        None => {
            evidence.push(Evidence::ApiFailed {
                error: p.net_error().unwrap_or(NetErrorKind::Protocol),
            });
            ApiState::Unreachable
        }
    })
}

fn class_name(c: &Class) -> &'static str {
    match c {
        Class::Ok => "ok",
        Class::Answered { .. } => "answered",
        Class::Challenge { .. } => "challenge",
        Class::Blocked { .. } => "blocked",
        Class::Gateway { .. } => "gateway",
        Class::EdgeFailure { .. } => "edge_failure",
        Class::OriginError { .. } => "origin_error",
    }
}

#[cfg(test)]
mod tests;
