//! The readers' interface: a [`Source`] hands out the values of a document one at a time, in
//! document order — the JSON reader over the body (`json.rs`), or the XML tree (`tree.rs`) — and
//! the one normalizer (`normalize.rs`) pulls them. A leaf: the readers and the normalizer all
//! depend on it, it on none of them.

use crate::error::Result;
use alloc::borrow::Cow;

/// A value as a [`Source`] hands it out: a scalar whole, or the opening of a container, whose
/// members or items are pulled next.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Head<'s> {
    /// JSON `null`.
    Null,
    /// JSON `true` / `false`.
    Bool(bool),
    /// A JSON number, as written (already checked against the JSON grammar).
    Number(&'s str),
    /// A JSON string: the token as written (quotes and escapes included), which the output
    /// copies as is, and what its escapes are. Its value is decoded only when asked for
    /// (`normalize::text`): a text member is copied as written.
    Str {
        /// The token as written, e.g. `"caf\u00e9"`.
        raw: &'s str,
        /// Its escapes.
        escapes: Escapes,
    },
    /// The text of an XML element without child elements.
    Text(Cow<'s, str>),
    /// A JSON object: members follow.
    Object,
    /// A JSON array: items follow.
    List,
    /// An XML element with child elements: members follow, or items (its children, by value).
    Element,
}

/// What the escapes of a JSON string make of it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Escapes {
    /// None: its value is the token without its quotes.
    None,
    /// Escapes of characters only.
    Chars,
    /// An escape of a lone surrogate, which its value holds as U+FFFD (copied as written, it
    /// would stay a lone surrogate in JavaScript).
    LoneSurrogate,
}

impl Head<'_> {
    /// A short name of the value's type, for error messages.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Head::Null => "null",
            Head::Bool(_) => "a boolean",
            Head::Number(_) => "a number",
            Head::Text(_) | Head::Str { .. } => "a string",
            Head::List => "an array",
            Head::Object => "an object",
            Head::Element => "an element with child elements",
        }
    }

    pub(crate) fn has_members(&self) -> bool {
        matches!(self, Head::Object | Head::Element)
    }
}

/// A member's name, as [`Source::member`] reads it.
pub(crate) enum Name<'s> {
    /// The name expected.
    Expected,
    /// Another.
    Other(Cow<'s, str>),
}

impl<'s> Name<'s> {
    /// The name, when `expected` was.
    pub(crate) fn or(self, expected: &'s str) -> Cow<'s, str> {
        match self {
            Name::Expected => Cow::Borrowed(expected),
            Name::Other(name) => name,
        }
    }
}

/// Where values come from, one at a time, in document order.
pub(crate) trait Source<'s> {
    /// The next value: a scalar whole, or a container opened.
    fn value(&mut self) -> Result<Head<'s>>;
    /// In an open object or element: the next member's name (its value is next), or `None`
    /// when it closes. `expected` (plain text: no quote, backslash or control character) is
    /// the name the caller expects, which the reader may compare in place.
    fn member(&mut self, expected: &str) -> Result<Option<Name<'s>>>;
    /// In an open array or element: whether an item follows (its value is next), or `false`
    /// when it closes.
    fn item(&mut self) -> Result<bool>;
    /// The rest of the container `head` opened, passed over (nothing, for a scalar).
    fn skip(&mut self, head: &Head<'s>) -> Result<()>;
}
