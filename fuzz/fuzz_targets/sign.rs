//! Structured options for `sign_request` and `build_flush_request`.
//!
//! - nothing panics;
//! - a refusal is an `input` error naming one of the options, and neither its `Display` nor its
//!   `Debug` text (nor the `Debug` text of the options) contains the secret key;
//! - a signature equals base64(HMAC-SHA256(secret, "METHOD target\ntimestamp\naccessKey")),
//!   computed here with the `hmac` and `sha2` crates directly (not through `SigningKey`), and
//!   `SigningKey::verify` accepts it; the headers carry exactly the signed values;
//! - a flush request goes to the endpoint, with the instance number and format in the signed
//!   query (or in the unsigned form body when asked).
#![no_main]

use arbitrary::Arbitrary;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use libfuzzer_sys::fuzz_target;
use ncloud_redis_flush::signing::request_target::split_url;
use ncloud_redis_flush::{
    build_flush_request, sign_request, ApiMethod, CallOptions, Endpoint, Error, ErrorKind,
    FlushRequest, Format, ParamsIn, SignRequest, SignatureVersion, Signer, SigningKey, Timestamp,
};

/// A string: as the fuzzer gives it, or one of a few plausible values (so that the checks past
/// validation are reached often).
#[derive(Arbitrary, Debug)]
enum Text<'a> {
    Raw(&'a str),
    Pick(u8),
}

impl<'a> Text<'a> {
    fn get(&self, choices: &[&'a str]) -> &'a str {
        match self {
            Text::Raw(s) => s,
            Text::Pick(i) => choices
                .get(usize::from(*i) % choices.len().max(1))
                .copied()
                .unwrap_or(""),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum EndpointIn<'a> {
    Public,
    Gov,
    Fin,
    Custom(Text<'a>),
}

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    flush: bool,
    method: Text<'a>,
    url: Text<'a>,
    timestamp: u64,
    timestamp_in_range: bool,
    access_key: Text<'a>,
    /// The secret is "🔑" + this, so it is recognisable in any text; or empty.
    secret: &'a str,
    secret_empty: bool,
    api_key: Option<Text<'a>>,
    v1: bool,
    instance_no: Text<'a>,
    xml: bool,
    get: bool,
    body: bool,
    endpoint: EndpointIn<'a>,
}

const METHODS: &[&str] = &[
    "GET", "post", "Put", "DELETE", "patch", "OPTIONS", "HEAD", "CONNECT",
];
const URLS: &[&str] = &[
    "/clouddb/v2/flushCloudDBInstance?cloudDBInstanceNo=882689&responseFormatType=json",
    "https://ncloud.apigw.ntruss.com/clouddb/v2/flushCloudDBInstance",
    "/a b/./c/../d?x=y z&k=é#top",
    "http://127.0.0.1:8080\\a\\..\\b?",
    "/.//x",
    "  /%2e%2E/q?\"'<>  ",
];
const KEYS: &[&str] = &["AK", "Y0Z9EG0lKoeWAQCSHRtM", "gw-key", "a\u{7e}b!"];
const INSTANCES: &[&str] = &["1", "882689", "9223372036854775807", "0", ""];
const ENDPOINTS: &[&str] = &[
    "http://127.0.0.1:8080",
    "https://proxy.example/ncloud/",
    "https://[::1]:443/a/../b",
];

/// The signature computed without the crate: HMAC-SHA256 by the `hmac` crate, then base64.
fn reference_signature(secret: &str, string_to_sign: &str) -> String {
    let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()) else {
        panic!("HMAC takes keys of any length");
    };
    mac.update(string_to_sign.as_bytes());
    BASE64.encode(mac.finalize().into_bytes())
}

/// Asserts that no text contains the secret, raw or as `Debug` escapes it, unless a non-secret
/// input already holds it (an error may quote a non-secret value).
fn assert_no_secret(secret: &str, others: &[&str], texts: &[String]) {
    if secret.is_empty() {
        return;
    }
    let escaped = format!("{secret:?}");
    let escaped = escaped.trim_matches('"');
    // An error or `Debug` text may quote a non-secret input, raw or escaped, and an escape can
    // make the secret appear (`\` + `0` in an access key's `Debug` form reads as `\0`).
    let held = others.iter().any(|o| {
        let debug = format!("{o:?}");
        [*o, debug.as_str()]
            .iter()
            .any(|t| t.contains(secret) || t.contains(escaped))
    });
    if held {
        return;
    }
    for text in texts {
        assert!(
            !text.contains(secret) && !text.contains(escaped),
            "the secret {secret:?} leaked in: {text}"
        );
    }
}

fn check_error(err: &Error, fields: &[&str]) {
    assert_eq!(err.kind(), ErrorKind::Input, "{err:?}");
    let field = err.field().unwrap_or_else(|| panic!("no field: {err:?}"));
    assert!(fields.contains(&field), "{err:?}");
    assert!(err.to_string().contains(&format!("`{field}`")), "{err}");
}

fuzz_target!(|input: Input<'_>| {
    let secret_owned = if input.secret_empty {
        String::new()
    } else {
        format!("\u{1F511}{}", input.secret)
    };
    let secret = secret_owned.as_str();
    let method = input.method.get(METHODS);
    let url = input.url.get(URLS);
    let access_key = input.access_key.get(KEYS);
    let api_key = input.api_key.as_ref().map(|t| t.get(KEYS));
    let version = if input.v1 {
        SignatureVersion::V1
    } else {
        SignatureVersion::V2
    };
    let millis = if input.timestamp_in_range {
        input.timestamp % (ncloud_redis_flush::signing::MAX_TIMESTAMP + 1)
    } else {
        input.timestamp
    };
    let timestamp = match Timestamp::from_millis(millis) {
        Ok(t) => t,
        Err(e) => {
            check_error(&e, &["timestamp"]);
            assert!(millis > ncloud_redis_flush::signing::MAX_TIMESTAMP);
            return;
        }
    };
    assert_eq!(Timestamp::parse(&millis.to_string()), Ok(timestamp));

    if !input.flush {
        let request = SignRequest {
            method,
            url,
            timestamp,
            access_key,
            secret_key: secret,
            api_key,
            signature_version: version,
        };
        let others = [method, url, access_key, api_key.unwrap_or("")];
        let mut texts = vec![format!("{request:?}")];
        match sign_request(&request) {
            Err(e) => {
                check_error(&e, &["method", "url", "accessKey", "secretKey", "apiKey"]);
                texts.push(e.to_string());
                texts.push(format!("{e:?}"));
            }
            Ok(signed) => {
                let target = split_url(url, "url")
                    .unwrap_or_else(|e| panic!("signed a URL split_url refuses: {e}"))
                    .request_target;
                let upper = method.to_ascii_uppercase();
                let sts = format!("{upper} {target}\n{millis}\n{access_key}");
                assert_eq!(signed.method, upper);
                assert_eq!(signed.request_target, target);
                assert_eq!(signed.string_to_sign, sts);
                assert_eq!(signed.signature, reference_signature(secret, &sts));
                assert!(SigningKey::new(secret).verify(&sts, &signed.signature));
                assert_eq!(
                    signed.header("x-ncp-apigw-timestamp"),
                    Some(millis.to_string().as_str())
                );
                assert_eq!(signed.header("x-ncp-iam-access-key"), Some(access_key));
                assert_eq!(
                    signed.header(version.header_name()),
                    Some(signed.signature.as_str())
                );
                assert_eq!(signed.header("x-ncp-apigw-api-key"), api_key);
                assert_eq!(signed.headers.0.len(), 3 + usize::from(api_key.is_some()));
                let signer = Signer::new(access_key, secret)
                    .unwrap_or_else(|e| panic!("signed, yet Signer::new refuses: {e}"));
                assert_eq!(
                    signer
                        .sign(method, url, timestamp, api_key, version)
                        .as_ref(),
                    Ok(&signed)
                );
                texts.push(format!("{signed:?}"));
                texts.push(format!("{signer:?}"));
                // Every text but the signature and string to sign, which hold no secret by
                // construction (an HMAC and the inputs).
            }
        }
        assert_no_secret(secret, &others, &texts);
        return;
    }

    let instance_no = input.instance_no.get(INSTANCES);
    let endpoint_text;
    let endpoint = match &input.endpoint {
        EndpointIn::Public => Endpoint::Public,
        EndpointIn::Gov => Endpoint::Gov,
        EndpointIn::Fin => Endpoint::Fin,
        EndpointIn::Custom(t) => {
            endpoint_text = t.get(ENDPOINTS);
            match Endpoint::parse(endpoint_text) {
                Ok(e) => e,
                Err(e) => {
                    check_error(&e, &["endpoint"]);
                    return;
                }
            }
        }
    };
    let base = endpoint.base_url().to_owned();
    let format = if input.xml { Format::Xml } else { Format::Json };
    let request = FlushRequest {
        cloud_db_instance_no: instance_no,
        response_format_type: format,
        call: CallOptions {
            method: if input.get {
                ApiMethod::Get
            } else {
                ApiMethod::Post
            },
            params_in: if input.body {
                ParamsIn::Body
            } else {
                ParamsIn::Query
            },
            endpoint,
            timestamp,
            access_key,
            secret_key: secret,
            api_key,
            signature_version: version,
        },
    };
    let others = [
        instance_no,
        base.as_str(),
        access_key,
        api_key.unwrap_or(""),
    ];
    let mut texts = vec![format!("{request:?}")];
    match build_flush_request(&request) {
        Err(e) => {
            check_error(
                &e,
                &[
                    "cloudDBInstanceNo",
                    "accessKey",
                    "secretKey",
                    "apiKey",
                    "paramsIn",
                    "endpoint",
                ],
            );
            texts.push(e.to_string());
            texts.push(format!("{e:?}"));
        }
        Ok(http) => {
            let params = format!(
                "cloudDBInstanceNo={instance_no}&responseFormatType={}",
                format.as_str()
            );
            let mut expected_url = format!("{base}/clouddb/v2/flushCloudDBInstance");
            if input.body {
                assert!(!input.get);
                assert_eq!(http.body.as_deref(), Some(params.as_str()));
                assert_eq!(
                    http.headers.get("content-type"),
                    Some("application/x-www-form-urlencoded")
                );
            } else {
                assert_eq!(http.body, None);
                expected_url.push('?');
                expected_url.push_str(&params);
            }
            let split =
                split_url(&expected_url, "url").unwrap_or_else(|e| panic!("{expected_url}: {e}"));
            assert_eq!(http.url, split.to_url());
            let upper = if input.get { "GET" } else { "POST" };
            assert_eq!(http.method, upper);
            let sts = format!("{upper} {}\n{millis}\n{access_key}", split.request_target);
            let signature = http
                .headers
                .get(version.header_name())
                .unwrap_or_else(|| panic!("no signature header: {http:?}"));
            assert_eq!(signature, reference_signature(secret, &sts));
            assert!(SigningKey::new(secret).verify(&sts, signature));
            assert_eq!(http.headers.get("x-ncp-apigw-api-key"), api_key);
            texts.push(format!("{http:?}"));
        }
    }
    assert_no_secret(secret, &others, &texts);
});
