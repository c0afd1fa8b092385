//! What happened: outages with their cause, and one small sample per check, in bounded memory.
//!
//! The monitor emits [`Record`]s; [`History::apply`] folds them in. Uptime is computed from the
//! samples, each weighted by the time to the next one (capped, so the hours the computer was off
//! count for nothing rather than for "up"), and checks that could not tell are left out.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use crate::diagnose::{Cause, Diagnosis, Evidence, Health, Verdict};

/// Outages kept (oldest dropped first).
pub const MAX_OUTAGES: usize = 500;
/// Samples kept: a week at one check a minute.
pub const MAX_SAMPLES: usize = 10_080;
/// Evidence lines kept per outage.
const MAX_EVIDENCE: usize = 12;
/// A sample stands for at most this long (a gap longer than this is time we did not watch).
const MAX_SAMPLE_WEIGHT_MS: i64 = 10 * 60_000;

pub const DAY_MS: i64 = 24 * 3_600_000;
pub const WEEK_MS: i64 = 7 * DAY_MS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outage {
    /// Wall-clock start (Unix ms): the first check that saw it.
    pub start_ms: i64,
    /// Wall-clock end: the first good check. `None` while it lasts.
    pub end_ms: Option<i64>,
    /// Measured on the monotonic clock, so immune to clock changes.
    pub duration_ms: Option<u64>,
    pub verdict: Verdict,
    pub cause: Cause,
    pub http_status: Option<u16>,
    pub colo: Option<String>,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    /// The outage's end was not seen (the app stopped while it lasted).
    #[serde(default)]
    pub end_unknown: bool,
}

impl Outage {
    pub fn begin(d: &Diagnosis, start_ms: i64) -> Self {
        Outage {
            start_ms,
            end_ms: None,
            duration_ms: None,
            verdict: d.verdict,
            cause: d.cause,
            http_status: d.http_status,
            colo: d.edge.colo.clone(),
            evidence: d.evidence.iter().take(MAX_EVIDENCE).cloned().collect(),
            end_unknown: false,
        }
    }
}

/// One check, compactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sample {
    pub at_ms: i64,
    pub verdict: Verdict,
    pub latency_ms: Option<u32>,
}

/// A change to the history, as emitted by the monitor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "record", rename_all = "snake_case")]
pub enum Record {
    Sample(Sample),
    OutageStarted(Outage),
    OutageCause { verdict: Verdict, cause: Cause },
    OutageEnded { end_ms: i64, duration_ms: u64 },
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct History {
    #[serde(default)]
    pub outages: VecDeque<Outage>,
    #[serde(default)]
    pub samples: VecDeque<Sample>,
}

/// Uptime over a window, with how much of the window was actually observed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Uptime {
    /// 0.0 ..= 1.0 of the observed time in which ChatGPT worked.
    pub ratio: f64,
    pub observed_ms: i64,
    pub down_ms: i64,
}

impl History {
    pub fn apply(&mut self, r: Record) {
        match r {
            Record::Sample(s) => {
                self.samples.push_back(s);
                while self.samples.len() > MAX_SAMPLES {
                    self.samples.pop_front();
                }
            }
            Record::OutageStarted(o) => {
                self.close_dangling();
                self.outages.push_back(o);
                while self.outages.len() > MAX_OUTAGES {
                    self.outages.pop_front();
                }
            }
            Record::OutageCause { verdict, cause } => {
                if let Some(o) = self.open_outage_mut() {
                    o.verdict = verdict;
                    o.cause = cause;
                }
            }
            Record::OutageEnded {
                end_ms,
                duration_ms,
            } => {
                if let Some(o) = self.open_outage_mut() {
                    o.end_ms = Some(end_ms.max(o.start_ms));
                    o.duration_ms = Some(duration_ms);
                }
            }
        }
    }

    fn open_outage_mut(&mut self) -> Option<&mut Outage> {
        self.outages.back_mut().filter(|o| o.end_ms.is_none())
    }

    /// An outage left open by a previous run (crash, shutdown while down) is closed at the last
    /// sample taken during it, marked as having no seen end. Call after loading.
    pub fn close_dangling(&mut self) {
        let last_sample = self.samples.back().map(|s| s.at_ms);
        if let Some(o) = self.open_outage_mut() {
            let end = last_sample
                .filter(|&t| t >= o.start_ms)
                .unwrap_or(o.start_ms);
            o.end_ms = Some(end);
            o.duration_ms = Some((end - o.start_ms) as u64);
            o.end_unknown = true;
        }
    }

    /// Uptime over the `window_ms` before `now_ms`; `None` when nothing in it was observed.
    pub fn uptime(&self, now_ms: i64, window_ms: i64) -> Option<Uptime> {
        let from = now_ms - window_ms;
        let mut observed = 0i64;
        let mut down = 0i64;
        let mut iter = self.samples.iter().peekable();
        while let Some(s) = iter.next() {
            let next_at = iter.peek().map_or(now_ms, |n| n.at_ms);
            let start = s.at_ms.max(from);
            let end = next_at.min(s.at_ms + MAX_SAMPLE_WEIGHT_MS).min(now_ms);
            if end <= start {
                continue;
            }
            match s.verdict.health() {
                Health::Working => observed += end - start,
                Health::Down => {
                    observed += end - start;
                    down += end - start;
                }
                Health::CantTell => {}
            }
        }
        (observed > 0).then(|| Uptime {
            ratio: (observed - down) as f64 / observed as f64,
            observed_ms: observed,
            down_ms: down,
        })
    }

    /// Latency samples (ms) since `from_ms`, oldest first, for a sparkline.
    pub fn latencies(&self, from_ms: i64) -> Vec<(i64, u32)> {
        self.samples
            .iter()
            .filter(|s| s.at_ms >= from_ms)
            .filter_map(|s| s.latency_ms.map(|l| (s.at_ms, l)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(at_ms: i64, verdict: Verdict) -> Record {
        Record::Sample(Sample {
            at_ms,
            verdict,
            latency_ms: Some(100),
        })
    }

    fn outage(start_ms: i64) -> Outage {
        Outage {
            start_ms,
            end_ms: None,
            duration_ms: None,
            verdict: Verdict::BadGateway,
            cause: Cause::Overload,
            http_status: Some(502),
            colo: Some("FRA".into()),
            evidence: vec![],
            end_unknown: false,
        }
    }

    #[test]
    fn uptime_weights_samples_and_ignores_unobserved_time() {
        let mut h = History::default();
        let m = 60_000;
        // 10 minutes up, 5 minutes down, 5 minutes up, then a 2-hour gap (computer off), 1 min up.
        for i in 0..10 {
            h.apply(sample(i * m, Verdict::Up));
        }
        for i in 10..15 {
            h.apply(sample(i * m, Verdict::BadGateway));
        }
        for i in 15..20 {
            h.apply(sample(i * m, Verdict::Up));
        }
        // Offline checks count for nothing either way.
        h.apply(sample(20 * m, Verdict::Offline));
        h.apply(sample(140 * m, Verdict::Up));
        let u = h.uptime(141 * m, DAY_MS).unwrap();
        assert_eq!(u.down_ms, 5 * m);
        assert_eq!(u.observed_ms, 21 * m);
        assert!((u.ratio - 16.0 / 21.0).abs() < 1e-9);
        // A window that starts mid-way clips the samples.
        let u = h.uptime(141 * m, 130 * m).unwrap();
        assert_eq!(u.down_ms, 4 * m);
        assert_eq!(History::default().uptime(0, DAY_MS), None);
    }

    #[test]
    fn outages_open_close_and_are_bounded() {
        let mut h = History::default();
        h.apply(Record::OutageStarted(outage(1_000)));
        h.apply(Record::OutageCause {
            verdict: Verdict::OriginError,
            cause: Cause::OriginFailure,
        });
        h.apply(Record::OutageEnded {
            end_ms: 61_000,
            duration_ms: 60_000,
        });
        let o = &h.outages[0];
        assert_eq!(
            (o.end_ms, o.duration_ms, o.verdict),
            (Some(61_000), Some(60_000), Verdict::OriginError)
        );
        // An end with nothing open changes nothing.
        h.apply(Record::OutageEnded {
            end_ms: 99_000,
            duration_ms: 1,
        });
        assert_eq!(h.outages[0].end_ms, Some(61_000));
        for i in 0..(MAX_OUTAGES as i64 + 20) {
            h.apply(Record::OutageStarted(outage(100_000 + i)));
        }
        assert_eq!(h.outages.len(), MAX_OUTAGES);
        assert!(
            h.outages.iter().rev().skip(1).all(|o| o.end_unknown),
            "superseded open outages are closed"
        );
        for i in 0..(MAX_SAMPLES as i64 + 5) {
            h.apply(sample(i, Verdict::Up));
        }
        assert_eq!(h.samples.len(), MAX_SAMPLES);
    }

    #[test]
    fn dangling_outage_closes_at_last_sample() {
        let mut h = History::default();
        h.apply(Record::OutageStarted(outage(10_000)));
        h.apply(sample(10_000, Verdict::BadGateway));
        h.apply(sample(50_000, Verdict::BadGateway));
        h.close_dangling();
        let o = &h.outages[0];
        assert_eq!(
            (o.end_ms, o.duration_ms, o.end_unknown),
            (Some(50_000), Some(40_000), true)
        );
    }
}
