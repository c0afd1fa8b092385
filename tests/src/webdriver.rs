//! Just enough of the W3C WebDriver protocol to drive a browser engine from a Rust test:
//! chromedriver for the explainer in Chromium, WebKitWebDriver for the real app's window.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot start {0}: {1}")]
    Spawn(String, std::io::Error),
    #[error("{0} did not become ready within {1:?}")]
    NotReady(String, Duration),
    #[error("webdriver request failed: {0}")]
    Http(#[from] reqwest::Error),
    #[error("webdriver error {status}: {error}: {message}")]
    Driver {
        status: u16,
        error: String,
        message: String,
    },
    #[error("bad webdriver answer: {0}")]
    Bad(String),
    #[error("timed out after {0:?} waiting for: {1}")]
    Timeout(Duration, String),
}

/// A WebDriver server process (chromedriver, WebKitWebDriver) on a free loopback port;
/// killed when dropped.
pub struct Driver {
    child: Child,
    base: String,
}

impl Driver {
    /// Start `program --port=N` with `env` added, and wait until `/status` answers ready.
    pub async fn spawn(program: &str, env: &[(&str, &str)]) -> Result<Driver, Error> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| Error::Spawn(program.into(), e))?
            .port();
        let mut cmd = Command::new(program);
        cmd.arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().map_err(|e| Error::Spawn(program.into(), e))?;
        let driver = Driver {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let client = client()?;
        let limit = Duration::from_secs(20);
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Ok(r) = client.get(format!("{}/status", driver.base)).send().await {
                if let Ok(v) = serde_json::from_slice::<Value>(&r.bytes().await?) {
                    if v["value"]["ready"].as_bool() != Some(false) {
                        return Ok(driver);
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(Error::NotReady(program.into(), limit))
    }

    /// Open a session with these capabilities (`alwaysMatch`).
    pub async fn session(&self, capabilities: Value) -> Result<Session, Error> {
        let client = client()?;
        let v = call(
            &client,
            reqwest::Method::POST,
            &format!("{}/session", self.base),
            Some(json!({ "capabilities": { "alwaysMatch": capabilities } })),
        )
        .await?;
        let id = v["sessionId"]
            .as_str()
            .ok_or_else(|| Error::Bad(format!("no sessionId in {v}")))?;
        Ok(Session {
            client,
            url: format!("{}/session/{id}", self.base),
        })
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

fn client() -> Result<reqwest::Client, Error> {
    Ok(reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .no_proxy()
        .build()?)
}

async fn call(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    body: Option<Value>,
) -> Result<Value, Error> {
    let mut req = client.request(method, url);
    if let Some(b) = body {
        req = req
            .header("Content-Type", "application/json")
            .body(b.to_string());
    }
    let resp = req.send().await?;
    let status = resp.status().as_u16();
    let bytes = resp.bytes().await?;
    let v: Value = serde_json::from_slice(&bytes)
        .map_err(|e| Error::Bad(format!("{e}: {}", String::from_utf8_lossy(&bytes))))?;
    let value = v.get("value").cloned().unwrap_or(Value::Null);
    if status >= 400 || value.get("error").is_some_and(Value::is_string) {
        return Err(Error::Driver {
            status,
            error: value["error"].as_str().unwrap_or("").into(),
            message: value["message"].as_str().unwrap_or("").into(),
        });
    }
    Ok(value)
}

/// One browser session. `close` ends it; dropping the driver ends it too.
pub struct Session {
    client: reqwest::Client,
    url: String,
}

impl Session {
    async fn post(&self, path: &str, body: Value) -> Result<Value, Error> {
        call(
            &self.client,
            reqwest::Method::POST,
            &format!("{}{path}", self.url),
            Some(body),
        )
        .await
    }

    async fn get(&self, path: &str) -> Result<Value, Error> {
        call(
            &self.client,
            reqwest::Method::GET,
            &format!("{}{path}", self.url),
            None,
        )
        .await
    }

    pub async fn goto(&self, url: &str) -> Result<(), Error> {
        self.post("/url", json!({ "url": url })).await.map(drop)
    }

    pub async fn current_url(&self) -> Result<String, Error> {
        Ok(self.get("/url").await?.as_str().unwrap_or("").to_string())
    }

    pub async fn title(&self) -> Result<String, Error> {
        Ok(self.get("/title").await?.as_str().unwrap_or("").to_string())
    }

    /// Run `script` (a function body; `arguments[i]` are `args`) and return what it returns.
    pub async fn exec(&self, script: &str, args: Vec<Value>) -> Result<Value, Error> {
        self.post("/execute/sync", json!({ "script": script, "args": args }))
            .await
    }

    /// Run `script` until it returns something truthy, and return that.
    pub async fn wait_for(&self, script: &str, limit: Duration) -> Result<Value, Error> {
        let start = Instant::now();
        loop {
            let v = self.exec(script, vec![]).await?;
            let truthy = match &v {
                Value::Null => false,
                Value::Bool(b) => *b,
                Value::String(s) => !s.is_empty(),
                Value::Number(n) => n.as_f64() != Some(0.0),
                _ => true,
            };
            if truthy {
                return Ok(v);
            }
            if start.elapsed() > limit {
                return Err(Error::Timeout(limit, script.into()));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Resize the window (the outer size; the page gets a little less in a headed browser).
    pub async fn set_size(&self, width: u32, height: u32) -> Result<(), Error> {
        self.post("/window/rect", json!({ "width": width, "height": height }))
            .await
            .map(drop)
    }

    /// A PNG of the viewport.
    pub async fn screenshot(&self) -> Result<Vec<u8>, Error> {
        let v = self.get("/screenshot").await?;
        let b64 = v.as_str().ok_or_else(|| Error::Bad("screenshot".into()))?;
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .map_err(|e| Error::Bad(format!("screenshot base64: {e}")))
    }

    /// Press and release each key of `keys` (WebDriver key codes: "\u{E004}" is Tab).
    pub async fn keys(&self, keys: &str) -> Result<(), Error> {
        let actions: Vec<Value> = keys
            .chars()
            .flat_map(|k| {
                let k = k.to_string();
                [
                    json!({ "type": "keyDown", "value": k }),
                    json!({ "type": "keyUp", "value": k }),
                ]
            })
            .collect();
        self.post(
            "/actions",
            json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": actions }] }),
        )
        .await
        .map(drop)
    }

    /// A Chrome DevTools Protocol command (chromedriver only).
    pub async fn cdp(&self, cmd: &str, params: Value) -> Result<Value, Error> {
        self.post("/goog/cdp/execute", json!({ "cmd": cmd, "params": params }))
            .await
    }

    pub async fn close(&self) -> Result<(), Error> {
        call(&self.client, reqwest::Method::DELETE, &self.url, None)
            .await
            .map(drop)
    }
}
