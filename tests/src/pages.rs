//! The answers themselves: which page each host gives for each path in each scenario.
//!
//! These pages are written from documentation and from real captures' shapes (the phone apps'
//! host's healthy 403 JSON, OpenAI's "Unable to load site" template, the 2025-11-18 "unblock
//! challenges.cloudflare.com" page); the real captures themselves are replayed verbatim by
//! `core/tests/captures.rs` through [`crate::captures`].

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::{Action, Role, Scenario};

/// Where the fake Cloudflare edge says it is.
pub const COLO: &str = "FRA";

static RAY: AtomicU64 = AtomicU64::new(0x8f2c_1a0b_3d4e_5f60);

/// A complete HTTP answer.
#[derive(Debug, Clone)]
pub struct Page {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Page {
    /// Exactly these headers and this body (a replayed capture); `Content-Length` is added.
    pub fn raw(status: u16, headers: Vec<(String, String)>, body: impl Into<Vec<u8>>) -> Page {
        Page {
            status,
            headers,
            body: body.into(),
        }
    }

    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Page {
        Page {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }

    pub fn text(status: u16, body: String) -> Page {
        Page::new(status, "text/plain; charset=utf-8", body)
    }

    pub fn json(status: u16, body: String) -> Page {
        Page::new(status, "application/json", body)
    }

    fn html(status: u16, body: String) -> Page {
        Page::new(status, "text/html; charset=UTF-8", body)
    }

    pub(crate) fn header(mut self, name: &str, value: &str) -> Page {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Every answer that passed Cloudflare carries these, good or bad.
    fn via_cloudflare(self) -> Page {
        let ray = RAY.fetch_add(0x1_0001, Ordering::Relaxed);
        self.header("Server", "cloudflare")
            .header("CF-RAY", &format!("{ray:016x}-{COLO}"))
    }

    fn padded_to(mut self, len: usize) -> Page {
        let comment = b"<!-- padding -->";
        while self.body.len() + comment.len() <= len {
            self.body.extend_from_slice(comment);
        }
        self.body.resize(len, b' ');
        self
    }

    pub fn head_and_body(self) -> (Vec<u8>, Vec<u8>) {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (n, v) in &self.headers {
            head.push_str(&format!("{n}: {v}\r\n"));
        }
        if self.status != 204 && self.status != 304 {
            head.push_str(&format!("Content-Length: {}\r\n", self.body.len()));
        }
        head.push_str("\r\n");
        (head.into_bytes(), self.body)
    }

    pub fn into_bytes(self) -> Vec<u8> {
        let (mut head, body) = self.head_and_body();
        head.extend_from_slice(&body);
        head
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// Decide the answer for one request.
pub(crate) fn route(
    scenario: Scenario,
    elapsed: Duration,
    role: Role,
    method: &str,
    path: &str,
    if_none_match: Option<&str>,
) -> Action {
    use Scenario::*;
    let scenario = match scenario {
        Flapping { period_ms } if (elapsed.as_millis() as u64 / period_ms) % 2 == 1 => BadGateway,
        Flapping { .. } => Healthy,
        s => s,
    };
    if method != "GET" && method != "HEAD" {
        return Action::Respond(Page::text(405, "method not allowed\n".into()));
    }
    // Whole-network situations first.
    match (scenario, role) {
        (Offline, _) | (EdgeDown, Role::Chatgpt | Role::Api | Role::App) => return Action::Reset,
        (CaptivePortal, _) => return Action::Respond(captive_portal()),
        (NetworkFilter, Role::Chatgpt | Role::Api | Role::App) => {
            return Action::Respond(web_filter_block())
        }
        _ => {}
    }
    match role {
        Role::Chatgpt if path == "/cdn-cgi/trace" => match scenario {
            Cloudflare500 | UnblockChallenges => {
                Action::Respond(cloudflare_page(500, "Internal server error"))
            }
            _ => Action::Respond(Page::text(200, trace()).via_cloudflare()),
        },
        Role::Chatgpt => origin(scenario, path),
        Role::Api => api(scenario, path),
        Role::Status => status(scenario, path, if_none_match),
        Role::Control => Action::Respond(Page::new(204, "text/plain", "")),
        Role::App => app(scenario),
    }
}

/// The phone apps' host. A client that is not the app gets OpenAI's JSON refusal even when all
/// is well: a 403 `{"cf_details":"Request is not allowed…","type":"dc"}` (real capture 90).
fn app(scenario: Scenario) -> Action {
    use Scenario::*;
    let page = match scenario {
        BadGatewayEverywhere | ChallengeBadGateway | AppDown => cloudflare_page(502, "Bad gateway"),
        Origin503 => Page::html(503, "<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body>Service Unavailable</body></html>".into()).via_cloudflare(),
        Cloudflare500 | UnblockChallenges => cloudflare_page(500, "Internal server error"),
        _ => Page::json(
            403,
            r#"{"cf_details":"Request is not allowed. Please try again later.", "type":"dc"}"#.into(),
        )
        .via_cloudflare(),
    };
    Action::Respond(page)
}

fn origin(scenario: Scenario, path: &str) -> Action {
    use Scenario::*;
    let ok = || {
        if path == "/api/auth/session" {
            Page::json(200, "{}".into()).via_cloudflare()
        } else if path == "/" {
            Page::html(200, "<!DOCTYPE html><html><head><title>ChatGPT</title></head><body>ChatGPT</body></html>".into())
                .via_cloudflare()
        } else {
            Page::html(404, "<html><body>Not found</body></html>".into()).via_cloudflare()
        }
    };
    let respond = |p: Page| Action::Respond(p);
    match scenario {
        Healthy | ApiDown | StatusIncident | StatusIncidentIo | StatusMalformed | StatusHuge | Flapping { .. }
        | Offline | EdgeDown | CaptivePortal | NetworkFilter | AppDown => respond(ok()),
        BadGateway | BadGatewayEverywhere => respond(cloudflare_page(502, "Bad gateway")),
        BadGatewayPlain => respond(
            Page::html(
                502,
                "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n".into(),
            )
            .via_cloudflare(),
        ),
        GatewayTimeout => respond(cloudflare_page(504, "Gateway time-out")),
        Cloudflare(code) => respond(cloudflare_page(code, cloudflare_title(code))),
        Cloudflare530 => respond(
            cloudflare_page(530, "Origin DNS error")
                .header("X-Note", "error 1016")
                .with_code_line(1016),
        ),
        Origin500 => respond(
            Page::html(
                500,
                "<!DOCTYPE html><html><head><title>Internal Server Error</title></head><body><h1>Something went wrong.</h1><p>An error occurred. Please try again later.</p></body></html>".into(),
            )
            .via_cloudflare(),
        ),
        Origin503 => respond(
            Page::html(
                503,
                "<!DOCTYPE html><html><head><title>ChatGPT is at capacity</title></head><body><h1>ChatGPT is at capacity right now</h1><p>Get notified when we're back.</p></body></html>".into(),
            )
            .via_cloudflare(),
        ),
        Cloudflare500 => respond(cloudflare_page(500, "Internal server error")),
        UnblockChallenges => respond(unblock_challenges()),
        OpenaiBlock => respond(openai_block()),
        Challenge | ChallengeOutage | ChallengeBadGateway => respond(
            Page::html(
                403,
                "<!DOCTYPE html><html lang=\"en-US\"><head><title>Just a moment...</title><meta http-equiv=\"refresh\" content=\"390\"></head><body><noscript>Enable JavaScript and cookies to continue</noscript><script>(function(){window._cf_chl_opt={cvId: '3',cZone: 'chatgpt.com',cType: 'managed'};var a=document.createElement('script');a.src='/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray=8f2c1a0b3d4e5f60';document.getElementsByTagName('head')[0].appendChild(a);}());</script></body></html>".into(),
            )
            .via_cloudflare()
            .header("cf-mitigated", "challenge"),
        ),
        Blocked1020 => respond(
            cloudflare_page(403, "Access denied")
                .with_code_line(1020),
        ),
        GeoBlocked => respond(
            Page::json(
                403,
                r#"{"cf_details":"Request is not allowed. Please try again later.","blocked_why_headline":"OpenAI's services are not available in your country.","unsupported_country_region_territory":true}"#.into(),
            )
            .via_cloudflare(),
        ),
        RateLimited => respond(Page::text(429, "error code: 1015".into()).via_cloudflare().header("Retry-After", "60")),
        Slow { ms } => Action::Delay(ms, Box::new(Action::Respond(ok()))),
        Hang => Action::Hang,
        Reset => Action::Reset,
        EmptyReply => Action::Close,
        HugeBody => respond(Page::json(200, "{}".into()).via_cloudflare().padded_to(10 * 1024 * 1024)),
        HugeError => respond(cloudflare_page(502, "Bad gateway").padded_to(10 * 1024 * 1024)),
        SlowDrip => Action::Drip(Page::json(200, "{}".into()).via_cloudflare().padded_to(4096), 50),
        ResetMidBody => Action::CutHalfway(Page::json(200, "{}".into()).via_cloudflare().padded_to(100 * 1024)),
    }
}

fn api(scenario: Scenario, path: &str) -> Action {
    use Scenario::*;
    let page = match scenario {
        BadGatewayEverywhere | ChallengeBadGateway => Page::json(
            502,
            r#"{"error":{"code":502,"message":"Bad gateway.","param":null,"type":"cf_bad_gateway"}}"#.into(),
        ),
        ApiDown => Page::json(
            503,
            r#"{"error":{"code":503,"message":"Service Unavailable.","param":null,"type":"cf_service_unavailable"}}"#
                .into(),
        ),
        Cloudflare500 | UnblockChallenges => cloudflare_page(500, "Internal server error"),
        _ if path == "/v1/models" => Page::json(
            401,
            r#"{"error":{"message":"You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).","type":"invalid_request_error","param":null,"code":null}}"#.into(),
        ),
        _ => Page::json(
            404,
            r#"{"error":{"message":"Invalid URL","type":"invalid_request_error","param":null,"code":null}}"#.into(),
        ),
    };
    Action::Respond(page.via_cloudflare())
}

const GREEN: &str = r#"{"page":{"id":"fake","name":"OpenAI","url":"https://status.openai.com","time_zone":"Etc/UTC"},
"status":{"indicator":"none","description":"All Systems Operational"},
"components":[
 {"id":"g-chatgpt","name":"ChatGPT","status":"operational","group":true,"group_id":null,"components":["c-conv","c-login"]},
 {"id":"c-conv","name":"Conversations","status":"operational","group":false,"group_id":"g-chatgpt"},
 {"id":"c-login","name":"Login","status":"operational","group":false,"group_id":"g-chatgpt"},
 {"id":"g-api","name":"APIs","status":"operational","group":true,"group_id":null,"components":["c-chat"]},
 {"id":"c-chat","name":"Chat Completions","status":"operational","group":false,"group_id":"g-api"}],
"incidents":[],"scheduled_maintenances":[]}"#;

const INCIDENT: &str = r#"{"page":{"id":"fake","name":"OpenAI","url":"https://status.openai.com"},
"status":{"indicator":"major","description":"Partial System Outage"},
"components":[
 {"id":"g-chatgpt","name":"ChatGPT","status":"partial_outage","group":true},
 {"id":"c-conv","name":"Conversations","status":"partial_outage","group":false,"group_id":"g-chatgpt"},
 {"id":"c-login","name":"Login","status":"operational","group":false,"group_id":"g-chatgpt"},
 {"id":"g-api","name":"APIs","status":"operational","group":true},
 {"id":"c-chat","name":"Chat Completions","status":"operational","group":false,"group_id":"g-api"}],
"incidents":[{"id":"inc-1","name":"Elevated error rates for ChatGPT <b>users</b>","status":"investigating","impact":"major",
 "shortlink":"https://status.openai.com/incidents/inc-1","created_at":"2026-11-24T10:02:00Z","updated_at":"2026-11-24T10:09:00Z",
 "components":[{"id":"c-conv","name":"Conversations"}],
 "incident_updates":[{"status":"investigating","body":"We are investigating elevated error rates.","created_at":"2026-11-24T10:02:00Z"}]}],
"scheduled_maintenances":[]}"#;

const INCIDENT_IO: &str = r#"{"summary":{"id":"fake","name":"OpenAI",
"components":[{"id":"c-conv","name":"Conversations","group_name":"ChatGPT"},{"id":"c-chat","name":"Chat Completions","group_name":"APIs"}],
"affected_components":[{"component_id":"c-conv","status":"partial_outage"}],
"ongoing_incidents":[{"id":"01JX","name":"Increased errors in ChatGPT","status":"identified","current_worst_impact":"partial_outage",
  "url":"https://status.openai.com/incidents/01JX","published_at":"2026-11-24T10:00:00Z","affected_components":[{"component_id":"c-conv"}]}],
"in_progress_maintenances":[],"scheduled_maintenances":[]}}"#;

/// incident.io's Statuspage-compatible summary as it really comes (captures status/01–04: no
/// groups, ULID ids, incidents without components or shortlink), with Conversations fully down.
const OUTAGE: &str = r#"{"page":{"id":"01JMDK9XYNY6RXSED6SDWW50WY","name":"OpenAI","url":"https://status.openai.com"},
"status":{"indicator":"critical","description":"Major System Outage"},
"components":[
 {"id":"01JMXBNJXGV1T5GT2M9XA83XNG","name":"Conversations","status":"major_outage","position":0},
 {"id":"01JMXBNJXG1S2D9V65P1ZZTD94","name":"Login","status":"partial_outage","position":1},
 {"id":"01JSM5RTJWHRWDTS6Q604VEW3B","name":"Login","status":"operational","position":2},
 {"id":"01JMXBRMFEQW613TFE89F45035","name":"Realtime","status":"operational","position":3}],
"incidents":[{"id":"01KFAKEOUTAGE0000000000000","name":"ChatGPT unavailable for all users","status":"investigating","impact":"critical",
 "created_at":"2026-11-24T10:02:00Z","updated_at":"2026-11-24T10:09:00Z"}]}"#;

fn status(scenario: Scenario, path: &str, if_none_match: Option<&str>) -> Action {
    use Scenario::*;
    let tagged = |body: &str, etag: &str| {
        if if_none_match == Some(etag) {
            Page::new(304, "application/json", "").header("ETag", etag)
        } else {
            Page::json(200, body.into()).header("ETag", etag)
        }
    };
    let page = match (scenario, path) {
        (StatusIncidentIo, "/api/v2/summary.json") => Page::json(404, r#"{"error":"not found"}"#.into()),
        (StatusIncidentIo, "/proxy/status.openai.com") => tagged(INCIDENT_IO, "\"incidentio-1\""),
        (StatusIncident, "/api/v2/summary.json") => tagged(INCIDENT, "\"incident-1\""),
        (ChallengeOutage, "/api/v2/summary.json") => tagged(OUTAGE, "\"outage-1\""),
        (StatusMalformed, "/api/v2/summary.json") => {
            Page::json(200, r#"{"status":{"indicator":"none","description":"All Sys"#.into())
        }
        (StatusHuge, "/api/v2/summary.json") => {
            let mut body = String::from(r#"{"status":{"indicator":"none"},"components":["#);
            while body.len() < 2 * 1024 * 1024 {
                body.push_str(r#"{"id":"x","name":"Padding component","status":"operational"},"#);
            }
            body.push_str(r#"{"id":"y","name":"Last","status":"operational"}],"incidents":[]}"#);
            Page::json(200, body)
        }
        (_, "/api/v2/summary.json") => tagged(GREEN, "\"green-1\""),
        (_, "/api/v2/status.json") => Page::json(
            200,
            r#"{"page":{"id":"fake"},"status":{"indicator":"none","description":"All Systems Operational"}}"#.into(),
        ),
        _ => Page::json(404, r#"{"error":"not found"}"#.into()),
    };
    Action::Respond(page.via_cloudflare())
}

fn trace() -> String {
    format!(
        "fl=29f105\nh=chatgpt.com\nip=127.0.0.1\nts={}.000\nvisit_scheme=https\nuag=Gatewatch\ncolo={COLO}\nsliver=none\nhttp=http/1.1\nloc=DE\ntls=TLSv1.3\nsni=plaintext\nwarp=off\ngateway=off\nrbi=off\nkex=X25519\n",
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
    )
}

fn cloudflare_title(code: u16) -> &'static str {
    match code {
        520 => "Web server is returning an unknown error",
        521 => "Web server is down",
        522 => "Connection timed out",
        523 => "Origin is unreachable",
        524 => "A timeout occurred",
        525 => "SSL handshake failed",
        526 => "Invalid SSL certificate",
        _ => "Error",
    }
}

/// A Cloudflare-branded error page: the Browser / Cloudflare / Host diagram and a ray ID.
fn cloudflare_page(code: u16, title: &str) -> Page {
    let (cf_state, host_state) = match code {
        500 => ("Error", "Working"),
        _ => ("Working", "Error"),
    };
    let body = format!(
        r#"<!DOCTYPE html>
<html class="no-js" lang="en-US">
<head>
<title>chatgpt.com | {code}: {title}</title>
<meta charset="UTF-8" />
<meta name="robots" content="noindex, nofollow" />
<meta name="viewport" content="width=device-width,initial-scale=1" />
</head>
<body>
<div id="cf-wrapper">
  <div id="cf-error-details" class="p-0">
    <header class="mx-auto pt-10">
      <h1><span class="inline-block">{title}</span> <span class="code-label">Error code {code}</span></h1>
      <div>Visit <a href="https://www.cloudflare.com/5xx-error-landing?utm_source=errorcode_{code}">cloudflare.com</a> for more information.</div>
    </header>
    <div class="my-8 bg-gradient-gray">
      <div id="cf-browser-status"><span>You</span><h3>Browser</h3><span class="text-green-success">Working</span></div>
      <div id="cf-cloudflare-status"><span>Frankfurt</span><h3>Cloudflare</h3><span>{cf_state}</span></div>
      <div id="cf-host-status" class="cf-error-source"><span>chatgpt.com</span><h3>Host</h3><span>{host_state}</span></div>
    </div>
    <div class="w-240 mx-auto mb-8">
      <h2>What happened?</h2><p>The server could not answer the request properly.</p>
      <h2>What can I do?</h2><p>Please try again in a few minutes.</p>
    </div>
    <div class="cf-error-footer cf-wrapper">
      <p><span class="cf-footer-item">Cloudflare Ray ID: <strong>8f2c1a0b3d4e5f60</strong></span>
      <span class="cf-footer-item">Performance &amp; security by Cloudflare</span></p>
    </div>
  </div>
</div>
</body>
</html>
"#
    );
    Page::html(code, body).via_cloudflare()
}

impl Page {
    /// Put a 1xxx code on a Cloudflare page the way Cloudflare does.
    fn with_code_line(mut self, cf_code: u16) -> Page {
        let body = String::from_utf8_lossy(&self.body).replace(
            "<span class=\"code-label\">Error code",
            &format!("<span class=\"code-label\">Error code {cf_code}</span> <span class=\"http-code\">HTTP"),
        );
        self.body = body.into_bytes();
        self
    }
}

/// OpenAI's own template for Cloudflare's block page, as chatgpt.com served it to VPN addresses
/// (shape of real capture 09: "Unable to load site", the `[IP | Ray ID]` line, Cloudflare's
/// injected jsd script — which must not be mistaken for a challenge).
fn openai_block() -> Page {
    Page::html(
        403,
        r#"<html><head><style global>body{font-family:Arial,Helvetica,sans-serif}</style><title>Unable to load site</title></head>
<body><div class="container"><div class="logo"><svg width="41" height="41" viewBox="0 0 41 41"><path d="M37.5324 16.8707" fill="currentColor"/></svg></div>
<div class="content"><p>Unable to load site</p></div>
<span class="explanation">Please try again later. If you are using a VPN, try turning it off. Check the <a href="https://status.openai.com/" target="_new">status page</a> for information on outages.</span>
<br /><span class="explanation"> [IP:203.0.113.77 | Ray ID:8f2c1a0b3d4e5f60] </span></div>
<script>(function(){var js = "window['__CF$cv$params']={r:'8f2c1a0b3d4e5f60'};_cpo=document.createElement('script');_cpo.src='/cdn-cgi/challenge-platform/scripts/jsd/main.js';document.getElementsByTagName('head')[0].appendChild(_cpo);";})();</script>
</body></html>"#
            .into(),
    )
    .via_cloudflare()
}

/// Cloudflare's own failure of 2025-11-18: a 500 whose words look like a challenge.
fn unblock_challenges() -> Page {
    Page::html(
        500,
        "<!DOCTYPE html><html><head><title>chatgpt.com</title></head><body><p>Please unblock challenges.cloudflare.com to proceed.</p></body></html>".into(),
    )
    .via_cloudflare()
}

/// A hotel Wi-Fi login page, served for every request on every host.
/// A web filter's block page in place of OpenAI's hosts, shaped as FortiGate's "Web Filter
/// Violation" page (core/tests/captures/network/f05-…): a 403 without Cloudflare's marks, its
/// images on url.fortinet.net, the category named.
fn web_filter_block() -> Page {
    Page::html(
        403,
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\"><html><head><title>Web Filter Violation</title></head><body><div class=\"header\"><img src=\"http://url.fortinet.net:8008/XX/YY/ZZ/CI/MGPGHGPGPFGHCDPFGGOGFGEH\"></div><h1>FortiGuard Intrusion Prevention - Access Blocked</h1><h3>Web Page Blocked</h3><p>You have tried to access a web page that is in violation of your Internet usage policy.</p><p>Category: Artificial Intelligence Technology</p><p>To have the rating of this web page re-evaluated <a href=\"https://url.fortinet.net/rate/submit.php\">please click here</a>.</p></body></html>".into(),
    )
    .header("Cache-Control", "no-cache")
    .header("X-Frame-Options", "SAMEORIGIN")
}

fn captive_portal() -> Page {
    Page::html(
        200,
        "<!DOCTYPE html><html><head><title>Welcome to Hotel Wi-Fi</title></head><body><form action=\"/login\"><p>Please accept the terms to connect.</p><button>Connect</button></form></body></html>".into(),
    )
}
