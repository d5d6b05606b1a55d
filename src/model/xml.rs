//! Writing a typed answer as NAVER Cloud's XML (`responseFormatType=xml`), by its schema: members
//! in the schema's order, a list `…List` holding one `<…>` element per item, absent members left
//! out and empty lists written `<…List/>`.

use super::schema::{item_name, FieldKind, Spec};
use crate::text::{push_integer, push_xml_escaped};
use alloc::string::String;
use serde_json::Value;

/// Writes `answer` (its serde form: an object) as the XML document `<root>…</root>`.
pub(crate) fn write_document(root: &str, answer: &Value, schema: &[Spec]) -> String {
    let mut out = String::with_capacity(4096);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<");
    out.push_str(root);
    out.push('>');
    write_members(answer, schema, &mut out);
    out.push_str("</");
    out.push_str(root);
    out.push('>');
    out
}

fn write_members(value: &Value, schema: &[Spec], out: &mut String) {
    for spec in schema {
        if let Some(member) = value.get(spec.name) {
            write_element(spec.name, member, spec.kind, out);
        }
    }
}

fn open(out: &mut String, name: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
}

fn close(out: &mut String, name: &str) {
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

fn write_element(name: &str, value: &Value, kind: FieldKind, out: &mut String) {
    match (kind, value) {
        (_, Value::Null) => {}
        (FieldKind::Obj(schema), value) => {
            open(out, name);
            write_members(value, schema, out);
            close(out, name);
        }
        (FieldKind::List(_) | FieldKind::StrList, Value::Array(items)) if items.is_empty() => {
            out.push('<');
            out.push_str(name);
            out.push_str("/>");
        }
        (FieldKind::List(schema), Value::Array(items)) => {
            open(out, name);
            for item in items {
                write_element(item_name(name), item, FieldKind::Obj(schema), out);
            }
            close(out, name);
        }
        (FieldKind::StrList, Value::Array(items)) => {
            open(out, name);
            for item in items {
                write_element(item_name(name), item, FieldKind::Str, out);
            }
            close(out, name);
        }
        (_, scalar) => {
            open(out, name);
            match scalar {
                Value::String(text) => push_xml_escaped(out, text),
                Value::Number(n) => {
                    if let Some(i) = n.as_i64() {
                        push_integer(out, i);
                    }
                }
                Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
                _ => {}
            }
            close(out, name);
        }
    }
}
