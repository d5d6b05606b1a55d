//! Emulation of NAVER Cloud's API Gateway in front of the Cloud DB APIs: authenticate, find the
//! action, read the parameters, and hand the request to the action's handler.

use crate::audit::Audit;
use crate::auth::Authenticator;
use crate::body::{read_body, BodyLimits};
use crate::config::Config;
use crate::handlers;
use crate::ids::RequestIds;
use crate::instances::Instances;
use crate::params::{param, parameters};
use crate::reply;
use crate::routes::Action;
use axum::extract::Request;
use axum::http::{header, Method, StatusCode};
use axum::response::Response;
use ncloud_redis_flush::Format;

/// What the emulated API needs: who may call, the instances, request ids, body limits.
pub(crate) struct Emulator {
    auth: Authenticator,
    instances: Instances,
    ids: RequestIds,
    body: BodyLimits,
}

impl Emulator {
    /// The emulator of a checked configuration.
    pub(crate) fn new(config: &Config) -> Result<Self, String> {
        Ok(Emulator {
            auth: Authenticator::new(config),
            instances: Instances::new(config)?,
            ids: RequestIds::new(),
            body: BodyLimits::new(config),
        })
    }

    /// Answers an API request; `target` is its request target as received.
    pub(crate) async fn answer(
        &self,
        request: Request,
        target: &str,
        audit: &mut Audit,
    ) -> Response {
        let method = request.method().clone();
        let path = request.uri().path().to_owned();
        audit.action = path.rsplit('/').next().map(str::to_owned);
        // As NAVER Cloud's gateway does: authenticate first, then find the action, so a signature
        // made for one path never reaches another.
        if let Err(details) = self.auth.check(&method, target, request.headers(), audit) {
            audit.outcome = format!("auth_failed: {details}");
            return reply::auth_failed(&details);
        }
        let action = Action::of(&path).filter(|_| method == Method::GET || method == Method::POST);
        let Some(action) = action else {
            audit.outcome = "not_found".into();
            return reply::gateway_error(StatusCode::NOT_FOUND, "300", "Not Found Exception", None);
        };
        let is_form = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with(ncloud_redis_flush::signing::headers::FORM_URLENCODED));
        let query = request.uri().query().map(str::to_owned);
        let body = match read_body(&self.body, request.into_body()).await {
            Ok(body) => body,
            Err(response) => {
                audit.outcome = "bad_body".into();
                return response;
            }
        };
        let params = match parameters(query.as_deref(), is_form.then_some(body.as_slice())) {
            Ok(p) => p,
            Err(e) => {
                audit.outcome = "bad_request".into();
                return reply::response_error(Format::Json, StatusCode::BAD_REQUEST, "1001", &e);
            }
        };
        let format = match param(&params, "responseFormatType") {
            None => action.default_format(),
            Some(f) => match Format::parse(f) {
                Some(f) => f,
                None => {
                    audit.outcome = "bad_request".into();
                    return reply::response_error(
                        Format::Json,
                        StatusCode::BAD_REQUEST,
                        "1001",
                        "responseFormatType must be json or xml.",
                    );
                }
            },
        };
        let (instances, ids) = (&self.instances, &self.ids);
        match action {
            Action::Flush(p) => handlers::flush(instances, ids, p, &params, format, audit).await,
            Action::List(p) => handlers::list(instances, ids, p, &params, format, audit).await,
        }
    }
}
