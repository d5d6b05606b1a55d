#!/usr/bin/env bash
# Node test suites against the package as users get it: `npm pack` pkg/, install the tarball in a
# fresh folder, copy the test suites there (so `import 'ncloud-redis-flush'` resolves to the
# installed copy), run them, then type-check a consumer with `tsc --strict`.
#   tests/node/run.sh [suite folder …]     (default: node gateway)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
suites=("${@:-node gateway}")
read -r -a suites <<<"${suites[*]}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$root/pkg" && npm pack --silent --pack-destination "$work" >/dev/null)
cd "$work"
npm init -y >/dev/null
npm install --silent --no-audit --no-fund ./ncloud-redis-flush-*.tgz
mkdir tests
for dir in support fixtures vectors "${suites[@]}"; do cp -r "$root/tests/$dir" tests/; done

files=()
for suite in "${suites[@]}"; do
  files+=($(ls tests/"$suite"/*.test.mjs tests/"$suite"/*.test.cjs 2>/dev/null || true))
done
NCLOUD_ROOT="$root" node --test --test-concurrency=1 --test-reporter=spec "${files[@]}"

if [[ " ${suites[*]} " == *" node "* ]]; then
  "$root/node_modules/.bin/tsc" -p tests/node/typings/tsconfig.json
  echo "typings: tsc --strict --noEmit passed (ESM and CommonJS consumers)"
fi
