//! What the tray process shows and sends to the explainer: one snapshot ([`View`]), built from
//! the monitor's outputs by pure methods, and the tray's words for a [`Status`] (the menu's status
//! line and the tooltip).
//!
//! It lives in the core because two processes share it: the tray process builds it, the explainer
//! process passes it to its page unchanged (as JSON, over the local channel in [`crate::ipc`]).

use serde::Serialize;

use crate::browser::hosts::{Family, HostEntry, HostState, Sandbox};
use crate::diagnose::Color;
use crate::history::{
    Bucket, History, Outage, Uptime, DAY_MS, HOUR_MS, KEEP_MS, QUARTER_MS, WEEK_MS,
};
use crate::monitor::Status;
use crate::report::Report;
use crate::text::{self, Lang};

/// Outages sent to the UI (newest first); the full list stays on disk. With the bars' 354 cells
/// this keeps a view under 100 KiB however long the history.
const VIEW_OUTAGES: usize = 100;

/// Everything the explainer shows, in one serialisable value.
#[derive(Debug, Clone, Serialize, Default)]
pub struct View {
    pub status: Option<Status>,
    /// The confirmed state in words (the latest check may still be confirming a change).
    pub status_headline: Option<String>,
    pub status_summary: Option<String>,
    pub report: Option<Report>,
    /// The latest check as plain text for a bug report (IP addresses removed): "Copy report".
    pub share_text: Option<String>,
    pub checking: bool,
    pub history: HistoryView,
    /// Problems the user should know about (a damaged settings file, …).
    pub warnings: Vec<String>,
    /// New versions, for the Settings page (set by the tray's update check).
    pub update: Option<crate::update::UpdateView>,
    pub lang: &'static str,
    /// The channels notices go to besides the desktop, as the Settings page shows them (names
    /// and states, never their URLs), and the line said while one fails.
    pub channels: Vec<crate::alert::ChannelView>,
    pub channel_problem: Option<String>,
    /// The browser companion on the Settings page: where each browser's host manifest stands
    /// (set from the tray's registration at start), and how many extensions are connected now.
    pub browsers: BrowsersView,
    /// The local time zone's offset from UTC, for the history's days (set by the tray).
    #[serde(skip)]
    pub utc_offset_minutes: i32,
}

impl View {
    /// The confirmed status, worded in `lang`.
    pub fn set_status(&mut self, status: Status, lang: Lang) {
        self.status_headline = Some(headline(&status, lang));
        self.status_summary = Some(match &status.diagnosis {
            Some(d) => text::summary(d, lang),
            None => text::headline(status.verdict, lang),
        });
        self.status = Some(status);
        self.lang = lang.code();
    }

    /// A check has finished: its report and the monitor's status after it. The history is
    /// shown apart ([`View::show_history`]): the tray reckons it only while a window looks.
    pub fn checked(&mut self, report: Report, status: Status, lang: Lang) {
        self.checking = false;
        self.share_text = Some(report.share_text(env!("CARGO_PKG_VERSION")));
        self.report = Some(report);
        self.set_status(status, lang);
    }

    /// The history's pages as of `now_ms`.
    pub fn show_history(&mut self, history: &History, now_ms: i64, lang: Lang) {
        self.history = HistoryView::of(history, now_ms, lang, self.utc_offset_minutes);
    }
}

/// The browser companion as the Settings page shows it. The rows are data; the page words them.
#[derive(Debug, Clone, Serialize, Default, PartialEq)]
pub struct BrowsersView {
    /// Each browser family's host manifest, in [`Family::ALL`]'s order; empty until the tray's
    /// start has written them (or when it could not: `unset`).
    pub hosts: Vec<HostRow>,
    /// Why no browser was set up at all, when none was.
    pub unset: Option<Unset>,
    /// How many browsers' extensions are connected to the tray now (a host that has sent its
    /// window and not hung up), named or not: each named one also marks its row.
    pub connected: usize,
    /// The families of the connected browsers that their hosts named, for rows made later.
    #[serde(skip)]
    named: Vec<Family>,
}

/// One browser family's row.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct HostRow {
    pub family: Family,
    /// The browser's name as its maker writes it.
    pub name: &'static str,
    /// `registered` (a manifest for this user names the host), `system` (the package's does),
    /// `not_found` (the browser was never run by this user), `sandboxed` (only a sandboxed build
    /// was found, which cannot start the host: unsupported), `failed` (the manifest could not be
    /// written: `why`).
    pub state: &'static str,
    /// Sandboxed builds found beside it: `flatpak`, `snap` (unsupported), `snap_portal`
    /// (Firefox as a Snap, which asks the user once through the desktop's portal).
    pub sandboxes: Vec<Sandbox>,
    /// Why the manifest could not be written (its path and the system's words), for `failed`.
    pub why: Option<String>,
    /// The extension is connected now in this browser.
    pub connected: bool,
}

/// Why the tray set up no browser at start.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "why", content = "detail", rename_all = "snake_case")]
pub enum Unset {
    /// The host program is not beside the tray's own (its path).
    NoHost(String),
    /// Something else stopped it (no home folder, …): the reason, as logged.
    Other(String),
}

/// For logs and the host's own words (the window has its translations).
impl std::fmt::Display for Unset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unset::NoHost(p) => write!(f, "{p} is missing"),
            Unset::Other(e) => f.write_str(e),
        }
    }
}

impl HostRow {
    /// A family's row from what [`crate::browser::register::install`] said of it, and the
    /// reason when it failed.
    pub fn of(entry: &HostEntry, why: Option<String>) -> HostRow {
        let unsupported = entry
            .sandboxes
            .iter()
            .any(|s| matches!(s, Sandbox::Flatpak | Sandbox::Snap));
        let state = match entry.state {
            HostState::Registered => "registered",
            HostState::System => "system",
            HostState::Failed => "failed",
            HostState::NotInstalled if unsupported => "sandboxed",
            HostState::NotInstalled => "not_found",
        };
        HostRow {
            family: entry.family,
            name: entry.name,
            state,
            sandboxes: entry.sandboxes.clone(),
            why: if entry.state == HostState::Failed {
                why
            } else {
                None
            },
            connected: false,
        }
    }
}

impl BrowsersView {
    /// The rows of the tray's registration at start.
    pub fn registered(&mut self, entries: Vec<(HostEntry, Option<String>)>) {
        self.hosts = entries
            .into_iter()
            .map(|(e, why)| HostRow::of(&e, why))
            .collect();
        self.unset = None;
        self.mark_connected();
    }

    /// The browsers connected now, as their hosts named them (`None`: a host that could not
    /// tell, counted but on no row). True when it changed what the page shows.
    pub fn set_connected(&mut self, families: &[Option<Family>]) -> bool {
        let shown = |b: &BrowsersView| {
            (
                b.connected,
                b.hosts.iter().map(|h| h.connected).collect::<Vec<_>>(),
            )
        };
        let before = shown(self);
        self.connected = families.len();
        self.named = families.iter().flatten().copied().collect();
        self.mark_connected();
        shown(self) != before
    }

    fn mark_connected(&mut self) {
        for row in &mut self.hosts {
            row.connected = self.named.contains(&row.family);
        }
    }

    /// No browser set up, and why.
    pub fn not_registered(&mut self, why: Unset) {
        self.hosts.clear();
        self.unset = Some(why);
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct OutageRow {
    pub start_ms: i64,
    pub end_ms: Option<i64>,
    pub duration_ms: Option<u64>,
    pub end_unknown: bool,
    pub verdict: &'static str,
    /// The cause in a few words (the chart's band label).
    pub cause: String,
    /// The cause in words, with the status code and data centre.
    pub what: String,
}

impl OutageRow {
    fn of(o: &Outage, lang: Lang) -> OutageRow {
        let cause = text::cause_short(o.cause, lang);
        let tags: Vec<String> = o
            .http_status
            .iter()
            .map(|s| s.to_string())
            .chain(o.colo.iter().cloned())
            .collect();
        let what = text::tagged(cause.clone(), &tags, lang);
        OutageRow {
            start_ms: o.start_ms,
            end_ms: o.end_ms,
            duration_ms: o.duration_ms,
            end_unknown: o.end_unknown,
            verdict: o.verdict.as_str(),
            cause,
            what,
        }
    }
}

/// One cell of an uptime bar (and one point of the latency chart).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Cell {
    pub start_ms: i64,
    /// The share of observed time ChatGPT worked; `None` when nothing was observed.
    pub uptime: Option<f64>,
    pub down_ms: i64,
    pub checks: u32,
    /// The worst state seen: `down`, `degraded` (slow, partly failing or refusing you),
    /// `unknown` (could not tell), `up`, `network` (your network blocked ChatGPT all the time
    /// it was checked), or `none` (no check in it).
    pub state: &'static str,
    /// Time your network was seen blocking ChatGPT (not counted as up or down).
    pub network_blocked_ms: i64,
    pub median_ms: Option<u32>,
    pub max_ms: Option<u32>,
}

impl Cell {
    fn of(b: &Bucket) -> Cell {
        Cell {
            start_ms: b.start_ms,
            uptime: b.uptime(),
            down_ms: b.down_ms,
            checks: b.checks,
            network_blocked_ms: b.network_blocked_ms,
            state: match b.worst.map(|v| v.color()) {
                None if b.network_blocked_ms > 0 => "network",
                None => "none",
                Some(Color::Green) => "up",
                Some(Color::Amber) => "degraded",
                Some(Color::Red) => "down",
                Some(Color::Grey) => "unknown",
            },
            median_ms: b.median_ms,
            max_ms: b.max_ms,
        }
    }
}

/// A row of cells of one length, oldest first, the last one holding now.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Bars {
    pub span_ms: i64,
    pub cells: Vec<Cell>,
}

impl Bars {
    fn of(h: &History, now_ms: i64, span_ms: i64, count: usize, offset_minutes: i32) -> Bars {
        let offset = i64::from(offset_minutes) * 60_000;
        // Cells start on local boundaries: 15 minutes, the hour, midnight.
        let current = (now_ms + offset).div_euclid(span_ms) * span_ms - offset;
        let from = current + span_ms - span_ms * count as i64;
        Bars {
            span_ms,
            cells: h
                .cells(from, span_ms, count, now_ms)
                .iter()
                .map(Cell::of)
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct HistoryView {
    pub now_ms: i64,
    pub outages: Vec<OutageRow>,
    pub uptime_24h: Option<Uptime>,
    pub uptime_7d: Option<Uptime>,
    pub uptime_30d: Option<Uptime>,
    pub uptime_90d: Option<Uptime>,
    /// 96 quarters, 168 hours, 90 days.
    pub day: Bars,
    pub week: Bars,
    pub quarter: Bars,
}

impl HistoryView {
    pub fn of(h: &History, now_ms: i64, lang: Lang, offset_minutes: i32) -> HistoryView {
        HistoryView {
            now_ms,
            outages: h
                .outages
                .iter()
                .rev()
                .take(VIEW_OUTAGES)
                .map(|o| OutageRow::of(o, lang))
                .collect(),
            uptime_24h: h.uptime(now_ms, DAY_MS),
            uptime_7d: h.uptime(now_ms, WEEK_MS),
            uptime_30d: h.uptime(now_ms, 30 * DAY_MS),
            uptime_90d: h.uptime(now_ms, KEEP_MS),
            day: Bars::of(h, now_ms, QUARTER_MS, 96, offset_minutes),
            week: Bars::of(h, now_ms, HOUR_MS, 168, offset_minutes),
            quarter: Bars::of(h, now_ms, DAY_MS, 90, offset_minutes),
        }
    }
}

/// The shown state's headline: the diagnosis's ("This network blocks ChatGPT"), else the
/// verdict's.
fn headline(status: &Status, lang: Lang) -> String {
    match &status.diagnosis {
        Some(d) if d.verdict == status.verdict => text::headline_for(d, lang),
        _ => text::headline(status.verdict, lang),
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

/// The tray menu's first line: "ChatGPT is down — … · since 14:05", with the limited view's reason
/// when there is one (the tooltip names the limited view; this line says why).
pub fn status_line(status: &Status, lang: Lang, offset_minutes: i32) -> String {
    let mut line = match &status.diagnosis {
        Some(d) => text::summary(d, lang),
        None => headline(status, lang),
    };
    if let Some(ms) = since_ms(status) {
        line = text::with_since(&line, &text::since(ms, offset_minutes, lang), lang);
    }
    if status.paused {
        line = text::paused(&line, lang);
    }
    line
}

/// The shown state in a line of words: the diagnosis's summary, or the verdict's headline.
pub fn summary(status: &Status, lang: Lang) -> String {
    match &status.diagnosis {
        Some(d) => text::summary(d, lang),
        None => text::headline(status.verdict, lang),
    }
}

/// [`summary`] with what a line adds to it ("back after 7 min").
pub fn summary_with_note(status: &Status, note: Option<&str>, lang: Lang) -> String {
    let summary = summary(status, lang);
    match note {
        Some(n) => crate::i18n::tf(
            lang,
            "cli-with-note",
            &[("line", summary.into()), ("note", n.into())],
        ),
        None => summary,
    }
}

/// The `watch --format json` object for a status at `time_ms` (the JSON webhook sends it too);
/// `note`: what the line adds ("back after 7 min").
pub fn line_json(
    status: &Status,
    note: Option<String>,
    lang: Lang,
    time_ms: i64,
) -> serde_json::Value {
    let summary = summary_with_note(status, note.as_deref(), lang);
    let d = status.diagnosis.as_ref();
    serde_json::json!({
        "time_ms": time_ms,
        "verdict": status.verdict.as_str(),
        "color": status.color.as_str(),
        "summary": summary,
        "since_ms": status.since_wall_ms,
        "cause": d.map(|d| d.cause),
        "http_status": d.and_then(|d| d.http_status),
        "colo": d.and_then(|d| d.edge.colo.clone()),
        "outage_since_ms": status.outage.as_ref().map(|o| o.start_wall_ms),
        "flapping": status.flapping,
        "status_page_lagging": status.status_page_lagging,
        "note": note,
    })
}

/// What the tray-icon crate keeps of a tooltip on Windows: `szTip` holds 128 UTF-16 units, its
/// terminating NUL included, and the rest is cut wherever it falls.
pub const WINDOWS_TOOLTIP_UNITS: usize = 127;

/// The tray icon's tooltip: a title (the verdict's headline) and a line with the cause and
/// since when, e.g. ("ChatGPT is down", "OpenAI's servers aren't answering Cloudflare (502,
/// FRA) · since 14:05"). A limited view is named, not explained ([`text::cause_line`]).
pub fn tooltip(status: &Status, lang: Lang, offset_minutes: i32) -> (String, String) {
    let parts = Tooltip::of(status, lang, offset_minutes);
    let body = parts.body(&parts.cause);
    (parts.title, body)
}

/// The tooltip as one text, the title over the line, in at most `max_units` UTF-16 units (see
/// [`WINDOWS_TOOLTIP_UNITS`]). What does not fit goes in this order: the status code and data
/// centre or a filter's name (the menu's line has them), then the cause's end, cut between words with "…". The
/// headline and since when stay whole.
pub fn tooltip_text(status: &Status, lang: Lang, offset_minutes: i32, max_units: usize) -> String {
    let parts = Tooltip::of(status, lang, offset_minutes);
    let text = |cause: &str| format!("{}\n{}", parts.title, parts.body(cause));
    for cause in [&parts.cause, &parts.untagged] {
        let whole = text(cause);
        if text::units(&whole) <= max_units {
            return whole;
        }
    }
    // The room the cause has: the whole budget less what the rest takes around it.
    let around = text::units(&text("x")) - 1;
    let cause = max_units
        .checked_sub(around)
        .and_then(|room| text::shorten(&parts.untagged, room));
    match cause {
        Some(c) => text(&c),
        // Not one word of the cause fits (no language comes near): the headline and since when.
        None => {
            let bare = format!("{}\n{}", parts.title, parts.body(""));
            text::shorten(&bare, max_units).unwrap_or_default()
        }
    }
}

/// A tooltip's parts, before they are put together.
struct Tooltip {
    title: String,
    cause: String,
    /// The cause without its status code and data centre.
    untagged: String,
    since: Option<String>,
    lang: Lang,
}

impl Tooltip {
    fn of(status: &Status, lang: Lang, offset_minutes: i32) -> Tooltip {
        let mut title = headline(status, lang);
        if status.paused {
            title = text::paused(&title, lang);
        }
        Tooltip {
            title,
            cause: status
                .diagnosis
                .as_ref()
                .map(|d| text::cause_line(d, lang))
                .unwrap_or_default(),
            untagged: status
                .diagnosis
                .as_ref()
                .map(|d| text::cause_line_untagged(d, lang))
                .unwrap_or_default(),
            since: since_ms(status).map(|ms| text::since(ms, offset_minutes, lang)),
            lang,
        }
    }

    /// The line under the title, with `cause` (the whole cause, or less of it).
    fn body(&self, cause: &str) -> String {
        match &self.since {
            Some(since) if cause.is_empty() => text::capitalise(since),
            Some(since) => text::with_since(cause, since, self.lang),
            None => cause.to_string(),
        }
    }
}

/// The tray's word to the user's browser after each of its summaries (and whenever what the
/// tray shows changes): the shown verdict, its colour and the menu's status line, in the user's
/// language; and when the newest chatgpt.com page load in the browser's window was an error page
/// ([`crate::browser::failed_page`]), the banner for it ([`text::browser_banner`]). Before the
/// first check the verdict is `unknown` and the line says Gatewatch is checking.
pub fn browser_word(
    status: Option<&Status>,
    records: &[crate::browser::Record],
    lang: Lang,
    offset_minutes: i32,
) -> crate::browser::TrayWord {
    let (verdict, color, line) = match status {
        Some(s) => (s.verdict, s.color, status_line(s, lang, offset_minutes)),
        None => (
            crate::diagnose::Verdict::Unknown,
            Color::Grey,
            text::menu(text::MenuText::Checking, lang),
        ),
    };
    let banner = crate::browser::failed_page(records)
        .and_then(|r| r.status)
        .map(|code| text::browser_banner(code, status.and_then(|s| s.diagnosis.as_ref()), lang));
    crate::browser::TrayWord {
        lang: lang.code().to_string(),
        rtl: lang.is_rtl(),
        verdict: verdict.as_str().to_string(),
        color: color.as_str().to_string(),
        status: line,
        banner,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::{Cause, Diagnosis, EdgeInfo, Layer, Verdict};
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
            network_block: None,
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
            tooltip(&s, Lang::EN, 0),
            (
                "ChatGPT is down".to_string(),
                "OpenAI's servers aren't answering Cloudflare (502, FRA) · since 2:00 PM"
                    .to_string()
            )
        );
        let (title, body) = tooltip(&s, Lang::from_tag("it").unwrap(), 60);
        assert_eq!(title, "ChatGPT non funziona");
        assert!(body.ends_with("dalle 15:00"), "{body}");
        assert_eq!(
            status_line(&s, Lang::EN, 0),
            "ChatGPT is down — OpenAI's servers aren't answering Cloudflare (502, FRA) · since 2:00 PM"
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
        let (title, body) = tooltip(&s, Lang::EN, 0);
        assert_eq!(title, "ChatGPT is up");
        assert_eq!(
            body,
            "Nothing points to trouble (FRA); limited view · since 1:05 PM"
        );
        // Why it is limited is the menu's to say.
        assert_eq!(
            status_line(&s, Lang::EN, 0),
            "ChatGPT is up — nothing points to trouble (FRA); limited view: chatgpt.com asks \
             Gatewatch for a browser check · since 1:05 PM"
        );
        let ja = Lang::from_tag("ja").unwrap();
        assert_eq!(
            tooltip(&s, ja, 540).1,
            "問題を示すものはありません（FRA）。確認できる範囲が限定的（22:05から）"
        );
    }

    #[test]
    fn before_any_diagnosis_the_tooltip_still_says_since_when() {
        let mut s = status(Verdict::Unknown, None);
        s.paused = true;
        let (title, body) = tooltip(&s, Lang::EN, 0);
        assert_eq!(title, "Paused — Can't tell right now");
        assert_eq!(body, "Since 1:05 PM");
        assert_eq!(s.color, Color::Grey);
    }

    /// The view of a full 90 days: every row whole, the outage in its cells, and small enough
    /// to send on every check.
    #[test]
    fn the_history_view_of_ninety_days_is_whole_and_bounded() {
        use crate::history::{synthetic, MINUTE_MS};
        let now = 1_764_633_600_000 + 7 * MINUTE_MS;
        let template = crate::history::Outage::begin(&bad_gateway(), 0);
        let episodes: Vec<_> = (0..300)
            .map(|i| synthetic::Episode {
                ago_ms: 90 * MINUTE_MS + i * 7 * HOUR_MS,
                len_ms: 20 * MINUTE_MS,
                verdict: Verdict::BadGateway,
                outage: Some(template.clone()),
                network: false,
            })
            .collect();
        let h = synthetic::generate(now, 90, MINUTE_MS, &episodes);
        let v = HistoryView::of(&h, now, Lang::EN, 60);
        assert_eq!(
            (v.day.cells.len(), v.week.cells.len(), v.quarter.cells.len()),
            (96, 168, 90)
        );
        assert_eq!(v.day.span_ms, QUARTER_MS);
        // The last cell holds now; days start at local midnight (UTC+1 here).
        let last = v.day.cells.last().unwrap();
        assert!(last.start_ms <= now && now < last.start_ms + QUARTER_MS);
        assert_eq!(
            (v.quarter.cells[0].start_ms + 3_600_000).rem_euclid(DAY_MS),
            0
        );
        // The outage 90 minutes ago (20 minutes long) is red in its quarters, not in others.
        let down: Vec<_> = v.day.cells.iter().filter(|c| c.state == "down").collect();
        assert!(!down.is_empty() && down.len() <= 3 * 3 + 6, "{down:?}");
        assert!(v
            .day
            .cells
            .iter()
            .all(|c| c.state == "up" || c.state == "down"));
        assert_eq!(v.outages.len(), 100);
        assert_eq!(
            v.outages[0].cause,
            "OpenAI's servers aren't answering Cloudflare"
        );
        let ratio = v.uptime_90d.unwrap().ratio;
        assert!(ratio > 0.9 && ratio < 1.0, "{ratio}");
        let bytes = serde_json::to_vec(&v).unwrap().len();
        assert!(bytes < 100 * 1024, "{bytes} bytes");
    }

    #[test]
    fn each_browser_s_row_says_where_its_manifest_stands() {
        let entry = |family: Family, state, sandboxes: Vec<Sandbox>| HostEntry {
            family,
            name: family.name(),
            state,
            sandboxes,
        };
        let mut b = BrowsersView::default();
        b.registered(vec![
            (
                entry(Family::Chromium, HostState::Registered, vec![Sandbox::Snap]),
                None,
            ),
            (
                entry(
                    Family::Chrome,
                    HostState::NotInstalled,
                    vec![Sandbox::Flatpak],
                ),
                None,
            ),
            (
                entry(Family::Edge, HostState::Failed, vec![]),
                Some("/home/u/x.json: Permission denied (os error 13)".into()),
            ),
            (
                entry(
                    Family::Firefox,
                    HostState::NotInstalled,
                    vec![Sandbox::SnapPortal],
                ),
                // A reason for a state that is not a failure is not shown.
                Some("ignored".into()),
            ),
        ]);
        // Two browsers connected: Chromium, and one whose host could not tell which it is.
        assert!(b.set_connected(&[None, Some(Family::Chromium)]));
        assert!(
            !b.set_connected(&[Some(Family::Chromium), None]),
            "nothing changed"
        );
        let rows: Vec<(&str, &str, Option<&str>)> = b
            .hosts
            .iter()
            .map(|r| (r.name, r.state, r.why.as_deref()))
            .collect();
        assert_eq!(
            rows,
            vec![
                ("Chromium", "registered", None),
                // Only a Flatpak: it cannot start the host, said as unsupported.
                ("Google Chrome", "sandboxed", None),
                (
                    "Microsoft Edge",
                    "failed",
                    Some("/home/u/x.json: Permission denied (os error 13)")
                ),
                // Firefox as a Snap reaches the host through the portal: not "sandboxed".
                ("Firefox", "not_found", None),
            ]
        );
        let v = View {
            browsers: b.clone(),
            ..View::default()
        };
        let json = serde_json::to_value(&v).unwrap();
        assert_eq!(
            json["browsers"]["hosts"][0],
            serde_json::json!({
                "family": "chromium", "name": "Chromium", "state": "registered",
                "sandboxes": ["snap"], "why": null, "connected": true
            })
        );
        assert_eq!(json["browsers"]["hosts"][1]["connected"], false);
        assert_eq!(json["browsers"]["connected"], 2);
        // Rows made again (a new registration) keep what is connected.
        let entries = vec![(entry(Family::Chromium, HostState::Registered, vec![]), None)];
        let mut again = b.clone();
        again.registered(entries);
        assert!(again.hosts[0].connected);
        // The host hung up.
        assert!(again.set_connected(&[]));
        assert!(!again.hosts[0].connected);
        assert_eq!(again.connected, 0);
        assert_eq!(json["browsers"]["unset"], serde_json::Value::Null);

        // Nothing set up at all: no rows, and why.
        b.not_registered(Unset::NoHost("/usr/bin/gatewatch-browser-host".into()));
        assert!(b.hosts.is_empty());
        assert_eq!(
            serde_json::to_value(&b.unset).unwrap(),
            serde_json::json!({"why": "no_host", "detail": "/usr/bin/gatewatch-browser-host"})
        );
        assert_eq!(
            serde_json::to_value(Unset::Other("HOME is not set".into())).unwrap(),
            serde_json::json!({"why": "other", "detail": "HOME is not set"})
        );
        // Before the tray's start has set them up: nothing to show but the count.
        let empty = serde_json::to_value(BrowsersView::default()).unwrap();
        assert_eq!(
            empty,
            serde_json::json!({"hosts": [], "unset": null, "connected": 0})
        );
    }

    #[test]
    fn the_browser_is_told_the_shown_verdict_and_for_an_error_page_the_banner() {
        use crate::browser::{Kind, Outcome, Record};
        let rec = |kind, result, status: u16, t| Record {
            kind,
            result,
            status: Some(status),
            net: None,
            cf: true,
            t,
        };
        let convs = [
            rec(Kind::Conversation, Outcome::Http5xx, 502, 1_764_000_000),
            rec(Kind::Conversation, Outcome::Ok, 200, 1_764_000_010),
        ];
        let fr = Lang::from_tag("fr").unwrap();
        // Before the first check: unknown, grey, "checking", in the user's language.
        let w = browser_word(None, &convs, fr, 0);
        assert_eq!((w.verdict.as_str(), w.color.as_str()), ("unknown", "grey"));
        assert_eq!(w.status, text::menu(text::MenuText::Checking, fr));
        assert_eq!((w.lang.as_str(), w.rtl), ("fr", false));
        assert_eq!(w.banner, None, "no page load, no banner");

        let down = status(Verdict::BadGateway, Some(bad_gateway()));
        let w = browser_word(Some(&down), &convs, Lang::EN, 0);
        assert_eq!(
            (w.verdict.as_str(), w.color.as_str()),
            ("bad_gateway", "red")
        );
        assert_eq!(w.status, status_line(&down, Lang::EN, 0));
        assert_eq!(w.banner, None);

        // The newest page load was a 502: the banner says the tray's verdict.
        let mut page = convs.to_vec();
        page.push(rec(Kind::Page, Outcome::Http5xx, 502, 1_764_000_020));
        let w = browser_word(Some(&down), &page, Lang::EN, 0);
        let b = w.banner.expect("a banner for the error page");
        assert_eq!(b.title, text::headline_for(&bad_gateway(), Lang::EN));
        assert_eq!(b, text::browser_banner(502, Some(&bad_gateway()), Lang::EN));
        // A page load after it answered: no banner.
        page.push(rec(Kind::Page, Outcome::Ok, 200, 1_764_000_030));
        assert_eq!(browser_word(Some(&down), &page, Lang::EN, 0).banner, None);
        // The mirrored pseudo-locale is right to left.
        let mirrored = Lang::all().find(|l| l.is_rtl()).unwrap();
        assert!(browser_word(None, &[], mirrored, 0).rtl);
    }
}
