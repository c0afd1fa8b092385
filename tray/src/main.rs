//! `gatewatch-app`: the command that starts Gatewatch. It is the resident tray process — the
//! monitor, the tray icon and its menu, notifications, the history — and links no web engine
//! (and, on Linux, no GTK), so that idling all day costs a few megabytes. The explainer window
//! is another program, started on demand (see `explainer`).
//!
//! # Layout
//! - `main.rs` (this file): arguments, single instance, the runtime, logging.
//! - [`app`]: the one owner of state, and its event loop.
//! - [`menu`]: what the tray shows, as data; [`icons`]: the icons, drawn in code.
//! - [`sni`] (Linux): the StatusNotifierItem tray; [`native`] (elsewhere): tray-icon + tao.
//! - [`instance`]: the local socket, single instance; [`clients`]: its connections.
//! - [`explainer`]: starting the explainer process; [`notify`], [`links`], [`autostart`],
//!   [`settings`], [`logging`].
//!
//! A second `gatewatch-app` asks the first for its explainer and exits; `--show` opens the
//! explainer at start; `--verbose` also logs to stderr.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod app;
mod autostart;
mod clients;
mod explainer;
mod icons;
#[cfg(unix)]
mod instance;
mod links;
mod logging;
mod menu;
#[cfg(not(target_os = "linux"))]
mod native;
mod notify;
mod settings;
#[cfg(target_os = "linux")]
mod sni;

use std::process::ExitCode;

#[cfg(unix)]
use gatewatch_core::ipc::{self, Page};

struct Args {
    verbose: bool,
    show: bool,
}

fn args() -> Args {
    let mut a = Args {
        verbose: false,
        show: false,
    };
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--verbose" | "-v" => a.verbose = true,
            "--show" => a.show = true,
            "--help" | "-h" => {
                println!(
                    "gatewatch-app: is ChatGPT down, and why? (in the system tray)\n\n\
                     usage: gatewatch-app [--show] [--verbose]\n  \
                     --show     open the explainer window at start\n  \
                     --verbose  also log to stderr\n  \
                     --version  print the version\n\n\
                     Run again while Gatewatch runs to open its explainer window."
                );
                std::process::exit(0);
            }
            "--version" | "-V" => {
                println!("gatewatch-app {}", env!("CARGO_PKG_VERSION"));
                std::process::exit(0);
            }
            // Launchers and desktop files may add arguments of their own: ignore them.
            other => eprintln!("gatewatch-app: ignoring unknown argument {other:?}"),
        }
    }
    a
}

fn main() -> ExitCode {
    let args = args();
    // One thread: a tray, a check a minute and a few D-Bus messages need no more, and every
    // thread costs memory that stays resident all day.
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("gatewatch: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let opts;
    #[cfg(unix)]
    {
        let socket = ipc::socket_path(|k| std::env::var(k).ok());
        // Single instance, before anything else: a second launch only hands over.
        let claimed = socket
            .as_deref()
            .map(|p| rt.block_on(async { instance::claim(p) }));
        let instance = match claimed {
            Some(Ok(instance::Claim::First(i))) => Some(i),
            Some(Ok(instance::Claim::Running)) => {
                let path = socket.as_deref().unwrap_or(std::path::Path::new(""));
                return match rt.block_on(instance::hand_over(path, Page::Status)) {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => {
                        eprintln!("gatewatch: {e}");
                        ExitCode::FAILURE
                    }
                };
            }
            Some(Err(e)) => {
                // The tray still works; only the explainer and single instance need the socket.
                eprintln!("gatewatch: {e}; running without the explainer window");
                None
            }
            None => {
                eprintln!("gatewatch: {NO_SOCKET}");
                None
            }
        };
        logging::init(logging::dir().as_deref(), args.verbose);
        opts = app::Options {
            verbose: args.verbose,
            show: args.show,
            socket: socket.filter(|_| instance.is_some()),
            instance,
        };
    }
    // Windows: the local channel would be a named pipe; it is not written yet, so there the
    // tray runs without single instance and without the explainer (see README).
    #[cfg(not(unix))]
    {
        logging::init(logging::dir().as_deref(), args.verbose);
        opts = app::Options {
            verbose: args.verbose,
            show: args.show,
            socket: None,
        };
    }

    #[cfg(target_os = "linux")]
    let result = rt.block_on(app::run(
        opts,
        Box::new(|model, events| Some(tokio::spawn(sni::run(model, events)))),
    ));
    #[cfg(not(target_os = "linux"))]
    let result = native::run(rt, opts);

    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("gatewatch: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(unix)]
const NO_SOCKET: &str = "no place for the local socket (set XDG_RUNTIME_DIR or \
                         GATEWATCH_DATA_DIR); running without the explainer window";
