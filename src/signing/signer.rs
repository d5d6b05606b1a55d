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

use super::headers::{self, Headers, SignatureVersion};
use super::key::SigningKey;
use super::request_target::{split_url, SplitUrl};
use super::string_to_sign::string_to_sign;
use super::timestamp::Timestamp;
use crate::error::{Error, Result};
use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

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
pub(crate) fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// The methods `fetch` refuses to send (uppercase).
pub(crate) fn is_forbidden_method(upper: &[u8]) -> bool {
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
pub(crate) fn is_key(bytes: &[u8]) -> bool {
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
    /// characters differently from the URL Standard (see [`is_contested`](super::request_target::is_contested)),
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
