//! Firefox driven over its own Marionette protocol, for the browser companion's end-to-end test:
//! no geckodriver (Debian does not package it), only the browser. `--marionette` makes Firefox
//! listen on loopback (on the port `marionette.port` names; 0, as here, is any free port, which
//! it writes to the profile's `MarionetteActivePort`). A message either way is `<length>:<JSON>`:
//! a command `[0, id, "WebDriver:NewSession", {…}]`, its answer `[1, id, error, result]`. The
//! commands are WebDriver's, plus Firefox's own: `Addon:Install` (an unpacked extension,
//! installed for this run as about:debugging does) and `Marionette:SetContext` (scripts in the
//! browser's own privileged window rather than the page, which Firefox allows only when started
//! with `-remote-allow-system-access`, as here). A closed shadow root, which no script of the
//! page can read, is read as WebDriver reads it ([`Firefox::texts_of`]).
//!
//! Blocking and one caller at a time (a desktop test's thread), like [`crate::cdp`].

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// Debian's Firefox ESR: the program itself (`/usr/bin/firefox-esr` links to it).
pub const FIREFOX: &str = "/usr/lib/firefox-esr/firefox-esr";

/// Preferences that keep a test's Firefox to itself: none of its own traffic (remote settings,
/// telemetry and studies, updates of itself and of its media plugins, Safe Browsing, captive
/// portal and connectivity checks, prefetching, the new tab page's feeds), no first-run pages,
/// no default-browser question, and English. Marionette sets much of this itself, but only once
/// it runs, after the first requests; in the profile's `user.js` they hold from the start. With
/// them, the browser companion's test sees this Firefox ask for nothing but chatgpt.com.
fn quiet() -> Vec<(&'static str, Value)> {
    vec![
        ("app.normandy.enabled", json!(false)),
        ("app.normandy.api_url", json!("")),
        ("app.shield.optoutstudies.enabled", json!(false)),
        ("app.update.disabledForTesting", json!(true)),
        ("app.update.auto", json!(false)),
        ("browser.aboutwelcome.enabled", json!(false)),
        ("browser.discovery.enabled", json!(false)),
        ("browser.newtabpage.enabled", json!(false)),
        (
            "browser.newtabpage.activity-stream.feeds.system.topstories",
            json!(false),
        ),
        (
            "browser.newtabpage.activity-stream.feeds.section.topstories",
            json!(false),
        ),
        (
            "browser.newtabpage.activity-stream.feeds.snippets",
            json!(false),
        ),
        ("browser.newtabpage.activity-stream.telemetry", json!(false)),
        ("browser.region.network.url", json!("")),
        ("browser.region.update.enabled", json!(false)),
        ("browser.safebrowsing.blockedURIs.enabled", json!(false)),
        ("browser.safebrowsing.downloads.enabled", json!(false)),
        (
            "browser.safebrowsing.downloads.remote.enabled",
            json!(false),
        ),
        ("browser.safebrowsing.malware.enabled", json!(false)),
        ("browser.safebrowsing.phishing.enabled", json!(false)),
        ("browser.safebrowsing.provider.google4.updateURL", json!("")),
        ("browser.safebrowsing.provider.mozilla.updateURL", json!("")),
        ("browser.search.update", json!(false)),
        ("browser.shell.checkDefaultBrowser", json!(false)),
        ("browser.startup.homepage", json!("about:blank")),
        ("browser.startup.homepage_override.mstone", json!("ignore")),
        ("browser.startup.page", json!(0)),
        ("browser.topsites.contile.enabled", json!(false)),
        ("browser.urlbar.speculativeConnect.enabled", json!(false)),
        ("browser.urlbar.suggest.searches", json!(false)),
        ("captivedetect.canonicalURL", json!("")),
        ("datareporting.healthreport.uploadEnabled", json!(false)),
        ("datareporting.policy.dataSubmissionEnabled", json!(false)),
        ("datareporting.usage.uploadEnabled", json!(false)),
        ("dom.push.connection.enabled", json!(false)),
        ("extensions.getAddons.cache.enabled", json!(false)),
        ("extensions.systemAddon.update.enabled", json!(false)),
        ("extensions.update.enabled", json!(false)),
        ("intl.accept_languages", json!("en-US, en")),
        ("intl.locale.requested", json!("en-US")),
        ("media.gmp-manager.updateEnabled", json!(false)),
        ("network.captive-portal-service.enabled", json!(false)),
        ("network.connectivity-service.enabled", json!(false)),
        ("network.dns.disablePrefetch", json!(true)),
        ("network.http.speculative-parallel-limit", json!(0)),
        ("network.prefetch-next", json!(false)),
        ("network.trr.mode", json!(5)),
        (
            "security.remote_settings.crlite_filters.enabled",
            json!(false),
        ),
        (
            "security.remote_settings.intermediates.enabled",
            json!(false),
        ),
        (
            "services.settings.server",
            json!("data:,#remote-settings-dummy/v1"),
        ),
        ("toolkit.telemetry.enabled", json!(false)),
        ("toolkit.telemetry.server", json!("")),
        ("toolkit.telemetry.unified", json!(false)),
    ]
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot start Firefox: {0}")]
    Spawn(std::io::Error),
    #[error("Marionette's connection: {0}")]
    Io(std::io::Error),
    #[error("Firefox did not open Marionette's port within {0:?}")]
    NoPort(Duration),
    #[error("Firefox went away")]
    Gone,
    #[error("{command}: {error}")]
    Protocol { command: String, error: Value },
}

/// A browser process with a Marionette session, quit (then killed) when dropped.
pub struct Firefox {
    child: Child,
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    next_id: u64,
}

impl Firefox {
    /// Start `program` headless on the profile folder `profile` (created if need be; its
    /// `user.js` written with the quiet preferences above, then `prefs`), with `env` added, its
    /// output to `log`; and open a session with `capabilities` (WebDriver's, e.g.
    /// `acceptInsecureCerts`).
    pub fn start(
        program: &str,
        profile: &Path,
        prefs: &[(&str, Value)],
        env: &[(&str, &str)],
        log: &Path,
        capabilities: Value,
    ) -> Result<Firefox, Error> {
        std::fs::create_dir_all(profile).map_err(Error::Spawn)?;
        let port_file = profile.join("MarionetteActivePort");
        std::fs::remove_file(&port_file).ok();
        let mut user_js = String::new();
        for (name, value) in quiet()
            .iter()
            .map(|(n, v)| (*n, v))
            .chain([("marionette.port", &json!(0))])
            .chain(prefs.iter().map(|(n, v)| (*n, v)))
        {
            user_js.push_str(&format!("user_pref({}, {value});\n", json!(name)));
        }
        std::fs::write(profile.join("user.js"), user_js).map_err(Error::Spawn)?;
        let out = std::fs::File::create(log).map_err(Error::Spawn)?;
        let err = out.try_clone().map_err(Error::Spawn)?;
        let mut child = Command::new(program)
            .args([
                "--marionette",
                "-remote-allow-system-access",
                "--headless",
                "--no-remote",
                "--profile",
            ])
            .arg(profile)
            .arg("about:blank")
            // Firefox's own switch for its test harnesses: a connection to a public address
            // stops the browser on purpose, after a "FATAL ERROR: Non-local network connections
            // are disabled" line in its log, so that a request that slips past a test's proxy
            // fails the test rather than leaves the machine; and Firefox ESR then takes the
            // remote settings server above from the preference (it ignores it otherwise).
            .env("MOZ_DISABLE_NONLOCAL_CONNECTIONS", "1")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::from(out))
            .stderr(Stdio::from(err))
            .spawn()
            .map_err(Error::Spawn)?;
        let limit = Duration::from_secs(60);
        let deadline = Instant::now() + limit;
        let port = loop {
            if let Some(p) = std::fs::read_to_string(&port_file)
                .ok()
                .and_then(|s| s.trim().parse::<u16>().ok())
            {
                break p;
            }
            if Instant::now() > deadline {
                child.kill().ok();
                child.wait().ok();
                return Err(Error::NoPort(limit));
            }
            if matches!(child.try_wait(), Ok(Some(_))) {
                return Err(Error::Gone);
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        let stream = TcpStream::connect(("127.0.0.1", port)).map_err(Error::Io)?;
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .map_err(Error::Io)?;
        let writer = stream.try_clone().map_err(Error::Io)?;
        let mut firefox = Firefox {
            child,
            reader: BufReader::new(stream),
            writer,
            next_id: 0,
        };
        // Marionette greets first: {"applicationType": "gecko", "marionetteProtocol": 3}.
        let hello = firefox.read()?;
        if hello["marionetteProtocol"] != json!(3) {
            return Err(Error::Protocol {
                command: "hello".into(),
                error: hello,
            });
        }
        firefox.call("WebDriver:NewSession", capabilities)?;
        Ok(firefox)
    }

    fn read(&mut self) -> Result<Value, Error> {
        let mut len = Vec::new();
        self.reader.read_until(b':', &mut len).map_err(Error::Io)?;
        if len.pop() != Some(b':') {
            return Err(Error::Gone);
        }
        let len: usize = String::from_utf8_lossy(&len)
            .trim()
            .parse()
            .map_err(|_| Error::Gone)?;
        let mut body = vec![0u8; len];
        self.reader.read_exact(&mut body).map_err(Error::Io)?;
        serde_json::from_slice(&body).map_err(|e| Error::Io(std::io::Error::other(e)))
    }

    /// A command, and its result as Marionette gives it (most commands wrap theirs in
    /// `{"value": …}`).
    pub fn call(&mut self, command: &str, params: Value) -> Result<Value, Error> {
        self.next_id += 1;
        let id = self.next_id;
        let msg = json!([0, id, command, params]).to_string();
        self.writer
            .write_all(format!("{}:{msg}", msg.len()).as_bytes())
            .map_err(Error::Io)?;
        loop {
            let m = self.read()?;
            if m[0] != json!(1) || m[1].as_u64() != Some(id) {
                continue;
            }
            if !m[2].is_null() {
                return Err(Error::Protocol {
                    command: command.into(),
                    error: m[2].clone(),
                });
            }
            return Ok(m[3].clone());
        }
    }

    /// Install the extension in `dir` (unpacked) for this run, as about:debugging's "Load
    /// Temporary Add-on" does; its id.
    pub fn install_temporary(&mut self, dir: &Path) -> Result<String, Error> {
        let r = self.call("Addon:Install", json!({ "path": dir, "temporary": true }))?;
        Ok(r["value"].as_str().unwrap_or_default().to_string())
    }

    /// Load `url` in the current tab, and wait until it has loaded.
    pub fn navigate(&mut self, url: &str) -> Result<(), Error> {
        self.call("WebDriver:Navigate", json!({ "url": url }))
            .map(drop)
    }

    /// Run `body` (a function's body: `return …`; a promise returned is awaited) in the page,
    /// with `args` as `arguments`, and return its value as JSON.
    pub fn execute(&mut self, body: &str, args: Value) -> Result<Value, Error> {
        let r = self.call(
            "WebDriver:ExecuteScript",
            json!({ "script": body, "args": args }),
        )?;
        Ok(r["value"].clone())
    }

    /// The same, in the browser's own privileged window (Marionette's "chrome" context), where
    /// the parent process's state can be read: the add-on manager, an extension's background.
    pub fn execute_in_browser(&mut self, body: &str) -> Result<Value, Error> {
        self.call("Marionette:SetContext", json!({ "value": "chrome" }))?;
        let r = self.execute(body, json!([]));
        self.call("Marionette:SetContext", json!({ "value": "content" }))?;
        r
    }

    /// The texts of the first element matching `selector` in the page, those of its shadow root
    /// first, even when closed (WebDriver's Get Element Shadow Root gives it to the test, not
    /// to the page), skipping `<style>`: one string per text node, in order. `None` when there
    /// is no such element.
    pub fn texts_of(&mut self, selector: &str) -> Result<Option<Vec<String>>, Error> {
        let found = self.call(
            "WebDriver:FindElements",
            json!({ "using": "css selector", "value": selector }),
        )?;
        let Some(element) = found
            .as_array()
            .or_else(|| found["value"].as_array())
            .and_then(|a| a.first())
            .cloned()
        else {
            return Ok(None);
        };
        let id = element
            .as_object()
            .and_then(|o| o.values().next())
            .cloned()
            .unwrap_or_default();
        let root = match self.call("WebDriver:GetShadowRoot", json!({ "id": id })) {
            Ok(r) => r["value"].clone(),
            Err(Error::Protocol { error, .. }) if error == json!("no such shadow root") => {
                Value::Null
            }
            Err(e) => return Err(e),
        };
        let texts = self.execute(
            "const out = []; \
             const walk = (n) => { if (!n || n.nodeName === 'STYLE') return; \
               if (n.nodeType === 3 && n.nodeValue.trim()) out.push(n.nodeValue); \
               for (const c of n.childNodes) walk(c); }; \
             walk(arguments[1]); walk(arguments[0]); return out;",
            json!([element, root]),
        )?;
        Ok(Some(
            texts
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect(),
        ))
    }

    /// A PNG of what the page shows (the viewport).
    pub fn screenshot(&mut self) -> Result<Vec<u8>, Error> {
        use base64::Engine as _;
        let r = self.call("WebDriver:TakeScreenshot", json!({ "full": false }))?;
        base64::engine::general_purpose::STANDARD
            .decode(r["value"].as_str().unwrap_or_default())
            .map_err(|e| Error::Io(std::io::Error::other(e)))
    }
}

impl Drop for Firefox {
    fn drop(&mut self) {
        // A polite quit first (the browser closes its profile and its native hosts' pipes),
        // then the process however it is.
        self.call("Marionette:Quit", json!({ "flags": ["eForceQuit"] }))
            .ok();
        crate::session::exit_or_kill(&mut self.child, 10);
    }
}
