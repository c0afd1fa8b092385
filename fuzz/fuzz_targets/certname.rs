//! A certificate from anywhere (what a block server or an inspecting proxy shows): reading its
//! names never panics, and what comes out is bounded text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(names) = gatewatch_core::certname::read(data) {
        for n in names
            .subject_cn
            .iter()
            .chain(&names.subject_o)
            .chain(&names.issuer_cn)
            .chain(&names.issuer_o)
            .chain(&names.dns_names)
        {
            assert!(n.chars().count() <= 80 && !n.chars().any(char::is_control));
        }
        assert!(names.dns_names.len() <= 16);
        let _ = names.covers("chatgpt.com");
        let _ = names.summary();
        let _ = gatewatch_core::fingerprint::certificate_vendor(&names);
    }
});
