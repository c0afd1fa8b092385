//! One Gatewatch per user and data directory. The first `gatewatch-app` takes an exclusive lock
//! next to the local socket and listens on it; a later one finds the lock taken, connects, asks
//! for the explainer ([`ToTray::Show`]) and exits.
//!
//! The lock, not the socket, decides who is first: two launches at the same moment cannot both
//! win, and a socket left behind by a crash (nobody listening) is simply replaced by the holder
//! of the lock. The directory is 0700 and the socket 0600, so only this user can connect; there
//! is no TCP port.

use std::os::unix::fs::PermissionsExt as _;
use std::os::unix::io::AsRawFd as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use gatewatch_core::ipc::{self, Page, ToTray};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{UnixListener, UnixStream};

const LOCK_FILE: &str = "gatewatch.lock";
/// `sockaddr_un.sun_path` holds 108 bytes on Linux (104 on macOS), the final NUL included.
const MAX_SOCKET_PATH: usize = 103;

#[derive(Debug, thiserror::Error)]
pub enum InstanceError {
    #[error(
        "no place for the local socket: set XDG_RUNTIME_DIR, GATEWATCH_DATA_DIR or GATEWATCH_SOCKET"
    )]
    NoPath,
    #[error("the local socket path {0} is too long for a Unix socket")]
    TooLong(PathBuf),
    #[error("cannot set up the local socket at {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("another Gatewatch holds {0} but does not answer on its socket")]
    NoAnswer(PathBuf),
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> InstanceError + '_ {
    move |source| InstanceError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The running tray's end of the socket. Dropping it removes the socket file, then releases
/// the lock (fields drop in order).
pub struct Instance {
    pub listener: UnixListener,
    path: PathBuf,
    _lock: std::fs::File,
}

impl Drop for Instance {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_file(&self.path) {
            tracing::warn!("cannot remove {}: {e}", self.path.display());
        }
    }
}

pub enum Claim {
    /// This process is Gatewatch: listen here.
    First(Instance),
    /// Another process is.
    Running,
}

/// Take the lock and the socket at `path`, or learn that another Gatewatch has them.
/// Must run inside the tokio runtime (the listener registers with it).
pub fn claim(path: &Path) -> Result<Claim, InstanceError> {
    if path.as_os_str().len() > MAX_SOCKET_PATH {
        return Err(InstanceError::TooLong(path.to_path_buf()));
    }
    let dir = path.parent().ok_or(InstanceError::NoPath)?;
    std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(io_err(dir))?;

    let lock_path = dir.join(LOCK_FILE);
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(io_err(&lock_path))?;
    // SAFETY: flock on a descriptor we own; it does not touch memory.
    if unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
        let e = std::io::Error::last_os_error();
        return if e.raw_os_error() == Some(libc::EWOULDBLOCK) {
            Ok(Claim::Running)
        } else {
            Err(io_err(&lock_path)(e))
        };
    }

    // We hold the lock, so any socket file here is a leftover of a process that is gone.
    match std::fs::remove_file(path) {
        Ok(()) => tracing::info!("removed a stale socket at {}", path.display()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_err(path)(e)),
    }
    let listener = UnixListener::bind(path).map_err(io_err(path))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(io_err(path))?;
    Ok(Claim::First(Instance {
        listener,
        path: path.to_path_buf(),
        _lock: lock,
    }))
}

/// Ask the running Gatewatch to show its explainer on `page`, and wait until it has read the
/// request (it closes the connection). The first one may still be starting: it holds the lock a
/// moment before it listens, so connecting is retried for a few seconds.
pub async fn hand_over(path: &Path, page: Page) -> Result<(), InstanceError> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    let mut stream = loop {
        match UnixStream::connect(path).await {
            Ok(s) => break s,
            Err(_) if tokio::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(_) => return Err(InstanceError::NoAnswer(path.to_path_buf())),
        }
    };
    let line = ipc::encode(&ToTray::Show { page }).map_err(|e| InstanceError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(e),
    })?;
    stream
        .write_all(line.as_bytes())
        .await
        .map_err(io_err(path))?;
    stream.shutdown().await.map_err(io_err(path))?;
    // The tray closes its end once it has acted; what it says before that does not matter.
    let mut sink = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut sink))
        .await
        .map_err(|_| InstanceError::NoAnswer(path.to_path_buf()))?
        .map_err(io_err(path))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tempdir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("gw-inst-{name}-{}", std::process::id()));
        std::fs::remove_dir_all(&d).ok();
        d
    }

    #[tokio::test]
    async fn the_first_claim_wins_and_the_socket_is_private() {
        let dir = tempdir("claim");
        let sock = dir.join("run").join("gatewatch.sock");
        let Ok(Claim::First(first)) = claim(&sock) else {
            panic!("the first claim must win");
        };
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&sock), 0o600);
        assert_eq!(mode(sock.parent().unwrap()), 0o700);
        assert!(matches!(claim(&sock), Ok(Claim::Running)));
        drop(first);
        assert!(!sock.exists(), "the socket goes with the instance");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[tokio::test]
    async fn a_stale_socket_is_replaced() {
        let dir = tempdir("stale");
        let sock = dir.join("gatewatch.sock");
        std::fs::create_dir_all(&dir).unwrap();
        // A socket file nobody listens on, as a crash leaves it.
        drop(std::os::unix::net::UnixListener::bind(&sock).unwrap());
        assert!(sock.exists());
        let Ok(Claim::First(inst)) = claim(&sock) else {
            panic!("a stale socket must not block the start");
        };
        let accept = tokio::spawn(async move {
            let (mut s, _) = inst.listener.accept().await.unwrap();
            let mut got = String::new();
            s.read_to_string(&mut got).await.unwrap();
            got
        });
        hand_over(&sock, Page::Settings).await.unwrap();
        assert_eq!(
            accept.await.unwrap(),
            "{\"type\":\"show\",\"page\":\"settings\"}\n"
        );
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn overlong_paths_are_refused_clearly() {
        let p = PathBuf::from(format!("/tmp/{}/gatewatch.sock", "x".repeat(120)));
        let e = claim(&p).err().unwrap();
        assert!(e.to_string().contains("too long"), "{e}");
    }
}
