//! The two emulated actions, one handler each for the three platforms: the flush of the instance
//! a request names, and the listing of the instances it asks for.

use crate::audit::Audit;
use crate::describe;
use crate::ids::RequestIds;
use crate::instances::{Instances, ListQuery};
use crate::params::param;
use crate::redis_server::error_kind;
use crate::reply;
use axum::http::StatusCode;
use axum::response::Response;
use ncloud_redis_flush::{Format, Platform};

/// The 400 `responseError` of a bad request.
fn refuse(audit: &mut Audit, format: Format, outcome: &str, code: &str, message: &str) -> Response {
    audit.outcome = outcome.into();
    reply::response_error(format, StatusCode::BAD_REQUEST, code, message)
}

/// A flush: the instance (Classic) or master server (VPC, Cache) named by the platform's flush
/// parameter, in the region named (VPC, Cache; when one is), is flushed, and described.
pub(crate) async fn flush(
    instances: &Instances,
    ids: &RequestIds,
    platform: Platform,
    params: &[(String, String)],
    format: Format,
    audit: &mut Audit,
) -> Response {
    let name = platform.flush_param();
    let Some(no) = param(params, name) else {
        let message = format!("{name} is required.");
        return refuse(audit, format, "bad_request", "1001", &message);
    };
    audit.instance = Some(no.to_owned());
    if ncloud_redis_flush::api::check_instance_no(name, no).is_err() {
        let message = format!("{name} must be a number.");
        return refuse(audit, format, "bad_request", "1002", &message);
    }
    // `regionCode` is a parameter of the VPC and Cache APIs only.
    let region = (platform != Platform::Classic)
        .then(|| param(params, "regionCode"))
        .flatten();
    let state = match instances.flush_target(platform, no, region) {
        Ok(state) => state,
        Err(r) => return refuse(audit, format, "unknown_instance", r.code, &r.message),
    };
    match state.redis().flush().await {
        Ok(info) => {
            audit.outcome = "flushed".into();
            let body = describe::flush_body(platform, ids.next(), state, &info, format);
            reply::success(format, body)
        }
        Err(e) => {
            audit.outcome = format!("redis_error: {}", error_kind(&e));
            reply::response_error(
                format,
                StatusCode::INTERNAL_SERVER_ERROR,
                "1000",
                "Please try your call again later.",
            )
        }
    }
}

/// A listing: filtered by instance numbers (`…NoList.N`) and region (VPC, Cache), `dbKindCode`
/// required (Classic), paged by `pageNo` and `pageSize`.
pub(crate) async fn list(
    instances: &Instances,
    ids: &RequestIds,
    platform: Platform,
    params: &[(String, String)],
    format: Format,
    audit: &mut Audit,
) -> Response {
    let mut query = ListQuery {
        numbers: Vec::new(),
        region_code: None,
        page: None,
    };
    if platform == Platform::Classic {
        match param(params, "dbKindCode") {
            None => {
                return refuse(
                    audit,
                    format,
                    "bad_request",
                    "1001",
                    "dbKindCode is required.",
                )
            }
            // Only Redis is emulated: other kinds list nothing.
            Some(kind) if kind != "REDIS" => query.numbers.push(String::new()),
            Some(_) => {}
        }
    } else {
        query.region_code = param(params, "regionCode").map(str::to_owned);
    }
    let prefix = format!("{}.", platform.list_ids_param());
    for (name, value) in params {
        if name.starts_with(&prefix) {
            if ncloud_redis_flush::api::check_instance_no("instanceNo", value).is_err() {
                let message = format!("{name} must be a number.");
                return refuse(audit, format, "bad_request", "1001", &message);
            }
            query.numbers.push(value.clone());
        }
    }
    // NAVER Cloud's page parameters are Java ints: from 1 to 2^31 - 1.
    let count = |name: &str| -> Result<Option<u64>, String> {
        match param(params, name) {
            None => Ok(None),
            Some(v) => match v.parse::<u64>() {
                Ok(n) if (1..=i32::MAX as u64).contains(&n) => Ok(Some(n)),
                _ => Err(format!("{name} must be a number from 1 to {}.", i32::MAX)),
            },
        }
    };
    let (page_no, page_size) = match (count("pageNo"), count("pageSize")) {
        (Ok(n), Ok(s)) => (n, s),
        (Err(e), _) | (_, Err(e)) => return refuse(audit, format, "bad_request", "1001", &e),
    };
    if page_no.is_some() || page_size.is_some() {
        query.page = Some((page_no.unwrap_or(1), page_size));
    }
    let (states, total) = instances.matching(platform, &query);
    let infos = instances.infos(&states).await;
    audit.outcome = "listed".into();
    let body = describe::list_body(platform, ids.next(), &states, &infos, total, format);
    reply::success(format, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn instances() -> Instances {
        let config = Config::parse(
            "[[credentials]]\naccess_key = \"a\"\nsecret_key = \"b\"\n[[instances]]\ncloud_db_instance_no = \"1\"\nredis_url = \"redis://127.0.0.1:1\"\ncloud_db_service_name = \"s\"\n",
        )
        .unwrap();
        Instances::new(&config).unwrap()
    }

    /// A Classic listing of `instances` with `query` (after `dbKindCode=REDIS`): status and body.
    async fn list_on(instances: &Instances, query: &[(&str, &str)]) -> (StatusCode, String) {
        let mut params: Vec<(String, String)> = vec![("dbKindCode".into(), "REDIS".into())];
        params.extend(query.iter().map(|(n, v)| (n.to_string(), v.to_string())));
        let response = list(
            instances,
            &RequestIds::new(),
            Platform::Classic,
            &params,
            Format::Json,
            &mut Audit::default(),
        )
        .await;
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    async fn list_with(query: &[(&str, &str)]) -> (StatusCode, String) {
        list_on(&instances(), query).await
    }

    #[tokio::test]
    async fn pages_beyond_the_end_are_empty_and_numbers_beyond_an_int_are_refused() {
        // Without pageSize, every instance is on page 1: page 4 is empty, not an overflow.
        let (status, body) = list_with(&[("pageNo", "4")]).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(
            body.contains("\"totalRows\":1") && body.contains("\"cloudDBInstanceList\":[]"),
            "{body}"
        );
        // Offsets past a u32 (65536 × 65536) and near a u64 (2^31 × 2^31): empty pages.
        for (no, size) in [("65537", "65536"), ("2147483647", "2147483647")] {
            let (status, body) = list_with(&[("pageNo", no), ("pageSize", size)]).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            assert!(body.contains("\"cloudDBInstanceList\":[]"), "{body}");
        }
        // NAVER Cloud's parameters are Java ints: a larger number is a bad parameter.
        for (name, value) in [
            ("pageNo", "2147483648"),
            ("pageSize", "2147483648"),
            ("pageNo", "18446744073709551616"),
            ("pageSize", "0"),
            ("pageNo", "-1"),
        ] {
            let (status, body) = list_with(&[(name, value)]).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{name}={value}: {body}");
            assert!(
                body.contains("\"returnCode\":\"1001\"") && body.contains(name),
                "{body}"
            );
        }
    }

    /// A server that accepts connections and never answers, like a frozen Redis.
    async fn silent_redis() -> (String, tokio::task::JoinHandle<()>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("redis://{}", listener.local_addr().unwrap());
        let held = tokio::spawn(async move {
            let mut sockets = Vec::new();
            while let Ok((socket, _)) = listener.accept().await {
                sockets.push(socket);
            }
        });
        (url, held)
    }

    #[tokio::test]
    async fn a_listing_asks_every_redis_at_once_within_one_deadline() {
        const SILENT: usize = 4;
        let mut text = String::from("redis_connect_timeout_ms = 2000\nredis_command_timeout_ms = 2000\nlisting_deadline_ms = 1000\n[[credentials]]\naccess_key = \"a\"\nsecret_key = \"b\"\n");
        let mut held = Vec::new();
        for no in 1..=SILENT {
            let (url, task) = silent_redis().await;
            held.push(task);
            text += &format!("[[instances]]\ncloud_db_instance_no = \"{no}\"\nredis_url = \"{url}\"\ncloud_db_service_name = \"s{no}\"\n");
        }
        let instances = Instances::new(&Config::parse(&text).unwrap()).unwrap();
        let started = std::time::Instant::now();
        let (status, body) = list_on(&instances, &[]).await;
        let elapsed = started.elapsed();
        eprintln!("listing {SILENT} silent Redis servers took {elapsed:?}");
        // One deadline (1 s), not 4 × (connect + command) = 16 s; 1 s more is scheduling slack.
        assert!(elapsed < std::time::Duration::from_secs(2), "{elapsed:?}");
        assert_eq!(status, StatusCode::OK);
        // Every instance is still listed, without what its Redis would have told.
        assert!(body.contains(&format!("\"totalRows\":{SILENT}")), "{body}");
        for no in 1..=SILENT {
            assert!(
                body.contains(&format!("\"cloudDBInstanceNo\":\"{no}\"")),
                "{body}"
            );
        }
        held.iter().for_each(tokio::task::JoinHandle::abort);
    }
}
