//! The explainer program's own arguments, and a start with no display: each answers and exits
//! at once, and none starts a tray for nothing.

use std::process::Command;

use gatewatch_fakes::session::{names_in, run_briefly, tempdir};

const EXPLAINER: &str = env!("CARGO_BIN_EXE_gatewatch-explainer");

fn run(data: &std::path::Path, args: &[&str]) -> std::process::Output {
    run_briefly(
        Command::new(EXPLAINER)
            .args(args)
            .env("GATEWATCH_DATA_DIR", data)
            .env("XDG_RUNTIME_DIR", data)
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("GATEWATCH_SOCKET"),
        10,
    )
    .unwrap_or_else(|| panic!("gatewatch-explainer {args:?} did not exit"))
}

// A tray, had one been started, would have made `run/` in the data directory: each test checks
// that it stays empty.

#[test]
fn version_and_help_answer_without_a_display() {
    let data = tempdir("explainer-args");
    let out = run(&data, &["--version"]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("gatewatch-explainer {}\n", env!("CARGO_PKG_VERSION"))
    );
    let out = run(&data, &["--help"]);
    assert!(out.status.success(), "{out:?}");
    let help = String::from_utf8_lossy(&out.stdout);
    for word in [
        "usage: gatewatch-explainer",
        "--page",
        "--verbose",
        "--version",
    ] {
        assert!(help.contains(word), "{word:?} not in {help}");
    }
    assert!(names_in(&data).is_empty(), "{:?}", names_in(&data));
    std::fs::remove_dir_all(&data).ok();
}

#[cfg(all(unix, not(target_os = "macos")))]
#[test]
fn with_no_display_it_says_so_and_starts_no_tray() {
    let data = tempdir("explainer-nodisplay");
    let out = run(&data, &[]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err,
        "gatewatch-explainer: no display to open a window on (DISPLAY and WAYLAND_DISPLAY are unset)\n"
    );
    assert!(
        names_in(&data).is_empty(),
        "a tray was started: {:?}",
        names_in(&data)
    );
    std::fs::remove_dir_all(&data).ok();
}
