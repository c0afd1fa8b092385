//! Cloudflare and OpenAI themselves: what chatgpt.com's own answer (or its absence) says once
//! the layers nearer the user have nothing to explain.

use super::*;
use crate::classify::Block;

/// The verdict from chatgpt.com's answer, or from its absence.
pub(super) fn read(s: &Seen, evidence: &mut Vec<Evidence>) -> Reading {
    use Advice::*;
    match s.origin {
        // A challenge or a bare 403 is about Gatewatch's request, not about OpenAI's servers:
        // judge from what else can be seen.
        Some(Class::Challenge { .. } | Class::Refused { .. }) => {
            blind::read(s.edge, s.api, s.app.as_ref(), s.page.as_ref(), s.api_alive)
        }
        Some(Class::Blocked { block, code, .. }) => {
            let (cause, advice) = match block {
                Block::AccessDenied => (Cause::AccessDenied, vec![ChangeNetwork, PhoneApp]),
                Block::RateLimited => (Cause::RateLimited, vec![WaitForLimit, PhoneApp]),
                Block::Region => (Cause::Region, vec![ChangeNetwork]),
            };
            // A rate limit is personal only while nothing else is wrong: during OpenAI's own
            // incidents everyone got 429s. The other doors and the status page decide.
            let others = blind::read(s.edge, s.api, s.app.as_ref(), s.page.as_ref(), s.api_alive);
            if block == Block::RateLimited && others.verdict != Verdict::Up {
                others
            } else {
                Reading::new(Verdict::Blocked, Layer::Edge, cause, advice).with_code(code)
            }
        }
        Some(
            class @ (Class::Gateway { .. } | Class::EdgeFailure { .. } | Class::OriginError { .. }),
        ) => down_by(class, s.maintenance, s.api_alive),
        Some(Class::Ok | Class::Answered { .. }) => working(s, evidence),
        None => unreachable_origin(s),
    }
}

/// The verdict an outage-type answer gives (`Gateway`, `EdgeFailure`, `OriginError`), whichever
/// door it came through.
pub(super) fn down_by(class: Class, maintenance: bool, api_alive: Option<bool>) -> Reading {
    use Advice::*;
    match class {
        Class::Gateway { status, code } => Reading::new(
            Verdict::BadGateway,
            Layer::Origin,
            gateway_cause(status, maintenance),
            down_advice(api_alive),
        )
        .with_code(code),
        Class::EdgeFailure { .. } => Reading::new(
            Verdict::EdgeError,
            Layer::Edge,
            Cause::CloudflareFailure,
            vec![Wait, PhoneApp, Reload],
        ),
        _ => Reading::new(
            Verdict::OriginError,
            Layer::Origin,
            if maintenance {
                Cause::Maintenance
            } else {
                Cause::OriginFailure
            },
            down_advice(api_alive),
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

pub(super) fn down_advice(api_alive: Option<bool>) -> Vec<Advice> {
    let mut advice = vec![Advice::PhoneApp, Advice::Reload];
    if api_alive == Some(true) {
        advice.push(Advice::OtherServices);
    }
    advice.extend([Advice::StatusPage, Advice::Wait]);
    advice
}

/// The site answered: up, unless something says it is struggling.
fn working(s: &Seen, evidence: &mut Vec<Evidence>) -> Reading {
    use Advice::*;
    let obs = s.obs;
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
        return Reading::new(
            Verdict::Degraded,
            Layer::Origin,
            Cause::Slow,
            vec![Reload, Wait],
        );
    }
    let edge_failing = matches!(s.edge, Edge::Failed | Edge::HttpError(500..=599));
    // Another door failing while chatgpt.com answers is not an outage by itself.
    if s.api == Some(ApiState::Failing) || s.app_door() == Some(Door::Fails) || edge_failing {
        return Reading::new(
            Verdict::Degraded,
            Layer::Origin,
            Cause::PartialFailure,
            vec![Reload, StatusPage],
        );
    }
    if s.page.as_ref().is_some_and(|p| p.chatgpt_affected) {
        return Reading::new(
            Verdict::Degraded,
            Layer::Origin,
            Cause::OfficialIncident,
            vec![StatusPage, Reload, PhoneApp],
        );
    }
    Reading::new(Verdict::Up, Layer::None, Cause::Healthy, vec![])
}

/// chatgpt.com did not answer at all: whose fault is it?
fn unreachable_origin(s: &Seen) -> Reading {
    use Advice::*;
    let origin_error = s.origin_probe().and_then(Probe::net_error);
    let app_answered = s.app.as_ref().is_some_and(|a| a.door != Door::Unreachable);
    let api_answered = matches!(s.api, Some(ApiState::Alive | ApiState::Failing));
    // Something answered the control host (as it should, or in its place), or nothing did.
    let control = match s.known {
        Known::Answer | Known::Replaced(_) => Some(true),
        Known::Failed(_) => Some(false),
        Known::NotAsked => None,
    };
    match s.edge {
        // The switchboard answers, the office does not pick up in time.
        Edge::Trace if origin_error == Some(NetErrorKind::Timeout) => Reading::new(
            Verdict::BadGateway,
            Layer::Origin,
            Cause::Overload,
            down_advice(if api_answered {
                Some(s.api == Some(ApiState::Alive))
            } else {
                None
            }),
        ),
        Edge::Trace => Reading::new(
            Verdict::Unknown,
            Layer::Unclear,
            Cause::Inconclusive,
            vec![Reload, Wait],
        ),
        Edge::HttpError(500..=599) => Reading::new(
            Verdict::EdgeError,
            Layer::Edge,
            Cause::CloudflareFailure,
            vec![Wait, PhoneApp],
        ),
        Edge::NotTrace if control != Some(true) => Reading::new(
            Verdict::Offline,
            Layer::Network,
            Cause::CaptivePortal,
            vec![SignInToNetwork, CheckConnection],
        ),
        _ if api_answered || app_answered || control == Some(true) => Reading::new(
            Verdict::EdgeError,
            Layer::Edge,
            Cause::CloudflareUnreachable,
            vec![Wait, PhoneApp, StatusPage],
        ),
        _ if control == Some(false) => Reading::new(
            Verdict::Offline,
            Layer::Network,
            Cause::YourNetwork,
            vec![CheckConnection],
        ),
        _ => Reading::new(
            Verdict::Unknown,
            Layer::Unclear,
            Cause::Inconclusive,
            vec![Reload, Wait],
        ),
    }
}
