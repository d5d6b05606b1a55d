//! The reference the XML reader (src/parse/xml.rs) is held to: the parser as it was on quick-xml
//! 0.38, and the comparison. Shared by tests/xml_reader.rs (generated documents) and the
//! `xml_reader` fuzz target (fuzz/fuzz_targets/xml_reader.rs). quick-xml is the tests'
//! reference, not the reader's specification (XML 1.0, in src/parse/xml.rs): the verdicts and the
//! error classes are compared, not the words, and where the reader is deliberately stricter than
//! quick-xml, as XML 1.0 asks, the refusal is accepted only when the document has what it is
//! refused for (`Stricter`, `check`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    unreachable_pub
)]

use ncloud_redis_flush::parse::{parse_xml_tree, XmlTree};
use ncloud_redis_flush::{Error, ParseProblem};
use quick_xml::errors::{IllFormedError, SyntaxError};
use quick_xml::escape::EscapeError;
use quick_xml::events::Event;
use quick_xml::Reader;

/// `Err(message)` unless `cond`.
macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!($($msg)+));
        }
    };
}

// ---------------------------------------------------------------------------------------------
// The reference: the parser as it was on quick-xml (src/xml.rs before the reader replaced it),
// building owned trees.

/// Why the reference refused a document.
#[derive(Debug)]
struct Refused {
    code: &'static str,
    /// quick-xml's error was about a `<!D…` markup that is not closed or has no name.
    doctype: bool,
}

/// What the reference made of a document.
#[derive(Debug)]
struct Reference {
    result: Result<(String, XmlTree), Refused>,
    /// What it met that XML 1.0 refuses and quick-xml does not check.
    seen: Seen,
}

/// What the reference met, up to where it stopped, that quick-xml takes and XML 1.0 refuses
/// (or may: each is the sign of one of the reader's stricter rules, found without the reader's
/// code).
#[derive(Debug, Default)]
struct Seen {
    /// A tag whose name is not an XML name (empty, or with a character no name holds).
    odd_name: bool,
    /// A tag with something but XML white space after its name (attributes, which quick-xml
    /// does not check; a form feed, which `trim_ascii` would take for white space).
    attributes: bool,
    /// Text outside the root element that Unicode calls white space and XML does not.
    unicode_space: bool,
    /// `]]>` in text.
    cdata_end: bool,
    /// A processing instruction or an XML declaration (their targets and syntax unchecked).
    pi: bool,
    /// A character reference (quick-xml takes `&#1;`, XML 1.0 refuses it: Legal Character).
    char_ref: bool,
}

fn refused(code: &'static str) -> Refused {
    Refused {
        code,
        doctype: false,
    }
}

fn reference(text: &str, max_depth: usize) -> Reference {
    let mut seen = Seen::default();
    let result = reference_tree(text, max_depth, &mut seen);
    Reference { result, seen }
}

/// Whether `name` is surely an XML name: ASCII letters, digits and `_:-.`, not starting with a
/// digit, `-` or `.`. A name with other characters counts as maybe not one (XML 1.0's name
/// characters beyond ASCII are many ranges; tests/xml_conformance.rs holds the reader to expat
/// on them).
fn plausible_name(name: &[u8]) -> bool {
    name.first()
        .is_some_and(|b| b.is_ascii_alphabetic() || b"_:".contains(b))
        && name
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"_:-.".contains(b))
}

type Open = (Vec<u8>, String, Vec<(String, XmlTree)>);

fn close((name, text, children): Open) -> (String, XmlTree) {
    let name = String::from_utf8(name).unwrap();
    let local = name.rsplit(':').next().unwrap().to_owned();
    if children.is_empty() {
        (local, XmlTree::Text(text))
    } else {
        (local, XmlTree::Element(children))
    }
}

fn reference_tree(
    text: &str,
    max_depth: usize,
    seen: &mut Seen,
) -> Result<(String, XmlTree), Refused> {
    let invalid = || refused("ERR_INVALID_XML");
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.check_end_names = true;
    config.check_comments = true;
    config.expand_empty_elements = false;

    let mut stack: Vec<Open> = Vec::new();
    let mut root: Option<(String, XmlTree)> = None;
    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                use quick_xml::Error::{IllFormed, Syntax};
                return Err(Refused {
                    code: "ERR_INVALID_XML",
                    doctype: matches!(
                        e,
                        Syntax(SyntaxError::UnclosedDoctype)
                            | IllFormed(IllFormedError::MissingDoctypeName)
                    ),
                });
            }
        };
        match event {
            Event::DocType(_) => return Err(refused("ERR_XML_DTD")),
            Event::Start(start) => {
                seen.odd_name |= !plausible_name(start.name().as_ref());
                seen.attributes |= start
                    .attributes_raw()
                    .iter()
                    .any(|b| !b" \t\r\n".contains(b));
                if root.is_some() {
                    return Err(invalid());
                }
                if stack.len() >= max_depth {
                    return Err(refused("ERR_TOO_DEEP"));
                }
                stack.push((start.name().as_ref().to_vec(), String::new(), Vec::new()));
            }
            Event::Empty(start) => {
                seen.odd_name |= !plausible_name(start.name().as_ref());
                seen.attributes |= start
                    .attributes_raw()
                    .iter()
                    .any(|b| !b" \t\r\n".contains(b));
                let element = close((start.name().as_ref().to_vec(), String::new(), Vec::new()));
                match stack.last_mut() {
                    Some(parent) => parent.2.push(element),
                    None if root.is_none() => root = Some(element),
                    None => return Err(invalid()),
                }
            }
            Event::End(end) => {
                seen.odd_name |= !plausible_name(end.name().as_ref());
                let element = close(stack.pop().ok_or_else(invalid)?);
                match stack.last_mut() {
                    Some(parent) => parent.2.push(element),
                    None => root = Some(element),
                }
            }
            Event::Text(t) => {
                let content = t.xml10_content().unwrap();
                seen.cdata_end |= content.contains("]]>");
                match stack.last_mut() {
                    Some(open) => open.1.push_str(&content),
                    None if content.trim().is_empty() => {
                        let xml_space = |c: char| matches!(c, ' ' | '\t' | '\r' | '\n');
                        seen.unicode_space |= !content.trim_matches(xml_space).is_empty();
                    }
                    None => return Err(invalid()),
                }
            }
            Event::CData(c) => {
                let content = c.xml10_content().unwrap();
                match stack.last_mut() {
                    Some(open) => open.1.push_str(&content),
                    None => return Err(invalid()),
                }
            }
            Event::GeneralRef(r) => {
                seen.char_ref |= r.is_char_ref();
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => {
                        let name = r.decode().unwrap();
                        match quick_xml::escape::resolve_predefined_entity(&name) {
                            Some(s) => s.to_owned(),
                            None => return Err(invalid()),
                        }
                    }
                    Err(quick_xml::Error::Escape(EscapeError::InvalidCharRef(_))) => {
                        return Err(invalid())
                    }
                    Err(e) => panic!("{e}"),
                };
                match stack.last_mut() {
                    Some(open) => open.1.push_str(&resolved),
                    None => return Err(invalid()),
                }
            }
            Event::Decl(_) | Event::PI(_) => seen.pi = true,
            Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(invalid());
    }
    root.ok_or_else(invalid)
}

// ---------------------------------------------------------------------------------------------
// The comparison.

/// The words of an XML error (`None` for the other errors).
fn words(e: &Error) -> Option<&str> {
    match e {
        Error::Parse {
            problem: ParseProblem::Xml(m),
            ..
        } => Some(m),
        _ => None,
    }
}

/// Whether the reader's refusal `e` is one of its deliberately stricter rules (XML 1.0's, which
/// quick-xml does not check), and the document has what that rule refuses: its words name the
/// rule, `seen` (what quick-xml read) or the document itself show the thing refused.
fn stricter(doc: &str, e: &Error, seen: &Seen) -> bool {
    let Some(m) = words(e) else {
        return false;
    };
    let has = |s: &str| m.contains(s);
    // Char [2]: a character XML does not allow (found here without the reader's code).
    let bad_char = doc.chars().any(|c| {
        let c = u32::from(c);
        c < 0x20 && ![0x9, 0xA, 0xD].contains(&c) || c == 0xFFFE || c == 0xFFFF
    });
    (has("is not allowed in XML") && bad_char)
        // Name [5] in tags.
        || ((has("not followed by an element name")
            || has("expected white space, `>` or `/>`")
            || has("expected an attribute name")
            || has("`/` not followed by `>`")
            || has("holds more than a name"))
            && (seen.odd_name || seen.attributes))
        // Attribute [41], AttValue [10] (its references, which quick-xml does not read),
        // Unique Att Spec.
        || ((has("attribute") || has("reference") || has("entity") || has("character"))
            && seen.attributes)
        // CharData [14].
        || (has("`]]>` in character data") && seen.cdata_end)
        // Misc [27]: only S beside the root element.
        || (has("outside the root element") && seen.unicode_space)
        // PI [16], PITarget [17], XMLDecl [23].
        || ((has("processing instruction") || has("XML declaration") || has("target"))
            && (seen.pi || doc.contains("<?")))
        // WFC: Legal Character, in character references.
        || (has("is not a legal character") && seen.char_ref)
}

pub fn check(doc: &str, max_depth: usize) -> Result<(), String> {
    let theirs = reference(doc, max_depth);
    let ours = parse_xml_tree(doc, max_depth);
    // A second byte-order mark: quick-xml skipped one more after the parser had skipped one;
    // for XML 1.0 it is a character (not white space) beside the root element.
    let two_boms = doc.starts_with("\u{feff}\u{feff}");
    let stricter = ours
        .as_ref()
        .is_err_and(|e| two_boms || stricter(doc, e, &theirs.seen));
    match (&theirs.result, &ours) {
        (Ok(a), Ok(b)) => ensure!(a == b, "read {b:?}, quick-xml read {a:?}"),
        (Err(r), Ok(b)) => ensure!(false, "accepted {b:?}, quick-xml refused: {r:?}"),
        (Ok(a), Err(e)) => ensure!(stricter, "refused ({e}), quick-xml accepted {a:?}"),
        // Refused by a stricter rule before quick-xml met what it refused (say a DOCTYPE, or
        // the depth limit): another code.
        (Err(_), Err(e)) if stricter && e.code() == "ERR_INVALID_XML" => {}
        // A `<!DOCTYPE` not closed or without a name: for quick-xml malformed XML, for the
        // reader the DTD it starts.
        (Err(r), Err(e)) if r.doctype && e.code() == "ERR_XML_DTD" => {}
        (Err(r), Err(e)) => ensure!(e.code() == r.code, "{} / quick-xml: {:?}", e, r),
    }
    // Every XML error names a byte of the document.
    if let Some(m) = ours.as_ref().err().and_then(words) {
        let at = m
            .strip_suffix(')')
            .and_then(|m| m.rsplit_once(" (at byte "))
            .and_then(|(_, n)| n.parse::<usize>().ok());
        ensure!(at.is_some_and(|n| n <= doc.len()), "{m:?}");
    }
    Ok(())
}
