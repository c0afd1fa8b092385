//! Any status-page body (Statuspage, incident.io, or garbage) parses or fails cleanly.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(r) = gatewatch_core::statuspage::parse(&String::from_utf8_lossy(data), 0) {
        let _ = r.chatgpt_affected();
        let _ = r.chatgpt_maintenance();
        let _ = r.chatgpt_incident();
        let _ = r.chatgpt_worst();
        let _ = r.phone_apps();
    }
});
