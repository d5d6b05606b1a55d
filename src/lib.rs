//! # ncloud-redis-flush
//!
//! Sign NAVER Cloud API Gateway requests (`x-ncp-apigw-signature-v2`) and flush Cloud DB for
//! Redis instances (`flushCloudDBInstance`, and the VPC and Cache flushes) safely, natively or
//! from JavaScript through WebAssembly (the `ncloud-redis-flush-wasm` crate, in `wasm/`, is the
//! JavaScript glue; this crate has none). The [README] tells the whole story: the npm package,
//! the console, the CLI and the local gateway.
//!
//! The crate is pure and deterministic: it never reads a clock and never does I/O. The caller
//! passes the timestamp in and sends the request itself.
//!
//! - [`sign_request`] / [`Signer`]: sign any API Gateway request, signing exactly the request
//!   target `fetch` sends ([`signing::request_target`](mod@signing::request_target)).
//! - [`build_flush_request`]: a complete, signed `flushCloudDBInstance` request;
//!   [`build_platform_flush_request`] and [`build_list_request`] for the [`Platform`]s.
//! - [`parse_flush_response`]: the JSON or XML answer as a [`FlushResponse`], every gateway and
//!   API error as an [`Error`] with a [`kind`](Error::kind) and a stable [`code`](Error::code).
//!
//! ```
//! use ncloud_redis_flush::*;
//!
//! // 1. Build the signed request (the timestamp comes from the caller's clock).
//! let mut flush = FlushRequest::new(Timestamp::from_millis(1764380000123)?, "my-access-key", "my-secret-key");
//! flush.cloud_db_instance_no = "882689";
//! let request = build_flush_request(&flush)?;
//! assert_eq!(request.method, "POST");
//!
//! // 2. Send it with any HTTP client, then 3. read the answer.
//! let body = r#"{"flushCloudDBInstanceResponse":{"returnCode":"0","returnMessage":"success","totalRows":0,"cloudDBInstanceList":[]}}"#;
//! let answer = parse_flush_response(body, &ParseOptions { status: Some(200), ..Default::default() })?;
//! assert_eq!(answer.return_message, "success");
//! # Ok::<(), ncloud_redis_flush::Error>(())
//! ```
//!
//! ## Layout
//!
//! | module | what | uses |
//! | --- | --- | --- |
//! | `text` | decimal digits, message pieces, JSON/XML/percent escaping | nothing |
//! | [`error`] | [`Error`], one variant per kind of failure, stable codes | `text` |
//! | [`signing`] | timestamp, request target, string to sign, HMAC key, headers, [`Signer`] | `error`, `text` |
//! | [`model`] | the answers' schemas, the Classic, VPC and Cache types, [`Format`] | `error`, `text` |
//! | [`api`] | the [`Platform`] table and the builders of signed requests | `signing`, `model` |
//! | [`parse`] | JSON and XML readers, the normalizer, the answer's verdict | `model`, `error`, `text` |
//!
//! [README]: https://github.com/ncloud-redis-flush/ncloud-redis-flush#readme

#![cfg_attr(not(test), no_std)]

extern crate alloc;
// Nothing here uses the standard library; with `std` (the default) it is linked for the users
// who want it (`std::error::Error` comes from `core` either way).
#[cfg(all(feature = "std", not(test)))]
extern crate std;

pub mod api;
pub mod error;
pub mod model;
pub mod parse;
pub mod signing;
mod text;

pub use api::{
    build_api_request, build_flush_request, build_list_request, build_platform_flush_request,
    check_instance_no, ApiMethod, CallOptions, Endpoint, FlushRequest, HttpRequest, ListRequest,
    ParamsIn, Platform,
};
pub use error::{Error, ErrorKind, InputError, InputProblem, ParseProblem, Result};
pub use model::{
    AccessControlGroup, Answer, AnswerKind, CloudDbConfig, CloudDbConfigGroup, CloudDbInstance,
    CloudDbServerInstance, CommonCode, FlushResponse, Format, Region, Zone, MAX_SAFE_INTEGER,
};
pub use parse::{parse_answer, parse_flush_response, ParseOptions};
pub use signing::{
    sign_request, Headers, SignRequest, SignatureVersion, SignedRequest, Signer, SigningKey,
    Timestamp,
};

// The README's Rust examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
