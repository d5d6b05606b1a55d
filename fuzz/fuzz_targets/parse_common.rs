//! What `parse_json` and `parse_xml` check on every input, in one place.
//!
//! For a body and a format (given, or detected when `None`):
//! - nothing panics, with or without a failing HTTP status;
//! - the normalizer writing members as they come and buffering every object agree (same
//!   output, or the same error), on all six answer schemas, and so does the text handed out in
//!   pieces (a piece after every item of the list, joined after the text's start);
//! - `parse_flush_response_json` and `parse_flush_response` agree: both fail with the same error,
//!   or the first returns valid JSON that deserializes to exactly what the second returns;
//! - with a status ≥ 400 the result is an `http`, `gateway` or `api` error, never a success or a
//!   parse error; every error has a kind and a code, and `input` errors a field;
//! - the normalized output is a fixed point: wrapped back as
//!   `{"flushCloudDBInstanceResponse": output}` it parses to the same text;
//! - the XML the crate writes for the answer (`FlushResponse::to_xml`) reads back to the same
//!   answer, up to the one thing XML cannot say: an object with no member (`"zone":{}`) is an
//!   empty element, which reads as absent.

use ncloud_redis_flush::parse::parse_flush_response_json;
use ncloud_redis_flush::{parse_flush_response, Error, ErrorKind, Format, ParseOptions};
use serde_json::Value;

fn check_error(err: &Error) {
    assert!(!err.code().is_empty(), "{err:?}");
    assert!(!err.to_string().is_empty(), "{err:?}");
    let _ = format!("{err:?}");
    if err.kind() == ErrorKind::Input {
        assert!(err.field().is_some(), "{err:?}");
    }
}

/// Drops every member whose value is an empty object: how an answer reads after a trip through
/// XML, where `<zone/>` (or `<zone></zone>`) means "no zone".
pub fn without_empty_objects(value: &mut Value) {
    match value {
        Value::Object(members) => {
            members.retain(|_, v| !matches!(v, Value::Object(m) if m.is_empty()));
            members.values_mut().for_each(without_empty_objects);
        }
        Value::Array(items) => items.iter_mut().for_each(without_empty_objects),
        _ => {}
    }
}

/// `parse_answer_json` and `parse_answer` agree on the answer `A`: the same error, or JSON that
/// reads as exactly the typed answer; and the JSON, wrapped in `A`'s root, reads as itself.
fn check_typed<A>(body: &str, options: &ParseOptions)
where
    A: ncloud_redis_flush::model::Answer + PartialEq + std::fmt::Debug,
{
    let kind = A::KIND;
    let json = ncloud_redis_flush::parse::parse_answer_json(body, options, kind);
    let typed = ncloud_redis_flush::parse::parse_answer::<A>(body, options);
    match (json, typed) {
        (Err(a), Err(b)) => assert_eq!(a, b, "the entry points disagree on {}", kind.root),
        (Ok(json), Ok(typed)) => {
            let reread: A = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
            assert_eq!(reread, typed, "{}", kind.root);
            let wrapped = format!("{{\"{}\":{json}}}", kind.root);
            let again = ncloud_redis_flush::parse::parse_answer_json(
                &wrapped,
                &ParseOptions::default(),
                kind,
            );
            assert_eq!(
                again.as_ref(),
                Ok(&json),
                "normalizing twice changed the answer"
            );
        }
        (json, typed) => panic!(
            "the entry points disagree on {}: {json:?} / {typed:?}",
            kind.root
        ),
    }
}

pub fn check(body: &str, format: Option<Format>) {
    let options = ParseOptions {
        format,
        status: None,
    };
    let json = parse_flush_response_json(body, &options);
    let typed = parse_flush_response(body, &options);

    // Writing as read never answers differently from buffering every object, on any
    // of the six answer schemas (each platform's flush and listing), with or without a status;
    // and on each, the typed entry point agrees with the JSON one and a success is a fixed point.
    let buffered = ncloud_redis_flush::parse::parse_answer_json_buffered(
        body,
        &options,
        ncloud_redis_flush::model::CLASSIC_FLUSH,
    );
    assert_eq!(json, buffered, "writing as read and buffering disagree");
    for platform in ncloud_redis_flush::Platform::ALL {
        for kind in [platform.flush_answer(), platform.list_answer()] {
            for status in [None, Some(200), Some(503)] {
                let options = ParseOptions { format, status };
                let fast = ncloud_redis_flush::parse::parse_answer_json(body, &options, kind);
                let buffered =
                    ncloud_redis_flush::parse::parse_answer_json_buffered(body, &options, kind);
                assert_eq!(fast, buffered, "the two ways disagree on {}", kind.root);
                let pieces =
                    ncloud_redis_flush::parse::parse_answer_json_in_small_pieces(body, &options, kind);
                assert_eq!(fast, pieces, "the text in pieces differs on {}", kind.root);
            }
        }
    }
    {
        use ncloud_redis_flush::model::*;
        check_typed::<FlushResponse>(body, &options);
        check_typed::<CloudDbInstanceListResponse>(body, &options);
        check_typed::<RedisFlushResponse>(body, &options);
        check_typed::<RedisInstanceListResponse>(body, &options);
        check_typed::<CacheFlushResponse>(body, &options);
        check_typed::<CacheInstanceListResponse>(body, &options);
    }

    // Detection agrees with the explicit format.
    if let Some(f) = format {
        if Format::detect(body) == Some(f) {
            let detected = parse_flush_response_json(
                body,
                &ParseOptions {
                    format: None,
                    status: None,
                },
            );
            assert_eq!(detected, json, "detected format differs from {f:?}");
        }
    }

    // A failing status: never a success, never a parse error.
    let failing = parse_flush_response_json(
        body,
        &ParseOptions {
            format,
            status: Some(503),
        },
    );
    match &failing {
        Ok(out) => panic!("a 503 answer parsed as a success: {out}"),
        Err(e) => {
            check_error(e);
            assert!(
                matches!(
                    e.kind(),
                    ErrorKind::Http | ErrorKind::Gateway | ErrorKind::Api
                ),
                "a 503 answer gave {e:?}"
            );
            assert!(e.http_status() == Some(503) || e.kind() != ErrorKind::Http);
        }
    }

    let json = match json {
        Err(e) => {
            check_error(&e);
            assert_eq!(Err(&e), typed.as_ref(), "the two entry points disagree");
            return;
        }
        Ok(json) => json,
    };
    let typed = match typed {
        Ok(t) => t,
        Err(e) => panic!("the JSON entry point answered {json} but the typed one failed: {e:?}"),
    };

    // Valid JSON, an object with returnCode 0, and exactly the typed answer.
    let value: Value = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    assert_eq!(value.get("returnCode"), Some(&Value::from(0)), "{json}");
    let reread: ncloud_redis_flush::FlushResponse =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    assert_eq!(reread, typed);

    // Idempotence: the normalized form parses to itself.
    let wrapped = format!("{{\"flushCloudDBInstanceResponse\":{json}}}");
    let again = parse_flush_response_json(
        &wrapped,
        &ParseOptions {
            format: Some(Format::Json),
            status: Some(200),
        },
    )
    .unwrap_or_else(|e| panic!("the normalized answer {json} does not parse again: {e:?}"));
    assert_eq!(again, json, "normalizing twice changed the answer");
    // The typed answer serialized by serde reads back as itself.
    let serde_wrapped = format!(
        "{{\"flushCloudDBInstanceResponse\":{}}}",
        serde_json::to_string(&typed).unwrap_or_default()
    );
    assert_eq!(
        parse_flush_response(&serde_wrapped, &ParseOptions::default()).as_ref(),
        Ok(&typed)
    );

    // The crate's XML for this answer reads back to it (empty objects aside).
    let xml = typed.to_xml();
    let from_xml = parse_flush_response_json(
        &xml,
        &ParseOptions {
            format: Some(Format::Xml),
            status: None,
        },
    )
    .unwrap_or_else(|e| panic!("to_xml wrote XML it cannot read: {e:?}\n{xml}"));
    let mut expected = value;
    without_empty_objects(&mut expected);
    let mut got: Value = serde_json::from_str(&from_xml).unwrap_or_else(|e| panic!("{e}"));
    without_empty_objects(&mut got);
    assert_eq!(got, expected, "XML round trip changed the answer:\n{xml}");
}
