//! `gatewatch update --check [--json]`: is there a newer Gatewatch? Two requests (the manifest
//! and its signature), verified with the keys compiled in; nothing installed, nothing written.
//! Exit codes as the checks' own: 0 up to date, 1 a newer version (attention), 3 could not
//! tell (the check failed, or is turned off), 64 a bad address.
//!
//! `gatewatch update --verify DIR`: the release workflow's last gate before it publishes
//! `latest.json` — every signature of a release checked by this very verifier.

use std::path::Path;

use gatewatch_core::i18n::{t, tf};
use gatewatch_core::update::{
    self, channel, fetch::Fetcher, Found, Policy, UpdateError, Version, PLATFORM,
};
use serde_json::json;

use crate::args::Update;
use crate::{Env, Fatal};

const EXIT_UP_TO_DATE: u8 = 0;
const EXIT_AVAILABLE: u8 = 1;
const EXIT_FAILED: u8 = 3;

pub async fn run(a: &Update, env: &Env) -> Result<u8, Fatal> {
    match &a.verify {
        Some(dir) => verify(dir),
        None => check(a, env).await,
    }
}

async fn check(a: &Update, env: &Env) -> Result<u8, Fatal> {
    let running =
        Version::parse(env!("CARGO_PKG_VERSION")).map_err(|e| Fatal::usage(e.to_string()))?;
    let setting = a.url.as_deref().or(env.settings.update_url.as_deref());
    let policy = if a.url.is_some() {
        // A flag wins over the environment as everywhere else.
        update::policy(env.settings.updates, setting, |k| {
            (k != update::URL_ENV)
                .then(|| std::env::var(k).ok())
                .flatten()
        })
    } else {
        update::policy(env.settings.updates, setting, |k| std::env::var(k).ok())
    };
    let result = match &policy {
        Err(e) => {
            report(a, &running, &Err(e.clone()), env);
            return Err(Fatal::usage(e.to_string()));
        }
        Ok(p) => match p.refusal() {
            Some(refused) => Err(refused),
            None => ask(p, a, env, &running).await,
        },
    };
    report(a, &running, &result, env);
    Ok(match result {
        Ok(Found::Newer(_)) => EXIT_AVAILABLE,
        Ok(Found::UpToDate { .. }) => EXIT_UP_TO_DATE,
        Err(_) => EXIT_FAILED,
    })
}

async fn ask(
    policy: &Policy,
    a: &Update,
    env: &Env,
    running: &Version,
) -> Result<Found, UpdateError> {
    let Policy::Check { url } = policy else {
        unreachable!("refused above")
    };
    // The proxy and the timeout the checks use (settings, environment, --proxy, --timeout).
    let cfg = env
        .config(&a.common, a.common.timeout, [None; 3])
        .map_err(|f| UpdateError::BadUrl {
            url: url.to_string(),
            reason: f.message,
        })?;
    let fetcher = Fetcher::new(&cfg.proxy, policy.loopback(), cfg.probe.timeout, running)?;
    fetcher
        .check(url, running, PLATFORM, &update::trusted_keys())
        .await
}

fn report(a: &Update, running: &Version, result: &Result<Found, UpdateError>, env: &Env) {
    let lang = env.lang;
    if let Err(e) = result {
        // The one log line a failed check leaves.
        eprintln!("gatewatch: no update: {e}");
    }
    if a.json {
        let (available, notes, url) = match result {
            Ok(Found::Newer(r)) => (
                Some(r.version.to_string()),
                Some(r.notes.clone()),
                Some(r.url.clone()),
            ),
            _ => (None, None, None),
        };
        let v = json!({
            "current": running.to_string(),
            "available": available,
            "notes": notes,
            "url": url,
            "error": result.as_ref().err().map(ToString::to_string),
        });
        println!("{v}");
        return;
    }
    match result {
        Ok(Found::Newer(r)) => {
            println!(
                "{}",
                tf(
                    lang,
                    "update-cli-available",
                    &[
                        ("version", r.version.to_string().into()),
                        ("current", running.to_string().into())
                    ]
                )
            );
            if !r.notes.is_empty() {
                println!();
                println!("{}", t(lang, "update-cli-notes"));
                for line in r.notes.lines() {
                    println!("  {line}");
                }
            }
            println!();
            println!("{}", update::how(channel::detect(), lang));
        }
        Ok(Found::UpToDate { .. }) => println!(
            "{}",
            tf(
                lang,
                "update-cli-up-to-date",
                &[("version", running.to_string().into())]
            )
        ),
        Err(_) => {}
    }
}

/// Check a release directory as the update check would check what it downloads.
fn verify(dir: &Path) -> Result<u8, Fatal> {
    let read = |name: &str| {
        let p = dir.join(name);
        std::fs::read(&p).map_err(|e| Fatal::io(format!("cannot read {}: {e}", p.display())))
    };
    let manifest = read("latest.json")?;
    let sig = String::from_utf8(read("latest.json.minisig")?)
        .map_err(|_| Fatal::io("latest.json.minisig is not text".to_string()))?;
    let keys = update::trusted_keys();
    let m = match update::read_manifest(&manifest, &sig, &keys, "latest.json") {
        Ok(m) => m,
        Err(e) => {
            eprintln!("gatewatch: latest.json: {e}");
            return Ok(1);
        }
    };
    println!("latest.json: Gatewatch {}, signature good", m.version);
    let mut failed = m.platforms.is_empty();
    if failed {
        eprintln!("gatewatch: latest.json lists no platform");
    }
    // A manifest's version is newer than anything before it: offer it to a version before all.
    let before_all = Version::parse("0.0.0-0").map_err(|e| Fatal::usage(e.to_string()))?;
    for platform in m.platforms.keys() {
        let one = update::Manifest {
            platforms: m
                .platforms
                .iter()
                .filter(|(p, _)| *p == platform)
                .map(|(p, e)| (p.clone(), e.clone()))
                .collect(),
            ..m.clone()
        };
        let checked = update::offer(&one, &before_all, platform).and_then(|found| match found {
            Found::Newer(r) => {
                update::fetch::verify_file(&dir.join(&r.file), &r, &keys).map(|()| r.file)
            }
            Found::UpToDate { .. } => unreachable!("0.0.0-0 precedes every version"),
        });
        match checked {
            Ok(file) => println!("{platform}: {file}, signature good"),
            Err(e) => {
                eprintln!("gatewatch: {platform}: {e}");
                failed = true;
            }
        }
    }
    Ok(if failed { 1 } else { 0 })
}
