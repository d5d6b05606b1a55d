//! The XML reader (src/parse/xml.rs) held to quick-xml 0.38, which it replaced in the library:
//! on generated documents (nesting, prefixed names, attributes with quotes and `>`, references
//! valid and not, CDATA, comments, processing instructions, DOCTYPEs, `\r\n`, white space) and on
//! their mutations (truncated, a character deleted or inserted), it must build the same tree as
//! the old parser on quick-xml when that one accepts, and refuse when it refuses, with the same
//! error code (the words are the reader's own, and not compared).
//!
//! quick-xml is the reference, not the specification (XML 1.0, in src/parse/xml.rs): where XML
//! 1.0 refuses what quick-xml takes, the reader refuses it too, and the comparison accepts the
//! refusal only when the document holds what it is refused for (tests/support/xml_reference.rs,
//! `stricter`): names that are not Names, attributes not as Attribute [41] says, characters
//! outside Char [2] (also as references), `]]>` in text, processing instructions and XML
//! declarations not as PI [16] and XMLDecl [23] say, non-XML white space beside the root, a
//! second byte-order mark. A `<!DOCTYPE` that is not closed or has no name is for quick-xml
//! malformed XML (`ERR_INVALID_XML`), for the reader the DTD it starts (`ERR_XML_DTD`).
//!
//! 4096 cases by default (a second or two); `PROPTEST_CASES=100000 cargo test --test xml_reader` for a longer run.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;

#[path = "support/xml_reference.rs"]
mod xml_reference;

/// The comparison, as a proptest failure.
fn check(doc: &str, max_depth: usize) -> Result<(), TestCaseError> {
    xml_reference::check(doc, max_depth).map_err(TestCaseError::fail)
}

#[test]
fn fixtures_and_known_cases_read_as_quick_xml_read_them() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let mut fixtures = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "xml" || e == "html") {
            let text = std::fs::read_to_string(&path).unwrap();
            check(&text, 128).unwrap();
            fixtures += 1;
        }
    }
    assert!(fixtures >= 4, "only {fixtures} fixtures");
    for doc in [
        "",
        "<",
        "<r>",
        "<r/>",
        "<r><a>x &amp; &apos;y&apos; &#233;&#x1F600;</a><b/><c><d>1</d></c></r>",
        "<r><!x></r>",
        "<r><!-x--></r>",
        "<r><![x]]></r>",
        "<r><!Dx></r>",
        "<r><!DOCTYPE></r>",
        "<r><!doctype r [<!ENTITY x '<'>]></r>",
        "<r><?pi",
        "<r><?></r>",
        "<r><??></r>",
        "<r><!-- c",
        "<r><!-- a--b --></r>",
        "<r><!-- a---></r>",
        "<r><!----></r>",
        "<r><!---></r>",
        "<r><![CDATA[x",
        "<r><![CDATA[\r\n]]]]></r>",
        "<r><a",
        "<r><a x='>'></a></r>",
        "<r><a></b></r>",
        "<r><a></ ></r>",
        "<r><a></a ></r>",
        "<r><a></a x></r>",
        "<r><p:a></q:a></r>",
        "<r><a/ ></a/></r>",
        "<r></r></a>",
        "<r>&#xD800;</r>",
        "<r>&#1114112;</r>",
        "<r>&#0;</r>",
        "<r>&#1;</r>",
        "<r>&#+1;</r>",
        "<r>&#X41;</r>",
        "<r>&#x41;&#0065;</r>",
        "<r>&lol;</r>",
        "<r>&nbsp;</r>",
        "<r>&AMP;</r>",
        "<r>a &amp b</r>",
        "<r>&</r>",
        "<r>&a&b;</r>",
        "<r>a\r\nb\rc&#13;\r</r>",
        "<r/><r/>",
        "<r/>x",
        " &#32;<r/>",
        "<![CDATA[]]><r/>",
        "\u{feff}<r/>",
        "\u{feff}\u{feff}<r/>",
        "\u{a0}<r/>\u{3000}",
        "<r>< a/></r>",
        "<></>",
        // Found by the fuzz target: a form feed is no white space for XML.
        "<ve\r\n\u{c}\u{c}/>",
        "<b\u{be}/>",
    ] {
        check(doc, 128)
            .map_err(|e| format!("{doc:?}: {e}"))
            .unwrap();
    }
    check("<a><b><c/></b></a>", 2).unwrap();
    check("<a><b><c></c></b></a>", 2).unwrap();
}

// ---------------------------------------------------------------------------------------------
// Generated documents.

fn pick(items: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::sample::select(items).prop_map(String::from)
}

fn name() -> impl Strategy<Value = String> {
    pick(&["a", "b", "p:a", "q:a", "x:y:z", "é", "a-b.c_1", "p:"])
}

/// Attributes, which are skipped: quotes, `>` and `/` in values, white space around `=`.
fn attributes() -> impl Strategy<Value = String> {
    prop::collection::vec(
        pick(&[
            " k=\"v\"",
            " k='v'",
            " p:k=\"a>b\"",
            " k='\">'",
            " k=\"'/>\"",
            "\tk = \"x\"",
            "\r\nk='1'",
            " k",
            " ",
        ]),
        0..3,
    )
    .prop_map(|v| v.concat())
}

/// Pieces of text: plain, white space, line ends, references; now and then a faulty reference.
fn text() -> impl Strategy<Value = String> {
    let good = pick(&[
        "x",
        "hello world",
        " ",
        "\n  ",
        "\t",
        "\r\n",
        "\r",
        "\n\r",
        "é",
        "😀",
        "\u{a0}",
        "\u{3000}",
        "\u{feff}",
        ">",
        "]]>",
        "'\"",
        "&lt;",
        "&gt;",
        "&amp;",
        "&apos;",
        "&quot;",
        "&#233;",
        "&#x1F600;",
        "&#xe9;",
        "&#13;",
        "&#10;",
        "&#0065;",
        "&#32;",
        "&#x20;",
        "&#1;",
        "&#xFFFE;",
        "&#1114111;",
    ]);
    let bad = pick(&[
        "&#0;",
        "&#x0;",
        "&#xD800;",
        "&#1114112;",
        "&#x110000;",
        "&#;",
        "&#x;",
        "&#+65;",
        "&#-1;",
        "&#X41;",
        "&#99999999999;",
        "&lol;",
        "&nbsp;",
        "&AMP;",
        "&ltx;",
        "&#x41",
        "&;",
        "&",
        "&a b;",
    ]);
    prop::collection::vec(prop_oneof![20 => good, 1 => bad], 0..4).prop_map(|v| v.concat())
}

fn cdata() -> impl Strategy<Value = String> {
    prop::collection::vec(
        pick(&["x", "<a>", "&amp;", "]]", "]", "]>", "\r\n", "\r", "<!--"]),
        0..3,
    )
    .prop_map(|v| format!("<![CDATA[{}]]>", v.concat()))
}

/// Comments, now and then with a `--` in them or a `-` at their end.
fn comment() -> impl Strategy<Value = String> {
    let good = pick(&[" c ", "- -", "->", "-x", "<a>", "\r\n"]);
    let bad = pick(&["--", "a-", "-"]);
    prop::collection::vec(prop_oneof![12 => good, 1 => bad], 0..3)
        .prop_map(|v| format!("<!--{}-->", v.concat()))
}

/// Processing instructions and declarations; now and then DOCTYPEs or markup that is none of
/// them.
fn other_markup() -> impl Strategy<Value = String> {
    let good = pick(&[
        "<?pi?>",
        "<?pi x='?>'?>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
        "<??>",
        "<? ?>",
        "<?a?b?>",
    ]);
    let bad = pick(&[
        "<?>",
        "<!DOCTYPE r>",
        "<!doctype r [<!ENTITY x \"y\">]>",
        "<!DOCTYPE>",
        "<!DOCTYPE r [<!ENTITY x '<'>]>",
        "<!x>",
        "<!-x-->",
        "<![x]]>",
        "<!>",
        "<!D>",
    ]);
    prop_oneof![6 => good, 1 => bad]
}

/// What may stand beside elements.
fn misc() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => text(),
        2 => cdata(),
        2 => comment(),
        1 => other_markup(),
    ]
}

/// The white space an end tag may end with.
fn end_space() -> impl Strategy<Value = String> {
    prop_oneof![6 => Just(String::new()), 1 => pick(&[" ", "\r\n", " x"])]
}

fn element() -> impl Strategy<Value = String> {
    let leaf = (name(), attributes(), any::<bool>(), text()).prop_map(|(n, a, empty, t)| {
        if empty {
            format!("<{n}{a}/>")
        } else {
            format!("<{n}{a}>{t}</{n}>")
        }
    });
    leaf.prop_recursive(6, 64, 4, |inner| {
        (
            name(),
            attributes(),
            end_space(),
            prop::collection::vec(prop_oneof![3 => inner, 2 => misc()], 0..5),
        )
            .prop_map(|(n, a, space, items)| format!("<{n}{a}>{}</{n}{space}>", items.concat()))
    })
}

/// A whole document: an optional byte-order mark, things before the root, the root, things
/// after it (now and then text or a second element, which are errors).
fn document() -> impl Strategy<Value = String> {
    let outside = prop_oneof![
        12 => pick(&["", " ", "\r\n", "\n\t"]),
        6 => comment(),
        4 => other_markup(),
        1 => misc(),
        1 => element(),
    ];
    (
        pick(&["", "", "", "\u{feff}"]),
        prop::collection::vec(outside.clone(), 0..3),
        element(),
        prop::collection::vec(outside, 0..3),
    )
        .prop_map(|(bom, before, root, after)| {
            format!("{bom}{}{root}{}", before.concat(), after.concat())
        })
}

/// An edit of a document at a character: cut it there, delete the character, or insert markup
/// characters.
#[derive(Clone, Debug)]
enum Edit {
    Truncate(prop::sample::Index),
    Delete(prop::sample::Index),
    Insert(prop::sample::Index, &'static str),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let edit = prop_oneof![
        any::<prop::sample::Index>().prop_map(Edit::Truncate),
        any::<prop::sample::Index>().prop_map(Edit::Delete),
        (
            any::<prop::sample::Index>(),
            prop::sample::select(
                &[
                    "<", ">", "/", "&", ";", "!", "-", "?", "\"", "'", "[", "]", ":", " ", "\r",
                    "\n", "#", "x", "a", "</a>", "<a>", "<!--", "-->", "]]>", "\u{feff}",
                ][..]
            )
        )
            .prop_map(|(i, s)| Edit::Insert(i, s)),
    ];
    prop_oneof![
        1 => Just(Vec::new()),
        1 => prop::collection::vec(edit, 1..4),
    ]
}

fn apply(doc: &str, edits: &[Edit]) -> String {
    let mut doc = doc.to_owned();
    for edit in edits {
        // A character boundary, or the end.
        let at = |i: &prop::sample::Index, doc: &str| {
            let bounds: Vec<usize> = doc
                .char_indices()
                .map(|(b, _)| b)
                .chain([doc.len()])
                .collect();
            bounds[i.index(bounds.len())]
        };
        match edit {
            Edit::Truncate(i) => {
                let b = at(i, &doc);
                doc.truncate(b);
            }
            Edit::Delete(i) => {
                let b = at(i, &doc);
                if b < doc.len() {
                    doc.remove(b);
                }
            }
            Edit::Insert(i, s) => {
                let b = at(i, &doc);
                doc.insert_str(b, s);
            }
        }
    }
    doc
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    /// Same tree as quick-xml, or the same refusal, on documents and their mutations.
    #[test]
    fn reads_as_quick_xml_read(
        doc in document(),
        edits in edits(),
        max_depth in prop_oneof![6 => Just(128usize), 1 => 1..6usize],
    ) {
        check(&apply(&doc, &edits), max_depth)?;
    }
}
