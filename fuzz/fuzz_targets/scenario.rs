//! A scenario file's text, read as `tests/data/fuzz.toml` (so that `extends = "small.toml"`
//! reaches a real parent): accepted or refused with a message, never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use samspill::scenario::{self, Overrides};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/fuzz.toml");
        if let Err(e) = scenario::load_text(&path, text, &Overrides::default()) {
            assert!(!e.to_string().trim().is_empty(), "a refusal says why");
        }
    }
});
