//! Faults beyond the fake servers' scenarios (those are in cli.rs): names that do not resolve,
//! a certificate nobody signed, a full disk, and a long soak of rotating faults.

#[cfg(target_os = "linux")]
use std::path::PathBuf;
use std::time::{Duration, Instant};

use gatewatch_core::diagnose::diagnose;
use gatewatch_core::driver;
use gatewatch_core::history::History;
use gatewatch_core::model::NetErrorKind;
use gatewatch_core::monitor::{Effect, Event, Monitor, Now, Transition};
use gatewatch_core::probe::Prober;
use gatewatch_core::settings::{Config, Overrides, Settings};
#[cfg(target_os = "linux")]
use gatewatch_core::store;
use gatewatch_fakes::tls::SelfSignedHost;
use gatewatch_fakes::{FakeWorld, Scenario};
use serde_json::{json, Value};

/// For the full-disk test, Linux's.
#[cfg(target_os = "linux")]
const BIN: &str = env!("CARGO_BIN_EXE_gatewatch");

fn config(endpoints: Value, extra: Value) -> Config {
    let mut v = json!({ "timeout_secs": 2, "endpoints": endpoints });
    if let (Some(base), Some(more)) = (v.as_object_mut(), extra.as_object()) {
        base.extend(more.clone());
    }
    let (s, warnings) = Settings::from_json(&v);
    assert!(warnings.is_empty(), "{warnings:?}");
    s.to_config(&Overrides::default(), 5).unwrap()
}

#[cfg(target_os = "linux")]
fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("gatewatch-faults-{name}-{}", std::process::id()));
    std::fs::remove_dir_all(&d).ok();
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// `.invalid` never resolves (RFC 6761): the check names DNS, in bounded time, and blames
/// the right side: ChatGPT's names alone failing while another site answers is not "offline";
/// nothing resolving at all is.
#[tokio::test]
async fn names_that_do_not_resolve() {
    let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
    let mut e = world.endpoints();
    e["chatgpt"] = json!("https://chatgpt.gatewatch-test.invalid");
    e["api"] = json!("https://api.gatewatch-test.invalid");
    let started = Instant::now();
    let (obs, d, _) = driver::check_once(config(e.clone(), json!({})))
        .await
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
    let edge = obs.edge.as_ref().expect("the edge was probed");
    assert_eq!(edge.net_error(), Some(NetErrorKind::Dns), "{edge:?}");
    assert_ne!(d.verdict.as_str(), "offline", "another site answers: {d:?}");
    assert_ne!(d.verdict.as_str(), "up", "{d:?}");

    e["control"] = json!("https://control.gatewatch-test.invalid");
    e["status"] = json!("https://status.gatewatch-test.invalid");
    e["app"] = json!("https://ios.gatewatch-test.invalid");
    let (_, d, _) = driver::check_once(config(e, json!({}))).await.unwrap();
    assert_eq!(d.verdict.as_str(), "offline", "nothing resolves: {d:?}");
}

/// A self-signed certificate on the ChatGPT address (an interception proxy, a captive portal,
/// a spoofed answer) is refused: not one HTTP request goes over it, and there is no setting
/// to allow it.
#[tokio::test]
async fn a_self_signed_certificate_is_refused() {
    let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
    let fake = SelfSignedHost::start().await.unwrap();
    let mut e = world.endpoints();
    e["chatgpt"] = json!(fake.url());
    let (obs, d, _) = driver::check_once(config(e.clone(), json!({})))
        .await
        .unwrap();
    for p in obs
        .probes()
        .filter(|p| p.url.starts_with("https://localhost"))
    {
        assert_eq!(p.net_error(), Some(NetErrorKind::Tls), "{p:?}");
    }
    assert_eq!(fake.handshakes(), 0);
    assert_eq!(fake.served(), 0);
    assert_ne!(d.verdict.as_str(), "up", "{d:?}");

    // Whatever a user writes in the settings, no key turns verification off.
    for key in [
        "danger_accept_invalid_certs",
        "insecure",
        "tls_verify",
        "accept_invalid_certs",
    ] {
        let v = json!({ "endpoints": e.clone(), key: true });
        let (s, _) = Settings::from_json(&v);
        let (_, _, _) = driver::check_once(s.to_config(&Overrides::default(), 1).unwrap())
            .await
            .unwrap();
        assert_eq!(fake.served(), 0, "{key} let a request through");
    }
}

/// A full disk: the watch goes on, says so on stderr, and the history file on disk is the
/// previous one, whole. Runs in a private mount namespace with a 32 KiB tmpfs (Linux's).
#[cfg(target_os = "linux")]
#[tokio::test]
async fn a_full_disk_keeps_the_previous_history() {
    let world = FakeWorld::start(Scenario::BadGateway).await.unwrap();
    let outside = tempdir("diskfull");
    let mut seed = History::default();
    seed.apply(gatewatch_core::history::Record::Sample(
        gatewatch_core::history::Sample {
            at_ms: 1_764_000_000_000,
            verdict: gatewatch_core::diagnose::Verdict::Up,
            latency_ms: Some(120),
            network: false,
        },
    ));
    let seed_path = outside.join("seed.json");
    store::save_history(&seed_path, &seed).unwrap();
    let mnt = outside.join("mnt");
    std::fs::create_dir_all(&mnt).unwrap();
    let script = r#"
set -u
mount -t tmpfs -o size=32k tmpfs "$MNT" || exit 90
cp "$SEED" "$MNT/history.json"
cat /dev/zero > "$MNT/filler" 2>/dev/null
timeout --preserve-status -s TERM 4 "$BIN" watch --format json --interval 200ms \
  --down-interval 200ms --recheck 100ms --timeout 2s
echo "exit=$?" >&2
cp "$MNT/history.json" "$OUT/after.json"
"#;
    let mut cmd = tokio::process::Command::new("unshare");
    cmd.args(["-rm", "sh", "-c", script])
        .env("MNT", &mnt)
        .env("SEED", &seed_path)
        .env("OUT", &outside)
        .env("BIN", BIN)
        .env("GATEWATCH_DATA_DIR", &mnt)
        .env("LANG", "C")
        .envs(world.env());
    let out = cmd.output().await.expect("unshare (util-linux) runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("exit=") || out.status.code() != Some(90),
        "cannot mount a tmpfs here: {stderr}"
    );
    assert!(
        stdout.contains("\"bad_gateway\""),
        "the watch went on: {stdout}"
    );
    // In words; the system's own ("No space left on device (os error 28)") is not for people.
    assert!(
        stderr.contains("history.json could not be saved: the disk is full."),
        "{stderr}"
    );
    assert!(!stderr.contains("os error"), "{stderr}");
    assert!(
        stderr.contains("exit=0"),
        "a clean exit after SIGTERM: {stderr}"
    );
    let after = std::fs::read(outside.join("after.json")).unwrap();
    assert_eq!(
        after,
        std::fs::read(&seed_path).unwrap(),
        "the old history, whole"
    );
    std::fs::remove_dir_all(&outside).ok();
}

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, |d| d.count())
}

const MIN: u64 = 60_000;

/// Rotating faults, each long enough to be a real outage, then an hour of flapping.
const PLAN: [(Scenario, u64); 14] = [
    (Scenario::Healthy, 45),
    (Scenario::BadGateway, 12),
    (Scenario::Healthy, 30),
    (Scenario::Cloudflare(521), 8),
    (Scenario::Healthy, 25),
    (Scenario::Origin503, 6),
    (Scenario::Challenge, 10),
    (Scenario::Reset, 5),
    (Scenario::Offline, 7),
    (Scenario::EdgeDown, 9),
    (Scenario::StatusIncident, 15),
    (Scenario::HugeBody, 10),
    (Scenario::StatusMalformed, 10),
    (Scenario::Healthy, 20),
];
const FLAPPING_MIN: u64 = 60;

fn cycle_min() -> u64 {
    PLAN.iter().map(|(_, m)| m).sum::<u64>() + FLAPPING_MIN
}

fn world_at(t_ms: u64) -> Scenario {
    let mut t = (t_ms / MIN) % cycle_min();
    for (s, m) in PLAN {
        if t < m {
            return s;
        }
        t -= m;
    }
    // The last hour of each cycle flaps: 3 minutes of 502s, 2 minutes fine.
    if t % 5 < 3 {
        Scenario::BadGateway
    } else {
        Scenario::Healthy
    }
}

/// Thousands of real checks (real HTTP to the fakes) under simulated time: memory and file
/// descriptors stay flat, notifications stay few. `GATEWATCH_SOAK_CHECKS` sets the length
/// (10,000 by default).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn soak_of_rotating_faults() {
    let checks: u64 = std::env::var("GATEWATCH_SOAK_CHECKS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
    let cfg = config(world.endpoints(), json!({ "jitter_percent": 10 }));
    let mut prober = Prober::new(cfg.clone()).unwrap();
    const WALL0: i64 = 1_764_000_000_000;
    let mut m = Monitor::new(cfg.monitor.clone(), Now::new(0, WALL0));
    let mut history = History::default();
    let mut notices: Vec<(u64, Transition)> = Vec::new();
    let mut warm = (0, 0);
    let started = Instant::now();
    let mut now = Now::new(0, WALL0);
    for i in 0..checks {
        let t = m.next_check_at().expect("a next check");
        now = Now::new(t, WALL0 + t as i64);
        let scenario = world_at(t);
        if world.scenario() != scenario {
            world.set(scenario);
        }
        let (obs, _) = prober.observe(now.wall_ms).await;
        for e in m.step(Event::Checked(Box::new(diagnose(&obs))), now) {
            match e {
                Effect::Notify(tr) => notices.push((t, tr)),
                Effect::Record(r) => history.apply(r),
                Effect::Changed(_) => {}
            }
        }
        if i == checks / 10 {
            warm = (rss_kib(), open_fds());
        }
    }
    let (rss, fds) = (rss_kib(), open_fds());
    let days = now.mono_ms as f64 / (24.0 * 60.0 * MIN as f64);
    let mut worst_hour = 0;
    for (i, (t, _)) in notices.iter().enumerate() {
        let in_hour = notices[i..]
            .iter()
            .take_while(|(u, _)| u - t < 60 * MIN)
            .count();
        worst_hour = worst_hour.max(in_hour);
    }
    println!(
        "soak: {checks} checks, {days:.1} simulated days in {:.1} s; RSS {} → {} KiB; fds {} → {}; \
         {} notifications (worst hour {worst_hour}); {} outages, {} samples kept",
        started.elapsed().as_secs_f64(),
        warm.0,
        rss,
        warm.1,
        fds,
        notices.len(),
        history.outages.len(),
        history.samples.len(),
    );
    assert!(
        rss.saturating_sub(warm.0) < 16 * 1024,
        "RSS grew {} KiB",
        rss - warm.0
    );
    assert!(fds <= warm.1 + 8, "fds {} → {fds}", warm.1);
    let mut kinds = std::collections::BTreeMap::new();
    for (_, t) in &notices {
        let k = format!("{t:?}");
        *kinds
            .entry(k.split([' ', '{']).next().unwrap_or("").to_string())
            .or_insert(0) += 1;
    }
    let cycles = (now.mono_ms / MIN).div_ceil(cycle_min()) as usize;
    println!("soak: {cycles} cycles of faults; notifications by kind: {kinds:?}");
    // Each cycle: five real outages (502, 521, 503, reset, Cloudflare down; told going down and
    // coming back, perhaps a change of cause) and one flapping hour (a handful at most).
    assert!(
        notices.len() <= cycles * 20,
        "{} notifications in {cycles} cycles",
        notices.len()
    );
    assert!(worst_hour <= 6, "{worst_hour} notifications in one hour");
    assert!(notices.len() >= cycles.min(2), "outages were noticed");
    assert!(history.samples.len() <= 10_080);
}
