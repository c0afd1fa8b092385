//! The resident process stays light by construction: neither the tray nor the core it runs may
//! depend, on Linux, on a web engine, GTK or the Tauri stack. Checked on the resolved dependency
//! tree (`cargo tree`, this platform's normal dependencies), so a new dependency that drags one
//! of them in fails here rather than in a memory measurement.
//!
//! It asks cargo, so it runs where cargo does: on the build machine, not in the Windows build
//! run under Wine.
#![cfg(not(windows))]

use std::process::Command;

/// Crate-name prefixes of the GUI stack: GTK and its libraries, WebKitGTK, Tauri and its
/// windowing, menu and tray crates.
const FORBIDDEN: [&str; 16] = [
    "gtk",
    "gdk",
    "glib",
    "gio",
    "cairo",
    "pango",
    "atk",
    "soup",
    "webkit2gtk",
    "javascriptcore",
    "tauri",
    "wry",
    "tao",
    "muda",
    "tray-icon",
    "libappindicator",
];

fn tree(package: &str) -> Vec<String> {
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.toml");
    let out = Command::new(env!("CARGO"))
        .args([
            "tree",
            "--manifest-path",
            manifest,
            "--locked",
            "--offline",
            "-p",
            package,
            "-e",
            "normal",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .output()
        .expect("run cargo tree");
    assert!(
        out.status.success(),
        "cargo tree: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

fn check(package: &str) {
    let crates = tree(package);
    assert!(
        crates.len() > 10,
        "{package}: suspiciously small tree {crates:?}"
    );
    let bad: Vec<&String> = crates
        .iter()
        .filter(|c| {
            FORBIDDEN
                .iter()
                .any(|f| c.as_str() == *f || c.starts_with(&format!("{f}-")))
        })
        .collect();
    assert!(bad.is_empty(), "{package} depends on {bad:?}");
}

#[test]
fn the_tray_links_no_web_engine_gtk_or_tauri() {
    check("gatewatch-tray");
    assert!(
        tree("gatewatch-tray").iter().any(|c| c == "ksni"),
        "the tray is a StatusNotifierItem"
    );
}

#[test]
fn the_core_has_no_gui_in_its_tree() {
    check("gatewatch-core");
}
