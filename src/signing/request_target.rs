//! The request target: the path and query that `fetch(url)` puts on the request line.
//!
//! NAVER Cloud's gateway signs the request target *as received*, so a signer must sign the very
//! bytes the HTTP client sends. `fetch` sends the [WHATWG URL](https://url.spec.whatwg.org/)
//! serialization of the URL's path and query, and this module reproduces it for `http` and `https`
//! URLs:
//!
//! - leading and trailing C0 controls and spaces are trimmed, tabs and newlines removed;
//! - `\` counts as `/` in the path; `.` and `..` segments (also as `%2e`) are resolved;
//! - characters outside the *path percent-encode set* (space `"` `<` `>` `` ` `` `{` `}` controls,
//!   non-ASCII) are percent-encoded as UTF-8, in the query those of the *special-query set*
//!   (space `"` `#` `'` `<` `>` controls, non-ASCII); an existing `%` is left alone;
//! - the path is never empty (`/`), a `?` is kept when the query is empty, the fragment is dropped.
//!
//! The result equals `new URL(url, base).href` without the origin and fragment, for any `base`,
//! in Node.js, Firefox and Safari. Chromium departs from the standard in one place: it also
//! percent-encodes `|` and `^` in the path. [`is_contested`] tells when that matters; the
//! JavaScript API then signs the host's own serialization, so the signature always matches what
//! the host's `fetch` sends.
//! Inputs whose meaning would depend on the base (relative paths, `//host`, `https:host`) and
//! URLs `fetch` refuses (credentials, other schemes) are errors.
//!
//! ```
//! use ncloud_redis_flush::signing::request_target::request_target;
//!
//! assert_eq!(request_target("/a b/./c/../d?x=y z&k=é#top").unwrap(), "/a%20b/d?x=y%20z&k=%C3%A9");
//! assert_eq!(request_target("https://ncloud.apigw.ntruss.com").unwrap(), "/");
//! assert!(request_target("relative/path").is_err());
//! ```

use crate::error::{Error, Result};
use crate::text::{hex4, join, push_percent_byte};
use alloc::borrow::Cow;
use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;

/// A URL split into what goes on the connection and what goes on the request line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SplitUrl {
    /// `scheme://authority` when the URL is absolute (scheme lowercased, authority as written);
    /// `None` for a path, which the host resolves against its own origin.
    pub origin: Option<String>,
    /// Path and query, serialized as `fetch` sends them.
    pub request_target: String,
}

impl SplitUrl {
    /// The URL to hand to `fetch`: the origin (if any) followed by the serialized request target.
    ///
    /// Without an origin, a target starting with `//` (from `/.//x` or `/..//x`) is written
    /// `/.//x`: as `//x` it would name the host `x`, and `fetch` would send the signed request
    /// there.
    pub fn to_url(&self) -> String {
        let prefix = match &self.origin {
            Some(origin) => origin.as_str(),
            None if self.request_target.starts_with("//") => "/.",
            None => "",
        };
        let mut url = String::with_capacity(prefix.len() + self.request_target.len());
        url.push_str(prefix);
        url.push_str(&self.request_target);
        url
    }
}

/// True when engines serialize `request_target` differently: Chromium percent-encodes `|` and
/// `^` in the path (as `%7C`, `%5E`), the URL Standard and Node.js do not.
///
/// ```
/// use ncloud_redis_flush::signing::request_target::is_contested;
/// assert!(is_contested("/a|b?x"));
/// assert!(!is_contested("/ab?x|y^z"));
/// ```
pub fn is_contested(request_target: &str) -> bool {
    let path = request_target.split('?').next().unwrap_or("");
    path.contains(['|', '^'])
}

/// True when hosts' URL parsers disagree on the dot segments of `url`'s path: Node.js's (ada, in
/// Node 20) leaves a `.` or `..` segment unresolved after a segment that begins with a dot
/// (`/x/.a/.` stays as written, where the URL Standard, Chromium and Firefox give `/x/.a/`), so
/// what Node's `fetch` sends is not what the Standard says. Conservatively: two or more path
/// segments begin with a dot (`.` or `%2e`, any case).
///
/// ```
/// use ncloud_redis_flush::signing::request_target::has_contested_dots;
/// assert!(has_contested_dots("https://h/x/.a/.?q"));
/// assert!(!has_contested_dots("/a/./b"));
/// assert!(!has_contested_dots("/a/b?x=/./."));
/// ```
pub fn has_contested_dots(url: &str) -> bool {
    let bytes = url.as_bytes();
    let path = bytes
        .split(|&b| b == b'?' || b == b'#')
        .next()
        .unwrap_or(bytes);
    let dot_led = path
        .split(|&b| b == b'/' || b == b'\\')
        .filter(|segment| {
            segment.first() == Some(&b'.')
                || segment
                    .get(..3)
                    .is_some_and(|s| s.eq_ignore_ascii_case(b"%2e"))
        })
        .count();
    dot_led >= 2
}

/// The request target of `url` (an absolute `http(s)` URL or a path starting with `/`).
///
/// Errors name the field `url`; see [`split_url`] to choose the field name.
pub fn request_target(url: &str) -> Result<String> {
    split_url(url, "url").map(|s| s.request_target)
}

/// Splits `url` into origin and request target. `field` names the argument in errors.
///
/// ```
/// use ncloud_redis_flush::signing::request_target::split_url;
///
/// let s = split_url("HTTPS://example.com:8443\\a\\b?q", "url").unwrap();
/// assert_eq!(s.origin.as_deref(), Some("https://example.com:8443"));
/// assert_eq!(s.request_target, "/a/b?q");
/// ```
pub fn split_url(url: &str, field: &'static str) -> Result<SplitUrl> {
    split_url_ref(url, field).map(SplitRef::into_owned)
}

/// A URL split as [`SplitUrl`], borrowing from the input where it is already serialized.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SplitRef<'a> {
    /// `scheme://authority`, or `None` for a path.
    pub origin: Option<Cow<'a, str>>,
    /// Path and query, serialized as `fetch` sends them.
    pub request_target: Cow<'a, str>,
    /// Whether the URL to fetch is the input itself (already serialized: nothing was copied).
    pub as_is: bool,
}

impl SplitRef<'_> {
    /// The owned form.
    pub fn into_owned(self) -> SplitUrl {
        SplitUrl {
            origin: self.origin.map(Cow::into_owned),
            request_target: self.request_target.into_owned(),
        }
    }

    /// What goes before the request target in the URL to fetch (see [`SplitUrl::to_url`]).
    pub fn url_prefix(&self) -> &str {
        match &self.origin {
            Some(origin) => origin,
            None if self.request_target.starts_with("//") => "/.",
            None => "",
        }
    }
}

/// The request-target serializer: [`split_url`] without copying what is already serialized. Its
/// fast exit is the one "already serialized" check, [`canonical_origin_len`]: the URL is then
/// its own URL to fetch, and its request target a slice of it.
///
/// ```
/// use ncloud_redis_flush::signing::request_target::split_url_ref;
/// use std::borrow::Cow;
///
/// let s = split_url_ref("https://h.example/a?b=c", "url").unwrap();
/// assert!(s.as_is && matches!(s.request_target, Cow::Borrowed("/a?b=c")));
/// assert_eq!(split_url_ref("/a b", "url").unwrap().request_target, "/a%20b");
/// ```
pub fn split_url_ref<'a>(url: &'a str, field: &'static str) -> Result<SplitRef<'a>> {
    if let Some(origin_len) = canonical_origin_len(url) {
        let (origin, target) = url.split_at_checked(origin_len).unwrap_or(("", url));
        return Ok(SplitRef {
            origin: (!origin.is_empty()).then_some(Cow::Borrowed(origin)),
            request_target: Cow::Borrowed(target),
            as_is: true,
        });
    }
    let cleaned = preprocess(url);
    let input: &str = &cleaned;
    if input.is_empty() {
        return Err(Error::missing(field));
    }
    let (origin, rest) = match scheme_of(input) {
        Some((scheme, after)) => {
            let scheme = scheme.to_ascii_lowercase();
            if scheme != "http" && scheme != "https" {
                return Err(Error::invalid(
                    field,
                    "uses a scheme other than http: or https:, the only ones that can be signed",
                ));
            }
            let slashes = after
                .bytes()
                .take_while(|&b| b == b'/' || b == b'\\')
                .count();
            if slashes < 2 {
                return Err(Error::invalid(
                    field,
                    "must be written `https://host/path`: without `//` its meaning depends on the page's URL",
                ));
            }
            let after = after.get(slashes..).unwrap_or("");
            // `find` gives a character boundary; `split_at_checked` keeps the module free of a
            // panic path the compiler cannot see is dead.
            let end = after.find(['/', '\\', '?', '#']).unwrap_or(after.len());
            let (authority, rest) = after.split_at_checked(end).unwrap_or((after, ""));
            check_authority(authority, field)?;
            (Some(join(&[&scheme, "://", authority])), rest)
        }
        None => {
            let mut bytes = input.bytes();
            let first = bytes.next();
            let second = bytes.next();
            let is_slash = |b: Option<u8>| matches!(b, Some(b'/') | Some(b'\\'));
            if !is_slash(first) {
                return Err(Error::invalid(
                    field,
                    "must be an absolute http(s) URL or a path starting with `/`",
                ));
            }
            if is_slash(second) {
                return Err(Error::invalid(
                    field,
                    "starts with `//`, which names a host without a scheme; give an absolute http(s) URL or a path",
                ));
            }
            (None, input)
        }
    };
    Ok(SplitRef {
        origin: origin.map(Cow::Owned),
        request_target: Cow::Owned(if is_serialized(rest.as_bytes(), true) {
            rest.to_owned()
        } else {
            serialize_path_and_query(rest)
        }),
        as_is: false,
    })
}

/// When `url` is already exactly what [`split_url`] would make of it — `http://` or `https://`
/// written in lowercase with two slashes, a plain host and optional port, then a path and query
/// already in serialized form and no fragment; or such a path and query alone — the length of its
/// origin (`0` for a path). The request target is then `&url[n..]`, the URL to fetch `url` itself,
/// and nothing needs copying. `None` means only "not recognized": use [`split_url`].
///
/// ```
/// use ncloud_redis_flush::signing::request_target::canonical_origin_len;
///
/// assert_eq!(canonical_origin_len("https://h.example/a?b=c"), Some(17));
/// assert_eq!(canonical_origin_len("/a?b=c"), Some(0));
/// assert_eq!(canonical_origin_len("HTTPS://h.example/a"), None); // the scheme is lowercased
/// assert_eq!(canonical_origin_len("/a/./b"), None); // a dot segment is resolved
/// ```
pub fn canonical_origin_len(url: &str) -> Option<usize> {
    canonical_origin_len_bytes(url.as_bytes())
}

/// [`canonical_origin_len`] of a URL given as bytes (the signing kernel's input: anything but
/// ASCII is simply not canonical).
pub(crate) fn canonical_origin_len_bytes(url: &[u8]) -> Option<usize> {
    let origin_len = if url.first() == Some(&b'/') {
        0
    } else {
        let after = if let Some(after) = url.strip_prefix(b"https://") {
            after
        } else {
            url.strip_prefix(b"http://")?
        };
        let authority_len = after
            .iter()
            .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':')))
            .unwrap_or(after.len());
        // A host of letters, digits, `.` and `-`, and an optional port: what `check_authority`
        // accepts, without its error messages.
        let authority = after.get(..authority_len)?;
        let (host, port) = match authority.iter().position(|&b| b == b':') {
            Some(colon) => (authority.get(..colon)?, authority.get(colon + 1..)?),
            None => (authority, &b""[..]),
        };
        if host.is_empty() || !is_port(port) {
            return None;
        }
        url.len() - after.len() + authority_len
    };
    is_serialized(url.get(origin_len..)?, origin_len > 0).then_some(origin_len)
}

/// Whether `rest` (what follows the origin, or a path alone when `after_origin` is false) is
/// already in serialized form: a path starting with `/` (not `//` without an origin, which would
/// name a host), plain bytes only, no dot segment (`/.`) and no `%2` that may spell one in the
/// path, no fragment. One table-driven pass.
fn is_serialized(rest: &[u8], after_origin: bool) -> bool {
    if rest.first() != Some(&b'/') || (!after_origin && rest.get(1) == Some(&b'/')) {
        return false;
    }
    let class = |b: u8| SCAN_CLASS.get(usize::from(b)).copied().unwrap_or(OTHER);
    for (i, &b) in rest.iter().enumerate() {
        match class(b) {
            PLAIN => {}
            LOOK if b == b'?' => {
                // The query: plain bytes and `?` (dots and `%2e` mean nothing there).
                return rest
                    .get(i + 1..)
                    .unwrap_or(&[])
                    .iter()
                    .all(|&q| class(q) != OTHER);
            }
            // A dot segment (`/.`), or `%2` that may spell one: resolved by the full path.
            LOOK if matches!(
                (b, rest.get(i + 1)),
                (b'/', Some(b'.')) | (b'%', Some(b'2'))
            ) =>
            {
                return false
            }
            LOOK => {}
            _ => return false,
        }
    }
    true
}

/// Byte classes of [`canonical_origin_len`]'s scan.
const PLAIN: u8 = 0;
const LOOK: u8 = 1;
const OTHER: u8 = 2;
/// [`PLAIN`] for the bytes [`is_plain`] accepts, [`LOOK`] for `/` `%` `?` which need a look at
/// what follows, [`OTHER`] for the rest. (Built at compile time: an index out of bounds there is a
/// compile error, not a panic.)
#[allow(clippy::indexing_slicing)]
static SCAN_CLASS: [u8; 256] = {
    let mut table = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        if is_plain(b as u8) {
            table[b] = PLAIN;
        }
        b += 1;
    }
    table[b'/' as usize] = LOOK;
    table[b'%' as usize] = LOOK;
    table[b'?' as usize] = LOOK;
    table
};

/// Removes leading and trailing C0 controls and spaces, and every tab and newline (WHATWG URL
/// parser, basic URL parser steps 1 to 3).
fn preprocess(url: &str) -> Cow<'_, str> {
    let trimmed = url.trim_matches(|c: char| c <= ' ');
    if trimmed.bytes().any(|b| matches!(b, b'\t' | b'\n' | b'\r')) {
        Cow::Owned(
            trimmed
                .chars()
                .filter(|&c| !matches!(c, '\t' | '\n' | '\r'))
                .collect(),
        )
    } else {
        Cow::Borrowed(trimmed)
    }
}

/// True for the bytes every engine sends as they are, in a path and in a query: printable ASCII
/// but space `"` `#` `'` `<` `>` `\\` `` ` `` `{` `|` `}` `^` (quoted or contested somewhere).
const fn is_plain(b: u8) -> bool {
    matches!(b, 0x21..=0x7e)
        && !matches!(
            b,
            b'"' | b'#' | b'\'' | b'<' | b'>' | b'\\' | b'`' | b'{' | b'|' | b'}' | b'^'
        )
}

/// `Some((scheme, rest after ':'))` when `input` starts with a URL scheme.
fn scheme_of(input: &str) -> Option<(&str, &str)> {
    let mut chars = input.char_indices();
    match chars.next() {
        Some((_, c)) if c.is_ascii_alphabetic() => {}
        _ => return None,
    }
    for (i, c) in chars {
        if c == ':' {
            return Some((input.get(..i)?, input.get(i + 1..)?));
        }
        if !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) {
            return None;
        }
    }
    None
}

/// Checks that an authority is one `fetch` accepts: a host, an optional port, no credentials.
fn check_authority(authority: &str, field: &'static str) -> Result<()> {
    if authority.contains('@') {
        return Err(Error::invalid(
            field,
            "must not contain credentials (`user:password@`): fetch refuses such URLs",
        ));
    }
    let (host, port, ipv6) = if let Some(inner) = authority.strip_prefix('[') {
        let close = inner
            .find(']')
            .ok_or_else(|| Error::invalid(field, "has an IPv6 host without its closing `]`"))?;
        let (addr, after) = inner.split_at_checked(close).unwrap_or((inner, ""));
        if addr.is_empty()
            || !addr
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return Err(Error::invalid(field, "has an invalid IPv6 host"));
        }
        let after = after.get(1..).unwrap_or("");
        match after.strip_prefix(':') {
            Some(port) => (addr, Some(port), true),
            None if after.is_empty() => (addr, None, true),
            None => return Err(Error::invalid(field, "has characters after its IPv6 host")),
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port), false),
            None => (authority, None, false),
        }
    };
    if host.is_empty() {
        return Err(Error::invalid(field, "has no host"));
    }
    if !ipv6 {
        let forbidden = |c: char| {
            c <= ' '
                || c == '\u{7f}'
                || matches!(
                    c,
                    '#' | '/' | ':' | '<' | '>' | '?' | '@' | '[' | '\\' | ']' | '^' | '|' | '%'
                )
        };
        if let Some(bad) = host.chars().find(|&c| forbidden(c)) {
            return Err(Error::invalid(
                field,
                join(&[
                    "has a host with a forbidden character (U+",
                    &hex4(u32::from(bad)),
                    ")",
                ]),
            ));
        }
    }
    if let Some(port) = port {
        if !is_port(port.as_bytes()) {
            return Err(Error::invalid(
                field,
                "has a port that is not a number from 0 to 65535",
            ));
        }
    }
    Ok(())
}

/// A port as `fetch` takes it: empty (the default), or a number from 0 to 65535 in at most five
/// digits.
fn is_port(port: &[u8]) -> bool {
    port.len() <= 5
        && port.iter().all(u8::is_ascii_digit)
        && (port.len() < 5 || port <= &b"65535"[..])
}

/// True for bytes the WHATWG *C0 control percent-encode set* contains.
fn is_c0_control(b: u8) -> bool {
    !(0x20..=0x7e).contains(&b)
}

/// The *special-query percent-encode set* (query of http and https URLs).
fn in_special_query_set(b: u8) -> bool {
    is_c0_control(b) || matches!(b, b' ' | b'"' | b'#' | b'\'' | b'<' | b'>')
}

/// The *path percent-encode set*.
fn in_path_set(b: u8) -> bool {
    is_c0_control(b)
        || matches!(
            b,
            b' ' | b'"' | b'#' | b'<' | b'>' | b'?' | b'`' | b'{' | b'}'
        )
}

/// Appends `text`, percent-encoding the bytes `encode` names (generic, so that the set's test is
/// inlined into the loop rather than called per byte).
fn push_encoded(out: &mut String, text: &str, encode: impl Fn(u8) -> bool) {
    let mut plain_from = 0;
    for (i, b) in text.bytes().enumerate() {
        if encode(b) {
            out.push_str(text.get(plain_from..i).unwrap_or(""));
            push_percent_byte(out, b);
            plain_from = i + 1;
        }
    }
    out.push_str(text.get(plain_from..).unwrap_or(""));
}

fn is_single_dot(segment: &str) -> bool {
    segment == "." || segment.eq_ignore_ascii_case("%2e")
}

fn is_double_dot(segment: &str) -> bool {
    // Compared without a lowercased copy: this runs for every segment of a path to serialize.
    ["..", ".%2e", "%2e.", "%2e%2e"]
        .iter()
        .any(|dots| segment.eq_ignore_ascii_case(dots))
}

/// Serializes what follows the authority (or a path-absolute input): path state, query state and
/// fragment state of the WHATWG URL parser for a special URL, then path and query serialization.
fn serialize_path_and_query(rest: &str) -> String {
    let (before_fragment, _fragment) = rest.split_once('#').unwrap_or((rest, ""));
    let (path, query) = match before_fragment.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (before_fragment, None),
    };
    let mut out = String::with_capacity(rest.len() + 8);
    // Path start state: one leading slash is consumed.
    let path = path.strip_prefix(['/', '\\']).unwrap_or(path);
    // Start offsets in `out` of the path segments kept so far.
    let mut segments: Vec<usize> = Vec::new();
    let mut pieces = path.split(['/', '\\']).peekable();
    while let Some(piece) = pieces.next() {
        let last = pieces.peek().is_none();
        let start = out.len();
        out.push('/');
        push_encoded(&mut out, piece, in_path_set);
        let segment = out.get(start + 1..).unwrap_or("");
        if is_double_dot(segment) {
            out.truncate(start);
            if let Some(prev) = segments.pop() {
                out.truncate(prev);
            }
            if last {
                segments.push(out.len());
                out.push('/');
            }
        } else if is_single_dot(segment) {
            out.truncate(start);
            if last {
                segments.push(out.len());
                out.push('/');
            }
        } else {
            segments.push(start);
        }
    }
    if let Some(query) = query {
        out.push('?');
        push_encoded(&mut out, query, in_special_query_set);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex4_writes_code_points_as_format_does() {
        for n in (0..0x300).chain([0xFFF, 0x1000, 0xFFFF, 0x1_0000, 0x1F600, 0x10_FFFF]) {
            assert_eq!(hex4(n), format!("{n:04X}"));
        }
    }

    #[test]
    fn paths_as_node_url_serializes_them() {
        // Expected values were produced by Node 20's `new URL(input, "https://h.example/")`.
        let cases = [
            ("/a/%2e/b", "/a/b"),
            ("/a/%2E%2e/b", "/b"),
            ("/a/b/..", "/a/"),
            ("/a/b/.", "/a/b/"),
            ("\\a\\b", "/a/b"),
            ("/a\\..\\b?x\\y", "/b?x\\y"),
            ("https:\\\\\\example.com\\x?y#z", "/x?y"),
            ("  /x y  ", "/x%20y"),
            ("/a\tb\nc", "/abc"),
            ("/%zz", "/%zz"),
            ("https://h", "/"),
            ("https://h?", "/?"),
            ("https://h/?#", "/?"),
            ("/..", "/"),
            ("/a//b", "/a//b"),
            ("/a/../../..", "/"),
            ("/ \"<>`{}|^", "/%20%22%3C%3E%60%7B%7D|^"),
            ("/?q \"#'<>", "/?q%20%22"),
            ("/?q \"'<>`{}", "/?q%20%22%27%3C%3E`{}"),
            ("/é?é", "/%C3%A9?%C3%A9"),
        ];
        for (input, expected) in cases {
            assert_eq!(request_target(input).unwrap(), expected, "input {input:?}");
        }
    }

    #[test]
    fn refuses_what_depends_on_a_base_or_fetch_refuses() {
        for bad in [
            "",
            "   ",
            "relative",
            "?q",
            "//host/x",
            "\\\\host\\x",
            "https:host/x",
            "https:/host/x",
            "ftp://host/x",
            "javascript:alert(1)",
            "https://user:pw@host/x",
            "https://ho st/x",
            "https://host:99999/x",
            "https://host:8o/x",
            "https://[::1/x",
        ] {
            assert!(request_target(bad).is_err(), "accepted {bad:?}");
        }
    }

    #[test]
    fn the_shortcut_agrees_with_the_full_serialization() {
        let pieces = [
            "/", "a", ".", "..", "%2e", "%2E", "%20", "?", "#", "'", "|", "^", " ", "é", "\\", "=",
            "&", "~", "%",
        ];
        let mut seed = 7u32;
        for _ in 0..20_000 {
            let mut rest = String::from("/");
            for _ in 0..(seed % 9) {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                rest.push_str(pieces[(seed >> 16) as usize % pieces.len()]);
            }
            if is_serialized(rest.as_bytes(), false) {
                assert_eq!(rest, serialize_path_and_query(&rest), "{rest:?}");
            }
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        }
    }

    #[test]
    fn splits_origin() {
        let s = split_url("HTTPS://Example.com:8443/x?y#z", "url").unwrap();
        assert_eq!(s.origin.as_deref(), Some("https://Example.com:8443"));
        assert_eq!(s.to_url(), "https://Example.com:8443/x?y");
        let s = split_url("https://[::1]:80", "url").unwrap();
        assert_eq!(s.to_url(), "https://[::1]:80/");
    }
}
