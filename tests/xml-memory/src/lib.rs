//! Nothing: the measurements are in `tests/peak.rs`.
