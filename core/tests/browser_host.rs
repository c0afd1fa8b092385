//! End-to-end: the real `gatewatch-browser-host`, started as a browser starts it (the caller in
//! its arguments, native messaging frames on stdin and stdout), against a stand-in tray that
//! listens on the real local channel (`channel::claim`, the socket under the test's own
//! `GATEWATCH_DATA_DIR`). What reaches the tray is read byte for byte.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use gatewatch_core::browser::native::{self, MAX_IN, MAX_OUT};
use gatewatch_core::browser::{CHROMIUM_IDS, GECKO_ID};
use gatewatch_core::channel::{self, Claim, Conn, Listener};
use gatewatch_core::ipc::{self, FromTray};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::process::{Child, ChildStdout, Command};

const BIN: &str = env!("CARGO_BIN_EXE_gatewatch-browser-host");
const WAIT: Duration = Duration::from_secs(10);
const T0: i64 = 1_764_000_000;

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("gw-bhost-{name}-{}", std::process::id()));
    std::fs::remove_dir_all(&d).ok();
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn endpoint(data: &Path) -> PathBuf {
    let data = data.to_string_lossy().into_owned();
    channel::endpoint(|k| (k == "GATEWATCH_DATA_DIR").then(|| data.clone())).expect("endpoint")
}

/// The stand-in tray: the real channel, claimed under `data`.
fn tray(data: &Path) -> Listener {
    match channel::claim(&endpoint(data)) {
        Ok(Claim::First(l)) => l,
        Ok(Claim::Running) => panic!("another tray holds {}", data.display()),
        Err(e) => panic!("claim: {e}"),
    }
}

fn chromium() -> Vec<String> {
    vec![format!("chrome-extension://{}/", CHROMIUM_IDS[0])]
}

fn firefox() -> Vec<String> {
    vec![
        "/home/u/.mozilla/native-messaging-hosts/app.gatewatch.browser.json".into(),
        GECKO_ID.into(),
    ]
}

/// The host, started as a browser starts it, its data directory (and so its channel) `data`.
fn host(data: &Path, args: &[String]) -> Child {
    let mut c = Command::new(BIN);
    c.args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("GATEWATCH_DATA_DIR", data)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    if let Some(root) = std::env::var_os("SystemRoot") {
        c.env("SystemRoot", root);
    }
    c.spawn().expect("start gatewatch-browser-host")
}

fn frame(json: &str) -> Vec<u8> {
    native::encode_frame(json.as_bytes(), MAX_IN).unwrap()
}

/// The host's next message to the browser.
async fn next(out: &mut ChildStdout) -> Value {
    let f = tokio::time::timeout(WAIT, native::read_frame(out, MAX_OUT))
        .await
        .expect("an answer in time")
        .expect("a well-formed frame")
        .expect("a frame, not the end");
    serde_json::from_slice(&f).expect("JSON")
}

/// The host ended: its exit code and what it said on stderr.
async fn ended(mut child: Child) -> (i32, String) {
    let status = tokio::time::timeout(WAIT, child.wait())
        .await
        .expect("the host ends")
        .unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .await
        .unwrap();
    (status.code().unwrap_or(-1), err)
}

async fn accept(l: &mut Listener) -> BufReader<Conn> {
    let conn = tokio::time::timeout(WAIT, l.accept())
        .await
        .expect("the host connects")
        .unwrap();
    BufReader::new(conn)
}

async fn line(conn: &mut BufReader<Conn>) -> Option<Value> {
    let mut s = String::new();
    let n = tokio::time::timeout(WAIT, conn.read_line(&mut s))
        .await
        .expect("a line in time")
        .unwrap();
    (n > 0).then(|| serde_json::from_str(&s).expect("the host sends JSON lines"))
}

fn summary(records: Value) -> String {
    json!({"type": "summary", "records": records}).to_string()
}

fn failing() -> Value {
    json!([
        {"kind": "page", "result": "ok", "status": 200, "cf": true, "t": T0},
        {"kind": "conversation", "result": "http_5xx", "status": 502, "cf": true, "t": T0 + 10},
        {"kind": "conversation", "result": "net_error", "net": "reset", "cf": false, "t": T0 + 20},
        {"kind": "conversation", "result": "stopped", "status": 200, "cf": true, "t": T0 + 30},
    ])
}

fn word() -> Value {
    json!({
        "lang": "de", "rtl": false, "verdict": "bad_gateway", "color": "red",
        "status": "ChatGPT ist ausgefallen",
        "banner": {"title": "ChatGPT ist ausgefallen", "cause": "502", "advice": "Handy-App"},
    })
}

#[tokio::test]
async fn a_summary_reaches_the_tray_as_records_and_the_tray_s_word_comes_back() {
    let data = tempdir("relay");
    let mut listener = tray(&data);
    for args in [chromium(), firefox()] {
        let mut h = host(&data, &args);
        let mut stdin = h.stdin.take().unwrap();
        let mut stdout = h.stdout.take().unwrap();
        stdin.write_all(&frame(&summary(failing()))).await.unwrap();
        let mut conn = accept(&mut listener).await;
        // Exactly the records, as the tray's message: nothing added, nothing of the frame, but
        // the browser where the host can tell it (Firefox by its arguments; a Chromium browser
        // by the program that started the host, here this test: none).
        let relayed = |records: Value| {
            let mut m = json!({"type": "browser", "records": records});
            if args == firefox() {
                m["family"] = json!("firefox");
            }
            Some(m)
        };
        assert_eq!(line(&mut conn).await, relayed(failing()), "{args:?}");
        let answer: FromTray = serde_json::from_value(json!({"type": "browser", "word": word()}))
            .expect("the tray's answer is FromTray::Browser");
        conn.get_mut()
            .write_all(ipc::encode(&answer).unwrap().as_bytes())
            .await
            .unwrap();
        let mut state = word();
        state["type"] = json!("state");
        assert_eq!(next(&mut stdout).await, state);
        // The next summary on the same port, then the browser closes it: the host ends, and
        // the tray sees the hang-up.
        stdin.write_all(&frame(&summary(json!([])))).await.unwrap();
        assert_eq!(line(&mut conn).await, relayed(json!([])));
        drop(stdin);
        assert_eq!(line(&mut conn).await, None, "the host hangs up");
        let (code, err) = ended(h).await;
        assert_eq!(code, 0, "{err}");
        assert!(err.is_empty(), "nothing to say: {err}");
    }
    drop(listener);
    std::fs::remove_dir_all(&data).ok();
}

#[tokio::test]
async fn anything_but_outcome_records_is_refused_and_relayed_nowhere() {
    let data = tempdir("garbage");
    let mut listener = tray(&data);
    let mut h = host(&data, &chromium());
    let mut stdin = h.stdin.take().unwrap();
    let mut stdout = h.stdout.take().unwrap();
    let with_url = summary(json!([
        {"kind": "page", "result": "ok", "status": 200, "cf": true, "t": T0,
         "url": "https://chatgpt.com/c/6f1e2d3c"}
    ]));
    for bad in [
        "<html>not JSON</html>".to_string(),
        with_url,
        json!({"type": "history", "records": []}).to_string(),
    ] {
        stdin.write_all(&frame(&bad)).await.unwrap();
        let answer = next(&mut stdout).await;
        assert_eq!(answer["type"], "refused", "{bad}: {answer}");
        let reason = answer["reason"].as_str().unwrap();
        assert!(
            reason.starts_with("not a summary of outcome records") && reason.chars().count() <= 300,
            "{reason}"
        );
        assert!(!reason.contains("chatgpt.com/c/"), "{reason}");
    }
    // Still connected: a good summary after them goes through, and it is the first thing the
    // tray ever reads.
    stdin.write_all(&frame(&summary(failing()))).await.unwrap();
    let mut conn = accept(&mut listener).await;
    assert_eq!(
        line(&mut conn).await,
        Some(json!({"type": "browser", "records": failing()}))
    );
    drop(stdin);
    assert_eq!(line(&mut conn).await, None);
    let (code, err) = ended(h).await;
    assert_eq!(code, 0);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "one line per refusal: {err}");
    assert!(
        lines[0].starts_with(
            "gatewatch-browser-host: refused a message from the extension: not a summary of \
             outcome records: expected value at line 1 column 1"
        ),
        "{err}"
    );
    assert!(lines[1].contains("unknown field `url`"), "{err}");
    drop(listener);
    std::fs::remove_dir_all(&data).ok();
}

#[tokio::test]
async fn a_frame_over_the_cap_is_refused_before_it_is_read() {
    let data = tempdir("oversize");
    let mut listener = tray(&data);
    let mut h = host(&data, &chromium());
    let mut stdin = h.stdin.take().unwrap();
    let mut stdout = h.stdout.take().unwrap();
    // A length one over the cap, and a little of the body: the host must not wait for the rest.
    let mut input = ((MAX_IN + 1) as u32).to_ne_bytes().to_vec();
    input.extend_from_slice(b"{\"type\":\"summary\",");
    stdin.write_all(&input).await.unwrap();
    let answer = next(&mut stdout).await;
    assert_eq!(
        answer,
        json!({"type": "refused", "reason": format!("a message of {} bytes (at most {MAX_IN})", MAX_IN + 1)})
    );
    let (code, err) = ended(h).await;
    assert_eq!(code, 1);
    assert!(
        err.contains("refused the browser's stream: a message of 1048577 bytes"),
        "{err}"
    );
    // The tray was connected to (the tray is asked first) and told nothing.
    let mut conn = accept(&mut listener).await;
    let mut rest = Vec::new();
    conn.read_to_end(&mut rest).await.unwrap();
    assert!(rest.is_empty(), "{:?}", String::from_utf8_lossy(&rest));
    // At the cap exactly is a message like any other (here not a summary: refused, still open).
    let mut h = host(&data, &chromium());
    let mut stdin = h.stdin.take().unwrap();
    let mut stdout = h.stdout.take().unwrap();
    let at_cap = " ".repeat(MAX_IN);
    stdin.write_all(&frame(&at_cap)).await.unwrap();
    assert_eq!(next(&mut stdout).await["type"], "refused");
    drop(stdin);
    assert_eq!(ended(h).await.0, 0);
    drop(listener);
    std::fs::remove_dir_all(&data).ok();
}

#[tokio::test]
async fn only_gatewatch_s_extension_is_served() {
    let data = tempdir("ids");
    let mut listener = tray(&data);
    let other = "aaaabbbbccccddddeeeeffffgggghhhh";
    for (args, named) in [
        (vec![format!("chrome-extension://{other}/")], other),
        (
            vec![format!("chrome-extension://{}x/", CHROMIUM_IDS[0])],
            "x/",
        ),
        (
            vec![
                "/x/app.gatewatch.browser.json".into(),
                "evil@example.com".into(),
            ],
            "evil@example.com",
        ),
        (vec![], "not started by a browser"),
    ] {
        let mut h = host(&data, &args);
        let mut stdin = h.stdin.take().unwrap();
        let mut stdout = h.stdout.take().unwrap();
        stdin.write_all(&frame(&summary(failing()))).await.ok();
        let answer = next(&mut stdout).await;
        assert_eq!(answer["type"], "refused", "{args:?}");
        let (code, err) = ended(h).await;
        assert_eq!(code, 1, "{args:?}");
        assert!(
            err.starts_with("gatewatch-browser-host: refused: ") && err.contains(named),
            "{args:?}: {err}"
        );
    }
    // The tray never heard of any of them.
    assert!(
        tokio::time::timeout(Duration::from_millis(300), listener.accept())
            .await
            .is_err(),
        "a refused caller reached the tray"
    );
    drop(listener);
    std::fs::remove_dir_all(&data).ok();
}

#[tokio::test]
async fn without_the_tray_the_host_says_absent_and_ends() {
    let data = tempdir("absent");
    let mut h = host(&data, &chromium());
    let mut stdin = h.stdin.take().unwrap();
    let mut stdout = h.stdout.take().unwrap();
    stdin.write_all(&frame(&summary(failing()))).await.ok();
    assert_eq!(next(&mut stdout).await, json!({"type": "absent"}));
    let (code, err) = ended(h).await;
    assert_eq!(code, 0);
    assert!(
        err.starts_with("gatewatch-browser-host: Gatewatch is not running"),
        "{err}"
    );
    // A socket left behind by a tray that is gone (nobody listening) is the same.
    #[cfg(unix)]
    {
        let sock = endpoint(&data);
        std::fs::create_dir_all(sock.parent().unwrap()).unwrap();
        drop(std::os::unix::net::UnixListener::bind(&sock).unwrap());
        assert!(sock.exists());
        let mut h = host(&data, &chromium());
        let mut stdout = h.stdout.take().unwrap();
        assert_eq!(next(&mut stdout).await, json!({"type": "absent"}));
        assert_eq!(ended(h).await.0, 0);
    }
    std::fs::remove_dir_all(&data).ok();
}

#[tokio::test]
async fn a_tray_that_hangs_up_is_gone() {
    let data = tempdir("gone");
    let mut listener = tray(&data);
    let mut h = host(&data, &chromium());
    let mut stdin = h.stdin.take().unwrap();
    let mut stdout = h.stdout.take().unwrap();
    stdin.write_all(&frame(&summary(failing()))).await.unwrap();
    let mut conn = accept(&mut listener).await;
    assert!(line(&mut conn).await.is_some());
    drop(conn);
    assert_eq!(next(&mut stdout).await, json!({"type": "gone"}));
    let (code, err) = ended(h).await;
    assert_eq!(code, 0);
    assert!(err.contains("the tray closed the local channel"), "{err}");
    drop(listener);
    std::fs::remove_dir_all(&data).ok();
}

#[tokio::test]
async fn a_person_asking_for_help_or_the_version_gets_words_not_frames() {
    // As help2man asks, for the packages' manual page.
    let data = tempdir("help");
    let version = format!("gatewatch-browser-host {}", env!("CARGO_PKG_VERSION"));
    for (arg, starts) in [
        (
            "--help",
            "gatewatch-browser-host: Gatewatch's native messaging host",
        ),
        ("--version", version.as_str()),
    ] {
        let h = host(&data, &[arg.to_string()]);
        let out = tokio::time::timeout(WAIT, h.wait_with_output())
            .await
            .expect("it ends")
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{arg}: {out:?}");
        assert!(text.starts_with(starts), "{arg}: {text}");
    }
    std::fs::remove_dir_all(&data).ok();
}

/// Where Chrome, Edge and Chromium are installed (and a Chromium browser that is none of them),
/// under a folder of the test's own, and the family the host should name for each.
fn browser_places() -> [(&'static str, Option<&'static str>); 4] {
    if cfg!(windows) {
        [
            (r"Google\Chrome\Application\chrome.exe", Some("chrome")),
            (r"Microsoft\Edge\Application\msedge.exe", Some("edge")),
            (r"Chromium\Application\chrome.exe", Some("chromium")),
            (r"BraveSoftware\Brave-Browser\Application\brave.exe", None),
        ]
    } else {
        [
            ("opt/google/chrome/chrome", Some("chrome")),
            ("opt/microsoft/msedge/msedge", Some("edge")),
            ("usr/lib/chromium/chromium", Some("chromium")),
            ("opt/brave.com/brave/brave", None),
        ]
    }
}

/// The host tells the tray which Chromium browser started it, by that program's place: a copy
/// of this test program at each browser's place starts the host as the browser does (on Windows
/// through `cmd.exe`, as Chrome and Edge do: the browser is then the host's grandparent).
#[tokio::test]
async fn each_chromium_browser_is_named_by_the_program_that_started_it() {
    let data = tempdir("launchers");
    let mut listener = tray(&data);
    let me = std::env::current_exe().unwrap();
    for (place, family) in browser_places() {
        let program = data.join("browsers").join(place);
        std::fs::create_dir_all(program.parent().unwrap()).unwrap();
        // A hard link where it can be (Linux names a process by the path it was started by);
        // a copy on Windows, where Wine names it by the file's first path.
        if cfg!(windows) || std::fs::hard_link(&me, &program).is_err() {
            std::fs::copy(&me, &program).expect("a copy of the test program");
        }
        let mut c = Command::new(&program);
        c.args(["--exact", "stand_in_browser", "--ignored", "--quiet"])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("GATEWATCH_DATA_DIR", &data)
            .env("GATEWATCH_TEST_HOST", BIN)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        for var in ["SystemRoot", "ComSpec", "TEMP", "TMP"] {
            if let Some(v) = std::env::var_os(var) {
                c.env(var, v);
            }
        }
        let mut browser = c.spawn().expect("the browser's stand-in");
        let mut stdin = browser.stdin.take().unwrap();
        stdin.write_all(&frame(&summary(failing()))).await.unwrap();
        let mut conn = accept(&mut listener).await;
        let msg = line(&mut conn).await.expect("the window");
        assert_eq!(msg["records"], failing(), "{place}");
        assert_eq!(
            msg.get("family"),
            family.map(|f| json!(f)).as_ref(),
            "{place}: {msg}"
        );
        drop(stdin);
        assert_eq!(line(&mut conn).await, None, "the host hangs up");
        let (code, err) = ended(browser).await;
        assert_eq!(code, 0, "{place}: {err}");
    }
    drop(listener);
    std::fs::remove_dir_all(&data).ok();
}

/// A browser's stand-in, run by [`each_chromium_browser_is_named_by_the_program_that_started_it`]
/// from a copy of this program at a browser's place: it starts the host as Chromium browsers do,
/// with its own stdin and stdout, and ends with it.
#[test]
#[ignore = "run from a copy at a browser's place by each_chromium_browser_is_named_…"]
fn stand_in_browser() {
    let host = std::env::var("GATEWATCH_TEST_HOST")
        .expect("GATEWATCH_TEST_HOST: run by each_chromium_browser_is_named_…");
    let caller = format!("chrome-extension://{}/", CHROMIUM_IDS[0]);
    #[cfg(windows)]
    let mut c = {
        use std::os::windows::process::CommandExt as _;
        // As Chrome does: cmd.exe /d /s /c ""host" origin --parent-window=0".
        let mut c = std::process::Command::new("cmd.exe");
        c.raw_arg(format!(
            "/d /s /c \"\"{host}\" {caller} --parent-window=0\""
        ));
        c
    };
    #[cfg(not(windows))]
    let mut c = {
        let mut c = std::process::Command::new(&host);
        c.arg(&caller);
        c
    };
    let status = c.status().expect("start the host");
    assert!(status.success(), "the host: {status}");
}
