//! Settings in two stages, as ripgrep does with `LowArgs` → `HiArgs`.
//!
//! Stage one, [`Settings::from_json`], reads whatever is stored, key by key: a missing key takes
//! its default, a wrong or out-of-range value takes its default *and* a [`Warning`] saying so,
//! unknown keys are ignored. Stage two, [`Settings::to_config`], applies the environment and
//! command-line overrides and yields the [`Config`] the rest of the program trusts.
//!
//! Endpoints must be https; plain http is accepted only for loopback hosts (tests, local fakes)
//! and for the control host, whose known answer is checked over plain HTTP by design (as
//! operating systems check for captive portals). When every endpoint is on loopback (or
//! `--resolve`d to it), the polling minimums are lifted too, so tests can run checks every few
//! hundred milliseconds without ever hammering a real server.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use crate::monitor::MonitorConfig;
use crate::text::Lang;
use crate::update::{self, Updates};

pub const DEFAULT_CHATGPT: &str = "https://chatgpt.com";
pub const DEFAULT_API: &str = "https://api.openai.com";
pub const DEFAULT_STATUS: &str = "https://status.openai.com";
/// An unrelated host's known answer: `GET /generate_204` answers an empty `204` over plain
/// HTTP (Android's connectivity check). Asked when OpenAI's doors fail or answer without
/// Cloudflare, to tell "your internet works" from "it does not" and from a login page.
pub const DEFAULT_CONTROL: &str = "http://connectivitycheck.gstatic.com";
/// The control host before the known-answer check (https, which a captive portal can only
/// break): a stored copy of this old default means the new one.
const OLD_DEFAULT_CONTROL: &str = "https://www.gstatic.com";
/// The ChatGPT phone apps' own host: a second door to OpenAI's servers, by another route.
pub const DEFAULT_APP: &str = "https://ios.chat.openai.com";

/// The user's language choice: `"auto"` follows the system, or one language's tag (`"de"`,
/// `"pt-BR"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    Auto,
    Fixed(Lang),
}

impl Language {
    /// The language to speak; `system` is asked only for "auto".
    pub fn resolve(self, system: impl FnOnce() -> Lang) -> Lang {
        match self {
            Language::Auto => system(),
            Language::Fixed(l) => l,
        }
    }
}

impl Serialize for Language {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Language::Auto => s.serialize_str("auto"),
            Language::Fixed(l) => l.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Language {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Language, D::Error> {
        let tag = String::deserialize(d)?;
        if tag == "auto" {
            return Ok(Language::Auto);
        }
        Lang::from_tag(&tag).map(Language::Fixed).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "{tag:?} is not \"auto\" or one of {}",
                crate::i18n::tags_list()
            ))
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Probes {
    pub edge: bool,
    pub api: bool,
    pub status_page: bool,
    pub control: bool,
    /// The phone apps' route (the second door).
    pub app: bool,
}

impl Default for Probes {
    fn default() -> Self {
        Probes {
            edge: true,
            api: true,
            status_page: true,
            control: true,
            app: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointSettings {
    pub chatgpt: String,
    pub api: String,
    pub status: String,
    pub control: String,
    pub app: String,
}

impl Default for EndpointSettings {
    fn default() -> Self {
        EndpointSettings {
            chatgpt: DEFAULT_CHATGPT.into(),
            api: DEFAULT_API.into(),
            status: DEFAULT_STATUS.into(),
            control: DEFAULT_CONTROL.into(),
            app: DEFAULT_APP.into(),
        }
    }
}

/// The settings as stored (and as the settings page edits them). Always valid once built by
/// [`Settings::from_json`]; durations are in the units people type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub poll_interval_secs: f64_secs::Secs,
    pub down_poll_interval_secs: f64_secs::Secs,
    pub recheck_secs: f64_secs::Secs,
    pub status_interval_secs: f64_secs::Secs,
    pub timeout_secs: f64_secs::Secs,
    pub slow_ms: u64,
    pub failure_threshold: u32,
    pub success_threshold: u32,
    pub notifications: bool,
    /// Remind "still down" every this many minutes; 0 = never.
    pub reminder_minutes: u64,
    pub probes: Probes,
    pub endpoints: EndpointSettings,
    pub language: Language,
    pub start_at_login: bool,
    /// `"system"`, `"none"`, or a proxy URL (http, https, socks5; may carry a user name and
    /// password, which is why the settings file is kept private to its user).
    pub proxy: String,
    /// Update checks: `"notify"` (once a day, and tell) or `"off"` (see [`crate::update`]).
    pub updates: Updates,
    /// Where the release manifest is; `None` (or empty): Gatewatch's releases on GitHub.
    pub update_url: Option<String>,
    /// Where notices go besides the desktop: Slack, Discord, Teams, JSON webhooks, ntfy. Their
    /// URLs and tokens are credentials (see [`crate::alert`]).
    #[serde(default)]
    pub channels: Vec<crate::alert::ChannelSpec>,
}

/// Seconds as a float that compares exactly (stored as milliseconds).
pub mod f64_secs {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
    pub struct Secs(pub u64 /* ms */);

    impl Secs {
        pub fn ms(self) -> u64 {
            self.0
        }
    }

    impl Serialize for Secs {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            if self.0 % 1000 == 0 {
                s.serialize_u64(self.0 / 1000)
            } else {
                s.serialize_f64(self.0 as f64 / 1000.0)
            }
        }
    }

    impl<'de> Deserialize<'de> for Secs {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let v = f64::deserialize(d)?;
            if !(v.is_finite() && v >= 0.0) {
                return Err(serde::de::Error::custom(
                    "seconds must be a positive number",
                ));
            }
            Ok(Secs((v * 1000.0).round() as u64))
        }
    }
}

use f64_secs::Secs;

impl Default for Settings {
    fn default() -> Self {
        Settings {
            poll_interval_secs: Secs(60_000),
            down_poll_interval_secs: Secs(20_000),
            recheck_secs: Secs(10_000),
            status_interval_secs: Secs(300_000),
            timeout_secs: Secs(10_000),
            slow_ms: 4_000,
            failure_threshold: 2,
            success_threshold: 2,
            notifications: true,
            reminder_minutes: 60,
            probes: Probes::default(),
            endpoints: EndpointSettings::default(),
            language: Language::Auto,
            start_at_login: false,
            proxy: PROXY_SYSTEM.into(),
            updates: Updates::Notify,
            update_url: None,
            channels: Vec::new(),
        }
    }
}

/// A stored value that could not be used; the default was used instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub key: String,
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "setting `{}`: {}", self.key, self.message)
    }
}

/// Allowed ranges, in the stored units. `min_loopback` applies when every endpoint is local.
struct Range {
    min: u64,
    min_loopback: u64,
    max: u64,
}

const POLL: Range = Range {
    min: 15_000,
    min_loopback: 50,
    max: 3_600_000,
};
const DOWN_POLL: Range = Range {
    min: 10_000,
    min_loopback: 50,
    max: 600_000,
};
const RECHECK: Range = Range {
    min: 5_000,
    min_loopback: 50,
    max: 120_000,
};
const STATUS_POLL: Range = Range {
    min: 60_000,
    min_loopback: 50,
    max: 3_600_000,
};
const TIMEOUT: Range = Range {
    min: 2_000,
    min_loopback: 100,
    max: 60_000,
};
const SLOW: Range = Range {
    min: 500,
    min_loopback: 10,
    max: 60_000,
};
const THRESHOLD: Range = Range {
    min: 1,
    min_loopback: 1,
    max: 10,
};

impl Settings {
    /// Read stored settings, forgiving and loud: every unusable value is replaced by its default
    /// and reported. Never fails.
    pub fn from_json(v: &Value) -> (Settings, Vec<Warning>) {
        let mut w = Vec::new();
        let d = Settings::default();
        let Some(obj) = v.as_object() else {
            if !v.is_null() {
                w.push(Warning {
                    key: "(all)".into(),
                    message: "not a JSON object; using defaults".into(),
                });
            }
            return (d, w);
        };
        let mut r = Reader {
            obj,
            w: &mut w,
            prefix: "",
        };

        let endpoints = r
            .object("endpoints")
            .map_or_else(EndpointSettings::default, |o| {
                let mut e = Reader {
                    obj: o,
                    w: r.w,
                    prefix: "endpoints.",
                };
                EndpointSettings {
                    chatgpt: e.endpoint("chatgpt", &d.endpoints.chatgpt),
                    api: e.endpoint("api", &d.endpoints.api),
                    status: e.endpoint("status", &d.endpoints.status),
                    control: match e.endpoint("control", &d.endpoints.control) {
                        old if old == OLD_DEFAULT_CONTROL => d.endpoints.control.clone(),
                        c => c,
                    },
                    app: e.endpoint("app", &d.endpoints.app),
                }
            });
        let loopback = [
            &endpoints.chatgpt,
            &endpoints.api,
            &endpoints.status,
            &endpoints.control,
            &endpoints.app,
        ]
        .iter()
        .all(|u| parse_url(u).is_ok_and(|u| is_loopback_url(&u)));

        let probes = r.object("probes").map_or_else(Probes::default, |o| {
            let mut p = Reader {
                obj: o,
                w: r.w,
                prefix: "probes.",
            };
            Probes {
                edge: p.bool("edge", true),
                api: p.bool("api", true),
                status_page: p.bool("status_page", true),
                control: p.bool("control", true),
                app: p.bool("app", true),
            }
        });

        let s = Settings {
            poll_interval_secs: r.secs("poll_interval_secs", d.poll_interval_secs, &POLL, loopback),
            down_poll_interval_secs: r.secs(
                "down_poll_interval_secs",
                d.down_poll_interval_secs,
                &DOWN_POLL,
                loopback,
            ),
            recheck_secs: r.secs("recheck_secs", d.recheck_secs, &RECHECK, loopback),
            status_interval_secs: r.secs(
                "status_interval_secs",
                d.status_interval_secs,
                &STATUS_POLL,
                loopback,
            ),
            timeout_secs: r.secs("timeout_secs", d.timeout_secs, &TIMEOUT, loopback),
            slow_ms: r.int("slow_ms", d.slow_ms, &SLOW, loopback),
            failure_threshold: r.int("failure_threshold", 2, &THRESHOLD, loopback) as u32,
            success_threshold: r.int("success_threshold", 2, &THRESHOLD, loopback) as u32,
            notifications: r.bool("notifications", d.notifications),
            reminder_minutes: r.reminder("reminder_minutes", d.reminder_minutes),
            probes,
            endpoints,
            language: r.language("language"),
            start_at_login: r.bool("start_at_login", d.start_at_login),
            proxy: r.proxy("proxy"),
            updates: r.updates("updates"),
            update_url: r.update_url("update_url"),
            channels: {
                let found = r.obj.get("channels");
                crate::alert::read_channels(found, |key, message| {
                    r.w.push(Warning { key, message })
                })
            },
        };
        (s, w)
    }

    /// Apply overrides (environment, flags) and build the trusted configuration.
    pub fn to_config(&self, o: &Overrides, seed: u64) -> Result<Config, ConfigError> {
        let pick =
            |over: &Option<String>, stored: &str, key: &'static str| -> Result<Url, ConfigError> {
                // Stored endpoints were validated on load; a default is always valid.
                let value = over.as_deref().unwrap_or(stored);
                endpoint_for(key, value).map_err(|e| ConfigError::Endpoint {
                    key,
                    value: value.into(),
                    reason: e,
                })
            };
        let mut endpoints = Endpoints {
            chatgpt: pick(&o.chatgpt_url, &self.endpoints.chatgpt, "chatgpt")?,
            api: pick(&o.api_url, &self.endpoints.api, "api")?,
            status: pick(&o.status_url, &self.endpoints.status, "status")?,
            control: pick(&o.control_url, &self.endpoints.control, "control")?,
            app: pick(&o.app_url, &self.endpoints.app, "app")?,
            resolve: Vec::new(),
        };
        for r in &o.resolve {
            let entry = parse_resolve(r).map_err(|reason| ConfigError::Resolve {
                value: r.clone(),
                reason,
            })?;
            endpoints
                .check_resolve(&entry)
                .map_err(|reason| ConfigError::Resolve {
                    value: r.clone(),
                    reason,
                })?;
            endpoints.resolve.push(entry);
        }
        let loopback = endpoints.all_loopback();
        let interval = |over: Option<u64>, stored: Secs, range: &Range, key: &'static str| {
            let ms = over.unwrap_or(stored.ms());
            let min = if loopback {
                range.min_loopback
            } else {
                range.min
            };
            if ms < min || ms > range.max {
                Err(ConfigError::OutOfRange {
                    key,
                    value_ms: ms,
                    min_ms: min,
                    max_ms: range.max,
                })
            } else {
                Ok(ms)
            }
        };
        let timeout_ms = interval(o.timeout_ms, self.timeout_secs, &TIMEOUT, "timeout")?;
        let slow_ms = interval(o.slow_ms, Secs(self.slow_ms), &SLOW, "slow")?;
        let monitor = MonitorConfig {
            interval_ms: interval(o.interval_ms, self.poll_interval_secs, &POLL, "interval")?,
            recheck_ms: interval(o.recheck_ms, self.recheck_secs, &RECHECK, "recheck")?,
            down_interval_ms: interval(
                o.down_interval_ms,
                self.down_poll_interval_secs,
                &DOWN_POLL,
                "down-interval",
            )?,
            failure_threshold: self.failure_threshold,
            success_threshold: self.success_threshold,
            // The monitor decides notices for the desktop and the channels alike; the shells
            // show the desktop's only when `notifications` is on.
            notifications: self.notifications || !self.channels.is_empty(),
            reminder_ms: (self.reminder_minutes > 0).then(|| self.reminder_minutes * 60_000),
            seed,
            ..MonitorConfig::default()
        };
        let status_interval_ms = interval(
            None,
            self.status_interval_secs,
            &STATUS_POLL,
            "status-interval",
        )?;
        Ok(Config {
            endpoints,
            probes: self.probes.clone(),
            monitor,
            probe: ProbeConfig {
                timeout: Duration::from_millis(timeout_ms),
                connect_timeout: Duration::from_millis(timeout_ms.min(5_000).max(timeout_ms / 2)),
                body_cap: BODY_CAP,
                slow_ms,
                status_interval: Duration::from_millis(status_interval_ms),
            },
            language: self.language,
            proxy: match &o.proxy {
                Some(p) => parse_proxy(p).map_err(|reason| ConfigError::Proxy {
                    value: redact_proxy(p),
                    reason,
                })?,
                // Stored values were validated on load.
                None => parse_proxy(&self.proxy).unwrap_or_default(),
            },
        })
    }
}

pub const PROXY_SYSTEM: &str = "system";
pub const PROXY_NONE: &str = "none";

/// Which proxy the checks go through, validated.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ProxySetting {
    /// The system's: on Linux the environment, then GNOME's, then KDE's settings; on Windows and
    /// macOS the operating system's (see `proxy`).
    #[default]
    System,
    /// No proxy at all, whatever the system says.
    None,
    /// This proxy (http, https, socks5, socks5h), perhaps with a user name and password.
    Url(Url),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProxyError {
    #[error("not a valid URL ({0}); use \"system\", \"none\" or a proxy's address such as http://proxy.example:3128")]
    Invalid(String),
    #[error("proxy auto-configuration (PAC) scripts are not evaluated; set the proxy's own address instead (for example http://proxy.example:3128), as your network's PAC file or administrator names it")]
    Pac,
    #[error("scheme {0:?} is not supported; use http, https or socks5")]
    Scheme(String),
    #[error("must be only a proxy's address (scheme, optional user:password@, host, port), without a path, query or fragment")]
    Extras,
}

/// `"system"`, `"none"`, or a proxy URL.
pub fn parse_proxy(s: &str) -> Result<ProxySetting, ProxyError> {
    let t = s.trim();
    if t.is_empty() || t.eq_ignore_ascii_case(PROXY_SYSTEM) {
        return Ok(ProxySetting::System);
    }
    if t.eq_ignore_ascii_case(PROXY_NONE) {
        return Ok(ProxySetting::None);
    }
    let lower = t.to_ascii_lowercase();
    if lower.ends_with(".pac") || lower.ends_with(".dat") || lower.contains(".pac?") {
        return Err(ProxyError::Pac);
    }
    let url = Url::parse(t).map_err(|e| ProxyError::Invalid(e.to_string()))?;
    match url.scheme() {
        "http" | "https" | "socks5" | "socks5h" => {}
        other => return Err(ProxyError::Scheme(other.into())),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(ProxyError::Invalid("no host".into()));
    }
    if !(url.path().is_empty() || url.path() == "/")
        || url.query().is_some()
        || url.fragment().is_some()
    {
        return Err(ProxyError::Extras);
    }
    Ok(ProxySetting::Url(url))
}

/// A proxy URL fit to show or log: the password, if any, replaced by `***`.
pub fn redact_proxy(s: &str) -> String {
    match Url::parse(s.trim()) {
        Ok(mut u) if u.password().is_some() => {
            // Cannot fail for a URL that already has a password.
            let _ignored = u.set_password(Some("***"));
            u.to_string()
        }
        Ok(u) => u.to_string(),
        Err(_) => s
            .trim()
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect(),
    }
}

impl ProxySetting {
    /// What it is, for reports and logs (no password).
    pub fn describe(&self) -> String {
        match self {
            ProxySetting::System => PROXY_SYSTEM.into(),
            ProxySetting::None => PROXY_NONE.into(),
            ProxySetting::Url(u) => redact_proxy(u.as_str()),
        }
    }
}

/// Read at most this much of any body.
pub const BODY_CAP: usize = 64 * 1024;

struct Reader<'a, 'w> {
    obj: &'a serde_json::Map<String, Value>,
    w: &'w mut Vec<Warning>,
    prefix: &'static str,
}

impl<'a> Reader<'a, '_> {
    fn warn(&mut self, key: &str, message: String) {
        self.w.push(Warning {
            key: format!("{}{key}", self.prefix),
            message,
        });
    }

    fn object(&mut self, key: &str) -> Option<&'a serde_json::Map<String, Value>> {
        match self.obj.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Object(o)) => Some(o),
            Some(_) => {
                self.warn(key, "not an object; using defaults".into());
                None
            }
        }
    }

    fn bool(&mut self, key: &str, default: bool) -> bool {
        match self.obj.get(key) {
            None | Some(Value::Null) => default,
            Some(Value::Bool(b)) => *b,
            Some(v) => {
                self.warn(
                    key,
                    format!("expected true or false, found {v}; using {default}"),
                );
                default
            }
        }
    }

    fn number(&mut self, key: &str) -> Option<f64> {
        match self.obj.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => {
                n.as_f64()
                    .filter(|f| f.is_finite() && *f >= 0.0)
                    .or_else(|| {
                        self.warn(key, format!("{n} is not a positive number"));
                        None
                    })
            }
            Some(v) => {
                self.warn(key, format!("expected a number, found {v}"));
                None
            }
        }
    }

    fn secs(&mut self, key: &str, default: Secs, range: &Range, loopback: bool) -> Secs {
        let Some(v) = self.number(key) else {
            return default;
        };
        let ms = (v * 1000.0).round() as u64;
        let min = if loopback {
            range.min_loopback
        } else {
            range.min
        };
        if ms < min || ms > range.max {
            self.warn(
                key,
                format!(
                    "{v} s is outside {}..{} s; using {} s",
                    min as f64 / 1000.0,
                    range.max / 1000,
                    default.ms() as f64 / 1000.0
                ),
            );
            return default;
        }
        Secs(ms)
    }

    fn int(&mut self, key: &str, default: u64, range: &Range, loopback: bool) -> u64 {
        let Some(v) = self.number(key) else {
            return default;
        };
        let min = if loopback {
            range.min_loopback
        } else {
            range.min
        };
        if v.fract() != 0.0 || (v as u64) < min || (v as u64) > range.max {
            self.warn(
                key,
                format!("{v} is outside {min}..{}; using {default}", range.max),
            );
            return default;
        }
        v as u64
    }

    fn reminder(&mut self, key: &str, default: u64) -> u64 {
        let Some(v) = self.number(key) else {
            return default;
        };
        if v == 0.0 || (v.fract() == 0.0 && (15.0..=1440.0).contains(&v)) {
            return v as u64;
        }
        self.warn(
            key,
            format!("{v} must be 0 (never) or 15..1440 minutes; using {default}"),
        );
        default
    }

    fn language(&mut self, key: &str) -> Language {
        match self.obj.get(key) {
            None | Some(Value::Null) => Language::Auto,
            Some(v) => serde_json::from_value(v.clone()).unwrap_or_else(|_| {
                self.warn(
                    key,
                    format!(
                        "{v} is not \"auto\" or one of {}; using \"auto\"",
                        crate::i18n::tags_list()
                    ),
                );
                Language::Auto
            }),
        }
    }

    fn proxy(&mut self, key: &str) -> String {
        match self.obj.get(key) {
            None | Some(Value::Null) => PROXY_SYSTEM.into(),
            Some(Value::String(s)) => match parse_proxy(s) {
                Ok(_) => s.trim().to_string(),
                Err(e) => {
                    self.warn(key, format!("{:?}: {e}; using \"system\"", redact_proxy(s)));
                    PROXY_SYSTEM.into()
                }
            },
            Some(v) => {
                self.warn(
                    key,
                    format!("expected \"system\", \"none\" or a URL, found {v}; using \"system\""),
                );
                PROXY_SYSTEM.into()
            }
        }
    }

    fn updates(&mut self, key: &str) -> Updates {
        match self.obj.get(key) {
            None | Some(Value::Null) => Updates::default(),
            Some(v) => serde_json::from_value(v.clone()).unwrap_or_else(|_| {
                self.warn(
                    key,
                    format!("{v} is not \"notify\" or \"off\"; using \"notify\""),
                );
                Updates::default()
            }),
        }
    }

    fn update_url(&mut self, key: &str) -> Option<String> {
        match self.obj.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(Value::String(s)) => match update::validate_setting_url(s) {
                Ok(()) => Some(s.trim().to_string()),
                Err(e) => {
                    self.warn(key, format!("{s:?}: {e}; using Gatewatch's releases"));
                    None
                }
            },
            Some(v) => {
                self.warn(
                    key,
                    format!("expected a URL string, found {v}; using Gatewatch's releases"),
                );
                None
            }
        }
    }

    fn endpoint(&mut self, key: &str, default: &str) -> String {
        match self.obj.get(key) {
            None | Some(Value::Null) => default.into(),
            Some(Value::String(s)) => match endpoint_for(key, s) {
                Ok(_) => s.trim().trim_end_matches('/').to_string(),
                Err(e) => {
                    self.warn(key, format!("{s:?}: {e}; using {default}"));
                    default.into()
                }
            },
            Some(v) => {
                self.warn(
                    key,
                    format!("expected a URL string, found {v}; using {default}"),
                );
                default.into()
            }
        }
    }
}

/// Values that win over stored settings: environment variables and command-line flags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    pub chatgpt_url: Option<String>,
    pub api_url: Option<String>,
    pub status_url: Option<String>,
    pub control_url: Option<String>,
    pub app_url: Option<String>,
    pub interval_ms: Option<u64>,
    pub down_interval_ms: Option<u64>,
    pub recheck_ms: Option<u64>,
    pub timeout_ms: Option<u64>,
    pub slow_ms: Option<u64>,
    /// `--proxy`, or `GATEWATCH_PROXY`.
    pub proxy: Option<String>,
    /// `--resolve HOST:PORT:ADDR` (curl's form), each as given.
    pub resolve: Vec<String>,
}

impl Overrides {
    /// `GATEWATCH_CHATGPT_URL`, `GATEWATCH_API_URL`, `GATEWATCH_STATUS_URL`, `GATEWATCH_CONTROL_URL`,
    /// `GATEWATCH_APP_URL`
    /// (empty values are ignored). `get` is `std::env::var` in real use.
    pub fn from_env(get: impl Fn(&str) -> Option<String>) -> Overrides {
        let var = |k: &str| {
            get(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        Overrides {
            chatgpt_url: var("GATEWATCH_CHATGPT_URL"),
            api_url: var("GATEWATCH_API_URL"),
            status_url: var("GATEWATCH_STATUS_URL"),
            control_url: var("GATEWATCH_CONTROL_URL"),
            app_url: var("GATEWATCH_APP_URL"),
            proxy: var("GATEWATCH_PROXY"),
            ..Overrides::default()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    pub chatgpt: Url,
    pub api: Url,
    pub status: Url,
    pub control: Url,
    pub app: Url,
    /// Names answered from `--resolve` instead of the DNS.
    pub resolve: Vec<ResolveEntry>,
}

/// `--resolve HOST:PORT:ADDR`: connections to `HOST` on `PORT` go to `ADDR`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveEntry {
    pub host: String,
    pub port: u16,
    pub addr: IpAddr,
}

impl Endpoints {
    /// The `--resolve` answers, by host (several addresses for one host in the order given).
    pub fn resolve_overrides(&self) -> HashMap<String, Vec<IpAddr>> {
        let mut m: HashMap<String, Vec<IpAddr>> = HashMap::new();
        for r in &self.resolve {
            m.entry(r.host.clone()).or_default().push(r.addr);
        }
        m
    }

    /// A `--resolve` entry must be for an endpoint's host and port: the resolver sees names,
    /// not ports, so an entry for another port would silently apply to this one.
    fn check_resolve(&self, r: &ResolveEntry) -> Result<(), ResolveError> {
        let mut used = self.all().into_iter().filter(|u| {
            u.host_str()
                .is_some_and(|h| h.eq_ignore_ascii_case(&r.host))
        });
        let first = used.next().ok_or(ResolveError::NoEndpoint)?;
        for u in std::iter::once(first).chain(used) {
            let port = u.port_or_known_default().unwrap_or(0);
            if port != r.port {
                return Err(ResolveError::Port {
                    url: u.as_str().trim_end_matches('/').to_string(),
                    port,
                });
            }
        }
        Ok(())
    }

    /// Does this URL's host go to this machine (a loopback address, `localhost`, or a name
    /// `--resolve`d to loopback)?
    fn local(&self, u: &Url) -> bool {
        is_loopback_url(u)
            || u.host_str().is_some_and(|h| {
                self.resolve
                    .iter()
                    .any(|r| r.host.eq_ignore_ascii_case(h) && r.addr.is_loopback())
            })
    }

    fn all(&self) -> [&Url; 5] {
        [
            &self.chatgpt,
            &self.api,
            &self.status,
            &self.control,
            &self.app,
        ]
    }

    pub fn all_loopback(&self) -> bool {
        self.all().into_iter().all(|u| self.local(u))
    }

    /// Some endpoint is on this machine (a test or a local mirror).
    pub fn any_loopback(&self) -> bool {
        self.all().into_iter().any(|u| self.local(u))
    }

    /// `base` + `path`, keeping any path prefix the base has.
    pub fn join(base: &Url, path: &str) -> String {
        format!("{}{}", base.as_str().trim_end_matches('/'), path)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeConfig {
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub body_cap: usize,
    pub slow_ms: u64,
    pub status_interval: Duration,
}

/// Everything the driver and prober need, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub endpoints: Endpoints,
    pub probes: Probes,
    pub monitor: MonitorConfig,
    pub probe: ProbeConfig,
    pub language: Language,
    pub proxy: ProxySetting,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    #[error("not a valid URL ({0})")]
    Invalid(String),
    #[error("must use https (plain http is allowed only for 127.0.0.1, ::1 and localhost)")]
    NotHttps,
    #[error("must not contain a user name, password, query or fragment")]
    Extras,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    #[error("use HOST:PORT:ADDRESS, as curl does (for example chatgpt.com:443:127.0.0.1)")]
    Form,
    #[error("no endpoint uses this host")]
    NoEndpoint,
    #[error("{url} uses port {port}")]
    Port { url: String, port: u16 },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("--resolve {value:?}: {reason}")]
    Resolve { value: String, reason: ResolveError },
    #[error("proxy {value:?}: {reason}")]
    Proxy { value: String, reason: ProxyError },
    #[error("{key} endpoint {value:?}: {reason}")]
    Endpoint {
        key: &'static str,
        value: String,
        reason: EndpointError,
    },
    #[error("{key} of {value_ms} ms is outside {min_ms}..{max_ms} ms")]
    OutOfRange {
        key: &'static str,
        value_ms: u64,
        min_ms: u64,
        max_ms: u64,
    },
}

/// `HOST:PORT:ADDR`, the address bare or in brackets for IPv6.
pub fn parse_resolve(s: &str) -> Result<ResolveEntry, ResolveError> {
    let (host, rest) = s.trim().split_once(':').ok_or(ResolveError::Form)?;
    let (port, addr) = rest.split_once(':').ok_or(ResolveError::Form)?;
    let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
    if host.is_empty() || host.contains(['/', ' ', '[']) {
        return Err(ResolveError::Form);
    }
    let port = port.trim().parse().map_err(|_| ResolveError::Form)?;
    let addr = addr
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .map_err(|_| ResolveError::Form)?;
    Ok(ResolveEntry { host, port, addr })
}

/// Validate an endpoint: https anywhere, http on loopback only — and for the control host,
/// whose known answer is plain HTTP by design.
pub fn endpoint_for(key: &str, s: &str) -> Result<Url, EndpointError> {
    let url = parse_url(s)?;
    if key == "control" && url.scheme() == "http" {
        return Ok(url);
    }
    parse_endpoint(s)
}

/// Validate a base URL: https anywhere, http on loopback only.
pub fn parse_endpoint(s: &str) -> Result<Url, EndpointError> {
    let url = parse_url(s)?;
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback_url(&url) => Ok(url),
        _ => Err(EndpointError::NotHttps),
    }
}

/// A base URL with a host and nothing else (no user, password, query or fragment), any scheme.
fn parse_url(s: &str) -> Result<Url, EndpointError> {
    let url = Url::parse(s.trim()).map_err(|e| EndpointError::Invalid(e.to_string()))?;
    if url.host().is_none() {
        return Err(EndpointError::Invalid("no host".into()));
    }
    if !url.username().is_empty()
        || url.password().is_some()
        || url.query().is_some()
        || url.fragment().is_some()
    {
        return Err(EndpointError::Extras);
    }
    match url.scheme() {
        "https" | "http" => Ok(url),
        _ => Err(EndpointError::NotHttps),
    }
}

pub fn is_loopback_url(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn defaults_round_trip_without_warnings() {
        let d = Settings::default();
        let (s, w) = Settings::from_json(&serde_json::to_value(&d).unwrap());
        assert_eq!(s, d);
        assert!(w.is_empty(), "{w:?}");
        let (s, w) = Settings::from_json(&json!({}));
        assert_eq!(s, d);
        assert!(w.is_empty());
        let c = d.to_config(&Overrides::default(), 1).unwrap();
        assert_eq!(c.monitor.interval_ms, 60_000);
        assert_eq!(c.monitor.reminder_ms, Some(3_600_000));
        assert_eq!(c.probe.timeout, Duration::from_secs(10));
        assert_eq!(c.endpoints.chatgpt.as_str(), "https://chatgpt.com/");
        assert!(!c.endpoints.all_loopback());
    }

    #[test]
    fn broken_values_fall_back_loudly() {
        let v = json!({
            "poll_interval_secs": 1,
            "down_poll_interval_secs": "fast",
            "failure_threshold": 0,
            "success_threshold": 2.5,
            "notifications": "yes",
            "reminder_minutes": 5,
            "language": "tlh",
            "probes": {"api": false, "edge": 3},
            "endpoints": {"chatgpt": "http://chatgpt.com", "api": "https://api.example.test/", "status": 7},
            "someday": "unknown keys are ignored"
        });
        let (s, w) = Settings::from_json(&v);
        let keys: Vec<&str> = w.iter().map(|w| w.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "endpoints.chatgpt",
                "endpoints.status",
                "probes.edge",
                "poll_interval_secs",
                "down_poll_interval_secs",
                "failure_threshold",
                "success_threshold",
                "notifications",
                "reminder_minutes",
                "language"
            ]
        );
        assert_eq!(s.poll_interval_secs, Secs(60_000));
        assert_eq!(s.failure_threshold, 2);
        assert!(s.notifications);
        assert!(!s.probes.api, "good values next to bad ones are kept");
        assert!(s.probes.edge);
        assert_eq!(s.endpoints.chatgpt, DEFAULT_CHATGPT);
        assert_eq!(s.endpoints.api, "https://api.example.test");
        assert!(w[0].to_string().contains("must use https"), "{}", w[0]);
        let (s, w) = Settings::from_json(&json!([1, 2]));
        assert_eq!(s, Settings::default());
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn loopback_lifts_the_minimums() {
        let v = json!({
            "poll_interval_secs": 0.2,
            "endpoints": {"chatgpt": "http://127.0.0.1:9/", "api": "http://localhost:9", "status": "http://[::1]:9", "control": "http://127.0.0.2:9", "app": "http://127.0.0.3:9"}
        });
        let (s, w) = Settings::from_json(&v);
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(s.poll_interval_secs, Secs(200));
        let c = s.to_config(&Overrides::default(), 0).unwrap();
        assert!(c.endpoints.all_loopback());
        assert_eq!(c.monitor.interval_ms, 200);
    }

    #[test]
    fn overrides_win_and_are_checked() {
        let env = |k: &str| match k {
            "GATEWATCH_CHATGPT_URL" => Some("http://127.0.0.1:8080/chatgpt".to_string()),
            "GATEWATCH_API_URL" => Some("   ".to_string()),
            _ => None,
        };
        let o = Overrides::from_env(env);
        assert_eq!(
            o.chatgpt_url.as_deref(),
            Some("http://127.0.0.1:8080/chatgpt")
        );
        assert_eq!(o.api_url, None);
        let c = Settings::default().to_config(&o, 0).unwrap();
        assert_eq!(
            Endpoints::join(&c.endpoints.chatgpt, "/cdn-cgi/trace"),
            "http://127.0.0.1:8080/chatgpt/cdn-cgi/trace"
        );
        assert_eq!(
            Endpoints::join(&c.endpoints.api, "/v1/models"),
            "https://api.openai.com/v1/models"
        );

        // Fast polling against real hosts is refused.
        let o = Overrides {
            interval_ms: Some(500),
            ..Overrides::default()
        };
        let e = Settings::default().to_config(&o, 0).unwrap_err();
        assert_eq!(
            e,
            ConfigError::OutOfRange {
                key: "interval",
                value_ms: 500,
                min_ms: 15_000,
                max_ms: 3_600_000
            }
        );

        let o = Overrides {
            status_url: Some("http://status.example.test".into()),
            ..Overrides::default()
        };
        let e = Settings::default().to_config(&o, 0).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("status endpoint \"http://status.example.test\": must use https"),
            "{e}"
        );
    }

    #[test]
    fn endpoint_rules() {
        assert!(parse_endpoint("https://chatgpt.com").is_ok());
        assert!(parse_endpoint("http://127.0.0.1:1234").is_ok());
        assert!(parse_endpoint("http://127.8.9.10").is_ok());
        assert!(parse_endpoint("http://[::1]:80/x").is_ok());
        assert!(parse_endpoint("http://LOCALHOST:80").is_ok());
        assert_eq!(
            parse_endpoint("http://10.0.0.1"),
            Err(EndpointError::NotHttps)
        );
        assert_eq!(
            parse_endpoint("http://localhost.evil.test"),
            Err(EndpointError::NotHttps)
        );
        assert_eq!(
            parse_endpoint("ftp://chatgpt.com"),
            Err(EndpointError::NotHttps)
        );
        assert_eq!(
            parse_endpoint("https://u:p@chatgpt.com"),
            Err(EndpointError::Extras)
        );
        assert_eq!(
            parse_endpoint("https://chatgpt.com/?a=1"),
            Err(EndpointError::Extras)
        );
        assert!(matches!(
            parse_endpoint("chatgpt.com"),
            Err(EndpointError::Invalid(_))
        ));
        assert!(parse_endpoint("file:///etc/passwd").is_err());
    }

    #[test]
    fn proxy_is_system_none_or_a_proxy_url() {
        let cases = [
            ("system", Ok(ProxySetting::System)),
            (" System ", Ok(ProxySetting::System)),
            ("", Ok(ProxySetting::System)),
            ("none", Ok(ProxySetting::None)),
            ("ftp://proxy.example", Err("scheme")),
            ("http://wpad.example/wpad.dat", Err("PAC")),
            ("http://proxy.example/proxy.pac", Err("PAC")),
            ("http://proxy.example:3128/some/path", Err("without a path")),
            ("http://proxy.example:3128?x=1", Err("without a path")),
            ("proxy.example:3128", Err("scheme")),
            ("http://", Err("valid URL")),
        ];
        for (input, want) in cases {
            match (parse_proxy(input), want) {
                (Ok(got), Ok(w)) => assert_eq!(got, w, "{input:?}"),
                (Err(e), Err(words)) => assert!(e.to_string().contains(words), "{input:?}: {e}"),
                (got, w) => panic!("{input:?}: got {got:?}, wanted {w:?}"),
            }
        }
        for ok in [
            "http://proxy.example:3128",
            "http://alice:s3cret@proxy.example:3128/",
            "https://proxy.example",
            "socks5://127.0.0.1:1080",
            "socks5h://user:pw@[::1]:1080",
        ] {
            assert!(matches!(parse_proxy(ok), Ok(ProxySetting::Url(_))), "{ok}");
        }
        assert_eq!(
            parse_proxy("http://alice:s3cret@proxy.example:3128")
                .unwrap()
                .describe(),
            "http://alice:***@proxy.example:3128/"
        );
    }

    #[test]
    fn a_stored_proxy_is_read_forgivingly_and_overridden_strictly() {
        let (s, w) = Settings::from_json(&json!({"proxy": "http://u:pw@proxy.example:3128"}));
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(s.proxy, "http://u:pw@proxy.example:3128");
        let c = s.to_config(&Overrides::default(), 1).unwrap();
        assert!(matches!(c.proxy, ProxySetting::Url(ref u) if u.password() == Some("pw")));

        for bad in [
            json!("http://wpad.example/wpad.pac"),
            json!(3128),
            json!("gopher://x"),
        ] {
            let (s, w) = Settings::from_json(&json!({ "proxy": bad }));
            assert_eq!(s.proxy, "system", "{bad}");
            assert_eq!(w.len(), 1, "{bad}");
            assert_eq!(w[0].key, "proxy");
        }
        // A warning never shows a password.
        let (_, w) = Settings::from_json(&json!({"proxy": "ftp://u:topsecret@x.example"}));
        assert!(!w[0].message.contains("topsecret"), "{}", w[0].message);

        let o = Overrides {
            proxy: Some("none".into()),
            ..Overrides::default()
        };
        assert_eq!(s.to_config(&o, 1).unwrap().proxy, ProxySetting::None);
        let o = Overrides {
            proxy: Some("http://x.example/proxy.pac".into()),
            ..Overrides::default()
        };
        assert!(matches!(s.to_config(&o, 1), Err(ConfigError::Proxy { .. })));
        assert_eq!(
            Settings::default()
                .to_config(&Overrides::default(), 1)
                .unwrap()
                .proxy,
            ProxySetting::System
        );
        let env = Overrides::from_env(|k| (k == "GATEWATCH_PROXY").then(|| " none ".to_string()));
        assert_eq!(env.proxy.as_deref(), Some("none"));
    }

    #[test]
    fn the_known_answer_is_plain_http_and_only_it() {
        let d = Settings::default()
            .to_config(&Overrides::default(), 1)
            .unwrap();
        assert_eq!(
            d.endpoints.control.as_str(),
            "http://connectivitycheck.gstatic.com/"
        );
        // The old https default, stored by an earlier version, means the new one.
        let (s, w) =
            Settings::from_json(&json!({"endpoints": {"control": "https://www.gstatic.com"}}));
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(s.endpoints.control, DEFAULT_CONTROL);
        // Another known-answer host over plain http is fine; any other endpoint is not.
        let (s, w) = Settings::from_json(&json!({"endpoints": {
            "control": "http://connect.rom.miui.com",
            "chatgpt": "http://chatgpt.example.test"
        }}));
        assert_eq!(s.endpoints.control, "http://connect.rom.miui.com");
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].key, "endpoints.chatgpt");
        let o = Overrides {
            api_url: Some("http://api.example.test".into()),
            ..Overrides::default()
        };
        assert!(matches!(
            Settings::default().to_config(&o, 1),
            Err(ConfigError::Endpoint { key: "api", .. })
        ));
    }

    #[test]
    fn resolve_as_curl_writes_it() {
        assert_eq!(
            parse_resolve("ChatGPT.com:443:0.0.0.0"),
            Ok(ResolveEntry {
                host: "chatgpt.com".into(),
                port: 443,
                addr: "0.0.0.0".parse().unwrap()
            })
        );
        assert_eq!(
            parse_resolve("chatgpt.com:443:[::1]").unwrap().addr,
            "::1".parse::<IpAddr>().unwrap()
        );
        for bad in [
            "chatgpt.com",
            "chatgpt.com:443",
            "chatgpt.com:x:1.2.3.4",
            ":443:1.2.3.4",
            "chatgpt.com:443:nowhere",
        ] {
            assert_eq!(parse_resolve(bad), Err(ResolveError::Form), "{bad}");
        }
        let with = |r: &[&str]| {
            let o = Overrides {
                resolve: r.iter().map(|s| s.to_string()).collect(),
                ..Overrides::default()
            };
            Settings::default().to_config(&o, 1)
        };
        let c = with(&[
            "chatgpt.com:443:127.0.0.1",
            "api.openai.com:443:0.0.0.0",
            "chatgpt.com:443:::1",
        ])
        .unwrap();
        assert_eq!(
            c.endpoints.resolve_overrides()["chatgpt.com"],
            vec![
                "127.0.0.1".parse::<IpAddr>().unwrap(),
                "::1".parse().unwrap()
            ]
        );
        assert!(!c.endpoints.all_loopback() && c.endpoints.any_loopback());
        // A port no endpoint of that host uses, or a host no endpoint uses: said, not ignored.
        assert!(matches!(
            with(&["chatgpt.com:8443:127.0.0.1"]),
            Err(ConfigError::Resolve {
                reason: ResolveError::Port { port: 443, .. },
                ..
            })
        ));
        assert!(matches!(
            with(&["example.com:443:127.0.0.1"]),
            Err(ConfigError::Resolve {
                reason: ResolveError::NoEndpoint,
                ..
            })
        ));
        // Every endpoint sent to this machine: the polling minimums of a test apply.
        let all: Vec<String> = [
            "chatgpt.com:443",
            "api.openai.com:443",
            "status.openai.com:443",
            "connectivitycheck.gstatic.com:80",
            "ios.chat.openai.com:443",
        ]
        .iter()
        .map(|h| format!("{h}:127.0.0.1"))
        .collect();
        let o = Overrides {
            resolve: all,
            interval_ms: Some(500),
            ..Overrides::default()
        };
        let c = Settings::default().to_config(&o, 1).unwrap();
        assert!(c.endpoints.all_loopback());
        assert_eq!(c.monitor.interval_ms, 500);
    }
}
