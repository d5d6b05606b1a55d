//! Regression tests: one per crash the fuzz targets found (tests/FUZZING.md), with the input
//! the fuzzer reported, reduced by hand.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use ncloud_redis_flush::parse::parse_flush_response_json;
use ncloud_redis_flush::signing::request_target::split_url;
use ncloud_redis_flush::*;

fn ts(ms: u64) -> Timestamp {
    Timestamp::from_millis(ms).unwrap()
}

/// fuzz/request_target: `/.//evil.example/x` has the request target `//evil.example/x`, and
/// `to_url()` returned just that: a scheme-relative URL, which `fetch` sends (with the signed
/// headers) to the host `evil.example`. Crash input: `/.//evil.example/x`.
#[test]
fn a_path_resolving_to_a_double_slash_keeps_the_callers_host() {
    for (input, target) in [
        ("/.//evil.example/x", "//evil.example/x"),
        ("/..//evil.example/x", "//evil.example/x"),
        ("/a/..//evil.example/x?q", "//evil.example/x?q"),
        ("\\.\\\\evil.example", "//evil.example"),
        ("/%2e//evil.example", "//evil.example"),
    ] {
        let split = split_url(input, "url").unwrap();
        assert_eq!(split.request_target, target, "{input}");
        let url = split.to_url();
        assert!(!url.starts_with("//"), "{input} -> {url}");
        assert_eq!(url, format!("/.{target}"));
        // The URL resolves to the same request target (idempotence, what the fuzzer checks).
        assert_eq!(split_url(&url, "url").unwrap(), split, "{input}");
        // And what is signed is what is sent.
        let signed = sign_request(&SignRequest {
            method: "GET",
            url: input,
            timestamp: ts(1),
            access_key: "AK",
            secret_key: "SK",
            api_key: None,
            signature_version: SignatureVersion::V2,
        })
        .unwrap();
        assert_eq!(signed.url, url);
        assert_eq!(signed.request_target, target);
    }
    // With an origin the URL is absolute already: nothing to add.
    let split = split_url("https://h.example/.//evil.example/x", "url").unwrap();
    assert_eq!(split.to_url(), "https://h.example//evil.example/x");
    assert_eq!(split_url(&split.to_url(), "url").unwrap(), split);
}

/// fuzz/parse_json: a lone surrogate escape (`"\ud83d"` without its low half) was copied as
/// written into the normalized JSON, which `parse_flush_response` (serde) then refused with
/// "normalized answer unreadable", while `parse_flush_response_json` succeeded. The JSON reader
/// reads a lone surrogate as U+FFFD; the output now says so. Crash input: the loose fixture with
/// `"caf\u00e9 \"prod83d\ude80"` (a high surrogate lost its escape, the low one stayed).
#[test]
fn a_lone_surrogate_escape_reads_as_the_replacement_character() {
    for (escaped, expected) in [
        (r#"caf\u00e9 \"prod83d\ude80"#, "café \"prod83d\u{fffd}"),
        (r"\ud800", "\u{fffd}"),
        (r"\ud800x\udc00", "\u{fffd}x\u{fffd}"),
        (r"\ud83d\ude80", "🚀"),
        (r"\ufffd\u0001", "\u{fffd}\u{1}"),
    ] {
        let body = format!(
            r#"{{"flushCloudDBInstanceResponse":{{"returnCode":"0","requestId":"{escaped}","cloudDBInstanceList":[{{"cloudDBServiceName":"{escaped}"}}]}}}}"#
        );
        let json = parse_flush_response_json(&body, &ParseOptions::default()).unwrap();
        // Valid JSON for every reader: no lone surrogate left in it.
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["requestId"], expected, "{escaped}");
        let typed = parse_flush_response(&body, &ParseOptions::default()).unwrap();
        assert_eq!(typed.request_id.as_deref(), Some(expected));
        assert_eq!(
            typed.cloud_db_instance_list[0]
                .cloud_db_service_name
                .as_deref(),
            Some(expected)
        );
    }
}

/// fuzz/parse_xml: an empty list item (`<cloudDBInstance/>`, or `""` in JSON) was written `{}`,
/// without the lists every instance has (`cloudDBConfigList: []` …), so the normalized answer
/// changed when read again, and JavaScript saw `undefined` where the README promises `[]`.
/// Crash input: the edge fixture with its first `<cloudDBInstance>` mangled into an empty
/// element.
#[test]
fn an_empty_list_item_still_has_its_lists() {
    let lists = r#"{"cloudDBConfigList":[],"cloudDBConfigGroupList":[],"accessControlGroupList":[],"cloudDBServerInstanceList":[]}"#;
    let expected = format!(
        r#"{{"returnCode":0,"returnMessage":"","totalRows":2,"cloudDBInstanceList":[{lists},{lists}]}}"#
    );
    for body in [
        "<flushCloudDBInstanceResponse><returnCode>0</returnCode><cloudDBInstanceList><cloudDBInstance/><cloudDBInstance> </cloudDBInstance></cloudDBInstanceList></flushCloudDBInstanceResponse>",
        r#"{"flushCloudDBInstanceResponse":{"returnCode":"0","cloudDBInstanceList":[""," "]}}"#,
    ] {
        let json = parse_flush_response_json(body, &ParseOptions::default()).unwrap();
        assert_eq!(json, expected, "{body}");
        // A fixed point: the normalized answer reads as itself.
        let again = format!("{{\"flushCloudDBInstanceResponse\":{json}}}");
        assert_eq!(
            parse_flush_response_json(&again, &ParseOptions::default()).unwrap(),
            json
        );
    }
    // Items of a structure without lists stay `{}` (the edge fixture's `<cloudDBServerInstance/>`).
    let body = "<flushCloudDBInstanceResponse><returnCode>0</returnCode><cloudDBInstanceList><cloudDBInstance><cloudDBServerInstanceList><cloudDBServerInstance/></cloudDBServerInstanceList></cloudDBInstance></cloudDBInstanceList></flushCloudDBInstanceResponse>";
    let json = parse_flush_response_json(body, &ParseOptions::default()).unwrap();
    assert!(
        json.contains(r#""cloudDBServerInstanceList":[{}]"#),
        "{json}"
    );
}

/// tests/properties.rs (all six schemas): a lone surrogate escape in an item of a text list
/// (`accessControlGroupNoList`, VPC and Cache only) was copied as written, so the normalized JSON
/// held a lone surrogate: `parse_answer_json` succeeded and `parse_answer` (serde) refused it as
/// "normalized answer unreadable". Items of text lists follow the rule of text members.
#[test]
fn a_lone_surrogate_in_a_text_list_reads_as_the_replacement_character() {
    use ncloud_redis_flush::model::{RedisFlushResponse, VPC_FLUSH};
    use ncloud_redis_flush::parse::parse_answer_json;
    let body = r#"{"flushAllCloudRedisServerInstanceResponse":{"returnCode":"0","cloudRedisInstanceList":[{"accessControlGroupNoList":["\ud800","a\u00e9\ud83d\ude80",7]}]}}"#;
    let json = parse_answer_json(body, &ParseOptions::default(), VPC_FLUSH).unwrap();
    assert!(
        json.contains(
            "\"accessControlGroupNoList\":[\"\u{fffd}\",\"a\\u00e9\\ud83d\\ude80\",\"7\"]"
        ),
        "{json}"
    );
    let typed: RedisFlushResponse = parse_answer(body, &ParseOptions::default()).unwrap();
    assert_eq!(
        typed.cloud_redis_instance_list[0].access_control_group_no_list,
        ["\u{fffd}", "aé🚀", "7"]
    );
}
