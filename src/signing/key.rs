//! The signature: HMAC-SHA256 of the string to sign, base64, and its constant-time check.
//!
//! ```text
//! signature = base64(HMAC-SHA256(key = UTF-8(secretKey), message = UTF-8(stringToSign)))
//! ```
//!
//! ```
//! use ncloud_redis_flush::signing::{string_to_sign, SigningKey};
//!
//! let sts = string_to_sign("POST", "/clouddb/v2/flushCloudDBInstance", 1546221796556, "Y0Z9EG0lKoeWAQCSHRtM");
//! let key = SigningKey::new("TESTSECRETKEY0123456789abcdefghijklmnopq");
//! assert_eq!(key.sign(&sts), "nt382ax5JrvKXGMh4O7rGTcHO6kXwpwK/haOaWU6X7Q=");
//! assert!(key.verify(&sts, "nt382ax5JrvKXGMh4O7rGTcHO6kXwpwK/haOaWU6X7Q="));
//! ```

use alloc::string::String;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use core::fmt;
use hmac::{Hmac, Mac};
use sha2::digest::generic_array::GenericArray;
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// A secret key made ready to sign: the HMAC-SHA256 state after absorbing the key, so each
/// signature costs only the message's blocks. Its `Debug` output never shows the key.
#[derive(Clone)]
pub struct SigningKey {
    mac: HmacSha256,
    midstates: Midstates,
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
        SigningKey {
            mac,
            midstates: Midstates::new(secret_key),
        }
    }

    /// The raw 32-byte HMAC-SHA256 of `message`.
    pub fn mac(&self, message: &[u8]) -> [u8; 32] {
        let mut mac = self.mac.clone();
        mac.update(message);
        mac.finalize().into_bytes().into()
    }

    /// The raw HMAC-SHA256 of the concatenation of `parts`, without building it: the message
    /// blocks go straight to the SHA-256 compression function, from the key's prepared
    /// midstates (the `hmac` crate, behind [`SigningKey::mac`], is the reference it is tested
    /// against).
    ///
    /// ```
    /// use ncloud_redis_flush::SigningKey;
    ///
    /// let key = SigningKey::new("secret");
    /// let whole = key.mac(b"GET /x\n1764380000123\naccess");
    /// assert_eq!(key.mac_parts(&[b"GET", b" /x\n", b"1764380000123", b"\naccess"]), whole);
    /// ```
    pub fn mac_parts(&self, parts: &[&[u8]]) -> [u8; 32] {
        self.midstates.mac_parts(parts)
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

/// SHA-256's initial hash value (FIPS 180-4, 5.3.3).
const SHA256_IV: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// One SHA-256 compression of `block` into `state`.
fn compress(state: &mut [u32; 8], block: &[u8; 64]) {
    sha2::compress256(
        state,
        core::slice::from_ref(GenericArray::from_slice(block)),
    );
}

/// The digest of a state, big-endian.
fn digest_bytes(state: &[u32; 8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (chunk, word) in out.chunks_exact_mut(4).zip(state) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

/// HMAC-SHA256 (RFC 2104) reduced to its two midstates: the inner and outer hashes after
/// their key block. A message then costs its own blocks and one outer block, with no buffering
/// layer in between.
#[derive(Clone)]
struct Midstates {
    inner: [u32; 8],
    outer: [u32; 8],
}

impl Midstates {
    fn new(key: &[u8]) -> Self {
        // A key longer than a block is replaced by its hash; shorter ones are padded with zeros.
        let mut block = [0u8; 64];
        let hashed;
        let key = if key.len() > block.len() {
            hashed = <Sha256 as sha2::Digest>::digest(key);
            hashed.as_slice()
        } else {
            key
        };
        if let Some(head) = block.get_mut(..key.len()) {
            head.copy_from_slice(key);
        }
        let mut inner = SHA256_IV;
        let mut outer = SHA256_IV;
        compress(&mut inner, &block.map(|b| b ^ 0x36));
        compress(&mut outer, &block.map(|b| b ^ 0x5c));
        Midstates { inner, outer }
    }

    fn mac_parts(&self, parts: &[&[u8]]) -> [u8; 32] {
        let mut state = self.inner;
        let mut block = [0u8; 64];
        let mut fill = 0;
        // The inner hash has already absorbed the key block.
        let mut length: u64 = 64;
        for part in parts {
            length += part.len() as u64;
            let mut data = *part;
            while !data.is_empty() {
                let take = data.len().min(64 - fill);
                let (now, later) = data.split_at(take);
                if let Some(room) = block.get_mut(fill..fill + take) {
                    room.copy_from_slice(now);
                }
                fill += take;
                data = later;
                if fill == 64 {
                    compress(&mut state, &block);
                    fill = 0;
                }
            }
        }
        // Padding: 0x80, zeros, the length in bits, big-endian, in the last eight bytes.
        if let Some(rest) = block.get_mut(fill..) {
            rest.fill(0);
        }
        if let Some(mark) = block.get_mut(fill) {
            *mark = 0x80;
        }
        if fill >= 56 {
            compress(&mut state, &block);
            block = [0; 64];
        }
        let bits = (length * 8).to_be_bytes();
        if let Some(tail) = block.get_mut(56..) {
            tail.copy_from_slice(&bits);
        }
        compress(&mut state, &block);
        // The outer hash: the inner digest, padded, after the outer key block (64 + 32 bytes).
        let mut block = [0u8; 64];
        if let Some(head) = block.get_mut(..32) {
            head.copy_from_slice(&digest_bytes(&state));
        }
        if let Some(mark) = block.get_mut(32) {
            *mark = 0x80;
        }
        if let Some(tail) = block.get_mut(56..) {
            tail.copy_from_slice(&(96u64 * 8).to_be_bytes());
        }
        let mut outer = self.outer;
        compress(&mut outer, &block);
        digest_bytes(&outer)
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
///     ncloud_redis_flush::signing::sign("secret", "GET /clouddb/v2/flushCloudDBInstance?\n1764380000123\naccess"),
///     "+SgMlm+6ElXjFcc/qCwRpKHu+K/l8w6e8gvji1J42pE=",
/// );
/// ```
pub fn sign(secret_key: &str, string_to_sign: &str) -> String {
    SigningKey::new(secret_key).sign(string_to_sign)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::push_decimal;

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
    fn midstates_agree_with_the_hmac_crate() {
        // Every key length around the block size (shorter, equal, hashed) and every message
        // length around the padding boundaries (55/56/63/64 bytes in the last block), split
        // into parts in several ways.
        let bytes: Vec<u8> = (0..300u32).map(|i| (i * 131 + 7) as u8).collect();
        for key_len in [0, 1, 20, 32, 55, 63, 64, 65, 100, 200] {
            let key = SigningKey::from_bytes(&bytes[..key_len]);
            for len in 0..260 {
                let message = &bytes[..len];
                let expected = key.mac(message);
                assert_eq!(
                    key.mac_parts(&[message]),
                    expected,
                    "key {key_len}, len {len}"
                );
                let (a, b) = message.split_at(len / 3);
                let (b, c) = b.split_at(b.len() / 2);
                assert_eq!(
                    key.mac_parts(&[a, b, &[], c]),
                    expected,
                    "key {key_len}, len {len}, parts"
                );
            }
        }
    }

    #[test]
    fn rfc4231_vectors_through_the_midstates() {
        // RFC 4231 test cases 1, 2 and 6 (a key longer than a block).
        let hex = |s: &str| -> Vec<u8> {
            (0..s.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
                .collect()
        };
        let cases: [(Vec<u8>, &[u8], &str); 3] = [
            (
                vec![0x0b; 20],
                b"Hi There",
                "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
            ),
            (
                b"Jefe".to_vec(),
                b"what do ya want for nothing?",
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            ),
            (
                vec![0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First",
                "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
            ),
        ];
        for (key, message, expected) in cases {
            assert_eq!(
                SigningKey::from_bytes(&key).mac_parts(&[message]).to_vec(),
                hex(expected)
            );
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
