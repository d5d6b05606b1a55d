//! Reading a request body within the size and time limits.

use crate::config::Config;
use crate::reply;
use axum::body::Body;
use axum::body::HttpBody as _;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use http_body_util::BodyExt as _;
use std::time::Duration;

/// How large a request body may be, and how long it may take to arrive.
pub(crate) struct BodyLimits {
    pub(crate) max_bytes: usize,
    pub(crate) timeout: Duration,
}

impl BodyLimits {
    /// `max_body_bytes` and `request_timeout_secs` of `config`.
    pub(crate) fn new(config: &Config) -> Self {
        BodyLimits {
            max_bytes: config.max_body_bytes,
            timeout: Duration::from_secs(config.request_timeout_secs),
        }
    }
}

/// Reads a request body within the size limit and the time limit. A refusal closes the
/// connection (`Connection: close`): what is left of the body is not read.
pub(crate) async fn read_body(limits: &BodyLimits, body: Body) -> Result<Vec<u8>, Response> {
    let limit = limits.max_bytes;
    let refuse = |status, code, message, details: &str| {
        let mut response = reply::gateway_error(status, code, message, Some(details));
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        response
    };
    let too_large = format!("the body is larger than {limit} bytes");
    // A Content-Length over the limit is refused before a byte of the body is read.
    if body.size_hint().lower() > limit as u64 {
        return Err(refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "430",
            "Request Entity Too Large",
            &too_large,
        ));
    }
    let limited = http_body_util::Limited::new(body, limit);
    let timeout = limits.timeout;
    match tokio::time::timeout(timeout, limited.collect()).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes().to_vec()),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => Err(refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "430",
            "Request Entity Too Large",
            &too_large,
        )),
        Ok(Err(_)) => Err(refuse(
            StatusCode::BAD_REQUEST,
            "100",
            "Bad Request Exception",
            "the request body could not be read",
        )),
        Err(_) => Err(refuse(
            StatusCode::BAD_REQUEST,
            "100",
            "Bad Request Exception",
            "the request body did not arrive in time",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body that announces `len` bytes and never sends one.
    struct Endless(u64);

    impl axum::body::HttpBody for Endless {
        type Data = axum::body::Bytes;
        type Error = std::convert::Infallible;
        fn poll_frame(
            self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Result<hyper::body::Frame<Self::Data>, Self::Error>>> {
            std::task::Poll::Pending
        }
        fn size_hint(&self) -> hyper::body::SizeHint {
            hyper::body::SizeHint::with_exact(self.0)
        }
    }

    #[tokio::test]
    async fn bodies_over_the_limit_are_refused_before_reading_and_slow_ones_time_out() {
        let gw = BodyLimits {
            max_bytes: 1000,
            timeout: Duration::from_secs(1),
        };
        // Announced too large: 413 at once (waiting for the body would end in a 400 instead).
        let refused = read_body(&gw, Body::new(Endless(10 << 20)))
            .await
            .unwrap_err();
        assert_eq!(refused.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(refused.headers()[header::CONNECTION], "close");
        // Announced small but never sent: 400 after request_timeout_secs.
        let slow = read_body(&gw, Body::new(Endless(10))).await.unwrap_err();
        assert_eq!(slow.status(), StatusCode::BAD_REQUEST);
        assert_eq!(read_body(&gw, Body::from("abc")).await.unwrap(), b"abc");
    }
}
