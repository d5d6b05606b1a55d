//! The wire schema of the answers: for each structure, its members' names and kinds.

#[allow(unused_imports)]
use crate::prelude::*;
/// How a member is read and written.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Kind {
    /// Text; numbers and booleans are kept as written.
    Str,
    /// An integer within ±(2^53 − 1), from a number or its text.
    Int,
    /// `true`/`false`, or their text.
    Bool,
    /// A list of texts (XML: `<xNoList><xNo>…</xNo></xNoList>`).
    StrList,
    /// A nested structure.
    Obj(&'static [Spec]),
    /// A list of structures (XML: `<xList><x>…</x></xList>`).
    List(&'static [Spec]),
}

/// One member of a structure.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Spec {
    /// The wire name.
    pub(crate) name: &'static str,
    /// Its kind.
    pub(crate) kind: Kind,
}

/// The element name of one item of a list: `cloudDBInstanceList` → `cloudDBInstance`.
pub(crate) fn item_name(list_name: &str) -> &str {
    list_name.strip_suffix("List").unwrap_or(list_name)
}
