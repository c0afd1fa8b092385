//! Process figures from /proc: PSS, USS and RSS (smaps_rollup), CPU time, descriptors, threads —
//! for a process and all its descendants (the tray's explainer and its WebKit processes, the curl
//! loop's curls).

use std::time::Instant;

#[derive(Debug, Clone)]
pub struct Sample {
    pub at: Instant,
    pub pss_kib: u64,
    /// Unique set size: pages no other process maps (private clean + private dirty).
    pub uss_kib: u64,
    pub rss_kib: u64,
    /// CPU time of the tree, including children that have exited and been waited for.
    pub cpu_secs: f64,
    pub fds: usize,
    pub threads: u64,
    pub processes: usize,
}

fn ticks_per_sec() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(100.0)
}

/// (ppid, cutime + cstime (children waited for), comm) from /proc/<pid>/stat.
fn stat(pid: u32) -> Option<(u32, u64, String)> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let open = s.find('(')?;
    let close = s.rfind(')')?;
    let comm = s[open + 1..close].to_string();
    let f: Vec<&str> = s[close + 2..].split_whitespace().collect();
    let n = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    // Fields after the name start at 3 (state): ppid is 4, utime 14 … cstime 17.
    Some((n(1) as u32, n(13) + n(14), comm))
}

fn all_pids() -> Vec<u32> {
    std::fs::read_dir("/proc")
        .map(|d| {
            d.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

/// `pid` and every process below it.
pub fn tree(pid: u32) -> Vec<u32> {
    let table: Vec<(u32, u32)> = all_pids()
        .into_iter()
        .filter_map(|p| stat(p).map(|(pp, _, _)| (p, pp)))
        .collect();
    let mut out = vec![pid];
    let mut i = 0;
    while i < out.len() {
        let parent = out[i];
        out.extend(
            table
                .iter()
                .filter(|(_, pp)| *pp == parent)
                .map(|(p, _)| *p),
        );
        i += 1;
    }
    out
}

/// How many descendants of `pid` have a name starting with `prefix`.
pub fn descendants_named(pid: u32, prefix: &str) -> usize {
    tree(pid)
        .into_iter()
        .skip(1)
        .filter(|p| stat(*p).is_some_and(|(_, _, c)| c.starts_with(prefix)))
        .count()
}

fn field_kib(text: &str, key: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

pub fn sample_tree(pid: u32) -> Sample {
    let tck = ticks_per_sec();
    let mut s = Sample {
        at: Instant::now(),
        pss_kib: 0,
        uss_kib: 0,
        rss_kib: 0,
        cpu_secs: 0.0,
        fds: 0,
        threads: 0,
        processes: 0,
    };
    for p in tree(pid) {
        let Some((_, children, _)) = stat(p) else {
            continue;
        };
        let rollup = std::fs::read_to_string(format!("/proc/{p}/smaps_rollup")).unwrap_or_default();
        let status = std::fs::read_to_string(format!("/proc/{p}/status")).unwrap_or_default();
        s.pss_kib += field_kib(&rollup, "Pss:");
        s.uss_kib += field_kib(&rollup, "Private_Clean:") + field_kib(&rollup, "Private_Dirty:");
        s.rss_kib += field_kib(&rollup, "Rss:");
        s.threads += field_kib(&status, "Threads:");
        // Live threads to the nanosecond (schedstat); exited children through the tick counts.
        let live_ns: u64 = std::fs::read_dir(format!("/proc/{p}/task"))
            .map(|d| {
                d.filter_map(|t| {
                    let path = t.ok()?.path().join("schedstat");
                    std::fs::read_to_string(path)
                        .ok()?
                        .split_whitespace()
                        .next()?
                        .parse::<u64>()
                        .ok()
                })
                .sum()
            })
            .unwrap_or(0);
        s.cpu_secs += live_ns as f64 / 1e9 + children as f64 / tck;
        s.fds += std::fs::read_dir(format!("/proc/{p}/fd")).map_or(0, |d| d.count());
        s.processes += 1;
    }
    s
}
