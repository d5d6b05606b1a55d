//! From a parsed answer (JSON or XML tree) to its normalized JSON text, by the schema.
//!
//! The wire is tolerant, the output is not: every scalar accepts its text form (XML has nothing
//! else, and JSON answers send numbers and booleans as strings too); absent and `null` mean
//! "not there" and are left out, as is an empty value where a number, a boolean or an object
//! belongs (text keeps `""`); lists are always written (`[]`); members the schema does
//! not know are dropped; a member given twice counts once, the last (as in `JSON.parse`). A value
//! of the wrong type is an error naming its path.
//!
//! The output is compact JSON with the schema's member order: what the JavaScript API hands to
//! the host's `JSON.parse`, and what the Rust API reads into the typed model.

use super::tree::{Node, Path};
use crate::error::{Error, ParseProblem, Result};
use crate::model::schema::{FieldKind, Spec};
use crate::model::MAX_SAFE_INTEGER;
use crate::text::{excerpt, join, push_integer, push_json_string};
use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

/// The most members one structure of the schema has.
const MAX_MEMBERS: usize = 48;

pub(crate) fn field_error(path: &Path<'_>, reason: impl Into<String>) -> Error {
    Error::parse(ParseProblem::Field {
        path: path.text(),
        reason: reason.into(),
    })
}

fn wrong_type(path: &Path<'_>, expected: &str, node: &Node<'_>) -> Error {
    let mut reason = String::from("must be ");
    reason.push_str(expected);
    reason.push_str(", got ");
    reason.push_str(node.type_name());
    field_error(path, reason)
}

/// Whether `text` holds U+FFFD (bytes EF BF BD), which a lone surrogate escape becomes.
fn has_replacement_char(text: &str) -> bool {
    text.as_bytes().windows(3).any(|w| w == [0xef, 0xbf, 0xbd])
}

fn is_blank(node: &Node<'_>) -> bool {
    node.text().is_some_and(|t| t.trim().is_empty())
}

/// The text of a scalar: a string, or a number or boolean as written; `None` for `null`.
pub(crate) fn scalar_text<'n>(node: &'n Node<'_>, path: &Path<'_>) -> Result<Option<&'n str>> {
    match node {
        Node::Null => Ok(None),
        Node::Text(t) | Node::Str { value: t, .. } => Ok(Some(t)),
        Node::Number(n) => Ok(Some(n)),
        Node::Bool(true) => Ok(Some("true")),
        Node::Bool(false) => Ok(Some("false")),
        other => Err(wrong_type(path, "a string", other)),
    }
}

/// A boolean written as text: `true` or `false` in any case, around white space. `Some(None)`
/// when blank (the member is absent), `None` when it is neither.
pub(crate) fn bool_text(text: &str) -> Option<Option<bool>> {
    let t = text.trim();
    if t.is_empty() {
        Some(None)
    } else if t.eq_ignore_ascii_case("true") {
        Some(Some(true))
    } else if t.eq_ignore_ascii_case("false") {
        Some(Some(false))
    } else {
        None
    }
}

/// Parses an integer as written in JSON or text: optional `-`, digits, within ±(2^53 − 1).
pub(crate) fn parse_integer(text: &str, path: &Path<'_>) -> Result<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(field_error(
            path,
            join(&["must be an integer, got ", &excerpt(text)]),
        ));
    }
    match text.parse::<i64>() {
        Ok(n) if (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&n) => Ok(n),
        _ => Err(field_error(
            path,
            join(&[
                "is ",
                &excerpt(text),
                ", outside the range a JavaScript number holds exactly (±2^53 − 1)",
            ]),
        )),
    }
}

/// The items of a list node: a JSON array, the children of an XML element; none for `null` or
/// blank text.
pub(crate) fn list_items<'n, 'a>(node: &'n Node<'a>, path: &Path<'_>) -> Result<Vec<&'n Node<'a>>> {
    match node {
        Node::List(items) => Ok(items.iter().collect()),
        Node::Element(children) => Ok(children.iter().map(|(_, v)| v).collect()),
        Node::Null => Ok(Vec::new()),
        n if is_blank(n) => Ok(Vec::new()),
        other => Err(wrong_type(path, "an array", other)),
    }
}

/// Writes `node` as `kind`; `false` (and nothing written) when it is absent.
pub(crate) fn write_value(
    node: &Node<'_>,
    kind: FieldKind,
    path: &Path<'_>,
    out: &mut String,
) -> Result<bool> {
    match kind {
        FieldKind::Str => match node {
            // A JSON string is copied as written: JSON.parse decodes its escapes. Unless it had
            // a lone surrogate escape (read as U+FFFD): copied, it would stay a lone surrogate in
            // JavaScript and make the output unreadable to serde.
            // (Strings without escapes are borrowed from the body: no need to look.)
            Node::Str { raw, value }
                if matches!(value, Cow::Borrowed(_)) || !has_replacement_char(value) =>
            {
                out.push_str(raw);
                Ok(true)
            }
            _ => match scalar_text(node, path)? {
                Some(text) => {
                    push_json_string(out, text);
                    Ok(true)
                }
                None => Ok(false),
            },
        },
        FieldKind::Int => {
            let text = match node {
                Node::Null => return Ok(false),
                Node::Number(n) => *n,
                Node::Text(t) | Node::Str { value: t, .. } => t.trim(),
                other => return Err(wrong_type(path, "an integer", other)),
            };
            if text.is_empty() {
                return Ok(false);
            }
            push_integer(out, parse_integer(text, path)?);
            Ok(true)
        }
        FieldKind::Bool => {
            let value = match node {
                Node::Null => return Ok(false),
                Node::Bool(b) => *b,
                Node::Text(t) | Node::Str { value: t, .. } => match bool_text(t) {
                    Some(Some(b)) => b,
                    Some(None) => return Ok(false),
                    None => {
                        return Err(field_error(
                            path,
                            join(&["must be true or false, got ", &excerpt(t.trim())]),
                        ))
                    }
                },
                other => return Err(wrong_type(path, "a boolean", other)),
            };
            out.push_str(if value { "true" } else { "false" });
            Ok(true)
        }
        FieldKind::Obj(schema) => match node {
            Node::Object(_) | Node::Element(_) => {
                write_object(node, schema, path, out)?;
                Ok(true)
            }
            Node::Null => Ok(false),
            n if is_blank(n) => Ok(false),
            other => Err(wrong_type(path, "an object", other)),
        },
        FieldKind::List(schema) => {
            out.push('[');
            for (i, item) in list_items(node, path)?.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let item_path = Path::Index(path, i);
                match item {
                    Node::Object(_) | Node::Element(_) => {
                        write_object(item, schema, &item_path, out)?
                    }
                    // `<cloudDBInstance/>`: an item with no member given (its lists still `[]`).
                    n if is_blank(n) => write_object(n, schema, &item_path, out)?,
                    other => return Err(wrong_type(&item_path, "an object", other)),
                }
            }
            out.push(']');
            Ok(true)
        }
        FieldKind::StrList => {
            out.push('[');
            for (i, item) in list_items(node, path)?.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                // An item is written as a text member is (a lone surrogate escape re-escaped).
                let item_path = Path::Index(path, i);
                if !write_value(item, FieldKind::Str, &item_path, out)? {
                    return Err(field_error(&item_path, "must be a string, got null"));
                }
            }
            out.push(']');
            Ok(true)
        }
    }
}

/// Writes the members of `node` that `schema` knows, as a JSON object in the schema's order.
pub(crate) fn write_object(
    node: &Node<'_>,
    schema: &[Spec],
    path: &Path<'_>,
    out: &mut String,
) -> Result<()> {
    let mut slots: [Option<&Node<'_>>; MAX_MEMBERS] = [None; MAX_MEMBERS];
    // Members mostly come in the schema's order: try the one after the last match first.
    let mut next = 0;
    for (key, value) in node.members().unwrap_or(&[]) {
        let key = key.as_ref();
        let found = match schema.get(next) {
            Some(spec) if spec.name == key => Some(next),
            _ => schema.iter().position(|s| s.name == key),
        };
        if let Some(i) = found {
            if let Some(slot) = slots.get_mut(i) {
                *slot = Some(value);
            }
            next = i + 1;
        }
    }
    out.push('{');
    let mut first = true;
    for (spec, slot) in schema.iter().zip(slots.iter()) {
        let is_list = matches!(spec.kind, FieldKind::List(_) | FieldKind::StrList);
        let value = match slot {
            Some(value) => *value,
            None if is_list => &Node::Null,
            None => continue,
        };
        let mark = out.len();
        // Schema names are plain ASCII: no escaping needed.
        out.push_str(if first { "\"" } else { ",\"" });
        out.push_str(spec.name);
        out.push_str("\":");
        if write_value(value, spec.kind, &Path::Field(path, spec.name), out)? {
            first = false;
        } else {
            out.truncate(mark);
        }
    }
    out.push('}');
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CloudDbInstance;

    #[test]
    fn schemas_fit() {
        fn check(schema: &[Spec]) {
            assert!(schema.len() <= MAX_MEMBERS);
            for s in schema {
                if let FieldKind::Obj(inner) | FieldKind::List(inner) = s.kind {
                    check(inner);
                }
            }
        }
        for kind in [
            crate::model::CLASSIC_FLUSH,
            crate::model::VPC_FLUSH,
            crate::model::CACHE_LIST,
        ] {
            check(kind.item);
        }
        assert_eq!(CloudDbInstance::SCHEMA.len(), 26);
    }
}
