//! Is there a newer Gatewatch, and can it be believed? The decisions of the update check, as
//! pure functions of data (the I/O is in [`fetch`]).
//!
//! The release manifest is Tauri's updater format (`latest.json`: `version`, `notes`,
//! `pub_date`, `platforms: {"windows-x86_64": {url, signature}, …}`), a release asset at a fixed
//! address. Nothing in it is believed before its detached signature (`latest.json.minisig`) has
//! been verified with a key compiled into this program ([`trusted_keys`]): minisign (Ed25519),
//! prehashed signatures only, checked by `minisign-verify`, the verifier Tauri's updater uses.
//! Each file the manifest lists carries its own signature (the base64 of its `.minisig` text, as
//! Tauri's bundler writes it). Every signature's trusted comment names the version and the file
//! name (`timestamp:…<TAB>file:latest.json<TAB>version:0.3.0`), and both must equal what the
//! manifest says, so that a higher version number cannot be paired with an older release's
//! signed files, and no signed file can stand in for another.
//!
//! What to tell the user is decided here too ([`State`], [`tell`]): one notification per new
//! version, never again for the same one, none for a skipped one; a check a day, with jitter,
//! a few minutes after start; the first start's notice that checks happen at all.

pub mod channel;
pub mod fetch;

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

use base64::Engine as _;
use minisign_verify::{PublicKey, Signature};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::i18n::{t, tf, Lang};
use crate::model::NetErrorKind;

/// Where Gatewatch's releases are published.
pub const REPOSITORY: &str = "https://github.com/gatewatch/gatewatch";
/// The manifest: an asset of the latest release, served by GitHub's CDN (no API, no rate limit).
pub const DEFAULT_URL: &str =
    "https://github.com/gatewatch/gatewatch/releases/latest/download/latest.json";
/// The page people download releases from by hand.
pub const RELEASES_PAGE: &str = "https://github.com/gatewatch/gatewatch/releases/latest";
/// The manifest's detached signature sits beside it, under its name plus this.
pub const SIGNATURE_SUFFIX: &str = ".minisig";
/// What errors call the manifest.
const MANIFEST: &str = "the release manifest";

/// Run-time switch: `off` turns the check off whatever the settings say.
pub const SWITCH_ENV: &str = "GATEWATCH_UPDATES";
/// What [`Policy::Off`] says when [`SWITCH_ENV`] turned the check off (the setting then does
/// not count).
pub const OFF_BY_ENV: &str = "GATEWATCH_UPDATES=off";
/// Run-time override of the manifest's address (tests, mirrors); the `update_url` setting too.
pub const URL_ENV: &str = "GATEWATCH_UPDATE_URL";

/// The manifest is a few hundred bytes per platform; its signature a few hundred bytes.
pub const MANIFEST_CAP: usize = 64 * 1024;
pub const SIGNATURE_CAP: usize = 4 * 1024;
/// An installer is a few megabytes; anything past this is not ours.
pub const DOWNLOAD_CAP: u64 = 200 * 1024 * 1024;
/// Release notes shown to people are cut here (they come from the network).
const NOTES_CAP: usize = 4000;

/// The project's update-signing keys, as the second line of minisign's `.pub` file. A new key is
/// added here a release before it starts signing, and the old one removed a release after.
const PROJECT_KEYS: &[&str] = &["RWQnFMSjsouXjTi+PL+LIGfAX5Yjts2Y11jpw9stShiFW88oX2DfbD+U"];

/// A build-time replacement for the check and its UI, for distributions that ship updates
/// themselves (`GATEWATCH_UPDATE_EXPLANATION="Updates come from Debian"`).
pub const EXPLANATION: Option<&str> = option_env!("GATEWATCH_UPDATE_EXPLANATION");

/// The keys signatures are checked against: the project's, or — given at build time only,
/// never at run time — those in `GATEWATCH_UPDATE_PUBKEY` (one or more `RW…` lines, separated
/// by commas or white space), which is how the tests build programs that trust a throwaway key.
pub fn trusted_keys() -> Vec<&'static str> {
    keys_from(option_env!("GATEWATCH_UPDATE_PUBKEY"))
}

fn keys_from(built: Option<&'static str>) -> Vec<&'static str> {
    match built {
        Some(k) if !k.trim().is_empty() => k
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|k| !k.is_empty())
            .collect(),
        _ => PROJECT_KEYS.to_vec(),
    }
}

/// This build's entry in a manifest's `platforms`, as Tauri names them.
pub const PLATFORM: &str = if cfg!(all(windows, target_arch = "x86_64")) {
    "windows-x86_64"
} else if cfg!(all(windows, target_arch = "aarch64")) {
    "windows-aarch64"
} else if cfg!(all(target_os = "macos", target_arch = "aarch64")) {
    "darwin-aarch64"
} else if cfg!(all(target_os = "macos", target_arch = "x86_64")) {
    "darwin-x86_64"
} else if cfg!(all(target_os = "linux", target_arch = "aarch64")) {
    "linux-aarch64"
} else {
    "linux-x86_64"
};

// ---- versions -----------------------------------------------------------------------------

/// A release's version, compared as SemVer does (a pre-release comes before its release; build
/// metadata is ignored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: Vec<Pre>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Pre {
    Num(u64),
    Alpha(String),
}

impl Version {
    /// `0.3.0`, `v1.2.3`, `1.0.0-beta.2`, `1.0.0+build.5`.
    pub fn parse(s: &str) -> Result<Version, UpdateError> {
        let bad = || UpdateError::BadVersion(s.chars().take(40).collect());
        let s = s.trim();
        if s.is_empty() || s.len() > 64 {
            return Err(bad());
        }
        let s = s.strip_prefix('v').unwrap_or(s);
        let s = s.split_once('+').map_or(s, |(v, _)| v);
        let (core, pre) = match s.split_once('-') {
            Some((c, p)) => (c, Some(p)),
            None => (s, None),
        };
        let num = |p: &str| -> Result<u64, UpdateError> {
            if p.is_empty()
                || !p.bytes().all(|b| b.is_ascii_digit())
                || (p.len() > 1 && p.starts_with('0'))
            {
                return Err(bad());
            }
            p.parse().map_err(|_| bad())
        };
        let mut parts = core.split('.');
        let (Some(a), Some(b), Some(c), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let pre = match pre {
            None => Vec::new(),
            Some(p) => p
                .split('.')
                .map(|id| {
                    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    {
                        Err(bad())
                    } else if id.bytes().all(|b| b.is_ascii_digit()) {
                        num(id).map(Pre::Num)
                    } else {
                        Ok(Pre::Alpha(id.to_string()))
                    }
                })
                .collect::<Result<_, _>>()?,
        };
        Ok(Version {
            major: num(a)?,
            minor: num(b)?,
            patch: num(c)?,
            pre,
        })
    }
}

impl Ord for Version {
    fn cmp(&self, o: &Self) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(o.major, o.minor, o.patch))
            .then_with(|| match (self.pre.is_empty(), o.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => {
                    for (a, b) in self.pre.iter().zip(&o.pre) {
                        let c = match (a, b) {
                            (Pre::Num(x), Pre::Num(y)) => x.cmp(y),
                            (Pre::Num(_), Pre::Alpha(_)) => Ordering::Less,
                            (Pre::Alpha(_), Pre::Num(_)) => Ordering::Greater,
                            (Pre::Alpha(x), Pre::Alpha(y)) => x.cmp(y),
                        };
                        if c != Ordering::Equal {
                            return c;
                        }
                    }
                    self.pre.len().cmp(&o.pre.len())
                }
            })
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        for (i, p) in self.pre.iter().enumerate() {
            f.write_str(if i == 0 { "-" } else { "." })?;
            match p {
                Pre::Num(n) => write!(f, "{n}")?,
                Pre::Alpha(s) => f.write_str(s)?,
            }
        }
        Ok(())
    }
}

impl Serialize for Version {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

// ---- errors -------------------------------------------------------------------------------

/// Why there is no update to offer. Each is one line in a log, and `error` in the CLI's JSON
/// (its `Display`, with addresses and the HTTP library's own words); people in the tray and on
/// the Settings page are told it in words, in their language ([`UpdateError::words`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpdateError {
    #[error("update checks are turned off ({0})")]
    Off(&'static str),
    #[error("{0}")]
    Explained(&'static str),
    #[error("the update address {url:?} cannot be used: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("{url} answered HTTP {status}")]
    Http { url: String, status: u16 },
    #[error("{url} did not answer: {detail}")]
    Network {
        url: String,
        /// What kind of failure, for the words; `detail` is the library's, for the log.
        kind: NetErrorKind,
        detail: String,
    },
    #[error("{url} did not answer within {secs} s")]
    Timeout { url: String, secs: u64 },
    #[error("{url} sent more than {cap} bytes")]
    TooLarge { url: String, cap: u64 },
    #[error("{url} broke off in the middle of its answer: {detail}")]
    Cut { url: String, detail: String },
    #[error("refused to follow a redirect to {to}: {reason}")]
    Redirect { to: String, reason: String },
    #[error("the signature of {what} is not a minisign signature")]
    SignatureMalformed { what: String },
    #[error("{what} is signed with a key this Gatewatch does not trust")]
    WrongKey { what: String },
    #[error("the signature of {what} does not match it")]
    BadSignature { what: String },
    #[error("{what} has a legacy signature (not prehashed), which is refused")]
    NotPrehashed { what: String },
    #[error("the signature of {what} names {field} {signed:?}, not {expected:?}")]
    NotSigned {
        what: String,
        field: &'static str,
        signed: String,
        expected: String,
    },
    #[error("the release manifest is not valid: {0}")]
    Manifest(String),
    #[error("{0:?} is not a version number")]
    BadVersion(String),
    #[error("the release manifest offers Gatewatch {offered}, older than this {running}: refused as a downgrade")]
    Downgrade { offered: String, running: String },
    #[error("the release manifest has no download for this system ({0})")]
    NoPlatform(String),
    #[error("cannot write the download to {path}: {detail}")]
    Disk { path: String, detail: String },
}

impl UpdateError {
    /// The failure in a few words of `lang`, for people (the answer to "Check for updates", the
    /// Settings page, why an update was not installed): no address, none of the HTTP library's
    /// or the verifier's own words — those are the log's ([`fmt::Display`]).
    pub fn words(&self, lang: Lang) -> String {
        use UpdateError as E;
        let no_answer = |kind| {
            tf(
                lang,
                "update-error-no-answer",
                &[("error", crate::text::net_error(kind, lang).into())],
            )
        };
        match self {
            E::Off(_) => t(lang, "update-error-off"),
            // The distribution's own sentence, given at build time.
            E::Explained(s) => (*s).to_string(),
            E::BadUrl { .. } => t(lang, "update-error-address"),
            E::Http { status, .. } => tf(
                lang,
                "update-error-http",
                &[("status", status.to_string().into())],
            ),
            E::Network { kind, .. } => no_answer(*kind),
            E::Timeout { .. } => no_answer(NetErrorKind::Timeout),
            E::Cut { .. } => no_answer(NetErrorKind::Reset),
            E::TooLarge { .. } => t(lang, "update-error-too-large"),
            E::Redirect { .. } => t(lang, "update-error-redirect"),
            E::SignatureMalformed { .. }
            | E::WrongKey { .. }
            | E::BadSignature { .. }
            | E::NotPrehashed { .. } => t(lang, "update-error-signature"),
            E::NotSigned { .. } => t(lang, "update-error-mismatch"),
            E::Manifest(_) | E::BadVersion(_) => t(lang, "update-error-manifest"),
            E::Downgrade { offered, running } => tf(
                lang,
                "update-error-downgrade",
                &[
                    ("offered", offered.as_str().into()),
                    ("running", running.as_str().into()),
                ],
            ),
            E::NoPlatform(_) => t(lang, "update-error-no-platform"),
            E::Disk { .. } => t(lang, "update-error-disk"),
        }
    }
}

// ---- signatures ---------------------------------------------------------------------------

/// What a signature's trusted comment says, as `key:value` fields separated by tabs (the form
/// minisign and Tauri's bundler use: `timestamp:1733300000<TAB>file:latest.json`, to which
/// Gatewatch's release adds `<TAB>version:0.3.0`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Signed {
    pub file: Option<String>,
    pub version: Option<String>,
}

impl Signed {
    pub fn parse(comment: &str) -> Signed {
        let mut s = Signed::default();
        for field in comment.split('\t') {
            match field.split_once(':') {
                Some(("file", v)) => s.file = Some(v.trim().to_string()),
                Some(("version", v)) => s.version = Some(v.trim().to_string()),
                _ => {}
            }
        }
        s
    }
}

/// The trusted comment a release's signature must carry for `file` at `version`
/// (the release workflow signs with exactly this, and the tests too).
pub fn trusted_comment(timestamp: u64, file: &str, version: &str) -> String {
    format!("timestamp:{timestamp}\tfile:{file}\tversion:{version}")
}

/// Check `bytes` against `sig_text` (a `.minisig` file's text) with any of `keys`, then check
/// that its trusted comment names `file` (and `version`, when given). `what` names the thing in
/// errors.
pub fn verify(
    bytes: &[u8],
    sig_text: &str,
    keys: &[&str],
    what: &str,
    file: &str,
    version: Option<&Version>,
) -> Result<Signed, UpdateError> {
    let sig = decode_signature(sig_text, what)?;
    // The signature names its key by id: only the trusted key with that id can check it.
    for pk in public_keys(keys) {
        match pk.verify(bytes, &sig, false) {
            Err(minisign_verify::Error::UnexpectedKeyId) => continue,
            Ok(()) => return signed_names(&sig, what, file, version),
            Err(e) => return Err(verify_error(e, what)),
        }
    }
    Err(UpdateError::WrongKey { what: what.into() })
}

/// The same for a file read in pieces: `feed` hands every piece to the function it is given
/// (prehashed signatures only, which is all this accepts anyway). An error of `feed`'s own (a
/// read failing) comes back as the outer error.
pub fn verify_stream<E>(
    sig_text: &str,
    keys: &[&str],
    what: &str,
    file: &str,
    version: &Version,
    feed: impl FnOnce(&mut dyn FnMut(&[u8])) -> Result<(), E>,
) -> Result<Result<Signed, UpdateError>, E> {
    let sig = match decode_signature(sig_text, what) {
        Ok(s) => s,
        Err(e) => return Ok(Err(e)),
    };
    for pk in public_keys(keys) {
        let mut v = match pk.verify_stream(&sig) {
            Err(minisign_verify::Error::UnexpectedKeyId) => continue,
            Err(e) => return Ok(Err(verify_error(e, what))),
            Ok(v) => v,
        };
        feed(&mut |piece| v.update(piece))?;
        return Ok(match v.finalize() {
            Ok(()) => signed_names(&sig, what, file, Some(version)),
            Err(e) => Err(verify_error(e, what)),
        });
    }
    Ok(Err(UpdateError::WrongKey { what: what.into() }))
}

fn public_keys<'a>(keys: &'a [&str]) -> impl Iterator<Item = PublicKey> + 'a {
    keys.iter()
        .filter_map(|k| PublicKey::from_base64(k.trim()).ok())
}

fn verify_error(e: minisign_verify::Error, what: &str) -> UpdateError {
    match e {
        minisign_verify::Error::UnexpectedKeyId => UpdateError::WrongKey { what: what.into() },
        minisign_verify::Error::UnexpectedAlgorithm
        | minisign_verify::Error::UnsupportedLegacyMode => {
            UpdateError::NotPrehashed { what: what.into() }
        }
        _ => UpdateError::BadSignature { what: what.into() },
    }
}

fn decode_signature(text: &str, what: &str) -> Result<Signature, UpdateError> {
    Signature::decode(text.trim_start_matches('\u{feff}'))
        .map_err(|_| UpdateError::SignatureMalformed { what: what.into() })
}

fn signed_names(
    sig: &Signature,
    what: &str,
    file: &str,
    version: Option<&Version>,
) -> Result<Signed, UpdateError> {
    let signed = Signed::parse(sig.trusted_comment());
    let mismatch = |field, signed: Option<&String>, expected: String| UpdateError::NotSigned {
        what: what.into(),
        field,
        signed: signed.cloned().unwrap_or_default(),
        expected,
    };
    if signed.file.as_deref() != Some(file) {
        return Err(mismatch("file", signed.file.as_ref(), file.into()));
    }
    if let Some(v) = version {
        let named = signed.version.as_deref().map(Version::parse);
        if !matches!(named, Some(Ok(ref n)) if n == v) {
            return Err(mismatch("version", signed.version.as_ref(), v.to_string()));
        }
    }
    Ok(signed)
}

// ---- the manifest -------------------------------------------------------------------------

/// A verified manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub version: Version,
    /// Release notes: remote text, control characters removed and cut to a few thousand
    /// characters; shown as text, never as markup.
    pub notes: String,
    pub pub_date: Option<String>,
    pub platforms: BTreeMap<String, RawEntry>,
}

/// One platform's download, as the manifest has it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RawEntry {
    pub url: String,
    /// The base64 of the file's `.minisig` text.
    pub signature: String,
}

#[derive(Deserialize)]
struct RawManifest {
    version: String,
    #[serde(default)]
    notes: Option<String>,
    #[serde(default)]
    pub_date: Option<String>,
    platforms: BTreeMap<String, RawEntry>,
}

/// The last path segment of a URL: the file name a signature must name.
pub fn file_name(url: &Url) -> String {
    url.path_segments()
        .and_then(|mut s| s.next_back())
        .unwrap_or("")
        .to_string()
}

/// Verify the manifest's detached signature, and only then read it. `name` is the manifest's
/// file name (the last segment of the address it was asked for).
pub fn read_manifest(
    bytes: &[u8],
    sig_text: &str,
    keys: &[&str],
    name: &str,
) -> Result<Manifest, UpdateError> {
    let signed = verify(bytes, sig_text, keys, MANIFEST, name, None)?;
    let raw: RawManifest =
        serde_json::from_slice(bytes).map_err(|e| UpdateError::Manifest(e.to_string()))?;
    let version = Version::parse(&raw.version)?;
    let named = signed.version.as_deref().map(Version::parse);
    if !matches!(named, Some(Ok(ref n)) if *n == version) {
        return Err(UpdateError::NotSigned {
            what: MANIFEST.into(),
            field: "version",
            signed: signed.version.unwrap_or_default(),
            expected: version.to_string(),
        });
    }
    Ok(Manifest {
        version,
        notes: clean_text(raw.notes.as_deref().unwrap_or(""), NOTES_CAP),
        pub_date: raw.pub_date.map(|d| clean_text(&d, 64)),
        platforms: raw.platforms,
    })
}

/// Remote text made safe to show: no control characters but line breaks, at most `cap` chars.
fn clean_text(s: &str, cap: usize) -> String {
    s.chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .take(cap)
        .collect::<String>()
        .trim()
        .to_string()
}

/// A newer release for this system, from a verified manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Release {
    pub version: Version,
    pub notes: String,
    pub pub_date: Option<String>,
    /// The download for this system.
    pub url: String,
    /// Its file name, which its signature names.
    pub file: String,
    /// Its `.minisig` text.
    #[serde(skip)]
    pub signature: String,
}

/// What a check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// Nothing newer than the running version.
    UpToDate {
        latest: Version,
    },
    Newer(Release),
}

/// What `manifest` offers the `running` version on `platform`. Not newer is no update; older is
/// refused as a downgrade; a manifest without this platform offers nothing.
pub fn offer(manifest: &Manifest, running: &Version, platform: &str) -> Result<Found, UpdateError> {
    match manifest.version.cmp(running) {
        Ordering::Less => {
            return Err(UpdateError::Downgrade {
                offered: manifest.version.to_string(),
                running: running.to_string(),
            })
        }
        Ordering::Equal => {
            return Ok(Found::UpToDate {
                latest: manifest.version.clone(),
            })
        }
        Ordering::Greater => {}
    }
    let entry = manifest
        .platforms
        .get(platform)
        .ok_or_else(|| UpdateError::NoPlatform(platform.into()))?;
    let url = parse_url(&entry.url).map_err(|reason| {
        UpdateError::Manifest(format!(
            "the {platform} download's address {:?} cannot be used: {reason}",
            entry.url
        ))
    })?;
    let file = file_name(&url);
    if !safe_file_name(&file) {
        return Err(UpdateError::Manifest(format!(
            "the {platform} download has no usable file name"
        )));
    }
    let signature = base64::engine::general_purpose::STANDARD
        .decode(entry.signature.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| UpdateError::SignatureMalformed {
            what: format!("the {platform} download"),
        })?;
    // Read now, so that a manifest whose entry cannot be believed offers nothing; the file
    // itself is checked against it once downloaded.
    let what = format!("the {platform} download");
    let sig = decode_signature(&signature, &what)?;
    signed_names(&sig, &what, &file, Some(&manifest.version))?;
    Ok(Found::Newer(Release {
        version: manifest.version.clone(),
        notes: manifest.notes.clone(),
        pub_date: manifest.pub_date.clone(),
        url: url.to_string(),
        file,
        signature,
    }))
}

/// A download's name is used as a file name on disk: letters, digits, `.`, `-`, `_` only.
fn safe_file_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

/// An address Gatewatch may fetch: https, or http to this machine (tests, local mirrors);
/// no user name or password, no query (nothing but the fixed address is ever sent).
pub fn parse_url(s: &str) -> Result<Url, String> {
    let url = Url::parse(s.trim()).map_err(|e| e.to_string())?;
    check_url(&url)?;
    Ok(url)
}

/// The rules of [`parse_url`], for an address already parsed (each redirect's, too).
pub fn check_url(url: &Url) -> Result<(), String> {
    match url.scheme() {
        "https" => {}
        "http" if crate::settings::is_loopback_url(url) => {}
        "http" => {
            return Err(
                "plain http is allowed only to this machine (127.0.0.1, ::1, localhost)".into(),
            )
        }
        other => return Err(format!("{other}: is not https")),
    }
    if url.host().is_none() {
        return Err("no host".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("no user name or password may be sent".into());
    }
    Ok(())
}

/// [`check_url`], and no query: a configured address is sent as it is, with nothing added.
fn check_configured(url: &Url) -> Result<(), String> {
    check_url(url)?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err("no query or fragment may be sent".into());
    }
    Ok(())
}

// ---- settings and switches ----------------------------------------------------------------

/// The `updates` setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Updates {
    /// Check once a day and tell (the default).
    #[default]
    Notify,
    /// Never check.
    Off,
}

impl Updates {
    pub const fn as_str(self) -> &'static str {
        match self {
            Updates::Notify => "notify",
            Updates::Off => "off",
        }
    }
}

/// Whether and where to check, all switches applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Policy {
    Check {
        url: Url,
    },
    /// Turned off at run time: by the setting, or `GATEWATCH_UPDATES=off`.
    Off {
        by: &'static str,
    },
    /// Built without the check: this sentence says how updates come instead.
    Explained(&'static str),
}

impl Policy {
    /// Why no check runs, as the CLI and the logs say it; `None` when checks run.
    pub fn refusal(&self) -> Option<UpdateError> {
        match self {
            Policy::Check { .. } => None,
            Policy::Off { by } => Some(UpdateError::Off(by)),
            Policy::Explained(s) => Some(UpdateError::Explained(s)),
        }
    }

    /// Whether the address is on this machine (tests, local mirrors): checks then come seconds
    /// after start instead of minutes.
    pub fn loopback(&self) -> bool {
        matches!(self, Policy::Check { url } if crate::settings::is_loopback_url(url))
    }
}

/// The policy from the settings and the environment (`get` is `std::env::var`). A bad address
/// (setting or environment) is an error: nothing is fetched from it.
pub fn policy(
    updates: Updates,
    setting_url: Option<&str>,
    get: impl Fn(&str) -> Option<String>,
) -> Result<Policy, UpdateError> {
    policy_with(EXPLANATION, updates, setting_url, get)
}

fn policy_with(
    explanation: Option<&'static str>,
    updates: Updates,
    setting_url: Option<&str>,
    get: impl Fn(&str) -> Option<String>,
) -> Result<Policy, UpdateError> {
    if let Some(e) = explanation.filter(|e| !e.trim().is_empty()) {
        return Ok(Policy::Explained(e));
    }
    if get(SWITCH_ENV).is_some_and(|v| v.trim().eq_ignore_ascii_case("off")) {
        return Ok(Policy::Off { by: OFF_BY_ENV });
    }
    if updates == Updates::Off {
        return Ok(Policy::Off {
            by: "the setting `updates` is \"off\"",
        });
    }
    let given = get(URL_ENV).filter(|v| !v.trim().is_empty()).or_else(|| {
        setting_url
            .filter(|v| !v.trim().is_empty())
            .map(str::to_string)
    });
    let url = given.as_deref().unwrap_or(DEFAULT_URL);
    let parsed = Url::parse(url.trim())
        .map_err(|e| e.to_string())
        .and_then(|u| check_configured(&u).map(|()| u));
    match parsed {
        Ok(url) => Ok(Policy::Check { url }),
        Err(reason) => Err(UpdateError::BadUrl {
            url: url.into(),
            reason,
        }),
    }
}

/// Validate a stored `update_url` (empty: the default address).
pub fn validate_setting_url(s: &str) -> Result<(), String> {
    if s.trim().is_empty() {
        return Ok(());
    }
    let url = Url::parse(s.trim()).map_err(|e| e.to_string())?;
    check_configured(&url)
}

// ---- what to tell, and when ---------------------------------------------------------------

pub const DAY_MS: i64 = 86_400_000;
/// Each day's check moves by up to this much, so that installs do not all ask at once.
const JITTER_MS: i64 = 2 * 3_600_000;
/// The first check after start waits this long (plus up to as much again): the tray's start is
/// not the moment to use the network for itself.
const FIRST_DELAY_MS: i64 = 3 * 60_000;
/// The same with an address on this machine.
const FIRST_DELAY_LOOPBACK_MS: i64 = 500;

/// What the tray remembers between runs (`update.json` in the data directory).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    /// When the latest check ran (wall clock, Unix ms), whatever came of it.
    pub last_check_ms: Option<i64>,
    /// The latest version a notification was sent for.
    pub notified: Option<String>,
    /// The version the user chose to skip.
    pub skipped: Option<String>,
    /// The first start's notice (checks happen daily; how to turn them off) was shown.
    pub told_daily_check: bool,
}

/// A number in `0..n` from a seed (the same seed, the same number).
fn spread(seed: u64, n: i64) -> i64 {
    let x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17);
    (x % n.max(1) as u64) as i64
}

/// When the next check is due (wall clock ms), for a tray started at `started_ms`: a few
/// minutes after start if a day has passed since the last check (or there never was one, or
/// the clock went back past it), else a day after the last one, each with jitter.
pub fn next_check_ms(
    state: &State,
    started_ms: i64,
    now_ms: i64,
    loopback: bool,
    seed: u64,
) -> i64 {
    let first = if loopback {
        FIRST_DELAY_LOOPBACK_MS + spread(seed, FIRST_DELAY_LOOPBACK_MS)
    } else {
        FIRST_DELAY_MS + spread(seed, FIRST_DELAY_MS)
    };
    let earliest = started_ms + first;
    match state.last_check_ms {
        Some(last) if last <= now_ms => {
            earliest.max(last + DAY_MS + spread(seed ^ last as u64, JITTER_MS))
        }
        _ => earliest,
    }
}

/// What to tell after a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tell {
    Nothing,
    /// A notification that this version is available.
    Available(Release),
    /// Asked for by hand: nothing newer.
    UpToDate,
    /// Asked for by hand: the check failed, and why.
    Failed(UpdateError),
}

/// Record a finished check in `state` and decide what to tell. A check the user asked for
/// always answers; a scheduled one tells only of a version never told of and not skipped, and
/// keeps failures to the log.
pub fn tell(
    state: &mut State,
    result: &Result<Found, UpdateError>,
    manual: bool,
    now_ms: i64,
) -> Tell {
    state.last_check_ms = Some(now_ms);
    match result {
        Ok(Found::Newer(r)) => {
            let v = r.version.to_string();
            let skipped = state.skipped.as_deref() == Some(&v);
            let told = state.notified.as_deref() == Some(&v);
            if manual || (!skipped && !told) {
                state.notified = Some(v);
                Tell::Available(r.clone())
            } else {
                Tell::Nothing
            }
        }
        Ok(Found::UpToDate { .. }) if manual => Tell::UpToDate,
        Err(e) if manual => Tell::Failed(e.clone()),
        _ => Tell::Nothing,
    }
}

// ---- how to get it ------------------------------------------------------------------------

/// How this copy of Gatewatch is updated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Windows: Gatewatch downloads, verifies and starts the installer ("Install update").
    Installer,
    /// Installed from Gatewatch's apt repository: apt brings it.
    Apt,
    /// Installed from Gatewatch's dnf repository: dnf brings it.
    Dnf,
    /// Anything else (a downloaded package, an AppImage, macOS): the release page.
    ReleasePage,
}

/// The sentence saying how to get `version` through `channel`.
pub fn how(channel: Channel, lang: Lang) -> String {
    match channel {
        Channel::Installer => t(lang, "update-how-installer"),
        Channel::Apt => t(lang, "update-how-apt"),
        Channel::Dnf => t(lang, "update-how-dnf"),
        Channel::ReleasePage => tf(lang, "update-how-page", &[("url", RELEASES_PAGE.into())]),
    }
}

/// "Gatewatch 0.3.0 is available" (the notification's title and the menu's line).
pub fn available_title(version: &Version, lang: Lang) -> String {
    tf(
        lang,
        "update-available",
        &[("version", version.to_string().into())],
    )
}

/// The notification for an available version: the title, and how to get it (with the first
/// line of the notes, if any).
pub fn available_notice(r: &Release, channel: Channel, lang: Lang) -> (String, String) {
    let first = r
        .notes
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    let how = how(channel, lang);
    let body = if first.is_empty() {
        how
    } else {
        format!("{first}\n{how}")
    };
    (available_title(&r.version, lang), body)
}

/// The first start's notice: checks happen once a day, and how to turn them off.
pub fn daily_check_notice(lang: Lang) -> (String, String) {
    (t(lang, "update-daily-title"), t(lang, "update-daily-body"))
}

/// The answer to a check asked for by hand.
pub fn answer(
    tell: &Tell,
    running: &Version,
    channel: Channel,
    lang: Lang,
) -> Option<(String, String)> {
    match tell {
        Tell::Nothing => None,
        Tell::Available(r) => Some(available_notice(r, channel, lang)),
        Tell::UpToDate => Some((
            t(lang, "update-up-to-date-title"),
            tf(
                lang,
                "update-up-to-date",
                &[("version", running.to_string().into())],
            ),
        )),
        Tell::Failed(why) => Some((
            t(lang, "update-failed-title"),
            tf(
                lang,
                "update-check-failed",
                &[("reason", why.words(lang).into())],
            ),
        )),
    }
}

/// The tray menu's fixed words about updates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuWord {
    Check,
    /// The menu's switch for the daily check (the `updates` setting).
    Daily,
    Checking,
    Install,
    ReleasePage,
    Skip,
}

pub fn menu_word(w: MenuWord, lang: Lang) -> String {
    t(
        lang,
        match w {
            MenuWord::Check => "update-menu-check",
            MenuWord::Daily => "update-menu-daily",
            MenuWord::Checking => "update-menu-checking",
            MenuWord::Install => "update-menu-install",
            MenuWord::ReleasePage => "update-menu-release-page",
            MenuWord::Skip => "update-menu-skip",
        },
    )
}

/// "Installing Gatewatch 0.3.0…": the menu's line while the installer is fetched and started.
pub fn installing(version: &Version, lang: Lang) -> String {
    tf(
        lang,
        "update-menu-installing",
        &[("version", version.to_string().into())],
    )
}

/// Why "Install update" did not install (Windows; elsewhere it never does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotInstalled {
    /// The download, or its verification, failed.
    Update(UpdateError),
    /// This system's copies are updated by its package manager or by hand.
    NotHere,
    /// Windows would not start the installer (Smart App Control, an antivirus, a policy).
    Refused,
    /// The installer ended without asking Gatewatch to quit: it did not install.
    Ended { code: Option<i32> },
}

impl NotInstalled {
    /// In words, after "Update not installed: ".
    pub fn words(&self, lang: Lang) -> String {
        match self {
            NotInstalled::Update(e) => e.words(lang),
            NotInstalled::NotHere => t(lang, "update-error-not-here"),
            NotInstalled::Refused => t(lang, "update-error-installer-refused"),
            NotInstalled::Ended { code } => tf(
                lang,
                "update-error-installer-ended",
                &[(
                    "code",
                    code.map_or_else(|| "?".to_string(), |c| c.to_string())
                        .into(),
                )],
            ),
        }
    }
}

/// Why "Install update" did not install: the notification's title…
pub fn install_failed_title(lang: Lang) -> String {
    t(lang, "update-install-failed-title")
}

/// …and the line (notification, menu and Settings page).
pub fn install_failed(reason: &NotInstalled, lang: Lang) -> String {
    tf(
        lang,
        "update-install-failed",
        &[("reason", reason.words(lang).into())],
    )
}

/// What the window's Settings page shows about updates.
#[derive(Debug, Clone, Default, Serialize)]
pub struct UpdateView {
    /// `notify`, `off` or `explained`.
    pub mode: &'static str,
    /// The build's sentence, when it replaces the check.
    pub explanation: Option<String>,
    pub current: String,
    /// A newer version, if the latest check found one.
    pub available: Option<String>,
    /// Its release notes: remote text, to be shown as text only.
    pub notes: Option<String>,
    /// How to get it, in words.
    pub how: Option<String>,
    pub skipped: bool,
    /// Why the latest check failed.
    pub error: Option<String>,
    /// Why the latest "Install update" did not install, or that it is under way.
    pub install: Option<String>,
    pub last_check_ms: Option<i64>,
}

#[cfg(test)]
mod tests;
