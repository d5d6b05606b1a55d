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

use super::source::{Escapes, Head, Name, Source};
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
            match self.peek() {
                // Indentation a word at a time (pretty-printed answers are a third blanks): the
                // spaces that start the word, eight or fewer.
                Some(b' ') => match word(self.bytes, self.pos) {
                    Some(w) => {
                        let others = w ^ SPACES;
                        self.pos += if others == 0 {
                            8
                        } else {
                            (others.trailing_zeros() / 8) as usize
                        };
                    }
                    None => self.pos += 1,
                },
                Some(b'\t' | b'\n' | b'\r') => self.pos += 1,
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
    /// opening. Strings are checked, not decoded (see [`unescape`]).
    fn read(&mut self) -> Result<Head<'a>> {
        match self.peek() {
            Some(b'{') => self.open(Head::Object),
            Some(b'[') => self.open(Head::List),
            Some(b'"') => {
                let start = self.pos;
                let (_, escapes) = self.string(false)?;
                let raw = self.text.get(start..self.pos).unwrap_or("");
                Ok(Head::Str { raw, escapes })
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
            Name::Other(self.string(decode)?.0)
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
    /// checked only (an empty value); and what its escapes are.
    fn string(&mut self, decode: bool) -> Result<(Cow<'a, str>, Escapes)> {
        self.pos += 1; // opening quote
        let start = self.pos;
        // Fast path: no escapes.
        self.pos = find_special(self.bytes, start);
        match self.peek() {
            Some(b'"') => {
                let s = self.text.get(start..self.pos).unwrap_or("");
                self.pos += 1;
                return Ok((Cow::Borrowed(if decode { s } else { "" }), Escapes::None));
            }
            Some(b'\\') => {}
            Some(_) => return Err(self.error("control character in a string")),
            None => return Err(self.error("unterminated string")),
        }
        let mut out = String::new();
        if decode {
            out.push_str(self.text.get(start..self.pos).unwrap_or(""));
        }
        let mut escapes = Escapes::Chars;
        // At a backslash: the escape, then the run after it.
        loop {
            self.pos += 1; // backslash
            let escaped = self.peek();
            self.pos += 1;
            // The character escaped, as a code point (a lone surrogate's is U+FFFD).
            let code = match escaped {
                Some(b'"') => u32::from(b'"'),
                Some(b'\\') => u32::from(b'\\'),
                Some(b'/') => u32::from(b'/'),
                Some(b'b') => 0x8,
                Some(b'f') => 0xc,
                Some(b'n') => u32::from(b'\n'),
                Some(b'r') => u32::from(b'\r'),
                Some(b't') => u32::from(b'\t'),
                Some(b'u') => {
                    let unit = self.hex4()?;
                    let mut code = None;
                    if (0xd800..0xdc00).contains(&unit) {
                        // A high surrogate: a low one must follow to make a character.
                        if self.bytes.get(self.pos..self.pos + 2) == Some(b"\\u") {
                            let save = self.pos;
                            self.pos += 2;
                            let low = self.hex4()?;
                            if (0xdc00..0xe000).contains(&low) {
                                code = Some(0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00));
                            } else {
                                self.pos = save;
                            }
                        }
                    } else if !(0xdc00..0xe000).contains(&unit) {
                        code = Some(unit);
                    }
                    code.unwrap_or_else(|| {
                        escapes = Escapes::LoneSurrogate;
                        0xfffd
                    })
                }
                _ => {
                    self.pos -= 1;
                    return Err(self.error("invalid escape in a string"));
                }
            };
            if decode {
                out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
            }
            // The run to the next backslash or the closing quote (none, between escapes).
            let run_start = self.pos;
            if !matches!(self.peek(), Some(b'\\' | b'"')) {
                self.pos = find_special(self.bytes, self.pos);
            }
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
                return Ok((Cow::Owned(out), escapes));
            }
        }
    }

    /// The four hex digits of a `\u` escape, at the cursor.
    #[inline(always)]
    fn hex4(&mut self) -> Result<u32> {
        if let Some(&[a, b, c, d]) = self.bytes.get(self.pos..self.pos + 4) {
            if let (Some(a), Some(b), Some(c), Some(d)) =
                (hex_digit(a), hex_digit(b), hex_digit(c), hex_digit(d))
            {
                self.pos += 4;
                return Ok(a << 12 | b << 8 | c << 4 | d);
            }
        }
        // A digit is wrong, or missing: the error is where.
        while self.peek().and_then(hex_digit).is_some() {
            self.pos += 1;
        }
        Err(self.error("invalid \\u escape"))
    }
}

/// The value of a hex digit, any case.
#[inline(always)]
fn hex_digit(b: u8) -> Option<u32> {
    let digit = b.wrapping_sub(b'0');
    if digit < 10 {
        return Some(u32::from(digit));
    }
    let letter = (b | 0x20).wrapping_sub(b'a');
    (letter < 6).then_some(u32::from(letter) + 10)
}

/// The value of a string token the reader has checked (the `raw` of a [`Head::Str`]), its
/// escapes decoded (a lone surrogate's as U+FFFD): by the reader itself.
pub(crate) fn unescape(raw: &str) -> Cow<'_, str> {
    let mut reader = Reader::new(raw, 1);
    reader
        .string(true)
        .map_or(Cow::Borrowed(""), |(value, _)| value)
}

/// The eight bytes at `at`, as one word (one load).
#[inline(always)]
fn word(bytes: &[u8], at: usize) -> Option<u64> {
    let eight: [u8; 8] = bytes.get(at..at + 8)?.try_into().ok()?;
    Some(u64::from_le_bytes(eight))
}

/// Whether `a` and `b` are equal, eight bytes at a time, the last eight overlapping (names are
/// short: no call to `memcmp`, no byte loop).
#[inline(always)]
fn same(a: &[u8], b: &[u8]) -> bool {
    let n = b.len();
    if a.len() != n {
        return false;
    }
    if n < 8 {
        return a.iter().zip(b).all(|(p, q)| p == q);
    }
    let mut i = 0;
    while i + 8 < n {
        if word(a, i) != word(b, i) {
            return false;
        }
        i += 8;
    }
    word(a, n - 8) == word(b, n - 8)
}

impl<'a> Source<'a> for Reader<'a> {
    #[inline]
    fn value(&mut self) -> Result<Head<'a>> {
        self.read()
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
                    let inner = self.read()?;
                    self.skip(&inner)?;
                }
            }
            Head::List => {
                while self.item()? {
                    let inner = self.read()?;
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
            Head::Str { raw, .. } => V::Str(unescape(raw).into_owned()),
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
        let head = r.read()?;
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
        // A `\u` escape's error is at its first digit that is not one (or at the end).
        for (bad, column) in [
            ("\"ab\\u12G4\"", 8),
            ("\"\\n\\u00e9\\uZ\"", 12),
            ("\"\\ud800\\udc0x\"", 13),
            ("\"\\u12", 6),
        ] {
            let err = parse(bad, 128).unwrap_err();
            let at = format!("line 1, column {column}");
            assert!(err.to_string().contains(&at), "{bad}: {err}");
        }
    }
}
