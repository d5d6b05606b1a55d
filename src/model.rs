//! The typed answer of `flushCloudDBInstance`, with NAVER Cloud's field names.
//!
//! Every field of the reference schema is here. Scalars are `Option`s: absent, empty or `null`
//! on the wire is `None`, and left out of the JSON the JavaScript API returns. Lists are always
//! present (`[]` when empty or absent). Integers are `i64` within ±(2^53 − 1), so JavaScript
//! numbers hold them exactly (`memorySize` exceeds 2^31).

use crate::field::{model, Field};
use crate::tree::{Node, Path};

model! {
    /// A code and its display name (`{"code":"M","codeName":"Master"}`).
    pub struct CommonCode {
        /// The code, e.g. `M` (Master), `H` (Hidden Master), `S` (Slave).
        "code" => code: Option<String>,
        /// Its display name.
        "codeName" => code_name: Option<String>,
    }
}

model! {
    /// An availability zone.
    pub struct Zone {
        /// Zone number.
        "zoneNo" => zone_no: Option<String>,
        /// Zone name, e.g. `KR-1`.
        "zoneName" => zone_name: Option<String>,
        /// Zone code, e.g. `KR-1`.
        "zoneCode" => zone_code: Option<String>,
        /// Description, e.g. `Gasan zone`.
        "zoneDescription" => zone_description: Option<String>,
        /// Number of the region the zone is in.
        "regionNo" => region_no: Option<String>,
    }
}

model! {
    /// A region.
    pub struct Region {
        /// Region number.
        "regionNo" => region_no: Option<String>,
        /// Region code, e.g. `KR`.
        "regionCode" => region_code: Option<String>,
        /// Region name, e.g. `Korea`.
        "regionName" => region_name: Option<String>,
    }
}

model! {
    /// One configuration entry of a Cloud DB instance.
    pub struct CloudDbConfig {
        /// The setting's name.
        "configName" => config_name: Option<String>,
        /// Its value.
        "configValue" => config_value: Option<String>,
    }
}

model! {
    /// A configuration group of a Cloud DB instance.
    pub struct CloudDbConfigGroup {
        /// Group number.
        "configGroupNo" => config_group_no: Option<String>,
        /// Group type.
        "configGroupType" => config_group_type: Option<String>,
        /// Group name.
        "configGroupName" => config_group_name: Option<String>,
    }
}

model! {
    /// An access control group (ACG) of an instance.
    pub struct AccessControlGroup {
        /// ACG number.
        "accessControlGroupConfigurationNo" => access_control_group_configuration_no: Option<String>,
        /// ACG name.
        "accessControlGroupName" => access_control_group_name: Option<String>,
        /// ACG description.
        "accessControlGroupDescription" => access_control_group_description: Option<String>,
        /// Whether it is the default ACG.
        "isDefault" => is_default: Option<bool>,
        /// Creation date, e.g. `2018-12-28T17:28:17+0900`.
        "createDate" => create_date: Option<String>,
    }
}

model! {
    /// One server of a Cloud DB instance (master, hidden master, slave …).
    pub struct CloudDbServerInstance {
        /// Server instance number.
        "cloudDBServerInstanceNo" => cloud_db_server_instance_no: Option<String>,
        /// Status, e.g. `running`, `settingup`.
        "cloudDBServerInstanceStatusName" => cloud_db_server_instance_status_name: Option<String>,
        /// Server name.
        "cloudDBServerName" => cloud_db_server_name: Option<String>,
        /// Role: `M` Master, `H` Hidden Master, `S` Slave.
        "cloudDBServerRole" => cloud_db_server_role: Option<CommonCode>,
        /// Private DNS name.
        "privateDnsName" => private_dns_name: Option<String>,
        /// Public DNS name.
        "publicDnsName" => public_dns_name: Option<String>,
        /// Data storage size in bytes.
        "dataStorageSize" => data_storage_size: Option<i64>,
        /// Used data storage in bytes.
        "usedDataStorageSize" => used_data_storage_size: Option<i64>,
        /// Creation date.
        "createDate" => create_date: Option<String>,
        /// Up since.
        "uptime" => uptime: Option<String>,
    }
}

model! {
    /// A Cloud DB for Redis instance (Classic).
    pub struct CloudDbInstance {
        /// Instance number.
        "cloudDBInstanceNo" => cloud_db_instance_no: Option<String>,
        /// Service name.
        "cloudDBServiceName" => cloud_db_service_name: Option<String>,
        /// DB kind, `REDIS`.
        "dbKindCode" => db_kind_code: Option<String>,
        /// Engine version, e.g. `REDIS 4.0.2`.
        "engineVersion" => engine_version: Option<String>,
        /// CPU count.
        "cpuCount" => cpu_count: Option<i64>,
        /// Memory size in bytes.
        "memorySize" => memory_size: Option<i64>,
        /// Data storage type.
        "dataStorageType" => data_storage_type: Option<CommonCode>,
        /// License code, e.g. `BSD`.
        "licenseCode" => license_code: Option<String>,
        /// Port.
        "cloudDBPort" => cloud_db_port: Option<i64>,
        /// Whether the instance is highly available (has replicas).
        "isHa" => is_ha: Option<bool>,
        /// Daily backup time, `HH:MM`.
        "backupTime" => backup_time: Option<String>,
        /// Days backups are kept.
        "backupFileRetentionPeriod" => backup_file_retention_period: Option<i64>,
        /// Status, e.g. `running`, `settingup`.
        "cloudDBInstanceStatusName" => cloud_db_instance_status_name: Option<String>,
        /// Collation.
        "collation" => collation: Option<String>,
        /// Reboot schedule time.
        "rebootScheduleTime" => reboot_schedule_time: Option<String>,
        /// Creation date, e.g. `2018-12-28T17:28:00+0900`.
        "createDate" => create_date: Option<String>,
        /// Image product code.
        "cloudDBImageProductCode" => cloud_db_image_product_code: Option<String>,
        /// Product code.
        "cloudDBProductCode" => cloud_db_product_code: Option<String>,
        /// Whether a configuration change awaits a reboot.
        "isCloudDBConfigNeedReboot" => is_cloud_db_config_need_reboot: Option<bool>,
        /// Whether the instance needs a reboot.
        "isCloudDBNeedReboot" => is_cloud_db_need_reboot: Option<bool>,
        /// Zone.
        "zone" => zone: Option<Zone>,
        /// Region.
        "region" => region: Option<Region>,
        /// Configuration entries.
        "cloudDBConfigList" => cloud_db_config_list: Vec<CloudDbConfig>,
        /// Configuration groups.
        "cloudDBConfigGroupList" => cloud_db_config_group_list: Vec<CloudDbConfigGroup>,
        /// Access control groups.
        "accessControlGroupList" => access_control_group_list: Vec<AccessControlGroup>,
        /// Servers.
        "cloudDBServerInstanceList" => cloud_db_server_instance_list: Vec<CloudDbServerInstance>,
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
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
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

    /// Reads the members of the root. `returnCode` must be present (the caller checks it is 0).
    pub(crate) fn read(node: &Node<'_>) -> crate::Result<Self> {
        let root = Path::Root;
        let mut out = FlushResponse::default();
        let mut total_rows: Option<i64> = None;
        let mut return_message: Option<String> = None;
        for (key, value) in node.members().unwrap_or(&[]) {
            let path = Path::Field(&root, key);
            match key.as_ref() {
                "requestId" => out.request_id = Field::read(value, &path)?,
                "returnCode" => {
                    out.return_code = <Option<i64>>::read(value, &path)?.unwrap_or_default()
                }
                "returnMessage" => return_message = Field::read(value, &path)?,
                "totalRows" => total_rows = Field::read(value, &path)?,
                "cloudDBInstanceList" => out.cloud_db_instance_list = Field::read(value, &path)?,
                _ => {}
            }
        }
        out.return_message = return_message.unwrap_or_default();
        out.total_rows = total_rows.unwrap_or(out.cloud_db_instance_list.len() as i64);
        Ok(out)
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
        let mut out = String::with_capacity(2048);
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<");
        out.push_str(FLUSH_RESPONSE_ROOT);
        out.push('>');
        self.request_id.write_xml("requestId", &mut out);
        Some(self.return_code).write_xml("returnCode", &mut out);
        Some(self.return_message.clone()).write_xml("returnMessage", &mut out);
        Some(self.total_rows).write_xml("totalRows", &mut out);
        self.cloud_db_instance_list
            .write_xml("cloudDBInstanceList", &mut out);
        out.push_str("</");
        out.push_str(FLUSH_RESPONSE_ROOT);
        out.push('>');
        out
    }
}
