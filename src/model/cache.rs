//! Cloud DB for Cache (`/vcache/v2`, Valkey and Redis): the instance and its servers.

use super::common::CommonCode;
use super::schema::{field_kind, field_type, model, FieldKind, Spec};

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
