//! The API family: the three flush APIs (Classic, Redis on the VPC platform, Cloud DB for Cache)
//! and the instance listings, with their answers' shapes and typed models.
//!
//! | platform | flush | listing |
//! | --- | --- | --- |
//! | [`Platform::Classic`] | `/clouddb/v2/flushCloudDBInstance` (`cloudDBInstanceNo`) | `/clouddb/v2/getCloudDBInstanceList` (`dbKindCode=REDIS`) |
//! | [`Platform::Vpc`] | `/vredis/v2/flushAllCloudRedisServerInstance` (`cloudRedisServerInstanceNo`) | `/vredis/v2/getCloudRedisInstanceList` |
//! | [`Platform::Cache`] | `/vcache/v2/flushAllCloudCacheServerInstance` (`cloudCacheServerInstanceNo`) | `/vcache/v2/getCloudCacheInstanceList` |
//!
//! The Cache APIs follow the Redis (VPC) ones with a `cloudCache` prefix; NAVER Cloud's page does
//! not confirm their parameter table, so they are modelled on it.

use crate::model::{field_kind, field_type, model, CloudDbInstance, CommonCode, FlushResponse};
use crate::parse::AnswerKind;
#[allow(unused_imports)]
use crate::prelude::*;
use crate::schema::{Kind, Spec};

/// Where an instance runs: which family of APIs serves it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Platform {
    /// Cloud DB for Redis on the Classic platform (`/clouddb/v2`).
    #[default]
    Classic,
    /// Cloud DB for Redis on the VPC platform (`/vredis/v2`).
    Vpc,
    /// Cloud DB for Cache (`/vcache/v2`, Valkey and Redis).
    Cache,
}

impl Platform {
    /// Reads `classic`, `vpc` or `cache`.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "classic" => Some(Platform::Classic),
            "vpc" => Some(Platform::Vpc),
            "cache" => Some(Platform::Cache),
            _ => None,
        }
    }

    /// `"classic"`, `"vpc"` or `"cache"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Classic => "classic",
            Platform::Vpc => "vpc",
            Platform::Cache => "cache",
        }
    }

    /// The flush action's path.
    pub fn flush_path(self) -> &'static str {
        match self {
            Platform::Classic => "/clouddb/v2/flushCloudDBInstance",
            Platform::Vpc => "/vredis/v2/flushAllCloudRedisServerInstance",
            Platform::Cache => "/vcache/v2/flushAllCloudCacheServerInstance",
        }
    }

    /// The flush action's instance parameter.
    pub fn flush_param(self) -> &'static str {
        match self {
            Platform::Classic => "cloudDBInstanceNo",
            Platform::Vpc => "cloudRedisServerInstanceNo",
            Platform::Cache => "cloudCacheServerInstanceNo",
        }
    }

    /// The listing action's path.
    pub fn list_path(self) -> &'static str {
        match self {
            Platform::Classic => "/clouddb/v2/getCloudDBInstanceList",
            Platform::Vpc => "/vredis/v2/getCloudRedisInstanceList",
            Platform::Cache => "/vcache/v2/getCloudCacheInstanceList",
        }
    }

    /// The listing's parameter for instance numbers (sent as `name.1`, `name.2` …).
    pub fn list_ids_param(self) -> &'static str {
        match self {
            Platform::Classic => "cloudDBInstanceNoList",
            Platform::Vpc => "cloudRedisInstanceNoList",
            Platform::Cache => "cloudCacheInstanceNoList",
        }
    }

    /// The shape of the flush answer.
    pub fn flush_answer(self) -> AnswerKind {
        match self {
            Platform::Classic => CLASSIC_FLUSH,
            Platform::Vpc => VPC_FLUSH,
            Platform::Cache => CACHE_FLUSH,
        }
    }

    /// The shape of the listing's answer.
    pub fn list_answer(self) -> AnswerKind {
        match self {
            Platform::Classic => CLASSIC_LIST,
            Platform::Vpc => VPC_LIST,
            Platform::Cache => CACHE_LIST,
        }
    }
}

/// `flushCloudDBInstanceResponse` / `cloudDBInstanceList`.
pub const CLASSIC_FLUSH: AnswerKind = AnswerKind {
    root: "flushCloudDBInstanceResponse",
    list: "cloudDBInstanceList",
    item: CloudDbInstance::SCHEMA,
};
/// `getCloudDBInstanceListResponse` / `cloudDBInstanceList`.
pub const CLASSIC_LIST: AnswerKind = AnswerKind {
    root: "getCloudDBInstanceListResponse",
    list: "cloudDBInstanceList",
    item: CloudDbInstance::SCHEMA,
};
/// `flushAllCloudRedisServerInstanceResponse` / `cloudRedisInstanceList`.
pub const VPC_FLUSH: AnswerKind = AnswerKind {
    root: "flushAllCloudRedisServerInstanceResponse",
    list: "cloudRedisInstanceList",
    item: CloudRedisInstance::SCHEMA,
};
/// `getCloudRedisInstanceListResponse` / `cloudRedisInstanceList`.
pub const VPC_LIST: AnswerKind = AnswerKind {
    root: "getCloudRedisInstanceListResponse",
    list: "cloudRedisInstanceList",
    item: CloudRedisInstance::SCHEMA,
};
/// `flushAllCloudCacheServerInstanceResponse` / `cloudCacheInstanceList`.
pub const CACHE_FLUSH: AnswerKind = AnswerKind {
    root: "flushAllCloudCacheServerInstanceResponse",
    list: "cloudCacheInstanceList",
    item: CloudCacheInstance::SCHEMA,
};
/// `getCloudCacheInstanceListResponse` / `cloudCacheInstanceList`.
pub const CACHE_LIST: AnswerKind = AnswerKind {
    root: "getCloudCacheInstanceListResponse",
    list: "cloudCacheInstanceList",
    item: CloudCacheInstance::SCHEMA,
};

model! {
    /// One server of a Redis (VPC) instance.
    pub struct CloudRedisServerInstance {
        /// Server instance number: the one `flushAllCloudRedisServerInstance` takes (the
        /// master's on an HA instance).
        "cloudRedisServerInstanceNo" => cloud_redis_server_instance_no: Str,
        /// Server name.
        "cloudRedisServerName" => cloud_redis_server_name: Str,
        /// Role (`M` master, `S` slave …).
        "cloudRedisServerRole" => cloud_redis_server_role: Obj(CommonCode),
        /// Status name.
        "cloudRedisServerInstanceStatusName" => cloud_redis_server_instance_status_name: Str,
        /// Status: `DEL`, `PEND`, `RUN`, `STOP`, `FSTOP`.
        "cloudRedisServerInstanceStatus" => cloud_redis_server_instance_status: Obj(CommonCode),
        /// Operation under way.
        "cloudRedisServerInstanceOperation" => cloud_redis_server_instance_operation: Obj(CommonCode),
        /// Product code.
        "cloudRedisProductCode" => cloud_redis_product_code: Str,
        /// Region code, e.g. `KR`.
        "regionCode" => region_code: Str,
        /// Zone code, e.g. `KR-1`.
        "zoneCode" => zone_code: Str,
        /// VPC number.
        "vpcNo" => vpc_no: Str,
        /// Subnet number.
        "subnetNo" => subnet_no: Str,
        /// Private domain.
        "privateDomain" => private_domain: Str,
        /// CPU count.
        "cpuCount" => cpu_count: Int,
        /// Memory size in bytes.
        "memorySize" => memory_size: Int,
        /// OS memory size in bytes.
        "osMemorySize" => os_memory_size: Int,
        /// Up since.
        "uptime" => uptime: Str,
        /// Creation date.
        "createDate" => create_date: Str,
        /// Slot name (cluster mode).
        "slotName" => slot_name: Str,
    }
}

model! {
    /// A Cloud DB for Redis instance on the VPC platform.
    pub struct CloudRedisInstance {
        /// Instance number.
        "cloudRedisInstanceNo" => cloud_redis_instance_no: Str,
        /// Service name.
        "cloudRedisServiceName" => cloud_redis_service_name: Str,
        /// Status name.
        "cloudRedisInstanceStatusName" => cloud_redis_instance_status_name: Str,
        /// Status: `INIT`, `CREAT`, `DEL`.
        "cloudRedisInstanceStatus" => cloud_redis_instance_status: Obj(CommonCode),
        /// Operation under way.
        "cloudRedisInstanceOperation" => cloud_redis_instance_operation: Obj(CommonCode),
        /// Image product code.
        "cloudRedisImageProductCode" => cloud_redis_image_product_code: Str,
        /// Engine version.
        "engineVersion" => engine_version: Str,
        /// License.
        "license" => license: Obj(CommonCode),
        /// License, as the API page spells it.
        "licence" => licence: Obj(CommonCode),
        /// Port.
        "cloudRedisPort" => cloud_redis_port: Int,
        /// Whether the instance is highly available: a flush also clears its replicas.
        "isHa" => is_ha: Bool,
        /// Whether backups are on.
        "isBackup" => is_backup: Bool,
        /// Server name prefix.
        "cloudRedisServerPrefix" => cloud_redis_server_prefix: Str,
        /// Days backups are kept.
        "backupFileRetentionPeriod" => backup_file_retention_period: Int,
        /// Backup time.
        "backupTime" => backup_time: Str,
        /// Backup schedule.
        "backupSchedule" => backup_schedule: Str,
        /// Creation date.
        "createDate" => create_date: Str,
        /// Shards (cluster mode).
        "shardCount" => shard_count: Int,
        /// Copies per shard (cluster mode).
        "shardCopyCount" => shard_copy_count: Int,
        /// Access control group numbers.
        "accessControlGroupNoList" => access_control_group_no_list: StrList,
        /// Configuration group number.
        "configGroupNo" => config_group_no: Str,
        /// Configuration group name.
        "configGroupName" => config_group_name: Str,
        /// Role.
        "role" => role: Obj(CommonCode),
        /// Servers.
        "cloudRedisServerInstanceList" => cloud_redis_server_instance_list: List(CloudRedisServerInstance),
    }
}

model! {
    /// One server of a Cloud DB for Cache instance.
    pub struct CloudCacheServerInstance {
        /// Server instance number: the one `flushAllCloudCacheServerInstance` takes.
        "cloudCacheServerInstanceNo" => cloud_cache_server_instance_no: Str,
        /// Server name.
        "cloudCacheServerName" => cloud_cache_server_name: Str,
        /// Role.
        "cloudCacheServerRole" => cloud_cache_server_role: Obj(CommonCode),
        /// Status name.
        "cloudCacheServerInstanceStatusName" => cloud_cache_server_instance_status_name: Str,
        /// Status.
        "cloudCacheServerInstanceStatus" => cloud_cache_server_instance_status: Obj(CommonCode),
        /// Operation under way.
        "cloudCacheServerInstanceOperation" => cloud_cache_server_instance_operation: Obj(CommonCode),
        /// Product code.
        "cloudCacheProductCode" => cloud_cache_product_code: Str,
        /// Region code.
        "regionCode" => region_code: Str,
        /// Zone code.
        "zoneCode" => zone_code: Str,
        /// VPC number.
        "vpcNo" => vpc_no: Str,
        /// Subnet number.
        "subnetNo" => subnet_no: Str,
        /// Private domain.
        "privateDomain" => private_domain: Str,
        /// CPU count.
        "cpuCount" => cpu_count: Int,
        /// Memory size in bytes.
        "memorySize" => memory_size: Int,
        /// OS memory size in bytes.
        "osMemorySize" => os_memory_size: Int,
        /// Up since.
        "uptime" => uptime: Str,
        /// Creation date.
        "createDate" => create_date: Str,
        /// Slot name (cluster mode).
        "slotName" => slot_name: Str,
    }
}

model! {
    /// A Cloud DB for Cache instance (Valkey or Redis).
    pub struct CloudCacheInstance {
        /// Instance number.
        "cloudCacheInstanceNo" => cloud_cache_instance_no: Str,
        /// Service name.
        "cloudCacheServiceName" => cloud_cache_service_name: Str,
        /// Engine (`VALKEY`, `REDIS`).
        "cloudCacheDbmsCode" => cloud_cache_dbms_code: Obj(CommonCode),
        /// Status name.
        "cloudCacheInstanceStatusName" => cloud_cache_instance_status_name: Str,
        /// Status.
        "cloudCacheInstanceStatus" => cloud_cache_instance_status: Obj(CommonCode),
        /// Operation under way.
        "cloudCacheInstanceOperation" => cloud_cache_instance_operation: Obj(CommonCode),
        /// Image product code.
        "cloudCacheImageProductCode" => cloud_cache_image_product_code: Str,
        /// Engine version.
        "engineVersion" => engine_version: Str,
        /// License.
        "license" => license: Obj(CommonCode),
        /// License, as the API page spells it.
        "licence" => licence: Obj(CommonCode),
        /// Port.
        "cloudCachePort" => cloud_cache_port: Int,
        /// Whether the instance is highly available: a flush also clears its replicas.
        "isHa" => is_ha: Bool,
        /// Whether backups are on.
        "isBackup" => is_backup: Bool,
        /// Server name prefix.
        "cloudCacheServerPrefix" => cloud_cache_server_prefix: Str,
        /// Days backups are kept.
        "backupFileRetentionPeriod" => backup_file_retention_period: Int,
        /// Backup time.
        "backupTime" => backup_time: Str,
        /// Backup schedule.
        "backupSchedule" => backup_schedule: Str,
        /// Creation date.
        "createDate" => create_date: Str,
        /// Shards (cluster mode).
        "shardCount" => shard_count: Int,
        /// Copies per shard (cluster mode).
        "shardCopyCount" => shard_copy_count: Int,
        /// Access control group numbers.
        "accessControlGroupNoList" => access_control_group_no_list: StrList,
        /// Configuration group number.
        "configGroupNo" => config_group_no: Str,
        /// Configuration group name.
        "configGroupName" => config_group_name: Str,
        /// Role.
        "role" => role: Obj(CommonCode),
        /// Servers.
        "cloudCacheServerInstanceList" => cloud_cache_server_instance_list: List(CloudCacheServerInstance),
    }
}

/// A typed answer of one of the APIs: its shape, and its serde form.
pub trait Answer: serde::de::DeserializeOwned + serde::Serialize {
    /// Root and list of the answer.
    const KIND: AnswerKind;

    /// The answer as NAVER Cloud's XML.
    fn to_xml(&self) -> String {
        let json = serde_json::to_string(self).unwrap_or_default();
        let schema = [
            Spec {
                name: "requestId",
                kind: Kind::Str,
            },
            Spec {
                name: "returnCode",
                kind: Kind::Int,
            },
            Spec {
                name: "returnMessage",
                kind: Kind::Str,
            },
            Spec {
                name: "totalRows",
                kind: Kind::Int,
            },
            Spec {
                name: Self::KIND.list,
                kind: Kind::List(Self::KIND.item),
            },
        ];
        crate::xml::write_document(Self::KIND.root, &json, &schema)
    }

    /// The answer's members as compact JSON, as the JavaScript API returns them.
    fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl Answer for FlushResponse {
    const KIND: AnswerKind = CLASSIC_FLUSH;
}

/// Declares a typed answer: the four common members and the list.
macro_rules! answer {
    ($(#[$meta:meta])* $name:ident, $kind:expr, $list:literal => $field:ident: $item:ty) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(default)]
        pub struct $name {
            /// The request id, when the answer has one.
            #[serde(rename = "requestId", skip_serializing_if = "Option::is_none")]
            pub request_id: Option<String>,
            /// 0 (any other code is an [`Error::Api`](crate::Error::Api)).
            #[serde(rename = "returnCode")]
            pub return_code: i64,
            /// `success`.
            #[serde(rename = "returnMessage")]
            pub return_message: String,
            /// Number of instances (the list's length when the answer leaves it out).
            #[serde(rename = "totalRows")]
            pub total_rows: i64,
            /// The instances.
            #[serde(rename = $list)]
            pub $field: Vec<$item>,
        }

        impl $name {
            /// A success answer for `instances`, as the local gateway sends it.
            pub fn success(request_id: Option<String>, instances: Vec<$item>) -> Self {
                $name {
                    request_id,
                    return_code: 0,
                    return_message: "success".to_owned(),
                    total_rows: instances.len() as i64,
                    $field: instances,
                }
            }
        }

        impl Answer for $name {
            const KIND: AnswerKind = $kind;
        }
    };
}

answer!(
    /// A successful `getCloudDBInstanceList` answer (Classic).
    CloudDbInstanceListResponse, CLASSIC_LIST, "cloudDBInstanceList" => cloud_db_instance_list: CloudDbInstance
);
answer!(
    /// A successful `flushAllCloudRedisServerInstance` answer (Redis, VPC).
    RedisFlushResponse, VPC_FLUSH, "cloudRedisInstanceList" => cloud_redis_instance_list: CloudRedisInstance
);
answer!(
    /// A successful `getCloudRedisInstanceList` answer (Redis, VPC).
    RedisInstanceListResponse, VPC_LIST, "cloudRedisInstanceList" => cloud_redis_instance_list: CloudRedisInstance
);
answer!(
    /// A successful `flushAllCloudCacheServerInstance` answer (Cloud DB for Cache).
    CacheFlushResponse, CACHE_FLUSH, "cloudCacheInstanceList" => cloud_cache_instance_list: CloudCacheInstance
);
answer!(
    /// A successful `getCloudCacheInstanceList` answer (Cloud DB for Cache).
    CacheInstanceListResponse, CACHE_LIST, "cloudCacheInstanceList" => cloud_cache_instance_list: CloudCacheInstance
);
