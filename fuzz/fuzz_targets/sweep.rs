//! A sweep file's text, read as `tests/data/sweeps/fuzz.toml` (so that
//! `scenario = "../national-small.toml"` reaches a real scenario): accepted or refused with a
//! message, never a panic, and never an allocation before its size is checked.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use samspill::analysis::sweep::Sweep;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/sweeps/fuzz.toml");
        if let Err(e) = Sweep::parse(&path, text) {
            assert!(!e.to_string().trim().is_empty(), "a refusal says why");
        }
    }
});
