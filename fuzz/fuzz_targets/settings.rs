//! Any settings file: reading it never panics, and what it yields is always usable.
#![no_main]

use gatewatch_core::settings::{Overrides, Settings};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let (s, _warnings) = Settings::from_json(&v);
    // Values that survived validation must make a configuration (endpoints aside, which are
    // checked there and may be refused with an error, never a panic).
    let _ = s.to_config(&Overrides::default(), 1);
});
