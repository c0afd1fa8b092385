//! Gatewatch's explainer window: a process of its own, started on demand by the tray process
//! (`gatewatch-app`), gone when its window closes. It shows what the tray's monitor found; it
//! never probes.
//!
//! # Layout
//! - `lib.rs` (this file): start-up, in order: connect to the tray, then the window.
//! - [`session`]: the line to the tray process (view in, commands out).
//! - [`commands`]: what the page may call; [`windows`]: the one window.
//! - [`settings`]: settings through tauri-plugin-store, validated by the core; [`qr`]; [`logging`].
//! - `platform`: what a window needs on each platform (a display; the WebView2 Runtime).
//!
//! It connects before it builds any window, so a second explainer (or one with no tray to talk
//! to) ends at once, and the page's first `snapshot` is answered from the view already here.

pub mod commands;
pub mod logging;
mod platform;
pub mod qr;
pub mod session;
pub mod settings;
pub mod windows;

use std::path::PathBuf;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Mutex;

use gatewatch_core::channel;
use gatewatch_core::ipc::SOCKET_ENV;
use tauri::Manager;

use crate::session::Hello;

fn fail(msg: impl std::fmt::Display) -> ! {
    eprintln!("gatewatch-explainer: {msg}");
    std::process::exit(1);
}

const USAGE: &str = "gatewatch-explainer: Gatewatch's window: what failed, why, and what to do

usage: gatewatch-explainer [--page status|settings] [--verbose]
  --page     the page to open (default: status)
  --verbose  also log to stderr
  --version  print the version

The tray process (gatewatch-app) starts it on demand. Started by hand, it attaches to the
running tray, and starts one if none runs. It closes with its window.";

pub fn run() {
    let args: Vec<String> = std::env::args().collect();
    let flag = |names: &[&str]| args.iter().skip(1).any(|a| names.contains(&a.as_str()));
    if flag(&["--help", "-h"]) {
        println!("{USAGE}");
        return;
    }
    if flag(&["--version", "-V"]) {
        println!("gatewatch-explainer {}", env!("CARGO_PKG_VERSION"));
        return;
    }
    // What the platform's web engine needs, before anything else: failing later would panic,
    // or leave a tray started for nothing.
    if let Err(why) = platform::can_open_a_window() {
        fail(why);
    }
    let verbose = flag(&["--verbose", "-v"]);
    let page = session::page_from_args(&args);
    // Started by the tray, we are told where it listens; started by hand, we look where the
    // tray would listen, and start it if it is not running.
    let from_tray = std::env::var_os(SOCKET_ENV).is_some();
    let socket: PathBuf = channel::endpoint(|k| std::env::var(k).ok())
        .unwrap_or_else(|| fail(channel::ChannelError::NoPath));
    let hello = tauri::async_runtime::block_on(session::open(&socket, !from_tray));
    let (tray, pumps) = match hello {
        Ok(Hello::Ready(tray, pumps)) => (tray, pumps),
        Ok(Hello::Busy) => {
            eprintln!("gatewatch-explainer: the explainer is already open; it was brought forward");
            return;
        }
        Err(e) => fail(e),
    };
    let title = session::title(&tray.view());

    let app = tauri::Builder::default()
        .plugin(tauri_plugin_store::Builder::new().build())
        .plugin(tauri_plugin_opener::init())
        .manage(tray)
        .invoke_handler(tauri::generate_handler![
            commands::snapshot,
            commands::check_now,
            commands::snooze,
            commands::unsnooze,
            commands::get_settings,
            commands::save_settings,
            commands::test_channel,
            commands::open_link,
            commands::phone_qr,
            commands::close_window,
            commands::texts,
        ])
        .setup(move |app| {
            let guard = logging::init(app.path().app_log_dir().ok().as_deref(), verbose);
            *LOG_GUARD.lock().unwrap_or_else(|e| e.into_inner()) = guard;
            windows::open(app.handle(), page, &title)?;
            session::start(app.handle(), pumps);
            tracing::info!(page = page.as_str(), "explainer window shown");
            Ok(())
        })
        .build(tauri::generate_context!("../tauri.conf.json"));
    match app {
        // Closing the window ends the run loop, and with it the process.
        Ok(app) => app.run(|_, event| match event {
            tauri::RunEvent::ExitRequested { code, .. } => {
                EXIT_CODE.store(code.unwrap_or(0), Ordering::SeqCst);
            }
            tauri::RunEvent::Exit => {
                // Flush the log first: the process ends without its usual teardown.
                drop(LOG_GUARD.lock().unwrap_or_else(|e| e.into_inner()).take());
                platform::leave(EXIT_CODE.load(Ordering::SeqCst));
            }
            _ => {}
        }),
        Err(e) => fail(format!("cannot start the window: {e}")),
    }
}

/// Keeps the log writer flushing for as long as the app lives; dropped (flushed) just before
/// the process ends.
static LOG_GUARD: Mutex<Option<tracing_appender::non_blocking::WorkerGuard>> = Mutex::new(None);

/// The code the session asked to end with (`app.exit`), 0 when the window was closed.
static EXIT_CODE: AtomicI32 = AtomicI32::new(0);
