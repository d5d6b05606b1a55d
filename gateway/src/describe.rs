//! The instances as NAVER Cloud's answers describe them — Classic (`CloudDBInstance`), Redis on
//! the VPC platform (`CloudRedisInstance`) and Cloud DB for Cache (`CloudCacheInstance`) — from
//! the configuration and what the live Redis server tells, and the answer bodies that carry them.

use crate::instances::InstanceState;
use crate::redis_server::RedisInfo;
use ncloud_redis_flush::model::{
    CacheFlushResponse, CacheInstanceListResponse, CloudCacheInstance, CloudCacheServerInstance,
    CloudDbInstanceListResponse, CloudRedisInstance, CloudRedisServerInstance, RedisFlushResponse,
    RedisInstanceListResponse,
};
use ncloud_redis_flush::{
    AccessControlGroup, Answer, CloudDbConfig, CloudDbInstance, CloudDbServerInstance, CommonCode,
    FlushResponse, Format, Platform, Region, Zone,
};
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
    let (host, port) = state.redis().host_port();
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

/// The instance as the API describes it, from the configuration and the live server.
fn classic_instance(state: &InstanceState, info: &RedisInfo) -> CloudDbInstance {
    let c = state.config();
    let zone_no = if c.zone_code.ends_with('2') { "3" } else { "2" };
    let (host, port) = state.redis().host_port();
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

fn server(
    no: &str,
    name: &str,
    role: &str,
    status: &str,
    dns: &str,
    created: &str,
    uptime: Option<String>,
) -> CloudDbServerInstance {
    CloudDbServerInstance {
        cloud_db_server_instance_no: Some(no.to_owned()),
        cloud_db_server_instance_status_name: Some(status.to_owned()),
        cloud_db_server_name: Some(name.to_owned()),
        cloud_db_server_role: Some(CommonCode {
            code: Some(role.to_owned()),
            code_name: Some(role_name(role).to_owned()),
        }),
        private_dns_name: Some(dns.to_owned()),
        public_dns_name: Some(String::new()),
        data_storage_size: Some(0),
        used_data_storage_size: Some(0),
        create_date: Some(created.to_owned()),
        uptime,
    }
}

/// The success body of a flush of `state` on `platform`.
pub(crate) fn flush_body(
    platform: Platform,
    request_id: String,
    state: &InstanceState,
    info: &RedisInfo,
    format: Format,
) -> String {
    let id = Some(request_id);
    match platform {
        Platform::Classic => body_of(
            &FlushResponse::success(id, vec![classic_instance(state, info)]),
            format,
        ),
        Platform::Vpc => body_of(
            &RedisFlushResponse::success(id, vec![redis_instance(state, Some(info))]),
            format,
        ),
        Platform::Cache => body_of(
            &CacheFlushResponse::success(id, vec![cache_instance(state, Some(info))]),
            format,
        ),
    }
}

/// The body of a listing on `platform`: `states` with what their Redis servers said (`None`: a
/// server that did not answer is still listed), and `total` matches in all (`totalRows`).
pub(crate) fn list_body(
    platform: Platform,
    request_id: String,
    states: &[Arc<InstanceState>],
    infos: &[Option<RedisInfo>],
    total: usize,
    format: Format,
) -> String {
    let pairs = states.iter().zip(infos.iter());
    let id = Some(request_id);
    let total = total as i64;
    match platform {
        Platform::Classic => {
            let mut a = CloudDbInstanceListResponse::success(
                id,
                pairs
                    .map(|(s, i)| classic_instance(s, i.as_ref().unwrap_or(&RedisInfo::default())))
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
