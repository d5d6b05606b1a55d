#!/usr/bin/env bash
# Builds the npm package into pkg/: cargo (wasm32, release) → wasm-bindgen --target web →
# wasm-opt -Oz → js/build-package.mjs, and the local gateway (target/debug/ncloud-gateway).
# Prints the .wasm size raw and gzipped.
set -euo pipefail
cd "$(dirname "$0")/.."
name=ncloud_redis_flush
out=target/bindgen

# The glue crate (wasm/) without `std`: it then supplies a panic handler that traps without
# formatting, and no `core::fmt` machinery is linked for panics (wasm/src/lib.rs, `runtime`).
cargo build --quiet --lib --release --target wasm32-unknown-unknown --no-default-features \
  -p ncloud-redis-flush-wasm
cargo build --quiet -p ncloud-gateway
rm -rf "$out" pkg
wasm-bindgen --target web --out-dir "$out" --out-name "$name" \
  "target/wasm32-unknown-unknown/release/${name}_wasm.wasm"
mkdir -p pkg
# binaryen from npm (pinned in package.json): Debian's 108 cannot read the table.fill that
# wasm-bindgen emits for its externref table.
node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-mutable-globals --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-reference-types --enable-multivalue \
  "$out/${name}_bg.wasm" -o "pkg/${name}_bg.wasm"
node js/build-package.mjs "$out"

size() { wc -c <"$1" | tr -d ' '; }
gz() { gzip -9 -c "$1" | wc -c | tr -d ' '; }
wasm="pkg/${name}_bg.wasm"
printf 'wasm  %s: %6d bytes raw, %6d bytes gzip -9 (before wasm-opt: %d)\n' \
  "$wasm" "$(size "$wasm")" "$(gz "$wasm")" "$(size "$out/${name}_bg.wasm")"
printf 'glue  %s: %6d bytes raw, %6d bytes gzip -9\n' \
  "pkg/$name.js" "$(size "pkg/$name.js")" "$(gz "pkg/$name.js")"
