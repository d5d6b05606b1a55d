//! The XML reader (src/parse/xml.rs) held to an independent conforming XML 1.0 parser: expat's
//! verdicts (well-formed or not) on the cases of tests/fixtures/xml-conformance/cases.json, each
//! tagged with the production or well-formedness constraint it exercises. The table is written
//! by tests/fixtures/xml-conformance/generate.py (Python 3's `xml.parsers.expat`).
//!
//! The reader's verdict must be expat's on every case but the deliberate differences listed in
//! `DIFFERENCES`, each with its reason; and on each of those it must differ as listed (a
//! difference that went away is an error too, so the list stays true).
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use ncloud_redis_flush::parse::parse_xml_tree;

/// The documents on which the reader deliberately departs from expat: the document, the
/// reader's verdict (`true`: well-formed), and why.
const DIFFERENCES: &[(&str, bool, &str)] = &[
    (
        "<!DOCTYPE r><r/>",
        false,
        "a document type declaration is refused (ERR_XML_DTD), as soon as it is met",
    ),
    (
        "<!DOCTYPE r [<!ENTITY e 'x'>]><r>&e;</r>",
        false,
        "a document type declaration is refused (ERR_XML_DTD): no entity is ever declared",
    ),
    (
        "<?xml version='2.0'?><r/>",
        false,
        "VersionNum [26] is `1.` and digits; expat takes any version",
    ),
    (
        "<?xml version='1.'?><r/>",
        false,
        "VersionNum [26] is `1.` and digits (at least one); expat takes any version",
    ),
];

#[test]
fn verdicts_are_expats() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/xml-conformance/cases.json"
    );
    let table: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = table["cases"].as_array().unwrap();
    assert!(cases.len() >= 80, "only {} cases", cases.len());
    let mut wrong = Vec::new();
    let mut differing = 0;
    for case in cases {
        let doc = case["doc"].as_str().unwrap();
        let expat = case["expat"].as_str().unwrap() == "ok";
        let ours = parse_xml_tree(doc, 128);
        let expected = match DIFFERENCES.iter().find(|(d, _, _)| *d == doc) {
            Some(&(_, verdict, _)) => {
                assert_ne!(
                    verdict, expat,
                    "{doc:?} is listed as a difference but is none"
                );
                differing += 1;
                verdict
            }
            None => expat,
        };
        if ours.is_ok() != expected {
            wrong.push(format!(
                "{} ({}) {doc:?}: expat {}, the reader {:?}",
                case["id"],
                case["exercises"].as_str().unwrap(),
                case["expat"],
                ours.map(|_| ()).map_err(|e| e.to_string())
            ));
        }
    }
    assert_eq!(
        differing,
        DIFFERENCES.len(),
        "a difference is not in the table"
    );
    assert!(
        wrong.is_empty(),
        "{} cases:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
