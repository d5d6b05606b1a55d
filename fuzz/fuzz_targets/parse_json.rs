//! Arbitrary bytes as a JSON answer (and with the format detected). See parse_common.rs.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ncloud_redis_flush::Format;

#[path = "parse_common.rs"]
mod parse_common;

fuzz_target!(|data: &[u8]| {
    if let Ok(body) = std::str::from_utf8(data) {
        parse_common::check(body, Some(Format::Json));
        parse_common::check(body, None);
    }
});
