//! What a request turned out to be, for its audit line.

/// Filled in while a request is answered; written by [`crate::log`].
#[derive(Default)]
pub(crate) struct Audit {
    pub(crate) access_key: Option<String>,
    pub(crate) action: Option<String>,
    pub(crate) instance: Option<String>,
    pub(crate) outcome: String,
}
