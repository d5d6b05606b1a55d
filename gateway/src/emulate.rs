//! Emulation of NAVER Cloud's API Gateway and of `flushCloudDBInstance` over real Redis servers.

use crate::config::Instance;
use crate::reply;
use crate::{single_header, time, Audit, Gateway};
use axum::body::Body;
use axum::body::HttpBody as _;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::Response;
use http_body_util::BodyExt as _;
use ncloud_redis_flush::signing::headers as h;
use ncloud_redis_flush::signing::string_to_sign;
use ncloud_redis_flush::Platform;
use ncloud_redis_flush::{
    AccessControlGroup, CloudDbConfig, CloudDbInstance, CloudDbServerInstance, CommonCode,
    FlushResponse, Format, Region, Zone,
};
use redis::aio::MultiplexedConnection;
use redis::AsyncConnectionConfig;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::Mutex;

/// How long connecting to Redis, and each command, may take.
#[derive(Clone, Copy, Debug)]
pub struct RedisTimeouts {
    /// Connecting (TCP and the client's handshake).
    pub connect: Duration,
    /// Each command's answer.
    pub command: Duration,
}

impl RedisTimeouts {
    /// The longest a flush may take, from the request's turn to its answer: one connection and
    /// one command's time. A stale connection fails at once, so its retry fits in it too.
    pub fn total(&self) -> Duration {
        self.connect + self.command
    }
}

/// An instance and its Redis connection (made on first use, remade after a failure).
pub struct InstanceState {
    config: Instance,
    client: redis::Client,
    timeouts: RedisTimeouts,
    /// The shared connection and its generation, so a request that failed on an old connection
    /// never drops a newer one.
    connection: Mutex<Option<(u64, MultiplexedConnection)>>,
    generations: AtomicU64,
}

/// What the Redis server says of itself.
#[derive(Debug, Default)]
pub(crate) struct RedisInfo {
    pub(crate) version: Option<String>,
    pub(crate) maxmemory: Option<i64>,
    pub(crate) uptime_secs: Option<i64>,
}

impl RedisInfo {
    /// Up since, as the API writes dates.
    pub(crate) fn uptime_kst(&self) -> Option<String> {
        self.uptime_secs
            .map(|up| time::kst((time::now_ms() / 1000) as i64 - up))
    }
}

impl InstanceState {
    /// Prepares (without connecting) the Redis client of `config`.
    pub fn new(config: Instance, timeouts: RedisTimeouts) -> Result<Self, String> {
        let client = redis::Client::open(config.redis_url.as_str())
            .map_err(|e| format!("instance {}: redis_url: {e}", config.cloud_db_instance_no))?;
        Ok(InstanceState {
            config,
            client,
            timeouts,
            connection: Mutex::new(None),
            generations: AtomicU64::new(0),
        })
    }

    /// The shared connection (`fresh` when just made), connecting if there is none.
    async fn connection(&self) -> redis::RedisResult<(u64, MultiplexedConnection, bool)> {
        let mut slot = self.connection.lock().await;
        if let Some((generation, c)) = slot.as_ref() {
            return Ok((*generation, c.clone(), false));
        }
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(self.timeouts.connect))
            .set_response_timeout(Some(self.timeouts.command));
        let c = self
            .client
            .get_multiplexed_async_connection_with_config(&config)
            .await?;
        let generation = self.generations.fetch_add(1, Ordering::Relaxed);
        *slot = Some((generation, c.clone()));
        Ok((generation, c, true))
    }

    /// Drops the shared connection if it is still `generation`: the next request connects afresh.
    async fn forget(&self, generation: u64) {
        let mut slot = self.connection.lock().await;
        if slot.as_ref().is_some_and(|(g, _)| *g == generation) {
            *slot = None;
        }
    }

    /// `FLUSHALL` (every database of the server), then `INFO`; within [`RedisTimeouts::total`]
    /// whatever the server does (down, frozen, restarted).
    pub(crate) async fn flush(&self) -> redis::RedisResult<RedisInfo> {
        let mut used = None;
        let outcome = tokio::time::timeout(self.timeouts.total(), self.try_flush(&mut used))
            .await
            .unwrap_or_else(|_| Err(std::io::Error::from(std::io::ErrorKind::TimedOut).into()));
        if let (Err(_), Some(generation)) = (&outcome, used) {
            self.forget(generation).await;
        }
        outcome
    }

    /// One flush, retried once on a new connection if the shared one turns out dead. `used` is
    /// the generation of the connection last used, which [`flush`](Self::flush) forgets on any
    /// failure — even a timeout, which drops this future midway.
    async fn try_flush(&self, used: &mut Option<u64>) -> redis::RedisResult<RedisInfo> {
        let (generation, mut c, fresh) = self.connection().await?;
        *used = Some(generation);
        match flush_and_info(&mut c).await {
            // The shared connection died since its last use (Redis restarted, or the connection
            // was cut): try once more on a new one. Safe to repeat: FLUSHALL is idempotent.
            Err(e) if !fresh && e.is_unrecoverable_error() => {
                self.forget(generation).await;
                let (generation, mut c, _) = self.connection().await?;
                *used = Some(generation);
                flush_and_info(&mut c).await
            }
            outcome => outcome,
        }
    }

    /// The instance as the API describes it, from the configuration and the live server.
    /// The instance's configuration.
    pub(crate) fn config(&self) -> &Instance {
        &self.config
    }

    /// The Redis server's host and port.
    pub(crate) fn host_port(&self) -> (String, i64) {
        let addr = self.client.get_connection_info().addr().to_string();
        match addr.rsplit_once(':') {
            Some((h, p)) => (h.to_owned(), p.parse().unwrap_or(6379)),
            None => (addr, 6379),
        }
    }

    /// `INFO` alone (for listings), within the Redis timeouts; `None` when Redis does not answer.
    pub(crate) async fn info(&self) -> Option<RedisInfo> {
        let query = async {
            let (generation, mut c, _) = self.connection().await?;
            let info: redis::RedisResult<String> = redis::cmd("INFO").query_async(&mut c).await;
            if info.is_err() {
                self.forget(generation).await;
            }
            info
        };
        match tokio::time::timeout(self.timeouts.total(), query).await {
            Ok(Ok(text)) => Some(parse_info(&text)),
            _ => None,
        }
    }

    /// The instance as the API describes it, from the configuration and the live server.
    pub(crate) fn describe(&self, info: &RedisInfo) -> CloudDbInstance {
        let c = &self.config;
        let zone_no = if c.zone_code.ends_with('2') { "3" } else { "2" };
        let (host, port) = self.host_port();
        let host = host.as_str();
        let uptime = info.uptime_kst();
        let servers: Vec<CloudDbServerInstance> = c
            .servers()
            .iter()
            .map(|s| {
                server(
                    &s.cloud_db_server_instance_no,
                    &s.name,
                    &s.role,
                    &s.status,
                    s.private_dns_name.as_deref().unwrap_or(host),
                    &c.create_date,
                    uptime.clone(),
                )
            })
            .collect();
        let groups = if c.access_control_groups.is_empty() {
            vec![AccessControlGroup {
                access_control_group_configuration_no: Some(format!("{}0", c.cloud_db_instance_no)),
                access_control_group_name: Some(format!("cloud-redis-{}", c.cloud_db_instance_no)),
                access_control_group_description: Some(format!(
                    "Group for cloud Redis service '{}' (automatically created)",
                    c.cloud_db_service_name
                )),
                is_default: Some(false),
                create_date: Some(c.create_date.clone()),
            }]
        } else {
            c.access_control_groups
                .iter()
                .map(|g| AccessControlGroup {
                    access_control_group_configuration_no: Some(g.configuration_no.clone()),
                    access_control_group_name: Some(g.name.clone()),
                    access_control_group_description: Some(g.description.clone()),
                    is_default: Some(g.is_default),
                    create_date: Some(c.create_date.clone()),
                })
                .collect()
        };
        let mut config: Vec<_> = c.config.iter().collect();
        config.sort();
        CloudDbInstance {
            cloud_db_instance_no: Some(c.cloud_db_instance_no.clone()),
            cloud_db_service_name: Some(c.cloud_db_service_name.clone()),
            db_kind_code: Some("REDIS".into()),
            engine_version: info.version.as_ref().map(|v| format!("REDIS {v}")),
            cpu_count: Some(c.cpu_count),
            memory_size: Some(info.maxmemory.filter(|&m| m > 0).unwrap_or(c.memory_size)),
            data_storage_type: Some(CommonCode {
                code: Some("SSD".into()),
                code_name: Some("SSD".into()),
            }),
            license_code: Some("BSD".into()),
            cloud_db_port: Some(port),
            is_ha: Some(c.is_ha),
            backup_time: Some(c.backup_time.clone()),
            backup_file_retention_period: Some(1),
            cloud_db_instance_status_name: Some(c.status.clone()),
            collation: Some(String::new()),
            reboot_schedule_time: None,
            create_date: Some(c.create_date.clone()),
            cloud_db_image_product_code: Some("SPSWREDISLINUX01".into()),
            cloud_db_product_code: Some("SPSVRDBAAS000008".into()),
            is_cloud_db_config_need_reboot: Some(false),
            is_cloud_db_need_reboot: Some(false),
            zone: Some(Zone {
                zone_no: Some(zone_no.into()),
                zone_name: Some(c.zone_code.clone()),
                zone_code: Some(c.zone_code.clone()),
                zone_description: Some(
                    if zone_no == "2" {
                        "Gasan zone"
                    } else {
                        "Pyeongchon zone"
                    }
                    .into(),
                ),
                region_no: Some("1".into()),
            }),
            region: Some(Region {
                region_no: Some("1".into()),
                region_code: Some(c.region_code.clone()),
                region_name: Some(
                    if c.region_code == "KR" {
                        "Korea"
                    } else {
                        c.region_code.as_str()
                    }
                    .into(),
                ),
            }),
            cloud_db_config_list: config
                .into_iter()
                .map(|(k, v)| CloudDbConfig {
                    config_name: Some(k.clone()),
                    config_value: Some(v.clone()),
                })
                .collect(),
            cloud_db_config_group_list: Vec::new(),
            access_control_group_list: groups,
            cloud_db_server_instance_list: servers,
        }
    }
}

async fn flush_and_info(c: &mut MultiplexedConnection) -> redis::RedisResult<RedisInfo> {
    redis::cmd("FLUSHALL").query_async::<()>(c).await?;
    let info: String = redis::cmd("INFO").query_async(c).await?;
    Ok(parse_info(&info))
}

fn server(
    no: &str,
    name: &str,
    role: &str,
    status: &str,
    dns: &str,
    created: &str,
    uptime: Option<String>,
) -> CloudDbServerInstance {
    let role_name = match role {
        "M" => "Master",
        "H" => "Hidden Master",
        "S" => "Slave",
        other => other,
    };
    CloudDbServerInstance {
        cloud_db_server_instance_no: Some(no.to_owned()),
        cloud_db_server_instance_status_name: Some(status.to_owned()),
        cloud_db_server_name: Some(name.to_owned()),
        cloud_db_server_role: Some(CommonCode {
            code: Some(role.to_owned()),
            code_name: Some(role_name.to_owned()),
        }),
        private_dns_name: Some(dns.to_owned()),
        public_dns_name: Some(String::new()),
        data_storage_size: Some(0),
        used_data_storage_size: Some(0),
        create_date: Some(created.to_owned()),
        uptime,
    }
}

fn parse_info(info: &str) -> RedisInfo {
    let mut out = RedisInfo::default();
    for line in info.lines() {
        let Some((key, value)) = line.trim_end().split_once(':') else {
            continue;
        };
        match key {
            "redis_version" => out.version = Some(value.to_owned()),
            "maxmemory" => out.maxmemory = value.parse().ok(),
            "uptime_in_seconds" => out.uptime_secs = value.parse().ok(),
            _ => {}
        }
    }
    out
}

/// Why a request is not authentic (the `details` of the 401).
fn authenticate(
    gw: &Gateway,
    method: &Method,
    target: &str,
    request: &Request,
    audit: &mut Audit,
) -> Result<(), String> {
    let headers = request.headers();
    let timestamp = single_header(headers, h::TIMESTAMP)?;
    let access_key = single_header(headers, h::ACCESS_KEY)?;
    let v2 = single_header(headers, h::SIGNATURE_V2)?;
    let v1 = single_header(headers, h::SIGNATURE_V1)?;
    if let Some(key) = access_key {
        audit.access_key = Some(key.to_owned());
    }
    let timestamp = timestamp.ok_or("the header x-ncp-apigw-timestamp is missing")?;
    let access_key = access_key.ok_or("the header x-ncp-iam-access-key is missing")?;
    let signature = match (v2, v1) {
        (Some(v2), Some(v1)) if v2 != v1 => {
            return Err(
                "the headers x-ncp-apigw-signature-v2 and x-ncp-apigw-signature-v1 disagree".into(),
            )
        }
        (v2, v1) => v2
            .or(v1)
            .ok_or("the header x-ncp-apigw-signature-v2 is missing")?,
    };
    let millis = parse_timestamp(timestamp)?;
    let now = time::now_ms();
    if now.abs_diff(millis) > gw.config.max_clock_skew_ms {
        return Err(format!(
            "x-ncp-apigw-timestamp is {} ms away from the gateway's clock (at most {} ms allowed)",
            now.abs_diff(millis),
            gw.config.max_clock_skew_ms
        ));
    }
    let key = gw
        .keys
        .get(access_key)
        .ok_or("the access key is not known")?;
    let string_to_sign = string_to_sign(method.as_str(), target, millis, access_key);
    if !key.verify(&string_to_sign, signature) {
        return Err("the signature does not match the request".into());
    }
    Ok(())
}

/// The milliseconds of `x-ncp-apigw-timestamp`, written canonically: the string to sign holds the
/// number, so `0` + a signed timestamp must not pass for it.
fn parse_timestamp(text: &str) -> Result<u64, String> {
    const NOT_MILLIS: &str = "x-ncp-apigw-timestamp is not a number of milliseconds";
    let millis = ncloud_redis_flush::Timestamp::parse(text)
        .map_err(|_| NOT_MILLIS)?
        .millis();
    if text.len() > 1 && text.starts_with('0') {
        return Err(NOT_MILLIS.into());
    }
    Ok(millis)
}

/// The API parameters: from the query and, for a form POST, the body. A name given twice (or
/// differently in both) is refused: the instance to flush must never be ambiguous.
fn parameters(query: Option<&str>, form: Option<&[u8]>) -> Result<Vec<(String, String)>, String> {
    let mut params: Vec<(String, String)> = Vec::new();
    let sources = [query.map(str::as_bytes), form];
    for source in sources.into_iter().flatten() {
        for (name, value) in form_urlencoded::parse(source) {
            if let Some((_, existing)) = params.iter().find(|(n, _)| *n == name) {
                if *existing != value {
                    return Err(format!(
                        "the parameter {name} is given more than once with different values"
                    ));
                }
                continue;
            }
            params.push((name.into_owned(), value.into_owned()));
        }
    }
    Ok(params)
}

/// Answers an API request (not forwarded).
pub(crate) async fn answer(
    gw: &Gateway,
    request: Request,
    target: &str,
    audit: &mut Audit,
) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    audit.action = path.rsplit('/').next().map(str::to_owned);
    // As NAVER Cloud's gateway does: authenticate first, then find the action, so a signature
    // made for one path never reaches another.
    if let Err(details) = authenticate(gw, &method, target, &request, audit) {
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
    let body = match read_body(gw, request.into_body()).await {
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
    let param = |name: &str| {
        params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    // The Classic APIs answer JSON by default, the VPC and Cache ones XML (as NAVER Cloud's do).
    let format = match param("responseFormatType") {
        None if action.platform() == Platform::Classic => Format::Json,
        None => Format::Xml,
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
    let platform = match action {
        Action::Flush(Platform::Classic) => Platform::Classic,
        Action::Flush(platform) => {
            return family_flush(gw, platform, param, format, audit).await;
        }
        Action::List(platform) => return family_list(gw, platform, &params, format, audit).await,
    };
    let Some(instance_no) = param("cloudDBInstanceNo") else {
        audit.outcome = "bad_request".into();
        return reply::response_error(
            format,
            StatusCode::BAD_REQUEST,
            "1001",
            "cloudDBInstanceNo is required.",
        );
    };
    audit.instance = Some(instance_no.to_owned());
    if ncloud_redis_flush::api::check_instance_no("cloudDBInstanceNo", instance_no).is_err() {
        audit.outcome = "bad_request".into();
        return reply::response_error(
            format,
            StatusCode::BAD_REQUEST,
            "1002",
            "cloudDBInstanceNo must be a number.",
        );
    }
    let classic = gw
        .instances
        .get(instance_no)
        .filter(|s| s.config().platform.platform() == platform);
    let Some(instance) = classic else {
        audit.outcome = "unknown_instance".into();
        return reply::response_error(
            format,
            StatusCode::BAD_REQUEST,
            "1003",
            &format!("Cloud DB instance {instance_no} does not exist."),
        );
    };
    match instance.flush().await {
        Ok(info) => {
            audit.outcome = "flushed".into();
            let answer =
                FlushResponse::success(Some(gw.request_id()), vec![instance.describe(&info)]);
            let body = match format {
                Format::Json => {
                    serde_json::json!({ ncloud_redis_flush::model::FLUSH_RESPONSE_ROOT: answer })
                        .to_string()
                }
                Format::Xml => answer.to_xml(),
            };
            reply::success(format, body)
        }
        Err(e) => {
            audit.outcome = format!("redis_error: {}", e.kind_name());
            reply::response_error(
                format,
                StatusCode::INTERNAL_SERVER_ERROR,
                "1000",
                "Please try your call again later.",
            )
        }
    }
}

/// An API action the gateway emulates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
    Flush(Platform),
    List(Platform),
}

impl Action {
    fn of(path: &str) -> Option<Self> {
        [Platform::Classic, Platform::Vpc, Platform::Cache]
            .into_iter()
            .find_map(|p| {
                if path == p.flush_path() {
                    Some(Action::Flush(p))
                } else if path == p.list_path() {
                    Some(Action::List(p))
                } else {
                    None
                }
            })
    }

    fn platform(self) -> Platform {
        match self {
            Action::Flush(p) | Action::List(p) => p,
        }
    }
}

fn platform_name(platform: Platform) -> crate::config::PlatformName {
    match platform {
        Platform::Classic => crate::config::PlatformName::Classic,
        Platform::Vpc => crate::config::PlatformName::Vpc,
        Platform::Cache => crate::config::PlatformName::Cache,
    }
}

/// `flushAllCloudRedisServerInstance` / `flushAllCloudCacheServerInstance`: the master server
/// named, in the region named (when one is), is flushed.
async fn family_flush<'p>(
    gw: &Gateway,
    platform: Platform,
    param: impl Fn(&str) -> Option<&'p str>,
    format: Format,
    audit: &mut Audit,
) -> Response {
    let name = platform.flush_param();
    let refuse = |audit: &mut Audit, outcome: &str, code: &str, message: &str| {
        audit.outcome = outcome.into();
        reply::response_error(format, StatusCode::BAD_REQUEST, code, message)
    };
    let Some(server_no) = param(name) else {
        return refuse(
            audit,
            "bad_request",
            "1001",
            &format!("{name} is required."),
        );
    };
    audit.instance = Some(server_no.to_owned());
    if ncloud_redis_flush::api::check_instance_no(name, server_no).is_err() {
        return refuse(
            audit,
            "bad_request",
            "1002",
            &format!("{name} must be a number."),
        );
    }
    let state = match crate::family::find_server(
        gw,
        platform_name(platform),
        server_no,
        param("regionCode"),
    ) {
        Ok(state) => state,
        Err(refusal) => return refuse(audit, "unknown_instance", refusal.code, &refusal.message),
    };
    match state.flush().await {
        Ok(info) => {
            audit.outcome = "flushed".into();
            reply::success(
                format,
                crate::family::flush_body(gw, platform, state, &info, format),
            )
        }
        Err(e) => {
            audit.outcome = format!("redis_error: {}", e.kind_name());
            reply::response_error(
                format,
                StatusCode::INTERNAL_SERVER_ERROR,
                "1000",
                "Please try your call again later.",
            )
        }
    }
}

/// The three listings: filters by instance numbers (`…NoList.N`) and region, paging.
async fn family_list(
    gw: &Gateway,
    platform: Platform,
    params: &[(String, String)],
    format: Format,
    audit: &mut Audit,
) -> Response {
    let refuse = |audit: &mut Audit, message: &str| {
        audit.outcome = "bad_request".into();
        reply::response_error(format, StatusCode::BAD_REQUEST, "1001", message)
    };
    let param = |name: &str| {
        params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let mut query = crate::family::ListQuery {
        numbers: Vec::new(),
        region_code: None,
        page: None,
    };
    if platform == Platform::Classic {
        match param("dbKindCode") {
            None => return refuse(audit, "dbKindCode is required."),
            // Only Redis is emulated: other kinds list nothing.
            Some(kind) if kind != "REDIS" => query.numbers.push(String::new()),
            Some(_) => {}
        }
    } else {
        query.region_code = param("regionCode").map(str::to_owned);
    }
    let prefix = format!("{}.", platform.list_ids_param());
    for (name, value) in params {
        if name.starts_with(&prefix) {
            if ncloud_redis_flush::api::check_instance_no("instanceNo", value).is_err() {
                return refuse(audit, &format!("{name} must be a number."));
            }
            query.numbers.push(value.clone());
        }
    }
    let count = |name: &str| -> Result<Option<usize>, String> {
        match param(name) {
            None => Ok(None),
            Some(v) => match v.parse::<usize>() {
                Ok(n) if n >= 1 => Ok(Some(n)),
                _ => Err(format!("{name} must be a number from 1.")),
            },
        }
    };
    let (page_no, page_size) = match (count("pageNo"), count("pageSize")) {
        (Ok(n), Ok(s)) => (n, s),
        (Err(e), _) | (_, Err(e)) => return refuse(audit, &e),
    };
    if page_no.is_some() || page_size.is_some() {
        query.page = Some((page_no.unwrap_or(1), page_size.unwrap_or(usize::MAX / 2)));
    }
    audit.outcome = "listed".into();
    reply::success(
        format,
        crate::family::list_body(gw, platform, &query, format).await,
    )
}

trait KindName {
    fn kind_name(&self) -> String;
}

impl KindName for redis::RedisError {
    fn kind_name(&self) -> String {
        if self.is_timeout() {
            "timeout".into()
        } else if self.is_connection_refusal() || self.is_connection_dropped() || self.is_io_error()
        {
            "unreachable".into()
        } else {
            format!("{:?}", self.kind()).to_lowercase()
        }
    }
}

/// Reads a request body within the size limit and the time limit. A refusal closes the
/// connection (`Connection: close`): what is left of the body is not read.
pub(crate) async fn read_body(gw: &Gateway, body: Body) -> Result<Vec<u8>, Response> {
    let limit = gw.config.max_body_bytes;
    let refuse = |status, code, message, details: &str| {
        let mut response = reply::gateway_error(status, code, message, Some(details));
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        response
    };
    let too_large = format!("the body is larger than {limit} bytes");
    // A Content-Length over the limit is refused before a byte of the body is read.
    if body.size_hint().lower() > limit as u64 {
        return Err(refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "430",
            "Request Entity Too Large",
            &too_large,
        ));
    }
    let limited = http_body_util::Limited::new(body, limit);
    let timeout = Duration::from_secs(gw.config.request_timeout_secs);
    match tokio::time::timeout(timeout, limited.collect()).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes().to_vec()),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => Err(refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "430",
            "Request Entity Too Large",
            &too_large,
        )),
        Ok(Err(_)) => Err(refuse(
            StatusCode::BAD_REQUEST,
            "100",
            "Bad Request Exception",
            "the request body could not be read",
        )),
        Err(_) => Err(refuse(
            StatusCode::BAD_REQUEST,
            "100",
            "Bad Request Exception",
            "the request body did not arrive in time",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_refuse_ambiguity() {
        let p = parameters(
            Some("cloudDBInstanceNo=1&responseFormatType=xml"),
            Some(b"cloudDBInstanceNo=1"),
        )
        .unwrap();
        assert_eq!(p.len(), 2);
        assert!(parameters(Some("cloudDBInstanceNo=1&cloudDBInstanceNo=2"), None).is_err());
        assert!(parameters(Some("cloudDBInstanceNo=1"), Some(b"cloudDBInstanceNo=2")).is_err());
        assert_eq!(
            parameters(None, Some(b"a=b+c%21")).unwrap(),
            vec![("a".into(), "b c!".into())]
        );
    }

    fn gateway() -> Gateway {
        let config = crate::config::Config::parse(
            "max_body_bytes = 1000\nrequest_timeout_secs = 1\n[[credentials]]\naccess_key = \"AK\"\nsecret_key = \"SK\"\n",
        )
        .unwrap();
        Gateway::new(config).unwrap()
    }

    fn signed_request(timestamp: &str, headers: &[(&str, &str)]) -> Request {
        let mut builder = Request::builder()
            .method("POST")
            .uri("/clouddb/v2/flushCloudDBInstance?cloudDBInstanceNo=1")
            .header(h::TIMESTAMP, timestamp)
            .header(h::ACCESS_KEY, "AK");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Body::empty()).unwrap()
    }

    fn check(gw: &Gateway, request: &Request) -> Result<(), String> {
        let target = request.uri().path_and_query().unwrap().as_str().to_owned();
        authenticate(
            gw,
            request.method(),
            &target,
            request,
            &mut Audit::default(),
        )
    }

    #[test]
    fn authentication_refuses_other_spellings_and_disagreeing_signatures() {
        let gw = gateway();
        let now = time::now_ms();
        let sign = |ts: u64| {
            ncloud_redis_flush::SigningKey::new("SK").sign(&string_to_sign(
                "POST",
                "/clouddb/v2/flushCloudDBInstance?cloudDBInstanceNo=1",
                ts,
                "AK",
            ))
        };
        let good = sign(now);
        let ts = now.to_string();
        assert_eq!(
            check(&gw, &signed_request(&ts, &[(h::SIGNATURE_V2, &good)])),
            Ok(())
        );
        assert_eq!(
            check(&gw, &signed_request(&ts, &[(h::SIGNATURE_V1, &good)])),
            Ok(())
        );
        let both = [
            (h::SIGNATURE_V2, good.as_str()),
            (h::SIGNATURE_V1, good.as_str()),
        ];
        assert_eq!(check(&gw, &signed_request(&ts, &both)), Ok(()));
        // The same number, spelled with a leading zero: not the signed timestamp.
        let zero = format!("0{ts}");
        assert!(check(&gw, &signed_request(&zero, &[(h::SIGNATURE_V2, &good)])).is_err());
        // A valid signature next to another one: ambiguous, whichever is valid.
        let other = sign(now + 1);
        for pair in [
            [good.as_str(), other.as_str()],
            [other.as_str(), good.as_str()],
        ] {
            let headers = [(h::SIGNATURE_V2, pair[0]), (h::SIGNATURE_V1, pair[1])];
            let refused = check(&gw, &signed_request(&ts, &headers)).unwrap_err();
            assert!(refused.contains("disagree"), "{refused}");
        }
    }

    #[test]
    fn timestamps_are_canonical_decimal() {
        assert_eq!(parse_timestamp("1700000000000"), Ok(1_700_000_000_000));
        assert_eq!(parse_timestamp("0"), Ok(0));
        for bad in ["", "01", "00", "+1", "-1", "1.0", "1e3", " 1", "0x10"] {
            assert!(parse_timestamp(bad).is_err(), "{bad:?}");
        }
    }

    /// A body that announces `len` bytes and never sends one.
    struct Endless(u64);

    impl axum::body::HttpBody for Endless {
        type Data = axum::body::Bytes;
        type Error = std::convert::Infallible;
        fn poll_frame(
            self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Result<hyper::body::Frame<Self::Data>, Self::Error>>> {
            std::task::Poll::Pending
        }
        fn size_hint(&self) -> hyper::body::SizeHint {
            hyper::body::SizeHint::with_exact(self.0)
        }
    }

    #[tokio::test]
    async fn bodies_over_the_limit_are_refused_before_reading_and_slow_ones_time_out() {
        let gw = gateway();
        // Announced too large: 413 at once (waiting for the body would end in a 400 instead).
        let refused = read_body(&gw, Body::new(Endless(10 << 20)))
            .await
            .unwrap_err();
        assert_eq!(refused.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(refused.headers()[header::CONNECTION], "close");
        // Announced small but never sent: 400 after request_timeout_secs.
        let slow = read_body(&gw, Body::new(Endless(10))).await.unwrap_err();
        assert_eq!(slow.status(), StatusCode::BAD_REQUEST);
        assert_eq!(read_body(&gw, Body::from("abc")).await.unwrap(), b"abc");
    }

    fn instance(redis_url: &str, connect_ms: u64, command_ms: u64) -> InstanceState {
        let config = crate::config::Config::parse(&format!(
            "[[credentials]]\naccess_key = \"a\"\nsecret_key = \"b\"\n[[instances]]\ncloud_db_instance_no = \"1\"\nredis_url = \"{redis_url}\"\ncloud_db_service_name = \"t\"\n"
        ))
        .unwrap();
        let timeouts = RedisTimeouts {
            connect: Duration::from_millis(connect_ms),
            command: Duration::from_millis(command_ms),
        };
        InstanceState::new(config.instances[0].clone(), timeouts).unwrap()
    }

    #[tokio::test]
    async fn a_silent_redis_fails_within_the_timeouts() {
        // A server that accepts connections and never answers, like a frozen Redis.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let held = tokio::spawn(async move {
            let mut sockets = Vec::new();
            while let Ok((socket, _)) = listener.accept().await {
                sockets.push(socket);
            }
        });
        let state = instance(&format!("redis://{addr}"), 200, 300);
        for _ in 0..2 {
            let started = std::time::Instant::now();
            let e = state.flush().await.unwrap_err();
            // The bound is connect + command (500 ms); 1.5 s more is scheduling slack, not a hang.
            assert!(started.elapsed() < Duration::from_secs(2), "{e}");
            assert_eq!(e.kind_name(), "timeout", "{e}");
            assert!(
                state.connection.lock().await.is_none(),
                "a failed connection was kept"
            );
        }
        held.abort();
    }

    #[tokio::test]
    async fn an_absent_redis_fails_at_once() {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let state = instance(&format!("redis://127.0.0.1:{port}"), 10_000, 10_000);
        let started = std::time::Instant::now();
        let e = state.flush().await.unwrap_err();
        assert_eq!(e.kind_name(), "unreachable");
        // Refused at once, not after the 10 s connect timeout (5 s of it is scheduling slack).
        assert!(started.elapsed() < Duration::from_secs(5), "{e}");
    }

    #[test]
    fn info() {
        let i = parse_info("# Server\r\nredis_version:7.0.15\r\nuptime_in_seconds:42\r\n# Memory\r\nmaxmemory:0\r\n");
        assert_eq!(i.version.as_deref(), Some("7.0.15"));
        assert_eq!((i.uptime_secs, i.maxmemory), (Some(42), Some(0)));
    }
}
