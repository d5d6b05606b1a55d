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
mod one_pass;
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
use normalize::{list_items, scalar_text, write_value};
use tree::{Node, Path};

/// The largest body accepted: 64 MiB (a 1,000-instance answer is about 2 MiB).
pub const MAX_BODY_BYTES: usize = 64 << 20;

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

/// What an answer turned out to be, before it is judged.
enum Outcome<'a> {
    Success(&'a Node<'a>),
    Gateway(&'a Node<'a>),
    Api(&'a Node<'a>),
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
    parse_answer_json_with(body, options, kind, true)
}

/// [`parse_answer_json`] without its one-pass fast path (`one_pass`): every body through
/// the tree. For tests, which hold the two paths to the same output.
#[cfg(feature = "fuzzing")]
pub fn parse_answer_json_by_tree(
    body: &str,
    options: &ParseOptions,
    kind: AnswerKind,
) -> Result<String> {
    parse_answer_json_with(body, options, kind, false)
}

/// The XML reader alone, with an owned tree. For tests, which hold it to quick-xml (natively).
#[cfg(feature = "fuzzing")]
pub use xml::{parse_tree as parse_xml_tree, XmlTree};

/// The one-pass fast path alone: `None` where it declines. For tests.
#[cfg(feature = "fuzzing")]
pub fn parse_answer_json_one_pass(body: &str, kind: AnswerKind) -> Option<String> {
    one_pass::transduce(body, kind)
}

fn parse_answer_json_with(
    body: &str,
    options: &ParseOptions,
    kind: AnswerKind,
    fast: bool,
) -> Result<String> {
    let status = options.status;
    let failing = status.is_some_and(|s| s >= 400);
    let http = |body: &str| Error::Http {
        status: status.unwrap_or_default(),
        details: excerpt_body(body),
    };
    if body.len() > MAX_BODY_BYTES {
        let err = Error::parse(ParseProblem::BodyTooLarge {
            size: body.len(),
            limit: MAX_BODY_BYTES,
        });
        return Err(if failing {
            http("")
        } else {
            err.with_status(status)
        });
    }
    if body.trim().is_empty() {
        return Err(if failing {
            http(body)
        } else {
            Error::parse(ParseProblem::EmptyBody).with_status(status)
        });
    }
    let format = match options.format.or_else(|| Format::detect(body)) {
        Some(f) => f,
        None if failing => return Err(http(body)),
        None => return Err(Error::parse(ParseProblem::UnknownFormat).with_status(status)),
    };
    if fast && format == Format::Json && !failing {
        // The common case in one pass; anything unusual falls through to the tree.
        if let Some(out) = one_pass::transduce(body, kind) {
            return Ok(out);
        }
    }
    // The roots `classify` looks for: the contents of any other are not kept.
    let roots = [kind.root, "responseError", "error"];
    let parsed = match format {
        Format::Json => json::parse(body, MAX_DEPTH, &roots).map(|n| (None, n)),
        Format::Xml => xml::parse(body, MAX_DEPTH, &roots).map(|(name, n)| (Some(name), n)),
    };
    let (xml_root, tree) = match parsed {
        Ok(p) => p,
        Err(_) if failing => return Err(http(body)),
        Err(e) => return Err(e.with_status(status)),
    };
    let answer = match classify(xml_root.as_deref(), &tree, kind) {
        Ok(a) => a,
        Err(_) if failing => return Err(http(body)),
        Err(e) => return Err(e.with_status(status)),
    };
    match answer {
        Outcome::Gateway(node) => Err(gateway_error(node, status)),
        Outcome::Api(node) => Err(api_error(node, status)),
        Outcome::Success(_) if failing => Err(http(body)),
        Outcome::Success(node) => {
            let return_code = match node.get("returnCode") {
                Some(n) => scalar_text(n, &Path::Field(&Path::Root, "returnCode"))
                    .map_err(|e| e.with_status(status))?
                    .unwrap_or_default()
                    .to_owned(),
                None => {
                    return Err(
                        Error::parse(ParseProblem::MissingField("returnCode".into()))
                            .with_status(status),
                    )
                }
            };
            if return_code.trim() != "0" {
                return Err(api_error(node, status));
            }
            write_answer(node, kind, body.len()).map_err(|e| e.with_status(status))
        }
    }
}

/// The root's members as normalized JSON: `returnCode` 0 (checked by the caller), `returnMessage`
/// `""` and `totalRows` the list's length when absent.
fn write_answer(node: &Node<'_>, kind: AnswerKind, size_hint: usize) -> Result<String> {
    let root = Path::Root;
    let mut out = String::with_capacity(size_hint);
    out.push('{');
    if let Some(id) = node.get("requestId") {
        let mark = out.len();
        out.push_str("\"requestId\":");
        if !write_value(
            id,
            FieldKind::Str,
            &Path::Field(&root, "requestId"),
            &mut out,
        )? {
            out.truncate(mark);
        } else {
            out.push(',');
        }
    }
    out.push_str("\"returnCode\":0,\"returnMessage\":");
    let message = node.get("returnMessage").unwrap_or(&Node::Null);
    if !write_value(
        message,
        FieldKind::Str,
        &Path::Field(&root, "returnMessage"),
        &mut out,
    )? {
        out.push_str("\"\"");
    }
    out.push_str(",\"totalRows\":");
    let list = node.get(kind.list).unwrap_or(&Node::Null);
    let list_path = Path::Field(&root, kind.list);
    let rows = node.get("totalRows").unwrap_or(&Node::Null);
    if !write_value(
        rows,
        FieldKind::Int,
        &Path::Field(&root, "totalRows"),
        &mut out,
    )? {
        crate::text::push_integer(&mut out, list_items(list, &list_path)?.len() as i64);
    }
    out.push_str(",\"");
    out.push_str(kind.list);
    out.push_str("\":");
    write_value(list, FieldKind::List(kind.item), &list_path, &mut out)?;
    out.push('}');
    Ok(out)
}

/// Finds the root: the XML root element, or the member of the JSON object naming the answer.
fn classify<'a>(
    xml_root: Option<&str>,
    tree: &'a Node<'a>,
    kind: AnswerKind,
) -> Result<Outcome<'a>> {
    let unknown = |found: String| {
        Error::parse(ParseProblem::UnknownRoot {
            found,
            expected: kind.root,
        })
    };
    let pick = |name: &str, node: &'a Node<'a>| -> Option<Outcome<'a>> {
        match name {
            _ if !is_root(name, kind) => None,
            "responseError" => Some(Outcome::Api(node)),
            "error" => Some(Outcome::Gateway(node)),
            _ => Some(Outcome::Success(node)),
        }
    };
    let (name, node) = match xml_root {
        Some(root) => (root.to_owned(), tree),
        None => {
            let Node::Object(members) = tree else {
                return Err(unknown(join(&["(the body is ", tree.type_name(), ")"])));
            };
            if let Some(answer) = members.iter().find_map(|(k, v)| pick(k, v)) {
                return check_object(answer, kind);
            }
            let first = members
                .first()
                .map_or_else(|| "(an empty object)".to_owned(), |(k, _)| excerpt_name(k));
            return Err(unknown(first));
        }
    };
    match pick(&name, node) {
        Some(answer) => check_object(answer, kind),
        None => Err(unknown(excerpt_name(&name))),
    }
}

/// Whether `name` is a root `classify` looks for: the answer's, or an error's.
fn is_root(name: &str, kind: AnswerKind) -> bool {
    matches!(name, "responseError" | "error") || name == kind.root
}

/// The answer's root must hold members (an object or an element with children).
fn check_object(answer: Outcome<'_>, kind: AnswerKind) -> Result<Outcome<'_>> {
    let (node, name) = match &answer {
        Outcome::Success(n) => (n, kind.root),
        Outcome::Api(n) => (n, "responseError"),
        Outcome::Gateway(n) => (n, "error"),
    };
    if node.members().is_some() {
        Ok(answer)
    } else {
        Err(Error::parse(ParseProblem::Field {
            path: name.to_owned(),
            reason: join(&["must be an object, got ", node.type_name()]),
        }))
    }
}

fn excerpt_name(name: &str) -> String {
    name.chars().take(60).collect()
}

fn text_of(node: &Node<'_>, name: &str) -> Option<String> {
    node.get(name)
        .and_then(|n| scalar_text(n, &Path::Root).ok().flatten())
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn gateway_error(node: &Node<'_>, status: Option<u16>) -> Error {
    Error::Gateway {
        error_code: text_of(node, "errorCode").unwrap_or_else(|| "unknown".to_owned()),
        message: text_of(node, "message").unwrap_or_default(),
        details: text_of(node, "details"),
        http_status: status,
    }
}

fn api_error(node: &Node<'_>, status: Option<u16>) -> Error {
    Error::Api {
        return_code: text_of(node, "returnCode").unwrap_or_else(|| "unknown".to_owned()),
        return_message: text_of(node, "returnMessage").unwrap_or_default(),
        request_id: text_of(node, "requestId"),
        http_status: status,
    }
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
