//! The browsers' native messaging, as `gatewatch-browser-host` speaks it: each message is JSON,
//! UTF-8, preceded by its length as a 32-bit number in the machine's byte order (Chrome, Edge
//! and Firefox alike), and who started the host is read from its arguments.
//!
//! Both directions are capped at 1 MiB, and a length over the cap is refused before a byte of the
//! message is read. Host to browser, 1 MiB is Chrome's own limit ("the maximum size of a single
//! message from the native messaging host is 1 MB"); browser to host, Chrome allows up to 4 GiB,
//! and Gatewatch takes no more than it would send (a summary is a few KiB: at most
//! [`super::MAX_RECORDS`] records). Like [`crate::ipc`]'s line reader, this reads from a stream it
//! is handed; it opens nothing itself.

use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _};

use super::{CHROMIUM_IDS, GECKO_ID};

/// The largest message the host reads from the browser.
pub const MAX_IN: usize = 1024 * 1024;
/// The largest message the host writes to the browser (Chrome's own limit).
pub const MAX_OUT: usize = 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error("a message of {len} bytes (at most {max})")]
    TooLong { len: usize, max: usize },
    #[error("the stream ended in the middle of a message")]
    Truncated,
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// The next message's bytes; `Ok(None)` when the browser closed the stream between messages
/// (it does so to stop the host). A length over `max` is an error, and nothing of that message
/// is read: the stream cannot be followed after it.
pub async fn read_frame<R: AsyncRead + Unpin>(
    r: &mut R,
    max: usize,
) -> Result<Option<Vec<u8>>, FrameError> {
    let mut len = [0u8; 4];
    let mut got = 0;
    while got < len.len() {
        let n = r.read(&mut len[got..]).await?;
        if n == 0 {
            return if got == 0 {
                Ok(None)
            } else {
                Err(FrameError::Truncated)
            };
        }
        got += n;
    }
    let len = u32::from_ne_bytes(len) as usize;
    if len > max {
        return Err(FrameError::TooLong { len, max });
    }
    let mut buf = vec![0u8; len];
    r.read_exact(&mut buf).await.map_err(|e| {
        if e.kind() == std::io::ErrorKind::UnexpectedEof {
            FrameError::Truncated
        } else {
            FrameError::Io(e)
        }
    })?;
    Ok(Some(buf))
}

/// One message as the browser reads it: its length, then its bytes.
pub fn encode_frame(msg: &[u8], max: usize) -> Result<Vec<u8>, FrameError> {
    if msg.len() > max {
        return Err(FrameError::TooLong {
            len: msg.len(),
            max,
        });
    }
    let mut out = Vec::with_capacity(msg.len() + 4);
    out.extend_from_slice(&(msg.len() as u32).to_ne_bytes());
    out.extend_from_slice(msg);
    Ok(out)
}

/// Write one message and flush it (the browser reads each as it comes).
pub async fn write_frame<W: AsyncWrite + Unpin>(w: &mut W, msg: &[u8]) -> Result<(), FrameError> {
    let frame = encode_frame(msg, MAX_OUT)?;
    w.write_all(&frame).await?;
    w.flush().await?;
    Ok(())
}

/// Who started the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// Chromium, Chrome or Edge, for the extension with this id.
    Chromium { id: String },
    /// Firefox, for the add-on with this id.
    Firefox { id: String },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallerError {
    #[error("not started by a browser: it passes the calling extension as the first argument")]
    NoCaller,
    #[error("the extension {0} is not Gatewatch's")]
    NotAllowed(String),
}

/// Who called, from the host's arguments (the program's own name left out). Chromium passes the
/// caller's origin, `chrome-extension://<id>/` (on Windows followed by `--parent-window=…`);
/// Firefox passes the path of the host manifest, then the add-on's id. The browser has checked
/// the caller against the manifest already; the host checks again against the ids it was built
/// with, so a manifest edited to allow another extension gets that extension nowhere.
pub fn caller(args: &[String]) -> Result<Caller, CallerError> {
    let first = args.first().ok_or(CallerError::NoCaller)?;
    if let Some(rest) = first.strip_prefix("chrome-extension://") {
        let id = rest.strip_suffix('/').unwrap_or(rest);
        return if CHROMIUM_IDS.contains(&id) {
            Ok(Caller::Chromium { id: id.to_string() })
        } else {
            Err(CallerError::NotAllowed(format!("chrome-extension://{id}/")))
        };
    }
    match args.get(1) {
        Some(id) if id == GECKO_ID => Ok(Caller::Firefox { id: id.clone() }),
        Some(id) => Err(CallerError::NotAllowed(id.clone())),
        None => Err(CallerError::NoCaller),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn frames(input: &[u8], max: usize) -> Vec<Result<Option<Vec<u8>>, String>> {
        let mut r = input;
        let mut out = Vec::new();
        loop {
            let f = read_frame(&mut r, max).await.map_err(|e| e.to_string());
            let end = !matches!(f, Ok(Some(_)));
            out.push(f);
            if end {
                return out;
            }
        }
    }

    #[tokio::test]
    async fn frames_are_a_native_length_then_the_bytes() {
        let mut input = encode_frame(b"{\"a\":1}", MAX_IN).unwrap();
        assert_eq!(&input[..4], &7u32.to_ne_bytes());
        input.extend(encode_frame(b"{}", MAX_IN).unwrap());
        assert_eq!(
            frames(&input, MAX_IN).await,
            vec![
                Ok(Some(b"{\"a\":1}".to_vec())),
                Ok(Some(b"{}".to_vec())),
                Ok(None)
            ]
        );
        // An empty message is a message.
        let empty = encode_frame(b"", MAX_IN).unwrap();
        assert_eq!(frames(&empty, MAX_IN).await[0], Ok(Some(vec![])));
    }

    #[tokio::test]
    async fn lengths_over_the_cap_are_refused_before_reading() {
        // 4 GiB claimed: refused from the length alone, nothing allocated.
        let mut input = u32::MAX.to_ne_bytes().to_vec();
        input.extend_from_slice(b"{}");
        assert_eq!(
            frames(&input, MAX_IN).await,
            vec![Err(format!(
                "a message of {} bytes (at most 1048576)",
                u32::MAX
            ))]
        );
        let at_cap = vec![b' '; MAX_IN];
        let framed = encode_frame(&at_cap, MAX_IN).unwrap();
        assert_eq!(frames(&framed, MAX_IN).await[0], Ok(Some(at_cap.clone())));
        assert!(encode_frame(&[b' '; MAX_IN + 1], MAX_IN).is_err());
    }

    #[tokio::test]
    async fn a_cut_stream_is_named() {
        assert_eq!(
            frames(&[7, 0], MAX_IN).await,
            vec![Err("the stream ended in the middle of a message".into())]
        );
        let mut input = encode_frame(b"{\"a\":1}", MAX_IN).unwrap();
        input.truncate(8);
        assert_eq!(
            frames(&input, MAX_IN).await,
            vec![Err("the stream ended in the middle of a message".into())]
        );
        assert_eq!(frames(&[], MAX_IN).await, vec![Ok(None)]);
    }

    #[test]
    fn only_gatewatchs_extensions_are_served() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let ours = format!("chrome-extension://{}/", CHROMIUM_IDS[0]);
        assert_eq!(
            caller(&args(&[&ours])),
            Ok(Caller::Chromium {
                id: CHROMIUM_IDS[0].into()
            })
        );
        // Chromium on Windows adds the parent window.
        assert!(caller(&args(&[&ours, "--parent-window=0"])).is_ok());
        assert_eq!(
            caller(&args(&[
                "chrome-extension://aaaabbbbccccddddeeeeffffgggghhhh/"
            ])),
            Err(CallerError::NotAllowed(
                "chrome-extension://aaaabbbbccccddddeeeeffffgggghhhh/".into()
            ))
        );
        // A prefix of our id, or our id inside another, is not our id.
        let sneaky = format!("chrome-extension://{}x/", CHROMIUM_IDS[0]);
        assert!(caller(&args(&[&sneaky])).is_err());
        assert_eq!(
            caller(&args(&[
                "/home/a/.mozilla/native-messaging-hosts/x.json",
                GECKO_ID
            ])),
            Ok(Caller::Firefox {
                id: GECKO_ID.into()
            })
        );
        assert_eq!(
            caller(&args(&["/x.json", "evil@example.com"])),
            Err(CallerError::NotAllowed("evil@example.com".into()))
        );
        assert_eq!(caller(&args(&[])), Err(CallerError::NoCaller));
        assert_eq!(caller(&args(&["/x.json"])), Err(CallerError::NoCaller));
    }
}
