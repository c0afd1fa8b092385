//! The alerts waiting to go out, one lane per channel. Pure: the sender task hands in the time
//! and each attempt's outcome, and asks what to send and when to wake.
//!
//! Invariants:
//! - a lane sends one alert at a time, in order: "down" never arrives after "back";
//! - an alert leaves its lane only when the service took it, refused it for good, or it grew
//!   older than [`MAX_AGE_MS`] (said in the log): nothing is sent twice by the outbox itself;
//! - while this computer's network is away ([`Outbox::set_online`]), nothing is tried: the alerts
//!   wait and go when it is back (marked late by their payload);
//! - a service that answers "later" (429, 5xx, `Retry-After`) or does not answer is tried again
//!   with a growing wait ([`BACKOFF_MS`]); a lane holds at most [`LANE_CAP`] alerts, the oldest
//!   going first when full;
//! - a failing channel changes its state once (and says so once in the log), not per attempt.

use std::collections::VecDeque;
use std::sync::Arc;

use serde::Serialize;

use super::payload::Answer;
use super::{Alert, ChannelSpec};
use crate::model::NetErrorKind;
use crate::monitor::Now;

/// Alerts older than this are dropped, not sent: hours-old news is not news.
pub const MAX_AGE_MS: i64 = 3 * 60 * 60 * 1000;

/// At most this many alerts wait in a lane.
pub const LANE_CAP: usize = 50;

/// Waits between attempts after a failure with no `Retry-After`: doubling, then every minute.
pub const BACKOFF_MS: [u64; 6] = [2_000, 4_000, 8_000, 16_000, 32_000, 60_000];

/// Failed attempts in a row before a channel that does not answer is said to be failing (a
/// refusal is at once).
pub const FAILING_AFTER: u32 = 2;

/// Why an attempt failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum Failure {
    /// The request did not get an answer.
    Net(NetErrorKind),
    /// The service answered "not now" (429, 5xx).
    Status(u16),
    /// The service refused it for good (400, 403, 404, 410…).
    Refused(u16),
}

/// How a channel is doing, for the menu and the settings page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ChannelState {
    /// Nothing sent yet.
    Untried,
    /// The last alert went through.
    Working { last_sent_wall_ms: i64 },
    /// The last attempts failed.
    Failing { since_wall_ms: i64, why: Failure },
}

/// A channel's state, with what waits for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LaneView {
    pub state: ChannelState,
    pub waiting: usize,
}

/// Something for the log (never a URL: the channel is named by [`ChannelSpec::masked`]).
pub type Log = String;

struct Lane {
    spec: ChannelSpec,
    /// Tells a lane's jobs apart across reconfigurations.
    id: u64,
    queue: VecDeque<Arc<Alert>>,
    busy: bool,
    /// No attempt before this (monotonic ms).
    next_try: u64,
    failures: u32,
    state: ChannelState,
}

/// One attempt to make now.
#[derive(Debug, Clone)]
pub struct Job {
    pub lane: u64,
    pub spec: ChannelSpec,
    pub alert: Arc<Alert>,
}

#[derive(Default)]
pub struct Outbox {
    lanes: Vec<Lane>,
    next_id: u64,
    offline: bool,
}

impl Outbox {
    pub fn new(specs: Vec<ChannelSpec>) -> Outbox {
        let mut o = Outbox::default();
        o.reconfigure(specs);
        o
    }

    /// New settings: a channel still there keeps its queue and state (with its new choice of
    /// notices); a channel no longer there is dropped with what waited for it.
    pub fn reconfigure(&mut self, specs: Vec<ChannelSpec>) -> Vec<Log> {
        let mut old = std::mem::take(&mut self.lanes);
        let mut logs = Vec::new();
        for spec in specs {
            match old.iter().position(|l| l.spec.same_target(&spec)) {
                Some(i) => {
                    let mut lane = old.swap_remove(i);
                    lane.spec = spec;
                    self.lanes.push(lane);
                }
                None => {
                    self.next_id += 1;
                    self.lanes.push(Lane {
                        spec,
                        id: self.next_id,
                        queue: VecDeque::new(),
                        busy: false,
                        next_try: 0,
                        failures: 0,
                        state: ChannelState::Untried,
                    });
                }
            }
        }
        for l in old.into_iter().filter(|l| !l.queue.is_empty()) {
            logs.push(format!(
                "{} {} was removed: {} alert(s) waiting for it dropped",
                l.spec.kind.as_str(),
                l.spec.masked(),
                l.queue.len()
            ));
        }
        logs
    }

    /// A notice the monitor decided: into the lane of every channel that wants it.
    pub fn push(&mut self, alert: Alert) -> Vec<Log> {
        let alert = Arc::new(alert);
        let mut logs = Vec::new();
        for l in self.lanes.iter_mut().filter(|l| l.spec.wants(alert.notice)) {
            if l.queue.len() >= LANE_CAP {
                if let Some(old) = l.queue.pop_front() {
                    logs.push(format!(
                        "{} {}: {LANE_CAP} alerts waiting; the oldest ({}, {}) dropped",
                        l.spec.kind.as_str(),
                        l.spec.masked(),
                        old.notice.as_str(),
                        old.id
                    ));
                }
            }
            l.queue.push_back(alert.clone());
        }
        logs
    }

    /// Whether this computer's network works (the monitor's verdict is not `offline`). While it
    /// does not, nothing is tried; when it is back, every lane tries at once.
    pub fn set_online(&mut self, online: bool) {
        if self.offline && online {
            for l in &mut self.lanes {
                l.next_try = 0;
            }
        }
        self.offline = !online;
    }

    /// The attempts to make now; each lane's is marked busy until [`Outbox::done`].
    pub fn due(&mut self, now: Now) -> (Vec<Job>, Vec<Log>) {
        let logs = self.expire(now);
        if self.offline {
            return (Vec::new(), logs);
        }
        let jobs = self
            .lanes
            .iter_mut()
            .filter(|l| !l.busy && now.mono_ms >= l.next_try)
            .filter_map(|l| {
                let alert = l.queue.front()?.clone();
                l.busy = true;
                Some(Job {
                    lane: l.id,
                    spec: l.spec.clone(),
                    alert,
                })
            })
            .collect();
        (jobs, logs)
    }

    /// An attempt's outcome: the answer, or how the request failed.
    pub fn done(&mut self, job: &Job, outcome: Result<Answer, NetErrorKind>, now: Now) -> Vec<Log> {
        let mut logs = Vec::new();
        // A lane removed meanwhile: nothing to do.
        let Some(l) = self.lanes.iter_mut().find(|l| l.id == job.lane) else {
            return logs;
        };
        l.busy = false;
        let name = format!("{} {}", l.spec.kind.as_str(), l.spec.masked());
        let same = l.queue.front().is_some_and(|a| Arc::ptr_eq(a, &job.alert));
        let (failure, after) = match outcome {
            Ok(Answer::Delivered) => {
                if same {
                    l.queue.pop_front();
                }
                if matches!(l.state, ChannelState::Failing { .. }) {
                    logs.push(format!("{name} works again"));
                }
                l.state = ChannelState::Working {
                    last_sent_wall_ms: now.wall_ms,
                };
                l.failures = 0;
                l.next_try = 0;
                return logs;
            }
            Ok(Answer::Refused { status }) => {
                if same {
                    l.queue.pop_front();
                }
                logs.push(format!(
                    "{name} refused the {} alert (HTTP {status}); it is dropped — check the channel's address",
                    job.alert.notice.as_str()
                ));
                (Failure::Refused(status), None)
            }
            Ok(Answer::Later { status, after_ms }) => (Failure::Status(status), after_ms),
            Err(kind) => (Failure::Net(kind), None),
        };
        l.failures = l.failures.saturating_add(1);
        let backoff = BACKOFF_MS[(l.failures as usize - 1).min(BACKOFF_MS.len() - 1)];
        l.next_try = now.mono_ms + after.unwrap_or(backoff);
        let refused = matches!(failure, Failure::Refused(_));
        let rate_limited = failure == Failure::Status(429);
        if (refused || l.failures >= FAILING_AFTER) && !rate_limited {
            match &mut l.state {
                ChannelState::Failing { why, .. } => *why = failure,
                _ => {
                    logs.push(format!("{name} is failing: {failure:?}"));
                    l.state = ChannelState::Failing {
                        since_wall_ms: now.wall_ms,
                        why: failure,
                    };
                }
            }
        }
        logs
    }

    /// Drop what is too old to be news (by the wall clock: a night asleep counts).
    fn expire(&mut self, now: Now) -> Vec<Log> {
        let mut logs = Vec::new();
        for l in &mut self.lanes {
            let before = l.queue.len();
            // The one being sent stays until its attempt ends.
            let keep_first = l.busy as usize;
            let mut i = keep_first;
            while i < l.queue.len() {
                if now.wall_ms - l.queue[i].at_wall_ms > MAX_AGE_MS {
                    l.queue.remove(i);
                } else {
                    i += 1;
                }
            }
            let dropped = before - l.queue.len();
            if dropped > 0 {
                logs.push(format!(
                    "{} {}: {dropped} alert(s) over {} hours old dropped, not sent",
                    l.spec.kind.as_str(),
                    l.spec.masked(),
                    MAX_AGE_MS / 3_600_000
                ));
            }
        }
        logs
    }

    /// When to come back (monotonic ms): the soonest lane with something to try, if any.
    pub fn next_wake(&self) -> Option<u64> {
        if self.offline {
            return None;
        }
        self.lanes
            .iter()
            .filter(|l| !l.busy && !l.queue.is_empty())
            .map(|l| l.next_try)
            .min()
    }

    /// Nothing waits and nothing is being sent: the HTTP client can go.
    pub fn is_idle(&self) -> bool {
        self.lanes.iter().all(|l| !l.busy && l.queue.is_empty())
    }

    /// Each channel's state, in the settings' order.
    pub fn views(&self) -> Vec<LaneView> {
        self.lanes
            .iter()
            .map(|l| LaneView {
                state: l.state.clone(),
                waiting: l.queue.len(),
            })
            .collect()
    }
}
