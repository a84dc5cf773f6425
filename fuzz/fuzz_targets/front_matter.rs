//! Front-matter splitting, card parsing and inline suppressions on any text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use weightlint::inventory::{card, front_matter};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = front_matter::split(text);
        let _ = card::parse("README.md", text);
        let _ = card::suppressions(text);
    }
});
