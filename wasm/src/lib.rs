//! The JavaScript API of [`ncloud_redis_flush`]: the only crate that knows about wasm-bindgen.
//!
//! Each export reads its options object field by field (so a wrong type is reported with the
//! field's name), calls the plain-Rust core, and returns plain objects. Every failure is thrown as
//! an `Error` (a `TypeError` for a wrong type) with `kind`, `code` and, where known, `field`,
//! `httpStatus`, `details` and `requestId`.
//!
//! The npm package is built from this crate (`scripts/build.sh`); Rust programs use the core
//! crate, which has no exports, no allocator and no panic handler of its own.
#![cfg_attr(not(feature = "std"), no_std)]
#![cfg(target_arch = "wasm32")]

extern crate alloc;

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use js_sys::{Object, Reflect};
use ncloud_redis_flush::parse::parse_answer_json;
use ncloud_redis_flush::signing::kernel::{
    cached_signer, kernel_timestamp, sign_canonical, SignerCache,
};
use ncloud_redis_flush::signing::request_target::{is_contested, split_url};
use ncloud_redis_flush::signing::timestamp::is_whole;
use ncloud_redis_flush::{
    build_platform_flush_request, ApiMethod, CallOptions, Endpoint, Error, ErrorKind, Format,
    Headers, HttpRequest, InputProblem, ListRequest, ParamsIn, ParseOptions, Platform,
    SignatureVersion, SignedRequest, Timestamp,
};
use spin::mutex::SpinMutex;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("../types.d.ts");

type JsResult<T> = Result<T, JsValue>;

#[wasm_bindgen]
extern "C" {
    /// `SignRequestOptions` in TypeScript.
    #[wasm_bindgen(typescript_type = "SignRequestOptions")]
    pub type SignRequestOptions;
    /// `FlushRequestOptions` in TypeScript.
    #[wasm_bindgen(typescript_type = "FlushRequestOptions")]
    pub type FlushRequestOptions;
    /// `ListRequestOptions` in TypeScript.
    #[wasm_bindgen(typescript_type = "ListRequestOptions")]
    pub type ListRequestOptions;
    /// `ParseOptions` in TypeScript.
    #[wasm_bindgen(typescript_type = "ParseOptions")]
    pub type ParseOptionsJs;
}

/// Converts a core error into a thrown JavaScript `Error` with its `kind` and `code`.
fn to_js(err: Error) -> JsValue {
    let message = err.message();
    let js: js_sys::Error = match &err {
        Error::Input(e) if matches!(e.problem, InputProblem::Type { .. }) => {
            js_sys::TypeError::new(&message).unchecked_into()
        }
        _ => {
            let e = js_sys::Error::new(&message);
            e.set_name("NcloudRedisFlushError");
            e
        }
    };
    let set = |key: &str, value: JsValue| {
        // Setting a property on a fresh Error object cannot fail.
        let _ = Reflect::set(&js, &JsValue::from_str(key), &value);
    };
    set("kind", JsValue::from_str(err.kind().as_str()));
    set("code", JsValue::from_str(err.code()));
    if let Some(field) = err.field() {
        set("field", JsValue::from_str(field));
    }
    if let Some(status) = err.http_status() {
        set("httpStatus", JsValue::from(status));
    }
    if let Some(details) = err.details() {
        set("details", JsValue::from_str(details));
    }
    if let Some(request_id) = err.request_id() {
        set("requestId", JsValue::from_str(request_id));
    }
    debug_assert!(err.kind() != ErrorKind::Input || err.field().is_some());
    js.into()
}

#[wasm_bindgen]
extern "C" {
    /// `Array.isArray`, caught: it throws for a revoked proxy, and an exception thrown through
    /// the module would skip its destructors and reach the caller without `kind` and `code`.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn array_is_array(value: &JsValue) -> Result<bool, JsValue>;
}

/// A JavaScript value's type, as `typeof` says it (with `null` and arrays told apart).
fn type_of(value: &JsValue) -> String {
    if value.is_null() {
        "null".to_owned()
    } else if array_is_array(value).is_err() {
        "a revoked proxy".to_owned()
    } else if matches!(array_is_array(value), Ok(true)) {
        "an array".to_owned()
    } else {
        value
            .js_typeof()
            .as_string()
            .unwrap_or_else(|| "unknown".to_owned())
    }
}

/// The options object of a call.
struct Options<'a> {
    object: &'a JsValue,
}

impl<'a> Options<'a> {
    /// `value` must be an object (`options` is named in the error).
    fn new(value: &'a JsValue, field: &'static str, required: bool) -> Result<Self, Error> {
        if value.is_undefined() && !required {
            return Ok(Options { object: value });
        }
        if value.is_undefined() || value.is_null() {
            return Err(Error::wrong_type(field, "an object", type_of(value)));
        }
        if !value.is_object() || !matches!(array_is_array(value), Ok(false)) {
            return Err(Error::wrong_type(field, "an object", type_of(value)));
        }
        Ok(Options { object: value })
    }

    /// The raw value of `field`; `undefined` and `null` both mean absent.
    fn get(&self, field: &'static str) -> Result<Option<JsValue>, Error> {
        if self.object.is_undefined() {
            return Ok(None);
        }
        let value = Reflect::get(self.object, &JsValue::from_str(field))
            .map_err(|_| Error::invalid(field, "could not be read (its getter threw)"))?;
        Ok(if value.is_undefined() || value.is_null() {
            None
        } else {
            Some(value)
        })
    }

    /// An optional string field; an empty string counts as given (callers decide).
    fn opt_string(&self, field: &'static str) -> Result<Option<String>, Error> {
        match self.get(field)? {
            None => Ok(None),
            Some(v) => match v.as_string() {
                Some(s) => Ok(Some(s)),
                None => Err(Error::wrong_type(field, "a string", type_of(&v))),
            },
        }
    }

    /// A required, non-empty string field.
    fn string(&self, field: &'static str) -> Result<String, Error> {
        match self.opt_string(field)? {
            Some(s) if !s.is_empty() => Ok(s),
            _ => Err(Error::missing(field)),
        }
    }

    /// The required `timestamp`: an integer number of milliseconds, as a number, a decimal
    /// string or a bigint.
    fn timestamp(&self) -> Result<Timestamp, Error> {
        let Some(v) = self.get("timestamp")? else {
            return Err(Error::missing("timestamp"));
        };
        if let Some(n) = v.as_f64() {
            return Timestamp::from_f64(n);
        }
        if let Some(s) = v.as_string() {
            return Timestamp::parse(&s);
        }
        if v.is_bigint() {
            let text = js_sys::BigInt::unchecked_from_js_ref(&v)
                .to_string(10)
                .ok()
                .and_then(|s| s.as_string())
                .unwrap_or_default();
            if text.starts_with('-') {
                return Err(Error::invalid("timestamp", "must not be negative"));
            }
            return Timestamp::parse(&text);
        }
        Err(Error::wrong_type(
            "timestamp",
            "a number of milliseconds (or a decimal string)",
            type_of(&v),
        ))
    }

    fn signature_version(&self) -> Result<SignatureVersion, Error> {
        match self.opt_string("signatureVersion")? {
            None => Ok(SignatureVersion::V2),
            Some(s) => SignatureVersion::parse(&s)
                .ok_or_else(|| Error::invalid("signatureVersion", "must be `v1` or `v2`")),
        }
    }

    fn api_key(&self) -> Result<Option<String>, Error> {
        match self.opt_string("apiKey")? {
            Some(s) if s.is_empty() => Err(Error::invalid(
                "apiKey",
                "is empty; leave it out when there is no API key",
            )),
            other => Ok(other),
        }
    }
}

/// A plain object from `(key, value)` pairs.
fn object(pairs: &[(&str, JsValue)]) -> Object {
    let obj = Object::new();
    for (key, value) in pairs {
        // Defining a data property on a fresh plain object cannot fail.
        let _ = Reflect::set(&obj, &JsValue::from_str(key), value);
    }
    obj
}

fn headers_object(headers: &Headers) -> Object {
    let obj = Object::new();
    for (name, value) in headers.iter() {
        let _ = Reflect::set(&obj, &JsValue::from_str(name), &JsValue::from_str(value));
    }
    obj
}

/// The input error for an option whose reading threw (a getter, a proxy trap, a revoked proxy):
/// the package's JavaScript reads the options before handing a plain copy to the module, and
/// throws this when it cannot.
#[wasm_bindgen(js_name = "__unreadable", skip_typescript)]
pub fn unreadable(field: &str) -> JsValue {
    const FIELDS: &[&str] = &[
        "options",
        "method",
        "url",
        "timestamp",
        "accessKey",
        "secretKey",
        "apiKey",
        "signatureVersion",
        "responseFormatType",
        "paramsIn",
        "endpoint",
        "platform",
        "cloudDBInstanceNo",
        "cloudRedisServerInstanceNo",
        "cloudCacheServerInstanceNo",
        "regionCode",
        "instanceNos",
        "regionNo",
        "zoneNo",
        "pageNo",
        "pageSize",
        "format",
        "status",
    ];
    let field = FIELDS
        .iter()
        .find(|f| **f == field)
        .copied()
        .unwrap_or("options");
    to_js(Error::invalid(
        field,
        "could not be read (its getter threw)",
    ))
}

/// The request target as this host's own URL parser serializes it: `href` without the origin and
/// the fragment. Used only where engines disagree (Chromium encodes `|` and `^` in paths).
fn host_request_target(url: &str) -> Option<String> {
    let parsed = web_sys::Url::new_with_base(url, "http://0.0.0.0/").ok()?;
    let href = parsed.href();
    let target = href.strip_prefix(&parsed.origin())?;
    let target = target.split('#').next().unwrap_or(target);
    target.starts_with('/').then(|| target.to_owned())
}

/// Signs any NAVER Cloud API Gateway request.
///
/// Signs `METHOD requestTarget\ntimestamp\naccessKey` with HMAC-SHA256, where `requestTarget` is
/// the path and query exactly as `fetch(url)` sends them.
#[wasm_bindgen(js_name = signRequest, skip_typescript)]
pub fn sign_request(options: &SignRequestOptions) -> JsResult<JsValue> {
    sign_request_impl(options).map_err(to_js)
}

fn sign_request_impl(options: &JsValue) -> Result<JsValue, Error> {
    let o = Options::new(options, "options", true)?;
    let method = o.string("method")?;
    let url = o.string("url")?;
    let timestamp = o.timestamp()?;
    let access_key = o.string("accessKey")?;
    let secret_key = o.string("secretKey")?;
    let api_key = o.api_key()?;
    let signature_version = o.signature_version()?;
    let signed = sign_in_host(
        &method,
        &url,
        timestamp,
        &access_key,
        &secret_key,
        api_key.as_deref(),
        signature_version,
    )?;
    Ok(object(&[
        ("method", JsValue::from_str(&signed.method)),
        ("url", JsValue::from_str(&signed.url)),
        ("requestTarget", JsValue::from_str(&signed.request_target)),
        ("stringToSign", JsValue::from_str(&signed.string_to_sign)),
        ("signature", JsValue::from_str(&signed.signature)),
        ("headers", headers_object(&signed.headers).into()),
    ])
    .into())
}

/// The signer of the last secret key used, so signing again with it skips the two HMAC key
/// blocks (as AWS's SDKs cache derived signing keys). One entry: a new key replaces it.
static LAST_SIGNER: SpinMutex<SignerCache> = SpinMutex::new(None);

/// Runs `f` on the state behind `lock`. The lock is never contended — the module runs on one
/// thread and nothing under a lock calls back into JavaScript — so failing to take it would be a
/// bug: it traps, as a second `RefCell::borrow_mut` would, rather than spin for ever.
fn with_locked<T, R>(lock: &SpinMutex<T>, f: impl FnOnce(&mut T) -> R) -> R {
    match lock.try_lock() {
        Some(mut guard) => f(&mut guard),
        None => core::arch::wasm32::unreachable(),
    }
}

/// Signs with the cached signer of `(access_key, secret_key)`, made (and checked) on first use;
/// the request target is this host's serialization where hosts disagree.
fn sign_in_host(
    method: &str,
    url: &str,
    timestamp: Timestamp,
    access_key: &str,
    secret_key: &str,
    api_key: Option<&str>,
    signature_version: SignatureVersion,
) -> Result<SignedRequest, Error> {
    let mut split = split_url(url, "url")?;
    if is_contested(&split.request_target) {
        split.request_target = host_request_target(url).unwrap_or(split.request_target);
    }
    with_locked(&LAST_SIGNER, |cache| {
        cached_signer(cache, access_key.as_bytes(), secret_key.as_bytes())?.sign_split(
            method,
            split,
            timestamp,
            api_key,
            signature_version,
        )
    })
}

/// Size of the signing kernel's input area: `url + method + accessKey + secretKey + apiKey +
/// timestamp text`, ASCII; longer inputs take the full path.
const KERNEL_INPUT: usize = 4096;
/// The kernel's output area: the 44 characters of a base64 HMAC-SHA256.
const KERNEL_OUTPUT: usize = 44;

/// The signing kernel's scratch memory, written directly by the package's JavaScript (one
/// `TextEncoder.encodeInto`, no allocation) and read back from it.
static KERNEL_SCRATCH: SpinMutex<[u8; KERNEL_INPUT + KERNEL_OUTPUT]> =
    SpinMutex::new([0; KERNEL_INPUT + KERNEL_OUTPUT]);

/// The address of the signing kernel's scratch memory in the module's memory (input area,
/// then output area) and the sizes of both, for the package's JavaScript.
#[wasm_bindgen(js_name = "__kernelScratch", skip_typescript)]
pub fn kernel_scratch() -> Vec<u32> {
    let address = with_locked(&KERNEL_SCRATCH, |scratch| {
        scratch.as_mut_ptr() as usize as u32
    });
    vec![address, KERNEL_INPUT as u32, KERNEL_OUTPUT as u32]
}

/// The module's memory, for the package's JavaScript to write the kernel's input.
#[wasm_bindgen(js_name = "__memory", skip_typescript)]
pub fn memory() -> JsValue {
    wasm_bindgen::memory()
}

/// The signing kernel: `signRequest`'s fast path for ASCII inputs whose URL is already in
/// serialized form. The JavaScript has written `url + method + accessKey + secretKey + apiKey +
/// timestamp text` into the scratch input (the timestamp text only when it is a string; then
/// `timestamp` is NaN); this checks everything the full path checks, signs, writes the base64
/// signature into the scratch output and returns the length of the URL's origin — or -1 when the
/// full path must run (it then throws the precise error). The input area is zeroed before
/// returning, so the secret key does not linger there.
#[wasm_bindgen(js_name = "__signKernel", skip_typescript)]
pub fn sign_kernel(
    url_len: usize,
    method_len: usize,
    access_key_len: usize,
    secret_key_len: usize,
    api_key_len: Option<usize>,
    timestamp: f64,
    timestamp_len: usize,
) -> i32 {
    with_locked(&KERNEL_SCRATCH, |scratch| {
        let (input, output) = scratch.split_at_mut(KERNEL_INPUT);
        let lens = [
            url_len,
            method_len,
            access_key_len,
            secret_key_len,
            api_key_len.unwrap_or(0),
            timestamp_len,
        ];
        let total = lens
            .iter()
            .try_fold(0usize, |sum, &len| sum.checked_add(len));
        let result = total.and_then(|total| input.get(..total)).and_then(|text| {
            let (url, rest) = text.split_at_checked(url_len)?;
            let (method, rest) = rest.split_at_checked(method_len)?;
            let (access_key, rest) = rest.split_at_checked(access_key_len)?;
            let (secret_key, rest) = rest.split_at_checked(secret_key_len)?;
            let (api_key, timestamp_text) = rest.split_at_checked(api_key_len.unwrap_or(0))?;
            let timestamp = kernel_timestamp(timestamp, timestamp_text)?;
            let signature: &mut [u8; KERNEL_OUTPUT] = output.try_into().ok()?;
            with_locked(&LAST_SIGNER, |signer| {
                sign_canonical(
                    signer,
                    url,
                    method,
                    access_key,
                    secret_key,
                    api_key_len.map(|_| api_key),
                    timestamp,
                    signature,
                )
            })
        });
        let used = total.unwrap_or(KERNEL_INPUT).min(KERNEL_INPUT);
        if let Some(used) = input.get_mut(..used) {
            used.fill(0);
        }
        result.and_then(|n| i32::try_from(n).ok()).unwrap_or(-1)
    })
}

fn http_request_object(request: &HttpRequest) -> JsValue {
    let obj = object(&[
        ("url", JsValue::from_str(&request.url)),
        ("method", JsValue::from_str(&request.method)),
        ("headers", headers_object(&request.headers).into()),
    ]);
    if let Some(body) = &request.body {
        let _ = Reflect::set(&obj, &JsValue::from_str("body"), &JsValue::from_str(body));
    }
    obj.into()
}

/// Builds a complete, signed `flushCloudDBInstance` request that `fetch(r.url, r)` sends as is.
#[wasm_bindgen(js_name = buildFlushRequest, skip_typescript)]
pub fn build_flush_request(options: &FlushRequestOptions) -> JsResult<JsValue> {
    build_flush_request_impl(options).map_err(to_js)
}

impl Options<'_> {
    /// `platform`: `classic` (default), `vpc` or `cache`.
    fn platform(&self) -> Result<Platform, Error> {
        match self.opt_string("platform")? {
            None => Ok(Platform::Classic),
            Some(p) => Platform::parse(&p)
                .ok_or_else(|| Error::invalid("platform", "must be `classic`, `vpc` or `cache`")),
        }
    }

    /// A string of digits that names an instance: never a number, which can lose digits.
    fn instance_no(&self, field: &'static str) -> Result<String, Error> {
        match self.get(field)? {
            None => Err(Error::missing(field)),
            Some(v) => v.as_string().ok_or_else(|| {
                Error::wrong_type(
                    field,
                    "a string of digits (a number can silently lose digits)",
                    type_of(&v),
                )
            }),
        }
    }

    fn response_format(&self) -> Result<Format, Error> {
        match self.opt_string("responseFormatType")? {
            None => Ok(Format::Json),
            Some(s) => Format::parse(&s)
                .ok_or_else(|| Error::invalid("responseFormatType", "must be `json` or `xml`")),
        }
    }

    /// A positive integer option (`pageNo`, `pageSize`).
    fn opt_count(&self, field: &'static str) -> Result<Option<u32>, Error> {
        match self.get(field)? {
            None => Ok(None),
            Some(v) => match v.as_f64() {
                Some(n) if (1.0..=1e9).contains(&n) && is_whole(n) => Ok(Some(n as u32)),
                Some(_) => Err(Error::invalid(field, "must be an integer from 1")),
                None => Err(Error::wrong_type(field, "a number", type_of(&v))),
            },
        }
    }

    /// What every call shares: method, parameters' place, endpoint, time, keys.
    fn call<'k>(&self, keys: &'k Keys) -> Result<CallOptions<'k>, Error> {
        Ok(CallOptions {
            method: match self.opt_string("method")? {
                None => ApiMethod::Post,
                Some(s) => ApiMethod::parse(&s)?,
            },
            params_in: match self.opt_string("paramsIn")? {
                None => ParamsIn::Query,
                Some(s) => ParamsIn::parse(&s)?,
            },
            endpoint: match self.opt_string("endpoint")? {
                None => Endpoint::Public,
                Some(s) => Endpoint::parse(&s)?,
            },
            timestamp: self.timestamp()?,
            access_key: &keys.access_key,
            secret_key: &keys.secret_key,
            api_key: keys.api_key.as_deref(),
            signature_version: self.signature_version()?,
        })
    }
}

/// The keys of a call, read once.
struct Keys {
    access_key: String,
    secret_key: String,
    api_key: Option<String>,
}

impl Keys {
    fn read(o: &Options<'_>) -> Result<Self, Error> {
        Ok(Keys {
            access_key: o.string("accessKey")?,
            secret_key: o.string("secretKey")?,
            api_key: o.api_key()?,
        })
    }
}

fn build_flush_request_impl(options: &JsValue) -> Result<JsValue, Error> {
    let o = Options::new(options, "options", true)?;
    let platform = o.platform()?;
    let instance_no = o.instance_no(platform.flush_param())?;
    let region_code = o.opt_string("regionCode")?;
    let format = o.response_format()?;
    let keys = Keys::read(&o)?;
    let call = o.call(&keys)?;
    let request = build_platform_flush_request(
        platform,
        &instance_no,
        region_code.as_deref(),
        format,
        &call,
    )?;
    Ok(http_request_object(&request))
}

/// Builds a signed instance listing: `getCloudDBInstanceList` (`platform: 'classic'`, the
/// default), `getCloudRedisInstanceList` (`'vpc'`) or `getCloudCacheInstanceList` (`'cache'`).
#[wasm_bindgen(js_name = buildListRequest, skip_typescript)]
pub fn build_list_request(options: &ListRequestOptions) -> JsResult<JsValue> {
    build_list_request_impl(options).map_err(to_js)
}

fn build_list_request_impl(options: &JsValue) -> Result<JsValue, Error> {
    let o = Options::new(options, "options", true)?;
    let platform = o.platform()?;
    let instance_nos: Vec<String> = match o.get("instanceNos")? {
        None => Vec::new(),
        Some(v) if js_sys::Array::is_array(&v) => js_sys::Array::from(&v)
            .iter()
            .map(|item| {
                item.as_string().ok_or_else(|| {
                    Error::wrong_type(
                        "instanceNos",
                        "an array of strings of digits",
                        type_of(&item),
                    )
                })
            })
            .collect::<Result<_, _>>()?,
        Some(v) => {
            return Err(Error::wrong_type(
                "instanceNos",
                "an array of strings of digits",
                type_of(&v),
            ))
        }
    };
    let numbers: Vec<&str> = instance_nos.iter().map(String::as_str).collect();
    let region_code = o.opt_string("regionCode")?;
    let region_no = o.opt_string("regionNo")?;
    let zone_no = o.opt_string("zoneNo")?;
    let page_no = o.opt_count("pageNo")?;
    let page_size = o.opt_count("pageSize")?;
    let format = o.response_format()?;
    let keys = Keys::read(&o)?;
    let call = o.call(&keys)?;
    let request = ncloud_redis_flush::build_list_request(&ListRequest {
        platform,
        instance_nos: &numbers,
        region_code: region_code.as_deref(),
        region_no: region_no.as_deref(),
        zone_no: zone_no.as_deref(),
        page_no,
        page_size,
        response_format_type: format,
        call,
    })?;
    Ok(http_request_object(&request))
}

/// Parses the answer of `flushCloudDBInstance` (JSON or XML) into typed objects; every gateway
/// and API error is thrown as an `Error` with `kind` and `code`.
#[wasm_bindgen(js_name = parseFlushResponse, skip_typescript)]
pub fn parse_flush_response(
    #[wasm_bindgen(unchecked_param_type = "string")] body: JsValue,
    options: Option<ParseOptionsJs>,
) -> JsResult<JsValue> {
    let options = options.map_or(JsValue::UNDEFINED, JsValue::from);
    parse_flush_response_impl(&body, &options).map_err(to_js)
}

/// The fast path of `parseFlushResponse`, called by the package's JavaScript once it has checked
/// that `body` is a string and the options are plain: `format` 0 detect, 1 json, 2 xml; `status`
/// 0 unknown. Returns the normalized JSON text for the host's `JSON.parse`; throws the same
/// errors as the full path.
///
/// The body arrives as UTF-8 bytes from the host's `TextEncoder` (a bulk copy, faster than
/// passing a long string character by character).
#[wasm_bindgen(js_name = "__parseFast", skip_typescript)]
pub fn parse_fast(body: &[u8], format: u8, status: u16, answer: u8) -> JsResult<String> {
    // TextEncoder always writes valid UTF-8 (lone surrogates become U+FFFD).
    let body = core::str::from_utf8(body)
        .map_err(|_| to_js(Error::invalid("body", "is not valid UTF-8")))?;
    let format = match format {
        1 => Some(Format::Json),
        2 => Some(Format::Xml),
        _ => None,
    };
    let status = (status != 0).then_some(status);
    // `answer` numbers the shapes as js/api.js does: a platform's place in `Platform::ALL` for
    // its flush, plus 3 for its listing (tests/family.rs holds the two numberings equal).
    let count = Platform::ALL.len();
    let platform = Platform::ALL.get(usize::from(answer) % count).copied();
    let kind = match (platform, usize::from(answer) / count) {
        (Some(platform), 1) => platform.list_answer(),
        (Some(platform), 0) => platform.flush_answer(),
        _ => Platform::default().flush_answer(),
    };
    parse_answer_json(body, &ParseOptions { format, status }, kind).map_err(to_js)
}

/// The buffer `__parseBuffered` reads bodies from, written directly by the package's
/// JavaScript (`TextEncoder.encodeInto`: no intermediate array, no copy).
static BODY_BUFFER: SpinMutex<Vec<u8>> = SpinMutex::new(Vec::new());

/// Bodies at most this long keep their buffer for the next call.
const BODY_BUFFER_KEPT: usize = 1 << 20;

/// Makes the body buffer at least `capacity` bytes long and returns its address, or 0 when the
/// memory cannot be had (the caller then takes the copying path).
#[wasm_bindgen(js_name = "__bodyBuffer", skip_typescript)]
pub fn body_buffer(capacity: usize) -> u32 {
    with_locked(&BODY_BUFFER, |buffer| {
        let missing = capacity.saturating_sub(buffer.len());
        if missing > 0 {
            if buffer.try_reserve(missing).is_err() {
                return 0;
            }
            buffer.resize(capacity, 0);
        }
        buffer.as_mut_ptr() as usize as u32
    })
}

/// `__parseFast` for a body the JavaScript wrote into the body buffer (`len` bytes).
#[wasm_bindgen(js_name = "__parseBuffered", skip_typescript)]
pub fn parse_buffered(len: usize, format: u8, status: u16, answer: u8) -> JsResult<String> {
    with_locked(&BODY_BUFFER, |buffer| {
        let result = match buffer.get(..len) {
            Some(body) => parse_fast(body, format, status, answer),
            None => Err(to_js(Error::invalid("body", "is longer than its buffer"))),
        };
        if buffer.len() > BODY_BUFFER_KEPT {
            *buffer = Vec::new();
        }
        result
    })
}

/// Parses the answer of an instance listing (`platform` as for `buildListRequest`).
#[wasm_bindgen(js_name = parseListResponse, skip_typescript)]
pub fn parse_list_response(
    #[wasm_bindgen(unchecked_param_type = "string")] body: JsValue,
    options: Option<ParseOptionsJs>,
) -> JsResult<JsValue> {
    let options = options.map_or(JsValue::UNDEFINED, JsValue::from);
    parse_answer_impl(&body, &options, true).map_err(to_js)
}

fn parse_flush_response_impl(body: &JsValue, options: &JsValue) -> Result<JsValue, Error> {
    parse_answer_impl(body, options, false)
}

fn parse_answer_impl(body: &JsValue, options: &JsValue, list: bool) -> Result<JsValue, Error> {
    let Some(body) = body.as_string() else {
        return Err(Error::wrong_type("body", "a string", type_of(body)));
    };
    let o = Options::new(options, "options", false)?;
    let format = match o.opt_string("format")? {
        None => None,
        Some(s) => Some(
            Format::parse(&s).ok_or_else(|| Error::invalid("format", "must be `json` or `xml`"))?,
        ),
    };
    let status = match o.get("status")? {
        None => None,
        Some(v) => match v.as_f64() {
            Some(n) if (100.0..=999.0).contains(&n) && is_whole(n) => Some(n as u16),
            Some(_) => {
                return Err(Error::invalid(
                    "status",
                    "must be an HTTP status from 100 to 999",
                ))
            }
            None => return Err(Error::wrong_type("status", "a number", type_of(&v))),
        },
    };
    let platform = o.platform()?;
    let kind = if list {
        platform.list_answer()
    } else {
        platform.flush_answer()
    };
    let json = parse_answer_json(&body, &ParseOptions { format, status }, kind)?;
    // The host's JSON.parse builds the objects faster than property-by-property calls would.
    js_sys::JSON::parse(&json)
        .map_err(|_| Error::invalid("body", "could not be converted to JavaScript objects"))
}

/// The shipped module's runtime, without `std` (`--no-default-features`).
#[cfg(not(feature = "std"))]
mod runtime {
    /// The allocator `std` itself uses on wasm32.
    #[global_allocator]
    static ALLOCATOR: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;

    /// A panic traps at once. Panics are bugs (every input error is an `Error` value; `unwrap`,
    /// indexing and `panic!` are linted against, and the fuzz targets run natively with panics as
    /// failures), so the module keeps no message formatting for them: that is most of
    /// `core::fmt`. JavaScript sees a `RuntimeError: unreachable`.
    #[panic_handler]
    fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
        core::arch::wasm32::unreachable()
    }
}
