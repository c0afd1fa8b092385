//! Channels as settings, alerts composed from the monitor's own decisions, what each service
//! is sent, and the outbox under simulated time.

use serde_json::json;

use super::outbox::{ChannelState, Failure, Outbox, BACKOFF_MS, LANE_CAP, MAX_AGE_MS};
use super::payload::{request, Answer};
use super::*;
use crate::diagnose::Advice;
use crate::model::NetErrorKind;
use crate::monitor::tests::diag;
use crate::monitor::{Effect, Event, Monitor, MonitorConfig, Now};

const WALL0: i64 = 1_764_000_000_000;
const SLACK: &str = "https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX";

fn spec(kind: ChannelKind, url: &str) -> ChannelSpec {
    ChannelSpec {
        kind,
        url: url.into(),
        token: None,
        notices: NoticeKind::CHOSEN.to_vec(),
    }
}

fn read(v: serde_json::Value) -> (Vec<ChannelSpec>, Vec<(String, String)>) {
    let mut w = Vec::new();
    let c = read_channels(Some(&v), |k, m| w.push((k, m)));
    (c, w)
}

#[test]
fn channels_are_read_forgivingly_and_each_bad_one_is_named() {
    let (c, w) = read(json!([
        {"kind": "slack", "url": SLACK},
        {"kind": "ntfy", "url": "https://ntfy.sh/gatewatch-team", "token": "tk_abc", "notices": ["recovered", "down", "down"]},
        {"kind": "Discord", "url": "http://127.0.0.1:9/api/webhooks/1/x"},
        {"kind": "webhook", "url": "http://hooks.example.com/x"},
        {"kind": "slack", "url": "https://user:pw@hooks.slack.com/services/x"},
        {"kind": "ntfy", "url": "https://ntfy.sh/"},
        {"kind": "teams", "url": "https://example.webhook.office.com/x", "token": "t"},
        {"kind": "pager", "url": "https://example.com/"},
        {"kind": "slack", "url": SLACK, "notices": ["sometimes"]},
        "https://hooks.slack.com/services/x"
    ]));
    assert_eq!(c.len(), 3, "{c:?}");
    assert_eq!(c[0].notices, NoticeKind::CHOSEN.to_vec(), "all by default");
    assert_eq!(c[1].notices, [NoticeKind::Down, NoticeKind::Recovered]);
    assert_eq!(c[1].token.as_deref(), Some("tk_abc"));
    assert_eq!(c[2].kind, ChannelKind::Discord);
    let keys: Vec<&str> = w.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        [
            "channels[3]",
            "channels[4]",
            "channels[5]",
            "channels[6]",
            "channels[7]",
            "channels[8]",
            "channels[9]"
        ]
    );
    assert!(w[0].1.contains("https"), "{w:?}");
    assert!(w[1].1.contains("user name"), "{w:?}");
    assert!(w[2].1.contains("topic"), "{w:?}");
    // No warning repeats a URL: they are credentials.
    assert!(
        w.iter()
            .all(|(_, m)| !m.contains("XXXX") && !m.contains("pw@")),
        "{w:?}"
    );

    let too_many = json!((0..12)
        .map(|i| json!({"kind": "ntfy", "url": format!("https://ntfy.sh/t{i}")}))
        .collect::<Vec<_>>());
    let (c, w) = read(too_many);
    assert_eq!(c.len(), MAX_CHANNELS);
    assert_eq!(w.len(), 1);
    let (c, w) = read(json!("slack"));
    assert!(c.is_empty());
    assert_eq!(w[0].0, "channels");
}

#[test]
fn a_channel_never_shows_its_secret() {
    let mut s = spec(
        ChannelKind::Ntfy,
        "https://ntfy.example.org/private-topic-123?x=1",
    );
    s.token = Some("tk_SECRET".into());
    let shown = format!("{s:?} {} {}", s.masked(), s.name());
    assert!(
        !shown.contains("private-topic") && !shown.contains("tk_SECRET"),
        "{shown}"
    );
    assert_eq!(s.masked(), "https://ntfy.example.org/…");
    assert_eq!(s.name(), "ntfy (ntfy.example.org)");
    assert_eq!(
        mask_url("http://127.0.0.1:8080/hook"),
        "http://127.0.0.1:8080/…"
    );
    assert_eq!(mask_url("not a url"), "(not a URL)");
}

/// A monitor run to a real Down notice, with the status after it.
fn down_alert(lang: Lang) -> (Alert, Status) {
    let mut m = Monitor::new(
        MonitorConfig {
            jitter_percent: 0,
            ..MonitorConfig::default()
        },
        Now::new(0, WALL0),
    );
    let mut d = diag(Verdict::BadGateway);
    d.advice = vec![Advice::Wait, Advice::PhoneAppAnswers];
    let mut t = 0;
    for i in 0..4u64 {
        let now = Now::new(i * 20_000, WALL0 + (i * 20_000) as i64);
        for e in m.step(Event::Checked(Box::new(d.clone())), now) {
            if let Effect::Notify(tr) = e {
                let status = m.status(now);
                t += 1;
                return (
                    Alert::compose(&tr, &status, lang, 60, now.wall_ms, t),
                    status,
                );
            }
        }
    }
    panic!("no down notice");
}

#[test]
fn an_alert_says_what_the_desktop_says_and_more() {
    let (a, status) = down_alert(Lang::EN);
    assert_eq!(a.notice, NoticeKind::Down);
    assert_eq!(a.severity, Severity::Down);
    assert_eq!(a.verdict, Verdict::BadGateway);
    assert!(a.title.contains("down"), "{}", a.title);
    // The cause in words, since when (a clock: the label says "Since"), the phone app first.
    assert!(a.cause.as_deref().unwrap().contains("OpenAI"), "{a:?}");
    let since = a.since.as_deref().unwrap();
    assert!(since.ends_with("AM") || since.ends_with("PM"), "{since}");
    assert_eq!(
        a.advice.as_deref(),
        Some(text::advice(Advice::PhoneAppAnswers, Lang::EN).as_str())
    );
    assert_eq!(a.line["verdict"], "bad_gateway");
    assert_eq!(a.sentence(), format!("{}: {}", a.title, a.body));
    assert_eq!(a.late_note(a.at_wall_ms + 60_000), None);
    let late = a.late_note(a.at_wall_ms + 10 * 60_000).unwrap();
    assert!(late.starts_with("Sent late"), "{late}");

    let de = down_alert(Lang::from_tag("de").unwrap()).0;
    assert_ne!(de.title, a.title);
    assert!(de.sentence().contains(&de.body));

    let test = Alert::test(Some(&status), Lang::EN, 0, WALL0, 9);
    assert_eq!(test.notice, NoticeKind::Test);
    assert!(test.body.contains("Right now"), "{}", test.body);
    assert!(Alert::test(None, Lang::EN, 0, WALL0, 9)
        .body
        .ends_with("ChatGPT."));
}

#[test]
fn every_service_gets_its_own_shape() {
    let (a, _) = down_alert(Lang::EN);
    let sent = a.at_wall_ms + 1_000;
    let body =
        |k| serde_json::from_str::<serde_json::Value>(&request(k, &a, sent, None).body).unwrap();

    let slack = body(ChannelKind::Slack);
    assert!(slack["text"].as_str().unwrap().contains(&a.title));
    assert_eq!(slack["blocks"][0]["type"], "header");

    let discord = body(ChannelKind::Discord);
    assert!(discord["embeds"][0]["title"]
        .as_str()
        .unwrap()
        .contains("down"));
    assert_eq!(discord["allowed_mentions"]["parse"], json!([]));

    let teams = body(ChannelKind::Teams);
    assert_eq!(teams["type"], "message");
    let card = &teams["attachments"][0];
    assert_eq!(
        card["contentType"],
        "application/vnd.microsoft.card.adaptive"
    );
    assert_eq!(card["content"]["type"], "AdaptiveCard");

    let hook = body(ChannelKind::Webhook);
    assert_eq!(hook["verdict"], "bad_gateway");
    assert_eq!(hook["notice"], "down");
    assert_eq!(hook["id"], a.id);
    assert_eq!(hook["late"], false);

    let mut s = spec(ChannelKind::Ntfy, "https://ntfy.sh/t");
    s.token = Some("tk".into());
    let ntfy = request(ChannelKind::Ntfy, &a, sent, s.token.as_deref());
    let h = |name: &str| {
        ntfy.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    assert_eq!(h("authorization").as_deref(), Some("Bearer tk"));
    assert!(h("title").unwrap().contains("down"));
    assert_eq!(h("priority").as_deref(), Some("4"));
    assert!(ntfy.body.contains(&a.body));
    // Slack, Discord and Teams carry their secret in the URL: a token never goes to them.
    assert!(request(ChannelKind::Slack, &a, sent, Some("tk"))
        .headers
        .iter()
        .all(|(k, _)| *k != "authorization"));
}

#[test]
fn the_failing_line_names_the_channel_not_its_url() {
    let specs = vec![
        spec(ChannelKind::Teams, "https://x.webhook.office.com/a"),
        spec(ChannelKind::Slack, SLACK),
    ];
    let mut o = Outbox::new(specs.clone());
    assert_eq!(failing_line(&specs, &o.views(), Lang::EN), None);
    o.push(down_alert(Lang::EN).0);
    let now = Now::new(0, WALL0);
    let (jobs, _) = o.due(now);
    for j in &jobs {
        let outcome = if j.spec.kind == ChannelKind::Slack {
            Ok(Answer::Refused { status: 404 })
        } else {
            Ok(Answer::Delivered)
        };
        o.done(j, outcome, now);
    }
    let line = failing_line(&specs, &o.views(), Lang::EN).unwrap();
    assert_eq!(
        line,
        "Notices to Slack (hooks.slack.com) fail: it answered with error 404"
    );
    let views = channel_views(&specs, &o.views(), &[None, None], Lang::EN);
    assert!(matches!(views[0].lane.state, ChannelState::Working { .. }));
    assert!(views[1].failing.is_some());
    assert!(!serde_json::to_string(&views).unwrap().contains("XXXX"));
}

// ---- the outbox, under simulated time ----------------------------------------------------

fn at(mono: u64) -> Now {
    Now::new(mono, WALL0 + mono as i64)
}

fn alert_at(wall: i64, notice: NoticeKind) -> Alert {
    let mut a = down_alert(Lang::EN).0;
    a.at_wall_ms = wall;
    a.notice = notice;
    a.id = format!("{wall}-{}", notice.as_str());
    a
}

#[test]
fn a_lane_sends_in_order_one_at_a_time_and_nothing_twice() {
    let mut o = Outbox::new(vec![spec(ChannelKind::Slack, SLACK)]);
    o.push(alert_at(WALL0, NoticeKind::Down));
    o.push(alert_at(WALL0 + 1, NoticeKind::Recovered));
    let (jobs, _) = o.due(at(0));
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].alert.notice, NoticeKind::Down);
    // While it is on its way, nothing else goes on that lane.
    assert!(o.due(at(1)).0.is_empty());
    o.done(&jobs[0], Ok(Answer::Delivered), at(2));
    let (jobs, _) = o.due(at(3));
    assert_eq!(jobs[0].alert.notice, NoticeKind::Recovered);
    o.done(&jobs[0], Ok(Answer::Delivered), at(4));
    assert!(o.due(at(5)).0.is_empty());
    assert!(o.is_idle());
}

#[test]
fn later_answers_back_off_and_honour_retry_after_without_a_failing_storm() {
    let mut o = Outbox::new(vec![spec(
        ChannelKind::Discord,
        "https://discord.com/api/webhooks/1/x",
    )]);
    o.push(alert_at(WALL0, NoticeKind::Down));
    let mut logs = Vec::new();
    let mut now = 0;
    // 500s: 2 s, 4 s, 8 s … between tries; "failing" said once.
    for (i, wait) in BACKOFF_MS.iter().take(4).enumerate() {
        let (jobs, _) = o.due(at(now));
        assert_eq!(jobs.len(), 1, "try {i}");
        logs.extend(o.done(
            &jobs[0],
            Ok(Answer::Later {
                status: 500,
                after_ms: None,
            }),
            at(now),
        ));
        assert!(o.due(at(now + wait - 1)).0.is_empty());
        assert_eq!(o.next_wake(), Some(now + wait));
        now += wait;
    }
    assert_eq!(
        logs.iter().filter(|l| l.contains("failing")).count(),
        1,
        "{logs:?}"
    );
    assert!(
        logs.iter().all(|l| !l.contains("/api/webhooks")),
        "{logs:?}"
    );
    // A 429 waits exactly as long as asked, and is no failure of the channel.
    let mut o = Outbox::new(vec![spec(
        ChannelKind::Discord,
        "https://discord.com/api/webhooks/1/x",
    )]);
    o.push(alert_at(WALL0, NoticeKind::Down));
    let (jobs, _) = o.due(at(0));
    for _ in 0..3 {
        o.done(
            &jobs[0],
            Ok(Answer::Later {
                status: 429,
                after_ms: Some(1_500),
            }),
            at(0),
        );
    }
    assert_eq!(o.next_wake(), Some(1_500));
    assert_eq!(o.views()[0].state, ChannelState::Untried);
}

#[test]
fn offline_holds_everything_and_back_online_sends_at_once() {
    let mut o = Outbox::new(vec![spec(ChannelKind::Ntfy, "https://ntfy.sh/t")]);
    o.set_online(false);
    o.push(alert_at(WALL0, NoticeKind::Down));
    assert!(o.due(at(0)).0.is_empty());
    assert_eq!(o.next_wake(), None);
    o.set_online(true);
    let (jobs, _) = o.due(at(60_000));
    assert_eq!(jobs.len(), 1);
    // It goes marked late.
    let req = request(ChannelKind::Ntfy, &jobs[0].alert, WALL0 + 10 * 60_000, None);
    assert!(req.body.contains("Sent late"), "{}", req.body);
}

#[test]
fn hours_old_news_is_dropped_with_a_line_and_a_full_lane_drops_its_oldest() {
    let mut o = Outbox::new(vec![spec(ChannelKind::Slack, SLACK)]);
    o.set_online(false);
    o.push(alert_at(WALL0, NoticeKind::Down));
    o.set_online(true);
    let (jobs, logs) = o.due(at(MAX_AGE_MS as u64 + 1));
    assert!(jobs.is_empty());
    assert!(logs[0].contains("hours old"), "{logs:?}");
    assert!(o.is_idle());

    let mut o = Outbox::new(vec![spec(ChannelKind::Slack, SLACK)]);
    let mut logs = Vec::new();
    for i in 0..=LANE_CAP as i64 {
        logs.extend(o.push(alert_at(WALL0 + i, NoticeKind::StillDown)));
    }
    assert_eq!(o.views()[0].waiting, LANE_CAP);
    assert_eq!(logs.len(), 1);
    assert_eq!(o.due(at(0)).0[0].alert.at_wall_ms, WALL0 + 1);
}

#[test]
fn a_refusal_drops_the_alert_and_each_channel_gets_only_its_notices() {
    let mut only_down = spec(ChannelKind::Webhook, "https://example.com/hook");
    only_down.notices = vec![NoticeKind::Down, NoticeKind::Recovered];
    let mut o = Outbox::new(vec![only_down, spec(ChannelKind::Slack, SLACK)]);
    o.push(alert_at(WALL0, NoticeKind::StillDown));
    assert_eq!(o.views()[0].waiting, 0);
    assert_eq!(o.views()[1].waiting, 1);
    let (jobs, _) = o.due(at(0));
    let logs = o.done(&jobs[0], Ok(Answer::Refused { status: 410 }), at(0));
    assert!(logs.iter().any(|l| l.contains("410")), "{logs:?}");
    assert_eq!(o.views()[1].waiting, 0);
    assert!(matches!(
        o.views()[1].state,
        ChannelState::Failing {
            why: Failure::Refused(410),
            ..
        }
    ));
    // A timeout twice in a row is failing; the next success says it works again.
    let mut o = Outbox::new(vec![spec(ChannelKind::Slack, SLACK)]);
    o.push(alert_at(WALL0, NoticeKind::Down));
    let (jobs, _) = o.due(at(0));
    o.done(&jobs[0], Err(NetErrorKind::Timeout), at(0));
    assert_eq!(o.views()[0].state, ChannelState::Untried);
    let (jobs, _) = o.due(at(BACKOFF_MS[0]));
    o.done(&jobs[0], Err(NetErrorKind::Timeout), at(BACKOFF_MS[0]));
    assert!(matches!(o.views()[0].state, ChannelState::Failing { .. }));
    let (jobs, _) = o.due(at(60_000));
    let logs = o.done(&jobs[0], Ok(Answer::Delivered), at(60_000));
    assert!(logs[0].contains("works again"), "{logs:?}");
}

#[test]
fn new_settings_keep_the_queue_of_a_channel_still_there() {
    let slack = spec(ChannelKind::Slack, SLACK);
    let ntfy = spec(ChannelKind::Ntfy, "https://ntfy.sh/t");
    let mut o = Outbox::new(vec![slack.clone(), ntfy.clone()]);
    o.set_online(false);
    o.push(alert_at(WALL0, NoticeKind::Down));
    let mut fewer = slack.clone();
    fewer.notices = vec![NoticeKind::Down];
    let logs = o.reconfigure(vec![fewer]);
    assert_eq!(o.views().len(), 1);
    assert_eq!(o.views()[0].waiting, 1);
    assert_eq!(logs.len(), 1, "ntfy's waiting alert dropped: {logs:?}");
    assert!(logs[0].contains("ntfy.sh/…"), "{logs:?}");
}
