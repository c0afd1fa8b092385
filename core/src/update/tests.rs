//! The update check's decisions as tables: versions, signatures and what they must name, the
//! manifest, the switches, the schedule, what to tell. Signatures are made here, with keys made
//! for each test (gatewatch-fakes' minisign signer).

use super::*;
use crate::settings::Settings;
use gatewatch_fakes::releases::Key;
use serde_json::json;

fn v(s: &str) -> Version {
    Version::parse(s).unwrap()
}

#[test]
fn versions_compare_as_semver_does() {
    assert!(v("0.2.0") > v("0.1.9"));
    assert!(v("0.10.0") > v("0.9.9"));
    assert!(v("1.0.0") > v("1.0.0-rc.1"));
    assert!(v("1.0.0-rc.2") > v("1.0.0-rc.1"));
    assert!(v("1.0.0-rc.10") > v("1.0.0-rc.9"));
    assert!(v("1.0.0-beta") > v("1.0.0-alpha.5"));
    assert!(v("1.0.0-alpha.1") > v("1.0.0-alpha"));
    assert!(v("1.0.0-alpha.beta") > v("1.0.0-alpha.1"));
    assert_eq!(v("v1.2.3"), v("1.2.3"));
    assert_eq!(v("1.2.3+build.7"), v("1.2.3"));
    assert_eq!(v("1.2.3-rc.1").to_string(), "1.2.3-rc.1");
    for bad in [
        "",
        "1",
        "1.2",
        "1.2.3.4",
        "01.2.3",
        "1.2.x",
        "1.2.3-",
        "1.2.3-a..b",
        "-1.2.3",
        &"9".repeat(70),
    ] {
        assert!(Version::parse(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn the_build_time_keys_replace_the_projects() {
    assert_eq!(keys_from(None), PROJECT_KEYS.to_vec());
    assert_eq!(keys_from(Some("  ")), PROJECT_KEYS.to_vec());
    assert_eq!(keys_from(Some("RWa,RWb\nRWc")), vec!["RWa", "RWb", "RWc"]);
    for k in PROJECT_KEYS {
        assert!(PublicKey::from_base64(k).is_ok(), "{k}");
    }
}

#[test]
fn trusted_comments_are_read_field_by_field() {
    assert_eq!(
        Signed::parse("timestamp:1\tfile:latest.json\tversion:0.3.0"),
        Signed {
            file: Some("latest.json".into()),
            version: Some("0.3.0".into())
        }
    );
    assert_eq!(
        Signed::parse(&trusted_comment(5, "a.exe", "1.0.0")),
        Signed {
            file: Some("a.exe".into()),
            version: Some("1.0.0".into())
        }
    );
    // Tauri's bundler's own comment names no version.
    assert_eq!(Signed::parse("timestamp:1\tfile:x").version, None);
}

const PLATFORM_T: &str = "windows-x86_64";

/// A signed manifest of `version` with one entry for [`PLATFORM_T`], its file signed by `key`
/// with `file_comment` as the trusted comment.
fn manifest(version: &str, entry_sig: &str, url: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "version": version,
        "notes": "Reads 2026's failures right.\u{0007}\n<b>bold</b>",
        "pub_date": "2026-12-04T12:00:00Z",
        "platforms": {
            PLATFORM_T: {"url": url, "signature": base64::engine::general_purpose::STANDARD.encode(entry_sig)},
            "linux-x86_64": {"url": "https://example.invalid/x.AppImage", "signature": "bm9wZQ=="}
        }
    }))
    .unwrap()
}

const SETUP_URL: &str =
    "https://github.com/gatewatch/gatewatch/releases/download/v0.3.0/Gatewatch-0.3.0-setup.exe";

fn good(key: &Key) -> (Vec<u8>, String, Vec<u8>) {
    let installer = b"MZ the installer".to_vec();
    let entry = key.sign_release(&installer, "Gatewatch-0.3.0-setup.exe", "0.3.0");
    let m = manifest("0.3.0", &entry, SETUP_URL);
    let sig = key.sign_release(&m, "latest.json", "0.3.0");
    (m, sig, installer)
}

#[test]
fn a_well_signed_manifest_offers_its_newer_version() {
    let key = Key::generate();
    let keys = [key.public_line()];
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let (m, sig, installer) = good(&key);
    let manifest = read_manifest(&m, &sig, &keys, "latest.json").unwrap();
    assert_eq!(manifest.version, v("0.3.0"));
    // Remote text: control characters gone, markup left as text.
    assert_eq!(manifest.notes, "Reads 2026's failures right.\n<b>bold</b>");
    let Found::Newer(r) = offer(&manifest, &v("0.2.1"), PLATFORM_T).unwrap() else {
        panic!("no offer")
    };
    assert_eq!(r.version, v("0.3.0"));
    assert_eq!(r.file, "Gatewatch-0.3.0-setup.exe");
    assert_eq!(r.url, SETUP_URL);
    // The file checks against its signature, whole or in pieces; one byte changed does not.
    verify(
        &installer,
        &r.signature,
        &keys,
        "the installer",
        &r.file,
        Some(&r.version),
    )
    .unwrap();
    let streamed: Result<_, ()> =
        verify_stream(&r.signature, &keys, "x", &r.file, &r.version, |f| {
            for piece in installer.chunks(3) {
                f(piece);
            }
            Ok(())
        });
    streamed.unwrap().unwrap();
    let mut bad = installer.clone();
    bad[0] ^= 1;
    assert_eq!(
        verify(
            &bad,
            &r.signature,
            &keys,
            "the installer",
            &r.file,
            Some(&r.version)
        ),
        Err(UpdateError::BadSignature {
            what: "the installer".into()
        })
    );
    // Not newer: no update; the same version, up to date.
    assert_eq!(
        offer(&manifest, &v("0.3.0"), PLATFORM_T).unwrap(),
        Found::UpToDate { latest: v("0.3.0") }
    );
    // Older than what runs: a downgrade, refused.
    assert!(matches!(
        offer(&manifest, &v("0.4.0"), PLATFORM_T),
        Err(UpdateError::Downgrade { .. })
    ));
    // No entry for this system.
    assert_eq!(
        offer(&manifest, &v("0.2.0"), "darwin-aarch64"),
        Err(UpdateError::NoPlatform("darwin-aarch64".into()))
    );
}

#[test]
fn nothing_in_a_manifest_is_believed_without_its_signature() {
    let key = Key::generate();
    let ours = key.public_line();
    let keys = [ours.as_str()];
    let (m, sig, _) = good(&key);

    // One byte changed after signing.
    let mut tampered = m.clone();
    let at = tampered.iter().position(|b| *b == b'3').unwrap();
    tampered[at] = b'9';
    assert_eq!(
        read_manifest(&tampered, &sig, &keys, "latest.json"),
        Err(UpdateError::BadSignature {
            what: MANIFEST.into()
        })
    );
    // Signed by another key.
    let other = Key::generate();
    let foreign = other.sign_release(&m, "latest.json", "0.3.0");
    assert_eq!(
        read_manifest(&m, &foreign, &keys, "latest.json"),
        Err(UpdateError::WrongKey {
            what: MANIFEST.into()
        })
    );
    // …which a second trusted key (a rotation) accepts.
    let both = [ours.as_str(), &other.public_line()];
    let both: Vec<&str> = both.to_vec();
    assert!(read_manifest(&m, &foreign, &both, "latest.json").is_ok());
    // Not a signature at all; an empty one.
    for junk in [
        "",
        "hello",
        "untrusted comment: x\nRWQ\ntrusted comment: y\nzz",
    ] {
        assert_eq!(
            read_manifest(&m, junk, &keys, "latest.json"),
            Err(UpdateError::SignatureMalformed {
                what: MANIFEST.into()
            })
        );
    }
    // The trusted comment names another file, or another version, or none.
    let renamed = key.sign_release(&m, "other.json", "0.3.0");
    assert!(matches!(
        read_manifest(&m, &renamed, &keys, "latest.json"),
        Err(UpdateError::NotSigned { field: "file", .. })
    ));
    let older = key.sign_release(&m, "latest.json", "0.2.0");
    assert!(matches!(
        read_manifest(&m, &older, &keys, "latest.json"),
        Err(UpdateError::NotSigned {
            field: "version",
            ..
        })
    ));
    let tauri_style = key.sign(&m, "timestamp:1\tfile:latest.json");
    assert!(matches!(
        read_manifest(&m, &tauri_style, &keys, "latest.json"),
        Err(UpdateError::NotSigned {
            field: "version",
            ..
        })
    ));
    // Well signed, but not a manifest.
    let junk = b"{\"version\": 3}".to_vec();
    let sig = key.sign_release(&junk, "latest.json", "0.3.0");
    assert!(matches!(
        read_manifest(&junk, &sig, &keys, "latest.json"),
        Err(UpdateError::Manifest(_))
    ));
}

#[test]
fn an_entry_must_name_its_own_file_and_the_manifests_version() {
    let key = Key::generate();
    let ours = key.public_line();
    let keys = [ours.as_str()];
    let read = |entry_sig: &str, url: &str| {
        let m = manifest("0.3.0", entry_sig, url);
        let sig = key.sign_release(&m, "latest.json", "0.3.0");
        let m = read_manifest(&m, &sig, &keys, "latest.json").unwrap();
        offer(&m, &v("0.2.0"), PLATFORM_T)
    };
    let data = b"installer";
    // 0.1.0's real, signed installer paired with a manifest that says 0.3.0.
    let old = key.sign_release(data, "Gatewatch-0.3.0-setup.exe", "0.1.0");
    assert!(matches!(
        read(&old, SETUP_URL),
        Err(UpdateError::NotSigned {
            field: "version",
            ..
        })
    ));
    // Another file's signature.
    let other = key.sign_release(data, "gatewatch.exe", "0.3.0");
    assert!(matches!(
        read(&other, SETUP_URL),
        Err(UpdateError::NotSigned { field: "file", .. })
    ));
    let fine = key.sign_release(data, "Gatewatch-0.3.0-setup.exe", "0.3.0");
    assert!(read(&fine, SETUP_URL).is_ok());
    // A download over plain http elsewhere, or with no usable name.
    assert!(matches!(
        read(&fine, "http://example.com/Gatewatch-0.3.0-setup.exe"),
        Err(UpdateError::Manifest(_))
    ));
    assert!(matches!(
        read(&fine, "https://example.com/"),
        Err(UpdateError::Manifest(_))
    ));
    assert!(matches!(
        read("", SETUP_URL),
        Err(UpdateError::SignatureMalformed { .. })
    ));
}

#[test]
fn addresses_are_https_or_this_machine_and_carry_nothing_else() {
    assert!(parse_url("https://github.com/a/b/latest.json").is_ok());
    assert!(parse_url("http://127.0.0.1:8080/latest.json").is_ok());
    assert!(parse_url("http://[::1]/latest.json").is_ok());
    assert!(parse_url("http://localhost/latest.json").is_ok());
    assert!(parse_url("http://example.com/latest.json").is_err());
    assert!(parse_url("ftp://example.com/latest.json").is_err());
    assert!(parse_url("https://user:pw@example.com/latest.json").is_err());
    assert!(validate_setting_url("").is_ok());
    assert!(validate_setting_url("https://mirror.example/latest.json").is_ok());
    assert!(validate_setting_url("https://mirror.example/latest.json?id=42").is_err());
    assert!(validate_setting_url("https://mirror.example/latest.json#x").is_err());
}

#[test]
fn switches_in_order_build_environment_setting() {
    let none = |_: &str| None;
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    };
    assert_eq!(
        policy_with(None, Updates::Notify, None, none),
        Ok(Policy::Check {
            url: Url::parse(DEFAULT_URL).unwrap()
        })
    );
    assert_eq!(
        policy_with(
            Some("Updates come from Debian"),
            Updates::Notify,
            None,
            none
        ),
        Ok(Policy::Explained("Updates come from Debian"))
    );
    assert!(matches!(
        policy_with(
            None,
            Updates::Notify,
            None,
            env(&[("GATEWATCH_UPDATES", "off")])
        ),
        Ok(Policy::Off { .. })
    ));
    assert!(matches!(
        policy_with(None, Updates::Off, None, none),
        Ok(Policy::Off { .. })
    ));
    // The environment's address wins over the setting's.
    let p = policy_with(
        None,
        Updates::Notify,
        Some("https://mirror.example/latest.json"),
        env(&[("GATEWATCH_UPDATE_URL", "http://127.0.0.1:9/latest.json")]),
    )
    .unwrap();
    assert!(p.loopback());
    assert!(matches!(
        policy_with(
            None,
            Updates::Notify,
            Some("http://mirror.example/l.json"),
            none
        ),
        Err(UpdateError::BadUrl { .. })
    ));
    assert_eq!(
        Policy::Off { by: "x" }.refusal(),
        Some(UpdateError::Off("x"))
    );
}

#[test]
fn the_settings_keys_fall_back_loudly() {
    let (s, w) = Settings::from_json(&json!({}));
    assert_eq!((s.updates, s.update_url.clone()), (Updates::Notify, None));
    assert!(w.is_empty());
    let (s, w) = Settings::from_json(
        &json!({"updates": "off", "update_url": "https://m.example/latest.json"}),
    );
    assert_eq!(s.updates, Updates::Off);
    assert_eq!(
        s.update_url.as_deref(),
        Some("https://m.example/latest.json")
    );
    assert!(w.is_empty(), "{w:?}");
    let (s, w) = Settings::from_json(
        &json!({"updates": "sometimes", "update_url": "http://m.example/l.json"}),
    );
    assert_eq!((s.updates, s.update_url), (Updates::Notify, None));
    assert_eq!(w.len(), 2, "{w:?}");
    // Written back as they are read.
    let (s, _) = Settings::from_json(&json!({"updates": "off"}));
    let back = serde_json::to_value(&s).unwrap();
    assert_eq!(back["updates"], "off");
    assert_eq!(back["update_url"], serde_json::Value::Null);
}

#[test]
fn one_check_a_day_a_few_minutes_after_start() {
    let start = 1_000_000_000_000;
    let never = State::default();
    let first = next_check_ms(&never, start, start, false, 7);
    assert!(
        (start + 3 * 60_000..start + 6 * 60_000).contains(&first),
        "{first}"
    );
    let fast = next_check_ms(&never, start, start, true, 7);
    assert!((start + 500..start + 1000).contains(&fast), "{fast}");
    // Checked an hour ago: the next comes a day after that, within two hours of jitter.
    let recent = State {
        last_check_ms: Some(start - 3_600_000),
        ..State::default()
    };
    let next = next_check_ms(&recent, start, start, false, 7);
    assert!(
        (start - 3_600_000 + DAY_MS..start - 3_600_000 + DAY_MS + JITTER_MS).contains(&next),
        "{next}"
    );
    // Two days ago: a few minutes after start, as the first.
    let old = State {
        last_check_ms: Some(start - 2 * DAY_MS),
        ..State::default()
    };
    assert_eq!(next_check_ms(&old, start, start, false, 7), first);
    // A clock set back past the last check: not a reason to wait for days.
    let future = State {
        last_check_ms: Some(start + 30 * DAY_MS),
        ..State::default()
    };
    assert_eq!(next_check_ms(&future, start, start, false, 7), first);
    // Different installs, different moments.
    let spread: std::collections::BTreeSet<i64> = (0..50)
        .map(|s| next_check_ms(&recent, start, start, false, s))
        .collect();
    assert!(spread.len() > 40);
}

fn release(version: &str) -> Release {
    Release {
        version: v(version),
        notes: "Notes".into(),
        pub_date: None,
        url: SETUP_URL.into(),
        file: "Gatewatch-0.3.0-setup.exe".into(),
        signature: String::new(),
    }
}

#[test]
fn one_notification_per_version_none_when_skipped_and_errors_stay_quiet() {
    let mut s = State::default();
    let newer = Ok(Found::Newer(release("0.3.0")));
    assert_eq!(
        tell(&mut s, &newer, false, 10),
        Tell::Available(release("0.3.0"))
    );
    assert_eq!(s.last_check_ms, Some(10));
    assert_eq!(tell(&mut s, &newer, false, 20), Tell::Nothing, "told once");
    // Asked by hand, it answers anyway.
    assert_eq!(
        tell(&mut s, &newer, true, 30),
        Tell::Available(release("0.3.0"))
    );
    // A newer one is told again; a skipped one is not.
    let newest = Ok(Found::Newer(release("0.4.0")));
    s.skipped = Some("0.4.0".into());
    assert_eq!(tell(&mut s, &newest, false, 40), Tell::Nothing);
    s.skipped = None;
    assert_eq!(
        tell(&mut s, &newest, false, 50),
        Tell::Available(release("0.4.0"))
    );
    // Up to date and failures: quiet unless asked.
    let up = Ok(Found::UpToDate { latest: v("0.4.0") });
    assert_eq!(tell(&mut s, &up, false, 60), Tell::Nothing);
    assert_eq!(tell(&mut s, &up, true, 70), Tell::UpToDate);
    let failed: Result<Found, UpdateError> = Err(UpdateError::Http {
        url: "u".into(),
        status: 503,
    });
    assert_eq!(tell(&mut s, &failed, false, 80), Tell::Nothing);
    assert_eq!(s.last_check_ms, Some(80), "a failure waits a day too");
    assert_eq!(
        tell(&mut s, &failed, true, 90),
        Tell::Failed(UpdateError::Http {
            url: "u".into(),
            status: 503
        })
    );
}

#[test]
fn the_words_exist_in_every_language() {
    for lang in Lang::shipped() {
        let (title, body) = available_notice(&release("0.3.0"), Channel::Installer, lang);
        assert!(title.contains("0.3.0"), "{title}");
        assert!(body.starts_with("Notes\n"), "{body}");
        assert!(how(Channel::ReleasePage, lang).contains(RELEASES_PAGE));
        assert!(how(Channel::Apt, lang).contains("apt"));
        assert!(how(Channel::Dnf, lang).contains("dnf"));
        let (t, b) = daily_check_notice(lang);
        assert!(!t.is_empty() && b.contains("GitHub"), "{b}");
        let why = UpdateError::Http {
            url: "https://u.example/latest.json".into(),
            status: 503,
        };
        let failed = answer(&Tell::Failed(why.clone()), &v("0.1.0"), Channel::Apt, lang).unwrap();
        assert!(failed.1.contains(&why.words(lang)), "{}", failed.1);
        assert!(failed.1.contains("503") && !failed.1.contains("u.example"));
        let up = answer(&Tell::UpToDate, &v("0.1.0"), Channel::Apt, lang).unwrap();
        assert!(up.1.contains("0.1.0"));
        if lang != Lang::EN {
            assert_ne!(t, daily_check_notice(Lang::EN).0, "{}", lang.code());
        }
    }
}

/// Every way a check or an install can fail, with the addresses and library words the log gets.
fn every_failure() -> Vec<UpdateError> {
    let url = || "https://mirror.example/latest.json".to_string();
    let what = || "the release manifest".to_string();
    let mut all = vec![
        UpdateError::Off("GATEWATCH_UPDATES=off"),
        UpdateError::BadUrl {
            url: "http://mirror.example/x".into(),
            reason: "plain http is allowed only to this machine".into(),
        },
        UpdateError::Http {
            url: url(),
            status: 404,
        },
        UpdateError::Timeout {
            url: url(),
            secs: 8,
        },
        UpdateError::TooLarge {
            url: url(),
            cap: 65536,
        },
        UpdateError::Cut {
            url: url(),
            detail: "error decoding response body: connection closed".into(),
        },
        UpdateError::Redirect {
            to: "http://mirror.example/latest.json".into(),
            reason: "plain http is allowed only to this machine".into(),
        },
        UpdateError::SignatureMalformed { what: what() },
        UpdateError::WrongKey { what: what() },
        UpdateError::BadSignature { what: what() },
        UpdateError::NotPrehashed { what: what() },
        UpdateError::NotSigned {
            what: what(),
            field: "version",
            signed: "0.2.0".into(),
            expected: "9.0.0".into(),
        },
        UpdateError::Manifest("expected value at line 1 column 1".into()),
        UpdateError::BadVersion("next".into()),
        UpdateError::Downgrade {
            offered: "0.0.9".into(),
            running: "0.1.0".into(),
        },
        UpdateError::NoPlatform("windows-x86_64".into()),
        UpdateError::Disk {
            path: "C:\\Users\\a\\AppData\\Local\\x.part".into(),
            detail: "Access is denied. (os error 5)".into(),
        },
    ];
    all.extend(NetErrorKind::ALL.map(|kind| {
        UpdateError::Network {
            url: url(),
            kind,
            detail: "error sending request for url (https://mirror.example/latest.json): \
                 client error (Connect): tcp connect error: Connection refused (os error 111)"
                .into(),
        }
    }));
    all
}

#[test]
fn failures_are_said_in_words_in_every_language_and_the_details_stay_in_the_log() {
    let installs = |e: UpdateError| {
        [
            NotInstalled::Update(e),
            NotInstalled::NotHere,
            NotInstalled::Refused,
            NotInstalled::Ended { code: Some(2) },
        ]
    };
    for lang in Lang::shipped() {
        for e in every_failure() {
            let said = e.words(lang);
            let logged = e.to_string();
            assert!(!said.trim().is_empty(), "{}: {logged}", lang.code());
            // What the log has and people are not told: addresses, file paths, the libraries'
            // and the system's own words.
            for detail in [
                "mirror.example",
                "AppData",
                "os error",
                "error sending request",
                "tcp connect",
                "expected value",
            ] {
                assert!(
                    !said.contains(detail),
                    "{}: {said:?} has {detail:?}",
                    lang.code()
                );
            }
            if lang != Lang::EN {
                assert_ne!(said, e.words(Lang::EN), "{}: not translated", lang.code());
            }
            for n in installs(e.clone()) {
                let line = install_failed(&n, lang);
                assert!(line.contains(&n.words(lang)), "{line}");
                assert!(!line.contains("mirror.example") && !line.contains("os error"));
            }
        }
        // The numbers people can act on are kept.
        let http = UpdateError::Http {
            url: "u".into(),
            status: 404,
        };
        assert!(http.words(lang).contains("404"), "{}", lang.code());
        let down = UpdateError::Downgrade {
            offered: "0.0.9".into(),
            running: "0.1.0".into(),
        };
        assert!(down.words(lang).contains("0.0.9") && down.words(lang).contains("0.1.0"));
        let ended = NotInstalled::Ended { code: Some(4) }.words(lang);
        assert!(ended.contains('4'), "{ended}");
        // A timeout, a refusal: the network's own words, as the checks say them.
        let refused = UpdateError::Network {
            url: "u".into(),
            kind: NetErrorKind::Connect,
            detail: String::new(),
        };
        assert!(
            refused
                .words(lang)
                .contains(&crate::text::net_error(NetErrorKind::Connect, lang)),
            "{}",
            lang.code()
        );
    }
    // The distribution's sentence is said as it was given.
    for lang in Lang::shipped() {
        assert_eq!(
            UpdateError::Explained("Updates come from Debian").words(lang),
            "Updates come from Debian"
        );
    }
}
