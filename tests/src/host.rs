//! A stand-in for the Tauri host, so the explainer can be tested in any browser engine.
//!
//! It serves `ui/` over HTTP on loopback with the app's Content-Security-Policy, and adds one
//! script before the explainer's own: a `window.__TAURI__` whose `core.invoke` posts each call
//! to this server, where the test's handler answers it (with real views from the app's code),
//! and whose `event.listen` keeps the callbacks so the test can emit events (`window.__emit`).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde_json::Value;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

use crate::pages::Page;
use crate::{read_request, Counters};

/// Answers one `invoke(cmd, args)`: `Ok` resolves the promise, `Err` rejects it with the text.
pub type Handler = Arc<dyn Fn(&str, Value) -> Result<Value, String> + Send + Sync>;

const BRIDGE: &str = r#""use strict";
(function () {
  const listeners = {};
  window.__TAURI__ = {
    core: {
      invoke: async function (cmd, args) {
        const r = await fetch("/__invoke/" + encodeURIComponent(cmd), {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(args === undefined ? null : args),
        });
        const body = await r.json();
        if (!r.ok) throw body;
        return body;
      },
    },
    event: {
      listen: async function (name, cb) {
        (listeners[name] = listeners[name] || []).push(cb);
        return function () { listeners[name] = listeners[name].filter((f) => f !== cb); };
      },
    },
  };
  window.__emit = function (name, payload) {
    (listeners[name] || []).forEach((cb) => cb({ event: name, payload: payload }));
  };
})();
"#;

pub struct FakeHost {
    port: u16,
    calls: Arc<Mutex<Vec<(String, Value)>>>,
    task: tokio::task::JoinHandle<()>,
}

impl FakeHost {
    /// Serve `ui_dir` with `csp` as the page's policy; `connect-src` is widened to `'self'`
    /// so the bridge can reach this server, and nothing else is.
    pub async fn start(ui_dir: PathBuf, csp: &str, handler: Handler) -> std::io::Result<FakeHost> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let csp: String = csp
            .split(';')
            .map(str::trim)
            .filter(|d| !d.is_empty() && !d.starts_with("connect-src"))
            .chain(["connect-src 'self'"])
            .collect::<Vec<_>>()
            .join("; ");
        let calls = Arc::new(Mutex::new(Vec::new()));
        let shared = Arc::new((ui_dir, csp, handler, calls.clone()));
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = crate::accept(&listener).await {
                let shared = shared.clone();
                tokio::spawn(async move {
                    let (dir, csp, handler, calls) = &*shared;
                    serve(stream, dir, csp, handler, calls).await;
                });
            }
        });
        Ok(FakeHost { port, calls, task })
    }

    /// The explainer's address.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/index.html", self.port)
    }

    /// Every `invoke` so far, in order: command and arguments.
    pub fn calls(&self) -> Vec<(String, Value)> {
        self.calls.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

impl Drop for FakeHost {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    mut stream: TcpStream,
    dir: &std::path::Path,
    csp: &str,
    handler: &Handler,
    calls: &Mutex<Vec<(String, Value)>>,
) {
    let counters = Counters::default();
    let mut buf = Vec::new();
    while let Some(req) = read_request(&mut stream, &mut buf, &counters).await {
        let page = if let Some(cmd) = req.path.strip_prefix("/__invoke/") {
            let args: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
            calls
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push((cmd.to_string(), args.clone()));
            match handler(cmd, args) {
                Ok(v) => Page::json(200, v.to_string()),
                Err(e) => Page::json(400, Value::String(e).to_string()),
            }
        } else if req.path == "/__bridge.js" {
            Page::new(200, "text/javascript; charset=utf-8", BRIDGE)
        } else {
            file(dir, &req.path)
        };
        let page = page
            .header("Content-Security-Policy", csp)
            .header("Cache-Control", "no-store");
        if stream.write_all(&page.into_bytes()).await.is_err() || req.close {
            return;
        }
    }
}

fn file(dir: &std::path::Path, path: &str) -> Page {
    let name = path
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .trim_start_matches('/');
    let name = if name.is_empty() { "index.html" } else { name };
    if name.contains("..") || name.contains('/') {
        return Page::text(404, "not here\n".into());
    }
    let Ok(bytes) = std::fs::read(dir.join(name)) else {
        return Page::text(404, format!("no {name}\n"));
    };
    let kind = match name.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    };
    if name == "index.html" {
        // The bridge must exist before the explainer's scripts run; `defer` keeps the order.
        let html = String::from_utf8_lossy(&bytes).replacen(
            "<script ",
            "<script src=\"/__bridge.js\" defer></script>\n  <script ",
            1,
        );
        return Page::new(200, kind, html);
    }
    Page::new(200, kind, bytes)
}
