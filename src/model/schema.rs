//! The wire schema of the answers: for each structure, its members' names and kinds, and the
//! `model!` macro that declares a structure once — the Rust struct with its serde names, and its
//! schema table, which the normalizer and the XML writer walk. The WebAssembly module thus carries
//! one small interpreter and a table per structure, not per-field code.

/// How a member is read and written.
#[derive(Clone, Copy, Debug)]
pub(crate) enum FieldKind {
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
    pub(crate) kind: FieldKind,
}

/// The element name of one item of a list: `cloudDBInstanceList` → `cloudDBInstance`.
pub(crate) fn item_name(list_name: &str) -> &str {
    list_name.strip_suffix("List").unwrap_or(list_name)
}

/// The largest integer a JavaScript number holds exactly: 2^53 − 1. Integers of the answers
/// must be within ±`MAX_SAFE_INTEGER`.
pub const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// The shape of a successful answer: its root and its list, e.g. `flushCloudDBInstanceResponse`
/// holding `cloudDBInstanceList`. The constants of [`crate::model`] name every API's.
#[derive(Clone, Copy, Debug)]
pub struct AnswerKind {
    /// The root's name (JSON: the member of the top object; XML: the root element).
    pub root: &'static str,
    /// The name of the root's list.
    pub list: &'static str,
    /// The schema of the list's items.
    pub(crate) item: &'static [Spec],
}

/// Whether a field is absent on the wire (and left out of the JSON output).
pub(crate) trait Absent {
    fn absent(&self) -> bool;
}

impl<T> Absent for Option<T> {
    fn absent(&self) -> bool {
        self.is_none()
    }
}

impl<T> Absent for alloc::vec::Vec<T> {
    fn absent(&self) -> bool {
        false
    }
}

/// The Rust type of a field kind.
macro_rules! field_type {
    (Str) => { Option<alloc::string::String> };
    (Int) => { Option<i64> };
    (Bool) => { Option<bool> };
    (StrList) => { alloc::vec::Vec<alloc::string::String> };
    (Obj($t:ident)) => { Option<$t> };
    (List($t:ident)) => { alloc::vec::Vec<$t> };
}

/// The schema kind of a field kind.
macro_rules! field_kind {
    (Str) => {
        FieldKind::Str
    };
    (Int) => {
        FieldKind::Int
    };
    (Bool) => {
        FieldKind::Bool
    };
    (StrList) => {
        FieldKind::StrList
    };
    (Obj($t:ident)) => {
        FieldKind::Obj($t::SCHEMA)
    };
    (List($t:ident)) => {
        FieldKind::List($t::SCHEMA)
    };
}

/// Declares a structure of the answers: the struct, its serde names and its schema.
macro_rules! model {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $wire:literal => $field:ident : $kind:ident $(($inner:ident))?, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(default)]
        pub struct $name {
            $(
                $(#[$fmeta])*
                #[serde(rename = $wire, skip_serializing_if = "crate::model::schema::Absent::absent")]
                pub $field: field_type!($kind $(($inner))?),
            )*
        }

        impl $name {
            /// The wire schema: names and kinds, in the API's order.
            pub(crate) const SCHEMA: &'static [Spec] = &[
                $( Spec { name: $wire, kind: field_kind!($kind $(($inner))?) }, )*
            ];
        }
    };
}

pub(crate) use {field_kind, field_type, model};
