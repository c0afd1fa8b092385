//! Has the computer joined another network? Read from its own addresses coming and going.
//!
//! The operating system reports each interface address as it is added or removed (netlink on
//! Linux, `NotifyIpInterfaceChange` on Windows, the SystemConfiguration store on macOS; the
//! driver listens). What matters is the set of *networks* the computer is on — each address
//! masked to its prefix — not the addresses themselves: IPv6 privacy addresses rotate within
//! their /64 every day, and a DHCP renewal re-adds the same address, neither of which is a new
//! network. A network appearing or the last address in one going is: Wi-Fi to another Wi-Fi,
//! cable to Wi-Fi, a VPN coming up or down. Loopback and link-local addresses never count.
//!
//! Pure: the driver feeds events in and acts on the answer (see `driver`).

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

/// An interface address came or went, with its prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddrEvent {
    Up(IpAddr, u8),
    Down(IpAddr, u8),
}

/// The networks the computer has addresses in, and which addresses hold each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Networks {
    nets: BTreeMap<(IpAddr, u8), BTreeSet<IpAddr>>,
}

impl Networks {
    /// Apply one event. `true` when the set of networks changed: a network appeared, or the
    /// last of its addresses went.
    pub fn apply(&mut self, event: AddrEvent) -> bool {
        match event {
            AddrEvent::Up(ip, len) if counts(ip) => {
                let addrs = self.nets.entry(network(ip, len)).or_default();
                let new_network = addrs.is_empty();
                addrs.insert(ip);
                new_network
            }
            AddrEvent::Down(ip, len) if counts(ip) => {
                let key = network(ip, len);
                let Some(addrs) = self.nets.get_mut(&key) else {
                    return false;
                };
                addrs.remove(&ip);
                let gone = addrs.is_empty();
                if gone {
                    self.nets.remove(&key);
                }
                gone
            }
            _ => false,
        }
    }

    /// The networks, as `address/prefix` (for a log line).
    pub fn describe(&self) -> String {
        let v: Vec<String> = self
            .nets
            .keys()
            .map(|(net, len)| format!("{net}/{len}"))
            .collect();
        if v.is_empty() {
            "none".into()
        } else {
            v.join(", ")
        }
    }
}

/// Addresses that say which network the computer is on: not loopback, link-local, unspecified
/// or multicast ones.
fn counts(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            !(v4.is_loopback() || v4.is_link_local() || v4.is_unspecified() || v4.is_multicast())
        }
        IpAddr::V6(v6) => {
            let link_local = (v6.segments()[0] & 0xffc0) == 0xfe80;
            !(v6.is_loopback() || link_local || v6.is_unspecified() || v6.is_multicast())
        }
    }
}

/// The network an address is in: the address masked to its prefix.
fn network(ip: IpAddr, len: u8) -> (IpAddr, u8) {
    match ip {
        IpAddr::V4(v4) => {
            let len = len.min(32);
            let mask = u32::MAX.checked_shl(32 - u32::from(len)).unwrap_or(0);
            (IpAddr::V4((u32::from(v4) & mask).into()), len)
        }
        IpAddr::V6(v6) => {
            let len = len.min(128);
            let mask = u128::MAX.checked_shl(128 - u32::from(len)).unwrap_or(0);
            (IpAddr::V6((u128::from(v6) & mask).into()), len)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn up(s: &str, len: u8) -> AddrEvent {
        AddrEvent::Up(s.parse().unwrap(), len)
    }
    fn down(s: &str, len: u8) -> AddrEvent {
        AddrEvent::Down(s.parse().unwrap(), len)
    }

    #[test]
    fn a_new_network_is_a_change_an_address_within_one_is_not() {
        let mut n = Networks::default();
        assert!(n.apply(up("192.168.1.20", 24)), "the first network");
        assert!(n.apply(up("2001:db8:1:2::aa", 64)));
        // IPv6 privacy addresses rotate within their /64; DHCP renews the same address.
        assert!(!n.apply(up("2001:db8:1:2::bb", 64)));
        assert!(!n.apply(down("2001:db8:1:2::aa", 64)));
        assert!(!n.apply(up("192.168.1.20", 24)));
        assert_eq!(n.describe(), "192.168.1.0/24, 2001:db8:1:2::/64");
        // Wi-Fi to another Wi-Fi with the same private range: the address goes, then comes.
        assert!(n.apply(down("192.168.1.20", 24)));
        assert!(n.apply(up("192.168.1.77", 24)));
        // A VPN coming up.
        assert!(n.apply(up("10.8.0.2", 24)));
        assert!(n.apply(down("10.8.0.2", 24)));
        // An address that was never seen going is nothing.
        assert!(!n.apply(down("172.16.0.9", 16)));
    }

    #[test]
    fn loopback_and_link_local_never_count() {
        let mut n = Networks::default();
        for e in [
            up("127.0.0.1", 8),
            up("::1", 128),
            up("fe80::1", 64),
            up("169.254.3.4", 16),
            down("127.0.0.1", 8),
        ] {
            assert!(!n.apply(e), "{e:?}");
        }
        assert_eq!(n.describe(), "none");
        // A test's own address on the loopback interface is a network like any other.
        assert!(n.apply(up("10.77.0.1", 24)));
    }
}
