//! Commands the explainer may call: small functions returning data or a typed error.
//! None blocks: they read the snapshot or hand a `Command` to the monitor task.

use gatewatch_core::driver::Command;
use gatewatch_core::monitor::Snooze;
use gatewatch_core::settings::{Config, Overrides, Settings};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

use crate::state::{Shared, View};

#[derive(Debug, thiserror::Error)]
pub enum CmdError {
    #[error("the monitor is not running")]
    MonitorGone,
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Save(String),
    #[error("cannot open the link: {0}")]
    Open(String),
    #[error("cannot close the window: {0}")]
    Window(String),
}

impl Serialize for CmdError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

/// The page asks for this once, when its script has run: the benchmark times "first paint"
/// by the log line.
#[tauri::command]
pub fn snapshot(state: State<'_, Shared>) -> View {
    tracing::info!("explainer loaded");
    state.view()
}

async fn send(state: &Shared, cmd: Command) -> Result<(), CmdError> {
    state
        .commands
        .send(cmd)
        .await
        .map_err(|_| CmdError::MonitorGone)
}

#[tauri::command]
pub async fn check_now(state: State<'_, Shared>) -> Result<(), CmdError> {
    send(&state, Command::CheckNow).await
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SnoozeKind {
    Hour,
    UntilRecovered,
}

#[tauri::command]
pub async fn snooze(state: State<'_, Shared>, kind: SnoozeKind) -> Result<(), CmdError> {
    let s = match kind {
        SnoozeKind::Hour => Snooze::For { ms: 3_600_000 },
        SnoozeKind::UntilRecovered => Snooze::UntilRecovered,
    };
    send(&state, Command::Snooze(s)).await
}

#[tauri::command]
pub async fn unsnooze(state: State<'_, Shared>) -> Result<(), CmdError> {
    send(&state, Command::Unsnooze).await
}

#[tauri::command]
pub fn get_settings(state: State<'_, Shared>) -> Settings {
    state.settings()
}

/// Validate and apply new settings. Nothing is saved unless every value is valid: the answer
/// names each bad value instead.
#[tauri::command]
pub async fn save_settings(
    app: AppHandle,
    state: State<'_, Shared>,
    settings: serde_json::Value,
) -> Result<Settings, CmdError> {
    let (new, cfg) = validate(&settings)?;
    crate::settings::save(&app, &new).map_err(|e| CmdError::Save(e.to_string()))?;
    let old = std::mem::replace(
        &mut *state.settings.lock().unwrap_or_else(|p| p.into_inner()),
        new.clone(),
    );
    if old.start_at_login != new.start_at_login {
        if let Err(e) = crate::apply_start_at_login(&app, new.start_at_login) {
            tracing::warn!("start at login: {e}");
        }
    }
    let lang = crate::resolve_lang(&new);
    *state.lang.write().unwrap_or_else(|p| p.into_inner()) = lang;
    if let Err(e) = crate::tray::relabel(&app, lang, new.start_at_login) {
        tracing::warn!("tray menu: {e}");
    }
    send(&state, Command::Reconfigure(Box::new(cfg))).await?;
    send(&state, Command::CheckNow).await?;
    Ok(new)
}

/// What `save_settings` accepts: every value valid (each bad one is named, a line each) and
/// together a usable configuration.
pub fn validate(settings: &serde_json::Value) -> Result<(Settings, Config), CmdError> {
    let (new, problems) = Settings::from_json(settings);
    if !problems.is_empty() {
        let lines: Vec<String> = problems.iter().map(|w| w.to_string()).collect();
        return Err(CmdError::Invalid(lines.join("\n")));
    }
    let cfg = new
        .to_config(&Overrides::from_env(|k| std::env::var(k).ok()), seed())
        .map_err(|e| CmdError::Invalid(e.to_string()))?;
    Ok((new, cfg))
}

fn seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64)
}

pub use gatewatch_core::links::Link;

pub fn open(app: &AppHandle, link: Link) {
    if let Err(e) = app.opener().open_url(link.url(), None::<&str>) {
        tracing::warn!("cannot open {}: {e}", link.url());
    }
}

#[tauri::command]
pub fn open_link(app: AppHandle, link: Link) -> Result<(), CmdError> {
    app.opener()
        .open_url(link.url(), None::<&str>)
        .map_err(|e| CmdError::Open(e.to_string()))
}

/// QR codes for the ChatGPT phone app in both stores, drawn by the explainer.
#[tauri::command]
pub fn phone_qr() -> crate::qr::PhoneCodes {
    crate::qr::phone_codes()
}

/// Close the explainer (Ctrl+W or Escape in the window). Closing destroys it, with its web
/// engine; the app stays in the tray.
#[tauri::command]
pub fn close_window(window: tauri::WebviewWindow) -> Result<(), CmdError> {
    window.close().map_err(|e| CmdError::Window(e.to_string()))
}
