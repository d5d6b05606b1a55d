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
use sha2::digest::generic_array::GenericArray;
use zeroize::Zeroize;

/// A secret key made ready to sign: HMAC-SHA256 (RFC 2104) reduced to its two midstates, the
/// inner and outer SHA-256 states after their key block. Each signature then costs only the
/// message's blocks and one outer block. Nothing else of the key is kept: not its bytes, not its
/// padded blocks; the midstates are wiped when the key is dropped. Its `Debug` output never shows
/// the key.
#[derive(Clone)]
pub struct SigningKey {
    inner: [u32; 8],
    outer: [u32; 8],
}

impl SigningKey {
    /// Prepares `secret_key` (its UTF-8 bytes are the HMAC key, of any length).
    pub fn new(secret_key: &str) -> Self {
        Self::from_bytes(secret_key.as_bytes())
    }

    /// Prepares a key given as bytes.
    pub fn from_bytes(secret_key: &[u8]) -> Self {
        let mut key = SigningKey::blank();
        key.prepare(secret_key);
        key
    }

    /// A key with no secret in it (SHA-256's initial state), for [`SigningKey::prepare`].
    pub(crate) const fn blank() -> Self {
        SigningKey {
            inner: SHA256_IV,
            outer: SHA256_IV,
        }
    }

    /// Prepares `secret_key` where `self` is kept: the midstates are computed in place, and the
    /// padded key blocks are made in place and wiped, so that no copy of the key or of its state
    /// is left behind in a stack frame (tests/support/memory-scan.mjs looks for one).
    pub(crate) fn prepare(&mut self, secret_key: &[u8]) {
        self.inner = SHA256_IV;
        self.outer = SHA256_IV;
        // A key longer than a block is replaced by its hash; shorter ones are padded with zeros.
        let mut block = [0u8; 64];
        if secret_key.len() > block.len() {
            let mut digest = digest_bytes(&sha256(&SHA256_IV, 0, &[secret_key]));
            if let Some(head) = block.get_mut(..32) {
                head.copy_from_slice(&digest);
            }
            digest.zeroize();
        } else if let Some(head) = block.get_mut(..secret_key.len()) {
            head.copy_from_slice(secret_key);
        }
        block.iter_mut().for_each(|b| *b ^= 0x36);
        compress(&mut self.inner, &block);
        block.iter_mut().for_each(|b| *b ^= 0x36 ^ 0x5c);
        compress(&mut self.outer, &block);
        block.zeroize();
    }

    /// The raw 32-byte HMAC-SHA256 of `message`.
    pub fn mac(&self, message: &[u8]) -> [u8; 32] {
        self.mac_parts(&[message])
    }

    /// The raw HMAC-SHA256 of the concatenation of `parts`, without building it: the message
    /// blocks go straight to the SHA-256 compression function, from the key's midstates (the
    /// `hmac` crate is the reference it is tested against, a dev-dependency only).
    ///
    /// ```
    /// use ncloud_redis_flush::SigningKey;
    ///
    /// let key = SigningKey::new("secret");
    /// let whole = key.mac(b"GET /x\n1764380000123\naccess");
    /// assert_eq!(key.mac_parts(&[b"GET", b" /x\n", b"1764380000123", b"\naccess"]), whole);
    /// ```
    pub fn mac_parts(&self, parts: &[&[u8]]) -> [u8; 32] {
        // The inner hash has already absorbed the key block (64 bytes).
        // The midstates are read where they are kept: a copy left on the stack would outlive
        // `forgetSigningKeys` (tests/support/memory-scan.mjs looks for one).
        let inner = digest_bytes(&sha256(&self.inner, 64, parts));
        // The outer hash: the inner digest after the outer key block.
        digest_bytes(&sha256(&self.outer, 64, &[&inner]))
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
        let expected = self.mac(string_to_sign.as_bytes());
        // Every byte is compared, whatever the first difference; the length is not secret.
        let difference = expected
            .iter()
            .zip(&decoded)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        core::hint::black_box(difference) == 0 && len == expected.len()
    }
}

impl Drop for SigningKey {
    fn drop(&mut self) {
        self.inner.zeroize();
        self.outer.zeroize();
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

/// SHA-256 of the concatenation of `parts`, from `state` after `absorbed` bytes (a multiple of
/// 64): the one SHA-256 driver, for the key, the inner and the outer hash. Whole blocks of a part
/// are compressed where they lie; only a block that straddles parts, and the padding, are copied
/// into a local block, wiped at the end (it may hold the key).
fn sha256(start: &[u32; 8], absorbed: u64, parts: &[&[u8]]) -> [u32; 8] {
    // Overwritten in place by the first compression (every call makes at least one).
    let mut state = *start;
    let mut block = [0u8; 64];
    let mut fill = 0;
    let mut length = absorbed;
    for part in parts {
        length += part.len() as u64;
        let mut data = *part;
        while !data.is_empty() {
            if fill == 0 {
                if let Some((whole, rest)) = data.split_first_chunk::<64>() {
                    compress(&mut state, whole);
                    data = rest;
                    continue;
                }
            }
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
    if let Some(tail) = block.get_mut(56..) {
        tail.copy_from_slice(&(length * 8).to_be_bytes());
    }
    compress(&mut state, &block);
    block.zeroize();
    state
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
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
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

    /// The reference: the `hmac` crate (a dev-dependency), over `sha2`'s own `Sha256`.
    fn reference(key: &[u8], message: &[u8]) -> [u8; 32] {
        use hmac::{Hmac, Mac};
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
        mac.update(message);
        mac.finalize().into_bytes().into()
    }

    #[test]
    fn midstates_agree_with_the_hmac_crate() {
        // Every key length around the block size (shorter, equal, hashed) and every message
        // length around the padding boundaries (55/56/63/64 bytes in the last block), split
        // into parts in several ways.
        let bytes: Vec<u8> = (0..300u32).map(|i| (i * 131 + 7) as u8).collect();
        for key_len in [0, 1, 20, 32, 55, 63, 64, 65, 100, 200] {
            let key = SigningKey::from_bytes(&bytes[..key_len]);
            for len in 0..=260 {
                let message = &bytes[..len];
                let expected = reference(&bytes[..key_len], message);
                assert_eq!(key.mac(message), expected, "key {key_len}, len {len}, mac");
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
