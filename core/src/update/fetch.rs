//! The update check's I/O: two small GETs (the manifest and its signature) and, on Windows when
//! asked, the installer's download, streamed to disk under a size cap and verified there.
//!
//! A client is built for each check and dropped after it, so the resident tray keeps nothing of
//! it between the daily checks. It goes through the same `proxy` setting as the checks of
//! ChatGPT ([`crate::proxy::apply`]), sends `User-Agent: Gatewatch/<version>` and nothing else
//! (no query, no id, no `Referer` on redirects), and follows redirects only to https addresses —
//! or plain http on this machine — each hop checked ([`super::check_url`]), at most five.
//! Every request has a connect and a total timeout and a body cap; an answer past its cap, cut
//! short, or with any status but 200 is an error, and nothing of it is used.

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::time::Duration;

use url::Url;

use super::{
    check_url, file_name, offer, read_manifest, verify_stream, Found, Release, UpdateError,
    Version, MANIFEST_CAP, SIGNATURE_CAP, SIGNATURE_SUFFIX,
};
use crate::proxy;
use crate::settings::ProxySetting;

const MAX_REDIRECTS: usize = 5;
/// An installer of a few megabytes on a slow line; each read must still make progress within
/// the usual timeout.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// A redirect that was not followed, found again in reqwest's error chain.
#[derive(Debug)]
struct RedirectRefused {
    to: String,
    reason: String,
}

impl std::fmt::Display for RedirectRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "redirect to {} refused: {}", self.to, self.reason)
    }
}

impl std::error::Error for RedirectRefused {}

/// One check's HTTP client.
pub struct Fetcher {
    client: reqwest::Client,
    timeout: Duration,
}

impl Fetcher {
    /// `loopback`: the address is on this machine (then a system proxy is not used, as for the
    /// checks); `timeout`: each request's total time; `running`: the version the User-Agent
    /// names.
    pub fn new(
        proxy: &ProxySetting,
        loopback: bool,
        timeout: Duration,
        running: &Version,
    ) -> Result<Fetcher, UpdateError> {
        let policy = reqwest::redirect::Policy::custom(|attempt| {
            let to = attempt.url().to_string();
            if attempt.previous().len() > MAX_REDIRECTS {
                let reason = format!("more than {MAX_REDIRECTS} redirects");
                return attempt.error(RedirectRefused { to, reason });
            }
            match check_url(attempt.url()) {
                Ok(()) => attempt.follow(),
                Err(reason) => attempt.error(RedirectRefused { to, reason }),
            }
        });
        let b = reqwest::Client::builder()
            .user_agent(format!("Gatewatch/{running}"))
            .referer(false)
            .redirect(policy)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .timeout(timeout)
            .pool_max_idle_per_host(0);
        let client_error = |e: reqwest::Error| {
            let (kind, detail) = crate::probe::net_error(&e);
            UpdateError::Network {
                url: "(client)".into(),
                kind,
                detail,
            }
        };
        let (b, _route) = proxy::apply(b, proxy, loopback).map_err(client_error)?;
        Ok(Fetcher {
            client: b.build().map_err(client_error)?,
            timeout,
        })
    }

    /// Fetch the manifest at `url` and its signature (the same address plus `.minisig`),
    /// verify it with `keys`, and say what it offers `running` on `platform`.
    pub async fn check(
        &self,
        url: &Url,
        running: &Version,
        platform: &str,
        keys: &[&str],
    ) -> Result<Found, UpdateError> {
        let manifest = self.get_capped(url, MANIFEST_CAP).await?;
        let sig_url = signature_url(url);
        let sig = self.get_capped(&sig_url, SIGNATURE_CAP).await?;
        let sig = String::from_utf8(sig).map_err(|_| UpdateError::SignatureMalformed {
            what: super::MANIFEST.into(),
        })?;
        let m = read_manifest(&manifest, &sig, keys, &file_name(url))?;
        offer(&m, running, platform)
    }

    /// One GET whose whole answer must be 200 and at most `cap` bytes.
    async fn get_capped(&self, url: &Url, cap: usize) -> Result<Vec<u8>, UpdateError> {
        let mut resp = self
            .client
            .get(url.clone())
            .send()
            .await
            .map_err(|e| self.error(url, &e))?;
        let status = resp.status().as_u16();
        if status != 200 {
            return Err(UpdateError::Http {
                url: url.to_string(),
                status,
            });
        }
        let too_large = || UpdateError::TooLarge {
            url: url.to_string(),
            cap: cap as u64,
        };
        if resp.content_length().is_some_and(|n| n > cap as u64) {
            return Err(too_large());
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| self.cut(url, &e))? {
            if body.len() + chunk.len() > cap {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    /// Download `release`'s file into `dir` (streamed, at most `cap` bytes), verify it there
    /// with `keys`, and return its path. Whatever fails, nothing is left behind.
    pub async fn download(
        &self,
        release: &Release,
        dir: &Path,
        keys: &[&str],
        cap: u64,
    ) -> Result<PathBuf, UpdateError> {
        let url = Url::parse(&release.url).map_err(|e| UpdateError::BadUrl {
            url: release.url.clone(),
            reason: e.to_string(),
        })?;
        let disk = |path: &Path, e: std::io::Error| UpdateError::Disk {
            path: path.display().to_string(),
            detail: e.to_string(),
        };
        std::fs::create_dir_all(dir).map_err(|e| disk(dir, e))?;
        let done = dir.join(&release.file);
        let part = dir.join(format!("{}.part", release.file));
        let result = async {
            let mut resp = self
                .client
                .get(url.clone())
                .timeout(DOWNLOAD_TIMEOUT.max(self.timeout))
                .send()
                .await
                .map_err(|e| self.error(&url, &e))?;
            let status = resp.status().as_u16();
            if status != 200 {
                return Err(UpdateError::Http {
                    url: url.to_string(),
                    status,
                });
            }
            let too_large = || UpdateError::TooLarge {
                url: url.to_string(),
                cap,
            };
            if resp.content_length().is_some_and(|n| n > cap) {
                return Err(too_large());
            }
            let file = std::fs::File::create(&part).map_err(|e| disk(&part, e))?;
            let mut out = std::io::BufWriter::with_capacity(64 * 1024, file);
            let mut written = 0u64;
            loop {
                // Each piece must come within the usual timeout: a stalled download ends.
                let next = tokio::time::timeout(self.timeout, resp.chunk())
                    .await
                    .map_err(|_| UpdateError::Timeout {
                        url: url.to_string(),
                        secs: self.timeout.as_secs(),
                    })?;
                let Some(chunk) = next.map_err(|e| self.cut(&url, &e))? else {
                    break;
                };
                written += chunk.len() as u64;
                if written > cap {
                    return Err(too_large());
                }
                out.write_all(&chunk).map_err(|e| disk(&part, e))?;
            }
            let file = out.into_inner().map_err(|e| disk(&part, e.into_error()))?;
            file.sync_all().map_err(|e| disk(&part, e))?;
            drop(file);
            verify_file(&part, release, keys)?;
            // Windows will not rename over an existing file.
            if done.exists() {
                std::fs::remove_file(&done).map_err(|e| disk(&done, e))?;
            }
            std::fs::rename(&part, &done).map_err(|e| disk(&done, e))?;
            Ok(done.clone())
        }
        .await;
        if result.is_err() {
            // Ours to remove; it may not exist (the request failed before it was made).
            if let Err(e) = std::fs::remove_file(&part) {
                if e.kind() != std::io::ErrorKind::NotFound {
                    tracing_free_warn(&format!("cannot remove {}: {e}", part.display()));
                }
            }
        }
        result
    }

    fn error(&self, url: &Url, e: &reqwest::Error) -> UpdateError {
        let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
        while let Some(err) = cur {
            if let Some(r) = err.downcast_ref::<RedirectRefused>() {
                return UpdateError::Redirect {
                    to: r.to.clone(),
                    reason: r.reason.clone(),
                };
            }
            cur = err.source();
        }
        if e.is_timeout() {
            return UpdateError::Timeout {
                url: url.to_string(),
                secs: self.timeout.as_secs().max(1),
            };
        }
        let (kind, detail) = crate::probe::net_error(e);
        UpdateError::Network {
            url: url.to_string(),
            kind,
            detail,
        }
    }

    fn cut(&self, url: &Url, e: &reqwest::Error) -> UpdateError {
        if e.is_timeout() {
            return UpdateError::Timeout {
                url: url.to_string(),
                secs: self.timeout.as_secs().max(1),
            };
        }
        UpdateError::Cut {
            url: url.to_string(),
            detail: chain(e),
        }
    }
}

/// The core has no logger: a file it cannot remove is said on stderr.
fn tracing_free_warn(line: &str) {
    eprintln!("gatewatch: {line}");
}

/// The signature's address: the manifest's, plus `.minisig`.
pub fn signature_url(url: &Url) -> Url {
    let mut u = url.clone();
    let path = format!("{}{SIGNATURE_SUFFIX}", u.path());
    u.set_path(&path);
    u
}

/// Check a downloaded file against `release`'s signature, reading it from disk in pieces (what
/// is checked is what will be run).
pub fn verify_file(path: &Path, release: &Release, keys: &[&str]) -> Result<(), UpdateError> {
    let disk = |e: std::io::Error| UpdateError::Disk {
        path: path.display().to_string(),
        detail: e.to_string(),
    };
    let checked = verify_stream(
        &release.signature,
        keys,
        &release.file,
        &release.file,
        &release.version,
        |update| {
            let mut f = std::fs::File::open(path)?;
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = f.read(&mut buf)?;
                if n == 0 {
                    return Ok(());
                }
                update(&buf[..n]);
            }
        },
    )
    .map_err(disk)?;
    checked.map(|_| ())
}

/// A reqwest error with its causes, on one line.
fn chain(e: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        let s = err.to_string();
        if !parts.contains(&s) {
            parts.push(s);
        }
        cur = err.source();
    }
    parts.join(": ").chars().take(300).collect()
}
