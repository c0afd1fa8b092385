//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use gatewatch_core::text::Lang;

#[derive(Parser, Debug)]
#[command(
    name = "gatewatch",
    version,
    about = "Is ChatGPT down, and why? Your network, Cloudflare's edge, or OpenAI's servers.",
    after_help = "Exit codes: 0 up, 1 degraded or blocked, 2 down, 3 cannot tell (offline/unknown), 64 usage error, 74 file error (`update`: see its help).\nEndpoints can also be set with GATEWATCH_CHATGPT_URL, GATEWATCH_API_URL, GATEWATCH_STATUS_URL, GATEWATCH_CONTROL_URL, GATEWATCH_APP_URL; the proxy with GATEWATCH_PROXY."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check once and explain the result.
    Check {
        /// Print one JSON object instead of text.
        #[arg(long, conflicts_with = "report")]
        json: bool,
        /// Print a plain-text report to send with a bug report: each probe's status line,
        /// Cloudflare headers and the first bytes of each body, with IP addresses removed.
        #[arg(long)]
        report: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Keep watching; print one line per change of state.
    Watch(Watch),
    /// Wait until ChatGPT is up (exit 0), printing each change as `watch` does; exit 2 when it
    /// is still down (or blocked) at the timeout, 3 when Gatewatch could not tell (offline):
    /// `gatewatch wait --timeout 30m && ./my-batch-job`.
    Wait(Wait),
    /// Show recorded outages and uptime, or export them with the buckets of checks (90 days).
    History {
        /// Same as --format json.
        #[arg(long, conflicts_with = "format")]
        json: bool,
        /// text (uptime and outages), or an export: json (one object) or csv (one row per
        /// outage, then per bucket of checks).
        #[arg(long, value_enum, default_value_t = HistoryFormat::Text)]
        format: HistoryFormat,
        /// Show at most this many outages (newest first; text: 20 unless given, exports: all).
        #[arg(long)]
        limit: Option<usize>,
        #[command(flatten)]
        common: Common,
    },
    /// Is there a newer Gatewatch? Asks for the signed release manifest (nothing is installed).
    Update(Update),
}

#[derive(Args, Debug)]
pub struct Update {
    /// Check now: fetch the release manifest and its signature, verify them, and say whether a
    /// newer version exists. Exit codes: 0 up to date, 1 a newer version exists, 3 the check
    /// failed or is turned off.
    #[arg(long, required_unless_present = "verify")]
    pub check: bool,
    /// With --check: print one JSON object (current, available or null, notes, url, error).
    #[arg(long, requires = "check")]
    pub json: bool,
    /// The manifest's address (default: the `update_url` setting, GATEWATCH_UPDATE_URL, else
    /// Gatewatch's releases on GitHub).
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// Verify a release before it is published: DIR holds latest.json, latest.json.minisig
    /// and every file the manifest lists; each signature is checked with this build's keys,
    /// as the update check would. Exit codes: 0 all good, 1 something is not.
    #[arg(long, value_name = "DIR", conflicts_with = "check")]
    pub verify: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Args, Debug)]
pub struct Watch {
    /// Output format: text, one JSON object per line, or waybar/polybar JSON.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Show desktop notifications on real transitions (down, recovered, …).
    #[arg(long)]
    pub notify: bool,
    /// Do not record history.
    #[arg(long)]
    pub no_history: bool,
    #[command(flatten)]
    pub pace: Pace,
    #[command(flatten)]
    pub common: Common,
}

/// How often the monitor checks (`watch` and `wait`); unset: the settings'.
#[derive(Args, Debug)]
pub struct Pace {
    /// Time between checks while ChatGPT works (e.g. 60s, 2m).
    #[arg(long, value_parser = parse_duration)]
    pub interval: Option<Millis>,
    /// Time between checks while ChatGPT is down.
    #[arg(long, value_parser = parse_duration)]
    pub down_interval: Option<Millis>,
    /// Quick re-check after a first sign of change.
    #[arg(long, value_parser = parse_duration)]
    pub recheck: Option<Millis>,
}

impl Pace {
    /// The interval, down-interval and re-check, as the configuration takes them.
    pub fn ms(&self) -> [Option<u64>; 3] {
        [self.interval, self.down_interval, self.recheck].map(|p| p.map(|d| d.0))
    }
}

#[derive(Args, Debug)]
pub struct Wait {
    /// Give up after this long (e.g. 90s, 30m, 2h); without it, wait as long as it takes.
    #[arg(long, value_parser = parse_duration, value_name = "DURATION")]
    pub timeout: Option<Millis>,
    /// Print nothing; only the exit code tells.
    #[arg(long)]
    pub quiet: bool,
    /// Output format of the lines printed meanwhile: text, or one JSON object per line.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(flatten)]
    pub pace: Pace,
    #[command(flatten)]
    pub shared: Shared,
}

#[derive(Args, Debug, Clone)]
pub struct Common {
    #[command(flatten)]
    pub shared: Shared,
    /// Give up on a request after this long (e.g. 10s).
    #[arg(long, value_parser = parse_duration)]
    pub timeout: Option<Millis>,
}

impl std::ops::Deref for Common {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.shared
    }
}

/// What every command takes: where to look, through which proxy, in which language, with which
/// settings. (`Common` adds the request timeout; `wait`'s `--timeout` is how long to wait.)
#[derive(Args, Debug, Clone)]
pub struct Shared {
    /// Base URL of chatgpt.com (https; http only for loopback).
    #[arg(long, value_name = "URL")]
    pub chatgpt_url: Option<String>,
    /// Base URL of api.openai.com.
    #[arg(long, value_name = "URL")]
    pub api_url: Option<String>,
    /// Base URL of OpenAI's status page.
    #[arg(long, value_name = "URL")]
    pub status_url: Option<String>,
    /// Base URL of the control host, whose known answer (GET /generate_204: an empty 204) is
    /// asked when chatgpt.com does not answer through Cloudflare; plain http allowed.
    #[arg(long, value_name = "URL")]
    pub control_url: Option<String>,
    /// Base URL of the phone apps' host (ios.chat.openai.com), the second door to OpenAI.
    #[arg(long, value_name = "URL")]
    pub app_url: Option<String>,
    /// The proxy to check through: "system" (the default: the environment, then GNOME's or KDE's
    /// settings on Linux; the OS settings on Windows and macOS), "none", or a URL
    /// (http://[user:password@]host:port, https://…, socks5://…). PAC scripts are not evaluated.
    #[arg(long, value_name = "PROXY")]
    pub proxy: Option<String>,
    /// Answer HOST on PORT with ADDR instead of asking the DNS, as curl's --resolve does
    /// (repeatable): reproduce a network's DNS answer, e.g. chatgpt.com:443:0.0.0.0.
    #[arg(long, value_name = "HOST:PORT:ADDR")]
    pub resolve: Vec<String>,
    /// Answers slower than this count as degraded (e.g. 4s).
    #[arg(long, value_parser = parse_duration)]
    pub slow: Option<Millis>,
    /// Language of the text: a tag of the shipped languages (en, de, es, fr, it, ja, pt-BR, …;
    /// `gatewatch --lang x` lists them). Default: the settings, then the system's language.
    #[arg(long, value_parser = parse_lang, value_name = "TAG")]
    pub lang: Option<Lang>,
    /// Settings file (default: settings.json in the data directory).
    #[arg(long, value_name = "FILE")]
    pub settings: Option<PathBuf>,
    /// Where history and settings live (default: $GATEWATCH_DATA_DIR, else the platform's data dir).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Waybar,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryFormat {
    Text,
    Json,
    Csv,
}

/// A shipped language's tag (any case), or a pseudo-locale's.
fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::from_tag(s).ok_or_else(|| {
        format!(
            "not one of Gatewatch's languages: {}",
            gatewatch_core::i18n::tags_list()
        )
    })
}

/// A duration in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Millis(pub u64);

/// `500ms`, `2s`, `1.5s`, `5m`, `1h`, or a bare number of seconds.
pub fn parse_duration(s: &str) -> Result<Millis, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: f64 = num
        .parse()
        .map_err(|_| format!("{s:?} is not a duration (try 500ms, 30s, 5m)"))?;
    let factor = match unit.trim() {
        "ms" => 1.0,
        "" | "s" => 1_000.0,
        "m" | "min" => 60_000.0,
        "h" => 3_600_000.0,
        u => return Err(format!("unknown unit {u:?} (use ms, s, m or h)")),
    };
    let ms = n * factor;
    if !ms.is_finite() || !(1.0..=86_400_000.0).contains(&ms) {
        return Err(format!("{s:?} is out of range"));
    }
    Ok(Millis(ms.round() as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("500ms"), Ok(Millis(500)));
        assert_eq!(parse_duration("2"), Ok(Millis(2_000)));
        assert_eq!(parse_duration("1.5s"), Ok(Millis(1_500)));
        assert_eq!(parse_duration("5m"), Ok(Millis(300_000)));
        assert!(parse_duration("0").is_err());
        assert!(parse_duration("fast").is_err());
        assert!(parse_duration("3 weeks").is_err());
        assert!(parse_duration("2d").is_err());
    }
}
