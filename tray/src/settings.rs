//! The tray reads `settings.json` through the core (the explainer writes it, with
//! tauri-plugin-store, and says so with `Reconfigure`). A damaged file is set aside as
//! `settings.json.corrupt-<time>` by the core's store, with a warning: at start, defaults are
//! used; on `Reconfigure`, the settings in use are kept and written back.

use std::path::{Path, PathBuf};

use gatewatch_core::settings::{Config, ConfigError, Overrides, Settings};
use gatewatch_core::store::{self, StoreError};
use gatewatch_core::text::{self, Lang, Then};

/// Gatewatch's data directory, shared with the `gatewatch` CLI.
pub fn data_dir() -> PathBuf {
    store::data_dir(|k| std::env::var(k).ok()).unwrap_or_else(|| PathBuf::from("."))
}

/// Load settings; never fails. Every problem comes back as a sentence for the user (a file that
/// could not be read, in the language of the defaults; what the system said goes to the log).
pub fn load(path: &Path, now_secs: u64) -> (Settings, Vec<String>) {
    read(path, now_secs).unwrap_or_else(|e| {
        tracing::warn!("{e}");
        let s = Settings::default();
        let words = text::store_problem(&e, Then::DefaultSettings, lang(&s));
        (s, vec![words])
    })
}

/// Read settings: a missing file is the defaults; a file that is not JSON at all is an error
/// (and set aside); fields that are wrong fall back one by one, each named in the sentences.
pub fn read(path: &Path, now_secs: u64) -> Result<(Settings, Vec<String>), StoreError> {
    Ok(match store::read_json(path, now_secs)? {
        Some(v) => {
            let (s, problems) = Settings::from_json(&v);
            (s, problems.iter().map(ToString::to_string).collect())
        }
        None => (Settings::default(), Vec::new()),
    })
}

pub fn save(path: &Path, s: &Settings) -> Result<(), StoreError> {
    let v = serde_json::to_value(s).map_err(|e| StoreError::Write {
        path: path.into(),
        source: std::io::Error::other(e),
    })?;
    store::write_json(path, &v)
}

/// The configuration the monitor runs with. A bad environment override is reported and the
/// real hosts are watched with defaults instead.
pub fn config(
    s: &mut Settings,
    warnings: &mut Vec<String>,
    seed: u64,
) -> Result<Config, ConfigError> {
    let overrides = Overrides::from_env(|k| std::env::var(k).ok());
    s.to_config(&overrides, seed).or_else(|e| {
        warnings.push(format!("{e}; using the default endpoints"));
        *s = Settings::default();
        s.to_config(&Overrides::default(), seed)
    })
}

/// The language: the stored choice, or the system's (the environment on Linux, the user's UI
/// languages on Windows and macOS).
pub fn lang(s: &Settings) -> Lang {
    s.language.resolve(Lang::system)
}
