//! `gatewatch-browser-host`: the native messaging host the browsers start for Gatewatch's
//! companion extension (`extension/`). It has no window and no settings; it relays.
//!
//! 1. Who called: Chromium, Chrome and Edge pass `chrome-extension://<id>/`, Firefox the host
//!    manifest's path and the add-on's id; anything but Gatewatch's extension ids is refused
//!    ([`native::caller`]) and the host exits.
//!    Which browser it is: Firefox by those arguments, the others by the program that started
//!    the host ([`launcher`]); said to the tray with each window, for the Settings page.
//! 2. The running tray, over the local channel (a 0600 socket; the user's named pipe on
//!    Windows), found as the tray and the explainer find it. Not running: `{"type":"absent"}`
//!    to the extension, and the host exits.
//! 3. Then, until either side closes: each message from the browser (a 32-bit native-endian
//!    length, then that much JSON, at most [`native::MAX_IN`]) is read strictly as a
//!    [`Summary`] of outcome records and relayed as `{"type":"browser","records":[…],"family":…}`; anything
//!    else is answered `{"type":"refused","reason":…}` and relayed nowhere. Each answer of the
//!    tray's goes back to the extension as `{"type":"state",…}`. The tray hanging up is
//!    `{"type":"gone"}`; the browser closing stdin ends the host.
//!
//! Its stdout is the browser's channel: nothing else is ever written there (but the answer to
//! `--help` or `--version`, which a person asks and a browser never passes). What went wrong is
//! one line on stderr (Firefox shows it in the Browser Console; Chrome when started from a
//! terminal), never a record's content beyond serde's short words.

use std::process::ExitCode;

use gatewatch_core::browser::hosts::Family;
use gatewatch_core::browser::native::{self, FrameError, MAX_IN, MAX_OUT};
use gatewatch_core::browser::{launcher, register};
use gatewatch_core::browser::{Summary, ToExtension};
use gatewatch_core::channel;
use gatewatch_core::ipc::{self, FromTray, LineReader, ToTray};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt as _};
use tokio::sync::mpsc;

/// The caller is not Gatewatch's extension, or the browser's stream cannot be followed.
const EXIT_REFUSED: u8 = 1;

const HELP: &str = "\
gatewatch-browser-host: Gatewatch's native messaging host, started by the browser for Gatewatch's
browser extension (never by hand). It relays the extension's outcome records of chatgpt.com
requests to the running Gatewatch over its private local channel, and Gatewatch's word back.

usage: gatewatch-browser-host <caller>…   (as a browser starts it: the extension's origin, or
                                          Firefox's manifest path and add-on id)
       gatewatch-browser-host --unregister
       gatewatch-browser-host --system-install | --system-remove [<root>]
       gatewatch-browser-host --help | --version

Gatewatch writes the host's manifests for each browser this user has run when it starts (on
Windows with the keys under HKEY_CURRENT_USER that name them); the Linux packages install
system-wide ones instead.

  --unregister   remove this user's manifests (and keys) that are Gatewatch's, saying each:
                 what uninstalling does (the Windows uninstaller runs it)
  --system-install  write the system-wide manifests for every user, naming this program
                    (the Linux packages' install script runs it, as root)
  --system-remove   remove the system-wide manifests that are Gatewatch's (the packages'
                    remove script)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // A person (or help2man, for the manual page) asking: a browser never passes these.
    match args.as_slice() {
        [a] if a == "--help" || a == "-h" => {
            println!("{HELP}");
            return ExitCode::SUCCESS;
        }
        [a] if a == "--version" || a == "-V" => {
            println!("gatewatch-browser-host {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        [a] if a == "--unregister" => return unregister(),
        [a, rest @ ..]
            if (a == "--system-install" || a == "--system-remove") && rest.len() <= 1 =>
        {
            let root = std::path::PathBuf::from(rest.first().map_or("/", String::as_str));
            return system(a == "--system-install", &root);
        }
        _ => {}
    }
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            say(&format!("cannot start: {e}"));
            return ExitCode::FAILURE;
        }
    };
    let code = rt.block_on(run(args));
    // The reader of stdin may still be blocked in a read (tokio reads stdin on a thread of its
    // own, which nothing can interrupt): do not wait for it.
    rt.shutdown_background();
    code
}

/// Remove this user's manifests (and, on Windows, the keys naming them) that are Gatewatch's.
/// Something left (another program's file under our name, a file that cannot be removed) is
/// said, and the exit code is 1; nothing there to remove is success.
fn unregister() -> ExitCode {
    let host = match std::env::current_exe() {
        Ok(p) => p,
        Err(e) => {
            say(&format!("cannot find our own program: {e}"));
            return ExitCode::FAILURE;
        }
    };
    // The plan wants the program's path only for what a manifest would say; removing reads
    // what is there.
    let plans = match register::this_user(&host) {
        Ok((_, _, plans)) => plans,
        Err(why) => {
            say(&format!("nothing removed: {why}"));
            return ExitCode::FAILURE;
        }
    };
    let (removed, errors) = register::remove(&plans);
    for r in &removed {
        println!("removed {r}");
    }
    if removed.is_empty() && errors.is_empty() {
        println!("no manifest of Gatewatch's to remove");
    }
    for e in &errors {
        say(&format!("left: {e}"));
    }
    if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Write (or remove) the system-wide manifests under `root`, naming this program as installed
/// (`root` is `/` but in the package checks), saying each file.
fn system(install: bool, root: &std::path::Path) -> ExitCode {
    let mut failed = false;
    if install {
        let host = match std::env::current_exe() {
            Ok(p) => p,
            Err(e) => {
                say(&format!("cannot find our own program: {e}"));
                return ExitCode::FAILURE;
            }
        };
        // As installed: under `root` in the checks, the manifests name it from `/`.
        let named = std::path::Path::new("/").join(host.strip_prefix(root).unwrap_or(&host));
        for (file, result) in register::system_install(root, &named.to_string_lossy()) {
            match result {
                Ok(()) => println!("wrote {}", file.display()),
                Err(e) => {
                    say(&format!("left: {e}"));
                    failed = true;
                }
            }
        }
    } else {
        let (removed, errors) = register::system_remove(root);
        for r in &removed {
            println!("removed {r}");
        }
        for e in &errors {
            say(&format!("left: {e}"));
        }
        failed = !errors.is_empty();
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn say(line: &str) {
    eprintln!("gatewatch-browser-host: {line}");
}

async fn run(args: Vec<String>) -> ExitCode {
    let mut out = tokio::io::stdout();
    // The caller itself is not named again: the browser checked it against the manifest, and
    // it was one of Gatewatch's ids. Which browser it is goes to the tray, for Settings.
    let family = match native::caller(&args) {
        Ok(caller) => launcher::family(&caller, &launcher::launchers()),
        Err(e) => {
            say(&format!("refused: {e}"));
            answer(&mut out, &refused(e.to_string())).await;
            return ExitCode::from(EXIT_REFUSED);
        }
    };
    let Some(endpoint) = channel::endpoint(|k| std::env::var(k).ok()) else {
        say("Gatewatch is not running: no place for its local channel (no data or runtime directory)");
        answer(&mut out, &ToExtension::Absent).await;
        return ExitCode::SUCCESS;
    };
    let tray = match channel::connect(&endpoint).await {
        Ok(t) => t,
        Err(e) => {
            say(&format!("Gatewatch is not running ({e})"));
            answer(&mut out, &ToExtension::Absent).await;
            return ExitCode::SUCCESS;
        }
    };
    relay(tokio::io::stdin(), out, tray, family).await
}

/// What the extension's side said: a frame, its end, or a stream that cannot be followed.
type FromBrowser = Result<Option<Vec<u8>>, FrameError>;

async fn relay<R, W, T>(stdin: R, mut out: W, tray: T, family: Option<Family>) -> ExitCode
where
    R: AsyncRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin,
    T: AsyncRead + AsyncWrite + Send + 'static,
{
    let (tray_in, mut tray_out) = tokio::io::split(tray);
    // Each side is read by a task of its own and handed over whole, so that waiting on both at
    // once never drops half a message (reading a frame or a line is not cancel-safe).
    let (browser_tx, mut from_browser) = mpsc::channel::<FromBrowser>(4);
    tokio::spawn(async move {
        let mut stdin = stdin;
        loop {
            let f = native::read_frame(&mut stdin, MAX_IN).await;
            let more = matches!(f, Ok(Some(_)));
            if browser_tx.send(f).await.is_err() || !more {
                return;
            }
        }
    });
    let (tray_tx, mut from_tray) = mpsc::channel::<Result<Option<FromTray>, ipc::IpcError>>(4);
    tokio::spawn(async move {
        let mut lines = LineReader::with_max(tokio::io::BufReader::new(tray_in), MAX_OUT);
        loop {
            let m = lines.next::<FromTray>().await;
            let more = matches!(m, Ok(Some(_)));
            if tray_tx.send(m).await.is_err() || !more {
                return;
            }
        }
    });

    loop {
        tokio::select! {
            f = from_browser.recv() => match f {
                // The browser closed the port: the host's work is done.
                None | Some(Ok(None)) => {
                    // The tray learns it from the hang-up; a failure to say so changes nothing.
                    if let Err(e) = tray_out.shutdown().await {
                        say(&format!("closing the local channel: {e}"));
                    }
                    return ExitCode::SUCCESS;
                }
                Some(Err(e)) => {
                    // Over the cap, or cut: the stream cannot be followed past it.
                    say(&format!("refused the browser's stream: {e}"));
                    answer(&mut out, &refused(e.to_string())).await;
                    return ExitCode::from(EXIT_REFUSED);
                }
                Some(Ok(Some(bytes))) => match Summary::parse(&bytes) {
                    Ok(summary) => {
                        let line = ipc::encode(&ToTray::Browser { records: summary.records, family });
                        let sent = match line {
                            Ok(line) => tray_out.write_all(line.as_bytes()).await,
                            Err(e) => Err(std::io::Error::other(e)),
                        };
                        if let Err(e) = sent {
                            say(&format!("the tray went away ({e})"));
                            answer(&mut out, &ToExtension::Gone).await;
                            return ExitCode::SUCCESS;
                        }
                    }
                    Err(e) => {
                        // Relayed nowhere; the port stays open for the next summary.
                        say(&format!("refused a message from the extension: {e}"));
                        if !answer(&mut out, &refused(e.to_string())).await {
                            return ExitCode::SUCCESS;
                        }
                    }
                },
            },
            m = from_tray.recv() => match m {
                Some(Ok(Some(FromTray::Browser { word }))) => {
                    if !answer(&mut out, &ToExtension::State(word)).await {
                        return ExitCode::SUCCESS;
                    }
                }
                // Nothing else the tray says is the extension's business.
                Some(Ok(Some(_))) => {}
                Some(Err(e)) => {
                    say(&format!("the tray's answer was refused: {e}"));
                    answer(&mut out, &ToExtension::Gone).await;
                    return ExitCode::SUCCESS;
                }
                None | Some(Ok(None)) => {
                    say("the tray closed the local channel");
                    answer(&mut out, &ToExtension::Gone).await;
                    return ExitCode::SUCCESS;
                }
            },
        }
    }
}

fn refused(reason: String) -> ToExtension {
    ToExtension::Refused { reason }
}

/// One message to the extension; false when the browser is no longer listening.
async fn answer<W: AsyncWrite + Unpin>(out: &mut W, msg: &ToExtension) -> bool {
    let json = match serde_json::to_vec(msg) {
        Ok(j) => j,
        Err(e) => {
            say(&format!("cannot encode an answer: {e}"));
            return false;
        }
    };
    match native::write_frame(out, &json).await {
        Ok(()) => true,
        Err(e) => {
            say(&format!("cannot answer the browser: {e}"));
            false
        }
    }
}
