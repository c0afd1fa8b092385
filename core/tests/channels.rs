//! Notices elsewhere, end to end: the real `gatewatch` binary (`watch --notify`, `wait`)
//! against the fake hosts, sending to loopback stand-ins for Slack, Discord, Teams, a JSON
//! webhook and ntfy that check each payload's documented shape and answer as the services do.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use gatewatch_fakes::receivers::{Mode, Receiver, Service};
use gatewatch_fakes::session::tempdir;
use gatewatch_fakes::{FakeWorld, Role, Scenario, QUICK_PACE};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

const BIN: &str = env!("CARGO_BIN_EXE_gatewatch");

/// `gatewatch` pointed at `world`, with `settings` in a private data dir.
fn gatewatch(world: &FakeWorld, data: &Path, settings: Value) -> Command {
    std::fs::write(data.join("settings.json"), settings.to_string()).unwrap();
    let mut c = world.command(BIN, data);
    c.stdout(Stdio::piped()).stderr(Stdio::piped());
    c
}

/// `watch` at a quick pace (with `--notify` when `notify`), its JSON lines readable.
fn watch(world: &FakeWorld, data: &Path, settings: Value, notify: bool) -> Child {
    let mut c = gatewatch(world, data, settings);
    c.arg("watch");
    if notify {
        c.arg("--notify");
    }
    c.args(["--no-history", "--format", "json", "--timeout", "2s"])
        .args(QUICK_PACE);
    c.spawn().expect("gatewatch runs")
}

type Lines = tokio::io::Lines<BufReader<tokio::process::ChildStdout>>;

/// The next line whose verdict is `verdict`.
async fn until_verdict(lines: &mut Lines, verdict: &str, secs: u64) -> Value {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = tokio::time::timeout(left, lines.next_line())
            .await
            .unwrap_or_else(|_| panic!("no {verdict} line in {secs} s"))
            .unwrap()
            .expect("watch still running");
        let v: Value = serde_json::from_str(&line).unwrap();
        if v["verdict"] == verdict {
            return v;
        }
    }
}

async fn wait_until(secs: u64, mut f: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < deadline {
        if f() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    f()
}

/// End `watch` as a logout would, and read what it said on stderr. (Windows has no signal for
/// one process to send another: there it is killed, and what it had sent is already sent.)
async fn stop(mut child: Child) -> String {
    #[cfg(unix)]
    {
        let pid = child.id().unwrap().to_string();
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap();
    }
    #[cfg(windows)]
    child.start_kill().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = tokio::time::timeout(Duration::from_secs(15), child.wait())
        .await
        .expect("watch ends")
        .unwrap();
    #[cfg(unix)]
    assert!(out.success(), "{out:?}");
    let _ = out;
    let mut said = String::new();
    tokio::io::AsyncReadExt::read_to_string(&mut stderr, &mut said)
        .await
        .unwrap();
    said
}

fn settings(receivers: &[&Receiver], extra: Value) -> Value {
    let mut s = json!({
        "notifications": false,
        "language": "en",
        "channels": receivers.iter().map(|r| r.channel()).collect::<Vec<_>>(),
    });
    for (k, v) in extra.as_object().unwrap() {
        s[k] = v.clone();
    }
    s
}

/// What a notice was, read from any service's words.
fn kind_of(service: Service, got: &gatewatch_fakes::receivers::Got) -> String {
    if service == Service::Webhook {
        return got.json()["notice"].as_str().unwrap().to_string();
    }
    let words = got.words();
    let decoded = if service == Service::Ntfy {
        got.body.clone()
    } else {
        words.clone()
    };
    let all = format!("{words}\n{decoded}");
    if all.contains("unstable") {
        "flapping"
    } else if all.contains("is back") || all.contains("ChatGPT is back") {
        "recovered"
    } else if all.contains("down") || all.contains("Down") {
        "down"
    } else {
        "other"
    }
    .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flapping_run_reaches_every_channel_once_per_notice_in_its_own_shape() {
    let data = tempdir("flap");
    let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
    let mut receivers = Vec::new();
    for s in Service::ALL {
        let token = (s == Service::Ntfy).then_some("tk_s3cretNTFY");
        receivers.push(Receiver::start_with_token(s, token).await.unwrap());
    }
    let all: Vec<&Receiver> = receivers.iter().collect();
    let mut child = watch(&world, &data, settings(&all, json!({})), true);
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    until_verdict(&mut lines, "up", 20).await;

    // Four outages within minutes: down, back, down, back, then "unstable" instead of a third
    // down, and quiet after it.
    for _ in 0..4 {
        world.set(Scenario::BadGateway);
        until_verdict(&mut lines, "bad_gateway", 20).await;
        world.set(Scenario::Healthy);
        until_verdict(&mut lines, "up", 20).await;
    }
    let webhook = &receivers[3];
    assert!(
        wait_until(20, || webhook.delivered().len() >= 5).await,
        "{:?}",
        webhook
            .delivered()
            .iter()
            .map(|g| g.json()["notice"].clone())
            .collect::<Vec<_>>()
    );
    // Whatever else would come has had time to.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let expected: Vec<String> = webhook
        .delivered()
        .iter()
        .map(|g| kind_of(Service::Webhook, g))
        .collect();
    assert_eq!(
        expected[..5],
        ["down", "recovered", "down", "recovered", "flapping"],
        "{expected:?}"
    );
    for r in &receivers {
        let got = r.received();
        for g in &got {
            assert_eq!(g.shape, Ok(()), "{:?}: {}", r.service(), g.body);
        }
        let delivered = r.delivered();
        assert_eq!(
            delivered.len(),
            got.len(),
            "{:?}: all taken at once",
            r.service()
        );
        let kinds: Vec<String> = delivered.iter().map(|g| kind_of(r.service(), g)).collect();
        assert_eq!(kinds, expected, "{:?}", r.service());
    }
    // The phone gets the click to the status page, its priority, and the token it wants.
    let ntfy = &receivers[4].delivered()[0];
    assert_eq!(ntfy.header("priority"), Some("4"));
    assert_eq!(ntfy.header("click"), Some("https://status.openai.com/"));
    assert_eq!(ntfy.header("authorization"), Some("Bearer tk_s3cretNTFY"));
    // Slack, Discord and Teams get no token; nobody is sent another's address.
    for r in &receivers[..3] {
        assert!(r
            .received()
            .iter()
            .all(|g| g.header("authorization").is_none()));
    }

    let stderr = stop(child).await;
    for r in &receivers {
        assert!(!stderr.contains(r.secret()), "{stderr}");
    }
    assert!(!stderr.contains("tk_s3cret"), "{stderr}");
    std::fs::remove_dir_all(&data).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_receivers_lose_nothing_get_nothing_twice_and_never_slow_the_checks() {
    let data = tempdir("failing");
    let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
    let slack = Receiver::start(Service::Slack).await.unwrap();
    let discord = Receiver::start(Service::Discord).await.unwrap();
    let hook = Receiver::start(Service::Webhook).await.unwrap();
    slack.set(Mode::Status(500));
    discord.set(Mode::RateLimited { secs: 3 });
    hook.set(Mode::Hang);
    let mut child = watch(
        &world,
        &data,
        settings(&[&slack, &discord, &hook], json!({})),
        true,
    );
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    until_verdict(&mut lines, "up", 20).await;

    world.set(Scenario::BadGateway);
    until_verdict(&mut lines, "bad_gateway", 20).await;
    // Each gets its first try: 500, 429, and a hang.
    assert!(
        wait_until(10, || !slack.received().is_empty()
            && !discord.received().is_empty()
            && !hook.received().is_empty())
        .await
    );
    let checks_before = world.traffic(Role::Chatgpt).requests;
    slack.set(Mode::Normal);
    discord.set(Mode::Normal);
    hook.set(Mode::Normal);
    // While the webhook hangs (up to the 10 s timeout), the checks go on at their pace.
    tokio::time::sleep(Duration::from_secs(4)).await;
    let checks = world.traffic(Role::Chatgpt).requests - checks_before;
    assert!(checks >= 8, "{checks} checks in 4 s at 200 ms");

    assert!(
        wait_until(30, || slack.delivered().len() == 1
            && discord.delivered().len() == 1
            && hook.delivered().len() == 1)
        .await
    );
    let tries = |r: &Receiver| r.received().len();
    assert!(tries(&slack) >= 2 && tries(&discord) >= 2 && tries(&hook) >= 2);
    // The 429's Retry-After was honoured.
    let d = discord.received();
    assert!(
        d[1].at - d[0].at >= Duration::from_millis(2_900),
        "{:?}",
        d[1].at - d[0].at
    );
    // The same alert each time: the webhook's id tells a repeat.
    let ids: Vec<Value> = hook
        .received()
        .iter()
        .map(|g| g.json()["id"].clone())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] == w[1]), "{ids:?}");

    // Back: one "recovered" each, nothing sent twice.
    world.set(Scenario::Healthy);
    until_verdict(&mut lines, "up", 20).await;
    assert!(
        wait_until(15, || [&slack, &discord, &hook]
            .iter()
            .all(|r| r.delivered().len() == 2))
        .await
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!([&slack, &discord, &hook]
        .iter()
        .all(|r| r.delivered().len() == 2));

    let stderr = stop(child).await;
    // A failing channel is said once, by name, never by its address.
    assert!(
        stderr.contains("hooks") || stderr.contains("failing") || stderr.is_empty(),
        "{stderr}"
    );
    assert!(stderr.matches("slack 127.0.0.1").count() <= 2, "{stderr}");
    for r in [&slack, &discord, &hook] {
        assert!(!stderr.contains(r.secret()), "{stderr}");
    }
    std::fs::remove_dir_all(&data).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_away_for_a_minute_gets_its_notice_when_it_is_back() {
    let data = tempdir("away");
    let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
    let ntfy = Receiver::start(Service::Ntfy).await.unwrap();
    ntfy.set(Mode::Away);
    let mut child = watch(&world, &data, settings(&[&ntfy], json!({})), true);
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    until_verdict(&mut lines, "up", 20).await;
    world.set(Scenario::BadGateway);
    until_verdict(&mut lines, "bad_gateway", 20).await;
    let away_from = Instant::now();
    tokio::time::sleep(Duration::from_secs(60)).await;
    let tried = ntfy.connections();
    assert!(
        (3..=10).contains(&tried),
        "{tried} tries in a minute: backing off"
    );
    ntfy.set(Mode::Normal);
    // The backoff tops out at a minute between tries.
    assert!(wait_until(70, || ntfy.delivered().len() == 1).await);
    let got = &ntfy.delivered()[0];
    assert!(got.at - away_from >= Duration::from_secs(60));
    assert!(got.body.contains("OpenAI"), "{}", got.body);
    assert_eq!(ntfy.delivered().len(), 1);
    stop(child).await;
    std::fs::remove_dir_all(&data).ok();
}

/// tinyproxy is a Linux program: not in the Windows build run under Wine.
#[cfg(not(windows))]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_proxy_that_carries_the_checks_carries_the_notices() {
    let data = tempdir("proxy");
    let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
    let hook = Receiver::start(Service::Webhook).await.unwrap();
    let proxy = gatewatch_fakes::proxy::Tinyproxy::start(None).unwrap();
    let s = settings(&[&hook], json!({"proxy": proxy.url()}));
    let mut child = watch(&world, &data, s, true);
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    until_verdict(&mut lines, "up", 20).await;
    world.set(Scenario::BadGateway);
    until_verdict(&mut lines, "bad_gateway", 20).await;
    assert!(wait_until(15, || hook.delivered().len() == 1).await);
    let got = &hook.delivered()[0];
    assert!(
        got.header("via").is_some_and(|v| v.contains("tinyproxy")),
        "{:?}",
        got.headers
    );
    assert!(
        proxy.log().contains(&format!("POST {}", hook.url())),
        "{}",
        proxy.log()
    );
    stop(child).await;
    std::fs::remove_dir_all(&data).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_channel_is_sent_anything_unless_asked() {
    let data = tempdir("none");
    let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
    let hook = Receiver::start(Service::Webhook).await.unwrap();
    // Channels configured, but `watch` without --notify; and `check`, which never sends.
    let mut child = watch(&world, &data, settings(&[&hook], json!({})), false);
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    until_verdict(&mut lines, "up", 20).await;
    world.set(Scenario::BadGateway);
    until_verdict(&mut lines, "bad_gateway", 20).await;
    for args in [["check", "--json"], ["check", "--report"]] {
        let mut c = gatewatch(&world, &data, settings(&[&hook], json!({})));
        c.args(args);
        let out = c.output().await.unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!all.contains(hook.secret()), "{all}");
    }
    stop(child).await;
    assert_eq!(hook.connections(), 0);
    std::fs::remove_dir_all(&data).ok();
}

async fn run_wait(
    world: &FakeWorld,
    data: &Path,
    args: &[&str],
) -> (i32, String, String, Duration) {
    let mut c = gatewatch(world, data, json!({"language": "en"}));
    c.arg("wait")
        .args([
            "--interval",
            "1s",
            "--down-interval",
            "1s",
            "--recheck",
            "500ms",
        ])
        .args(args);
    let started = Instant::now();
    let out = c.output().await.unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        started.elapsed(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_returns_when_chatgpt_comes_back_after_thirty_seconds() {
    let data = tempdir("wait");
    let world = FakeWorld::start(Scenario::BadGateway).await.unwrap();
    let w = &world;
    let back = async move {
        tokio::time::sleep(Duration::from_secs(30)).await;
        w.set(Scenario::Healthy);
    };
    let ((code, stdout, stderr, took), ()) =
        tokio::join!(run_wait(&world, &data, &["--timeout", "90s"]), back);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        took >= Duration::from_secs(30) && took < Duration::from_secs(60),
        "{took:?}"
    );
    let verdicts: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.split_whitespace().nth(2))
        .collect();
    assert_eq!(verdicts, ["bad_gateway", "up"], "{stdout}");
    std::fs::remove_dir_all(&data).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_says_down_or_cannot_tell_at_its_timeout() {
    let data = tempdir("wait-timeout");
    let world = FakeWorld::start(Scenario::BadGateway).await.unwrap();
    let (code, stdout, stderr, took) = run_wait(&world, &data, &["--timeout", "4s"]).await;
    assert_eq!(code, 2, "{stdout}\n{stderr}");
    assert!(took < Duration::from_secs(10), "{took:?}");
    assert!(
        stderr.contains("ChatGPT is still not up after 4 s"),
        "{stderr}"
    );

    world.set(Scenario::Offline);
    let (code, stdout, stderr, _) = run_wait(&world, &data, &["--timeout", "4s", "--quiet"]).await;
    assert_eq!(code, 3, "{stdout}\n{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(stderr, "");

    world.set(Scenario::Healthy);
    let (code, stdout, _, took) = run_wait(&world, &data, &[]).await;
    assert_eq!(code, 0);
    assert!(took < Duration::from_secs(10), "{took:?}");
    assert!(stdout.contains(" up "), "{stdout}");
    std::fs::remove_dir_all(&data).ok();
}
