//! # ncloud-redis-flush
//!
//! Sign NAVER Cloud API Gateway requests (`x-ncp-apigw-signature-v2`) and flush Cloud DB for
//! Redis instances (`flushCloudDBInstance`) safely, natively or from JavaScript through
//! WebAssembly.
//!
//! The crate is pure and deterministic: it never reads a clock and never does I/O. The caller
//! passes the timestamp in and sends the request itself.
//!
//! - [`sign_request`] / [`Signer`]: sign any API Gateway request, signing exactly the request
//!   target `fetch` sends ([`request_target`]).
//! - [`build_flush_request`]: a complete, signed `flushCloudDBInstance` request.
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

#![cfg_attr(not(test), no_std)]

extern crate alloc;
// Nothing here uses the standard library; with `std` (the default) it is linked so that
// WebAssembly builds which want it (the wasm-bindgen tests) get its runtime.
#[cfg(all(feature = "std", not(test)))]
extern crate std;

/// What `std`'s prelude would bring, from `alloc`.
mod prelude {
    pub(crate) use alloc::borrow::ToOwned;
    pub(crate) use alloc::string::String;
    pub(crate) use alloc::vec::Vec;
    pub(crate) use alloc::{format, vec};
}

pub mod answers;
pub mod error;
pub mod flush;
pub mod headers;
mod json;
pub mod model;
mod normalize;
pub mod parse;
pub mod request_target;
mod schema;
pub mod sign;
pub mod signature;
mod stream;
mod tree;
mod xml;

/// The JavaScript API (WebAssembly only): `signRequest`, `buildFlushRequest`, `parseFlushResponse`.
#[cfg(target_arch = "wasm32")]
pub mod wasm;

/// The shipped WebAssembly module's runtime, without `std` (`--no-default-features`).
#[cfg(all(target_arch = "wasm32", not(feature = "std"), not(test)))]
mod runtime {
    /// The allocator `std` itself uses on wasm32.
    #[global_allocator]
    static ALLOCATOR: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;

    /// A panic traps at once. Panics are bugs (every input error is an [`Error`](crate::Error)
    /// value; `unwrap`, indexing and `panic!` are linted against, and the fuzz targets run
    /// natively with panics as failures), so the module keeps no message formatting for them:
    /// that is most of `core::fmt` (bench/RESULTS.md, "Size"). JavaScript sees a
    /// `RuntimeError: unreachable`, as it did with `std` and `panic = "abort"`.
    #[panic_handler]
    fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
        core::arch::wasm32::unreachable()
    }
}

pub use answers::{Answer, Platform};
pub use error::{Error, ErrorKind, InputError, InputProblem, ParseProblem, Result};
pub use flush::{
    build_api_request, build_flush_request, ApiMethod, CallOptions, Endpoint, FlushRequest,
    HttpRequest, ParamsIn,
};
pub use model::{
    AccessControlGroup, CloudDbConfig, CloudDbConfigGroup, CloudDbInstance, CloudDbServerInstance,
    CommonCode, FlushResponse, Region, Zone,
};
pub use normalize::MAX_SAFE_INTEGER;
pub use parse::{parse_answer, parse_flush_response, AnswerKind, Format, ParseOptions};
pub use sign::{sign_request, Headers, SignRequest, SignedRequest, Signer, Timestamp};
pub use signature::{SignatureVersion, SigningKey};
