//! License expressions, Hub ids and names as a card's `license:` could hold them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use weightlint::license::expr;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = expr::resolve_str(text);
    }
});
