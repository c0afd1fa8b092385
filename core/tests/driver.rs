//! The prober and the monitor task against the fake hosts: real sockets, real time (short
//! intervals, allowed because every endpoint is loopback).

use std::time::Duration;

use gatewatch_core::driver::{self, Command, Output};
use gatewatch_core::monitor::Transition;
use gatewatch_core::probe::Prober;
use gatewatch_core::settings::{Config, Overrides, Settings};
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
    assert!(err.unwrap().contains("did not answer JSON"));
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
            Ok(Some(Output::Notify(t))) => notices.push(t),
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
