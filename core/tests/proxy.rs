//! Behind a real proxy: Debian's tinyproxy on loopback, in front of the fake hosts, started by
//! the tests with a generated configuration (scripts/install-deps test installs it). No mock of
//! reqwest: the prober's own client goes through the proxy, or fails the way it would in an
//! office, and the diagnosis must name the proxy, never "ChatGPT is down".
//!
//! Not in the Windows build run under Wine: tinyproxy is a Linux program, which a Windows
//! process under Wine cannot start. (The proxy code there is the same prober with reqwest's
//! system-proxy support; it is compiled, not run, by scripts/windows.)
#![cfg(not(windows))]

use std::process::Stdio;
use std::time::Duration;

use gatewatch_core::diagnose::{Cause, Color, Diagnosis, Layer, Verdict};
use gatewatch_core::driver::{self, Output};
use gatewatch_core::model::{NetErrorKind, Observation};
use gatewatch_core::monitor::Status;
use gatewatch_core::settings::{Config, Overrides, Settings};
use gatewatch_fakes::proxy::Tinyproxy;
use gatewatch_fakes::{FakeWorld, RefusedPort, Scenario};
use serde_json::{json, Value};

fn config(endpoints: Value, proxy: &str) -> Config {
    let (settings, warnings) = Settings::from_json(&json!({
        "poll_interval_secs": 0.2,
        "down_poll_interval_secs": 0.2,
        "recheck_secs": 0.1,
        "timeout_secs": 3,
        "slow_ms": 2000,
        "proxy": proxy,
        "endpoints": endpoints
    }));
    assert!(warnings.is_empty(), "{warnings:?}");
    settings.to_config(&Overrides::default(), 5).unwrap()
}

async fn check(endpoints: Value, proxy: &str) -> (Observation, Diagnosis) {
    let (obs, d, _) = driver::check_once(config(endpoints, proxy)).await.unwrap();
    (obs, d)
}

fn never_red(d: &Diagnosis) {
    assert_ne!(d.color(), Color::Red, "{d:#?}");
    assert_ne!(d.verdict, Verdict::Up, "{d:#?}");
}

#[tokio::test]
async fn the_checks_go_through_a_real_proxy_and_say_so() {
    let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
    let proxy = Tinyproxy::start(None).unwrap();
    let (obs, d) = check(world.endpoints(), &proxy.url()).await;
    assert_eq!(d.verdict, Verdict::Up, "{d:#?}");
    // Trace, page, API, phone apps' host, status page: all through the proxy.
    assert!(proxy.requests() >= 5, "{}", proxy.log());
    let via = obs.proxy.expect("the proxy is named");
    assert!(via.contains(&proxy.url()), "{via}");

    // "none" goes direct even with a proxy setting elsewhere; "system" with loopback
    // endpoints too (a proxy from the environment never sees this machine's traffic).
    let before = proxy.requests();
    for setting in ["none", "system"] {
        let (obs, d) = check(world.endpoints(), setting).await;
        assert_eq!(d.verdict, Verdict::Up);
        assert_eq!(obs.proxy, None);
    }
    assert_eq!(proxy.requests(), before, "nothing went through the proxy");
}

#[tokio::test]
async fn a_proxy_that_wants_a_login_is_named_and_a_login_passes() {
    let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
    let proxy = Tinyproxy::start(Some(("alice", "s3cret"))).unwrap();
    let (_, d) = check(world.endpoints(), &proxy.url_without_login()).await;
    assert_eq!(
        (d.verdict, d.cause),
        (Verdict::Offline, Cause::ProxyLogin),
        "{d:#?}"
    );
    assert_eq!(d.layer, Layer::Proxy, "the proxy is the hop that failed");
    never_red(&d);
    assert_eq!(d.color(), Color::Grey);

    let (obs, d) = check(world.endpoints(), &proxy.url()).await;
    assert_eq!(d.verdict, Verdict::Up, "{d:#?}");
    let via = obs.proxy.unwrap();
    assert!(
        via.contains("alice:***@"),
        "the password is never shown: {via}"
    );
    assert!(!via.contains("s3cret"));
}

#[tokio::test]
async fn a_proxy_that_cannot_reach_the_internet_is_named_never_down() {
    let proxy = Tinyproxy::start(None).unwrap();
    // Every host behind the proxy is unreachable: it answers its own "500 Unable to connect".
    let closed = RefusedPort::new().unwrap();
    let dead = closed.url("http");
    let e = json!({"chatgpt": dead, "api": dead, "status": dead, "control": dead, "app": dead});
    let (obs, d) = check(e, &proxy.url()).await;
    assert_eq!(
        (d.verdict, d.cause),
        (Verdict::Offline, Cause::ProxyFailing),
        "{d:#?}"
    );
    never_red(&d);
    let origin = obs.origin.unwrap();
    let r = origin.response().expect("the proxy's own page");
    assert_eq!(r.status, 500);

    // The same through a tunnel (https: CONNECT), refused by the proxy.
    let dead_tls = closed.url("https");
    let e = json!({"chatgpt": dead_tls, "api": dead_tls, "status": dead_tls, "control": dead_tls, "app": dead_tls});
    let (obs, d) = check(e, &proxy.url()).await;
    assert_eq!(
        obs.origin.unwrap().net_error(),
        Some(NetErrorKind::ProxyRefused)
    );
    assert_eq!(
        (d.verdict, d.cause),
        (Verdict::Offline, Cause::ProxyFailing),
        "{d:#?}"
    );
}

/// The next check's diagnosis and status.
async fn next(rx: &mut tokio::sync::mpsc::Receiver<Output>) -> (Diagnosis, Status) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(Output::Checked {
                diagnosis, status, ..
            })) => return (*diagnosis, *status),
            Ok(Some(_)) => {}
            other => panic!("no check: {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_proxy_stopped_mid_run_turns_the_monitor_grey_not_red() {
    let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
    let mut proxy = Tinyproxy::start(None).unwrap();
    let mut handle = driver::spawn(config(world.endpoints(), &proxy.url())).unwrap();
    let (d, _) = next(&mut handle.outputs).await;
    assert_eq!(d.verdict, Verdict::Up);
    let (d, _) = next(&mut handle.outputs).await;
    assert_eq!(d.verdict, Verdict::Up, "healthy checks go on through it");
    assert!(proxy.requests() >= 2);

    proxy.stop();
    let mut seen = Vec::new();
    for _ in 0..4 {
        let (d, status) = next(&mut handle.outputs).await;
        assert_ne!(status.color, Color::Red, "{status:?}");
        seen.push((d.verdict, d.cause));
    }
    assert!(
        seen.iter()
            .all(|s| *s == (Verdict::Offline, Cause::ProxyUnreachable)),
        "{seen:?}"
    );
    handle.task.abort();
}

#[tokio::test]
async fn the_cli_takes_proxy_and_its_report_names_it() {
    let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
    let proxy = Tinyproxy::start(Some(("bob", "pw"))).unwrap();
    let data = std::env::temp_dir().join(format!("gatewatch-proxy-cli-{}", std::process::id()));
    std::fs::create_dir_all(&data).unwrap();
    let out = world
        .command(env!("CARGO_BIN_EXE_gatewatch"), &data)
        .args([
            "check",
            "--report",
            "--timeout",
            "3s",
            "--proxy",
            &proxy.url(),
        ])
        .output()
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains(&format!(
            "Proxy: http://bob:***@{}",
            proxy.url().rsplit('@').next().unwrap()
        )),
        "{text}"
    );
    assert!(!text.contains("pw@"), "{text}");
    assert!(proxy.requests() >= 4);

    // A PAC file given as the proxy is refused with the reason, in one line.
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_gatewatch"))
        .env_clear()
        .env("GATEWATCH_DATA_DIR", &data)
        .envs(world.env())
        .args(["check", "--proxy", "http://wpad.example/proxy.pac"])
        .stdin(Stdio::null())
        .output()
        .await
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(64), "{err}");
    assert!(
        err.contains("PAC") && err.contains("not evaluated"),
        "{err}"
    );
    std::fs::remove_dir_all(&data).ok();
}
