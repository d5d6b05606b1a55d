//! Flushes a Cloud DB for Redis instance (Classic) from Rust: the crate builds and signs the
//! request, [ureq] sends it, the crate reads the answer.
//!
//! ```sh
//! NCLOUD_API_GW=http://127.0.0.1:8080 NCLOUD_ACCESS_KEY=… NCLOUD_SECRET_KEY=… \
//!   cargo run --example flush -- 882689
//! ```
//!
//! `NCLOUD_API_GW` defaults to NAVER Cloud's public gateway. The example's ureq is built without
//! TLS (it talks to the local gateway in the tests); for `https://` endpoints enable ureq's
//! `rustls` feature in your own program.
//!
//! Exit codes as the CLI's: 0 flushed, 1 an API, gateway or HTTP error, 2 a usage error, 3 a
//! network error.

use ncloud_redis_flush::{
    build_flush_request, parse_flush_response, Endpoint, FlushRequest, ParseOptions, Timestamp,
};
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(instance_no), None) = (args.next(), args.next()) else {
        eprintln!("usage: flush <cloudDBInstanceNo>");
        return ExitCode::from(2);
    };
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let (Some(access_key), Some(secret_key)) = (env("NCLOUD_ACCESS_KEY"), env("NCLOUD_SECRET_KEY"))
    else {
        eprintln!("flush: set NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY");
        return ExitCode::from(2);
    };
    let endpoint = env("NCLOUD_API_GW");

    // The crate never reads a clock: this program is the host, and passes the time in.
    #[allow(clippy::disallowed_methods)]
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let built = Timestamp::from_millis(now).and_then(|timestamp| {
        let mut flush = FlushRequest::new(timestamp, &access_key, &secret_key);
        flush.cloud_db_instance_no = &instance_no;
        if let Some(url) = &endpoint {
            flush.call.endpoint = Endpoint::Custom(url.clone());
        }
        build_flush_request(&flush)
    });
    let request = match built {
        Ok(request) => request,
        Err(err) => {
            eprintln!("flush: {err}");
            return ExitCode::from(2);
        }
    };

    // Answers of any status are read: the crate tells an API error from a success.
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let sent = if request.method == "GET" {
        let mut call = agent.get(&request.url);
        for (name, value) in request.headers.iter() {
            call = call.header(name, value);
        }
        call.call()
    } else {
        let mut call = agent.post(&request.url);
        for (name, value) in request.headers.iter() {
            call = call.header(name, value);
        }
        match &request.body {
            Some(body) => call.send(body.as_str()),
            None => call.send_empty(),
        }
    };
    let (status, body) = match sent.and_then(|mut response| {
        let status = response.status().as_u16();
        response
            .body_mut()
            .read_to_string()
            .map(|body| (status, body))
    }) {
        Ok(answer) => answer,
        Err(err) => {
            eprintln!("flush: the request failed: {err}");
            return ExitCode::from(3);
        }
    };

    match parse_flush_response(
        &body,
        &ParseOptions {
            status: Some(status),
            ..Default::default()
        },
    ) {
        Ok(answer) => {
            for instance in &answer.cloud_db_instance_list {
                println!(
                    "flushed {} ({})",
                    instance
                        .cloud_db_instance_no
                        .as_deref()
                        .unwrap_or(&instance_no),
                    instance.cloud_db_service_name.as_deref().unwrap_or("-"),
                );
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!(
                "flush: {} {}: {}",
                err.kind().as_str(),
                err.code(),
                err.message()
            );
            ExitCode::from(1)
        }
    }
}
