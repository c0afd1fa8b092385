//! A fake release server, playing GitHub's release assets on `127.0.0.1:0`: the update
//! manifest (`latest.json`, Tauri's updater format), its detached signature, and the files it
//! lists, all signed at test time with minisign keys made for the test ([`Key`]), plus the
//! answers a real network gives that must not become an update: 204, 404, 5xx, a hang, 10 MB
//! of body, a body cut short, a redirect to a plain-http address elsewhere.
//!
//! The programs under test trust one throwaway key, given to them at build time
//! (`GATEWATCH_UPDATE_PUBKEY`, set by `scripts/update-test-key`, which `scripts/test` and
//! `scripts/windows` source); its secret half is read from `GATEWATCH_UPDATE_TEST_KEY`
//! ([`Key::test`]). Other keys ([`Key::generate`]) play the attacker's.
//!
//! Every request is counted and kept (method, path, headers), so a test can say how many the
//! program made — none, when updates are off — and that they carried nothing but the
//! User-Agent.
//!
//! [`serve_dir`] serves a directory as static files (the apt and dnf repositories that
//! `scripts/publish-repo` makes).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use serde_json::json;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use crate::{pages::Page, read_request, Counters};

/// Where the manifest is, as on GitHub: `…/releases/latest/download/latest.json`.
pub const MANIFEST_PATH: &str = "/gatewatch/gatewatch/releases/latest/download/latest.json";
/// Where a release's files are, as on GitHub: `…/releases/download/v<version>/<file>`.
pub fn file_path(version: &str, file: &str) -> String {
    format!("/gatewatch/gatewatch/releases/download/v{version}/{file}")
}

/// A minisign key pair.
pub struct Key {
    sk: minisign::SecretKey,
    pk: minisign::PublicKey,
}

impl Key {
    /// A new key, for this test only (an attacker's, or a second signer).
    pub fn generate() -> Key {
        let kp = minisign::KeyPair::generate_unencrypted_keypair().expect("a key pair");
        Key {
            sk: kp.sk,
            pk: kp.pk,
        }
    }

    /// An unencrypted secret key file, as `minisign -G -W` writes it.
    pub fn from_file(path: &Path) -> Key {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("cannot read the key {}: {e}", path.display()));
        // Read as bytes: the minisign crate's own reader disagrees with minisign 0.11 about the
        // checksum of an unencrypted key; the key itself is the same.
        let sk = text
            .lines()
            .nth(1)
            .and_then(|l| {
                base64::engine::general_purpose::STANDARD
                    .decode(l.trim())
                    .ok()
            })
            .filter(|b| b.get(2..4) == Some(&[0, 0][..]))
            .and_then(|b| minisign::SecretKey::from_bytes(&b).ok())
            .unwrap_or_else(|| panic!("{} is not an unencrypted minisign key", path.display()));
        let pk = minisign::PublicKey::from_secret_key(&sk).expect("its public key");
        Key { sk, pk }
    }

    /// The key the programs under test were built to trust.
    pub fn test() -> Key {
        let path = std::env::var_os("GATEWATCH_UPDATE_TEST_KEY").unwrap_or_else(|| {
            panic!(
                "GATEWATCH_UPDATE_TEST_KEY is not set: the update tests need programs built to \
                 trust a test key. Run them through scripts/test, or first: \
                 eval \"$(scripts/update-test-key)\" (then build and test as usual)"
            )
        });
        let key = Key::from_file(Path::new(&path));
        let built = std::env::var("GATEWATCH_UPDATE_PUBKEY").unwrap_or_default();
        assert!(
            built.contains(&key.public_line()),
            "GATEWATCH_UPDATE_PUBKEY does not hold the test key's public half"
        );
        key
    }

    /// The public key as minisign's `.pub` file has it on its second line (`RW…`).
    pub fn public_line(&self) -> String {
        self.pk.to_base64()
    }

    /// A `.minisig` text for `data` with this trusted comment (prehashed, as minisign makes them
    /// today).
    pub fn sign(&self, data: &[u8], trusted_comment: &str) -> String {
        minisign::sign(
            Some(&self.pk),
            &self.sk,
            std::io::Cursor::new(data),
            Some(trusted_comment),
            Some("signature from the test's key"),
        )
        .expect("signing works")
        .into_string()
    }

    /// Signed as Gatewatch's release workflow signs: the file's name and the version in the
    /// trusted comment.
    pub fn sign_release(&self, data: &[u8], file: &str, version: &str) -> String {
        self.sign(
            data,
            &format!("timestamp:1765000000\tfile:{file}\tversion:{version}"),
        )
    }
}

/// A release as the workflow publishes it: its files, then the manifest listing them.
#[derive(Clone)]
pub struct Release {
    pub version: String,
    pub notes: String,
    /// (platform, file name, contents, the file's `.minisig` text)
    pub files: Vec<(String, String, Vec<u8>, String)>,
}

impl Release {
    /// A release of `version` with one file for `platform`, signed by `key`.
    pub fn new(key: &Key, version: &str, platform: &str, file: &str, contents: Vec<u8>) -> Release {
        let sig = key.sign_release(&contents, file, version);
        Release {
            version: version.into(),
            notes: format!("Gatewatch {version}: reads 2026's new failures right."),
            files: vec![(platform.into(), file.into(), contents, sig)],
        }
    }

    /// The manifest, with the files' addresses on `server`.
    pub fn manifest(&self, server: &Releases) -> Vec<u8> {
        let mut platforms = serde_json::Map::new();
        for (platform, file, _, sig) in &self.files {
            platforms.insert(
                platform.clone(),
                json!({
                    "url": server.url(&file_path(&self.version, file)),
                    "signature": base64::engine::general_purpose::STANDARD.encode(sig),
                }),
            );
        }
        let m = json!({
            "version": self.version,
            "notes": self.notes,
            "pub_date": "2026-12-04T12:00:00Z",
            "platforms": platforms,
        });
        serde_json::to_vec_pretty(&m).expect("JSON")
    }
}

/// What one path answers.
#[derive(Debug, Clone)]
pub enum Answer {
    /// 200 with this body.
    Body(Vec<u8>),
    /// This status, an empty body.
    Status(u16),
    /// `302 Found` to this address.
    Redirect(String),
    /// Read the request, then say nothing.
    Hang,
    /// 200 claiming this many bytes, streamed (zeros) until then.
    Huge(u64),
    /// 200 claiming twice this body's length; half is sent, then the connection is closed.
    Cut(Vec<u8>),
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    /// (lower-case name, value)
    pub headers: Vec<(String, String)>,
}

struct Shared {
    answers: Mutex<HashMap<String, Answer>>,
    seen: Mutex<Vec<Seen>>,
    counters: Counters,
}

/// The fake release server, running until dropped.
pub struct Releases {
    addr: SocketAddr,
    shared: Arc<Shared>,
    _stop: watch::Sender<bool>,
}

impl Releases {
    pub async fn start() -> std::io::Result<Releases> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            answers: Mutex::new(HashMap::new()),
            seen: Mutex::new(Vec::new()),
            counters: Counters::default(),
        });
        let (stop, stop_rx) = watch::channel(false);
        tokio::spawn(serve(listener, shared.clone(), stop_rx));
        Ok(Releases {
            addr,
            shared,
            _stop: stop,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The manifest's address, as `GATEWATCH_UPDATE_URL` takes it.
    pub fn manifest_url(&self) -> String {
        self.url(MANIFEST_PATH)
    }

    /// From now on, answer `path` so.
    pub fn answer(&self, path: &str, a: Answer) {
        self.shared
            .answers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(path.into(), a);
    }

    /// Forget every answer (everything is 404 again).
    pub fn clear(&self) {
        self.shared
            .answers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }

    /// Publish `release` as GitHub does: `latest/download/latest.json` redirects to the
    /// release's own copy, beside its signature (made by `key`) and files.
    pub fn publish(&self, release: &Release, key: &Key) {
        let manifest = release.manifest(self);
        let sig = key.sign_release(&manifest, "latest.json", &release.version);
        self.publish_raw(release, manifest, sig);
    }

    /// Publish `release` with exactly this manifest and manifest signature (tampered ones).
    pub fn publish_raw(&self, release: &Release, manifest: Vec<u8>, sig: String) {
        let own = file_path(&release.version, "latest.json");
        self.answer(MANIFEST_PATH, Answer::Redirect(self.url(&own)));
        self.answer(
            &format!("{MANIFEST_PATH}.minisig"),
            Answer::Redirect(self.url(&format!("{own}.minisig"))),
        );
        self.answer(&own, Answer::Body(manifest));
        self.answer(&format!("{own}.minisig"), Answer::Body(sig.into_bytes()));
        for (_, file, contents, _) in &release.files {
            self.answer(
                &file_path(&release.version, file),
                Answer::Body(contents.clone()),
            );
        }
    }

    /// Every request so far, in order.
    pub fn seen(&self) -> Vec<Seen> {
        self.shared
            .seen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn requests(&self) -> usize {
        self.seen().len()
    }
}

async fn serve(listener: TcpListener, shared: Arc<Shared>, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = stop.changed() => return,
            accepted = crate::accept(&listener) => {
                let Ok((stream, _)) = accepted else { continue };
                let shared = shared.clone();
                let mut stop = stop.clone();
                tokio::spawn(async move {
                    tokio::select! {
                        _ = connection(stream, &shared) => {}
                        _ = async { while stop.changed().await.is_ok() {} } => {}
                    }
                });
            }
        }
    }
}

async fn connection(mut stream: TcpStream, shared: &Shared) {
    let mut buf = Vec::new();
    loop {
        let Some(req) = read_request(&mut stream, &mut buf, &shared.counters).await else {
            return;
        };
        shared
            .seen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(Seen {
                method: req.method.clone(),
                path: req.path.clone(),
                headers: req.headers.clone(),
            });
        let answer = shared
            .answers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&req.path)
            .cloned()
            .unwrap_or(Answer::Status(404));
        let keep = match answer {
            Answer::Body(b) => {
                write(&mut stream, Page::new(200, "application/octet-stream", b)).await
            }
            Answer::Status(s) => write(&mut stream, Page::new(s, "text/plain", Vec::new())).await,
            Answer::Redirect(to) => {
                let page = Page::raw(302, vec![("Location".into(), to)], Vec::new());
                write(&mut stream, page).await
            }
            Answer::Hang => {
                tokio::time::sleep(Duration::from_secs(600)).await;
                false
            }
            Answer::Huge(len) => {
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {len}\r\n\r\n"
                );
                if stream.write_all(head.as_bytes()).await.is_ok() {
                    let chunk = vec![0u8; 64 * 1024];
                    let mut sent = 0u64;
                    while sent < len {
                        let n = chunk.len().min((len - sent) as usize);
                        if stream.write_all(&chunk[..n]).await.is_err() {
                            break;
                        }
                        sent += n as u64;
                    }
                }
                false
            }
            Answer::Cut(body) => {
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\n\r\n",
                    body.len() * 2
                );
                if stream.write_all(head.as_bytes()).await.is_ok() {
                    let half = &body[..body.len() / 2];
                    if stream.write_all(half).await.is_ok() {
                        stream.flush().await.ok();
                    }
                }
                stream.shutdown().await.ok();
                false
            }
        };
        if !keep || req.close {
            return;
        }
    }
}

async fn write(stream: &mut TcpStream, page: Page) -> bool {
    stream.write_all(&page.into_bytes()).await.is_ok()
}

/// Serve the files under `root` on `127.0.0.1:0` until the returned sender is dropped; the
/// address it listens on. Paths are confined to `root` (no `..`).
pub async fn serve_dir(root: PathBuf) -> std::io::Result<(SocketAddr, watch::Sender<bool>)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (stop, mut stop_rx) = watch::channel(false);
    tokio::spawn(async move {
        let counters = Counters::default();
        let counters = Arc::new(counters);
        loop {
            tokio::select! {
                _ = stop_rx.changed() => return,
                accepted = crate::accept(&listener) => {
                    let Ok((mut stream, _)) = accepted else { continue };
                    let root = root.clone();
                    let counters = counters.clone();
                    tokio::spawn(async move {
                        let mut buf = Vec::new();
                        while let Some(req) = read_request(&mut stream, &mut buf, &counters).await {
                            let path = req.path.split('?').next().unwrap_or("");
                            let page = if path.split('/').any(|s| s == "..") {
                                Page::new(400, "text/plain", Vec::new())
                            } else {
                                match std::fs::read(root.join(path.trim_start_matches('/'))) {
                                    Ok(b) => Page::new(200, "application/octet-stream", b),
                                    Err(_) => Page::new(404, "text/plain", Vec::new()),
                                }
                            };
                            let head_only = req.method == "HEAD";
                            let (head, body) = page.head_and_body();
                            if stream.write_all(&head).await.is_err()
                                || (!head_only && stream.write_all(&body).await.is_err())
                                || req.close
                            {
                                return;
                            }
                        }
                    });
                }
            }
        }
    });
    Ok((addr, stop))
}
