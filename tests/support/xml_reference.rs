//! The reference the XML reader (src/xml.rs) is held to: the parser as it was on quick-xml 0.38,
//! and the comparison. Shared by tests/xml_reader.rs (generated documents) and the `xml_reader`
//! fuzz target (fuzz/fuzz_targets/xml_reader.rs); see tests/xml_reader.rs for the three places
//! where the reader is deliberately stricter.
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
use quick_xml::escape::{EscapeError, ParseCharRefError};
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
    /// The words of the error: quick-xml's own for its syntax and well-formedness errors, the
    /// parser's for references.
    words: Option<String>,
    /// quick-xml's error was about a `<!D…` markup that is not closed or has no name.
    doctype: bool,
}

/// What the reference made of a document.
#[derive(Debug)]
struct Reference {
    result: Result<(String, XmlTree), Refused>,
    /// It read a start or empty tag without a name.
    nameless: bool,
}

fn refused(code: &'static str) -> Refused {
    Refused {
        code,
        words: None,
        doctype: false,
    }
}

fn reference(text: &str, max_depth: usize) -> Reference {
    let mut nameless = false;
    let result = reference_tree(text, max_depth, &mut nameless);
    Reference { result, nameless }
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
    nameless: &mut bool,
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
                    words: matches!(e, Syntax(_) | IllFormed(_)).then(|| e.to_string()),
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
                if root.is_some() {
                    return Err(invalid());
                }
                if stack.len() >= max_depth {
                    return Err(refused("ERR_TOO_DEEP"));
                }
                *nameless |= start.name().as_ref().is_empty();
                stack.push((start.name().as_ref().to_vec(), String::new(), Vec::new()));
            }
            Event::Empty(start) => {
                *nameless |= start.name().as_ref().is_empty();
                let element = close((start.name().as_ref().to_vec(), String::new(), Vec::new()));
                match stack.last_mut() {
                    Some(parent) => parent.2.push(element),
                    None if root.is_none() => root = Some(element),
                    None => return Err(invalid()),
                }
            }
            Event::End(_) => {
                let element = close(stack.pop().ok_or_else(invalid)?);
                match stack.last_mut() {
                    Some(parent) => parent.2.push(element),
                    None => root = Some(element),
                }
            }
            Event::Text(t) => {
                let content = t.xml10_content().unwrap();
                match stack.last_mut() {
                    Some(open) => open.1.push_str(&content),
                    None if content.trim().is_empty() => {}
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
                // The words are those the parser on quick-xml chose for these errors.
                let words = |words: String| Refused {
                    words: Some(words),
                    ..invalid()
                };
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => {
                        let name = r.decode().unwrap();
                        match quick_xml::escape::resolve_predefined_entity(&name) {
                            Some(s) => s.to_owned(),
                            None => return Err(words(format!("the undeclared entity `&{name};`"))),
                        }
                    }
                    Err(quick_xml::Error::Escape(EscapeError::InvalidCharRef(e))) => {
                        let why = match e {
                            ParseCharRefError::InvalidCodepoint(n) => {
                                format!("`{n}` is not a valid codepoint")
                            }
                            ParseCharRefError::IllegalCharacter(n) => {
                                format!("character {n} is not permitted in XML")
                            }
                            ParseCharRefError::UnexpectedSign
                            | ParseCharRefError::InvalidNumber(_) => "not a number".into(),
                        };
                        return Err(words(format!("invalid character reference: {why}")));
                    }
                    Err(e) => panic!("{e}"),
                };
                match stack.last_mut() {
                    Some(open) => open.1.push_str(&resolved),
                    None => return Err(invalid()),
                }
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
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

pub fn check(doc: &str, max_depth: usize) -> Result<(), String> {
    let theirs = reference(doc, max_depth);
    let ours = parse_xml_tree(doc, max_depth);
    // The deliberate differences (see the top of this file).
    let nameless = theirs.nameless
        && ours.as_ref().is_err_and(|e| {
            words(e)
                .is_some_and(|m| m.starts_with("ill-formed document: an element without a name"))
        });
    let two_boms = doc.starts_with("\u{feff}\u{feff}");
    match (&theirs.result, &ours) {
        (Ok(a), Ok(b)) => ensure!(a == b, "read {b:?}, quick-xml read {a:?}"),
        (Err(r), Ok(b)) => ensure!(false, "accepted {b:?}, quick-xml refused: {r:?}"),
        (Ok(a), Err(e)) => ensure!(
            nameless || two_boms,
            "refused ({e}), quick-xml accepted {a:?}"
        ),
        (Err(_), Err(_)) if nameless || two_boms => {}
        (Err(r), Err(e)) if r.doctype && e.code() == "ERR_XML_DTD" => {}
        (Err(r), Err(e)) => {
            ensure!(e.code() == r.code, "{} / quick-xml: {:?}", e, r);
            if let Some(expected) = &r.words {
                let m = words(e).unwrap_or("");
                ensure!(
                    m.starts_with(&format!("{expected} (at byte ")),
                    "{m:?}, quick-xml said {expected:?}"
                );
            }
        }
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
