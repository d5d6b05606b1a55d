//! The document tree both parsers produce, and the paths used to name its fields in errors.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

/// A parsed JSON value or XML element, borrowing from the body where it can.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Node<'a> {
    /// JSON `null`.
    Null,
    /// JSON `true` / `false`.
    Bool(bool),
    /// A JSON number, as written (already checked against the JSON grammar).
    Number(&'a str),
    /// The text of an XML element without child elements.
    Text(Cow<'a, str>),
    /// A JSON string: its value, and the token as written (quotes and escapes included), which
    /// the JSON output copies as is.
    Str {
        /// The token as written, e.g. `"caf\u00e9"`.
        raw: &'a str,
        /// Its value, e.g. `café`.
        value: Cow<'a, str>,
    },
    /// A JSON array.
    List(Vec<Node<'a>>),
    /// A JSON object: members in order.
    Object(Vec<(Cow<'a, str>, Node<'a>)>),
    /// An XML element with child elements: children in order, by element name.
    Element(Vec<(Cow<'a, str>, Node<'a>)>),
}

impl Node<'_> {
    /// A short name of the node's type, for error messages.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool(_) => "a boolean",
            Node::Number(_) => "a number",
            Node::Text(_) | Node::Str { .. } => "a string",
            Node::List(_) => "an array",
            Node::Object(_) => "an object",
            Node::Element(_) => "an element with child elements",
        }
    }

    /// The value of a JSON string or of XML text.
    pub(crate) fn text(&self) -> Option<&str> {
        match self {
            Node::Text(t) | Node::Str { value: t, .. } => Some(t),
            _ => None,
        }
    }

    /// The members of an object or the children of an element.
    pub(crate) fn members(&self) -> Option<&[(Cow<'_, str>, Node<'_>)]> {
        match self {
            Node::Object(m) | Node::Element(m) => Some(m),
            _ => None,
        }
    }

    /// The value of the last member named `name` (the last one wins, as in `JSON.parse`).
    pub(crate) fn get(&self, name: &str) -> Option<&Node<'_>> {
        self.members()?
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }
}

/// Where a field is, for error messages: `cloudDBInstanceList[0].zone.zoneNo`.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Path<'p> {
    /// The top of the answer.
    Root,
    /// A named member of the parent.
    Field(&'p Path<'p>, &'p str),
    /// An item of the parent list.
    Index(&'p Path<'p>, usize),
}

impl Path<'_> {
    /// The path as text, e.g. `cloudDBInstanceList[0].zone.zoneNo` (without `core::fmt`).
    pub(crate) fn text(&self) -> String {
        let mut out = String::new();
        self.write_to(&mut out);
        out
    }

    fn write_to(&self, out: &mut String) {
        match self {
            Path::Root => {}
            Path::Field(Path::Root, name) => out.push_str(name),
            Path::Field(parent, name) => {
                parent.write_to(out);
                out.push('.');
                out.push_str(name);
            }
            Path::Index(parent, i) => {
                parent.write_to(out);
                out.push('[');
                crate::text::push_decimal(out, *i as u64);
                out.push(']');
            }
        }
    }
}
