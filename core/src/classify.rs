//! Reading one HTTP answer: who produced it and what it means.
//!
//! `server: cloudflare` and `cf-ray` are on every answer that passed Cloudflare, good or bad, so they
//! say nothing about who failed. What does: the status code, Cloudflare's own error-page markers,
//! `cf-mitigated: challenge`, 1xxx error codes in the body, and api.openai.com's `cf_*` JSON error
//! types. A challenge or a block means ChatGPT is up and refusing *you*; it is never an outage.

use serde::Serialize;

use crate::model::HttpResponse;

/// The meaning of one HTTP answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "class", rename_all = "snake_case")]
pub enum Class {
    /// A normal answer (2xx/3xx, or the API's 401 that proves it is alive).
    Ok,
    /// Any other 4xx that is not a block: the server answered, so it is up.
    Answered { status: u16 },
    /// A Cloudflare bot challenge ("Just a moment..."): not an outage, and not a view of
    /// OpenAI's servers either — a challenged request never reaches them.
    Challenge { status: u16 },
    /// A 403 from Cloudflare with no reason we recognise (a firewall rule on Gatewatch's own
    /// request, most likely): like a challenge, it shows nothing of OpenAI's servers.
    Refused { status: u16 },
    /// Cloudflare or OpenAI refuses this client: firewall, ban, geo block, rate limit.
    Blocked {
        status: u16,
        block: Block,
        code: Option<u16>,
    },
    /// Cloudflare answered but could not get a valid answer from OpenAI's servers.
    Gateway { status: u16, code: Option<u16> },
    /// Cloudflare itself failed (its own 500/503 pages).
    EdgeFailure { status: u16 },
    /// OpenAI's servers answered with their own 5xx.
    OriginError { status: u16 },
}

/// Why a client is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Block {
    /// Cloudflare firewall rule or ban (1006-1012, 1020, …).
    AccessDenied,
    /// Too many requests (429 or error 1015).
    RateLimited,
    /// OpenAI does not serve the user's country or refuses the VPN/proxy address.
    Region,
}

/// Cloudflare 1xxx codes that mean "this visitor is refused", as opposed to origin failures
/// (1016 origin DNS, 1033 tunnel, 1101 worker…) that arrive the same way.
const BLOCK_CODES: &[u16] = &[1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1020, 1025];
const RATE_LIMIT_CODE: u16 = 1015;
/// 1009: "the owner of this website has banned the country or region your IP address is in".
const COUNTRY_CODE: u16 = 1009;

/// Challenge pages: Cloudflare's stock "Just a moment..." and OpenAI's own template of it (raw HTML
/// or as rendered text, when a client pasted what it showed).
///
/// Not `/cdn-cgi/challenge-platform/` alone: Cloudflare injects its `scripts/jsd/main.js` from
/// there into ordinary pages, block pages included (real capture 09).
const CHALLENGE_MARKERS: &[&str] = &[
    "<title>just a moment...</title>",
    "/cdn-cgi/challenge-platform/h/",
    "_cf_chl_opt",
    "cf-chl-",
    "challenge-form",
    "cf-please-wait",
    "enable javascript and cookies to continue",
    "verify you are human",
    "needs to review the security of your connection",
    "checking if the site connection is secure",
    "checking your browser before accessing",
];

/// Block pages that do not carry a 1xxx code where we look for it: Cloudflare's "Attention
/// Required!" / "Sorry, you have been blocked", and OpenAI's templates of them.
const BLOCK_MARKERS: &[&str] = &[
    "unable to load site",
    // Cloudflare's stock block page, even when only its tail survives (real capture 30).
    "data-translate=\"blocked_",
    "you were blocked",
    "sorry, you have been blocked",
    "you have been blocked",
    "attention required! | cloudflare",
    "you are unable to access",
    "access denied",
];

/// OpenAI's JSON refusals of a country, a VPN or a datacenter address. As JSON keys: Cloudflare's
/// stock block page names its texts `data-translate="blocked_why_headline"` (real capture 11).
const REGION_MARKERS: &[&str] = &[
    "unsupported_country_region_territory",
    "\"blocked_why_headline\":",
    "\"cf_details\":",
];

/// Envoy's own bodies, from OpenAI's proxy layer behind Cloudflare when its upstream fails: an
/// answer from OpenAI's servers, not from Cloudflare and not about the user (real captures 32,
/// 33).
const ENVOY_MARKERS: &[&str] = &[
    "upstream connect error or disconnect/reset before headers",
    "no healthy upstream",
    "delayed connect error",
];

/// OpenAI's own refusal of a client it distrusts (JSON `detail`, no Cloudflare markup): OpenAI's
/// servers answered, which is what Gatewatch asks of chatgpt.com (real capture 35).
const OPENAI_REFUSAL_MARKERS: &[&str] = &[
    "unusual activity has been detected from your device",
    "detected unusual activity from your",
];

/// `x-envoy-upstream-service-time` is added by OpenAI's proxy layer (envoy) behind Cloudflare:
/// the request reached OpenAI's servers. Cloudflare's own pages and challenges lack it.
pub fn reached_openai(resp: &HttpResponse) -> bool {
    resp.header("x-envoy-upstream-service-time").is_some()
}

/// Did this answer pass through Cloudflare? `cf-ray` and `server: cloudflare` are on every
/// answer that did, good or bad (they say nothing about who failed); an answer without either
/// came from something else — a filter, a proxy, a login page — answering in Cloudflare's place.
pub fn via_cloudflare(resp: &HttpResponse) -> bool {
    resp.header("cf-ray").is_some()
        || resp
            .header("server")
            .is_some_and(|s| s.to_ascii_lowercase().contains("cloudflare"))
}

/// Markers of an error page Cloudflare generated (branded or plain).
const CLOUDFLARE_PAGE_MARKERS: &[&str] = &[
    "cf-error-details",
    "cf-wrapper",
    "cloudflare ray id",
    "cloudflare",
];

/// Classify one answer. `is_api` selects api.openai.com's conventions (401 + JSON error = alive).
///
/// The status code and Cloudflare's headers decide first (`cf-mitigated`, `cf-error-type`); the
/// body only refines (which 1xxx code, which kind of block, whose 5xx page), because real pages
/// come in several templates — Cloudflare's stock ones and OpenAI's own — and sometimes only as
/// the text a browser rendered.
pub fn classify(resp: &HttpResponse, is_api: bool) -> Class {
    let status = resp.status;
    let body = resp.body.to_ascii_lowercase();

    if challenged_by_header(resp) {
        return Class::Challenge { status };
    }
    if (200..400).contains(&status) {
        return Class::Ok;
    }
    let code = cloudflare_code(&body);
    if (400..500).contains(&status) {
        if REGION_MARKERS.iter().any(|m| body.contains(m)) {
            return Class::Blocked {
                status,
                block: Block::Region,
                code,
            };
        }
        if status == 429 && has_challenge_markers(&body) {
            return Class::Challenge { status };
        }
        if status == 429 || code == Some(RATE_LIMIT_CODE) {
            return Class::Blocked {
                status,
                block: Block::RateLimited,
                code,
            };
        }
        // The API's own JSON error (no key, bad key, no access to a model) proves it answered.
        if is_api && matches!(status, 401 | 403) && api_error_object(&resp.body) {
            return Class::Ok;
        }
        let block_page = status == 403 && BLOCK_MARKERS.iter().any(|m| body.contains(m));
        if code.is_some_and(|c| BLOCK_CODES.contains(&c))
            || (status == 403 && code.is_some())
            || block_page
        {
            return Class::Blocked {
                status,
                block: Block::AccessDenied,
                code,
            };
        }
        if status == 403 && has_challenge_markers(&body) {
            return Class::Challenge { status };
        }
        // OpenAI's servers answered, refusing this program (not the user's browser): the
        // office is open. Cloudflare's markup would mean Cloudflare refused instead.
        let cloudflare_markup = CLOUDFLARE_PAGE_MARKERS.iter().any(|m| body.contains(m));
        if status == 403
            && !cloudflare_markup
            && (reached_openai(resp) || OPENAI_REFUSAL_MARKERS.iter().any(|m| body.contains(m)))
        {
            return Class::Answered { status };
        }
        // A bare 403 is a refusal whose reason we cannot read; it never proves anything is up.
        if status == 403 {
            return Class::Refused { status };
        }
        // An empty 404 that came through Cloudflare but not through OpenAI's servers: seen on
        // every request during an OpenAI incident (real capture 34), and read by proxies as a
        // Cloudflare path block. It says nothing of who answered: like a bare 403.
        if status == 404 && body.trim().is_empty() && via_cloudflare(resp) && !reached_openai(resp)
        {
            return Class::Refused { status };
        }
        return Class::Answered { status };
    }
    // A challenge served as 503 (older Cloudflare "under attack" mode). Not on other 5xx: during
    // Cloudflare's own outage of 2025-11-18, its 500 pages asked to "unblock
    // challenges.cloudflare.com" — challenge-like words on what was an edge failure.
    if status == 503 && has_challenge_markers(&body) {
        return Class::Challenge { status };
    }
    // A 1xxx block code can also arrive as 530 ("banned" pages are served that way).
    if let Some(c) = code {
        if c == RATE_LIMIT_CODE {
            return Class::Blocked {
                status,
                block: Block::RateLimited,
                code,
            };
        }
        if BLOCK_CODES.contains(&c) {
            let block = if c == COUNTRY_CODE {
                Block::Region
            } else {
                Block::AccessDenied
            };
            return Class::Blocked {
                status,
                block,
                code,
            };
        }
    }
    // api.openai.com's own JSON for Cloudflare's 5xx (`cf_bad_gateway`, `cf_service_unavailable`,
    // `cf_gateway_timeout`): the edge answered for an origin that did not (real captures 19, 20,
    // 08, from the 2023-11-08 outage among others).
    if api_error_type(&resp.body).is_some_and(|t| {
        matches!(
            t.as_str(),
            "cf_bad_gateway" | "cf_service_unavailable" | "cf_gateway_timeout"
        )
    }) {
        return Class::Gateway { status, code };
    }
    // OpenAI's proxy layer failing behind Cloudflare (`no healthy upstream`…): OpenAI's servers.
    if ENVOY_MARKERS.iter().any(|m| body.contains(m)) {
        return Class::OriginError { status };
    }
    let by_cloudflare = generated_by_cloudflare(resp, &body);
    match status {
        502 | 504 if by_cloudflare => Class::Gateway { status, code },
        // It passed through OpenAI's proxy layer: OpenAI's servers answered this error, not
        // Cloudflare, whatever words the page has.
        500..=599 if reached_openai(resp) && resp.header("cf-error-type").is_none() => {
            Class::OriginError { status }
        }
        520..=527 | 530 => Class::Gateway { status, code },
        500..=599 if by_cloudflare => Class::EdgeFailure { status },
        500..=599 => Class::OriginError { status },
        // 1xx or nonsense codes: something answered, but not as a web server should.
        _ => Class::OriginError { status },
    }
}

/// Words OpenAI's phone-app hosts use to refuse the *user* (a VPN or datacenter address, a
/// country it does not serve), as opposed to refusing a client that is not the app.
const APP_BLOCK_MARKERS: &[&str] = &[
    "disallowed isp",
    "try disabling it",
    "unsupported_country",
    "not available in your country",
    "blocked_why_headline",
];

/// Classify an answer from the phone apps' host (ios.chat.openai.com).
///
/// That host answers a client that is not the app with OpenAI's own JSON, and its *healthy*
/// answer is a 403 — `{"cf_details":"Request is not allowed. Please try again later.",
/// "type":"dc"}` (real capture 90, from a network where the app works). So on this host a JSON
/// 4xx from OpenAI means the door answered; only the wording of a user block ("disallowed ISP",
/// "unsupported country"), a challenge, Cloudflare's own block pages or a 429 mean refused.
pub fn classify_app(resp: &HttpResponse) -> Class {
    let status = resp.status;
    let body = resp.body.to_ascii_lowercase();
    if !(400..500).contains(&status) {
        return classify(resp, false);
    }
    if APP_BLOCK_MARKERS.iter().any(|m| body.contains(m)) {
        let block = if body.contains("country") {
            Block::Region
        } else {
            Block::AccessDenied
        };
        return Class::Blocked {
            status,
            block,
            code: None,
        };
    }
    let json = body.trim_start().starts_with('{')
        && serde_json::from_str::<serde_json::Value>(&resp.body).is_ok_and(|v| v.is_object());
    if json && status != 429 && !challenged_by_header(resp) {
        return Class::Answered { status };
    }
    classify(resp, false)
}

/// `cf-mitigated: challenge` is Cloudflare's own word, whatever the status and body.
fn challenged_by_header(resp: &HttpResponse) -> bool {
    resp.header("cf-mitigated")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("challenge"))
}

fn has_challenge_markers(lower_body: &str) -> bool {
    CHALLENGE_MARKERS.iter().any(|m| lower_body.contains(m))
}

/// Cloudflare's own error pages carry its markers, a `cf-error-type` header, a title of the form
/// `<host> | 502: Bad gateway` (which may be all that survives of one: real capture 07), or (on
/// api.openai.com) a JSON error whose type starts with `cf_`.
fn generated_by_cloudflare(resp: &HttpResponse, lower_body: &str) -> bool {
    resp.header("cf-error-type").is_some()
        || CLOUDFLARE_PAGE_MARKERS
            .iter()
            .any(|m| lower_body.contains(m))
        || branded_title(lower_body)
        || api_error_type(&resp.body).is_some_and(|t| t.starts_with("cf_"))
}

/// `<title>chatgpt.com | 502: Bad gateway</title>`: Cloudflare's branded error page.
fn branded_title(lower_body: &str) -> bool {
    let Some(start) = lower_body.find("<title>") else {
        return false;
    };
    let title = &lower_body[start + "<title>".len()..];
    let title = &title[..title.find("</title>").unwrap_or(title.len())];
    title.rsplit_once(" | ").is_some_and(|(_, tail)| {
        let code = tail.trim_start();
        code.len() > 4
            && code.as_bytes()[..3].iter().all(u8::is_ascii_digit)
            && code.as_bytes()[3] == b':'
    })
}

/// A 1xxx Cloudflare error code in a page ("Error code 1020", "error code: 1015").
pub fn cloudflare_code(lower_body: &str) -> Option<u16> {
    let mut rest = lower_body;
    while let Some(at) = rest.find("error code") {
        rest = &rest[at + "error code".len()..];
        let digits: String = rest
            .trim_start_matches([':', ' ', '\t'])
            .trim_start_matches("<span>")
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        if let Ok(code) = digits.parse::<u16>() {
            if (1000..2000).contains(&code) {
                return Some(code);
            }
        }
    }
    None
}

/// `{"error": {...}}`, the shape of every api.openai.com error.
fn api_error_object(body: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .is_some_and(|v| v.get("error").is_some_and(|e| e.is_object()))
}

fn api_error_type(body: &str) -> Option<String> {
    if !body.trim_start().starts_with('{') {
        return None;
    }
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    v.get("error")?.get("type")?.as_str().map(str::to_string)
}

/// The Cloudflare data centre that served an answer, from `cf-ray: <hex>-<IATA>`.
pub fn ray_colo(resp: &HttpResponse) -> Option<String> {
    let ray = resp.header("cf-ray")?;
    let (_, colo) = ray.trim().rsplit_once('-')?;
    let valid = (2..=5).contains(&colo.len()) && colo.chars().all(|c| c.is_ascii_alphabetic());
    valid.then(|| colo.to_ascii_uppercase())
}

/// Cloudflare's `/cdn-cgi/trace` answer: `key=value` lines.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Trace {
    pub colo: Option<String>,
    pub loc: Option<String>,
    pub ip: Option<String>,
    pub http: Option<String>,
    pub tls: Option<String>,
    pub warp: Option<String>,
}

/// Parse a trace body. `None` when it is not a trace at all (a captive portal's HTML, say).
pub fn parse_trace(body: &str) -> Option<Trace> {
    let mut t = Trace::default();
    let mut keys = 0;
    for line in body.lines().take(64) {
        let Some((k, v)) = line.trim().split_once('=') else {
            continue;
        };
        let v = v.trim();
        if v.is_empty() || v.len() > 64 || !v.chars().all(|c| c.is_ascii_graphic() || c == ' ') {
            continue;
        }
        let slot = match k.trim() {
            "colo" => &mut t.colo,
            "loc" => &mut t.loc,
            "ip" => &mut t.ip,
            "http" => &mut t.http,
            "tls" => &mut t.tls,
            "warp" => &mut t.warp,
            "fl" | "h" | "ts" | "visit_scheme" | "uag" | "sliver" | "sni" | "gateway" | "rbi"
            | "kex" => {
                keys += 1;
                continue;
            }
            _ => continue,
        };
        *slot = Some(v.to_string());
        keys += 1;
    }
    (t.colo.is_some() && keys >= 2).then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(resp: HttpResponse, is_api: bool, expect: Class) {
        assert_eq!(classify(&resp, is_api), expect, "for {resp:?}");
    }

    const BRANDED_502: &str = r#"<!DOCTYPE html><html><head><title>chatgpt.com | 502: Bad gateway</title></head>
<body><div id="cf-wrapper"><div id="cf-error-details"><h1>Bad gateway</h1><span>Error code 502</span>
<p>Browser Working</p><p>Cloudflare Working</p><p>Host Error</p>
<p>Cloudflare Ray ID: <strong>8f2c1a0b3d4e5f60</strong></p></div></div></body></html>"#;

    #[test]
    fn openai_s_proxy_layer_and_empty_answers() {
        let cf = |s| {
            HttpResponse::new(s)
                .with_header("server", "cloudflare")
                .with_header("cf-ray", "8f2c1a0b3d4e5f60-FRA")
        };
        let envoy = |s| cf(s).with_header("x-envoy-upstream-service-time", "12");
        // Envoy's bodies are OpenAI's servers failing, whatever else the page says.
        for body in [
            "upstream connect error or disconnect/reset before headers. reset reason: overflow",
            "no healthy upstream",
            "upstream connect error or disconnect/reset before headers. reset reason: remote connection failure, transport failure reason: delayed connect error: 111",
        ] {
            check(cf(503).with_body(body), false, Class::OriginError { status: 503 });
        }
        // A 500 that passed through OpenAI's proxy layer is OpenAI's, not Cloudflare's…
        check(
            envoy(500).with_body("<p>cloudflare</p>"),
            false,
            Class::OriginError { status: 500 },
        );
        // …unless Cloudflare says it made the page.
        check(
            envoy(500)
                .with_header("cf-error-type", "origin")
                .with_body("cloudflare"),
            false,
            Class::EdgeFailure { status: 500 },
        );
        check(
            cf(500).with_body("<p>cloudflare</p>"),
            false,
            Class::EdgeFailure { status: 500 },
        );
        // OpenAI's servers refusing the program: they answered.
        check(
            envoy(403).with_body(r#"{"detail":"Forbidden"}"#),
            false,
            Class::Answered { status: 403 },
        );
        check(
            cf(403).with_body(r#"{"detail":"Unusual activity has been detected from your device. Try again later. (89bd7c34ab2508de-LAX)"}"#),
            false,
            Class::Answered { status: 403 },
        );
        // Without the header or OpenAI's words, a 403 stays a refusal with no reason.
        check(
            cf(403).with_body(r#"{"detail":"Forbidden"}"#),
            false,
            Class::Refused { status: 403 },
        );
        // An empty 404 through Cloudflare alone says nothing; through OpenAI's proxy, or with a
        // body, it is an answer.
        check(cf(404), false, Class::Refused { status: 404 });
        check(
            cf(404).with_body(" \r\n"),
            false,
            Class::Refused { status: 404 },
        );
        check(envoy(404), false, Class::Answered { status: 404 });
        check(
            HttpResponse::new(404),
            false,
            Class::Answered { status: 404 },
        );
    }

    #[test]
    fn table() {
        let r = HttpResponse::new;
        let cf = |s| {
            r(s).with_header("server", "cloudflare")
                .with_header("cf-ray", "8f2c1a0b3d4e5f60-FRA")
        };
        check(cf(200).with_body("{}"), false, Class::Ok);
        check(cf(302), false, Class::Ok);
        check(
            cf(404).with_body("not found"),
            false,
            Class::Answered { status: 404 },
        );
        check(
            cf(502).with_body(BRANDED_502),
            false,
            Class::Gateway {
                status: 502,
                code: None,
            },
        );
        check(
            cf(502).with_body("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>"),
            false,
            Class::Gateway { status: 502, code: None },
        );
        // A 502 without any Cloudflare marker came from OpenAI's own proxies.
        check(
            cf(502).with_body("upstream connect error or disconnect/reset before headers"),
            false,
            Class::OriginError { status: 502 },
        );
        check(
            cf(504).with_body(BRANDED_502.replace("502", "504").as_str()),
            false,
            Class::Gateway {
                status: 504,
                code: None,
            },
        );
        for s in [520, 521, 522, 523, 524, 525, 526] {
            check(
                cf(s).with_body("error"),
                false,
                Class::Gateway {
                    status: s,
                    code: None,
                },
            );
        }
        check(
            cf(530).with_body("<span>Error code 1016</span> Origin DNS error"),
            false,
            Class::Gateway {
                status: 530,
                code: Some(1016),
            },
        );
        check(
            cf(500).with_body("<html>Internal Server Error</html>"),
            false,
            Class::OriginError { status: 500 },
        );
        check(
            cf(503).with_body("<h1>We're down for maintenance</h1>"),
            false,
            Class::OriginError { status: 503 },
        );
        check(
            cf(503).with_body("<center>cloudflare-nginx</center>"),
            false,
            Class::EdgeFailure { status: 503 },
        );
        check(
            cf(500).with_body("<div id=\"cf-error-details\">Error code 500</div>"),
            false,
            Class::EdgeFailure { status: 500 },
        );
        check(
            cf(500).with_header("cf-error-type", "internal"),
            false,
            Class::EdgeFailure { status: 500 },
        );
        // Challenges: the header alone, or the page markers on 403/429/503 (not other 5xx).
        check(
            cf(403)
                .with_header("cf-mitigated", "challenge")
                .with_body("<title>Just a moment...</title>"),
            false,
            Class::Challenge { status: 403 },
        );
        check(cf(503).with_body("<title>Just a moment...</title><script src=\"/cdn-cgi/challenge-platform/h/b/orchestrate\">"), false, Class::Challenge { status: 503 });
        check(
            cf(200).with_header("CF-Mitigated", "challenge"),
            false,
            Class::Challenge { status: 200 },
        );
        // Blocks.
        check(
            cf(403).with_body("<span>Error code 1020</span> Access denied"),
            false,
            Class::Blocked {
                status: 403,
                block: Block::AccessDenied,
                code: Some(1020),
            },
        );
        check(
            cf(429).with_body("error code: 1015"),
            false,
            Class::Blocked {
                status: 429,
                block: Block::RateLimited,
                code: Some(1015),
            },
        );
        check(
            cf(429).with_body("Too Many Requests"),
            false,
            Class::Blocked {
                status: 429,
                block: Block::RateLimited,
                code: None,
            },
        );
        check(
            cf(530).with_body("Error code 1009: access denied, country banned"),
            false,
            Class::Blocked {
                status: 530,
                block: Block::Region,
                code: Some(1009),
            },
        );
        check(
            cf(403)
                .with_body("<span>Error code 1006</span> Access denied: your IP has been banned"),
            false,
            Class::Blocked {
                status: 403,
                block: Block::AccessDenied,
                code: Some(1006),
            },
        );
        check(
            cf(403).with_body(r#"{"cf_details":"blocked","blocked_why_headline":"Unable to load site","unsupported_country_region_territory":true}"#),
            false,
            Class::Blocked { status: 403, block: Block::Region, code: None },
        );
        // The API: 401 + JSON error object = alive; cf_* JSON types = Cloudflare's.
        check(cf(401).with_body(r#"{"error":{"message":"You didn't provide an API key.","type":"invalid_request_error"}}"#), true, Class::Ok);
        check(
            cf(401).with_body("nope"),
            true,
            Class::Answered { status: 401 },
        );
        check(cf(502).with_body(r#"{"error":{"code":502,"message":"Bad gateway.","param":null,"type":"cf_bad_gateway"}}"#), true, Class::Gateway { status: 502, code: None });
        // Cloudflare's JSON for an origin that does not answer it (not Cloudflare's own failure):
        // capture 20, api.openai.com on 2023-11-08.
        check(cf(503).with_body(r#"{"error":{"code":503,"message":"Service Unavailable.","param":null,"type":"cf_service_unavailable"}}"#), true, Class::Gateway { status: 503, code: None });
        check(
            cf(500).with_body(
                r#"{"error":{"message":"The server had an error","type":"server_error"}}"#,
            ),
            true,
            Class::OriginError { status: 500 },
        );
    }

    #[test]
    fn cloudflare_codes() {
        assert_eq!(cloudflare_code("error code: 1015"), Some(1015));
        assert_eq!(cloudflare_code("<span>error code 1020</span>"), Some(1020));
        assert_eq!(
            cloudflare_code("error code 502 then error code 1016"),
            Some(1016)
        );
        assert_eq!(cloudflare_code("error code 502"), None);
        assert_eq!(cloudflare_code("error code: 99999999999"), None);
        assert_eq!(cloudflare_code(""), None);
    }

    #[test]
    fn ray() {
        let r = |v: &str| HttpResponse::new(200).with_header("cf-ray", v);
        assert_eq!(ray_colo(&r("8f2c1a0b3d4e5f60-FRA")).as_deref(), Some("FRA"));
        assert_eq!(ray_colo(&r("8f2c1a0b3d4e5f60-mxp")).as_deref(), Some("MXP"));
        assert_eq!(ray_colo(&r("8f2c1a0b3d4e5f60")), None);
        assert_eq!(ray_colo(&r("x-<script>")), None);
        assert_eq!(ray_colo(&HttpResponse::new(200)), None);
    }

    #[test]
    fn trace() {
        let t = parse_trace("fl=29f1\nh=chatgpt.com\nip=203.0.113.9\nts=1732480000.1\nvisit_scheme=https\nuag=Gatewatch\ncolo=FRA\nsliver=none\nhttp=http/2\nloc=DE\ntls=TLSv1.3\nsni=plaintext\nwarp=off\ngateway=off\nrbi=off\nkex=X25519\n").unwrap();
        assert_eq!(t.colo.as_deref(), Some("FRA"));
        assert_eq!(t.loc.as_deref(), Some("DE"));
        assert_eq!(t.http.as_deref(), Some("http/2"));
        assert_eq!(t.warp.as_deref(), Some("off"));
        assert_eq!(
            parse_trace("<html><title>Hotel Wi-Fi login</title></html>"),
            None
        );
        assert_eq!(parse_trace("colo=FRA"), None, "one key is not a trace");
        assert_eq!(parse_trace(""), None);
    }
}
