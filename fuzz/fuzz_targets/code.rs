//! The code-reference scanner on Python, notebooks, Modelfiles and shell scripts.
#![no_main]

use libfuzzer_sys::fuzz_target;
use weightlint::inventory::code::{self, CodeKind};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        for kind in [CodeKind::Python, CodeKind::Notebook, CodeKind::Modelfile, CodeKind::Shell] {
            let _ = code::scan(kind, text);
        }
    }
});
