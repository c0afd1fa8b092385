//! An HTTPS host on loopback with a self-signed certificate: what a captive portal, a
//! corporate interception proxy or a spoofed DNS answer looks like. Gatewatch must refuse it
//! (there is no option to accept it), so `served()` must stay at zero.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{self, ServerConfig};
use tokio_rustls::TlsAcceptor;

/// A TLS acceptor with a fresh self-signed certificate for `names`, and the certificate's public
/// key (DER), for a test that pins it.
pub fn self_signed(names: &[&str]) -> std::io::Result<(TlsAcceptor, Vec<u8>)> {
    let other = |e: String| std::io::Error::other(e);
    let ck =
        rcgen::generate_simple_self_signed(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
            .map_err(|e| other(e.to_string()))?;
    let public = ck.key_pair.public_key_der();
    let cert = CertificateDer::from(ck.cert.der().to_vec());
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(ck.key_pair.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| other(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .map_err(|e| other(e.to_string()))?;
    Ok((TlsAcceptor::from(Arc::new(config)), public))
}

pub struct SelfSignedHost {
    port: u16,
    handshakes: Arc<AtomicU64>,
    served: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl SelfSignedHost {
    pub async fn start() -> std::io::Result<SelfSignedHost> {
        let (acceptor, _) = self_signed(&["localhost", "127.0.0.1"])?;
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let (handshakes, served) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
        let (h, s) = (handshakes.clone(), served.clone());
        let task = tokio::spawn(async move {
            while let Ok((tcp, _)) = crate::accept(&listener).await {
                let (acceptor, h, s) = (acceptor.clone(), h.clone(), s.clone());
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    h.fetch_add(1, Ordering::Relaxed);
                    let mut buf = [0u8; 4096];
                    if matches!(tls.read(&mut buf).await, Ok(n) if n > 0) {
                        s.fetch_add(1, Ordering::Relaxed);
                        let body = "ok\n";
                        let resp = format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                            body.len()
                        );
                        tls.write_all(resp.as_bytes()).await.ok();
                        tls.shutdown().await.ok();
                    }
                });
            }
        });
        Ok(SelfSignedHost {
            port,
            handshakes,
            served,
            task,
        })
    }

    /// `https://localhost:<port>`: a loopback name, so Gatewatch's https-only rule lets it be
    /// configured, and only the certificate stands in the way.
    pub fn url(&self) -> String {
        format!("https://localhost:{}", self.port)
    }

    /// TLS handshakes that completed (a client that accepted the certificate).
    pub fn handshakes(&self) -> u64 {
        self.handshakes.load(Ordering::Relaxed)
    }

    /// HTTP requests answered over such a connection.
    pub fn served(&self) -> u64 {
        self.served.load(Ordering::Relaxed)
    }
}

impl Drop for SelfSignedHost {
    fn drop(&mut self) {
        self.task.abort();
    }
}
