//! The bridge between the core's monitor task and the desktop: it is the only reader of the
//! task's outputs and the only writer of the snapshot, the history and the tray's look.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use gatewatch_core::driver::Output;
use gatewatch_core::history::{History, Record};
use gatewatch_core::notice::Notice;
use gatewatch_core::report::Report;
use gatewatch_core::store;
use tauri::{AppHandle, Emitter, Manager};
use tokio::sync::mpsc;

use crate::state::{HistoryView, Shared};
use crate::{notify, tray};

/// Samples are written at most this often; outages at once.
const SAVE_EVERY: Duration = Duration::from_secs(300);

pub const UPDATE_EVENT: &str = "gatewatch://update";

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

fn offset_minutes() -> i32 {
    chrono::Local::now().offset().local_minus_utc() / 60
}

/// Run until the monitor task ends (after `Shutdown`), then save the history.
pub async fn bridge(
    app: AppHandle,
    mut outputs: mpsc::Receiver<Output>,
    mut history: History,
    history_path: PathBuf,
) {
    let mut last_save = Instant::now();
    let mut dirty = false;
    let mut status_error: Option<String> = None;
    let now = now_ms();
    let shared = app.state::<Shared>();
    shared.update_view(|v| v.history = HistoryView::of(&history, now, shared.lang()));

    while let Some(out) = outputs.recv().await {
        let lang = shared.lang();
        match out {
            Output::Checking => {
                shared.update_view(|v| v.checking = true);
                emit(&app);
            }
            Output::Checked {
                observation,
                diagnosis,
                status,
            } => {
                let report = Report::new(
                    &observation,
                    &diagnosis,
                    status_error.take().as_deref(),
                    lang,
                    now_ms(),
                );
                tray::show(&app, &status, lang, offset_minutes());
                let now = now_ms();
                shared.update_view(|v| v.checked(report, *status, &history, now, lang));
                emit(&app);
            }
            Output::Changed(status) => {
                tray::show(&app, &status, lang, offset_minutes());
                shared.set_status(*status, lang);
                emit(&app);
            }
            Output::Notify(t) => notify::show(&app, Notice::render(&t, lang, offset_minutes())),
            Output::Record(r) => {
                let important = !matches!(r, Record::Sample(_));
                history.apply(r);
                dirty = true;
                if important || last_save.elapsed() >= SAVE_EVERY {
                    save(&history, &history_path);
                    last_save = Instant::now();
                    dirty = false;
                }
            }
            Output::Warning(m) => {
                tracing::warn!("{m}");
                status_error = Some(m);
            }
        }
    }
    if dirty {
        save(&history, &history_path);
    }
    tracing::info!("monitor stopped; history saved");
}

fn save(history: &History, path: &Path) {
    if let Err(e) = store::save_history(path, history) {
        tracing::error!("history not saved: {e}");
    }
}

fn emit(app: &AppHandle) {
    let view = app.state::<Shared>().view();
    if let Err(e) = app.emit(UPDATE_EVENT, view) {
        tracing::warn!("cannot update the explainer: {e}");
    }
}
