//! A closer look at a request to chatgpt.com that failed below HTTP: what did the network do?
//!
//! reqwest reports a refused tunnel as a bare "tunnel error", and a failed handshake without the
//! certificate that was shown. Both are what tells a network that blocks ChatGPT from one that
//! is broken, so after such a failure the prober looks once more, on a connection of its own:
//! - through an http proxy, it sends `CONNECT host:443` itself and reads the proxy's answer — its
//!   status, its page (a policy's refusal names itself: Squid, tinyproxy, a gateway);
//! - it starts a TLS handshake with the host's name and reads the certificate the server shows
//!   (never trusted, never used: the handshake is broken off there and nothing is sent), or
//!   sees the connection cut right after its ClientHello — and then tries the same address with
//!   another name, to tell filtering by name from an address that is down.
//!
//! Only on failures, once per check, with a short time limit and a size cap on what is read.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use url::Url;

use super::resolve::Recorder;
use crate::certname;
use crate::model::{Handshake, HttpResponse, Look, NetErrorKind};

/// The most of a proxy's answer that is read.
const ANSWER_CAP: usize = 16 * 1024;
/// A name no filter blocks, for the second handshake at the same address.
const OTHER_NAME: &str = "example.com";

/// Look closer at a failed request to `url`: `error` is how it failed, `proxy` the http proxy
/// it went through (with its credentials), if any. `None` when there is nothing to look at.
pub async fn look(
    url: &str,
    error: NetErrorKind,
    proxy: Option<&Url>,
    resolver: &Recorder,
    limit: Duration,
) -> Option<Look> {
    let u = Url::parse(url).ok()?;
    if u.scheme() != "https" {
        return None;
    }
    let host = u.host_str()?.trim_matches(['[', ']']).to_string();
    let port = u.port_or_known_default()?;
    let wanted = matches!(
        error,
        NetErrorKind::ProxyRefused
            | NetErrorKind::Tls
            | NetErrorKind::Reset
            | NetErrorKind::Protocol
    );
    if !wanted {
        return None;
    }
    let proxy = proxy.filter(|p| p.scheme() == "http");
    tokio::time::timeout(limit, async {
        match proxy {
            Some(p) => through_proxy(p, &host, port, limit).await,
            None if error == NetErrorKind::ProxyRefused => None,
            None => direct(&host, port, resolver, limit).await,
        }
    })
    .await
    .ok()
    .flatten()
}

async fn through_proxy(proxy: &Url, host: &str, port: u16, limit: Duration) -> Option<Look> {
    let (answer, stream) = tunnel(proxy, host, port, limit).await.ok()?;
    match stream {
        None => Some(Look {
            proxy_answer: Some(answer),
            handshake: None,
        }),
        Some(s) => Some(Look {
            proxy_answer: None,
            handshake: Some(to_handshake(hello(s, host, limit).await, None)),
        }),
    }
}

async fn direct(host: &str, port: u16, resolver: &Recorder, limit: Duration) -> Option<Look> {
    let ip = match host.parse() {
        Ok(ip) => ip,
        Err(_) => resolver.lookup(host).await.first()?,
    };
    let addr = SocketAddr::new(ip, port);
    let first = match connect(addr, limit).await {
        Ok(s) => hello(s, host, limit).await,
        Err(error) => Hello::NoConnection(error),
    };
    // Cut right after the hello: does the same address answer a hello for another name?
    let other = match first {
        Hello::Cut => Some(match connect(addr, limit).await {
            Ok(s) => !matches!(
                hello(s, OTHER_NAME, limit).await,
                Hello::Cut | Hello::Silent
            ),
            Err(_) => false,
        }),
        _ => None,
    };
    Some(Look {
        proxy_answer: None,
        handshake: Some(to_handshake(first, other)),
    })
}

async fn connect(addr: SocketAddr, limit: Duration) -> Result<TcpStream, NetErrorKind> {
    match tokio::time::timeout(limit, TcpStream::connect(addr)).await {
        Ok(Ok(s)) => Ok(s),
        Ok(Err(_)) => Err(NetErrorKind::Connect),
        Err(_) => Err(NetErrorKind::Timeout),
    }
}

/// How a handshake went.
enum Hello {
    /// The server showed this certificate (DER).
    Certificate(Vec<u8>),
    /// The connection was reset or closed right after the ClientHello.
    Cut,
    /// The server answered, but not with a certificate (an alert, a protocol error).
    Answered,
    /// No answer in time.
    Silent,
    NoConnection(NetErrorKind),
}

fn to_handshake(h: Hello, other_name: Option<bool>) -> Handshake {
    match h {
        Hello::Certificate(der) => Handshake::Certificate {
            names: certname::read(&der).unwrap_or_default(),
        },
        Hello::Cut => Handshake::ResetAfterHello { other_name },
        Hello::Answered => Handshake::Refused,
        Hello::Silent => Handshake::NoConnection {
            error: NetErrorKind::Timeout,
        },
        Hello::NoConnection(error) => Handshake::NoConnection { error },
    }
}

/// Start a TLS handshake for `name` over `stream` and break it off at the certificate.
async fn hello<S>(stream: S, name: &str, limit: Duration) -> Hello
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let Ok(server_name) = ServerName::try_from(name.to_string()) else {
        return Hello::Answered;
    };
    let seen = Arc::new(Reader::default());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = match rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
    {
        Ok(b) => b
            .dangerous()
            .with_custom_certificate_verifier(seen.clone())
            .with_no_client_auth(),
        Err(_) => return Hello::Answered,
    };
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let result = tokio::time::timeout(limit, connector.connect(server_name, stream)).await;
    if let Some(der) = seen.certificate() {
        return Hello::Certificate(der);
    }
    match result {
        Err(_) => Hello::Silent,
        Ok(Ok(_)) => Hello::Answered,
        Ok(Err(e)) => match e.kind() {
            std::io::ErrorKind::ConnectionReset
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::UnexpectedEof
            | std::io::ErrorKind::BrokenPipe => Hello::Cut,
            _ => Hello::Answered,
        },
    }
}

/// A certificate "verifier" that only reads: it keeps the server's certificate and refuses it,
/// so the handshake ends there and nothing is ever sent over the connection.
#[derive(Debug, Default)]
struct Reader {
    certificate: Mutex<Option<Vec<u8>>>,
}

impl Reader {
    fn certificate(&self) -> Option<Vec<u8>> {
        self.certificate
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

impl ServerCertVerifier for Reader {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        *self.certificate.lock().unwrap_or_else(|p| p.into_inner()) = Some(end_entity.to_vec());
        Err(rustls::Error::General(
            "certificate read, not trusted".into(),
        ))
    }

    fn verify_tls12_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Err(rustls::Error::General("never trusted".into()))
    }

    fn verify_tls13_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Err(rustls::Error::General("never trusted".into()))
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        rustls::crypto::ring::default_provider()
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// Ask an http proxy for a tunnel to `host:port`. Its answer, and the open stream when it said
/// yes (200).
async fn tunnel(
    proxy: &Url,
    host: &str,
    port: u16,
    limit: Duration,
) -> std::io::Result<(HttpResponse, Option<TcpStream>)> {
    let proxy_host = proxy
        .host_str()
        .ok_or_else(|| std::io::Error::other("proxy without a host"))?
        .trim_matches(['[', ']'])
        .to_string();
    let proxy_port = proxy.port_or_known_default().unwrap_or(80);
    let mut stream =
        tokio::time::timeout(limit, TcpStream::connect((proxy_host.as_str(), proxy_port)))
            .await
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::TimedOut))??;
    let target = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let mut request = format!(
        "CONNECT {target} HTTP/1.1\r\nHost: {target}\r\nUser-Agent: {}\r\n",
        super::USER_AGENT
    );
    if !proxy.username().is_empty() {
        let user = percent_decode(proxy.username());
        let pass = percent_decode(proxy.password().unwrap_or(""));
        request.push_str(&format!(
            "Proxy-Authorization: Basic {}\r\n",
            base64(format!("{user}:{pass}").as_bytes())
        ));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).await?;
    let mut buf = Vec::with_capacity(1024);
    let head_end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() >= ANSWER_CAP {
            return Err(std::io::Error::other(
                "the proxy's answer has no end of head",
            ));
        }
        let mut chunk = [0u8; 2048];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::Error::from(std::io::ErrorKind::UnexpectedEof));
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head =
        parse_head(&buf[..head_end]).ok_or_else(|| std::io::Error::other("not an HTTP answer"))?;
    let (status, headers) = (head.status, head.headers);
    if status == 200 {
        let answer = HttpResponse {
            status,
            headers,
            ..HttpResponse::default()
        };
        return Ok((answer, Some(stream)));
    }
    // The refusal's page: as long as it says, at most the cap, for as long as the limit allows.
    let length = head.content_length.unwrap_or(ANSWER_CAP);
    let mut body = buf[head_end..].to_vec();
    let want = length.min(ANSWER_CAP);
    while body.len() < want {
        let mut chunk = [0u8; 4096];
        match tokio::time::timeout(limit, stream.read(&mut chunk)).await {
            Ok(Ok(n)) if n > 0 => body.extend_from_slice(&chunk[..n]),
            _ => break,
        }
    }
    let truncated = body.len() > ANSWER_CAP || length > ANSWER_CAP;
    body.truncate(ANSWER_CAP);
    Ok((
        HttpResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
            truncated,
        },
        None,
    ))
}

/// A proxy's answer head, as read: its status, the headers the diagnosis reads, its length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub content_length: Option<usize>,
}

/// Parse an HTTP/1.x answer's head (the bytes up to and with the blank line). `None` when it is
/// not one. Header values are cut to 200 characters; only those the diagnosis reads are kept.
pub fn parse_head(bytes: &[u8]) -> Option<Head> {
    let text = String::from_utf8_lossy(bytes);
    let mut lines = text.split("\r\n");
    let first = lines.next()?;
    if !first.starts_with("HTTP/") {
        return None;
    }
    let status: u16 = first.split_whitespace().nth(1)?.parse().ok()?;
    let mut content_length = None;
    let mut headers = Vec::new();
    for (n, v) in lines.filter_map(|l| l.split_once(':')) {
        let (n, v) = (n.trim().to_ascii_lowercase(), v.trim());
        if n == "content-length" {
            content_length = v.parse().ok();
        }
        if super::kept(&n) {
            headers.push((n, v.chars().take(200).collect()));
        }
    }
    Some(Head {
        status,
        headers,
        content_length,
    })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b[i],
            b.get(i + 1).copied().and_then(hex),
            b.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= c.len() {
                out.push(A[((n >> shift) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proxy_s_answer_head() {
        let h = parse_head(b"HTTP/1.1 403 Filtered\r\nServer: tinyproxy/1.11.1\r\nContent-Type: text/html\r\nContent-Length: 12\r\nX-Other: 1\r\n\r\n").unwrap();
        assert_eq!(h.status, 403);
        assert_eq!(h.content_length, Some(12));
        assert_eq!(
            h.headers,
            vec![
                ("server".to_string(), "tinyproxy/1.11.1".to_string()),
                ("content-type".to_string(), "text/html".to_string())
            ]
        );
        assert_eq!(parse_head(b"SSH-2.0-OpenSSH\r\n\r\n"), None);
        assert_eq!(parse_head(b"HTTP/1.1 abc\r\n\r\n"), None);
        assert_eq!(parse_head(b""), None);
    }

    #[test]
    fn proxy_credentials_as_basic_auth() {
        assert_eq!(base64(b"gatewatch:s3cret"), "Z2F0ZXdhdGNoOnMzY3JldA==");
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"abc"), "YWJj");
        assert_eq!(base64(b""), "");
        assert_eq!(percent_decode("p%40ss%3Aword"), "p@ss:word");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
