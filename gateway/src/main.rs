//! `ncloud-gateway --config gateway.toml`: see `--help`.

use clap::Parser;
use ncloud_gateway::config::Config;
use ncloud_gateway::Gateway;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// A local NAVER Cloud API Gateway for Cloud DB for Redis.
///
/// Emulates flushCloudDBInstance over real Redis servers with NAVER Cloud's authentication
/// (x-ncp-apigw-signature-v2), or forwards API requests to an upstream gateway; serves
/// the web console at / and the npm package at /pkg/. Writes one JSON audit line per request on
/// standard output.
#[derive(Parser, Debug)]
#[command(name = "ncloud-gateway", version)]
struct Args {
    /// The TOML configuration: listen address, credentials, instances, and the limits and
    /// timeouts (max_body_bytes, max_header_bytes, max_connections, max_connections_per_address,
    /// write_timeout_secs, max_connection_age_secs, max_requests_per_connection,
    /// request_timeout_secs, header_read_timeout_secs, redis_connect_timeout_ms,
    /// redis_command_timeout_ms, listing_deadline_ms, max_upstream_body_bytes,
    /// allow_http_upstream); see gateway/README.md.
    #[arg(long, value_name = "FILE")]
    config: PathBuf,
    /// Listen on this address instead of the configuration's `listen` (e.g. 127.0.0.1:0 for any
    /// free port; the address chosen is printed on standard error).
    #[arg(long, value_name = "ADDR")]
    listen: Option<SocketAddr>,
    /// Forward /clouddb/, /vredis/ and /vcache/ requests to this gateway (e.g.
    /// https://ncloud.apigw.ntruss.com) instead of emulating them: canonical paths only, the
    /// request target as received, only the headers NAVER Cloud reads, answers up to
    /// max_upstream_body_bytes.
    #[arg(long, value_name = "URL")]
    upstream: Option<String>,
    /// Accept an http:// upstream (plain text: signed requests and answers in the clear), e.g.
    /// another gateway on the loopback; without it, only https:// upstreams are accepted.
    #[arg(long)]
    allow_http_upstream: bool,
    /// Serve the console from this folder at / (default: the configuration's `www_dir`).
    #[arg(long, value_name = "DIR")]
    www: Option<PathBuf>,
    /// Serve the npm package from this folder at /pkg/ (default: the configuration's `pkg_dir`).
    #[arg(long, value_name = "DIR")]
    pkg: Option<PathBuf>,
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = terminate => {} }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let text = match std::fs::read_to_string(&args.config) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("ncloud-gateway: cannot read {}: {e}", args.config.display());
            return ExitCode::from(2);
        }
    };
    let mut config = match Config::parse_unchecked(&text) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("ncloud-gateway: {}: {e}", args.config.display());
            return ExitCode::from(2);
        }
    };
    if let Some(listen) = args.listen {
        config.listen = listen;
    }
    if args.upstream.is_some() {
        config.upstream = args.upstream;
    }
    if args.allow_http_upstream {
        config.allow_http_upstream = true;
    }
    if args.www.is_some() {
        config.www_dir = args.www;
    }
    if args.pkg.is_some() {
        config.pkg_dir = args.pkg;
    }
    if let Err(e) = config.check() {
        eprintln!("ncloud-gateway: {}: {e}", args.config.display());
        return ExitCode::from(2);
    }
    let listen = config.listen;
    let gateway = match Gateway::new(config) {
        Ok(g) => Arc::new(g),
        Err(e) => {
            eprintln!("ncloud-gateway: {e}");
            return ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("ncloud-gateway: cannot listen on {listen}: {e}");
            return ExitCode::from(1);
        }
    };
    let local = listener.local_addr().map_or(listen, |a| a);
    eprintln!("ncloud-gateway: listening on http://{local}");
    gateway.serve(listener, shutdown_signal()).await;
    ExitCode::SUCCESS
}
