//! Arbitrary strings as URLs.
//!
//! - `split_url` never panics; a refusal is an `input` error naming the field;
//! - an accepted URL gives a request target of printable ASCII without space, `#`, `"`, `<`, `>`
//!   starting with `/`, and an origin `http://…` or `https://…` without `/ \ ? #` after it;
//! - idempotence: `split_url(result.to_url())` gives the same origin and request target;
//! - `request_target` agrees with `split_url`; `Endpoint::parse` of an accepted base URL is a
//!   fixed point too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ncloud_redis_flush::signing::request_target::{is_contested, request_target, split_url};
use ncloud_redis_flush::{Endpoint, ErrorKind};

fuzz_target!(|data: &[u8]| {
    let Ok(url) = std::str::from_utf8(data) else {
        return;
    };
    let split = match split_url(url, "url") {
        Ok(split) => split,
        Err(e) => {
            assert_eq!(
                (e.kind(), e.field()),
                (ErrorKind::Input, Some("url")),
                "{e:?}"
            );
            let _ = (e.to_string(), format!("{e:?}"));
            assert!(request_target(url).is_err());
            return;
        }
    };
    let target = &split.request_target;
    assert!(target.starts_with('/'), "{url:?} -> {target:?}");
    assert!(
        target
            .bytes()
            .all(|b| b.is_ascii_graphic() && !matches!(b, b'#' | b'"' | b'<' | b'>')),
        "{url:?} -> {target:?}"
    );
    if let Some(origin) = &split.origin {
        let rest = origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"))
            .unwrap_or_else(|| panic!("origin {origin:?}"));
        assert!(
            !rest.is_empty() && !rest.contains(['/', '\\', '?', '#']),
            "{origin:?}"
        );
    }
    let _ = is_contested(target);
    assert_eq!(request_target(url).as_ref(), Ok(target));

    let url2 = split.to_url();
    let again = split_url(&url2, "url")
        .unwrap_or_else(|e| panic!("{url:?} -> {url2:?}, which is refused: {e}"));
    assert_eq!(again, split, "{url:?} -> {url2:?}");

    if let Ok(endpoint) = Endpoint::parse(url) {
        let base = endpoint.base_url().to_owned();
        let again = Endpoint::parse(&base).unwrap_or_else(|e| panic!("{url:?} -> {base:?}: {e}"));
        assert_eq!(again.base_url(), base);
    }
});
