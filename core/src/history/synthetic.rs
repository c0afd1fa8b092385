//! A generated history, as the monitor would have written it: one check every `step_ms` with
//! response times that rise and fall over the day, and the episodes asked for (outages, slow
//! spells, the network gone). For the tests that need days of data in milliseconds, the bench's
//! 90-day file, and the screenshots. Deterministic: the same arguments give the same history.

use super::{History, Outage, Record, Sample, DAY_MS, HOUR_MS, MINUTE_MS};
use crate::diagnose::{Cause, Health, Verdict};

/// A stretch of time that was not a healthy "up".
#[derive(Debug, Clone)]
pub struct Episode {
    /// How long before `now_ms` it starts, and how long it lasts.
    pub ago_ms: i64,
    pub len_ms: i64,
    /// The verdict of the checks in it; a down one is recorded as an outage too.
    pub verdict: Verdict,
    /// The outage's cause, status code, data centre and evidence (its times are overwritten).
    pub outage: Option<Outage>,
    /// The user's network blocked ChatGPT meanwhile (a day at an office that filters it).
    pub network: bool,
}

/// An open outage from `start_ms`: Cloudflare's 502 at FRA, OpenAI's servers overloaded.
pub fn bad_gateway_at_fra(start_ms: i64) -> Outage {
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

/// A full history: 90 days of one-minute checks up to `now_ms`, with a 25-minute Cloudflare 502
/// (OpenAI's servers overloaded, at FRA) every three days: the most a history.json ever holds,
/// for the size test and the bench.
pub fn ninety_days(now_ms: i64) -> History {
    let outage = bad_gateway_at_fra(0);
    let episodes: Vec<_> = (1..30)
        .map(|i| Episode {
            ago_ms: i * 3 * DAY_MS + 5 * HOUR_MS,
            len_ms: 25 * MINUTE_MS,
            verdict: Verdict::BadGateway,
            outage: Some(outage.clone()),
            network: false,
        })
        .collect();
    generate(now_ms, 90, MINUTE_MS, &episodes)
}

/// `days` of checks every `step_ms` up to `now_ms`, with `episodes`.
pub fn generate(now_ms: i64, days: i64, step_ms: i64, episodes: &[Episode]) -> History {
    let mut h = History::default();
    let mut rng: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut open: Option<(usize, i64)> = None;
    let mut t = now_ms - days * DAY_MS;
    while t <= now_ms {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let ago = now_ms - t;
        let current = episodes
            .iter()
            .position(|e| ago <= e.ago_ms && ago > e.ago_ms - e.len_ms);
        if let Some((i, start)) = open {
            if current != Some(i) {
                h.apply(Record::OutageEnded {
                    end_ms: t,
                    duration_ms: (t - start) as u64,
                });
                open = None;
            }
        }
        let verdict = current.map_or(Verdict::Up, |i| episodes[i].verdict);
        if let Some(i) = current {
            if open.is_none() && verdict.health() == Health::Down {
                if let Some(o) = &episodes[i].outage {
                    h.apply(Record::OutageStarted(Outage {
                        start_ms: t,
                        end_ms: None,
                        duration_ms: None,
                        end_unknown: false,
                        verdict,
                        ..o.clone()
                    }));
                    open = Some((i, t));
                }
            }
        }
        // Busier (slower) in the afternoon, quieter at night, with some noise and rare spikes.
        let hour = (t.rem_euclid(DAY_MS) / 3_600_000) as u32;
        let daily = 12u32.abs_diff(hour.abs_diff(15)) * 18;
        let noise = (rng % 120) as u32;
        let spike = if rng % 97 == 0 { 900 } else { 0 };
        let latency_ms = match verdict {
            Verdict::Up | Verdict::Blocked => Some(180 + daily + noise + spike),
            Verdict::Degraded => Some(4_200 + noise * 10),
            Verdict::BadGateway | Verdict::OriginError => Some(60 + noise / 2),
            Verdict::EdgeError | Verdict::Offline | Verdict::Unknown => None,
        };
        h.apply(Record::Sample(Sample {
            at_ms: t,
            verdict,
            latency_ms,
            network: current.is_some_and(|i| episodes[i].network),
        }));
        t += step_ms;
    }
    h
}
