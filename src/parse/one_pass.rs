//! The fast path of JSON answers: one pass from the body to its normalized JSON, without a tree.
//!
//! It handles the common case — a successful answer whose members come in the schema's order,
//! strings without `\u` escapes, members of the types the schema names — and writes exactly what
//! the tree path (`parse_answer_json` through the normalizer) writes.
//! Anything else (a member out of order or given twice, an unexpected type, an error answer, a
//! grammar error, great depth) makes it decline with `None`, and the tree path then reads the
//! body and gives the answer or the precise error. Declining is always safe; accepting is tested
//! against the tree path (`tests/properties.rs`, `tests/regressions.rs`).

use super::normalize::{bool_text, parse_integer};
use super::tree::Path;
use crate::model::schema::{FieldKind, Spec};
use crate::model::AnswerKind;
use crate::text::{find_special, push_integer, push_json_string};
use alloc::borrow::ToOwned;
use alloc::string::String;

/// Nesting at which the transducer gives up (well below the tree path's limit, so that it never
/// accepts a body the tree path refuses as too deep).
const MAX_DEPTH: usize = 64;

/// The normalized JSON of a successful answer `body` of `kind`, or `None` to use the tree path.
pub(crate) fn transduce(body: &str, kind: AnswerKind) -> Option<String> {
    let mut t = Transducer {
        src: body,
        bytes: body.as_bytes(),
        i: 0,
        depth: 0,
    };
    t.expect(b'{')?;
    let key = t.key()?;
    if key != kind.root {
        return None;
    }
    t.skip_ws();
    let out = t.root(kind, body.len())?;
    // Only one member at the top, and nothing after the document.
    t.expect(b'}')?;
    t.skip_ws();
    (t.i == t.bytes.len()).then_some(out)
}

struct Transducer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    i: usize,
    depth: usize,
}

/// A scanned string token: its span (quotes included) and whether it holds escapes.
struct Token {
    start: usize,
    end: usize,
    escaped: bool,
}

impl<'a> Transducer<'a> {
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.i).copied()
    }

    #[inline(always)]
    fn skip_ws(&mut self) {
        const SPACES: u64 = 0x2020_2020_2020_2020;
        loop {
            // Indentation eight spaces at a time (pretty-printed answers are a third blanks).
            if let Some(&[a, b, c, d, e, f, g, h]) = self.bytes.get(self.i..self.i + 8) {
                if u64::from_le_bytes([a, b, c, d, e, f, g, h]) == SPACES {
                    self.i += 8;
                    continue;
                }
            }
            if matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
                self.i += 1;
            } else {
                return;
            }
        }
    }

    /// Skips whitespace and consumes `c`.
    #[inline(always)]
    fn expect(&mut self, c: u8) -> Option<()> {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.i += 1;
            Some(())
        } else {
            None
        }
    }

    #[inline(always)]
    fn text(&self, start: usize, end: usize) -> Option<&'a str> {
        self.src.get(start..end)
    }

    /// A string token at the cursor; declines on `\u` escapes (which may spell lone surrogates
    /// or key names) and on what JSON forbids.
    #[inline(always)]
    fn string(&mut self) -> Option<Token> {
        let start = self.i;
        if self.peek() != Some(b'"') {
            return None;
        }
        self.i += 1;
        let mut escaped = false;
        loop {
            // Plain bytes eight at a time, up to a quote, a backslash or a control character.
            self.i = find_special(self.bytes, self.i);
            match *self.bytes.get(self.i)? {
                b'"' => {
                    self.i += 1;
                    return Some(Token {
                        start,
                        end: self.i,
                        escaped,
                    });
                }
                b'\\' => {
                    let e = *self.bytes.get(self.i + 1)?;
                    if !matches!(e, b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') {
                        return None;
                    }
                    escaped = true;
                    self.i += 2;
                }
                0..=0x1f => return None,
                _ => self.i += 1,
            }
        }
    }

    /// The value of a string token without escapes.
    #[inline(always)]
    fn plain(&self, token: &Token) -> Option<&'a str> {
        if token.escaped {
            return None;
        }
        self.text(token.start + 1, token.end - 1)
    }

    /// A member name and its `:`.
    #[inline(always)]
    fn key(&mut self) -> Option<&'a str> {
        self.skip_ws();
        let token = self.string()?;
        let key = self.plain(&token)?;
        self.expect(b':')?;
        Some(key)
    }

    /// Consumes the string token `"name"` when it is at the cursor (a name without escapes:
    /// the schema's names are plain ASCII).
    #[inline(always)]
    fn eat_key(&mut self, name: &str) -> bool {
        let name = name.as_bytes();
        let start = self.i + 1;
        let end = start + name.len();
        let matches = self.bytes.get(self.i) == Some(&b'"')
            && self.bytes.get(end) == Some(&b'"')
            && self
                .bytes
                .get(start..end)
                .is_some_and(|bytes| bytes.iter().zip(name).all(|(a, b)| a == b));
        if matches {
            self.i = end + 1;
        }
        matches
    }

    /// A number token (RFC 8259 grammar); `true` when it is an integer (`-?digits`).
    fn number(&mut self) -> Option<(&'a str, bool)> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek()? {
            b'0' => self.i += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            self.i += 1;
            self.some_digits()?;
            integer = false;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            self.some_digits()?;
            integer = false;
        }
        Some((self.text(start, self.i)?, integer))
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.i += 1;
        }
    }

    fn some_digits(&mut self) -> Option<()> {
        let start = self.i;
        self.digits();
        (self.i > start).then_some(())
    }

    /// `true`, `false` or `null` at the cursor.
    fn literal(&mut self) -> Option<Option<bool>> {
        let rest = self.bytes.get(self.i..)?;
        let (value, len) = if rest.starts_with(b"true") {
            (Some(true), 4)
        } else if rest.starts_with(b"false") {
            (Some(false), 5)
        } else if rest.starts_with(b"null") {
            (None, 4)
        } else {
            return None;
        };
        self.i += len;
        Some(value)
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    /// Skips any value, checking its grammar.
    fn skip_value(&mut self) -> Option<()> {
        self.skip_ws();
        match self.peek()? {
            b'"' => self.string().map(drop),
            b'{' => self
                .items(b'}', |t| {
                    t.string()?;
                    t.expect(b':')?;
                    t.skip_value()
                })
                .map(drop),
            b'[' => self.items(b']', Self::skip_value).map(drop),
            b't' | b'f' | b'n' => self.literal().map(drop),
            _ => self.number().map(drop),
        }
    }

    /// The items of the object or array opened at the cursor (`{` or `[`, closed by `close`):
    /// `item` reads each, from its first byte; nesting is counted. Returns how many there were.
    fn items(&mut self, close: u8, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<usize> {
        let open = if close == b'}' { b'{' } else { b'[' };
        if self.peek() != Some(open) {
            return None;
        }
        self.enter()?;
        self.i += 1;
        let mut count = 0;
        self.skip_ws();
        if self.peek() == Some(close) {
            self.i += 1;
        } else {
            loop {
                self.skip_ws();
                item(self)?;
                count += 1;
                if !self.comma_or(close)? {
                    break;
                }
            }
        }
        self.depth -= 1;
        Some(count)
    }

    /// `null` at the cursor means absent: `Some(false)`; `true` or `false` there declines.
    fn null(&mut self) -> Option<bool> {
        self.literal()?.map_or(Some(false), |_| None)
    }

    /// After an item: `Some(true)` for `,` (another follows), `Some(false)` for `close`.
    #[inline(always)]
    fn comma_or(&mut self, close: u8) -> Option<bool> {
        self.skip_ws();
        match self.peek()? {
            b',' => {
                self.i += 1;
                Some(true)
            }
            c if c == close => {
                self.i += 1;
                Some(false)
            }
            _ => None,
        }
    }

    /// Whether the string token holds only whitespace (as `str::trim` sees it).
    fn is_blank(&self, token: &Token) -> Option<bool> {
        Some(self.plain(token)?.trim().is_empty())
    }

    /// Writes the value at the cursor as `kind`, as `normalize::write_value` does: `Some(true)`
    /// written, `Some(false)` absent (nothing written), `None` declined.
    fn value(&mut self, kind: FieldKind, out: &mut String) -> Option<bool> {
        self.skip_ws();
        let c = self.peek()?;
        match kind {
            FieldKind::Str => match c {
                b'"' => {
                    let token = self.string()?;
                    let raw = self.text(token.start, token.end)?;
                    // The tree path re-escapes an escaped string holding U+FFFD: leave it that.
                    if token.escaped && raw.contains('\u{fffd}') {
                        return None;
                    }
                    out.push_str(raw);
                    Some(true)
                }
                b't' | b'f' | b'n' => match self.literal()? {
                    Some(b) => {
                        push_json_string(out, if b { "true" } else { "false" });
                        Some(true)
                    }
                    None => Some(false),
                },
                b'{' | b'[' => None,
                _ => {
                    let (number, _) = self.number()?;
                    push_json_string(out, number);
                    Some(true)
                }
            },
            FieldKind::Int => {
                let text = match c {
                    b'"' => {
                        let token = self.string()?;
                        self.plain(&token)?.trim()
                    }
                    b'n' => return self.null(),
                    b'-' | b'0'..=b'9' => match self.number()? {
                        (n, true) => n,
                        _ => return None,
                    },
                    _ => return None,
                };
                if text.is_empty() {
                    return Some(false);
                }
                // Digits without a leading zero, fewer than 16 (so within 2^53): as written.
                let bytes = text.as_bytes();
                if bytes.len() < 16
                    && bytes.iter().all(u8::is_ascii_digit)
                    && (bytes.len() == 1 || bytes.first() != Some(&b'0'))
                {
                    out.push_str(text);
                    return Some(true);
                }
                push_integer(out, parse_integer(text, &Path::Root).ok()?);
                Some(true)
            }
            FieldKind::Bool => {
                let value = match c {
                    b'"' => {
                        let token = self.string()?;
                        match bool_text(self.plain(&token)?)? {
                            Some(b) => b,
                            None => return Some(false),
                        }
                    }
                    b't' | b'f' | b'n' => match self.literal()? {
                        Some(b) => b,
                        None => return Some(false),
                    },
                    _ => return None,
                };
                out.push_str(if value { "true" } else { "false" });
                Some(true)
            }
            FieldKind::Obj(schema) => match c {
                b'{' => {
                    self.object(schema, out)?;
                    Some(true)
                }
                b'n' => self.null(),
                b'"' => {
                    let token = self.string()?;
                    self.is_blank(&token)?.then_some(false)
                }
                _ => None,
            },
            FieldKind::List(_) | FieldKind::StrList => {
                self.list(kind, out)?;
                Some(true)
            }
        }
    }

    /// A list member (`FieldKind::List` or `FieldKind::StrList`); returns its number of items.
    fn list(&mut self, kind: FieldKind, out: &mut String) -> Option<usize> {
        self.skip_ws();
        match self.peek()? {
            b'[' => {}
            b'n' => {
                self.null()?;
                out.push_str("[]");
                return Some(0);
            }
            b'"' => {
                let token = self.string()?;
                self.is_blank(&token)?.then_some(())?;
                out.push_str("[]");
                return Some(0);
            }
            _ => return None,
        }
        out.push('[');
        let mut first = true;
        let count = self.items(b']', |t| {
            if !first {
                out.push(',');
            }
            first = false;
            match kind {
                FieldKind::List(schema) if t.peek() == Some(b'{') => t.object(schema, out),
                // Strings as written, numbers and booleans as text; null is an error.
                FieldKind::StrList => t.value(FieldKind::Str, out)?.then_some(()),
                _ => None,
            }
        })?;
        out.push(']');
        Some(count)
    }

    /// An object of `schema` at the cursor (`{`), written in the schema's order: members must
    /// come in that order, once each (unknown ones are skipped), or the transducer declines.
    fn object(&mut self, schema: &[Spec], out: &mut String) -> Option<()> {
        out.push('{');
        let mut next = 0;
        let mut first = true;
        self.items(b'}', |t| {
            // Members mostly come in the schema's order: the expected name is compared in place
            // first, and only another name is scanned and looked up.
            let found = if schema.get(next).is_some_and(|spec| t.eat_key(spec.name)) {
                t.expect(b':')?;
                Some(next)
            } else {
                let key = t.key()?;
                schema.iter().position(|s| s.name == key)
            };
            let Some(index) = found else {
                return t.skip_value();
            };
            if index < next {
                return None;
            }
            empty_lists(schema.get(next..index)?, &mut first, out);
            let spec = schema.get(index)?;
            let mark = out.len();
            out.push_str(if first { "\"" } else { ",\"" });
            out.push_str(spec.name);
            out.push_str("\":");
            if t.value(spec.kind, out)? {
                first = false;
            } else {
                out.truncate(mark);
            }
            next = index + 1;
            Some(())
        })?;
        empty_lists(schema.get(next..)?, &mut first, out);
        out.push('}');
        Some(())
    }

    /// The answer's root object (at its `{`): `requestId`, `returnCode` (which must be 0),
    /// `returnMessage`, `totalRows` and the list, in any order, once each.
    fn root(&mut self, kind: AnswerKind, size_hint: usize) -> Option<String> {
        // Each member's normalized value once read ("" when absent).
        let mut request_id: Option<String> = None;
        let mut return_code_seen = false;
        let mut message: Option<String> = None;
        let mut rows: Option<String> = None;
        let mut list: Option<(String, usize)> = None;
        self.items(b'}', |t| {
            let key = t.key()?;
            let scalar = |t: &mut Self, seen: &mut Option<String>, kind| {
                let mut v = String::new();
                t.value(kind, &mut v)?;
                seen.replace(v).is_none().then_some(())
            };
            match key {
                "requestId" => scalar(t, &mut request_id, FieldKind::Str),
                "returnMessage" => scalar(t, &mut message, FieldKind::Str),
                "totalRows" => scalar(t, &mut rows, FieldKind::Int),
                "returnCode" if !return_code_seen => {
                    t.skip_ws();
                    let zero = match t.peek()? {
                        b'"' => {
                            let token = t.string()?;
                            t.plain(&token)?.trim() == "0"
                        }
                        _ => t.number()?.0 == "0",
                    };
                    return_code_seen = true;
                    zero.then_some(())
                }
                "returnCode" => None,
                _ if key == kind.list => {
                    let mut v = String::with_capacity(size_hint);
                    let count = t.list(FieldKind::List(kind.item), &mut v)?;
                    list.replace((v, count)).is_none().then_some(())
                }
                _ => t.skip_value(),
            }
        })?;
        if !return_code_seen {
            return None;
        }
        let (list, count) = list.unwrap_or_else(|| ("[]".to_owned(), 0));
        let mut out = String::with_capacity(list.len() + 128);
        out.push('{');
        if let Some(id) = request_id.filter(|id| !id.is_empty()) {
            out.push_str("\"requestId\":");
            out.push_str(&id);
            out.push(',');
        }
        out.push_str("\"returnCode\":0,\"returnMessage\":");
        match message.filter(|m| !m.is_empty()) {
            Some(m) => out.push_str(&m),
            None => out.push_str("\"\""),
        }
        out.push_str(",\"totalRows\":");
        match rows.filter(|r| !r.is_empty()) {
            Some(r) => out.push_str(&r),
            None => push_integer(&mut out, i64::try_from(count).ok()?),
        }
        out.push_str(",\"");
        out.push_str(kind.list);
        out.push_str("\":");
        out.push_str(&list);
        out.push('}');
        Some(out)
    }
}

/// Writes `"name":[]` for the list members of `specs` (absent lists are written empty).
fn empty_lists(specs: &[Spec], first: &mut bool, out: &mut String) {
    for spec in specs {
        if matches!(spec.kind, FieldKind::List(_) | FieldKind::StrList) {
            out.push_str(if *first { "\"" } else { ",\"" });
            out.push_str(spec.name);
            out.push_str("\":[]");
            *first = false;
        }
    }
}
