//! The one task that owns the monitor: it sleeps until the monitor wants a check, probes, feeds
//! the diagnosis back, and forwards the effects.
//!
//! Everything else talks to it through a closed set of [`Command`]s on a channel and hears back
//! through [`Output`]s (rust-analyzer's main loop, mini-redis's `Db` handle): no shared mutable
//! state, no second runtime. Dropping the command sender, or sending `Shutdown`, stops it.
//! It also notices suspend/resume and wall-clock changes (the two clocks drift apart), and —
//! through its own child task, [`crate::netwatch`] — the computer joining another network; both
//! are a new start for the monitor, and a full check at once.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::diagnose::{diagnose, Diagnosis};
use crate::history::Record;
use crate::model::{Asked, Observation};
use crate::monitor::{Effect, Event, Monitor, Now, Snooze, Status, Transition};
use crate::probe::{ProbeError, Prober};
use crate::settings::Config;
use crate::statuspage::PageFailure;

/// What the rest of the program can ask of the monitor task.
#[derive(Debug, Clone)]
pub enum Command {
    CheckNow,
    Snooze(Snooze),
    Unsnooze,
    Pause,
    Resume,
    Reconfigure(Box<Config>),
    /// The computer joined another network (its networks now, for the log): a new start.
    NetworkChanged(String),
    /// The user's browser sent its window of outcome records (see [`crate::browser`]): kept in
    /// memory for the checks; when what it shows changes, a check runs at once (at most once
    /// per re-check interval), so a failing browser is heard before the next poll.
    Browser(crate::browser::Window),
    Shutdown,
}

/// What the monitor task reports.
#[derive(Debug, Clone)]
pub enum Output {
    /// A check began (for a "checking…" look).
    Checking,
    /// A check finished: its raw observation, diagnosis and the resulting status. Sent after
    /// the check's own effects (`Changed`, `Notify`, `Record`), so a reader that keeps the
    /// history has it up to date when this arrives.
    Checked {
        observation: Box<Observation>,
        diagnosis: Box<Diagnosis>,
        status: Box<Status>,
    },
    /// The confirmed state (or snooze/pause) changed.
    Changed(Box<Status>),
    /// A notice to give, with the status right after the step that decided it (what channels
    /// elsewhere are told beside the notice's own words).
    Notify(Transition, Box<Status>),
    Record(Record),
    /// The status page was due and could not be read (sent before the check's `Checked`): its
    /// kind, said in words to people, and the library's text, for the log and the report.
    StatusPageUnread(PageFailure),
    /// New settings could not be applied (the HTTP client could not be set up with them); the
    /// monitor goes on with the ones it had. The library's words, for the log.
    Warning(String),
    /// The computer joined another network (its networks now): the monitor starts over and
    /// checks at once. For the log.
    NetworkChanged(String),
    /// Something for the log that is not about a check (network changes cannot be watched).
    Log(String),
}

/// Both clocks, read together. Monotonic time is tokio's, so tests may pause it.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    start: Instant,
}

impl Clock {
    pub fn new() -> Self {
        Clock {
            start: Instant::now(),
        }
    }

    pub fn now(&self) -> Now {
        let wall_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        Now::new(self.start.elapsed().as_millis() as u64, wall_ms)
    }

    fn instant_at(&self, mono_ms: u64) -> Instant {
        self.start + Duration::from_millis(mono_ms)
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self::new()
    }
}

/// The running monitor task: send it commands, read its outputs, await it after `Shutdown`.
pub struct Handle {
    pub commands: mpsc::Sender<Command>,
    pub outputs: mpsc::Receiver<Output>,
    pub task: tokio::task::JoinHandle<()>,
}

/// Start the monitor task on the current runtime. It ends when `commands` is dropped or
/// `Shutdown` is sent.
pub fn spawn(cfg: Config) -> Result<Handle, ProbeError> {
    let prober = Prober::new(cfg.clone())?;
    let (cmd_tx, cmd_rx) = mpsc::channel(32);
    let (out_tx, out_rx) = mpsc::channel(256);
    // Weakly: the task must still end when its owner drops the last sender.
    let watcher = cmd_tx.downgrade();
    let task = tokio::spawn(async move {
        // The network watcher is this task's child: it ends with it.
        let watch = ChildTask(tokio::spawn({
            let out = out_tx.clone();
            async move {
                if let Err(e) = crate::netwatch::watch(watcher).await {
                    // Not fatal: wake-ups and the checks themselves still see a new network.
                    out.send(Output::Log(e)).await.ok();
                }
            }
        }));
        run(prober, cfg, cmd_rx, out_tx).await;
        drop(watch);
    });
    Ok(Handle {
        commands: cmd_tx,
        outputs: out_rx,
        task,
    })
}

/// A task that is aborted when this is dropped.
struct ChildTask(tokio::task::JoinHandle<()>);

impl Drop for ChildTask {
    fn drop(&mut self) {
        self.0.abort();
    }
}

async fn run(
    mut prober: Prober,
    cfg: Config,
    mut commands: mpsc::Receiver<Command>,
    out: mpsc::Sender<Output>,
) {
    let clock = Clock::new();
    let mut monitor = Monitor::new(cfg.monitor.clone(), clock.now());
    let mut last_wake = clock.now();
    let mut browser = Browser::new(cfg.monitor.recheck_ms);
    loop {
        let deadline = monitor.next_check_at().map(|ms| clock.instant_at(ms));
        // Wake at least every 30 s to notice suspend/resume and clock changes.
        let tick = Instant::now() + Duration::from_secs(30);
        let wake_at = deadline.map_or(tick, |d| d.min(tick));
        // "Check now" is someone asking for the whole picture: it asks every door.
        let mut asked_for = false;
        let check_now = tokio::select! {
            _ = tokio::time::sleep_until(wake_at) => deadline.is_some_and(|d| Instant::now() >= d),
            cmd = commands.recv() => match cmd {
                None | Some(Command::Shutdown) => return,
                Some(Command::CheckNow) => {
                    asked_for = true;
                    true
                }
                // Another network: a new start, every door asked at once.
                Some(Command::NetworkChanged(networks)) => {
                    if out.send(Output::NetworkChanged(networks)).await.is_err()
                        || !forward(monitor.step(Event::NetworkChanged, clock.now()), &monitor, clock.now(), &out).await
                    {
                        return;
                    }
                    asked_for = true;
                    true
                }
                Some(Command::Browser(w)) => browser.update(w, clock.now()),
                Some(Command::Reconfigure(c)) => {
                    match Prober::new((*c).clone()) {
                        Ok(p) => {
                            prober = p;
                            browser.min_gap_ms = c.monitor.recheck_ms;
                            monitor.reconfigure(c.monitor.clone(), clock.now());
                        }
                        Err(e) => {
                            if out.send(Output::Warning(e.to_string())).await.is_err() {
                                return;
                            }
                        }
                    }
                    false
                }
                Some(cmd) => {
                    let event = match cmd {
                        Command::Snooze(s) => Event::Snooze(s),
                        Command::Unsnooze => Event::Unsnooze,
                        Command::Pause => Event::Pause,
                        _ => Event::Resume,
                    };
                    if !forward(monitor.step(event, clock.now()), &monitor, clock.now(), &out).await {
                        return;
                    }
                    false
                }
            },
        };

        let now = clock.now();
        if now.clock_jumped_since(last_wake, 60_000)
            && !forward(monitor.step(Event::Wake, now), &monitor, now, &out).await
        {
            return;
        }
        last_wake = now;
        if !check_now && monitor.next_check_at().is_none_or(|t| t > now.mono_ms) {
            continue;
        }
        if out.send(Output::Checking).await.is_err() {
            return;
        }
        // The browser's window as of this check. When its requests fail, every door is asked:
        // chatgpt.com alone answering Gatewatch says nothing of which side fails.
        let browser_reading = browser.reading(clock.now());
        let browser_fails = browser_reading.is_some_and(|r| {
            matches!(
                r.state,
                crate::browser::State::Fails | crate::browser::State::PartlyFails
            )
        });
        let asked = if asked_for || browser_fails {
            Asked::AllDoors
        } else {
            monitor.doors(clock.now())
        };
        let (mut observation, status_error) = prober.check(asked, clock.now().wall_ms).await;
        observation.browser = browser_reading;
        if let Some(e) = status_error {
            if out.send(Output::StatusPageUnread(e)).await.is_err() {
                return;
            }
        }
        let diagnosis = diagnose(&observation);
        let now = clock.now();
        monitor.doors_asked(observation.asked, now);
        let effects = monitor.step(Event::Checked(Box::new(diagnosis.clone())), now);
        let status = monitor.status(now);
        let checked = Output::Checked {
            observation: Box::new(observation),
            diagnosis: Box::new(diagnosis),
            status: Box::new(status),
        };
        if !forward(effects, &monitor, now, &out).await || out.send(checked).await.is_err() {
            return;
        }
        last_wake = clock.now();
    }
}

/// The browser's latest window, and when what it shows last made a check run.
struct Browser {
    window: Option<crate::browser::Window>,
    /// What the window showed at the last check.
    checked_state: Option<crate::browser::State>,
    last_asked_mono: Option<u64>,
    min_gap_ms: u64,
}

impl Browser {
    fn new(min_gap_ms: u64) -> Browser {
        Browser {
            window: None,
            checked_state: None,
            last_asked_mono: None,
            min_gap_ms,
        }
    }

    /// Keep the new window; should a check run now? When what the browser shows changed since
    /// the last check, and no browser made one run within `min_gap_ms`.
    fn update(&mut self, w: crate::browser::Window, now: Now) -> bool {
        let state = crate::browser::read(&w, now.wall_ms).map(|r| r.state);
        self.window = Some(w);
        let changed = state != self.checked_state;
        let rested = self
            .last_asked_mono
            .is_none_or(|t| now.mono_ms.saturating_sub(t) >= self.min_gap_ms);
        if changed && rested {
            self.last_asked_mono = Some(now.mono_ms);
            true
        } else {
            false
        }
    }

    /// The reading for a check now (and remember what it showed); an expired window goes.
    fn reading(&mut self, now: Now) -> Option<crate::browser::Reading> {
        let r = self
            .window
            .as_ref()
            .and_then(|w| crate::browser::read(w, now.wall_ms));
        if r.is_none() {
            self.window = None;
        }
        self.checked_state = r.map(|r| r.state);
        r
    }
}

async fn forward(
    effects: Vec<Effect>,
    monitor: &Monitor,
    now: Now,
    out: &mpsc::Sender<Output>,
) -> bool {
    for e in effects {
        let o = match e {
            Effect::Changed(s) => Output::Changed(s),
            Effect::Notify(t) => Output::Notify(t, Box::new(monitor.status(now))),
            Effect::Record(r) => Output::Record(r),
        };
        if out.send(o).await.is_err() {
            return false;
        }
    }
    true
}

/// One check, no monitor: what `gatewatch check` does.
pub async fn check_once(
    cfg: Config,
) -> Result<(Observation, Diagnosis, Option<PageFailure>), ProbeError> {
    check_once_with(cfg, None).await
}

/// [`check_once`] with the browser window the running tray holds, when it was asked for one.
pub async fn check_once_with(
    cfg: Config,
    browser: Option<crate::browser::Window>,
) -> Result<(Observation, Diagnosis, Option<PageFailure>), ProbeError> {
    let mut prober = Prober::new(cfg)?;
    let wall = Clock::new().now().wall_ms;
    let (mut observation, status_error) = prober.observe(wall).await;
    observation.browser = browser
        .as_ref()
        .and_then(|w| crate::browser::read(w, Clock::new().now().wall_ms));
    let diagnosis = diagnose(&observation);
    Ok((observation, diagnosis, status_error))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::browser::{Kind, Outcome, Record, State, Window, WINDOW_MS};

    const T0: i64 = 1_764_000_000;

    fn window(failing: usize, at_ms: i64) -> Window {
        let records = (0..5)
            .map(|i| Record {
                kind: Kind::Conversation,
                result: if i < failing {
                    Outcome::Http5xx
                } else {
                    Outcome::Ok
                },
                status: Some(if i < failing { 502 } else { 200 }),
                net: None,
                cf: true,
                t: T0 + 10 * i as i64,
            })
            .collect();
        Window {
            records,
            received_ms: at_ms,
        }
    }

    #[test]
    fn a_browser_window_runs_a_check_when_what_it_shows_changes_at_most_once_a_gap() {
        let wall = (T0 + 60) * 1000;
        let at = |mono: u64| Now::new(mono, wall + mono as i64);
        let mut b = Browser::new(60_000);
        // The first window that fails: check now.
        assert!(b.update(window(3, wall), at(0)));
        assert_eq!(b.reading(at(10)).map(|r| r.state), Some(State::Fails));
        // The same again: no check of its own.
        assert!(!b.update(window(4, wall), at(5_000)));
        // Recovered, but within the gap: waits for the next check.
        assert!(!b.update(window(0, wall), at(20_000)));
        // After the gap, a change runs one.
        assert!(b.update(window(0, wall), at(61_000)));
        assert_eq!(b.reading(at(61_010)).map(|r| r.state), Some(State::Answers));
        // Fifteen minutes without a window: nothing left, and the window is dropped.
        let late = Now::new(2_000_000, wall + WINDOW_MS + 1);
        assert_eq!(b.reading(late), None);
        assert!(b.window.is_none());
    }
}
