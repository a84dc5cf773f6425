//! License identification and term extraction on any text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use weightlint::license::{identify, terms};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = identify::identify(text);
        let _ = terms::extract(text);
    }
});
