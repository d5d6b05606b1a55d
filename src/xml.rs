//! XML into [`Node`]s with `quick-xml`, refusing document type declarations, and the escaping the
//! writer needs.
//!
//! The API's XML has no attributes, namespaces or mixed content: an element either holds text
//! (→ [`Node::Text`]) or child elements (→ [`Node::Element`]). Entity references are decoded (the
//! five predefined ones and character references); a `<!DOCTYPE>` is refused before anything in
//! it is read, so no entity is ever declared, let alone expanded (no billion laughs, no XXE).

use crate::error::{Error, ParseProblem, Result};
#[allow(unused_imports)]
use crate::prelude::*;
use crate::schema::{item_name, Kind, Spec};
use crate::tree::Node;
use alloc::borrow::Cow;
use quick_xml::events::Event;
use quick_xml::Reader;

struct Open<'a> {
    name: Cow<'a, str>,
    text: Cow<'a, str>,
    children: Vec<(Cow<'a, str>, Node<'a>)>,
}

impl<'a> Open<'a> {
    fn close(self) -> (Cow<'a, str>, Node<'a>) {
        let node = if self.children.is_empty() {
            Node::Text(self.text)
        } else {
            Node::Element(self.children)
        };
        (self.name, node)
    }

    fn push_text(&mut self, more: Cow<'a, str>) {
        if self.text.is_empty() {
            self.text = more;
        } else {
            self.text.to_mut().push_str(&more);
        }
    }
}

fn xml_error(reader: &Reader<&[u8]>, what: &str) -> Error {
    Error::parse(ParseProblem::Xml(crate::error::join(&[
        what,
        " (at byte ",
        &crate::error::decimal(reader.error_position()),
        ")",
    ])))
}

/// quick-xml's error in words, without `core::fmt` (see `crate::error::join`); the wording
/// follows quick-xml's own `Display`.
fn describe(e: &quick_xml::Error) -> Cow<'static, str> {
    use crate::error::{decimal, join};
    use quick_xml::errors::{IllFormedError as Ill, SyntaxError as Syntax};
    use quick_xml::escape::{EscapeError, ParseCharRefError};
    let syntax = |what: &str| Cow::Owned(join(&["syntax error: ", what]));
    let ill = |what: &str| Cow::Owned(join(&["ill-formed document: ", what]));
    match e {
        quick_xml::Error::Syntax(s) => syntax(match s {
            Syntax::InvalidBangMarkup => "unknown or missed symbol in markup",
            Syntax::UnclosedPIOrXmlDecl => "processing instruction or xml declaration not closed: `?>` not found before end of input",
            Syntax::UnclosedComment => "comment not closed: `-->` not found before end of input",
            Syntax::UnclosedDoctype => "DOCTYPE not closed: `>` not found before end of input",
            Syntax::UnclosedCData => "CDATA not closed: `]]>` not found before end of input",
            Syntax::UnclosedTag => "tag not closed: `>` not found before end of input",
        }),
        quick_xml::Error::IllFormed(i) => match i {
            Ill::MissingDeclVersion(_) => {
                ill("an XML declaration does not start with a `version` attribute")
            }
            Ill::MissingDoctypeName => {
                ill("`<!DOCTYPE>` declaration does not contain a name of a document type")
            }
            Ill::MissingEndTag(tag) => ill(&join(&[
                "start tag not closed: `</",
                tag,
                ">` not found before end of input",
            ])),
            Ill::UnmatchedEndTag(tag) => {
                ill(&join(&["close tag `</", tag, ">` does not match any open tag"]))
            }
            Ill::MismatchedEndTag { expected, found } => ill(&join(&[
                "expected `</",
                expected,
                ">`, but `</",
                found,
                ">` was found",
            ])),
            Ill::DoubleHyphenInComment => ill("forbidden string `--` was found in a comment"),
            Ill::UnclosedReference => ill(
                "entity or character reference not closed: `;` not found before end of input",
            ),
        },
        quick_xml::Error::Encoding(_) => Cow::Borrowed("text that is not valid UTF-8"),
        quick_xml::Error::Escape(EscapeError::InvalidCharRef(r)) => {
            let why = match r {
                ParseCharRefError::InvalidCodepoint(n) => {
                    join(&["`", &decimal(u64::from(*n)), "` is not a valid codepoint"])
                }
                ParseCharRefError::IllegalCharacter(n) => join(&[
                    "character ",
                    &decimal(u64::from(*n)),
                    " is not permitted in XML",
                ]),
                ParseCharRefError::UnexpectedSign | ParseCharRefError::InvalidNumber(_) => {
                    "not a number".into()
                }
            };
            Cow::Owned(join(&["invalid character reference: ", &why]))
        }
        quick_xml::Error::Escape(_) => Cow::Borrowed("an invalid entity reference"),
        quick_xml::Error::InvalidAttr(_) => Cow::Borrowed("a malformed attribute"),
        quick_xml::Error::Io(_) | quick_xml::Error::Namespace(_) => Cow::Borrowed("malformed XML"),
    }
}

/// The local part of a (possibly prefixed) element name, owned: quick-xml lends names only for
/// the life of their event.
fn element_name(raw: &[u8]) -> Result<Cow<'static, str>> {
    let name = core::str::from_utf8(raw)
        .map_err(|_| Error::parse(ParseProblem::Xml("invalid UTF-8 in an element name".into())))?;
    let local = name.rsplit(':').next().unwrap_or(name);
    Ok(Cow::Owned(local.to_owned()))
}

/// Parses one XML document into `(root name, root node)`.
pub(crate) fn parse(text: &str, max_depth: usize) -> Result<(Cow<'_, str>, Node<'_>)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.check_end_names = true;
    config.check_comments = true;
    config.expand_empty_elements = false;

    let mut stack: Vec<Open<'_>> = Vec::new();
    let mut root: Option<(Cow<'_, str>, Node<'_>)> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| xml_error(&reader, &describe(&e)))?;
        match event {
            Event::DocType(_) => return Err(Error::parse(ParseProblem::XmlDtd)),
            Event::Start(start) => {
                if root.is_some() {
                    return Err(xml_error(&reader, "a second root element"));
                }
                if stack.len() >= max_depth {
                    return Err(Error::parse(ParseProblem::TooDeep));
                }
                let name = element_name(start.name().into_inner())?;
                stack.push(Open {
                    name,
                    text: Cow::Borrowed(""),
                    children: Vec::new(),
                });
            }
            Event::Empty(start) => {
                let element = (
                    element_name(start.name().into_inner())?,
                    Node::Text(Cow::Borrowed("")),
                );
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None if root.is_none() => root = Some(element),
                    None => return Err(xml_error(&reader, "a second root element")),
                }
            }
            Event::End(_) => {
                let Some(open) = stack.pop() else {
                    return Err(xml_error(&reader, "an end tag without a start tag"));
                };
                let element = open.close();
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => root = Some(element),
                }
            }
            Event::Text(t) => {
                let content = t
                    .xml10_content()
                    .map_err(|_| xml_error(&reader, "text that is not valid UTF-8"))?;
                match stack.last_mut() {
                    Some(open) => open.push_text(content),
                    None if content.trim().is_empty() => {}
                    None => return Err(xml_error(&reader, "text outside the root element")),
                }
            }
            Event::CData(c) => {
                let content = c
                    .xml10_content()
                    .map_err(|_| xml_error(&reader, "text that is not valid UTF-8"))?;
                match stack.last_mut() {
                    Some(open) => open.push_text(content),
                    None => return Err(xml_error(&reader, "CDATA outside the root element")),
                }
            }
            Event::GeneralRef(r) => {
                let resolved: Cow<'_, str> = match r.resolve_char_ref() {
                    Ok(Some(c)) => Cow::Owned(String::from(c)),
                    Ok(None) => {
                        let name = r.decode().map_err(|_| {
                            xml_error(&reader, "a reference that is not valid UTF-8")
                        })?;
                        match quick_xml::escape::resolve_predefined_entity(&name) {
                            Some(s) => Cow::Borrowed(s),
                            None => {
                                return Err(xml_error(
                                    &reader,
                                    &crate::error::join(&["the undeclared entity `&", &name, ";`"]),
                                ))
                            }
                        }
                    }
                    Err(e) => return Err(xml_error(&reader, &describe(&e))),
                };
                match stack.last_mut() {
                    Some(open) => open.push_text(resolved),
                    None => return Err(xml_error(&reader, "a reference outside the root element")),
                }
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(xml_error(
            &reader,
            "unexpected end of input: unclosed elements",
        ));
    }
    root.ok_or_else(|| xml_error(&reader, "no root element"))
}

/// Writes an answer as NAVER Cloud's XML: `json` is the answer's normalized JSON (an object),
/// `schema` gives each member's kind and each list's item name (`…List` → `…`).
pub(crate) fn write_document(root: &str, json: &str, schema: &[Spec]) -> String {
    let mut out = String::with_capacity(json.len() * 2);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<");
    out.push_str(root);
    out.push('>');
    if let Ok(node) = crate::json::parse(json, crate::parse::MAX_DEPTH) {
        write_members(&node, schema, &mut out);
    }
    out.push_str("</");
    out.push_str(root);
    out.push('>');
    out
}

fn write_members(node: &Node<'_>, schema: &[Spec], out: &mut String) {
    for spec in schema {
        if let Some(value) = node.get(spec.name) {
            write_element(spec.name, value, spec.kind, out);
        }
    }
}

fn write_element(name: &str, value: &Node<'_>, kind: Kind, out: &mut String) {
    let open = |out: &mut String, name: &str| {
        out.push('<');
        out.push_str(name);
        out.push('>');
    };
    let close = |out: &mut String, name: &str| {
        out.push_str("</");
        out.push_str(name);
        out.push('>');
    };
    match (kind, value) {
        (_, Node::Null) => {}
        (Kind::Obj(schema), node) => {
            open(out, name);
            write_members(node, schema, out);
            close(out, name);
        }
        (Kind::List(_) | Kind::StrList, Node::List(items)) if items.is_empty() => {
            out.push('<');
            out.push_str(name);
            out.push_str("/>");
        }
        (Kind::List(schema), Node::List(items)) => {
            open(out, name);
            for item in items {
                write_element(item_name(name), item, Kind::Obj(schema), out);
            }
            close(out, name);
        }
        (Kind::StrList, Node::List(items)) => {
            open(out, name);
            for item in items {
                write_element(item_name(name), item, Kind::Str, out);
            }
            close(out, name);
        }
        (_, scalar) => {
            open(out, name);
            match scalar {
                Node::Text(t) | Node::Str { value: t, .. } => push_escaped(out, t),
                Node::Number(n) => out.push_str(n),
                Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
                _ => {}
            }
            close(out, name);
        }
    }
}

/// Appends `text` escaped for XML character data.
pub(crate) fn push_escaped(out: &mut String, text: &str) {
    let mut plain_from = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'\r' => "&#13;",
            _ => continue,
        };
        out.push_str(text.get(plain_from..i).unwrap_or(""));
        out.push_str(entity);
        plain_from = i + 1;
    }
    out.push_str(text.get(plain_from..).unwrap_or(""));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `describe` keeps quick-xml's own wording, checked against its `Display` on the errors it
    /// really raises.
    #[test]
    fn errors_are_described_as_quick_xml_describes_them() {
        let bad = [
            "<r><!x></r>",
            "<r><?pi",
            "<r><!-- c",
            "<r><![CDATA[x",
            "<r><a",
            "<r><a></b></r>",
            "<r></a>",
            "<r>&#xD800;</r>",
            "<r>&#1114112;</r>",
            "<r>&#0;</r>",
        ];
        let mut seen = 0;
        for text in bad {
            let mut reader = Reader::from_str(text);
            let err = loop {
                match reader.read_event() {
                    Ok(Event::Eof) => break None,
                    Ok(Event::GeneralRef(r)) => {
                        if let Err(e) = r.resolve_char_ref() {
                            break Some(e);
                        }
                    }
                    Ok(_) => {}
                    Err(e) => break Some(e),
                }
            };
            let Some(err) = err else { continue };
            seen += 1;
            let ours = describe(&err);
            match &err {
                quick_xml::Error::Syntax(_) | quick_xml::Error::IllFormed(_) => {
                    assert_eq!(ours, err.to_string(), "{text}");
                }
                _ => assert!(
                    ours.starts_with("invalid character reference: "),
                    "{text}: {ours}"
                ),
            }
            // And the whole message, as the parser reports it, names the byte.
            let whole = parse(text, 128).unwrap_err().to_string();
            assert!(whole.contains(" (at byte "), "{text}: {whole}");
        }
        assert!(seen >= 8, "only {seen} of the inputs made quick-xml fail");
    }

    #[test]
    fn elements_text_and_entities() {
        let (name, node) = parse(
            "<?xml version=\"1.0\"?>\n<r><a>x &amp; &apos;y&apos; &#233;&#x1F600;</a><b/><c><d>1</d><d>2</d></c><e><![CDATA[<raw>]]></e></r>",
            128,
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
        assert_eq!(parse(laughs, 128).unwrap_err().code(), "ERR_XML_DTD");
        assert_eq!(
            parse("<a>&lol;</a>", 128).unwrap_err().code(),
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
            assert!(parse(bad, 128).is_err(), "accepted {bad:?}");
        }
    }

    #[test]
    fn depth_is_bounded() {
        let deep = "<a>".repeat(100_000);
        assert_eq!(parse(&deep, 128).unwrap_err().code(), "ERR_TOO_DEEP");
    }

    #[test]
    fn escapes() {
        let mut s = String::new();
        push_escaped(&mut s, "a<b>&c\r");
        assert_eq!(s, "a&lt;b&gt;&amp;c&#13;");
    }
}
