//! Your own network: does the internet answer from here, or does something answer in its place?
//!
//! The control host's known answer decides, as operating systems decide it (NetworkManager's
//! connectivity check, Android's `generate_204`, Windows NCSI): exactly `204` with no body over
//! plain HTTP means the internet works; anything else in its place — a login page, a redirect
//! to one — is a captive portal, which can answer plain HTTP in the internet's name but can only
//! break an HTTPS handshake.

use super::*;

/// What the control host's known answer showed.
pub(super) fn read_control(p: Option<&Probe>, evidence: &mut Vec<Evidence>) -> Known {
    let Some(p) = p else {
        return Known::NotAsked;
    };
    match p.response() {
        Some(r) if r.status == 204 && r.body.trim().is_empty() => {
            evidence.push(Evidence::ControlAnswered);
            Known::Answer
        }
        Some(r) => {
            evidence.push(Evidence::ControlReplaced { status: r.status });
            Known::Replaced(r.status)
        }
        None => {
            let error = p.net_error().unwrap_or(NetErrorKind::Protocol);
            evidence.push(Evidence::ControlFailed { error });
            Known::Failed(error)
        }
    }
}

/// The known answer was replaced by something else while chatgpt.com did not come through
/// Cloudflare: a captive portal. Through a proxy, the proxy's own error or refusal on the
/// control host is the proxy's business (see [`super::proxy`]), not a login page.
pub(super) fn portal(s: &Seen) -> Option<Reading> {
    let Known::Replaced(status) = s.known else {
        return None;
    };
    let through_cloudflare = s
        .origin_probe()
        .and_then(Probe::response)
        .is_some_and(via_cloudflare);
    if through_cloudflare || (s.obs.proxy.is_some() && status >= 400) {
        return None;
    }
    Some(captive_portal())
}

/// With no known answer to go on: something answered for chatgpt.com and for Cloudflare's trace,
/// and neither came through Cloudflare — a login page or a proxy answers in their place.
pub(super) fn answered_in_place(s: &Seen) -> Option<Reading> {
    (s.known != Known::Answer && s.edge == Edge::NotTrace && s.origin_not_via_cloudflare())
        .then(captive_portal)
}

fn captive_portal() -> Reading {
    Reading::new(
        Verdict::Offline,
        Layer::Network,
        Cause::CaptivePortal,
        vec![Advice::SignInToNetwork, Advice::CheckConnection],
    )
}
