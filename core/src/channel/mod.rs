//! The local channel's transport: how the tray process listens and how the explainer (or a
//! second launch) reaches it. The messages on it are [`crate::ipc`]'s JSON lines; this module
//! only carries bytes, the same way on every platform, behind one face:
//!
//! - [`endpoint`]: where the tray listens (a Unix socket's path; a named pipe's name on Windows);
//! - [`claim`]: become the one Gatewatch for this user and data directory, or learn that another
//!   one is ([`Claim::Running`]);
//! - [`Listener::accept`] and [`connect`]: a [`Conn`], whatever the platform's stream is;
//! - [`hand_over`]: a second launch asks the first for its explainer.
//!
//! Each platform's module is small enough to read whole: `unix.rs` (a socket in a 0700
//! directory, 0600, an exclusive `flock` deciding who is first) and `windows.rs` (a named pipe
//! whose security descriptor admits only the user's own SID, remote clients refused, the first
//! pipe instance doubling as the single-instance lock; a client checks that the pipe's server
//! runs as the same user before it trusts a word of it).
//!
//! This is I/O, like [`crate::store`]; nothing pure depends on it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _};

use crate::ipc::{self, Page, ToTray};

#[cfg(unix)]
#[path = "unix.rs"]
mod platform;
#[cfg(windows)]
#[path = "windows.rs"]
mod platform;

pub use platform::{connect, endpoint, Listener};
#[cfg(windows)]
pub use platform::{pipe_sddl, user_sid};

/// The pipe's name on Windows for a user and a data directory. One Gatewatch per data
/// directory, as on Unix (the history has one writer); the user's SID in the name keeps users
/// apart (pipe names are machine-wide), the directory's hash keeps its length bounded.
pub fn pipe_name(sid: &str, data_dir: &Path) -> String {
    // FNV-1a, 64 bits: stable across builds and platforms (std's hasher is not).
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in data_dir.to_string_lossy().to_lowercase().bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    format!(r"\\.\pipe\gatewatch-{sid}-{h:016x}")
}

/// A connected stream, on whatever the platform listens with.
pub trait Duplex: AsyncRead + AsyncWrite + Send + Unpin + std::fmt::Debug {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin + std::fmt::Debug> Duplex for T {}
pub type Conn = Box<dyn Duplex>;

#[derive(Debug, thiserror::Error)]
pub enum ChannelError {
    #[error(
        "no place for the local channel: set GATEWATCH_DATA_DIR or GATEWATCH_SOCKET{}",
        if cfg!(windows) { " (or APPDATA)" } else { " (or XDG_RUNTIME_DIR)" }
    )]
    NoPath,
    #[error("the local socket path {0} is too long for a Unix socket")]
    TooLong(PathBuf),
    #[error("cannot set up the local channel at {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot reach Gatewatch at {path}: {source}")]
    Connect {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("another Gatewatch holds {0} but does not answer on it")]
    NoAnswer(PathBuf),
    #[error("{0} is served by a process of another user; not talking to it")]
    NotOurs(PathBuf),
}

pub(crate) fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> ChannelError + '_ {
    move |source| ChannelError::Io {
        path: path.to_path_buf(),
        source,
    }
}

pub(crate) fn connect_err(path: &Path) -> impl FnOnce(std::io::Error) -> ChannelError + '_ {
    move |source| ChannelError::Connect {
        path: path.to_path_buf(),
        source,
    }
}

pub enum Claim {
    /// This process is Gatewatch: listen here.
    First(Listener),
    /// Another process is.
    Running,
}

/// Take the channel at `endpoint`, or learn that another Gatewatch has it. Must run inside the
/// tokio runtime (the listener registers with it).
pub fn claim(endpoint: &Path) -> Result<Claim, ChannelError> {
    platform::claim(endpoint)
}

/// Ask the running Gatewatch to show its explainer on `page`, and wait until it has read the
/// request (it closes the connection). The first one may still be starting: it holds the lock a
/// moment before it listens, so connecting is retried for a few seconds.
pub async fn hand_over(endpoint: &Path, page: Page) -> Result<(), ChannelError> {
    send_and_wait(endpoint, &ToTray::Show { page }).await
}

/// Connect (retrying for a few seconds), send one message, and wait for the tray to hang up.
pub async fn send_and_wait(endpoint: &Path, msg: &ToTray) -> Result<(), ChannelError> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    let mut stream = loop {
        match connect(endpoint).await {
            Ok(s) => break s,
            Err(ChannelError::NotOurs(p)) => return Err(ChannelError::NotOurs(p)),
            Err(_) if tokio::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(_) => return Err(ChannelError::NoAnswer(endpoint.to_path_buf())),
        }
    };
    let line = ipc::encode(msg).map_err(|e| ChannelError::Io {
        path: endpoint.to_path_buf(),
        source: std::io::Error::other(e),
    })?;
    stream
        .write_all(line.as_bytes())
        .await
        .map_err(io_err(endpoint))?;
    // A Unix socket can say "no more from me"; a pipe cannot, and needs no such thing: the
    // tray acts on the first line and hangs up.
    match stream.shutdown().await {
        Ok(()) => {}
        Err(_) if cfg!(windows) => {}
        Err(e) => return Err(io_err(endpoint)(e)),
    }
    // The tray closes its end once it has acted; what it says before that does not matter.
    let mut sink = Vec::new();
    match tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut sink)).await {
        Err(_) => Err(ChannelError::NoAnswer(endpoint.to_path_buf())),
        Ok(Ok(_)) => Ok(()),
        // A pipe whose server end closed reads as "broken pipe": that is the hang-up.
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Ok(Err(e)) => Err(io_err(endpoint)(e)),
    }
}

/// How long `gatewatch check` waits for the tray's answer about the browser.
const ASK_WAIT: Duration = Duration::from_secs(2);

/// Ask the running Gatewatch for the browser's latest window (`gatewatch check`): `Ok(None)`
/// when it holds none; an error when no tray listens at `endpoint`, or it does not answer in
/// time. One attempt, no retries: a tray that is not running is the common case.
pub async fn browser_window(
    endpoint: &Path,
) -> Result<Option<crate::browser::Window>, ChannelError> {
    let stream = connect(endpoint).await?;
    let (read, mut write) = tokio::io::split(stream);
    let line = ipc::encode(&ToTray::BrowserAsk).map_err(|e| ChannelError::Io {
        path: endpoint.to_path_buf(),
        source: std::io::Error::other(e),
    })?;
    write
        .write_all(line.as_bytes())
        .await
        .map_err(io_err(endpoint))?;
    let mut lines = ipc::LineReader::new(tokio::io::BufReader::new(read));
    let answer = tokio::time::timeout(ASK_WAIT, lines.next::<ipc::FromTray>()).await;
    match answer {
        Ok(Ok(Some(ipc::FromTray::BrowserWindow { window }))) => Ok(window),
        // Silence, a hang-up, or something else than the answer: not a tray that answers.
        _ => Err(ChannelError::NoAnswer(endpoint.to_path_buf())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipe_names_are_per_user_and_data_dir() {
        let a = pipe_name(
            "S-1-5-21-1-2-3-1001",
            Path::new(r"C:\Users\Ann\AppData\Roaming\gatewatch"),
        );
        assert!(
            a.starts_with(r"\\.\pipe\gatewatch-S-1-5-21-1-2-3-1001-"),
            "{a}"
        );
        assert_eq!(
            a.len(),
            r"\\.\pipe\gatewatch-S-1-5-21-1-2-3-1001-".len() + 16
        );
        // Windows paths are case-insensitive: one directory, one pipe.
        assert_eq!(
            a,
            pipe_name(
                "S-1-5-21-1-2-3-1001",
                Path::new(r"c:\users\ann\appdata\roaming\GATEWATCH")
            )
        );
        assert_ne!(
            a,
            pipe_name(
                "S-1-5-21-1-2-3-1002",
                Path::new(r"C:\Users\Ann\AppData\Roaming\gatewatch")
            )
        );
        assert_ne!(
            a,
            pipe_name("S-1-5-21-1-2-3-1001", Path::new(r"D:\portable\gatewatch"))
        );
    }
}
