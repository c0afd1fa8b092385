//! `gatewatch-app`: the command that starts Gatewatch. It is the resident tray process — the
//! monitor, the tray icon and its menu, notifications, the history — and links no web engine
//! (and, on Linux, no GTK), so that idling all day costs a few megabytes. The explainer window
//! is another program, started on demand (see `explainer`).
//!
//! # Layout
//! - `main.rs` (this file): arguments, single instance, the runtime, logging.
//! - [`app`]: the one owner of state, and its event loop.
//! - [`menu`]: what the tray shows, as data; [`icons`]: the icons, drawn in code.
//! - [`platform`]: what differs per platform, one module each (the tray backend and its loop,
//!   start at login, showing notifications, opening links, signals); [`sni`] (Linux): the
//!   StatusNotifierItem tray; [`native`] (Windows, macOS): tray-icon + tao.
//! - [`event`]: the closed set of events the app reads; [`clients`]: one connection on the
//!   local channel (the core's `channel`: a Unix socket, a named pipe on Windows).
//! - [`browser`]: the user's browser as a door (the host manifests written at start, the
//!   connected browsers' windows merged for the monitor).
//! - [`explainer`]: starting the explainer process; [`update`]: new versions (the daily
//!   check, and on Windows the installer); [`notify`], [`links`], [`autostart`],
//!   [`settings`], [`logging`].
//!
//! A second `gatewatch-app` asks the first for its explainer and exits; `--show` opens the
//! explainer at start; `--quit` asks the running one to quit; `--verbose` also logs to stderr.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod app;
mod autostart;
mod browser;
mod clients;
mod event;
mod explainer;
mod icons;
mod links;
mod logging;
mod menu;
#[cfg(not(target_os = "linux"))]
mod native;
mod notify;
mod platform;
mod settings;
#[cfg(target_os = "linux")]
mod sni;
mod update;

use std::process::ExitCode;

use gatewatch_core::channel::{self, Claim};
use gatewatch_core::ipc::{Page, ToTray};

struct Args {
    verbose: bool,
    show: bool,
    quit: bool,
}

fn args() -> Args {
    let mut a = Args {
        verbose: false,
        show: false,
        quit: false,
    };
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--verbose" | "-v" => a.verbose = true,
            "--show" => a.show = true,
            "--quit" => a.quit = true,
            "--help" | "-h" => {
                println!(
                    "gatewatch-app: is ChatGPT down, and why? (in the system tray)\n\n\
                     usage: gatewatch-app [--show] [--quit] [--verbose]\n  \
                     --show     open the explainer window at start\n  \
                     --quit     ask the running Gatewatch to quit (its history is saved)\n  \
                     --verbose  also log to stderr\n  \
                     --version  print the version\n\n\
                     Run again while Gatewatch runs to open its explainer window."
                );
                std::process::exit(0);
            }
            "--version" | "-V" => {
                println!("gatewatch-app {}", update::VERSION);
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
    let endpoint = channel::endpoint(|k| std::env::var(k).ok());
    if args.quit {
        return quit_running(&rt, endpoint.as_deref());
    }
    // Single instance, before anything else: a second launch only hands over.
    let claimed = endpoint
        .as_deref()
        .map(|p| rt.block_on(async { channel::claim(p) }));
    let listener = match claimed {
        Some(Ok(Claim::First(l))) => Some(l),
        Some(Ok(Claim::Running)) => {
            let path = endpoint.as_deref().unwrap_or(std::path::Path::new(""));
            return match rt.block_on(channel::hand_over(path, Page::Status)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("gatewatch: {e}");
                    ExitCode::FAILURE
                }
            };
        }
        Some(Err(e)) => {
            // The tray still works; only the explainer and single instance need the channel.
            eprintln!("gatewatch: {e}; running without the explainer window");
            None
        }
        None => {
            eprintln!(
                "gatewatch: {}; running without the explainer window",
                channel::ChannelError::NoPath
            );
            None
        }
    };
    logging::init(logging::dir().as_deref(), args.verbose);
    let opts = app::Options {
        verbose: args.verbose,
        show: args.show,
        socket: endpoint.filter(|_| listener.is_some()),
        listener,
    };
    let result = platform::run(rt, opts);

    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("gatewatch: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `--quit`: ask the running Gatewatch to quit; none running is not an error.
fn quit_running(rt: &tokio::runtime::Runtime, endpoint: Option<&std::path::Path>) -> ExitCode {
    let Some(endpoint) = endpoint else {
        eprintln!("gatewatch: {}", channel::ChannelError::NoPath);
        return ExitCode::FAILURE;
    };
    match rt.block_on(async { channel::claim(endpoint) }) {
        // Nobody had it: nothing to quit (and our claim goes at once).
        Ok(Claim::First(_)) => {
            println!("Gatewatch is not running");
            ExitCode::SUCCESS
        }
        Ok(Claim::Running) => match rt.block_on(channel::send_and_wait(endpoint, &ToTray::Quit)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("gatewatch: {e}");
                ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln!("gatewatch: {e}");
            ExitCode::FAILURE
        }
    }
}
