//! Turning an answer (JSON or XML, success or error) into a [`FlushResponse`] or an [`Error`].
//!
//! ```
//! use ncloud_redis_flush::{parse_flush_response, ErrorKind, Format, ParseOptions};
//!
//! let xml = "<responseError><returnCode>800</returnCode><returnMessage>Expired url.</returnMessage></responseError>";
//! let err = parse_flush_response(xml, &ParseOptions { format: Some(Format::Xml), status: Some(400) }).unwrap_err();
//! assert_eq!((err.kind(), err.code()), (ErrorKind::Api, "800"));
//! assert_eq!(err.to_string(), "Cloud DB API error 800: Expired url.");
//!
//! let err = parse_flush_response("<html>Bad Gateway</html>", &ParseOptions { status: Some(502), ..Default::default() }).unwrap_err();
//! assert_eq!((err.kind(), err.http_status()), (ErrorKind::Http, Some(502)));
//! ```

mod json;
mod normalize;
mod source;
mod tree;
mod xml;

use crate::error::{Error, ParseProblem, Result};
use crate::model::schema::FieldKind;
use crate::model::{Answer, AnswerKind, FlushResponse, Format, CLASSIC_FLUSH};
use crate::text::join;
use alloc::borrow::Cow;
use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;
use json::Reader;
pub use normalize::TextSink;
use normalize::{read_root, scalar_text, write_scalar, Normalizer, Root, PIECE_BYTES};
use source::{Head, Source};
use tree::{Path, TreeSource};

/// The largest body accepted: 64 MiB (a 1,000-instance answer is about 2 MiB).
pub const MAX_BODY_BYTES: usize = 64 << 20;

/// The longest text the answer's list is written to, normalized: 192 MiB, three times the
/// largest body, within every JavaScript engine's longest string. (A real answer's text is
/// about as long as its body; a hostile one, `{}` after `{}` where instances belong, tens of
/// times longer.) Past it, the answer is refused with `ERR_ANSWER_TOO_LARGE`.
pub const MAX_NORMALIZED_BYTES: usize = 3 * MAX_BODY_BYTES;

/// The deepest nesting accepted (the API's answers are 7 levels deep).
pub const MAX_DEPTH: usize = 128;

/// How to read an answer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// The format; detected from the body when `None`.
    pub format: Option<Format>,
    /// The HTTP status, when known: a status of 400 or more whose body is not an error of the API
    /// becomes an [`Error::Http`].
    pub status: Option<u16>,
}

/// Parses an answer of `flushCloudDBInstance`.
///
/// Returns the typed answer when it is a success with `returnCode` 0, and otherwise an
/// [`Error`]: `Gateway` for an API Gateway error body, `Api` for a `responseError` or a non-zero
/// `returnCode`, `Http` for a status ≥ 400 without an error body, `Parse` for anything else.
pub fn parse_flush_response(body: &str, options: &ParseOptions) -> Result<FlushResponse> {
    parse_answer(body, options)
}

/// Parses the answer of any API of [`crate::model`] into its typed form `A`.
///
/// ```
/// use ncloud_redis_flush::{parse::parse_answer, model::RedisFlushResponse, ParseOptions};
///
/// let body = r#"{"flushAllCloudRedisServerInstanceResponse":{"requestId":"r","returnCode":"0","returnMessage":"success",
///   "totalRows":1,"cloudRedisInstanceList":[{"cloudRedisInstanceNo":"1001","isHa":"true","accessControlGroupNoList":["7"]}]}}"#;
/// let r: RedisFlushResponse = parse_answer(body, &ParseOptions::default()).unwrap();
/// assert_eq!(r.cloud_redis_instance_list[0].access_control_group_no_list, vec!["7".to_owned()]);
/// ```
pub fn parse_answer<A: Answer>(body: &str, options: &ParseOptions) -> Result<A> {
    let json = parse_answer_json(body, options, A::KIND)?;
    serde_json::from_str(&json).map_err(|e| {
        Error::parse(ParseProblem::Json(format!(
            "normalized answer unreadable: {e}"
        )))
        .with_status(options.status)
    })
}

/// Like [`parse_flush_response`], but returns the answer as normalized, compact JSON: the members
/// of `flushCloudDBInstanceResponse` with every value typed, absent ones left out, lists always
/// present — what the JavaScript API hands to `JSON.parse`.
///
/// ```
/// use ncloud_redis_flush::{parse::parse_flush_response_json, ParseOptions};
///
/// let xml = "<flushCloudDBInstanceResponse><returnCode>0</returnCode><totalRows>1</totalRows>\
///     <cloudDBInstanceList><cloudDBInstance><isHa>true</isHa><cpuCount/></cloudDBInstance></cloudDBInstanceList>\
///     </flushCloudDBInstanceResponse>";
/// assert_eq!(
///     parse_flush_response_json(xml, &ParseOptions::default()).unwrap(),
///     r#"{"returnCode":0,"returnMessage":"","totalRows":1,"cloudDBInstanceList":[{"isHa":true,"cloudDBConfigList":[],"cloudDBConfigGroupList":[],"accessControlGroupList":[],"cloudDBServerInstanceList":[]}]}"#
/// );
/// ```
pub fn parse_flush_response_json(body: &str, options: &ParseOptions) -> Result<String> {
    parse_answer_json(body, options, CLASSIC_FLUSH)
}

/// Like [`parse_flush_response_json`], for the answer of any API: `kind` gives the root expected
/// and its list (see [`crate::model`]).
pub fn parse_answer_json(body: &str, options: &ParseOptions, kind: AnswerKind) -> Result<String> {
    normalize_body(body, options, kind, false, None).0
}

/// Like [`parse_answer_json`], with the text of a long answer handed to `sink` in pieces as it
/// is written (see [`TextSink`]): returns the text's start, which the pieces given since the
/// last [`TextSink::discard`] follow. A short answer is all in what is returned.
pub fn parse_answer_json_in_pieces(
    body: &str,
    options: &ParseOptions,
    kind: AnswerKind,
    sink: &mut dyn TextSink,
) -> Result<String> {
    normalize_body(body, options, kind, false, Some((sink, PIECE_BYTES))).0
}

/// [`parse_answer_json_in_pieces`] with a piece after every item of the list (the pieces are
/// normally a megabyte or so), the pieces joined after the text's start. For tests, which hold
/// it to [`parse_answer_json`].
#[cfg(feature = "fuzzing")]
pub fn parse_answer_json_in_small_pieces(
    body: &str,
    options: &ParseOptions,
    kind: AnswerKind,
) -> Result<String> {
    struct Collect(alloc::vec::Vec<String>);
    impl TextSink for Collect {
        fn piece(&mut self, text: &str) {
            self.0.push(text.to_owned());
        }
        fn discard(&mut self) {
            self.0.clear();
        }
    }
    let mut pieces = Collect(alloc::vec::Vec::new());
    let head = normalize_body(body, options, kind, false, Some((&mut pieces, 0))).0;
    head.map(|head| head + &pieces.0.concat())
}

/// [`parse_answer_json`] with every object of the answer put in order when it closes, as if its
/// members came out of order. For tests, which hold the two ways of writing to the same output.
#[cfg(feature = "fuzzing")]
pub fn parse_answer_json_buffered(
    body: &str,
    options: &ParseOptions,
    kind: AnswerKind,
) -> Result<String> {
    normalize_body(body, options, kind, true, None).0
}

/// The XML reader alone, with an owned tree. For tests, which hold it to quick-xml (natively).
#[cfg(feature = "fuzzing")]
pub use xml::{parse_and_drop as parse_xml_and_drop, parse_tree as parse_xml_tree, XmlTree};

/// [`parse_answer_json`] when the body is a success whose members came in the schema's order
/// (written as they were read, nothing put in order afterwards); `None` otherwise. For tests.
#[cfg(feature = "fuzzing")]
pub fn parse_answer_json_in_order(body: &str, kind: AnswerKind) -> Option<String> {
    match normalize_body(body, &ParseOptions::default(), kind, false, None) {
        (Ok(out), 0) => Some(out),
        _ => None,
    }
}

/// Whether `name` is a root the answer is read from: the answer's, or an error's.
fn is_root(name: &str, kind: AnswerKind) -> bool {
    matches!(name, "responseError" | "error") || name == kind.root
}

fn excerpt_name(name: &str) -> String {
    name.chars().take(60).collect()
}

/// The start of a body for an HTTP error's details: at most 200 characters, white space folded.
fn excerpt_body(body: &str) -> Option<String> {
    let folded: String = body
        .split_whitespace()
        .flat_map(|w| w.chars().chain(core::iter::once(' ')))
        .take(200)
        .collect();
    let folded = folded.trim_end();
    if folded.is_empty() {
        None
    } else {
        Some(Cow::Borrowed(folded).into_owned())
    }
}

/// What the document's root turned out to be, once the document is read.
enum Found<'s> {
    /// The root (named) is not an object: its type.
    NotObject(&'static str, &'static str),
    Gateway(Root<'s>),
    Api(Root<'s>),
    Success(Root<'s>),
}

/// Reads the root opened by `head`, named `name` (one `is_root` accepts).
fn read_found<'s, S: Source<'s>>(
    src: &mut S,
    head: Head<'s>,
    name: &str,
    kind: AnswerKind,
    failing: bool,
    norm: &mut Normalizer,
) -> Result<Found<'s>> {
    let (names, list, root_name): (&[&str], _, &'static str) = match name {
        "responseError" => (
            &["returnCode", "returnMessage", "requestId"],
            None,
            "responseError",
        ),
        "error" => (&["errorCode", "message", "details"], None, "error"),
        _ => (
            &["requestId", "returnCode", "returnMessage", "totalRows"],
            (!failing).then_some((kind.list, kind.item)),
            kind.root,
        ),
    };
    Ok(match read_root(src, head, names, list, norm)? {
        Err(type_name) => Found::NotObject(root_name, type_name),
        Ok(root) => match root_name {
            "responseError" => Found::Api(root),
            "error" => Found::Gateway(root),
            _ => Found::Success(root),
        },
    })
}

/// Returns the normalized answer (its start, with a sink, which is handed pieces of about the
/// bytes given), and how many objects were put in order at their end.
fn normalize_body(
    body: &str,
    options: &ParseOptions,
    kind: AnswerKind,
    buffer_all: bool,
    sink: Option<(&mut dyn TextSink, usize)>,
) -> (Result<String>, usize) {
    let mut norm = Normalizer::new(body.len() + 64, MAX_NORMALIZED_BYTES, buffer_all, sink);
    let answer = answer(body, options, kind, &mut norm);
    (answer.map(|()| norm.out), norm.reordered)
}

/// Reads `body` and judges it; a success leaves the normalized answer in `norm.out`.
fn answer(
    body: &str,
    options: &ParseOptions,
    kind: AnswerKind,
    norm: &mut Normalizer,
) -> Result<()> {
    let status = options.status;
    let failing = status.is_some_and(|s| s >= 400);
    // With a failing status, what is not an error of the API is an HTTP error.
    let fail = |e: Error, body: &str| {
        if failing {
            Error::Http {
                status: status.unwrap_or_default(),
                details: excerpt_body(body),
            }
        } else {
            e.with_status(status)
        }
    };
    if body.len() > MAX_BODY_BYTES {
        let too_large = ParseProblem::BodyTooLarge {
            size: body.len(),
            limit: MAX_BODY_BYTES,
        };
        return Err(fail(Error::parse(too_large), ""));
    }
    if body.trim().is_empty() {
        return Err(fail(Error::parse(ParseProblem::EmptyBody), body));
    }
    let format = options.format.or_else(|| Format::detect(body));
    let format = format.ok_or_else(|| fail(Error::parse(ParseProblem::UnknownFormat), body))?;
    let fail = |e| fail(e, body);
    match format {
        Format::Json => {
            let found = read_json(body, kind, failing, norm).map_err(fail)?;
            judge(found, kind, status, fail, norm)
        }
        Format::Xml => {
            // The roots `read_found` reads: the contents of any other are not kept.
            let roots = [kind.root, "responseError", "error"];
            let (name, tree) = xml::parse(body, MAX_DEPTH, &roots).map_err(fail)?;
            if !is_root(&name, kind) {
                return Err(fail(unknown_root(excerpt_name(&name), kind)));
            }
            let mut src = TreeSource::new(&tree);
            let head = src.value()?;
            let found = read_found(&mut src, head, &name, kind, failing, norm)?;
            judge(Ok(found), kind, status, fail, norm)
        }
    }
}

fn unknown_root(found: String, kind: AnswerKind) -> Error {
    Error::parse(ParseProblem::UnknownRoot {
        found,
        expected: kind.root,
    })
}

/// The JSON document: the first member of its object that is a root is read, every other
/// value checked and passed over. `Err(what there was)` when there is no root.
fn read_json<'a>(
    body: &'a str,
    kind: AnswerKind,
    failing: bool,
    norm: &mut Normalizer,
) -> Result<core::result::Result<Found<'a>, String>> {
    let mut reader = Reader::new(body, MAX_DEPTH);
    let head = reader.value()?;
    let mut found = None;
    // The first member's name (borrowed from the body, excerpted only if the answer turns out to
    // have no root), or what the body is.
    let mut first: Option<Cow<'a, str>> = None;
    if head == Head::Object {
        while let Some(key) = reader.member(kind.root)? {
            let key = key.or(kind.root);
            if first.is_none() {
                first = Some(match &key {
                    Cow::Borrowed(name) => Cow::Borrowed(name),
                    Cow::Owned(name) => Cow::Owned(excerpt_name(name)),
                });
            }
            let head = reader.value()?;
            if found.is_none() && is_root(&key, kind) {
                found = Some(read_found(&mut reader, head, &key, kind, failing, norm)?);
            } else {
                reader.skip(&head)?;
            }
        }
    } else {
        reader.skip(&head)?;
        first = Some(Cow::Owned(join(&["(the body is ", head.type_name(), ")"])));
    }
    reader.finish()?;
    Ok(found.ok_or_else(|| match first {
        Some(Cow::Borrowed(name)) => excerpt_name(name),
        Some(Cow::Owned(text)) => text,
        None => "(an empty object)".to_owned(),
    }))
}

fn text_of(head: &Option<Head<'_>>) -> Option<String> {
    head.as_ref()
        .and_then(|h| scalar_text(h, &Path::Root).ok().flatten())
        .filter(|s| !s.is_empty())
        .map(Cow::into_owned)
}

/// The verdict on the root read. `fail` marks an error with the status (or makes it an HTTP
/// error, when the status is failing): every error but the gateway's and the API's.
fn judge(
    found: core::result::Result<Found<'_>, String>,
    kind: AnswerKind,
    status: Option<u16>,
    fail: impl Fn(Error) -> Error,
    norm: &mut Normalizer,
) -> Result<()> {
    let api = |[code, message, id]: [&Option<Head<'_>>; 3]| Error::Api {
        return_code: text_of(code).unwrap_or_else(|| "unknown".to_owned()),
        return_message: text_of(message).unwrap_or_default(),
        request_id: text_of(id),
        http_status: status,
    };
    let root = match found.map_err(|found| fail(unknown_root(found, kind)))? {
        Found::NotObject(name, type_name) => {
            return Err(fail(Error::parse(ParseProblem::Field {
                path: name.to_owned(),
                reason: join(&["must be an object, got ", type_name]),
            })))
        }
        Found::Gateway(root) => {
            let [code, message, details, _] = &root.values;
            return Err(Error::Gateway {
                error_code: text_of(code).unwrap_or_else(|| "unknown".to_owned()),
                message: text_of(message).unwrap_or_default(),
                details: text_of(details),
                http_status: status,
            });
        }
        Found::Api(root) => {
            let [code, message, id, _] = &root.values;
            return Err(api([code, message, id]));
        }
        // A success with a failing status: `fail` makes any error an HTTP error.
        Found::Success(_) if status.is_some_and(|s| s >= 400) => {
            return Err(fail(Error::parse(ParseProblem::EmptyBody)))
        }
        Found::Success(root) => root,
    };
    let [id, code, message, _] = &root.values;
    let Some(code_head) = code else {
        let missing = ParseProblem::MissingField("returnCode".into());
        return Err(fail(Error::parse(missing)));
    };
    let return_code = scalar_text(code_head, &Path::Field(&Path::Root, "returnCode"));
    if return_code.map_err(&fail)?.unwrap_or_default().trim() != "0" {
        return Err(api([code, message, id]));
    }
    write_root(&root, kind, norm).map_err(fail)
}

/// The root's members as normalized JSON: `returnCode` 0 (checked by the caller), `returnMessage`
/// `""` and `totalRows` the list's length when absent. The list is in `norm.out` already.
fn write_root(root: &Root<'_>, kind: AnswerKind, norm: &mut Normalizer) -> Result<()> {
    let [id, _, message, rows] = &root.values;
    // Room for the members as written (a long message is copied once).
    let written = |head: &Option<Head<'_>>| match head {
        Some(Head::Str { raw, .. }) => raw.len(),
        Some(Head::Text(text)) => text.len() + 2,
        _ => 24,
    };
    let mut out = String::with_capacity(64 + written(id) + written(message) + written(rows));
    let member = |name: &str, head: &Option<Head<'_>>, kind, out: &mut String| {
        let path = Path::Field(&Path::Root, name);
        head.as_ref()
            .map_or(Ok(false), |h| write_scalar(h, kind, &path, out))
    };
    out.push_str("{\"requestId\":");
    if member("requestId", id, FieldKind::Str, &mut out)? {
        out.push(',');
    } else {
        out.truncate(1);
    }
    out.push_str("\"returnCode\":0,\"returnMessage\":");
    if !member("returnMessage", message, FieldKind::Str, &mut out)? {
        out.push_str("\"\"");
    }
    out.push_str(",\"totalRows\":");
    let rows = member("totalRows", rows, FieldKind::Int, &mut out)?;
    let count = match &root.list {
        Some(list) => list.clone()?,
        None => 0,
    };
    if !rows {
        crate::text::push_integer(&mut out, count as i64);
    }
    out.push_str(",\"");
    out.push_str(kind.list);
    out.push_str("\":");
    if root.list.is_none() {
        out.push_str("[]}");
        norm.out = out;
    } else {
        norm.out.push('}');
        norm.put_before(out);
    }
    Ok(())
}
