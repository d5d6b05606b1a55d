//! From an answer to its normalized JSON text, by the schema: the one normalizer, pulling values
//! from a [`Source`] — the JSON reader over the body, or the XML tree.
//!
//! The wire is tolerant, the output is not: every scalar accepts its text form (XML has nothing
//! else, and JSON answers send numbers and booleans as strings too); absent and `null` mean
//! "not there" and are left out, as is an empty value where a number, a boolean or an object
//! belongs (text keeps `""`); lists are always written (`[]`); members the schema does
//! not know are skipped; a member given twice counts once, the last (as in `JSON.parse`). A value
//! of the wrong type is an error naming its path: the first in the schema's order, once the
//! whole answer is read (a later duplicate may still replace the wrong value).
//!
//! The output is compact JSON with the schema's member order. Members coming in that order — as
//! the API sends them — are written as they are read. A member out of order or given again is
//! written after the others, and the object is put in order when it closes, from the spans of
//! its members' values in the output: what is buffered is only what came out of order, and every
//! value is normalized once, so the cost stays linear in the body whatever its shape.

use super::json::unescape;
use super::source::{Escapes, Head, Name, Source};
use super::tree::Path;
use crate::error::{Error, ParseProblem, Result};
use crate::model::schema::{FieldKind, Spec};
use crate::model::MAX_SAFE_INTEGER;
use crate::text::{excerpt, join, push_integer, push_json_string};
use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

/// The most members one structure of the schema has.
const MAX_MEMBERS: usize = 48;

/// What reading a value gives: `Err` only for the source's own errors (grammar, depth), which
/// end the reading; a wrong value is `Ok(Err(_))`, once the value is read to its end.
type Read<T> = Result<Result<T>>;

pub(crate) fn field_error(path: &Path<'_>, reason: impl Into<String>) -> Error {
    Error::parse(ParseProblem::Field {
        path: path.text(),
        reason: reason.into(),
    })
}

fn wrong_type(path: &Path<'_>, expected: &str, head: &Head<'_>) -> Error {
    let mut reason = String::from("must be ");
    reason.push_str(expected);
    reason.push_str(", got ");
    reason.push_str(head.type_name());
    field_error(path, reason)
}

/// The text of a string value: an XML element's, or a JSON string's, decoded when it has
/// escapes.
pub(crate) fn text<'h>(head: &'h Head<'_>) -> Option<Cow<'h, str>> {
    match *head {
        Head::Text(ref t) => Some(Cow::Borrowed(t)),
        Head::Str {
            raw,
            escapes: Escapes::None,
        } => Some(Cow::Borrowed(
            raw.get(1..raw.len().saturating_sub(1)).unwrap_or(""),
        )),
        Head::Str { raw, .. } => Some(unescape(raw)),
        _ => None,
    }
}

/// Blank text: `<cloudDBInstance/>`, or white space.
fn is_blank(head: &Head<'_>) -> bool {
    text(head).is_some_and(|t| t.trim().is_empty())
}

/// `null` or blank text: no object, no list.
fn is_absent(head: &Head<'_>) -> bool {
    *head == Head::Null || is_blank(head)
}

/// The text of a scalar: a string, or a number or boolean as written; `None` for `null`.
pub(crate) fn scalar_text<'h>(head: &'h Head<'_>, path: &Path<'_>) -> Result<Option<Cow<'h, str>>> {
    match head {
        Head::Null => Ok(None),
        Head::Text(_) | Head::Str { .. } => Ok(text(head)),
        Head::Number(n) => Ok(Some(Cow::Borrowed(n))),
        Head::Bool(true) => Ok(Some(Cow::Borrowed("true"))),
        Head::Bool(false) => Ok(Some(Cow::Borrowed("false"))),
        other => Err(wrong_type(path, "a string", other)),
    }
}

/// A boolean written as text: `true` or `false` in any case, around white space. `Some(None)`
/// when blank (the member is absent), `None` when it is neither.
fn bool_text(text: &str) -> Option<Option<bool>> {
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
fn parse_integer(text: &str, path: &Path<'_>) -> Result<i64> {
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

/// Writes the scalar `head` as `kind` (`Str`, `Int` or `Bool`); `false` (and nothing written)
/// when it is absent. A container is of the wrong type (the caller passes over it).
pub(crate) fn write_scalar(
    head: &Head<'_>,
    kind: FieldKind,
    path: &Path<'_>,
    out: &mut String,
) -> Result<bool> {
    match kind {
        FieldKind::Int => {
            let value = match head {
                Head::Null => return Ok(false),
                Head::Number(n) => Cow::Borrowed(*n),
                Head::Text(_) | Head::Str { .. } => text(head).unwrap_or_default(),
                other => return Err(wrong_type(path, "an integer", other)),
            };
            let text = value.trim();
            if text.is_empty() {
                return Ok(false);
            }
            // Digits without a leading zero, fewer than 16 (so within 2^53): as written.
            let bytes = text.as_bytes();
            if bytes.len() < 16
                && bytes.iter().all(u8::is_ascii_digit)
                && (bytes.len() == 1 || bytes.first() != Some(&b'0'))
            {
                out.push_str(text);
            } else {
                push_integer(out, parse_integer(text, path)?);
            }
            Ok(true)
        }
        FieldKind::Bool => {
            let value = match head {
                Head::Null => return Ok(false),
                Head::Bool(b) => *b,
                Head::Text(_) | Head::Str { .. } => {
                    let t = text(head).unwrap_or_default();
                    match bool_text(&t) {
                        Some(Some(b)) => b,
                        Some(None) => return Ok(false),
                        None => {
                            return Err(field_error(
                                path,
                                join(&["must be true or false, got ", &excerpt(t.trim())]),
                            ));
                        }
                    }
                }
                other => return Err(wrong_type(path, "a boolean", other)),
            };
            out.push_str(if value { "true" } else { "false" });
            Ok(true)
        }
        _ => match head {
            // A JSON string is copied as written: JSON.parse decodes its escapes. Unless it had
            // a lone surrogate escape (decoded as U+FFFD): copied, it would stay a lone surrogate
            // in JavaScript and make the output unreadable to serde.
            Head::Str { raw, escapes } if *escapes != Escapes::LoneSurrogate => {
                out.push_str(raw);
                Ok(true)
            }
            _ => match scalar_text(head, path)? {
                Some(text) => {
                    push_json_string(out, &text);
                    Ok(true)
                }
                None => Ok(false),
            },
        },
    }
}

/// The answer's list is handed to the sink in pieces of about this many bytes (an item is never
/// split): the module holds one piece, not the whole text.
pub(crate) const PIECE_BYTES: usize = 1 << 20;

/// Where a long normalized answer goes in pieces, in order, as it is written: the module then
/// holds a piece of the text at a time, not the whole. (The text can be far longer than the
/// body: each `{}` where an instance belongs becomes an object with its four lists, `[]`.)
///
/// ```
/// use ncloud_redis_flush::parse::{parse_answer_json, parse_answer_json_in_pieces, TextSink};
/// use ncloud_redis_flush::{model::CLASSIC_FLUSH, ParseOptions};
///
/// struct Collect(Vec<String>);
/// impl TextSink for Collect {
///     fn piece(&mut self, text: &str) { self.0.push(text.to_owned()) }
///     fn discard(&mut self) { self.0.clear() }
/// }
///
/// let body = format!(
///     r#"{{"flushCloudDBInstanceResponse":{{"returnCode":"0","cloudDBInstanceList":[{}{{}}]}}}}"#,
///     "{},".repeat(20_000)
/// );
/// let mut pieces = Collect(Vec::new());
/// let head = parse_answer_json_in_pieces(&body, &ParseOptions::default(), CLASSIC_FLUSH, &mut pieces).unwrap();
/// assert!(pieces.0.len() > 1);
/// assert_eq!(head + &pieces.0.concat(), parse_answer_json(&body, &ParseOptions::default(), CLASSIC_FLUSH).unwrap());
/// ```
pub trait TextSink {
    /// The next piece of the text.
    fn piece(&mut self, text: &str);
    /// Forgets every piece given so far: the list they held was given again (the last counts),
    /// or turned out wrong.
    fn discard(&mut self);
}

/// The normalized output being written.
pub(crate) struct Normalizer<'k> {
    /// The text not handed to the sink yet.
    pub(crate) out: String,
    /// Where the answer's list goes in pieces; `None`: all of it stays in `out`.
    sink: Option<&'k mut dyn TextSink>,
    /// How many bytes of the list the sink holds.
    given: usize,
    /// A piece goes to the sink once `out` holds this many bytes.
    piece_bytes: usize,
    /// The longest the list's text may be.
    limit: usize,
    /// The room the output takes when the answer's list starts (none before: most bodies that
    /// write nothing are refused, and need none).
    capacity: usize,
    /// Every object put in order when it closes, as if its members came out of order: for the
    /// tests, which hold the two ways of writing to the same output.
    pub(crate) buffer_all: bool,
    /// How many objects were put in order when they closed.
    pub(crate) reordered: usize,
}

/// What became of a member of an object, the last time it was given.
#[derive(Clone, Copy, PartialEq)]
enum Slot {
    Unset,
    Absent,
    /// Its value is `out[start..end]`.
    Written(usize, usize),
    Failed,
}

impl<'k> Normalizer<'k> {
    /// A normalizer whose list may take `limit` bytes of text, with room for `capacity`; with a
    /// sink, handing it pieces of `piece_bytes` (room for one).
    pub(crate) fn new(
        capacity: usize,
        limit: usize,
        buffer_all: bool,
        sink: Option<(&'k mut dyn TextSink, usize)>,
    ) -> Self {
        let (sink, piece_bytes) = match sink {
            Some((sink, bytes)) => (Some(sink), bytes),
            None => (None, usize::MAX),
        };
        Normalizer {
            out: String::new(),
            // With a sink, the output holds a piece (and the item that ends it).
            capacity: capacity.min(piece_bytes.saturating_add(piece_bytes / 4)),
            sink,
            given: 0,
            piece_bytes,
            limit,
            buffer_all,
            reordered: 0,
        }
    }

    /// Writes the value at the source's cursor as `kind`; `false` (and nothing written) when
    /// it is absent.
    pub(crate) fn value<'s, S: Source<'s>>(
        &mut self,
        src: &mut S,
        kind: FieldKind,
        path: &Path<'_>,
    ) -> Read<bool> {
        let head = src.value()?;
        match kind {
            FieldKind::Obj(schema) if head.has_members() => {
                Ok(self.object(src, schema, path)?.map(|()| true))
            }
            FieldKind::Obj(_) if is_absent(&head) => Ok(Ok(false)),
            FieldKind::Obj(_) => {
                src.skip(&head)?;
                Ok(Err(wrong_type(path, "an object", &head)))
            }
            FieldKind::List(_) | FieldKind::StrList => {
                Ok(self.list(src, head, kind, path, false)?.map(|_| true))
            }
            _ => {
                src.skip(&head)?;
                Ok(write_scalar(&head, kind, path, &mut self.out))
            }
        }
    }

    /// Writes the list `head` opened (or stands for) as `kind`; returns its number of items.
    /// The answer's list (`answer`) goes to the sink in pieces, between items, and its text is
    /// refused past the limit.
    pub(crate) fn list<'s, S: Source<'s>>(
        &mut self,
        src: &mut S,
        head: Head<'s>,
        kind: FieldKind,
        path: &Path<'_>,
        answer: bool,
    ) -> Read<usize> {
        match head {
            Head::List | Head::Element => {}
            h if is_absent(&h) => {
                self.out.push_str("[]");
                return Ok(Ok(0));
            }
            other => {
                src.skip(&other)?;
                return Ok(Err(wrong_type(path, "an array", &other)));
            }
        }
        self.out.push('[');
        let mut count = 0;
        while src.item()? {
            if count > 0 {
                self.out.push(',');
            }
            let item_path = Path::Index(path, count);
            count += 1;
            let item = src.value()?;
            let written = match kind {
                FieldKind::List(schema) if item.has_members() => {
                    self.object(src, schema, &item_path)?
                }
                // `<cloudDBInstance/>`: an item with no member given (its lists still `[]`).
                FieldKind::List(schema) if is_blank(&item) => {
                    self.out.push('{');
                    empty_lists(schema, true, &mut self.out);
                    self.out.push('}');
                    Ok(())
                }
                FieldKind::List(_) => {
                    src.skip(&item)?;
                    Err(wrong_type(&item_path, "an object", &item))
                }
                // Items of a text list are written as text members are.
                _ => {
                    src.skip(&item)?;
                    match write_scalar(&item, FieldKind::Str, &item_path, &mut self.out) {
                        Ok(true) => Ok(()),
                        Ok(false) => Err(field_error(&item_path, "must be a string, got null")),
                        Err(e) => Err(e),
                    }
                }
            };
            if let Err(e) = written {
                src.skip(&head)?;
                return Ok(Err(e));
            }
            if answer {
                self.pass_on()?;
            }
        }
        self.out.push(']');
        Ok(Ok(count))
    }

    /// Between items of the answer's list: refuses a text grown past the limit, and hands a
    /// full piece to the sink.
    fn pass_on(&mut self) -> Result<()> {
        let len = self.out.len();
        if self.given.saturating_add(len) > self.limit {
            return Err(Error::parse(ParseProblem::AnswerTooLarge {
                limit: self.limit,
            }));
        }
        if len >= self.piece_bytes {
            if let Some(sink) = self.sink.as_deref_mut() {
                sink.piece(&self.out);
                self.given += len;
                self.out.clear();
            }
        }
        Ok(())
    }

    /// Forgets the list written so far, here and in the sink.
    pub(crate) fn discard(&mut self) {
        self.out.clear();
        if self.given > 0 {
            if let Some(sink) = self.sink.as_deref_mut() {
                sink.discard();
            }
            self.given = 0;
        }
    }

    /// Puts `head` (the root's members up to the list) before the list written: in `out` when
    /// the list is all there, as the text's start otherwise (the list's end then goes to the
    /// sink, after the pieces before it).
    pub(crate) fn put_before(&mut self, head: String) {
        match self.sink.as_deref_mut() {
            Some(sink) if self.given > 0 => {
                sink.piece(&self.out);
                self.out = head;
            }
            _ => self.out.insert_str(0, &head),
        }
    }

    /// Writes the object just opened as `schema`: the members it knows, in its order.
    fn object<'s, S: Source<'s>>(
        &mut self,
        src: &mut S,
        schema: &[Spec],
        path: &Path<'_>,
    ) -> Read<()> {
        let start = self.out.len();
        self.out.push('{');
        let mut slots = [Slot::Unset; MAX_MEMBERS];
        let mut errors: Vec<(usize, Error)> = Vec::new();
        // Members before `next` in the schema are written (or absent); `first` until one is.
        let mut next = 0;
        let mut first = true;
        let mut in_order = !self.buffer_all;
        // Members mostly come in the schema's order: the one after the last is expected.
        while let Some(name) = src.member(schema.get(next).map_or("", |s| s.name))? {
            let found = match name {
                Name::Expected => Some(next),
                Name::Other(key) => schema.iter().position(|s| s.name == key),
            };
            let (Some(index), Some(spec)) = (found, found.and_then(|i| schema.get(i))) else {
                let head = src.value()?;
                src.skip(&head)?;
                continue;
            };
            in_order &= index >= next;
            if in_order {
                first = empty_lists(schema.get(next..index).unwrap_or(&[]), first, &mut self.out);
            }
            let mark = self.out.len();
            if in_order {
                self.out.push_str(if first { "\"" } else { ",\"" });
                self.out.push_str(spec.name);
                self.out.push_str("\":");
                next = index + 1;
            }
            let value_start = self.out.len();
            let path = Path::Field(path, spec.name);
            let slot = match self.value(src, spec.kind, &path)? {
                Ok(true) => {
                    first &= !in_order;
                    Slot::Written(value_start, self.out.len())
                }
                Ok(false) => Slot::Absent,
                Err(e) => {
                    errors.retain(|(i, _)| *i != index);
                    errors.push((index, e));
                    Slot::Failed
                }
            };
            if !matches!(slot, Slot::Written(..)) {
                self.out.truncate(mark);
            }
            if let Some(s) = slots.get_mut(index) {
                if *s == Slot::Failed && slot != Slot::Failed {
                    errors.retain(|(i, _)| *i != index);
                }
                *s = slot;
            }
        }
        // The first wrong value in the schema's order.
        if let Some(e) = errors.into_iter().min_by_key(|(i, _)| *i) {
            return Ok(Err(e.1));
        }
        if in_order {
            empty_lists(schema.get(next..).unwrap_or(&[]), first, &mut self.out);
            self.out.push('}');
            return Ok(Ok(()));
        }
        // Out of order: the members again, in the schema's order, from their spans.
        self.reordered += 1;
        let mut object = String::with_capacity(self.out.len().saturating_sub(start) + 16);
        object.push('{');
        for (spec, slot) in schema.iter().zip(slots) {
            let value = match slot {
                Slot::Written(from, to) => self.out.get(from..to).unwrap_or(""),
                Slot::Unset if matches!(spec.kind, FieldKind::List(_) | FieldKind::StrList) => "[]",
                _ => continue,
            };
            object.push_str(if object.len() == 1 { "\"" } else { ",\"" });
            object.push_str(spec.name);
            object.push_str("\":");
            object.push_str(value);
        }
        object.push('}');
        self.out.truncate(start);
        self.out.push_str(&object);
        Ok(Ok(()))
    }
}

/// Writes `"name":[]` for the list members of `specs` (absent lists are written empty), the
/// first without a comma when `first`; returns whether nothing is written yet.
fn empty_lists(specs: &[Spec], mut first: bool, out: &mut String) -> bool {
    for spec in specs {
        if matches!(spec.kind, FieldKind::List(_) | FieldKind::StrList) {
            out.push_str(if first { "\"" } else { ",\"" });
            out.push_str(spec.name);
            out.push_str("\":[]");
            first = false;
        }
    }
    first
}

/// The members of an answer's root, or of an error's, kept to be judged once the document is
/// read: the last value of each of `names` (a container as its type alone), and for a success
/// the list, written to the output as it is read.
pub(crate) struct Root<'s> {
    pub(crate) values: [Option<Head<'s>>; 4],
    /// The list's number of items, or what is wrong with it; `None` when absent.
    pub(crate) list: Option<Result<usize>>,
}

/// Reads the root opened by `head` (its value, in the JSON object or the XML root element):
/// `Err(type name)` when it is not an object. `list` names the list to write (with its items'
/// schema), for a success.
pub(crate) fn read_root<'s, S: Source<'s>>(
    src: &mut S,
    head: Head<'s>,
    names: &[&str],
    list: Option<(&'static str, &'static [Spec])>,
    norm: &mut Normalizer,
) -> Result<core::result::Result<Root<'s>, &'static str>> {
    if !head.has_members() {
        src.skip(&head)?;
        return Ok(Err(head.type_name()));
    }
    let mut root = Root {
        values: [None, None, None, None],
        list: None,
    };
    while let Some(key) = src.member("")? {
        let key = key.or("");
        if let Some((name, item)) = list.filter(|(name, _)| *name == key) {
            // Given again: the last one counts.
            norm.discard();
            norm.out.reserve(norm.capacity);
            let path = Path::Field(&Path::Root, name);
            let head = src.value()?;
            let read = norm.list(src, head, FieldKind::List(item), &path, true)?;
            if read.is_err() {
                norm.discard();
            }
            root.list = Some(read);
            continue;
        }
        let head = src.value()?;
        src.skip(&head)?;
        if let Some(i) = names.iter().position(|n| *n == key) {
            if let Some(slot) = root.values.get_mut(i) {
                *slot = Some(head);
            }
        }
    }
    Ok(Ok(root))
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
