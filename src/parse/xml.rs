//! XML into [`Node`]s with a small reader of its own, refusing document type declarations, and
//! the escaping the writer needs.
//!
//! The API's XML has no attributes, namespaces or mixed content: an element either holds text
//! (→ [`Node::Text`]) or child elements (→ [`Node::Element`]). Entity references are decoded (the
//! five predefined ones and character references); a `<!DOCTYPE` is refused as soon as it is met,
//! before anything in it is read, so no entity is ever declared, let alone expanded (no billion
//! laughs, no XXE).
//!
//! It reads documents as a parser built on quick-xml 0.38 does (`tests/xml_reader.rs` holds it to
//! that reference on generated documents). Like it, it checks what the tree depends on and
//! little more: names are what a tag holds up to its first white space (their characters are not
//! checked), attributes are skipped (a quoted value may hold `>`), and the characters of text are
//! not checked. It is stricter in three places: a tag without a name (`<>`, `< a>`) is an error, a
//! `<!DOCTYPE` is refused even when it is malformed or not closed, and only one byte-order mark is
//! skipped.

use super::tree::Node;
use crate::error::{Error, ParseProblem, Result};
use crate::text::{decimal_string, join};
use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

/// White space as XML defines it.
const SPACE: [char; 4] = [' ', '\t', '\r', '\n'];

// Messages worded as quick-xml worded them.
const TAG_NOT_CLOSED: &str = "syntax error: tag not closed: `>` not found before end of input";
const COMMENT_NOT_CLOSED: &str =
    "syntax error: comment not closed: `-->` not found before end of input";
const CDATA_NOT_CLOSED: &str =
    "syntax error: CDATA not closed: `]]>` not found before end of input";
const PI_NOT_CLOSED: &str = "syntax error: processing instruction or xml declaration not closed: `?>` not found before end of input";
const REFERENCE_NOT_CLOSED: &str = "ill-formed document: entity or character reference not closed: `;` not found before end of input";

/// An element whose end tag is still to come. Its children are on the reader's stack of
/// children, from `first`: moved into a vector of their exact number when it closes.
struct Open<'a> {
    /// The name as written in the start tag, which the end tag must repeat.
    name: &'a str,
    text: Cow<'a, str>,
    first: usize,
    /// Whether it has child elements (then its text, indentation, is dropped).
    has_children: bool,
}

impl<'a> Open<'a> {
    fn new(name: &'a str, first: usize) -> Self {
        Open {
            name,
            text: Cow::Borrowed(""),
            first,
            has_children: false,
        }
    }

    /// The element, its children taken from `children`; when `kept` is false (the contents of
    /// a root no caller looks into), an empty text.
    fn close(
        self,
        children: &mut Vec<(Cow<'a, str>, Node<'a>)>,
        kept: bool,
    ) -> (Cow<'a, str>, Node<'a>) {
        let node = if !kept {
            Node::Text(Cow::Borrowed(""))
        } else if self.has_children {
            Node::Element(children.split_off(self.first.min(children.len())))
        } else {
            Node::Text(self.text)
        };
        // The local part of the name: what follows the last `:`.
        let local = self.name.rsplit(':').next().unwrap_or(self.name);
        (Cow::Borrowed(local), node)
    }

    fn push_text(&mut self, more: Cow<'a, str>) {
        if self.has_children {
            // Text beside child elements (indentation) is dropped by `close`: keep none of it.
        } else if self.text.is_empty() {
            self.text = more;
        } else {
            self.text.to_mut().push_str(&more);
        }
    }
}

/// `what` went wrong at byte `at`. (Out of line: the error paths are many and cold.)
#[cold]
#[inline(never)]
fn xml_error(at: usize, what: &str) -> Error {
    Error::parse(ParseProblem::Xml(join(&[
        what,
        " (at byte ",
        &decimal_string(at as u64),
        ")",
    ])))
}

/// Parses one XML document into `(root name, root node)`. A root whose local name is not in
/// `keep` (when `keep` is not empty) is read and checked but its contents are not kept.
pub(crate) fn parse<'a>(
    text: &'a str,
    max_depth: usize,
    keep: &[&str],
) -> Result<(Cow<'a, str>, Node<'a>)> {
    // A byte-order mark (three bytes) is skipped.
    let mut pos = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut stack: Vec<Open<'_>> = Vec::new();
    let mut children: Vec<(Cow<'a, str>, Node<'a>)> = Vec::new();
    let mut kept = true;
    let mut root = None;
    loop {
        // Character data up to the next markup, then the markup after its `<` (at byte `at`).
        let rest = text.get(pos..).unwrap_or("");
        let (raw, markup) = match rest.split_once('<') {
            Some((raw, markup)) => (raw, Some(markup)),
            None => (rest, None),
        };
        if !raw.is_empty() {
            let content = char_data(raw, pos, true)?;
            match stack.last_mut() {
                Some(open) => open.push_text(content),
                None if raw.contains('&') => {
                    return Err(xml_error(pos, "a reference outside the root element"))
                }
                // White space as `str::trim` knows it (Unicode's), as the parser on quick-xml did.
                None if !content.trim().is_empty() => {
                    return Err(xml_error(pos, "text outside the root element"))
                }
                None => {}
            }
        }
        let at = pos + raw.len();
        let Some(markup) = markup else { break };
        let mut closed = None;
        // Each branch reads one markup and says how many bytes it took after the `<`.
        let taken = if let Some(body) = markup.strip_prefix("!--") {
            let end = find(body, "-->").ok_or_else(|| xml_error(at, COMMENT_NOT_CLOSED))?;
            let comment = body.get(..end).unwrap_or("");
            if find(comment, "--").is_some() || comment.ends_with('-') {
                return Err(xml_error(
                    at,
                    "ill-formed document: forbidden string `--` was found in a comment",
                ));
            }
            3 + end + 3
        } else if let Some(body) = markup.strip_prefix("![CDATA[") {
            let end = find(body, "]]>").ok_or_else(|| xml_error(at, CDATA_NOT_CLOSED))?;
            let Some(open) = stack.last_mut() else {
                return Err(xml_error(at, "CDATA outside the root element"));
            };
            open.push_text(char_data(body.get(..end).unwrap_or(""), at + 9, false)?);
            8 + end + 3
        } else if markup
            .get(..8)
            .is_some_and(|w| w.eq_ignore_ascii_case("!DOCTYPE"))
        {
            return Err(Error::parse(ParseProblem::XmlDtd));
        } else if let Some(bang) = markup.strip_prefix('!') {
            return Err(xml_error(
                at,
                match bang.bytes().next() {
                    Some(b'-') => COMMENT_NOT_CLOSED,
                    Some(b'[') => CDATA_NOT_CLOSED,
                    Some(b'D' | b'd') => {
                        "syntax error: DOCTYPE not closed: `>` not found before end of input"
                    }
                    _ => "syntax error: unknown or missed symbol in markup",
                },
            ));
        } else if markup.starts_with('?') {
            // A processing instruction or the XML declaration, skipped. The `?` after `<` does
            // not close it: `<?>` is not closed.
            match find(markup, "?>") {
                Some(end) if end > 0 => end + 2,
                _ => return Err(xml_error(at, PI_NOT_CLOSED)),
            }
        } else if let Some(tag) = markup.strip_prefix('/') {
            let end = tag_end(tag).ok_or_else(|| xml_error(at, TAG_NOT_CLOSED))?;
            // White space after the name is dropped (unless it is all there is, as quick-xml did).
            let name = tag.get(..end).unwrap_or("");
            let name = match name.trim_end_matches(SPACE) {
                "" => name,
                trimmed => trimmed,
            };
            let Some(open) = stack.pop() else {
                return Err(xml_error(
                    at,
                    &join(&[
                        "ill-formed document: close tag `</",
                        name,
                        ">` does not match any open tag",
                    ]),
                ));
            };
            if open.name != name {
                return Err(xml_error(
                    at,
                    &join(&[
                        "ill-formed document: expected `</",
                        open.name,
                        ">`, but `</",
                        name,
                        ">` was found",
                    ]),
                ));
            }
            closed = Some(open);
            1 + end + 1
        } else {
            let end = tag_end(markup).ok_or_else(|| xml_error(at, TAG_NOT_CLOSED))?;
            let tag = markup.get(..end).unwrap_or("");
            let (tag, empty) = match tag.strip_suffix('/') {
                Some(tag) => (tag, true),
                None => (tag, false),
            };
            if root.is_some() {
                return Err(xml_error(at, "a second root element"));
            }
            if !empty && stack.len() >= max_depth {
                return Err(Error::parse(ParseProblem::TooDeep { limit: max_depth }));
            }
            // The name ends at the first white space; attributes are skipped.
            let name = tag.split(SPACE).next().unwrap_or("");
            if name.is_empty() {
                return Err(xml_error(
                    at,
                    "ill-formed document: an element without a name",
                ));
            }
            if stack.is_empty() && !keep.is_empty() {
                let local = name.rsplit(':').next().unwrap_or(name);
                kept = keep.contains(&local);
            }
            if empty {
                closed = Some(Open::new(name, children.len()));
            } else {
                stack.push(Open::new(name, children.len()));
            }
            end + 1
        };
        if let Some(open) = closed {
            let element = open.close(&mut children, kept);
            match stack.last_mut() {
                Some(parent) => {
                    parent.has_children = true;
                    if kept {
                        children.push(element);
                    }
                }
                None => root = Some(element),
            }
        }
        pos = at + 1 + taken;
    }
    if let Some(open) = stack.last() {
        return Err(xml_error(
            text.len(),
            &join(&[
                "ill-formed document: start tag not closed: `</",
                open.name,
                ">` not found before end of input",
            ]),
        ));
    }
    root.ok_or_else(|| xml_error(text.len(), "no root element"))
}

/// The index of the first `end` (`-->`, `]]>`, `?>`) in `text`. A plain search: the ends are two
/// or three bytes long, and `str::find` would add its two-way searcher's code to the module.
fn find(text: &str, end: &str) -> Option<usize> {
    text.as_bytes()
        .windows(end.len())
        .position(|w| w == end.as_bytes())
}

/// The index in `tag` (what follows `<` or `</`) of the `>` that closes the tag: the first one
/// outside quotes, as attribute values may hold `>`.
fn tag_end(tag: &str) -> Option<usize> {
    let mut quote = None;
    tag.bytes().position(|b| {
        match quote {
            None if b == b'>' => return true,
            None if b == b'"' || b == b'\'' => quote = Some(b),
            Some(q) if q == b => quote = None,
            _ => {}
        }
        false
    })
}

/// Character data as XML 1.0 reads it: `\r\n` and a lone `\r` become `\n` and, in text (not in
/// CDATA, where `references` is false), references become the characters they stand for.
/// Borrowed when nothing changes. `at` is the offset of `raw` in the document, for errors.
fn char_data(raw: &str, at: usize, references: bool) -> Result<Cow<'_, str>> {
    let special = |b: u8| b == b'\r' || (references && b == b'&');
    if !raw.bytes().any(special) {
        return Ok(Cow::Borrowed(raw));
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.bytes().position(special) {
        out.push_str(rest.get(..i).unwrap_or(""));
        // After the `\r` or `&` (both one byte).
        let after = rest.get(i + 1..).unwrap_or("");
        if rest.as_bytes().get(i) == Some(&b'\r') {
            out.push('\n');
            rest = after.strip_prefix('\n').unwrap_or(after);
            continue;
        }
        // A reference ends at the first `;`, which must come before any other `&` (and before
        // the next markup: `raw` holds no `<`).
        let here = at + (raw.len() - rest.len()) + i;
        let end = after
            .bytes()
            .position(|b| b == b';' || b == b'&')
            .filter(|&end| after.as_bytes().get(end) == Some(&b';'));
        let (c, next) = match end {
            Some(end) => (
                reference(after.get(..end).unwrap_or("")),
                after.get(end + 1..).unwrap_or(""),
            ),
            None => (Err(String::from(REFERENCE_NOT_CLOSED)), ""),
        };
        out.push(c.map_err(|why| xml_error(here, &why))?);
        rest = next;
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

/// The character `&name;` stands for: one of the five entities XML predefines, or a character
/// reference (`&#233;`, `&#xE9;`).
fn reference(name: &str) -> Result<char, String> {
    match name {
        "lt" => return Ok('<'),
        "gt" => return Ok('>'),
        "amp" => return Ok('&'),
        "apos" => return Ok('\''),
        "quot" => return Ok('"'),
        _ => {}
    }
    let Some(number) = name.strip_prefix('#') else {
        return Err(join(&["the undeclared entity `&", name, ";`"]));
    };
    let (digits, radix) = match number.strip_prefix('x') {
        Some(hex) => (hex, 16),
        None => (number, 10),
    };
    // Digits only (no sign, unlike `u32::from_str_radix`), at least one, and no overflow.
    let code = digits.bytes().try_fold(None, |n: Option<u32>, b| {
        let d = char::from(b).to_digit(radix)?;
        n.unwrap_or(0).checked_mul(radix)?.checked_add(d).map(Some)
    });
    let code = code.flatten();
    let why = match code {
        None => Cow::Borrowed("not a number"),
        Some(0) => Cow::Borrowed("character 0 is not permitted in XML"),
        Some(n) => match char::from_u32(n) {
            Some(c) => return Ok(c),
            None => Cow::Owned(join(&[
                "`",
                &decimal_string(n.into()),
                "` is not a valid codepoint",
            ])),
        },
    };
    Err(join(&["invalid character reference: ", &why]))
}

/// An XML tree as owned data, for the tests that hold this reader to quick-xml
/// (`tests/xml_reader.rs`): not part of the API. Not in the WebAssembly module, where a second
/// caller of [`parse`] would change how it is inlined.
#[cfg(feature = "fuzzing")]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum XmlTree {
    /// An element without child elements: its text.
    Text(String),
    /// An element with child elements: their names and contents, in order.
    Element(Vec<(String, XmlTree)>),
}

/// [`parse`] with an owned result: for tests.
#[cfg(feature = "fuzzing")]
pub fn parse_tree(text: &str, max_depth: usize) -> Result<(String, XmlTree)> {
    fn owned(node: &Node<'_>) -> XmlTree {
        match node {
            Node::Element(children) => XmlTree::Element(
                children
                    .iter()
                    .map(|(name, child)| (String::from(name.as_ref()), owned(child)))
                    .collect(),
            ),
            other => XmlTree::Text(String::from(other.text().unwrap_or(""))),
        }
    }
    let (name, node) = parse(text, max_depth, &[])?;
    Ok((name.into_owned(), owned(&node)))
}

/// [`parse`] as the module calls it, the tree dropped once built: for the tests that measure
/// what reading costs (`tests/xml-memory/tests/peak.rs`).
#[cfg(feature = "fuzzing")]
pub fn parse_and_drop(text: &str, max_depth: usize, keep: &[&str]) -> Result<()> {
    parse(text, max_depth, keep).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Errors say what is wrong, in quick-xml's words where it had words for it, and where.
    #[test]
    fn errors_say_what_and_where() {
        for (text, message) in [
            ("<r><!x></r>", "syntax error: unknown or missed symbol in markup (at byte 3)"),
            ("<r><?pi", "syntax error: processing instruction or xml declaration not closed: `?>` not found before end of input (at byte 3)"),
            ("<r><?></r>", "syntax error: processing instruction or xml declaration not closed: `?>` not found before end of input (at byte 3)"),
            ("<r><!-- c", "syntax error: comment not closed: `-->` not found before end of input (at byte 3)"),
            ("<r><!-- a--b --></r>", "ill-formed document: forbidden string `--` was found in a comment (at byte 3)"),
            ("<r><!-- a---></r>", "ill-formed document: forbidden string `--` was found in a comment (at byte 3)"),
            ("<r><![CDATA[x", "syntax error: CDATA not closed: `]]>` not found before end of input (at byte 3)"),
            ("<r><a", "syntax error: tag not closed: `>` not found before end of input (at byte 3)"),
            ("<r><a x='>", "syntax error: tag not closed: `>` not found before end of input (at byte 3)"),
            ("<r><a></b></r>", "ill-formed document: expected `</a>`, but `</b>` was found (at byte 6)"),
            ("<r><p:a></q:a></r>", "ill-formed document: expected `</p:a>`, but `</q:a>` was found (at byte 8)"),
            ("<r></r></a>", "ill-formed document: close tag `</a>` does not match any open tag (at byte 7)"),
            ("<r><a>", "ill-formed document: start tag not closed: `</a>` not found before end of input (at byte 6)"),
            ("<r>&#xD800;</r>", "invalid character reference: `55296` is not a valid codepoint (at byte 3)"),
            ("<r>&#1114112;</r>", "invalid character reference: `1114112` is not a valid codepoint (at byte 3)"),
            ("<r>&#0;</r>", "invalid character reference: character 0 is not permitted in XML (at byte 3)"),
            ("<r>x&#+1;</r>", "invalid character reference: not a number (at byte 4)"),
            ("<r>&#X41;</r>", "invalid character reference: not a number (at byte 3)"),
            ("<r>&#99999999999;</r>", "invalid character reference: not a number (at byte 3)"),
            ("<r>&lol;</r>", "the undeclared entity `&lol;` (at byte 3)"),
            ("<r>a &amp b</r>", "ill-formed document: entity or character reference not closed: `;` not found before end of input (at byte 5)"),
            ("<r>&</r>", "ill-formed document: entity or character reference not closed: `;` not found before end of input (at byte 3)"),
            ("<r/><r/>", "a second root element (at byte 4)"),
            ("<r/>x", "text outside the root element (at byte 4)"),
            (" &#32;<r/>", "a reference outside the root element (at byte 0)"),
            ("<![CDATA[]]><r/>", "CDATA outside the root element (at byte 0)"),
            ("<r>< a/></r>", "ill-formed document: an element without a name (at byte 3)"),
            ("\u{feff} <!-- -->", "no root element (at byte 12)"),
        ] {
            match parse(text, 128, &[]).unwrap_err() {
                Error::Parse {
                    problem: ParseProblem::Xml(m),
                    ..
                } => assert_eq!(m, message, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn line_ends_names_and_borrowing() {
        let (name, node) = parse(
            "\u{feff}<p:r a='>' b=\"'\"\r\n><x:y:a\t>1\r\n2\r3&#13;\r</x:y:a ><b><![CDATA[\r\n]]>\r</b><c/><d>plain</d><e/ ></e/></p:r>",
            128,
            &[],
        )
        .unwrap();
        assert_eq!(name, "r");
        assert_eq!(node.get("a"), Some(&Node::Text("1\n2\n3\r\n".into())));
        assert_eq!(node.get("b"), Some(&Node::Text("\n\n".into())));
        assert_eq!(node.get("c"), Some(&Node::Text("".into())));
        assert!(matches!(
            node.get("d"),
            Some(Node::Text(Cow::Borrowed("plain")))
        ));
        assert!(node
            .members()
            .unwrap()
            .iter()
            .all(|(n, _)| matches!(n, Cow::Borrowed(_))));
        // A name ends at white space: `<e/ >` is a start tag named `e/`.
        assert_eq!(node.get("e/"), Some(&Node::Text("".into())));
        // Comments, processing instructions and declarations anywhere; `<!---->` is a comment.
        let (_, node) = parse(
            "<?xml version='1.0'?><!----><r><?pi ? >?>a<!-- - -->b<??></r><!-- -->\n",
            128,
            &[],
        )
        .unwrap();
        assert_eq!(node, Node::Text("ab".into()));
    }

    #[test]
    fn elements_text_and_entities() {
        let (name, node) = parse(
            "<?xml version=\"1.0\"?>\n<r><a>x &amp; &apos;y&apos; &#233;&#x1F600;</a><b/><c><d>1</d><d>2</d></c><e><![CDATA[<raw>]]></e></r>",
            128,
            &[],
        )
        .unwrap();
        assert_eq!(name, "r");
        assert_eq!(node.get("a"), Some(&Node::Text("x & 'y' é😀".into())));
        assert_eq!(node.get("b"), Some(&Node::Text("".into())));
        assert_eq!(
            node.get("c"),
            Some(&Node::Element(vec![
                ("d".into(), Node::Text("1".into())),
                ("d".into(), Node::Text("2".into()))
            ]))
        );
        assert_eq!(node.get("e"), Some(&Node::Text("<raw>".into())));
    }

    #[test]
    fn refuses_dtds_and_undeclared_entities() {
        let laughs = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><lolz>&lol2;</lolz>"#;
        assert_eq!(parse(laughs, 128, &[]).unwrap_err().code(), "ERR_XML_DTD");
        // Refused as soon as met, even when not closed or without a name.
        for dtd in [
            "<!DOCTYPE",
            "<r><!doctype>",
            "<r/><!DocType r [<!ENTITY x '<'>]>",
        ] {
            assert_eq!(
                parse(dtd, 128, &[]).unwrap_err().code(),
                "ERR_XML_DTD",
                "{dtd}"
            );
        }
        assert_eq!(
            parse("<a>&lol;</a>", 128, &[]).unwrap_err().code(),
            "ERR_INVALID_XML"
        );
    }

    #[test]
    fn refuses_malformed() {
        for bad in [
            "",
            "<a>",
            "<a></b>",
            "<a/><b/>",
            "x<a/>",
            "<a>&#0;</a>",
            "</a>",
            "<a><b></a></b>",
        ] {
            assert!(parse(bad, 128, &[]).is_err(), "accepted {bad:?}");
        }
    }

    #[test]
    fn depth_is_bounded() {
        let deep = "<a>".repeat(100_000);
        assert_eq!(parse(&deep, 128, &[]).unwrap_err().code(), "ERR_TOO_DEEP");
    }

    #[test]
    fn escapes() {
        let mut s = String::new();
        crate::text::push_xml_escaped(&mut s, "a<b>&c\r");
        assert_eq!(s, "a&lt;b&gt;&amp;c&#13;");
    }
}
