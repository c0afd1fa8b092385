//! Which proxy the checks go through: the `proxy` setting, and for `"system"` the platform's own
//! settings, read once per prober (I/O: the environment, `gsettings`, a KDE file).
//!
//! One public face, a module per platform chosen once here: Linux reads the environment
//! (`HTTPS_PROXY`, `ALL_PROXY`, `HTTP_PROXY`, `NO_PROXY`), then GNOME's settings (through
//! `gsettings`, when it exists, with a time limit), then KDE's (`kioslaverc`); Windows and macOS
//! leave it to reqwest's system-proxy support (WinINet's settings in the registry,
//! SystemConfiguration), which also reads the environment. PAC scripts are never evaluated:
//! when the system names one, the checks go direct and the report says what to set instead.

use reqwest::{ClientBuilder, NoProxy, Proxy};
use url::Url;

use crate::settings::{redact_proxy, ProxySetting};

#[cfg_attr(target_os = "linux", path = "linux.rs")]
#[cfg_attr(target_os = "windows", path = "windows.rs")]
#[cfg_attr(target_os = "macos", path = "macos.rs")]
#[cfg_attr(
    not(any(target_os = "linux", target_os = "windows", target_os = "macos")),
    path = "other.rs"
)]
mod platform;

#[cfg(target_os = "linux")]
pub use platform::{parse_gsettings, parse_kioslaverc};

/// Where a system proxy setting was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Environment,
    Gnome,
    Kde,
}

impl Source {
    pub const fn as_str(self) -> &'static str {
        match self {
            Source::Environment => "the environment",
            Source::Gnome => "GNOME's settings",
            Source::Kde => "KDE's settings",
        }
    }
}

/// What the system's settings say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum System {
    /// Use this proxy (a URL), except for the hosts in `no_proxy` (comma-separated).
    Proxy {
        url: String,
        no_proxy: Option<String>,
        source: Source,
    },
    /// The settings name a proxy auto-configuration script, which Gatewatch does not evaluate.
    Pac { url: Option<String>, source: Source },
    /// Leave it to the operating system's settings, read by reqwest (Windows, macOS).
    Os,
    /// No proxy is configured.
    Direct,
}

/// The system's proxy settings, read now.
pub fn system() -> System {
    platform::system()
}

/// The proxy in the environment, as curl and most programs read it. `get` is `std::env::var`.
pub fn from_env(get: impl Fn(&str) -> Option<String>) -> Option<System> {
    let first = |names: &[&str]| {
        names
            .iter()
            .filter_map(|n| get(n))
            .map(|v| v.trim().to_string())
            .find(|v| !v.is_empty())
    };
    // Every endpoint is https: HTTPS_PROXY first, then ALL_PROXY, then HTTP_PROXY.
    let url = first(&[
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "HTTP_PROXY",
        "http_proxy",
    ])?;
    Some(System::Proxy {
        url: with_scheme(&url),
        no_proxy: first(&["NO_PROXY", "no_proxy"]),
        source: Source::Environment,
    })
}

/// `proxy.example:3128` as `http://proxy.example:3128`.
pub(crate) fn with_scheme(url: &str) -> String {
    if url.contains("://") {
        url.to_string()
    } else {
        format!("http://{url}")
    }
}

/// The proxy in use, as the prober applied it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Route {
    /// The proxy requests go through, described without its password (and where it was
    /// found); `None`: straight to the internet, or (Windows and macOS with `"system"`) as
    /// the operating system's settings decide, which `note` then says.
    pub via: Option<String>,
    /// Something the user should know (a PAC script that was not evaluated).
    pub note: Option<String>,
    /// The proxy's own address, credentials included, for the prober's closer look at a
    /// refused tunnel (never shown: see `via`).
    pub(crate) url: Option<Secret>,
}

impl Route {
    /// The proxy's address with its credentials, when one is known to be in use.
    pub(crate) fn proxy_url(&self) -> Option<&Url> {
        self.url.as_ref().map(|s| &s.0)
    }
}

/// A proxy URL that may hold a password: never printed.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(Url);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&redact_proxy(self.0.as_str()))
    }
}

/// Configure the client for the `proxy` setting. With `"system"` and any endpoint on this
/// machine (tests, local fakes) no proxy is used: a proxy from the environment must never see
/// traffic meant for this machine. An explicit proxy URL is used for every endpoint, loopback
/// ones included (reqwest bypasses nothing for an explicit proxy unless told to).
pub fn apply(
    b: ClientBuilder,
    setting: &ProxySetting,
    any_loopback: bool,
) -> Result<(ClientBuilder, Route), reqwest::Error> {
    match setting {
        ProxySetting::None => Ok((b.no_proxy(), Route::default())),
        ProxySetting::Url(u) => {
            let route = Route {
                via: Some(format!("{} (Gatewatch's setting)", redact_proxy(u.as_str()))),
                note: None,
                url: Some(Secret(u.clone())),
            };
            Ok((b.no_proxy().proxy(Proxy::all(u.as_str())?), route))
        }
        ProxySetting::System if any_loopback => Ok((b.no_proxy(), Route::default())),
        ProxySetting::System => match system() {
            System::Proxy {
                url,
                no_proxy,
                source,
            } => {
                let proxy =
                    Proxy::all(url.as_str())?.no_proxy(no_proxy.as_deref().and_then(NoProxy::from_string));
                let route = Route {
                    via: Some(format!("{} (from {})", redact_proxy(&url), source.as_str())),
                    note: None,
                    url: Url::parse(&url).ok().map(Secret),
                };
                Ok((b.no_proxy().proxy(proxy), route))
            }
            System::Pac { url, source } => Ok((
                b.no_proxy(),
                Route {
                    via: None,
                    url: None,
                    note: Some(format!(
                        "{} names a proxy auto-configuration (PAC) script{}, which Gatewatch does not evaluate: it goes direct. If your network needs a proxy, set its address in Gatewatch's settings (proxy: http://host:port).",
                        source.as_str(),
                        url.map(|u| format!(" ({})", redact_proxy(&u))).unwrap_or_default()
                    )),
                },
            )),
            // reqwest's own system-proxy support reads the OS settings (and the environment).
            // Whether they name a proxy is not known here, so none is named, and the proxy's
            // own failures are read only where they speak for themselves (a 407).
            System::Os => Ok((
                b,
                Route {
                    via: None,
                    url: None,
                    note: Some(
                        "the operating system's proxy settings apply (read by reqwest); Gatewatch cannot name the proxy they choose".into(),
                    ),
                },
            )),
            System::Direct => Ok((b.no_proxy(), Route::default())),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_environment_as_curl_reads_it() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(from_env(env(&[])), None);
        assert_eq!(from_env(env(&[("HTTPS_PROXY", "  ")])), None);
        assert_eq!(
            from_env(env(&[
                ("http_proxy", "http://plain.example:80"),
                ("https_proxy", "proxy.example:3128"),
                ("no_proxy", "localhost,.corp.example")
            ])),
            Some(System::Proxy {
                url: "http://proxy.example:3128".into(),
                no_proxy: Some("localhost,.corp.example".into()),
                source: Source::Environment
            })
        );
        assert!(matches!(
            from_env(env(&[("ALL_PROXY", "socks5://127.0.0.1:1080"), ("HTTP_PROXY", "http://h:1")])),
            Some(System::Proxy { url, .. }) if url == "socks5://127.0.0.1:1080"
        ));
    }
}
