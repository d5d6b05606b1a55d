//! The API family beyond the Classic flush: the VPC and Cache flushes (by *server* instance
//! number) and the three instance listings, answered from the configuration and the live Redis
//! servers, in NAVER Cloud's shapes.

use crate::config::PlatformName;
use crate::emulate::{InstanceState, RedisInfo};
use crate::Gateway;
use ncloud_redis_flush::model::{
    CacheFlushResponse, CacheInstanceListResponse, CloudCacheInstance, CloudCacheServerInstance,
    CloudDbInstanceListResponse, CloudRedisInstance, CloudRedisServerInstance, RedisFlushResponse,
    RedisInstanceListResponse,
};
use ncloud_redis_flush::{Answer, CommonCode, Format, Platform};
use std::sync::Arc;

fn code(code: &str, name: &str) -> Option<CommonCode> {
    Some(CommonCode {
        code: Some(code.to_owned()),
        code_name: Some(name.to_owned()),
    })
}

fn role_name(role: &str) -> &str {
    match role {
        "M" => "Master",
        "H" => "Hidden Master",
        "S" => "Slave",
        other => other,
    }
}

/// The members the Redis (VPC) and Cache instances share, written once for both.
struct Shared {
    no: String,
    name: String,
    status: String,
    engine: Option<String>,
    port: i64,
    is_ha: bool,
    backup_time: String,
    create_date: String,
    groups: Vec<String>,
    memory: i64,
    cpu: i64,
    region: String,
    zone: String,
    host: String,
    uptime: Option<String>,
    servers: Vec<crate::config::Server>,
}

fn shared(state: &InstanceState, info: Option<&RedisInfo>) -> Shared {
    let c = state.config();
    let (host, port) = state.host_port();
    Shared {
        no: c.cloud_db_instance_no.clone(),
        name: c.cloud_db_service_name.clone(),
        status: c.status.clone(),
        engine: info.and_then(|i| i.version.clone()),
        port,
        is_ha: c.is_ha,
        backup_time: c.backup_time.clone(),
        create_date: c.create_date.clone(),
        groups: if c.access_control_groups.is_empty() {
            vec![format!("{}0", c.cloud_db_instance_no)]
        } else {
            c.access_control_groups
                .iter()
                .map(|g| g.configuration_no.clone())
                .collect()
        },
        memory: info
            .and_then(|i| i.maxmemory)
            .filter(|&m| m > 0)
            .unwrap_or(c.memory_size),
        cpu: c.cpu_count,
        region: c.region_code.clone(),
        zone: c.zone_code.clone(),
        host,
        uptime: info.and_then(RedisInfo::uptime_kst),
        servers: c.servers(),
    }
}

fn role_of(s: &Shared) -> Option<CommonCode> {
    if s.is_ha {
        code("REPLICATION", "Replication")
    } else {
        code("STAND_ALONE", "Stand Alone")
    }
}

/// A Redis (VPC) instance as `getCloudRedisInstanceList` and the flush describe it.
fn redis_instance(state: &InstanceState, info: Option<&RedisInfo>) -> CloudRedisInstance {
    let s = shared(state, info);
    CloudRedisInstance {
        cloud_redis_instance_no: Some(s.no.clone()),
        cloud_redis_service_name: Some(s.name.clone()),
        cloud_redis_instance_status_name: Some(s.status.clone()),
        cloud_redis_instance_status: code("CREAT", "CLOUD DATABASE(VPC) Created State"),
        cloud_redis_instance_operation: code("NOOP", "CLOUD DATABASE(VPC) NoOperation"),
        cloud_redis_image_product_code: Some("SW.VRDS.OS.LNX64.ROCKY.0810.REDIS.B050".into()),
        engine_version: s.engine.clone(),
        license: code("BSD", "BSD License"),
        cloud_redis_port: Some(s.port),
        is_ha: Some(s.is_ha),
        is_backup: Some(true),
        cloud_redis_server_prefix: Some(s.name.clone()),
        backup_file_retention_period: Some(1),
        backup_time: Some(s.backup_time.clone()),
        backup_schedule: Some("USER".into()),
        create_date: Some(s.create_date.clone()),
        shard_count: Some(0),
        shard_copy_count: Some(0),
        access_control_group_no_list: s.groups.clone(),
        role: role_of(&s),
        cloud_redis_server_instance_list: s
            .servers
            .iter()
            .map(|server| CloudRedisServerInstance {
                cloud_redis_server_instance_no: Some(server.cloud_db_server_instance_no.clone()),
                cloud_redis_server_name: Some(server.name.clone()),
                cloud_redis_server_role: code(&server.role, role_name(&server.role)),
                cloud_redis_server_instance_status_name: Some(server.status.clone()),
                cloud_redis_server_instance_status: code(
                    "RUN",
                    "CLOUD DATABASE(VPC) Server Run State",
                ),
                region_code: Some(s.region.clone()),
                zone_code: Some(s.zone.clone()),
                private_domain: Some(
                    server
                        .private_dns_name
                        .clone()
                        .unwrap_or_else(|| s.host.clone()),
                ),
                cpu_count: Some(s.cpu),
                memory_size: Some(s.memory),
                uptime: s.uptime.clone(),
                create_date: Some(s.create_date.clone()),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    }
}

/// A Cloud DB for Cache instance, likewise.
fn cache_instance(state: &InstanceState, info: Option<&RedisInfo>) -> CloudCacheInstance {
    let s = shared(state, info);
    CloudCacheInstance {
        cloud_cache_instance_no: Some(s.no.clone()),
        cloud_cache_service_name: Some(s.name.clone()),
        cloud_cache_dbms_code: code("REDIS", "Redis"),
        cloud_cache_instance_status_name: Some(s.status.clone()),
        cloud_cache_instance_status: code("CREAT", "CLOUD DATABASE(VPC) Created State"),
        cloud_cache_instance_operation: code("NOOP", "CLOUD DATABASE(VPC) NoOperation"),
        engine_version: s.engine.clone(),
        license: code("BSD", "BSD License"),
        cloud_cache_port: Some(s.port),
        is_ha: Some(s.is_ha),
        is_backup: Some(true),
        cloud_cache_server_prefix: Some(s.name.clone()),
        backup_file_retention_period: Some(1),
        backup_time: Some(s.backup_time.clone()),
        backup_schedule: Some("USER".into()),
        create_date: Some(s.create_date.clone()),
        shard_count: Some(0),
        shard_copy_count: Some(0),
        access_control_group_no_list: s.groups.clone(),
        role: role_of(&s),
        cloud_cache_server_instance_list: s
            .servers
            .iter()
            .map(|server| CloudCacheServerInstance {
                cloud_cache_server_instance_no: Some(server.cloud_db_server_instance_no.clone()),
                cloud_cache_server_name: Some(server.name.clone()),
                cloud_cache_server_role: code(&server.role, role_name(&server.role)),
                cloud_cache_server_instance_status_name: Some(server.status.clone()),
                cloud_cache_server_instance_status: code(
                    "RUN",
                    "CLOUD DATABASE(VPC) Server Run State",
                ),
                region_code: Some(s.region.clone()),
                zone_code: Some(s.zone.clone()),
                private_domain: Some(
                    server
                        .private_dns_name
                        .clone()
                        .unwrap_or_else(|| s.host.clone()),
                ),
                cpu_count: Some(s.cpu),
                memory_size: Some(s.memory),
                uptime: s.uptime.clone(),
                create_date: Some(s.create_date.clone()),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    }
}

/// `{ "<root>": answer }` or the XML document.
fn body_of<A: Answer>(answer: &A, format: Format) -> String {
    match format {
        Format::Json => {
            let mut root = serde_json::Map::new();
            root.insert(
                A::KIND.root.to_owned(),
                serde_json::to_value(answer).unwrap_or_default(),
            );
            serde_json::Value::Object(root).to_string()
        }
        Format::Xml => answer.to_xml(),
    }
}

/// Why a flush request names no instance it can flush: the `responseError` to send.
pub(crate) struct Refusal {
    pub(crate) code: &'static str,
    pub(crate) message: String,
}

/// The instance whose server `server_no` is, on `platform`, checked as NAVER Cloud would: the
/// server must exist in the region asked and be a master.
pub(crate) fn find_server<'g>(
    gw: &'g Gateway,
    platform: PlatformName,
    server_no: &str,
    region: Option<&str>,
) -> Result<&'g Arc<InstanceState>, Refusal> {
    for state in gw.instances.values() {
        let c = state.config();
        if c.platform != platform || region.is_some_and(|r| r != c.region_code) {
            continue;
        }
        if let Some(server) = c
            .servers()
            .iter()
            .find(|s| s.cloud_db_server_instance_no == server_no)
        {
            if server.role != "M" {
                return Err(Refusal {
                    code: "1006",
                    message: format!(
                        "Server instance {server_no} is not a master: flush the master's number."
                    ),
                });
            }
            return Ok(state);
        }
    }
    Err(Refusal {
        code: "1003",
        message: format!("Server instance {server_no} does not exist."),
    })
}

/// The success body of a VPC or Cache flush of `state`.
pub(crate) fn flush_body(
    gw: &Gateway,
    platform: Platform,
    state: &InstanceState,
    info: &RedisInfo,
    format: Format,
) -> String {
    match platform {
        Platform::Vpc => body_of(
            &RedisFlushResponse::success(
                Some(gw.request_id()),
                vec![redis_instance(state, Some(info))],
            ),
            format,
        ),
        Platform::Cache => body_of(
            &CacheFlushResponse::success(
                Some(gw.request_id()),
                vec![cache_instance(state, Some(info))],
            ),
            format,
        ),
        Platform::Classic => body_of(
            &ncloud_redis_flush::FlushResponse::success(
                Some(gw.request_id()),
                vec![state.describe(info)],
            ),
            format,
        ),
    }
}

/// What a listing asks for.
pub(crate) struct ListQuery {
    /// Only these instance numbers (all when empty).
    pub(crate) numbers: Vec<String>,
    /// VPC and Cache: this region code only.
    pub(crate) region_code: Option<String>,
    /// 1-based page and its size.
    pub(crate) page: Option<(usize, usize)>,
}

/// The body of a listing on `platform`, with each listed instance's live `INFO` (when its Redis
/// answers: a server that is down is still listed).
pub(crate) async fn list_body(
    gw: &Gateway,
    platform: Platform,
    query: &ListQuery,
    format: Format,
) -> String {
    let mut states: Vec<&Arc<InstanceState>> = gw
        .instances
        .values()
        .filter(|s| s.config().platform.platform() == platform)
        .filter(|s| {
            query.numbers.is_empty() || query.numbers.contains(&s.config().cloud_db_instance_no)
        })
        .filter(|s| {
            query
                .region_code
                .as_ref()
                .map_or(true, |r| *r == s.config().region_code)
        })
        .collect();
    states.sort_by(|a, b| {
        a.config()
            .cloud_db_instance_no
            .cmp(&b.config().cloud_db_instance_no)
    });
    let total = states.len();
    if let Some((page, size)) = query.page {
        states = states
            .into_iter()
            .skip((page - 1) * size)
            .take(size)
            .collect();
    }
    let mut infos = Vec::with_capacity(states.len());
    for state in &states {
        infos.push(state.info().await);
    }
    let pairs = states.iter().zip(infos.iter());
    let id = Some(gw.request_id());
    // totalRows counts every instance that matches, the page holds some of them.
    let total = total as i64;
    match platform {
        Platform::Classic => {
            let mut a = CloudDbInstanceListResponse::success(
                id,
                pairs
                    .map(|(s, i)| s.describe(i.as_ref().unwrap_or(&RedisInfo::default())))
                    .collect(),
            );
            a.total_rows = total;
            body_of(&a, format)
        }
        Platform::Vpc => {
            let mut a = RedisInstanceListResponse::success(
                id,
                pairs.map(|(s, i)| redis_instance(s, i.as_ref())).collect(),
            );
            a.total_rows = total;
            body_of(&a, format)
        }
        Platform::Cache => {
            let mut a = CacheInstanceListResponse::success(
                id,
                pairs.map(|(s, i)| cache_instance(s, i.as_ref())).collect(),
            );
            a.total_rows = total;
            body_of(&a, format)
        }
    }
}
