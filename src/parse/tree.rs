//! The XML reader's tree, read by the normalizer as a [`Source`], and the paths used to name
//! fields in errors.

use super::source::{Head, Name, Source};
use crate::error::Result;
use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

/// The XML reader's tree: its elements in document order (each before its descendants), in a
/// flat arena of 12 bytes an element, whose names and texts are spans of the body or, for the
/// texts that differ from what is written (references, line ends, CDATA, comments), of one
/// string of decoded texts. (JSON is read without a tree.)
pub(crate) struct Tree<'a> {
    /// The document.
    body: &'a str,
    /// The texts decoded, one after another.
    pub(super) texts: String,
    /// The elements, in chunks of [`CHUNK`] (none but the first reallocated as it grows: the
    /// arena never holds much more than its elements, even while growing).
    chunks: Vec<Vec<Element>>,
}

/// The elements in one chunk of the arena.
const CHUNK: usize = 4096;

/// An element: where its name starts in the body (and two flags), and its contents.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Element {
    /// The offset of the name in the body, with [`CHILDREN`] and [`DECODED`].
    name: u32,
    /// With [`CHILDREN`]: how many descendants follow it. Otherwise where its text starts: in
    /// the body, or with [`DECODED`] in the decoded texts.
    a: u32,
    /// The text's length in bytes (without [`CHILDREN`]).
    b: u32,
}

/// The element has child elements.
const CHILDREN: u32 = 1 << 31;
/// Its text is in the decoded texts, not in the body.
const DECODED: u32 = 1 << 30;
/// The largest document a tree holds: offsets are 30 bits.
pub(super) const MAX_BODY: usize = 1 << 30;

/// The contents of an element the reader closes.
pub(super) enum Contents {
    /// Child elements: all the elements pushed after it.
    Children,
    /// Text: `body[start..start + len]`.
    Body(usize, usize),
    /// Text: the decoded texts from `start` to their end.
    Decoded(usize),
}

impl<'a> Tree<'a> {
    pub(super) fn new(body: &'a str) -> Self {
        Tree {
            body,
            texts: String::new(),
            chunks: Vec::new(),
        }
    }

    /// How many elements it holds.
    pub(super) fn len(&self) -> usize {
        self.chunks.len().saturating_sub(1) * CHUNK + self.chunks.last().map_or(0, Vec::len)
    }

    /// Adds an element whose name starts at byte `name` of the body (`< MAX_BODY`), without
    /// contents until [`Tree::close`]; returns its index.
    pub(super) fn push(&mut self, name: usize) -> usize {
        let index = self.len();
        let element = Element {
            name: name as u32,
            a: 0,
            b: 0,
        };
        match self.chunks.last_mut() {
            Some(chunk) if chunk.len() < CHUNK => chunk.push(element),
            // The first chunk grows as vectors do (small documents take little room), the
            // others are allocated whole.
            Some(_) => {
                let mut chunk = Vec::with_capacity(CHUNK);
                chunk.push(element);
                self.chunks.push(chunk);
            }
            None => self.chunks.push(alloc::vec![element]),
        }
        index
    }

    /// Gives the element `index` its contents.
    pub(super) fn close(&mut self, index: usize, contents: Contents) {
        let (flag, a, b) = match contents {
            Contents::Children => (CHILDREN, self.len() - index - 1, 0),
            Contents::Body(start, len) => (0, start, len),
            Contents::Decoded(start) => (DECODED, start, self.texts.len() - start),
        };
        if let Some(e) = self
            .chunks
            .get_mut(index / CHUNK)
            .and_then(|c| c.get_mut(index % CHUNK))
        {
            e.name |= flag;
            e.a = a as u32;
            e.b = b as u32;
        }
    }

    fn get(&self, index: usize) -> Element {
        self.chunks
            .get(index / CHUNK)
            .and_then(|c| c.get(index % CHUNK))
            .copied()
            .unwrap_or_default()
    }

    /// The indices of the children of element `index`, when it has child elements: from the
    /// one after it to the end of its descendants, the next sibling of each given by
    /// [`Tree::next_sibling`].
    pub(crate) fn children(&self, index: usize) -> Option<core::ops::Range<usize>> {
        let e = self.get(index);
        (e.name & CHILDREN != 0).then(|| index + 1..index + 1 + e.a as usize)
    }

    /// The index after element `index` and its descendants.
    pub(crate) fn next_sibling(&self, index: usize) -> usize {
        index + 1 + self.children(index).map_or(0, |c| c.len())
    }

    /// The text of element `index`, when it has no child elements.
    pub(crate) fn text(&self, index: usize) -> &str {
        let e = self.get(index);
        let (from, to) = (e.a as usize, e.a as usize + e.b as usize);
        let text = if e.name & DECODED != 0 {
            self.texts.get(from..to)
        } else {
            self.body.get(from..to)
        };
        text.unwrap_or("")
    }

    /// The local name of element `index` (what follows the last `:` of its name).
    pub(crate) fn name(&self, index: usize) -> &'a str {
        let from = (self.get(index).name & !(CHILDREN | DECODED)) as usize;
        local_name(self.body.get(from..).unwrap_or(""))
    }
}

/// The local name of the element name that starts `tag` (and ends at white space, `/` or `>`,
/// none of which a name holds): what follows its last `:`.
pub(super) fn local_name(tag: &str) -> &str {
    let end = tag
        .bytes()
        .position(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>'))
        .unwrap_or(tag.len());
    let name = tag.get(..end).unwrap_or("");
    // Names are short: a plain backward loop (`rsplit` would set up a word-at-a-time search).
    match name.bytes().rposition(|b| b == b':') {
        Some(colon) => name.get(colon + 1..).unwrap_or(""),
        None => name,
    }
}

/// Where a field is, for error messages: `cloudDBInstanceList\[0\].zone.zoneNo`.
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
    /// The path as text, e.g. `cloudDBInstanceList\[0\].zone.zoneNo` (without `core::fmt`).
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
    tree: &'t Tree<'a>,
    /// The element whose value `value` hands out next.
    next: Option<usize>,
    /// Of each element opened: its next child and the end of its descendants.
    open: Vec<(usize, usize)>,
}

impl<'t, 'a> TreeSource<'t, 'a> {
    /// The tree's values, from its root's.
    pub(crate) fn new(tree: &'t Tree<'a>) -> Self {
        TreeSource {
            tree,
            next: Some(0),
            open: Vec::new(),
        }
    }

    /// The next child of the element open last (its value is next), or `None` when it closes.
    fn child(&mut self) -> Option<usize> {
        let (next, end) = self.open.last_mut()?;
        if *next < *end {
            let child = *next;
            *next = self.tree.next_sibling(child);
            self.next = Some(child);
            Some(child)
        } else {
            self.open.pop();
            None
        }
    }
}

impl<'t> Source<'t> for TreeSource<'t, '_> {
    fn value(&mut self) -> Result<Head<'t>> {
        Ok(match self.next.take() {
            Some(i) if i < self.tree.len() => match self.tree.children(i) {
                Some(children) => {
                    self.open.push((children.start, children.end));
                    Head::Element
                }
                None => Head::Text(Cow::Borrowed(self.tree.text(i))),
            },
            _ => Head::Null,
        })
    }

    fn member(&mut self, expected: &str) -> Result<Option<Name<'t>>> {
        Ok(self.child().map(|i| match self.tree.name(i) {
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
