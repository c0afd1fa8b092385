//! What the UI and the tray read: one snapshot, written only by the monitor bridge.

use std::sync::{Mutex, RwLock};

use gatewatch_core::driver::Command;
use gatewatch_core::history::{History, Outage, Uptime, DAY_MS, WEEK_MS};
use gatewatch_core::monitor::Status;
use gatewatch_core::report::Report;
use gatewatch_core::settings::Settings;
use gatewatch_core::text::{self, Lang};
use serde::Serialize;
use tokio::sync::mpsc;

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

/// Managed state: the way in (commands to the monitor task) and the way out (the snapshot).
pub struct Shared {
    pub commands: mpsc::Sender<Command>,
    pub view: RwLock<View>,
    pub settings: Mutex<Settings>,
    pub lang: RwLock<Lang>,
}

impl Shared {
    pub fn view(&self) -> View {
        self.view.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Put the confirmed status into the view, worded in `lang`.
    pub fn set_status(&self, status: Status, lang: Lang) {
        self.update_view(|v| v.set_status(status, lang));
    }

    pub fn update_view(&self, f: impl FnOnce(&mut View)) {
        f(&mut self.view.write().unwrap_or_else(|p| p.into_inner()));
    }

    pub fn lang(&self) -> Lang {
        *self.lang.read().unwrap_or_else(|p| p.into_inner())
    }

    pub fn settings(&self) -> Settings {
        self.settings
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}
