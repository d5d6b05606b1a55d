#!/usr/bin/env bash
# Every test, in order; stops at the first failure. `make test` runs setup and build first.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
started=$SECONDS

step "format, lints and the module graph"
cargo fmt --all --check
cargo clippy --quiet --workspace --all-targets -- -D warnings
cargo clippy --quiet -p ncloud-redis-flush -p ncloud-redis-flush-wasm --lib --tests \
  --target wasm32-unknown-unknown -- -D warnings
# The shipped module's configuration (no `std`: wasm/src/lib.rs), and the core alone without it.
cargo clippy --quiet -p ncloud-redis-flush -p ncloud-redis-flush-wasm --lib \
  --target wasm32-unknown-unknown --no-default-features -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --quiet --no-deps --lib -p ncloud-redis-flush -p ncloud-redis-flush-wasm
# No module imports one that imports it back; signing and the model never import parsing.
scripts/module-dag.py src wasm/src gateway/src
node_modules/.bin/tsc -p tsconfig.checkjs.json && node_modules/.bin/tsc -p tsconfig.checkjs.www.json

step "Rust: unit, integration and doc tests (native)"
cargo test --quiet --workspace

step "A crate that depends on the core for wasm32 gets no export, allocator or panic handler"
node tests/dependent/check.mjs

step "The crates as crates.io and docs.rs get them"
# Publishing both at once goes through a temporary local registry, whose unpacked copy of the
# core cargo keeps between runs and reuses while the version is the same: a stale copy would be
# verified instead of this tree. Dropped first.
rm -rf "${CARGO_HOME:-$HOME/.cargo}"/registry/src/-*/ncloud-redis-flush-* \
  "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/-*/ncloud-redis-flush-*
cargo publish --quiet --dry-run --allow-dirty -p ncloud-redis-flush -p ncloud-redis-flush-wasm
# docs.rs builds with nightly and --cfg docsrs, the glue for wasm32 (package.metadata.docs.rs).
RUSTDOCFLAGS="--cfg docsrs -D warnings" cargo +nightly doc --quiet --no-deps -p ncloud-redis-flush
RUSTDOCFLAGS="--cfg docsrs -D warnings" cargo doc --quiet --no-deps -p ncloud-redis-flush-wasm \
  --target wasm32-unknown-unknown

step "Fuzz smoke: every cargo-fuzz target for 30 s (nightly)"
scripts/fuzz-smoke.sh 30

step "wasm: the shared test module in Node (wasm-pack test --node)"
(cd wasm && wasm-pack test --node -- --test wasm_node)

step "wasm: the shared test module in headless Chromium (wasm-pack test --headless --chrome)"
(cd wasm && wasm-pack test --headless --chrome --chromedriver "$(command -v chromedriver)" -- --test wasm_browser)

step "wasm: the shared test module in headless Firefox ESR (wasm-pack test --headless --firefox)"
(cd wasm && wasm-pack test --headless --firefox --geckodriver "$(command -v geckodriver)" -- --test wasm_browser)

step "Node: the installed package (ESM, CommonJS, typings), the gateway over real Redis, the CLI"
tests/node/run.sh node gateway cli

step "Deno, Bun and workerd: the installed package, the example Worker, real flushes"
tests/node/run.sh hosts

step "make demo, non-interactive"
node demo/demo.mjs --once

step "Browser: the package from <script type=module> and bundled by Vite"
node --test tests/browser/

step "Console: www/ in Chromium against the gateway and real Redis"
node --test --test-concurrency=1 tests/console/

step "Console: www/ in Firefox ESR (WebDriver BiDi) against the gateway and real Redis"
BROWSER=firefox node --test --test-concurrency=1 tests/console/

step "Benchmark smoke run (a few iterations, no thresholds: the figures mean nothing here)"
node bench/bench.mjs --smoke >/dev/null

printf '\n\033[1mall tests passed in %ss\033[0m\n' "$((SECONDS - started))"
