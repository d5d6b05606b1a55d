//! The string to sign, the one rule of what a signature covers:
//!
//! ```text
//! stringToSign = METHOD + " " + requestTarget + "\n" + timestamp + "\n" + accessKey
//! ```

use crate::text::push_decimal;
use alloc::string::String;

/// Builds the string to sign. `method` must already be uppercase and `request_target` already
/// serialized (see [`request_target`](mod@super::request_target)).
pub fn string_to_sign(
    method: &str,
    request_target: &str,
    timestamp: u64,
    access_key: &str,
) -> String {
    let mut s = String::with_capacity(method.len() + request_target.len() + access_key.len() + 24);
    s.push_str(method);
    s.push(' ');
    s.push_str(request_target);
    s.push('\n');
    push_decimal(&mut s, timestamp);
    s.push('\n');
    s.push_str(access_key);
    s
}
