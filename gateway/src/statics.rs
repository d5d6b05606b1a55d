//! The static files: the console (`www_dir`, at `/`) and the npm package (`pkg_dir`, at `/pkg/`).

use crate::audit::Audit;
use crate::config::Config;
use crate::reply;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use std::path::PathBuf;
use tower::ServiceExt as _;
use tower_http::services::ServeDir;

/// The policy of every static answer: the console's meta tag (www/index.html) plus
/// `frame-ancestors 'none'`, which a meta tag cannot carry (tests/console/csp.test.mjs holds the
/// two equal). No `http://[::1]:*`: a CSP host source cannot name an IPv6 literal.
pub(crate) const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' http://127.0.0.1:* http://localhost:* https:; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The folders served.
pub(crate) struct Statics {
    www: Option<PathBuf>,
    pkg: Option<PathBuf>,
}

impl Statics {
    /// `www_dir` and `pkg_dir` of `config`.
    pub(crate) fn new(config: &Config) -> Self {
        Statics {
            www: config.www_dir.clone(),
            pkg: config.pkg_dir.clone(),
        }
    }

    /// Answers `request` (for `path`) from the package folder (under `/pkg`) or the console's,
    /// with the security headers on every answer, found or not.
    pub(crate) async fn serve(&self, request: Request, path: &str, audit: &mut Audit) -> Response {
        let mut response = self.file(request, path, audit).await;
        let h = response.headers_mut();
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        );
        h.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        h.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        response
    }

    async fn file(&self, request: Request, path: &str, audit: &mut Audit) -> Response {
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
                (self.pkg.as_ref(), Request::from_parts(parts, body))
            }
            _ => (self.www.as_ref(), request),
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
}
