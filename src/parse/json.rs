//! A strict JSON (RFC 8259) reader into [`Node`]s, bounded in depth, borrowing unescaped strings.
//!
//! Written for this crate rather than taken from `serde_json` to keep the WebAssembly module small
//! and to keep numbers as written (the model decides how to read them). It accepts exactly what
//! `JSON.parse` accepts, plus a leading byte-order mark; lone surrogate escapes become U+FFFD.
//!
//! Its cost is linear in the text, in time and memory: objects and arrays are gathered on two
//! stacks shared by the whole document and moved into vectors of their exact size when they
//! close (an empty one allocates nothing), and the values of top-level members the caller does
//! not want are read — checked by the same code, so a grammar error is reported the same — but
//! not kept.

use super::tree::Node;
use crate::error::{Error, ParseProblem, Result};
use crate::text::{decimal_string, find_special, join};
use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

/// Parses one JSON document. When the document is an object, the values of its members whose
/// name is not in `keep` are checked but not kept: such a member is in the tree only when it is
/// the first, with `null` for its value (so that errors can name it). An empty `keep` keeps all.
pub(crate) fn parse<'a>(text: &'a str, max_depth: usize, keep: &[&str]) -> Result<Node<'a>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
        max_depth,
        keep,
        skipping: 0,
        members: Vec::new(),
        items: Vec::new(),
    };
    p.skip_ws();
    let value = p.value()?;
    p.skip_ws();
    if p.pos < p.bytes.len() {
        return Err(p.error("unexpected data after the JSON value"));
    }
    Ok(value)
}

struct Parser<'a, 'k> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
    max_depth: usize,
    /// Which top-level members to keep (all when empty).
    keep: &'k [&'k str],
    /// More than 0 while reading a value that is not kept.
    skipping: usize,
    /// The members of the objects being read, innermost last.
    members: Vec<(Cow<'a, str>, Node<'a>)>,
    /// The items of the arrays being read, innermost last.
    items: Vec<Node<'a>>,
}

impl<'a> Parser<'a, '_> {
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
        loop {
            match self.peek() {
                Some(b' ') => {
                    self.pos += 1;
                    // Indentation: eight spaces at a time.
                    while let Some(b"        ") = self.bytes.get(self.pos..self.pos + 8) {
                        self.pos += 8;
                    }
                }
                Some(b'\t' | b'\n' | b'\r') => self.pos += 1,
                _ => return,
            }
        }
    }

    fn literal(&mut self, word: &str, node: Node<'a>) -> Result<Node<'a>> {
        if self.bytes.get(self.pos..self.pos + word.len()) == Some(word.as_bytes()) {
            self.pos += word.len();
            Ok(node)
        } else {
            Err(self.error("invalid literal"))
        }
    }

    fn value(&mut self) -> Result<Node<'a>> {
        match self.peek() {
            Some(b'{') => self.nested(Self::object),
            Some(b'[') => self.nested(Self::array),
            Some(b'"') => {
                let start = self.pos;
                let value = self.string()?;
                let raw = self.text.get(start..self.pos).unwrap_or("");
                Ok(Node::Str { raw, value })
            }
            Some(b't') => self.literal("true", Node::Bool(true)),
            Some(b'f') => self.literal("false", Node::Bool(false)),
            Some(b'n') => self.literal("null", Node::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("unexpected character")),
            None => Err(self.error("unexpected end of input")),
        }
    }

    fn nested(&mut self, f: fn(&mut Self) -> Result<Node<'a>>) -> Result<Node<'a>> {
        self.depth += 1;
        if self.depth > self.max_depth {
            return Err(Error::parse(ParseProblem::TooDeep {
                limit: self.max_depth,
            }));
        }
        let node = f(self)?;
        self.depth -= 1;
        Ok(node)
    }

    fn object(&mut self) -> Result<Node<'a>> {
        self.pos += 1; // '{'
        let start = self.members.len();
        let top = self.depth == 1 && self.skipping == 0;
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(self.close_object(start));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a member name in double quotes"));
            }
            let key = self.string()?;
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.error("expected `:` after a member name"));
            }
            self.pos += 1;
            self.skip_ws();
            if top && !self.keep.is_empty() && !self.keep.contains(&&*key) {
                self.skipping += 1;
                let read = self.value();
                self.skipping -= 1;
                read?;
                if self.members.len() == start {
                    self.members.push((key, Node::Null));
                }
            } else {
                let value = self.value()?;
                if self.skipping == 0 {
                    self.members.push((key, value));
                }
            }
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(self.close_object(start));
                }
                _ => return Err(self.error("expected `,` or `}` in an object")),
            }
        }
    }

    /// The object whose members are on the stack from `start`, in a vector of their number.
    fn close_object(&mut self, start: usize) -> Node<'a> {
        if self.skipping > 0 {
            return Node::Null;
        }
        Node::Object(self.members.split_off(start.min(self.members.len())))
    }

    fn array(&mut self) -> Result<Node<'a>> {
        self.pos += 1; // '['
        let start = self.items.len();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(self.close_array(start));
        }
        loop {
            self.skip_ws();
            let item = self.value()?;
            if self.skipping == 0 {
                self.items.push(item);
            }
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(self.close_array(start));
                }
                _ => return Err(self.error("expected `,` or `]` in an array")),
            }
        }
    }

    /// The array whose items are on the stack from `start`, in a vector of their number.
    fn close_array(&mut self, start: usize) -> Node<'a> {
        if self.skipping > 0 {
            return Node::Null;
        }
        Node::List(self.items.split_off(start.min(self.items.len())))
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Node<'a>> {
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
        Ok(Node::Number(self.text.get(start..self.pos).unwrap_or("")))
    }

    /// Reads a string starting at its opening quote.
    fn string(&mut self) -> Result<Cow<'a, str>> {
        self.pos += 1; // opening quote
        let start = self.pos;
        // Fast path: no escapes.
        self.pos = find_special(self.bytes, start);
        match self.peek() {
            Some(b'"') => {
                let s = self.text.get(start..self.pos).unwrap_or("");
                self.pos += 1;
                return Ok(Cow::Borrowed(s));
            }
            Some(b'\\') => {}
            Some(_) => return Err(self.error("control character in a string")),
            None => return Err(self.error("unterminated string")),
        }
        let mut out = String::from(self.text.get(start..self.pos).unwrap_or(""));
        loop {
            let run_start = self.pos;
            self.pos = find_special(self.bytes, self.pos);
            match self.peek() {
                Some(b'"' | b'\\') => {}
                Some(_) => return Err(self.error("control character in a string")),
                None => return Err(self.error("unterminated string")),
            }
            out.push_str(self.text.get(run_start..self.pos).unwrap_or(""));
            if self.peek() == Some(b'"') {
                self.pos += 1;
                return Ok(Cow::Owned(out));
            }
            self.pos += 1; // backslash
            let escaped = self.peek();
            self.pos += 1;
            match escaped {
                Some(b'"') => out.push('"'),
                Some(b'\\') => out.push('\\'),
                Some(b'/') => out.push('/'),
                Some(b'b') => out.push('\u{8}'),
                Some(b'f') => out.push('\u{c}'),
                Some(b'n') => out.push('\n'),
                Some(b'r') => out.push('\r'),
                Some(b't') => out.push('\t'),
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
                    out.push(c.unwrap_or('\u{fffd}'));
                }
                _ => {
                    self.pos -= 1;
                    return Err(self.error("invalid escape in a string"));
                }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Node<'_> {
        parse(text, 128, &[]).unwrap_or_else(|e| panic!("{text:?}: {e}"))
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
            assert_eq!(ok(&text).get("a"), Some(&Node::Number("1")), "{n}");
        }
    }

    #[test]
    fn values() {
        assert_eq!(ok(" null "), Node::Null);
        assert_eq!(
            ok("[true,false]"),
            Node::List(vec![Node::Bool(true), Node::Bool(false)])
        );
        assert_eq!(ok("-0.5e+3"), Node::Number("-0.5e+3"));
        assert_eq!(
            ok(r#""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#).text(),
            Some("a\"\\/\u{8}\u{c}\n\r\té😀")
        );
        assert_eq!(ok(r#""\ud800x""#).text(), Some("\u{fffd}x"));
        let long = format!("\"{}\\n{}\"", "x".repeat(20), "y".repeat(17));
        assert_eq!(ok(&long).text().map(str::len), Some(38));
        assert!(parse("\"0123456789\u{1}abcdef\"", 128, &[]).is_err());
        assert_eq!(ok("\u{feff}{}"), Node::Object(vec![]));
        let obj = ok(r#"{"a":1,"a":2}"#);
        assert_eq!(obj.get("a"), Some(&Node::Number("2")));
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
            assert!(parse(bad, 128, &[]).is_err(), "accepted {bad:?}");
        }
    }

    #[test]
    fn depth_is_bounded_without_recursion_overflow() {
        let deep = "[".repeat(100_000);
        let err = parse(&deep, 128, &[]).unwrap_err();
        assert_eq!(err.code(), "ERR_TOO_DEEP");
        let fine = format!("{}{}", "[".repeat(128), "]".repeat(128));
        assert!(parse(&fine, 128, &[]).is_ok());
        let too_deep = format!("{}{}", "[".repeat(129), "]".repeat(129));
        assert!(parse(&too_deep, 128, &[]).is_err());
    }

    #[test]
    fn error_names_position() {
        let err = parse("{\n  \"a\": x}", 128, &[]).unwrap_err();
        assert!(err.to_string().contains("line 2, column 8"), "{err}");
    }
}
