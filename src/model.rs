//! The typed answers, with NAVER Cloud's field names, and their wire schema.
//!
//! Every field of the reference schema is here. Scalars are `Option`s: absent or `null` on the
//! wire is `None` (and so is an empty value for a number, a boolean or an object; text keeps
//! `""`), and `None` is left out of the JSON the JavaScript API returns. Lists are always
//! present (`[]` when empty or absent). Integers are `i64` within ±(2^53 − 1), so JavaScript
//! numbers hold them exactly (`memorySize` exceeds 2^31).
//!
//! Each structure is declared once, by the `model!` macro: the Rust struct (with serde names)
//! and its schema table, which the normalizer and the XML writer walk. The WebAssembly module
//! thus carries one small interpreter and a table per structure, not per-field code.

#[allow(unused_imports)]
use crate::prelude::*;
use crate::schema::{Kind, Spec};

/// Whether a field is absent on the wire (and left out of the JSON output).
pub(crate) trait Absent {
    fn absent(&self) -> bool;
}

impl<T> Absent for Option<T> {
    fn absent(&self) -> bool {
        self.is_none()
    }
}

impl<T> Absent for Vec<T> {
    fn absent(&self) -> bool {
        false
    }
}

/// The Rust type of a field kind.
macro_rules! field_type {
    (Str) => { Option<String> };
    (Int) => { Option<i64> };
    (Bool) => { Option<bool> };
    (StrList) => { Vec<String> };
    (Obj($t:ident)) => { Option<$t> };
    (List($t:ident)) => { Vec<$t> };
}

/// The schema kind of a field kind.
macro_rules! field_kind {
    (Str) => {
        Kind::Str
    };
    (Int) => {
        Kind::Int
    };
    (Bool) => {
        Kind::Bool
    };
    (StrList) => {
        Kind::StrList
    };
    (Obj($t:ident)) => {
        Kind::Obj($t::SCHEMA)
    };
    (List($t:ident)) => {
        Kind::List($t::SCHEMA)
    };
}

/// Declares a structure of the answers: the struct, its serde names and its schema.
macro_rules! model {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $wire:literal => $field:ident : $kind:ident $(($inner:ident))?, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(default)]
        pub struct $name {
            $(
                $(#[$fmeta])*
                #[serde(rename = $wire, skip_serializing_if = "crate::model::Absent::absent")]
                pub $field: field_type!($kind $(($inner))?),
            )*
        }

        impl $name {
            /// The wire schema: names and kinds, in the API's order.
            pub(crate) const SCHEMA: &'static [Spec] = &[
                $( Spec { name: $wire, kind: field_kind!($kind $(($inner))?) }, )*
            ];
        }
    };
}

model! {
    /// A code and its display name (`{"code":"M","codeName":"Master"}`).
    pub struct CommonCode {
        /// The code, e.g. `M` (Master), `H` (Hidden Master), `S` (Slave).
        "code" => code: Str,
        /// Its display name.
        "codeName" => code_name: Str,
    }
}

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

/// The root name of a successful flush answer.
pub const FLUSH_RESPONSE_ROOT: &str = "flushCloudDBInstanceResponse";

/// A successful `flushCloudDBInstance` answer.
///
/// ```
/// use ncloud_redis_flush::{parse_flush_response, ParseOptions};
///
/// let body = r#"{"flushCloudDBInstanceResponse":{"returnCode":"0","returnMessage":"success","totalRows":1,
///   "cloudDBInstanceList":[{"cloudDBInstanceNo":"882689","memorySize":"3221225472","isHa":"true"}]}}"#;
/// let r = parse_flush_response(body, &ParseOptions::default()).unwrap();
/// let instance = &r.cloud_db_instance_list[0];
/// assert_eq!(instance.memory_size, Some(3_221_225_472));
/// assert_eq!(instance.is_ha, Some(true));
/// assert!(instance.cloud_db_server_instance_list.is_empty());
/// ```
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct FlushResponse {
    /// The request id, when the answer has one.
    #[serde(rename = "requestId", skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// 0 (any other code is returned as an [`Error::Api`](crate::Error::Api)).
    #[serde(rename = "returnCode")]
    pub return_code: i64,
    /// `success`.
    #[serde(rename = "returnMessage")]
    pub return_message: String,
    /// Number of instances in the list (the list's length when the answer leaves it out).
    #[serde(rename = "totalRows")]
    pub total_rows: i64,
    /// The flushed instance.
    #[serde(rename = "cloudDBInstanceList")]
    pub cloud_db_instance_list: Vec<CloudDbInstance>,
}

impl FlushResponse {
    /// A success answer for `instances`, as the gateway sends it.
    pub fn success(request_id: Option<String>, instances: Vec<CloudDbInstance>) -> Self {
        FlushResponse {
            request_id,
            return_code: 0,
            return_message: "success".to_owned(),
            total_rows: instances.len() as i64,
            cloud_db_instance_list: instances,
        }
    }

    /// The answer's members as a JSON object, as the JavaScript API returns them.
    ///
    /// ```
    /// use ncloud_redis_flush::FlushResponse;
    /// assert_eq!(
    ///     FlushResponse::success(None, vec![]).to_json(),
    ///     r#"{"returnCode":0,"returnMessage":"success","totalRows":0,"cloudDBInstanceList":[]}"#
    /// );
    /// ```
    pub fn to_json(&self) -> String {
        crate::answers::Answer::to_json(self)
    }

    /// The answer as NAVER Cloud's XML (`responseFormatType=xml`).
    ///
    /// ```
    /// use ncloud_redis_flush::FlushResponse;
    /// let xml = FlushResponse::success(Some("r-1".into()), vec![]).to_xml();
    /// assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<flushCloudDBInstanceResponse><requestId>r-1</requestId>"));
    /// assert!(xml.ends_with("<cloudDBInstanceList/></flushCloudDBInstanceResponse>"));
    /// ```
    pub fn to_xml(&self) -> String {
        crate::answers::Answer::to_xml(self)
    }
}

pub(crate) use {field_kind, field_type, model};
