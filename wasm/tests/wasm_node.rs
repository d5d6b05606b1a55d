//! The shared wasm test module, in Node (`wasm-pack test --node`).
#![cfg(target_arch = "wasm32")]

mod wasm;
