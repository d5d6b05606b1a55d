//! The Classic platform's answers: `flushCloudDBInstance` and `getCloudDBInstanceList`, and the
//! Cloud DB instance they describe.

use super::common::CommonCode;
use super::schema::{field_kind, field_type, model, FieldKind, Spec};

model! {
    /// An availability zone.
    pub struct Zone {
        /// Zone number.
        "zoneNo" => zone_no: Str,
        /// Zone name, e.g. `KR-1`.
        "zoneName" => zone_name: Str,
        /// Zone code, e.g. `KR-1`.
        "zoneCode" => zone_code: Str,
        /// Description, e.g. `Gasan zone`.
        "zoneDescription" => zone_description: Str,
        /// Number of the region the zone is in.
        "regionNo" => region_no: Str,
    }
}

model! {
    /// A region.
    pub struct Region {
        /// Region number.
        "regionNo" => region_no: Str,
        /// Region code, e.g. `KR`.
        "regionCode" => region_code: Str,
        /// Region name, e.g. `Korea`.
        "regionName" => region_name: Str,
    }
}

model! {
    /// One configuration entry of a Cloud DB instance.
    pub struct CloudDbConfig {
        /// The setting's name.
        "configName" => config_name: Str,
        /// Its value.
        "configValue" => config_value: Str,
    }
}

model! {
    /// A configuration group of a Cloud DB instance.
    pub struct CloudDbConfigGroup {
        /// Group number.
        "configGroupNo" => config_group_no: Str,
        /// Group type.
        "configGroupType" => config_group_type: Str,
        /// Group name.
        "configGroupName" => config_group_name: Str,
    }
}

model! {
    /// An access control group (ACG) of an instance.
    pub struct AccessControlGroup {
        /// ACG number.
        "accessControlGroupConfigurationNo" => access_control_group_configuration_no: Str,
        /// ACG name.
        "accessControlGroupName" => access_control_group_name: Str,
        /// ACG description.
        "accessControlGroupDescription" => access_control_group_description: Str,
        /// Whether it is the default ACG.
        "isDefault" => is_default: Bool,
        /// Creation date, e.g. `2018-12-28T17:28:17+0900`.
        "createDate" => create_date: Str,
    }
}

model! {
    /// One server of a Cloud DB instance (master, hidden master, slave …).
    pub struct CloudDbServerInstance {
        /// Server instance number.
        "cloudDBServerInstanceNo" => cloud_db_server_instance_no: Str,
        /// Status, e.g. `running`, `settingup`.
        "cloudDBServerInstanceStatusName" => cloud_db_server_instance_status_name: Str,
        /// Server name.
        "cloudDBServerName" => cloud_db_server_name: Str,
        /// Role: `M` Master, `H` Hidden Master, `S` Slave.
        "cloudDBServerRole" => cloud_db_server_role: Obj(CommonCode),
        /// Private DNS name.
        "privateDnsName" => private_dns_name: Str,
        /// Public DNS name.
        "publicDnsName" => public_dns_name: Str,
        /// Data storage size in bytes.
        "dataStorageSize" => data_storage_size: Int,
        /// Used data storage in bytes.
        "usedDataStorageSize" => used_data_storage_size: Int,
        /// Creation date.
        "createDate" => create_date: Str,
        /// Up since.
        "uptime" => uptime: Str,
    }
}

model! {
    /// A Cloud DB for Redis instance (Classic).
    pub struct CloudDbInstance {
        /// Instance number.
        "cloudDBInstanceNo" => cloud_db_instance_no: Str,
        /// Service name.
        "cloudDBServiceName" => cloud_db_service_name: Str,
        /// DB kind, `REDIS`.
        "dbKindCode" => db_kind_code: Str,
        /// Engine version, e.g. `REDIS 4.0.2`.
        "engineVersion" => engine_version: Str,
        /// CPU count.
        "cpuCount" => cpu_count: Int,
        /// Memory size in bytes.
        "memorySize" => memory_size: Int,
        /// Data storage type.
        "dataStorageType" => data_storage_type: Obj(CommonCode),
        /// License code, e.g. `BSD`.
        "licenseCode" => license_code: Str,
        /// Port.
        "cloudDBPort" => cloud_db_port: Int,
        /// Whether the instance is highly available (has replicas).
        "isHa" => is_ha: Bool,
        /// Daily backup time, `HH:MM`.
        "backupTime" => backup_time: Str,
        /// Days backups are kept.
        "backupFileRetentionPeriod" => backup_file_retention_period: Int,
        /// Status, e.g. `running`, `settingup`.
        "cloudDBInstanceStatusName" => cloud_db_instance_status_name: Str,
        /// Collation.
        "collation" => collation: Str,
        /// Reboot schedule time.
        "rebootScheduleTime" => reboot_schedule_time: Str,
        /// Creation date, e.g. `2018-12-28T17:28:00+0900`.
        "createDate" => create_date: Str,
        /// Image product code.
        "cloudDBImageProductCode" => cloud_db_image_product_code: Str,
        /// Product code.
        "cloudDBProductCode" => cloud_db_product_code: Str,
        /// Whether a configuration change awaits a reboot.
        "isCloudDBConfigNeedReboot" => is_cloud_db_config_need_reboot: Bool,
        /// Whether the instance needs a reboot.
        "isCloudDBNeedReboot" => is_cloud_db_need_reboot: Bool,
        /// Zone.
        "zone" => zone: Obj(Zone),
        /// Region.
        "region" => region: Obj(Region),
        /// Configuration entries.
        "cloudDBConfigList" => cloud_db_config_list: List(CloudDbConfig),
        /// Configuration groups.
        "cloudDBConfigGroupList" => cloud_db_config_group_list: List(CloudDbConfigGroup),
        /// Access control groups.
        "accessControlGroupList" => access_control_group_list: List(AccessControlGroup),
        /// Servers.
        "cloudDBServerInstanceList" => cloud_db_server_instance_list: List(CloudDbServerInstance),
    }
}
