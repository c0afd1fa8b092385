//! `gatewatch`: the same diagnosis as the tray app, for terminals, scripts and status bars.
//!
//! A thin shell over the core: parse arguments, build the configuration (settings file, then
//! environment, then flags), run, print. Errors are one line on stderr; exit codes are documented
//! in README.md (0 up, 1 degraded/blocked, 2 down, 3 cannot tell, 64 usage, 74 file error).

mod args;
mod history_cmd;
mod update_cmd;
mod wait;
mod watch;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use gatewatch_core::driver;
use gatewatch_core::i18n;
use gatewatch_core::report::Report;
use gatewatch_core::settings::{Config, Overrides, Settings};
use gatewatch_core::store;
use gatewatch_core::text::{self, Lang};

use args::{Cli, Command};

pub const EXIT_USAGE: u8 = 64;
pub const EXIT_IO: u8 = 74;

/// A failure that ends the program: its message and exit code.
pub struct Fatal {
    pub message: String,
    pub code: u8,
}

impl Fatal {
    pub fn usage(message: impl Into<String>) -> Fatal {
        Fatal {
            message: message.into(),
            code: EXIT_USAGE,
        }
    }
    pub fn io(message: impl Into<String>) -> Fatal {
        Fatal {
            message: message.into(),
            code: EXIT_IO,
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            let code = match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => 0,
                _ => EXIT_USAGE,
            };
            // clap prints its own help/usage text; it is the one multi-line message we allow.
            e.print().ok();
            return ExitCode::from(code);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("gatewatch: cannot start: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            eprintln!("gatewatch: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

async fn run(cli: Cli) -> Result<u8, Fatal> {
    match cli.command {
        Command::Check {
            json,
            report: share,
            common,
        } => {
            let env = Env::load(&common)?;
            let cfg = env.config(&common, common.timeout, [None; 3])?;
            // The running tray's browser window, if a tray runs: the user's own browser is a
            // door `check` cannot open itself.
            let tray = tray_browser(&common).await;
            let (obs, diagnosis, status_error) =
                driver::check_once_with(cfg, tray.clone().flatten())
                    .await
                    .map_err(|e| Fatal::usage(e.to_string()))?;
            let mut report =
                Report::new(&obs, &diagnosis, status_error.as_ref(), env.lang, now_ms());
            if tray.is_some() {
                report.browser_asked();
            }
            if json {
                println!(
                    "{}",
                    serde_json::to_string(&report).map_err(|e| Fatal::io(e.to_string()))?
                );
            } else if share {
                print!("{}", report.share_text(env!("CARGO_PKG_VERSION")));
            } else {
                print_report(&report);
            }
            Ok(diagnosis.verdict.exit_code() as u8)
        }
        Command::Watch(w) => {
            let env = Env::load(&w.common)?;
            let cfg = env.config(&w.common, w.common.timeout, w.pace.ms())?;
            watch::run(w, cfg, env).await
        }
        Command::Wait(w) => {
            let env = Env::load(&w.shared)?;
            let cfg = env.config(&w.shared, None, w.pace.ms())?;
            wait::run(w, cfg, env).await
        }
        Command::History {
            json,
            format,
            limit,
            common,
        } => {
            let env = Env::load(&common)?;
            let format = if json {
                args::HistoryFormat::Json
            } else {
                format
            };
            history_cmd::run(&env, format, limit)
        }
        Command::Update(u) => {
            let env = Env::load(&u.common)?;
            update_cmd::run(&u, &env).await
        }
    }
}

/// Ask the running tray (the one for this data directory) for the browser's latest window:
/// `None` when no tray answers, `Some(None)` when it holds nothing from the browser.
async fn tray_browser(common: &args::Shared) -> Option<Option<gatewatch_core::browser::Window>> {
    let flag = common
        .data_dir
        .as_ref()
        .map(|d| d.to_string_lossy().into_owned());
    // `--data-dir` places the tray's channel as GATEWATCH_DATA_DIR does.
    let get = |k: &str| match (k, &flag) {
        ("GATEWATCH_DATA_DIR", Some(d)) => Some(d.clone()),
        _ => std::env::var(k).ok(),
    };
    let endpoint = gatewatch_core::channel::endpoint(get)?;
    gatewatch_core::channel::browser_window(&endpoint)
        .await
        .ok()
}

/// What every command needs: stored settings, where files live, the language.
pub struct Env {
    pub settings: Settings,
    pub data_dir: Option<PathBuf>,
    pub lang: Lang,
}

impl Env {
    fn load(common: &args::Shared) -> Result<Env, Fatal> {
        let get = |k: &str| std::env::var(k).ok();
        let data_dir = common.data_dir.clone().or_else(|| store::data_dir(get));
        let settings_path = common
            .settings
            .clone()
            .or_else(|| data_dir.as_ref().map(|d| d.join(store::SETTINGS_FILE)));
        let (settings, warnings, problem) = match &settings_path {
            Some(path) => {
                if common.settings.is_some() && !path.exists() {
                    return Err(Fatal::usage(format!(
                        "settings file {} does not exist",
                        path.display()
                    )));
                }
                store::load_settings(path, now_ms() as u64 / 1000)
            }
            None => (Settings::default(), Vec::new(), None),
        };
        let lang = common
            .lang
            .unwrap_or_else(|| settings.language.resolve(Lang::system));
        if let Some(e) = problem {
            let words = text::store_problem(&e, text::Then::DefaultSettings, lang);
            eprintln!("gatewatch: warning: {words}");
        }
        for w in warnings {
            eprintln!("gatewatch: warning: {w}");
        }
        Ok(Env {
            settings,
            data_dir,
            lang,
        })
    }

    /// The configuration: the settings, then the environment, then the flags (`pace`: the
    /// interval, down-interval and re-check of `watch` and `wait`).
    fn config(
        &self,
        c: &args::Shared,
        timeout: Option<args::Millis>,
        pace: [Option<u64>; 3],
    ) -> Result<Config, Fatal> {
        let mut o = Overrides::from_env(|k| std::env::var(k).ok());
        let flag = |f: &Option<String>, slot: &mut Option<String>| {
            if let Some(v) = f {
                *slot = Some(v.clone());
            }
        };
        flag(&c.chatgpt_url, &mut o.chatgpt_url);
        flag(&c.api_url, &mut o.api_url);
        flag(&c.status_url, &mut o.status_url);
        flag(&c.control_url, &mut o.control_url);
        flag(&c.app_url, &mut o.app_url);
        flag(&c.proxy, &mut o.proxy);
        o.resolve = c.resolve.clone();
        o.timeout_ms = timeout.map(|d| d.0);
        o.slow_ms = c.slow.map(|d| d.0);
        [o.interval_ms, o.down_interval_ms, o.recheck_ms] = pace;
        let seed = now_ms() as u64 ^ u64::from(std::process::id());
        self.settings
            .to_config(&o, seed)
            .map_err(|e| Fatal::usage(e.to_string()))
    }
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// The local zone's offset from UTC, in minutes, for "since 14:05".
pub fn local_offset_minutes() -> i32 {
    chrono::Local::now().offset().local_minus_utc() / 60
}

fn paint(s: &str, color: &str) -> String {
    let tty = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let code = match color {
        "green" => "32",
        "amber" => "33",
        "red" => "31",
        _ => "90",
    };
    if tty {
        format!("\x1b[1;{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

fn print_report(r: &Report) {
    let lang = Lang::from_tag(r.lang).unwrap_or_default();
    let t = |id: &str| i18n::t(lang, id);
    println!("{}", paint(&r.summary, r.color));
    println!();
    println!("{}", r.cause_text);
    println!();
    if let Some(l) = &r.limited_view {
        println!("{}", l.text);
        println!();
    }
    println!("{}", t("cli-saw"));
    for e in &r.evidence {
        println!("  • {e}");
    }
    if let Some(sp) = &r.status_page {
        if let Some(err) = &sp.error {
            let line = i18n::tf(lang, "cli-status-page-unreadable", &[("error", err.into())]);
            println!("  • {line}");
        }
        for i in &sp.incidents {
            let link = i.shortlink.as_deref().unwrap_or("");
            let line = i18n::tf(
                lang,
                "cli-incident",
                &[
                    ("name", i.name.as_str().into()),
                    ("status", i.status.as_str().into()),
                    ("link", link.into()),
                ],
            );
            println!("  • {}", line.trim_end());
        }
    }
    if !r.advice.is_empty() {
        println!();
        println!("{}", t("cli-todo"));
        for (i, a) in r.advice.iter().enumerate() {
            println!("  {}. {a}", i + 1);
        }
    }
}
