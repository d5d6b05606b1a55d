//! The API family beyond the seed: Redis on the VPC platform, Cloud DB for Cache, and the
//! instance listings — requests built and signed, answers parsed in JSON and XML.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use ncloud_redis_flush::api::{build_list_request, build_platform_flush_request, ListRequest};
use ncloud_redis_flush::model::*;
use ncloud_redis_flush::parse::parse_answer_json;
use ncloud_redis_flush::*;
use serde_json::{json, Value};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn call() -> CallOptions<'static> {
    FlushRequest::new(
        Timestamp::from_millis(1_764_380_000_123).unwrap(),
        "AK",
        "SK-S3CR3T",
    )
    .call
}

/// The expected normalized form of a well-typed fixture: its inner object with `returnCode` 0
/// and the numbers given as strings made numbers.
fn expected_of(fixture_json: &str, root: &str) -> Value {
    let raw: Value = serde_json::from_str(fixture_json).unwrap();
    let mut expected = raw[root].clone();
    expected["returnCode"] = json!(0);
    expected
}

fn parsed(body: &str, kind: AnswerKind) -> Value {
    serde_json::from_str(&parse_answer_json(body, &ParseOptions::default(), kind).unwrap()).unwrap()
}

#[test]
fn vpc_flush_answer_json_and_xml() {
    let mut expected = expected_of(&fixture("vpc-flush-response.json"), VPC_FLUSH.root);
    // The second server sends cpuCount and memorySize as strings.
    let server = &mut expected["cloudRedisInstanceList"][0]["cloudRedisServerInstanceList"][1];
    server["cpuCount"] = json!(2);
    server["memorySize"] = json!(4_294_967_296_i64);
    assert_eq!(
        parsed(&fixture("vpc-flush-response.json"), VPC_FLUSH),
        expected
    );
    assert_eq!(
        parsed(&fixture("vpc-flush-response.xml"), VPC_FLUSH),
        expected
    );

    let typed: RedisFlushResponse =
        parse_answer(&fixture("vpc-flush-response.xml"), &ParseOptions::default()).unwrap();
    let instance = &typed.cloud_redis_instance_list[0];
    assert_eq!(instance.is_ha, Some(true));
    assert_eq!(instance.access_control_group_no_list, ["31337", "31338"]);
    assert_eq!(
        instance.cloud_redis_server_instance_list[0].memory_size,
        Some(4_294_967_296)
    );
    assert_eq!(
        instance.license.as_ref().unwrap().code.as_deref(),
        Some("BSD")
    );
    // Written back as XML, it reads the same.
    let again: RedisFlushResponse =
        parse_answer(&typed.to_xml(), &ParseOptions::default()).unwrap();
    assert_eq!(again, typed);
}

#[test]
fn cache_flush_answer() {
    let mut expected = expected_of(&fixture("cache-flush-response.json"), CACHE_FLUSH.root);
    let server = &mut expected["cloudCacheInstanceList"][0]["cloudCacheServerInstanceList"][1];
    server["cpuCount"] = json!(2);
    server["memorySize"] = json!(4_294_967_296_i64);
    assert_eq!(
        parsed(&fixture("cache-flush-response.json"), CACHE_FLUSH),
        expected
    );
    let typed: CacheFlushResponse = parse_answer(
        &fixture("cache-flush-response.json"),
        &ParseOptions::default(),
    )
    .unwrap();
    assert_eq!(
        typed.cloud_cache_instance_list[0]
            .cloud_cache_dbms_code
            .as_ref()
            .unwrap()
            .code
            .as_deref(),
        Some("VALKEY")
    );
}

#[test]
fn listings() {
    let classic: CloudDbInstanceListResponse = parse_answer(
        &fixture("classic-list-response.json"),
        &ParseOptions::default(),
    )
    .unwrap();
    assert_eq!(classic.total_rows, 2);
    let names: Vec<_> = classic
        .cloud_db_instance_list
        .iter()
        .map(|i| i.cloud_db_service_name.as_deref().unwrap())
        .collect();
    assert_eq!(names, ["test", "sessions"]);
    let vpc: RedisInstanceListResponse =
        parse_answer(&fixture("vpc-list-response.json"), &ParseOptions::default()).unwrap();
    assert_eq!(
        vpc.cloud_redis_instance_list[0]
            .cloud_redis_server_instance_list
            .len(),
        2
    );
    // A listing parsed as a flush, or a flush of another platform, is the wrong answer.
    let err = parse_answer_json(
        &fixture("classic-list-response.json"),
        &ParseOptions::default(),
        CLASSIC_FLUSH,
    )
    .unwrap_err();
    assert_eq!(err.code(), "ERR_UNKNOWN_ROOT");
    assert!(
        err.to_string().contains("getCloudDBInstanceListResponse"),
        "{err}"
    );
    let err = parse_answer_json(
        &fixture("vpc-flush-response.json"),
        &ParseOptions::default(),
        CACHE_FLUSH,
    )
    .unwrap_err();
    assert_eq!(err.code(), "ERR_UNKNOWN_ROOT");
    // Errors are errors whatever the API.
    let err = parse_answer_json(
        &fixture("error-common.xml"),
        &ParseOptions::default(),
        VPC_LIST,
    )
    .unwrap_err();
    assert_eq!((err.kind(), err.code()), (ErrorKind::Api, "800"));
}

#[test]
fn requests_of_the_family_are_signed_over_their_parameters() {
    let c = call();
    let vpc = build_platform_flush_request(Platform::Vpc, "1103457", Some("KR"), Format::Json, &c)
        .unwrap();
    assert_eq!(
        vpc.url,
        "https://ncloud.apigw.ntruss.com/vredis/v2/flushAllCloudRedisServerInstance?cloudRedisServerInstanceNo=1103457&regionCode=KR&responseFormatType=json"
    );
    let sts = "POST /vredis/v2/flushAllCloudRedisServerInstance?cloudRedisServerInstanceNo=1103457&regionCode=KR&responseFormatType=json\n1764380000123\nAK";
    assert_eq!(
        vpc.headers.get("x-ncp-apigw-signature-v2"),
        Some(signing::sign("SK-S3CR3T", sts).as_str())
    );
    let cache = build_platform_flush_request(Platform::Cache, "77", None, Format::Xml, &c).unwrap();
    assert!(cache.url.ends_with("/vcache/v2/flushAllCloudCacheServerInstance?cloudCacheServerInstanceNo=77&responseFormatType=xml"));
    let classic =
        build_platform_flush_request(Platform::Classic, "882689", None, Format::Json, &c).unwrap();
    let mut same = FlushRequest::new(c.timestamp, "AK", "SK-S3CR3T");
    same.cloud_db_instance_no = "882689";
    assert_eq!(
        classic,
        build_flush_request(&same).unwrap(),
        "the Classic flush is the core issue's"
    );

    let list = build_list_request(&ListRequest {
        platform: Platform::Vpc,
        instance_nos: &["1103456", "1103460"],
        region_code: Some("KR"),
        region_no: None,
        zone_no: None,
        page_no: Some(1),
        page_size: Some(50),
        response_format_type: Format::Json,
        call: call(),
    })
    .unwrap();
    assert!(list.url.ends_with(
        "/vredis/v2/getCloudRedisInstanceList?cloudRedisInstanceNoList.1=1103456&cloudRedisInstanceNoList.2=1103460&regionCode=KR&pageNo=1&pageSize=50&responseFormatType=json"
    ), "{}", list.url);

    // Bad inputs name their field.
    for (result, field) in [
        (
            build_platform_flush_request(Platform::Vpc, "11x", None, Format::Json, &c),
            "cloudRedisServerInstanceNo",
        ),
        (
            build_platform_flush_request(Platform::Cache, "", None, Format::Json, &c),
            "cloudCacheServerInstanceNo",
        ),
        (
            build_platform_flush_request(Platform::Classic, "1", Some("KR"), Format::Json, &c),
            "regionCode",
        ),
        (
            build_platform_flush_request(Platform::Vpc, "1", Some("K R"), Format::Json, &c),
            "regionCode",
        ),
    ] {
        assert_eq!(result.unwrap_err().field(), Some(field));
    }
    let bad = ListRequest {
        platform: Platform::Classic,
        instance_nos: &["1"],
        region_code: Some("KR"),
        region_no: None,
        zone_no: None,
        page_no: None,
        page_size: None,
        response_format_type: Format::Json,
        call: call(),
    };
    assert_eq!(
        build_list_request(&bad).unwrap_err().field(),
        Some("regionCode")
    );
    let bad = ListRequest {
        region_code: None,
        instance_nos: &["1 "],
        ..bad
    };
    assert_eq!(
        build_list_request(&bad).unwrap_err().field(),
        Some("instanceNos")
    );
}

/// The normalizer writes every success fixture of every API as it reads it (its members come in
/// the schema's order: nothing is put in order afterwards), and that is what it writes when it
/// buffers every object; on the error fixtures the two ways agree too.
#[test]
fn the_fixtures_are_written_as_read_and_agree_with_buffering() {
    use ncloud_redis_flush::model::*;
    use ncloud_redis_flush::parse::{
        parse_answer_json_buffered, parse_answer_json_in_order, ParseOptions,
    };
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");
    let read = |name: &str| std::fs::read_to_string(format!("{dir}{name}")).unwrap();
    for (name, kind) in [
        ("flush-response.json", CLASSIC_FLUSH),
        ("classic-list-response.json", CLASSIC_LIST),
        ("vpc-flush-response.json", VPC_FLUSH),
        ("vpc-list-response.json", VPC_LIST),
        ("cache-flush-response.json", CACHE_FLUSH),
    ] {
        let body = read(name);
        let in_order = parse_answer_json_in_order(&body, kind);
        assert!(in_order.is_some(), "{name}: declined");
        let buffered = parse_answer_json_buffered(&body, &ParseOptions::default(), kind).unwrap();
        assert_eq!(in_order.unwrap(), buffered, "{name}");
    }
    for name in [
        "error-common.json",
        "error-gateway-auth.json",
        "error-returncode.json",
        "flush-response-loose.json",
    ] {
        let body = read(name);
        if let Some(out) = parse_answer_json_in_order(&body, CLASSIC_FLUSH) {
            let buffered =
                parse_answer_json_buffered(&body, &ParseOptions::default(), CLASSIC_FLUSH);
            assert_eq!(Ok(out), buffered.map_err(|e| e.to_string()), "{name}");
        }
    }
}

/// The JavaScript side names the platforms as the core's table does: js/api.js numbers them by
/// their place in `Platform::ALL` (the glue decodes them so), and the TypeScript union (wasm/types.d.ts) lists the
/// same names in the same order.
#[test]
fn javascript_platform_names_follow_the_core_table() {
    let root = env!("CARGO_MANIFEST_DIR");
    let api = std::fs::read_to_string(format!("{root}/js/api.js")).unwrap();
    let line = api
        .lines()
        .find(|l| l.starts_with("const PLATFORMS = new Map("))
        .expect("js/api.js has its PLATFORMS map");
    let pairs: Vec<(String, usize)> = line
        .split("['")
        .skip(1)
        .map(|p| {
            let (name, rest) = p.split_once("', ").unwrap();
            let code: String = rest.chars().take_while(char::is_ascii_digit).collect();
            (name.to_owned(), code.parse().unwrap())
        })
        .collect();
    let expected: Vec<(String, usize)> = Platform::ALL
        .iter()
        .enumerate()
        .map(|(i, p)| (p.as_str().to_owned(), i))
        .collect();
    assert_eq!(pairs, expected, "{line}");

    let types = std::fs::read_to_string(format!("{root}/wasm/types.d.ts")).unwrap();
    let union = types
        .lines()
        .find_map(|l| l.strip_prefix("export type Platform = "))
        .expect("wasm/types.d.ts declares Platform");
    let names: Vec<&str> = union
        .trim_end_matches(';')
        .split(" | ")
        .map(|n| n.trim_matches('\''))
        .collect();
    assert_eq!(names, Platform::ALL.map(Platform::as_str), "{union}");
    for platform in Platform::ALL {
        assert_eq!(Platform::parse(platform.as_str()), Some(platform));
    }
}
