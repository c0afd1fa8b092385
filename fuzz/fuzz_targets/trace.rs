//! Whatever /cdn-cgi/trace answers, parsing it never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = gatewatch_core::classify::parse_trace(&String::from_utf8_lossy(data));
});
