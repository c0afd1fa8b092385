//! What an update check reads before anything is believed: a signature's text (the manifest's
//! detached one, or an entry's), its trusted comment, and version numbers. None of it may panic,
//! and nothing unsigned may pass.
#![no_main]

use gatewatch_core::update::{self, Signed, Version};
use libfuzzer_sys::fuzz_target;

/// A key whose secret half nobody has: nothing the fuzzer makes can be signed by it.
const KEY: &str = "RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3";

fuzz_target!(|data: &[u8]| {
    // The signature's text, then (after a 0xff byte) the signed bytes.
    let (sig, body) = match data.iter().position(|b| *b == 0xff) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b""[..]),
    };
    let sig = String::from_utf8_lossy(sig);
    let got = update::read_manifest(body, &sig, &[KEY], "latest.json");
    assert!(got.is_err(), "accepted without a signature");
    let _ = Signed::parse(&sig);
    if let Ok(v) = Version::parse(&sig) {
        // Whatever parses prints as a version that parses to itself.
        assert_eq!(Version::parse(&v.to_string()).ok(), Some(v));
    }
});
