//! Arbitrary text as XML, read by the crate's XML reader and by the parser on quick-xml 0.38 it
//! replaced (tests/support/xml_reference.rs): the same tree when quick-xml accepts, the same
//! refusal (its code) when it refuses, except where the reader is deliberately stricter, as XML
//! 1.0 asks (see tests/xml_reader.rs). A first byte below 32 (a
//! control character, which no seed document starts with) is taken off and picks a depth limit
//! from 1 to 6, so the depth refusal is compared too; otherwise the limit is the parser's 128.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/support/xml_reference.rs"]
mod xml_reference;

fuzz_target!(|data: &[u8]| {
    let (max_depth, text) = match data.split_first() {
        Some((&first, rest)) if first < 32 => (usize::from(first % 6) + 1, rest),
        _ => (128, data),
    };
    if let Ok(doc) = std::str::from_utf8(text) {
        if let Err(why) = xml_reference::check(doc, max_depth) {
            panic!("{doc:?} (max_depth {max_depth}): {why}");
        }
    }
});
