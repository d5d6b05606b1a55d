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
use alloc::vec::Vec;
use js_sys::{Object, Reflect};
use ncloud_redis_flush::parse::{parse_answer_json_in_pieces, TextSink};
use ncloud_redis_flush::signing::headers;
use ncloud_redis_flush::signing::kernel::{sign_into, KeyCache, SignInput, Signed, TimestampInput};
use ncloud_redis_flush::signing::timestamp::is_whole;
use ncloud_redis_flush::{
    build_platform_flush_request, ApiMethod, CallOptions, Endpoint, Error, ErrorKind, Format,
    Headers, HttpRequest, InputProblem, ListRequest, ParamsIn, ParseOptions, Platform,
    SignatureVersion, SignedRequest, Timestamp,
};
use spin::mutex::SpinMutex;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use zeroize::{Zeroize, Zeroizing};

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
    /// string or a bigint, checked by the one timestamp rule.
    fn timestamp(&self) -> Result<Timestamp, Error> {
        let mut text = String::new();
        self.timestamp_input(&mut text)?.check()
    }

    /// The `timestamp` as given (its text written into `text`), for the signing path to check.
    /// (Not inlined: both option readers call it.)
    #[inline(never)]
    fn timestamp_input<'t>(&self, text: &'t mut String) -> Result<TimestampInput<'t>, Error> {
        let Some(v) = self.get("timestamp")? else {
            return Ok(TimestampInput::Text(""));
        };
        if let Some(n) = v.as_f64() {
            return Ok(TimestampInput::Number(n));
        }
        if let Some(s) = v.as_string() {
            *text = s;
            return Ok(TimestampInput::Text(text));
        }
        if v.is_bigint() {
            // A bigint's decimal text, sign included: the same rule as a string's.
            *text = js_sys::BigInt::unchecked_from_js_ref(&v)
                .to_string(10)
                .ok()
                .and_then(|s| s.as_string())
                .unwrap_or_default();
            return Ok(TimestampInput::Text(text));
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
            Some(s) => SignatureVersion::from_option(&s),
        }
    }

    /// `apiKey`, as given: the signing path checks it with the one key rule.
    fn api_key(&self) -> Result<Option<String>, Error> {
        self.opt_string("apiKey")
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
    // Every field is read (a wrong type named) before any value is checked, as the package's
    // JavaScript does before its call; `undefined` and `null` are an empty string, missing.
    let method = o.opt_string("method")?.unwrap_or_default();
    let url = o.opt_string("url")?.unwrap_or_default();
    let mut text = String::new();
    let timestamp = o.timestamp_input(&mut text)?;
    let access_key = o.opt_string("accessKey")?.unwrap_or_default();
    let secret_key = Zeroizing::new(o.opt_string("secretKey")?.unwrap_or_default());
    let api_key = o.opt_string("apiKey")?;
    let signature_version = o.opt_string("signatureVersion")?;
    with_locked(&SIGN, |state| {
        let input = SignInput {
            timestamp,
            api_key: api_key.as_deref(),
            signature_version: signature_version.as_deref(),
            host_target: Some(host_request_target),
            ..SignInput::new(&method, &url, &access_key, secret_key.as_bytes())
        };
        let signed = sign_into(&mut state.keys, &input, &mut state.out)?;
        let signed = SignedRequest::from_output(&state.out, &signed, &url, api_key.as_deref());
        Ok(object(&[
            ("method", JsValue::from_str(&signed.method)),
            ("url", JsValue::from_str(&signed.url)),
            ("requestTarget", JsValue::from_str(&signed.request_target)),
            ("stringToSign", JsValue::from_str(&signed.string_to_sign)),
            ("signature", JsValue::from_str(&signed.signature)),
            ("headers", headers_object(&signed.headers).into()),
        ])
        .into())
    })
}

/// The signing path's state: the prepared key in use (at most one), the scratch input the
/// package's JavaScript writes the strings of a call into, the output the module writes the
/// signed request into, where its pieces are, and the error of a refused call.
struct SignState {
    keys: KeyCache,
    input: Vec<u8>,
    out: Vec<u8>,
    meta: [u32; META_LEN],
    error: Option<Error>,
}

/// `meta`: the output's address; the method, request target, timestamp and access key (start,
/// end) in it; the URL to fetch (start, end; `0, 0` for the input URL); 1 for signature v1; 1
/// when the URL to fetch is ASCII (the rest of the output always is: [`Signed`]).
const META_LEN: usize = 13;

static SIGN: SpinMutex<SignState> = SpinMutex::new(SignState {
    keys: KeyCache::new(),
    input: Vec::new(),
    out: Vec::new(),
    meta: [0; META_LEN],
    error: None,
});

/// Runs `f` on the state behind `lock`. The lock is never contended — the module runs on one
/// thread and nothing under a lock calls back into JavaScript — so failing to take it would be a
/// bug: it traps, as a second `RefCell::borrow_mut` would, rather than spin for ever.
fn with_locked<T, R>(lock: &SpinMutex<T>, f: impl FnOnce(&mut T) -> R) -> R {
    match lock.try_lock() {
        Some(mut guard) => f(&mut guard),
        None => core::arch::wasm32::unreachable(),
    }
}

/// Makes the scratch input at least `capacity` bytes long and returns its address, or 0 when the
/// memory cannot be had (`__signError` then says why). The old input is wiped before it is let go
/// (it may hold a secret a call did not get to use).
#[wasm_bindgen(js_name = "__signScratch", skip_typescript)]
pub fn sign_scratch(capacity: usize) -> u32 {
    with_locked(&SIGN, |state| {
        if capacity > state.input.len() {
            state.input.zeroize();
            let mut grown = Vec::new();
            if grown.try_reserve_exact(capacity).is_err() {
                state.error = Some(Error::invalid("url", "is too long to sign"));
                return 0;
            }
            grown.resize(capacity, 0);
            state.input = grown;
        }
        state.input.as_ptr() as usize as u32
    })
}

/// The address of the `meta` words, which say where a signed request's pieces are in the output.
#[wasm_bindgen(js_name = "__signMeta", skip_typescript)]
pub fn sign_meta() -> u32 {
    with_locked(&SIGN, |state| state.meta.as_ptr() as usize as u32)
}

/// The header names of a signed request, from the core, separated by spaces: timestamp, access
/// key, signature v1, signature v2, API key.
#[wasm_bindgen(js_name = "__headerNames", skip_typescript)]
pub fn header_names() -> String {
    let names = [
        headers::TIMESTAMP,
        headers::ACCESS_KEY,
        headers::SIGNATURE_V1,
        headers::SIGNATURE_V2,
        headers::API_KEY,
    ];
    let mut joined = String::with_capacity(128);
    for name in names {
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(name);
    }
    joined
}

/// The module's memory, for the package's JavaScript to write the scratch input.
#[wasm_bindgen(js_name = "__memory", skip_typescript)]
pub fn memory() -> JsValue {
    wasm_bindgen::memory()
}

/// Splits `bytes` (UTF-8, as `TextEncoder.encodeInto` writes it) into fields of `units` UTF-16
/// code units each, then the last field, `last` units: the rest of the bytes. (The URL goes last:
/// the one field that commonly holds other characters than ASCII is then not counted a character
/// at a time.) `None` when they do not add up.
fn split_utf16<const N: usize>(
    bytes: &[u8],
    units: [usize; N],
    last: usize,
) -> Option<([&str; N], &str)> {
    // As many bytes as units: all ASCII.
    let ascii = units.iter().sum::<usize>() + last == bytes.len();
    let mut fields = [""; N];
    let mut rest = bytes;
    for (field, &count) in fields.iter_mut().zip(&units) {
        let len = if ascii {
            count
        } else {
            // Four-byte sequences are two units (a surrogate pair), the others one.
            let mut taken = 0;
            let mut len = 0;
            while taken < count {
                let lead = *rest.get(len)?;
                let (bytes, units) = match lead {
                    0x00..=0x7f => (1, 1),
                    0xc0..=0xdf => (2, 1),
                    0xe0..=0xef => (3, 1),
                    _ => (4, 2),
                };
                len += bytes;
                taken += units;
            }
            len
        };
        let (text, later) = rest.split_at_checked(len)?;
        *field = core::str::from_utf8(text).ok()?;
        rest = later;
    }
    Some((fields, core::str::from_utf8(rest).ok()?))
}

/// `signRequest` from the package's JavaScript, which has read the options (checking their
/// types) and written `method + accessKey + secretKey + apiKey + signatureVersion + timestamp
/// text + url` with one `encodeInto` into the scratch input (`written` bytes; the lengths are
/// in UTF-16 units; -1 for an absent optional, or for the timestamp when it is the number
/// `timestamp`). The one signing path checks and signs; the signed request is in the output, its
/// pieces in `meta`; the length of the string to sign is returned, or -1 when the call is refused
/// (`__signError` gives the error). The scratch input is wiped before returning, whatever the
/// outcome.
#[allow(clippy::too_many_arguments)]
#[wasm_bindgen(js_name = "__sign", skip_typescript)]
pub fn sign_scratched(
    written: usize,
    url: usize,
    method: usize,
    access_key: usize,
    secret_key: usize,
    api_key: i32,
    signature_version: i32,
    timestamp_len: i32,
    timestamp: f64,
) -> i32 {
    with_locked(&SIGN, |state| {
        let SignState {
            keys,
            input,
            out,
            meta,
            error,
        } = state;
        let optional = |len: i32| usize::try_from(len).ok();
        let units = [
            method,
            access_key,
            secret_key,
            optional(api_key).unwrap_or(0),
            optional(signature_version).unwrap_or(0),
            optional(timestamp_len).unwrap_or(0),
        ];
        let used = written.min(input.len());
        let result = match input
            .get(..used)
            .and_then(|bytes| split_utf16(bytes, units, url))
        {
            None => Err(Error::invalid("options", "could not be read")),
            Some(([method, access_key, secret_key, api, version, stamp], url)) => {
                let signed_input = SignInput {
                    timestamp: match optional(timestamp_len) {
                        Some(_) => TimestampInput::Text(stamp),
                        None => TimestampInput::Number(timestamp),
                    },
                    api_key: optional(api_key).map(|_| api),
                    signature_version: optional(signature_version).map(|_| version),
                    host_target: Some(host_request_target),
                    ..SignInput::new(method, url, access_key, secret_key.as_bytes())
                };
                sign_into(keys, &signed_input, out)
            }
        };
        // A plain fill (`memory.fill`), not `zeroize`'s volatile byte-at-a-time stores: the
        // input is the module's static memory, which JavaScript reads and writes, so these stores
        // are observable and no optimizer may drop them (tests/node/memory.test.mjs checks).
        if let Some(used) = input.get_mut(..used) {
            used.fill(0);
        }
        match result {
            Ok(signed) => {
                write_meta(meta, out, &signed);
                i32::try_from(signed.string_to_sign_len).unwrap_or(-1)
            }
            Err(e) => {
                *error = Some(e);
                -1
            }
        }
    })
}

fn write_meta(meta: &mut [u32; META_LEN], out: &[u8], signed: &Signed) {
    let n = |i: usize| i as u32;
    let url = signed.url.clone().unwrap_or(0..0);
    *meta = [
        out.as_ptr() as usize as u32,
        n(signed.method.start),
        n(signed.method.end),
        n(signed.request_target.start),
        n(signed.request_target.end),
        n(signed.timestamp.start),
        n(signed.timestamp.end),
        n(signed.access_key.start),
        n(signed.access_key.end),
        n(url.start),
        n(url.end),
        u32::from(signed.signature_version == SignatureVersion::V1),
        u32::from(out.get(url).is_some_and(|url| url.iter().all(u8::is_ascii))),
    ];
}

/// The error of the last refused `__sign` call, as a thrown `Error`.
#[wasm_bindgen(js_name = "__signError", skip_typescript)]
pub fn sign_error() -> JsValue {
    let error = with_locked(&SIGN, |state| state.error.take());
    to_js(error.unwrap_or_else(|| Error::invalid("options", "could not be read")))
}

/// Wipes what the module keeps of the signing keys: the prepared state (HMAC midstates) of the
/// key in use and the scratch input. Call it when the secret is no longer needed (a form field
/// cleared, a page hidden, a program about to exit); the next signature prepares its key again.
#[wasm_bindgen(js_name = forgetSigningKeys, skip_typescript)]
pub fn forget_signing_keys() {
    with_locked(&SIGN, |state| {
        state.keys.forget();
        state.input.as_mut_slice().zeroize();
        state.error = None;
    });
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
    secret_key: Zeroizing<String>,
    api_key: Option<String>,
}

impl Keys {
    fn read(o: &Options<'_>) -> Result<Self, Error> {
        Ok(Keys {
            access_key: o.string("accessKey")?,
            secret_key: Zeroizing::new(o.string("secretKey")?),
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
pub fn parse_fast(body: &[u8], format: u8, status: u16, answer: u8) -> JsResult<js_sys::JsString> {
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
    normalized_text(body, &ParseOptions { format, status }, kind).map_err(to_js)
}

/// The pieces of a long answer's text, joined as JavaScript strings as soon as they are written
/// (a rope: the engine flattens it once, in `JSON.parse`), so that the module's memory holds one
/// piece at a time: it never shrinks once grown. A short answer has no piece.
#[derive(Default)]
struct Pieces(Option<js_sys::JsString>);

impl TextSink for Pieces {
    fn piece(&mut self, text: &str) {
        let text = js_sys::JsString::from(text);
        self.0 = Some(match self.0.take() {
            None => text,
            Some(before) => before.concat(&text),
        });
    }

    fn discard(&mut self) {
        self.0 = None;
    }
}

/// The answer's normalized JSON text, one JavaScript string for the host's `JSON.parse`.
fn normalized_text(
    body: &str,
    options: &ParseOptions,
    kind: ncloud_redis_flush::model::AnswerKind,
) -> Result<js_sys::JsString, Error> {
    let mut pieces = Pieces::default();
    let head = js_sys::JsString::from(parse_answer_json_in_pieces(
        body,
        options,
        kind,
        &mut pieces,
    )?);
    Ok(match pieces.0 {
        None => head,
        Some(rest) => head.concat(&rest),
    })
}

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` of a JavaScript string (js-sys's takes a Rust one).
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &js_sys::JsString) -> Result<JsValue, JsValue>;
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
pub fn parse_buffered(
    len: usize,
    format: u8,
    status: u16,
    answer: u8,
) -> JsResult<js_sys::JsString> {
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
    let json = normalized_text(&body, &ParseOptions { format, status }, kind)?;
    // The host's JSON.parse builds the objects faster than property-by-property calls would.
    json_parse(&json)
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
