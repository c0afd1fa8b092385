//! What the tray process shows and sends to the explainer: one snapshot ([`View`]), built from
//! the monitor's outputs by pure methods, and the tray's words for a [`Status`] (the menu's status
//! line and the tooltip).
//!
//! It lives in the core because two processes share it: the tray process builds it, the explainer
//! process passes it to its page unchanged (as JSON, over the local channel in [`crate::ipc`]).

use serde::Serialize;

use crate::history::{History, Outage, Uptime, DAY_MS, WEEK_MS};
use crate::monitor::Status;
use crate::report::Report;
use crate::text::{self, Lang};

/// Outages sent to the UI (newest first); the full list stays on disk.
const VIEW_OUTAGES: usize = 50;
/// Latency points for the sparkline (one day, thinned to at most this many).
const VIEW_POINTS: usize = 288;

/// Everything the explainer shows, in one serialisable value.
#[derive(Debug, Clone, Serialize, Default)]
pub struct View {
    pub status: Option<Status>,
    /// The confirmed state in words (the latest check may still be confirming a change).
    pub status_headline: Option<&'static str>,
    pub status_summary: Option<String>,
    pub report: Option<Report>,
    /// The latest check as plain text for a bug report (IP addresses removed): "Copy report".
    pub share_text: Option<String>,
    pub checking: bool,
    pub history: HistoryView,
    /// Problems the user should know about (a damaged settings file, …).
    pub warnings: Vec<String>,
    pub lang: &'static str,
}

impl View {
    /// The confirmed status, worded in `lang`.
    pub fn set_status(&mut self, status: Status, lang: Lang) {
        self.status_headline = Some(text::headline(status.verdict, lang));
        self.status_summary = Some(match &status.diagnosis {
            Some(d) => text::summary(d, lang),
            None => text::headline(status.verdict, lang).to_string(),
        });
        self.status = Some(status);
        self.lang = lang.code();
    }

    /// A check has finished: its report, the monitor's status after it, the history so far.
    pub fn checked(
        &mut self,
        report: Report,
        status: Status,
        history: &History,
        now_ms: i64,
        lang: Lang,
    ) {
        self.checking = false;
        self.share_text = Some(report.share_text(env!("CARGO_PKG_VERSION")));
        self.report = Some(report);
        self.history = HistoryView::of(history, now_ms, lang);
        self.set_status(status, lang);
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct OutageRow {
    pub start_ms: i64,
    pub duration_ms: Option<u64>,
    pub end_unknown: bool,
    pub verdict: &'static str,
    /// The cause in words, with the status code and data centre.
    pub what: String,
}

impl OutageRow {
    fn of(o: &Outage, lang: Lang) -> OutageRow {
        let mut what = text::cause_short(o.cause, lang).to_string();
        let tags: Vec<String> = o
            .http_status
            .iter()
            .map(|s| s.to_string())
            .chain(o.colo.iter().cloned())
            .collect();
        if !tags.is_empty() {
            what.push_str(&format!(" ({})", tags.join(", ")));
        }
        OutageRow {
            start_ms: o.start_ms,
            duration_ms: o.duration_ms,
            end_unknown: o.end_unknown,
            verdict: o.verdict.as_str(),
            what,
        }
    }
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct HistoryView {
    pub outages: Vec<OutageRow>,
    pub uptime_24h: Option<Uptime>,
    pub uptime_7d: Option<Uptime>,
    /// `[unix ms, latency ms]`, oldest first.
    pub latencies: Vec<(i64, u32)>,
}

impl HistoryView {
    pub fn of(h: &History, now_ms: i64, lang: Lang) -> HistoryView {
        let all = h.latencies(now_ms - DAY_MS);
        let step = all.len().div_ceil(VIEW_POINTS).max(1);
        HistoryView {
            outages: h
                .outages
                .iter()
                .rev()
                .take(VIEW_OUTAGES)
                .map(|o| OutageRow::of(o, lang))
                .collect(),
            uptime_24h: h.uptime(now_ms, DAY_MS),
            uptime_7d: h.uptime(now_ms, WEEK_MS),
            latencies: all.into_iter().step_by(step).collect(),
        }
    }
}

/// When the shown state began: the outage's start while one is open, else the verdict's.
fn since_ms(status: &Status) -> Option<i64> {
    status
        .outage
        .as_ref()
        .map(|o| o.start_wall_ms)
        .or(status.since_wall_ms)
}

fn since_words(ms: i64, lang: Lang, offset_minutes: i32) -> String {
    let word = if lang == Lang::It { "dalle" } else { "since" };
    format!("{word} {}", text::clock(ms, offset_minutes))
}

fn paused_word(lang: Lang) -> &'static str {
    if lang == Lang::It {
        "In pausa"
    } else {
        "Paused"
    }
}

/// The tray menu's first line: "ChatGPT is down — … · since 14:05".
pub fn status_line(status: &Status, lang: Lang, offset_minutes: i32) -> String {
    let mut line = match &status.diagnosis {
        Some(d) => text::summary(d, lang),
        None => text::headline(status.verdict, lang).to_string(),
    };
    if let Some(ms) = since_ms(status) {
        line.push_str(&format!(" · {}", since_words(ms, lang, offset_minutes)));
    }
    if status.paused {
        line = format!("{} — {line}", paused_word(lang));
    }
    line
}

/// The tray icon's tooltip: a title (the verdict's headline) and a line with the cause and
/// since when, e.g. ("ChatGPT is down", "OpenAI's servers aren't answering Cloudflare (502,
/// FRA) · since 14:05").
pub fn tooltip(status: &Status, lang: Lang, offset_minutes: i32) -> (String, String) {
    let mut title = text::headline(status.verdict, lang).to_string();
    if status.paused {
        title = format!("{} — {title}", paused_word(lang));
    }
    let mut body = status
        .diagnosis
        .as_ref()
        .map(|d| text::cause_line(d, lang))
        .unwrap_or_default();
    if let Some(ms) = since_ms(status) {
        let since = since_words(ms, lang, offset_minutes);
        body = if body.is_empty() {
            text::capitalise(&since)
        } else {
            format!("{body} · {since}")
        };
    }
    (title, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::{Cause, Color, Diagnosis, EdgeInfo, Layer, Verdict};
    use crate::monitor::OutageView;

    fn status(verdict: Verdict, diagnosis: Option<Diagnosis>) -> Status {
        Status {
            verdict,
            color: verdict.color(),
            since_wall_ms: Some(13 * 3_600_000 + 5 * 60_000),
            last_check_wall_ms: None,
            diagnosis,
            outage: None,
            confirming: None,
            flapping: false,
            paused: false,
            snooze: None,
            status_page_lagging: false,
        }
    }

    fn bad_gateway() -> Diagnosis {
        Diagnosis {
            verdict: Verdict::BadGateway,
            layer: Layer::Origin,
            cause: Cause::Overload,
            http_status: Some(502),
            cf_code: None,
            edge: EdgeInfo {
                colo: Some("FRA".into()),
                loc: None,
            },
            api_alive: Some(true),
            status_page: None,
            evidence: vec![],
            advice: vec![],
            latency_ms: Some(40),
            limited: None,
            app_route: None,
        }
    }

    #[test]
    fn the_tooltip_says_what_why_and_since_when() {
        let mut s = status(Verdict::BadGateway, Some(bad_gateway()));
        s.outage = Some(OutageView {
            verdict: Verdict::BadGateway,
            cause: Cause::Overload,
            start_wall_ms: 14 * 3_600_000,
            downtime_ms: 0,
        });
        assert_eq!(
            tooltip(&s, Lang::En, 0),
            (
                "ChatGPT is down".to_string(),
                "OpenAI's servers aren't answering Cloudflare (502, FRA) · since 14:00".to_string()
            )
        );
        let (title, body) = tooltip(&s, Lang::It, 60);
        assert_eq!(title, "ChatGPT non funziona");
        assert!(body.ends_with("dalle 15:00"), "{body}");
        assert_eq!(
            status_line(&s, Lang::En, 0),
            "ChatGPT is down — OpenAI's servers aren't answering Cloudflare (502, FRA) · since 14:00"
        );
    }

    #[test]
    fn a_limited_view_is_said_in_the_tooltip() {
        let d = Diagnosis {
            verdict: Verdict::Up,
            layer: Layer::None,
            cause: Cause::Healthy,
            http_status: None,
            limited: Some(crate::diagnose::Blind::Challenge),
            ..bad_gateway()
        };
        let s = status(Verdict::Up, Some(d));
        let (title, body) = tooltip(&s, Lang::En, 0);
        assert_eq!(title, "ChatGPT is up");
        assert!(
            body.starts_with("Nothing points to trouble (FRA); limited view: chatgpt.com asks Gatewatch for a browser check"),
            "{body}"
        );
    }

    #[test]
    fn before_any_diagnosis_the_tooltip_still_says_since_when() {
        let mut s = status(Verdict::Unknown, None);
        s.paused = true;
        let (title, body) = tooltip(&s, Lang::En, 0);
        assert_eq!(title, "Paused — Can't tell right now");
        assert_eq!(body, "Since 13:05");
        assert_eq!(s.color, Color::Grey);
    }
}
