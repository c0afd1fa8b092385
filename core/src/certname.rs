//! The names in a certificate, read from its DER bytes: whose it is (subject), who signed it
//! (issuer), and the host names it is for (subjectAltName).
//!
//! When chatgpt.com's TLS handshake fails, the certificate that was presented says who answered:
//! a filter's block server names itself ("FortiGate", "Zscaler Root CA", a `*.facebook.com` cert
//! on a poisoned name), an inspecting proxy signs chatgpt.com's name with its own root. Only the
//! few fields needed for that are read, by a small bounds-checked DER walker (no X.509 library
//! for three fields); anything malformed reads as "no names". The bytes come from the network:
//! every length is checked, strings are cut and stripped of control characters.

use serde::{Deserialize, Serialize};

/// Names kept at most, and characters per name.
const MAX_NAMES: usize = 16;
const MAX_CHARS: usize = 80;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertNames {
    /// The subject's common name and organisation.
    pub subject_cn: Option<String>,
    pub subject_o: Option<String>,
    /// The issuer's common name and organisation.
    pub issuer_cn: Option<String>,
    pub issuer_o: Option<String>,
    /// The DNS names it is for (subjectAltName), at most [`MAX_NAMES`].
    pub dns_names: Vec<String>,
}

impl CertNames {
    /// Is this certificate for `host` (its subjectAltName, or with none its common name; a
    /// wildcard covers one label)?
    pub fn covers(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let names: Vec<&String> = if self.dns_names.is_empty() {
            self.subject_cn.iter().collect()
        } else {
            self.dns_names.iter().collect()
        };
        names.iter().any(|n| name_matches(n, &host))
    }

    /// The names to show, in one short line: "CN=FortiGate, O=Fortinet (issued by …)".
    pub fn summary(&self) -> String {
        let part = |cn: &Option<String>, o: &Option<String>| {
            [
                cn.as_ref().map(|c| format!("CN={c}")),
                o.as_ref().map(|o| format!("O={o}")),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
        };
        let subject = part(&self.subject_cn, &self.subject_o);
        let issuer = part(&self.issuer_cn, &self.issuer_o);
        match (subject.is_empty(), issuer.is_empty()) {
            (true, true) => String::new(),
            (false, true) => subject,
            (true, false) => format!("issued by {issuer}"),
            (false, false) => format!("{subject}; issued by {issuer}"),
        }
    }
}

fn name_matches(pattern: &str, host: &str) -> bool {
    let p = pattern.trim_end_matches('.').to_ascii_lowercase();
    match p.strip_prefix("*.") {
        Some(suffix) => host
            .split_once('.')
            .is_some_and(|(label, rest)| !label.is_empty() && rest == suffix),
        None => p == host,
    }
}

/// Read the names from a certificate's DER encoding; `None` if it is not one.
pub fn read(der: &[u8]) -> Option<CertNames> {
    let (cert, _) = tlv(der, 0x30)?;
    let (tbs, _) = tlv(cert, 0x30)?;
    let mut rest = tbs;
    // version [0] EXPLICIT, optional
    if rest.first() == Some(&0xa0) {
        rest = skip(rest)?;
    }
    rest = skip(rest)?; // serialNumber
    rest = skip(rest)?; // signature AlgorithmIdentifier
    let (issuer, r) = tlv(rest, 0x30)?;
    rest = skip(r)?; // validity
    let (subject, r) = tlv(rest, 0x30)?;
    rest = skip(r)?; // subjectPublicKeyInfo
    let mut names = CertNames {
        subject_cn: attribute(subject, &OID_CN),
        subject_o: attribute(subject, &OID_O),
        issuer_cn: attribute(issuer, &OID_CN),
        issuer_o: attribute(issuer, &OID_O),
        dns_names: Vec::new(),
    };
    // issuerUniqueID [1], subjectUniqueID [2], then extensions [3] EXPLICIT.
    while let Some(&tag) = rest.first() {
        if tag == 0xa3 {
            let (exts, _) = tlv(rest, 0xa3)?;
            names.dns_names = subject_alt_names(exts).unwrap_or_default();
            break;
        }
        rest = skip(rest)?;
    }
    Some(names)
}

const OID_CN: [u8; 3] = [0x55, 0x04, 0x03];
const OID_O: [u8; 3] = [0x55, 0x04, 0x0a];
const OID_SAN: [u8; 3] = [0x55, 0x1d, 0x11];

/// The first value of an attribute in a Name (SEQUENCE OF SET OF SEQUENCE { OID, value }).
fn attribute(name: &[u8], oid: &[u8]) -> Option<String> {
    let mut rdns = name;
    while !rdns.is_empty() {
        let (set, r) = tlv(rdns, 0x31)?;
        rdns = r;
        let mut atvs = set;
        while !atvs.is_empty() {
            let (atv, r) = tlv(atvs, 0x30)?;
            atvs = r;
            let (id, value) = tlv(atv, 0x06)?;
            if id == oid {
                let (&tag, _) = value.split_first()?;
                let (bytes, _) = tlv(value, tag)?;
                return text(tag, bytes);
            }
        }
    }
    None
}

/// dNSName entries of the subjectAltName extension, from the extensions' SEQUENCE.
fn subject_alt_names(exts: &[u8]) -> Option<Vec<String>> {
    let (mut list, _) = tlv(exts, 0x30)?;
    while !list.is_empty() {
        let (ext, r) = tlv(list, 0x30)?;
        list = r;
        let (id, mut rest) = tlv(ext, 0x06)?;
        if id != OID_SAN {
            continue;
        }
        if rest.first() == Some(&0x01) {
            rest = skip(rest)?; // critical
        }
        let (value, _) = tlv(rest, 0x04)?;
        let (mut general, _) = tlv(value, 0x30)?;
        let mut out = Vec::new();
        while !general.is_empty() && out.len() < MAX_NAMES {
            let (&tag, _) = general.split_first()?;
            let (bytes, r) = tlv(general, tag)?;
            general = r;
            // dNSName is [2] IMPLICIT IA5String.
            if tag == 0x82 {
                if let Some(s) = text(0x16, bytes) {
                    out.push(s);
                }
            }
        }
        return Some(out);
    }
    Some(Vec::new())
}

/// A string value as text: UTF8String, PrintableString, IA5String, T61String (read as Latin-1)
/// or BMPString; control characters dropped, cut to [`MAX_CHARS`].
fn text(tag: u8, bytes: &[u8]) -> Option<String> {
    let s: String = match tag {
        0x0c | 0x13 | 0x16 => String::from_utf8_lossy(bytes).into_owned(),
        0x14 => bytes.iter().map(|&b| char::from(b)).collect(),
        0x1e => {
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        _ => return None,
    };
    let s: String = s
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_CHARS)
        .collect();
    let s = s.trim().to_string();
    (!s.is_empty()).then_some(s)
}

/// One TLV with the expected tag: (its contents, what follows it).
fn tlv(b: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&t, rest) = b.split_first()?;
    if t != tag {
        return None;
    }
    let (len, rest) = length(rest)?;
    (rest.len() >= len).then(|| rest.split_at(len))
}

/// Skip one TLV, whatever its tag.
fn skip(b: &[u8]) -> Option<&[u8]> {
    let (&tag, _) = b.split_first()?;
    tlv(b, tag).map(|(_, rest)| rest)
}

/// A DER length: short form, or long form of at most four bytes.
fn length(b: &[u8]) -> Option<(usize, &[u8])> {
    let (&first, rest) = b.split_first()?;
    if first < 0x80 {
        return Some((usize::from(first), rest));
    }
    let n = usize::from(first & 0x7f);
    if n == 0 || n > 4 || rest.len() < n {
        return None;
    }
    let len = rest[..n]
        .iter()
        .fold(0usize, |acc, &d| (acc << 8) | usize::from(d));
    Some((len, &rest[n..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal DER writer, for certificates shaped like real ones.
    fn der(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        match content.len() {
            n if n < 0x80 => out.push(n as u8),
            n if n < 0x100 => out.extend([0x81, n as u8]),
            n => out.extend([0x82, (n >> 8) as u8, n as u8]),
        }
        out.extend_from_slice(content);
        out
    }

    fn name(cn: &str, o: Option<&str>) -> Vec<u8> {
        let atv = |oid: &[u8], tag: u8, v: &str| {
            der(
                0x31,
                &der(0x30, &[der(0x06, oid), der(tag, v.as_bytes())].concat()),
            )
        };
        let mut rdns = Vec::new();
        if let Some(o) = o {
            rdns.extend(atv(&OID_O, 0x13, o));
        }
        rdns.extend(atv(&OID_CN, 0x0c, cn));
        der(0x30, &rdns)
    }

    pub(crate) fn cert(subject: &str, issuer: &str, sans: &[&str]) -> Vec<u8> {
        let alg = der(
            0x30,
            &der(0x06, &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02]),
        );
        let validity = der(
            0x30,
            &[der(0x17, b"260101000000Z"), der(0x17, b"270101000000Z")].concat(),
        );
        let spki = der(0x30, &[alg.clone(), der(0x03, &[0, 4, 1, 2])].concat());
        let mut tbs = [
            der(0xa0, &der(0x02, &[2])),
            der(0x02, &[0x01, 0x23]),
            alg.clone(),
            name(issuer, Some("Example Filters Inc")),
            validity,
            name(subject, None),
            spki,
        ]
        .concat();
        if !sans.is_empty() {
            let general: Vec<u8> = sans.iter().flat_map(|s| der(0x82, s.as_bytes())).collect();
            let san = der(
                0x30,
                &[der(0x06, &OID_SAN), der(0x04, &der(0x30, &general))].concat(),
            );
            let bc = der(
                0x30,
                &[
                    der(0x06, &[0x55, 0x1d, 0x13]),
                    der(0x01, &[0xff]),
                    der(0x04, &der(0x30, &[])),
                ]
                .concat(),
            );
            tbs.extend(der(0xa3, &der(0x30, &[bc, san].concat())));
        }
        der(
            0x30,
            &[der(0x30, &tbs), alg, der(0x03, &[0, 1, 2, 3])].concat(),
        )
    }

    #[test]
    fn names_of_a_block_server_s_certificate() {
        let c = read(&cert("FortiGate", "FG100F3G19000000", &["*.fortinet.com"])).unwrap();
        assert_eq!(c.subject_cn.as_deref(), Some("FortiGate"));
        assert_eq!(c.issuer_cn.as_deref(), Some("FG100F3G19000000"));
        assert_eq!(c.issuer_o.as_deref(), Some("Example Filters Inc"));
        assert_eq!(c.dns_names, ["*.fortinet.com"]);
        assert!(!c.covers("chatgpt.com"));
        assert!(c.covers("www.fortinet.com"));
        assert!(!c.covers("a.b.fortinet.com"), "a wildcard covers one label");
        assert_eq!(
            c.summary(),
            "CN=FortiGate; issued by CN=FG100F3G19000000, O=Example Filters Inc"
        );
    }

    #[test]
    fn chatgpt_s_own_name_signed_by_an_inspecting_proxy() {
        let c = read(&cert(
            "chatgpt.com",
            "Zscaler Intermediate Root CA",
            &["chatgpt.com", "*.chatgpt.com"],
        ))
        .unwrap();
        assert!(c.covers("chatgpt.com"));
        assert!(c.covers("CHATGPT.COM."));
        assert!(!c.covers("api.openai.com"));
        // No subjectAltName: the common name counts.
        let c = read(&cert("chatgpt.com", "x", &[])).unwrap();
        assert!(c.dns_names.is_empty());
        assert!(c.covers("chatgpt.com"));
    }

    #[test]
    fn garbage_reads_as_nothing() {
        let good = cert("a", "b", &["a"]);
        for cut in 0..good.len() {
            // Any prefix either fails or reads; it never panics.
            let _ = read(&good[..cut]);
        }
        assert_eq!(read(&[]), None);
        assert_eq!(read(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]), None);
        assert_eq!(read(&[0x30, 0x85, 1, 1, 1, 1, 1]), None);
        assert_eq!(read(b"-----BEGIN CERTIFICATE-----"), None);
        // Hostile strings are cut and cleaned.
        let long = "x".repeat(500);
        let c = read(&cert(&format!("bad\u{7}{long}"), "b", &[])).unwrap();
        assert_eq!(c.subject_cn.as_ref().unwrap().chars().count(), MAX_CHARS);
        assert!(!c.subject_cn.unwrap().contains('\u{7}'));
    }
}
