//! Redis on the VPC platform (`/vredis/v2`): the instance and its servers.

use super::common::CommonCode;
use super::schema::{field_kind, field_type, model, FieldKind, Spec};

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
