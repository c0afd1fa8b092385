//! What happened: outages with their cause, and what every check saw, for 90 days in bounded
//! space.
//!
//! The monitor emits [`Record`]s; [`History::apply`] folds them in. The last day is kept as raw
//! [`Sample`]s (one per check); older checks are folded into [`Bucket`]s: 15-minute ones up to a
//! week back, hourly ones up to 90 days, then dropped. A bucket keeps what the pages and uptime
//! need: the time ChatGPT was seen working and down, the worst verdict, the number of checks, and
//! the median and slowest response time. Uptime is computed from both: each sample is weighted by
//! the time to the next one (capped, so the hours the computer was off count for nothing rather
//! than for "up"), checks that could not tell are left out, and a bucket counts in proportion to
//! its overlap with the window asked about.
//!
//! Everything here is pure: time comes in with the records (and as `now_ms` for questions).

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use crate::diagnose::{Cause, Color, Diagnosis, Evidence, Health, Verdict};

pub mod synthetic;

/// Outages kept (oldest dropped first).
pub const MAX_OUTAGES: usize = 500;
/// Raw samples kept at most (a day of checks every 10 s would be 8,640); older ones are folded
/// into buckets early rather than dropped.
pub const MAX_SAMPLES: usize = 10_080;
/// Evidence lines kept per outage.
const MAX_EVIDENCE: usize = 12;
/// A sample stands for at most this long (a gap longer than this is time we did not watch).
const MAX_SAMPLE_WEIGHT_MS: i64 = 10 * 60_000;

pub const MINUTE_MS: i64 = 60_000;
pub const QUARTER_MS: i64 = 15 * MINUTE_MS;
pub const HOUR_MS: i64 = 60 * MINUTE_MS;
pub const DAY_MS: i64 = 24 * HOUR_MS;
pub const WEEK_MS: i64 = 7 * DAY_MS;
/// How far back raw samples are kept; then they become 15-minute buckets.
pub const RAW_MS: i64 = DAY_MS;
/// How far back 15-minute buckets are kept; then they become hourly ones.
pub const QUARTERS_MS: i64 = WEEK_MS;
/// How far back anything is kept.
pub const KEEP_MS: i64 = 90 * DAY_MS;
/// Buckets kept at most: a week of quarters and the rest of 90 days in hours, plus slack.
pub const MAX_BUCKETS: usize =
    (QUARTERS_MS / QUARTER_MS + (KEEP_MS - QUARTERS_MS) / HOUR_MS) as usize + 16;
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
            // What the user's browser saw stays in memory (its companion's records, and their
            // reading): the history keeps the verdict it led to, never the browser's counts.
            evidence: d
                .evidence
                .iter()
                .filter(|e| !matches!(e, Evidence::Browser { .. }))
                .take(MAX_EVIDENCE)
                .cloned()
                .collect(),
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
    /// The user's network blocked ChatGPT: time that says nothing of ChatGPT itself (neither
    /// up nor down), kept apart as "blocked on your network".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub network: bool,
}

impl Sample {
    /// How this check counts for uptime: a network's block counts as not watched.
    pub fn health(&self) -> Health {
        if self.network {
            Health::CantTell
        } else {
            self.verdict.health()
        }
    }
}

/// A change to the history, as emitted by the monitor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "record", rename_all = "snake_case")]
pub enum Record {
    Sample(Sample),
    OutageStarted(Outage),
    OutageCause {
        verdict: Verdict,
        cause: Cause,
    },
    OutageEnded {
        end_ms: i64,
        duration_ms: u64,
    },
    /// The outage was left behind (the computer joined another network, or woke up): it ends
    /// where it was last seen, its real end unseen.
    OutageLeft {
        end_ms: i64,
        duration_ms: u64,
    },
}

/// Checks folded together: a 15-minute or hourly bucket as stored, or a cell of a page's bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bucket {
    /// Wall-clock start (Unix ms) and length.
    pub start_ms: i64,
    pub span_ms: i64,
    /// Observed time in which ChatGPT worked, and in which it was down (as for [`Uptime`]; a
    /// stored bucket holds the time of the checks that began in it).
    pub up_ms: i64,
    pub down_ms: i64,
    /// Checks made in it (those that could not tell included).
    pub checks: u32,
    /// Time the user's network was seen blocking ChatGPT (neither up nor down).
    #[serde(default)]
    pub network_blocked_ms: i64,
    /// The worst verdict seen: red over amber over grey over green.
    pub worst: Option<Verdict>,
    /// Checks that measured a response time, their median and the slowest. The median of an
    /// hourly or longer bucket is the median of its parts' medians, weighted by their checks.
    pub latency_n: u32,
    pub median_ms: Option<u32>,
    pub max_ms: Option<u32>,
}

impl Bucket {
    pub fn end_ms(&self) -> i64 {
        self.start_ms + self.span_ms
    }

    /// The share of observed time in which ChatGPT worked; `None` when nothing was observed.
    pub fn uptime(&self) -> Option<f64> {
        let observed = self.up_ms + self.down_ms;
        (observed > 0).then(|| self.up_ms as f64 / observed as f64)
    }
}

/// How bad a verdict is, for "the worst state in a cell": down, then degraded or blocked, then
/// cannot tell, then up.
pub const fn severity(v: Verdict) -> u8 {
    match v.color() {
        Color::Green => 0,
        Color::Grey => 1,
        Color::Amber => 2,
        Color::Red => 3,
    }
}

fn worse(a: Option<Verdict>, b: Option<Verdict>) -> Option<Verdict> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if severity(y) > severity(x) { y } else { x }),
        (x, None) => x,
        (None, y) => y,
    }
}

/// What goes into a bucket, before its median is taken.
#[derive(Debug, Clone, Default)]
struct Acc {
    up_ms: f64,
    down_ms: f64,
    blocked_ms: f64,
    checks: f64,
    worst: Option<Verdict>,
    /// (response time, weight): a check counts once, a bucket's median as many as its checks.
    latencies: Vec<(u32, u32)>,
    max_ms: Option<u32>,
}

impl Acc {
    /// Time observed after this check.
    fn time(&mut self, s: &Sample, ms: i64) {
        if ms <= 0 {
            return;
        }
        if s.network {
            self.blocked_ms += ms as f64;
        }
        match s.health() {
            Health::Working => self.up_ms += ms as f64,
            Health::Down => self.down_ms += ms as f64,
            Health::CantTell => {}
        }
    }

    fn check(&mut self, s: &Sample) {
        self.checks += 1.0;
        // A network's block is not ChatGPT's state, nor its filter's speed ChatGPT's.
        if s.network {
            return;
        }
        self.worst = worse(self.worst, Some(s.verdict));
        if let Some(l) = s.latency_ms {
            self.latencies.push((l, 1));
            self.max_ms = self.max_ms.max(Some(l));
        }
    }

    /// `share` of a bucket (the part of it that falls here).
    fn bucket(&mut self, b: &Bucket, share: f64) {
        if share <= 0.0 {
            return;
        }
        self.up_ms += b.up_ms as f64 * share;
        self.down_ms += b.down_ms as f64 * share;
        self.blocked_ms += b.network_blocked_ms as f64 * share;
        self.checks += f64::from(b.checks) * share;
        self.worst = worse(self.worst, b.worst);
        if let Some(m) = b.median_ms {
            let weight = (f64::from(b.latency_n) * share).round().max(1.0) as u32;
            self.latencies.push((m, weight));
        }
        self.max_ms = self.max_ms.max(b.max_ms);
    }

    fn finish(mut self, start_ms: i64, span_ms: i64) -> Bucket {
        self.latencies.sort_unstable();
        let n: u64 = self.latencies.iter().map(|&(_, w)| u64::from(w)).sum();
        let mut seen = 0u64;
        let median_ms = self
            .latencies
            .iter()
            .find(|&&(_, w)| {
                seen += u64::from(w);
                seen * 2 >= n
            })
            .map(|&(l, _)| l);
        Bucket {
            start_ms,
            span_ms,
            up_ms: self.up_ms.round() as i64,
            down_ms: self.down_ms.round() as i64,
            checks: self.checks.round() as u32,
            network_blocked_ms: self.blocked_ms.round() as i64,
            worst: self.worst,
            latency_n: u32::try_from(n).unwrap_or(u32::MAX),
            median_ms,
            max_ms: self.max_ms,
        }
    }
}

/// Where a sample's weight ends: at the next check, at most [`MAX_SAMPLE_WEIGHT_MS`] later.
fn weight_end(s: &Sample, next_ms: i64) -> i64 {
    next_ms.min(s.at_ms + MAX_SAMPLE_WEIGHT_MS)
}

fn floor_to(t: i64, span: i64) -> i64 {
    t - t.rem_euclid(span)
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct History {
    #[serde(default)]
    pub outages: VecDeque<Outage>,
    /// The last day's checks, oldest first.
    #[serde(default)]
    pub samples: VecDeque<Sample>,
    /// Older checks, folded: hourly buckets, then 15-minute ones, oldest first. Files written
    /// before buckets existed have none; [`History::compact`] makes them on load.
    #[serde(default)]
    pub buckets: VecDeque<Bucket>,
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
                self.compact();
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
            } => self.end_outage(end_ms, duration_ms, false),
            Record::OutageLeft {
                end_ms,
                duration_ms,
            } => self.end_outage(end_ms, duration_ms, true),
        }
    }

    /// Fold what has aged, measured from the newest sample: raw samples older than a day into
    /// 15-minute buckets (earlier if there are more than [`MAX_SAMPLES`]), quarters older than a
    /// week into hours, and drop what is older than 90 days. Called on every sample, and after
    /// loading (a file from before buckets holds a week of raw samples).
    pub fn compact(&mut self) {
        let Some(newest) = self.samples.back().map(|s| s.at_ms) else {
            return;
        };
        let mut folded = false;
        while let Some(front) = self.samples.front() {
            let quarter = floor_to(front.at_ms, QUARTER_MS);
            let crowded = self.samples.len() > MAX_SAMPLES;
            if !crowded && quarter + QUARTER_MS > newest - RAW_MS {
                break;
            }
            let n = self
                .samples
                .iter()
                .take_while(|s| floor_to(s.at_ms, QUARTER_MS) == quarter)
                .count();
            if n == self.samples.len() {
                // Its last check has no successor to weigh it by yet; only when the clock is
                // stuck can this be crowded, and then the oldest goes.
                if crowded {
                    self.samples.pop_front();
                    continue;
                }
                break;
            }
            let mut acc = Acc::default();
            for i in 0..n {
                let s = self.samples[i];
                acc.time(&s, weight_end(&s, self.samples[i + 1].at_ms) - s.at_ms);
                acc.check(&s);
            }
            self.samples.drain(..n);
            self.add_bucket(acc.finish(quarter, QUARTER_MS));
            folded = true;
        }
        if !folded {
            return;
        }
        // Quarters sit after the hours; fold the oldest quarters' hour while it is old enough.
        loop {
            let first_quarter = self
                .buckets
                .iter()
                .rposition(|b| b.span_ms != QUARTER_MS)
                .map_or(0, |i| i + 1);
            let Some(q) = self.buckets.get(first_quarter) else {
                break;
            };
            let hour = floor_to(q.start_ms, HOUR_MS);
            if hour + HOUR_MS > newest - QUARTERS_MS && self.buckets.len() <= MAX_BUCKETS {
                break;
            }
            let n = self
                .buckets
                .iter()
                .skip(first_quarter)
                .take_while(|b| b.span_ms == QUARTER_MS && floor_to(b.start_ms, HOUR_MS) == hour)
                .count();
            let mut acc = Acc::default();
            for b in self.buckets.drain(first_quarter..first_quarter + n) {
                acc.bucket(&b, 1.0);
            }
            self.add_bucket(acc.finish(hour, HOUR_MS));
        }
        while let Some(b) = self.buckets.front() {
            if b.end_ms() > newest - KEEP_MS && self.buckets.len() <= MAX_BUCKETS {
                break;
            }
            self.buckets.pop_front();
        }
    }

    /// Insert in order of start; a bucket for the same period as one kept (the clock went back)
    /// is merged into it.
    fn add_bucket(&mut self, b: Bucket) {
        let at = self
            .buckets
            .partition_point(|x| (x.start_ms, x.span_ms) < (b.start_ms, b.span_ms));
        match self.buckets.get_mut(at) {
            Some(same) if same.start_ms == b.start_ms && same.span_ms == b.span_ms => {
                let mut acc = Acc::default();
                acc.bucket(same, 1.0);
                acc.bucket(&b, 1.0);
                *same = acc.finish(b.start_ms, b.span_ms);
            }
            _ => self.buckets.insert(at, b),
        }
    }

    /// End the open outage, if there is one; `unseen`: its real end was not seen.
    fn end_outage(&mut self, end_ms: i64, duration_ms: u64, unseen: bool) {
        if let Some(o) = self.open_outage_mut() {
            o.end_ms = Some(end_ms.max(o.start_ms));
            o.duration_ms = Some(duration_ms);
            o.end_unknown = unseen;
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
        let mut observed = 0.0f64;
        let mut down = 0.0f64;
        for b in &self.buckets {
            let overlap = b.end_ms().min(now_ms) - b.start_ms.max(from);
            if overlap <= 0 || b.span_ms <= 0 {
                continue;
            }
            let share = overlap as f64 / b.span_ms as f64;
            observed += (b.up_ms + b.down_ms) as f64 * share;
            down += b.down_ms as f64 * share;
        }
        let mut iter = self.samples.iter().peekable();
        while let Some(s) = iter.next() {
            let next_at = iter.peek().map_or(now_ms, |n| n.at_ms);
            let start = s.at_ms.max(from);
            let end = weight_end(s, next_at).min(now_ms);
            if end <= start {
                continue;
            }
            match s.health() {
                Health::Working => observed += (end - start) as f64,
                Health::Down => {
                    observed += (end - start) as f64;
                    down += (end - start) as f64;
                }
                Health::CantTell => {}
            }
        }
        let (observed, down) = (observed.round() as i64, down.round() as i64);
        (observed > 0).then(|| Uptime {
            ratio: (observed - down) as f64 / observed as f64,
            observed_ms: observed,
            down_ms: down,
        })
    }

    /// `count` cells of `span_ms` from `from_ms`, each summing the checks and buckets in it: the
    /// uptime bars and the latency chart. A raw check's time is split exactly between cells, a
    /// stored bucket's in proportion to its overlap; nothing after `now_ms` counts.
    pub fn cells(&self, from_ms: i64, span_ms: i64, count: usize, now_ms: i64) -> Vec<Bucket> {
        let mut accs = vec![Acc::default(); count];
        if span_ms <= 0 || count == 0 {
            return vec![];
        }
        let to = from_ms + span_ms * count as i64;
        let index = |t: i64| ((t - from_ms).div_euclid(span_ms)) as usize;
        // Each overlapped cell and how much of [start, end) falls in it.
        let spread = |start: i64, end: i64, f: &mut dyn FnMut(usize, i64)| {
            let (s, e) = (start.max(from_ms), end.min(to));
            if e <= s {
                return;
            }
            for i in index(s)..=index(e - 1) {
                let cell = from_ms + i as i64 * span_ms;
                let part = e.min(cell + span_ms) - s.max(cell);
                if part > 0 {
                    f(i, part);
                }
            }
        };
        for b in &self.buckets {
            if b.span_ms <= 0 {
                continue;
            }
            spread(b.start_ms, b.end_ms(), &mut |i, part| {
                accs[i].bucket(b, part as f64 / b.span_ms as f64);
            });
        }
        let mut iter = self.samples.iter().peekable();
        while let Some(s) = iter.next() {
            let next_at = iter.peek().map_or(now_ms, |n| n.at_ms);
            let end = weight_end(s, next_at).min(now_ms);
            spread(s.at_ms, end, &mut |i, part| accs[i].time(s, part));
            if (from_ms..to).contains(&s.at_ms) && s.at_ms <= now_ms {
                accs[index(s.at_ms)].check(s);
            }
        }
        accs.into_iter()
            .enumerate()
            .map(|(i, a)| a.finish(from_ms + i as i64 * span_ms, span_ms))
            .collect()
    }

    /// How long the user's network was seen blocking ChatGPT in the `window_ms` before `now_ms`
    /// (kept apart from uptime: it says nothing of ChatGPT).
    pub fn network_blocked(&self, now_ms: i64, window_ms: i64) -> i64 {
        let from = now_ms - window_ms;
        let mut total = 0.0f64;
        for b in &self.buckets {
            let overlap = b.end_ms().min(now_ms) - b.start_ms.max(from);
            if overlap > 0 && b.span_ms > 0 {
                total += b.network_blocked_ms as f64 * overlap as f64 / b.span_ms as f64;
            }
        }
        let mut iter = self.samples.iter().peekable();
        while let Some(s) = iter.next() {
            let next_at = iter.peek().map_or(now_ms, |n| n.at_ms);
            let (start, end) = (s.at_ms.max(from), weight_end(s, next_at).min(now_ms));
            if s.network && end > start {
                total += (end - start) as f64;
            }
        }
        total.round() as i64
    }

    /// Everything kept, as buckets (the stored ones, then the raw samples folded into quarters
    /// the way [`History::compact`] will fold them): what `gatewatch history` exports.
    pub fn all_buckets(&self, now_ms: i64) -> Vec<Bucket> {
        let mut out: Vec<Bucket> = self.buckets.iter().copied().collect();
        let mut i = 0;
        while i < self.samples.len() {
            let quarter = floor_to(self.samples[i].at_ms, QUARTER_MS);
            let mut acc = Acc::default();
            while let Some(s) = self.samples.get(i) {
                if floor_to(s.at_ms, QUARTER_MS) != quarter {
                    break;
                }
                let next = self.samples.get(i + 1).map_or(now_ms, |n| n.at_ms);
                acc.time(s, weight_end(s, next).min(now_ms.max(s.at_ms)) - s.at_ms);
                acc.check(s);
                i += 1;
            }
            out.push(acc.finish(quarter, QUARTER_MS));
        }
        out
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
            network: false,
        })
    }

    #[test]
    fn a_network_s_block_is_kept_apart_from_uptime_and_from_the_bars() {
        let m = 60_000;
        let mut h = History::default();
        for i in 0..10 {
            h.apply(sample(i * m, Verdict::Up));
        }
        // Eight hours at the office, whose filter blocks ChatGPT (a 403 page in 30 ms).
        for i in 10..490 {
            h.apply(Record::Sample(Sample {
                at_ms: i * m,
                verdict: Verdict::Blocked,
                latency_ms: Some(30),
                network: true,
            }));
        }
        for i in 490..500 {
            h.apply(sample(i * m, Verdict::Up));
        }
        let u = h.uptime(500 * m, DAY_MS).unwrap();
        assert_eq!((u.ratio, u.observed_ms, u.down_ms), (1.0, 20 * m, 0));
        assert_eq!(h.network_blocked(500 * m, DAY_MS), 480 * m);
        assert_eq!(h.network_blocked(500 * m, 100 * m), 90 * m);
        // An hour's cell inside the block: no state of ChatGPT's, the block's time, no latency.
        let cells = h.cells(2 * HOUR_MS, HOUR_MS, 1, 500 * m);
        let c = &cells[0];
        assert_eq!((c.worst, c.up_ms, c.down_ms), (None, 0, 0));
        assert_eq!(c.network_blocked_ms, HOUR_MS);
        assert_eq!(c.median_ms, None);
        assert_eq!(c.checks, 60);
        // Folded into buckets as it ages, the same.
        for i in 500..(500 + 26 * 60) {
            h.apply(sample(i * m, Verdict::Up));
        }
        let now = (500 + 26 * 60) * m;
        assert_eq!(h.network_blocked(now, 2 * DAY_MS), 480 * m);
        assert!(h.buckets.iter().any(|b| b.network_blocked_ms > 0));
        assert!(h.outages.is_empty());
        // Its samples without the flag read as before (files written before it existed).
        let old: Sample =
            serde_json::from_str(r#"{"at_ms":1,"verdict":"up","latency_ms":null}"#).unwrap();
        assert!(!old.network);
        assert!(!serde_json::to_string(&old).unwrap().contains("network"));
    }

    #[test]
    fn an_outage_keeps_nothing_of_what_the_browser_saw() {
        use crate::browser::State;
        use crate::diagnose::{EdgeInfo, Layer};
        let d = Diagnosis {
            verdict: Verdict::BadGateway,
            layer: Layer::Origin,
            cause: Cause::Overload,
            http_status: Some(502),
            cf_code: None,
            edge: EdgeInfo::default(),
            api_alive: Some(true),
            status_page: None,
            evidence: vec![
                Evidence::ApiAlive { latency_ms: 40 },
                Evidence::Browser {
                    state: State::Fails,
                    recent: 5,
                    failed: 3,
                    stopped: 1,
                    challenged: 0,
                    failure: None,
                },
            ],
            advice: vec![],
            latency_ms: None,
            limited: None,
            app_route: None,
            network_block: None,
        };
        let o = Outage::begin(&d, 1_000);
        assert_eq!((o.verdict, o.http_status), (Verdict::BadGateway, Some(502)));
        assert_eq!(o.evidence, vec![Evidence::ApiAlive { latency_ms: 40 }]);
    }

    #[test]
    fn an_outage_left_behind_ends_where_it_was_last_seen() {
        let mut h = History::default();
        h.apply(Record::OutageStarted(outage(1_000)));
        h.apply(Record::OutageLeft {
            end_ms: 61_000,
            duration_ms: 60_000,
        });
        let o = h.outages.back().unwrap();
        assert_eq!(
            (o.end_ms, o.duration_ms, o.end_unknown),
            (Some(61_000), Some(60_000), true)
        );
    }

    fn outage(start_ms: i64) -> Outage {
        synthetic::bad_gateway_at_fra(start_ms)
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

    fn episode(ago_ms: i64, len_ms: i64, verdict: Verdict) -> synthetic::Episode {
        synthetic::Episode {
            ago_ms,
            len_ms,
            verdict,
            outage: Some(outage(0)),
            network: false,
        }
    }

    /// 90 days of one-minute checks: the last day raw, a week in quarters, the rest in hours,
    /// nothing older; uptime over each window from the data, whatever its resolution.
    #[test]
    fn ninety_days_fold_into_bounded_buckets_and_keep_their_uptime() {
        let now = 1_764_633_600_000; // 2025-12-02 00:00 UTC
        let m = MINUTE_MS;
        let h = synthetic::generate(
            now,
            91,
            m,
            &[
                episode(2 * HOUR_MS, 30 * m, Verdict::BadGateway),
                episode(3 * DAY_MS, 60 * m, Verdict::EdgeError),
                episode(40 * DAY_MS, 120 * m, Verdict::OriginError),
                episode(5 * DAY_MS, 45 * m, Verdict::Offline),
            ],
        );
        assert_eq!(h.outages.len(), 3, "the offline spell is no outage");
        assert!(
            h.samples.len() <= (RAW_MS / m) as usize + 16,
            "{}",
            h.samples.len()
        );
        assert!(h.samples.front().unwrap().at_ms > now - RAW_MS - QUARTER_MS);
        assert!(h.buckets.len() <= MAX_BUCKETS, "{}", h.buckets.len());
        assert!(h.buckets.front().unwrap().start_ms >= now - KEEP_MS - HOUR_MS);
        let quarters = h.buckets.iter().filter(|b| b.span_ms == QUARTER_MS).count();
        let hours = h.buckets.iter().filter(|b| b.span_ms == HOUR_MS).count();
        assert_eq!(quarters + hours, h.buckets.len());
        assert!((560..=700).contains(&quarters), "{quarters} quarters");
        assert!((1_950..=2_000).contains(&hours), "{hours} hours");
        // Sorted, not overlapping.
        assert!(h
            .buckets
            .iter()
            .zip(h.buckets.iter().skip(1))
            .all(|(a, b)| a.end_ms() <= b.start_ms));

        let down = |window: i64| h.uptime(now, window).unwrap().down_ms;
        assert_eq!(down(DAY_MS), 30 * m);
        assert_eq!(down(WEEK_MS), 90 * m);
        assert_eq!(down(30 * DAY_MS), 90 * m);
        assert_eq!(down(KEEP_MS), 210 * m);
        let u = h.uptime(now, KEEP_MS).unwrap();
        // 90 days observed, less the 45 minutes offline (which count for nothing).
        assert!(
            (u.observed_ms - (KEEP_MS - 45 * m)).abs() <= 2 * HOUR_MS,
            "{u:?}"
        );
        assert!((u.ratio - (1.0 - 210.0 * m as f64 / u.observed_ms as f64)).abs() < 1e-9);
        // Bounded whatever comes: a second 90 days on top changes nothing in size.
        let mut again = h.clone();
        for i in 1..=(KEEP_MS / m) {
            again.apply(sample(now + i * m, Verdict::Up));
        }
        assert!(again.buckets.len() <= MAX_BUCKETS && again.samples.len() <= MAX_SAMPLES);
        assert_eq!(again.uptime(now + KEEP_MS, KEEP_MS).unwrap().down_ms, 0);
    }

    #[test]
    fn cells_carry_the_worst_state_the_median_and_the_slowest() {
        let m = MINUTE_MS;
        let mut h = History::default();
        let lat = |at_ms, verdict, l| {
            Record::Sample(Sample {
                at_ms,
                verdict,
                latency_ms: l,
                network: false,
            })
        };
        // Quarter 0: up at 100, 200, 300 ms, then degraded at 5 s; quarter 1: down, no latency.
        for (i, l) in [100, 200, 300].into_iter().enumerate() {
            h.apply(lat(i as i64 * 5 * m, Verdict::Up, Some(l)));
        }
        h.apply(lat(14 * m, Verdict::Degraded, Some(5_000)));
        h.apply(lat(15 * m, Verdict::BadGateway, None));
        h.apply(lat(20 * m, Verdict::Offline, None));
        let cells = h.cells(0, QUARTER_MS, 3, 30 * m);
        assert_eq!(cells.len(), 3);
        let (a, b, c) = (cells[0], cells[1], cells[2]);
        assert_eq!(a.worst, Some(Verdict::Degraded));
        assert_eq!(
            (a.checks, a.latency_n, a.median_ms, a.max_ms),
            (4, 4, Some(200), Some(5_000))
        );
        assert_eq!((a.up_ms, a.down_ms), (15 * m, 0));
        assert_eq!(b.worst, Some(Verdict::BadGateway));
        assert_eq!((b.up_ms, b.down_ms, b.median_ms), (0, 5 * m, None));
        assert_eq!(b.uptime(), Some(0.0));
        // The offline check's ten minutes reach into the third cell, and count for nothing.
        assert_eq!((c.checks, c.worst, c.uptime()), (0, None, None));

        // Folded into a stored quarter, the same checks give the same first cell.
        let mut later = h.clone();
        later.apply(lat(RAW_MS + 2 * QUARTER_MS, Verdict::Up, Some(100)));
        assert_eq!(later.buckets.len(), 2, "{:?}", later.buckets);
        assert_eq!(later.cells(0, QUARTER_MS, 1, 30 * m)[0], a);
        // And a day-long cell over both the bucket and the raw checks sums them.
        let day = later.cells(0, DAY_MS, 2, RAW_MS + 3 * QUARTER_MS);
        assert_eq!(day[0].worst, Some(Verdict::BadGateway));
        assert_eq!(day[0].checks, 6);
        assert_eq!(day[1].checks, 1);
    }
}
