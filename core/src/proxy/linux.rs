//! Linux: the environment first (what a terminal, systemd's user environment or the desktop
//! passed on), then GNOME's settings (`gsettings list-recursively org.gnome.system.proxy`, only
//! when `gsettings` is installed, and given two seconds), then KDE's (`kioslaverc`,
//! `[Proxy Settings]`). The parsers are pure and tested from the formats' documentation.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{from_env, with_scheme, Source, System};

const GSETTINGS_TIMEOUT: Duration = Duration::from_secs(2);

pub fn system() -> System {
    let get = |k: &str| std::env::var(k).ok();
    if let Some(found) = from_env(get) {
        return found;
    }
    if let Some(out) = gsettings() {
        match parse_gsettings(&out) {
            System::Direct => {}
            found => return found,
        }
    }
    let home = get("HOME").map(PathBuf::from);
    let config = get("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| home.map(|h| h.join(".config")));
    if let Some(text) = config.and_then(|c| std::fs::read_to_string(c.join("kioslaverc")).ok()) {
        return parse_kioslaverc(&text, |k| std::env::var(k).ok());
    }
    System::Direct
}

/// `gsettings list-recursively org.gnome.system.proxy`, if gsettings is on the PATH and answers
/// in time.
fn gsettings() -> Option<String> {
    let path = std::env::var_os("PATH")?;
    let exe = std::env::split_paths(&path)
        .map(|d| d.join("gsettings"))
        .find(|p| is_executable(p))?;
    let mut child = Command::new(exe)
        .args(["list-recursively", "org.gnome.system.proxy"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => break,
            Ok(Some(_)) => return None,
            Ok(None) if started.elapsed() < GSETTINGS_TIMEOUT => {
                std::thread::sleep(Duration::from_millis(10));
            }
            _ => {
                // Ours to stop: a gsettings that hangs (no D-Bus session) must not hold us.
                if let Err(e) = child.kill() {
                    eprintln!("gatewatch: cannot stop gsettings: {e}");
                }
                let _reaped = child.wait();
                return None;
            }
        }
    }
    let mut out = String::new();
    use std::io::Read;
    child.stdout.take()?.read_to_string(&mut out).ok()?;
    Some(out)
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    p.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// GNOME's proxy settings from `gsettings list-recursively org.gnome.system.proxy` lines
/// (`org.gnome.system.proxy.https host 'proxy.example'`). Mode `manual`: the https proxy, else
/// the http one, else SOCKS; `auto`: a PAC script; anything else: direct.
pub fn parse_gsettings(out: &str) -> System {
    let value = |schema: &str, key: &str| {
        out.lines().find_map(|l| {
            let mut parts = l.splitn(3, ' ');
            (parts.next()? == schema && parts.next()? == key)
                .then(|| parts.next().unwrap_or("").trim().to_string())
        })
    };
    let unquote = |v: String| v.trim_matches('\'').to_string();
    let mode = value("org.gnome.system.proxy", "mode").map(unquote);
    match mode.as_deref() {
        Some("manual") => {
            let pick = |kind: &str, scheme: &str| {
                let host = value(&format!("org.gnome.system.proxy.{kind}"), "host").map(unquote)?;
                let port = value(&format!("org.gnome.system.proxy.{kind}"), "port")?;
                let port: u16 = port.parse().ok().filter(|p| *p > 0)?;
                (!host.is_empty()).then(|| format!("{scheme}://{host}:{port}"))
            };
            let Some(url) = pick("https", "http")
                .or_else(|| pick("http", "http"))
                .or_else(|| pick("socks", "socks5"))
            else {
                return System::Direct;
            };
            // ['localhost', '127.0.0.0/8', '::1']
            let no_proxy = value("org.gnome.system.proxy", "ignore-hosts").map(|v| {
                v.trim_matches(|c| c == '[' || c == ']')
                    .split(',')
                    .map(|h| h.trim().trim_matches('\''))
                    .filter(|h| !h.is_empty())
                    .collect::<Vec<_>>()
                    .join(",")
            });
            System::Proxy {
                url,
                no_proxy: no_proxy.filter(|n| !n.is_empty()),
                source: Source::Gnome,
            }
        }
        Some("auto") => System::Pac {
            url: value("org.gnome.system.proxy", "autoconfig-url")
                .map(unquote)
                .filter(|u| !u.is_empty()),
            source: Source::Gnome,
        },
        _ => System::Direct,
    }
}

/// KDE's `kioslaverc`, `[Proxy Settings]`: `ProxyType` 1 is manual (`httpsProxy`, `httpProxy`,
/// `socksProxy`, written `http://host:port` or `http://host port`), 2 a PAC script
/// (`Proxy Config Script`), 3 automatic detection (WPAD, a PAC script too), 4 the environment
/// variables named in those keys (`get` reads them).
pub fn parse_kioslaverc(text: &str, get: impl Fn(&str) -> Option<String>) -> System {
    let mut in_section = false;
    let mut keys = std::collections::HashMap::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_section = line == "[Proxy Settings]";
        } else if let (true, Some((k, v))) = (in_section, line.split_once('=')) {
            keys.insert(k.trim().to_string(), v.trim().to_string());
        }
    }
    let key = |k: &str| keys.get(k).filter(|v| !v.is_empty()).cloned();
    let url_of = |v: String| {
        let v = v.trim().to_string();
        // "http://proxy.example 3128" is KDE's own way of writing the port.
        match v.rsplit_once(' ') {
            Some((host, port)) if port.parse::<u16>().is_ok() => {
                format!("{}:{port}", with_scheme(host.trim()))
            }
            _ => with_scheme(&v),
        }
    };
    let no_proxy = key("NoProxyFor");
    match key("ProxyType").as_deref() {
        Some("1") => {
            let Some(url) = key("httpsProxy")
                .or_else(|| key("httpProxy"))
                .or_else(|| key("socksProxy").map(|s| s.replacen("socks://", "socks5://", 1)))
            else {
                return System::Direct;
            };
            System::Proxy {
                url: url_of(url),
                no_proxy,
                source: Source::Kde,
            }
        }
        Some("2") => System::Pac {
            url: key("Proxy Config Script"),
            source: Source::Kde,
        },
        Some("3") => System::Pac {
            url: None,
            source: Source::Kde,
        },
        Some("4") => {
            let var = |k: &str| key(k).and_then(|name| get(&name)).filter(|v| !v.is_empty());
            match var("httpsProxy").or_else(|| var("httpProxy")) {
                Some(url) => System::Proxy {
                    url: with_scheme(&url),
                    no_proxy: var("NoProxyFor"),
                    source: Source::Kde,
                },
                None => System::Direct,
            }
        }
        _ => System::Direct,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gnome_settings_as_gsettings_prints_them() {
        let manual = "org.gnome.system.proxy.ftp host ''\n\
            org.gnome.system.proxy.ftp port 0\n\
            org.gnome.system.proxy.http enabled false\n\
            org.gnome.system.proxy.http host 'plain.example'\n\
            org.gnome.system.proxy.http port 8080\n\
            org.gnome.system.proxy.https host 'proxy.example'\n\
            org.gnome.system.proxy.https port 3128\n\
            org.gnome.system.proxy autoconfig-url ''\n\
            org.gnome.system.proxy ignore-hosts ['localhost', '127.0.0.0/8', '::1']\n\
            org.gnome.system.proxy mode 'manual'\n\
            org.gnome.system.proxy use-same-proxy true\n";
        assert_eq!(
            parse_gsettings(manual),
            System::Proxy {
                url: "http://proxy.example:3128".into(),
                no_proxy: Some("localhost,127.0.0.0/8,::1".into()),
                source: Source::Gnome
            }
        );
        let http_only = manual.replace("'proxy.example'", "''");
        assert!(
            matches!(parse_gsettings(&http_only), System::Proxy { url, .. } if url == "http://plain.example:8080")
        );
        let auto = manual.replace("mode 'manual'", "mode 'auto'").replace(
            "autoconfig-url ''",
            "autoconfig-url 'http://wpad.example/wpad.dat'",
        );
        assert_eq!(
            parse_gsettings(&auto),
            System::Pac {
                url: Some("http://wpad.example/wpad.dat".into()),
                source: Source::Gnome
            }
        );
        assert_eq!(
            parse_gsettings(&manual.replace("mode 'manual'", "mode 'none'")),
            System::Direct
        );
        assert_eq!(parse_gsettings(""), System::Direct);
    }

    #[test]
    fn kde_settings_as_kioslaverc_holds_them() {
        let env = |k: &str| (k == "MY_PROXY").then(|| "envproxy.example:8000".to_string());
        let manual = "[Other]\nhttpsProxy=http://wrong.example 1\n\n[Proxy Settings]\nNoProxyFor=localhost,.corp.example\nProxyType=1\nhttpProxy=http://proxy.example 8080\nhttpsProxy=http://proxy.example 3128\n";
        assert_eq!(
            parse_kioslaverc(manual, env),
            System::Proxy {
                url: "http://proxy.example:3128".into(),
                no_proxy: Some("localhost,.corp.example".into()),
                source: Source::Kde
            }
        );
        assert!(matches!(
            parse_kioslaverc("[Proxy Settings]\nProxyType=1\nhttpsProxy=http://p.example:3128\n", env),
            System::Proxy { url, .. } if url == "http://p.example:3128"
        ));
        assert_eq!(
            parse_kioslaverc("[Proxy Settings]\nProxyType=2\nProxy Config Script=http://wpad.example/proxy.pac\n", env),
            System::Pac { url: Some("http://wpad.example/proxy.pac".into()), source: Source::Kde }
        );
        assert!(matches!(
            parse_kioslaverc("[Proxy Settings]\nProxyType=3\n", env),
            System::Pac { url: None, .. }
        ));
        assert!(matches!(
            parse_kioslaverc("[Proxy Settings]\nProxyType=4\nhttpsProxy=MY_PROXY\n", env),
            System::Proxy { url, .. } if url == "http://envproxy.example:8000"
        ));
        assert_eq!(
            parse_kioslaverc(
                "[Proxy Settings]\nProxyType=0\nhttpsProxy=http://p 1\n",
                env
            ),
            System::Direct
        );
        assert_eq!(parse_kioslaverc("", env), System::Direct);
    }
}
