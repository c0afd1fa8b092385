//! The desktop app's security settings, checked as data: each test fails if someone loosens
//! the policy (the behaviour under that policy is tested in explainer.rs and window.rs).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use gatewatch_explainer::commands::Link;
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn json(path: &str) -> Value {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn ui_scripts() -> Vec<(String, String)> {
    std::fs::read_dir(root().join("ui"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "js"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p.file_name().unwrap().to_string_lossy().into_owned(), text)
        })
        .collect()
}

#[test]
fn csp_allows_only_the_apps_own_files() {
    let conf = json("tauri.conf.json");
    let csp = conf["app"]["security"]["csp"]
        .as_object()
        .expect("a CSP, as a map");
    let get = |d: &str| csp.get(d).and_then(Value::as_str).unwrap_or("");
    assert_eq!(get("default-src"), "'self'");
    assert_eq!(get("script-src"), "'self'");
    assert_eq!(get("style-src"), "'self'");
    assert_eq!(get("object-src"), "'none'");
    assert_eq!(get("base-uri"), "'none'");
    assert_eq!(get("frame-ancestors"), "'none'");
    assert_eq!(get("connect-src"), "ipc: http://ipc.localhost");
    for (directive, v) in csp {
        let v = v.as_str().unwrap();
        for bad in [
            "unsafe-inline",
            "unsafe-eval",
            "*",
            "https:",
            "http:",
            "blob:",
        ] {
            assert!(
                !v.split_whitespace().any(|t| t.trim_matches('\'') == bad),
                "{directive} allows {bad}: {v}"
            );
        }
    }
    assert_eq!(conf["app"]["security"]["freezePrototype"], true);
    // No remote page is ever loaded into the app's windows.
    assert_eq!(conf["build"]["frontendDist"], "ui");
    assert!(conf["build"].get("devUrl").is_none());
}

/// The explainer's capability grants exactly the commands its script calls, and two event
/// permissions; no other capability exists.
#[test]
fn capabilities_are_exactly_what_the_explainer_uses() {
    let caps: Vec<PathBuf> = std::fs::read_dir(root().join("src-tauri/capabilities"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(caps.len(), 1, "{caps:?}");
    let cap = json("src-tauri/capabilities/explainer.json");
    assert_eq!(cap["windows"], serde_json::json!(["explainer"]));
    assert!(cap.get("remote").is_none(), "no remote URL may use the IPC");
    let granted: BTreeSet<String> = cap["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().expect("plain permission ids").to_string())
        .collect();

    let mut used = BTreeSet::new();
    for (_, text) in ui_scripts() {
        for call in ["invoke(\"", "act(\""] {
            for part in text.split(call).skip(1) {
                let name = part.split('"').next().unwrap();
                used.insert(format!("allow-{}", name.replace('_', "-")));
            }
        }
    }
    used.insert("core:event:allow-listen".into());
    used.insert("core:event:allow-unlisten".into());
    assert_eq!(granted, used, "granted vs used by ui/");
}

/// Remote text reaches the page only through textContent: none of the ways to turn a string
/// into markup or code appear in the explainer's scripts.
#[test]
fn the_ui_has_no_way_to_render_strings_as_markup() {
    for (name, text) in ui_scripts() {
        for bad in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "new Function",
            "setTimeout(\"",
            "createContextualFragment",
        ] {
            assert!(!text.contains(bad), "ui/{name} uses {bad}");
        }
    }
    let html = std::fs::read_to_string(root().join("ui/index.html")).unwrap();
    assert!(!html.contains("<script>"), "no inline scripts");
    let handler = html.split(" on").skip(1).find(|rest| {
        let name: String = rest.chars().take_while(char::is_ascii_lowercase).collect();
        !name.is_empty() && rest[name.len()..].starts_with('=')
    });
    assert!(handler.is_none(), "an inline event handler: on{handler:?}");
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "nothing remote"
    );
}

/// The only places the app opens in the browser: https, and these hosts.
#[test]
fn links_are_https_to_known_hosts() {
    for link in [
        Link::Chatgpt,
        Link::StatusPage,
        Link::AppStore,
        Link::GooglePlay,
        Link::Releases,
    ] {
        let url = link.url();
        let host = url
            .strip_prefix("https://")
            .and_then(|r| r.split('/').next())
            .unwrap_or_else(|| panic!("{url} is not https"));
        assert!(
            [
                "chatgpt.com",
                "status.openai.com",
                "apps.apple.com",
                "play.google.com",
                "github.com"
            ]
            .contains(&host),
            "{url}"
        );
    }
}
