//! Commands the explainer's page may call: small functions returning data or a typed error.
//! Their names and arguments are the page's interface (ui/app.js) and stay as they were when the
//! window lived in the tray process; now they read the view the tray sent, or send it a command.
//! None blocks.

use gatewatch_core::ipc::{SnoozeKind, ToTray};
use gatewatch_core::settings::{Config, Overrides, Settings};
use gatewatch_core::store;
use gatewatch_core::text::{self, Lang};
use serde::Serialize;
use serde_json::Value;
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

pub use gatewatch_core::links::Link;

use crate::session::Tray;

#[derive(Debug, thiserror::Error)]
pub enum CmdError {
    #[error("Gatewatch is not running")]
    TrayGone,
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

/// The page asks for this once, when its script has run: the benchmark times "data on
/// screen" by the log line.
#[tauri::command]
pub fn snapshot(tray: State<'_, Tray>) -> Value {
    tracing::info!("explainer loaded");
    tray.view()
}

async fn send(tray: &Tray, msg: ToTray) -> Result<(), CmdError> {
    tray.send(msg).await.map_err(|()| CmdError::TrayGone)
}

#[tauri::command]
pub async fn check_now(tray: State<'_, Tray>) -> Result<(), CmdError> {
    send(&tray, ToTray::CheckNow).await
}

#[tauri::command]
pub async fn snooze(tray: State<'_, Tray>, kind: SnoozeKind) -> Result<(), CmdError> {
    send(&tray, ToTray::Snooze { kind }).await
}

#[tauri::command]
pub async fn unsnooze(tray: State<'_, Tray>) -> Result<(), CmdError> {
    send(&tray, ToTray::Unsnooze).await
}

/// What is on disk now (the tray's menu may have changed "start at login" meanwhile).
#[tauri::command]
pub fn get_settings(app: AppHandle) -> Settings {
    let (settings, warnings) = crate::settings::load(&app);
    for w in warnings {
        tracing::warn!("{w}");
    }
    settings
}

/// Validate and save new settings, then have the tray apply them. Nothing is saved unless
/// every value is valid: the answer names each bad value instead.
#[tauri::command]
pub async fn save_settings(
    app: AppHandle,
    tray: State<'_, Tray>,
    settings: Value,
) -> Result<Settings, CmdError> {
    let (new, _cfg) = validate(&settings)?;
    crate::settings::save(&app, &new).map_err(|e| {
        // The system's words to the log; the page says it in the language it is showing.
        tracing::warn!("{e}");
        let lang = tray.view()["lang"]
            .as_str()
            .and_then(Lang::from_tag)
            .unwrap_or(Lang::EN);
        CmdError::Save(text::not_saved(store::SETTINGS_FILE, e.io_kind(), lang))
    })?;
    send(&tray, ToTray::Reconfigure).await?;
    Ok(new)
}

/// What `save_settings` accepts: every value valid (each bad one is named, a line each) and
/// together a usable configuration.
pub fn validate(settings: &Value) -> Result<(Settings, Config), CmdError> {
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

/// "Send a test" to the saved channel at `index`; how it went comes back in the view.
#[tauri::command]
pub async fn test_channel(tray: State<'_, Tray>, index: usize) -> Result<(), CmdError> {
    send(&tray, ToTray::TestChannel { index }).await
}

#[tauri::command]
pub fn open_link(app: AppHandle, link: Link) -> Result<(), CmdError> {
    app.opener()
        .open_url(link.url(), None::<&str>)
        .map_err(|e| CmdError::Open(e.to_string()))
}

/// QR codes for the ChatGPT phone app in both stores, drawn by the explainer.
/// The window's messages for a language: its Fluent files and English's (core/locales/).
#[tauri::command]
pub fn texts(lang: String) -> gatewatch_core::i18n::Texts {
    gatewatch_core::i18n::Texts::of(&lang)
}

#[tauri::command]
pub fn phone_qr() -> crate::qr::PhoneCodes {
    crate::qr::phone_codes()
}

/// Close the explainer (Ctrl+W or Escape in the window). Its process ends with it.
#[tauri::command]
pub fn close_window(window: tauri::WebviewWindow) -> Result<(), CmdError> {
    window.close().map_err(|e| CmdError::Window(e.to_string()))
}
