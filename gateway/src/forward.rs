//! Forwarding API requests to an upstream gateway (NAVER Cloud's), so that a browser console can
//! reach it without CORS trouble while this gateway holds no secret.
//!
//! Only what NAVER Cloud's gateway needs goes upstream: requests whose path is canonical (no dot
//! segment, encoded slash or backslash, empty segment, encoded `%` or control character, in
//! any spelling) and under an API prefix once decoded, with the request target as received
//! (the signature covers it), the method, the body, and the headers of [`FORWARDED`] only —
//! never a cookie, a credential of another scheme, a hop-by-hop header or one that the
//! `Connection` header names. The answer comes back without hop-by-hop headers, cookies or the
//! upstream's CORS headers, and within `max_upstream_body_bytes`.

use crate::audit::Audit;
use crate::body::{read_body, BodyLimits};
use crate::reply;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderName, StatusCode};
use axum::response::Response;
use std::time::Duration;

/// The request headers forwarded: those NAVER Cloud's gateway reads (authentication, the form
/// body's type, the answer's format). `Content-Length` is the body's own, set by the client.
pub(crate) const FORWARDED: &[&str] = &[
    "x-ncp-apigw-timestamp",
    "x-ncp-iam-access-key",
    "x-ncp-apigw-signature-v2",
    "x-ncp-apigw-signature-v1",
    "x-ncp-apigw-api-key",
    "content-type",
    "accept",
];

/// The upstream base URL and the HTTP client that talks to it.
pub(crate) struct Upstream {
    base: String,
    client: reqwest::Client,
    body: BodyLimits,
    max_answer_bytes: usize,
}

impl Upstream {
    /// A client of `base`; request bodies are read within `body`'s limits, answers relayed up to
    /// `max_answer_bytes`.
    pub(crate) fn new(
        base: &str,
        body: BodyLimits,
        max_answer_bytes: usize,
    ) -> Result<Self, String> {
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
            max_answer_bytes,
        })
    }
}

/// Headers that describe one connection, not the message (RFC 9110 §7.6.1), and those the
/// gateway sets itself: never relayed in either direction.
fn hop_by_hop(name: &HeaderName) -> bool {
    matches!(
        name.as_str(),
        "connection"
            | "keep-alive"
            | "proxy-connection"
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

/// The header names the `Connection` header of `headers` lists: hop-by-hop as well.
fn named_by_connection(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|name| name.trim().to_ascii_lowercase())
        .filter(|name| !name.is_empty())
        .collect()
}

/// The request headers sent upstream: those of [`FORWARDED`] that the `Connection` header does
/// not name.
fn request_headers(from: &HeaderMap) -> HeaderMap {
    let private = named_by_connection(from);
    let mut to = HeaderMap::new();
    for (name, value) in from {
        let n = name.as_str();
        if FORWARDED.contains(&n) && !private.iter().any(|p| p == n) {
            to.append(name.clone(), value.clone());
        }
    }
    to
}

/// The answer's headers relayed: all but hop-by-hop ones, those its `Connection` header names,
/// cookies (they would be set for the gateway's origin) and the upstream's CORS headers (the
/// gateway adds its own).
fn answer_headers(from: &HeaderMap) -> HeaderMap {
    let private = named_by_connection(from);
    let mut to = HeaderMap::new();
    for (name, value) in from {
        let n = name.as_str();
        if hop_by_hop(name)
            || private.iter().any(|p| p == n)
            || n == "set-cookie"
            || n.starts_with("access-control-")
        {
            continue;
        }
        to.append(name.clone(), value.clone());
    }
    to
}

/// Whether `path`, percent-decoded, is canonical: no `.` or `..` segment, no empty segment
/// (but a final one), no backslash, no control character, and no `%` or `/` that decoding
/// made (a second decoding upstream, or a decoded slash, would name another path). Then it
/// is the path the upstream resolves, and its prefix can be checked on it.
fn canonical(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            let value = u8::from_str_radix(hex, 16).ok()?;
            if matches!(value, b'%' | b'/') {
                return None;
            }
            decoded.push(value);
            i += 3;
        } else {
            decoded.push(b);
            i += 1;
        }
    }
    if decoded.iter().any(|&b| b == b'\\' || b < 0x20 || b == 0x7f) {
        return None;
    }
    let decoded = String::from_utf8(decoded).ok()?;
    let rest = decoded.strip_prefix('/')?;
    let segments: Vec<&str> = rest.split('/').collect();
    let last = segments.len() - 1;
    for (n, segment) in segments.iter().enumerate() {
        if matches!(*segment, "." | "..") || (segment.is_empty() && n != last) {
            return None;
        }
    }
    Some(decoded)
}

/// Sends `request` upstream (method, request target as received, the [`FORWARDED`] headers,
/// body) and relays the answer.
pub(crate) async fn forward(upstream: &Upstream, request: Request, audit: &mut Audit) -> Response {
    audit.action = request.uri().path().rsplit('/').next().map(str::to_owned);
    audit.access_key = request
        .headers()
        .get(ncloud_redis_flush::signing::headers::ACCESS_KEY)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    // The prefix is checked on the path the upstream will resolve, not on its spelling:
    // `/clouddb/%2e%2e/x` is not under `/clouddb/`.
    if !canonical(request.uri().path()).is_some_and(|path| crate::routes::is_api(&path)) {
        audit.outcome = "bad_path".into();
        return reply::gateway_error(
            StatusCode::BAD_REQUEST,
            "100",
            "Bad Request Exception",
            Some("the path is not canonical (dot segments, encoded slashes or dots, backslashes or empty segments), or not under an API prefix"),
        );
    }
    let target = request
        .uri()
        .path_and_query()
        .map_or("/", |pq| pq.as_str())
        .to_owned();
    let method = request.method().clone();
    let headers = request_headers(request.headers());
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
    let mut answer = match sent {
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
    let response_headers = answer_headers(answer.headers());
    let limit = upstream.max_answer_bytes;
    let too_large = || {
        reply::gateway_error(
            StatusCode::BAD_GATEWAY,
            "500",
            "Endpoint Error",
            Some(&format!("the upstream answer is larger than {limit} bytes")),
        )
    };
    // Announced too large: refused unread. Otherwise read within the limit, chunk by chunk.
    if answer.content_length().is_some_and(|n| n > limit as u64) {
        audit.outcome = "upstream_too_large".into();
        return too_large();
    }
    let mut bytes = Vec::new();
    loop {
        match answer.chunk().await {
            Ok(Some(chunk)) => {
                if chunk.len() > limit - bytes.len() {
                    audit.outcome = "upstream_too_large".into();
                    return too_large();
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(_) => {
                audit.outcome = "upstream_error".into();
                return reply::gateway_error(
                    StatusCode::BAD_GATEWAY,
                    "500",
                    "Endpoint Error",
                    Some("the upstream answer was cut short"),
                );
            }
        }
    }
    audit.outcome = format!("forwarded: {}", status.as_u16());
    // The upstream's `Date` is among the headers relayed: clients take the server's clock from it.
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    *response.headers_mut() = response_headers;
    response
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::Gateway;
    use axum::body::{Body, Bytes, HttpBody};
    use axum::extract::Request;
    use axum::http::{HeaderMap, HeaderValue};
    use axum::response::Response;
    use std::net::SocketAddr;
    use std::pin::Pin;
    use std::sync::{Arc, Mutex};
    use std::task::{Context, Poll};
    use std::time::Duration;
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    use tokio::net::{TcpListener, TcpStream};

    /// What the fake upstream received: the request target and the headers.
    type Seen = Arc<Mutex<Vec<(String, HeaderMap)>>>;

    /// A body of `0` bytes in 64 KiB chunks, of no announced length (sent chunked).
    struct Chunks(usize);

    impl HttpBody for Chunks {
        type Data = Bytes;
        type Error = std::convert::Infallible;
        fn poll_frame(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Result<hyper::body::Frame<Bytes>, Self::Error>>> {
            let n = self.0.min(64 << 10);
            if n == 0 {
                return Poll::Ready(None);
            }
            self.0 -= n;
            Poll::Ready(Some(Ok(hyper::body::Frame::data(Bytes::from(vec![
                b'x';
                n
            ])))))
        }
    }

    const UPSTREAM_DATE: &str = "Tue, 01 Jan 2030 00:00:00 GMT";

    /// An upstream on a free loopback port that records what it receives. `/clouddb/v2/big`
    /// answers 2 MiB with a Content-Length, `/clouddb/v2/chunked` 2 MiB chunked, anything else
    /// a small answer with its own `Date`, a cookie and a hop-by-hop header.
    async fn upstream() -> (SocketAddr, Seen) {
        let seen: Seen = Arc::default();
        let record = seen.clone();
        let app = axum::Router::new().fallback(move |request: Request| {
            let record = record.clone();
            async move {
                let target = request.uri().to_string();
                record
                    .lock()
                    .unwrap()
                    .push((target.clone(), request.headers().clone()));
                let mut response = match request.uri().path() {
                    "/clouddb/v2/big" => Response::new(Body::from(vec![b'x'; 2 << 20])),
                    "/clouddb/v2/chunked" => Response::new(Body::new(Chunks(2 << 20))),
                    _ => Response::new(Body::from("{\"ok\":true}")),
                };
                let h = response.headers_mut();
                h.insert("date", HeaderValue::from_static(UPSTREAM_DATE));
                h.insert("set-cookie", HeaderValue::from_static("session=1"));
                h.insert("x-ncp-trace-id", HeaderValue::from_static("trace-1"));
                h.insert("connection", HeaderValue::from_static("x-upstream-private"));
                h.insert("x-upstream-private", HeaderValue::from_static("1"));
                response
            }
        });
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        (addr, seen)
    }

    /// A forwarding gateway in front of `upstream`, on a free loopback port.
    async fn forwarder(upstream: SocketAddr, extra: &str) -> SocketAddr {
        let config = Config::parse(&format!(
            "upstream = \"http://{upstream}\"\nallow_http_upstream = true\n{extra}\n"
        ))
        .unwrap();
        let gateway = Arc::new(Gateway::new(config).unwrap());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(gateway.serve(listener, std::future::pending()));
        addr
    }

    /// Sends `head` (request line and headers, without the blank line) and reads the answer to
    /// its end: the status, the head's text and the body's length.
    async fn exchange(addr: SocketAddr, head: &str) -> (u16, String, usize) {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let request = format!("{head}\r\nhost: x\r\nconnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer))
            .await
            .expect("the answer did not end")
            .unwrap();
        let text = String::from_utf8_lossy(&answer);
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, head.to_ascii_lowercase(), body.len())
    }

    #[tokio::test]
    async fn paths_are_checked_as_normalized_before_forwarding() {
        let (up, seen) = upstream().await;
        let gw = forwarder(up, "").await;
        for path in [
            "/clouddb/../x",
            "/clouddb/v2/../../x",
            "/clouddb/%2e%2e/x",
            "/clouddb/%2E%2E/x",
            "/clouddb/.%2E/x",
            "/clouddb/..%2fx",
            "/clouddb/%2F..%2Fx",
            "/clouddb/%5c..%5cx",
            "/clouddb/\\..\\x",
            "/clouddb/./v2/x",
            "/clouddb/%2e/v2/x",
            "/clouddb//v2/x",
            "/clouddb/%252e%252e/x",
            "/clouddb/%00/x",
            "/clouddb/%zz/x",
        ] {
            let (status, head, _) = exchange(gw, &format!("GET {path} HTTP/1.1")).await;
            assert!((400..500).contains(&status), "{path}: {head}");
        }
        assert_eq!(seen.lock().unwrap().len(), 0, "{:?}", seen.lock().unwrap());
        // A canonical path goes through, with its query as received.
        let (status, head, _) = exchange(
            gw,
            "GET /clouddb/v2/getCloudDBInstanceList?dbKindCode=REDIS&a=%2e%2e HTTP/1.1",
        )
        .await;
        assert_eq!(status, 200, "{head}");
        assert_eq!(
            seen.lock().unwrap()[0].0,
            "/clouddb/v2/getCloudDBInstanceList?dbKindCode=REDIS&a=%2e%2e"
        );
    }

    #[tokio::test]
    async fn only_the_headers_the_api_needs_go_upstream() {
        let (up, seen) = upstream().await;
        let gw = forwarder(up, "").await;
        let head = "POST /clouddb/v2/flushCloudDBInstance HTTP/1.1\r\n\
            x-ncp-apigw-timestamp: 1700000000000\r\n\
            x-ncp-iam-access-key: AK\r\n\
            x-ncp-apigw-signature-v2: c2ln\r\n\
            content-type: application/x-www-form-urlencoded\r\n\
            accept: application/json\r\n\
            content-length: 3\r\n\
            cookie: session=secret\r\n\
            authorization: Bearer secret\r\n\
            proxy-authorization: Basic secret\r\n\
            x-forwarded-for: 10.0.0.1\r\n\
            x-custom: 1\r\n\
            keep-alive: timeout=5\r\n\
            te: trailers\r\n\
            upgrade: websocket\r\n\
            x-ncp-apigw-api-key: named-in-connection\r\n\
            connection: x-ncp-apigw-api-key";
        // The body follows the head `exchange` ends.
        let mut stream = TcpStream::connect(gw).await.unwrap();
        stream
            .write_all(format!("{head}, close\r\nhost: x\r\n\r\na=1").as_bytes())
            .await
            .unwrap();
        let mut answer = Vec::new();
        tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer))
            .await
            .unwrap()
            .unwrap();
        let answer = String::from_utf8_lossy(&answer).to_ascii_lowercase();
        assert!(answer.starts_with("http/1.1 200 "), "{answer}");
        let seen = seen.lock().unwrap();
        let headers = &seen[0].1;
        let mut names: Vec<&str> = headers.keys().map(|n| n.as_str()).collect();
        names.sort_unstable();
        // host is the upstream's own (reqwest's), never the client's.
        assert_eq!(
            names,
            [
                "accept",
                "content-length",
                "content-type",
                "host",
                "x-ncp-apigw-signature-v2",
                "x-ncp-apigw-timestamp",
                "x-ncp-iam-access-key"
            ],
            "{headers:?}"
        );
        assert_eq!(headers["accept"], "application/json");
        assert_eq!(headers["content-length"], "3");
        assert_eq!(headers["host"], up.to_string().as_str());
        // And back: no cookie for the gateway's origin, nothing the upstream's Connection names.
        assert!(!answer.contains("set-cookie"), "{answer}");
        assert!(!answer.contains("x-upstream-private"), "{answer}");
        assert!(answer.contains("x-ncp-trace-id: trace-1"), "{answer}");
    }

    #[tokio::test]
    async fn the_upstream_date_reaches_the_client() {
        let (up, _) = upstream().await;
        let gw = forwarder(up, "").await;
        let (status, head, _) =
            exchange(gw, "GET /clouddb/v2/getCloudDBInstanceList HTTP/1.1").await;
        assert_eq!(status, 200, "{head}");
        let dates: Vec<&str> = head.lines().filter(|l| l.starts_with("date:")).collect();
        assert_eq!(
            dates,
            [format!("date: {}", UPSTREAM_DATE.to_ascii_lowercase())]
        );
    }

    #[tokio::test]
    async fn upstream_answers_over_the_limit_are_a_502() {
        let (up, _) = upstream().await;
        let gw = forwarder(up, "max_upstream_body_bytes = 1048576").await;
        for path in ["/clouddb/v2/big", "/clouddb/v2/chunked"] {
            let (status, head, body) = exchange(gw, &format!("GET {path} HTTP/1.1")).await;
            assert_eq!(status, 502, "{path}: {head}");
            assert!(body < 1000, "{path}: {body} bytes relayed");
        }
        // Within the limit (the default is 16 MiB): relayed whole.
        let gw = forwarder(up, "").await;
        for path in ["/clouddb/v2/big", "/clouddb/v2/chunked"] {
            let (status, head, body) = exchange(gw, &format!("GET {path} HTTP/1.1")).await;
            assert_eq!(status, 200, "{path}: {head}");
            assert_eq!(body, 2 << 20, "{path}");
        }
    }

    #[test]
    fn a_plain_http_upstream_needs_allow_http_upstream() {
        let e = Config::parse("upstream = \"http://127.0.0.1:1\"").unwrap_err();
        assert!(e.contains("allow_http_upstream"), "{e}");
        let e = Config::parse("upstream = \"HTTP://example.test\"").unwrap_err();
        assert!(e.contains("allow_http_upstream"), "{e}");
        Config::parse("upstream = \"http://127.0.0.1:1\"\nallow_http_upstream = true").unwrap();
        Config::parse("upstream = \"https://ncloud.apigw.ntruss.com\"").unwrap();
        let e = Config::parse("upstream = \"ftp://example.test\"").unwrap_err();
        assert!(e.contains("https"), "{e}");
    }
}
