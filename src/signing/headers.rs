//! Header names of the NAVER Cloud API Gateway (lowercase, as `fetch` and HTTP/2 send them).

use alloc::string::String;
use alloc::vec::Vec;

/// Milliseconds since the Unix epoch, the very value that was signed.
pub const TIMESTAMP: &str = "x-ncp-apigw-timestamp";
/// The access key id.
pub const ACCESS_KEY: &str = "x-ncp-iam-access-key";
/// The signature, version 2.
pub const SIGNATURE_V2: &str = "x-ncp-apigw-signature-v2";
/// The signature under its older name.
pub const SIGNATURE_V1: &str = "x-ncp-apigw-signature-v1";
/// The API Gateway API key, for the APIs that still need one; never signed.
pub const API_KEY: &str = "x-ncp-apigw-api-key";
/// `Content-Type`, set when parameters travel in a form body.
pub const CONTENT_TYPE: &str = "content-type";
/// The media type of a form body.
pub const FORM_URLENCODED: &str = "application/x-www-form-urlencoded";

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
            SignatureVersion::V1 => SIGNATURE_V1,
            SignatureVersion::V2 => SIGNATURE_V2,
        }
    }

    /// `"v1"` or `"v2"`.
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureVersion::V1 => "v1",
            SignatureVersion::V2 => "v2",
        }
    }

    /// The `signatureVersion` option: `"v1"` or `"v2"` (any case), or the error naming it.
    ///
    /// ```
    /// use ncloud_redis_flush::SignatureVersion;
    /// assert_eq!(SignatureVersion::from_option("V1").unwrap(), SignatureVersion::V1);
    /// assert_eq!(SignatureVersion::from_option("v3").unwrap_err().field(), Some("signatureVersion"));
    /// ```
    pub fn from_option(text: &str) -> crate::error::Result<Self> {
        Self::parse(text)
            .ok_or_else(|| crate::error::Error::invalid("signatureVersion", "must be `v1` or `v2`"))
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

    /// The headers of a signed request, built in this one place: `x-ncp-apigw-timestamp`,
    /// `x-ncp-iam-access-key`, the signature header and, when given, `x-ncp-apigw-api-key`.
    ///
    /// ```
    /// use ncloud_redis_flush::signing::{Headers, SignatureVersion};
    /// let h = Headers::signed("7", "AK", "sig", SignatureVersion::V1, None);
    /// assert_eq!(h.get("x-ncp-apigw-signature-v1"), Some("sig"));
    /// assert_eq!(h.iter().count(), 3);
    /// ```
    pub fn signed(
        timestamp: &str,
        access_key: &str,
        signature: &str,
        version: SignatureVersion,
        api_key: Option<&str>,
    ) -> Headers {
        let mut headers = Vec::with_capacity(5);
        headers.push((TIMESTAMP, timestamp.into()));
        headers.push((ACCESS_KEY, access_key.into()));
        headers.push((version.header_name(), signature.into()));
        if let Some(api_key) = api_key {
            headers.push((API_KEY, api_key.into()));
        }
        Headers(headers)
    }

    /// Iterates over `(name, value)` pairs.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.0.iter().map(|(n, v)| (*n, v.as_str()))
    }
}
