//! The up/down state machine: when to believe a change, when to tell the user, when to look again.
//!
//! A pure core in the style of quinn-proto: the driver hands in each diagnosis with the time
//! (`step(event, now)`), gets back [`Effect`]s, and asks [`Monitor::next_check_at`] when to wake it.
//! Nothing here reads a clock or touches the network, so a whole day of flapping runs in
//! milliseconds in the tests.
//!
//! Invariants:
//! - one bad check never notifies and one good check never "recovers" (thresholds both ways);
//! - an outage starts at its first bad observation and ends at its first good one, measured on
//!   the monotonic clock, so a wall-clock jump cannot invent or erase downtime;
//! - while the service flaps, per-flip notices are replaced by one "unstable" notice and one
//!   "stable again" summary; history still records every outage;
//! - a network that blocks ChatGPT is neither down nor up: it opens no outage, ends none, and
//!   is told once when first found ("This network blocks ChatGPT"), not again while it lasts;
//! - a new network (or waking from sleep) is a new start: what the old one showed is carried
//!   over neither as an outage nor as a recovery (an open outage ends where it was last seen,
//!   its end marked unseen).

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use crate::diagnose::{
    needs_other_doors, BlockHow, Cause, Color, Diagnosis, Evidence, Health, Verdict,
};
use crate::history::{Outage, Record, Sample};
use crate::model::Asked;

/// The gap before the check that confirms a recovery (at most the re-check interval): a
/// second good answer two seconds after the first is enough, and waiting longer only delays
/// the good news.
pub const RECOVERY_CONFIRM_MS: u64 = 2_000;

/// Official status pages are updated by people, minutes into an outage: only after this long
/// down does an all-green page count as lagging behind.
pub const STATUS_PAGE_GRACE_MS: u64 = 5 * 60 * 1000;

/// The longest `Retry-After` the monitor honours: a longer one would stop it watching.
pub const RETRY_AFTER_MAX_MS: u64 = 15 * 60 * 1000;

/// While ChatGPT is healthy the other doors are still asked this often, so that "the API
/// answers" and the phone apps' route stay current.
pub const DOORS_REFRESH_MS: u64 = 10 * 60 * 1000;

/// A moment, on both clocks: `mono_ms` for durations and scheduling (never jumps), `wall_ms`
/// (Unix ms) for what people read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Now {
    pub mono_ms: u64,
    pub wall_ms: i64,
}

impl Now {
    pub fn new(mono_ms: u64, wall_ms: i64) -> Self {
        Now { mono_ms, wall_ms }
    }

    /// Has the wall clock moved differently from the monotonic one since `earlier` (suspend and
    /// resume, or someone set the clock)?
    pub fn clock_jumped_since(&self, earlier: Now, tolerance_ms: u64) -> bool {
        let mono = self.mono_ms.saturating_sub(earlier.mono_ms) as i64;
        let wall = self.wall_ms - earlier.wall_ms;
        (wall - mono).unsigned_abs() > tolerance_ms
    }
}

/// The monitor's tunables, already validated (see `settings`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonitorConfig {
    /// Between checks while ChatGPT works.
    pub interval_ms: u64,
    /// The quick second look after a first sign of change.
    pub recheck_ms: u64,
    /// Between checks while ChatGPT is down, to catch the recovery early.
    pub down_interval_ms: u64,
    /// Longest wait between checks while we cannot tell (offline); the wait doubles up to here.
    pub offline_max_ms: u64,
    /// Consecutive bad checks before "down" (and before any change for the worse).
    pub failure_threshold: u32,
    /// Consecutive good checks before "recovered" (and before any change for the better).
    pub success_threshold: u32,
    /// Send notifications at all.
    pub notifications: bool,
    /// Remind "still down" this often during a long outage; `None`: never.
    pub reminder_ms: Option<u64>,
    /// This many outages within `flap_window_ms` means the service is flapping.
    pub flap_limit: u32,
    pub flap_window_ms: u64,
    /// Flapping ends after this long without a change.
    pub stable_ms: u64,
    /// Spread checks by up to ± this percentage, so many clients do not poll in lockstep.
    pub jitter_percent: u8,
    /// Seed for the jitter (tests fix it; the app uses its start time).
    pub seed: u64,
    /// While healthy, ask every door at least this often (else chatgpt.com alone).
    #[serde(default = "doors_refresh_default")]
    pub doors_refresh_ms: u64,
}

fn doors_refresh_default() -> u64 {
    DOORS_REFRESH_MS
}

impl Default for MonitorConfig {
    fn default() -> Self {
        MonitorConfig {
            interval_ms: 60_000,
            recheck_ms: 10_000,
            down_interval_ms: 20_000,
            offline_max_ms: 300_000,
            failure_threshold: 2,
            success_threshold: 2,
            notifications: true,
            reminder_ms: Some(3_600_000),
            flap_limit: 3,
            flap_window_ms: 3_600_000,
            stable_ms: 1_800_000,
            jitter_percent: 10,
            seed: 0x9e37_79b9_7f4a_7c15,
            doors_refresh_ms: DOORS_REFRESH_MS,
        }
    }
}

/// How long to keep quiet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Snooze {
    For {
        ms: u64,
    },
    /// Quiet until the current (or next) outage is over; the recovery itself is still announced.
    UntilRecovered,
}

/// Everything that can happen to the monitor.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Checked(Box<Diagnosis>),
    Snooze(Snooze),
    Unsnooze,
    Pause,
    Resume,
    /// The computer woke up or the clock was changed: a new start, look again now.
    Wake,
    /// The computer joined another network (its addresses changed): a new start.
    NetworkChanged,
}

/// Something worth telling the user, before it is put into words (see `notice`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Transition {
    Down {
        verdict: Verdict,
        cause: Cause,
        http_status: Option<u16>,
        colo: Option<String>,
        api_alive: Option<bool>,
        since_wall_ms: i64,
    },
    Recovered {
        was: Verdict,
        downtime_ms: u64,
        since_wall_ms: i64,
    },
    CauseChanged {
        from: Verdict,
        verdict: Verdict,
        cause: Cause,
        http_status: Option<u16>,
        since_wall_ms: i64,
    },
    StillDown {
        verdict: Verdict,
        cause: Cause,
        downtime_ms: u64,
    },
    /// ChatGPT keeps going down and coming back; per-flip notices stop here.
    Flapping { outages: u32, window_ms: u64 },
    /// The flapping is over; a summary of what happened meanwhile.
    Stable {
        now: Verdict,
        outages: u32,
        downtime_ms: u64,
    },
    /// The network the computer is on blocks ChatGPT (told once, when first found).
    NetworkBlocks {
        how: BlockHow,
        vendor: Option<String>,
        /// ChatGPT's own state, as far as what passes the block shows it.
        beyond: Option<Verdict>,
        /// Whether that comes from OpenAI's status page (else from its other doors).
        status_page: bool,
    },
}

/// What the driver must do after a step.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// The confirmed state changed: repaint the tray, print a line.
    Changed(Box<Status>),
    Notify(Transition),
    Record(Record),
}

/// A snapshot for the tray, the CLI and the explainer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Status {
    pub verdict: Verdict,
    pub color: Color,
    /// When the shown verdict began (the first observation of it).
    pub since_wall_ms: Option<i64>,
    pub last_check_wall_ms: Option<i64>,
    /// The diagnosis behind the shown verdict, the latest one that agrees with it.
    pub diagnosis: Option<Diagnosis>,
    /// The outage in progress, even while we cannot see (offline).
    pub outage: Option<OutageView>,
    /// A change is being confirmed: the latest check disagrees with what is shown.
    pub confirming: Option<Verdict>,
    pub flapping: bool,
    pub paused: bool,
    pub snooze: Option<SnoozeView>,
    /// Down for a while and the official page still shows nothing for ChatGPT.
    pub status_page_lagging: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutageView {
    pub verdict: Verdict,
    pub cause: Cause,
    pub start_wall_ms: i64,
    pub downtime_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SnoozeView {
    /// Quiet until this wall time (approximate: computed from the monotonic deadline).
    Until {
        wall_ms: i64,
    },
    UntilRecovered,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Working(Color),
    Down,
    CantTell,
    /// The network blocks ChatGPT: nothing first-hand about ChatGPT itself.
    NetworkBlock,
}

fn key(v: Verdict) -> Key {
    match v.health() {
        Health::Working => Key::Working(v.color()),
        Health::Down => Key::Down,
        Health::CantTell => Key::CantTell,
    }
}

fn key_of(d: &Diagnosis) -> Key {
    if d.network_block.is_some() {
        Key::NetworkBlock
    } else {
        key(d.verdict)
    }
}

#[derive(Debug, Clone)]
struct Streak {
    key: Key,
    count: u32,
    first: Now,
}

#[derive(Debug, Clone)]
struct OpenOutage {
    start: Now,
    /// The latest check that saw it down.
    last_seen: Now,
    verdict: Verdict,
    cause: Cause,
    /// The candidate new cause and how many checks in a row agreed on it.
    next_cause: Option<(Verdict, Cause, u32)>,
    last_notice_mono: Option<u64>,
}

#[derive(Debug, Clone, Copy)]
enum SnoozeState {
    UntilMono(u64),
    UntilRecovered,
}

#[derive(Debug, Clone)]
struct Flapping {
    outages: u32,
    downtime_ms: u64,
}

/// The state machine. Create with [`Monitor::new`], feed with [`Monitor::step`].
#[derive(Debug, Clone)]
pub struct Monitor {
    cfg: MonitorConfig,
    started: bool,
    shown: Verdict,
    /// The shown verdict is a network's block, not ChatGPT's state.
    shown_block: bool,
    /// This network's block has been told (once per network, until ChatGPT is seen again).
    block_told: bool,
    shown_since: Option<Now>,
    diagnosis: Option<Diagnosis>,
    last_check: Option<Now>,
    last_verdict: Option<Verdict>,
    streak: Option<Streak>,
    outage: Option<OpenOutage>,
    /// Monotonic starts of recent outages, for flap detection.
    recent_outages: VecDeque<u64>,
    flapping: Option<Flapping>,
    last_change_mono: u64,
    /// Checks in a row that could not see ChatGPT (offline, or a network's block): the wait
    /// between checks doubles with it, up to `offline_max_ms`.
    backoff_run: u32,
    snooze: Option<SnoozeState>,
    paused: bool,
    next_check_mono: u64,
    rng: u64,
    /// The latest check needs the other doors (true until a check says otherwise).
    needs_doors: bool,
    /// When every door was last asked (monotonic).
    all_doors_mono: Option<u64>,
    /// The latest answer's `Retry-After`, if it had one.
    retry_after_ms: Option<u64>,
}

impl Monitor {
    /// A monitor that wants its first check at `now`.
    pub fn new(cfg: MonitorConfig, now: Now) -> Self {
        let rng = cfg.seed | 1;
        Monitor {
            cfg,
            started: false,
            shown: Verdict::Unknown,
            shown_block: false,
            block_told: false,
            shown_since: None,
            diagnosis: None,
            last_check: None,
            last_verdict: None,
            streak: None,
            outage: None,
            recent_outages: VecDeque::new(),
            flapping: None,
            last_change_mono: now.mono_ms,
            backoff_run: 0,
            snooze: None,
            paused: false,
            next_check_mono: now.mono_ms,
            rng,
            needs_doors: true,
            all_doors_mono: None,
            retry_after_ms: None,
        }
    }

    pub fn config(&self) -> &MonitorConfig {
        &self.cfg
    }

    /// New settings take effect from the next check; state (outage, snooze) is kept.
    pub fn reconfigure(&mut self, cfg: MonitorConfig, now: Now) {
        self.cfg = cfg;
        // Other endpoints, perhaps: the next check asks every door.
        self.needs_doors = true;
        self.schedule(now);
    }

    /// When the driver should run the next check (monotonic ms); `None` while paused.
    pub fn next_check_at(&self) -> Option<u64> {
        (!self.paused).then_some(self.next_check_mono)
    }

    /// Which doors the next check should ask. chatgpt.com alone while the shown verdict and the
    /// latest answer are plainly "up" (nothing being confirmed, no outage open, a full view) and
    /// every door was asked within `doors_refresh_ms`; every door otherwise.
    pub fn doors(&self, now: Now) -> Asked {
        let healthy = self.started
            && self.shown == Verdict::Up
            && !self.needs_doors
            && self.streak.is_none()
            && self.outage.is_none();
        let fresh = self
            .all_doors_mono
            .is_some_and(|t| now.mono_ms.saturating_sub(t) < self.cfg.doors_refresh_ms);
        if healthy && fresh {
            Asked::ChatgptOnly
        } else {
            Asked::AllDoors
        }
    }

    /// The driver says which doors the check it is about to report asked (the prober may have
    /// widened a chatgpt.com-only check to all of them).
    pub fn doors_asked(&mut self, asked: Asked, now: Now) {
        if asked == Asked::AllDoors {
            self.all_doors_mono = Some(now.mono_ms);
        }
    }

    pub fn step(&mut self, event: Event, now: Now) -> Vec<Effect> {
        let mut fx = Vec::new();
        self.expire_snooze(now);
        match event {
            Event::Checked(d) => self.checked(*d, now, &mut fx),
            Event::Snooze(Snooze::For { ms }) => {
                self.snooze = Some(SnoozeState::UntilMono(now.mono_ms.saturating_add(ms)));
                fx.push(Effect::Changed(Box::new(self.status(now))));
            }
            Event::Snooze(Snooze::UntilRecovered) => {
                self.snooze = Some(SnoozeState::UntilRecovered);
                fx.push(Effect::Changed(Box::new(self.status(now))));
            }
            Event::Unsnooze => {
                self.snooze = None;
                fx.push(Effect::Changed(Box::new(self.status(now))));
            }
            Event::Pause => {
                self.paused = true;
                self.streak = None;
                fx.push(Effect::Changed(Box::new(self.status(now))));
            }
            Event::Resume => {
                self.paused = false;
                self.needs_doors = true;
                self.next_check_mono = now.mono_ms;
                fx.push(Effect::Changed(Box::new(self.status(now))));
            }
            // Observations from before the gap, or from another network, say nothing about
            // now: a new start, looking everywhere at once.
            Event::Wake | Event::NetworkChanged => self.start_over(now, &mut fx),
        }
        fx
    }

    /// A new start: the next check decides what is shown, as the first one did. An outage
    /// still open ends where it was last seen, its end unseen and never announced as a
    /// recovery; a block is told again if the new network blocks too.
    fn start_over(&mut self, now: Now, fx: &mut Vec<Effect>) {
        self.streak = None;
        self.needs_doors = true;
        self.retry_after_ms = None;
        self.backoff_run = 0;
        self.next_check_mono = now.mono_ms;
        self.block_told = false;
        if let Some(o) = self.outage.take() {
            fx.push(Effect::Record(Record::OutageLeft {
                end_ms: o.last_seen.wall_ms,
                duration_ms: o.last_seen.mono_ms.saturating_sub(o.start.mono_ms),
            }));
            if matches!(self.snooze, Some(SnoozeState::UntilRecovered)) {
                self.snooze = None;
            }
        }
        if self.started {
            self.started = false;
            fx.push(Effect::Changed(Box::new(self.status(now))));
        }
    }

    /// What is shown right now.
    pub fn status(&self, now: Now) -> Status {
        let outage = self.outage.as_ref().map(|o| OutageView {
            verdict: o.verdict,
            cause: o.cause,
            start_wall_ms: o.start.wall_ms,
            downtime_ms: now.mono_ms.saturating_sub(o.start.mono_ms),
        });
        let status_page_lagging = outage
            .as_ref()
            .is_some_and(|o| o.downtime_ms >= STATUS_PAGE_GRACE_MS)
            && self
                .diagnosis
                .as_ref()
                .and_then(|d| d.status_page.as_ref())
                .is_some_and(|p| !p.chatgpt_affected);
        let confirming = self
            .streak
            .as_ref()
            .filter(|s| s.key != self.shown_key())
            .and(self.last_verdict);
        Status {
            verdict: self.shown,
            color: if self.paused {
                Color::Grey
            } else {
                self.shown.color()
            },
            since_wall_ms: self.shown_since.map(|n| n.wall_ms),
            last_check_wall_ms: self.last_check.map(|n| n.wall_ms),
            diagnosis: self.diagnosis.clone(),
            outage,
            confirming,
            flapping: self.flapping.is_some(),
            paused: self.paused,
            snooze: self.snooze.map(|s| match s {
                SnoozeState::UntilMono(m) => SnoozeView::Until {
                    wall_ms: now.wall_ms + m.saturating_sub(now.mono_ms) as i64,
                },
                SnoozeState::UntilRecovered => SnoozeView::UntilRecovered,
            }),
            status_page_lagging,
        }
    }

    fn shown_key(&self) -> Key {
        if self.started {
            self.current_key()
        } else {
            // Before the first confirmed state nothing matches, so the first result decides.
            Key::Working(Color::Grey)
        }
    }

    /// The key of what is shown.
    fn current_key(&self) -> Key {
        if self.shown_block {
            Key::NetworkBlock
        } else {
            key(self.shown)
        }
    }

    fn checked(&mut self, d: Diagnosis, now: Now, fx: &mut Vec<Effect>) {
        if self.paused {
            return;
        }
        if let Some(last) = self.last_check {
            if now.clock_jumped_since(last, 120_000) {
                self.streak = None;
            }
        }
        self.last_check = Some(now);
        self.last_verdict = Some(d.verdict);
        self.needs_doors = needs_other_doors(&d);
        self.retry_after_ms = d.evidence.iter().find_map(|e| match e {
            Evidence::RetryAfter { secs } => Some(secs.saturating_mul(1000)),
            _ => None,
        });
        fx.push(Effect::Record(Record::Sample(Sample {
            at_ms: now.wall_ms,
            verdict: d.verdict,
            latency_ms: d.latency_ms.map(|l| l.min(u32::MAX as u64) as u32),
            network: d.network_block.is_some(),
        })));

        let k = key_of(&d);
        if k == Key::Down {
            if let Some(o) = &mut self.outage {
                o.last_seen = now;
            }
        }
        let recovering =
            self.started && self.current_key() == Key::Down && d.health() == Health::Working;
        // While down, every working verdict counts toward the same recovery.
        let streak_key = if recovering {
            Key::Working(Color::Green)
        } else {
            k
        };
        match &mut self.streak {
            Some(s) if s.key == streak_key => s.count += 1,
            _ => {
                self.streak = Some(Streak {
                    key: streak_key,
                    count: 1,
                    first: now,
                })
            }
        }
        // Offline, or behind a network's block (which goes with the network: a new one starts
        // over at once), the checks back off as for offline, sparing the known-answer host.
        self.backoff_run = if matches!(k, Key::CantTell | Key::NetworkBlock) {
            self.backoff_run + 1
        } else {
            0
        };

        let shown_key = self.shown_key();
        if k == shown_key {
            // Same picture: keep the newest details, watch for a change of cause.
            self.shown = d.verdict;
            self.shown_block = k == Key::NetworkBlock;
            self.streak = None;
            if k == Key::Down {
                self.track_cause(&d, now, fx);
            }
            self.diagnosis = Some(d);
        } else {
            let streak = self.streak.clone().expect("streak was just set");
            if streak.count >= self.required(streak_key) {
                self.transition(d, streak.first, now, fx);
                self.streak = None;
            }
        }
        self.reminders_and_flapping(now, fx);
        self.schedule(now);
    }

    fn required(&self, k: Key) -> u32 {
        let worse = match (self.current_key(), k) {
            (_, Key::Down | Key::CantTell | Key::NetworkBlock) => true,
            (Key::Down | Key::NetworkBlock, _) => false,
            (Key::Working(a), Key::Working(b)) => rank(b) > rank(a),
            (Key::CantTell, Key::Working(_)) => false,
        };
        if !self.started {
            // A block is told when it is found: confirmed first, like an outage.
            return if matches!(k, Key::Down | Key::NetworkBlock) {
                self.cfg.failure_threshold.max(1)
            } else {
                1
            };
        }
        if worse {
            self.cfg.failure_threshold
        } else {
            self.cfg.success_threshold
        }
        .max(1)
    }

    fn transition(&mut self, d: Diagnosis, first: Now, now: Now, fx: &mut Vec<Effect>) {
        let new_key = key_of(&d);
        self.started = true;
        self.shown = d.verdict;
        self.shown_block = new_key == Key::NetworkBlock;
        self.shown_since = Some(first);
        self.last_change_mono = now.mono_ms;

        match (new_key, self.outage.is_some()) {
            (Key::Down, false) => self.open_outage(&d, first, now, fx),
            (Key::Down, true) => self.track_cause(&d, now, fx),
            (Key::Working(_), true) => self.close_outage(first, now, fx),
            (Key::NetworkBlock, _) => self.block_found(&d, now, fx),
            _ => {}
        }
        // ChatGPT itself seen again: a block found later is news again.
        if matches!(new_key, Key::Working(_) | Key::Down) {
            self.block_told = false;
        }
        self.diagnosis = Some(d);
        fx.push(Effect::Changed(Box::new(self.status(now))));
    }

    /// The network blocks ChatGPT: told once, when first found on this network.
    fn block_found(&mut self, d: &Diagnosis, now: Now, fx: &mut Vec<Effect>) {
        let Some(b) = &d.network_block else { return };
        if self.block_told {
            return;
        }
        self.block_told = true;
        let t = Transition::NetworkBlocks {
            how: b.how,
            vendor: b.vendor.clone(),
            beyond: b.beyond,
            status_page: d.status_page.is_some(),
        };
        self.notify(t, now, fx);
    }

    fn open_outage(&mut self, d: &Diagnosis, first: Now, now: Now, fx: &mut Vec<Effect>) {
        self.outage = Some(OpenOutage {
            start: first,
            last_seen: now,
            verdict: d.verdict,
            cause: d.cause,
            next_cause: None,
            last_notice_mono: None,
        });
        fx.push(Effect::Record(Record::OutageStarted(Outage::begin(
            d,
            first.wall_ms,
        ))));

        let window_start = now.mono_ms.saturating_sub(self.cfg.flap_window_ms);
        self.recent_outages.retain(|&t| t >= window_start);
        self.recent_outages.push_back(first.mono_ms);
        let count = self.recent_outages.len() as u32;

        if let Some(f) = &mut self.flapping {
            f.outages += 1;
            return;
        }
        if self.cfg.flap_limit > 0 && count >= self.cfg.flap_limit {
            self.flapping = Some(Flapping {
                outages: 1,
                downtime_ms: 0,
            });
            self.notify(
                Transition::Flapping {
                    outages: count,
                    window_ms: self.cfg.flap_window_ms,
                },
                now,
                fx,
            );
            return;
        }
        self.notify(
            Transition::Down {
                verdict: d.verdict,
                cause: d.cause,
                http_status: d.http_status,
                colo: d.edge.colo.clone(),
                api_alive: d.api_alive,
                since_wall_ms: first.wall_ms,
            },
            now,
            fx,
        );
    }

    fn close_outage(&mut self, first_good: Now, now: Now, fx: &mut Vec<Effect>) {
        let Some(o) = self.outage.take() else { return };
        let downtime_ms = first_good.mono_ms.saturating_sub(o.start.mono_ms);
        fx.push(Effect::Record(Record::OutageEnded {
            end_ms: first_good.wall_ms,
            duration_ms: downtime_ms,
        }));
        if let Some(f) = &mut self.flapping {
            f.downtime_ms += downtime_ms;
            return;
        }
        let recovered = Transition::Recovered {
            was: o.verdict,
            downtime_ms,
            since_wall_ms: o.start.wall_ms,
        };
        if matches!(self.snooze, Some(SnoozeState::UntilRecovered)) {
            self.snooze = None;
        }
        self.notify(recovered, now, fx);
    }

    fn track_cause(&mut self, d: &Diagnosis, now: Now, fx: &mut Vec<Effect>) {
        let threshold = self.cfg.failure_threshold.max(1);
        let flapping = self.flapping.is_some();
        let Some(o) = &mut self.outage else { return };
        if (d.verdict, d.cause) == (o.verdict, o.cause) {
            o.next_cause = None;
            return;
        }
        let count = match o.next_cause {
            Some((v, c, n)) if (v, c) == (d.verdict, d.cause) => n + 1,
            _ => 1,
        };
        o.next_cause = Some((d.verdict, d.cause, count));
        if count < threshold {
            return;
        }
        let from = o.verdict;
        o.verdict = d.verdict;
        o.cause = d.cause;
        o.next_cause = None;
        fx.push(Effect::Record(Record::OutageCause {
            verdict: d.verdict,
            cause: d.cause,
        }));
        if flapping {
            return;
        }
        let t = Transition::CauseChanged {
            from,
            verdict: d.verdict,
            cause: d.cause,
            http_status: d.http_status,
            since_wall_ms: o.start.wall_ms,
        };
        // A change of cause is news, but not more often than the reminder gap allows.
        let gap = self.cfg.reminder_ms.unwrap_or(0).min(15 * 60_000);
        let recent = o
            .last_notice_mono
            .is_some_and(|t| now.mono_ms.saturating_sub(t) < gap);
        if !recent {
            self.notify(t, now, fx);
        }
    }

    fn reminders_and_flapping(&mut self, now: Now, fx: &mut Vec<Effect>) {
        if let Some(f) = &self.flapping {
            if now.mono_ms.saturating_sub(self.last_change_mono) >= self.cfg.stable_ms
                && !matches!(self.current_key(), Key::CantTell | Key::NetworkBlock)
            {
                let summary = Transition::Stable {
                    now: self.shown,
                    outages: f.outages,
                    downtime_ms: f.downtime_ms,
                };
                self.flapping = None;
                self.recent_outages.clear();
                self.notify(summary, now, fx);
                if let Some(o) = &mut self.outage {
                    o.last_notice_mono = Some(now.mono_ms);
                }
            }
            return;
        }
        let (Some(every), Some(o)) = (self.cfg.reminder_ms, &self.outage) else {
            return;
        };
        if self.current_key() != Key::Down {
            return;
        }
        let last = o.last_notice_mono.unwrap_or(o.start.mono_ms);
        if now.mono_ms.saturating_sub(last) >= every {
            let t = Transition::StillDown {
                verdict: o.verdict,
                cause: o.cause,
                downtime_ms: now.mono_ms.saturating_sub(o.start.mono_ms),
            };
            self.notify(t, now, fx);
        }
    }

    fn notify(&mut self, t: Transition, now: Now, fx: &mut Vec<Effect>) {
        if let Some(o) = &mut self.outage {
            o.last_notice_mono = Some(now.mono_ms);
        }
        let recovered = matches!(t, Transition::Recovered { .. } | Transition::Stable { .. });
        let snoozed = match self.snooze {
            None => false,
            Some(SnoozeState::UntilMono(_)) => true,
            Some(SnoozeState::UntilRecovered) => !recovered,
        };
        if self.cfg.notifications && !snoozed {
            fx.push(Effect::Notify(t));
        }
    }

    fn expire_snooze(&mut self, now: Now) {
        if let Some(SnoozeState::UntilMono(until)) = self.snooze {
            if now.mono_ms >= until {
                self.snooze = None;
            }
        }
    }

    fn schedule(&mut self, now: Now) {
        let confirming = self
            .streak
            .as_ref()
            .is_some_and(|s| s.key != self.shown_key());
        let recovering = confirming
            && self.outage.is_some()
            && self.last_verdict.is_some_and(|v| v == Verdict::Up);
        let base = if recovering {
            // People are waiting for "it's back": confirm a first good answer soon.
            self.cfg.recheck_ms.min(RECOVERY_CONFIRM_MS)
        } else if confirming {
            self.cfg.recheck_ms
        } else if self.backoff_run > 0 {
            let doublings = (self.backoff_run - 1).min(16);
            self.cfg
                .recheck_ms
                .saturating_mul(1 << doublings)
                .min(self.cfg.offline_max_ms.max(self.cfg.recheck_ms))
        } else if self.outage.is_some() {
            self.cfg.down_interval_ms
        } else {
            self.cfg.interval_ms
        };
        // Asked to wait (a 429 with `Retry-After`): not sooner than that, within bounds.
        let base = match self.retry_after_ms {
            Some(ms) => base.max(ms.min(RETRY_AFTER_MAX_MS)),
            None => base,
        };
        self.next_check_mono = now.mono_ms + self.jitter(base);
    }

    fn jitter(&mut self, base: u64) -> u64 {
        let pct = u64::from(self.cfg.jitter_percent.min(50));
        if pct == 0 || base == 0 {
            return base;
        }
        // xorshift64*: deterministic for a seed, plenty for spreading polls.
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        let r = self.rng.wrapping_mul(0x2545_f491_4f6c_dd1d);
        let span = base * pct / 100;
        base - span + r % (2 * span + 1)
    }
}

fn rank(c: Color) -> u8 {
    match c {
        Color::Green => 0,
        Color::Amber => 1,
        Color::Grey => 2,
        Color::Red => 3,
    }
}

#[cfg(test)]
pub(crate) mod tests;
