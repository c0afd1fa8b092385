//! Notices sent elsewhere: a team's Slack, Discord or Microsoft Teams channel, a JSON webhook,
//! a phone through ntfy.
//!
//! The monitor decides *when* to tell (thresholds both ways, flapping bounded, reminders,
//! snooze); this module only carries those same decisions further, in the same words:
//! - [`ChannelSpec`]: a channel as stored in the settings (`channels`), checked on the way in;
//! - [`Alert`]: one notice, composed purely from the monitor's transition and status;
//! - [`payload`]: what each service is sent, and what its answer means (pure);
//! - [`outbox`]: the queue that keeps alerts across a short network loss, retries with backoff,
//!   honours `Retry-After`, drops what is hours old and says a failing channel once (pure, time
//!   passed in);
//! - [`send`]: the task that does the HTTP, off the monitor's path, through the checks' proxy.
//!
//! Webhook URLs and tokens are credentials: [`ChannelSpec`]'s `Debug` and [`ChannelSpec::masked`]
//! never show more than the scheme and host, and nothing here logs a URL.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use crate::diagnose::{Advice, Health, Verdict};
use crate::i18n::{t, tf, Lang};
use crate::monitor::{Status, Transition};
use crate::notice::Notice;
use crate::settings::is_loopback_url;
use crate::text;
use crate::view;

pub mod outbox;
pub mod payload;
pub mod send;

/// At most this many channels are kept from the settings.
pub const MAX_CHANNELS: usize = 10;

/// A service notices can be sent to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    /// A Slack incoming webhook (`https://hooks.slack.com/services/…`).
    Slack,
    /// A Discord channel's webhook (`https://discord.com/api/webhooks/…`).
    Discord,
    /// A Microsoft Teams Workflows webhook ("When a Teams webhook request is received"), sent an
    /// Adaptive Card.
    Teams,
    /// Any URL that takes a JSON object: the `watch --format json` line and the sentence.
    Webhook,
    /// An ntfy topic (`https://ntfy.sh/<topic>` or a server of one's own), to a phone.
    Ntfy,
}

impl ChannelKind {
    pub const ALL: [ChannelKind; 5] = [
        ChannelKind::Slack,
        ChannelKind::Discord,
        ChannelKind::Teams,
        ChannelKind::Webhook,
        ChannelKind::Ntfy,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Slack => "slack",
            ChannelKind::Discord => "discord",
            ChannelKind::Teams => "teams",
            ChannelKind::Webhook => "webhook",
            ChannelKind::Ntfy => "ntfy",
        }
    }

    fn parse(s: &str) -> Option<ChannelKind> {
        ChannelKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// Whether a `token` means anything to it (sent as `Authorization: Bearer`); the others
    /// carry their secret in the URL.
    pub const fn takes_token(self) -> bool {
        matches!(self, ChannelKind::Ntfy | ChannelKind::Webhook)
    }
}

/// The notices a channel can be sent: the monitor's transitions, and a test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    Down,
    Recovered,
    Cause,
    StillDown,
    Flapping,
    Stable,
    NetworkBlocks,
    /// "Send a test", from the settings; every channel takes it.
    Test,
}

impl NoticeKind {
    /// The ones a channel may choose among (a test always goes).
    pub const CHOSEN: [NoticeKind; 7] = [
        NoticeKind::Down,
        NoticeKind::Recovered,
        NoticeKind::Cause,
        NoticeKind::StillDown,
        NoticeKind::Flapping,
        NoticeKind::Stable,
        NoticeKind::NetworkBlocks,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Down => "down",
            NoticeKind::Recovered => "recovered",
            NoticeKind::Cause => "cause",
            NoticeKind::StillDown => "still_down",
            NoticeKind::Flapping => "flapping",
            NoticeKind::Stable => "stable",
            NoticeKind::NetworkBlocks => "network_blocks",
            NoticeKind::Test => "test",
        }
    }

    fn parse(s: &str) -> Option<NoticeKind> {
        NoticeKind::CHOSEN
            .into_iter()
            .find(|k| k.as_str() == s.trim())
    }

    pub fn of(t: &Transition) -> NoticeKind {
        match t {
            Transition::Down { .. } => NoticeKind::Down,
            Transition::Recovered { .. } => NoticeKind::Recovered,
            Transition::CauseChanged { .. } => NoticeKind::Cause,
            Transition::StillDown { .. } => NoticeKind::StillDown,
            Transition::Flapping { .. } => NoticeKind::Flapping,
            Transition::Stable { .. } => NoticeKind::Stable,
            Transition::NetworkBlocks { .. } => NoticeKind::NetworkBlocks,
        }
    }
}

fn all_notices() -> Vec<NoticeKind> {
    NoticeKind::CHOSEN.to_vec()
}

/// A channel as stored: `{"kind": "slack", "url": "https://hooks.slack.com/…"}`, with `token`
/// for ntfy and JSON webhooks, and `notices` (every one when left out).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelSpec {
    pub kind: ChannelKind,
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    #[serde(default = "all_notices")]
    pub notices: Vec<NoticeKind>,
}

impl std::fmt::Debug for ChannelSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChannelSpec")
            .field("kind", &self.kind)
            .field("url", &self.masked())
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("notices", &self.notices)
            .finish()
    }
}

/// Why a stored channel cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChannelError {
    #[error("unknown kind {0:?}; use slack, discord, teams, webhook or ntfy")]
    Kind(String),
    #[error("not a valid URL ({0})")]
    Invalid(String),
    #[error("must be https (plain http only for this computer, 127.0.0.1 or localhost)")]
    NotHttps,
    #[error("must not carry a user name or password; an ntfy or webhook token goes in `token`")]
    UserInfo,
    #[error("an ntfy URL names its topic: https://ntfy.sh/<topic>")]
    NoTopic,
    #[error("only ntfy and JSON webhooks take a token; the others carry theirs in the URL")]
    Token,
    #[error("unknown notice {0:?}; use down, recovered, cause, still_down, flapping, stable or network_blocks")]
    Notice(String),
    #[error("more than {MAX_CHANNELS} channels; the rest are left out")]
    TooMany,
}

impl ChannelSpec {
    /// Whether this channel is sent a notice of this kind.
    pub fn wants(&self, k: NoticeKind) -> bool {
        k == NoticeKind::Test || self.notices.contains(&k)
    }

    /// The URL checked: https, or http to this computer; no user info; ntfy's names a topic.
    pub fn checked_url(&self) -> Result<Url, ChannelError> {
        let url = Url::parse(self.url.trim()).map_err(|e| ChannelError::Invalid(e.to_string()))?;
        if url.host_str().is_none_or(str::is_empty) {
            return Err(ChannelError::Invalid("no host".into()));
        }
        match url.scheme() {
            "https" => {}
            "http" if is_loopback_url(&url) => {}
            _ => return Err(ChannelError::NotHttps),
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(ChannelError::UserInfo);
        }
        if self.kind == ChannelKind::Ntfy && url.path().trim_matches('/').is_empty() {
            return Err(ChannelError::NoTopic);
        }
        Ok(url)
    }

    /// Where it goes, fit to show and log: the scheme and host, never the path (a webhook's
    /// path is its secret), e.g. `https://hooks.slack.com/…`.
    pub fn masked(&self) -> String {
        mask_url(&self.url)
    }

    /// The channel as people name it: "Slack (hooks.slack.com)"; its host only, never its path.
    pub fn name(&self) -> String {
        let service = match self.kind {
            ChannelKind::Slack => "Slack",
            ChannelKind::Discord => "Discord",
            ChannelKind::Teams => "Teams",
            ChannelKind::Webhook => "webhook",
            ChannelKind::Ntfy => "ntfy",
        };
        match Url::parse(self.url.trim())
            .ok()
            .and_then(|u| u.host_str().map(String::from))
        {
            Some(host) => format!("{service} ({host})"),
            None => service.into(),
        }
    }

    /// The same channel, whatever notices it chose (the outbox keeps its queue across edits).
    pub fn same_target(&self, other: &ChannelSpec) -> bool {
        self.kind == other.kind && self.url.trim() == other.url.trim() && self.token == other.token
    }
}

/// A URL with everything after the host replaced by `…`.
pub fn mask_url(s: &str) -> String {
    match Url::parse(s.trim()) {
        Ok(u) => {
            let host = u.host_str().unwrap_or("");
            let port = u.port().map(|p| format!(":{p}")).unwrap_or_default();
            let rest = if u.path().trim_matches('/').is_empty() && u.query().is_none() {
                ""
            } else {
                "/…"
            };
            format!("{}://{host}{port}{rest}", u.scheme())
        }
        Err(_) => "(not a URL)".into(),
    }
}

/// The `channels` setting, forgiving and loud like every setting: each unusable entry is left
/// out and reported as `(key, message)`.
pub fn read_channels(v: Option<&Value>, mut warn: impl FnMut(String, String)) -> Vec<ChannelSpec> {
    let list = match v {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Array(a)) => a,
        Some(other) => {
            warn(
                "channels".into(),
                format!("expected a list, found {}; no channels", kind_of(other)),
            );
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (i, entry) in list.iter().enumerate() {
        let key = format!("channels[{i}]");
        if out.len() == MAX_CHANNELS {
            warn(key, ChannelError::TooMany.to_string());
            break;
        }
        match read_channel(entry) {
            Ok(c) => out.push(c),
            Err(e) => warn(key, format!("{e}; this channel is left out")),
        }
    }
    out
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn read_channel(v: &Value) -> Result<ChannelSpec, ChannelError> {
    let o = v.as_object().ok_or_else(|| {
        ChannelError::Invalid(format!("expected an object, found {}", kind_of(v)))
    })?;
    let text = |k: &str| o.get(k).and_then(Value::as_str).map(str::trim);
    let kind_text = text("kind").unwrap_or_default();
    let kind = ChannelKind::parse(kind_text).ok_or_else(|| ChannelError::Kind(kind_text.into()))?;
    let token = text("token").filter(|t| !t.is_empty()).map(String::from);
    if token.is_some() && !kind.takes_token() {
        return Err(ChannelError::Token);
    }
    let notices = match o.get("notices") {
        None | Some(Value::Null) => all_notices(),
        Some(Value::Array(a)) => {
            let mut n = Vec::new();
            for x in a {
                let s = x.as_str().unwrap_or_default();
                let k = NoticeKind::parse(s).ok_or_else(|| ChannelError::Notice(s.into()))?;
                if !n.contains(&k) {
                    n.push(k);
                }
            }
            n.sort();
            n
        }
        Some(other) => return Err(ChannelError::Notice(kind_of(other).into())),
    };
    let spec = ChannelSpec {
        kind,
        url: text("url").unwrap_or_default().to_string(),
        token,
        notices,
    };
    spec.checked_url()?;
    Ok(spec)
}

/// How serious a notice is, for the colour, icon and priority each service gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// ChatGPT went down, or keeps going down.
    Down,
    /// Something to know: the cause changed, still down, a network's block.
    Warning,
    /// It is back.
    Good,
    /// A test.
    Info,
}

/// One notice, in the user's language, ready for any service.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    /// Unique in this run: the retries of one alert carry the same id, so a receiver can tell a
    /// repeat (the JSON webhook gets it).
    pub id: String,
    pub notice: NoticeKind,
    pub severity: Severity,
    /// When it happened (Unix ms).
    pub at_wall_ms: i64,
    /// The desktop notification's title and body, word for word.
    pub title: String,
    pub body: String,
    /// The verdict shown, its cause in words, since when, and the first piece of advice.
    pub verdict: Verdict,
    pub cause: Option<String>,
    pub since: Option<String>,
    pub advice: Option<String>,
    /// The `watch --format json` object for the same moment.
    pub line: Value,
    #[serde(skip)]
    pub lang: Lang,
    #[serde(skip)]
    pub offset_minutes: i32,
}

impl Alert {
    /// The alert for a transition the monitor decided to tell, with the status after it.
    pub fn compose(
        t: &Transition,
        status: &Status,
        lang: Lang,
        offset_minutes: i32,
        at_wall_ms: i64,
        seq: u64,
    ) -> Alert {
        let notice = NoticeKind::of(t);
        let n = Notice::render(t, lang, offset_minutes);
        let severity = match t {
            Transition::Down { .. } | Transition::Flapping { .. } => Severity::Down,
            Transition::Recovered { .. } => Severity::Good,
            Transition::Stable { now, .. } if now.health() != Health::Down => Severity::Good,
            _ => Severity::Warning,
        };
        let d = status
            .diagnosis
            .as_ref()
            .filter(|d| d.verdict == status.verdict);
        let back = matches!(notice, NoticeKind::Recovered) || matches!(severity, Severity::Good);
        let since_ms = status
            .outage
            .as_ref()
            .map(|o| o.start_wall_ms)
            .or(status.since_wall_ms);
        Alert {
            id: format!("{at_wall_ms:x}-{seq}"),
            notice,
            severity,
            at_wall_ms,
            title: n.title,
            body: n.body,
            verdict: status.verdict,
            cause: d.map(|d| text::cause_line(d, lang)),
            since: since_ms.map(|ms| text::clock(ms, offset_minutes, lang)),
            // Back: nothing to do. Else the phone app first when its route answers.
            advice: d
                .filter(|_| !back)
                .and_then(|d| first_advice(&d.advice))
                .map(|a| text::advice(a, lang)),
            line: view::line_json(status, None, lang, at_wall_ms),
            lang,
            offset_minutes,
        }
    }

    /// "Send a test": what a notice looks like, with ChatGPT's state right now when known.
    pub fn test(
        status: Option<&Status>,
        lang: Lang,
        offset_minutes: i32,
        at_wall_ms: i64,
        seq: u64,
    ) -> Alert {
        let now = status.map(|s| view::status_line(s, lang, offset_minutes));
        let body = match &now {
            Some(line) => tf(lang, "alert-test-body-now", &[("now", line.into())]),
            None => t(lang, "alert-test-body"),
        };
        Alert {
            id: format!("{at_wall_ms:x}-{seq}"),
            notice: NoticeKind::Test,
            severity: Severity::Info,
            at_wall_ms,
            title: t(lang, "alert-test-title"),
            body,
            verdict: status.map_or(Verdict::Unknown, |s| s.verdict),
            cause: None,
            since: None,
            advice: None,
            line: status.map_or(Value::Null, |s| view::line_json(s, None, lang, at_wall_ms)),
            lang,
            offset_minutes,
        }
    }

    /// One sentence for services that show one line (and for the JSON webhook's `sentence`).
    pub fn sentence(&self) -> String {
        tf(
            self.lang,
            "alert-sentence",
            &[
                ("title", self.title.as_str().into()),
                ("body", self.body.as_str().into()),
            ],
        )
    }

    /// "Sent late: this happened at 2:05 PM." when it goes out more than [`LATE_MS`] after it
    /// happened (kept while the network was away, or while the channel failed).
    pub fn late_note(&self, sent_wall_ms: i64) -> Option<String> {
        (sent_wall_ms - self.at_wall_ms > LATE_MS).then(|| {
            tf(
                self.lang,
                "alert-late",
                &[(
                    "time",
                    text::clock(self.at_wall_ms, self.offset_minutes, self.lang).into(),
                )],
            )
        })
    }
}

/// The one line the tray's menu and the window show while a channel's notices do not go
/// through: the first failing channel, "Notices to Slack (hooks.slack.com) fail: it answered
/// with error 404". `views` are the outbox's, in the order of `specs`.
pub fn failing_line(
    specs: &[ChannelSpec],
    views: &[outbox::LaneView],
    lang: Lang,
) -> Option<String> {
    specs.iter().zip(views).find_map(|(spec, v)| match v.state {
        outbox::ChannelState::Failing { why, .. } => Some(tf(
            lang,
            "channel-failing",
            &[
                ("channel", spec.name().into()),
                ("why", payload::failure_words(why, lang).into()),
            ],
        )),
        _ => None,
    })
}

/// A channel as the window shows it: its name (never its URL), what it gets, how it is doing,
/// and the outcome of the last "Send a test".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChannelView {
    pub kind: ChannelKind,
    pub name: String,
    pub notices: Vec<NoticeKind>,
    #[serde(flatten)]
    pub lane: outbox::LaneView,
    /// The failure in words while it fails.
    pub failing: Option<String>,
    pub test: Option<TestOutcome>,
}

/// How the last "Send a test" went: sent, or why not (in words).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestOutcome {
    pub ok: bool,
    pub failure: Option<String>,
    pub at_wall_ms: i64,
}

impl TestOutcome {
    pub fn of(result: Result<(), outbox::Failure>, at_wall_ms: i64, lang: Lang) -> TestOutcome {
        TestOutcome {
            ok: result.is_ok(),
            failure: result.err().map(|f| payload::failure_words(f, lang)),
            at_wall_ms,
        }
    }
}

/// The channels for the window, in the settings' order.
pub fn channel_views(
    specs: &[ChannelSpec],
    lanes: &[outbox::LaneView],
    tests: &[Option<TestOutcome>],
    lang: Lang,
) -> Vec<ChannelView> {
    specs
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let lane = lanes.get(i).cloned().unwrap_or(outbox::LaneView {
                state: outbox::ChannelState::Untried,
                waiting: 0,
            });
            let failing = match lane.state {
                outbox::ChannelState::Failing { why, .. } => {
                    Some(payload::failure_words(why, lang))
                }
                _ => None,
            };
            ChannelView {
                kind: spec.kind,
                name: spec.name(),
                notices: spec.notices.clone(),
                lane,
                failing,
                test: tests.get(i).cloned().flatten(),
            }
        })
        .collect()
}

/// An alert sent later than this after it happened says so.
pub const LATE_MS: i64 = 2 * 60 * 1000;

/// The advice a message carries: the phone app when its route was measured to answer, else the
/// diagnosis's first.
fn first_advice(all: &[Advice]) -> Option<Advice> {
    all.iter()
        .copied()
        .find(|a| *a == Advice::PhoneAppAnswers)
        .or_else(|| all.first().copied())
}

#[cfg(test)]
mod tests;
