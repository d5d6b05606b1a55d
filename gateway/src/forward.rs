//! Forwarding API requests unchanged to an upstream gateway (NAVER Cloud's), so that a browser
//! console can reach it without CORS trouble while this gateway holds no secret.

use crate::audit::Audit;
use crate::body::{read_body, BodyLimits};
use crate::reply;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderName, StatusCode};
use axum::response::Response;
use std::time::Duration;

/// The upstream base URL and the HTTP client that talks to it.
pub(crate) struct Upstream {
    base: String,
    client: reqwest::Client,
    body: BodyLimits,
}

impl Upstream {
    /// A client of `base`; request bodies are read within `body`'s limits.
    pub(crate) fn new(base: &str, body: BodyLimits) -> Result<Self, String> {
        let parsed = reqwest::Url::parse(base).map_err(|e| format!("upstream {base:?}: {e}"))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.query().is_some() {
            return Err(format!(
                "upstream {base:?} must be an http(s) base URL without a query"
            ));
        }
        let client = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| format!("upstream client: {e}"))?;
        Ok(Upstream {
            base: base.trim_end_matches('/').to_owned(),
            client,
            body,
        })
    }
}

/// Headers that describe one connection, not the request: never forwarded (RFC 9110 §7.6.1).
fn hop_by_hop(name: &HeaderName) -> bool {
    matches!(
        name.as_str(),
        "connection"
            | "keep-alive"
            | "proxy-authenticate"
            | "proxy-authorization"
            | "te"
            | "trailer"
            | "transfer-encoding"
            | "upgrade"
            | "host"
            | "content-length"
    )
}

fn copy_headers(from: &HeaderMap, to: &mut HeaderMap) {
    for (name, value) in from {
        if !hop_by_hop(name) {
            to.append(name.clone(), value.clone());
        }
    }
}

/// Sends `request` upstream as it came (method, request target, headers, body) and relays the
/// answer.
pub(crate) async fn forward(upstream: &Upstream, request: Request, audit: &mut Audit) -> Response {
    audit.action = request.uri().path().rsplit('/').next().map(str::to_owned);
    audit.access_key = request
        .headers()
        .get(ncloud_redis_flush::signing::headers::ACCESS_KEY)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let target = request
        .uri()
        .path_and_query()
        .map_or("/", |pq| pq.as_str())
        .to_owned();
    let method = request.method().clone();
    let mut headers = HeaderMap::new();
    copy_headers(request.headers(), &mut headers);
    let body = match read_body(&upstream.body, request.into_body()).await {
        Ok(b) => b,
        Err(response) => {
            audit.outcome = "bad_body".into();
            return response;
        }
    };
    let url = format!("{}{target}", upstream.base);
    let sent = upstream
        .client
        .request(method, url)
        .headers(headers)
        .body(body)
        .send()
        .await;
    let answer = match sent {
        Ok(answer) => answer,
        Err(e) => {
            audit.outcome = "upstream_error".into();
            return if e.is_timeout() {
                reply::gateway_error(
                    StatusCode::GATEWAY_TIMEOUT,
                    "510",
                    "Endpoint Timeout",
                    Some("the upstream gateway did not answer in time"),
                )
            } else {
                reply::gateway_error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "500",
                    "Endpoint Error",
                    Some("the upstream gateway could not be reached"),
                )
            };
        }
    };
    let status = answer.status();
    let mut response_headers = HeaderMap::new();
    copy_headers(answer.headers(), &mut response_headers);
    let bytes = match answer.bytes().await {
        Ok(b) => b,
        Err(_) => {
            audit.outcome = "upstream_error".into();
            return reply::gateway_error(
                StatusCode::BAD_GATEWAY,
                "500",
                "Endpoint Error",
                Some("the upstream answer was cut short"),
            );
        }
    };
    audit.outcome = format!("forwarded: {}", status.as_u16());
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    *response.headers_mut() = response_headers;
    response
        .headers_mut()
        .remove(header::ACCESS_CONTROL_ALLOW_ORIGIN);
    response
}
