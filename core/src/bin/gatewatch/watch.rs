//! `gatewatch watch`: run the monitor, print a line per change, record history, optionally notify
//! (`--notify`: the desktop, when the `notifications` setting is on, and the `channels`).

use std::io::Write;
use std::time::{Duration, Instant};

use gatewatch_core::alert::{self, Alert};
use gatewatch_core::diagnose::Verdict;
use gatewatch_core::driver::{self, Command, Output};
use gatewatch_core::history::{History, Record};
use gatewatch_core::i18n;
use gatewatch_core::monitor::{Status, Transition};
use gatewatch_core::notice::Notice;
use gatewatch_core::settings::Config;
use gatewatch_core::store;
use gatewatch_core::text::{self, Lang};
use gatewatch_core::view;
use serde_json::json;

use crate::args::{Format, Watch};
use crate::{local_offset_minutes, now_ms, Env, Fatal};

/// Samples are flushed to disk at most this often; outages are written at once.
const SAVE_EVERY: Duration = Duration::from_secs(300);
/// At the end, notices still on their way to a channel get this long.
const CHANNELS_GRACE: Duration = Duration::from_secs(5);

pub async fn run(w: Watch, cfg: Config, env: Env) -> Result<u8, Fatal> {
    let lang = env.lang;
    let history_path = if w.no_history {
        None
    } else {
        env.data_dir.as_ref().map(|d| d.join(store::HISTORY_FILE))
    };
    let mut history = match &history_path {
        Some(p) => {
            let (h, problem) = store::load_history(p, now_ms() as u64 / 1000);
            if let Some(e) = problem {
                let words = text::store_problem(&e, text::Then::NewHistory, lang);
                eprintln!("gatewatch: warning: {words}");
            }
            h
        }
        None => History::default(),
    };
    let cfg_proxy = cfg.proxy.clone();
    let loopback = cfg.endpoints.all_loopback();
    let driver::Handle {
        commands,
        mut outputs,
        task,
    } = driver::spawn(cfg).map_err(|e| Fatal::usage(e.to_string()))?;
    let mut last_printed: Option<Verdict> = None;
    let mut note: Option<String> = None;
    let mut last_warning: Option<String> = None;
    let mut last_save = Instant::now();
    let mut dirty = false;
    let mut stdout = std::io::stdout().lock();
    let mut stop = Box::pin(shutdown_signal());
    // The channels get the same notices as the desktop, from a task of their own.
    let (mut channels, mut reports) = match w.notify && !env.settings.channels.is_empty() {
        true => {
            let (h, r) = alert::send::spawn(alert::send::Setup {
                channels: env.settings.channels.clone(),
                proxy: cfg_proxy,
                loopback,
            });
            (Some(h), Some(r))
        }
        false => (None, None),
    };
    let mut sent: u64 = 0;

    loop {
        let out = tokio::select! {
            o = outputs.recv() => o,
            Some(r) = async { reports.as_mut()?.recv().await }, if reports.is_some() => {
                if let alert::send::Report::Log(line) = r {
                    eprintln!("gatewatch: {line}");
                }
                continue;
            }
            _ = &mut stop => None,
        };
        let Some(out) = out else { break };
        match out {
            Output::Changed(status) => {
                if let Some(c) = &channels {
                    // A notice while this computer is offline waits for the network.
                    let online = status.verdict != Verdict::Offline;
                    c.commands
                        .send(alert::send::Command::Online(online))
                        .await
                        .ok();
                }
                if last_printed == Some(status.verdict) {
                    continue;
                }
                last_printed = Some(status.verdict);
                let line = format_line(w.format, &status, note.take(), lang);
                if writeln!(stdout, "{line}")
                    .and_then(|_| stdout.flush())
                    .is_err()
                {
                    break; // stdout closed (piped into `head`, bar restarted): nothing left to do.
                }
            }
            Output::Notify(t, status) => {
                if let Transition::Recovered { downtime_ms, .. } = &t {
                    note = Some(i18n::tf(
                        lang,
                        "cli-back-after",
                        &[("duration", text::duration(*downtime_ms, lang).into())],
                    ));
                }
                if let Some(c) = &channels {
                    sent += 1;
                    let a =
                        Alert::compose(&t, &status, lang, local_offset_minutes(), now_ms(), sent);
                    c.commands
                        .send(alert::send::Command::Alert(Box::new(a)))
                        .await
                        .ok();
                }
                // The monitor decides notices for the channels too: the desktop shows them
                // only when the `notifications` setting is on.
                if w.notify && env.settings.notifications {
                    deliver(
                        Notice::render(&t, lang, local_offset_minutes()),
                        &mut last_warning,
                    )
                    .await;
                }
            }
            Output::Record(r) => {
                let important = !matches!(r, Record::Sample(_));
                history.apply(r);
                dirty = true;
                if important || last_save.elapsed() >= SAVE_EVERY {
                    save(&history_path, &history, &mut last_warning, lang);
                    last_save = Instant::now();
                    dirty = false;
                }
            }
            Output::StatusPageUnread(f) => {
                let words = text::page_error(f.error, lang);
                let line = i18n::tf(
                    lang,
                    "cli-status-page-unreadable",
                    &[("error", words.into())],
                );
                warn_once(&mut last_warning, line);
            }
            Output::Warning(m) | Output::Log(m) => warn_once(&mut last_warning, m),
            // The monitor starts over and checks at once; the line printed is the check's.
            Output::NetworkChanged(_) | Output::Checking | Output::Checked { .. } => {}
        }
    }
    // Ask the monitor task to stop and wait for it, so no request is left half-done.
    if commands.send(Command::Shutdown).await.is_ok() {
        task.await.ok();
    }
    if dirty {
        save(&history_path, &history, &mut last_warning, lang);
    }
    // What is still on its way to a channel gets a few seconds.
    if let Some(c) = channels.take() {
        c.close(CHANNELS_GRACE).await;
    }
    Ok(0)
}

fn save(
    path: &Option<std::path::PathBuf>,
    h: &History,
    last_warning: &mut Option<String>,
    lang: Lang,
) {
    if let Some(p) = path {
        if let Err(e) = store::save_history(p, h) {
            warn_once(
                last_warning,
                text::store_problem(&e, text::Then::Nothing, lang),
            );
        }
    }
}

fn warn_once(last: &mut Option<String>, m: String) {
    if last.as_deref() != Some(m.as_str()) {
        eprintln!("gatewatch: warning: {m}");
        *last = Some(m);
    }
}

#[cfg(feature = "notify")]
async fn deliver(n: Notice, last_warning: &mut Option<String>) {
    let shown = tokio::task::spawn_blocking(move || {
        let mut note = notify_rust::Notification::new();
        note.appname("Gatewatch").summary(&n.title).body(&n.body);
        // macOS notifications have no urgency to set.
        #[cfg(not(target_os = "macos"))]
        note.urgency(match n.urgency {
            gatewatch_core::notice::Urgency::Critical => notify_rust::Urgency::Critical,
            gatewatch_core::notice::Urgency::Normal => notify_rust::Urgency::Normal,
        });
        note.show().map(|_| ()).map_err(|e| e.to_string())
    })
    .await;
    match shown {
        Ok(Ok(())) => {}
        Ok(Err(e)) => warn_once(last_warning, format!("cannot show a notification: {e}")),
        Err(e) => warn_once(last_warning, format!("cannot show a notification: {e}")),
    }
}

#[cfg(not(feature = "notify"))]
async fn deliver(_n: Notice, last_warning: &mut Option<String>) {
    warn_once(
        last_warning,
        "this build has no notification support (feature `notify`)".into(),
    );
}

pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Waybar/polybar CSS class: one per colour family.
fn class(v: Verdict) -> &'static str {
    match v {
        Verdict::Up => "up",
        Verdict::Degraded => "degraded",
        Verdict::Blocked => "blocked",
        Verdict::BadGateway | Verdict::OriginError | Verdict::EdgeError => "down",
        Verdict::Offline => "offline",
        Verdict::Unknown => "unknown",
    }
}

pub fn format_line(format: Format, status: &Status, note: Option<String>, lang: Lang) -> String {
    let offset = local_offset_minutes();
    let summary = view::summary_with_note(status, note.as_deref(), lang);
    match format {
        Format::Text => {
            let now = chrono::Local::now().format("%Y-%m-%d %H:%M:%S");
            format!("{now}  {:<12} {summary}", status.verdict.as_str())
        }
        Format::Json => view::line_json(status, note, lang, now_ms()).to_string(),
        Format::Waybar => {
            let short = match status.verdict {
                Verdict::Up => "✓".to_string(),
                Verdict::Degraded => "slow".into(),
                Verdict::Blocked => "blocked".into(),
                Verdict::BadGateway | Verdict::OriginError | Verdict::EdgeError => status
                    .diagnosis
                    .as_ref()
                    .and_then(|d| d.http_status)
                    .map_or_else(|| "down".into(), |s| s.to_string()),
                Verdict::Offline => "offline".into(),
                Verdict::Unknown => "?".into(),
            };
            let mut tooltip = summary.clone();
            if let Some(since) = status.since_wall_ms {
                let time = text::clock(since, offset, lang);
                tooltip.push('\n');
                tooltip.push_str(&i18n::tf(lang, "cli-since", &[("time", time.into())]));
            }
            if let Some(a) = status.diagnosis.as_ref().and_then(|d| d.advice.first()) {
                tooltip.push_str(&format!("\n{}", text::advice(*a, lang)));
            }
            json!({
                "text": format!("ChatGPT {short}"),
                "tooltip": tooltip,
                "class": class(status.verdict),
                "alt": status.verdict.as_str(),
            })
            .to_string()
        }
    }
}
