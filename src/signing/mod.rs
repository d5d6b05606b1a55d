//! Signing NAVER Cloud API Gateway requests: the timestamp, the request target, the string to
//! sign, the HMAC-SHA256 signature and the headers that carry it.
//!
//! ```text
//! stringToSign = METHOD + " " + requestTarget + "\n" + timestamp + "\n" + accessKey
//! signature    = base64(HMAC-SHA256(key = UTF-8(secretKey), message = UTF-8(stringToSign)))
//! ```
//!
//! | module | what |
//! | --- | --- |
//! | [`timestamp`] | [`Timestamp`]: integer milliseconds, at most 2^53 − 1 |
//! | [`request_target`](mod@request_target) | the path and query `fetch` sends, as the WHATWG URL Standard serializes them |
//! | [`string_to_sign`](mod@string_to_sign) | what the signature covers |
//! | [`key`] | [`SigningKey`]: HMAC-SHA256 with the key prepared once, base64, constant-time check |
//! | [`headers`] | the header names, [`SignatureVersion`], [`Headers`] |
//! | [`signer`] | [`Signer`] and [`sign_request`]: checked inputs in, a [`SignedRequest`] out |
//! | [`kernel`] | the allocation-free signing of already-serialized requests (the JavaScript API's fast case) |
//!
//! ```
//! use ncloud_redis_flush::signing::{string_to_sign, SigningKey};
//!
//! let sts = string_to_sign("POST", "/clouddb/v2/flushCloudDBInstance", 1546221796556, "Y0Z9EG0lKoeWAQCSHRtM");
//! let key = SigningKey::new("TESTSECRETKEY0123456789abcdefghijklmnopq");
//! assert_eq!(key.sign(&sts), "nt382ax5JrvKXGMh4O7rGTcHO6kXwpwK/haOaWU6X7Q=");
//! ```

pub mod headers;
pub mod kernel;
pub mod key;
pub mod request_target;
pub mod signer;
pub mod string_to_sign;
pub mod timestamp;

pub use headers::{Headers, SignatureVersion};
pub use key::{sign, SigningKey};
pub use request_target::{request_target, split_url, SplitUrl};
pub use signer::{normalize_method, sign_request, SignRequest, SignedRequest, Signer};
pub use string_to_sign::string_to_sign;
pub use timestamp::{Timestamp, MAX_TIMESTAMP};
