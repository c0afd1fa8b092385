//! Every sentence Gatewatch says, as typed functions over the Fluent files in core/locales/.
//!
//! One place for the wording, so the CLI, the notifications and the explainer say the same thing.
//! Each function maps a variant onto a message id with an exhaustive match, so a new verdict,
//! cause, advice or fact cannot ship without its text; the words themselves are in the `.ftl`
//! files, one folder per language (see [`crate::i18n`]). Pure functions of data; times arrive as
//! Unix ms plus the local UTC offset.

use crate::diagnose::{Advice, Blind, BlockHow, Cause, Diagnosis, Door, Evidence, Verdict};
pub use crate::i18n::Lang;
use crate::i18n::{t, tf};
use crate::model::{NetErrorKind, Target};
use crate::statuspage::{ComponentStatus, Indicator, PageError};
use crate::store::StoreError;

/// The message id of a verdict's headline.
pub const fn headline_id(v: Verdict) -> &'static str {
    match v {
        Verdict::Up => "verdict-up",
        Verdict::Degraded => "verdict-degraded",
        Verdict::BadGateway | Verdict::OriginError => "verdict-down",
        Verdict::EdgeError => "verdict-unreachable",
        Verdict::Blocked => "verdict-blocked",
        Verdict::Offline => "verdict-offline",
        Verdict::Unknown => "verdict-unknown",
    }
}

/// The headline for a verdict.
pub fn headline(v: Verdict, lang: Lang) -> String {
    t(lang, headline_id(v))
}

/// The headline for a diagnosis: its verdict's, except when the user's network blocks ChatGPT
/// ("This network blocks ChatGPT", not "ChatGPT is up, but refuses you").
pub fn headline_for(d: &Diagnosis, lang: Lang) -> String {
    match &d.network_block {
        Some(_) => t(lang, "verdict-network-blocks"),
        None => headline(d.verdict, lang),
    }
}

/// How the network blocks ChatGPT, in a few words: "the network's web filter answers in
/// ChatGPT's place".
pub fn block_how(how: BlockHow, lang: Lang) -> String {
    t(
        lang,
        match how {
            BlockHow::FilterPage => "block-how-filter-page",
            BlockHow::ProxyPolicy => "block-how-proxy-policy",
            BlockHow::DnsAnswer => "block-how-dns-answer",
            BlockHow::Reset => "block-how-reset",
            BlockHow::ForeignCertificate => "block-how-foreign-certificate",
        },
    )
}

/// What is known of ChatGPT itself behind a block, as a sentence's start: "OpenAI reports no
/// problem". From the status page when it passed, else from OpenAI's other doors.
pub fn beyond_block(d: &Diagnosis, lang: Lang) -> String {
    match &d.network_block {
        Some(b) => beyond_words(b.beyond, d.status_page.is_some(), lang),
        None => String::new(),
    }
}

/// ChatGPT's state behind a block (`None`: nothing passed to tell), from the status page when
/// `page`, else from OpenAI's other doors.
pub fn beyond_words(beyond: Option<Verdict>, page: bool, lang: Lang) -> String {
    let id = match (beyond.map(Verdict::health), beyond, page) {
        (None, _, _) => "beyond-unknown",
        (_, Some(Verdict::Up), true) => "beyond-page-up",
        (_, Some(Verdict::Up), false) => "beyond-doors-up",
        (Some(crate::diagnose::Health::Down), _, true) => "beyond-page-down",
        (Some(crate::diagnose::Health::Down), _, false) => "beyond-doors-down",
        (_, _, true) => "beyond-page-degraded",
        (_, _, false) => "beyond-doors-degraded",
    };
    t(lang, id)
}

/// The id shared by a cause's few words (`cause-…`) and its explanation (`explain-…`).
pub const fn cause_id(c: Cause) -> &'static str {
    match c {
        Cause::Healthy => "healthy",
        Cause::Slow => "slow",
        Cause::PartialFailure => "partial-failure",
        Cause::OfficialIncident => "official-incident",
        Cause::Overload => "overload",
        Cause::BrokenLink => "broken-link",
        Cause::OriginTls => "origin-tls",
        Cause::Maintenance => "maintenance",
        Cause::OriginFailure => "origin-failure",
        Cause::CloudflareFailure => "cloudflare-failure",
        Cause::CloudflareUnreachable => "cloudflare-unreachable",
        Cause::Challenge => "challenge",
        Cause::AccessDenied => "access-denied",
        Cause::RateLimited => "rate-limited",
        Cause::Region => "region",
        Cause::CaptivePortal => "captive-portal",
        Cause::YourNetwork => "your-network",
        Cause::Inconclusive => "inconclusive",
        Cause::OfficialOutage => "official-outage",
        Cause::ProxyLogin => "proxy-login",
        Cause::ProxyFailing => "proxy-failing",
        Cause::ProxyUnreachable => "proxy-unreachable",
        Cause::TlsIntercepted => "tls-intercepted",
        Cause::NetworkBlocks => "network-blocks",
    }
}

/// A few words for the cause, for summaries and notifications.
pub fn cause_short(c: Cause, lang: Lang) -> String {
    t(lang, &format!("cause-{}", cause_id(c)))
}

/// The plain-language explanation of a cause: the switchboard and the office.
pub fn cause_long(c: Cause, lang: Lang) -> String {
    t(lang, &format!("explain-{}", cause_id(c)))
}

/// The explanation for a whole diagnosis: the cause's, unless the view was limited and nothing
/// was found wrong — then "all answers normally" would claim more than was seen.
pub fn explanation(d: &Diagnosis, lang: Lang) -> String {
    match (d.limited, d.cause) {
        (Some(_), Cause::Healthy) => t(lang, "explain-nothing-wrong"),
        _ => cause_long(d.cause, lang),
    }
}

/// Why the view is limited, in a few words (summaries) …
pub fn limited_short(b: Blind, lang: Lang) -> String {
    t(
        lang,
        match b {
            Blind::Challenge => "limited-challenge-short",
            Blind::Refused => "limited-refused-short",
            Blind::Network => "limited-network-short",
        },
    )
}

/// … and in full (the explainer, `check`).
pub fn limited_long(b: Blind, lang: Lang) -> String {
    t(
        lang,
        match b {
            Blind::Challenge => "limited-challenge",
            Blind::Refused => "limited-refused",
            Blind::Network => "limited-network",
        },
    )
}

pub const fn advice_id(a: Advice) -> &'static str {
    match a {
        Advice::PhoneApp => "advice-phone-app",
        Advice::PhoneAppAnswers => "advice-phone-app-answers",
        Advice::Reload => "advice-reload",
        Advice::OtherServices => "advice-other-services",
        Advice::Wait => "advice-wait",
        Advice::StatusPage => "advice-status-page",
        Advice::CheckConnection => "advice-check-connection",
        Advice::SignInToNetwork => "advice-sign-in-to-network",
        Advice::OpenInBrowser => "advice-open-in-browser",
        Advice::ChangeNetwork => "advice-change-network",
        Advice::WaitForLimit => "advice-wait-for-limit",
        Advice::ProxySettings => "advice-proxy-settings",
        Advice::MobileData => "advice-mobile-data",
        Advice::AskAdministrator => "advice-ask-administrator",
        Advice::VpnIfAllowed => "advice-vpn-if-allowed",
    }
}

pub fn advice(a: Advice, lang: Lang) -> String {
    t(lang, advice_id(a))
}

/// The status codes that have words of their own (`http-<code>`).
pub const STATUS_CODES: [u16; 14] = [
    500, 502, 503, 504, 520, 521, 522, 523, 524, 525, 526, 530, 403, 429,
];

/// What a status code means, in a few words.
pub fn status_meaning(status: u16, lang: Lang) -> Option<String> {
    STATUS_CODES
        .contains(&status)
        .then(|| t(lang, &format!("http-{status}")))
}

/// One line: "ChatGPT is down — Cloudflare can't reach OpenAI (521, FRA)"; behind a block,
/// "This network blocks ChatGPT. OpenAI reports no problem."
pub fn summary(d: &Diagnosis, lang: Lang) -> String {
    if d.network_block.is_some() {
        return tf(
            lang,
            "summary-network-block",
            &[
                ("headline", headline_for(d, lang).into()),
                ("beyond", capitalise(&beyond_block(d, lang)).into()),
            ],
        );
    }
    tf(
        lang,
        "summary",
        &[
            ("headline", headline(d.verdict, lang).into()),
            ("cause", cause_tagged(d, lang, true, true).into()),
        ],
    )
}

/// The cause with its status code and data centre, as a sentence start, for the tray's tooltip:
/// "Cloudflare can't reach OpenAI (521, FRA)". A limited view is named ("…; limited view") but not
/// explained: the menu's status line and the window say why, and the tooltip stays short enough for
/// Windows (see [`crate::view::tooltip_text`]).
pub fn cause_line(d: &Diagnosis, lang: Lang) -> String {
    capitalise(&cause_tagged(d, lang, false, true))
}

/// [`cause_line`] without the status code and data centre, for a tooltip that has no room for
/// them: "Cloudflare can't reach OpenAI".
pub fn cause_line_untagged(d: &Diagnosis, lang: Lang) -> String {
    capitalise(&cause_tagged(d, lang, false, false))
}

/// "since 14:05" → "Since 14:05": upper-case first letter, the rest untouched.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// "cause (tag, tag)", or the cause alone without tags.
pub fn tagged(cause: String, tags: &[String], lang: Lang) -> String {
    if tags.is_empty() {
        return cause;
    }
    tf(
        lang,
        "cause-tagged",
        &[("cause", cause.into()), ("tags", list(tags, lang).into())],
    )
}

/// Items joined as the language writes a short list: "502, FRA"; "502、FRA" in Japanese.
pub fn list(items: &[String], lang: Lang) -> String {
    items.join(&t(lang, "list-separator"))
}

/// The cause and, with `tags`, its status code and data centre; `why`: with the limited view's
/// reason, else with its name alone.
fn cause_tagged(d: &Diagnosis, lang: Lang, why: bool, with_tags: bool) -> String {
    // A block: how, and whose filter when it names itself ("… (Fortinet)").
    if let Some(b) = &d.network_block {
        let tags: Vec<String> = b.vendor.iter().filter(|_| with_tags).cloned().collect();
        return tagged(block_how(b.how, lang), &tags, lang);
    }
    let cause = match (d.limited, d.cause) {
        // "Everything answers normally" would claim more than a limited view saw.
        (Some(_), Cause::Healthy) => t(lang, "cause-nothing-wrong"),
        (_, c) => cause_short(c, lang),
    };
    let mut tags = Vec::new();
    // Under a limited view the status code is the challenge's, not the outage's: leave it out.
    if with_tags && d.verdict != Verdict::Up && d.limited.is_none() {
        if let Some(code) = d.cf_code {
            tags.push(tf(
                lang,
                "tag-cf-code",
                &[("code", code.to_string().into())],
            ));
        } else if let Some(status) = d.http_status.filter(|&s| s >= 400) {
            tags.push(status.to_string());
        }
    }
    if let Some(colo) = d.edge.colo.as_ref().filter(|_| with_tags) {
        tags.push(colo.clone());
    }
    let s = tagged(cause, &tags, lang);
    match d.limited {
        Some(b) => tf(
            lang,
            "cause-limited",
            &[
                ("cause", s.into()),
                (
                    "limited",
                    if why {
                        limited_short(b, lang)
                    } else {
                        t(lang, "limited-view")
                    }
                    .into(),
                ),
            ],
        ),
        None => s,
    }
}

/// How a request failed below HTTP, in a few words: "the name did not resolve (DNS)".
pub fn net_error(e: NetErrorKind, lang: Lang) -> String {
    t(
        lang,
        match e {
            NetErrorKind::Dns => "net-dns",
            NetErrorKind::Connect => "net-connect",
            NetErrorKind::Timeout => "net-timeout",
            NetErrorKind::Reset => "net-reset",
            NetErrorKind::Tls => "net-tls",
            NetErrorKind::Protocol => "net-protocol",
            NetErrorKind::ProxyAuth => "net-proxy-auth",
            NetErrorKind::ProxyRefused => "net-proxy-refused",
        },
    )
}

/// Why the status page could not be read, in a few words that follow "Status page unreadable: ":
/// how it failed to answer, as for any door, or what was wrong with its answer.
pub fn page_error(e: PageError, lang: Lang) -> String {
    match e {
        PageError::NoAnswer { error } => net_error(error, lang),
        PageError::Http { status } => tf(
            lang,
            "page-error-http",
            &[("status", status.to_string().into())],
        ),
        PageError::Unreadable => t(lang, "page-error-unreadable"),
        PageError::TooLarge { kib } => tf(lang, "page-error-too-large", &[("kib", kib.into())]),
    }
}

fn target_name(target: Target, lang: Lang) -> String {
    match target {
        Target::Edge => t(lang, "target-edge"),
        Target::Origin => "chatgpt.com".into(),
        Target::Api => "api.openai.com".into(),
        Target::StatusPage => t(lang, "target-status-page"),
        Target::Control => t(lang, "target-control"),
        Target::App => t(lang, "target-app"),
    }
}

/// The words for a status code in brackets, led by a space: " (bad gateway)", or nothing.
fn meaning_part(status: u16, lang: Lang) -> String {
    status_meaning(status, lang)
        .map(|m| tf(lang, "evidence-meaning", &[("meaning", m.into())]))
        .unwrap_or_default()
}

/// One fact, as a sentence.
pub fn evidence(e: &Evidence, lang: Lang) -> String {
    let net = |error: &NetErrorKind| net_error(*error, lang);
    match e {
        Evidence::EdgeAnswered { colo, latency_ms } => match colo {
            Some(c) => tf(
                lang,
                "evidence-edge-answered-from",
                &[("colo", c.into()), ("ms", (*latency_ms).into())],
            ),
            None => tf(
                lang,
                "evidence-edge-answered",
                &[("ms", (*latency_ms).into())],
            ),
        },
        Evidence::EdgeNotTrace { status } => tf(
            lang,
            "evidence-edge-not-trace",
            &[("status", status.to_string().into())],
        ),
        Evidence::EdgeHttpError { status } => tf(
            lang,
            "evidence-edge-http-error",
            &[("status", status.to_string().into())],
        ),
        Evidence::EdgeFailed { error } => tf(
            lang,
            "evidence-edge-failed",
            &[("error", net(error).into())],
        ),
        Evidence::OriginAnswered {
            status,
            class,
            code,
            colo,
            latency_ms,
        } => {
            let kind = match class.as_str() {
                "gateway" | "edge_failure" => t(lang, "evidence-kind-cloudflare-page"),
                "challenge" => t(lang, "evidence-kind-challenge"),
                "origin_error" => t(lang, "evidence-kind-openai"),
                _ => String::new(),
            };
            let code = code
                .map(|c| {
                    tf(
                        lang,
                        "evidence-error-code",
                        &[("code", c.to_string().into())],
                    )
                })
                .unwrap_or_default();
            let colo = colo
                .as_ref()
                .map(|c| tf(lang, "evidence-via", &[("colo", c.into())]))
                .unwrap_or_default();
            tf(
                lang,
                "evidence-origin-answered",
                &[
                    ("status", status.to_string().into()),
                    ("meaning", meaning_part(*status, lang).into()),
                    ("kind", kind.into()),
                    ("code", code.into()),
                    ("colo", colo.into()),
                    ("ms", (*latency_ms).into()),
                ],
            )
        }
        Evidence::OriginFailed { error, latency_ms } => tf(
            lang,
            "evidence-origin-failed",
            &[("error", net(error).into()), ("ms", (*latency_ms).into())],
        ),
        Evidence::ApiAlive { latency_ms } => {
            tf(lang, "evidence-api-alive", &[("ms", (*latency_ms).into())])
        }
        Evidence::ApiHttpError { status, .. } => tf(
            lang,
            "evidence-api-http-error",
            &[("status", status.to_string().into())],
        ),
        Evidence::ApiFailed { error } => {
            tf(lang, "evidence-api-failed", &[("error", net(error).into())])
        }
        Evidence::ControlAnswered => t(lang, "evidence-control-answered"),
        Evidence::AnsweredInPlace { target, status } => tf(
            lang,
            "evidence-answered-in-place",
            &[
                ("target", target_name(*target, lang).into()),
                ("status", status.to_string().into()),
            ],
        ),
        Evidence::ControlReplaced { status } => tf(
            lang,
            "evidence-control-replaced",
            &[("status", status.to_string().into())],
        ),
        Evidence::NetworkBlock {
            target,
            how,
            vendor,
            detail,
        } => {
            let by = vendor
                .as_ref()
                .map(|v| tf(lang, "evidence-by-vendor", &[("vendor", v.into())]))
                .unwrap_or_default();
            let id = match how {
                BlockHow::DnsAnswer if detail.as_deref() == Some("NXDOMAIN") => {
                    "evidence-block-dns-nxdomain"
                }
                BlockHow::FilterPage => "evidence-block-filter-page",
                BlockHow::ProxyPolicy => "evidence-block-proxy-policy",
                BlockHow::DnsAnswer => "evidence-block-dns-answer",
                BlockHow::Reset => "evidence-block-reset",
                BlockHow::ForeignCertificate => "evidence-block-foreign-certificate",
            };
            tf(
                lang,
                id,
                &[
                    ("target", target_name(*target, lang).into()),
                    ("detail", detail.clone().unwrap_or_default().into()),
                    ("vendor", by.into()),
                ],
            )
        }
        Evidence::ControlFailed { error } => tf(
            lang,
            "evidence-control-failed",
            &[("error", net(error).into())],
        ),
        Evidence::Slow {
            target,
            latency_ms,
            limit_ms,
        } => tf(
            lang,
            "evidence-slow",
            &[
                ("target", target_name(*target, lang).into()),
                ("ms", (*latency_ms).into()),
                ("limit", (*limit_ms).into()),
            ],
        ),
        Evidence::StatusPage {
            indicator,
            chatgpt_affected,
            incidents,
            chatgpt_worst,
        } => {
            let state = t(
                lang,
                match indicator {
                    Indicator::None => "indicator-none",
                    Indicator::Minor => "indicator-minor",
                    Indicator::Major => "indicator-major",
                    Indicator::Critical => "indicator-critical",
                    Indicator::Maintenance => "indicator-maintenance",
                    Indicator::Unknown => "indicator-unknown",
                },
            );
            let open = if *incidents > 0 {
                tf(
                    lang,
                    "evidence-open-incidents",
                    &[("n", (*incidents).into())],
                )
            } else {
                String::new()
            };
            let chatgpt = t(
                lang,
                match (chatgpt_affected, chatgpt_worst) {
                    (true, ComponentStatus::MajorOutage) => "evidence-chatgpt-major",
                    (true, ComponentStatus::PartialOutage) => "evidence-chatgpt-partial",
                    (true, _) => "evidence-chatgpt-affected",
                    (false, _) => "evidence-chatgpt-unaffected",
                },
            );
            tf(
                lang,
                "evidence-status-page",
                &[
                    ("state", state.into()),
                    ("incidents", open.into()),
                    ("chatgpt", chatgpt.into()),
                ],
            )
        }
        // The answer itself is told by `OriginAnswered`; this says what it means.
        Evidence::LimitedView { status, reason } => tf(
            lang,
            match reason {
                Blind::Challenge => "evidence-limited-challenge",
                Blind::Refused => "evidence-limited-refused",
                Blind::Network => "evidence-limited-network",
            },
            &[("status", status.to_string().into())],
        ),
        Evidence::AppRoute {
            door,
            status,
            error,
            latency_ms,
        } => {
            let ms = ("ms", (*latency_ms).into());
            match (door, status, error) {
                (Door::Answers, _, _) => tf(lang, "evidence-app-answers", &[ms]),
                (Door::Fails, Some(st), _) => tf(
                    lang,
                    "evidence-app-fails",
                    &[
                        ("status", st.to_string().into()),
                        ("meaning", meaning_part(*st, lang).into()),
                        ms,
                    ],
                ),
                (Door::Refuses, Some(st), _) => tf(
                    lang,
                    "evidence-app-refuses",
                    &[("status", st.to_string().into()), ms],
                ),
                (_, _, Some(e)) => tf(lang, "evidence-app-failed", &[("error", net(e).into()), ms]),
                _ => tf(lang, "evidence-app-silent", &[ms]),
            }
        }
        Evidence::PhoneApps { status } => tf(
            lang,
            "evidence-phone-apps",
            &[("state", component_status(*status, lang).into())],
        ),
        Evidence::RetryAfter { secs } => tf(
            lang,
            "evidence-retry-after",
            &[("wait", duration(secs.saturating_mul(1000), lang).into())],
        ),
    }
}

fn component_status(s: ComponentStatus, lang: Lang) -> String {
    t(
        lang,
        match s {
            ComponentStatus::Operational => "component-operational",
            ComponentStatus::DegradedPerformance => "component-degraded",
            ComponentStatus::PartialOutage => "component-partial-outage",
            ComponentStatus::MajorOutage => "component-major-outage",
            ComponentStatus::UnderMaintenance => "component-maintenance",
            ComponentStatus::Unknown => "component-unknown",
        },
    )
}

/// "45 s", "7 min", "1 h 5 min", "2 days 3 h" — in the language's words and plural forms.
pub fn duration(ms: u64, lang: Lang) -> String {
    let s = ms / 1000;
    let (d, h, m) = (s / 86_400, (s % 86_400) / 3600, (s % 3600) / 60);
    match (d, h, m) {
        (0, 0, 0) => tf(lang, "duration-seconds", &[("s", s.into())]),
        (0, 0, m) => tf(lang, "duration-minutes", &[("m", m.into())]),
        (0, h, 0) => tf(lang, "duration-hours", &[("h", h.into())]),
        (0, h, m) => tf(
            lang,
            "duration-hours-minutes",
            &[("h", h.into()), ("m", m.into())],
        ),
        (d, 0, _) => tf(lang, "duration-days", &[("d", d.into())]),
        (d, h, _) => tf(
            lang,
            "duration-days-hours",
            &[("d", d.into()), ("h", h.into())],
        ),
    }
}

/// The time of day of a wall time, in a zone `offset_minutes` east of UTC, as the language
/// writes it: "2:05 PM" in English, "14:05" in Italian.
pub fn clock(wall_ms: i64, offset_minutes: i32, lang: Lang) -> String {
    let minutes = (wall_ms.div_euclid(60_000) + i64::from(offset_minutes)).rem_euclid(24 * 60);
    let (hour, minute) = (minutes / 60, minutes % 60);
    let hour12 = match hour % 12 {
        0 => 12,
        h => h,
    };
    tf(
        lang,
        "clock",
        &[
            ("hour24", format!("{hour:02}").into()),
            ("hour12", hour12.to_string().into()),
            ("minute", format!("{minute:02}").into()),
            ("period", if hour < 12 { "am" } else { "pm" }.into()),
        ],
    )
}

/// The tray menu's fixed words (the tray process maps its menu ids onto these).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MenuText {
    /// The status line before the first check.
    Checking,
    CheckNow,
    WhatsGoingOn,
    OpenChatgpt,
    OpenStatusPage,
    /// The snooze submenu.
    Snooze,
    SnoozeHour,
    SnoozeUntilBack,
    NotifyAgain,
    Settings,
    StartAtLogin,
    Quit,
}

impl MenuText {
    pub const ALL: [MenuText; 12] = [
        MenuText::Checking,
        MenuText::CheckNow,
        MenuText::WhatsGoingOn,
        MenuText::OpenChatgpt,
        MenuText::OpenStatusPage,
        MenuText::Snooze,
        MenuText::SnoozeHour,
        MenuText::SnoozeUntilBack,
        MenuText::NotifyAgain,
        MenuText::Settings,
        MenuText::StartAtLogin,
        MenuText::Quit,
    ];

    pub const fn id(self) -> &'static str {
        match self {
            MenuText::Checking => "menu-checking",
            MenuText::CheckNow => "menu-check-now",
            MenuText::WhatsGoingOn => "menu-whats-going-on",
            MenuText::OpenChatgpt => "menu-open-chatgpt",
            MenuText::OpenStatusPage => "menu-open-status-page",
            MenuText::Snooze => "menu-snooze",
            MenuText::SnoozeHour => "menu-snooze-hour",
            MenuText::SnoozeUntilBack => "menu-snooze-until-back",
            MenuText::NotifyAgain => "menu-notify-again",
            MenuText::Settings => "menu-settings",
            MenuText::StartAtLogin => "menu-start-at-login",
            MenuText::Quit => "menu-quit",
        }
    }
}

pub fn menu(m: MenuText, lang: Lang) -> String {
    t(lang, m.id())
}

/// The snooze item while snoozed until a time: "Notify me again (snoozed until 2:05 PM)".
pub fn notify_again_at(wall_ms: i64, offset_minutes: i32, lang: Lang) -> String {
    let time = clock(wall_ms, offset_minutes, lang);
    tf(lang, "menu-notify-again-at", &[("time", time.into())])
}

/// Why the details window (the explainer) is not there, as a kind the tray's menu says in the
/// user's words. What the system or the window itself said (an OS error, the window's last line
/// on its standard error) goes to the log only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WindowTrouble {
    /// Its program is not where the tray looks for it (beside itself).
    Missing,
    /// The system would not start it (permissions, a damaged file…).
    CannotRun,
    /// A library it needs is missing: the library's file name ("libwebkit2gtk-4.1.so.0").
    Library(String),
    /// There is no display to open a window on.
    NoDisplay,
    /// Windows: Microsoft's WebView2 Runtime is missing.
    NoWebView2,
    /// It ended with this exit code, saying nothing the tray knows.
    Exited(i32),
    /// It was killed by this signal.
    Killed(i32),
    /// It ended, and the system does not say how.
    Ended,
    /// The tray has no local channel it could talk on.
    NoChannel,
}

impl WindowTrouble {
    /// One of each, for the checks that say every one.
    pub fn examples() -> [WindowTrouble; 9] {
        [
            WindowTrouble::Missing,
            WindowTrouble::CannotRun,
            WindowTrouble::Library("libwebkit2gtk-4.1.so.0".into()),
            WindowTrouble::NoDisplay,
            WindowTrouble::NoWebView2,
            WindowTrouble::Exited(1),
            WindowTrouble::Killed(9),
            WindowTrouble::Ended,
            WindowTrouble::NoChannel,
        ]
    }
}

/// Why the details window is not there, for a line in the tray menu: "The details window could
/// not open: there is no display to show it on". `started`: it ran and then stopped, rather than
/// never coming up.
pub fn explainer_problem(why: &WindowTrouble, started: bool, lang: Lang) -> String {
    let reason = match why {
        WindowTrouble::Missing => t(lang, "window-missing"),
        WindowTrouble::CannotRun => t(lang, "window-cannot-run"),
        WindowTrouble::Library(library) => {
            tf(lang, "window-library", &[("library", library.into())])
        }
        WindowTrouble::NoDisplay => t(lang, "window-no-display"),
        WindowTrouble::NoWebView2 => tf(
            lang,
            "window-no-webview2",
            &[("url", crate::ipc::WEBVIEW2_URL.into())],
        ),
        WindowTrouble::Exited(code) => {
            tf(lang, "window-exited", &[("code", code.to_string().into())])
        }
        WindowTrouble::Killed(signal) => tf(
            lang,
            "window-killed",
            &[("signal", signal.to_string().into())],
        ),
        WindowTrouble::Ended => t(lang, "window-ended"),
        WindowTrouble::NoChannel => t(lang, "window-no-channel"),
    };
    let id = if started {
        "explainer-stopped"
    } else {
        "explainer-could-not-start"
    };
    tf(lang, id, &[("reason", reason.into())])
}

/// The notification's title when stored settings could not all be used.
pub fn settings_reset_title(lang: Lang) -> String {
    t(lang, "notify-settings-reset")
}

/// What Gatewatch did about a file it could not use ([`store_problem`]).
#[derive(Debug, Clone, Copy)]
pub enum Then<'a> {
    /// At start, with no settings file to go by: the defaults.
    DefaultSettings,
    /// At start, with no history to go by: a new one.
    NewHistory,
    /// The window saved settings the tray could not read: the ones in use were kept and saved
    /// again…
    KeptSettings,
    /// … or kept, but not saved again, for this reason.
    KeptUnsaved(&'a StoreError),
    /// Nothing to add (a file that could not be saved is said alone).
    Nothing,
}

/// A file of Gatewatch's (settings.json, history.json) that could not be used, in words, and what
/// Gatewatch did instead: "settings.json was damaged; it is kept as ….corrupt-1764…. The default
/// settings are used." What the system or the JSON parser said goes to the log only.
pub fn store_problem(e: &StoreError, then: Then, lang: Lang) -> String {
    let problem = store_error(e, lang);
    let (id, why) = match then {
        Then::DefaultSettings => ("store-then-defaults", None),
        Then::NewHistory => ("store-then-new-history", None),
        Then::KeptSettings => ("store-then-kept", None),
        Then::KeptUnsaved(w) => ("store-then-kept-unsaved", Some(store_error(w, lang))),
        Then::Nothing => return problem,
    };
    let mut args = vec![("problem", problem.into())];
    if let Some(w) = why {
        args.push(("why", w.into()));
    }
    tf(lang, id, &args)
}

/// "settings.json could not be saved: the disk is full."
pub fn not_saved(file: &str, why: std::io::ErrorKind, lang: Lang) -> String {
    tf(
        lang,
        "store-unwritable",
        &[("file", file.into()), ("why", io_problem(why, lang).into())],
    )
}

fn store_error(e: &StoreError, lang: Lang) -> String {
    let name = |p: &std::path::Path| {
        p.file_name().map_or_else(
            || p.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    };
    match e {
        StoreError::Corrupt { path, backup, .. } => tf(
            lang,
            "store-damaged",
            &[
                ("file", name(path).into()),
                ("backup", backup.display().to_string().into()),
            ],
        ),
        StoreError::Read { path, source } => tf(
            lang,
            "store-unreadable",
            &[
                ("file", name(path).into()),
                ("why", io_problem(source.kind(), lang).into()),
            ],
        ),
        StoreError::Write { path, source } => not_saved(&name(path), source.kind(), lang),
    }
}

/// Why the system would not read or write a file, in a few words.
fn io_problem(kind: std::io::ErrorKind, lang: Lang) -> String {
    use std::io::ErrorKind as K;
    t(
        lang,
        match kind {
            K::PermissionDenied => "io-denied",
            K::StorageFull | K::QuotaExceeded => "io-full",
            K::ReadOnlyFilesystem => "io-read-only",
            K::NotFound => "io-missing",
            _ => "io-other",
        },
    )
}

/// What the window says when new settings could not be applied: the checks go on with the ones
/// in use (the log has the library's words).
pub fn settings_not_applied(lang: Lang) -> String {
    t(lang, "warning-settings-not-applied")
}

/// The notification's one button, where the server shows buttons.
pub fn open_gatewatch(lang: Lang) -> String {
    t(lang, "notify-open")
}

/// "since 2:05 PM", for the tray's tooltip and menu.
pub fn since(wall_ms: i64, offset_minutes: i32, lang: Lang) -> String {
    let time = clock(wall_ms, offset_minutes, lang);
    tf(lang, "since-time", &[("time", time.into())])
}

/// A line and since when, as the language joins them: "… · since 2:05 PM"; `since` is
/// [`since`]'s words.
pub fn with_since(line: &str, since: &str, lang: Lang) -> String {
    tf(
        lang,
        "line-since",
        &[("line", line.into()), ("since", since.into())],
    )
}

/// "Paused — ChatGPT is up".
pub fn paused(line: &str, lang: Lang) -> String {
    tf(lang, "paused-line", &[("line", line.into())])
}

/// `s` in at most `max_units` UTF-16 units (what Windows counts), cut where a line may break and
/// ended with "…": never inside a word (a run of letters, digits and apostrophes written with
/// spaces), though between two Japanese or Chinese characters, which are written without them.
/// Punctuation and brackets left open at the cut go too. `None` when not even one word fits.
pub fn shorten(s: &str, max_units: usize) -> Option<String> {
    const ELLIPSIS: char = '…';
    if units(s) <= max_units {
        return Some(s.to_string());
    }
    let room = max_units.checked_sub(ELLIPSIS.len_utf16())?;
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut best = None;
    let mut used = 0;
    for (i, &(at, c)) in chars.iter().enumerate() {
        if used > room {
            break;
        }
        // A cut before `c`, after what came before.
        if i > 0 && breaks_between(chars[i - 1].1, c) {
            best = Some(at);
        }
        used += c.len_utf16();
    }
    if used <= room {
        best = Some(s.len());
    }
    let kept = s[..best?].trim_end_matches(|c: char| c.is_whitespace() || OPEN_AT_CUT.contains(c));
    (!kept.is_empty()).then(|| format!("{kept}{ELLIPSIS}"))
}

/// What a cut leaves dangling before "…": separators, dashes, opening brackets.
const OPEN_AT_CUT: &str = "([{（「『【〔,;:、，；：·・—–-。.";

/// UTF-16 code units, as Windows counts a tooltip.
pub fn units(s: &str) -> usize {
    s.encode_utf16().count()
}

/// Whether a line may break between `a` and `b` without cutting a word.
fn breaks_between(a: char, b: char) -> bool {
    a.is_whitespace() || b.is_whitespace() || !(in_word(a) && in_word(b))
}

/// Part of a word written between spaces: a letter or digit of a script that uses spaces, or an
/// apostrophe or hyphen (within "can't", "e-mail").
fn in_word(c: char) -> bool {
    (c.is_alphanumeric() && !written_without_spaces(c)) || matches!(c, '\'' | '’' | '-')
}

/// Japanese and Chinese characters (and their full-width punctuation), which lines may break
/// between.
fn written_without_spaces(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x30FF      // CJK punctuation, hiragana, katakana
        | 0x3400..=0x4DBF    // CJK ideographs, extension A
        | 0x4E00..=0x9FFF    // CJK ideographs
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0xFF00..=0xFFEF) // full-width and half-width forms
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::{EdgeInfo, Layer};

    #[test]
    fn every_menu_word_is_translated() {
        let mut seen = std::collections::HashSet::new();
        for m in MenuText::ALL {
            assert!(seen.insert(menu(m, Lang::EN)), "{m:?} repeats a label");
        }
        assert_eq!(
            notify_again_at(13 * 3_600_000 + 5 * 60_000, 0, Lang::EN),
            "Notify me again (snoozed until 1:05 PM)"
        );
        assert_eq!(
            explainer_problem(&WindowTrouble::NoDisplay, false, Lang::EN),
            "The details window could not open: there is no display to show it on"
        );
        assert_eq!(
            explainer_problem(&WindowTrouble::Killed(9), true, Lang::EN),
            "The details window stopped: killed by signal 9"
        );
    }

    #[test]
    fn durations_and_clocks() {
        let it = Lang::from_tag("it").unwrap();
        assert_eq!(duration(45_000, Lang::EN), "45 s");
        assert_eq!(duration(7 * 60_000 + 5_000, Lang::EN), "7 min");
        assert_eq!(duration(3_600_000, Lang::EN), "1 h");
        assert_eq!(duration(3_900_000, it), "1 h 5 min");
        assert_eq!(duration(86_400_000, Lang::EN), "1 day");
        assert_eq!(
            duration(2 * 86_400_000 + 3 * 3_600_000, Lang::EN),
            "2 days 3 h"
        );
        assert_eq!(duration(2 * 86_400_000 + 3 * 3_600_000, it), "2 giorni 3 h");
        assert_eq!(clock(0, 0, Lang::EN), "12:00 AM");
        assert_eq!(clock(13 * 3_600_000 + 5 * 60_000, 60, Lang::EN), "2:05 PM");
        assert_eq!(clock(13 * 3_600_000 + 5 * 60_000, 60, it), "14:05");
        assert_eq!(clock(30 * 60_000, -60, it), "23:30");
        assert_eq!(clock(12 * 3_600_000, 0, Lang::EN), "12:00 PM");
    }

    #[test]
    fn summaries() {
        let d = Diagnosis {
            verdict: Verdict::BadGateway,
            layer: Layer::Origin,
            cause: Cause::Overload,
            http_status: Some(502),
            cf_code: None,
            evidence: vec![],
            edge: EdgeInfo {
                colo: Some("FRA".into()),
                loc: None,
            },
            api_alive: None,
            status_page: None,
            advice: vec![],
            latency_ms: None,
            limited: None,
            app_route: None,
            network_block: None,
        };
        assert_eq!(
            summary(&d, Lang::EN),
            "ChatGPT is down — OpenAI's servers aren't answering Cloudflare (502, FRA)"
        );
        assert_eq!(
            summary(&d, it_lang()),
            "ChatGPT non funziona — i server di OpenAI non rispondono a Cloudflare (502, FRA)"
        );
        let up = Diagnosis {
            verdict: Verdict::Up,
            cause: Cause::Healthy,
            http_status: Some(200),
            ..d.clone()
        };
        assert_eq!(
            summary(&up, Lang::EN),
            "ChatGPT is up — everything answers normally (FRA)"
        );
        let limited = Diagnosis {
            limited: Some(Blind::Challenge),
            ..up.clone()
        };
        assert_eq!(
            summary(&limited, Lang::EN),
            "ChatGPT is up — nothing points to trouble (FRA); limited view: chatgpt.com asks Gatewatch for a browser check"
        );
        assert_ne!(
            explanation(&limited, Lang::EN),
            cause_long(Cause::Healthy, Lang::EN)
        );
        assert!(summary(&limited, it_lang()).contains("vista limitata"));
        let limited_down = Diagnosis {
            verdict: Verdict::OriginError,
            cause: Cause::OfficialOutage,
            http_status: Some(403),
            ..limited
        };
        assert_eq!(
            summary(&limited_down, Lang::EN),
            "ChatGPT is down — OpenAI's status page reports it down (FRA); limited view: chatgpt.com asks Gatewatch for a browser check"
        );
        let blocked = Diagnosis {
            verdict: Verdict::Blocked,
            cause: Cause::AccessDenied,
            http_status: Some(403),
            cf_code: Some(1020),
            ..d
        };
        assert_eq!(
            summary(&blocked, Lang::EN),
            "ChatGPT is up, but won't let you in — access denied to your connection (error 1020, FRA)"
        );
    }

    #[test]
    fn shortening_cuts_between_words_and_counts_as_windows_does() {
        let s = "Cloudflare can't reach OpenAI (521, FRA)";
        assert_eq!(shorten(s, 100).as_deref(), Some(s));
        assert_eq!(shorten(s, 20).as_deref(), Some("Cloudflare can't…"));
        // Not "Cloudflare can'…": the apostrophe is inside the word.
        assert_eq!(shorten(s, 16).as_deref(), Some("Cloudflare…"));
        // Brackets and commas left open at the cut go with it.
        assert_eq!(
            shorten(s, 36).as_deref(),
            Some("Cloudflare can't reach OpenAI (521…")
        );
        assert_eq!(
            shorten(s, 34).as_deref(),
            Some("Cloudflare can't reach OpenAI…")
        );
        assert_eq!(shorten(s, 10), None);
        // Japanese breaks between its characters, but not inside a word written in Latin letters.
        let ja = "CloudflareからOpenAIに届きません（521、FRA）";
        assert_eq!(shorten(ja, 18).as_deref(), Some("Cloudflareから…"));
        assert_eq!(shorten(ja, 12).as_deref(), Some("Cloudflareか…"));
        assert_eq!(shorten(ja, 20).as_deref(), Some("CloudflareからOpenAIに…"));
        assert_eq!(shorten(ja, 19).as_deref(), Some("CloudflareからOpenAI…"));
        // Windows counts UTF-16 units: a character outside the BMP is two.
        assert_eq!(units("a😀b"), 4);
        assert_eq!(shorten("ab 😀😀 cd", 6).as_deref(), Some("ab 😀…"));
        assert_eq!(shorten("ab 😀😀 cd", 5).as_deref(), Some("ab…"));
    }

    #[test]
    fn lists_and_since_are_joined_as_each_language_writes_them() {
        let tags = ["502".to_string(), "FRA".to_string()];
        let ja = Lang::from_tag("ja").unwrap();
        assert_eq!(tagged("x".into(), &tags, Lang::EN), "x (502, FRA)");
        assert_eq!(tagged("x".into(), &tags, ja), "x（502、FRA）");
        assert_eq!(
            with_since("ChatGPT is up", &since(0, 0, Lang::EN), Lang::EN),
            "ChatGPT is up · since 12:00 AM"
        );
        assert_eq!(
            with_since("ChatGPTは稼働中です", &since(0, 540, ja), ja),
            "ChatGPTは稼働中です（09:00から）"
        );
    }

    fn it_lang() -> Lang {
        Lang::from_tag("it").unwrap()
    }
}
