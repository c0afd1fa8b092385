//! The user's own browser as a door: what Gatewatch's browser companion (the extension in
//! `extension/`) reports of the user's chatgpt.com page loads and conversation requests, and
//! what that says about ChatGPT.
//!
//! The extension turns each such request into an outcome [`Record`] — its kind, its result, its
//! status, a network error token, whether Cloudflare answered, and a ten-second time bucket;
//! never a URL, an id, a header's value or a body — and keeps a rolling window (the last 20
//! conversation requests, 15 minutes at most) in the browser's memory. At most every 5 s it
//! sends that window whole ([`Summary`]) to `gatewatch-browser-host`, which checks it and relays
//! it to the tray over the local channel ([`crate::ipc::ToTray::Browser`]). The tray keeps the
//! latest window in memory only ([`Window`]); [`read`] turns it into a [`Reading`] — a plain
//! function of the records and the time it is handed — and the diagnosis takes it as a door on
//! the user's side (see `diagnose::browser`).
//!
//! Everything here is pure: no clock, no I/O. [`native`] frames the browsers' native messages
//! (over streams it is handed), [`hosts`] says where each browser looks for the host's manifest
//! and what it says; only [`register`] writes and removes those files (I/O at the edge).

use serde::{Deserialize, Serialize};

pub mod hosts;
pub mod launcher;
pub mod native;
pub mod register;

/// The native messaging host's name, as the extension asks for it (`connectNative`) and the
/// host manifests register it.
pub const HOST_NAME: &str = "app.gatewatch.browser";

/// The extension's id in Firefox (`browser_specific_settings.gecko.id`), which the Firefox host
/// manifest allows and the host checks.
pub const GECKO_ID: &str = "browser@gatewatch.app";

/// The extension's ids in Chromium, Chrome and Edge that the host manifests allow and the host
/// checks. The first is the id pinned by the `key` in `extension/manifest.chromium.json` (the
/// unpacked extension, and the tests); the stores assign ids of their own, which are added here
/// when the stores publish the extension (the Edge store's differs from the Chrome Web Store's).
pub const CHROMIUM_IDS: &[&str] = &["dimfcdjlahoippppnfphfklddnlhaiap"];

/// The most records one summary may carry: the window holds the last 20 conversation requests,
/// and page loads within the same 15 minutes.
pub const MAX_RECORDS: usize = 64;

/// How far back the window reaches, and how long the tray keeps a window it was sent.
pub const WINDOW_MS: i64 = 15 * 60 * 1000;

/// How many of the newest counted requests the reading looks at.
pub const RECENT: usize = 5;

/// The time buckets' width: a record says in which ten seconds it happened, no more.
pub const BUCKET_SECS: i64 = 10;

/// What kind of request a record is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A chatgpt.com page load (the browser's main frame).
    Page,
    /// A conversation request (`/backend-api/f/conversation` and its older paths).
    Conversation,
}

impl Kind {
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::Page => "page",
            Kind::Conversation => "conversation",
        }
    }
}

/// How a request ended, as the extension saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Outcome {
    /// Answered (1xx–3xx).
    #[serde(rename = "ok")]
    Ok,
    /// Answered with a 4xx (not a challenge): about the user or the request, not an outage.
    #[serde(rename = "http_4xx")]
    Http4xx,
    /// Answered with a 5xx.
    #[serde(rename = "http_5xx")]
    Http5xx,
    /// Cloudflare's "verify you are human" check (`cf-mitigated: challenge`): not an outage.
    #[serde(rename = "challenge")]
    Challenge,
    /// No answer: the browser's network error, as a [`Net`] token.
    #[serde(rename = "net_error")]
    NetError,
    /// Answered, then cut off in the middle of the answer.
    #[serde(rename = "stream_cut")]
    StreamCut,
    /// Stopped by the user ("Stop generating", or leaving the page): never a failure.
    #[serde(rename = "stopped")]
    Stopped,
}

impl Outcome {
    pub const fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Http4xx => "http_4xx",
            Outcome::Http5xx => "http_5xx",
            Outcome::Challenge => "challenge",
            Outcome::NetError => "net_error",
            Outcome::StreamCut => "stream_cut",
            Outcome::Stopped => "stopped",
        }
    }
}

/// A browser's network error, reduced to a small vocabulary. Chromium's `net::ERR_*` and
/// Firefox's `NS_ERROR_*` strings are not stable ("you must not parse and act based upon its
/// content"), so the extension matches them against an allow-list and sends only these tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Net {
    /// The connection was reset.
    Reset,
    /// The connection was closed before the answer (or an empty answer).
    Closed,
    /// No answer in time.
    Timeout,
    /// An HTTP/2 protocol error (a stream reset by the server, for one).
    Http2,
    /// An HTTP/3 (QUIC) protocol error.
    Quic,
    /// The answer's body stopped before its end.
    Incomplete,
    /// The connection was refused.
    Refused,
    /// The name did not resolve: the user's network or DNS, not ChatGPT.
    Dns,
    /// The browser is offline, or its network changed.
    Offline,
    /// The browser's proxy failed.
    Proxy,
    /// A certificate or TLS error: interception, or the user's clock.
    Tls,
    /// Anything else.
    Other,
}

impl Net {
    pub const fn as_str(self) -> &'static str {
        match self {
            Net::Reset => "reset",
            Net::Closed => "closed",
            Net::Timeout => "timeout",
            Net::Http2 => "http2",
            Net::Quic => "quic",
            Net::Incomplete => "incomplete",
            Net::Refused => "refused",
            Net::Dns => "dns",
            Net::Offline => "offline",
            Net::Proxy => "proxy",
            Net::Tls => "tls",
            Net::Other => "other",
        }
    }

    /// Does this error say something about ChatGPT's servers (a cut, a reset, a stall), rather
    /// than about the user's own network, proxy or certificate store?
    pub const fn outage_like(self) -> bool {
        matches!(
            self,
            Net::Reset | Net::Closed | Net::Timeout | Net::Http2 | Net::Quic | Net::Incomplete
        )
    }
}

/// One of the user's chatgpt.com requests, as its outcome only. These six fields are all that
/// ever leaves the browser: there is no field for a URL, an id, a header's value or a body, and
/// a record with any other field is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub kind: Kind,
    pub result: Outcome,
    /// The HTTP status, when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The network error, for `net_error` and `stream_cut`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub net: Option<Net>,
    /// Cloudflare answered (`server: cloudflare` or a `cf-ray` header was there).
    pub cf: bool,
    /// When, as Unix seconds rounded down to ten.
    pub t: i64,
}

/// Why a record or a summary was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    #[error("record {index}: {why}")]
    Record { index: usize, why: &'static str },
    #[error("{count} records in one summary (at most {MAX_RECORDS})")]
    TooMany { count: usize },
    #[error("not a summary of outcome records: {0}")]
    Malformed(String),
}

impl Record {
    /// The record's fields agree with one another: a status only where there was an answer, in
    /// the range its result names; a network error only where one is expected; a time bucket.
    pub fn check(&self) -> Result<(), &'static str> {
        let status = self.status;
        let in_range = |lo: u16, hi: u16| status.is_some_and(|s| (lo..=hi).contains(&s));
        let ok = match self.result {
            Outcome::Ok => in_range(100, 399) && self.net.is_none(),
            Outcome::Http4xx => in_range(400, 499) && self.net.is_none(),
            Outcome::Http5xx => in_range(500, 599) && self.net.is_none(),
            Outcome::Challenge => in_range(400, 599) && self.net.is_none(),
            Outcome::NetError => status.is_none() && self.net.is_some(),
            Outcome::StreamCut => in_range(200, 299) && self.net.is_some(),
            Outcome::Stopped => (status.is_none() || in_range(100, 399)) && self.net.is_none(),
        };
        if !ok {
            return Err("its status or network error does not fit its result");
        }
        if self.t <= 0 || self.t % BUCKET_SECS != 0 {
            return Err("its time is not a ten-second bucket");
        }
        Ok(())
    }

    /// Its time in Unix ms.
    pub const fn at_ms(&self) -> i64 {
        self.t.saturating_mul(1000)
    }

    /// Does it count against ChatGPT? A 5xx through Cloudflare, a cut or a reset. Not: a 4xx, a
    /// challenge, a stop by the user, the user's own network failing, nor a 5xx from something
    /// that is not Cloudflare (a filter's block page, as some answer 503).
    pub fn failed(&self) -> bool {
        match self.result {
            Outcome::Http5xx => self.cf,
            Outcome::NetError | Outcome::StreamCut => self.net.is_some_and(Net::outage_like),
            _ => false,
        }
    }

    /// Does it count for ChatGPT (it answered)?
    pub fn answered(&self) -> bool {
        self.result == Outcome::Ok
    }

    /// Does it count either way?
    pub fn counted(&self) -> bool {
        self.failed() || self.answered()
    }
}

/// Check a summary's records (at most [`MAX_RECORDS`], each consistent).
pub fn check_records(records: &[Record]) -> Result<(), RecordError> {
    if records.len() > MAX_RECORDS {
        return Err(RecordError::TooMany {
            count: records.len(),
        });
    }
    for (index, r) in records.iter().enumerate() {
        r.check()
            .map_err(|why| RecordError::Record { index, why })?;
    }
    Ok(())
}

/// What the extension sends: its window, whole, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    #[serde(rename = "type")]
    pub kind: SummaryTag,
    pub records: Vec<Record>,
}

/// The one message type the extension sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SummaryTag {
    Summary,
}

impl Summary {
    pub fn new(records: Vec<Record>) -> Summary {
        Summary {
            kind: SummaryTag::Summary,
            records,
        }
    }

    /// Read one message from the extension, strictly: a summary of checked records and nothing
    /// else.
    pub fn parse(bytes: &[u8]) -> Result<Summary, RecordError> {
        let s: Summary = serde_json::from_slice(bytes).map_err(|e| {
            // serde's words name the field or the value that was wrong, and a value is the
            // sender's text: kept short, since the reason goes back to the extension (which
            // believes no reason over 300 characters) and to the host's standard error.
            let mut why: String = e.to_string().chars().take(MAX_REASON).collect();
            if why.len() < e.to_string().len() {
                why.push('…');
            }
            RecordError::Malformed(why)
        })?;
        check_records(&s.records)?;
        Ok(s)
    }
}

/// The longest part of a refusal's reason taken from serde's words.
const MAX_REASON: usize = 160;

/// The latest window the tray was sent, and when it arrived. Held in memory only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub records: Vec<Record>,
    pub received_ms: i64,
}

/// What the user's browser shows of ChatGPT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Most of the newest requests failed (3 of the last 5): ChatGPT is down for this browser.
    Fails,
    /// Two of the last five failed: partly failing.
    PartlyFails,
    /// The newest requests answered (at most one of the last five failed).
    Answers,
    /// Nothing to go on: no request counted (only challenges, stops, 4xx or the user's own
    /// network), or a single failure alone.
    Quiet,
}

impl State {
    pub const fn as_str(self) -> &'static str {
        match self {
            State::Fails => "fails",
            State::PartlyFails => "partly_fails",
            State::Answers => "answers",
            State::Quiet => "quiet",
        }
    }
}

/// The failure a reading is named by: the newest one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    pub kind: Kind,
    pub result: Outcome,
    pub status: Option<u16>,
    pub net: Option<Net>,
    pub cloudflare: bool,
}

/// The browser door's reading: counts over the window, the last [`RECENT`] counted requests
/// judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reading {
    pub state: State,
    /// How many counted requests the judgement rests on (at most [`RECENT`]).
    pub recent: u8,
    /// How many of those failed.
    pub failed: u8,
    /// In the whole window: conversation requests and page loads.
    pub conversations: u16,
    pub page_loads: u16,
    /// Stopped by the user (not counted).
    pub stopped: u16,
    /// Challenged by Cloudflare (not counted).
    pub challenged: u16,
    /// The newest failure among the recent ones.
    pub failure: Option<Failure>,
    /// The newest record's time (Unix ms).
    pub newest_ms: i64,
}

/// How far in the future a record may be dated (two clocks of one machine, and the bucket).
const FUTURE_SLACK_MS: i64 = 60_000;

/// The browser door as of `now_ms`: `None` when the tray has no window, or only one too old to
/// say anything (nothing the browser saw in the last 15 minutes).
pub fn read(w: &Window, now_ms: i64) -> Option<Reading> {
    if now_ms - w.received_ms > WINDOW_MS {
        return None;
    }
    let fresh: Vec<&Record> = w
        .records
        .iter()
        .filter(|r| {
            let at = r.at_ms();
            at > now_ms - WINDOW_MS && at <= now_ms + FUTURE_SLACK_MS
        })
        .collect();
    if fresh.is_empty() {
        return None;
    }
    let count = |f: &dyn Fn(&Record) -> bool| -> u16 {
        fresh
            .iter()
            .filter(|r| f(r))
            .count()
            .min(usize::from(u16::MAX)) as u16
    };
    // Newest first: the window comes oldest first, and within one time bucket the order it came
    // in is kept (reversed, then a stable sort).
    let mut ordered = fresh.clone();
    ordered.reverse();
    ordered.sort_by_key(|r| std::cmp::Reverse(r.t));
    let recent: Vec<&Record> = ordered
        .iter()
        .copied()
        .filter(|r| r.counted())
        .take(RECENT)
        .collect();
    let failed = recent.iter().filter(|r| r.failed()).count();
    let state = match failed {
        3.. => State::Fails,
        2 => State::PartlyFails,
        _ if recent.iter().any(|r| r.answered()) => State::Answers,
        _ => State::Quiet,
    };
    let failure = recent.iter().find(|r| r.failed()).map(|r| Failure {
        kind: r.kind,
        result: r.result,
        status: r.status,
        net: r.net,
        cloudflare: r.cf,
    });
    Some(Reading {
        state,
        recent: recent.len() as u8,
        failed: failed as u8,
        conversations: count(&|r| r.kind == Kind::Conversation),
        page_loads: count(&|r| r.kind == Kind::Page),
        stopped: count(&|r| r.result == Outcome::Stopped),
        challenged: count(&|r| r.result == Outcome::Challenge),
        failure,
        newest_ms: ordered.first().map_or(0, |r| r.at_ms()),
    })
}

/// The newest page load that chatgpt.com answered with a 5xx in the window, if it is the newest
/// page load at all: the page the user is looking at is an error page.
pub fn failed_page(records: &[Record]) -> Option<&Record> {
    records
        .iter()
        .rev()
        .find(|r| r.kind == Kind::Page)
        .filter(|r| r.result == Outcome::Http5xx)
}

/// What the tray (or the host, when it cannot reach the tray) answers the extension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ToExtension {
    /// The tray's word, after each summary.
    State(TrayWord),
    /// Gatewatch is not running (the host found no tray to talk to) and the host exits.
    Absent,
    /// The tray went away; the host exits.
    Gone,
    /// The host refused a message (it stays connected) or the caller (it exits).
    Refused { reason: String },
}

/// What the tray tells the extension: its verdict in the user's language, and for an error page
/// the banner's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrayWord {
    /// The language the words are in (a BCP 47 tag) and its direction.
    pub lang: String,
    pub rtl: bool,
    /// The tray's verdict (`up`, `bad_gateway`…) and colour, for the badge.
    pub verdict: String,
    pub color: String,
    /// The tray's status line: "ChatGPT is down — OpenAI's servers aren't answering Cloudflare".
    pub status: String,
    /// When the newest page load was an error page: what the banner says.
    pub banner: Option<Banner>,
}

/// The banner shown on chatgpt.com's own error page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Banner {
    /// "ChatGPT is down".
    pub title: String,
    /// "OpenAI's servers aren't answering Cloudflare (502)".
    pub cause: String,
    /// The phone-app advice.
    pub advice: String,
}

#[cfg(test)]
mod tests;
