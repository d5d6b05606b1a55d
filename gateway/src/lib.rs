//! `ncloud-gateway`: a local NAVER Cloud API Gateway for Cloud DB for Redis.
//!
//! It authenticates requests exactly as NAVER Cloud's gateway does (headers, clock window, access
//! key, `x-ncp-apigw-signature-v2`/`-v1` compared in constant time over the request target as
//! received), emulates `flushCloudDBInstance` over real Redis servers, or forwards API requests
//! to an upstream gateway (canonical paths, allowed headers only); it serves the console
//! (`www/`) and the npm package (`/pkg/`), and writes one JSON audit line per request.

pub mod config;

mod audit;
mod auth;
mod body;
mod describe;
mod emulate;
mod forward;
mod handlers;
mod ids;
mod instances;
pub mod log;
mod params;
mod redis_server;
mod reply;
mod routes;
pub mod serve;
mod statics;
pub mod time;

use audit::Audit;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::response::Response;
use axum::Router;
use config::Config;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;
use tokio::net::TcpListener;

pub use instances::InstanceState;
pub use redis_server::RedisTimeouts;

pub use routes::api_prefix;

/// The running gateway's state, shared by every request.
pub struct Gateway {
    config: Config,
    emulator: emulate::Emulator,
    upstream: Option<forward::Upstream>,
    statics: statics::Statics,
}

impl Gateway {
    /// Builds the state from a checked configuration.
    pub fn new(config: Config) -> Result<Self, String> {
        let upstream = config
            .upstream
            .as_deref()
            .map(|base| {
                let limits = body::BodyLimits::new(&config);
                forward::Upstream::new(base, limits, config.max_upstream_body_bytes)
            })
            .transpose()?;
        Ok(Gateway {
            emulator: emulate::Emulator::new(&config)?,
            statics: statics::Statics::new(&config),
            upstream,
            config,
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
        let router = self.clone().router();
        serve::run(router, &self.config, listener, shutdown).await;
    }
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

    let mut response = if routes::is_api(&path) {
        let mut response = if method == Method::OPTIONS {
            audit.outcome = "preflight".into();
            reply::preflight()
        } else if let Some(upstream) = &gw.upstream {
            forward::forward(upstream, request, &mut audit).await
        } else {
            gw.emulator.answer(request, &target, &mut audit).await
        };
        reply::add_cors(response.headers_mut());
        response
    } else {
        gw.statics.serve(request, &path, &mut audit).await
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
