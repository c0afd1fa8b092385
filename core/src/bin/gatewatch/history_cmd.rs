//! `gatewatch history`: recorded outages and uptime.

use gatewatch_core::history::{DAY_MS, WEEK_MS};
use gatewatch_core::store;
use gatewatch_core::text::{self, Lang};
use serde_json::json;

use crate::{now_ms, Env, Fatal};

pub fn run(env: &Env, as_json: bool, limit: usize) -> Result<u8, Fatal> {
    let Some(dir) = &env.data_dir else {
        return Err(Fatal::usage(
            "no data directory: set GATEWATCH_DATA_DIR or HOME, or pass --data-dir",
        ));
    };
    let path = dir.join(store::HISTORY_FILE);
    let (history, problem) = store::load_history(&path, now_ms() as u64 / 1000);
    if let Some(p) = problem {
        return Err(Fatal::io(p));
    }
    let now = now_ms();
    let (day, week) = (history.uptime(now, DAY_MS), history.uptime(now, WEEK_MS));
    let outages: Vec<_> = history.outages.iter().rev().take(limit).collect();
    let lang = env.lang;
    if as_json {
        let v = json!({
            "file": path.display().to_string(),
            "uptime_24h": day.map(|u| u.ratio),
            "uptime_7d": week.map(|u| u.ratio),
            "observed_24h_ms": day.map(|u| u.observed_ms),
            "observed_7d_ms": week.map(|u| u.observed_ms),
            "outages": outages,
        });
        println!("{v}");
        return Ok(0);
    }
    let pct = |u: Option<gatewatch_core::history::Uptime>| {
        u.map_or_else(|| "—".to_string(), |u| format!("{:.2}%", u.ratio * 100.0))
    };
    let t = |en: &'static str, it: &'static str| if lang == Lang::It { it } else { en };
    println!(
        "{}: 24 h {} · 7 d {}",
        t("Uptime", "Disponibilità"),
        pct(day),
        pct(week)
    );
    if outages.is_empty() {
        println!(
            "{}",
            t("No outages recorded.", "Nessuna interruzione registrata.")
        );
        return Ok(0);
    }
    println!(
        "{}",
        t("Outages, newest first:", "Interruzioni, dalla più recente:")
    );
    for o in outages {
        let start = chrono::DateTime::from_timestamp_millis(o.start_ms)
            .map(|d| {
                d.with_timezone(&chrono::Local)
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            })
            .unwrap_or_else(|| "?".into());
        let length = match (o.duration_ms, o.end_unknown) {
            (None, _) => t("ongoing", "in corso").to_string(),
            (Some(d), false) => text::duration(d, lang),
            (Some(d), true) => format!("≥ {}", text::duration(d, lang)),
        };
        let mut what = text::cause_short(o.cause, lang).to_string();
        if let Some(s) = o.http_status {
            what.push_str(&format!(" ({s}"));
            if let Some(c) = &o.colo {
                what.push_str(&format!(", {c}"));
            }
            what.push(')');
        }
        println!("  {start}  {length:<10} {:<12} {what}", o.verdict.as_str());
    }
    Ok(0)
}
