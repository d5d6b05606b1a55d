//! The API's requests: the [`Platform`] table (paths, parameter names, the answers' shapes) and
//! the builders of complete, signed requests — the flushes and the instance listings.
//!
//! ```
//! use ncloud_redis_flush::{build_flush_request, FlushRequest, Timestamp};
//!
//! let request = build_flush_request(&FlushRequest {
//!     cloud_db_instance_no: "882689",
//!     ..FlushRequest::new(Timestamp::from_millis(1546221796556).unwrap(), "Y0Z9EG0lKoeWAQCSHRtM", "TESTSECRETKEY0123456789abcdefghijklmnopq")
//! })
//! .unwrap();
//! assert_eq!(request.url, "https://ncloud.apigw.ntruss.com/clouddb/v2/flushCloudDBInstance?cloudDBInstanceNo=882689&responseFormatType=json");
//! ```

pub mod platform;
pub mod request;

pub use platform::Platform;
pub use request::{
    build_api_request, build_flush_request, build_list_request, build_platform_flush_request,
    check_instance_no, ApiMethod, CallOptions, Endpoint, FlushRequest, HttpRequest, ListRequest,
    ParamsIn, FLUSH_PATH,
};
