//! The channel on Unix: a socket at [`endpoint`] in a directory only this user may enter (0700),
//! itself 0600; there is no TCP port. The lock, not the socket, decides who is first: an
//! exclusive `flock` on `gatewatch.lock` beside it. Two launches at the same moment cannot both
//! win, and a socket left behind by a crash (nobody listening) is simply replaced by the holder
//! of the lock.

use std::os::unix::fs::PermissionsExt as _;
use std::os::unix::io::AsRawFd as _;
use std::path::{Path, PathBuf};

use tokio::net::{UnixListener, UnixStream};

use super::{connect_err, io_err, ChannelError, Claim, Conn};

const LOCK_FILE: &str = "gatewatch.lock";
/// `sockaddr_un.sun_path` holds 108 bytes on Linux (104 on macOS), the final NUL included.
const MAX_SOCKET_PATH: usize = 103;

/// Where the tray listens: [`crate::ipc::socket_path`].
pub fn endpoint(get: impl Fn(&str) -> Option<String>) -> Option<PathBuf> {
    crate::ipc::socket_path(get)
}

/// The running tray's end of the socket. Dropping it removes the socket file, then releases
/// the lock (fields drop in order).
pub struct Listener {
    listener: UnixListener,
    path: PathBuf,
    _lock: std::fs::File,
}

impl Listener {
    pub async fn accept(&mut self) -> std::io::Result<Conn> {
        let (stream, _) = self.listener.accept().await?;
        Ok(Box::new(stream))
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_file(&self.path) {
            // Nothing to tell but the log, which the core does not write: stderr.
            eprintln!("gatewatch: cannot remove {}: {e}", self.path.display());
        }
    }
}

pub(super) fn claim(path: &Path) -> Result<Claim, ChannelError> {
    if path.as_os_str().len() > MAX_SOCKET_PATH {
        return Err(ChannelError::TooLong(path.to_path_buf()));
    }
    let dir = path.parent().ok_or(ChannelError::NoPath)?;
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
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_err(path)(e)),
    }
    let listener = UnixListener::bind(path).map_err(io_err(path))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(io_err(path))?;
    Ok(Claim::First(Listener {
        listener,
        path: path.to_path_buf(),
        _lock: lock,
    }))
}

/// Connect to the tray at `path`. The socket's 0600 mode and its 0700 directory already keep
/// other users out, both ways.
pub async fn connect(path: &Path) -> Result<Conn, ChannelError> {
    let s = UnixStream::connect(path).await.map_err(connect_err(path))?;
    Ok(Box::new(s))
}

#[cfg(test)]
mod tests {
    use super::super::*;
    use std::os::unix::fs::PermissionsExt as _;

    fn tempdir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("gw-chan-{name}-{}", std::process::id()));
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
        assert!(!sock.exists(), "the socket goes with the listener");
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
        let Ok(Claim::First(mut inst)) = claim(&sock) else {
            panic!("a stale socket must not block the start");
        };
        let accept = tokio::spawn(async move {
            let mut s = inst.accept().await.unwrap();
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
