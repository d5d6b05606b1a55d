//! XML into a [`Tree`] with a small reader of its own, specified against XML 1.0 (Fifth
//! Edition) for the subset it reads; the escaping the writer needs is in `crate::text`.
//!
//! The API's XML has no attributes, namespaces or mixed content: an element either holds text
//! (its value) or child elements (its members or items; the text beside them, indentation, is
//! dropped). The reader checks a whole document as XML 1.0 asks, and keeps only that.
//!
//! # Productions read
//!
//! - document \[1\]: one element, with Misc \[27\] (comments, processing instructions, white space
//!   S \[3\]) around it; a byte-order mark (U+FEFF) may open the document (4.3.3).
//! - prolog \[22\]: XMLDecl \[23\] (VersionInfo \[24\], Eq \[25\], VersionNum \[26\] `1.` and digits,
//!   EncodingDecl \[80\] with EncName \[81\], SDDecl \[32\] `yes` or `no`, in that order), only as
//!   the document's first bytes (after the byte-order mark).
//! - Comment \[15\], PI \[16\] with PITarget \[17\] (a Name, not `xml` in any case), CDSect \[18\]-\[21\]
//!   (in the root element only).
//! - element \[39\], STag \[40\], Attribute \[41\] with AttValue \[10\], ETag \[42\], content \[43\] and
//!   EmptyElemTag \[44\].
//! - CharData \[14\] (without `]]>`), Reference \[67\]: EntityRef \[68\] and CharRef \[66\].
//! - Char \[2\] everywhere (text, attribute values, comments, processing instructions, CDATA),
//!   Name \[4\]-\[5\] for elements, attributes, targets and entity references, S \[3\].
//! - Line ends are normalized (2.11): `\r\n` and a lone `\r` become `\n` in text and CDATA.
//!
//! # Well-formedness constraints checked
//!
//! - Element Type Match: an end tag repeats its start tag's name (prefix included).
//! - Unique Att Spec: no attribute name twice in a tag (names compared as written).
//! - No `<` in Attribute Values.
//! - Legal Character: a character reference stands for a Char \[2\].
//! - Entity Declared: a document type declaration is refused, so the only entities are the five
//!   XML predefines (4.6): `&lt;` `&gt;` `&amp;` `&apos;` `&quot;`; any other is an error.
//! - No External Entity References, No Recursion, PEs in Internal Subset: moot (no DTD).
//!
//! # Refused on purpose
//!
//! - doctypedecl \[28\]: a `<!DOCTYPE` (in any case, even not closed or without a name) is
//!   refused as soon as it is met, before anything in it is read, with its own error
//!   (`ERR_XML_DTD`): no entity is ever declared, let alone expanded (no billion laughs, no
//!   XXE). Every other error is `ERR_INVALID_XML`, but for the depth limit (`ERR_TOO_DEEP`).
//!
//! # Where it departs from XML 1.0
//!
//! - Depth: elements nested deeper than the caller's limit are refused (`ERR_TOO_DEEP`).
//! - A tag with more than 64 attributes is refused, so that checking their names for
//!   uniqueness stays linear in the tag.
//! - The document is text already (the caller decoded the body): an encoding declaration is
//!   checked as an EncName and otherwise not used.
//! - Attribute values are checked and not kept (nor normalized: 3.3.3 changes nothing of what
//!   is kept). Names are kept as written; a name's local part (what follows its last `:`)
//!   names a member. Namespaces in XML is not applied (no namespace declaration is checked).
//! - Only one byte-order mark is skipped; a second is a character outside the root element.
//! - A document of 1 GiB or more is refused (the tree's offsets are 30 bits; the parser takes
//!   64 MiB at most anyway).
//!
//! # Where it departs from quick-xml 0.38 (the tests' reference, which it replaced)
//!
//! quick-xml checks what a tree depends on and little more. The reader also refuses: tags
//! whose names are not Names (`<>`, `< a>`, `<1a>`, `<e/ >`), attributes that are not
//! Attribute \[41\] (no value, unquoted, not separated, given twice, `<` or a bad reference in the
//! value), characters outside Char \[2\] and character references to them (`&#1;`,
//! `&#xFFFE;`), `]]>` in text, processing instructions without a target or with the target
//! `xml` after the document's start, a malformed XML declaration, anything but S \[3\] beside the
//! root element (quick-xml's parser let Unicode white space such as U+00A0 pass), a second
//! byte-order mark, and a `<!DOCTYPE` that is not closed or has no name (quick-xml: malformed,
//! the reader: the DTD it starts). Its errors are its own words. `tests/xml_reader.rs` holds it
//! to quick-xml on generated documents (same tree, or both refusing with the same class of
//! error), and `tests/xml_conformance.rs` to expat's verdicts.
//!
//! # Cost
//!
//! One pass, linear in the document, in time and memory: the tree is a flat arena of 12 bytes
//! an element with spans into the body (`tree.rs`), plus the texts that had to be decoded; a
//! root the caller does not read (not in `keep`) is checked and nothing of it kept.

use super::tree::{local_name, Contents, Tree, MAX_BODY};
use crate::error::{Error, ParseProblem, Result};
use crate::text::{decimal_string, hex4, join};
use alloc::borrow::Cow;
#[cfg(any(test, feature = "fuzzing"))]
use alloc::string::String;
use alloc::vec::Vec;

/// The most attributes one tag may have (checking that their names differ then costs at most
/// this many comparisons an attribute: linear in the tag).
const MAX_ATTRIBUTES: usize = 64;

/// `what` went wrong at byte `at`. (Out of line: the error paths are many and cold.)
#[cold]
#[inline(never)]
fn xml_error(at: usize, what: &str) -> Error {
    Error::parse(ParseProblem::Xml(join(&[
        what,
        " (at byte ",
        &decimal_string(at as u64),
        ")",
    ])))
}

/// `what`, naming the text `quoted` (at most 60 bytes of it) between backquotes: `what` is in
/// three parts, the quoted text between the first two.
#[cold]
#[inline(never)]
fn xml_error_quoting(at: usize, before: &str, quoted: &str, after: &str) -> Error {
    let mut end = quoted.len().min(60);
    while !quoted.is_char_boundary(end) {
        end -= 1;
    }
    let cut = if end < quoted.len() { "…" } else { "" };
    xml_error(
        at,
        &join(&[before, quoted.get(..end).unwrap_or(""), cut, after]),
    )
}

/// S \[3\]: white space.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// The length in bytes of the white space (S \[3\]) that starts `s`.
fn spaces(s: &str) -> usize {
    s.bytes().position(|b| !is_space(b)).unwrap_or(s.len())
}

/// NameStartChar \[4\].
fn is_name_start(c: char) -> bool {
    /// Its ranges beyond ASCII.
    const RANGES: [(char, char); 12] = [
        ('\u{C0}', '\u{D6}'),
        ('\u{D8}', '\u{F6}'),
        ('\u{F8}', '\u{2FF}'),
        ('\u{370}', '\u{37D}'),
        ('\u{37F}', '\u{1FFF}'),
        ('\u{200C}', '\u{200D}'),
        ('\u{2070}', '\u{218F}'),
        ('\u{2C00}', '\u{2FEF}'),
        ('\u{3001}', '\u{D7FF}'),
        ('\u{F900}', '\u{FDCF}'),
        ('\u{FDF0}', '\u{FFFD}'),
        ('\u{10000}', '\u{EFFFF}'),
    ];
    match c {
        ':' | '_' => true,
        _ if c.is_ascii() => c.is_ascii_alphabetic(),
        _ => RANGES.iter().any(|&(low, high)| (low..=high).contains(&c)),
    }
}

/// NameChar \[4a\].
fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || c.is_ascii_digit()
        || matches!(c, '-' | '.' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// What a byte may be in a Name \[5\], as bits of [`BYTES`]: NameStartChar and NameChar (ASCII);
/// a byte beyond ASCII is `WIDE`, left to the character rules.
const NAME_START: u8 = 16;
const NAME_CHAR: u8 = 32;
const WIDE: u8 = 64;

/// The length in bytes of the Name \[5\] that starts `s` (0 when it starts none). ASCII is read
/// a byte at a time from a table, and the first byte beyond it goes to the character rules.
fn name_len(s: &str) -> usize {
    let bytes = s.as_bytes();
    let kind = |b: &u8| BYTES.get(usize::from(*b)).copied().unwrap_or(0);
    let ascii = match bytes.first().map(kind) {
        Some(k) if k & NAME_START != 0 => bytes
            .iter()
            .skip(1)
            .position(|b| kind(b) & NAME_CHAR == 0)
            .map_or(bytes.len(), |n| n + 1),
        Some(k) if k & WIDE != 0 => 0,
        _ => return 0,
    };
    match bytes.get(ascii) {
        Some(&b) if !b.is_ascii() => {}
        _ => return ascii,
    }
    // `ascii` ends ASCII bytes: a boundary of characters.
    let mut chars = s.get(ascii..).unwrap_or_default().char_indices();
    if ascii == 0 {
        match chars.next() {
            Some((_, c)) if is_name_start(c) => {}
            _ => return 0,
        }
    }
    chars
        .find(|&(_, c)| !is_name_char(c))
        .map_or(s.len(), |(j, _)| ascii + j)
}

/// Char \[2\]: whether `code` is a character XML documents may hold.
fn is_char(code: u32) -> bool {
    matches!(code, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

/// The index of the first `end` (`--`, `]]>`, `?>`) in `text`. A plain search: the ends are two
/// or three bytes long, and `str::find` would add its two-way searcher's code to the module.
fn find(text: &str, end: &str) -> Option<usize> {
    text.as_bytes()
        .windows(end.len())
        .position(|w| w == end.as_bytes())
}

// What a byte may mean in character data, as bits: `class(b) & data.mask()` is not zero where
// `char_data` must look closer.
/// A byte of no Char \[2\] (C0 controls but tab and line feed), `\r` (a line end to normalize),
/// or 0xEF (which starts U+FFFE and U+FFFF, and other characters).
const CONTROL: u8 = 1;
/// `&`: a reference.
const AMP: u8 = 2;
/// `]`: maybe `]]>`.
const BRACKET: u8 = 4;
/// `<`: not in an attribute value.
const LT: u8 = 8;

/// What every byte may be: its class in character data (the low four bits) and in a name
/// ([`NAME_START`], [`NAME_CHAR`], [`WIDE`]), looked up once a byte by `char_data` and `name_len`.
/// (Built at compile time: an index out of bounds there is a compile error, not a panic.)
#[allow(clippy::indexing_slicing)]
static BYTES: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let data = match c {
            b'\t' | b'\n' => 0,
            0..=0x1F | 0xEF => CONTROL,
            b'&' => AMP,
            b']' => BRACKET,
            b'<' => LT,
            _ => 0,
        };
        let name = if !c.is_ascii() {
            WIDE
        } else if c.is_ascii_alphabetic() || c == b':' || c == b'_' {
            NAME_START | NAME_CHAR
        } else if c.is_ascii_digit() || c == b'-' || c == b'.' {
            NAME_CHAR
        } else {
            0
        };
        table[b] = data | name;
        b += 1;
    }
    table
};

fn class(b: u8) -> u8 {
    BYTES.get(usize::from(b)).copied().unwrap_or(0) & 0x0F
}

/// What character data is, for [`char_data`].
#[derive(Clone, Copy)]
enum Data {
    /// Content's text, CharData \[14\]: references, and no `]]>`.
    Text,
    /// A CDATA section's, CData \[20\], a comment's or a processing instruction's: characters.
    Verbatim,
    /// An attribute value, AttValue \[10\]: references, and no `<`.
    Value,
}

impl Data {
    fn mask(self) -> u8 {
        match self {
            Data::Text => CONTROL | AMP | BRACKET,
            Data::Verbatim => CONTROL,
            Data::Value => CONTROL | AMP | LT,
        }
    }
}

/// Checks `raw` (at byte `at`) as character data of the kind `data`: its characters (Char \[2\]),
/// references (Reference \[67\]) and what `data` forbids. With `build`, returns what it stands
/// for: line ends normalized to `\n` (2.11), references replaced by their characters (4.1);
/// borrowed when that is `raw` itself. Without `build`, `raw`.
fn char_data(raw: &str, at: usize, data: Data, build: bool) -> Result<Cow<'_, str>> {
    let mask = data.mask();
    let bytes = raw.as_bytes();
    let mut out: Option<alloc::string::String> = None;
    // `raw[copied..]` is yet to be copied to `out`; `i` where to look from.
    let (mut copied, mut i) = (0, 0);
    while let Some(j) = bytes
        .get(i..)
        .and_then(|rest| rest.iter().position(|&b| class(b) & mask != 0))
        .map(|k| i + k)
    {
        let b = bytes.get(j).copied().unwrap_or(0);
        // After an ASCII byte (all but 0xEF are): a character boundary.
        let after = raw.get(j + 1..).unwrap_or("");
        let (c, next) = match b {
            b'\r' => ('\n', j + 1 + usize::from(after.starts_with('\n'))),
            b'&' => {
                let (c, len) = reference(after, at + j)?;
                (c, j + 1 + len)
            }
            b']' if after.starts_with("]>") => {
                return Err(xml_error(at + j, "`]]>` in character data"))
            }
            b'<' => return Err(xml_error(at + j, "`<` in an attribute value")),
            0xEF => match bytes.get(j + 1..j + 3) {
                Some([0xBF, low @ (0xBE | 0xBF)]) => {
                    return Err(illegal_char(at + j, 0xFFC0 | u32::from(*low & 0x3F)))
                }
                _ => {
                    i = j + 1;
                    continue;
                }
            },
            b']' => {
                i = j + 1;
                continue;
            }
            _ => return Err(illegal_char(at + j, b.into())),
        };
        if build {
            let out = out.get_or_insert_with(|| alloc::string::String::with_capacity(raw.len()));
            out.push_str(raw.get(copied..j).unwrap_or(""));
            out.push(c);
        }
        (copied, i) = (next, next);
    }
    Ok(match out {
        Some(mut out) => {
            out.push_str(raw.get(copied..).unwrap_or(""));
            Cow::Owned(out)
        }
        None => Cow::Borrowed(raw),
    })
}

#[cold]
#[inline(never)]
fn illegal_char(at: usize, code: u32) -> Error {
    xml_error(
        at,
        &join(&["the character U+", &hex4(code), " is not allowed in XML"]),
    )
}

/// The reference that `after` (what follows a `&`, at byte `at`) starts: the character it
/// stands for, and its length in `after` (its `;` included). EntityRef \[68\]: one of the five
/// predefined entities (4.6), as no DTD declares any other (WFC: Entity Declared); CharRef \[66\]:
/// a legal character (WFC: Legal Character).
fn reference(after: &str, at: usize) -> Result<(char, usize)> {
    let end = after
        .bytes()
        .position(|b| matches!(b, b';' | b'&' | b'<' | b'"' | b'\'') || is_space(b))
        .filter(|&end| after.as_bytes().get(end) == Some(&b';'))
        .ok_or_else(|| xml_error(at, "a reference not ended by `;`"))?;
    let name = after.get(..end).unwrap_or("");
    let c = match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ => match name.strip_prefix('#') {
            Some(number) => char_reference(number)
                .map_err(|why| xml_error_quoting(at, "the character reference `&", name, why))?,
            None if !name.is_empty() && name_len(name) == name.len() => {
                return Err(xml_error_quoting(
                    at,
                    "the entity `&",
                    name,
                    ";` is not declared (no DTD is read)",
                ))
            }
            None => return Err(xml_error_quoting(at, "`&", name, ";` is not a reference")),
        },
    };
    Ok((c, end + 1))
}

/// The character `&#` `number` `;` stands for, or why it is refused.
fn char_reference(number: &str) -> core::result::Result<char, &'static str> {
    let (digits, radix) = match number.strip_prefix('x') {
        Some(hex) => (hex, 16),
        None => (number, 10),
    };
    if digits.is_empty() || !digits.bytes().all(|b| char::from(b).is_digit(radix)) {
        return Err(";` is not a number");
    }
    // An overflow is no character either.
    let code = digits.bytes().try_fold(0u32, |n, b| {
        n.checked_mul(radix)?
            .checked_add(char::from(b).to_digit(radix)?)
    });
    code.filter(|&c| is_char(c))
        .and_then(char::from_u32)
        .ok_or(";` is not a legal character")
}

/// An element whose end tag is still to come.
struct Open<'a> {
    /// The name as written in the start tag, which the end tag must repeat.
    name: &'a str,
    /// Its index in the tree, when kept.
    index: Option<usize>,
    /// Its text so far (none once it has child elements).
    text: Text,
    /// Whether it has child elements (then its text, indentation, is dropped).
    has_children: bool,
}

/// The text of an element being read.
#[derive(Clone, Copy)]
enum Text {
    Empty,
    /// `body[start..start + len]`.
    Body(usize, usize),
    /// The decoded texts from `start`.
    Decoded(usize),
}

/// The reader's state.
struct Reader<'a, 'k> {
    body: &'a str,
    max_depth: usize,
    /// The roots whose contents are kept (all when empty).
    keep: &'k [&'k str],
    tree: Tree<'a>,
    stack: Vec<Open<'a>>,
    /// Whether the root's contents are kept.
    kept: bool,
    /// Whether the root element has been read to its end.
    done: bool,
    /// The names of the attributes of the tag being read.
    attributes: Vec<&'a str>,
}

/// Parses one XML document into `(root name, tree)`. A root whose local name is not in `keep`
/// (when `keep` is not empty) is read and checked but its contents are not kept.
pub(crate) fn parse<'a>(
    body: &'a str,
    max_depth: usize,
    keep: &[&str],
) -> Result<(Cow<'a, str>, Tree<'a>)> {
    if body.len() >= MAX_BODY {
        return Err(xml_error(MAX_BODY, "the document is larger than 1 GiB"));
    }
    // A byte-order mark (three bytes) is skipped.
    let start = if body.starts_with('\u{feff}') { 3 } else { 0 };
    let mut r = Reader {
        body,
        max_depth,
        keep,
        tree: Tree::new(body),
        stack: Vec::new(),
        kept: true,
        done: false,
        attributes: Vec::new(),
    };
    let mut pos = start;
    loop {
        // Character data up to the next markup, then the markup after its `<` (at byte `at`).
        let rest = body.get(pos..).unwrap_or("");
        let (raw, markup) = match rest.split_once('<') {
            Some((raw, markup)) => (raw, Some(markup)),
            None => (rest, None),
        };
        if !raw.is_empty() {
            r.outer_text(raw, pos)?;
        }
        let at = pos + raw.len();
        let Some(markup) = markup else { break };
        pos = at + 1 + r.markup(markup, at, at == start)?;
    }
    if let Some(open) = r.stack.last() {
        return Err(xml_error_quoting(
            body.len(),
            "the document ends before the end tag `</",
            open.name,
            ">`",
        ));
    }
    if !r.done {
        return Err(xml_error(body.len(), "the document has no root element"));
    }
    Ok((Cow::Borrowed(r.tree.name(0)), r.tree))
}

impl<'a> Reader<'a, '_> {
    /// Character data between markup (at byte `at`).
    fn outer_text(&mut self, raw: &'a str, at: usize) -> Result<()> {
        if !self.stack.is_empty() {
            return self.text(raw, at, Data::Text);
        }
        // Misc [27]: beside the root element, white space only.
        match raw.bytes().position(|b| !is_space(b)) {
            Some(i) => Err(xml_error(
                at + i,
                if raw.as_bytes().get(i) == Some(&b'&') {
                    "a reference outside the root element"
                } else {
                    "character data outside the root element"
                },
            )),
            None => Ok(()),
        }
    }

    /// Character data (at byte `at`) in the element open last: checked, and kept as its text
    /// when it is kept and has no child elements.
    fn text(&mut self, raw: &'a str, at: usize, data: Data) -> Result<()> {
        let build = self.kept && self.stack.last().is_some_and(|o| !o.has_children);
        let value = char_data(raw, at, data, build)?;
        let (Some(open), true) = (self.stack.last_mut(), build && !value.is_empty()) else {
            return Ok(());
        };
        let texts = &mut self.tree.texts;
        open.text = match (open.text, value) {
            (Text::Empty, Cow::Borrowed(_)) => Text::Body(at, raw.len()),
            (Text::Decoded(start), value) => {
                texts.push_str(&value);
                Text::Decoded(start)
            }
            (text, value) => {
                let start = texts.len();
                if let Text::Body(from, len) = text {
                    texts.push_str(self.body.get(from..from + len).unwrap_or(""));
                }
                texts.push_str(&value);
                Text::Decoded(start)
            }
        };
        Ok(())
    }

    /// The markup after a `<` (at byte `at`; `first` when it opens the document): how many
    /// bytes after the `<` it takes.
    fn markup(&mut self, markup: &'a str, at: usize, first: bool) -> Result<usize> {
        let rest = markup.get(1..).unwrap_or("");
        let taken = match markup.as_bytes().first() {
            Some(b'/') => self.end_tag(rest, at)?,
            Some(b'?') => pi(rest, at, first)?,
            Some(b'!') => self.bang(rest, at)?,
            _ => return self.start_tag(markup, at),
        };
        Ok(1 + taken)
    }

    /// After `<!`: a comment, a CDATA section, or a document type declaration (refused).
    fn bang(&mut self, rest: &'a str, at: usize) -> Result<usize> {
        if let Some(body) = rest.strip_prefix("--") {
            // Comment [15]: `--` only in the `-->` that ends it.
            let end = find(body, "--").ok_or_else(|| xml_error(at, "the comment is not closed"))?;
            if body.as_bytes().get(end + 2) != Some(&b'>') {
                return Err(xml_error(at + 4 + end, "`--` in a comment"));
            }
            char_data(body.get(..end).unwrap_or(""), at + 4, Data::Verbatim, false)?;
            Ok(2 + end + 3)
        } else if let Some(body) = rest.strip_prefix("[CDATA[") {
            // CDSect [18].
            let end = find(body, "]]>")
                .ok_or_else(|| xml_error(at, "the CDATA section is not closed"))?;
            if self.stack.is_empty() {
                return Err(xml_error(at, "a CDATA section outside the root element"));
            }
            self.text(body.get(..end).unwrap_or(""), at + 9, Data::Verbatim)?;
            Ok(7 + end + 3)
        } else if rest
            .get(..7)
            .is_some_and(|w| w.eq_ignore_ascii_case("DOCTYPE"))
        {
            // doctypedecl [28]: refused as soon as met, before anything in it is read.
            Err(Error::parse(ParseProblem::XmlDtd))
        } else {
            Err(xml_error(
                at,
                "`<!` starts no comment, CDATA section or DOCTYPE",
            ))
        }
    }

    /// STag \[40\] or EmptyElemTag \[44\], `tag` what follows its `<` (at byte `at`).
    fn start_tag(&mut self, tag: &'a str, at: usize) -> Result<usize> {
        let n = name_len(tag);
        if n == 0 {
            return Err(xml_error(at, "`<` not followed by an element name"));
        }
        let name = tag.get(..n).unwrap_or("");
        if self.done {
            return Err(xml_error_quoting(
                at,
                "a second root element `<",
                name,
                ">` (a document has one)",
            ));
        }
        // Attribute [41]s, then `>` or `/>`.
        self.attributes.clear();
        let mut i = n;
        let empty = loop {
            let s = spaces(tag.get(i..).unwrap_or(""));
            let rest = tag.get(i + s..).unwrap_or("");
            match rest.as_bytes() {
                [b'>', ..] => {
                    i += s + 1;
                    break false;
                }
                [b'/', b'>', ..] => {
                    i += s + 2;
                    break true;
                }
                [] => {
                    return Err(xml_error_quoting(
                        at,
                        "the start tag `<",
                        name,
                        "` is not closed",
                    ))
                }
                [b'/', ..] => return Err(xml_error(at + 1 + i + s, "`/` not followed by `>`")),
                _ if s == 0 => {
                    return Err(xml_error(at + 1 + i, "expected white space, `>` or `/>`"))
                }
                _ => i = self.attribute(tag, i + s, at)?,
            }
        };
        if !empty && self.stack.len() >= self.max_depth {
            return Err(Error::parse(ParseProblem::TooDeep {
                limit: self.max_depth,
            }));
        }
        let root = self.stack.is_empty();
        if root && !self.keep.is_empty() {
            self.kept = self.keep.contains(&local_name(name));
        }
        // The parent has a child element: its text so far (indentation) is dropped.
        if let Some(parent) = self.stack.last_mut() {
            parent.has_children = true;
            if let Text::Decoded(start) = parent.text {
                self.tree.texts.truncate(start);
            }
            parent.text = Text::Empty;
        }
        let open = Open {
            name,
            index: (root || self.kept).then(|| self.tree.push(at + 1)),
            text: Text::Empty,
            has_children: false,
        };
        if empty {
            self.close(&open);
        } else {
            self.stack.push(open);
        }
        Ok(i)
    }

    /// The Attribute \[41\] at `tag[i..]` (the tag's `<` at byte `at`): checked, not kept. Returns
    /// the index in `tag` after it.
    fn attribute(&mut self, tag: &'a str, i: usize, at: usize) -> Result<usize> {
        let (name, value, end) =
            attribute(tag, i).map_err(|(j, what)| xml_error(at + 1 + j, what))?;
        char_data(value, at + end - value.len(), Data::Value, false)?;
        // WFC: Unique Att Spec.
        if self.attributes.contains(&name) {
            return Err(xml_error_quoting(
                at + 1 + i,
                "the attribute `",
                name,
                "` is given twice in the tag",
            ));
        }
        if self.attributes.len() == MAX_ATTRIBUTES {
            return Err(xml_error(at + 1 + i, "more than 64 attributes in a tag"));
        }
        self.attributes.push(name);
        Ok(end)
    }

    /// ETag \[42\], `rest` what follows its `</` (at byte `at`).
    fn end_tag(&mut self, rest: &'a str, at: usize) -> Result<usize> {
        let n = name_len(rest);
        if n == 0 {
            return Err(xml_error(at, "`</` is not followed by an element name"));
        }
        let name = rest.get(..n).unwrap_or("");
        let s = spaces(rest.get(n..).unwrap_or(""));
        match rest.as_bytes().get(n + s) {
            Some(b'>') => {}
            None => {
                return Err(xml_error_quoting(
                    at,
                    "the end tag `</",
                    name,
                    "` is not closed",
                ))
            }
            Some(_) => {
                return Err(xml_error_quoting(
                    at + 2 + n + s,
                    "the end tag `</",
                    name,
                    "` holds more than a name",
                ))
            }
        }
        let Some(open) = self.stack.pop() else {
            return Err(xml_error_quoting(
                at,
                "the end tag `</",
                name,
                ">` has no start tag",
            ));
        };
        // WFC: Element Type Match.
        if open.name != name {
            let expected = join(&["` does not match the start tag `<", open.name, ">`"]);
            return Err(xml_error_quoting(
                at,
                "the end tag `</",
                name,
                &join(&[">", &expected]),
            ));
        }
        self.close(&open);
        Ok(n + s + 1)
    }

    /// The element `open`, read to its end.
    fn close(&mut self, open: &Open<'a>) {
        if let Some(index) = open.index {
            let contents = match open.text {
                _ if !self.kept => Contents::Body(0, 0),
                _ if open.has_children => Contents::Children,
                Text::Empty => Contents::Body(0, 0),
                Text::Body(start, len) => Contents::Body(start, len),
                Text::Decoded(start) => Contents::Decoded(start),
            };
            self.tree.close(index, contents);
        }
        self.done = self.stack.is_empty();
    }
}

/// PI \[16\] or, opening the document, XMLDecl \[23\]: `rest` what follows `<?` (at byte `at`).
fn pi(rest: &str, at: usize, first: bool) -> Result<usize> {
    let n = name_len(rest);
    if n == 0 {
        return Err(xml_error(at, "a processing instruction without a target"));
    }
    let target = rest.get(..n).unwrap_or("");
    // PITarget [17]: `xml` in any case is reserved, for the XML declaration.
    if target.eq_ignore_ascii_case("xml") {
        if first && target == "xml" {
            return xml_decl(rest.get(3..).unwrap_or(""), at + 5).map(|len| 3 + len);
        }
        return Err(xml_error(
            at,
            "the target `xml` is reserved (an XML declaration opens the document)",
        ));
    }
    let after = rest.get(n..).unwrap_or("");
    if after.starts_with("?>") {
        return Ok(n + 2);
    }
    if !after.is_empty() && !after.bytes().next().is_some_and(is_space) {
        return Err(xml_error(
            at + 2 + n,
            "expected white space or `?>` after the target",
        ));
    }
    let end = find(after, "?>")
        .ok_or_else(|| xml_error(at, "the processing instruction is not closed"))?;
    char_data(
        after.get(..end).unwrap_or(""),
        at + 2 + n,
        Data::Verbatim,
        false,
    )?;
    Ok(n + end + 2)
}

/// The Attribute \[41\] at `tag[i..]` (or, in the XML declaration, the pseudo-attribute): its
/// name, its value as written (unchecked) and the index after it; or where and what is wrong.
fn attribute(
    tag: &str,
    i: usize,
) -> core::result::Result<(&str, &str, usize), (usize, &'static str)> {
    let rest = tag.get(i..).unwrap_or("");
    let n = name_len(rest);
    if n == 0 {
        return Err((i, "expected an attribute name, `>` or `/>`"));
    }
    // Eq [25], then a quoted value.
    let mut j = i + n;
    j += spaces(tag.get(j..).unwrap_or(""));
    let eq = tag.as_bytes().get(j) == Some(&b'=');
    j += usize::from(eq);
    j += spaces(tag.get(j..).unwrap_or(""));
    let quote = match tag.as_bytes().get(j) {
        Some(&q @ (b'"' | b'\'')) if eq => q,
        _ => return Err((j, "an attribute without `=` and a quoted value")),
    };
    let value = tag.get(j + 1..).unwrap_or("");
    let len = value
        .bytes()
        .position(|b| b == quote)
        .ok_or((j, "an attribute value not closed"))?;
    Ok((
        rest.get(..n).unwrap_or(""),
        value.get(..len).unwrap_or(""),
        j + 1 + len + 1,
    ))
}

/// XMLDecl \[23\] after `<?xml` (`s`, at byte `at`): VersionInfo \[24\], EncodingDecl \[80\]?,
/// SDDecl \[32\]?, in that order, then `?>`. Its length in `s`. (The encoding declared is not
/// used: the body is text already.)
fn xml_decl(s: &str, at: usize) -> Result<usize> {
    let malformed = |i: usize, what: &str| {
        xml_error(at + i, &join(&["the XML declaration is malformed: ", what]))
    };
    // The index in `NAMES` of the next pseudo-attribute it may hold (0: `version`, needed).
    const NAMES: [&str; 3] = ["version", "encoding", "standalone"];
    let (mut next, mut i) = (0, 0);
    loop {
        let space = spaces(s.get(i..).unwrap_or(""));
        let rest = s.get(i + space..).unwrap_or("");
        if rest.starts_with("?>") {
            return match next {
                0 => Err(malformed(i, "no `version`")),
                _ => Ok(i + space + 2),
            };
        }
        if space == 0 {
            return Err(malformed(i, "expected `?>`"));
        }
        let (name, value, end) = attribute(s, i + space).map_err(|(j, what)| malformed(j, what))?;
        let (index, ok) = match NAMES.iter().position(|n| *n == name) {
            // VersionNum [26].
            Some(0) if next == 0 => {
                let digits = value.strip_prefix("1.").unwrap_or("");
                (
                    0,
                    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()),
                )
            }
            // EncName [81].
            Some(1) if next == 1 => {
                let mut bytes = value.bytes();
                let ok = bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
                    && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
                (1, ok)
            }
            Some(2) if next >= 1 => (2, matches!(value, "yes" | "no")),
            _ if next == 0 => return Err(malformed(i, "no `version`")),
            _ => {
                return Err(malformed(
                    i + space,
                    "expected `encoding`, `standalone` or `?>`",
                ))
            }
        };
        if !ok {
            return Err(malformed(i + space, "a value not as XML 1.0 writes it"));
        }
        (next, i) = (index + 1, end);
    }
}

/// An XML tree as owned data, for the tests that hold this reader to quick-xml
/// (`tests/xml_reader.rs`): not part of the API. Not in the WebAssembly module, where a second
/// caller of [`parse`] would change how it is inlined.
#[cfg(feature = "fuzzing")]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum XmlTree {
    /// An element without child elements: its text.
    Text(String),
    /// An element with child elements: their names and contents, in order.
    Element(Vec<(String, XmlTree)>),
}

/// [`parse`] with an owned result: for tests.
#[cfg(feature = "fuzzing")]
pub fn parse_tree(text: &str, max_depth: usize) -> Result<(String, XmlTree)> {
    fn owned(tree: &Tree<'_>, i: usize) -> XmlTree {
        match tree.children(i) {
            Some(children) => {
                let mut items = Vec::new();
                let mut j = children.start;
                while j < children.end {
                    items.push((String::from(tree.name(j)), owned(tree, j)));
                    j = tree.next_sibling(j);
                }
                XmlTree::Element(items)
            }
            None => XmlTree::Text(String::from(tree.text(i))),
        }
    }
    let (name, tree) = parse(text, max_depth, &[])?;
    Ok((name.into_owned(), owned(&tree, 0)))
}

/// [`parse`] as the module calls it, the tree dropped once built: for the tests that measure
/// what reading costs (`tests/xml-memory/tests/peak.rs`).
#[cfg(feature = "fuzzing")]
pub fn parse_and_drop(text: &str, max_depth: usize, keep: &[&str]) -> Result<()> {
    parse(text, max_depth, keep).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `name_len` read by characters alone, the rules \[4\], \[4a\] and \[5\] as written.
    fn name_len_by_chars(s: &str) -> usize {
        let mut chars = s.char_indices();
        match chars.next() {
            Some((_, c)) if is_name_start(c) => {}
            _ => return 0,
        }
        chars
            .find(|&(_, c)| !is_name_char(c))
            .map_or(s.len(), |(i, _)| i)
    }

    #[test]
    fn a_name_read_a_byte_at_a_time_ends_where_the_character_rules_end_it() {
        let starts = [
            "",
            "a",
            "Z",
            ":",
            "_",
            "-",
            ".",
            "7",
            " ",
            "é",
            "\u{B7}",
            "\u{300}",
            "\u{2070}",
            "\u{37E}",
            "가",
            "\u{10000}",
            "\u{F0000}",
        ];
        let rest = [
            "", "a", "9", "-", ".", "\u{B7}", "\u{300}", "\u{203F}", "é", "\u{37E}", " ", ">", "/",
            "=", "\u{2FF0}", "x가y",
        ];
        let mut checked = 0;
        for a in starts {
            for b in rest {
                for c in rest {
                    let s = [a, b, c, ">tail"].concat();
                    assert_eq!(name_len(&s), name_len_by_chars(&s), "{s:?}");
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, starts.len() * rest.len() * rest.len());
        assert_eq!(name_len("cloudDBInstance>"), 15);
        assert_eq!(name_len("é가:x-1 a"), 9);
        assert_eq!(name_len("1a"), 0);
    }

    fn message(text: &str) -> String {
        match parse(text, 128, &[]).map(|_| ()).unwrap_err() {
            Error::Parse {
                problem: ParseProblem::Xml(m),
                ..
            } => m,
            other => panic!("{text}: {other:?}"),
        }
    }

    /// The tree as (name, text or children) for comparisons.
    fn tree(text: &str) -> (String, XmlTree) {
        parse_tree(text, 128).unwrap()
    }

    fn leaf(name: &str, text: &str) -> (String, XmlTree) {
        (name.into(), XmlTree::Text(text.into()))
    }

    /// Errors name the problem in XML 1.0's terms, and the byte where it is.
    #[test]
    fn errors_say_what_and_where() {
        for (text, expected) in [
            ("<r><!x></r>", "`<!` starts no comment, CDATA section or DOCTYPE (at byte 3)"),
            ("<r><?pi", "the processing instruction is not closed (at byte 3)"),
            ("<r><?></r>", "a processing instruction without a target (at byte 3)"),
            ("<r><?a?b?></r>", "expected white space or `?>` after the target (at byte 6)"),
            ("<r><?xml version='1.0'?></r>", "the target `xml` is reserved (an XML declaration opens the document) (at byte 3)"),
            (" <?xml version='1.0'?><r/>", "the target `xml` is reserved (an XML declaration opens the document) (at byte 1)"),
            ("<?xml?><r/>", "the XML declaration is malformed: no `version` (at byte 5)"),
            ("<?xml version='2.0'?><r/>", "the XML declaration is malformed: a value not as XML 1.0 writes it (at byte 6)"),
            ("<?xml version=1.0?><r/>", "the XML declaration is malformed: an attribute without `=` and a quoted value (at byte 14)"),
            ("<?xml version='1.0' standalone='maybe'?><r/>", "the XML declaration is malformed: a value not as XML 1.0 writes it (at byte 20)"),
            ("<?xml version='1.0' encoding='8bit'?><r/>", "the XML declaration is malformed: a value not as XML 1.0 writes it (at byte 20)"),
            ("<?xml version='1.0' standalone='no' encoding='UTF-8'?><r/>", "the XML declaration is malformed: expected `encoding`, `standalone` or `?>` (at byte 36)"),
            ("<r><!-- c", "the comment is not closed (at byte 3)"),
            ("<r><!-- a--b --></r>", "`--` in a comment (at byte 9)"),
            ("<r><!-- a---></r>", "`--` in a comment (at byte 9)"),
            ("<r><![CDATA[x", "the CDATA section is not closed (at byte 3)"),
            ("<r><a", "the start tag `<a` is not closed (at byte 3)"),
            ("<r><a x='>", "an attribute value not closed (at byte 8)"),
            ("<r><a x></a></r>", "an attribute without `=` and a quoted value (at byte 7)"),
            ("<r><a x=1></a></r>", "an attribute without `=` and a quoted value (at byte 8)"),
            ("<r><a x='1'y='2'></a></r>", "expected white space, `>` or `/>` (at byte 11)"),
            ("<r><a x='1' x=\"2\"></a></r>", "the attribute `x` is given twice in the tag (at byte 12)"),
            ("<r><a x='<'></a></r>", "`<` in an attribute value (at byte 9)"),
            ("<r><a x='&nbsp;'></a></r>", "the entity `&nbsp;` is not declared (no DTD is read) (at byte 9)"),
            ("<r><a/ ></r>", "`/` not followed by `>` (at byte 5)"),
            ("<r><a></b></r>", "the end tag `</b>` does not match the start tag `<a>` (at byte 6)"),
            ("<r><p:a></q:a></r>", "the end tag `</q:a>` does not match the start tag `<p:a>` (at byte 8)"),
            ("<r><a></a x></r>", "the end tag `</a` holds more than a name (at byte 10)"),
            ("<r><a></a", "the end tag `</a` is not closed (at byte 6)"),
            ("<r></ ></r>", "`</` is not followed by an element name (at byte 3)"),
            ("<r></r></a>", "the end tag `</a>` has no start tag (at byte 7)"),
            ("<r><a>", "the document ends before the end tag `</a>` (at byte 6)"),
            ("<r>&#xD800;</r>", "the character reference `&#xD800;` is not a legal character (at byte 3)"),
            ("<r>&#1114112;</r>", "the character reference `&#1114112;` is not a legal character (at byte 3)"),
            ("<r>&#0;</r>", "the character reference `&#0;` is not a legal character (at byte 3)"),
            ("<r>&#1;</r>", "the character reference `&#1;` is not a legal character (at byte 3)"),
            ("<r>&#xFFFE;</r>", "the character reference `&#xFFFE;` is not a legal character (at byte 3)"),
            ("<r>&#99999999999;</r>", "the character reference `&#99999999999;` is not a legal character (at byte 3)"),
            ("<r>x&#+1;</r>", "the character reference `&#+1;` is not a number (at byte 4)"),
            ("<r>&#X41;</r>", "the character reference `&#X41;` is not a number (at byte 3)"),
            ("<r>&lol;</r>", "the entity `&lol;` is not declared (no DTD is read) (at byte 3)"),
            ("<r>&1;</r>", "`&1;` is not a reference (at byte 3)"),
            ("<r>a &amp b</r>", "a reference not ended by `;` (at byte 5)"),
            ("<r>&</r>", "a reference not ended by `;` (at byte 3)"),
            ("<r>a]]>b</r>", "`]]>` in character data (at byte 4)"),
            ("<r>\u{1}</r>", "the character U+0001 is not allowed in XML (at byte 3)"),
            ("<r><!-- \u{1b} --></r>", "the character U+001B is not allowed in XML (at byte 8)"),
            ("<r>\u{ffff}</r>", "the character U+FFFF is not allowed in XML (at byte 3)"),
            ("<r/><r/>", "a second root element `<r>` (a document has one) (at byte 4)"),
            ("<r/>x", "character data outside the root element (at byte 4)"),
            ("\u{a0}<r/>", "character data outside the root element (at byte 0)"),
            (" &#32;<r/>", "a reference outside the root element (at byte 1)"),
            ("<![CDATA[]]><r/>", "a CDATA section outside the root element (at byte 0)"),
            ("<r>< a/></r>", "`<` not followed by an element name (at byte 3)"),
            ("<r><1/></r>", "`<` not followed by an element name (at byte 3)"),
            ("<r><a\"b/></r>", "expected white space, `>` or `/>` (at byte 5)"),
            ("\u{feff} <!-- -->", "the document has no root element (at byte 12)"),
        ] {
            assert_eq!(message(text), expected, "{text:?}");
        }
        // A long name is cut in the message.
        let long = alloc::format!("<{0}></{0}x>", "n".repeat(100));
        assert!(message(&long).starts_with(&alloc::format!(
            "the end tag `</{}…>` does not match",
            "n".repeat(60)
        )));
    }

    #[test]
    fn line_ends_names_and_borrowing() {
        let (name, node) = tree(
            "\u{feff}<p:r a='>' b=\"'\"\r\n><x:y:a\t>1\r\n2\r3&#13;\r</x:y:a ><b><![CDATA[\r\n]]>\r</b><c/><d>plain</d><e /></p:r>",
        );
        assert_eq!(name, "r");
        assert_eq!(
            node,
            XmlTree::Element(vec![
                leaf("a", "1\n2\n3\r\n"),
                leaf("b", "\n\n"),
                leaf("c", ""),
                leaf("d", "plain"),
                leaf("e", ""),
            ])
        );
        // Text without references or line ends is not copied.
        let body = "<r><a>plain</a><b>x<!-- -->y</b><c>t<d/></c></r>";
        let (_, t) = parse(body, 128, &[]).unwrap();
        assert_eq!(t.texts, "xy");
        // Comments, processing instructions and declarations; `<!---->` is a comment.
        let node = tree("<?xml version='1.0' encoding=\"UTF-8\" standalone='yes' ?><!----><r><?pi ? >?>a<!-- - -->b<?xml-stylesheet?></r><!-- -->\n").1;
        assert_eq!(node, XmlTree::Text("ab".into()));
        // White space around `=`, empty values, references in values, names XML allows.
        let node = tree("<é:r xmlns:é = 'u' a=\"\" b='&amp;&#60;'><_a-b.c·1/><한국/></é:r>").1;
        assert_eq!(
            node,
            XmlTree::Element(vec![leaf("_a-b.c·1", ""), leaf("한국", "")])
        );
    }

    #[test]
    fn elements_text_and_entities() {
        let (name, node) = tree(
            "<?xml version=\"1.0\"?>\n<r><a>x &amp; &apos;y&apos; &#233;&#x1F600;&#xe9;]]</a><b/><c>\n <d>1</d><d>2</d></c><e><![CDATA[<raw>]]></e></r>",
        );
        assert_eq!(name, "r");
        assert_eq!(
            node,
            XmlTree::Element(vec![
                leaf("a", "x & 'y' é😀é]]"),
                leaf("b", ""),
                (
                    "c".into(),
                    XmlTree::Element(vec![leaf("d", "1"), leaf("d", "2")])
                ),
                leaf("e", "<raw>"),
            ])
        );
    }

    #[test]
    fn roots_not_kept_keep_nothing() {
        let (name, t) = parse("<other><a>&amp;</a><b/></other>", 128, &["r"]).unwrap();
        assert_eq!((name.as_ref(), t.len(), t.texts.as_str()), ("other", 1, ""));
        assert_eq!((t.children(0), t.text(0)), (None, ""));
        // Still checked.
        assert!(parse("<other><a>&lol;</a></other>", 128, &["r"]).is_err());
    }

    #[test]
    fn refuses_dtds_and_undeclared_entities() {
        let laughs = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><lolz>&lol2;</lolz>"#;
        assert_eq!(
            parse(laughs, 128, &[]).map(|_| ()).unwrap_err().code(),
            "ERR_XML_DTD"
        );
        // Refused as soon as met, even when not closed or without a name.
        for dtd in [
            "<!DOCTYPE",
            "<r><!doctype>",
            "<r/><!DocType r [<!ENTITY x '<'>]>",
        ] {
            assert_eq!(
                parse(dtd, 128, &[]).map(|_| ()).unwrap_err().code(),
                "ERR_XML_DTD",
                "{dtd}"
            );
        }
        assert_eq!(
            parse("<a>&lol;</a>", 128, &[])
                .map(|_| ())
                .unwrap_err()
                .code(),
            "ERR_INVALID_XML"
        );
    }

    #[test]
    fn refuses_malformed() {
        for bad in [
            "",
            "<a>",
            "<a></b>",
            "<a/><b/>",
            "x<a/>",
            "<a>&#0;</a>",
            "</a>",
            "<a><b></a></b>",
            "<a b='1' b='1'/>",
            "<a>]]></a>",
        ] {
            assert!(parse(bad, 128, &[]).is_err(), "accepted {bad:?}");
        }
    }

    #[test]
    fn attributes_are_limited_per_tag() {
        let tag = |n: usize| {
            let attributes: String = (0..n).map(|i| alloc::format!(" a{i}=''")).collect();
            alloc::format!("<r{attributes}/>")
        };
        assert!(parse(&tag(MAX_ATTRIBUTES), 128, &[]).is_ok());
        assert_eq!(
            message(&tag(MAX_ATTRIBUTES + 1)),
            "more than 64 attributes in a tag (at byte 441)"
        );
    }

    #[test]
    fn depth_is_bounded() {
        let deep = "<a>".repeat(100_000);
        assert_eq!(
            parse(&deep, 128, &[]).map(|_| ()).unwrap_err().code(),
            "ERR_TOO_DEEP"
        );
    }

    #[test]
    fn escapes() {
        let mut s = String::new();
        crate::text::push_xml_escaped(&mut s, "a<b>&c\r");
        assert_eq!(s, "a&lt;b&gt;&amp;c&#13;");
    }
}
