//! End-to-end: the real `gatewatch update --check` against a fake release server on loopback
//! (`gatewatch_fakes::releases`), whose manifests and files are signed here, at test time, with
//! the throwaway key the binary was built to trust (`scripts/update-test-key`) or with another.
//! Each way a release can fail to be believed — or a network to fail — must end the same: no
//! update, one line on stderr naming why, `error` in the JSON, exit code 3. And what the check
//! sends is looked at on the server: two GETs (and their redirects), a User-Agent, nothing else;
//! nothing at all when updates are off.
//!
//! `gatewatch update --verify` is the release workflow's gate: here it checks signatures made by
//! Debian's `minisign` program, as the workflow makes them.

use std::path::PathBuf;

use gatewatch_core::update::{self, Version, PLATFORM};
use gatewatch_fakes::releases::{file_path, Answer, Key, Release, Releases, MANIFEST_PATH};
use serde_json::Value;
use tokio::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_gatewatch");
const RUNNING: &str = env!("CARGO_PKG_VERSION");

/// A directory of its own for each call (the tests run side by side in one process).
fn tempdir(name: &str) -> PathBuf {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let d = std::env::temp_dir().join(format!(
        "gatewatch-update-{name}-{}-{n}",
        std::process::id()
    ));
    std::fs::remove_dir_all(&d).ok();
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

/// The next minor version after the one running: what "a newer release" is here.
fn next() -> String {
    let mut parts = RUNNING.split(['.', '-']);
    let major: u64 = parts.next().unwrap().parse().unwrap();
    let minor: u64 = parts.next().unwrap().parse().unwrap();
    format!("{major}.{}.0", minor + 1)
}

fn installer_name(version: &str) -> String {
    format!("Gatewatch-{version}-setup.exe")
}

/// A release of `version` for this system, signed by `key`.
fn release(key: &Key, version: &str) -> Release {
    Release::new(
        key,
        version,
        PLATFORM,
        &installer_name(version),
        format!("MZ… the installer of {version}").into_bytes(),
    )
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(self.stdout.trim())
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?} / {:?}", self.stdout, self.stderr))
    }
}

/// `gatewatch update --check --json` against `url`, with a private data dir and settings.
async fn check(url: &str, settings: Option<Value>, env: &[(&str, &str)], json: bool) -> Run {
    let data = tempdir("data");
    if let Some(s) = settings {
        std::fs::write(data.join("settings.json"), s.to_string()).unwrap();
    }
    let mut c = gatewatch_fakes::cli_command(BIN, &data);
    c.env("GATEWATCH_UPDATE_URL", url)
        .envs(env.iter().copied())
        .args(["update", "--check", "--timeout", "2s"]);
    if json {
        c.arg("--json");
    }
    let out = c.output().await.expect("gatewatch runs");
    std::fs::remove_dir_all(&data).ok();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// No update, and why: exit 3, `error` holding `why`, one line on stderr saying the same.
fn refused(r: &Run, why: &str) {
    let v = r.json();
    assert_eq!(r.code, 3, "{v} {}", r.stderr);
    assert_eq!(v["current"], RUNNING);
    assert_eq!(v["available"], Value::Null, "{v}");
    assert_eq!(v["url"], Value::Null, "{v}");
    let error = v["error"]
        .as_str()
        .unwrap_or_else(|| panic!("no error: {v}"));
    assert!(error.contains(why), "{error:?} does not say {why:?}");
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{:?}", r.stderr);
    assert_eq!(lines[0], format!("gatewatch: no update: {error}"));
}

#[tokio::test]
async fn a_newer_signed_release_is_offered_and_the_check_sends_nothing_but_its_name() {
    let key = Key::test();
    let server = Releases::start().await.unwrap();
    let next = next();
    let r = release(&key, &next);
    server.publish(&r, &key);

    let run = check(&server.manifest_url(), None, &[], true).await;
    let v = run.json();
    assert_eq!(run.code, 1, "{v} {}", run.stderr);
    assert_eq!(v["current"], RUNNING);
    assert_eq!(v["available"], next.as_str());
    assert_eq!(v["notes"], r.notes.as_str());
    assert_eq!(
        v["url"],
        server.url(&file_path(&next, &installer_name(&next)))
    );
    assert_eq!(v["error"], Value::Null);
    assert!(run.stderr.is_empty(), "{}", run.stderr);

    // The manifest and its signature, each through GitHub's redirect: four GETs, no query,
    // no id, nothing but the User-Agent (and the Host and Accept every request has).
    let seen = server.seen();
    let paths: Vec<&str> = seen.iter().map(|s| s.path.as_str()).collect();
    let own = file_path(&next, "latest.json");
    assert_eq!(
        paths,
        [
            MANIFEST_PATH.to_string(),
            own.clone(),
            format!("{MANIFEST_PATH}.minisig"),
            format!("{own}.minisig")
        ]
    );
    for s in &seen {
        assert_eq!(s.method, "GET");
        assert!(!s.path.contains('?'), "{}", s.path);
        let names: Vec<&str> = s.headers.iter().map(|(n, _)| n.as_str()).collect();
        for n in &names {
            assert!(
                ["host", "user-agent", "accept"].contains(n),
                "{n} sent: {s:?}"
            );
        }
        let agent = s.headers.iter().find(|(n, _)| n == "user-agent").unwrap();
        assert_eq!(agent.1, format!("Gatewatch/{RUNNING}"));
    }

    // In words: the version, the notes, and how to get it.
    let text = check(&server.manifest_url(), None, &[], false).await;
    assert_eq!(text.code, 1);
    assert!(
        text.stdout.contains(&format!(
            "Gatewatch {next} is available (you have {RUNNING})"
        )),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains(&r.notes), "{}", text.stdout);
    // How to get it, as this system gets it (the installer on Windows, the download page or
    // the package manager elsewhere).
    let how = update::how(update::channel::detect(), gatewatch_core::i18n::Lang::EN);
    assert!(text.stdout.contains(&how), "{}", text.stdout);
}

#[tokio::test]
async fn the_same_version_is_no_update() {
    let key = Key::test();
    let server = Releases::start().await.unwrap();
    server.publish(&release(&key, RUNNING), &key);
    let run = check(&server.manifest_url(), None, &[], true).await;
    let v = run.json();
    assert_eq!(run.code, 0, "{v}");
    assert_eq!(v["available"], Value::Null);
    assert_eq!(v["error"], Value::Null);
    let text = check(&server.manifest_url(), None, &[], false).await;
    assert_eq!(text.code, 0);
    assert_eq!(
        text.stdout.trim(),
        format!("Gatewatch {RUNNING} is the newest version.")
    );
}

#[tokio::test]
async fn a_release_that_cannot_be_believed_is_no_update() {
    let key = Key::test();
    let server = Releases::start().await.unwrap();
    let next = next();
    let url = server.manifest_url();
    let good = release(&key, &next);

    // One byte of the manifest changed after it was signed (a higher number, say).
    let manifest = good.manifest(&server);
    let sig = key.sign_release(&manifest, "latest.json", &next);
    let mut tampered = String::from_utf8(manifest.clone()).unwrap();
    tampered = tampered.replace(
        &r#""notes": "Gatewatch"#.to_string(),
        r#""notes": "Gatewatcx"#,
    );
    assert_ne!(tampered.as_bytes(), manifest.as_slice());
    server.publish_raw(&good, tampered.into_bytes(), sig);
    refused(&check(&url, None, &[], true).await, "does not match");

    // Signed with another key.
    let other = Key::generate();
    server.publish(&good, &other);
    refused(
        &check(&url, None, &[], true).await,
        "signed with a key this Gatewatch does not trust",
    );

    // A signature whose trusted comment names another version, another file, or no version.
    let manifest = good.manifest(&server);
    for (comment, why) in [
        (
            format!("timestamp:1\tfile:latest.json\tversion:{RUNNING}"),
            "names version",
        ),
        (
            format!("timestamp:1\tfile:other.json\tversion:{next}"),
            "names file",
        ),
        ("timestamp:1\tfile:latest.json".to_string(), "names version"),
    ] {
        let sig = key.sign(&manifest, &comment);
        server.publish_raw(&good, manifest.clone(), sig);
        refused(&check(&url, None, &[], true).await, why);
    }

    // Not a signature; no signature at all.
    server.publish_raw(&good, manifest.clone(), "hello".into());
    refused(
        &check(&url, None, &[], true).await,
        "not a minisign signature",
    );
    server.answer(&format!("{MANIFEST_PATH}.minisig"), Answer::Status(404));
    refused(&check(&url, None, &[], true).await, "answered HTTP 404");

    // The manifest says the next version, but its installer's signature is an older release's
    // (signed for real, long ago): the pairing is refused.
    let mut paired = good.clone();
    paired.files[0].3 = key.sign_release(&paired.files[0].2, &installer_name(&next), RUNNING);
    server.publish(&paired, &key);
    refused(&check(&url, None, &[], true).await, "names version");
    // …and a signature naming another file.
    let mut renamed = good.clone();
    renamed.files[0].3 = key.sign_release(&renamed.files[0].2, "gatewatch-app.exe", &next);
    server.publish(&renamed, &key);
    refused(&check(&url, None, &[], true).await, "names file");

    // An older release, well signed: a downgrade.
    server.clear();
    server.publish(&release(&key, "0.0.1"), &key);
    refused(&check(&url, None, &[], true).await, "downgrade");

    // No download for this system.
    server.clear();
    let elsewhere = Release::new(&key, &next, "plan9-mips", "gatewatch.tar", b"x".to_vec());
    server.publish(&elsewhere, &key);
    refused(
        &check(&url, None, &[], true).await,
        "no download for this system",
    );
}

#[tokio::test]
async fn network_failures_are_no_update() {
    let key = Key::test();
    let server = Releases::start().await.unwrap();
    let url = server.manifest_url();
    for status in [204, 404, 500, 502, 503] {
        server.answer(MANIFEST_PATH, Answer::Status(status));
        refused(
            &check(&url, None, &[], true).await,
            &format!("answered HTTP {status}"),
        );
    }
    // A hang: the timeout (2 s) ends it.
    server.answer(MANIFEST_PATH, Answer::Hang);
    let started = std::time::Instant::now();
    refused(&check(&url, None, &[], true).await, "did not answer within");
    assert!(started.elapsed().as_secs() < 10);
    // 10 MB where a few hundred bytes belong; a body cut short.
    server.answer(MANIFEST_PATH, Answer::Huge(10 * 1024 * 1024));
    refused(
        &check(&url, None, &[], true).await,
        "sent more than 65536 bytes",
    );
    let manifest = release(&key, &next()).manifest(&server);
    server.answer(MANIFEST_PATH, Answer::Cut(manifest));
    refused(&check(&url, None, &[], true).await, "broke off");
    // A redirect to plain http elsewhere: refused before any connection is made.
    server.answer(
        MANIFEST_PATH,
        Answer::Redirect("http://192.0.2.7/latest.json".into()),
    );
    refused(
        &check(&url, None, &[], true).await,
        "refused to follow a redirect to http://192.0.2.7/latest.json",
    );
    // Nothing listening at all.
    refused(
        &check("http://127.0.0.1:9/latest.json", None, &[], true).await,
        "did not answer",
    );
}

#[tokio::test]
async fn turned_off_it_asks_nothing_at_all() {
    let key = Key::test();
    let server = Releases::start().await.unwrap();
    server.publish(&release(&key, &next()), &key);
    let url = server.manifest_url();

    let off = serde_json::json!({"updates": "off"});
    refused(&check(&url, Some(off), &[], true).await, "turned off");
    refused(
        &check(&url, None, &[("GATEWATCH_UPDATES", "off")], true).await,
        "GATEWATCH_UPDATES=off",
    );
    assert_eq!(server.requests(), 0, "{:?}", server.seen());

    // An address that is neither https nor this machine: a usage error, and no request.
    let r = check("http://example.com/latest.json", None, &[], true).await;
    assert_eq!(r.code, 64, "{}", r.stderr);
    assert!(r.stderr.contains("plain http"), "{}", r.stderr);
    // …and the setting's address, when the environment names none.
    let mut c = Command::new(BIN);
    let data = tempdir("setting-url");
    std::fs::write(
        data.join("settings.json"),
        serde_json::json!({"update_url": url}).to_string(),
    )
    .unwrap();
    let out = c
        .env_clear()
        .env("GATEWATCH_DATA_DIR", &data)
        .env("LANG", "C")
        .args(["update", "--check", "--json", "--timeout", "2s"])
        .output()
        .await
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(server.requests(), 4);
    std::fs::remove_dir_all(&data).ok();
}

// tinyproxy is Linux's (as in tests/proxy.rs).
#[cfg(not(windows))]
#[tokio::test]
async fn the_check_goes_through_the_proxy_setting() {
    let key = Key::test();
    let server = Releases::start().await.unwrap();
    server.publish(&release(&key, &next()), &key);
    let mut proxy = gatewatch_fakes::proxy::Tinyproxy::start(None).expect("tinyproxy starts");
    let settings = serde_json::json!({"proxy": proxy.url()});
    let r = check(&server.manifest_url(), Some(settings), &[], true).await;
    assert_eq!(r.code, 1, "{} {}", r.stdout, r.stderr);
    assert_eq!(proxy.requests(), 4, "{}", proxy.log());
    proxy.stop();
}

/// Sign `file` in `dir` with Debian's minisign, as the release workflow does.
#[cfg(not(windows))]
fn minisign(dir: &std::path::Path, file: &str, comment: &str, extra: &[&str]) {
    let key = std::env::var("GATEWATCH_UPDATE_TEST_KEY").expect("scripts/update-test-key");
    let status = std::process::Command::new("minisign")
        .args(["-S", "-s", &key, "-t", comment])
        .args(extra)
        .arg("-m")
        .arg(dir.join(file))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .status()
        .expect("minisign (Debian's package) runs");
    assert!(status.success());
}

// Debian's minisign program is Linux's; the release workflow runs on Linux too.
#[cfg(not(windows))]
#[tokio::test]
async fn verify_checks_a_release_signed_by_minisign_as_the_workflow_signs() {
    use base64::Engine as _;
    let dir = tempdir("release");
    let next = next();
    let exe = installer_name(&next);
    std::fs::write(dir.join(&exe), b"MZ the installer").unwrap();
    std::fs::write(dir.join("Gatewatch.AppImage"), b"ELF the AppImage").unwrap();
    minisign(&dir, &exe, &update::trusted_comment(1, &exe, &next), &[]);
    minisign(
        &dir,
        "Gatewatch.AppImage",
        &update::trusted_comment(1, "Gatewatch.AppImage", &next),
        &[],
    );
    let sig = |f: &str| {
        base64::engine::general_purpose::STANDARD
            .encode(std::fs::read(dir.join(format!("{f}.minisig"))).unwrap())
    };
    let manifest = serde_json::json!({
        "version": next,
        "notes": "n",
        "pub_date": "2026-12-04T12:00:00Z",
        "platforms": {
            "windows-x86_64": {"url": format!("https://github.com/gatewatch/gatewatch/releases/download/v{next}/{exe}"), "signature": sig(&exe)},
            "linux-x86_64": {"url": format!("https://github.com/gatewatch/gatewatch/releases/download/v{next}/Gatewatch.AppImage"), "signature": sig("Gatewatch.AppImage")},
        }
    });
    std::fs::write(dir.join("latest.json"), manifest.to_string()).unwrap();
    minisign(
        &dir,
        "latest.json",
        &update::trusted_comment(1, "latest.json", &next),
        &[],
    );
    let verify = || {
        std::process::Command::new(BIN)
            .arg("update")
            .arg("--verify")
            .arg(&dir)
            .output()
            .unwrap()
    };
    let out = verify();
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{said} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.contains("windows-x86_64: Gatewatch-")
            && said.contains("linux-x86_64: Gatewatch.AppImage"),
        "{said}"
    );

    // A file changed after signing: refused, by name.
    std::fs::write(dir.join("Gatewatch.AppImage"), b"ELF another").unwrap();
    let out = verify();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("linux-x86_64: the signature of Gatewatch.AppImage does not match it"));

    // minisign's legacy, not prehashed, signatures are refused.
    minisign(
        &dir,
        "latest.json",
        &update::trusted_comment(1, "latest.json", &next),
        &["-l"],
    );
    let out = verify();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("legacy signature"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(Version::parse(&next).unwrap() > Version::parse(RUNNING).unwrap());
    std::fs::remove_dir_all(&dir).ok();
}
