//! Where an address is: inside Cloudflare's published ranges, or somewhere a network put it.
//!
//! chatgpt.com, api.openai.com and the phone apps' hosts are all served by Cloudflare, so their
//! names resolve into Cloudflare's address space. A network that filters by DNS answers them with
//! something else: `0.0.0.0` or `::` (Pi-hole, AdGuard Home, NextDNS), its own block-page server
//! (Cisco Umbrella's `146.112.61.104`–`110`), a private address (a company's or a country's
//! filter), or nothing at all. Reading that needs only the answer and a list of Cloudflare's
//! ranges, kept here as data; pure functions, no lookups.
//!
//! The address check applies to OpenAI's own names only ([`is_openai_name`]): a mirror or a test
//! endpoint given as an address or another name (`http://127.0.0.1:8080`) is taken as it is.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};

/// Where the ranges below come from, and when they were read: Cloudflare's own lists, read here
/// (2026-12) from a daily public copy of them (rezmoss/cloud-provider-ip-addresses at 003a66f,
/// generated 2026-07-02), identical to two other copies (core/tests/captures/network/facts/
/// cloudflare-ranges.md); the set has not changed since 2021.
pub const CLOUDFLARE_RANGES_SOURCE: &str =
    "https://www.cloudflare.com/ips-v4 and https://www.cloudflare.com/ips-v6 (read 2026-12 from a copy generated 2026-07-02)";

/// Cloudflare's published IPv4 ranges (<https://www.cloudflare.com/ips-v4>): address, prefix.
pub const CLOUDFLARE_V4: [([u8; 4], u8); 15] = [
    ([173, 245, 48, 0], 20),
    ([103, 21, 244, 0], 22),
    ([103, 22, 200, 0], 22),
    ([103, 31, 4, 0], 22),
    ([141, 101, 64, 0], 18),
    ([108, 162, 192, 0], 18),
    ([190, 93, 240, 0], 20),
    ([188, 114, 96, 0], 20),
    ([197, 234, 240, 0], 22),
    ([198, 41, 128, 0], 17),
    ([162, 158, 0, 0], 15),
    ([104, 16, 0, 0], 13),
    ([104, 24, 0, 0], 14),
    ([172, 64, 0, 0], 13),
    ([131, 0, 72, 0], 22),
];

/// Cloudflare's published IPv6 ranges (<https://www.cloudflare.com/ips-v6>): the first 32 bits
/// of the address, prefix.
pub const CLOUDFLARE_V6: [(u32, u8); 7] = [
    (0x2400_cb00, 32),
    (0x2606_4700, 32),
    (0x2803_f800, 32),
    (0x2405_b500, 32),
    (0x2405_8100, 32),
    (0x2a06_98c0, 29),
    (0x2c0f_f248, 32),
];

/// Block-page servers that filtering DNS services name in their answers, with whose they are
/// (sources in core/tests/captures/network/facts/dns-sinkholes.md). Cloudflare Gateway's two
/// sit inside Cloudflare's own ranges, so only this list tells them apart from chatgpt.com's
/// real addresses.
const BLOCK_SERVERS_V4: &[([u8; 4], [u8; 4], &str)] = &[
    // Cisco Umbrella (OpenDNS): its block pages (docs.umbrella.com, "Block page IP addresses").
    ([146, 112, 61, 104], [146, 112, 61, 110], "Cisco Umbrella"),
    // Cloudflare Gateway's block page (developers.cloudflare.com, "Block page").
    ([162, 159, 36, 12], [162, 159, 36, 12], "Cloudflare Gateway"),
    ([162, 159, 46, 12], [162, 159, 46, 12], "Cloudflare Gateway"),
];

/// What kind of place an address is, as far as reading a block goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// Inside Cloudflare's published ranges: where OpenAI's names belong.
    Cloudflare,
    /// `0.0.0.0` or `::`: a DNS sinkhole's answer (Pi-hole, AdGuard Home, NextDNS).
    Unspecified,
    /// This computer (`127.0.0.0/8`, `::1`).
    Loopback,
    /// A private, shared or link-local address (RFC 1918, 100.64/10, fc00::/7, fe80::/10): a
    /// server on the local or the provider's network.
    Private,
    /// A filtering DNS service's known block-page server.
    BlockServer,
    /// Any other public address.
    Elsewhere,
}

impl Place {
    pub const fn as_str(self) -> &'static str {
        match self {
            Place::Cloudflare => "cloudflare",
            Place::Unspecified => "unspecified",
            Place::Loopback => "loopback",
            Place::Private => "private",
            Place::BlockServer => "block_server",
            Place::Elsewhere => "elsewhere",
        }
    }

    /// Would one of OpenAI's names resolving here mean the network put it there?
    pub const fn is_foreign(self) -> bool {
        !matches!(self, Place::Cloudflare)
    }
}

/// Where `ip` is. A v4-mapped IPv6 address is read as the IPv4 one.
pub fn place(ip: IpAddr) -> Place {
    match ip {
        IpAddr::V4(v4) => place_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => place_v4(v4),
            None => place_v6(v6),
        },
    }
}

/// The filtering service a block-page server belongs to, if it is a known one.
pub fn block_server(ip: IpAddr) -> Option<&'static str> {
    let v4 = match ip {
        IpAddr::V4(v4) => v4,
        IpAddr::V6(v6) => v6.to_ipv4_mapped()?,
    };
    let n = u32::from(v4);
    BLOCK_SERVERS_V4
        .iter()
        .find(|(lo, hi, _)| (u32::from_be_bytes(*lo)..=u32::from_be_bytes(*hi)).contains(&n))
        .map(|(_, _, who)| *who)
}

fn place_v4(ip: Ipv4Addr) -> Place {
    if block_server(IpAddr::V4(ip)).is_some() {
        return Place::BlockServer;
    }
    if ip.is_unspecified() {
        return Place::Unspecified;
    }
    if ip.is_loopback() {
        return Place::Loopback;
    }
    let n = u32::from(ip);
    let shared = (n & 0xffc0_0000) == 0x6440_0000; // 100.64.0.0/10, carrier-grade NAT
    if ip.is_private() || ip.is_link_local() || shared {
        return Place::Private;
    }
    let inside = CLOUDFLARE_V4.iter().any(|(net, len)| {
        let mask = u32::MAX.checked_shl(32 - u32::from(*len)).unwrap_or(0);
        n & mask == u32::from_be_bytes(*net) & mask
    });
    if inside {
        Place::Cloudflare
    } else {
        Place::Elsewhere
    }
}

fn place_v6(ip: Ipv6Addr) -> Place {
    if ip.is_unspecified() {
        return Place::Unspecified;
    }
    if ip.is_loopback() {
        return Place::Loopback;
    }
    let seg = ip.segments();
    let unique_local = (seg[0] & 0xfe00) == 0xfc00;
    let link_local = (seg[0] & 0xffc0) == 0xfe80;
    if unique_local || link_local {
        return Place::Private;
    }
    let top = (u32::from(seg[0]) << 16) | u32::from(seg[1]);
    let inside = CLOUDFLARE_V6.iter().any(|(net, len)| {
        let mask = u32::MAX.checked_shl(32 - u32::from(*len)).unwrap_or(0);
        top & mask == net & mask
    });
    if inside {
        Place::Cloudflare
    } else {
        Place::Elsewhere
    }
}

/// chatgpt.com, openai.com and their subdomains (api.openai.com, ios.chat.openai.com…): the names
/// whose answers Gatewatch knows should come from Cloudflare.
pub fn is_openai_name(host: &str) -> bool {
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    ["chatgpt.com", "openai.com"]
        .iter()
        .any(|d| h == *d || h.strip_suffix(d).is_some_and(|rest| rest.ends_with('.')))
}

/// The host part of a URL string (no scheme, user, port or path), lower-cased.
pub fn url_host(url: &str) -> Option<String> {
    let u = url::Url::parse(url).ok()?;
    match u.host()? {
        url::Host::Domain(d) => Some(d.to_ascii_lowercase()),
        url::Host::Ipv4(ip) => Some(ip.to_string()),
        url::Host::Ipv6(ip) => Some(ip.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Place {
        place(s.parse().unwrap())
    }

    #[test]
    fn openai_s_real_addresses_are_cloudflare_s() {
        // Addresses inside the published ranges, the shapes chatgpt.com's answers take.
        for a in [
            "104.18.32.47",
            "172.64.155.209",
            "162.159.140.245",
            "104.16.0.1",
            "104.23.255.255",
            "104.27.0.1",
            "2606:4700:4400::6812:202f",
            "2a06:98c1:3120::1",
            "::ffff:104.18.32.47",
        ] {
            assert_eq!(p(a), Place::Cloudflare, "{a}");
        }
    }

    #[test]
    fn what_filters_answer_is_not() {
        assert_eq!(p("0.0.0.0"), Place::Unspecified);
        assert_eq!(p("::"), Place::Unspecified);
        assert_eq!(p("127.0.0.1"), Place::Loopback);
        assert_eq!(p("::1"), Place::Loopback);
        assert_eq!(p("10.10.34.35"), Place::Private);
        assert_eq!(p("192.168.1.2"), Place::Private);
        assert_eq!(p("100.64.0.1"), Place::Private);
        assert_eq!(p("fd00::1"), Place::Private);
        assert_eq!(p("fe80::1"), Place::Private);
        assert_eq!(p("146.112.61.106"), Place::BlockServer);
        assert_eq!(p("162.159.36.12"), Place::BlockServer);
        assert_eq!(p("162.159.36.13"), Place::Cloudflare);
        assert_eq!(
            p("157.240.1.35"),
            Place::Elsewhere,
            "a facebook.com address"
        );
        assert_eq!(p("104.28.0.1"), Place::Elsewhere, "just past 104.24.0.0/14");
        assert_eq!(p("2001:db8::1"), Place::Elsewhere);
        assert_eq!(
            block_server("146.112.61.104".parse().unwrap()),
            Some("Cisco Umbrella")
        );
        assert_eq!(block_server("146.112.61.111".parse().unwrap()), None);
        assert!(!Place::Cloudflare.is_foreign());
        assert!(Place::Unspecified.is_foreign());
    }

    #[test]
    fn openai_s_names() {
        for h in [
            "chatgpt.com",
            "ChatGPT.com.",
            "api.openai.com",
            "ios.chat.openai.com",
            "openai.com",
        ] {
            assert!(is_openai_name(h), "{h}");
        }
        for h in [
            "notchatgpt.com",
            "chatgpt.com.evil.test",
            "127.0.0.1",
            "localhost",
            "status.example",
            "",
        ] {
            assert!(!is_openai_name(h), "{h}");
        }
        assert_eq!(
            url_host("https://ChatGPT.com:443/x").as_deref(),
            Some("chatgpt.com")
        );
        assert_eq!(
            url_host("http://127.0.0.1:8080").as_deref(),
            Some("127.0.0.1")
        );
        assert_eq!(url_host("http://[::1]:80/").as_deref(), Some("::1"));
    }
}
