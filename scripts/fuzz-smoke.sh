#!/usr/bin/env bash
# A short run of every cargo-fuzz target (fuzz/), one after the other: 30 seconds each by
# default, from the seed corpus (fuzz/corpus/<target>/seed-*) and whatever earlier runs added.
# Fails on the first crash, panic, timeout or out-of-memory; the input is then in
# fuzz/artifacts/<target>/ (replay: cargo +nightly fuzz run <target> <file>).
# Installs what is missing, idempotently: the nightly toolchain (minimal profile), cargo-fuzz.
#   scripts/fuzz-smoke.sh [seconds per target] [target …]
# tests/FUZZING.md has what each target checks and the results of the long runs.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\033[1mfuzz:\033[0m %s\n' "$*"; }

seconds=${1:-30}
shift || true
targets=("$@")

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  say "installing the nightly toolchain (minimal profile)"
  rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  say "installing cargo-fuzz (a minute, once)"
  cargo install --quiet --locked cargo-fuzz || cargo install --quiet cargo-fuzz
fi

cd fuzz
mapfile -t all < <(cargo +nightly fuzz list)
if [ ${#targets[@]} -eq 0 ]; then
  targets=("${all[@]}")
fi
for target in "${targets[@]}"; do
  if [[ " ${all[*]} " != *" $target "* ]]; then
    echo "fuzz: no target \`$target\` (targets: ${all[*]})" >&2
    exit 2
  fi
done
say "building ${targets[*]}"
cargo +nightly fuzz build
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
  say "$target: ${seconds}s"
  # -timeout: an input taking more than 10 s is a failure (a hang); libFuzzer's default
  # -rss_limit_mb (2 GB) bounds memory. A run stops at the first crash with a non-zero status.
  status=0
  cargo +nightly fuzz run "$target" -- -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
    >"$log" 2>&1 || status=$?
  grep -E '^(stat::number_of_executed_units|Done )' "$log" || true
  if [ "$status" -ne 0 ]; then
    grep -E -A8 'panicked|ERROR: libFuzzer|SUMMARY|Test unit written' "$log" | head -40 || tail -40 "$log"
    say "$target FAILED (exit $status): the input is in fuzz/artifacts/$target/"
    exit 1
  fi
done
say "all ${#targets[@]} targets ran ${seconds}s each without a crash"
