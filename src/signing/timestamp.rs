//! The timestamp: integer milliseconds since the Unix epoch, as the host's clock gave them (the
//! crate never reads a clock), sent in `x-ncp-apigw-timestamp` and signed in decimal.

use crate::error::{Error, Result};
use crate::text::push_decimal;
use alloc::string::String;

/// The largest timestamp accepted: 2^53 − 1, the largest integer a JavaScript number holds exactly.
pub const MAX_TIMESTAMP: u64 = (1 << 53) - 1;

/// Milliseconds since the Unix epoch, as the host's clock gave them (this crate never reads a
/// clock).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(u64);

impl Timestamp {
    /// A timestamp of `millis` milliseconds; at most [`MAX_TIMESTAMP`].
    pub fn from_millis(millis: u64) -> Result<Self> {
        if millis > MAX_TIMESTAMP {
            return Err(Error::invalid(
                "timestamp",
                "must be at most 2^53 - 1 milliseconds (9007199254740991)",
            ));
        }
        Ok(Timestamp(millis))
    }

    /// Parses the decimal text of a timestamp, as sent in the `x-ncp-apigw-timestamp` header
    /// and as JavaScript's `String(n)` writes it: digits only, no sign, no space, no leading zero
    /// (the string to sign holds the text, the gateway reads the number: `0123` would be signed
    /// as one and checked as the other). The one timestamp rule for text: the JavaScript API
    /// (strings and bigints), the Rust API and the local gateway all read timestamps with it.
    ///
    /// ```
    /// use ncloud_redis_flush::Timestamp;
    ///
    /// assert_eq!(Timestamp::parse("1764380000123").unwrap().millis(), 1764380000123);
    /// assert_eq!(Timestamp::parse("0").unwrap().millis(), 0);
    /// for bad in ["", "0123", " 1", "1e3", "+1", "-1", "9007199254740992"] {
    ///     assert_eq!(Timestamp::parse(bad).unwrap_err().field(), Some("timestamp"));
    /// }
    /// ```
    pub fn parse(text: &str) -> Result<Self> {
        let bytes = text.as_bytes();
        if bytes.is_empty() {
            return Err(Error::missing("timestamp"));
        }
        let digits = |b: &[u8]| !b.is_empty() && b.iter().all(u8::is_ascii_digit);
        if !digits(bytes) {
            if bytes.first() == Some(&b'-') && digits(bytes.get(1..).unwrap_or(&[])) {
                return Err(Error::invalid("timestamp", "must not be negative"));
            }
            return Err(Error::invalid(
                "timestamp",
                "must be an integer number of milliseconds written in decimal digits",
            ));
        }
        if bytes.len() > 1 && bytes.first() == Some(&b'0') {
            return Err(Error::invalid(
                "timestamp",
                "must not start with 0: it would be signed as written and read as another number",
            ));
        }
        match text.parse::<u64>() {
            Ok(n) => Self::from_millis(n),
            Err(_) => Self::from_millis(u64::MAX),
        }
    }

    /// Converts a JavaScript number: finite, integral, non-negative, at most 2^53 − 1.
    pub fn from_f64(millis: f64) -> Result<Self> {
        if millis.is_nan() {
            return Err(Error::invalid(
                "timestamp",
                "must be a number of milliseconds, got NaN",
            ));
        }
        if millis.is_infinite() || millis > MAX_TIMESTAMP as f64 {
            return Err(Error::invalid(
                "timestamp",
                "must be at most 2^53 - 1 milliseconds (9007199254740991)",
            ));
        }
        if millis < 0.0 {
            return Err(Error::invalid("timestamp", "must not be negative"));
        }
        if !is_whole(millis) {
            return Err(Error::invalid(
                "timestamp",
                "must be an integer number of milliseconds, not a fraction",
            ));
        }
        Ok(Timestamp(millis as u64))
    }

    /// The milliseconds.
    pub fn millis(self) -> u64 {
        self.0
    }

    /// The decimal text sent in `x-ncp-apigw-timestamp`, written into `buf`.
    ///
    /// ```
    /// use ncloud_redis_flush::Timestamp;
    /// assert_eq!(Timestamp::from_millis(120).unwrap().digits(&mut [0; 20]), b"120");
    /// ```
    pub fn digits(self, buf: &mut [u8; 20]) -> &[u8] {
        crate::text::decimal(self.0, buf)
    }

    /// The decimal text sent in `x-ncp-apigw-timestamp`.
    pub fn to_header_value(self) -> String {
        let mut s = String::with_capacity(13);
        push_decimal(&mut s, self.0);
        s
    }
}

/// Whether `n`, from 0 to 2^53, is a whole number (`f64::fract` is not in `core`).
pub fn is_whole(n: f64) -> bool {
    n == (n as u64) as f64
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn is_whole_agrees_with_fract() {
        let mut values = vec![0.0, -0.0, 0.5, 1.0, 1.5, 1e15 + 0.5, 4503599627370495.5];
        values.extend([
            (1u64 << 53) as f64,
            ((1u64 << 53) - 1) as f64,
            1764380000123.0,
        ]);
        values.extend((0..2000).map(|i| f64::from(i) * 0.37));
        for n in values {
            assert_eq!(is_whole(n), n.fract() == 0.0, "{n}");
        }
    }
}
