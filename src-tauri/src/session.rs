//! The explainer's line to the tray process, which owns the monitor: the explainer never probes.
//!
//! It connects to the tray's channel (a Unix socket, or a named pipe on Windows: the core's
//! `channel`; its address is in `GATEWATCH_SOCKET` when the tray started us, else found the way
//! the tray finds it), says hello, and gets the view, then every update;
//! it sends the page's commands. When the tray closes the connection (it quit), the explainer
//! quits too. Started by hand with no tray running, it starts `gatewatch-app` first.

use std::path::{Path, PathBuf};
use std::time::Duration;

use gatewatch_core::channel::{self, ChannelError, Conn};
use gatewatch_core::ipc::{self, FromTray, IpcError, LineReader, Page, ToTray};
use serde_json::Value;
use tauri::{AppHandle, Emitter};
use tokio::io::{AsyncWriteExt as _, BufReader, ReadHalf, WriteHalf};
use tokio::sync::{mpsc, watch};

use crate::windows;

pub const UPDATE_EVENT: &str = "gatewatch://update";
/// How long a tray we started ourselves may take to listen.
const TRAY_START: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Connect(#[from] ChannelError),
    #[error("Gatewatch is not running and could not be started ({program}): {source}")]
    StartTray {
        program: PathBuf,
        source: std::io::Error,
    },
    #[error("Gatewatch closed the connection before sending its view")]
    Closed,
    #[error("Gatewatch sent {0} first, not its view")]
    Unexpected(&'static str),
    #[error(transparent)]
    Ipc(#[from] IpcError),
}

/// What commands use to talk to the tray (managed state).
pub struct Tray {
    to_tray: mpsc::Sender<ToTray>,
    view: watch::Receiver<Value>,
}

impl Tray {
    /// The latest view the tray sent.
    pub fn view(&self) -> Value {
        self.view.borrow().clone()
    }

    /// Hand a command to the writer task; `Err` when the tray is gone.
    pub async fn send(&self, msg: ToTray) -> Result<(), ()> {
        self.to_tray.send(msg).await.map_err(drop)
    }
}

pub enum Hello {
    /// Connected: the tray (for commands, managed by the app) and the session's two halves,
    /// to be run once the app is up.
    Ready(Tray, Pumps),
    /// Another explainer is open; the tray brought it forward, and this one has nothing to do.
    Busy,
}

/// The session's connection and queues, before they run.
pub struct Pumps {
    reader: LineReader<BufReader<ReadHalf<Conn>>>,
    writer: WriteHalf<Conn>,
    outbox: mpsc::Receiver<ToTray>,
    view_tx: watch::Sender<Value>,
}

/// `gatewatch-app`, beside our own executable.
fn tray_program() -> std::io::Result<PathBuf> {
    let exe = std::env::current_exe()?;
    Ok(exe.with_file_name(format!("gatewatch-app{}", std::env::consts::EXE_SUFFIX)))
}

fn start_tray() -> Result<(), SessionError> {
    let program = tray_program().map_err(|source| SessionError::StartTray {
        program: PathBuf::from("gatewatch-app"),
        source,
    })?;
    let mut cmd = std::process::Command::new(&program);
    cmd.stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    // Its own process group: closing our terminal or window must not take the tray with it.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    cmd.spawn()
        .map(drop)
        .map_err(|source| SessionError::StartTray { program, source })
}

async fn connect(path: &Path, may_start_tray: bool) -> Result<Conn, SessionError> {
    let first = channel::connect(path).await;
    let error = match first {
        Ok(s) => return Ok(s),
        // Another user's process on our name: starting a tray would not help.
        Err(e @ ChannelError::NotOurs(_)) => e,
        Err(e) if !may_start_tray => e,
        Err(_) => {
            tracing::info!("Gatewatch is not running; starting it");
            start_tray()?;
            let deadline = tokio::time::Instant::now() + TRAY_START;
            loop {
                tokio::time::sleep(Duration::from_millis(100)).await;
                match channel::connect(path).await {
                    Ok(s) => return Ok(s),
                    Err(e) if tokio::time::Instant::now() >= deadline => break e,
                    Err(_) => {}
                }
            }
        }
    };
    Err(SessionError::Connect(error))
}

/// Connect, say hello, and wait for the first view.
pub async fn open(socket: &Path, may_start_tray: bool) -> Result<Hello, SessionError> {
    let stream = connect(socket, may_start_tray).await?;
    let (read, mut writer) = tokio::io::split(stream);
    let hello = ipc::encode(&ToTray::Hello {
        pid: std::process::id(),
    })?;
    writer
        .write_all(hello.as_bytes())
        .await
        .map_err(IpcError::Io)?;
    let mut reader = LineReader::new(BufReader::new(read));
    let view = match reader.next::<FromTray>().await? {
        Some(FromTray::View { view }) => view,
        Some(FromTray::Busy) => return Ok(Hello::Busy),
        Some(FromTray::Show { .. }) => return Err(SessionError::Unexpected("a page")),
        // The browser's answers are for the browser host and `gatewatch check`, never a window.
        Some(FromTray::Browser { .. } | FromTray::BrowserWindow { .. }) => {
            return Err(SessionError::Unexpected("a browser's answer"))
        }
        None => return Err(SessionError::Closed),
    };
    let (to_tray, outbox) = mpsc::channel(16);
    let (view_tx, view_rx) = watch::channel(view);
    Ok(Hello::Ready(
        Tray {
            to_tray,
            view: view_rx,
        },
        Pumps {
            reader,
            writer,
            outbox,
            view_tx,
        },
    ))
}

/// The window's title says the verdict, so it can be read from outside (task bar, tests).
/// ASCII around the headline: in a C locale GTK cannot give X a title with a dash in it.
pub fn title(view: &Value) -> String {
    match view["status_headline"].as_str() {
        Some(h) => format!("Gatewatch - {h}"),
        None => "Gatewatch".into(),
    }
}

/// Run the session until the tray hangs up (then quit) — tauri's runtime owns both tasks,
/// and they end with the process.
pub fn start(app: &AppHandle, pumps: Pumps) {
    let Pumps {
        mut reader,
        mut writer,
        mut outbox,
        view_tx,
    } = pumps;
    tauri::async_runtime::spawn(async move {
        while let Some(msg) = outbox.recv().await {
            let line = match ipc::encode(&msg) {
                Ok(l) => l,
                Err(e) => {
                    tracing::error!("{e}");
                    continue;
                }
            };
            if let Err(e) = writer.write_all(line.as_bytes()).await {
                tracing::warn!("cannot reach Gatewatch: {e}");
                return;
            }
        }
    });
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let code = loop {
            match reader.next::<FromTray>().await {
                Ok(Some(FromTray::View { view })) => {
                    windows::set_title(&app, &title(&view));
                    if let Err(e) = app.emit(UPDATE_EVENT, &view) {
                        tracing::warn!("cannot update the page: {e}");
                    }
                    view_tx.send_replace(view);
                }
                Ok(Some(FromTray::Show { page })) => windows::show(&app, page),
                Ok(Some(
                    FromTray::Busy | FromTray::Browser { .. } | FromTray::BrowserWindow { .. },
                )) => {}
                Ok(None) => {
                    tracing::info!("Gatewatch quit; closing");
                    break 0;
                }
                Err(e) => {
                    tracing::error!("{e}");
                    break 1;
                }
            }
        };
        app.exit(code);
    });
}

/// The page to open: `--page settings` (from the tray's menu) or the status page.
pub fn page_from_args(args: &[String]) -> Page {
    args.iter()
        .position(|a| a == "--page")
        .and_then(|i| args.get(i + 1))
        .and_then(|p| Page::parse(p))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_carries_the_verdict() {
        assert_eq!(
            title(&serde_json::json!({"status_headline": "ChatGPT is down"})),
            "Gatewatch - ChatGPT is down"
        );
        assert_eq!(
            title(&serde_json::json!({"status_headline": null})),
            "Gatewatch"
        );
    }

    #[test]
    fn pages_from_arguments() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            page_from_args(&args(&["x", "--page", "settings"])),
            Page::Settings
        );
        assert_eq!(
            page_from_args(&args(&["x", "--page", "nope"])),
            Page::Status
        );
        assert_eq!(page_from_args(&args(&["x"])), Page::Status);
    }
}
