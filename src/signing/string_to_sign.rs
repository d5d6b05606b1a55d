//! The string to sign, the one rule of what a signature covers:
//!
//! ```text
//! stringToSign = METHOD + " " + requestTarget + "\n" + timestamp + "\n" + accessKey
//! ```
//!
//! [`parts`] is the one builder: [`string_to_sign`] joins its pieces into a `String`, the signing
//! path ([`kernel`](super::kernel)) writes them into its output and signs that, and the
//! JavaScript API returns the module's text.

use crate::text::decimal;
use alloc::string::String;

/// The pieces of the string to sign, in order. `method` must already be uppercase,
/// `request_target` already serialized (see [`request_target`](mod@super::request_target)) and
/// `timestamp` the decimal digits that are sent.
///
/// ```
/// use ncloud_redis_flush::signing::string_to_sign::parts;
/// assert_eq!(parts(b"GET", b"/x", b"7", b"AK").concat(), b"GET /x\n7\nAK");
/// ```
pub fn parts<'a>(
    method: &'a [u8],
    request_target: &'a [u8],
    timestamp: &'a [u8],
    access_key: &'a [u8],
) -> [&'a [u8]; 7] {
    [
        method,
        b" ",
        request_target,
        b"\n",
        timestamp,
        b"\n",
        access_key,
    ]
}

/// Builds the string to sign from [`parts`].
///
/// ```
/// use ncloud_redis_flush::signing::string_to_sign;
/// assert_eq!(string_to_sign("GET", "/x", 7, "AK"), "GET /x\n7\nAK");
/// ```
pub fn string_to_sign(
    method: &str,
    request_target: &str,
    timestamp: u64,
    access_key: &str,
) -> String {
    let mut digits = [0u8; 20];
    let pieces = parts(
        method.as_bytes(),
        request_target.as_bytes(),
        decimal(timestamp, &mut digits),
        access_key.as_bytes(),
    );
    let mut s = String::with_capacity(pieces.iter().map(|p| p.len()).sum());
    for piece in pieces {
        // Every piece is text: `str`s and ASCII digits and separators.
        s.push_str(core::str::from_utf8(piece).unwrap_or(""));
    }
    s
}
