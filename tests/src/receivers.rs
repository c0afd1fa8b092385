//! Where notices go, on loopback: stand-ins for a Slack incoming webhook, a Discord webhook, a
//! Microsoft Teams Workflows webhook, a plain JSON webhook and an ntfy server.
//!
//! Each checks what it is sent against the service's documented payload shape (Slack: `text`
//! and Block Kit `blocks` with their length limits; Discord: `content`/`embeds` within the
//! embed limits; Teams: the `message` envelope with one Adaptive Card attachment; ntfy: a
//! `POST /<topic>` with its `Title`/`Priority`/`Tags` headers and a text body) and answers as
//! the service does (Slack `200 ok`, Discord `204` and its `429` JSON with `retry_after`, Teams
//! `202`, ntfy's message JSON). A test can switch one to answering 500, to 429 with
//! `Retry-After`, to hanging, or to being away (the connection dropped unanswered), and read
//! back everything it was sent.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde_json::Value;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

use crate::Counters;

/// The service a receiver stands in for; `kind()` is the channel kind Gatewatch's settings use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Slack,
    Discord,
    Teams,
    Webhook,
    Ntfy,
}

impl Service {
    pub const ALL: [Service; 5] = [
        Service::Slack,
        Service::Discord,
        Service::Teams,
        Service::Webhook,
        Service::Ntfy,
    ];

    pub fn kind(self) -> &'static str {
        match self {
            Service::Slack => "slack",
            Service::Discord => "discord",
            Service::Teams => "teams",
            Service::Webhook => "webhook",
            Service::Ntfy => "ntfy",
        }
    }

    /// The path the service's URL has, its secret included (as the real ones carry theirs).
    fn path(self) -> &'static str {
        match self {
            Service::Slack => "/services/T0GWTEST/B0GWTEST/s3cretSLACKtoken",
            Service::Discord => "/api/webhooks/1234567890/s3cretDISCORDtoken",
            Service::Teams => "/workflows/s3cretTEAMS/triggers/manual/paths/invoke",
            Service::Webhook => "/hooks/s3cretWEBHOOK",
            Service::Ntfy => "/gatewatch-s3cret-topic",
        }
    }
}

/// How a receiver answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// As the service does when all is well.
    Normal,
    /// This status, with the service's error body.
    Status(u16),
    /// 429 with `Retry-After: <secs>` (and Discord's `retry_after` in its body).
    RateLimited { secs: u64 },
    /// Read the request, never answer.
    Hang,
    /// Drop every connection unanswered, as a server that is gone.
    Away,
}

/// One request as received, and whether its shape is the service's.
#[derive(Debug, Clone)]
pub struct Got {
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub at: Instant,
    /// `Err(why)` when the payload is not what the service takes.
    pub shape: Result<(), String>,
    /// Whether it was answered as delivered.
    pub delivered: bool,
}

impl Got {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    /// The notice's words, whatever the service: for telling notices apart in a test.
    pub fn words(&self) -> String {
        match self.header("title") {
            Some(t) => format!("{t}\n{}", self.body),
            None => self.body.clone(),
        }
    }
}

struct Shared {
    service: Service,
    token: Option<String>,
    mode: Mutex<Mode>,
    got: Mutex<Vec<Got>>,
    connections: AtomicU64,
}

/// A receiver on `127.0.0.1:<port>`, serving until dropped.
pub struct Receiver {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Receiver {
    pub async fn start(service: Service) -> std::io::Result<Receiver> {
        Receiver::start_with_token(service, None).await
    }

    /// An ntfy topic or JSON webhook that wants `Authorization: Bearer <token>` (else 401/403).
    pub async fn start_with_token(
        service: Service,
        token: Option<&str>,
    ) -> std::io::Result<Receiver> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            service,
            token: token.map(String::from),
            mode: Mutex::new(Mode::Normal),
            got: Mutex::new(Vec::new()),
            connections: AtomicU64::new(0),
        });
        let s = shared.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = crate::accept(&listener).await {
                s.connections.fetch_add(1, Ordering::Relaxed);
                let s = s.clone();
                tokio::spawn(async move { connection(stream, &s).await });
            }
        });
        Ok(Receiver { addr, shared, task })
    }

    pub fn service(&self) -> Service {
        self.shared.service
    }

    /// The URL to configure, secret path and all.
    pub fn url(&self) -> String {
        format!("http://{}{}", self.addr, self.shared.service.path())
    }

    /// The secret part of the URL, for checking that it is never shown.
    pub fn secret(&self) -> &'static str {
        self.shared.service.path()
    }

    /// The `channels` entry for Gatewatch's settings.
    pub fn channel(&self) -> Value {
        let mut c = serde_json::json!({"kind": self.shared.service.kind(), "url": self.url()});
        if let Some(t) = &self.shared.token {
            c["token"] = t.clone().into();
        }
        c
    }

    pub fn set(&self, mode: Mode) {
        *self.shared.mode.lock().unwrap() = mode;
    }

    /// Every request received, in order (attempts that were refused or hung included).
    pub fn received(&self) -> Vec<Got> {
        self.shared.got.lock().unwrap().clone()
    }

    /// The requests answered as delivered.
    pub fn delivered(&self) -> Vec<Got> {
        self.received()
            .into_iter()
            .filter(|g| g.delivered)
            .collect()
    }

    /// Connections made to it (including those dropped while away).
    pub fn connections(&self) -> u64 {
        self.shared.connections.load(Ordering::Relaxed)
    }
}

async fn connection(mut stream: TcpStream, s: &Shared) {
    let counters = Counters::default();
    let mut buf = Vec::new();
    loop {
        if *s.mode.lock().unwrap() == Mode::Away {
            return;
        }
        let Some(req) = crate::read_request(&mut stream, &mut buf, &counters).await else {
            return;
        };
        let mode = *s.mode.lock().unwrap();
        let body = String::from_utf8_lossy(&req.body).into_owned();
        let shape = check(s.service, &req.method, &req.path, &req.headers, &body);
        let authorized = match &s.token {
            None => true,
            Some(t) => req.header("authorization") == Some(&format!("Bearer {t}")),
        };
        let right_place = req.path == s.service.path();
        let (status, headers, answer): (u16, Vec<(&str, String)>, String) = match mode {
            Mode::Away => return,
            Mode::Hang => {
                record(s, &req, body, shape, false);
                std::future::pending::<()>().await;
                return;
            }
            Mode::Status(code) => (code, vec![], error_body(s.service, code)),
            Mode::RateLimited { secs } => (
                429,
                vec![("retry-after", secs.to_string())],
                match s.service {
                    Service::Discord => format!(
                        r#"{{"message": "You are being rate limited.", "retry_after": {secs}.0, "global": false}}"#
                    ),
                    Service::Slack => "rate_limited".into(),
                    _ => String::new(),
                },
            ),
            Mode::Normal if !right_place => (404, vec![], error_body(s.service, 404)),
            Mode::Normal if !authorized => (
                if req.header("authorization").is_some() {
                    403
                } else {
                    401
                },
                vec![],
                error_body(s.service, 401),
            ),
            Mode::Normal if shape.is_err() => (400, vec![], error_body(s.service, 400)),
            Mode::Normal => ok(s.service, &req.path, &body),
        };
        record(s, &req, body, shape, (200..300).contains(&status));
        let reason = match status {
            200 => "OK",
            202 => "Accepted",
            204 => "No Content",
            400 => "Bad Request",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "Not Found",
            429 => "Too Many Requests",
            _ => "Error",
        };
        let mut head = format!("HTTP/1.1 {status} {reason}\r\n");
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        if status != 204 {
            head.push_str(&format!("content-length: {}\r\n", answer.len()));
        }
        head.push_str("\r\n");
        let mut out = head.into_bytes();
        if status != 204 {
            out.extend_from_slice(answer.as_bytes());
        }
        if stream.write_all(&out).await.is_err() || req.close {
            return;
        }
    }
}

fn record(
    s: &Shared,
    req: &crate::Request,
    body: String,
    shape: Result<(), String>,
    delivered: bool,
) {
    s.got.lock().unwrap().push(Got {
        path: req.path.clone(),
        headers: req.headers.clone(),
        body,
        at: Instant::now(),
        shape,
        delivered,
    });
}

/// The answer each service gives a message it took.
fn ok(service: Service, path: &str, body: &str) -> (u16, Vec<(&'static str, String)>, String) {
    match service {
        Service::Slack => (200, vec![("content-type", "text/html".into())], "ok".into()),
        Service::Discord => (204, vec![], String::new()),
        Service::Teams => (202, vec![], String::new()),
        Service::Webhook => (200, vec![], String::new()),
        Service::Ntfy => {
            let topic = path.trim_start_matches('/');
            let msg = serde_json::json!({
                "id": "hwQ2YpKdmg",
                "time": 1_700_000_000,
                "expires": 1_700_043_200,
                "event": "message",
                "topic": topic,
                "message": body,
            });
            (
                200,
                vec![("content-type", "application/json".into())],
                msg.to_string(),
            )
        }
    }
}

fn error_body(service: Service, status: u16) -> String {
    match (service, status) {
        (Service::Slack, 400) => "invalid_payload".into(),
        (Service::Slack, 404) => "no_service".into(),
        (Service::Slack, _) => "rollup_error".into(),
        (Service::Discord, _) => r#"{"message": "Unknown Webhook", "code": 10015}"#.into(),
        (Service::Ntfy, _) => {
            format!(
                r#"{{"code":{status}01,"http":{status},"error":"error","link":"https://ntfy.sh/docs/publish/"}}"#
            )
        }
        _ => String::new(),
    }
}

/// Whether a payload is what the service takes (its documented shape and limits).
fn check(
    service: Service,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: &str,
) -> Result<(), String> {
    if method != "POST" {
        return Err(format!("{method}, not POST"));
    }
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    if service == Service::Ntfy {
        return check_ntfy(
            path,
            header("title"),
            header("priority"),
            header("tags"),
            body,
        );
    }
    if !header("content-type").is_some_and(|c| c.starts_with("application/json")) {
        return Err("content-type is not application/json".into());
    }
    let v: Value = serde_json::from_str(body).map_err(|e| format!("not JSON: {e}"))?;
    match service {
        Service::Slack => check_slack(&v),
        Service::Discord => check_discord(&v),
        Service::Teams => check_teams(&v),
        Service::Webhook => check_webhook(&v),
        Service::Ntfy => unreachable!(),
    }
}

fn text_of<'a>(v: &'a Value, key: &str) -> Result<&'a str, String> {
    v[key]
        .as_str()
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| format!("no {key}"))
}

fn at_most(s: &str, max: usize, what: &str) -> Result<(), String> {
    let n = s.chars().count();
    (n <= max)
        .then_some(())
        .ok_or(format!("{what} is {n} characters, over {max}"))
}

/// Slack: `text` (the notification's words), and Block Kit blocks within their limits.
fn check_slack(v: &Value) -> Result<(), String> {
    at_most(text_of(v, "text")?, 40_000, "text")?;
    let blocks = v["blocks"].as_array().ok_or("no blocks")?;
    if blocks.is_empty() || blocks.len() > 50 {
        return Err(format!("{} blocks", blocks.len()));
    }
    for b in blocks {
        match b["type"].as_str() {
            Some("header") => {
                if b["text"]["type"] != "plain_text" {
                    return Err("a header's text is not plain_text".into());
                }
                at_most(text_of(&b["text"], "text")?, 150, "header")?;
            }
            Some("section") => {
                let fields = b["fields"].as_array();
                if b["text"].is_null() && fields.is_none() {
                    return Err("a section with neither text nor fields".into());
                }
                if let Some(t) = b["text"].as_object() {
                    at_most(t["text"].as_str().unwrap_or(""), 3000, "section text")?;
                }
                if let Some(f) = fields {
                    if f.len() > 10 {
                        return Err("over 10 fields".into());
                    }
                    for x in f {
                        at_most(text_of(x, "text")?, 2000, "field")?;
                    }
                }
            }
            Some("context") => {
                let e = b["elements"].as_array().ok_or("context without elements")?;
                if e.is_empty() || e.len() > 10 {
                    return Err("context elements".into());
                }
            }
            Some("divider") | Some("actions") => {}
            other => return Err(format!("unknown block {other:?}")),
        }
    }
    Ok(())
}

/// Discord: `content` or `embeds`, within the embed limits (6000 characters in all).
fn check_discord(v: &Value) -> Result<(), String> {
    let content = v["content"].as_str().unwrap_or("");
    at_most(content, 2000, "content")?;
    let embeds = v["embeds"].as_array().cloned().unwrap_or_default();
    if content.is_empty() && embeds.is_empty() {
        return Err("neither content nor embeds".into());
    }
    if embeds.len() > 10 {
        return Err("over 10 embeds".into());
    }
    let mut total = 0;
    for e in &embeds {
        let title = e["title"].as_str().unwrap_or("");
        let description = e["description"].as_str().unwrap_or("");
        at_most(title, 256, "embed title")?;
        at_most(description, 4096, "embed description")?;
        total += title.chars().count() + description.chars().count();
        let fields = e["fields"].as_array().cloned().unwrap_or_default();
        if fields.len() > 25 {
            return Err("over 25 fields".into());
        }
        for f in &fields {
            at_most(text_of(f, "name")?, 256, "field name")?;
            at_most(text_of(f, "value")?, 1024, "field value")?;
            total += f["name"].as_str().unwrap().chars().count()
                + f["value"].as_str().unwrap().chars().count();
        }
        if let Some(c) = e["color"].as_u64() {
            if c > 0xFF_FFFF {
                return Err("color over 0xFFFFFF".into());
            }
        }
        if let Some(t) = e["footer"]["text"].as_str() {
            at_most(t, 2048, "footer")?;
            total += t.chars().count();
        }
    }
    (total <= 6000)
        .then_some(())
        .ok_or(format!("embeds total {total} characters, over 6000"))
}

/// Teams Workflows: `{"type": "message", "attachments": [{contentType: adaptive, content: card}]}`.
fn check_teams(v: &Value) -> Result<(), String> {
    if v["type"] != "message" {
        return Err("type is not message".into());
    }
    let a = v["attachments"].as_array().ok_or("no attachments")?;
    let [card] = a.as_slice() else {
        return Err(format!("{} attachments, not one", a.len()));
    };
    if card["contentType"] != "application/vnd.microsoft.card.adaptive" {
        return Err("not an Adaptive Card".into());
    }
    let c = &card["content"];
    if c["type"] != "AdaptiveCard" {
        return Err("content.type is not AdaptiveCard".into());
    }
    let version = c["version"].as_str().ok_or("no version")?;
    if !matches!(version, "1.0" | "1.1" | "1.2" | "1.3" | "1.4" | "1.5") {
        return Err(format!("version {version}"));
    }
    let body = c["body"].as_array().ok_or("no body")?;
    if body.is_empty() {
        return Err("empty body".into());
    }
    for el in body {
        match el["type"].as_str() {
            Some("TextBlock") => {
                text_of(el, "text")?;
            }
            Some("FactSet") => {
                for f in el["facts"].as_array().ok_or("FactSet without facts")? {
                    text_of(f, "title")?;
                    text_of(f, "value")?;
                }
            }
            Some("Container" | "ColumnSet" | "Image") => {}
            other => return Err(format!("unknown element {other:?}")),
        }
    }
    for a in c["actions"].as_array().cloned().unwrap_or_default() {
        if a["type"] == "Action.OpenUrl"
            && !a["url"].as_str().is_some_and(|u| u.starts_with("https://"))
        {
            return Err("Action.OpenUrl without an https url".into());
        }
    }
    Ok(())
}

/// A plain JSON webhook: the `watch --format json` object plus the sentence (Gatewatch's own
/// documented shape).
fn check_webhook(v: &Value) -> Result<(), String> {
    for key in [
        "sentence", "title", "body", "notice", "id", "severity", "verdict",
    ] {
        text_of(v, key)?;
    }
    if !v["happened_ms"].is_i64() || !v["sent_ms"].is_i64() || !v["late"].is_boolean() {
        return Err("no happened_ms, sent_ms or late".into());
    }
    Ok(())
}

/// ntfy: a text body to `/<topic>`, headers as ntfy reads them.
fn check_ntfy(
    path: &str,
    title: Option<&str>,
    priority: Option<&str>,
    tags: Option<&str>,
    body: &str,
) -> Result<(), String> {
    let topic = path.trim_start_matches('/');
    if topic.is_empty() || topic.len() > 64 || topic.contains('/') {
        return Err(format!("topic {topic:?}"));
    }
    let title = title.ok_or("no Title")?;
    if !title.is_ascii() {
        return Err("a Title that is not ASCII (ntfy wants RFC 2047 for the rest)".into());
    }
    match priority {
        Some(
            "1" | "2" | "3" | "4" | "5" | "min" | "low" | "default" | "high" | "max" | "urgent",
        ) => {}
        other => return Err(format!("priority {other:?}")),
    }
    if tags.is_some_and(|t| t.split(',').any(|x| x.trim().is_empty())) {
        return Err("an empty tag".into());
    }
    if body.trim().is_empty() || body.len() > 4096 {
        return Err(format!("a body of {} bytes", body.len()));
    }
    Ok(())
}
