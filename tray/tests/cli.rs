//! The tray program's own arguments, without a desktop: `--version` and `--help` answer and exit
//! at once, and start nothing (no socket, no monitor, no files).

use std::process::Command;

use gatewatch_fakes::session::{names_in, run_briefly, tempdir};

const APP: &str = env!("CARGO_BIN_EXE_gatewatch-app");

#[test]
fn version_and_help_answer_and_start_nothing() {
    let data = tempdir("tray-args");
    let run = |arg: &str| {
        run_briefly(
            Command::new(APP)
                .arg(arg)
                .env("GATEWATCH_DATA_DIR", &data)
                .env("XDG_RUNTIME_DIR", &data),
            10,
        )
        .unwrap_or_else(|| panic!("gatewatch-app {arg} did not exit"))
    };

    let out = run("--version");
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("gatewatch-app {}\n", env!("CARGO_PKG_VERSION"))
    );
    let out = run("-V");
    assert!(out.status.success(), "{out:?}");

    let out = run("--help");
    assert!(out.status.success(), "{out:?}");
    let help = String::from_utf8_lossy(&out.stdout);
    for word in ["usage: gatewatch-app", "--show", "--verbose", "--version"] {
        assert!(help.contains(word), "{word:?} not in {help}");
    }

    let left = names_in(&data);
    assert!(left.is_empty(), "it started after all: {left:?}");
    std::fs::remove_dir_all(&data).ok();
}
