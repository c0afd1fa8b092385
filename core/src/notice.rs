//! Notifications as text, built purely; delivering them is the shell's job.
//!
//! Like gatus's `buildRequestBody` next to `Send`: the words a transition deserves are decided and
//! tested here, and the notifier (notify-rust in the app and the CLI) only shows them.

use serde::Serialize;

use crate::diagnose::Cause;
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
    /// The words for a transition; `offset_minutes` is the local zone, for "since 14:05".
    pub fn render(t: &Transition, lang: Lang, offset_minutes: i32) -> Notice {
        let since = |ms: i64| text::clock(ms, offset_minutes);
        let lg = |en: &str, it: &str| match lang {
            Lang::En => en.to_string(),
            Lang::It => it.to_string(),
        };
        match t {
            Transition::Down { verdict, cause, http_status, colo, since_wall_ms, api_alive } => {
                let mut body = text::capitalise(text::cause_short(*cause, lang));
                let mut tags: Vec<String> = http_status.iter().map(|s| s.to_string()).collect();
                tags.extend(colo.iter().cloned());
                if !tags.is_empty() {
                    body.push_str(&format!(" ({})", tags.join(", ")));
                }
                body.push_str(&format!(" — {}", tip(*cause, lang)));
                if *api_alive == Some(true) && is_openai_side(*cause) {
                    body.push_str(&lg(" The API still answers.", " L'API risponde ancora."));
                }
                body.push_str(&format!(" {} {}.", lg("Since", "Dalle"), since(*since_wall_ms)));
                Notice { title: text::headline(*verdict, lang).into(), body, urgency: Urgency::Critical, kind: "down" }
            }
            Transition::Recovered { downtime_ms, since_wall_ms, .. } => Notice {
                title: lg("ChatGPT is back", "ChatGPT è tornato"),
                body: format!(
                    "{} {} ({} {}).",
                    lg("It was down for", "Non ha funzionato per"),
                    text::duration(*downtime_ms, lang),
                    lg("since", "dalle"),
                    since(*since_wall_ms)
                ),
                urgency: Urgency::Normal,
                kind: "recovered",
            },
            Transition::CauseChanged { verdict, cause, http_status, since_wall_ms, .. } => {
                let status = http_status.map(|s| format!(" ({s})")).unwrap_or_default();
                Notice {
                    title: format!("{} — {}", text::headline(*verdict, lang), lg("new cause", "nuova causa")),
                    body: format!(
                        "{}{status} — {} {} {}.",
                        text::capitalise(text::cause_short(*cause, lang)),
                        tip(*cause, lang),
                        lg("Down since", "Fermo dalle"),
                        since(*since_wall_ms)
                    ),
                    urgency: Urgency::Normal,
                    kind: "cause",
                }
            }
            Transition::StillDown { verdict, cause, downtime_ms } => Notice {
                title: format!(
                    "{} {} {}",
                    text::headline(*verdict, lang),
                    lg("for", "da"),
                    text::duration(*downtime_ms, lang)
                ),
                body: format!("{} — {}", text::capitalise(text::cause_short(*cause, lang)), tip(*cause, lang)),
                urgency: Urgency::Normal,
                kind: "still_down",
            },
            Transition::Flapping { outages, window_ms } => Notice {
                title: lg("ChatGPT is unstable", "ChatGPT è instabile"),
                body: format!(
                    "{} {outages} {} {}. {}",
                    lg("It went down", "È caduto"),
                    lg("times in the last", "volte nell'ultima/e"),
                    text::duration(*window_ms, lang),
                    lg(
                        "Gatewatch will stay quiet until it settles, then send a summary.",
                        "Gatewatch non ti disturberà finché non si stabilizza, poi ti manderà un riepilogo."
                    )
                ),
                urgency: Urgency::Normal,
                kind: "flapping",
            },
            Transition::Stable { now, outages, downtime_ms } => Notice {
                title: if now.health() == crate::diagnose::Health::Down {
                    lg("ChatGPT has stopped flapping, and is down", "ChatGPT non oscilla più, ed è fermo")
                } else {
                    lg("ChatGPT is stable again", "ChatGPT è di nuovo stabile")
                },
                body: format!(
                    "{} {outages} {}, {} {}.",
                    lg("Meanwhile:", "Nel frattempo:"),
                    lg("outage(s)", "interruzione/i"),
                    text::duration(*downtime_ms, lang),
                    lg("down in total", "di fermo in totale")
                ),
                urgency: Urgency::Normal,
                kind: "stable",
            },
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
fn tip(c: Cause, lang: Lang) -> &'static str {
    match (c, lang) {
        (Cause::CloudflareFailure | Cause::CloudflareUnreachable, Lang::En) => {
            "wait, or try the phone app."
        }
        (Cause::CloudflareFailure | Cause::CloudflareUnreachable, Lang::It) => {
            "aspetta, o prova l'app sul telefono."
        }
        (_, Lang::En) => "try the phone app.",
        (_, Lang::It) => "prova l'app sul telefono.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::Verdict;

    const WALL: i64 = 1_764_000_000_000; // 2025-11-24 16:00 UTC

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
        let n = Notice::render(&t, Lang::En, 60);
        assert_eq!(n.title, "ChatGPT is down");
        assert_eq!(n.body, "Cloudflare can't reach OpenAI (521, MXP) — try the phone app. The API still answers. Since 17:00.");
        assert_eq!(n.urgency, Urgency::Critical);
        let n = Notice::render(&t, Lang::It, 60);
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
        let n = Notice::render(&t, Lang::En, 0);
        assert_eq!(n.title, "ChatGPT is back");
        assert_eq!(n.body, "It was down for 47 min (since 16:00).");
        assert_eq!(n.kind, "recovered");
    }

    #[test]
    fn flapping_and_stable() {
        let n = Notice::render(
            &Transition::Flapping {
                outages: 3,
                window_ms: 3_600_000,
            },
            Lang::En,
            0,
        );
        assert_eq!(n.title, "ChatGPT is unstable");
        assert!(n.body.starts_with("It went down 3 times in the last 1 h."));
        let n = Notice::render(
            &Transition::Stable {
                now: Verdict::Up,
                outages: 35,
                downtime_ms: 3 * 3_600_000,
            },
            Lang::En,
            0,
        );
        assert_eq!(n.body, "Meanwhile: 35 outage(s), 3 h down in total.");
        let n = Notice::render(
            &Transition::Stable {
                now: Verdict::EdgeError,
                outages: 2,
                downtime_ms: 1,
            },
            Lang::En,
            0,
        );
        assert_eq!(n.title, "ChatGPT has stopped flapping, and is down");
    }

    #[test]
    fn cloudflare_failures_suggest_waiting() {
        let t = Transition::StillDown {
            verdict: Verdict::EdgeError,
            cause: Cause::CloudflareFailure,
            downtime_ms: 3_600_000,
        };
        let n = Notice::render(&t, Lang::En, 0);
        assert_eq!(n.title, "ChatGPT is unreachable for 1 h");
        assert_eq!(
            n.body,
            "Cloudflare itself is failing — wait, or try the phone app."
        );
    }
}
