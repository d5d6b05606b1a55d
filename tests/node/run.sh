#!/usr/bin/env bash
# Node tests against the package as users get it: `npm pack` pkg/, install the tarball in a fresh
# folder, run the ESM and CommonJS tests there, then type-check a consumer with `tsc --strict`.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$root/pkg" && npm pack --silent --pack-destination "$work" >/dev/null)
cd "$work"
npm init -y >/dev/null
npm install --silent --no-audit --no-fund ./ncloud-redis-flush-*.tgz
cp "$root"/tests/node/*.mjs "$root"/tests/node/*.cjs .
cp -r "$root/tests/node/typings" .

NCLOUD_TESTS_DIR="$root/tests" node --test --test-reporter=spec *.test.mjs *.test.cjs
"$root/node_modules/.bin/tsc" -p typings/tsconfig.json
echo "typings: tsc --strict --noEmit passed (ESM and CommonJS consumers)"
