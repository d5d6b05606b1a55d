//! `ncloud-gateway`: a local NAVER Cloud API Gateway for Cloud DB for Redis.
//!
//! It authenticates requests exactly as NAVER Cloud's gateway does (headers, clock window, access
//! key, `x-ncp-apigw-signature-v2`/`-v1` compared in constant time over the request target as
//! received), emulates `flushCloudDBInstance` over real Redis servers, or forwards API requests
//! unchanged to an upstream gateway; it serves the console (`www/`) and the npm package (`/pkg/`),
//! and writes one JSON audit line per request.

pub mod config;
mod emulate;
mod family;
mod forward;
pub mod log;
mod reply;
pub mod serve;
pub mod time;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use config::Config;
use ncloud_redis_flush::SigningKey;
use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tower::ServiceExt as _;
use tower_http::services::ServeDir;

pub use emulate::{InstanceState, RedisTimeouts};

/// Path prefixes of the APIs the gateway answers (or forwards).
pub const API_PREFIXES: &[&str] = &["/clouddb/", "/vredis/", "/vcache/"];

/// The running gateway's state, shared by every request.
pub struct Gateway {
    config: Config,
    keys: HashMap<String, SigningKey>,
    instances: HashMap<String, Arc<InstanceState>>,
    upstream: Option<forward::Upstream>,
    www: Option<PathBuf>,
    pkg: Option<PathBuf>,
    requests: AtomicU64,
    id_seed: u64,
}

impl Gateway {
    /// Builds the state from a checked configuration.
    pub fn new(config: Config) -> Result<Self, String> {
        let keys = config
            .credentials
            .iter()
            .map(|c| (c.access_key.clone(), SigningKey::new(&c.secret_key)))
            .collect();
        let timeouts = RedisTimeouts {
            connect: Duration::from_millis(config.redis_connect_timeout_ms),
            command: Duration::from_millis(config.redis_command_timeout_ms),
        };
        let instances = config
            .instances
            .iter()
            .map(|i| {
                Ok((
                    i.cloud_db_instance_no.clone(),
                    Arc::new(InstanceState::new(i.clone(), timeouts)?),
                ))
            })
            .collect::<Result<_, String>>()?;
        let upstream = config
            .upstream
            .as_deref()
            .map(forward::Upstream::new)
            .transpose()?;
        // A per-process seed for request ids, from the standard library's random hasher keys.
        let id_seed = {
            use std::hash::{BuildHasher, Hasher};
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u64(time::now_ms());
            h.finish()
        };
        Ok(Gateway {
            www: config.www_dir.clone(),
            pkg: config.pkg_dir.clone(),
            config,
            keys,
            instances,
            upstream,
            requests: AtomicU64::new(0),
            id_seed,
        })
    }

    /// The router: every request goes through `handle`. It expects the client's address as a
    /// [`ConnectInfo<SocketAddr>`] request extension, which [`serve`](Self::serve) adds.
    pub fn router(self: Arc<Self>) -> Router {
        Router::new().fallback(handle).with_state(self)
    }

    /// Serves HTTP/1.1 on `listener` until `shutdown` completes, then lets the requests in flight
    /// finish (for at most as long as a request may take) and returns. See the
    /// [`serve` module](crate::serve) for the limits that keep slow, silent or malformed clients
    /// from holding the gateway.
    pub async fn serve(self: Arc<Self>, listener: TcpListener, shutdown: impl Future<Output = ()>) {
        serve::run(self, listener, shutdown).await;
    }

    /// A fresh request id, shaped like a UUID.
    fn request_id(&self) -> String {
        let n = self.requests.fetch_add(1, Ordering::Relaxed);
        let a = self.id_seed ^ n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let b = time::now_ms().rotate_left(17) ^ self.id_seed.rotate_left(29) ^ n;
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            ((b >> 48) & 0x3fff) | 0x8000,
            b & 0xffff_ffff_ffff
        )
    }
}

/// What a request turned out to be, for the audit line.
#[derive(Default)]
pub(crate) struct Audit {
    pub(crate) access_key: Option<String>,
    pub(crate) action: Option<String>,
    pub(crate) instance: Option<String>,
    pub(crate) outcome: String,
}

fn is_api(path: &str) -> bool {
    API_PREFIXES.iter().any(|p| path.starts_with(p))
}

/// Every request: route, answer, log one line.
async fn handle(
    State(gw): State<Arc<Gateway>>,
    ConnectInfo(remote): ConnectInfo<SocketAddr>,
    request: Request,
) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let target = request.uri().path_and_query().map_or_else(
        || request.uri().path().to_owned(),
        |pq| pq.as_str().to_owned(),
    );
    let path = request.uri().path().to_owned();
    let mut audit = Audit::default();

    let mut response = if is_api(&path) {
        let mut response = if method == Method::OPTIONS {
            audit.outcome = "preflight".into();
            reply::preflight()
        } else if let Some(upstream) = &gw.upstream {
            forward::forward(&gw, upstream, request, &mut audit).await
        } else {
            emulate::answer(&gw, request, &target, &mut audit).await
        };
        reply::add_cors(response.headers_mut());
        response
    } else {
        serve_static(&gw, request, &path, &mut audit).await
    };
    if !response.headers().contains_key(header::DATE) {
        if let Ok(v) = HeaderValue::from_str(&time::http_date(time::now_ms() / 1000)) {
            response.headers_mut().insert(header::DATE, v);
        }
    }
    log::line(&log::Line {
        remote,
        method: method.as_str(),
        target: &target,
        status: response.status().as_u16(),
        audit: &audit,
        latency: started.elapsed(),
    });
    response
}

async fn serve_static(gw: &Gateway, request: Request, path: &str, audit: &mut Audit) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        audit.outcome = "not_found".into();
        return reply::gateway_error(StatusCode::NOT_FOUND, "300", "Not Found Exception", None);
    }
    let (dir, request) = match path.strip_prefix("/pkg") {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => {
            let (mut parts, body) = request.into_parts();
            let rest = if rest.is_empty() { "/" } else { rest };
            let query = parts
                .uri
                .query()
                .map(|q| format!("?{q}"))
                .unwrap_or_default();
            parts.uri = match format!("{rest}{query}").parse() {
                Ok(uri) => uri,
                Err(_) => {
                    return reply::gateway_error(
                        StatusCode::NOT_FOUND,
                        "300",
                        "Not Found Exception",
                        None,
                    )
                }
            };
            (gw.pkg.as_ref(), Request::from_parts(parts, body))
        }
        _ => (gw.www.as_ref(), request),
    };
    let Some(dir) = dir else {
        audit.outcome = "not_found".into();
        return reply::gateway_error(StatusCode::NOT_FOUND, "300", "Not Found Exception", None);
    };
    match ServeDir::new(dir)
        .append_index_html_on_directories(true)
        .oneshot(request)
        .await
    {
        Ok(response) if response.status() == StatusCode::NOT_FOUND => {
            audit.outcome = "not_found".into();
            reply::gateway_error(StatusCode::NOT_FOUND, "300", "Not Found Exception", None)
        }
        Ok(response) => {
            audit.outcome = "static".into();
            let mut response = response.map(Body::new);
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            response.into_response()
        }
        Err(never) => match never {},
    }
}

/// The one value of header `name`: `Err` when it is sent more than once or is not text.
pub(crate) fn single_header<'h>(
    headers: &'h HeaderMap,
    name: &str,
) -> Result<Option<&'h str>, String> {
    let mut values = headers.get_all(name).iter();
    let Some(first) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(format!("the header {name} is sent more than once"));
    }
    first
        .to_str()
        .map(Some)
        .map_err(|_| format!("the header {name} is not visible ASCII"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_uuid_v4_shaped() {
        let config =
            Config::parse("[[credentials]]\naccess_key = \"a\"\nsecret_key = \"b\"\n").unwrap();
        let gw = Gateway::new(config).unwrap();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..10_000 {
            let id = gw.request_id();
            let parts: Vec<&str> = id.split('-').collect();
            let lens: Vec<usize> = parts.iter().map(|p| p.len()).collect();
            assert_eq!(lens, [8, 4, 4, 4, 12], "{id}");
            assert!(
                id.chars().all(|c| c == '-' || c.is_ascii_hexdigit()),
                "{id}"
            );
            assert!(parts[2].starts_with('4'), "{id}");
            assert!(
                matches!(parts[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'),
                "{id}"
            );
            assert!(seen.insert(id));
        }
    }
}
