//! How one field is read from a [`Node`] and written as XML: the wire's tolerance in one place.
//!
//! Real answers carry numbers and booleans sometimes as strings, leave fields out, empty (`""`)
//! or `null`, and XML has only text. So every scalar accepts its string form, absent, empty and
//! `null` all mean "not there", and a wrong type is an error naming the field's path.

use crate::error::{Error, ParseProblem, Result};
use crate::tree::{Node, Path};

/// The largest integer a JavaScript number holds exactly (2^53 − 1).
pub const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

pub(crate) fn field_error(path: &Path<'_>, reason: impl Into<String>) -> Error {
    Error::parse(ParseProblem::Field {
        path: path.to_string(),
        reason: reason.into(),
    })
}

fn wrong_type(path: &Path<'_>, expected: &str, node: &Node<'_>) -> Error {
    field_error(
        path,
        format!("must be {expected}, got {}", node.type_name()),
    )
}

/// A field of a response model.
pub(crate) trait Field: Sized + Default {
    /// Reads a present node.
    fn read(node: &Node<'_>, path: &Path<'_>) -> Result<Self>;
    /// True when the field is absent and should be left out of the output.
    fn is_absent(&self) -> bool;
    /// Appends `<name>…</name>` (nothing when absent).
    fn write_xml(&self, name: &str, out: &mut String);
}

/// A structure of the response model (instance, zone, server …).
pub(crate) trait Model: Sized + Default {
    /// Reads the members of an object or element.
    fn read_members(node: &Node<'_>, path: &Path<'_>) -> Result<Self>;
    /// Appends the members as XML elements.
    fn write_xml_members(&self, out: &mut String);
}

/// An item of a list field.
pub(crate) trait Item: Sized {
    /// Reads one item.
    fn read_item(node: &Node<'_>, path: &Path<'_>) -> Result<Self>;
    /// Appends `<name>…</name>`.
    fn write_item(&self, name: &str, out: &mut String);
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

fn is_blank_text(node: &Node<'_>) -> bool {
    matches!(node, Node::Text(t) if t.trim().is_empty())
}

/// Reads a string field: text, or a number or boolean as written.
pub(crate) fn read_string(node: &Node<'_>, path: &Path<'_>) -> Result<Option<String>> {
    match node {
        Node::Null => Ok(None),
        Node::Text(t) => Ok(Some(t.to_string())),
        Node::Number(n) => Ok(Some((*n).to_owned())),
        Node::Bool(b) => Ok(Some(if *b { "true" } else { "false" }.to_owned())),
        other => Err(wrong_type(path, "a string", other)),
    }
}

impl Field for Option<String> {
    fn read(node: &Node<'_>, path: &Path<'_>) -> Result<Self> {
        read_string(node, path)
    }
    fn is_absent(&self) -> bool {
        self.is_none()
    }
    fn write_xml(&self, name: &str, out: &mut String) {
        if let Some(value) = self {
            open(out, name);
            crate::xml::push_escaped(out, value);
            close(out, name);
        }
    }
}

/// Parses an integer as written in JSON or text: optional `-`, digits, within ±(2^53 − 1).
pub(crate) fn parse_integer(text: &str, path: &Path<'_>) -> Result<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(field_error(
            path,
            format!("must be an integer, got {}", crate::error::excerpt(text)),
        ));
    }
    match text.parse::<i64>() {
        Ok(n) if (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&n) => Ok(n),
        _ => Err(field_error(
            path,
            format!(
                "is {}, outside the range a JavaScript number holds exactly (±2^53 − 1)",
                crate::error::excerpt(text)
            ),
        )),
    }
}

impl Field for Option<i64> {
    fn read(node: &Node<'_>, path: &Path<'_>) -> Result<Self> {
        match node {
            Node::Null => Ok(None),
            Node::Number(n) => parse_integer(n, path).map(Some),
            Node::Text(t) => {
                let t = t.trim();
                if t.is_empty() {
                    Ok(None)
                } else {
                    parse_integer(t, path).map(Some)
                }
            }
            other => Err(wrong_type(path, "an integer", other)),
        }
    }
    fn is_absent(&self) -> bool {
        self.is_none()
    }
    fn write_xml(&self, name: &str, out: &mut String) {
        if let Some(value) = *self {
            open(out, name);
            if value < 0 {
                out.push('-');
            }
            crate::signature::push_decimal(out, value.unsigned_abs());
            close(out, name);
        }
    }
}

impl Field for Option<bool> {
    fn read(node: &Node<'_>, path: &Path<'_>) -> Result<Self> {
        match node {
            Node::Null => Ok(None),
            Node::Bool(b) => Ok(Some(*b)),
            Node::Text(t) => {
                let t = t.trim();
                if t.is_empty() {
                    Ok(None)
                } else if t.eq_ignore_ascii_case("true") {
                    Ok(Some(true))
                } else if t.eq_ignore_ascii_case("false") {
                    Ok(Some(false))
                } else {
                    Err(field_error(
                        path,
                        format!("must be true or false, got {}", crate::error::excerpt(t)),
                    ))
                }
            }
            other => Err(wrong_type(path, "a boolean", other)),
        }
    }
    fn is_absent(&self) -> bool {
        self.is_none()
    }
    fn write_xml(&self, name: &str, out: &mut String) {
        if let Some(value) = *self {
            open(out, name);
            out.push_str(if value { "true" } else { "false" });
            close(out, name);
        }
    }
}

impl<T: Model> Field for Option<T> {
    fn read(node: &Node<'_>, path: &Path<'_>) -> Result<Self> {
        match node {
            Node::Object(_) | Node::Element(_) => T::read_members(node, path).map(Some),
            Node::Null => Ok(None),
            n if is_blank_text(n) => Ok(None),
            other => Err(wrong_type(path, "an object", other)),
        }
    }
    fn is_absent(&self) -> bool {
        self.is_none()
    }
    fn write_xml(&self, name: &str, out: &mut String) {
        if let Some(value) = self {
            open(out, name);
            value.write_xml_members(out);
            close(out, name);
        }
    }
}

impl<T: Model> Item for T {
    fn read_item(node: &Node<'_>, path: &Path<'_>) -> Result<Self> {
        match node {
            Node::Object(_) | Node::Element(_) => T::read_members(node, path),
            // `<cloudDBInstance/>`: an item with no field given.
            Node::Text(t) if t.trim().is_empty() => Ok(T::default()),
            other => Err(wrong_type(path, "an object", other)),
        }
    }
    fn write_item(&self, name: &str, out: &mut String) {
        open(out, name);
        self.write_xml_members(out);
        close(out, name);
    }
}

/// The element name of one item of a list: `cloudDBInstanceList` → `cloudDBInstance`.
pub(crate) fn item_name(list_name: &str) -> &str {
    list_name.strip_suffix("List").unwrap_or(list_name)
}

impl<T: Item> Field for Vec<T> {
    fn read(node: &Node<'_>, path: &Path<'_>) -> Result<Self> {
        let items: Vec<&Node<'_>> = match node {
            Node::List(items) => items.iter().collect(),
            Node::Element(children) => children.iter().map(|(_, v)| v).collect(),
            Node::Null => Vec::new(),
            n if is_blank_text(n) => Vec::new(),
            other => return Err(wrong_type(path, "an array", other)),
        };
        items
            .into_iter()
            .enumerate()
            .map(|(i, item)| T::read_item(item, &Path::Index(path, i)))
            .collect()
    }
    fn is_absent(&self) -> bool {
        false
    }
    fn write_xml(&self, name: &str, out: &mut String) {
        if self.is_empty() {
            out.push('<');
            out.push_str(name);
            out.push_str("/>");
            return;
        }
        open(out, name);
        let item = item_name(name);
        for value in self {
            value.write_item(item, out);
        }
        close(out, name);
    }
}

/// Declares a response structure: its Rust fields, their wire names, how it is read and written.
macro_rules! model {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $wire:literal => $field:ident : $ty:ty, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
        pub struct $name {
            $(
                $(#[$fmeta])*
                #[serde(rename = $wire, skip_serializing_if = "crate::field::Field::is_absent")]
                pub $field: $ty,
            )*
        }

        impl crate::field::Model for $name {
            fn read_members(
                node: &crate::tree::Node<'_>,
                path: &crate::tree::Path<'_>,
            ) -> crate::error::Result<Self> {
                let mut out = Self::default();
                for (key, value) in node.members().unwrap_or(&[]) {
                    match key.as_ref() {
                        $(
                            $wire => {
                                out.$field = <$ty as crate::field::Field>::read(
                                    value,
                                    &crate::tree::Path::Field(path, $wire),
                                )?;
                            }
                        )*
                        _ => {}
                    }
                }
                Ok(out)
            }

            fn write_xml_members(&self, out: &mut String) {
                $( crate::field::Field::write_xml(&self.$field, $wire, out); )*
            }
        }
    };
}

pub(crate) use model;
