//! The JavaScript API inside a JavaScript host: one module, run by `tests/wasm_node.rs` in Node
//! and by `tests/wasm_browser.rs` in headless Chromium (`wasm-pack test`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use js_sys::{Array, Object, Reflect, JSON};
use ncloud_redis_flush_wasm::{build_flush_request, parse_flush_response, sign_request};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const VECTORS: &str = include_str!("../../../tests/vectors/signature-vectors.json");
const SECRET: &str = "S3CR3T-zebra-quokka-9f8e7d";

fn fixture(name: &str) -> &'static str {
    match name {
        "flush-response.json" => include_str!("../../../tests/fixtures/flush-response.json"),
        "flush-response.xml" => include_str!("../../../tests/fixtures/flush-response.xml"),
        "flush-response-loose.json" => {
            include_str!("../../../tests/fixtures/flush-response-loose.json")
        }
        "flush-response-loose.expected.json" => {
            include_str!("../../../tests/fixtures/flush-response-loose.expected.json")
        }
        "flush-response-edge.xml" => {
            include_str!("../../../tests/fixtures/flush-response-edge.xml")
        }
        "flush-response-edge.expected.json" => {
            include_str!("../../../tests/fixtures/flush-response-edge.expected.json")
        }
        "error-common.json" => include_str!("../../../tests/fixtures/error-common.json"),
        "error-common.xml" => include_str!("../../../tests/fixtures/error-common.xml"),
        "error-gateway-auth.json" => {
            include_str!("../../../tests/fixtures/error-gateway-auth.json")
        }
        "error-gateway-permission.json" => {
            include_str!("../../../tests/fixtures/error-gateway-permission.json")
        }
        "error-returncode.json" => include_str!("../../../tests/fixtures/error-returncode.json"),
        "error-http-502.html" => include_str!("../../../tests/fixtures/error-http-502.html"),
        other => panic!("no fixture {other}"),
    }
}

fn json(text: &str) -> JsValue {
    JSON::parse(text).unwrap()
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).unwrap()
}

fn get_str(value: &JsValue, key: &str) -> String {
    get(value, key)
        .as_string()
        .unwrap_or_else(|| panic!("{key} is not a string"))
}

fn stringify(value: &JsValue) -> String {
    JSON::stringify(value).unwrap().as_string().unwrap()
}

/// Deep equality through a canonical JSON text (keys sorted).
fn canonical(value: &JsValue) -> String {
    fn sort(value: &JsValue) -> JsValue {
        if Array::is_array(value) {
            let arr: Array = value.clone().unchecked_into();
            return arr.map(&mut |v, _, _| sort(&v)).into();
        }
        if value.is_object() {
            let keys = Object::keys(value.unchecked_ref::<Object>());
            keys.sort();
            let out = Object::new();
            for key in keys.iter() {
                Reflect::set(&out, &key, &sort(&Reflect::get(value, &key).unwrap())).unwrap();
            }
            return out.into();
        }
        value.clone()
    }
    stringify(&sort(value))
}

fn options(pairs: &[(&str, JsValue)]) -> JsValue {
    let obj = Object::new();
    for (k, v) in pairs {
        Reflect::set(&obj, &JsValue::from_str(k), v).unwrap();
    }
    obj.into()
}

fn sign(opts: &JsValue) -> Result<JsValue, JsValue> {
    sign_request(opts.unchecked_ref())
}

fn build(opts: &JsValue) -> Result<JsValue, JsValue> {
    build_flush_request(opts.unchecked_ref())
}

fn parse(body: &str, status: Option<u16>) -> Result<JsValue, JsValue> {
    let opts = status.map(|s| options(&[("status", JsValue::from(s))]).unchecked_into());
    parse_flush_response(JsValue::from_str(body), opts)
}

/// Checks that `thrown` is an `Error` with `kind` and `code`, and returns `(kind, code)`.
fn error_parts(thrown: &JsValue) -> (String, String) {
    assert!(
        thrown.is_instance_of::<js_sys::Error>(),
        "not an Error: {thrown:?}"
    );
    (get_str(thrown, "kind"), get_str(thrown, "code"))
}

#[wasm_bindgen_test]
fn signs_every_vector() {
    check_vectors();
}

fn check_vectors() {
    let vectors = get(&json(VECTORS), "vectors");
    let list: Array = vectors.unchecked_into();
    assert_eq!(list.length(), 8);
    for v in list.iter() {
        let signed = sign(&v).unwrap();
        assert_eq!(get_str(&signed, "signature"), get_str(&v, "signature"));
        assert_eq!(
            get_str(&signed, "requestTarget"),
            get_str(&v, "signedPathAndQuery")
        );
        assert_eq!(
            get_str(&signed, "stringToSign"),
            get_str(&v, "stringToSign")
        );
        assert_eq!(
            get_str(&signed, "method"),
            get_str(&v, "method").to_uppercase()
        );
        let headers = get(&signed, "headers");
        assert_eq!(
            get_str(&headers, "x-ncp-apigw-signature-v2"),
            get_str(&v, "signature")
        );
        assert_eq!(
            get_str(&headers, "x-ncp-apigw-timestamp"),
            get_str(&v, "timestamp")
        );
        assert_eq!(
            get_str(&headers, "x-ncp-iam-access-key"),
            get_str(&v, "accessKey")
        );
        assert_eq!(Object::keys(headers.unchecked_ref::<Object>()).length(), 3);
        // The timestamp as a number signs the same.
        let as_number = Object::assign(&Object::new(), v.unchecked_ref());
        let ms: f64 = get_str(&v, "timestamp").parse().unwrap();
        Reflect::set(&as_number, &"timestamp".into(), &JsValue::from(ms)).unwrap();
        assert_eq!(
            get_str(&sign(&as_number).unwrap(), "signature"),
            get_str(&v, "signature")
        );
    }
}

/// The request target must be what the host's own URL parser serializes: `href` without the
/// origin and the fragment.
#[wasm_bindgen_test]
fn request_target_equals_the_hosts_url_parser() {
    let base = "https://ncloud.apigw.ntruss.com/";
    let mut inputs: Vec<String> = [
        "/",
        "/a b",
        "/a/./b/../c",
        "/%2e%2E/x",
        "/a/b/..",
        "/a/b/.",
        "\\a\\b?c\\d",
        "/?",
        "/x?#frag",
        "/é/ü?ß=∑",
        "/\"<>`{}|^[]@!$&'()*+,;=:~",
        "/x?\"<>`{}|^[]@!$&'()*+,;=:~ '",
        "  /trim\t\n  ",
        "/%zz%",
        "/😀?😀",
        "https://h.example",
        "https://h.example?",
        "HTTPS://H.example:8443\\a/../b?q=1#x",
        "http://[::1]:8080/x y",
        "https:\\\\h.example\\p",
        "/a\u{7f}b?\u{1}c",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Deterministic random strings from a palette of characters that stress every rule.
    let palette: Vec<char> = "/\\.?#%2eEaZ09 \"'<>`{}|^~!$&()*+,;=:@[]é😀\u{7f}\u{1}\t"
        .chars()
        .collect();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..2000 {
        let mut s = String::from("/");
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let len = (seed % 24) as usize;
        for _ in 0..len {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            s.push(palette[(seed % palette.len() as u64) as usize]);
        }
        inputs.push(s);
    }
    let mut checked = 0;
    for input in &inputs {
        let ours = ncloud_redis_flush::signing::request_target::split_url(input, "url");
        let host = web_sys::Url::new_with_base(input, base);
        let split = match (ours, host) {
            (Ok(split), Ok(url)) => (split, url),
            (Ok(_), Err(_)) => panic!("we accept {input:?}, the host's URL parser refuses it"),
            // Refused on purpose: `//host` and `/\host` name a host without a scheme.
            (Err(e), _) => {
                let t = input.trim_start_matches(|c: char| c <= ' ');
                assert!(
                    t.starts_with("//") || t.starts_with("/\\") || t.starts_with("\\"),
                    "{input:?}: {e}"
                );
                continue;
            }
        };
        let (ours, url) = split;
        let href = url.href();
        let origin = url.origin();
        let without_origin = href.strip_prefix(&origin).unwrap_or_else(|| {
            panic!("{input:?}: href {href:?} does not start with origin {origin:?}")
        });
        let expected = without_origin.split('#').next().unwrap();
        // The core follows the URL Standard; hosts agree with it except where `is_contested`.
        if !ncloud_redis_flush::signing::request_target::is_contested(&ours.request_target) {
            assert_eq!(ours.request_target, expected, "core, input {input:?}");
        }
        // The JavaScript API signs exactly what this host's fetch sends, always.
        let signed = sign(&options(&[
            ("method", "GET".into()),
            ("url", input.as_str().into()),
            ("timestamp", JsValue::from(1.0)),
            ("accessKey", "AK".into()),
            ("secretKey", "SK".into()),
        ]))
        .unwrap();
        assert_eq!(
            get_str(&signed, "requestTarget"),
            expected,
            "signRequest, input {input:?}"
        );
        assert!(get_str(&signed, "stringToSign").starts_with(&format!("GET {expected}\n")));
        checked += 1;
    }
    assert!(checked > 1900, "only {checked} inputs compared");
}

#[wasm_bindgen_test]
fn builds_a_signed_flush_request() {
    let r = build(&options(&[
        ("cloudDBInstanceNo", "882689".into()),
        ("method", "get".into()),
        ("timestamp", JsValue::from(1546221796556.0)),
        ("accessKey", "Y0Z9EG0lKoeWAQCSHRtM".into()),
        (
            "secretKey",
            "TESTSECRETKEY0123456789abcdefghijklmnopq".into(),
        ),
    ]))
    .unwrap();
    assert_eq!(get_str(&r, "method"), "GET");
    assert_eq!(
        get_str(&r, "url"),
        "https://ncloud.apigw.ntruss.com/clouddb/v2/flushCloudDBInstance?cloudDBInstanceNo=882689&responseFormatType=json"
    );
    assert_eq!(
        get_str(&get(&r, "headers"), "x-ncp-apigw-signature-v2"),
        "/3FZSr2hZ6RvF8XDHCUaY+nD8HpuX0A9pCfZcYMBp7s="
    );
    assert!(get(&r, "body").is_undefined());
    let r = build(&options(&[
        ("cloudDBInstanceNo", "882689".into()),
        ("paramsIn", "body".into()),
        ("endpoint", "http://127.0.0.1:8080".into()),
        ("responseFormatType", "xml".into()),
        ("timestamp", "1".into()),
        ("accessKey", "AK".into()),
        ("secretKey", SECRET.into()),
    ]))
    .unwrap();
    assert_eq!(get_str(&r, "method"), "POST");
    assert_eq!(
        get_str(&r, "url"),
        "http://127.0.0.1:8080/clouddb/v2/flushCloudDBInstance"
    );
    assert_eq!(
        get_str(&r, "body"),
        "cloudDBInstanceNo=882689&responseFormatType=xml"
    );
    assert_eq!(
        get_str(&get(&r, "headers"), "content-type"),
        "application/x-www-form-urlencoded"
    );
}

/// The shipped route (the answer normalized to JSON text in the module, objects made by the
/// host's `JSON.parse`) builds the same objects as serde-wasm-bindgen does from the typed answer
/// property by property — the route bench/RESULTS.md measured slower and did not ship.
#[wasm_bindgen_test]
fn objects_equal_serde_wasm_bindgens_from_the_typed_answer() {
    use serde::Serialize;
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    for name in [
        "flush-response.json",
        "flush-response.xml",
        "flush-response-loose.json",
        "flush-response-edge.xml",
    ] {
        let ours = parse(fixture(name), None).unwrap();
        let typed = ncloud_redis_flush::parse_flush_response(fixture(name), &Default::default())
            .unwrap()
            .serialize(&serializer)
            .unwrap();
        assert_eq!(canonical(&ours), canonical(&typed), "{name}");
    }
}

#[wasm_bindgen_test]
fn parses_every_fixture() {
    let seed = parse(fixture("flush-response.json"), Some(200)).unwrap();
    let expected = get(
        &json(fixture("flush-response.json")),
        "flushCloudDBInstanceResponse",
    );
    Reflect::set(&expected, &"returnCode".into(), &JsValue::from(0)).unwrap();
    assert_eq!(canonical(&seed), canonical(&expected));
    let memory = get(&get(&get(&seed, "cloudDBInstanceList"), "0"), "memorySize");
    assert_eq!(memory.as_f64(), Some(3221225472.0));

    let xml = parse(fixture("flush-response.xml"), None).unwrap();
    Reflect::set(
        &expected,
        &"requestId".into(),
        &"3c1d7d0a-5b8e-4b4e-9f55-2f0d6c3c1a11".into(),
    )
    .unwrap();
    assert_eq!(canonical(&xml), canonical(&expected));

    for (body, want) in [
        (
            "flush-response-loose.json",
            "flush-response-loose.expected.json",
        ),
        (
            "flush-response-edge.xml",
            "flush-response-edge.expected.json",
        ),
    ] {
        assert_eq!(
            canonical(&parse(fixture(body), None).unwrap()),
            canonical(&json(fixture(want))),
            "{body}"
        );
    }
}

#[wasm_bindgen_test]
fn error_bodies_throw_errors_with_kind_and_code() {
    for (file, status, kind, code) in [
        ("error-common.json", 500, "api", "1000"),
        ("error-common.xml", 400, "api", "800"),
        ("error-gateway-auth.json", 401, "gateway", "200"),
        ("error-gateway-permission.json", 401, "gateway", "210"),
        ("error-returncode.json", 200, "api", "1200"),
        ("error-http-502.html", 502, "http", "ERR_HTTP_STATUS"),
    ] {
        let thrown = parse(fixture(file), Some(status)).unwrap_err();
        assert_eq!(
            error_parts(&thrown),
            (kind.to_owned(), code.to_owned()),
            "{file}"
        );
        assert_eq!(
            get(&thrown, "httpStatus").as_f64(),
            Some(f64::from(status)),
            "{file}"
        );
    }
    let thrown = parse(fixture("error-gateway-auth.json"), Some(401)).unwrap_err();
    assert_eq!(
        get_str(&thrown, "details"),
        "Invalid authentication information."
    );
    assert_eq!(get_str(&thrown, "name"), "NcloudRedisFlushError");
}

/// Calls every export with wrong types and shapes; each must throw an Error with kind and code.
fn bad_calls() -> Vec<(Result<JsValue, JsValue>, &'static str, &'static str)> {
    let good = || {
        vec![
            ("method", JsValue::from("GET")),
            ("url", JsValue::from("/x")),
            ("timestamp", JsValue::from(1.0)),
            ("accessKey", JsValue::from("AK")),
            ("secretKey", JsValue::from(SECRET)),
        ]
    };
    let with = |key: &'static str, value: JsValue| {
        let mut pairs = good();
        pairs.retain(|(k, _)| *k != key);
        pairs.push((key, value));
        options(&pairs)
    };
    let without = |key: &'static str| {
        let mut pairs = good();
        pairs.retain(|(k, _)| *k != key);
        options(&pairs)
    };
    let ten_mb = "[".repeat(10 << 20);
    vec![
        (sign(&JsValue::UNDEFINED), "input", "ERR_INVALID_ARG_TYPE"),
        (sign(&JsValue::NULL), "input", "ERR_INVALID_ARG_TYPE"),
        (
            sign(&JsValue::from("GET /x")),
            "input",
            "ERR_INVALID_ARG_TYPE",
        ),
        (sign(&Array::new().into()), "input", "ERR_INVALID_ARG_TYPE"),
        (sign(&without("accessKey")), "input", "ERR_MISSING_ARG"),
        (
            sign(&with("secretKey", "".into())),
            "input",
            "ERR_MISSING_ARG",
        ),
        (
            sign(&with("secretKey", JsValue::from(42))),
            "input",
            "ERR_INVALID_ARG_TYPE",
        ),
        (
            sign(&with("url", JsValue::from(1))),
            "input",
            "ERR_INVALID_ARG_TYPE",
        ),
        (
            sign(&with("url", "::garbage::".into())),
            "input",
            "ERR_INVALID_ARG_VALUE",
        ),
        (
            sign(&with("method", "GE T".into())),
            "input",
            "ERR_INVALID_ARG_VALUE",
        ),
        (sign(&with("method", "".into())), "input", "ERR_MISSING_ARG"),
        (
            sign(&with("timestamp", JsValue::from(f64::NAN))),
            "input",
            "ERR_INVALID_ARG_VALUE",
        ),
        (
            sign(&with("timestamp", JsValue::from(-1))),
            "input",
            "ERR_INVALID_ARG_VALUE",
        ),
        (
            sign(&with("timestamp", JsValue::from(1.5))),
            "input",
            "ERR_INVALID_ARG_VALUE",
        ),
        (
            sign(&with("timestamp", JsValue::from(9007199254740992.0))),
            "input",
            "ERR_INVALID_ARG_VALUE",
        ),
        (
            sign(&with("timestamp", "12x".into())),
            "input",
            "ERR_INVALID_ARG_VALUE",
        ),
        (
            sign(&with("timestamp", JsValue::TRUE)),
            "input",
            "ERR_INVALID_ARG_TYPE",
        ),
        (
            sign(&with("timestamp", Object::new().into())),
            "input",
            "ERR_INVALID_ARG_TYPE",
        ),
        (sign(&without("timestamp")), "input", "ERR_MISSING_ARG"),
        (
            sign(&with("signatureVersion", "v3".into())),
            "input",
            "ERR_INVALID_ARG_VALUE",
        ),
        (
            sign(&with("apiKey", "".into())),
            "input",
            "ERR_INVALID_ARG_VALUE",
        ),
        (
            build(&with("cloudDBInstanceNo", JsValue::from(882689))),
            "input",
            "ERR_INVALID_ARG_TYPE",
        ),
        (
            build(&with("cloudDBInstanceNo", "88 2689".into())),
            "input",
            "ERR_INVALID_ARG_VALUE",
        ),
        (
            build(&with("cloudDBInstanceNo", "".into())),
            "input",
            "ERR_MISSING_ARG",
        ),
        (
            build(&good_flush("method", "DELETE".into())),
            "input",
            "ERR_INVALID_ARG_VALUE",
        ),
        (
            build(&good_flush("endpoint", "moon".into())),
            "input",
            "ERR_INVALID_ARG_VALUE",
        ),
        (
            build(&good_flush("paramsIn", "header".into())),
            "input",
            "ERR_INVALID_ARG_VALUE",
        ),
        (
            build(&good_flush("responseFormatType", "yaml".into())),
            "input",
            "ERR_INVALID_ARG_VALUE",
        ),
        (
            parse_flush_response(JsValue::from(5), None),
            "input",
            "ERR_INVALID_ARG_TYPE",
        ),
        (
            parse_flush_response(JsValue::NULL, None),
            "input",
            "ERR_INVALID_ARG_TYPE",
        ),
        (
            parse_flush_response("{}".into(), Some(JsValue::from("json").unchecked_into())),
            "input",
            "ERR_INVALID_ARG_TYPE",
        ),
        (
            parse_flush_response(
                "{}".into(),
                Some(options(&[("format", "yaml".into())]).unchecked_into()),
            ),
            "input",
            "ERR_INVALID_ARG_VALUE",
        ),
        (
            parse_flush_response(
                "{}".into(),
                Some(options(&[("status", JsValue::from(2.5))]).unchecked_into()),
            ),
            "input",
            "ERR_INVALID_ARG_VALUE",
        ),
        (parse(&ten_mb, None), "parse", "ERR_TOO_DEEP"),
        (
            parse("<!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>", None),
            "parse",
            "ERR_XML_DTD",
        ),
        (parse("{\"nope\":1}", None), "parse", "ERR_UNKNOWN_ROOT"),
    ]
}

fn good_flush(key: &'static str, value: JsValue) -> JsValue {
    let mut pairs = vec![
        ("cloudDBInstanceNo", JsValue::from("1")),
        ("timestamp", JsValue::from(1.0)),
        ("accessKey", JsValue::from("AK")),
        ("secretKey", JsValue::from(SECRET)),
    ];
    pairs.push((key, value));
    options(&pairs)
}

#[wasm_bindgen_test]
fn bad_inputs_throw_and_never_show_the_secret() {
    for (i, (result, kind, code)) in bad_calls().into_iter().enumerate() {
        let thrown = result.expect_err(&format!("bad call {i} returned"));
        assert_eq!(
            error_parts(&thrown),
            (kind.to_owned(), code.to_owned()),
            "bad call {i}: {:?}",
            get(&thrown, "message")
        );
        if code == "ERR_INVALID_ARG_TYPE" {
            assert!(thrown.is_instance_of::<js_sys::TypeError>(), "bad call {i}");
        }
        if kind == "input" {
            assert!(
                get(&thrown, "field").is_string(),
                "bad call {i} names no field"
            );
        }
        // Every own property, the message and the stack.
        let mut texts = vec![
            get_str(&thrown, "message"),
            get(&thrown, "stack").as_string().unwrap_or_default(),
        ];
        for key in Object::get_own_property_names(thrown.unchecked_ref::<Object>()).iter() {
            texts.push(format!("{:?}", Reflect::get(&thrown, &key).unwrap()));
        }
        for text in texts {
            assert!(
                !text.contains(SECRET) && !text.contains("zebra"),
                "bad call {i} leaked the secret: {text}"
            );
        }
    }
}

#[wasm_bindgen_test]
fn ten_thousand_bad_calls_leave_the_instance_signing() {
    let garbage = [
        JsValue::UNDEFINED,
        JsValue::NULL,
        JsValue::from(f64::NAN),
        JsValue::from("x"),
        Array::of2(&JsValue::from(1), &JsValue::from(2)).into(),
        options(&[("method", JsValue::from(1)), ("url", JsValue::NULL)]),
        options(&[
            ("method", "GET".into()),
            ("url", "\u{0}".into()),
            ("timestamp", JsValue::from(-0.0)),
        ]),
    ];
    let mut failures = 0;
    for i in 0..10_000 {
        let g = &garbage[i % garbage.len()];
        failures += usize::from(sign(g).is_err());
        failures += usize::from(build(g).is_err());
        failures += usize::from(parse_flush_response(g.clone(), None).is_err());
    }
    assert_eq!(failures, 30_000);
    check_vectors();
}
