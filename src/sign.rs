//! Signing a request: validated inputs in, the signed request and its headers out.
//!
//! ```
//! use ncloud_redis_flush::{sign_request, SignRequest, Timestamp};
//!
//! let signed = sign_request(&SignRequest {
//!     method: "get",
//!     url: "/clouddb/v2/flushCloudDBInstance?cloudDBInstanceNo=882689&responseFormatType=json",
//!     timestamp: Timestamp::from_millis(1546221796556).unwrap(),
//!     access_key: "Y0Z9EG0lKoeWAQCSHRtM",
//!     secret_key: "TESTSECRETKEY0123456789abcdefghijklmnopq",
//!     api_key: None,
//!     signature_version: Default::default(),
//! })
//! .unwrap();
//! assert_eq!(signed.method, "GET");
//! assert_eq!(signed.signature, "/3FZSr2hZ6RvF8XDHCUaY+nD8HpuX0A9pCfZcYMBp7s=");
//! assert_eq!(signed.header("x-ncp-apigw-signature-v2"), Some(signed.signature.as_str()));
//! ```

use crate::error::{Error, Result};
use crate::headers;
#[allow(unused_imports)]
use crate::prelude::*;
use crate::request_target::{canonical_origin_len_bytes, split_url, SplitUrl};
use crate::signature::{decimal, push_decimal, string_to_sign, SignatureVersion, SigningKey};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use core::fmt;

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

    /// Parses decimal digits, as sent in the `x-ncp-apigw-timestamp` header.
    pub fn parse(text: &str) -> Result<Self> {
        if text.is_empty() {
            return Err(Error::missing("timestamp"));
        }
        if !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::invalid(
                "timestamp",
                "must be an integer number of milliseconds written in decimal digits",
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

    /// The decimal text sent in `x-ncp-apigw-timestamp`.
    pub fn to_header_value(self) -> String {
        let mut s = String::with_capacity(13);
        push_decimal(&mut s, self.0);
        s
    }
}

/// What to sign. Every string is checked; see [`sign_request`].
#[derive(Clone, Copy)]
pub struct SignRequest<'a> {
    /// The HTTP method, any case; signed uppercased.
    pub method: &'a str,
    /// An absolute `http(s)` URL, or a path starting with `/`, with its query.
    pub url: &'a str,
    /// Milliseconds since the Unix epoch.
    pub timestamp: Timestamp,
    /// The access key id.
    pub access_key: &'a str,
    /// The secret key. It never appears in any output, error or `Debug` text.
    pub secret_key: &'a str,
    /// An API Gateway API key, sent as `x-ncp-apigw-api-key` and not signed.
    pub api_key: Option<&'a str>,
    /// Which signature header to send.
    pub signature_version: SignatureVersion,
}

impl fmt::Debug for SignRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("timestamp", &self.timestamp)
            .field("access_key", &self.access_key)
            .field("secret_key", &"<redacted>")
            .field("api_key", &self.api_key)
            .field("signature_version", &self.signature_version)
            .finish()
    }
}

/// The headers of a signed request, in the order they are added; names lowercase.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Headers(pub Vec<(&'static str, String)>);

impl Headers {
    /// The value of header `name` (lowercase).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Iterates over `(name, value)` pairs.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.0.iter().map(|(n, v)| (*n, v.as_str()))
    }
}

/// A signed request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedRequest {
    /// The method, uppercased: pass this one to `fetch`.
    pub method: String,
    /// The URL to fetch: origin (when the input had one) and the serialized request target.
    pub url: String,
    /// The path and query that were signed, exactly as `fetch` sends them.
    pub request_target: String,
    /// The string that was signed.
    pub string_to_sign: String,
    /// The base64 signature.
    pub signature: String,
    /// `x-ncp-apigw-timestamp`, `x-ncp-iam-access-key`, the signature header and, when given,
    /// `x-ncp-apigw-api-key`.
    pub headers: Headers,
}

impl SignedRequest {
    /// The value of header `name`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)
    }
}

/// Whether `b` may appear in an HTTP method (a `tchar` of RFC 9110).
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// The methods `fetch` refuses to send (uppercase).
fn is_forbidden_method(upper: &[u8]) -> bool {
    matches!(upper, b"CONNECT" | b"TRACE" | b"TRACK")
}

/// Checks an HTTP method and returns it uppercased.
pub fn normalize_method(method: &str) -> Result<String> {
    if method.is_empty() {
        return Err(Error::missing("method"));
    }
    if !method.bytes().all(is_tchar) {
        return Err(Error::invalid(
            "method",
            "must be an HTTP method token such as GET or POST (letters, no spaces)",
        ));
    }
    let upper = method.to_ascii_uppercase();
    if is_forbidden_method(upper.as_bytes()) {
        return Err(Error::invalid(
            "method",
            "is CONNECT, TRACE or TRACK, which fetch refuses to send",
        ));
    }
    Ok(upper)
}

/// What a header-borne key may be: printable ASCII without spaces, at least one byte.
fn is_key(bytes: &[u8]) -> bool {
    !bytes.is_empty() && bytes.iter().all(u8::is_ascii_graphic)
}

/// Checks a header-borne key (access key, API key): printable ASCII without spaces, because it
/// goes into a header and the access key into the string to sign.
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

/// The cached signer of the last `(access key, secret key)` pair: signing many requests with one
/// key pays for preparing it once (as AWS's SDKs cache derived keys).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) type SignerCache = Option<(String, String, Signer)>;

/// The cached signer for `(access_key, secret_key)`, made (and the keys checked) on a miss. The
/// keys are bytes so that the signing kernel can look up without validating them as text first.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn cached_signer<'c>(
    cache: &'c mut SignerCache,
    access_key: &[u8],
    secret_key: &[u8],
) -> Result<&'c Signer> {
    let hit = matches!(&*cache, Some((ak, sk, _)) if ak.as_bytes() == access_key && sk.as_bytes() == secret_key);
    if !hit {
        let text = |field, bytes| {
            core::str::from_utf8(bytes).map_err(|_| Error::invalid(field, "is not valid UTF-8"))
        };
        let (access_key, secret_key) = (
            text("accessKey", access_key)?,
            text("secretKey", secret_key)?,
        );
        *cache = Some((
            access_key.to_owned(),
            secret_key.to_owned(),
            Signer::new(access_key, secret_key)?,
        ));
    }
    match &*cache {
        Some((_, _, signer)) => Ok(signer),
        None => Err(Error::missing("secretKey")),
    }
}

/// The signing kernel behind the JavaScript fast path: signs without allocating when `url` is
/// already in serialized form ([`canonical_origin_len`]), writing the base64 signature into
/// `signature`. Returns the length of `url`'s origin (the request target is the rest), or `None`
/// when anything is unusual or invalid — the caller then takes the full path, which reports the
/// precise error. Every check of the full path is made: same inputs, same signature, same refusals.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn sign_canonical(
    cache: &mut SignerCache,
    url: &[u8],
    method: &[u8],
    access_key: &[u8],
    secret_key: &[u8],
    api_key: Option<&[u8]>,
    timestamp: Timestamp,
    signature: &mut [u8; 44],
) -> Option<usize> {
    let origin_len = canonical_origin_len_bytes(url)?;
    let target = url.get(origin_len..)?;
    if api_key.is_some_and(|key| !is_key(key)) {
        return None;
    }
    // Methods are short tokens: uppercase on the stack (longer ones take the full path).
    let mut upper = [0u8; 16];
    let upper = upper.get_mut(..method.len())?;
    upper.copy_from_slice(method);
    upper.make_ascii_uppercase();
    if upper.is_empty() || !upper.iter().all(|&b| is_tchar(b)) || is_forbidden_method(upper) {
        return None;
    }
    let mut digits = [0u8; 20];
    let digits = decimal(timestamp.millis(), &mut digits);
    let signer = cached_signer(cache, access_key, secret_key).ok()?;
    let mac = signer.key.mac_parts(&[
        upper,
        b" ",
        target,
        b"\n",
        digits,
        b"\n",
        signer.access_key.as_bytes(),
    ]);
    let written = BASE64.encode_slice(mac, signature).ok()?;
    (written == signature.len()).then_some(origin_len)
}

/// The kernel's timestamp: the number, or — when `text` is not empty — the text, if it is written
/// as `String(timestamp)` would write it back (decimal digits, no leading zero), so the string to
/// sign the caller assembles is the one signed.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn kernel_timestamp(number: f64, text: &[u8]) -> Option<Timestamp> {
    if text.is_empty() {
        return Timestamp::from_f64(number).ok();
    }
    let timestamp = Timestamp::parse(core::str::from_utf8(text).ok()?).ok()?;
    (decimal(timestamp.millis(), &mut [0; 20]) == text).then_some(timestamp)
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
    access_key: String,
    key: SigningKey,
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
        check_key("accessKey", access_key)?;
        if secret_key.is_empty() {
            return Err(Error::missing("secretKey"));
        }
        Ok(Signer {
            access_key: access_key.to_owned(),
            key: SigningKey::new(secret_key),
        })
    }

    /// The access key id.
    pub fn access_key(&self) -> &str {
        &self.access_key
    }

    /// Signs `method` and `url` at `timestamp`.
    pub fn sign(
        &self,
        method: &str,
        url: &str,
        timestamp: Timestamp,
        api_key: Option<&str>,
        signature_version: SignatureVersion,
    ) -> Result<SignedRequest> {
        self.sign_split(
            method,
            split_url(url, "url")?,
            timestamp,
            api_key,
            signature_version,
        )
    }

    /// Signs a URL already split by [`split_url`]: for hosts whose `fetch` serializes some
    /// characters differently from the URL Standard (see [`crate::request_target::is_contested`]),
    /// the request target can be replaced by the host's own serialization before signing.
    pub fn sign_split(
        &self,
        method: &str,
        split: SplitUrl,
        timestamp: Timestamp,
        api_key: Option<&str>,
        signature_version: SignatureVersion,
    ) -> Result<SignedRequest> {
        let method = normalize_method(method)?;
        if let Some(api_key) = api_key {
            check_key("apiKey", api_key)?;
        }
        Ok(self.sign_checked(
            method,
            split.to_url(),
            split.request_target,
            timestamp,
            api_key,
            signature_version,
        ))
    }

    /// Signs inputs that were already checked and normalized.
    pub(crate) fn sign_checked(
        &self,
        method: String,
        url: String,
        request_target: String,
        timestamp: Timestamp,
        api_key: Option<&str>,
        signature_version: SignatureVersion,
    ) -> SignedRequest {
        let string_to_sign = string_to_sign(
            &method,
            &request_target,
            timestamp.millis(),
            &self.access_key,
        );
        let signature = self.key.sign(&string_to_sign);
        let mut headers = Vec::with_capacity(4);
        headers.push((headers::TIMESTAMP, timestamp.to_header_value()));
        headers.push((headers::ACCESS_KEY, self.access_key.clone()));
        headers.push((signature_version.header_name(), signature.clone()));
        if let Some(api_key) = api_key {
            headers.push((headers::API_KEY, api_key.to_owned()));
        }
        SignedRequest {
            method,
            url,
            request_target,
            string_to_sign,
            signature,
            headers: Headers(headers),
        }
    }
}

/// Signs one request. Errors name the field at fault: `method`, `url`, `accessKey`,
/// `secretKey`, `apiKey`.
pub fn sign_request(request: &SignRequest<'_>) -> Result<SignedRequest> {
    Signer::new(request.access_key, request.secret_key)?.sign(
        request.method,
        request.url,
        request.timestamp,
        request.api_key,
        request.signature_version,
    )
}

/// Whether `n`, from 0 to 2^53, is a whole number (`f64::fract` is not in `core`).
pub(crate) fn is_whole(n: f64) -> bool {
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

    /// The kernel against the full path: same signature and target wherever the kernel signs,
    /// and it declines (never signs differently) everything else.
    #[test]
    fn sign_canonical_agrees_with_the_full_path() {
        let urls = [
            "https://ncloud.apigw.ntruss.com/clouddb/v2/flushCloudDBInstance?cloudDBInstanceNo=882689&responseFormatType=json",
            "/clouddb/v2/flushCloudDBInstance?",
            "http://127.0.0.1:8080/a/b?c=d?e",
            "https://h:/x",
            "/a/.b",
            "/a/./b",
            "/a/%2e%2E/b",
            "/a b",
            "/a|b",
            "HTTPS://h/x",
            "https://h",
            "https://h?q",
            "https://h/x#frag",
            "//h/x",
            "https://u@h/x",
            "https://h:99999/x",
            " /x",
        ];
        let methods = [
            "POST",
            "get",
            "Patch",
            "CONNECT",
            "trace",
            "",
            "GE T",
            "VERYLONGMETHODNAME1",
        ];
        let mut signed = 0;
        for url in urls {
            for method in methods {
                for api_key in [None, Some("API"), Some(""), Some("a b")] {
                    for (access, secret) in [
                        ("AK", "SK"),
                        ("AK2", "SK"),
                        ("", "SK"),
                        ("AK", ""),
                        ("A K", "SK"),
                    ] {
                        let mut cache = None;
                        let mut out = [0u8; 44];
                        let fast = sign_canonical(
                            &mut cache,
                            url.as_bytes(),
                            method.as_bytes(),
                            access.as_bytes(),
                            secret.as_bytes(),
                            api_key.map(str::as_bytes),
                            Timestamp::from_millis(1764380000123).unwrap(),
                            &mut out,
                        );
                        let full = Signer::new(access, secret).and_then(|s| {
                            s.sign(
                                method,
                                url,
                                Timestamp::from_millis(1764380000123)?,
                                api_key,
                                SignatureVersion::V2,
                            )
                        });
                        if let Some(origin_len) = fast {
                            let full = full.unwrap();
                            assert_eq!(
                                core::str::from_utf8(&out).unwrap(),
                                full.signature,
                                "{url} {method}"
                            );
                            assert_eq!(&url[origin_len..], full.request_target, "{url}");
                            assert_eq!(url, full.url, "{url}");
                            signed += 1;
                        }
                    }
                }
            }
        }
        // Not vacuous: the canonical URLs with valid inputs were signed by the kernel.
        assert!(signed >= 8 * 3, "{signed}");
    }

    #[test]
    fn kernel_timestamps_decline_what_the_caller_would_write_differently() {
        for ts in [f64::NAN, -1.0, 0.5, 9007199254740992.0, f64::INFINITY] {
            assert_eq!(kernel_timestamp(ts, b""), None, "{ts}");
        }
        assert_eq!(kernel_timestamp(0.0, b""), Timestamp::from_millis(0).ok());
        assert_eq!(
            kernel_timestamp(f64::NAN, b"0"),
            Timestamp::from_millis(0).ok()
        );
        let when = Timestamp::from_millis(1764380000123).ok();
        assert_eq!(kernel_timestamp(f64::NAN, b"1764380000123"), when);
        // The text wins over the number when both are given (the caller sends NaN with text).
        assert_eq!(kernel_timestamp(5.0, b"1764380000123"), when);
        for text in [
            &b"00"[..],
            b"01764380000123",
            b"+1",
            b"1e3",
            b"1 ",
            b"9007199254740992",
            b"99999999999999999999999",
            b"\xff",
        ] {
            assert_eq!(kernel_timestamp(f64::NAN, text), None, "{text:?}");
        }
    }

    #[test]
    fn sign_canonical_reuses_its_cache() {
        let mut cache = None;
        let mut out = [0u8; 44];
        let zero = Timestamp::from_millis(0).unwrap();
        assert_eq!(
            sign_canonical(&mut cache, b"/x", b"GET", b"AK", b"SK", None, zero, &mut out),
            Some(0)
        );
        let first = out;
        // Another key replaces the cached one, and signs differently.
        assert_eq!(
            sign_canonical(&mut cache, b"/x", b"GET", b"AK", b"SK2", None, zero, &mut out),
            Some(0)
        );
        assert_ne!(first, out);
        assert!(matches!(&cache, Some((_, sk, _)) if sk == "SK2"));
        assert_eq!(decimal(0, &mut [0; 20]), b"0");
        assert_eq!(
            decimal(u64::MAX, &mut [0; 20]),
            u64::MAX.to_string().as_bytes()
        );
    }
}
