//! GGUF headers: never a panic, a hang or an allocation sized by the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use weightlint::inventory::gguf;

fuzz_target!(|data: &[u8]| {
    let _ = gguf::parse(std::io::Cursor::new(data));
});
