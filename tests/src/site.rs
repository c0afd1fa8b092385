//! chatgpt.com as the user's own browser meets it, for the browser companion's end-to-end tests:
//! HTTPS on loopback with a certificate of the test's own for `chatgpt.com`, so the extension's
//! real `https://chatgpt.com/*` match pattern sees it. Chromium is pointed here by
//! `--host-resolver-rules` and told to accept exactly this certificate
//! (`--ignore-certificate-errors-spki-list` with [`FakeSite::spki`]). Firefox cannot map a name
//! to another port, so the site has a second door for it: an HTTP proxy ([`FakeSite::proxy`])
//! that takes `CONNECT chatgpt.com:443` into this same site and refuses every other host, which
//! also keeps the browser off the internet.
//!
//! Separate from the [`crate::FakeWorld`] hosts on purpose: Gatewatch's own probes go there and
//! stay healthy, while what the browser meets here fails — a partial outage that only the
//! browser sees. Every answer comes through "Cloudflare" (`server: cloudflare`, a `cf-ray`). A
//! request chooses its own answer, so that a test reads as the requests it makes:
//! - `?status=502` (any method, any path): that status; a 5xx is Cloudflare's error page.
//! - `POST …?stream=1`: a 200 event stream, one event every 100 ms for 20 s (what a generation
//!   looks like), for a page to stop midway.
//! - anything else: 200, a small page (GET) or `{}` (POST).

use std::sync::{Arc, Mutex};

use base64::Engine as _;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use crate::pages::{self, Page};
use crate::{Action, Role, Scenario};

/// The page a healthy chatgpt.com answers (a stand-in: the real one is an app).
const HOME: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>ChatGPT</title></head>\
<body style=\"font: 16px system-ui, sans-serif; margin: 40px\"><h1>ChatGPT</h1><p>How can I help?</p></body></html>";

pub struct FakeSite {
    port: u16,
    proxy: u16,
    spki: String,
    seen: Arc<Mutex<Vec<String>>>,
    refused: Arc<Mutex<Vec<String>>>,
    tasks: [tokio::task::JoinHandle<()>; 2],
}

impl FakeSite {
    pub async fn start() -> std::io::Result<FakeSite> {
        let (acceptor, public) = crate::tls::self_signed(&["chatgpt.com"])?;
        let digest = ring::digest::digest(&ring::digest::SHA256, &public);
        let spki = base64::engine::general_purpose::STANDARD.encode(digest.as_ref());
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let tls = acceptor.clone();
        let task = tokio::spawn(async move {
            while let Ok((tcp, _)) = crate::accept(&listener).await {
                let (acceptor, log) = (tls.clone(), log.clone());
                tokio::spawn(async move {
                    if let Ok(tls) = acceptor.accept(tcp).await {
                        serve(tls, &log).await;
                    }
                });
            }
        });
        let proxy_listener = TcpListener::bind("127.0.0.1:0").await?;
        let proxy = proxy_listener.local_addr()?.port();
        let refused = Arc::new(Mutex::new(Vec::new()));
        let (log, others) = (seen.clone(), refused.clone());
        let proxy_task = tokio::spawn(async move {
            while let Ok((tcp, _)) = crate::accept(&proxy_listener).await {
                let (acceptor, log, others) = (acceptor.clone(), log.clone(), others.clone());
                tokio::spawn(async move {
                    tunnel(tcp, &acceptor, &log, &others).await;
                });
            }
        });
        Ok(FakeSite {
            port,
            proxy,
            spki,
            seen,
            refused,
            tasks: [task, proxy_task],
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The base64 SHA-256 of the certificate's public key, as Chromium's
    /// `--ignore-certificate-errors-spki-list` takes it.
    pub fn spki(&self) -> &str {
        &self.spki
    }

    /// `--host-resolver-rules` that send chatgpt.com here and every other name nowhere, so the
    /// browser under test never reaches the internet.
    pub fn resolver_rules(&self) -> String {
        format!(
            "MAP chatgpt.com:443 127.0.0.1:{}, MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            self.port
        )
    }

    /// The port of the site's HTTP proxy on 127.0.0.1, for a browser's proxy settings (Firefox's
    /// `network.proxy.ssl`): `CONNECT chatgpt.com:443` is answered by this site, any other
    /// request with a 403 and nothing else.
    pub fn proxy(&self) -> u16 {
        self.proxy
    }

    /// Every request so far, as `METHOD /path?query`, in order.
    pub fn requests(&self) -> Vec<String> {
        self.seen.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// What the proxy refused so far, as each request's first line: where a browser tried to go
    /// that is not chatgpt.com.
    pub fn refused(&self) -> Vec<String> {
        self.refused
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

impl Drop for FakeSite {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// One connection to the proxy: `CONNECT chatgpt.com:443` is answered "established" and the
/// connection handed to the site's TLS as it is (no second hop); anything else is refused, and
/// its first line kept in `refused`.
async fn tunnel(
    mut tcp: tokio::net::TcpStream,
    acceptor: &TlsAcceptor,
    log: &Mutex<Vec<String>>,
    refused: &Mutex<Vec<String>>,
) {
    // The head a byte at a time: what follows it is the browser's TLS, for the acceptor.
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > 16 * 1024 || !matches!(tcp.read(&mut byte).await, Ok(1)) {
            return;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let first = head.lines().next().unwrap_or("").to_string();
    let mut words = first.split_whitespace();
    if (words.next(), words.next()) == (Some("CONNECT"), Some("chatgpt.com:443")) {
        if tcp
            .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
            .await
            .is_ok()
        {
            if let Ok(tls) = acceptor.accept(tcp).await {
                serve(tls, log).await;
            }
        }
        return;
    }
    refused
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(first);
    tcp.write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        .await
        .ok();
    tcp.shutdown().await.ok();
}

/// One request per connection (the answer says `Connection: close`).
async fn serve<S>(mut s: S, log: &Mutex<Vec<String>>)
where
    S: AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let Some((method, target)) = read_request(&mut s).await else {
        return;
    };
    log.lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(format!("{method} {target}"));
    let query = target.split_once('?').map(|(_, q)| q).unwrap_or("");
    let param = |name: &str| {
        query
            .split('&')
            .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
    };
    let status: u16 = param("status").and_then(|s| s.parse().ok()).unwrap_or(200);
    if method == "POST" && param("stream").is_some() && status == 200 {
        stream(&mut s).await;
        return;
    }
    let page = if status >= 500 {
        cloudflare_error(status)
    } else if method == "GET" {
        Page::new(status, "text/html; charset=utf-8", HOME)
            .header("Server", "cloudflare")
            .header("CF-RAY", "8f2c1a0b3d4e5f61-FRA")
    } else {
        Page::json(status, "{}".into())
            .header("Server", "cloudflare")
            .header("CF-RAY", "8f2c1a0b3d4e5f61-FRA")
    };
    let bytes = page.header("Connection", "close").into_bytes();
    if s.write_all(&bytes).await.is_ok() {
        s.shutdown().await.ok();
    }
}

/// Cloudflare's branded error page for `status`, as the fake hosts serve it.
fn cloudflare_error(status: u16) -> Page {
    let scenario = match status {
        502 => Scenario::BadGateway,
        504 => Scenario::GatewayTimeout,
        code => Scenario::Cloudflare(code),
    };
    match pages::route(
        scenario,
        Default::default(),
        Role::Chatgpt,
        "GET",
        "/",
        None,
    ) {
        Action::Respond(page) => page,
        _ => Page::text(status, format!("{status}\n")).header("Server", "cloudflare"),
    }
}

/// A generation's answer: the head at once, then an event every 100 ms, until the page stops
/// reading (the write fails) or 20 s have passed.
async fn stream<S: tokio::io::AsyncWrite + Unpin>(s: &mut S) {
    let head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\
                Server: cloudflare\r\nCF-RAY: 8f2c1a0b3d4e5f62-FRA\r\nConnection: close\r\n\r\n";
    if s.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    for i in 0..200 {
        let event = format!("data: {{\"n\":{i}}}\n\n");
        let chunk = format!("{:x}\r\n{event}\r\n", event.len());
        if s.write_all(chunk.as_bytes()).await.is_err() || s.flush().await.is_err() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    s.write_all(b"0\r\n\r\n").await.ok();
    s.shutdown().await.ok();
}

/// The request line's method and target; the headers and body are read and dropped.
async fn read_request<S: AsyncRead + Unpin>(s: &mut S) -> Option<(String, String)> {
    let mut buf = Vec::new();
    let end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if buf.len() > 64 * 1024 {
            return None;
        }
        let mut chunk = [0u8; 4096];
        let n = s.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
    let mut first = head.lines().next()?.split_whitespace();
    let (method, target) = (first.next()?.to_string(), first.next()?.to_string());
    let len: usize = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(n, _)| n.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0)
        .min(1 << 20);
    let mut have = buf.len() - (end + 4);
    while have < len {
        let mut chunk = [0u8; 4096];
        let n = s.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        have += n;
    }
    Some((method, target))
}
