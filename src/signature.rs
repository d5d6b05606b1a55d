//! The signature: string to sign, HMAC-SHA256, base64, and its constant-time check.
//!
//! ```text
//! stringToSign = METHOD + " " + requestTarget + "\n" + timestamp + "\n" + accessKey
//! signature    = base64(HMAC-SHA256(key = UTF-8(secretKey), message = UTF-8(stringToSign)))
//! ```
//!
//! ```
//! use ncloud_redis_flush::signature::{string_to_sign, SigningKey};
//!
//! let sts = string_to_sign("POST", "/clouddb/v2/flushCloudDBInstance", 1546221796556, "Y0Z9EG0lKoeWAQCSHRtM");
//! let key = SigningKey::new("TESTSECRETKEY0123456789abcdefghijklmnopq");
//! assert_eq!(key.sign(&sts), "nt382ax5JrvKXGMh4O7rGTcHO6kXwpwK/haOaWU6X7Q=");
//! assert!(key.verify(&sts, "nt382ax5JrvKXGMh4O7rGTcHO6kXwpwK/haOaWU6X7Q="));
//! ```

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::fmt;

type HmacSha256 = Hmac<Sha256>;

/// The header a signature is sent in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SignatureVersion {
    /// `x-ncp-apigw-signature-v1`, sent by older clients (same string to sign).
    V1,
    /// `x-ncp-apigw-signature-v2`, the current header.
    #[default]
    V2,
}

impl SignatureVersion {
    /// The header name, lowercase.
    pub fn header_name(self) -> &'static str {
        match self {
            SignatureVersion::V1 => crate::headers::SIGNATURE_V1,
            SignatureVersion::V2 => crate::headers::SIGNATURE_V2,
        }
    }

    /// `"v1"` or `"v2"`.
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureVersion::V1 => "v1",
            SignatureVersion::V2 => "v2",
        }
    }

    /// Parses `"v1"` or `"v2"` (any case).
    pub fn parse(text: &str) -> Option<Self> {
        if text.eq_ignore_ascii_case("v2") {
            Some(SignatureVersion::V2)
        } else if text.eq_ignore_ascii_case("v1") {
            Some(SignatureVersion::V1)
        } else {
            None
        }
    }
}

/// Builds the string to sign. `method` must already be uppercase and `request_target` already
/// serialized (see [`crate::request_target`]).
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

/// Appends `n` in decimal without going through `std::fmt` (and with at most two 64-bit
/// divisions: the rest is 32-bit arithmetic, much cheaper in WebAssembly).
pub(crate) fn push_decimal(out: &mut String, n: u64) {
    fn push_u32(out: &mut String, mut n: u32, min_digits: usize) {
        let mut digits = [b'0'; 10];
        let mut i = digits.len();
        while n > 0 || digits.len() - i < min_digits.max(1) {
            i -= 1;
            if let Some(d) = digits.get_mut(i) {
                *d = b'0' + (n % 10) as u8;
            }
            n /= 10;
            if i == 0 {
                break;
            }
        }
        for &d in digits.get(i..).unwrap_or(&[]) {
            out.push(char::from(d));
        }
    }
    const E8: u64 = 100_000_000;
    if n < E8 {
        push_u32(out, n as u32, 1);
    } else if n < E8 * E8 {
        push_u32(out, (n / E8) as u32, 1);
        push_u32(out, (n % E8) as u32, 8);
    } else {
        push_u32(out, (n / (E8 * E8)) as u32, 1);
        push_u32(out, (n / E8 % E8) as u32, 8);
        push_u32(out, (n % E8) as u32, 8);
    }
}

/// A secret key made ready to sign: the HMAC-SHA256 state after absorbing the key, so each
/// signature costs only the message's blocks. Its `Debug` output never shows the key.
#[derive(Clone)]
pub struct SigningKey {
    mac: HmacSha256,
}

impl SigningKey {
    /// Prepares `secret_key` (its UTF-8 bytes are the HMAC key, of any length).
    pub fn new(secret_key: &str) -> Self {
        Self::from_bytes(secret_key.as_bytes())
    }

    /// Prepares a key given as bytes.
    pub fn from_bytes(secret_key: &[u8]) -> Self {
        // HMAC accepts keys of every length (longer ones are hashed first), so this cannot fail.
        let mac = match HmacSha256::new_from_slice(secret_key) {
            Ok(mac) => mac,
            Err(_) => unreachable_invalid_length(),
        };
        SigningKey { mac }
    }

    /// The raw 32-byte HMAC-SHA256 of `message`.
    pub fn mac(&self, message: &[u8]) -> [u8; 32] {
        let mut mac = self.mac.clone();
        mac.update(message);
        mac.finalize().into_bytes().into()
    }

    /// The base64 signature of `string_to_sign`.
    pub fn sign(&self, string_to_sign: &str) -> String {
        BASE64.encode(self.mac(string_to_sign.as_bytes()))
    }

    /// Whether `signature` (base64) is the signature of `string_to_sign`, compared in constant
    /// time. A signature that is not valid base64 is simply wrong.
    pub fn verify(&self, string_to_sign: &str, signature: &str) -> bool {
        let mut decoded = [0u8; 33];
        let Ok(len) = BASE64.decode_slice(signature.as_bytes(), &mut decoded) else {
            return false;
        };
        let Some(provided) = decoded.get(..len) else {
            return false;
        };
        let mut mac = self.mac.clone();
        mac.update(string_to_sign.as_bytes());
        mac.verify_slice(provided).is_ok()
    }
}

#[cold]
fn unreachable_invalid_length() -> HmacSha256 {
    // `Hmac::new_from_slice` only fails for fixed-length-key MACs; HMAC takes any length. Fall
    // back to an empty key rather than panic.
    <HmacSha256 as Mac>::new(&Default::default())
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey(<redacted>)")
    }
}

/// The base64 HMAC-SHA256 signature of `string_to_sign` with `secret_key`.
///
/// ```
/// assert_eq!(
///     ncloud_redis_flush::signature::sign("secret", "GET /clouddb/v2/flushCloudDBInstance?\n1764380000123\naccess"),
///     "+SgMlm+6ElXjFcc/qCwRpKHu+K/l8w6e8gvji1J42pE=",
/// );
/// ```
pub fn sign(secret_key: &str, string_to_sign: &str) -> String {
    SigningKey::new(secret_key).sign(string_to_sign)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal() {
        for n in [
            0u64,
            7,
            10,
            99_999_999,
            100_000_000,
            100_000_001,
            1546221796556,
            9007199254740991,
            10_000_000_000_000_000,
            u64::MAX,
        ] {
            let mut s = String::new();
            push_decimal(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }

    #[test]
    fn verify_rejects_near_misses() {
        let key = SigningKey::new("secret");
        let sig = key.sign("x");
        assert!(key.verify("x", &sig));
        assert!(!key.verify("y", &sig));
        assert!(!key.verify("x", ""));
        assert!(!key.verify("x", "not base64!"));
        assert!(!key.verify("x", &sig[..sig.len() - 4]));
        let mut longer = sig.clone();
        longer.push_str("AAAA");
        assert!(!key.verify("x", &longer));
        assert_eq!(format!("{key:?}"), "SigningKey(<redacted>)");
    }
}
