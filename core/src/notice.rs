//! Notifications as text, built purely; delivering them is the shell's job.
//!
//! Like gatus's `buildRequestBody` next to `Send`: the words a transition deserves are decided and
//! tested here, and the notifier (notify-rust in the app and the CLI) only shows them.

use serde::Serialize;

use crate::diagnose::Cause;
use crate::i18n;
use crate::monitor::Transition;
use crate::text::{self, Lang};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Normal,
    Critical,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    pub title: String,
    pub body: String,
    pub urgency: Urgency,
    /// Stable id of the kind, for grouping/replacing notifications.
    pub kind: &'static str,
}

impl Notice {
    /// The words for a transition; `offset_minutes` is the local zone, for "since 2:05 PM".
    pub fn render(t: &Transition, lang: Lang, offset_minutes: i32) -> Notice {
        let since = |ms: i64| text::clock(ms, offset_minutes, lang);
        let cause_words = |c: Cause| text::capitalise(&text::cause_short(c, lang));
        match t {
            Transition::Down {
                verdict,
                cause,
                http_status,
                colo,
                since_wall_ms,
                api_alive,
            } => {
                let mut tags: Vec<String> = http_status.iter().map(|s| s.to_string()).collect();
                tags.extend(colo.iter().cloned());
                let api = if *api_alive == Some(true) && is_openai_side(*cause) {
                    i18n::t(lang, "notify-api-answers")
                } else {
                    String::new()
                };
                let body = i18n::tf(
                    lang,
                    "notify-down-body",
                    &[
                        (
                            "cause",
                            text::tagged(cause_words(*cause), &tags, lang).into(),
                        ),
                        ("tip", tip(*cause, lang).into()),
                        ("api", api.into()),
                        ("time", since(*since_wall_ms).into()),
                    ],
                );
                Notice {
                    title: text::headline(*verdict, lang),
                    body,
                    urgency: Urgency::Critical,
                    kind: "down",
                }
            }
            Transition::Recovered {
                downtime_ms,
                since_wall_ms,
                ..
            } => Notice {
                title: i18n::t(lang, "notify-back-title"),
                body: i18n::tf(
                    lang,
                    "notify-back-body",
                    &[
                        ("duration", text::duration(*downtime_ms, lang).into()),
                        ("time", since(*since_wall_ms).into()),
                    ],
                ),
                urgency: Urgency::Normal,
                kind: "recovered",
            },
            Transition::CauseChanged {
                verdict,
                cause,
                http_status,
                since_wall_ms,
                ..
            } => {
                let tags: Vec<String> = http_status.iter().map(|s| s.to_string()).collect();
                Notice {
                    title: i18n::tf(
                        lang,
                        "notify-cause-title",
                        &[("headline", text::headline(*verdict, lang).into())],
                    ),
                    body: i18n::tf(
                        lang,
                        "notify-cause-body",
                        &[
                            (
                                "cause",
                                text::tagged(cause_words(*cause), &tags, lang).into(),
                            ),
                            ("tip", tip(*cause, lang).into()),
                            ("time", since(*since_wall_ms).into()),
                        ],
                    ),
                    urgency: Urgency::Normal,
                    kind: "cause",
                }
            }
            Transition::StillDown {
                verdict,
                cause,
                downtime_ms,
            } => Notice {
                title: i18n::tf(
                    lang,
                    "notify-still-down-title",
                    &[
                        ("headline", text::headline(*verdict, lang).into()),
                        ("duration", text::duration(*downtime_ms, lang).into()),
                    ],
                ),
                body: i18n::tf(
                    lang,
                    "notify-still-down-body",
                    &[
                        ("cause", cause_words(*cause).into()),
                        ("tip", tip(*cause, lang).into()),
                    ],
                ),
                urgency: Urgency::Normal,
                kind: "still_down",
            },
            Transition::Flapping { outages, window_ms } => Notice {
                title: i18n::t(lang, "notify-flapping-title"),
                body: i18n::tf(
                    lang,
                    "notify-flapping-body",
                    &[
                        ("n", (*outages).into()),
                        ("window", text::duration(*window_ms, lang).into()),
                    ],
                ),
                urgency: Urgency::Normal,
                kind: "flapping",
            },
            Transition::Stable {
                now,
                outages,
                downtime_ms,
            } => Notice {
                title: i18n::t(
                    lang,
                    if now.health() == crate::diagnose::Health::Down {
                        "notify-stable-down-title"
                    } else {
                        "notify-stable-title"
                    },
                ),
                body: i18n::tf(
                    lang,
                    "notify-stable-body",
                    &[
                        ("n", (*outages).into()),
                        ("duration", text::duration(*downtime_ms, lang).into()),
                    ],
                ),
                urgency: Urgency::Normal,
                kind: "stable",
            },
            Transition::NetworkBlocks {
                how,
                vendor,
                beyond,
                status_page,
            } => {
                let tags: Vec<String> = vendor.iter().cloned().collect();
                let how = text::capitalise(&text::tagged(text::block_how(*how, lang), &tags, lang));
                let beyond = text::capitalise(&text::beyond_words(*beyond, *status_page, lang));
                Notice {
                    title: i18n::t(lang, "notify-network-blocks-title"),
                    body: i18n::tf(
                        lang,
                        "notify-network-blocks-body",
                        &[("how", how.into()), ("beyond", beyond.into())],
                    ),
                    urgency: Urgency::Normal,
                    kind: "network_blocks",
                }
            }
        }
    }
}

fn is_openai_side(c: Cause) -> bool {
    matches!(
        c,
        Cause::Overload
            | Cause::BrokenLink
            | Cause::OriginTls
            | Cause::Maintenance
            | Cause::OriginFailure
    )
}

/// The one thing worth doing, for a notification's few words.
fn tip(c: Cause, lang: Lang) -> String {
    i18n::t(
        lang,
        match c {
            Cause::CloudflareFailure | Cause::CloudflareUnreachable => "notify-tip-wait",
            _ => "notify-tip-phone",
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::Verdict;

    const WALL: i64 = 1_764_000_000_000; // 2025-11-24 16:00 UTC

    #[test]
    fn a_network_s_block_is_told_plainly_and_not_as_an_outage() {
        let t = Transition::NetworkBlocks {
            how: crate::diagnose::BlockHow::FilterPage,
            vendor: Some("Fortinet".into()),
            beyond: Some(Verdict::Up),
            status_page: true,
        };
        let n = Notice::render(&t, Lang::EN, 0);
        assert_eq!(n.title, "This network blocks ChatGPT");
        assert_eq!(
            n.body,
            "The network's web filter answers in ChatGPT's place (Fortinet). OpenAI reports no problem. Use mobile data or the phone app on mobile data to reach it."
        );
        assert_eq!((n.urgency, n.kind), (Urgency::Normal, "network_blocks"));
        let t = Transition::NetworkBlocks {
            how: crate::diagnose::BlockHow::DnsAnswer,
            vendor: None,
            beyond: None,
            status_page: false,
        };
        assert_eq!(
            Notice::render(&t, Lang::EN, 0).body,
            "The network's DNS hides ChatGPT's address. Nothing gets through to show whether ChatGPT itself is up. Use mobile data or the phone app on mobile data to reach it."
        );
    }

    #[test]
    fn down_names_the_cause_and_what_to_do() {
        let t = Transition::Down {
            verdict: Verdict::BadGateway,
            cause: Cause::BrokenLink,
            http_status: Some(521),
            colo: Some("MXP".into()),
            api_alive: Some(true),
            since_wall_ms: WALL,
        };
        let n = Notice::render(&t, Lang::EN, 60);
        assert_eq!(n.title, "ChatGPT is down");
        assert_eq!(n.body, "Cloudflare can't reach OpenAI (521, MXP) — try the phone app. The API still answers. Since 5:00 PM.");
        assert_eq!(n.urgency, Urgency::Critical);
        let n = Notice::render(&t, Lang::from_tag("it").unwrap(), 60);
        assert_eq!(n.title, "ChatGPT non funziona");
        assert_eq!(n.body, "Cloudflare non raggiunge OpenAI (521, MXP) — prova l'app sul telefono. L'API risponde ancora. Dalle 17:00.");
    }

    #[test]
    fn recovered_tells_the_downtime() {
        let t = Transition::Recovered {
            was: Verdict::BadGateway,
            downtime_ms: 47 * 60_000,
            since_wall_ms: WALL,
        };
        let n = Notice::render(&t, Lang::EN, 0);
        assert_eq!(n.title, "ChatGPT is back");
        assert_eq!(n.body, "It was down for 47 min (since 4:00 PM).");
        assert_eq!(n.kind, "recovered");
    }

    #[test]
    fn flapping_and_stable() {
        let n = Notice::render(
            &Transition::Flapping {
                outages: 3,
                window_ms: 3_600_000,
            },
            Lang::EN,
            0,
        );
        assert_eq!(n.title, "ChatGPT is unstable");
        assert!(n.body.starts_with("It went down 3 times within 1 h."));
        let n = Notice::render(
            &Transition::Stable {
                now: Verdict::Up,
                outages: 35,
                downtime_ms: 3 * 3_600_000,
            },
            Lang::EN,
            0,
        );
        assert_eq!(n.body, "Meanwhile: 35 outages, 3 h down in total.");
        let n = Notice::render(
            &Transition::Stable {
                now: Verdict::EdgeError,
                outages: 2,
                downtime_ms: 1,
            },
            Lang::EN,
            0,
        );
        assert_eq!(n.title, "ChatGPT is no longer unstable, but it is down");
        assert!(n.body.starts_with("Meanwhile: 2 outages,"), "{}", n.body);
        let once = Notice::render(
            &Transition::Flapping {
                outages: 1,
                window_ms: 3_600_000,
            },
            Lang::EN,
            0,
        );
        assert!(
            once.body.starts_with("It went down once within 1 h."),
            "{}",
            once.body
        );
    }

    #[test]
    fn cloudflare_failures_suggest_waiting() {
        let t = Transition::StillDown {
            verdict: Verdict::EdgeError,
            cause: Cause::CloudflareFailure,
            downtime_ms: 3_600_000,
        };
        let n = Notice::render(&t, Lang::EN, 0);
        assert_eq!(n.title, "ChatGPT is unreachable for 1 h");
        assert_eq!(
            n.body,
            "Cloudflare itself is failing — wait, or try the phone app."
        );
    }
}
