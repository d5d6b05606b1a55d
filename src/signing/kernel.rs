//! The one signing path. Every signature — [`sign_request`](super::sign_request),
//! [`Signer::sign`], the flush and listing builders, and every JavaScript call — is made by
//! [`sign_into`]: the same checks, in the same order, and the same signing code.
//!
//! What makes it fast is how it works, not a second path beside it: the request target is a
//! slice of the URL when the URL is already serialized (the serializer's fast exit, see
//! [`split_url_ref`]); the string to sign is written once into a caller's buffer (kept across
//! calls, so nothing is allocated) from [`parts`], and signed there; the key's prepared state is
//! reused through a [`KeyCache`], which keeps at most the midstates of the key in use.
//!
//! ```
//! use ncloud_redis_flush::signing::kernel::{sign_into, KeyCache, SignInput, TimestampInput};
//!
//! let mut cache = KeyCache::default();
//! let mut out = Vec::new();
//! let signed = sign_into(&mut cache, &SignInput {
//!     timestamp: TimestampInput::Text("1764380000123"),
//!     ..SignInput::new("get", "/clouddb/v2/flushCloudDBInstance?", "access", b"secret")
//! }, &mut out).unwrap();
//! assert_eq!(signed.string_to_sign(&out), b"GET /clouddb/v2/flushCloudDBInstance?\n1764380000123\naccess");
//! assert_eq!(signed.signature(&out), b"+SgMlm+6ElXjFcc/qCwRpKHu+K/l8w6e8gvji1J42pE=");
//! assert!(signed.url.is_none()); // the URL to fetch is the input itself
//! ```

use super::headers::SignatureVersion;
use super::key::SigningKey;
use super::request_target::{has_contested_dots, is_contested, split_url_ref};
use super::string_to_sign::parts;
use super::timestamp::Timestamp;
use crate::error::{Error, Result};
use alloc::borrow::{Cow, ToOwned};
use alloc::string::String;
use alloc::vec::Vec;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use core::fmt;
use core::ops::Range;

/// Whether `b` may appear in an HTTP method (a `tchar` of RFC 9110).
pub(crate) fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// The methods `fetch` refuses to send (uppercase).
pub(crate) fn is_forbidden_method(upper: &[u8]) -> bool {
    matches!(upper, b"CONNECT" | b"TRACE" | b"TRACK")
}

/// The one method rule: a token (RFC 9110) that `fetch` sends. Uppercase bytes are written to
/// `out`.
pub(crate) fn check_method(method: &str, out: &mut Vec<u8>) -> Result<()> {
    if method.is_empty() {
        return Err(Error::missing("method"));
    }
    if !method.bytes().all(is_tchar) {
        return Err(Error::invalid(
            "method",
            "must be an HTTP method token such as GET or POST (letters, no spaces)",
        ));
    }
    let start = out.len();
    out.extend(method.bytes().map(|b| b.to_ascii_uppercase()));
    if is_forbidden_method(out.get(start..).unwrap_or(&[])) {
        out.truncate(start);
        return Err(Error::invalid(
            "method",
            "is CONNECT, TRACE or TRACK, which fetch refuses to send",
        ));
    }
    Ok(())
}

/// What a header-borne key may be: printable ASCII without spaces, at least one byte.
pub(crate) fn is_key(bytes: &[u8]) -> bool {
    !bytes.is_empty() && bytes.iter().all(u8::is_ascii_graphic)
}

/// The one key rule for a header-borne key (access key, API key): printable ASCII without
/// spaces, because it goes into a header and the access key into the string to sign.
pub(crate) fn check_key(field: &'static str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::missing(field));
    }
    if !is_key(value.as_bytes()) {
        return Err(Error::invalid(
            field,
            "must be printable ASCII without spaces or line breaks",
        ));
    }
    Ok(())
}

/// Access key and prepared secret key, reusable across many signatures.
///
/// ```
/// use ncloud_redis_flush::{Signer, SignatureVersion, Timestamp};
///
/// let signer = Signer::new("access", "secret").unwrap();
/// let signed = signer
///     .sign("GET", "/clouddb/v2/flushCloudDBInstance?", Timestamp::from_millis(1764380000123).unwrap(), None, SignatureVersion::V2)
///     .unwrap();
/// assert_eq!(signed.signature, "+SgMlm+6ElXjFcc/qCwRpKHu+K/l8w6e8gvji1J42pE=");
/// let debug = format!("{signer:?}");
/// assert!(debug.contains("<redacted>") && !debug.contains("\"secret\""));
/// ```
#[derive(Clone)]
pub struct Signer {
    pub(super) access_key: String,
    pub(super) key: SigningKey,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("access_key", &self.access_key)
            .field("secret_key", &"<redacted>")
            .finish()
    }
}

impl Signer {
    /// Checks the keys and prepares the secret.
    pub fn new(access_key: &str, secret_key: &str) -> Result<Self> {
        Self::from_key_bytes(access_key, secret_key.as_bytes())
    }

    /// [`Signer::new`] with the secret as bytes (its UTF-8, or any bytes).
    fn from_key_bytes(access_key: &str, secret_key: &[u8]) -> Result<Self> {
        let mut signer = Signer::unprepared(access_key, secret_key)?;
        signer.key.prepare(secret_key);
        Ok(signer)
    }

    /// The checked keys, with the secret not yet prepared ([`SigningKey::prepare`] does it
    /// where the signer is kept).
    fn unprepared(access_key: &str, secret_key: &[u8]) -> Result<Self> {
        check_key("accessKey", access_key)?;
        if secret_key.is_empty() {
            return Err(Error::missing("secretKey"));
        }
        Ok(Signer {
            access_key: access_key.to_owned(),
            key: SigningKey::blank(),
        })
    }

    /// The access key id.
    pub fn access_key(&self) -> &str {
        &self.access_key
    }
}

/// Where [`sign_into`] gets its signer: a [`KeyCache`] (checks and prepares the keys on a miss),
/// or a [`Signer`] made beforehand (its keys were checked when it was made).
pub trait KeySource {
    /// The signer of `(access_key, secret_key)`, or the error naming the key at fault.
    fn signer(&mut self, access_key: &str, secret_key: &[u8]) -> Result<&Signer>;
}

impl KeySource for &Signer {
    fn signer(&mut self, _: &str, _: &[u8]) -> Result<&Signer> {
        Ok(self)
    }
}

/// The prepared state of the key in use, and nothing else: the access key (not a secret), the
/// secret's two HMAC midstates, and a 64-bit fingerprint of the secret that tells whether the
/// next call uses the same one (so that signing many requests pays for preparing the key once,
/// as AWS's SDKs cache derived keys). A new key replaces it, and the old midstates are wiped;
/// [`KeyCache::forget`] wipes them too. The secret's bytes are never kept.
#[derive(Default)]
pub struct KeyCache {
    entry: Option<(u64, Signer)>,
}

impl fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("KeyCache(<redacted>)")
    }
}

impl KeyCache {
    /// An empty cache.
    pub const fn new() -> Self {
        KeyCache { entry: None }
    }

    /// Wipes the kept state.
    ///
    /// ```
    /// use ncloud_redis_flush::signing::kernel::{KeyCache, KeySource};
    /// let mut cache = KeyCache::default();
    /// cache.signer("AK", b"SK").unwrap();
    /// assert!(cache.holds_key());
    /// cache.forget();
    /// assert!(!cache.holds_key());
    /// ```
    pub fn forget(&mut self) {
        // Dropping the signer wipes its midstates (`SigningKey`'s `Drop`).
        self.entry = None;
    }

    /// Whether a key is kept.
    pub fn holds_key(&self) -> bool {
        self.entry.is_some()
    }
}

impl KeySource for KeyCache {
    fn signer(&mut self, access_key: &str, secret_key: &[u8]) -> Result<&Signer> {
        let print = fingerprint(secret_key);
        let hit = matches!(&self.entry, Some((p, s)) if *p == print && s.access_key == access_key);
        if !hit {
            // The old state goes first: at most one key's state is ever kept. The new one is
            // prepared where it is kept, never moved there (a move leaves a copy on the stack).
            self.entry = None;
            let (_, signer) = self
                .entry
                .insert((print, Signer::unprepared(access_key, secret_key)?));
            signer.key.prepare(secret_key);
        }
        match &self.entry {
            Some((_, signer)) => Ok(signer),
            None => Err(Error::missing("secretKey")),
        }
    }
}

/// A 64-bit fingerprint of the secret (its length and a multiply-xorshift over its words): how
/// the cache recognizes the key in use without keeping it. A collision between two keys of one
/// user (odds 2^-64) would sign with the wrong one, which the gateway refuses.
fn fingerprint(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mix = |h: u64, w: u64| {
        let h = (h ^ w).wrapping_mul(K);
        h ^ (h >> 29)
    };
    let mut h = mix(0x243f_6a88_85a3_08d3, bytes.len() as u64);
    let words = bytes.chunks_exact(8);
    let tail = words.remainder();
    for word in words {
        h = mix(
            h,
            word.iter()
                .rev()
                .fold(0u64, |w, &b| (w << 8) | u64::from(b)),
        );
    }
    let last = tail
        .iter()
        .rev()
        .fold(0u64, |w, &b| (w << 8) | u64::from(b));
    mix(mix(h, last), K)
}

/// A timestamp as the caller gave it; [`sign_into`] checks it with the one timestamp rule
/// ([`Timestamp::parse`], [`Timestamp::from_f64`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TimestampInput<'a> {
    /// Already a [`Timestamp`].
    Checked(Timestamp),
    /// A JavaScript number.
    Number(f64),
    /// Decimal text (a string, or a bigint written in decimal); empty means missing.
    Text(&'a str),
}

impl TimestampInput<'_> {
    /// The timestamp, or the error naming `timestamp`.
    pub fn check(self) -> Result<Timestamp> {
        match self {
            TimestampInput::Checked(t) => Ok(t),
            TimestampInput::Number(n) => Timestamp::from_f64(n),
            TimestampInput::Text(text) => Timestamp::parse(text),
        }
    }
}

/// What to sign, as given: [`sign_into`] checks every field.
#[derive(Clone, Copy)]
pub struct SignInput<'a> {
    /// The HTTP method, any case.
    pub method: &'a str,
    /// An absolute `http(s)` URL, or a path starting with `/`.
    pub url: &'a str,
    /// The name of the URL in errors (`url`, or `endpoint` for the builders).
    pub url_field: &'static str,
    /// Milliseconds since the Unix epoch.
    pub timestamp: TimestampInput<'a>,
    /// The access key id.
    pub access_key: &'a str,
    /// The secret key's bytes (UTF-8 of the text).
    pub secret_key: &'a [u8],
    /// The API Gateway key, sent unsigned.
    pub api_key: Option<&'a str>,
    /// `v1` or `v2` (any case); `None` for v2.
    pub signature_version: Option<&'a str>,
    /// The host's own serialization of the URL's request target, asked for only where engines
    /// disagree ([`is_contested`], [`has_contested_dots`]).
    pub host_target: Option<fn(&str) -> Option<String>>,
}

impl fmt::Debug for SignInput<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignInput")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("timestamp", &self.timestamp)
            .field("access_key", &self.access_key)
            .field("secret_key", &"<redacted>")
            .finish_non_exhaustive()
    }
}

impl<'a> SignInput<'a> {
    /// The required fields; timestamp 0, no API key, signature v2.
    pub fn new(method: &'a str, url: &'a str, access_key: &'a str, secret_key: &'a [u8]) -> Self {
        SignInput {
            method,
            url,
            url_field: "url",
            timestamp: TimestampInput::Number(0.0),
            access_key,
            secret_key,
            api_key: None,
            signature_version: None,
            host_target: None,
        }
    }
}

/// Where [`sign_into`] wrote a signed request in its output buffer `out`: the string to sign,
/// then the 44 base64 characters of the signature, then — only when it is not the input URL
/// itself — the URL to fetch. The method, request target, timestamp and access key are slices
/// of the string to sign. The string to sign and the signature are ASCII whatever the input (an
/// uppercase method token, a serialized request target, digits, a printable-ASCII access key,
/// base64); only the URL to fetch may hold other characters (a host's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signed {
    /// The length of the string to sign, at the start of `out`.
    pub string_to_sign_len: usize,
    /// The uppercase method.
    pub method: Range<usize>,
    /// The request target.
    pub request_target: Range<usize>,
    /// The timestamp's decimal text.
    pub timestamp: Range<usize>,
    /// The access key.
    pub access_key: Range<usize>,
    /// The URL to fetch, or `None` when it is the input URL itself.
    pub url: Option<Range<usize>>,
    /// The signature header's name.
    pub signature_version: SignatureVersion,
}

impl Signed {
    /// The string to sign.
    pub fn string_to_sign<'o>(&self, out: &'o [u8]) -> &'o [u8] {
        out.get(..self.string_to_sign_len).unwrap_or(&[])
    }

    /// The base64 signature.
    pub fn signature<'o>(&self, out: &'o [u8]) -> &'o [u8] {
        let start = self.string_to_sign_len;
        out.get(start..start + SIGNATURE_LEN).unwrap_or(&[])
    }
}

/// The length of a base64 HMAC-SHA256.
pub const SIGNATURE_LEN: usize = 44;

/// Signs `input` into `out` (cleared first): checks every field in order — method, URL,
/// timestamp, access key, secret key, API key, signature version — each by its one rule, then
/// writes the string to sign, signs it with the signer `keys` gives and appends the signature
/// (and the URL to fetch, when it is not the input). Allocates nothing when `out` has room and
/// the URL is already serialized. (`keys` is a trait object so that the one path is one function
/// in the module, not a copy per crate and key source.)
pub fn sign_into(
    keys: &mut dyn KeySource,
    input: &SignInput<'_>,
    out: &mut Vec<u8>,
) -> Result<Signed> {
    out.clear();
    check_method(input.method, out)?;
    let method_len = out.len();
    if input.url.is_empty() {
        return Err(Error::missing(input.url_field));
    }
    let mut split = split_url_ref(input.url, input.url_field)?;
    if !split.as_is && (is_contested(&split.request_target) || has_contested_dots(input.url)) {
        if let Some(host) = input.host_target.and_then(|f| f(input.url)) {
            split.request_target = Cow::Owned(host);
        }
    }
    let timestamp = input.timestamp.check()?;
    let signer = keys.signer(input.access_key, input.secret_key)?;
    if let Some(api_key) = input.api_key {
        // Optional: given empty it is not missing but a mistake (left out means no API key).
        if api_key.is_empty() {
            return Err(Error::invalid(
                "apiKey",
                "is empty; leave it out when there is no API key",
            ));
        }
        check_key("apiKey", api_key)?;
    }
    let signature_version = match input.signature_version {
        None => SignatureVersion::V2,
        Some(text) => SignatureVersion::from_option(text)?,
    };
    // The string to sign, from the one builder; the method is already in place.
    let mut digits = [0u8; 20];
    let target = split.request_target.as_bytes();
    let [_, pieces @ ..] = parts(
        &[],
        target,
        timestamp.digits(&mut digits),
        signer.access_key.as_bytes(),
    );
    let mut ranges: [Range<usize>; 6] = Default::default();
    for (piece, range) in pieces.iter().zip(&mut ranges) {
        let start = out.len();
        out.extend_from_slice(piece);
        *range = start..out.len();
    }
    let [_, request_target, _, timestamp_range, _, access_key] = ranges;
    let string_to_sign_len = out.len();
    let mac = signer.key.mac(out.get(..string_to_sign_len).unwrap_or(&[]));
    let mut signature = [0u8; SIGNATURE_LEN];
    let written = BASE64
        .encode_slice(mac, &mut signature)
        .map_err(|_| Error::invalid("secretKey", "could not be used to sign"))?;
    out.extend_from_slice(signature.get(..written).unwrap_or(&[]));
    let url = (!split.as_is).then(|| {
        let start = out.len();
        out.extend_from_slice(split.url_prefix().as_bytes());
        out.extend_from_slice(split.request_target.as_bytes());
        start..out.len()
    });
    Ok(Signed {
        string_to_sign_len,
        method: 0..method_len,
        request_target,
        timestamp: timestamp_range,
        access_key,
        url,
        signature_version,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_keeps_one_key_and_tells_keys_apart() {
        let mut cache = KeyCache::default();
        let mut out = Vec::new();
        let mut sign = |cache: &mut KeyCache, ak: &str, sk: &[u8]| {
            let signed = sign_into(cache, &SignInput::new("GET", "/x", ak, sk), &mut out).unwrap();
            signed.signature(&out).to_vec()
        };
        let a = sign(&mut cache, "AK", b"SK");
        assert_eq!(sign(&mut cache, "AK", b"SK"), a);
        let b = sign(&mut cache, "AK", b"SK2");
        assert_ne!(a, b);
        // Keys that differ only in length, in a tail byte, in the access key. (Not by trailing
        // zeros: HMAC pads the key with zeros, so `SK` and `SK\0` are the same key.)
        for (ak, sk) in [
            ("AK", &b"S"[..]),
            ("AK", b"SKS"),
            ("AK", b"SJ"),
            ("AK2", b"SK"),
            ("AK", b"12345678SK"),
        ] {
            let fresh = sign(&mut KeyCache::default(), ak, sk);
            assert_eq!(sign(&mut cache, ak, sk), fresh, "{ak} {sk:?}");
            assert_ne!(fresh, a);
        }
        assert_ne!(fingerprint(b""), fingerprint(b"\0"));
        assert_ne!(fingerprint(b"abcdefgh"), fingerprint(b"abcdefgh\0"));
        cache.forget();
        assert!(!cache.holds_key());
    }

    #[test]
    fn a_bad_key_leaves_no_state() {
        let mut cache = KeyCache::default();
        let mut out = Vec::new();
        sign_into(
            &mut cache,
            &SignInput::new("GET", "/x", "AK", b"SK"),
            &mut out,
        )
        .unwrap();
        assert!(sign_into(
            &mut cache,
            &SignInput::new("GET", "/x", "A K", b"SK2"),
            &mut out
        )
        .is_err());
        assert!(!cache.holds_key());
    }
}
