//! The user's own browser, a door on the user's side (its reading: [`crate::browser::read`]).
//!
//! Asked after the other layers, since it only refines what they found:
//! - nearer the user — the network, its filter, its proxy, a login page — the browser never
//!   outvotes: it may go another way (a proxy or a VPN of its own) and its word cannot make
//!   "you are offline" or "this network blocks ChatGPT" anything else;
//! - where Gatewatch's own request was challenged or refused (the limited view), a browser whose
//!   requests answer sees through: the view is no longer limited, and the verdict is read as
//!   when chatgpt.com answers, from the other doors and the status page;
//! - where the browser's conversations fail (3 of the last 5) and nothing first-hand says down,
//!   ChatGPT is down, named by the browser's newest failure; where 2 of 5 fail and all else is
//!   well, it is partly failing. That is how a partial outage — the site and its session
//!   request answering, a share of conversations failing — shows before the status page says
//!   anything.

use super::*;
use crate::browser::{Outcome, Reading as BrowserReading, State};

/// The browser's effect on the reading the other layers gave, and on the limited view.
pub(super) fn apply(
    r: Reading,
    limited: Option<Blind>,
    s: &Seen,
    evidence: &mut Vec<Evidence>,
) -> (Reading, Option<Blind>) {
    let Some(b) = s.obs.browser.as_ref() else {
        return (r, limited);
    };
    evidence.push(Evidence::Browser {
        state: b.state,
        recent: b.recent,
        failed: b.failed,
        stopped: b.stopped,
        challenged: b.challenged,
        failure: b.failure,
    });
    let nearer_the_user = r.block.is_some()
        || matches!(r.layer, Layer::Network | Layer::Proxy)
        || r.verdict == Verdict::Offline
        || limited == Some(Blind::Network);
    if nearer_the_user {
        return (r, limited);
    }
    // The browser's requests reached OpenAI's servers (an answer, or a 5xx through Cloudflare):
    // where Gatewatch's own was challenged or refused, the verdict no longer rests on the other
    // doors alone.
    let sees_through = |limited: Option<Blind>| match limited {
        Some(Blind::Challenge | Blind::Refused) => None,
        other => other,
    };
    match b.state {
        State::Answers if matches!(limited, Some(Blind::Challenge | Blind::Refused)) => {
            (seen_through(s), None)
        }
        State::Fails if r.verdict.health() != Health::Down => {
            (down(b, s.maintenance, s.api_alive), sees_through(limited))
        }
        State::PartlyFails if r.verdict == Verdict::Up => (partly(b), sees_through(limited)),
        _ => (r, limited),
    }
}

/// chatgpt.com answers the user's browser: judged as when it answers Gatewatch. The status the
/// verdict rests on is no longer the challenge's (nor any of Gatewatch's own).
fn seen_through(s: &Seen) -> Reading {
    let mut r = service::other_doors(s)
        .unwrap_or_else(|| Reading::new(Verdict::Up, Layer::None, Cause::Healthy, vec![]));
    r.browser_status = Some(None);
    r
}

/// Most of the browser's newest requests failed: down, named by the newest failure.
fn down(b: &BrowserReading, maintenance: bool, api_alive: Option<bool>) -> Reading {
    let status = b.failure.and_then(|f| f.status);
    let mut r = match (b.failure.map(|f| f.result), status) {
        // Through Cloudflare (the only 5xx counted): which side, from the status alone.
        (Some(Outcome::Http5xx), Some(status)) => {
            let class = match status {
                502 | 504 | 520..=526 | 530 => Class::Gateway { status, code: None },
                _ => Class::OriginError { status },
            };
            service::down_by(class, maintenance, api_alive)
        }
        // Cut or reset: the requests fail, with no answer to name the side. Announced
        // maintenance still names itself.
        _ if maintenance => service::down_by(Class::OriginError { status: 0 }, true, api_alive),
        _ => Reading::new(
            Verdict::OriginError,
            Layer::Origin,
            Cause::ConversationsFail,
            service::down_advice(api_alive),
        ),
    };
    r.browser_status = Some(status);
    r
}

/// Two of the browser's last five requests failed, all else well: partly failing.
fn partly(b: &BrowserReading) -> Reading {
    use Advice::*;
    let mut r = Reading::new(
        Verdict::Degraded,
        Layer::Origin,
        Cause::ConversationsFail,
        vec![Reload, PhoneApp, StatusPage],
    );
    r.browser_status = Some(b.failure.and_then(|f| f.status));
    r
}
