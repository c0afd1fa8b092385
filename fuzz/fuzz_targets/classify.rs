//! An HTTP answer from anywhere: classification and the diagnosis built on it never panic.
#![no_main]

use gatewatch_core::classify::{classify, classify_app, cloudflare_code, ray_colo};
use gatewatch_core::model::HttpResponse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    // Two bytes of status (any u16, not only valid ones), a flag byte, then headers and body
    // separated by a blank line, one `name: value` per line.
    let status = u16::from_le_bytes([data[0], data[1]]);
    let text = String::from_utf8_lossy(&data[3..]);
    let (head, body) = text.split_once("\n\n").unwrap_or(("", &text));
    let mut resp = HttpResponse::new(status).with_body(body);
    for line in head.lines() {
        if let Some((n, v)) = line.split_once(':') {
            resp = resp.with_header(&n.to_ascii_lowercase(), v.trim());
        }
    }
    resp.truncated = data[2] & 1 == 1;
    let _ = classify(&resp, data[2] & 2 == 2);
    let _ = classify_app(&resp);
    // What a user may copy into a bug report: bounded, and no address survives the redaction.
    let e = gatewatch_core::report::excerpt(&resp.body);
    assert!(e.chars().count() <= gatewatch_core::report::EXCERPT_CHARS);
    let _ = gatewatch_core::report::redact_ips(&resp.body);
    let _ = cloudflare_code(&resp.body.to_ascii_lowercase());
    let _ = ray_colo(&resp);
    // Whose block page it is (read only for answers that did not come through Cloudflare).
    let _ = gatewatch_core::fingerprint::block_page(&resp);
});
