//! The monitor as a transition table, plus whole days under simulated time.

use super::*;
use crate::diagnose::{Advice, BlockHow, EdgeInfo, Layer};
use crate::history::History;

const S: u64 = 1_000;
const MIN: u64 = 60 * S;
const WALL0: i64 = 1_764_000_000_000;

pub(crate) fn diag(verdict: Verdict) -> Diagnosis {
    let cause = match verdict {
        Verdict::Up => Cause::Healthy,
        Verdict::Degraded => Cause::Slow,
        Verdict::BadGateway => Cause::Overload,
        Verdict::OriginError => Cause::OriginFailure,
        Verdict::EdgeError => Cause::CloudflareFailure,
        Verdict::Blocked => Cause::Challenge,
        Verdict::Offline => Cause::YourNetwork,
        Verdict::Unknown => Cause::Inconclusive,
    };
    Diagnosis {
        verdict,
        layer: Layer::Unclear,
        cause,
        http_status: (verdict == Verdict::BadGateway).then_some(502),
        cf_code: None,
        evidence: vec![],
        edge: EdgeInfo {
            colo: Some("FRA".into()),
            loc: None,
        },
        api_alive: Some(true),
        status_page: None,
        advice: vec![Advice::PhoneApp],
        latency_ms: Some(120),
        limited: None,
        app_route: None,
        network_block: None,
    }
}

fn cfg() -> MonitorConfig {
    MonitorConfig {
        jitter_percent: 0,
        ..MonitorConfig::default()
    }
}

/// A monitor driven like the real driver does, with the world given as a function of time.
struct Sim {
    m: Monitor,
    now: Now,
    notices: Vec<(u64, Transition)>,
    changes: Vec<(u64, Verdict)>,
    history: History,
    checks: u32,
}

impl Sim {
    fn new(cfg: MonitorConfig) -> Self {
        let now = Now::new(0, WALL0);
        Sim {
            m: Monitor::new(cfg, now),
            now,
            notices: vec![],
            changes: vec![],
            history: History::default(),
            checks: 0,
        }
    }

    fn at(&self, mono: u64) -> Now {
        Now::new(
            mono,
            WALL0 + mono as i64 + (self.now.wall_ms - WALL0 - self.now.mono_ms as i64),
        )
    }

    fn handle(&mut self, fx: Vec<Effect>) {
        for e in fx {
            match e {
                Effect::Notify(t) => self.notices.push((self.now.mono_ms, t)),
                Effect::Changed(s) => self.changes.push((self.now.mono_ms, s.verdict)),
                Effect::Record(r) => self.history.apply(r),
            }
        }
    }

    /// One check now, with this verdict.
    fn check(&mut self, v: Verdict) -> Vec<Effect> {
        self.checks += 1;
        let fx = self.m.step(Event::Checked(Box::new(diag(v))), self.now);
        self.handle(fx.clone());
        fx
    }

    fn event(&mut self, e: Event) {
        let fx = self.m.step(e, self.now);
        self.handle(fx);
    }

    /// Run checks whenever the monitor asks, until `until` (mono ms).
    fn run(&mut self, until: u64, world: impl Fn(u64) -> Verdict) {
        while let Some(t) = self.m.next_check_at() {
            if t > until {
                break;
            }
            self.now = self.at(t);
            self.check(world(t));
        }
        self.now = self.at(until);
    }

    fn kinds(&self) -> Vec<&'static str> {
        self.notices
            .iter()
            .map(|(_, t)| match t {
                Transition::Down { .. } => "down",
                Transition::Recovered { .. } => "recovered",
                Transition::CauseChanged { .. } => "cause",
                Transition::StillDown { .. } => "still",
                Transition::Flapping { .. } => "flapping",
                Transition::Stable { .. } => "stable",
                Transition::NetworkBlocks { .. } => "network_blocks",
            })
            .collect()
    }
}

fn notified(fx: &[Effect]) -> bool {
    fx.iter().any(|e| matches!(e, Effect::Notify(_)))
}

#[test]
fn thresholds_both_ways() {
    let mut s = Sim::new(cfg());
    s.check(Verdict::Up);
    assert_eq!(
        s.m.status(s.now).verdict,
        Verdict::Up,
        "the first working result shows at once"
    );

    s.now = s.at(60 * S);
    let fx = s.check(Verdict::BadGateway);
    assert!(!notified(&fx), "one bad check never notifies");
    assert_eq!(s.m.status(s.now).verdict, Verdict::Up);
    assert_eq!(s.m.status(s.now).confirming, Some(Verdict::BadGateway));
    assert_eq!(
        s.m.next_check_at(),
        Some(70 * S),
        "a quick second look after a first failure"
    );

    s.now = s.at(70 * S);
    let fx = s.check(Verdict::BadGateway);
    assert!(notified(&fx));
    match &s.notices[0].1 {
        Transition::Down {
            verdict,
            cause,
            http_status,
            colo,
            since_wall_ms,
            ..
        } => {
            assert_eq!(
                (*verdict, *cause, *http_status),
                (Verdict::BadGateway, Cause::Overload, Some(502))
            );
            assert_eq!(colo.as_deref(), Some("FRA"));
            assert_eq!(
                *since_wall_ms,
                WALL0 + 60_000,
                "the outage starts at its first bad check"
            );
        }
        t => panic!("expected down, got {t:?}"),
    }
    assert_eq!(s.m.status(s.now).color, Color::Red);
    assert_eq!(
        s.m.next_check_at(),
        Some(90 * S),
        "faster polling while down"
    );

    s.now = s.at(90 * S);
    assert!(
        !notified(&s.check(Verdict::Up)),
        "one good check never recovers"
    );
    assert_eq!(
        s.m.next_check_at(),
        Some(92 * S),
        "a recovery is confirmed quickly"
    );
    s.now = s.at(92 * S);
    s.check(Verdict::Up);
    match &s.notices[1].1 {
        Transition::Recovered {
            was, downtime_ms, ..
        } => {
            assert_eq!(*was, Verdict::BadGateway);
            assert_eq!(
                *downtime_ms,
                30 * S,
                "from the first bad to the first good check"
            );
        }
        t => panic!("expected recovered, got {t:?}"),
    }
    assert_eq!(s.history.outages.len(), 1);
    assert_eq!(s.history.outages[0].duration_ms, Some(30 * S));
    assert_eq!(
        s.m.next_check_at(),
        Some(152 * S),
        "back to the normal interval"
    );
}

#[test]
fn an_interrupted_streak_starts_over() {
    let mut s = Sim::new(cfg());
    s.check(Verdict::Up);
    for (t, v) in [
        (60, Verdict::BadGateway),
        (70, Verdict::Up),
        (130, Verdict::BadGateway),
        (140, Verdict::Up),
    ] {
        s.now = s.at(t * S);
        s.check(v);
    }
    assert!(s.notices.is_empty());
    assert_eq!(s.history.outages.len(), 0);
}

#[test]
fn a_down_start_waits_for_confirmation() {
    let mut s = Sim::new(cfg());
    let fx = s.check(Verdict::BadGateway);
    assert!(!notified(&fx));
    assert_eq!(s.m.status(s.now).verdict, Verdict::Unknown);
    assert_eq!(s.m.status(s.now).color, Color::Grey);
    s.now = s.at(10 * S);
    s.check(Verdict::BadGateway);
    assert_eq!(s.kinds(), ["down"]);
}

#[test]
fn refusals_and_slowness_are_amber_and_silent() {
    let mut s = Sim::new(cfg());
    s.run(30 * MIN, |t| {
        if t < 10 * MIN {
            Verdict::Up
        } else {
            Verdict::Blocked
        }
    });
    assert_eq!(s.m.status(s.now).color, Color::Amber);
    s.run(60 * MIN, |_| Verdict::Degraded);
    assert_eq!(s.m.status(s.now).verdict, Verdict::Degraded);
    assert!(s.notices.is_empty());
    assert!(s.history.outages.is_empty());
}

#[test]
fn offline_backs_off_keeps_the_outage_and_never_notifies() {
    let mut s = Sim::new(cfg());
    s.run(5 * MIN, |_| Verdict::Up);
    // Down for 10 minutes, then our own network drops for an hour, then ChatGPT is back.
    s.run(15 * MIN, |_| Verdict::BadGateway);
    assert_eq!(s.kinds(), ["down"]);
    let start = s.checks;
    s.run(75 * MIN, |_| Verdict::Offline);
    assert_eq!(s.m.status(s.now).verdict, Verdict::Offline);
    assert_eq!(s.m.status(s.now).color, Color::Grey);
    assert!(
        s.m.status(s.now).outage.is_some(),
        "we cannot see, but the outage is not over"
    );
    let offline_checks = s.checks - start;
    assert!(
        offline_checks <= 20,
        "back-off while offline: {offline_checks} checks in an hour"
    );
    let gap = s.m.next_check_at().unwrap() - s.now.mono_ms;
    assert!(gap <= 5 * MIN);
    s.run(120 * MIN, |_| Verdict::Up);
    assert_eq!(s.kinds(), ["down", "recovered"]);
    assert_eq!(s.history.outages.len(), 1);
}

#[test]
fn a_thirty_minute_outage_in_simulated_time() {
    let mut s = Sim::new(MonitorConfig {
        jitter_percent: 10,
        ..MonitorConfig::default()
    });
    let (from, to) = (2 * 60 * MIN, 2 * 60 * MIN + 30 * MIN);
    s.run(6 * 60 * MIN, |t| {
        if (from..to).contains(&t) {
            Verdict::BadGateway
        } else {
            Verdict::Up
        }
    });
    assert_eq!(s.kinds(), ["down", "recovered"]);
    let (down_at, _) = s.notices[0];
    let (up_at, ref rec) = s.notices[1];
    // Detection: within one interval (+ jitter) plus the re-check.
    assert!(
        down_at - from <= 66 * S + 11 * S,
        "down noticed after {} s",
        (down_at - from) / S
    );
    // Recovery: within one down-interval plus the confirming re-check.
    assert!(
        up_at - to <= 22 * S + 11 * S,
        "recovery noticed after {} s",
        (up_at - to) / S
    );
    let Transition::Recovered { downtime_ms, .. } = rec else {
        panic!()
    };
    let measured = *downtime_ms as i64;
    assert!(
        (measured - 30 * MIN as i64).abs() <= 66 * S as i64,
        "downtime {measured} ms"
    );
    let u = s
        .history
        .uptime(s.now.wall_ms, crate::history::DAY_MS)
        .unwrap();
    assert!(u.ratio > 0.85 && u.ratio < 0.95, "uptime {}", u.ratio);
}

#[test]
fn a_flapping_day_gives_a_short_readable_stream() {
    // 2025-11-18: errors came and went about every five minutes for hours.
    let mut s = Sim::new(MonitorConfig {
        jitter_percent: 10,
        ..MonitorConfig::default()
    });
    let (from, to) = (60 * MIN, 7 * 60 * MIN);
    s.run(24 * 60 * MIN, |t| {
        if (from..to).contains(&t) && ((t - from) / (5 * MIN)) % 2 == 0 {
            Verdict::EdgeError
        } else {
            Verdict::Up
        }
    });
    let kinds = s.kinds();
    assert_eq!(
        kinds,
        [
            "down",
            "recovered",
            "down",
            "recovered",
            "flapping",
            "stable"
        ],
        "{:#?}",
        s.notices
    );
    let outages = s.history.outages.len();
    assert!(
        (30..=40).contains(&outages),
        "every outage is still recorded: {outages}"
    );
    let Some((
        at,
        Transition::Stable {
            now,
            outages: during,
            downtime_ms,
        },
    )) = s.notices.last()
    else {
        panic!()
    };
    assert_eq!(*now, Verdict::Up);
    let last_end = (s.history.outages.back().unwrap().end_ms.unwrap() - WALL0) as u64;
    assert!(last_end > to - 6 * MIN && last_end <= to);
    assert!(
        *at >= last_end + 30 * MIN && *at <= last_end + 32 * MIN,
        "stable reported 30 min after the last flip"
    );
    assert!(*during as usize >= outages - 3);
    assert!(*downtime_ms > 60 * MIN && *downtime_ms < 4 * 60 * MIN);
    assert!(
        s.checks < 24 * 60 + 700,
        "bounded polling: {} checks",
        s.checks
    );
}

#[test]
fn long_outage_reminds_at_most_hourly() {
    let mut s = Sim::new(cfg());
    s.run(4 * 60 * MIN + 30 * MIN, |t| {
        if t >= 10 * MIN {
            Verdict::BadGateway
        } else {
            Verdict::Up
        }
    });
    assert_eq!(s.kinds(), ["down", "still", "still", "still", "still"]);
    let Transition::StillDown { downtime_ms, .. } = s.notices[1].1 else {
        panic!()
    };
    assert!((60 * MIN..62 * MIN).contains(&downtime_ms));

    let mut s = Sim::new(MonitorConfig {
        reminder_ms: None,
        ..cfg()
    });
    s.run(4 * 60 * MIN, |t| {
        if t >= 10 * MIN {
            Verdict::BadGateway
        } else {
            Verdict::Up
        }
    });
    assert_eq!(s.kinds(), ["down"]);
}

#[test]
fn a_change_of_cause_is_told_once_it_holds() {
    let mut s = Sim::new(MonitorConfig {
        reminder_ms: None,
        ..cfg()
    });
    s.run(10 * MIN, |t| {
        if t >= 2 * MIN {
            Verdict::BadGateway
        } else {
            Verdict::Up
        }
    });
    // A single different check does not count.
    s.run(10 * MIN + 20 * S, |_| Verdict::OriginError);
    s.run(20 * MIN, |_| Verdict::BadGateway);
    assert_eq!(s.kinds(), ["down"]);
    s.run(30 * MIN, |_| Verdict::OriginError);
    assert_eq!(s.kinds(), ["down", "cause"]);
    let Transition::CauseChanged { from, verdict, .. } = s.notices[1].1 else {
        panic!()
    };
    assert_eq!((from, verdict), (Verdict::BadGateway, Verdict::OriginError));
    assert_eq!(s.history.outages[0].verdict, Verdict::OriginError);
    assert_eq!(
        s.history.outages.len(),
        1,
        "a new cause is not a new outage"
    );
}

#[test]
fn snooze_for_a_while() {
    let mut s = Sim::new(cfg());
    s.run(MIN, |_| Verdict::Up);
    s.event(Event::Snooze(Snooze::For { ms: 60 * MIN }));
    assert!(matches!(
        s.m.status(s.now).snooze,
        Some(SnoozeView::Until { .. })
    ));
    s.run(30 * MIN, |t| {
        if t >= 10 * MIN {
            Verdict::BadGateway
        } else {
            Verdict::Up
        }
    });
    s.run(40 * MIN, |_| Verdict::Up);
    assert!(s.notices.is_empty(), "snoozed: {:?}", s.kinds());
    assert_eq!(
        s.history.outages.len(),
        1,
        "snoozing silences, it does not forget"
    );
    s.run(90 * MIN, |t| {
        if t >= 70 * MIN {
            Verdict::OriginError
        } else {
            Verdict::Up
        }
    });
    assert_eq!(s.kinds(), ["down"], "the snooze expired");
    assert_eq!(s.m.status(s.now).snooze, None);
}

#[test]
fn snooze_until_recovered() {
    let mut s = Sim::new(cfg());
    s.run(10 * MIN, |t| {
        if t >= 2 * MIN {
            Verdict::BadGateway
        } else {
            Verdict::Up
        }
    });
    assert_eq!(s.kinds(), ["down"]);
    s.event(Event::Snooze(Snooze::UntilRecovered));
    s.run(3 * 60 * MIN, |t| {
        if t >= 2 * 60 * MIN {
            Verdict::Up
        } else {
            Verdict::OriginError
        }
    });
    assert_eq!(
        s.kinds(),
        ["down", "recovered"],
        "no reminders or cause changes, but the recovery"
    );
    assert_eq!(s.m.status(s.now).snooze, None);
    s.run(4 * 60 * MIN, |t| {
        if t >= 3 * 60 * MIN + 10 * MIN {
            Verdict::BadGateway
        } else {
            Verdict::Up
        }
    });
    assert_eq!(s.kinds(), ["down", "recovered", "down"]);
    s.event(Event::Unsnooze);
}

#[test]
fn notifications_off_still_records() {
    let mut s = Sim::new(MonitorConfig {
        notifications: false,
        ..cfg()
    });
    s.run(60 * MIN, |t| {
        if (10 * MIN..20 * MIN).contains(&t) {
            Verdict::BadGateway
        } else {
            Verdict::Up
        }
    });
    assert!(s.notices.is_empty());
    assert_eq!(s.history.outages.len(), 1);
    assert!(s.changes.contains(&(s.changes[1].0, Verdict::BadGateway)));
}

#[test]
fn clock_jumps_do_not_invent_downtime() {
    let mut s = Sim::new(cfg());
    s.run(10 * MIN, |t| {
        if t >= 5 * MIN {
            Verdict::BadGateway
        } else {
            Verdict::Up
        }
    });
    // Someone sets the wall clock two hours ahead, mid-outage.
    s.now.wall_ms += 2 * 3_600_000;
    s.run(20 * MIN, |t| {
        if t >= 15 * MIN {
            Verdict::Up
        } else {
            Verdict::BadGateway
        }
    });
    let Some((_, Transition::Recovered { downtime_ms, .. })) = s.notices.last() else {
        panic!("{:?}", s.kinds())
    };
    assert!(
        (*downtime_ms as i64 - 10 * MIN as i64).abs() <= 30 * S as i64,
        "downtime {downtime_ms}"
    );
    // And back by three hours: still no negative durations in history.
    s.now.wall_ms -= 3 * 3_600_000;
    s.run(40 * MIN, |t| {
        if (25 * MIN..30 * MIN).contains(&t) {
            Verdict::BadGateway
        } else {
            Verdict::Up
        }
    });
    for o in &s.history.outages {
        assert!(o.end_ms.unwrap() >= o.start_ms);
    }
}

#[test]
fn wake_rechecks_now_and_forgets_old_streaks() {
    let mut s = Sim::new(cfg());
    s.run(5 * MIN, |_| Verdict::Up);
    s.now = s.at(5 * MIN + S);
    s.check(Verdict::BadGateway);
    s.event(Event::Wake);
    assert_eq!(s.m.next_check_at(), Some(s.now.mono_ms));
    s.check(Verdict::BadGateway);
    assert!(
        s.notices.is_empty(),
        "a bad check before sleep and one after are not two in a row"
    );
}

#[test]
fn paused_is_grey_and_schedules_nothing() {
    let mut s = Sim::new(cfg());
    s.run(MIN, |_| Verdict::Up);
    s.event(Event::Pause);
    assert_eq!(s.m.next_check_at(), None);
    assert_eq!(s.m.status(s.now).color, Color::Grey);
    assert!(s.m.status(s.now).paused);
    s.event(Event::Resume);
    assert_eq!(s.m.next_check_at(), Some(s.now.mono_ms));
}

#[test]
fn jitter_stays_within_bounds() {
    let mut s = Sim::new(MonitorConfig {
        jitter_percent: 10,
        ..MonitorConfig::default()
    });
    let mut gaps = std::collections::HashSet::new();
    s.run(6 * 60 * MIN, |_| Verdict::Up);
    for w in s.history.samples.iter().collect::<Vec<_>>().windows(2) {
        let gap = (w[1].at_ms - w[0].at_ms) as u64;
        assert!((54 * S..=66 * S).contains(&gap), "gap {gap}");
        gaps.insert(gap);
    }
    assert!(gaps.len() > 10, "the polls are actually spread");
}

#[test]
fn a_green_status_page_lags_only_after_the_grace_period() {
    use crate::diagnose::StatusPageView;
    use crate::statuspage::Indicator;
    let green = |v: Verdict, affected: bool| {
        let mut d = diag(v);
        d.status_page = Some(StatusPageView {
            indicator: if affected {
                Indicator::Major
            } else {
                Indicator::None
            },
            description: None,
            chatgpt_affected: affected,
            maintenance: false,
            incidents: vec![],
            fetched_at_ms: WALL0,
            chatgpt_worst: Default::default(),
            chatgpt_core: false,
            phone_apps: None,
        });
        d
    };
    let mut s = Sim::new(cfg());
    let mut lagging_from = None;
    while let Some(t) = s.m.next_check_at() {
        if t > 20 * MIN {
            break;
        }
        s.now = s.at(t);
        let fx = s.m.step(
            Event::Checked(Box::new(green(Verdict::BadGateway, false))),
            s.now,
        );
        s.handle(fx);
        let st = s.m.status(s.now);
        let down_ms = st.outage.as_ref().map_or(0, |o| o.downtime_ms);
        if st.status_page_lagging && lagging_from.is_none() {
            lagging_from = Some(down_ms);
        }
        if down_ms < STATUS_PAGE_GRACE_MS {
            assert!(!st.status_page_lagging, "lagging too early at {t} ms");
        }
    }
    let from = lagging_from.expect("a 20-minute outage with a green page is lagging");
    assert!(
        from < STATUS_PAGE_GRACE_MS + MIN,
        "lagging only from {from} ms"
    );
    // Once the page admits it, it no longer lags.
    s.now = s.at(s.m.next_check_at().unwrap());
    let fx = s.m.step(
        Event::Checked(Box::new(green(Verdict::BadGateway, true))),
        s.now,
    );
    s.handle(fx);
    assert!(!s.m.status(s.now).status_page_lagging);
}

/// One check as the driver runs it: the monitor says which doors to ask, the prober widens a
/// chatgpt.com-only check to every door when the answer needs them, and the monitor hears which
/// were asked. Returns what was asked.
fn check_with_doors(s: &mut Sim, d: Diagnosis) -> Asked {
    let planned = s.m.doors(s.now);
    let asked = if needs_other_doors(&d) {
        Asked::AllDoors
    } else {
        planned
    };
    s.m.doors_asked(asked, s.now);
    s.checks += 1;
    let fx = s.m.step(Event::Checked(Box::new(d)), s.now);
    s.handle(fx);
    asked
}

#[test]
fn a_healthy_day_asks_chatgpt_alone_and_every_door_each_ten_minutes() {
    let mut s = Sim::new(cfg());
    assert_eq!(
        s.m.doors(s.now),
        Asked::AllDoors,
        "the first check asks them all"
    );
    let mut all = 0;
    let mut alone = 0;
    while s.now.mono_ms < 24 * 60 * MIN {
        match check_with_doors(&mut s, diag(Verdict::Up)) {
            Asked::AllDoors => all += 1,
            Asked::ChatgptOnly => alone += 1,
        }
        let next = s.m.next_check_at().unwrap();
        s.now = s.at(next);
    }
    assert_eq!(all + alone, 24 * 60, "one check a minute");
    // The first, then one every ten minutes.
    assert_eq!(
        all,
        24 * 6,
        "every door every ten minutes: {all} of {}",
        all + alone
    );
}

#[test]
fn any_answer_but_up_makes_every_check_ask_every_door_until_up_holds_again() {
    let mut s = Sim::new(cfg());
    check_with_doors(&mut s, diag(Verdict::Up));
    s.now = s.at(MIN);
    assert_eq!(s.m.doors(s.now), Asked::ChatgptOnly);
    // A 502: the prober widened that check; the next ones ask every door from the start.
    assert_eq!(
        check_with_doors(&mut s, diag(Verdict::BadGateway)),
        Asked::AllDoors
    );
    for t in [2, 3, 4] {
        s.now = s.at(t * MIN);
        assert_eq!(s.m.doors(s.now), Asked::AllDoors, "down, minute {t}");
        check_with_doors(&mut s, diag(Verdict::BadGateway));
    }
    assert_eq!(s.m.status(s.now).verdict, Verdict::BadGateway);
    // The first good answer is being confirmed: still every door.
    s.now = s.at(5 * MIN);
    check_with_doors(&mut s, diag(Verdict::Up));
    assert_eq!(s.m.status(s.now).verdict, Verdict::BadGateway, "confirming");
    assert_eq!(s.m.doors(s.now), Asked::AllDoors, "while confirming");
    s.now = s.at(5 * MIN + 2 * S);
    check_with_doors(&mut s, diag(Verdict::Up));
    assert_eq!(s.m.status(s.now).verdict, Verdict::Up, "recovered");
    s.now = s.at(6 * MIN);
    assert_eq!(s.m.doors(s.now), Asked::ChatgptOnly, "healthy again");
    // Degraded (slow) is not healthy either.
    check_with_doors(&mut s, diag(Verdict::Degraded));
    s.now = s.at(7 * MIN);
    assert_eq!(s.m.doors(s.now), Asked::AllDoors);
}

#[test]
fn a_limited_view_asks_every_door_at_every_check() {
    let mut s = Sim::new(cfg());
    let limited = Diagnosis {
        limited: Some(crate::diagnose::Blind::Challenge),
        ..diag(Verdict::Up)
    };
    for t in 0..5 {
        s.now = s.at(t * MIN);
        assert_eq!(s.m.doors(s.now), Asked::AllDoors, "minute {t}");
        assert_eq!(check_with_doors(&mut s, limited.clone()), Asked::AllDoors);
    }
    assert_eq!(s.m.status(s.now).verdict, Verdict::Up);
}

#[test]
fn after_a_wake_or_a_resume_every_door_is_asked() {
    let mut s = Sim::new(cfg());
    check_with_doors(&mut s, diag(Verdict::Up));
    s.now = s.at(MIN);
    assert_eq!(s.m.doors(s.now), Asked::ChatgptOnly);
    s.event(Event::Wake);
    assert_eq!(s.m.doors(s.now), Asked::AllDoors, "after a wake");
    check_with_doors(&mut s, diag(Verdict::Up));
    s.now = s.at(2 * MIN);
    assert_eq!(s.m.doors(s.now), Asked::ChatgptOnly);
    s.event(Event::Pause);
    s.event(Event::Resume);
    assert_eq!(s.m.doors(s.now), Asked::AllDoors, "after a resume");
}

#[test]
fn retry_after_delays_the_next_check_within_bounds() {
    let with_retry = |secs| Diagnosis {
        cause: Cause::RateLimited,
        evidence: vec![Evidence::RetryAfter { secs }],
        ..diag(Verdict::Blocked)
    };
    let mut s = Sim::new(cfg());
    s.check(Verdict::Up);
    s.now = s.at(MIN);
    // A first 429 asking for 90 s: not the 10 s re-check, 90 s.
    s.check(Verdict::Up);
    let fx = s.m.step(Event::Checked(Box::new(with_retry(90))), s.now);
    s.handle(fx);
    assert_eq!(s.m.next_check_at(), Some(s.now.mono_ms + 90 * S));
    // A short one never makes it check sooner than it would.
    let fx = s.m.step(Event::Checked(Box::new(with_retry(1))), s.now);
    s.handle(fx);
    let next = s.m.next_check_at().unwrap() - s.now.mono_ms;
    assert!(next >= 10 * S, "{next}");
    // A day-long one is bounded.
    let fx =
        s.m.step(Event::Checked(Box::new(with_retry(86_400))), s.now);
    s.handle(fx);
    assert_eq!(
        s.m.next_check_at(),
        Some(s.now.mono_ms + RETRY_AFTER_MAX_MS)
    );
    // Without it, the usual schedule again (here: the re-check confirming the way back to up).
    s.check(Verdict::Up);
    assert_eq!(s.m.next_check_at(), Some(s.now.mono_ms + 10 * S));
}

fn blocked_by_network() -> Diagnosis {
    Diagnosis {
        cause: Cause::NetworkBlocks,
        limited: Some(crate::diagnose::Blind::Network),
        network_block: Some(crate::diagnose::NetworkBlock {
            how: BlockHow::FilterPage,
            vendor: Some("Fortinet".into()),
            detail: Some("403".into()),
            target: crate::model::Target::Origin,
            beyond: Some(Verdict::Up),
        }),
        ..diag(Verdict::Blocked)
    }
}

impl Sim {
    /// Run checks whenever the monitor asks, until `until`, with this diagnosis each time.
    fn run_with(&mut self, until: u64, world: impl Fn(u64) -> Diagnosis) {
        while let Some(t) = self.m.next_check_at() {
            if t > until {
                break;
            }
            self.now = self.at(t);
            self.checks += 1;
            let fx = self.m.step(Event::Checked(Box::new(world(t))), self.now);
            self.handle(fx);
        }
        self.now = self.at(until);
    }
}

#[test]
fn a_network_that_blocks_is_told_once_and_is_never_down_or_back() {
    let mut s = Sim::new(cfg());
    s.run(5 * MIN, |_| Verdict::Up);
    // The office: its filter blocks ChatGPT all day (a flaky Wi-Fi check in the middle).
    s.run_with(8 * 60 * MIN, |t| {
        if (60 * MIN..61 * MIN).contains(&t) {
            diag(Verdict::Offline)
        } else {
            blocked_by_network()
        }
    });
    assert_eq!(s.kinds(), ["network_blocks"], "told once, when found");
    // While it lasts, it is looked at as seldom as an offline network: backing off to every 5
    // minutes, not every minute (the day took ~100 checks, not ~475).
    assert!(s.checks < 150, "{} checks in 8 hours of a block", s.checks);
    let status = s.m.status(s.now);
    assert_eq!(
        (status.verdict, status.color),
        (Verdict::Blocked, Color::Amber)
    );
    assert!(status.outage.is_none());
    assert!(
        s.history.outages.is_empty(),
        "a block is never ChatGPT's downtime"
    );
    let u = s
        .history
        .uptime(s.now.wall_ms, crate::history::DAY_MS)
        .unwrap();
    assert_eq!(u.down_ms, 0);
    assert!(
        s.history
            .network_blocked(s.now.wall_ms, crate::history::DAY_MS)
            > 7 * 60 * MIN as i64
    );
    // The first notice waited for the block to be confirmed (two checks), like an outage.
    let (at, _) = &s.notices[0];
    assert!(*at > 5 * MIN, "{at}");
    // Home again (no network event seen): green, and no "back" notice.
    s.run(9 * 60 * MIN, |_| Verdict::Up);
    assert_eq!(s.kinds(), ["network_blocks"]);
    assert_eq!(s.m.status(s.now).verdict, Verdict::Up);
    // Back at the office the next day: found again, told again.
    s.run_with(10 * 60 * MIN, |_| blocked_by_network());
    assert_eq!(s.kinds(), ["network_blocks", "network_blocks"]);
}

#[test]
fn a_new_network_is_a_new_start_without_a_false_recovery() {
    let mut s = Sim::new(cfg());
    s.run(30 * MIN, |t| {
        if t >= 10 * MIN {
            Verdict::BadGateway
        } else {
            Verdict::Up
        }
    });
    assert_eq!(s.kinds(), ["down"]);
    // Off to the office: another network, which blocks ChatGPT.
    s.now = s.at(30 * MIN + 5 * S);
    s.event(Event::NetworkChanged);
    assert_eq!(
        s.m.next_check_at(),
        Some(s.now.mono_ms),
        "a full check at once"
    );
    assert_eq!(s.m.doors(s.now), Asked::AllDoors);
    let o = s.history.outages.back().unwrap();
    assert!(o.end_unknown, "the outage's end was not seen: {o:?}");
    assert!(o.end_ms.unwrap() <= s.at(30 * MIN).wall_ms);
    assert!(s.m.status(s.now).outage.is_none());
    s.run_with(9 * 60 * MIN, |_| blocked_by_network());
    assert_eq!(s.kinds(), ["down", "network_blocks"], "no false recovery");
    // Home again, ChatGPT up: a new start, and nothing to say.
    s.event(Event::NetworkChanged);
    s.run(10 * 60 * MIN, |_| Verdict::Up);
    assert_eq!(s.kinds(), ["down", "network_blocks"]);
    assert_eq!(s.m.status(s.now).verdict, Verdict::Up);
    // A real outage on the new network is told as ever.
    s.run(11 * 60 * MIN, |t| {
        if t >= 10 * 60 * MIN + 5 * MIN {
            Verdict::BadGateway
        } else {
            Verdict::Up
        }
    });
    assert_eq!(s.kinds(), ["down", "network_blocks", "down"]);
}

#[test]
fn waking_up_is_a_new_start_too() {
    let mut s = Sim::new(cfg());
    s.run(20 * MIN, |t| {
        if t >= 5 * MIN {
            Verdict::BadGateway
        } else {
            Verdict::Up
        }
    });
    assert_eq!(s.kinds(), ["down"]);
    // Asleep for four hours; on waking ChatGPT is up: the end was not seen, so no "back
    // after 4 h".
    s.now = Now::new(s.now.mono_ms + S, s.now.wall_ms + 4 * 3_600_000);
    s.event(Event::Wake);
    s.run(30 * MIN, |_| Verdict::Up);
    assert_eq!(s.kinds(), ["down"]);
    assert!(s.history.outages[0].end_unknown);
    assert_eq!(s.m.status(s.now).verdict, Verdict::Up);
}
