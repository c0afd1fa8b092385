//! The local channel between Gatewatch's two processes: the resident tray process (which owns
//! the monitor) and the explainer window process (started on demand), plus a second launch of
//! `gatewatch-app` handing over to the first.
//!
//! One per-user channel owned by the tray process ([`crate::channel`]: a Unix socket at
//! [`socket_path`], a named pipe on Windows), JSON lines both ways:
//! each message is one serde-tagged object on one line. Clients send [`ToTray`], the tray
//! answers with [`FromTray`]. A line longer than [`MAX_LINE`] or one that is not a message is an
//! error that names what was wrong; the reader never buffers more than the cap.
//!
//! The explainer passes the view to its page untouched, so [`FromTray::View`] carries it as JSON
//! rather than as a type: fields added to [`crate::view::View`] reach the page with no change here.

use std::path::PathBuf;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt};

use crate::monitor::Snooze;
use crate::view::View;

/// The longest line either side accepts (a view with 90 days of history is about 50 KiB).
pub const MAX_LINE: usize = 4 * 1024 * 1024;
/// Set by the tray process for the explainer it starts; also an override for tests.
pub const SOCKET_ENV: &str = "GATEWATCH_SOCKET";
pub const SOCKET_FILE: &str = "gatewatch.sock";

/// How the explainer's last line on its standard error begins when it cannot open a window at
/// all, so the tray can say why in the user's language ([`crate::text::WindowTrouble`]): there
/// is no display (Linux)…
pub const NO_DISPLAY: &str = "no display to open a window on";
/// … or no WebView2 Runtime (Windows), which is had from here (Microsoft's Evergreen
/// bootstrapper).
pub const NO_WEBVIEW2: &str = "the WebView2 Runtime is missing";
pub const WEBVIEW2_URL: &str = "https://go.microsoft.com/fwlink/p/?LinkId=2124703";

/// Which page of the explainer to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Page {
    #[default]
    Status,
    Settings,
}

impl Page {
    pub const fn as_str(self) -> &'static str {
        match self {
            Page::Status => "status",
            Page::Settings => "settings",
        }
    }

    pub fn parse(s: &str) -> Option<Page> {
        [Page::Status, Page::Settings]
            .into_iter()
            .find(|p| p.as_str() == s)
    }
}

/// The two snoozes a person can choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SnoozeKind {
    Hour,
    UntilRecovered,
}

impl SnoozeKind {
    pub const fn snooze(self) -> Snooze {
        match self {
            SnoozeKind::Hour => Snooze::For { ms: 3_600_000 },
            SnoozeKind::UntilRecovered => Snooze::UntilRecovered,
        }
    }
}

/// From a client (the explainer, or a second launch) to the tray process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ToTray {
    /// A second `gatewatch-app`: open the explainer (or bring the open one forward) on `page`.
    /// The tray closes the connection once it has acted on it.
    Show {
        page: Page,
    },
    /// The explainer introduces itself. The tray answers with [`FromTray::View`] and every
    /// update after it, or with [`FromTray::Busy`] if another explainer is already open.
    Hello {
        pid: u32,
    },
    CheckNow,
    Snooze {
        kind: SnoozeKind,
    },
    Unsnooze,
    /// The explainer has saved new settings: read `settings.json` again and apply it.
    Reconfigure,
    /// "Send a test" to the saved channel at this place in `channels`; the outcome comes back
    /// in the view (`channels[index].test`).
    TestChannel {
        index: usize,
    },
    /// `gatewatch-app --quit` (an installer replacing the program, a script): quit as "Quit"
    /// in the menu does, history saved. The tray hangs up as it goes.
    Quit,
    /// `gatewatch-browser-host`, relaying the browser companion's window of outcome records
    /// (checked by the host, and again by the tray). Answered with [`FromTray::Browser`].
    Browser {
        records: Vec<crate::browser::Record>,
        /// The browser that started the host, when the host could tell
        /// ([`crate::browser::launcher`]): the Settings page marks its row connected.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        family: Option<crate::browser::hosts::Family>,
    },
    /// `gatewatch check`: the latest browser window, if the tray has one. Answered with
    /// [`FromTray::BrowserWindow`]; the tray hangs up after it.
    BrowserAsk,
    /// The update check's actions, as the tray menu has them.
    Update {
        action: UpdateAction,
    },
}

/// What can be asked of the update check (see [`crate::update`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UpdateAction {
    /// Check now, and answer whatever comes of it.
    Check,
    /// Do not tell of the available version again.
    Skip,
    /// Windows: download, verify and start the available version's installer.
    Install,
}

/// From the tray process to a client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FromTray {
    /// The current snapshot (a serialised [`View`]).
    View { view: Value },
    /// Come forward, on this page.
    Show { page: Page },
    /// Another explainer is open (and was brought forward): this one should quit.
    Busy,
    /// To `gatewatch-browser-host`, for the extension: the tray's word after a summary.
    Browser { word: crate::browser::TrayWord },
    /// To `gatewatch check`: the latest browser window (records and when it came), if any.
    BrowserWindow {
        window: Option<crate::browser::Window>,
    },
}

impl FromTray {
    pub fn view(view: &View) -> Result<FromTray, IpcError> {
        serde_json::to_value(view)
            .map(|view| FromTray::View { view })
            .map_err(IpcError::Encode)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum IpcError {
    #[error("a message longer than {max} bytes on the local channel")]
    TooLong { max: usize },
    #[error("a malformed message on the local channel ({reason}): {excerpt}")]
    Malformed { reason: String, excerpt: String },
    #[error("the local channel closed in the middle of a message")]
    Truncated,
    #[error("the local channel failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot encode a message for the local channel: {0}")]
    Encode(serde_json::Error),
}

/// One message as one line, newline included.
pub fn encode<T: Serialize>(msg: &T) -> Result<String, IpcError> {
    let mut line = serde_json::to_string(msg).map_err(IpcError::Encode)?;
    line.push('\n');
    Ok(line)
}

/// One line (with or without its newline) as a message.
pub fn decode<T: DeserializeOwned>(line: &[u8]) -> Result<T, IpcError> {
    serde_json::from_slice(line).map_err(|e| {
        let text = String::from_utf8_lossy(line);
        let text = text.trim_end();
        let mut excerpt: String = text.chars().take(80).collect();
        if excerpt.len() < text.len() {
            excerpt.push('…');
        }
        IpcError::Malformed {
            reason: e.to_string(),
            excerpt,
        }
    })
}

/// Reads messages one line at a time, never holding more than `max` bytes of one.
pub struct LineReader<R> {
    inner: R,
    buf: Vec<u8>,
    max: usize,
}

impl<R: AsyncBufRead + Unpin> LineReader<R> {
    pub fn new(inner: R) -> Self {
        Self::with_max(inner, MAX_LINE)
    }

    pub fn with_max(inner: R, max: usize) -> Self {
        LineReader {
            inner,
            buf: Vec::new(),
            max,
        }
    }

    /// The next message; `Ok(None)` when the other side closed the channel between messages.
    /// Blank lines are skipped. After an error the channel should be dropped: the reader's
    /// place in the stream is lost.
    pub async fn next<T: DeserializeOwned>(&mut self) -> Result<Option<T>, IpcError> {
        loop {
            self.buf.clear();
            let mut limited = (&mut self.inner).take(self.max as u64 + 1);
            let n = limited.read_until(b'\n', &mut self.buf).await?;
            if n == 0 {
                return Ok(None);
            }
            if self.buf.last() != Some(&b'\n') {
                return Err(if self.buf.len() > self.max {
                    IpcError::TooLong { max: self.max }
                } else {
                    IpcError::Truncated
                });
            }
            if self.buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return decode(&self.buf).map(Some);
        }
    }
}

/// Where the tray process listens, from the environment (`get` is `std::env::var` in real use).
///
/// One Gatewatch per data directory, since the history file has one writer: with
/// `GATEWATCH_DATA_DIR` set, the socket lives in `<data>/run/`; otherwise in
/// `$XDG_RUNTIME_DIR/gatewatch/` (per user, on a tmpfs), else in the default data directory's
/// `run/`. [`SOCKET_ENV`] overrides all of them. The directory is made 0700 by whoever creates it.
pub fn socket_path(get: impl Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let var = |k: &str| get(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(p) = var(SOCKET_ENV) {
        return Some(p);
    }
    let dir = if let Some(d) = var("GATEWATCH_DATA_DIR") {
        d.join("run")
    } else if let Some(r) = var("XDG_RUNTIME_DIR") {
        r.join("gatewatch")
    } else {
        crate::store::data_dir(&get)?.join("run")
    };
    Some(dir.join(SOCKET_FILE))
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn read_all(input: &[u8], max: usize) -> Vec<Result<Option<ToTray>, String>> {
        let mut r = LineReader::with_max(tokio::io::BufReader::new(input), max);
        let mut out = Vec::new();
        loop {
            let m = r.next::<ToTray>().await.map_err(|e| e.to_string());
            let end = !matches!(m, Ok(Some(_)));
            out.push(m);
            if end {
                return out;
            }
        }
    }

    #[test]
    fn messages_are_tagged_json_lines() {
        let line = encode(&ToTray::Snooze {
            kind: SnoozeKind::UntilRecovered,
        })
        .unwrap();
        assert_eq!(line, "{\"type\":\"snooze\",\"kind\":\"until_recovered\"}\n");
        assert_eq!(
            encode(&ToTray::Show {
                page: Page::Settings
            })
            .unwrap(),
            "{\"type\":\"show\",\"page\":\"settings\"}\n"
        );
        assert_eq!(
            decode::<FromTray>(b"{\"type\":\"busy\"}").unwrap(),
            FromTray::Busy
        );
        assert_eq!(
            decode::<ToTray>(b"{\"type\":\"update\",\"action\":\"install\"}").unwrap(),
            ToTray::Update {
                action: UpdateAction::Install
            }
        );
        let view = FromTray::view(&View::default()).unwrap();
        let back: FromTray = decode(encode(&view).unwrap().as_bytes()).unwrap();
        assert_eq!(back, view);
    }

    #[tokio::test]
    async fn lines_are_read_one_message_at_a_time() {
        let got = read_all(
            b"{\"type\":\"check_now\"}\n\n{\"type\":\"hello\",\"pid\":7}\n",
            100,
        )
        .await;
        assert_eq!(
            got,
            vec![
                Ok(Some(ToTray::CheckNow)),
                Ok(Some(ToTray::Hello { pid: 7 })),
                Ok(None)
            ]
        );
    }

    #[tokio::test]
    async fn bad_lines_are_named_not_swallowed() {
        let got = read_all(b"{\"type\":\"format_disk\"}\n", 100).await;
        let err = got[0].as_ref().unwrap_err();
        assert!(
            err.contains("malformed") && err.contains("format_disk"),
            "{err}"
        );

        let long = format!("{{\"type\":\"hello\",\"pid\":1{}}}\n", "0".repeat(200));
        let got = read_all(long.as_bytes(), 100).await;
        assert_eq!(
            got,
            vec![Err(
                "a message longer than 100 bytes on the local channel".into()
            )]
        );

        let got = read_all(b"{\"type\":\"check_now\"}\n{\"type\":", 100).await;
        assert_eq!(got[0], Ok(Some(ToTray::CheckNow)));
        assert_eq!(
            got[1],
            Err("the local channel closed in the middle of a message".into())
        );
        let got = read_all(b"not json\n", 100).await;
        assert!(got[0].as_ref().unwrap_err().ends_with(": not json"));
    }

    #[test]
    fn the_socket_follows_the_data_dir_then_the_runtime_dir() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            socket_path(env(&[
                ("GATEWATCH_SOCKET", "/s/x.sock"),
                ("GATEWATCH_DATA_DIR", "/d")
            ])),
            Some(PathBuf::from("/s/x.sock"))
        );
        assert_eq!(
            socket_path(env(&[
                ("GATEWATCH_DATA_DIR", "/d"),
                ("XDG_RUNTIME_DIR", "/run/user/1000")
            ])),
            Some(PathBuf::from("/d/run/gatewatch.sock"))
        );
        assert_eq!(
            socket_path(env(&[
                ("XDG_RUNTIME_DIR", "/run/user/1000"),
                ("HOME", "/h")
            ])),
            Some(PathBuf::from("/run/user/1000/gatewatch/gatewatch.sock"))
        );
        if cfg!(target_os = "linux") {
            assert_eq!(
                socket_path(env(&[("HOME", "/h")])),
                Some(PathBuf::from(
                    "/h/.local/share/gatewatch/run/gatewatch.sock"
                ))
            );
        }
        assert_eq!(socket_path(env(&[])), None);
    }

    #[test]
    fn browser_windows_travel_as_outcome_records() {
        let line = "{\"type\":\"browser\",\"records\":[{\"kind\":\"conversation\",\
                    \"result\":\"http_5xx\",\"status\":502,\"cf\":true,\"t\":1764000000}]}";
        let msg: ToTray = decode(line.as_bytes()).unwrap();
        let ToTray::Browser { records, family } = &msg else {
            panic!("{msg:?}")
        };
        assert_eq!((records[0].status, *family), (Some(502), None));
        assert_eq!(encode(&msg).unwrap().trim_end(), line);
        // The browser, when the host could tell it.
        let edge = line.replace("]}", "],\"family\":\"edge\"}");
        let msg: ToTray = decode(edge.as_bytes()).unwrap();
        assert!(matches!(
            msg,
            ToTray::Browser {
                family: Some(crate::browser::hosts::Family::Edge),
                ..
            }
        ));
        assert_eq!(encode(&msg).unwrap().trim_end(), edge);
        assert!(
            decode::<ToTray>(line.replace("]}", "],\"family\":\"opera\"}").as_bytes()).is_err()
        );
        // A field that is not an outcome's is refused by the tray too, not passed on.
        let with_url = line.replace("\"cf\"", "\"url\":\"https://chatgpt.com/c/1\",\"cf\"");
        assert!(decode::<ToTray>(with_url.as_bytes()).is_err());
        assert_eq!(
            encode(&ToTray::BrowserAsk).unwrap(),
            "{\"type\":\"browser_ask\"}\n"
        );
    }

    #[test]
    fn pages_round_trip() {
        for p in [Page::Status, Page::Settings] {
            assert_eq!(Page::parse(p.as_str()), Some(p));
        }
        assert_eq!(Page::parse("history"), None);
    }
}
