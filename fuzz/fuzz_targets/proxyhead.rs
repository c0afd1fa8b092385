//! A proxy's answer to CONNECT, from anywhere: its head parses or is refused, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(h) = gatewatch_core::probe::look::parse_head(data) {
        assert!(h.headers.iter().all(|(_, v)| v.chars().count() <= 200));
    }
});
