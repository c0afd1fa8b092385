//! Chromium driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`): the
//! browser reads commands on its fd 3 and writes answers and events on its fd 4, each message
//! JSON ended by a NUL. No port, no WebSocket and no chromedriver, which would add switches of
//! its own; and the browser-wide connection sees every target, an extension's service worker
//! included, which a page's WebDriver session does not. A closed shadow root, which no script of
//! the page can read, is read as DevTools reads it ([`Chromium::texts_of`]).
//!
//! Blocking and one caller at a time (a desktop test's thread): [`Chromium::call`] writes a
//! command and reads until its answer, keeping the events it passes for [`Chromium::events`].

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// Debian's Chromium: the program itself, not the `/usr/bin/chromium` wrapper script.
pub const CHROMIUM: &str = "/usr/lib/chromium/chromium";

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot start Chromium: {0}")]
    Spawn(std::io::Error),
    #[error("the DevTools pipe: {0}")]
    Pipe(std::io::Error),
    #[error("Chromium went away")]
    Gone,
    #[error("no answer to {0} within {1:?}")]
    Timeout(String, Duration),
    #[error("{method}: {error}")]
    Protocol { method: String, error: Value },
}

/// A browser process, killed when dropped.
pub struct Chromium {
    child: Child,
    commands: ChildStdin,
    messages: Receiver<Value>,
    events: Vec<Value>,
    next_id: u64,
}

impl Chromium {
    /// Start `program` with `args` (`--remote-debugging-pipe` is added) and `env` added, its
    /// stderr to `log`.
    pub fn start(
        program: &str,
        args: &[String],
        env: &[(&str, &str)],
        log: &Path,
    ) -> Result<Chromium, Error> {
        let log = std::fs::File::create(log).map_err(Error::Spawn)?;
        // The shell hands the browser our pipes as its fds 3 and 4, and nothing on 0 and 1.
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(r#"exec "$@" 3<&0 4>&1 </dev/null >/dev/null"#)
            .arg("chromium")
            .arg(program)
            .args(args)
            .arg("--remote-debugging-pipe")
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .spawn()
            .map_err(Error::Spawn)?;
        let commands = child.stdin.take().ok_or(Error::Gone)?;
        let out = child.stdout.take().ok_or(Error::Gone)?;
        let (tx, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(out);
            loop {
                let mut msg = Vec::new();
                match reader.read_until(0, &mut msg) {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
                msg.pop();
                let Ok(v) = serde_json::from_slice::<Value>(&msg) else {
                    continue;
                };
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        Ok(Chromium {
            child,
            commands,
            messages,
            events: Vec::new(),
            next_id: 0,
        })
    }

    /// A browser-wide command.
    pub fn call(&mut self, method: &str, params: Value) -> Result<Value, Error> {
        self.send(None, method, params)
    }

    /// A command to the target attached as `session` ([`Chromium::attach`]).
    pub fn call_in(&mut self, session: &str, method: &str, params: Value) -> Result<Value, Error> {
        self.send(Some(session), method, params)
    }

    fn send(&mut self, session: Option<&str>, method: &str, params: Value) -> Result<Value, Error> {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({ "id": id, "method": method, "params": params });
        if let Some(s) = session {
            msg["sessionId"] = s.into();
        }
        let mut bytes = msg.to_string().into_bytes();
        bytes.push(0);
        self.commands.write_all(&bytes).map_err(Error::Pipe)?;
        self.commands.flush().map_err(Error::Pipe)?;
        let limit = Duration::from_secs(30);
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline
                .checked_duration_since(Instant::now())
                .ok_or_else(|| Error::Timeout(method.into(), limit))?;
            let m = match self.messages.recv_timeout(left) {
                Ok(m) => m,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    return Err(Error::Timeout(method.into(), limit))
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => return Err(Error::Gone),
            };
            if m["id"].as_u64() != Some(id) {
                self.events.push(m);
                continue;
            }
            if let Some(error) = m.get("error") {
                return Err(Error::Protocol {
                    method: method.into(),
                    error: error.clone(),
                });
            }
            return Ok(m["result"].clone());
        }
    }

    /// The events received so far (and taken from the pipe now), oldest first.
    pub fn events(&mut self) -> Vec<Value> {
        while let Ok(m) = self.messages.try_recv() {
            self.events.push(m);
        }
        std::mem::take(&mut self.events)
    }

    /// Attach to a target (flattened: commands then name the session), and return the session.
    pub fn attach(&mut self, target_id: &str) -> Result<String, Error> {
        let r = self.call(
            "Target.attachToTarget",
            json!({ "targetId": target_id, "flatten": true }),
        )?;
        Ok(r["sessionId"].as_str().unwrap_or_default().to_string())
    }

    /// The browser's targets (pages, service workers, …) as `Target.getTargets` lists them.
    pub fn targets(&mut self) -> Result<Vec<Value>, Error> {
        let r = self.call("Target.getTargets", json!({}))?;
        Ok(r["targetInfos"].as_array().cloned().unwrap_or_default())
    }

    /// Run `expression` in the page attached as `session`, awaiting a promise, and return its
    /// value (by value: JSON).
    pub fn eval(&mut self, session: &str, expression: &str) -> Result<Value, Error> {
        let r = self.call_in(
            session,
            "Runtime.evaluate",
            json!({ "expression": expression, "awaitPromise": true, "returnByValue": true }),
        )?;
        if let Some(e) = r.get("exceptionDetails") {
            return Err(Error::Protocol {
                method: "Runtime.evaluate".into(),
                error: e.clone(),
            });
        }
        Ok(r["result"]["value"].clone())
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        // A polite close first (the browser closes its profile and its native hosts' pipes),
        // then the process however it is.
        self.call("Browser.close", json!({})).ok();
        crate::session::exit_or_kill(&mut self.child, 5);
    }
}

/// Every text under `node` (a node as `DOM.describeNode` or `DOM.getDocument` give it, with
/// `pierce`: shadow roots, closed ones too), skipping `<style>`: one string per text node, in
/// order.
pub fn texts(node: &Value) -> Vec<String> {
    fn children(node: &Value) -> impl Iterator<Item = &Value> {
        ["shadowRoots", "children", "contentDocument"]
            .into_iter()
            .flat_map(move |k| match &node[k] {
                Value::Array(a) => a.iter().collect::<Vec<_>>(),
                Value::Object(_) => vec![&node[k]],
                _ => Vec::new(),
            })
    }
    fn collect(node: &Value, out: &mut Vec<String>) {
        if node["nodeName"].as_str() == Some("STYLE") {
            return;
        }
        if node["nodeType"].as_u64() == Some(3) {
            if let Some(t) = node["nodeValue"].as_str().filter(|t| !t.trim().is_empty()) {
                out.push(t.to_string());
            }
        }
        for c in children(node) {
            collect(c, out);
        }
    }
    let mut out = Vec::new();
    collect(node, &mut out);
    out
}

impl Chromium {
    /// A PNG of what the page attached as `session` shows.
    pub fn screenshot(&mut self, session: &str) -> Result<Vec<u8>, Error> {
        use base64::Engine as _;
        let r = self.call_in(
            session,
            "Page.captureScreenshot",
            json!({ "format": "png" }),
        )?;
        base64::engine::general_purpose::STANDARD
            .decode(r["data"].as_str().unwrap_or_default())
            .map_err(|e| Error::Pipe(std::io::Error::other(e)))
    }

    /// The texts of the first element matching `selector` in the page attached as `session`,
    /// its shadow root's included even when closed (`DOM.describeNode` with `pierce`, on the
    /// element as the page's own script finds it); `None` when there is no such element.
    pub fn texts_of(
        &mut self,
        session: &str,
        selector: &str,
    ) -> Result<Option<Vec<String>>, Error> {
        let r = self.call_in(
            session,
            "Runtime.evaluate",
            json!({ "expression": format!("document.querySelector({})", json!(selector)) }),
        )?;
        let Some(object) = r["result"]["objectId"].as_str() else {
            return Ok(None);
        };
        let d = self.call_in(
            session,
            "DOM.describeNode",
            json!({ "objectId": object, "depth": -1, "pierce": true }),
        )?;
        Ok(Some(texts(&d["node"])))
    }
}
