//! The XML reader's tree, read by the normalizer as a [`Source`], and the paths used to name
//! fields in errors.

use super::source::{Head, Name, Source};
use crate::error::Result;
use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

/// An XML element, borrowing from the body where it can. (JSON is read without a tree.)
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Node<'a> {
    /// The text of an element without child elements.
    Text(Cow<'a, str>),
    /// An element with child elements: children in order, by element name.
    Element(Vec<(Cow<'a, str>, Node<'a>)>),
}

impl Node<'_> {
    /// The text of an element without child elements.
    #[cfg(any(test, feature = "fuzzing"))]
    pub(crate) fn text(&self) -> Option<&str> {
        match self {
            Node::Text(t) => Some(t),
            Node::Element(_) => None,
        }
    }

    /// The children of an element.
    #[cfg(test)]
    pub(crate) fn members(&self) -> Option<&[(Cow<'_, str>, Node<'_>)]> {
        match self {
            Node::Element(m) => Some(m),
            Node::Text(_) => None,
        }
    }

    /// The last child named `name`.
    #[cfg(test)]
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

/// The XML tree as a [`Source`]: its values one at a time, in document order.
pub(crate) struct TreeSource<'t, 'a> {
    /// The value `value` hands out next.
    next: Option<&'t Node<'a>>,
    /// The children still to come of each element opened.
    open: Vec<core::slice::Iter<'t, (Cow<'a, str>, Node<'a>)>>,
}

impl<'t, 'a> TreeSource<'t, 'a> {
    pub(crate) fn new(root: &'t Node<'a>) -> Self {
        TreeSource {
            next: Some(root),
            open: Vec::new(),
        }
    }

    fn child(&mut self) -> Option<&'t (Cow<'a, str>, Node<'a>)> {
        let child = self.open.last_mut().and_then(Iterator::next);
        match child {
            Some((_, node)) => self.next = Some(node),
            None => drop(self.open.pop()),
        }
        child
    }
}

impl<'t> Source<'t> for TreeSource<'t, '_> {
    fn value(&mut self) -> Result<Head<'t>> {
        Ok(match self.next.take() {
            Some(Node::Element(children)) => {
                self.open.push(children.iter());
                Head::Element
            }
            Some(Node::Text(text)) => Head::Text(Cow::Borrowed(text)),
            None => Head::Null,
        })
    }

    fn member(&mut self, expected: &str) -> Result<Option<Name<'t>>> {
        Ok(self.child().map(|(name, _)| match name.as_ref() {
            name if name == expected => Name::Expected,
            name => Name::Other(Cow::Borrowed(name)),
        }))
    }

    fn item(&mut self) -> Result<bool> {
        Ok(self.child().is_some())
    }

    fn skip(&mut self, head: &Head<'t>) -> Result<()> {
        if *head == Head::Element {
            self.open.pop();
        }
        Ok(())
    }
}
