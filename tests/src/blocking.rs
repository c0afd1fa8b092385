//! Networks that block ChatGPT, played by real servers: a filtering proxy answering with a
//! captured block page, a block server showing its own certificate, a box that cuts the
//! connection when a ClientHello names OpenAI, and a network namespace of the test's own to put
//! them on the addresses a real network would (`unshare -rn`).
//!
//! What they do is what the captures and public reports show filters do (core/tests/captures/
//! network/): nothing here is a mock of Gatewatch's HTTP client.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{self, ServerConfig};
use tokio_rustls::TlsAcceptor;

use crate::Page;

/// Is `host` one of the names this box blocks (the name or a subdomain of it)?
fn blocked(host: &str, names: &[String]) -> bool {
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    names
        .iter()
        .any(|n| h == *n || h.strip_suffix(n.as_str()).is_some_and(|r| r.ends_with('.')))
}

/// An explicit proxy that refuses OpenAI's hosts with a block page — to `CONNECT` and to plain
/// requests alike — and passes everything else (tunnelled, or forwarded one request at a time).
pub struct FilteringProxy {
    addr: SocketAddr,
    refused: Arc<AtomicU64>,
    passed: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl FilteringProxy {
    /// Refuse `names` (and their subdomains) with `page`, on 127.0.0.1.
    pub async fn start(names: &[&str], page: Page) -> std::io::Result<FilteringProxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let names: Arc<Vec<String>> =
            Arc::new(names.iter().map(|n| n.to_ascii_lowercase()).collect());
        let page = Arc::new(page.into_bytes());
        let (refused, passed) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
        let (r, p) = (refused.clone(), passed.clone());
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = crate::accept(&listener).await {
                let (names, page, r, p) = (names.clone(), page.clone(), r.clone(), p.clone());
                tokio::spawn(async move {
                    proxy_one(client, &names, &page, &r, &p).await;
                });
            }
        });
        Ok(FilteringProxy {
            addr,
            refused,
            passed,
            task,
        })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Requests it refused with the page.
    pub fn refused(&self) -> u64 {
        self.refused.load(Ordering::Relaxed)
    }

    /// Requests it let through.
    pub fn passed(&self) -> u64 {
        self.passed.load(Ordering::Relaxed)
    }
}

impl Drop for FilteringProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn read_head(s: &mut TcpStream) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        if buf.len() > 16 * 1024 || s.read(&mut byte).await.ok()? == 0 {
            return None;
        }
        buf.push(byte[0]);
    }
    Some(buf)
}

async fn proxy_one(
    mut client: TcpStream,
    names: &[String],
    page: &[u8],
    refused: &AtomicU64,
    passed: &AtomicU64,
) {
    let Some(head) = read_head(&mut client).await else {
        return;
    };
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut parts = text.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return;
    };
    if method == "CONNECT" {
        let host = target.rsplit_once(':').map_or(target, |(h, _)| h);
        if blocked(host.trim_matches(['[', ']']), names) {
            refused.fetch_add(1, Ordering::Relaxed);
            client.write_all(page).await.ok();
            client.shutdown().await.ok();
            return;
        }
        let Ok(mut upstream) = TcpStream::connect(target).await else {
            client
                .write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                .await
                .ok();
            return;
        };
        passed.fetch_add(1, Ordering::Relaxed);
        if client
            .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
            .await
            .is_ok()
        {
            tokio::io::copy_bidirectional(&mut client, &mut upstream)
                .await
                .ok();
        }
        return;
    }
    // A plain request, absolute-form: refused, or forwarded in origin-form and its one answer
    // passed back.
    let Some(rest) = target.strip_prefix("http://") else {
        return;
    };
    let (authority, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_string()), |(a, p)| (a, format!("/{p}")));
    let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
    if blocked(host, names) {
        refused.fetch_add(1, Ordering::Relaxed);
        client.write_all(page).await.ok();
        client.shutdown().await.ok();
        return;
    }
    let port_given = authority.rsplit_once(':').is_some();
    let dial = if port_given {
        authority.to_string()
    } else {
        format!("{authority}:80")
    };
    let Ok(mut upstream) = TcpStream::connect(dial).await else {
        return;
    };
    passed.fetch_add(1, Ordering::Relaxed);
    let mut request = format!("{method} {path} HTTP/1.1\r\n");
    for line in text.split("\r\n").skip(1).filter(|l| !l.is_empty()) {
        let name = line.split(':').next().unwrap_or("").to_ascii_lowercase();
        if !matches!(
            name.as_str(),
            "connection" | "proxy-connection" | "proxy-authorization"
        ) {
            request.push_str(line);
            request.push_str("\r\n");
        }
    }
    request.push_str("Connection: close\r\n\r\n");
    if upstream.write_all(request.as_bytes()).await.is_err() {
        return;
    }
    let Some(answer_head) = read_head(&mut upstream).await else {
        return;
    };
    let answer = String::from_utf8_lossy(&answer_head).to_ascii_lowercase();
    let length = answer
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    if upstream.read_exact(&mut body).await.is_err() {
        return;
    }
    if client.write_all(&answer_head).await.is_ok() {
        client.write_all(&body).await.ok();
    }
    client.shutdown().await.ok();
}

/// A block server: answers TLS on `addr` with a certificate of its own (subject and issuer
/// named `cn`/`org`, for `names`), as a filter's block server, a DNS filter's block page or a
/// poisoned answer's host does. It answers nothing over it.
pub struct BlockServer {
    handshakes: Arc<AtomicU64>,
    requests: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl BlockServer {
    pub async fn start(
        addr: SocketAddr,
        cn: &str,
        org: &str,
        names: &[&str],
    ) -> std::io::Result<BlockServer> {
        let other = |e: String| std::io::Error::other(e);
        let mut params =
            rcgen::CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
                .map_err(|e| other(e.to_string()))?;
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, cn);
        params
            .distinguished_name
            .push(rcgen::DnType::OrganizationName, org);
        let key = rcgen::KeyPair::generate().map_err(|e| other(e.to_string()))?;
        let cert = params.self_signed(&key).map_err(|e| other(e.to_string()))?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| other(e.to_string()))?
            .with_no_client_auth()
            .with_single_cert(
                vec![CertificateDer::from(cert.der().to_vec())],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
            )
            .map_err(|e| other(e.to_string()))?;
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind(addr).await?;
        let (handshakes, requests) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
        let (h, r) = (handshakes.clone(), requests.clone());
        let task = tokio::spawn(async move {
            while let Ok((tcp, _)) = crate::accept(&listener).await {
                let (acceptor, h, r) = (acceptor.clone(), h.clone(), r.clone());
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    h.fetch_add(1, Ordering::Relaxed);
                    let mut buf = [0u8; 1024];
                    if matches!(tls.read(&mut buf).await, Ok(n) if n > 0) {
                        r.fetch_add(1, Ordering::Relaxed);
                    }
                });
            }
        });
        Ok(BlockServer {
            handshakes,
            requests,
            task,
        })
    }

    /// Handshakes that completed (a client that trusted the certificate).
    pub fn handshakes(&self) -> u64 {
        self.handshakes.load(Ordering::Relaxed)
    }

    /// Requests sent over such a connection.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }
}

impl Drop for BlockServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A box that reads each ClientHello on `addr` and cuts the connection (a reset) when its name
/// is one of `names` — as firewalls that filter by the name in the handshake do — and answers
/// any other name with a TLS alert.
pub struct SniResetter {
    seen: Arc<Mutex<Vec<(String, bool)>>>,
    task: tokio::task::JoinHandle<()>,
}

impl SniResetter {
    pub async fn start(addr: SocketAddr, names: &[&str]) -> std::io::Result<SniResetter> {
        let listener = TcpListener::bind(addr).await?;
        let names: Arc<Vec<String>> =
            Arc::new(names.iter().map(|n| n.to_ascii_lowercase()).collect());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let s = seen.clone();
        let task = tokio::spawn(async move {
            while let Ok((mut tcp, _)) = crate::accept(&listener).await {
                let (names, s) = (names.clone(), s.clone());
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 16 * 1024];
                    let mut n = 0;
                    // Enough of the first record to hold the name.
                    while n < buf.len() {
                        match tcp.read(&mut buf[n..]).await {
                            Ok(0) | Err(_) => return,
                            Ok(k) => n += k,
                        }
                        if let Some(name) = client_hello_name(&buf[..n]) {
                            let cut = blocked(&name, &names);
                            s.lock()
                                .unwrap_or_else(|p| p.into_inner())
                                .push((name, cut));
                            if cut {
                                // SO_LINGER 0 turns the close into an RST.
                                tcp.set_zero_linger().ok();
                            } else {
                                // A fatal handshake_failure alert.
                                tcp.write_all(&[0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28])
                                    .await
                                    .ok();
                            }
                            return;
                        }
                    }
                });
            }
        });
        Ok(SniResetter { seen, task })
    }

    /// The names in the hellos it read, and whether it cut each.
    pub fn seen(&self) -> Vec<(String, bool)> {
        self.seen.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

impl Drop for SniResetter {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The server name in a TLS ClientHello, once enough of it has arrived.
pub fn client_hello_name(b: &[u8]) -> Option<String> {
    // Record header (type 22, version, length), then the handshake (type 1, length, version,
    // random, session id, cipher suites, compression methods, extensions).
    if b.len() < 5 || b[0] != 0x16 {
        return None;
    }
    let mut i = 5 + 4 + 2 + 32;
    let take = |i: &mut usize, n: usize| -> Option<usize> {
        let start = *i;
        *i = i.checked_add(n)?;
        (*i <= b.len()).then_some(start)
    };
    let sid = *b.get(i)? as usize;
    take(&mut i, 1 + sid)?;
    let cs = u16::from_be_bytes([*b.get(i)?, *b.get(i + 1)?]) as usize;
    take(&mut i, 2 + cs)?;
    let cm = *b.get(i)? as usize;
    take(&mut i, 1 + cm)?;
    let ext_len = u16::from_be_bytes([*b.get(i)?, *b.get(i + 1)?]) as usize;
    take(&mut i, 2)?;
    let end = i.checked_add(ext_len)?.min(b.len());
    while i + 4 <= end {
        let ty = u16::from_be_bytes([b[i], b[i + 1]]);
        let len = u16::from_be_bytes([b[i + 2], b[i + 3]]) as usize;
        let data = take(&mut i, 4 + len)? + 4;
        if ty == 0 {
            // server_name list: length, then (type 0, length, name).
            let name_len = u16::from_be_bytes([*b.get(data + 3)?, *b.get(data + 4)?]) as usize;
            let name = b.get(data + 5..data + 5 + name_len)?;
            return Some(String::from_utf8_lossy(name).into_owned());
        }
    }
    None
}

/// Run the calling test again inside a network namespace of its own (`unshare -rn`: a user and
/// network namespace, nothing shared with the machine's network), with the loopback interface up
/// and `addrs` (CIDR) added to it, so the test may bind port 443 on addresses of its choosing
/// (a Cloudflare address, a block server's). Returns `true` in the namespace, where the test
/// goes on; `false` in the outer run, after the inner one passed (it panics if it failed).
pub fn in_own_network(test: &str, addrs: &[&str]) -> bool {
    in_own_network_with(test, addrs, &[], &[])
}

/// The same, the inner run started through `wrapper` (a desktop session of its own, say: the
/// outer one's D-Bus is not reachable from another network namespace) and with `extra` test
/// arguments (`--ignored`).
pub fn in_own_network_with(test: &str, addrs: &[&str], wrapper: &[&str], extra: &[&str]) -> bool {
    if std::env::var_os("GATEWATCH_TEST_NETNS").is_some() {
        return true;
    }
    let exe = std::env::current_exe().expect("the test binary's path");
    let mut script = String::from("set -e; ip link set lo up");
    for a in addrs {
        script.push_str(&format!("; ip addr add {a} dev lo"));
    }
    script.push_str("; exec \"$@\"");
    let out = std::process::Command::new("unshare")
        .args(["-rn", "sh", "-c", &script, "in-own-network"])
        .args(wrapper)
        .arg(&exe)
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .args(extra)
        .env("GATEWATCH_TEST_NETNS", "1")
        .output()
        .unwrap_or_else(|e| panic!("cannot run unshare (util-linux): {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{test} in a network namespace of its own ({}):\n{stdout}\n{stderr}",
        out.status
    );
    print!("{stdout}");
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_their_subdomains() {
        let names = vec!["chatgpt.com".to_string(), "openai.com".to_string()];
        assert!(blocked("chatgpt.com", &names));
        assert!(blocked("ios.chat.openai.com", &names));
        assert!(blocked("API.OpenAI.com.", &names));
        assert!(!blocked("notopenai.com", &names));
        assert!(!blocked("127.0.0.1", &names));
    }
}
