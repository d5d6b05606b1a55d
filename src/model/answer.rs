//! The answers: each API's root and list ([`AnswerKind`]), and the typed answers, one per API, with
//! the [`Answer`] trait that reads and writes them.

use super::cache::CloudCacheInstance;
use super::classic::CloudDbInstance;
use super::schema::{AnswerKind, FieldKind, Spec};
use super::vpc::CloudRedisInstance;
use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;

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

/// The root name of a successful flush answer.
pub const FLUSH_RESPONSE_ROOT: &str = CLASSIC_FLUSH.root;

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
        Answer::to_json(self)
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
        Answer::to_xml(self)
    }
}

/// A typed answer of one of the APIs: its shape, and its serde form.
pub trait Answer: serde::de::DeserializeOwned + serde::Serialize {
    /// Root and list of the answer.
    const KIND: AnswerKind;

    /// The answer as NAVER Cloud's XML.
    fn to_xml(&self) -> String {
        let value = serde_json::to_value(self).unwrap_or_default();
        let schema = [
            Spec {
                name: "requestId",
                kind: FieldKind::Str,
            },
            Spec {
                name: "returnCode",
                kind: FieldKind::Int,
            },
            Spec {
                name: "returnMessage",
                kind: FieldKind::Str,
            },
            Spec {
                name: "totalRows",
                kind: FieldKind::Int,
            },
            Spec {
                name: Self::KIND.list,
                kind: FieldKind::List(Self::KIND.item),
            },
        ];
        super::xml::write_document(Self::KIND.root, &value, &schema)
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
