//! The JSON reader: a strict RFC 8259 pull reader over the body, bounded in depth, that hands out
//! one value at a time ([`Source`]) and borrows unescaped strings from the body.
//!
//! Written for this crate rather than taken from `serde_json` to keep the WebAssembly module small
//! and to keep numbers as written (the model decides how to read them). It accepts exactly what
//! `JSON.parse` accepts, plus a leading byte-order mark; lone surrogate escapes become U+FFFD.
//!
//! It builds nothing: the normalizer pulls the values the schema knows and has the reader skip
//! the others — checked by the same code, so a grammar error is reported the same wherever it is,
//! without keeping them. Its memory is constant; its time linear in the body.

use super::source::{Head, Name, Source};
use crate::error::{Error, ParseProblem, Result};
use crate::text::{decimal_string, find_special, join};
use alloc::borrow::Cow;
use alloc::string::String;

/// A JSON document being read.
pub(crate) struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
    max_depth: usize,
    /// Just after an opening `{` or `[`: the next member or item is the first.
    first: bool,
}

impl<'a> Reader<'a> {
    /// A reader at the first value of `text` (after a byte-order mark and white space).
    pub(crate) fn new(text: &'a str, max_depth: usize) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = Reader {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            depth: 0,
            max_depth,
            first: false,
        };
        reader.skip_ws();
        reader
    }

    /// After the document's value: only white space may follow.
    pub(crate) fn finish(&mut self) -> Result<()> {
        self.skip_ws();
        if self.pos < self.bytes.len() {
            return Err(self.error("unexpected data after the JSON value"));
        }
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn error(&self, what: &str) -> Error {
        let before = self.bytes.get(..self.pos).unwrap_or(self.bytes);
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        Error::parse(ParseProblem::Json(join(&[
            what,
            " at line ",
            &decimal_string(line as u64),
            ", column ",
            &decimal_string(column as u64),
        ])))
    }

    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    #[inline(always)]
    fn skip_ws(&mut self) {
        const SPACES: u64 = 0x2020_2020_2020_2020;
        loop {
            // Indentation eight spaces at a time (pretty-printed answers are a third blanks).
            if word(self.bytes, self.pos) == Some(SPACES) {
                self.pos += 8;
                continue;
            }
            match self.peek() {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.pos += 1,
                _ => return,
            }
        }
    }

    fn literal(&mut self, word: &str, head: Head<'a>) -> Result<Head<'a>> {
        if self.bytes.get(self.pos..self.pos + word.len()) == Some(word.as_bytes()) {
            self.pos += word.len();
            Ok(head)
        } else {
            Err(self.error("invalid literal"))
        }
    }

    /// The value at the cursor (white space skipped before it): a scalar whole, a container's
    /// opening. Strings are decoded when `decode` is set (else only checked).
    fn read(&mut self, decode: bool) -> Result<Head<'a>> {
        match self.peek() {
            Some(b'{') => self.open(Head::Object),
            Some(b'[') => self.open(Head::List),
            Some(b'"') => {
                let start = self.pos;
                let value = self.string(decode)?;
                let raw = self.text.get(start..self.pos).unwrap_or("");
                Ok(Head::Str { raw, value })
            }
            Some(b't') => self.literal("true", Head::Bool(true)),
            Some(b'f') => self.literal("false", Head::Bool(false)),
            Some(b'n') => self.literal("null", Head::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("unexpected character")),
            None => Err(self.error("unexpected end of input")),
        }
    }

    fn open(&mut self, head: Head<'a>) -> Result<Head<'a>> {
        self.depth += 1;
        if self.depth > self.max_depth {
            return Err(Error::parse(ParseProblem::TooDeep {
                limit: self.max_depth,
            }));
        }
        self.pos += 1;
        self.first = true;
        Ok(head)
    }

    /// The next member's name and its `:` (`None` at the `}`, consumed): `expected` when the
    /// name is that (compared in place), else the name, decoded when `decode` is set.
    fn name(&mut self, expected: &str, decode: bool) -> Result<Option<Name<'a>>> {
        self.skip_ws();
        if core::mem::take(&mut self.first) {
            if self.peek() == Some(b'}') {
                return Ok(self.close(None));
            }
        } else {
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_ws();
                }
                Some(b'}') => return Ok(self.close(None)),
                _ => return Err(self.error("expected `,` or `}` in an object")),
            }
        }
        if self.peek() != Some(b'"') {
            return Err(self.error("expected a member name in double quotes"));
        }
        let start = self.pos + 1;
        let end = start + expected.len();
        let key = if self.bytes.get(end) == Some(&b'"')
            && self
                .bytes
                .get(start..end)
                .is_some_and(|bytes| same(bytes, expected.as_bytes()))
        {
            self.pos = end + 1;
            Name::Expected
        } else {
            Name::Other(self.string(decode)?)
        };
        self.skip_ws();
        if self.peek() != Some(b':') {
            return Err(self.error("expected `:` after a member name"));
        }
        self.pos += 1;
        self.skip_ws();
        Ok(Some(key))
    }

    fn close<T>(&mut self, end: T) -> T {
        self.pos += 1;
        self.depth -= 1;
        end
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Head<'a>> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.error("invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.error("invalid number: no digit after `.`"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("invalid number: no digit in the exponent"));
            }
        }
        Ok(Head::Number(self.text.get(start..self.pos).unwrap_or("")))
    }

    /// Reads a string starting at its opening quote: its value when `decode` is set, else
    /// checked only (an empty value).
    fn string(&mut self, decode: bool) -> Result<Cow<'a, str>> {
        self.pos += 1; // opening quote
        let start = self.pos;
        // Fast path: no escapes.
        self.pos = find_special(self.bytes, start);
        match self.peek() {
            Some(b'"') => {
                let s = self.text.get(start..self.pos).unwrap_or("");
                self.pos += 1;
                return Ok(Cow::Borrowed(if decode { s } else { "" }));
            }
            Some(b'\\') => {}
            Some(_) => return Err(self.error("control character in a string")),
            None => return Err(self.error("unterminated string")),
        }
        let mut out = String::new();
        if decode {
            out.push_str(self.text.get(start..self.pos).unwrap_or(""));
        }
        loop {
            let run_start = self.pos;
            self.pos = find_special(self.bytes, self.pos);
            match self.peek() {
                Some(b'"' | b'\\') => {}
                Some(_) => return Err(self.error("control character in a string")),
                None => return Err(self.error("unterminated string")),
            }
            if decode {
                out.push_str(self.text.get(run_start..self.pos).unwrap_or(""));
            }
            if self.peek() == Some(b'"') {
                self.pos += 1;
                return Ok(Cow::Owned(out));
            }
            self.pos += 1; // backslash
            let escaped = self.peek();
            self.pos += 1;
            let c = match escaped {
                Some(b'"') => '"',
                Some(b'\\') => '\\',
                Some(b'/') => '/',
                Some(b'b') => '\u{8}',
                Some(b'f') => '\u{c}',
                Some(b'n') => '\n',
                Some(b'r') => '\r',
                Some(b't') => '\t',
                Some(b'u') => {
                    let unit = self.hex4()?;
                    let c = if (0xd800..0xdc00).contains(&unit) {
                        // A high surrogate: a low one must follow to make a character.
                        if self.bytes.get(self.pos..self.pos + 2) == Some(b"\\u") {
                            let save = self.pos;
                            self.pos += 2;
                            let low = self.hex4()?;
                            if (0xdc00..0xe000).contains(&low) {
                                char::from_u32(0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00))
                            } else {
                                self.pos = save;
                                None
                            }
                        } else {
                            None
                        }
                    } else {
                        char::from_u32(unit)
                    };
                    c.unwrap_or('\u{fffd}')
                }
                _ => {
                    self.pos -= 1;
                    return Err(self.error("invalid escape in a string"));
                }
            };
            if decode {
                out.push(c);
            }
        }
    }

    fn hex4(&mut self) -> Result<u32> {
        let mut value = 0u32;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return Err(self.error("invalid \\u escape")),
            };
            value = value * 16 + u32::from(digit);
            self.pos += 1;
        }
        Ok(value)
    }
}

/// The eight bytes at `at`, as one word (one load).
#[inline(always)]
fn word(bytes: &[u8], at: usize) -> Option<u64> {
    let eight: [u8; 8] = bytes.get(at..at + 8)?.try_into().ok()?;
    Some(u64::from_ne_bytes(eight))
}

/// Whether `a` and `b` (of the same length) are equal, eight bytes at a time (names are short:
/// no call to `memcmp`).
#[inline(always)]
fn same(a: &[u8], b: &[u8]) -> bool {
    let mut i = 0;
    while let (Some(x), Some(y)) = (word(a, i), word(b, i)) {
        if x != y {
            return false;
        }
        i += 8;
    }
    a.get(i..)
        .zip(b.get(i..))
        .is_some_and(|(x, y)| x.iter().zip(y).all(|(p, q)| p == q))
}

impl<'a> Source<'a> for Reader<'a> {
    #[inline]
    fn value(&mut self) -> Result<Head<'a>> {
        self.read(true)
    }

    #[inline]
    fn member(&mut self, expected: &str) -> Result<Option<Name<'a>>> {
        self.name(expected, true)
    }

    #[inline]
    fn item(&mut self) -> Result<bool> {
        self.skip_ws();
        if core::mem::take(&mut self.first) {
            if self.peek() == Some(b']') {
                return Ok(self.close(false));
            }
            return Ok(true);
        }
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                self.skip_ws();
                Ok(true)
            }
            Some(b']') => Ok(self.close(false)),
            _ => Err(self.error("expected `,` or `]` in an array")),
        }
    }

    /// Reads the rest of the container `head` opened, checking it, keeping nothing (names and
    /// strings are not decoded).
    fn skip(&mut self, head: &Head<'a>) -> Result<()> {
        match head {
            Head::Object => {
                while self.name("", false)?.is_some() {
                    let inner = self.read(false)?;
                    self.skip(&inner)?;
                }
            }
            Head::List => {
                while self.item()? {
                    let inner = self.read(false)?;
                    self.skip(&inner)?;
                }
            }
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value read whole, for the assertions.
    #[derive(Debug, PartialEq)]
    enum V {
        Null,
        Bool(bool),
        Number(String),
        Str(String),
        List(Vec<V>),
        Object(Vec<(String, V)>),
    }

    impl V {
        fn get(&self, name: &str) -> Option<&V> {
            match self {
                V::Object(m) => m.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v),
                _ => None,
            }
        }
        fn text(&self) -> Option<&str> {
            match self {
                V::Str(s) => Some(s),
                _ => None,
            }
        }
    }

    fn read_value(r: &mut Reader<'_>) -> Result<V> {
        Ok(match r.value()? {
            Head::Null => V::Null,
            Head::Bool(b) => V::Bool(b),
            Head::Number(n) => V::Number(n.into()),
            Head::Str { value, .. } => V::Str(value.into_owned()),
            Head::List => {
                let mut items = Vec::new();
                while r.item()? {
                    items.push(read_value(r)?);
                }
                V::List(items)
            }
            Head::Object => {
                let mut members = Vec::new();
                while let Some(k) = r.member("")? {
                    members.push((k.or("").into_owned(), read_value(r)?));
                }
                V::Object(members)
            }
            Head::Text(_) | Head::Element => unreachable!(),
        })
    }

    fn parse(text: &str, max_depth: usize) -> Result<V> {
        let mut r = Reader::new(text, max_depth);
        let v = read_value(&mut r)?;
        r.finish()?;
        Ok(v)
    }

    /// The same document skipped: the same verdict.
    fn skipped(text: &str, max_depth: usize) -> Result<()> {
        let mut r = Reader::new(text, max_depth);
        let head = r.read(false)?;
        r.skip(&head)?;
        r.finish()
    }

    fn ok(text: &str) -> V {
        assert_eq!(skipped(text, 128), Ok(()), "{text:?}");
        parse(text, 128).unwrap_or_else(|e| panic!("{text:?}: {e}"))
    }

    #[test]
    fn indentation() {
        for n in 0..40 {
            let text = format!(
                "{{{}\"a\"{}:{}1{}}}",
                " ".repeat(n),
                " ".repeat(n % 9),
                "\n".repeat(n % 3),
                " ".repeat(n)
            );
            assert_eq!(ok(&text).get("a"), Some(&V::Number("1".into())), "{n}");
        }
    }

    #[test]
    fn values() {
        assert_eq!(ok(" null "), V::Null);
        assert_eq!(
            ok("[true,false]"),
            V::List(vec![V::Bool(true), V::Bool(false)])
        );
        assert_eq!(ok("-0.5e+3"), V::Number("-0.5e+3".into()));
        assert_eq!(
            ok(r#""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#).text(),
            Some("a\"\\/\u{8}\u{c}\n\r\té😀")
        );
        assert_eq!(ok(r#""\ud800x""#).text(), Some("\u{fffd}x"));
        let long = format!("\"{}\\n{}\"", "x".repeat(20), "y".repeat(17));
        assert_eq!(ok(&long).text().map(str::len), Some(38));
        assert!(parse("\"0123456789\u{1}abcdef\"", 128).is_err());
        assert_eq!(ok("\u{feff}{}"), V::Object(vec![]));
        let obj = ok(r#"{"a":1,"a":2}"#);
        assert_eq!(obj.get("a"), Some(&V::Number("2".into())));
        assert_eq!(
            ok(r#"[[],{},[{}],{"a":[]}]"#),
            V::List(vec![
                V::List(vec![]),
                V::Object(vec![]),
                V::List(vec![V::Object(vec![])]),
                V::Object(vec![("a".into(), V::List(vec![]))]),
            ])
        );
    }

    #[test]
    fn rejects_what_json_parse_rejects() {
        for bad in [
            "",
            "{",
            "[1,]",
            "{\"a\":1,}",
            "01",
            "1.",
            ".5",
            "1e",
            "+1",
            "'a'",
            "\"\t\"",
            "tru",
            "nul",
            "{a:1}",
            "[1 2]",
            "\"\\x\"",
            "\"\\u12G4\"",
            "1 2",
            "\"abc",
            "NaN",
            "Infinity",
        ] {
            let read = parse(bad, 128);
            assert!(read.is_err(), "accepted {bad:?}");
            assert_eq!(skipped(bad, 128), read.map(drop), "{bad:?}");
        }
    }

    #[test]
    fn depth_is_bounded_without_recursion_overflow() {
        let deep = "[".repeat(100_000);
        let err = parse(&deep, 128).unwrap_err();
        assert_eq!(err.code(), "ERR_TOO_DEEP");
        assert_eq!(skipped(&deep, 128).unwrap_err().code(), "ERR_TOO_DEEP");
        let fine = format!("{}{}", "[".repeat(128), "]".repeat(128));
        assert!(parse(&fine, 128).is_ok());
        let too_deep = format!("{}{}", "[".repeat(129), "]".repeat(129));
        assert!(parse(&too_deep, 128).is_err());
    }

    #[test]
    fn error_names_position() {
        let err = parse("{\n  \"a\": x}", 128).unwrap_err();
        assert!(err.to_string().contains("line 2, column 8"), "{err}");
    }
}
