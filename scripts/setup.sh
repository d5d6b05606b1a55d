#!/usr/bin/env bash
# Installs what the build, the demo and the tests need, idempotently: Debian packages (Chromium,
# ChromeDriver, Firefox ESR, Redis), geckodriver, the wasm32 Rust target, wasm-bindgen-cli at the
# exact version in Cargo.lock, wasm-pack, and the npm dev tools of package-lock.json. Quick when
# all is there.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

# --- Debian packages.
packages=()
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
command -v chromedriver >/dev/null 2>&1 || packages+=(chromium-driver)
command -v firefox-esr >/dev/null 2>&1 || packages+=(firefox-esr)
command -v redis-server >/dev/null 2>&1 || packages+=(redis-server)
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)
if ((${#packages[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  say "installing Debian packages: ${packages[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}" >/dev/null
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "setup: Node.js 20 or newer is needed (found $(node --version))" >&2
  exit 1
fi

# --- Rust: the wasm32 target and the wasm-bindgen CLI matching the wasm-bindgen crate.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wb_version" ]; then
  say "installing wasm-bindgen-cli $wb_version (a few minutes, once)"
  cargo install --quiet --force wasm-bindgen-cli --version "$wb_version"
fi
wasm_pack_version=0.15.1
if [ "$(wasm-pack --version 2>/dev/null | awk '{print $2}')" != "$wasm_pack_version" ]; then
  say "installing wasm-pack $wasm_pack_version (a few minutes, once)"
  cargo install --quiet --force wasm-pack --version "$wasm_pack_version"
fi

# --- geckodriver, for `wasm-pack test --firefox` (built from crates.io, never downloaded).
if ! command -v geckodriver >/dev/null 2>&1; then
  say "installing geckodriver (a few minutes, once)"
  cargo install --quiet --locked geckodriver
fi

# --- Fuzzing (scripts/fuzz-smoke.sh): the nightly toolchain and cargo-fuzz.
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  say "installing the nightly toolchain (minimal profile, for cargo-fuzz)"
  rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  say "installing cargo-fuzz (a minute, once)"
  cargo install --quiet --locked cargo-fuzz || cargo install --quiet cargo-fuzz
fi

# --- npm dev tools (binaryen's wasm-opt, TypeScript, Playwright's driver and puppeteer-core
# without a browser, esbuild, and the Deno, Bun and workerd binaries of their npm packages).
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  say "installing npm dev dependencies"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --silent --no-audit --no-fund
fi
say "ready: $(rustc --version | cut -d' ' -f1-2), wasm-bindgen $wb_version, wasm-pack $wasm_pack_version, node $(node --version), $(chromium --version 2>/dev/null | cut -d' ' -f1-2), $(firefox-esr --version 2>/dev/null | cut -d' ' -f2-3), $(redis-server --version | cut -d' ' -f1-3)"
