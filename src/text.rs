//! Text helpers every other module may use, and which use nothing of the crate: decimal digits,
//! message pieces, and the escaping of JSON strings, XML text and percent-encoded bytes.
//!
//! Messages are joined from pieces rather than formatted, and numbers written by hand: the
//! shipped WebAssembly module then carries no `core::fmt` machinery for them.

use alloc::string::String;

/// Joins the pieces of a message.
pub(crate) fn join(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// Appends `n` in decimal without going through `std::fmt`.
pub(crate) fn push_decimal(out: &mut String, n: u64) {
    let mut buf = [0u8; 20];
    out.extend(decimal(n, &mut buf).iter().map(|&d| char::from(d)));
}

/// `n` in decimal, written at the end of `buf` (no allocation, no `std::fmt`; at most two 64-bit
/// divisions, the rest 32-bit arithmetic, much cheaper in WebAssembly).
pub(crate) fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    const E8: u64 = 100_000_000;
    let mut start = buf.len();
    // Eight digits at a time while more follow, then the leading ones.
    loop {
        let (mut chunk, full) = if n >= E8 {
            let chunk = (n % E8) as u32;
            n /= E8;
            (chunk, true)
        } else {
            (n as u32, false)
        };
        let mut written = 0;
        while let Some(slot) = start.checked_sub(1).and_then(|i| buf.get_mut(i)) {
            *slot = b'0' + (chunk % 10) as u8;
            chunk /= 10;
            start -= 1;
            written += 1;
            let done = if full { written == 8 } else { chunk == 0 };
            if done {
                break;
            }
        }
        if !full {
            return buf.get(start..).unwrap_or(&[]);
        }
    }
}

/// `n` in decimal, without `core::fmt`.
pub(crate) fn decimal_string(n: u64) -> String {
    let mut out = String::new();
    push_decimal(&mut out, n);
    out
}

/// `n` as four or more upper-case hexadecimal digits, as in `U+00E9` (without `core::fmt`).
pub(crate) fn hex4(n: u32) -> String {
    let digits = (8 - n.leading_zeros() / 4).max(4);
    (0..digits)
        .rev()
        .map(|i| char::from_digit((n >> (i * 4)) & 0xF, 16).map_or('0', |c| c.to_ascii_uppercase()))
        .collect()
}

/// A short, printable excerpt of a non-secret value, for error messages.
pub(crate) fn excerpt(value: &str) -> String {
    const MAX: usize = 40;
    let mut out = String::with_capacity(MAX.min(value.len()) + 8);
    out.push('"');
    for (i, c) in value.chars().enumerate() {
        if i == MAX {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.push('"');
    out
}

/// The index of the first `"`, `\\` or control character in `bytes` from `i` (or the length):
/// eight bytes at a time, then one by one.
#[inline]
pub(crate) fn find_special(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // Sets the high bit of every byte of `x` that is zero (and maybe of higher ones).
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    while let Some(&[a, b, c, d, e, f, g, h]) = bytes.get(i..i + 8) {
        let w = u64::from_le_bytes([a, b, c, d, e, f, g, h]);
        let control = w.wrapping_sub(ONES * 0x20) & !w & HIGHS;
        if zero(w ^ (ONES * u64::from(b'"'))) | zero(w ^ (ONES * u64::from(b'\\'))) | control != 0 {
            break;
        }
        i += 8;
    }
    while let Some(&b) = bytes.get(i) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            break;
        }
        i += 1;
    }
    i
}

/// Appends `text` as a JSON string literal.
pub(crate) fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    let bytes = text.as_bytes();
    if find_special(bytes, 0) == bytes.len() {
        out.push_str(text);
        out.push('"');
        return;
    }
    let mut plain_from = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(text.get(plain_from..i).unwrap_or(""));
        if escape.is_empty() {
            out.push_str("\\u00");
            let hex = |n: u8| char::from(if n < 10 { b'0' + n } else { b'a' + n - 10 });
            out.push(hex(b >> 4));
            out.push(hex(b & 0xf));
        } else {
            out.push_str(escape);
        }
        plain_from = i + 1;
    }
    out.push_str(text.get(plain_from..).unwrap_or(""));
    out.push('"');
}

/// Appends `text` escaped for XML character data.
pub(crate) fn push_xml_escaped(out: &mut String, text: &str) {
    let mut plain_from = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'\r' => "&#13;",
            _ => continue,
        };
        out.push_str(text.get(plain_from..i).unwrap_or(""));
        out.push_str(entity);
        plain_from = i + 1;
    }
    out.push_str(text.get(plain_from..).unwrap_or(""));
}

/// Appends `%XY`, the percent-encoding of byte `b` (uppercase hex, as URL serializers write it).
pub(crate) fn push_percent_byte(out: &mut String, b: u8) {
    let hex = |n: u8| char::from(if n < 10 { b'0' + n } else { b'A' + n - 10 });
    out.push('%');
    out.push(hex(b >> 4));
    out.push(hex(b & 0xf));
}

/// Appends an integer in decimal without going through `std::fmt`.
pub(crate) fn push_integer(out: &mut String, value: i64) {
    if value < 0 {
        out.push('-');
    }
    push_decimal(out, value.unsigned_abs());
}
