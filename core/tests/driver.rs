//! The prober and the monitor task against the fake hosts: real sockets, real time (short
//! intervals, allowed because every endpoint is loopback).

use std::time::Duration;

use gatewatch_core::diagnose::diagnose;
use gatewatch_core::driver::{self, Command, Output};
use gatewatch_core::model::{Asked, Observation};
use gatewatch_core::monitor::Transition;
use gatewatch_core::probe::Prober;
use gatewatch_core::settings::{Config, Overrides, Settings};
use gatewatch_core::statuspage::PageError;
use gatewatch_fakes::{FakeWorld, Role, Scenario};
use serde_json::json;

fn config(world: &FakeWorld, extra: serde_json::Value) -> Config {
    let mut v = json!({
        "poll_interval_secs": 0.2,
        "down_poll_interval_secs": 0.2,
        "recheck_secs": 0.1,
        "status_interval_secs": 0.05,
        "timeout_secs": 2,
        "slow_ms": 1000,
        "endpoints": world.endpoints()
    });
    if let (Some(base), Some(more)) = (v.as_object_mut(), extra.as_object()) {
        base.extend(more.clone());
    }
    let (settings, warnings) = Settings::from_json(&v);
    assert!(warnings.is_empty(), "{warnings:?}");
    settings.to_config(&Overrides::default(), 7).unwrap()
}

#[tokio::test]
async fn status_page_is_asked_politely_with_etag() {
    let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
    let mut prober = Prober::new(config(&world, json!({}))).unwrap();
    let (first, err) = prober.observe(1).await;
    assert_eq!(err, None);
    let after_first = world.traffic(Role::Status);
    assert!(first.status_page.is_some());
    // Not due yet: no second request.
    let (_, _) = prober.observe(2).await;
    assert_eq!(world.traffic(Role::Status).requests, after_first.requests);
    tokio::time::sleep(Duration::from_millis(80)).await;
    let (third, err) = prober.observe(3).await;
    assert_eq!(err, None);
    let after_third = world.traffic(Role::Status);
    assert_eq!(after_third.requests, after_first.requests + 1);
    let second_bytes = after_third.bytes_out - after_first.bytes_out;
    assert!(
        second_bytes < 200,
        "a 304 costs {second_bytes} bytes, the first answer {}",
        after_first.bytes_out
    );
    assert_eq!(
        third.status_page,
        first.status_page.map(|mut r| {
            r.fetched_at_ms = 1;
            r
        }),
        "304 keeps the report"
    );
}

#[tokio::test]
async fn a_broken_status_page_is_reported_and_does_not_stop_the_check() {
    let world = FakeWorld::start(Scenario::StatusMalformed).await.unwrap();
    let mut prober = Prober::new(config(&world, json!({}))).unwrap();
    let (obs, err) = prober.observe(1).await;
    let err = err.unwrap();
    assert_eq!(err.error, PageError::Unreadable);
    assert!(err.detail.contains("did not answer JSON"), "{}", err.detail);
    assert!(obs.status_page.is_none());
    assert!(obs.origin.is_some() && obs.edge.is_some());
}

#[tokio::test]
async fn disabled_probes_send_nothing() {
    let world = FakeWorld::start(Scenario::Offline).await.unwrap();
    let cfg = config(
        &world,
        json!({"probes": {"edge": false, "api": false, "status_page": false, "control": false, "app": false}}),
    );
    let mut prober = Prober::new(cfg).unwrap();
    let (obs, _) = prober.observe(1).await;
    assert!(
        obs.edge.is_none()
            && obs.api.is_none()
            && obs.control.is_none()
            && obs.app.is_none()
            && obs.status_page.is_none()
    );
    assert_eq!(world.traffic(Role::App).requests, 0);
    assert_eq!(world.traffic(Role::Api).requests, 0);
    assert_eq!(world.traffic(Role::Status).requests, 0);
    assert_eq!(world.traffic(Role::Control).requests, 0);
    assert_eq!(world.paths(Role::Chatgpt), ["/api/auth/session"]);
}

/// Collect outputs until `stop` says so or time runs out.
async fn collect(
    rx: &mut tokio::sync::mpsc::Receiver<Output>,
    secs: u64,
    mut stop: impl FnMut(&[Transition]) -> bool,
) -> Vec<Transition> {
    let mut notices = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    while !stop(&notices) {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(Output::Notify(t, _))) => notices.push(t),
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => break,
        }
    }
    notices
}

#[tokio::test]
async fn one_outage_gives_exactly_one_down_and_one_recovered() {
    let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
    let driver::Handle {
        commands: tx,
        outputs: mut rx,
        task,
    } = driver::spawn(config(&world, json!({}))).unwrap();
    // Let it settle on "up".
    let none = collect(&mut rx, 1, |_| false).await;
    assert!(none.is_empty());

    world.set(Scenario::BadGateway);
    let mut notices = collect(&mut rx, 10, |n| !n.is_empty()).await;
    match &notices[..] {
        [Transition::Down {
            verdict,
            http_status,
            colo,
            ..
        }] => {
            assert_eq!(verdict.as_str(), "bad_gateway");
            assert_eq!(*http_status, Some(502));
            assert_eq!(colo.as_deref(), Some("FRA"));
        }
        other => panic!("expected one down notice, got {other:?}"),
    }
    // Staying down says nothing more.
    notices.extend(collect(&mut rx, 2, |_| false).await);
    assert_eq!(notices.len(), 1, "{notices:?}");

    world.set(Scenario::Healthy);
    notices.extend(collect(&mut rx, 10, |n| !n.is_empty()).await);
    notices.extend(collect(&mut rx, 1, |_| false).await);
    assert_eq!(notices.len(), 2, "{notices:?}");
    let Transition::Recovered { downtime_ms, .. } = notices[1] else {
        panic!("{notices:?}")
    };
    assert!(downtime_ms >= 1_000, "{downtime_ms}");

    tx.send(Command::Shutdown).await.unwrap();
    tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .expect("stops on shutdown")
        .unwrap();
}

#[tokio::test]
async fn check_now_and_snooze_reach_the_monitor() {
    let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
    let cfg = config(
        &world,
        json!({"poll_interval_secs": 3600, "endpoints": world.endpoints()}),
    );
    let driver::Handle {
        commands: tx,
        outputs: mut rx,
        task,
    } = driver::spawn(cfg).unwrap();
    collect(&mut rx, 1, |_| false).await;
    let before = world.traffic(Role::Chatgpt).requests;
    tx.send(Command::CheckNow).await.unwrap();
    collect(&mut rx, 1, |_| false).await;
    assert_eq!(
        world.traffic(Role::Chatgpt).requests,
        before + 2,
        "one check: trace + origin"
    );

    tx.send(Command::Snooze(
        gatewatch_core::monitor::Snooze::UntilRecovered,
    ))
    .await
    .unwrap();
    let mut snoozed = false;
    while let Ok(Some(o)) = tokio::time::timeout(Duration::from_secs(2), rx.recv()).await {
        if let Output::Changed(s) = o {
            snoozed = s.snooze.is_some();
            break;
        }
    }
    assert!(snoozed);
    drop(tx);
    tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .expect("stops when its owner goes away")
        .unwrap();
}

/// Requests per host so far: chatgpt.com's page, its trace, the API, the phone apps' route.
fn counts(world: &FakeWorld) -> [usize; 4] {
    let chatgpt = world.paths(Role::Chatgpt);
    let on = |p: &str| chatgpt.iter().filter(|x| x.as_str() == p).count();
    [
        on("/api/auth/session"),
        on("/cdn-cgi/trace"),
        world.traffic(Role::Api).requests as usize,
        world.traffic(Role::App).requests as usize,
    ]
}

/// The next `Checked` output's observation.
async fn next_check(rx: &mut tokio::sync::mpsc::Receiver<Output>) -> Observation {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(Output::Checked { observation, .. })) => return *observation,
            Ok(Some(_)) => {}
            other => panic!("no check came: {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_healthy_check_costs_one_request_and_a_failure_asks_every_door_at_once() {
    let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
    let mut cfg = config(&world, json!({"status_interval_secs": 3600}));
    cfg.monitor.doors_refresh_ms = 3_600_000;
    let driver::Handle {
        commands: tx,
        outputs: mut rx,
        task,
    } = driver::spawn(cfg).unwrap();
    let first = next_check(&mut rx).await;
    assert_eq!(
        first.asked,
        Asked::AllDoors,
        "the first check asks every door"
    );
    assert_eq!(counts(&world), [1, 1, 1, 1]);
    let status = world.traffic(Role::Status).requests;

    let n = 5;
    for _ in 0..n {
        let o = next_check(&mut rx).await;
        assert_eq!(o.asked, Asked::ChatgptOnly);
        assert!(o.edge.is_none() && o.api.is_none() && o.app.is_none() && o.control.is_none());
    }
    assert_eq!(
        counts(&world),
        [1 + n, 1, 1, 1],
        "each healthy check: chatgpt.com's page alone"
    );
    assert_eq!(world.traffic(Role::Status).requests, status);
    assert_eq!(world.traffic(Role::Control).requests, 0);

    // A 502: the same check asks every door.
    world.set(Scenario::BadGateway);
    let o = next_check(&mut rx).await;
    assert_eq!(o.asked, Asked::AllDoors);
    assert!(o.edge.is_some() && o.api.is_some() && o.app.is_some());
    assert_eq!(counts(&world), [2 + n, 2, 2, 2], "one widened check");
    assert_eq!(diagnose(&o).verdict.as_str(), "bad_gateway");
    // And so does every check while it is not plainly up.
    let o = next_check(&mut rx).await;
    assert_eq!(o.asked, Asked::AllDoors);
    assert_eq!(counts(&world), [3 + n, 3, 3, 3]);

    tx.send(Command::Shutdown).await.unwrap();
    tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .expect("stops on shutdown")
        .unwrap();
}

#[tokio::test]
async fn the_other_doors_are_refreshed_while_healthy_and_a_challenge_asks_them_every_time() {
    let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
    let mut cfg = config(&world, json!({"status_interval_secs": 3600}));
    cfg.monitor.doors_refresh_ms = 700;
    let driver::Handle {
        commands: tx,
        outputs: mut rx,
        task,
    } = driver::spawn(cfg).unwrap();
    let mut asked = Vec::new();
    for _ in 0..10 {
        asked.push(next_check(&mut rx).await.asked);
    }
    let all = asked.iter().filter(|a| **a == Asked::AllDoors).count();
    // Checks every ~0.2 s, every door every 0.7 s: the first, then every third or fourth.
    assert!((2..=5).contains(&all), "{asked:?}");
    assert_eq!(counts(&world)[2], all, "the API asked once per full check");

    world.set(Scenario::Challenge);
    for _ in 0..4 {
        let o = next_check(&mut rx).await;
        assert_eq!(o.asked, Asked::AllDoors, "a limited view asks every door");
        let d = diagnose(&o);
        assert_eq!(d.verdict.as_str(), "up");
        assert!(d.limited.is_some());
    }

    tx.send(Command::Shutdown).await.unwrap();
    tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .expect("stops on shutdown")
        .unwrap();
}

#[tokio::test]
async fn a_chatgpt_only_check_widens_when_the_answer_is_not_plainly_healthy() {
    let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
    let mut prober = Prober::new(config(&world, json!({}))).unwrap();
    let (o, _) = prober.check(Asked::ChatgptOnly, 1).await;
    assert_eq!(o.asked, Asked::ChatgptOnly);
    assert_eq!(counts(&world), [1, 0, 0, 0]);
    for (scenario, widened) in [
        (Scenario::Healthy, false),
        (Scenario::StatusIncident, true),
        (Scenario::ApiDown, false),
        (Scenario::BadGateway, true),
        (Scenario::Challenge, true),
        (Scenario::RateLimited, true),
        (Scenario::Slow { ms: 1_200 }, true),
        (Scenario::EdgeDown, true),
    ] {
        world.set(scenario);
        // The status page is due again (every 50 ms here).
        tokio::time::sleep(Duration::from_millis(80)).await;
        let before = counts(&world);
        let (o, _) = prober.check(Asked::ChatgptOnly, 1).await;
        let after = counts(&world);
        let expected = if widened {
            Asked::AllDoors
        } else {
            Asked::ChatgptOnly
        };
        assert_eq!(o.asked, expected, "{scenario:?}");
        let asked_api = after[2] - before[2];
        assert_eq!(asked_api, usize::from(widened), "{scenario:?}");
        assert_eq!(after[0] - before[0], 1, "{scenario:?}: one page request");
    }
}
