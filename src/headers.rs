//! Header names of the NAVER Cloud API Gateway (lowercase, as `fetch` and HTTP/2 send them).

#[allow(unused_imports)]
use crate::prelude::*;
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
