//! A network that blocks ChatGPT — a company's or a school's web filter, a filtering DNS, a
//! proxy's policy, a country's firewall — or one that intercepts its secure connections.
//!
//! Each way of blocking is read from evidence, never from a failure alone:
//! - a page answered for chatgpt.com that did not come through Cloudflare, while the control
//!   host's known answer comes back (or the page names its filter): a filter's block page;
//! - the configured proxy refused the tunnel to chatgpt.com with a 4xx page of its own, while it
//!   forwards the control host: the proxy's policy;
//! - a server outside Cloudflare's addresses answered the handshake with a certificate that is
//!   not chatgpt.com's: a block server;
//! - chatgpt.com resolved outside Cloudflare's address space (`0.0.0.0`, a private address, a
//!   block-page server), or "no such name" while other names resolve: the DNS blocks it;
//! - the connection was cut right after the ClientHello named chatgpt.com, while the same
//!   address answers a ClientHello for another name: filtering by the name in the handshake.
//!
//! A block is `blocked` (amber), never an outage: it says nothing of ChatGPT itself, whose state
//! is read from what still passes (the status page, doors that answer through Cloudflare).

use super::*;
use crate::addr;
use crate::certname::CertNames;
use crate::classify::reached_openai;
use crate::fingerprint;
use crate::model::{DnsAnswer, Handshake, Outcome};

/// A way of blocking, found.
struct Found {
    how: BlockHow,
    vendor: Option<String>,
    detail: Option<String>,
}

/// Does the user's network block chatgpt.com?
pub(super) fn block(s: &Seen) -> Option<Reading> {
    use Advice::*;
    let p = s.origin_probe()?;
    let found = page(s, p)
        .or_else(|| tunnel_refused(s, p))
        .or_else(|| foreign_certificate(p))
        .or_else(|| dns_answer(s, p))
        .or_else(|| reset(s, p))?;
    let layer = if found.how == BlockHow::ProxyPolicy {
        Layer::Proxy
    } else {
        Layer::Network
    };
    let mut r = Reading::new(
        Verdict::Blocked,
        layer,
        Cause::NetworkBlocks,
        vec![MobileData, AskAdministrator, VpnIfAllowed],
    );
    r.block = Some(NetworkBlock {
        how: found.how,
        vendor: found.vendor,
        detail: found.detail,
        target: p.target,
        beyond: beyond(s),
    });
    Some(r)
}

/// chatgpt.com's TLS handshake failed on a certificate that is not trusted (Cloudflare's always
/// are) and no block explains it: something on the network intercepts secure connections.
pub(super) fn intercepted(s: &Seen) -> Option<Reading> {
    let p = s.origin_probe()?;
    let Outcome::Failed {
        error: NetErrorKind::Tls,
        detail,
    } = &p.outcome
    else {
        return None;
    };
    let d = detail.to_ascii_lowercase();
    let untrusted = [
        "unknownissuer",
        "unknown issuer",
        "self-signed",
        "self signed",
        "invalid peer certificate",
    ]
    .iter()
    .any(|m| d.contains(m));
    let shown_another = matches!(
        p.look.as_ref().and_then(|l| l.handshake.as_ref()),
        Some(Handshake::Certificate { .. })
    );
    (untrusted || shown_another).then(|| {
        Reading::new(
            Verdict::Offline,
            Layer::Network,
            Cause::TlsIntercepted,
            vec![Advice::ChangeNetwork, Advice::CheckConnection],
        )
    })
}

/// A page that did not come through Cloudflare answered for chatgpt.com — and neither did the
/// trace on the same host — while the internet works, or the page is a known block page.
/// Behind the configured proxy it is the proxy's page: its policy when it refuses (4xx, or a
/// block page's words); its other errors are the proxy failing (see [`super::proxy`]).
fn page(s: &Seen, p: &Probe) -> Option<Found> {
    let r = p.response()?;
    if via_cloudflare(r) || r.status == 407 || reached_openai(r) || s.edge == Edge::Trace {
        return None;
    }
    // chatgpt.com's own answer to this request is JSON (`{}` when logged out): one that lost
    // Cloudflare's headers on the way is not a block page.
    if (200..300).contains(&r.status) && json_object(&r.body) {
        return None;
    }
    let mark = fingerprint::block_page(r);
    let block_words = mark.is_some_and(|m| m.block);
    if s.known != Known::Answer && !block_words {
        return None;
    }
    let refusal = (400..500).contains(&r.status) || block_words;
    let how = match (s.obs.proxy.is_some(), refusal) {
        (true, true) => BlockHow::ProxyPolicy,
        (false, _) if refusal || r.status < 500 => BlockHow::FilterPage,
        // An unnamed 5xx: the (configured or transparent) proxy failing, not a block.
        _ => return None,
    };
    Some(Found {
        how,
        vendor: mark.and_then(|m| m.vendor).map(str::to_string),
        detail: Some(r.status.to_string()),
    })
}

/// The proxy would not open the tunnel to chatgpt.com, and said why with a 4xx page of its own
/// (read by the prober's closer look), while it forwards the control host; or a SOCKS proxy
/// said its rules do not allow the connection.
fn tunnel_refused(s: &Seen, p: &Probe) -> Option<Found> {
    if p.net_error() != Some(NetErrorKind::ProxyRefused) {
        return None;
    }
    match p.look.as_ref().and_then(|l| l.proxy_answer.as_ref()) {
        Some(r) => {
            let mark = fingerprint::block_page(r);
            let block_words = mark.is_some_and(|m| m.block);
            let refusal = ((400..500).contains(&r.status) && r.status != 407) || block_words;
            (refusal && (s.known == Known::Answer || block_words)).then(|| Found {
                how: BlockHow::ProxyPolicy,
                vendor: mark.and_then(|m| m.vendor).map(str::to_string),
                detail: Some(r.status.to_string()),
            })
        }
        None => {
            let Outcome::Failed { detail, .. } = &p.outcome else {
                return None;
            };
            let socks_rules = detail
                .to_ascii_lowercase()
                .contains("not allowed by ruleset");
            (socks_rules && s.known == Known::Answer).then(|| Found {
                how: BlockHow::ProxyPolicy,
                vendor: None,
                detail: Some("SOCKS: connection not allowed by ruleset".into()),
            })
        }
    }
}

/// A server outside Cloudflare's addresses answered chatgpt.com's handshake with a certificate
/// for some other name. (At a Cloudflare address, or with no address to go on, another
/// certificate is interception: [`intercepted`].)
fn foreign_certificate(p: &Probe) -> Option<Found> {
    let host = openai_host(p)?;
    let Some(Handshake::Certificate { names }) = p.look.as_ref()?.handshake.as_ref() else {
        return None;
    };
    if names.covers(&host) {
        return None;
    }
    let ip = p.dns.as_ref()?.first()?;
    addr::place(ip).is_foreign().then(|| Found {
        how: BlockHow::ForeignCertificate,
        vendor: fingerprint::certificate_vendor(names)
            .or_else(|| addr::block_server(ip))
            .map(str::to_string),
        detail: Some(certificate_detail(ip, names)),
    })
}

fn certificate_detail(ip: std::net::IpAddr, names: &CertNames) -> String {
    let summary = names.summary();
    if summary.is_empty() {
        ip.to_string()
    } else {
        format!("{ip}: {summary}")
    }
}

/// chatgpt.com resolved outside Cloudflare's address space, and that explains what happened
/// (the request failed, or something else answered); or the DNS says the name does not exist
/// while the control host's name resolved and answered.
fn dns_answer(s: &Seen, p: &Probe) -> Option<Found> {
    let host = openai_host(p)?;
    if p.response().is_some_and(via_cloudflare) {
        return None;
    }
    // A server there showed chatgpt.com's own name: something impersonates it (interception,
    // see [`intercepted`]), which is not proven to block.
    if let Some(Handshake::Certificate { names }) =
        p.look.as_ref().and_then(|l| l.handshake.as_ref())
    {
        if names.covers(&host) {
            return None;
        }
    }
    match p.dns.as_ref()? {
        DnsAnswer::Addresses { addrs } => {
            let ip = *addrs.first()?;
            addr::place(ip).is_foreign().then(|| Found {
                how: BlockHow::DnsAnswer,
                vendor: addr::block_server(ip)
                    .or_else(|| {
                        p.response()
                            .and_then(fingerprint::block_page)
                            .and_then(|m| m.vendor)
                    })
                    .map(str::to_string),
                detail: Some(ip.to_string()),
            })
        }
        DnsAnswer::NoSuchName => (s.known == Known::Answer).then(|| Found {
            how: BlockHow::DnsAnswer,
            vendor: None,
            detail: Some("NXDOMAIN".into()),
        }),
        DnsAnswer::Failed => None,
    }
}

/// The connection to a Cloudflare address (or one not known) was cut right after the
/// ClientHello named chatgpt.com, while the same address answered a ClientHello for another
/// name (or, not tried, the internet works).
fn reset(s: &Seen, p: &Probe) -> Option<Found> {
    openai_host(p)?;
    if !matches!(
        p.net_error(),
        Some(NetErrorKind::Reset | NetErrorKind::Tls | NetErrorKind::Protocol)
    ) {
        return None;
    }
    let Some(Handshake::ResetAfterHello { other_name }) =
        p.look.as_ref().and_then(|l| l.handshake.as_ref())
    else {
        return None;
    };
    let by_name = match other_name {
        Some(answered) => *answered,
        None => s.known == Known::Answer,
    };
    by_name.then(|| Found {
        how: BlockHow::Reset,
        vendor: None,
        detail: p
            .addr
            .or_else(|| p.dns.as_ref().and_then(DnsAnswer::first))
            .map(|ip| ip.to_string()),
    })
}

/// The probe's host, when it is one of OpenAI's names (a test endpoint or a mirror given by
/// address or under another name is taken as it is).
fn openai_host(p: &Probe) -> Option<String> {
    p.host().filter(|h| addr::is_openai_name(h))
}

fn json_object(body: &str) -> bool {
    body.trim_start().starts_with('{')
        && serde_json::from_str::<serde_json::Value>(body).is_ok_and(|v| v.is_object())
}

/// ChatGPT's own state, from what still passes the block: the status page, and the doors that
/// answer through Cloudflare (a door the network blocks too says nothing). `None` when nothing
/// passes.
fn beyond(s: &Seen) -> Option<Verdict> {
    let passes = |p: &Option<Probe>| {
        p.as_ref()
            .and_then(Probe::response)
            .is_some_and(via_cloudflare)
    };
    let api = s.api.filter(|_| passes(&s.obs.api));
    let app = s.app.as_ref().filter(|_| passes(&s.obs.app));
    if api.is_none() && app.is_none() && s.page.is_none() {
        return None;
    }
    let api_alive = api.map(|a| a == ApiState::Alive);
    Some(blind::read(Edge::Skipped, api, app, s.page.as_ref(), api_alive).verdict)
}
