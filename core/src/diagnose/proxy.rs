//! The proxy hop, between your network and Cloudflare: a proxy that wants a login, one that
//! answers with its own errors, one that does not answer at all. (A proxy refusing ChatGPT by
//! policy is a block: see [`super::filter`].) Never "ChatGPT is down".

use super::*;

/// Only proxies answer 407, whoever asks: the proxy wants a user name and password.
pub(super) fn login(s: &Seen) -> Option<Reading> {
    let origin = s.origin_probe()?;
    let wants_login = origin.net_error() == Some(NetErrorKind::ProxyAuth)
        || origin.response().is_some_and(|r| r.status == 407);
    wants_login.then(|| {
        Reading::new(
            Verdict::Offline,
            Layer::Proxy,
            Cause::ProxyLogin,
            vec![Advice::ProxySettings, Advice::CheckConnection],
        )
    })
}

/// Through a proxy (the configured one, one that refused a tunnel — only proxies do —, or a
/// transparent one: an error page not from Cloudflare for chatgpt.com and its trace while the
/// internet works), its own error page or refused tunnel on chatgpt.com is the proxy failing,
/// whatever passes besides: a real outage comes through Cloudflare, with its marks. No answer
/// from any door at all: the proxy itself is unreachable.
pub(super) fn failing(s: &Seen) -> Option<Reading> {
    use Advice::*;
    let origin = s.origin_probe()?;
    let tunnel_refused = origin.net_error() == Some(NetErrorKind::ProxyRefused);
    let own_error = match origin.response() {
        Some(r) => r.status >= 500 && !via_cloudflare(r),
        None => tunnel_refused,
    };
    let transparent = own_error && s.known == Known::Answer && s.edge != Edge::Trace;
    if s.obs.proxy.is_none() && !tunnel_refused && !transparent {
        return None;
    }
    if own_error {
        return Some(Reading::new(
            Verdict::Offline,
            Layer::Proxy,
            Cause::ProxyFailing,
            vec![CheckConnection, ProxySettings, Wait],
        ));
    }
    let unreachable = |p: &Probe| {
        matches!(
            p.net_error(),
            Some(NetErrorKind::Connect | NetErrorKind::Timeout | NetErrorKind::Dns)
        )
    };
    // Every door the checks asked (the control host goes through the proxy too).
    (s.obs.proxy.is_some() && s.obs.probes().all(unreachable)).then(|| {
        Reading::new(
            Verdict::Offline,
            Layer::Proxy,
            Cause::ProxyUnreachable,
            vec![ProxySettings, CheckConnection],
        )
    })
}
