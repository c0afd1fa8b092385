//! Networks that block ChatGPT, and the ones that only look as if they might, played by real
//! parts: the real `gatewatch` binary through a real tinyproxy with its own `Filter`, a DNS
//! filter's answer given with `--resolve`, a box that resets after a ClientHello naming OpenAI,
//! a block server with its own certificate, a captive portal answering the known-answer check,
//! and a real Cloudflare 502 behind a proxy that passes everything. The ones that need
//! addresses of their own (port 443 on a Cloudflare address, a block server's) run in a network
//! namespace the test makes itself (`unshare -rn`), Linux only; the rest run everywhere.
//!
//! Nothing here touches the real internet: OpenAI's real names are only ever resolved by
//! `--resolve`, refused by a proxy before it resolves them, or looked up in a namespace with no
//! network.

use std::path::{Path, PathBuf};

#[cfg(unix)]
use gatewatch_fakes::proxy::Tinyproxy;
use gatewatch_fakes::{FakeWorld, Role, Scenario};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_gatewatch");

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("gatewatch-net-{name}-{}", std::process::id()));
    std::fs::remove_dir_all(&d).ok();
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

/// `gatewatch check --json` with `env` and `args`: its answer and its exit code.
async fn check_with<S: AsRef<std::ffi::OsStr>>(
    data: &Path,
    env: Vec<(&str, String)>,
    args: &[S],
) -> (Value, i32) {
    let mut c = gatewatch_fakes::cli_command(BIN, data);
    c.envs(env)
        .args(["check", "--json", "--timeout", "3s"])
        .args(args);
    let out = c.output().await.expect("gatewatch runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let v: Value = serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {stdout} / {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (v, out.status.code().unwrap_or(-1))
}

/// The same with OpenAI's real names for its doors, the status page and the known-answer check
/// on the fake hosts.
async fn check<S: AsRef<std::ffi::OsStr>>(
    world: &FakeWorld,
    data: &Path,
    extra: &[S],
) -> (Value, i32) {
    let mut args: Vec<std::ffi::OsString> = [
        "--chatgpt-url",
        "https://chatgpt.com",
        "--api-url",
        "https://api.openai.com",
        "--app-url",
        "https://ios.chat.openai.com",
        "--status-url",
        &world.url(Role::Status),
        "--control-url",
        &world.url(Role::Control),
    ]
    .iter()
    .map(Into::into)
    .collect();
    args.extend(extra.iter().map(|a| a.as_ref().to_os_string()));
    check_with(data, Vec::new(), &args).await
}

fn probe<'a>(v: &'a Value, target: &str) -> &'a Value {
    v["probes"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["target"] == target))
        .unwrap_or_else(|| panic!("no {target} probe: {v:#}"))
}

/// Blocked by the network, never red, with what is known beyond it.
fn assert_block(v: &Value, code: i32, how: &str, layer: &str) {
    assert_eq!(
        (
            v["verdict"].as_str(),
            v["cause"].as_str(),
            v["layer"].as_str()
        ),
        (Some("blocked"), Some("network_blocks"), Some(layer)),
        "{v:#}"
    );
    assert_eq!(code, 1, "exit code of a block");
    assert_eq!(v["network_block"]["how"], how, "{v:#}");
    assert_eq!(v["health"], "cant_tell");
    assert_eq!(v["limited_view"]["reason"], "network");
    assert_eq!(v["headline"], "This network blocks ChatGPT");
    let advice: Vec<&str> = v["advice_ids"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        advice,
        ["mobile_data", "ask_administrator", "vpn_if_allowed"],
        "{v:#}"
    );
}

// tinyproxy is a Linux program (the Windows build's tests run under Wine without it).
#[cfg(unix)]
#[tokio::test]
async fn tinyproxy_s_filter_is_its_policy_not_an_outage() {
    let data = tempdir("tinyproxy-filter");
    let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
    let proxy = Tinyproxy::start_with(None, &[r"(^|\.)chatgpt\.com$", r"(^|\.)openai\.com$"])
        .expect("tinyproxy (scripts/install-deps test)");
    let (v, code) = check(&world, &data, &["--proxy", &proxy.url()]).await;
    assert_block(&v, code, "proxy_policy", "proxy");
    let b = &v["network_block"];
    assert_eq!(
        (b["vendor"].as_str(), b["detail"].as_str()),
        (Some("tinyproxy"), Some("403")),
        "{v:#}"
    );
    // What passed the proxy — the status page, green — says ChatGPT itself is fine.
    assert_eq!(b["beyond"], "up");
    assert_eq!(
        v["summary"],
        "This network blocks ChatGPT. OpenAI reports no problem."
    );
    // The known answer was asked, through the proxy, and came back.
    assert_eq!(world.traffic(Role::Control).requests, 1);
    assert!(
        v["evidence"].as_array().unwrap().iter().any(|e| e
            .as_str()
            .is_some_and(|e| e.contains("refused to connect to chatgpt.com"))),
        "{v:#}"
    );
    // Nothing reached the fake chatgpt.com: the proxy refused before connecting.
    assert_eq!(world.traffic(Role::Chatgpt).requests, 0);
    std::fs::remove_dir_all(&data).ok();
}

#[cfg(unix)]
#[tokio::test]
async fn a_real_502_behind_a_proxy_that_passes_everything_stays_red() {
    let data = tempdir("proxy-502");
    let world = FakeWorld::start(Scenario::BadGateway).await.unwrap();
    let proxy = Tinyproxy::start(None).expect("tinyproxy");
    let (v, code) = check_with(&data, world.env(), &["--proxy", &proxy.url()]).await;
    assert_eq!(v["verdict"], "bad_gateway", "{v:#}");
    assert_eq!(code, 2);
    assert!(v["network_block"].is_null());
    assert!(proxy.requests() >= 4, "every door went through the proxy");
    // chatgpt.com answered through Cloudflare: no need of the known answer.
    assert_eq!(world.traffic(Role::Control).requests, 0);
    std::fs::remove_dir_all(&data).ok();
}

#[tokio::test]
async fn a_captive_portal_answers_the_known_answer_with_its_login_page() {
    let data = tempdir("portal");
    let world = FakeWorld::start(Scenario::CaptivePortal).await.unwrap();
    let (v, _) = check_with(&data, world.env(), &[] as &[&str]).await;
    assert_eq!(
        (v["verdict"].as_str(), v["cause"].as_str()),
        (Some("offline"), Some("captive_portal")),
        "{v:#}"
    );
    assert_eq!(v["advice_ids"][0], "sign_in_to_network");
    assert!(v["network_block"].is_null(), "a login page is not a block");
    assert_eq!(probe(&v, "control")["status"], 200);
    // A filter, by contrast: the known answer comes back, the doors get its page.
    world.set(Scenario::NetworkFilter);
    let (v, code) = check_with(&data, world.env(), &[] as &[&str]).await;
    assert_block(&v, code, "filter_page", "network");
    assert_eq!(v["network_block"]["vendor"], "Fortinet");
    assert_eq!(probe(&v, "control")["status"], 204);
    std::fs::remove_dir_all(&data).ok();
}

// ---- in a network of the test's own ----------------------------------------------------

#[cfg(target_os = "linux")]
mod own_network {
    use super::*;
    use gatewatch_fakes::blocking::{in_own_network, BlockServer, SniResetter};

    fn rt() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    }

    /// `--resolve` for chatgpt.com, the API and the phone apps' host, all to `addr`.
    fn resolve_all(addr: &str) -> Vec<String> {
        ["chatgpt.com", "api.openai.com", "ios.chat.openai.com"]
            .iter()
            .flat_map(|h| ["--resolve".to_string(), format!("{h}:443:{addr}")])
            .collect()
    }

    #[test]
    fn a_dns_filter_s_answer_is_a_block_never_cloudflare_down() {
        if !in_own_network(
            "own_network::a_dns_filter_s_answer_is_a_block_never_cloudflare_down",
            &[],
        ) {
            return;
        }
        rt().block_on(async {
            let data = tempdir("sinkhole");
            let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
            // Pi-hole's and AdGuard Home's answer for a blocked name.
            let (v, code) = check(&world, &data, &resolve_all("0.0.0.0")).await;
            assert_block(&v, code, "dns_answer", "network");
            assert_eq!(v["network_block"]["detail"], "0.0.0.0");
            assert_eq!(
                (
                    probe(&v, "origin")["addr"].as_str(),
                    probe(&v, "origin")["addr_place"].as_str()
                ),
                (Some("0.0.0.0"), Some("unspecified"))
            );
            assert_eq!(v["network_block"]["beyond"], "up", "the status page passed");
            // Cisco Umbrella's block-page server names its filter.
            let (v, code) = check(&world, &data, &resolve_all("146.112.61.106")).await;
            assert_block(&v, code, "dns_answer", "network");
            assert_eq!(v["network_block"]["vendor"], "Cisco Umbrella");
        });
    }

    #[test]
    fn a_reset_after_the_client_hello_naming_openai_is_a_block() {
        if !in_own_network(
            "own_network::a_reset_after_the_client_hello_naming_openai_is_a_block",
            &["104.18.32.47/32"],
        ) {
            return;
        }
        rt().block_on(async {
            let data = tempdir("sni-reset");
            let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
            // A Cloudflare address where a filter cuts connections that name OpenAI.
            let resetter = SniResetter::start(
                "104.18.32.47:443".parse().unwrap(),
                &["chatgpt.com", "openai.com"],
            )
            .await
            .unwrap();
            let (v, code) = check(&world, &data, &resolve_all("104.18.32.47")).await;
            assert_block(&v, code, "reset", "network");
            assert_eq!(v["network_block"]["detail"], "104.18.32.47");
            assert_eq!(probe(&v, "origin")["addr_place"], "cloudflare");
            let seen = resetter.seen();
            assert!(
                seen.contains(&("chatgpt.com".to_string(), true)),
                "{seen:?}"
            );
            // The closer look asked the same address under another name, which passed.
            assert!(
                seen.contains(&("example.com".to_string(), false)),
                "{seen:?}"
            );
        });
    }

    #[test]
    fn a_block_server_s_own_certificate_is_a_block_at_cloudflare_interception() {
        if !in_own_network(
            "own_network::a_block_server_s_own_certificate_is_a_block_at_cloudflare_interception",
            &["192.168.99.1/32", "104.18.32.48/32"],
        ) {
            return;
        }
        rt().block_on(async {
            let data = tempdir("block-server");
            let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
            // A FortiGate's own certificate, wherever it is put.
            let fortigate = |addr: &str| {
                BlockServer::start(
                    addr.parse().unwrap(),
                    "FortiGate",
                    "Fortinet",
                    &["fortigate.example"],
                )
            };
            let block = fortigate("192.168.99.1:443").await.unwrap();
            let (v, code) = check(&world, &data, &resolve_all("192.168.99.1")).await;
            assert_block(&v, code, "foreign_certificate", "network");
            assert_eq!(v["network_block"]["vendor"], "Fortinet");
            let detail = v["network_block"]["detail"].as_str().unwrap();
            assert!(detail.starts_with("192.168.99.1: CN=FortiGate"), "{detail}");
            // Never trusted, nothing sent over it.
            assert_eq!((block.handshakes(), block.requests()), (0, 0));
            // The same certificate on a Cloudflare address: something intercepts TLS.
            let _inside = fortigate("104.18.32.48:443").await.unwrap();
            let (v, code) = check(&world, &data, &resolve_all("104.18.32.48")).await;
            assert_eq!(
                (v["verdict"].as_str(), v["cause"].as_str(), code),
                (Some("offline"), Some("tls_intercepted"), 3),
                "{v:#}"
            );
        });
    }
}
