//! The diagnosis as people and programs read it: `gatewatch check --json`, the explainer window,
//! and the plain-text report a user can send when Gatewatch got it wrong ([`Report::share_text`]).
//!
//! A typed view, serialised at the boundary, with the wording already in the chosen language.
//! Field names here are a public interface (scripts parse them): add, never rename.
//!
//! Probe excerpts (a few Cloudflare headers and the first bytes of each body) are kept so that a
//! misdiagnosis can become a new test capture; the user's IP address is removed from them here,
//! once, before anything can show or copy them.

use serde::Serialize;

use crate::diagnose::{Diagnosis, Health};
use crate::model::{Observation, Outcome, Probe};
use crate::statuspage::{Incident, PageFailure};
use crate::text::{self, Lang};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub verdict: &'static str,
    pub color: &'static str,
    pub health: Health,
    pub exit_code: i32,
    pub headline: String,
    pub summary: String,
    pub cause: crate::diagnose::Cause,
    pub cause_text: String,
    pub layer: crate::diagnose::Layer,
    pub http_status: Option<u16>,
    pub cf_code: Option<u16>,
    pub advice: Vec<String>,
    pub advice_ids: Vec<crate::diagnose::Advice>,
    pub edge: EdgeView,
    pub api_alive: Option<bool>,
    pub status_page: Option<StatusPageReport>,
    pub evidence: Vec<String>,
    pub probes: Vec<ProbeView>,
    pub checked_at_ms: i64,
    pub lang: &'static str,
    /// Set when chatgpt.com challenged or refused Gatewatch's request, so the verdict rests on
    /// the other probes; `null` when chatgpt.com was seen.
    pub limited_view: Option<LimitedView>,
    /// The phone apps' route (the second door), when it was asked.
    pub app_route: Option<AppRouteView>,
    /// The status page's word on the phone apps: its "Mobile" components' worst status.
    pub phone_apps: Option<&'static str>,
    /// Which doors this check asked: `all_doors`, or `chatgpt_only` (a healthy check while
    /// ChatGPT is up; the other doors are asked every 10 minutes and whenever it is not).
    pub asked: &'static str,
    /// The proxy the requests went through (its address without a password, and where the
    /// setting came from), or `null` when they went direct.
    pub proxy: Option<String>,
    /// What to know about the proxy setting (a PAC script that was not evaluated), if anything.
    pub proxy_note: Option<String>,
    /// Set when the user's network blocks ChatGPT (verdict `blocked`, cause `network_blocks`):
    /// how, by whom, and what is known of ChatGPT beyond it; `null` otherwise.
    pub network_block: Option<NetworkBlockView>,
    /// What the user's own browser showed of ChatGPT (the companion extension's window, as the
    /// running tray holds it); `null` when no tray was there to ask (`gatewatch check` without
    /// the tray running).
    pub browser: Option<BrowserView>,
}

/// The browser door: the reading of the last 15 minutes of the browser's outcome records.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BrowserView {
    /// `fails` (3 of the last 5 counted requests failed), `partly_fails` (2 of 5), `answers`,
    /// `quiet` (nothing counted: only stops, challenges, 4xx), or `none`: the tray has nothing
    /// from the browser in the last 15 minutes.
    pub state: &'static str,
    /// How many counted requests the reading rests on (at most 5), and how many of them failed.
    pub recent: u8,
    pub failed: u8,
    /// In the whole window: conversation requests, page loads, stops by the user ("Stop
    /// generating"; never failures), challenges (never failures).
    pub conversations: u16,
    pub page_loads: u16,
    pub stopped: u16,
    pub challenged: u16,
    /// The newest failure among the recent ones: `kind`, `result`, `status`, `net`,
    /// `cloudflare`.
    pub failure: Option<crate::browser::Failure>,
    /// The newest record's time (Unix ms, to ten seconds).
    pub newest_ms: Option<i64>,
    /// The reading in words.
    pub text: Option<String>,
}

impl BrowserView {
    fn of(r: &crate::browser::Reading, lang: Lang) -> BrowserView {
        BrowserView {
            state: r.state.as_str(),
            recent: r.recent,
            failed: r.failed,
            conversations: r.conversations,
            page_loads: r.page_loads,
            stopped: r.stopped,
            challenged: r.challenged,
            failure: r.failure,
            newest_ms: Some(r.newest_ms),
            text: Some(text::browser_line(
                r.state,
                r.recent,
                r.failed,
                r.stopped,
                r.failure.as_ref(),
                lang,
            )),
        }
    }

    /// A tray that has nothing from the browser.
    fn none() -> BrowserView {
        BrowserView {
            state: "none",
            recent: 0,
            failed: 0,
            conversations: 0,
            page_loads: 0,
            stopped: 0,
            challenged: 0,
            failure: None,
            newest_ms: None,
            text: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkBlockView {
    /// `filter_page`, `proxy_policy`, `dns_answer`, `reset` or `foreign_certificate`.
    pub how: &'static str,
    /// The filter, when its page, certificate or address names it.
    pub vendor: Option<String>,
    /// What was seen: a status code, an address, a certificate's names.
    pub detail: Option<String>,
    /// The door it was read from (`origin`: chatgpt.com).
    pub target: &'static str,
    /// ChatGPT's own state from what passes the block (a verdict), or `null` when nothing does.
    pub beyond: Option<&'static str>,
    /// How, in words.
    pub text: String,
    /// ChatGPT's state beyond it, in words.
    pub beyond_text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LimitedView {
    /// `challenge` or `refused`.
    pub reason: &'static str,
    pub status: Option<u16>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppRouteView {
    /// `answers`, `fails`, `refuses` or `unreachable`.
    pub state: &'static str,
    pub url: String,
    pub status: Option<u16>,
    pub latency_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EdgeView {
    pub colo: Option<String>,
    pub loc: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusPageReport {
    pub indicator: Option<&'static str>,
    pub description: Option<String>,
    pub chatgpt_affected: bool,
    pub incidents: Vec<Incident>,
    /// Why the page could not be read this time, if it could not, in words: "the name did not
    /// resolve (DNS)", "it answered with error 503".
    pub error: Option<String>,
    /// The same as a stable id: a network failure's (`dns`, `connect`, `timeout`, `tls`,
    /// `reset`…), or `http`, `unreadable`, `too_large`.
    pub error_kind: Option<&'static str>,
    /// What the HTTP library or the parser said: for the plain-text report only.
    #[serde(skip)]
    pub error_detail: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProbeView {
    pub target: &'static str,
    pub url: String,
    pub status: Option<u16>,
    pub latency_ms: u64,
    /// Why it did not answer, in words: "the name did not resolve (DNS)".
    pub error: Option<String>,
    pub error_kind: Option<&'static str>,
    /// What the HTTP library said: for the plain-text report only.
    #[serde(skip)]
    pub error_detail: Option<String>,
    pub truncated: bool,
    /// The Cloudflare-related headers of the answer (`server`, `cf-ray`, `cf-mitigated`…).
    pub headers: Vec<(String, String)>,
    /// The first bytes of the body, as text, with IP addresses removed.
    pub body_start: Option<String>,
    /// The address the request was answered from (a proxy's, through a proxy), or for a
    /// failed request the first its name resolved to; `null` when unknown.
    pub addr: Option<String>,
    /// Where that address is: `cloudflare`, `unspecified`, `loopback`, `private`,
    /// `block_server` or `elsewhere`.
    pub addr_place: Option<&'static str>,
}

/// How much of each body a report keeps.
pub const EXCERPT_CHARS: usize = 600;

impl ProbeView {
    fn of(p: &Probe, lang: Lang) -> Self {
        let (status, error, truncated) = match &p.outcome {
            Outcome::Response(r) => (Some(r.status), None, r.truncated),
            Outcome::Failed { error, detail } => (None, Some((*error, detail)), false),
        };
        let (headers, body_start) = match &p.outcome {
            Outcome::Response(r) => (
                r.headers.clone(),
                Some(excerpt(&r.body)).filter(|b| !b.is_empty()),
            ),
            Outcome::Failed { .. } => (Vec::new(), None),
        };
        ProbeView {
            target: p.target.as_str(),
            url: p.url.clone(),
            status,
            latency_ms: p.latency_ms,
            error: error.map(|(e, _)| text::net_error(e, lang)),
            error_kind: error.map(|(e, _)| e.as_str()),
            error_detail: error.map(|(_, d)| d.clone()),
            truncated,
            headers,
            body_start,
            addr: p.addr.map(|a| a.to_string()),
            addr_place: p.addr.map(|a| crate::addr::place(a).as_str()),
        }
    }
}

impl Report {
    pub fn new(
        obs: &Observation,
        d: &Diagnosis,
        status_error: Option<&PageFailure>,
        lang: Lang,
        checked_at_ms: i64,
    ) -> Report {
        let status_page = match (&d.status_page, status_error) {
            (None, None) => None,
            (page, error) => Some(StatusPageReport {
                indicator: page.as_ref().map(|p| p.indicator.as_str()),
                description: page.as_ref().and_then(|p| p.description.clone()),
                chatgpt_affected: page.as_ref().is_some_and(|p| p.chatgpt_affected),
                incidents: page
                    .as_ref()
                    .map(|p| p.incidents.clone())
                    .unwrap_or_default(),
                error: error.map(|e| text::page_error(e.error, lang)),
                error_kind: error.map(|e| e.error.as_str()),
                error_detail: error.map(|e| e.detail.clone()),
            }),
        };
        Report {
            verdict: d.verdict.as_str(),
            color: d.verdict.color().as_str(),
            health: d.health(),
            exit_code: d.verdict.exit_code(),
            headline: text::headline_for(d, lang),
            summary: text::summary(d, lang),
            cause: d.cause,
            cause_text: text::explanation(d, lang),
            layer: d.layer,
            http_status: d.http_status,
            cf_code: d.cf_code,
            advice: d.advice.iter().map(|a| text::advice(*a, lang)).collect(),
            advice_ids: d.advice.clone(),
            edge: EdgeView {
                colo: d.edge.colo.clone(),
                loc: d.edge.loc.clone(),
            },
            api_alive: d.api_alive,
            status_page,
            evidence: d.evidence.iter().map(|e| text::evidence(e, lang)).collect(),
            probes: obs.probes().map(|p| ProbeView::of(p, lang)).collect(),
            asked: obs.asked.as_str(),
            proxy: obs.proxy.clone(),
            proxy_note: obs.proxy_note.clone(),
            checked_at_ms,
            lang: lang.code(),
            limited_view: d.limited.map(|b| LimitedView {
                reason: b.as_str(),
                status: d.evidence.iter().find_map(|e| match e {
                    crate::diagnose::Evidence::LimitedView { status, .. } => Some(*status),
                    _ => None,
                }),
                text: text::limited_long(b, lang),
            }),
            app_route: obs
                .app
                .as_ref()
                .zip(d.app_route)
                .map(|(p, door)| AppRouteView {
                    state: door.as_str(),
                    url: p.url.clone(),
                    status: p.response().map(|r| r.status),
                    latency_ms: p.latency_ms,
                }),
            phone_apps: d
                .status_page
                .as_ref()
                .and_then(|p| p.phone_apps)
                .map(|s| s.as_str()),
            network_block: d.network_block.as_ref().map(|b| NetworkBlockView {
                how: b.how.as_str(),
                vendor: b.vendor.clone(),
                detail: b.detail.clone(),
                target: b.target.as_str(),
                beyond: b.beyond.map(|v| v.as_str()),
                text: text::block_how(b.how, lang),
                beyond_text: text::beyond_block(d, lang),
            }),
            browser: obs.browser.as_ref().map(|r| BrowserView::of(r, lang)),
        }
    }

    /// The running tray was asked for the browser's window (or is the one reporting): the
    /// `browser` object is there even when it had nothing (`state` `none`).
    pub fn browser_asked(&mut self) {
        if self.browser.is_none() {
            self.browser = Some(BrowserView::none());
        }
    }

    /// A plain-text report of this check for a bug report: the verdict, then each probe's
    /// status line, its Cloudflare headers and the first bytes of its body, IP addresses removed.
    pub fn share_text(&self, version: &str) -> String {
        let when = chrono::DateTime::from_timestamp_millis(self.checked_at_ms)
            .map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
            .unwrap_or_else(|| format!("{} (Unix ms)", self.checked_at_ms));
        let mut out = format!(
            "Gatewatch {version} report, checked {when}\nVerdict: {} ({}) — {}\n",
            self.verdict,
            self.cause_text_id(),
            self.summary
        );
        if let Some(l) = &self.limited_view {
            out.push_str(&format!("Limited view: {}\n", l.reason));
        }
        if let Some(b) = &self.network_block {
            out.push_str(&format!(
                "Network block: {}{}{}\n",
                b.how,
                b.vendor
                    .as_deref()
                    .map(|v| format!(" by {v}"))
                    .unwrap_or_default(),
                b.detail
                    .as_deref()
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default()
            ));
        }
        if let Some(b) = &self.browser {
            out.push_str(&format!(
                "Browser: {} ({} of the last {} failed, {} stopped)\n",
                b.state, b.failed, b.recent, b.stopped
            ));
        }
        out.push_str(&format!(
            "Proxy: {}\n",
            self.proxy.as_deref().unwrap_or("none (direct)")
        ));
        if let Some(n) = &self.proxy_note {
            out.push_str(&format!("Proxy note: {n}\n"));
        }
        if let Some(sp) = &self.status_page {
            out.push_str(&format!(
                "Status page: indicator {}, ChatGPT affected: {}, {} open incident(s){}\n",
                sp.indicator.unwrap_or("unread"),
                sp.chatgpt_affected,
                sp.incidents.len(),
                sp.error_kind
                    .map(|k| format!(
                        ", error ({k}): {}",
                        redact_ips(sp.error_detail.as_deref().unwrap_or(""))
                    ))
                    .unwrap_or_default()
            ));
        }
        for p in &self.probes {
            out.push_str(&format!("\n[{}] GET {}\n", p.target, p.url));
            if let (Some(a), Some(place)) = (&p.addr, p.addr_place) {
                // Cloudflare's, a sinkhole's, this computer's and the known block servers'
                // addresses are public knowledge; a network's own servers' are not.
                let a = match place {
                    "private" | "elsewhere" => redact_ips(a),
                    _ => a.clone(),
                };
                out.push_str(&format!("address: {a} ({place})\n"));
            }
            match (p.status, &p.error_detail) {
                (Some(s), _) => out.push_str(&format!(
                    "HTTP {s} in {} ms{}\n",
                    p.latency_ms,
                    if p.truncated {
                        " (body cut at the cap)"
                    } else {
                        ""
                    }
                )),
                (None, Some(e)) => out.push_str(&format!(
                    "no answer ({}) in {} ms: {}\n",
                    p.error_kind.unwrap_or("error"),
                    p.latency_ms,
                    redact_ips(e)
                )),
                (None, None) => out.push_str("no answer\n"),
            }
            for (k, v) in &p.headers {
                out.push_str(&format!("{k}: {v}\n"));
            }
            if let Some(b) = &p.body_start {
                out.push_str("--- body (start) ---\n");
                out.push_str(b);
                if !b.ends_with('\n') {
                    out.push('\n');
                }
                out.push_str("--- end ---\n");
            }
        }
        out
    }

    fn cause_text_id(&self) -> String {
        serde_json::to_value(self.cause)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }
}

/// The first [`EXCERPT_CHARS`] characters of a body, as safe text: no control characters but
/// newlines and tabs, and no IP addresses (the trace's `ip=`, "Your IP" on block pages).
pub fn excerpt(body: &str) -> String {
    // Cut with room for an address that straddles the limit, so no half address survives.
    let cut: String = body
        .chars()
        .take(EXCERPT_CHARS + 64)
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect();
    redact_ips(&cut).chars().take(EXCERPT_CHARS).collect()
}

/// Replace every IPv4 and IPv6 address in `s` with `[IP removed]`. Errs on the side of removing:
/// anything shaped like an address goes, even a four-part version number.
pub fn redact_ips(s: &str) -> String {
    redact_v4(&redact_v6(s))
}

const IP_MARK: &str = "[IP removed]";

/// Dotted quads, wherever they start (after anything but a digit or a dot).
fn redact_v4(s: &str) -> String {
    let b = s.as_bytes();
    let (mut out, mut i, mut last) = (String::with_capacity(s.len()), 0, 0);
    while i < b.len() {
        let starts =
            b[i].is_ascii_digit() && (i == 0 || !(b[i - 1].is_ascii_digit() || b[i - 1] == b'.'));
        if let Some(len) = starts.then(|| v4_len(&b[i..])).flatten() {
            out.push_str(&s[last..i]);
            out.push_str(IP_MARK);
            i += len;
            last = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&s[last..]);
    out
}

/// The length of the IPv4 address at the start of `b`, if one is there.
fn v4_len(b: &[u8]) -> Option<usize> {
    let mut pos = 0;
    for part in 0..4 {
        let start = pos;
        while pos < b.len() && b[pos].is_ascii_digit() && pos - start <= 3 {
            pos += 1;
        }
        let digits = std::str::from_utf8(&b[start..pos]).ok()?;
        if digits.is_empty() || digits.len() > 3 || digits.parse::<u8>().is_err() {
            return None;
        }
        if part < 3 {
            if b.get(pos) != Some(&b'.') {
                return None;
            }
            pos += 1;
        }
    }
    let more = |k: usize| b.get(k).is_some_and(u8::is_ascii_digit);
    // "1.2.3.4.5" or "1.2.3.45678" is something else.
    if more(pos) || (b.get(pos) == Some(&b'.') && more(pos + 1)) {
        return None;
    }
    Some(pos)
}

/// IPv6 addresses: runs of hex digits, colons and dots that parse as one, standing alone (so
/// CSS's `a::before` is left alone).
fn redact_v6(s: &str) -> String {
    let is_tok = |c: char| c.is_ascii_hexdigit() || c == ':' || c == '.';
    let (mut out, mut rest) = (String::with_capacity(s.len()), s);
    while let Some(start) = rest.find(is_tok) {
        let before = rest[..start].chars().last().or_else(|| out.chars().last());
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let end = tail.find(|c: char| !is_tok(c)).unwrap_or(tail.len());
        let tok = &tail[..end];
        let addr = tok.trim_end_matches(['.', ':']);
        let alone = !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            && !tail[end..]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric() || c == '_');
        let is_v6 = alone
            && addr.matches(':').count() >= 2
            && addr.chars().filter(char::is_ascii_hexdigit).count() >= 2
            && addr.parse::<std::net::Ipv6Addr>().is_ok();
        if is_v6 {
            out.push_str(IP_MARK);
            out.push_str(&tok[addr.len()..]);
        } else {
            out.push_str(tok);
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_addresses_are_removed() {
        let r = redact_ips;
        assert_eq!(r("ip=203.0.113.9\nts=1"), "ip=[IP removed]\nts=1");
        assert_eq!(
            r("Your IP: <span>2001:db8::1</span>"),
            "Your IP: <span>[IP removed]</span>"
        );
        assert_eq!(r("ip=2a02:6b8:0:1::7a"), "ip=[IP removed]");
        assert_eq!(r("(198.51.100.20)."), "([IP removed]).");
        assert_eq!(r("ip=::ffff:192.0.2.1"), "ip=[IP removed]");
        // Not addresses: times, ray ids, short dotted numbers, words.
        assert_eq!(r("10:14:59"), "10:14:59");
        assert_eq!(
            r("cf-ray: 8f2c1a0b3d4e5f60-FRA"),
            "cf-ray: 8f2c1a0b3d4e5f60-FRA"
        );
        assert_eq!(r("version 1.2.3"), "version 1.2.3");
        assert_eq!(r("ts=1732480000.123"), "ts=1732480000.123");
        assert_eq!(r("a 999.1.1.1 b"), "a 999.1.1.1 b");
        assert_eq!(r("a::before{content:''}"), "a::before{content:''}");
        assert_eq!(r("IP1.2.3.4"), "IP[IP removed]");
        assert_eq!(r(""), "");
    }

    #[test]
    fn excerpts_are_bounded_text() {
        let body = format!("\u{1b}[31mip=192.0.2.7\r\n{}", "x".repeat(5000));
        let e = excerpt(&body);
        assert!(e.starts_with("[31mip=[IP removed]\n"), "{e}");
        assert_eq!(e.chars().count(), EXCERPT_CHARS);
        // An address across the limit is removed whole, not cut in half.
        let body = format!("{}203.0.113.99", "y".repeat(EXCERPT_CHARS - 5));
        assert!(!excerpt(&body).contains("203."), "{}", excerpt(&body));
    }
}
