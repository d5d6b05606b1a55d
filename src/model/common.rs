//! The code-and-name pair every API family uses.

use super::schema::{field_kind, field_type, model, FieldKind, Spec};

model! {
    /// A code and its display name (`{"code":"M","codeName":"Master"}`).
    pub struct CommonCode {
        /// The code, e.g. `M` (Master), `H` (Hidden Master), `S` (Slave).
        "code" => code: Str,
        /// Its display name.
        "codeName" => code_name: Str,
    }
}
