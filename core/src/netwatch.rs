//! Watching for the computer joining another network (I/O): the system's reports of its
//! interfaces' addresses (netwatcher: netlink on Linux, `NotifyUnicastIpAddressChange` on
//! Windows, a routing socket on macOS), read by the pure [`crate::netchange::Networks`], become
//! one [`Command::NetworkChanged`] for the monitor's task once a burst of changes has settled —
//! a new network's addresses arrive in several steps.
//!
//! It runs as a task of its own beside the monitor's, owned by it (see `driver`): it ends when
//! the monitor's task does.

use std::collections::BTreeSet;
use std::net::IpAddr;
use std::time::Duration;

use tokio::sync::mpsc;

use crate::driver::Command;
use crate::netchange::{AddrEvent, Networks};

/// Quiet time after a change before the monitor is told.
const SETTLE: Duration = Duration::from_millis(1500);

/// Watch until the monitor's task is gone. `Err` when the system's reports cannot be read at
/// all (the monitor then goes on without: a wake-up still starts it over).
pub async fn watch(tx: mpsc::WeakSender<Command>) -> Result<(), String> {
    let mut w = netwatcher::watch_interfaces_async::<netwatcher::async_adapter::Tokio>()
        .map_err(|e| format!("network changes cannot be watched: {e}"))?;
    let mut seen = Seen::default();
    // The first snapshot is where we are: no change.
    seen.update(&w.changed().await);
    loop {
        if !seen.update(&w.changed().await) {
            continue;
        }
        // Let the burst settle, taking in whatever else comes meanwhile.
        while let Ok(u) = tokio::time::timeout(SETTLE, w.changed()).await {
            seen.update(&u);
        }
        // Held weakly, so that the monitor's task ends when its owner lets go of it.
        let Some(tx) = tx.upgrade() else {
            return Ok(());
        };
        if tx
            .send(Command::NetworkChanged(seen.networks.describe()))
            .await
            .is_err()
        {
            return Ok(());
        }
    }
}

/// The addresses last seen, and the networks they make.
#[derive(Default)]
struct Seen {
    addrs: BTreeSet<(IpAddr, u8)>,
    networks: Networks,
}

impl Seen {
    /// Take in a snapshot: addresses gone first (so a network whose last address went counts as
    /// gone even when another in the same range comes), then the new ones. `true` when the set
    /// of networks changed.
    fn update(&mut self, u: &netwatcher::Update) -> bool {
        let now: BTreeSet<(IpAddr, u8)> = u
            .interfaces
            .values()
            .flat_map(|i| i.ips.iter().map(|r| (r.ip, r.prefix_len)))
            .collect();
        let mut changed = false;
        for &(ip, len) in self.addrs.difference(&now) {
            changed |= self.networks.apply(AddrEvent::Down(ip, len));
        }
        for &(ip, len) in now.difference(&self.addrs) {
            changed |= self.networks.apply(AddrEvent::Up(ip, len));
        }
        self.addrs = now;
        changed
    }
}
