//! `gatewatch history`: recorded outages and uptime, or all of it exported as JSON or CSV.

use gatewatch_core::history::{History, Outage, Uptime, DAY_MS, KEEP_MS, WEEK_MS};
use gatewatch_core::i18n;
use gatewatch_core::store;
use gatewatch_core::text;
use serde_json::json;

use crate::args::HistoryFormat;
use crate::{now_ms, Env, Fatal};

/// Outages the text shows unless `--limit` says otherwise.
const TEXT_LIMIT: usize = 20;

pub fn run(env: &Env, format: HistoryFormat, limit: Option<usize>) -> Result<u8, Fatal> {
    let Some(dir) = &env.data_dir else {
        return Err(Fatal::usage(
            "no data directory: set GATEWATCH_DATA_DIR or HOME, or pass --data-dir",
        ));
    };
    let path = dir.join(store::HISTORY_FILE);
    let (history, problem) = store::load_history(&path, now_ms() as u64 / 1000);
    if let Some(e) = problem {
        return Err(Fatal::io(text::store_problem(
            &e,
            text::Then::Nothing,
            env.lang,
        )));
    }
    let now = now_ms();
    let (day, week) = (history.uptime(now, DAY_MS), history.uptime(now, WEEK_MS));
    let limit = limit.unwrap_or(match format {
        HistoryFormat::Text => TEXT_LIMIT,
        HistoryFormat::Json | HistoryFormat::Csv => usize::MAX,
    });
    let outages: Vec<_> = history.outages.iter().rev().take(limit).collect();
    let lang = env.lang;
    match format {
        HistoryFormat::Json => {
            let (month, quarter) = (
                history.uptime(now, 30 * DAY_MS),
                history.uptime(now, KEEP_MS),
            );
            let v = json!({
                "file": path.display().to_string(),
                "uptime_24h": day.map(|u| u.ratio),
                "uptime_7d": week.map(|u| u.ratio),
                "uptime_30d": month.map(|u| u.ratio),
                "uptime_90d": quarter.map(|u| u.ratio),
                "observed_24h_ms": day.map(|u| u.observed_ms),
                "observed_7d_ms": week.map(|u| u.observed_ms),
                "observed_30d_ms": month.map(|u| u.observed_ms),
                "observed_90d_ms": quarter.map(|u| u.observed_ms),
                "network_blocked_24h_ms": history.network_blocked(now, DAY_MS),
                "network_blocked_7d_ms": history.network_blocked(now, WEEK_MS),
                "outages": outages,
                "buckets": history.all_buckets(now),
            });
            println!("{v}");
            return Ok(0);
        }
        HistoryFormat::Csv => {
            print!("{}", csv(&history, &outages, now));
            return Ok(0);
        }
        HistoryFormat::Text => {}
    }
    let pct = |u: Option<Uptime>| {
        u.map_or_else(|| "—".to_string(), |u| format!("{:.2}%", u.ratio * 100.0))
    };
    let t = |id: &str| i18n::t(lang, id);
    let uptime = i18n::tf(
        lang,
        "cli-uptime",
        &[("day", pct(day).into()), ("week", pct(week).into())],
    );
    println!("{uptime}");
    // Time a network blocked ChatGPT is not ChatGPT's downtime: said apart, when there is any.
    let (blocked_day, blocked_week) = (
        history.network_blocked(now, DAY_MS),
        history.network_blocked(now, WEEK_MS),
    );
    if blocked_week > 0 {
        let d = |ms: i64| text::duration(ms.max(0) as u64, lang);
        let line = i18n::tf(
            lang,
            "cli-network-blocked",
            &[
                ("day", d(blocked_day).into()),
                ("week", d(blocked_week).into()),
            ],
        );
        println!("{line}");
    }
    if outages.is_empty() {
        println!("{}", t("cli-no-outages"));
        return Ok(0);
    }
    println!("{}", t("cli-outages"));
    for o in outages {
        let start = chrono::DateTime::from_timestamp_millis(o.start_ms)
            .map(|d| {
                d.with_timezone(&chrono::Local)
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            })
            .unwrap_or_else(|| "?".into());
        let length = match (o.duration_ms, o.end_unknown) {
            (None, _) => t("cli-ongoing"),
            (Some(d), false) => text::duration(d, lang),
            (Some(d), true) => format!("≥ {}", text::duration(d, lang)),
        };
        // The data centre only beside a status code, as the list always had it.
        let tags: Vec<String> = o
            .http_status
            .iter()
            .map(|s| s.to_string())
            .chain(o.http_status.and(o.colo.clone()))
            .collect();
        let what = text::tagged(text::cause_short(o.cause, lang), &tags, lang);
        println!("  {start}  {length:<10} {:<12} {what}", o.verdict.as_str());
    }
    Ok(0)
}

/// The CSV export: a header, one row per outage (oldest first), then one per bucket of checks
/// (oldest first). Times are UTC, RFC 3339; columns that do not apply to a row are empty.
fn csv(history: &History, outages_newest_first: &[&Outage], now: i64) -> String {
    const HEADER: &str = "record,start,end,duration_ms,verdict,cause,http_status,colo,\
                          span_ms,up_ms,down_ms,checks,median_ms,max_ms,network_blocked_ms";
    let time = |ms: i64| {
        chrono::DateTime::from_timestamp_millis(ms)
            .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .unwrap_or_default()
    };
    let opt = |v: Option<String>| v.unwrap_or_default();
    let name = |v: serde_json::Value| v.as_str().unwrap_or_default().to_string();
    let mut out = String::from(HEADER);
    out.push('\n');
    let mut row = |fields: [String; 15]| {
        let cells: Vec<String> = fields.iter().map(|f| field(f)).collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    };
    for o in outages_newest_first.iter().rev() {
        row([
            "outage".into(),
            time(o.start_ms),
            opt(o.end_ms.map(time)),
            opt(o.duration_ms.map(|d| d.to_string())),
            o.verdict.as_str().into(),
            name(json!(o.cause)),
            opt(o.http_status.map(|s| s.to_string())),
            opt(o.colo.clone()),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ]);
    }
    for b in history.all_buckets(now) {
        row([
            "bucket".into(),
            time(b.start_ms),
            time(b.end_ms()),
            String::new(),
            opt(b.worst.map(|v| v.as_str().to_string())),
            String::new(),
            String::new(),
            String::new(),
            b.span_ms.to_string(),
            b.up_ms.to_string(),
            b.down_ms.to_string(),
            b.checks.to_string(),
            opt(b.median_ms.map(|m| m.to_string())),
            opt(b.max_ms.map(|m| m.to_string())),
            b.network_blocked_ms.to_string(),
        ]);
    }
    out
}

/// One CSV field: quoted (RFC 4180) when it holds a comma, a quote or a line break. A field
/// that a spreadsheet would take for a formula (`=`, `+`, `-`, `@`) gets a leading apostrophe.
fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn csv_fields_are_quoted_and_never_formulas() {
        assert_eq!(field("FRA"), "FRA");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(field("line\nbreak"), "\"line\nbreak\"");
    }
}
