//! Gatewatch's desktop shell: a tray icon over the core's monitor.
//!
//! # Layout
//! - `lib.rs` (this file): start-up and shutdown, in order.
//! - [`tray`]: the icon and its menu; [`icons`]: the icons, drawn in code.
//! - [`monitor`]: the bridge from the core's monitor task to tray, notifications, history, UI.
//! - [`notify`]: native notifications; [`windows`]: the explainer window, created on demand.
//! - [`commands`]: what the explainer may call; [`state`]: the snapshot it reads.
//! - [`settings`]: settings through tauri-plugin-store, validated by the core; [`logging`].
//!
//! The app starts with no window. One monitor task runs from setup to exit; it is told to stop
//! on `RunEvent::Exit`, and the history is saved before the process ends.

pub mod commands;
pub mod icons;
pub mod logging;
pub mod monitor;
pub mod notify;
pub mod qr;
pub mod settings;
pub mod state;
pub mod tray;
pub mod windows;

use std::sync::{Mutex, RwLock};

use gatewatch_core::driver::{self, Command};
use gatewatch_core::settings::{Overrides, Settings};
use gatewatch_core::store;
use gatewatch_core::text::Lang;
use tauri::{AppHandle, Manager, RunEvent};
use tauri_plugin_autostart::{MacosLauncher, ManagerExt as _};

use crate::state::{Shared, View};
use crate::windows::Page;

/// Kept in managed state so that exit can wait for the bridge to save the history.
struct Running {
    bridge: Mutex<Option<tauri::async_runtime::JoinHandle<()>>>,
    _log_guard: Option<tracing_appender::non_blocking::WorkerGuard>,
}

pub fn run() {
    let verbose = std::env::args().any(|a| a == "--verbose" || a == "-v");
    // Open the explainer at start too (a launcher entry, or WebDriver, which needs a window).
    let show = std::env::args().any(|a| a == "--show");
    let app = tauri::Builder::default()
        // First, so a second launch hands over before anything else starts.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            windows::open(app, Page::Status)
        }))
        .plugin(tauri_plugin_store::Builder::new().build())
        .plugin(tauri_plugin_autostart::init(
            MacosLauncher::LaunchAgent,
            None,
        ))
        .plugin(tauri_plugin_opener::init())
        .invoke_handler(tauri::generate_handler![
            commands::snapshot,
            commands::check_now,
            commands::snooze,
            commands::unsnooze,
            commands::get_settings,
            commands::save_settings,
            commands::open_link,
            commands::phone_qr,
            commands::close_window,
        ])
        .setup(move |app| {
            setup(app.handle(), verbose)?;
            if show {
                windows::open(app.handle(), Page::Status);
            }
            Ok(())
        })
        .build(tauri::generate_context!("../tauri.conf.json"));
    let app = match app {
        Ok(a) => a,
        Err(e) => {
            eprintln!("gatewatch: cannot start the desktop app: {e}");
            std::process::exit(1);
        }
    };
    app.run(|app, event| match event {
        // Closing the last window must not quit a tray app; only "Quit" (an explicit code) does.
        RunEvent::ExitRequested {
            code: None, api, ..
        } => api.prevent_exit(),
        RunEvent::Exit => shutdown(app),
        _ => {}
    });
}

pub fn resolve_lang(s: &Settings) -> Lang {
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .unwrap_or_default();
    s.language.resolve(&locale)
}

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn setup(app: &AppHandle, verbose: bool) -> Result<(), Box<dyn std::error::Error>> {
    let log_guard = logging::init(app.path().app_log_dir().ok().as_deref(), verbose);
    let data_dir = settings::data_dir(app);
    tracing::info!(version = env!("CARGO_PKG_VERSION"), data = %data_dir.display(), "Gatewatch starting");

    let (mut s, mut warnings) = settings::load(app, now_secs());
    let overrides = Overrides::from_env(|k| std::env::var(k).ok());
    let cfg = match s.to_config(&overrides, now_secs() ^ u64::from(std::process::id())) {
        Ok(c) => c,
        Err(e) => {
            // A bad environment override: say so, and watch the real hosts with defaults.
            warnings.push(format!("{e}; using the default endpoints"));
            s = Settings::default();
            s.to_config(&Overrides::default(), now_secs())?
        }
    };
    for w in &warnings {
        tracing::warn!("{w}");
    }
    let lang = resolve_lang(&s);

    let history_path = data_dir.join(store::HISTORY_FILE);
    let (history, history_problem) = store::load_history(&history_path, now_secs());
    if let Some(p) = history_problem {
        tracing::warn!("{p}");
        warnings.push(p);
    }

    if let Err(e) = apply_start_at_login(app, s.start_at_login) {
        tracing::warn!("start at login: {e}");
    }

    // The monitor task and its bridge run on Tauri's runtime, from here until exit.
    let handle = tauri::async_runtime::block_on(async { driver::spawn(cfg) })?;
    app.manage(Shared {
        commands: handle.commands.clone(),
        view: RwLock::new(View {
            warnings: warnings.clone(),
            lang: lang.code(),
            ..View::default()
        }),
        settings: Mutex::new(s.clone()),
        lang: RwLock::new(lang),
    });
    tray::create(app, lang, s.start_at_login)?;
    let bridge = tauri::async_runtime::spawn(monitor::bridge(
        app.clone(),
        handle.outputs,
        history,
        history_path,
    ));
    app.manage(Running {
        bridge: Mutex::new(Some(bridge)),
        _log_guard: log_guard,
    });

    quit_on_signals(app);

    if !warnings.is_empty() {
        notify::show(
            app,
            gatewatch_core::notice::Notice {
                title: if lang == Lang::It {
                    "Gatewatch: impostazioni ripristinate"
                } else {
                    "Gatewatch: settings reset"
                }
                .into(),
                body: warnings.join("\n"),
                urgency: gatewatch_core::notice::Urgency::Normal,
                kind: "warning",
            },
        );
    }
    Ok(())
}

/// SIGTERM (logout, `kill`) and SIGINT (Ctrl-C with `--verbose`) quit cleanly, like "Quit":
/// the monitor stops and the history is saved.
fn quit_on_signals(app: &AppHandle) {
    #[cfg(unix)]
    {
        let app = app.clone();
        tauri::async_runtime::spawn(async move {
            use tokio::signal::unix::{signal, SignalKind};
            let (Ok(mut term), Ok(mut int)) = (
                signal(SignalKind::terminate()),
                signal(SignalKind::interrupt()),
            ) else {
                tracing::warn!("cannot listen for SIGTERM/SIGINT");
                return;
            };
            tokio::select! {
                _ = term.recv() => tracing::info!("SIGTERM: quitting"),
                _ = int.recv() => tracing::info!("SIGINT: quitting"),
            }
            app.exit(0);
        });
    }
    #[cfg(not(unix))]
    let _unused = app;
}

pub fn apply_start_at_login(
    app: &AppHandle,
    on: bool,
) -> Result<(), tauri_plugin_autostart::Error> {
    let launcher = app.autolaunch();
    if launcher.is_enabled()? == on {
        return Ok(());
    }
    if on {
        launcher.enable()
    } else {
        launcher.disable()
    }
}

/// Stop the monitor and wait (briefly) for the bridge to save the history.
fn shutdown(app: &AppHandle) {
    let Some(shared) = app.try_state::<Shared>() else {
        return;
    };
    if shared.commands.try_send(Command::Shutdown).is_err() {
        tracing::warn!("monitor already stopped");
    }
    let bridge = app
        .try_state::<Running>()
        .and_then(|r| r.bridge.lock().unwrap_or_else(|p| p.into_inner()).take());
    if let Some(b) = bridge {
        let waited = tauri::async_runtime::block_on(async {
            tokio::time::timeout(std::time::Duration::from_secs(5), b).await
        });
        if waited.is_err() {
            tracing::error!("the monitor did not stop in time; history may miss its last minutes");
        }
    }
    tracing::info!("Gatewatch stopped");
}
