//! The gateway's answers, shaped as NAVER Cloud shapes them.

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use ncloud_redis_flush::Format;

fn with_body(status: StatusCode, content_type: &'static str, body: String) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

pub(crate) const JSON: &str = "application/json;charset=UTF-8";
pub(crate) const XML: &str = "application/xml;charset=UTF-8";

/// An API Gateway error: `{"error":{"errorCode":…,"message":…,"details":…}}` (always JSON).
pub(crate) fn gateway_error(
    status: StatusCode,
    code: &str,
    message: &str,
    details: Option<&str>,
) -> Response {
    let mut error = serde_json::Map::new();
    error.insert("errorCode".into(), code.into());
    error.insert("message".into(), message.into());
    if let Some(details) = details {
        error.insert("details".into(), details.into());
    }
    let body = serde_json::json!({ "error": error }).to_string();
    with_body(status, JSON, body)
}

/// Authentication failed: 401, error code 200; `details` says which check failed.
pub(crate) fn auth_failed(details: &str) -> Response {
    gateway_error(
        StatusCode::UNAUTHORIZED,
        "200",
        "Authentication Failed",
        Some(details),
    )
}

/// A Cloud DB API error (`responseError`), in the requested format.
pub(crate) fn response_error(
    format: Format,
    status: StatusCode,
    code: &str,
    message: &str,
) -> Response {
    match format {
        Format::Json => with_body(
            status,
            JSON,
            serde_json::json!({ "responseError": { "returnCode": code, "returnMessage": message } }).to_string(),
        ),
        Format::Xml => {
            let mut body = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<responseError><returnCode>");
            body.push_str(&escape(code));
            body.push_str("</returnCode><returnMessage>");
            body.push_str(&escape(message));
            body.push_str("</returnMessage></responseError>");
            with_body(status, XML, body)
        }
    }
}

/// A success answer: `body` is already serialized in `format`.
pub(crate) fn success(format: Format, body: String) -> Response {
    with_body(
        StatusCode::OK,
        if format == Format::Json { JSON } else { XML },
        body,
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The headers a browser page on another origin needs to call the API and read `Date`.
pub(crate) fn add_cors(headers: &mut HeaderMap) {
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("date, x-ncp-trace-id"),
    );
}

/// The answer to a CORS preflight of an API path.
pub(crate) fn preflight() -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NO_CONTENT;
    let h = response.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST, OPTIONS"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static(
            "x-ncp-apigw-timestamp, x-ncp-iam-access-key, x-ncp-apigw-signature-v2, x-ncp-apigw-signature-v1, x-ncp-apigw-api-key, content-type, accept",
        ),
    );
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    response
}
