//! The two tasks of one connection on the local socket: a reader that turns lines into
//! [`Event::Client`]s, and a writer that sends what the app queued. The app owns both (they run
//! in its `JoinSet`) and holds only the queue's sender, so it never waits for a client: when the
//! queue of a client that does not read is full, the app drops that client.

use std::sync::Arc;

use gatewatch_core::ipc::{LineReader, ToTray};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt as _, BufReader};
use tokio::sync::mpsc;

use crate::event::{ClientId, Event};

/// Lines waiting for a client; more than this and it is too slow to keep.
pub const QUEUE: usize = 32;

pub async fn read(id: ClientId, half: impl AsyncRead + Unpin, events: mpsc::Sender<Event>) {
    let mut lines = LineReader::new(BufReader::new(half));
    loop {
        match lines.next::<ToTray>().await {
            Ok(Some(msg)) => {
                if events.send(Event::Client { id, msg }).await.is_err() {
                    return;
                }
            }
            Ok(None) => break,
            Err(e) => {
                tracing::warn!("client {id}: {e}; hanging up");
                break;
            }
        }
    }
    if events.send(Event::Disconnected(id)).await.is_err() {
        tracing::debug!("client {id} left while the app was stopping");
    }
}

pub async fn write(
    id: ClientId,
    mut half: impl AsyncWrite + Unpin,
    mut queue: mpsc::Receiver<Arc<str>>,
) {
    while let Some(line) = queue.recv().await {
        if let Err(e) = half.write_all(line.as_bytes()).await {
            tracing::debug!("client {id} stopped reading: {e}");
            return;
        }
    }
    // The app let go of this client: tell it we are done.
    if let Err(e) = half.shutdown().await {
        tracing::debug!("client {id}: {e}");
    }
}
