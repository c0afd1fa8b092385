//! Files on disk: settings and history as JSON, written atomically, never silently lost.
//!
//! A write goes to a temporary file beside the target, is synced, then renamed over it, so a
//! crash or a full disk leaves the previous file intact. A file that cannot be parsed is moved
//! aside as `<name>.corrupt-<unix-seconds>` (never deleted) and the caller gets defaults plus a
//! message saying where the old file went.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::history::History;
use crate::settings::{Settings, Warning};

pub const SETTINGS_FILE: &str = "settings.json";
pub const HISTORY_FILE: &str = "history.json";
/// Files larger than this are refused rather than read into memory.
const MAX_FILE: u64 = 16 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is damaged ({reason}); it was kept as {backup} and defaults are used")]
    Corrupt {
        path: PathBuf,
        reason: String,
        backup: PathBuf,
    },
}

/// Where Gatewatch keeps its files. `GATEWATCH_DATA_DIR` wins; then the platform's data dir.
pub fn data_dir(get: impl Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let var = |k: &str| get(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(d) = var("GATEWATCH_DATA_DIR") {
        return Some(d);
    }
    if cfg!(target_os = "macos") {
        return var("HOME").map(|h| h.join("Library/Application Support/gatewatch"));
    }
    if cfg!(windows) {
        return var("APPDATA").map(|a| a.join("gatewatch"));
    }
    var("XDG_DATA_HOME")
        .or_else(|| var("HOME").map(|h| h.join(".local/share")))
        .map(|d| d.join("gatewatch"))
}

/// Read a JSON file. `Ok(None)`: it does not exist. A file that is not JSON is moved aside.
pub fn read_json(path: &Path, now_secs: u64) -> Result<Option<Value>, StoreError> {
    read_as(path, now_secs)
}

/// Read a JSON file straight into `T` (no tree of values in between: a 90-day history parsed
/// through one would grow the resident heap by megabytes). `Ok(None)`: it does not exist. A
/// file that is not a `T` is moved aside.
pub fn read_as<T: DeserializeOwned>(path: &Path, now_secs: u64) -> Result<Option<T>, StoreError> {
    let read_err = |source| StoreError::Read {
        path: path.to_path_buf(),
        source,
    };
    let meta = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(read_err(e)),
    };
    let parsed = if meta.len() > MAX_FILE {
        Err(format!("larger than {} MiB", MAX_FILE / 1024 / 1024))
    } else {
        let bytes = fs::read(path).map_err(read_err)?;
        serde_json::from_slice::<T>(&bytes).map_err(|e| e.to_string())
    };
    match parsed {
        Ok(v) => Ok(Some(v)),
        Err(reason) => {
            let backup = set_aside(path, now_secs)?;
            Err(StoreError::Corrupt {
                path: path.to_path_buf(),
                reason,
                backup,
            })
        }
    }
}

fn set_aside(path: &Path, now_secs: u64) -> Result<PathBuf, StoreError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut backup = path.with_file_name(format!("{name}.corrupt-{now_secs}"));
    let mut n = 1;
    while backup.exists() {
        backup = path.with_file_name(format!("{name}.corrupt-{now_secs}-{n}"));
        n += 1;
    }
    fs::rename(path, &backup).map_err(|source| StoreError::Write {
        path: backup.clone(),
        source,
    })?;
    Ok(backup)
}

/// Keep a file readable by its owner only (0600 on Unix): settings may hold a proxy password.
/// On Windows the data directory (`%APPDATA%`) is already the user's own.
pub fn make_private(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

/// Write JSON atomically (temp file, fsync, rename), private to its owner. On failure the old file is untouched.
pub fn write_json<T: Serialize + ?Sized>(path: &Path, value: &T) -> Result<(), StoreError> {
    let write_err = |source| StoreError::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(write_err)?;
    }
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let result = (|| {
        let f = fs::File::create(&tmp)?;
        make_private(&tmp)?;
        // Buffered: the serializer writes token by token, a syscall each without it.
        let mut w = std::io::BufWriter::with_capacity(64 * 1024, f);
        serde_json::to_writer(&mut w, value).map_err(std::io::Error::other)?;
        w.write_all(b"\n")?;
        let f = w.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()?;
        drop(f);
        replace(&tmp, path)
    })();
    if result.is_err() {
        // Best effort: the temporary file is ours and worthless now; the error below matters.
        fs::remove_file(&tmp).ok();
    }
    result.map_err(write_err)
}

/// Rename `tmp` over `path`. On Windows a rename over a file fails while another program holds
/// it open without sharing deletion (an antivirus scan, an indexer, an editor): that passes in
/// moments, so it is tried a few times, for a fifth of a second in all, before it is an error.
fn replace(tmp: &Path, path: &Path) -> std::io::Result<()> {
    // ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION: what a rename over a held file fails with.
    let held = |e: &std::io::Error| cfg!(windows) && matches!(e.raw_os_error(), Some(5 | 32));
    let mut tries = 0;
    loop {
        match fs::rename(tmp, path) {
            Err(e) if held(&e) && tries < 10 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

/// Load settings: a missing file gives defaults; a damaged or unreadable one gives defaults too,
/// and the error (said in words by `text::store_problem`); a value that cannot be used, its
/// default and a warning.
pub fn load_settings(path: &Path, now_secs: u64) -> (Settings, Vec<Warning>, Option<StoreError>) {
    match read_json(path, now_secs) {
        Ok(Some(v)) => {
            let (s, w) = Settings::from_json(&v);
            (s, w, None)
        }
        Ok(None) => (Settings::default(), vec![], None),
        Err(e) => (Settings::default(), vec![], Some(e)),
    }
}

/// Load history: a damaged file is kept aside and history starts empty, with the reason.
pub fn load_history(path: &Path, now_secs: u64) -> (History, Option<StoreError>) {
    match read_as::<History>(path, now_secs) {
        Ok(Some(mut h)) => {
            h.close_dangling();
            // A file from before buckets holds a week of raw samples: fold what has aged.
            h.compact();
            (h, None)
        }
        Ok(None) => (History::default(), None),
        Err(e) => (History::default(), Some(e)),
    }
}

/// Written straight from the history, without a tree of values in between.
pub fn save_history(path: &Path, h: &History) -> Result<(), StoreError> {
    write_json(path, h)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::Verdict;
    use crate::history::{Record, Sample};
    use crate::i18n::Lang;

    fn tempdir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("gatewatch-store-{name}-{}", std::process::id()));
        fs::remove_dir_all(&d).ok();
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn corrupt_settings_are_kept_aside_and_defaults_used() {
        let d = tempdir("settings");
        let p = d.join(SETTINGS_FILE);
        fs::write(&p, b"{\"poll_interval_secs\": 30,,, oops").unwrap();
        let (s, w, e) = load_settings(&p, 1_700_000_000);
        assert_eq!(s, Settings::default());
        assert!(w.is_empty(), "{w:?}");
        let e = e.expect("the file's problem");
        assert!(e.to_string().contains("kept as"), "{e}");
        let words = crate::text::store_problem(&e, crate::text::Then::DefaultSettings, Lang::EN);
        assert!(
            words.starts_with("settings.json was damaged; it is kept as ")
                && words
                    .ends_with("settings.json.corrupt-1700000000. The default settings are used."),
            "{words}"
        );
        let backup = d.join("settings.json.corrupt-1700000000");
        assert_eq!(
            fs::read(&backup).unwrap(),
            b"{\"poll_interval_secs\": 30,,, oops",
            "nothing is lost"
        );
        assert!(!p.exists());
        // A second corruption in the same second does not overwrite the first backup.
        fs::write(&p, b"nope").unwrap();
        load_settings(&p, 1_700_000_000);
        assert!(d.join("settings.json.corrupt-1700000000-1").exists());
        fs::remove_dir_all(&d).ok();
    }

    #[cfg(unix)]
    #[test]
    fn written_files_are_private_to_their_owner() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempdir("private");
        let p = d.join(SETTINGS_FILE);
        fs::write(&p, b"{}").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o644)).unwrap();
        write_json(
            &p,
            &serde_json::json!({"proxy": "http://u:secret@proxy.example:3128"}),
        )
        .unwrap();
        let mode = fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{mode:o}");
        fs::remove_dir_all(&d).ok();
    }

    #[test]
    fn history_round_trips_atomically() {
        let d = tempdir("history");
        let p = d.join("nested/dir").join(HISTORY_FILE);
        let mut h = History::default();
        h.apply(Record::Sample(Sample {
            at_ms: 1,
            verdict: Verdict::Up,
            latency_ms: Some(5),
            network: false,
        }));
        save_history(&p, &h).unwrap();
        let (back, err) = load_history(&p, 0);
        assert!(err.is_none(), "{err:?}");
        assert_eq!(back, h);
        assert_eq!(
            fs::read_dir(p.parent().unwrap()).unwrap().count(),
            1,
            "no temporary files left"
        );

        // Valid JSON of the wrong shape is also kept aside.
        fs::write(&p, b"{\"outages\": 42}").unwrap();
        let (back, err) = load_history(&p, 7);
        assert_eq!(back, History::default());
        assert!(err.unwrap().to_string().contains("history.json.corrupt-7"));
        fs::remove_dir_all(&d).ok();
    }

    #[test]
    fn a_truncated_history_is_kept_aside_whole() {
        let d = tempdir("truncated");
        let p = d.join(HISTORY_FILE);
        let mut h = History::default();
        for i in 0..50 {
            h.apply(Record::Sample(Sample {
                at_ms: i,
                verdict: Verdict::Up,
                latency_ms: Some(5),
                network: false,
            }));
        }
        save_history(&p, &h).unwrap();
        let full = fs::read(&p).unwrap();
        // A crash mid-write elsewhere, a full disk in another program: half a file.
        fs::write(&p, &full[..full.len() / 2]).unwrap();
        let (back, err) = load_history(&p, 9);
        assert_eq!(back, History::default());
        let err = err.expect("a clear message").to_string();
        assert!(err.contains("history.json.corrupt-9"), "{err}");
        assert_eq!(
            fs::read(d.join("history.json.corrupt-9")).unwrap(),
            &full[..full.len() / 2],
            "the damaged file is kept as it was"
        );
        fs::remove_dir_all(&d).ok();
    }

    #[test]
    fn unwritable_target_reports_and_keeps_the_old_file() {
        let d = tempdir("unwritable");
        let p = d.join(HISTORY_FILE);
        fs::write(&p, b"{}").unwrap();
        // A directory where the temporary file should go makes the write fail.
        fs::create_dir_all(p.with_extension(format!("tmp-{}", std::process::id()))).unwrap();
        let e = write_json(&p, &serde_json::json!({"x": 1})).unwrap_err();
        assert!(e.to_string().starts_with("cannot write"), "{e}");
        assert_eq!(fs::read(&p).unwrap(), b"{}");
        fs::remove_dir_all(&d).ok();
    }

    /// Windows' own semantics: a file held open without FILE_SHARE_DELETE cannot be replaced.
    /// A hold that ends soon is waited out; one that does not is a clear error, with the old
    /// file whole and no temporary file left.
    #[cfg(windows)]
    #[test]
    fn a_file_held_open_on_windows_is_waited_for_then_reported() {
        use std::os::windows::fs::OpenOptionsExt as _;
        const FILE_SHARE_READ: u32 = 1;
        let dir = std::env::temp_dir().join(format!("gw-store-held-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("history.json");
        write_json(&path, &serde_json::json!({"v": 1})).unwrap();
        let hold = || {
            fs::OpenOptions::new()
                .read(true)
                .share_mode(FILE_SHARE_READ)
                .open(&path)
                .unwrap()
        };

        let held = hold();
        let release = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(60));
            drop(held);
        });
        write_json(&path, &serde_json::json!({"v": 2})).unwrap();
        release.join().unwrap();
        assert_eq!(read_json(&path, 0).unwrap().unwrap()["v"], 2);

        let held = hold();
        let e = write_json(&path, &serde_json::json!({"v": 3})).unwrap_err();
        assert!(e.to_string().contains("history.json"), "{e}");
        drop(held);
        assert_eq!(
            read_json(&path, 0).unwrap().unwrap()["v"],
            2,
            "the old file stays whole"
        );
        let left: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left, vec![std::ffi::OsString::from("history.json")]);
        fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn data_dir_precedence() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            data_dir(env(&[("GATEWATCH_DATA_DIR", "/x"), ("HOME", "/h")])),
            Some(PathBuf::from("/x"))
        );
        if cfg!(target_os = "linux") {
            assert_eq!(
                data_dir(env(&[("HOME", "/h")])),
                Some(PathBuf::from("/h/.local/share/gatewatch"))
            );
            assert_eq!(
                data_dir(env(&[("XDG_DATA_HOME", "/d"), ("HOME", "/h")])),
                Some(PathBuf::from("/d/gatewatch"))
            );
        }
        if cfg!(windows) {
            assert_eq!(
                data_dir(env(&[("APPDATA", r"C:\Users\Ann\AppData\Roaming")])),
                Some(PathBuf::from(r"C:\Users\Ann\AppData\Roaming\gatewatch"))
            );
        }
        assert_eq!(data_dir(env(&[])), None);
    }

    /// A history.json as Gatewatch wrote it before buckets: outages and a week of one-minute
    /// samples, nothing else. It loads, folds into buckets, and keeps its uptime.
    #[test]
    fn an_old_history_file_loads_and_keeps_its_uptime() {
        use crate::history::{DAY_MS, HOUR_MS, MINUTE_MS, WEEK_MS};
        let d = tempdir("old-format");
        let p = d.join(HISTORY_FILE);
        let now: i64 = 1_764_633_600_000;
        let start = now - WEEK_MS;
        let samples: Vec<Value> = (0..=WEEK_MS / MINUTE_MS)
            .map(|i| {
                let at = start + i * MINUTE_MS;
                // Down for 40 minutes three days ago (a 502), 20 minutes an hour ago (a 530).
                let ago = now - at;
                let verdict = if (3 * DAY_MS - 40 * MINUTE_MS..3 * DAY_MS).contains(&ago) {
                    "bad_gateway"
                } else if (HOUR_MS - 20 * MINUTE_MS..HOUR_MS).contains(&ago) {
                    "edge_error"
                } else {
                    "up"
                };
                serde_json::json!({"at_ms": at, "verdict": verdict, "latency_ms": 250})
            })
            .collect();
        let old = serde_json::json!({
            "outages": [{
                "start_ms": now - 3 * DAY_MS, "end_ms": now - 3 * DAY_MS + 40 * MINUTE_MS,
                "duration_ms": 40 * MINUTE_MS, "verdict": "bad_gateway", "cause": "overload",
                "http_status": 502, "colo": "FRA", "evidence": [], "end_unknown": false
            }],
            "samples": samples,
        });
        fs::write(&p, old.to_string()).unwrap();
        let (h, err) = load_history(&p, 0);
        assert!(err.is_none(), "{err:?}");
        assert_eq!(h.outages.len(), 1);
        assert_eq!(h.outages[0].http_status, Some(502));
        assert!(
            h.samples.len() <= (DAY_MS / MINUTE_MS) as usize + 16,
            "{}",
            h.samples.len()
        );
        assert!(!h.buckets.is_empty());
        let week = h.uptime(now, WEEK_MS).unwrap();
        assert_eq!(week.down_ms, 60 * MINUTE_MS);
        assert_eq!(week.observed_ms, WEEK_MS);
        assert_eq!(h.uptime(now, DAY_MS).unwrap().down_ms, 20 * MINUTE_MS);
        // Saved again, it is the new format, and loads to the same.
        save_history(&p, &h).unwrap();
        let (again, err) = load_history(&p, 0);
        assert!(err.is_none(), "{err:?}");
        assert_eq!(again, h);
        fs::remove_dir_all(&d).ok();
    }

    /// The size README states: 90 days of one-minute checks with a few outages, as saved.
    #[test]
    fn ninety_days_of_one_minute_checks_stay_small_on_disk() {
        use crate::history::synthetic;
        let d = tempdir("ninety-days");
        let p = d.join(HISTORY_FILE);
        let now: i64 = 1_764_633_600_000;
        let h = synthetic::ninety_days(now);
        save_history(&p, &h).unwrap();
        let size = fs::metadata(&p).unwrap().len();
        println!(
            "history.json after 90 days of one-minute checks: {size} bytes ({} samples, {} buckets, {} outages)",
            h.samples.len(),
            h.buckets.len(),
            h.outages.len()
        );
        assert!(size < 600 * 1024, "{size} bytes");
        let started = std::time::Instant::now();
        let (back, err) = load_history(&p, 0);
        assert!(err.is_none(), "{err:?}");
        assert_eq!(back, h);
        println!("loaded in {:?}", started.elapsed());
        fs::remove_dir_all(&d).ok();
    }
}
