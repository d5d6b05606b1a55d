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

use super::headers::{Headers, SignatureVersion};
pub use super::kernel::Signer;
use super::kernel::{check_method, sign_into, KeyCache, SignInput, Signed, TimestampInput};
use super::request_target::SplitUrl;
use super::timestamp::Timestamp;
use crate::error::Result;
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

impl SignedRequest {
    /// The signed request [`sign_into`] wrote into `out`, for the input URL `url` (the one
    /// place its pieces become a `SignedRequest`, with the headers of [`Headers::signed`]).
    pub fn from_output(
        out: &[u8],
        signed: &Signed,
        url: &str,
        api_key: Option<&str>,
    ) -> SignedRequest {
        // Every range is text: slices of the inputs, ASCII digits and base64.
        let text = |range: core::ops::Range<usize>| {
            String::from(core::str::from_utf8(out.get(range).unwrap_or(&[])).unwrap_or(""))
        };
        let signature = String::from(core::str::from_utf8(signed.signature(out)).unwrap_or(""));
        let access_key = text(signed.access_key.clone());
        SignedRequest {
            method: text(signed.method.clone()),
            url: match &signed.url {
                Some(range) => text(range.clone()),
                None => url.into(),
            },
            request_target: text(signed.request_target.clone()),
            string_to_sign: text(0..signed.string_to_sign_len),
            headers: Headers::signed(
                &text(signed.timestamp.clone()),
                &access_key,
                &signature,
                signed.signature_version,
                api_key,
            ),
            signature,
        }
    }
}

/// Checks an HTTP method and returns it uppercased (the rule [`sign_request`] applies).
pub fn normalize_method(method: &str) -> Result<String> {
    let mut upper = Vec::with_capacity(method.len());
    check_method(method, &mut upper)?;
    // A method token is ASCII.
    Ok(String::from(core::str::from_utf8(&upper).unwrap_or("")))
}

impl Signer {
    /// Signs `method` and `url` at `timestamp`, through the one signing path
    /// ([`sign_into`]).
    pub fn sign(
        &self,
        method: &str,
        url: &str,
        timestamp: Timestamp,
        api_key: Option<&str>,
        signature_version: SignatureVersion,
    ) -> Result<SignedRequest> {
        let mut out = Vec::new();
        let signed = sign_into(
            &mut &*self,
            &SignInput {
                timestamp: TimestampInput::Checked(timestamp),
                api_key,
                signature_version: Some(signature_version.as_str()),
                ..SignInput::new(method, url, &self.access_key, &[])
            },
            &mut out,
        )?;
        Ok(SignedRequest::from_output(&out, &signed, url, api_key))
    }

    /// Signs a URL already split by [`split_url`](super::request_target::split_url): for hosts
    /// whose `fetch` serializes some characters differently from the URL Standard (see
    /// [`is_contested`](super::request_target::is_contested)), the request target can be
    /// replaced by the host's own serialization before signing. (The split URL is signed as its
    /// [`to_url`](SplitUrl::to_url), which serializes to itself.)
    pub fn sign_split(
        &self,
        method: &str,
        split: SplitUrl,
        timestamp: Timestamp,
        api_key: Option<&str>,
        signature_version: SignatureVersion,
    ) -> Result<SignedRequest> {
        self.sign(
            method,
            &split.to_url(),
            timestamp,
            api_key,
            signature_version,
        )
    }
}

/// Signs one request. Errors name the field at fault: `method`, `url`, `accessKey`,
/// `secretKey`, `apiKey`.
pub fn sign_request(request: &SignRequest<'_>) -> Result<SignedRequest> {
    let mut out = Vec::new();
    let signed = sign_into(
        &mut KeyCache::default(),
        &SignInput {
            timestamp: TimestampInput::Checked(request.timestamp),
            api_key: request.api_key,
            signature_version: Some(request.signature_version.as_str()),
            ..SignInput::new(
                request.method,
                request.url,
                request.access_key,
                request.secret_key.as_bytes(),
            )
        },
        &mut out,
    )?;
    Ok(SignedRequest::from_output(
        &out,
        &signed,
        request.url,
        request.api_key,
    ))
}
