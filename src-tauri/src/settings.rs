//! Settings on disk through tauri-plugin-store, validated by the core on the way in. The
//! explainer writes them; the tray process reads them when told (`Reconfigure`).
//!
//! The store plugin treats a file it cannot parse as empty (and would later overwrite it), so
//! the file is first read by the core's `store::read_json`, which moves a damaged file aside as
//! `settings.json.corrupt-<time>` and says so; only then is the store opened.

use std::path::{Path, PathBuf};

use gatewatch_core::settings::Settings;
use gatewatch_core::store;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_store::StoreExt;

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot open the settings store {path}: {source}")]
    Open {
        path: PathBuf,
        source: tauri_plugin_store::Error,
    },
    #[error("cannot save settings to {path}: {source}")]
    Save {
        path: PathBuf,
        source: tauri_plugin_store::Error,
    },
    #[error("cannot make {path} private to you: {source}")]
    Private {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl SettingsError {
    /// What the system answered, as a kind to say in words (the rest goes to the log).
    pub fn io_kind(&self) -> std::io::ErrorKind {
        match self {
            SettingsError::Open { source, .. } | SettingsError::Save { source, .. } => match source
            {
                tauri_plugin_store::Error::Io(e) => e.kind(),
                _ => std::io::ErrorKind::Other,
            },
            SettingsError::Private { source, .. } => source.kind(),
        }
    }
}

/// Where Gatewatch keeps its files: shared with the `gatewatch` CLI, so both see the same
/// settings and history. Falls back to the app data dir where the platform's is unknown.
pub fn data_dir<R: Runtime>(app: &AppHandle<R>) -> PathBuf {
    store::data_dir(|k| std::env::var(k).ok())
        .or_else(|| app.path().app_data_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."))
}

pub fn path<R: Runtime>(app: &AppHandle<R>) -> PathBuf {
    data_dir(app).join(store::SETTINGS_FILE)
}

/// Load settings as they are on disk now; never fails. Every problem comes back as a sentence
/// for the user. The tray process writes this file too ("Start at login" in its menu), so the
/// store is read afresh each time rather than trusted from an earlier read.
pub fn load<R: Runtime>(app: &AppHandle<R>) -> (Settings, Vec<String>) {
    let path = path(app);
    let mut warnings = Vec::new();
    if let Err(e) = store::read_json(&path, now_secs()) {
        warnings.push(e.to_string());
    }
    let store = match app.store_builder(&path).disable_auto_save().build() {
        Ok(s) => s,
        Err(source) => {
            warnings.push(SettingsError::Open { path, source }.to_string());
            return (Settings::default(), warnings);
        }
    };
    store.clear();
    if path.exists() {
        if let Err(source) = store.reload_ignore_defaults() {
            warnings.push(SettingsError::Open { path, source }.to_string());
        }
    }
    let object: serde_json::Map<String, serde_json::Value> = store.entries().into_iter().collect();
    let (settings, problems) = Settings::from_json(&serde_json::Value::Object(object));
    warnings.extend(problems.into_iter().map(|w| w.to_string()));
    (settings, warnings)
}

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

pub fn save<R: Runtime>(app: &AppHandle<R>, settings: &Settings) -> Result<(), SettingsError> {
    let path = path(app);
    save_at(app, &path, settings)
}

fn save_at<R: Runtime>(
    app: &AppHandle<R>,
    path: &Path,
    settings: &Settings,
) -> Result<(), SettingsError> {
    let store = app
        .store_builder(path)
        .disable_auto_save()
        .build()
        .map_err(|source| SettingsError::Open {
            path: path.into(),
            source,
        })?;
    if let Ok(serde_json::Value::Object(map)) = serde_json::to_value(settings) {
        store.clear();
        for (k, v) in map {
            store.set(k, v);
        }
    }
    store.save().map_err(|source| SettingsError::Save {
        path: path.into(),
        source,
    })?;
    // It may hold a proxy password: the user's eyes only (0600 on Unix).
    store::make_private(path).map_err(|e| SettingsError::Private {
        path: path.into(),
        source: e,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use gatewatch_core::text::{self, Lang};
    use std::io::{Error, ErrorKind};

    /// The page says why settings were not saved in words; the store's error is for the log.
    #[test]
    fn a_failed_save_is_said_by_the_systems_answer() {
        let full = SettingsError::Save {
            path: "settings.json".into(),
            source: tauri_plugin_store::Error::Io(Error::from(ErrorKind::StorageFull)),
        };
        assert_eq!(full.io_kind(), ErrorKind::StorageFull);
        assert_eq!(
            text::not_saved(store::SETTINGS_FILE, full.io_kind(), Lang::EN),
            "settings.json could not be saved: the disk is full."
        );
        let private = SettingsError::Private {
            path: "settings.json".into(),
            source: Error::from(ErrorKind::PermissionDenied),
        };
        assert_eq!(private.io_kind(), ErrorKind::PermissionDenied);
        let odd = SettingsError::Save {
            path: "settings.json".into(),
            source: tauri_plugin_store::Error::SerializeFunctionNotFound("x".into()),
        };
        let ja = Lang::from_tag("ja").unwrap();
        assert_eq!(
            text::not_saved(store::SETTINGS_FILE, odd.io_kind(), ja),
            "settings.jsonを保存できませんでした：システムが拒否しました（詳細はログにあります）。"
        );
    }
}
