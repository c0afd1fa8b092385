//! What each service is sent, and what its answer means. Pure: the shapes are the services'
//! documented ones, and the tests' receivers on loopback check them field by field.
//!
//! - Slack incoming webhooks: `text` (the notification's line) and `blocks` (header, section,
//!   context); answered `200 ok`, or `400 invalid_payload`, `403`, `404 no_service`,
//!   `410 channel_is_archived`, `429` with `Retry-After`.
//! - Discord webhooks: one embed (title, description, colour, fields, timestamp),
//!   mentions off; answered `204`, or `429` with `retry_after` (seconds, a float) in its JSON.
//! - Microsoft Teams Workflows webhooks: a `message` whose one attachment is an Adaptive Card
//!   (version 1.4); answered `202`.
//! - A JSON webhook: the `watch --format json` object with the sentence, the notice's kind and
//!   its id (the same on every retry).
//! - ntfy: the message as the body, `Title` (RFC 2047 when it is not ASCII), `Priority` by
//!   severity, `Tags` (emoji short codes), `Click` to OpenAI's status page; answered with the
//!   message as JSON, or `429`.

use serde_json::{json, Value};

use super::{Alert, ChannelKind, Severity};
use crate::i18n::t;
use crate::links::Link;
use crate::text;

/// A request's body and headers (the URL is the channel's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

/// What a channel is sent for an alert going out at `sent_wall_ms`.
pub fn request(kind: ChannelKind, a: &Alert, sent_wall_ms: i64, token: Option<&str>) -> Request {
    let late = a.late_note(sent_wall_ms);
    let mut headers = Vec::new();
    if let Some(tok) = token.filter(|_| kind.takes_token()) {
        headers.push(("authorization", format!("Bearer {tok}")));
    }
    let body = match kind {
        ChannelKind::Slack => json_body(&mut headers, slack(a, late.as_deref())),
        ChannelKind::Discord => json_body(&mut headers, discord(a, late.as_deref())),
        ChannelKind::Teams => json_body(&mut headers, teams(a, late.as_deref())),
        ChannelKind::Webhook => json_body(&mut headers, webhook(a, late.is_some(), sent_wall_ms)),
        ChannelKind::Ntfy => ntfy(&mut headers, a, late.as_deref()),
    };
    Request { headers, body }
}

fn json_body(headers: &mut Vec<(&'static str, String)>, v: Value) -> String {
    headers.push(("content-type", "application/json".into()));
    v.to_string()
}

/// The lines under the title, in order: the body, what to do, and the late note.
fn lines(a: &Alert, late: Option<&str>) -> Vec<String> {
    let mut out = vec![a.body.clone()];
    out.extend(advice_line(a));
    out.extend(late.map(String::from));
    out
}

/// The advice, as its own line, unless the body already says it.
fn advice_line(a: &Alert) -> Option<String> {
    a.advice
        .clone()
        .filter(|adv| !a.body.contains(adv.as_str()))
}

/// Cut to at most `max` characters, between words where there is one, with "…".
fn cap(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max.saturating_sub(1)).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(at) if at > cut.len() / 2 => cut[..at].trim_end().to_string(),
        _ => cut,
    };
    format!("{cut}…")
}

/// Slack's mrkdwn: `&`, `<` and `>` are control characters; everything else is text.
fn slack_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn slack(a: &Alert, late: Option<&str>) -> Value {
    let mut blocks = vec![
        json!({"type": "header", "text": {"type": "plain_text", "text": cap(&a.title, 150), "emoji": true}}),
        json!({"type": "section", "text": {"type": "mrkdwn", "text": cap(&slack_escape(&a.body), 3000)}}),
    ];
    let mut fields = Vec::new();
    for (label, value) in facts(a) {
        fields.push(json!({"type": "mrkdwn", "text": cap(&format!("*{}*\n{}", slack_escape(&label), slack_escape(&value)), 2000)}));
    }
    if !fields.is_empty() {
        blocks.push(json!({"type": "section", "fields": fields}));
    }
    let mut context = Vec::new();
    if let Some(l) = late {
        context.push(json!({"type": "mrkdwn", "text": format!("_{}_", slack_escape(l))}));
    }
    context.push(json!({"type": "mrkdwn", "text": format!("<{}|{}> · Gatewatch", Link::StatusPage.url(), slack_escape(&t(a.lang, "alert-status-page")))}));
    blocks.push(json!({"type": "context", "elements": context}));
    // `text` is what the notification and screen readers say.
    let mut fallback = a.sentence();
    if let Some(l) = late {
        fallback = format!("{fallback} {l}");
    }
    json!({"text": cap(&slack_escape(&fallback), 3000), "blocks": blocks})
}

/// The facts a card shows beside the body: the cause, since when, what to do.
fn facts(a: &Alert) -> Vec<(String, String)> {
    let mut f = Vec::new();
    if let Some(c) = &a.cause {
        f.push((t(a.lang, "alert-field-cause"), c.clone()));
    }
    if let Some(s) = &a.since {
        f.push((t(a.lang, "alert-field-since"), s.clone()));
    }
    if let Some(adv) = &a.advice {
        f.push((t(a.lang, "alert-field-advice"), adv.clone()));
    }
    f
}

/// Discord's markdown, and its mentions: text is escaped; mentions are off anyway.
fn discord_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '~' | '`' | '|' | '>' | '#' | '[' | ']' | '(' | ')'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn colour(s: Severity) -> u32 {
    match s {
        Severity::Down => 0xD93025,
        Severity::Warning => 0xE8A317,
        Severity::Good => 0x1E8E3E,
        Severity::Info => 0x5F6368,
    }
}

fn discord(a: &Alert, late: Option<&str>) -> Value {
    let mut description = discord_escape(&a.body);
    if let Some(l) = late {
        description = format!("{description}\n\n*{}*", discord_escape(l));
    }
    let fields: Vec<Value> = facts(a)
        .into_iter()
        .map(|(name, value)| {
            json!({"name": cap(&name, 256), "value": cap(&discord_escape(&value), 1024), "inline": false})
        })
        .collect();
    json!({
        "username": "Gatewatch",
        // The embed alone: a `content` line would only repeat its title.
        "embeds": [{
            "title": cap(&a.title, 256),
            "description": cap(&description, 4096),
            "url": Link::StatusPage.url(),
            "color": colour(a.severity),
            "fields": fields,
            "timestamp": iso8601(a.at_wall_ms),
            "footer": {"text": "Gatewatch"},
        }],
        "allowed_mentions": {"parse": []},
    })
}

fn iso8601(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn teams(a: &Alert, late: Option<&str>) -> Value {
    let (style, text_colour) = match a.severity {
        Severity::Down => ("attention", "Attention"),
        Severity::Warning => ("warning", "Warning"),
        Severity::Good => ("good", "Good"),
        Severity::Info => ("default", "Default"),
    };
    let mut body = vec![
        json!({"type": "Container", "style": style, "bleed": true, "items": [
            {"type": "TextBlock", "text": a.title, "weight": "Bolder", "size": "Medium", "color": text_colour, "wrap": true}
        ]}),
        json!({"type": "TextBlock", "text": a.body, "wrap": true}),
    ];
    let facts: Vec<Value> = facts(a)
        .into_iter()
        .map(|(title, value)| json!({"title": title, "value": value}))
        .collect();
    if !facts.is_empty() {
        body.push(json!({"type": "FactSet", "facts": facts}));
    }
    if let Some(l) = late {
        body.push(
            json!({"type": "TextBlock", "text": l, "isSubtle": true, "italic": true, "wrap": true}),
        );
    }
    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "type": "AdaptiveCard",
                "version": "1.4",
                "body": body,
                "actions": [{"type": "Action.OpenUrl", "title": t(a.lang, "alert-status-page"), "url": Link::StatusPage.url()}],
                "msteams": {"width": "Full"},
            },
        }],
    })
}

fn webhook(a: &Alert, late: bool, sent_wall_ms: i64) -> Value {
    let mut v = match &a.line {
        Value::Object(o) => Value::Object(o.clone()),
        _ => json!({}),
    };
    let o = v.as_object_mut().expect("an object");
    o.insert("gatewatch".into(), json!(1));
    o.insert("id".into(), json!(a.id));
    o.insert("notice".into(), json!(a.notice.as_str()));
    o.insert("severity".into(), json!(a.severity));
    o.insert("sentence".into(), json!(a.sentence()));
    o.insert("title".into(), json!(a.title));
    o.insert("body".into(), json!(a.body));
    o.insert("cause_text".into(), json!(a.cause));
    o.insert("since_text".into(), json!(a.since));
    o.insert("advice".into(), json!(a.advice));
    o.insert("happened_ms".into(), json!(a.at_wall_ms));
    o.insert("sent_ms".into(), json!(sent_wall_ms));
    o.insert("late".into(), json!(late));
    o.insert("lang".into(), json!(a.lang.code()));
    if !o.contains_key("verdict") {
        o.insert("verdict".into(), json!(a.verdict.as_str()));
    }
    v
}

fn ntfy(headers: &mut Vec<(&'static str, String)>, a: &Alert, late: Option<&str>) -> String {
    let (priority, tag) = match a.severity {
        Severity::Down => ("4", "rotating_light"),
        Severity::Warning => ("3", "warning"),
        Severity::Good => ("3", "white_check_mark"),
        Severity::Info => ("2", "test_tube"),
    };
    headers.push(("title", header_text(&a.title)));
    headers.push(("priority", priority.into()));
    headers.push(("tags", format!("{tag},{}", a.verdict.as_str())));
    headers.push(("click", Link::StatusPage.url().into()));
    headers.push(("content-type", "text/plain; charset=utf-8".into()));
    cap(&lines(a, late).join("\n"), 4000)
}

/// A header value as ntfy reads it: as is when it is printable ASCII, else an RFC 2047
/// encoded word (`=?UTF-8?B?…?=`), which ntfy decodes.
pub fn header_text(s: &str) -> String {
    let s: String = s.chars().filter(|c| !c.is_control()).collect();
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return s;
    }
    format!("=?UTF-8?B?{}?=", base64(s.as_bytes()))
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// What a service's answer means for the alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Taken.
    Delivered,
    /// Not now: try again, after this long when the service said (`Retry-After`, Discord's
    /// `retry_after`), else after the outbox's backoff. `status`: the code it answered.
    Later { status: u16, after_ms: Option<u64> },
    /// Refused for good (a wrong or deleted webhook, a payload refused): retrying cannot help.
    Refused { status: u16 },
}

/// The longest wait a service's `Retry-After` is taken for.
pub const RETRY_AFTER_CAP_MS: u64 = 60 * 60 * 1000;

/// Read an answer: its status, its `Retry-After` header and the start of its body.
pub fn judge(status: u16, retry_after: Option<&str>, body: &str, now_wall_ms: i64) -> Answer {
    match status {
        200..=299 => Answer::Delivered,
        408 | 425 | 429 | 500..=599 => Answer::Later {
            status,
            after_ms: retry_after
                .and_then(|h| parse_retry_after(h, now_wall_ms))
                .or_else(|| discord_retry_after(body))
                .map(|ms| ms.min(RETRY_AFTER_CAP_MS)),
        },
        _ => Answer::Refused { status },
    }
}

/// `Retry-After`: seconds (Slack, Discord, ntfy; Discord may send a fraction), or an HTTP date.
pub fn parse_retry_after(h: &str, now_wall_ms: i64) -> Option<u64> {
    let h = h.trim();
    if let Ok(secs) = h.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| (secs * 1000.0).ceil() as u64);
    }
    let at = chrono::DateTime::parse_from_rfc2822(h).ok()?;
    Some((at.timestamp_millis() - now_wall_ms).max(0) as u64)
}

/// Discord's rate-limit body: `{"message": "You are being rate limited.", "retry_after":
/// 0.512, "global": false}`.
fn discord_retry_after(body: &str) -> Option<u64> {
    let v: Value = serde_json::from_str(body).ok()?;
    let secs = v.get("retry_after")?.as_f64()?;
    (secs.is_finite() && secs >= 0.0).then(|| (secs * 1000.0).ceil() as u64)
}

/// The words for why a channel failed: an HTTP status, or how the request failed.
pub fn failure_words(f: super::outbox::Failure, lang: crate::i18n::Lang) -> String {
    use super::outbox::Failure;
    match f {
        Failure::Net(kind) => text::net_error(kind, lang),
        Failure::Status(status) | Failure::Refused(status) => {
            text::page_error(crate::statuspage::PageError::Http { status }, lang)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_as_rfc_4648_gives_it() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded, "{plain:?}");
        }
    }

    #[test]
    fn headers_are_ascii_or_an_encoded_word() {
        assert_eq!(header_text("ChatGPT is down"), "ChatGPT is down");
        assert_eq!(
            header_text("ChatGPT est en panne — OpenAI"),
            "=?UTF-8?B?Q2hhdEdQVCBlc3QgZW4gcGFubmUg4oCUIE9wZW5BSQ==?="
        );
        // A line break cannot end a header early.
        assert_eq!(header_text("a\r\nX-Evil: 1"), "aX-Evil: 1");
    }

    #[test]
    fn answers_read_as_the_services_mean_them() {
        let now = 1_700_000_000_000;
        assert_eq!(judge(200, None, "ok", now), Answer::Delivered);
        assert_eq!(judge(204, None, "", now), Answer::Delivered);
        assert_eq!(judge(202, None, "", now), Answer::Delivered);
        assert_eq!(
            judge(429, Some("2"), "", now),
            Answer::Later {
                status: 429,
                after_ms: Some(2_000)
            }
        );
        // Discord: the header rounded, the body exact.
        let discord =
            r#"{"message": "You are being rate limited.", "retry_after": 0.512, "global": false}"#;
        assert_eq!(
            judge(429, None, discord, now),
            Answer::Later {
                status: 429,
                after_ms: Some(512)
            }
        );
        assert_eq!(
            judge(503, Some("Tue, 14 Nov 2023 22:13:50 GMT"), "", now),
            Answer::Later {
                status: 503,
                after_ms: Some(30_000)
            }
        );
        assert_eq!(
            judge(500, None, "rollup_error", now),
            Answer::Later {
                status: 500,
                after_ms: None
            }
        );
        // A day's wait is capped at an hour.
        assert_eq!(
            judge(429, Some("86400"), "", now),
            Answer::Later {
                status: 429,
                after_ms: Some(RETRY_AFTER_CAP_MS)
            }
        );
        for (status, body) in [
            (400, "invalid_payload"),
            (403, "action_prohibited"),
            (404, "no_service"),
            (410, "channel_is_archived"),
        ] {
            assert_eq!(judge(status, None, body, now), Answer::Refused { status });
        }
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn long_text_is_cut_between_words() {
        assert_eq!(cap("short", 10), "short");
        assert_eq!(cap("one two three four", 12), "one two…");
        assert_eq!(cap("abcdefghijkl", 5), "abcd…");
    }

    #[test]
    fn markup_in_text_stays_text() {
        assert_eq!(
            slack_escape("<!channel> & <x|y>"),
            "&lt;!channel&gt; &amp; &lt;x|y&gt;"
        );
        assert_eq!(
            discord_escape("**@everyone** [x](y)"),
            "\\*\\*@everyone\\*\\* \\[x\\]\\(y\\)"
        );
    }
}
