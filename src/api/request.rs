//! Building a complete, signed `flushCloudDBInstance` request.
//!
//! The gateway signs only the method and the request target, never a body. So by default the
//! parameters travel in the query string for both GET and POST: the instance number is covered
//! by the signature, and a signed request that leaks cannot be replayed against another
//! instance. [`ParamsIn::Body`] sends them as the API page's example does, as a form body, which
//! the signature does **not** cover.
//!
//! ```
//! use ncloud_redis_flush::{build_flush_request, FlushRequest, Timestamp};
//!
//! let request = build_flush_request(&FlushRequest {
//!     cloud_db_instance_no: "882689",
//!     ..FlushRequest::new(Timestamp::from_millis(1546221796556).unwrap(), "Y0Z9EG0lKoeWAQCSHRtM", "TESTSECRETKEY0123456789abcdefghijklmnopq")
//! })
//! .unwrap();
//! assert_eq!(request.method, "POST");
//! assert_eq!(request.url, "https://ncloud.apigw.ntruss.com/clouddb/v2/flushCloudDBInstance?cloudDBInstanceNo=882689&responseFormatType=json");
//! assert_eq!(request.body, None);
//! assert!(request.headers.get("x-ncp-apigw-signature-v2").is_some());
//! ```

use super::platform::Platform;
use crate::error::{Error, Result};
use crate::model::Format;
use crate::signing::headers::{self, Headers, SignatureVersion};
use crate::signing::kernel::{sign_into, KeyCache, SignInput, TimestampInput};
use crate::signing::request_target::split_url;
use crate::signing::{SignedRequest, Timestamp};
use crate::text::{decimal_string, excerpt, join, push_percent_byte};
use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

/// The path of the (Classic) flush action.
pub const FLUSH_PATH: &str = Platform::Classic.flush_path();

/// Where NAVER Cloud's API Gateway is, or any other base URL (a local gateway, a proxy).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Endpoint {
    /// `https://ncloud.apigw.ntruss.com`
    #[default]
    Public,
    /// `https://ncloud.apigw.gov-ntruss.com`, the government region.
    Gov,
    /// `https://fin-ncloud.apigw.fin-ntruss.com`, the financial region.
    Fin,
    /// Another base URL, e.g. `http://127.0.0.1:8080` or `https://proxy.example/ncloud`.
    Custom(String),
}

impl Endpoint {
    /// Reads `"public"`, `"gov"`, `"fin"` or an absolute http(s) base URL (no query, no
    /// fragment); a trailing `/` is dropped.
    pub fn parse(text: &str) -> Result<Self> {
        match text {
            "" => Err(Error::missing("endpoint")),
            "public" => Ok(Endpoint::Public),
            "gov" => Ok(Endpoint::Gov),
            "fin" => Ok(Endpoint::Fin),
            url => {
                let split = split_url(url, "endpoint")?;
                let Some(origin) = split.origin else {
                    return Err(Error::invalid(
                        "endpoint",
                        "must be `public`, `gov`, `fin` or an absolute http(s) URL",
                    ));
                };
                let cut = url.trim_end();
                if split.request_target.contains('?') || cut.contains('#') {
                    return Err(Error::invalid(
                        "endpoint",
                        "must be a base URL without a query or fragment",
                    ));
                }
                if crate::signing::request_target::is_contested(&split.request_target) {
                    return Err(Error::invalid(
                        "endpoint",
                        "has `|` or `^` in its path, which browsers send in different ways",
                    ));
                }
                let path = split.request_target.trim_end_matches('/');
                Ok(Endpoint::Custom(join(&[&origin, path])))
            }
        }
    }

    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        match self {
            Endpoint::Public => "https://ncloud.apigw.ntruss.com",
            Endpoint::Gov => "https://ncloud.apigw.gov-ntruss.com",
            Endpoint::Fin => "https://fin-ncloud.apigw.fin-ntruss.com",
            Endpoint::Custom(url) => url,
        }
    }
}

/// The HTTP method of an API call: the APIs accept both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ApiMethod {
    /// `GET`.
    Get,
    /// `POST`, as the API page shows.
    #[default]
    Post,
}

impl ApiMethod {
    /// `"GET"` or `"POST"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ApiMethod::Get => "GET",
            ApiMethod::Post => "POST",
        }
    }

    /// Reads `GET` or `POST`, any case.
    pub fn parse(text: &str) -> Result<Self> {
        if text.is_empty() {
            Err(Error::missing("method"))
        } else if text.eq_ignore_ascii_case("post") {
            Ok(ApiMethod::Post)
        } else if text.eq_ignore_ascii_case("get") {
            Ok(ApiMethod::Get)
        } else {
            Err(Error::invalid("method", "must be GET or POST"))
        }
    }
}

/// Where the API parameters travel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ParamsIn {
    /// In the query string, covered by the signature (the default, for GET and POST).
    #[default]
    Query,
    /// In an `application/x-www-form-urlencoded` POST body, **not** covered by the signature.
    Body,
}

impl ParamsIn {
    /// Reads `query` or `body`.
    pub fn parse(text: &str) -> Result<Self> {
        match text {
            "query" => Ok(ParamsIn::Query),
            "body" => Ok(ParamsIn::Body),
            "" => Err(Error::missing("paramsIn")),
            _ => Err(Error::invalid("paramsIn", "must be `query` or `body`")),
        }
    }
}

/// A request ready for `fetch(url, { method, headers, body })`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpRequest {
    /// The absolute URL.
    pub url: String,
    /// `GET` or `POST`.
    pub method: String,
    /// The signed headers (and `content-type` when there is a body).
    pub headers: Headers,
    /// The form body, when parameters travel in the body.
    pub body: Option<String>,
}

/// What the API call needs besides its parameters.
#[derive(Clone)]
pub struct CallOptions<'a> {
    /// `GET` or `POST`.
    pub method: ApiMethod,
    /// Where the parameters travel.
    pub params_in: ParamsIn,
    /// The gateway.
    pub endpoint: Endpoint,
    /// Milliseconds since the Unix epoch.
    pub timestamp: Timestamp,
    /// The access key id.
    pub access_key: &'a str,
    /// The secret key; never in any output, error or `Debug` text.
    pub secret_key: &'a str,
    /// An API Gateway key (`x-ncp-apigw-api-key`), unsigned; not used by API v2.
    pub api_key: Option<&'a str>,
    /// Which signature header to send.
    pub signature_version: SignatureVersion,
}

impl fmt::Debug for CallOptions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallOptions")
            .field("method", &self.method)
            .field("params_in", &self.params_in)
            .field("endpoint", &self.endpoint)
            .field("timestamp", &self.timestamp)
            .field("access_key", &self.access_key)
            .field("secret_key", &"<redacted>")
            .field("api_key", &self.api_key)
            .field("signature_version", &self.signature_version)
            .finish()
    }
}

/// Appends `text` encoded as `application/x-www-form-urlencoded` does (space as `+`).
pub(crate) fn push_form_encoded(out: &mut String, text: &str) {
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'*' | b'-' | b'.' | b'_') {
            out.push(char::from(b));
        } else if b == b' ' {
            out.push('+');
        } else {
            push_percent_byte(out, b);
        }
    }
}

/// Builds a signed call of the API at `path` with `params`, as `options` say.
pub fn build_api_request(
    path: &str,
    params: &[(&str, &str)],
    options: &CallOptions<'_>,
) -> Result<HttpRequest> {
    let mut form = String::new();
    for (i, (name, value)) in params.iter().enumerate() {
        if i > 0 {
            form.push('&');
        }
        push_form_encoded(&mut form, name);
        form.push('=');
        push_form_encoded(&mut form, value);
    }
    let mut url =
        String::with_capacity(options.endpoint.base_url().len() + path.len() + form.len() + 1);
    url.push_str(options.endpoint.base_url());
    url.push_str(path);
    let body = match options.params_in {
        ParamsIn::Query => {
            url.push('?');
            url.push_str(&form);
            None
        }
        ParamsIn::Body if options.method == ApiMethod::Get => {
            return Err(Error::invalid(
                "paramsIn",
                "is `body`, but a GET request cannot have a body; use POST or `query`",
            ))
        }
        ParamsIn::Body => Some(form),
    };
    // The one signing path, as every signature: the same checks, the same code.
    let mut out = Vec::new();
    let input = SignInput {
        url_field: "endpoint",
        timestamp: TimestampInput::Checked(options.timestamp),
        api_key: options.api_key,
        signature_version: Some(options.signature_version.as_str()),
        ..SignInput::new(
            options.method.as_str(),
            &url,
            options.access_key,
            options.secret_key.as_bytes(),
        )
    };
    let signed = sign_into(&mut KeyCache::default(), &input, &mut out)?;
    let signed = SignedRequest::from_output(&out, &signed, &url, options.api_key);
    let mut headers = signed.headers;
    if body.is_some() {
        headers
            .0
            .push((headers::CONTENT_TYPE, headers::FORM_URLENCODED.to_owned()));
    }
    Ok(HttpRequest {
        url: signed.url,
        method: signed.method,
        headers,
        body,
    })
}

/// Checks an instance number: digits only, no leading zero, at most 19 digits. Flushing the
/// wrong instance destroys its data, so nothing is trimmed or guessed.
pub fn check_instance_no(field: &'static str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::missing(field));
    }
    if !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid(
            field,
            "must contain only the digits 0-9, without spaces or signs (an instance number such as 882689)",
        ));
    }
    if value.starts_with('0') {
        return Err(Error::invalid(
            field,
            join(&["must not start with 0, got ", &excerpt(value)]),
        ));
    }
    if value.len() > 19 {
        return Err(Error::invalid(field, "has more than 19 digits"));
    }
    Ok(())
}

/// A `flushCloudDBInstance` call.
#[derive(Clone, Debug)]
pub struct FlushRequest<'a> {
    /// The instance to flush: digits only.
    pub cloud_db_instance_no: &'a str,
    /// The answer's format; JSON unless told otherwise (it is always sent, so the answer is
    /// predictable).
    pub response_format_type: Format,
    /// Method, parameters' place, endpoint, time and keys.
    pub call: CallOptions<'a>,
}

impl<'a> FlushRequest<'a> {
    /// A request with every option at its default (POST, parameters in the query, JSON,
    /// public endpoint, signature v2) and no instance number yet.
    pub fn new(timestamp: Timestamp, access_key: &'a str, secret_key: &'a str) -> Self {
        FlushRequest {
            cloud_db_instance_no: "",
            response_format_type: Format::Json,
            call: CallOptions {
                method: ApiMethod::Post,
                params_in: ParamsIn::Query,
                endpoint: Endpoint::Public,
                timestamp,
                access_key,
                secret_key,
                api_key: None,
                signature_version: SignatureVersion::V2,
            },
        }
    }
}

/// Checks a region code such as `KR`, `SGN` or `JPN`: letters, digits and `-`, at most 16.
fn check_region_code(value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::missing("regionCode"));
    }
    if value.len() > 16
        || !value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(Error::invalid(
            "regionCode",
            "must be a region code such as KR, SGN or JPN (letters, digits, -)",
        ));
    }
    Ok(())
}

/// Builds a signed flush request for any platform: `instance_no` is `cloudDBInstanceNo`
/// (Classic), `cloudRedisServerInstanceNo` (VPC: the *server* instance, the master's on an HA
/// instance) or `cloudCacheServerInstanceNo` (Cache); `region_code` is for VPC and Cache only.
///
/// ```
/// use ncloud_redis_flush::{api::{build_platform_flush_request, CallOptions}, Format, Platform, Timestamp};
///
/// let call = ncloud_redis_flush::FlushRequest::new(Timestamp::from_millis(1).unwrap(), "AK", "SK").call;
/// let r = build_platform_flush_request(Platform::Vpc, "1002", Some("KR"), Format::Json, &call).unwrap();
/// assert_eq!(r.url, "https://ncloud.apigw.ntruss.com/vredis/v2/flushAllCloudRedisServerInstance?cloudRedisServerInstanceNo=1002&regionCode=KR&responseFormatType=json");
/// ```
pub fn build_platform_flush_request(
    platform: Platform,
    instance_no: &str,
    region_code: Option<&str>,
    response_format_type: Format,
    call: &CallOptions<'_>,
) -> Result<HttpRequest> {
    check_instance_no(platform.flush_param(), instance_no)?;
    let mut params: Vec<(&str, &str)> = vec![(platform.flush_param(), instance_no)];
    if let Some(region) = region_code {
        if !platform.takes_region_code() {
            return Err(Error::invalid(
                "regionCode",
                "is for the vpc and cache platforms; the Classic flush takes none",
            ));
        }
        check_region_code(region)?;
        params.push(("regionCode", region));
    }
    params.push(("responseFormatType", response_format_type.as_str()));
    build_api_request(platform.flush_path(), &params, call)
}

/// An instance listing: `getCloudDBInstanceList` (Classic, `dbKindCode=REDIS`),
/// `getCloudRedisInstanceList` (VPC) or `getCloudCacheInstanceList` (Cache).
#[derive(Clone, Debug)]
pub struct ListRequest<'a> {
    /// Which API family.
    pub platform: Platform,
    /// Only these instances (sent as `…NoList.1`, `…NoList.2` …); all when empty.
    pub instance_nos: &'a [&'a str],
    /// VPC and Cache: the region, e.g. `KR`.
    pub region_code: Option<&'a str>,
    /// Classic: the region number.
    pub region_no: Option<&'a str>,
    /// Classic: the zone number.
    pub zone_no: Option<&'a str>,
    /// Page number, from 1.
    pub page_no: Option<u32>,
    /// Rows per page.
    pub page_size: Option<u32>,
    /// The answer's format.
    pub response_format_type: Format,
    /// Method, parameters' place, endpoint, time and keys.
    pub call: CallOptions<'a>,
}

/// Builds a signed instance listing.
///
/// ```
/// use ncloud_redis_flush::{api::{build_list_request, ListRequest}, Format, Platform, Timestamp};
///
/// let call = ncloud_redis_flush::FlushRequest::new(Timestamp::from_millis(1).unwrap(), "AK", "SK").call;
/// let r = build_list_request(&ListRequest {
///     platform: Platform::Classic, instance_nos: &["882689"], region_code: None, region_no: None,
///     zone_no: None, page_no: Some(1), page_size: None, response_format_type: Format::Json, call,
/// }).unwrap();
/// assert!(r.url.ends_with("/clouddb/v2/getCloudDBInstanceList?dbKindCode=REDIS&cloudDBInstanceNoList.1=882689&pageNo=1&responseFormatType=json"));
/// ```
pub fn build_list_request(request: &ListRequest<'_>) -> Result<HttpRequest> {
    let platform = request.platform;
    let classic = !platform.takes_region_code();
    let mut numbers: Vec<(String, &str)> = Vec::with_capacity(request.instance_nos.len());
    for (i, no) in request.instance_nos.iter().enumerate() {
        check_instance_no("instanceNos", no)?;
        numbers.push((
            join(&[
                platform.list_ids_param(),
                ".",
                &decimal_string(i as u64 + 1),
            ]),
            no,
        ));
    }
    let page_no = request.page_no.map(|n| decimal_string(u64::from(n)));
    let page_size = request.page_size.map(|n| decimal_string(u64::from(n)));
    let mut params: Vec<(&str, &str)> = Vec::new();
    params.extend_from_slice(platform.list_fixed_params());
    params.extend(numbers.iter().map(|(k, v)| (k.as_str(), *v)));
    if let Some(region) = request.region_code {
        if classic {
            return Err(Error::invalid(
                "regionCode",
                "is for the vpc and cache platforms; Classic lists take regionNo",
            ));
        }
        check_region_code(region)?;
        params.push(("regionCode", region));
    }
    for (field, value) in [("regionNo", request.region_no), ("zoneNo", request.zone_no)] {
        if let Some(value) = value {
            if !classic {
                return Err(Error::invalid(field, "is for the classic platform only"));
            }
            check_instance_no(field, value)?;
            params.push((field, value));
        }
    }
    if request.page_no == Some(0) {
        return Err(Error::invalid("pageNo", "must be 1 or more"));
    }
    if request.page_size == Some(0) {
        return Err(Error::invalid("pageSize", "must be 1 or more"));
    }
    if let Some(n) = &page_no {
        params.push(("pageNo", n));
    }
    if let Some(n) = &page_size {
        params.push(("pageSize", n));
    }
    params.push(("responseFormatType", request.response_format_type.as_str()));
    build_api_request(platform.list_path(), &params, &request.call)
}

/// Builds a complete, signed `flushCloudDBInstance` request.
pub fn build_flush_request(request: &FlushRequest<'_>) -> Result<HttpRequest> {
    build_platform_flush_request(
        Platform::Classic,
        request.cloud_db_instance_no,
        None,
        request.response_format_type,
        &request.call,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> FlushRequest<'static> {
        let mut r = FlushRequest::new(
            Timestamp::from_millis(1_700_000_000_000).unwrap(),
            "AK",
            "SK",
        );
        r.cloud_db_instance_no = "882689";
        r
    }

    #[test]
    fn instance_numbers() {
        for good in ["1", "882689", "9223372036854775807"] {
            assert!(check_instance_no("n", good).is_ok(), "{good}");
        }
        for bad in [
            "",
            " 1",
            "1 ",
            "0",
            "012",
            "1a",
            "1e3",
            "-1",
            "１２",
            "12345678901234567890",
        ] {
            assert!(check_instance_no("n", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn endpoints() {
        assert_eq!(
            Endpoint::parse("gov").unwrap().base_url(),
            "https://ncloud.apigw.gov-ntruss.com"
        );
        assert_eq!(
            Endpoint::parse("http://127.0.0.1:8080/")
                .unwrap()
                .base_url(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            Endpoint::parse("https://p.example/nc/").unwrap().base_url(),
            "https://p.example/nc"
        );
        for bad in [
            "",
            "/path",
            "https://h/?q",
            "https://h/#f",
            "ftp://h",
            "private",
        ] {
            assert!(Endpoint::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn body_mode() {
        let mut r = base();
        r.call.params_in = ParamsIn::Body;
        r.call.endpoint = Endpoint::parse("http://127.0.0.1:8080").unwrap();
        let req = build_flush_request(&r).unwrap();
        assert_eq!(
            req.url,
            "http://127.0.0.1:8080/clouddb/v2/flushCloudDBInstance"
        );
        assert_eq!(
            req.body.as_deref(),
            Some("cloudDBInstanceNo=882689&responseFormatType=json")
        );
        assert_eq!(
            req.headers.get("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        r.call.method = ApiMethod::Get;
        assert_eq!(
            build_flush_request(&r).unwrap_err().field(),
            Some("paramsIn")
        );
    }

    #[test]
    fn get_in_query_is_signed_over_the_query() {
        let mut r = base();
        r.call.method = ApiMethod::Get;
        r.response_format_type = Format::Xml;
        let req = build_flush_request(&r).unwrap();
        assert_eq!(req.method, "GET");
        let sts = "GET /clouddb/v2/flushCloudDBInstance?cloudDBInstanceNo=882689&responseFormatType=xml\n1700000000000\nAK";
        assert_eq!(
            req.headers.get("x-ncp-apigw-signature-v2").unwrap(),
            crate::signing::sign("SK", sts)
        );
    }
}
