//! `gatewatch wait`: block until ChatGPT is up, for scripts (`gatewatch wait && ./job`).
//!
//! It runs the same monitor as `watch` (thresholds both ways: one good answer in the middle
//! of an outage does not end the wait) and prints each change as `watch` does. Up means the
//! shown verdict is `up` or `degraded` (slow but answering): exit 0 at once. At the timeout: 2
//! when ChatGPT is still down, or blocked (a challenge, a refusal, the network's block), 3 when
//! Gatewatch could not tell (offline, or no verdict yet). Interrupted: 130, as shells do.

use std::io::Write;
use std::time::Duration;

use gatewatch_core::diagnose::Verdict;
use gatewatch_core::driver::{self, Command, Output};
use gatewatch_core::i18n;
use gatewatch_core::settings::Config;
use gatewatch_core::text;
use tokio::time::Instant;

use crate::args::Wait;
use crate::watch::{format_line, shutdown_signal};
use crate::{Env, Fatal};

/// The exit code for a verdict when time is up.
pub fn code_at_timeout(shown: Option<Verdict>) -> u8 {
    match shown {
        Some(Verdict::Up | Verdict::Degraded) => 0,
        Some(
            Verdict::BadGateway | Verdict::OriginError | Verdict::EdgeError | Verdict::Blocked,
        ) => 2,
        Some(Verdict::Offline | Verdict::Unknown) | None => 3,
    }
}

pub async fn run(w: Wait, mut cfg: Config, env: Env) -> Result<u8, Fatal> {
    let lang = env.lang;
    // Nobody is told anything but the terminal: no notices to decide.
    cfg.monitor.notifications = false;
    let driver::Handle {
        commands,
        mut outputs,
        task,
    } = driver::spawn(cfg).map_err(|e| Fatal::usage(e.to_string()))?;
    let limit = w.timeout.map(|d| Duration::from_millis(d.0));
    let deadline = limit.map(|d| Instant::now() + d);
    let mut shown: Option<Verdict> = None;
    let mut stdout = std::io::stdout().lock();
    let mut stop = Box::pin(shutdown_signal());
    let mut timed_out = false;
    let code = loop {
        let out = tokio::select! {
            o = outputs.recv() => o,
            _ = async { tokio::time::sleep_until(deadline.unwrap_or_else(Instant::now)).await },
                if deadline.is_some() =>
            {
                timed_out = true;
                break code_at_timeout(shown);
            }
            _ = &mut stop => break 130,
        };
        // The monitor stopped by itself: nothing more will be known.
        let Some(out) = out else {
            break code_at_timeout(shown).max(3);
        };
        match out {
            Output::Changed(status) => {
                if shown == Some(status.verdict) {
                    continue;
                }
                shown = Some(status.verdict);
                if !w.quiet {
                    let line = format_line(w.format, &status, None, lang);
                    // A closed stdout does not end the wait: the exit code still tells.
                    writeln!(stdout, "{line}").and_then(|_| stdout.flush()).ok();
                }
                if code_at_timeout(shown) == 0 {
                    break 0;
                }
            }
            Output::Warning(m) | Output::Log(m) if !w.quiet => {
                eprintln!("gatewatch: warning: {m}");
            }
            _ => {}
        }
    };
    if commands.send(Command::Shutdown).await.is_ok() {
        task.await.ok();
    }
    if let (true, false, Some(limit)) = (timed_out, w.quiet, limit) {
        let duration = text::duration(limit.as_millis() as u64, lang);
        let id = if code == 2 {
            "cli-wait-timeout"
        } else {
            "cli-wait-unknown"
        };
        eprintln!("{}", i18n::tf(lang, id, &[("duration", duration.into())]));
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn up_and_slow_end_the_wait_down_and_blocked_are_two_unknown_is_three() {
        assert_eq!(code_at_timeout(Some(Verdict::Up)), 0);
        assert_eq!(code_at_timeout(Some(Verdict::Degraded)), 0);
        for v in [
            Verdict::BadGateway,
            Verdict::OriginError,
            Verdict::EdgeError,
            Verdict::Blocked,
        ] {
            assert_eq!(code_at_timeout(Some(v)), 2, "{v:?}");
        }
        assert_eq!(code_at_timeout(Some(Verdict::Offline)), 3);
        assert_eq!(code_at_timeout(Some(Verdict::Unknown)), 3);
        assert_eq!(code_at_timeout(None), 3);
    }
}
