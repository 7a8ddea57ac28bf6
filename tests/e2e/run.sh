#!/usr/bin/env bash
# ctest entry point for one end-to-end test:  run.sh <cache-dir> <script.mjs> [args...]
# Checks that tests/e2e/setup.sh has filled <cache-dir> for the current package-lock.json,
# then runs the script with the cached Node 22. A missing or stale cache is a FAILURE
# (exit 1) with instructions, never a skip.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="$1"
shift
node="$cache/node/bin/node"
stamp="$cache/npm/.installed-lock-sha256"
fix="run \`bash .ci/install-deps --test\` (or \`SWITCHBOARD_E2E_CACHE=$cache bash tests/e2e/setup.sh\`) first"
if [ ! -x "$node" ] || [ ! -f "$stamp" ] || [ ! -f "$cache/versions.txt" ]; then
  echo "e2e: FAIL: the e2e cache $cache is missing or incomplete; $fix" >&2
  exit 1
fi
want="$(cat "$here/package.json" "$here/package-lock.json" | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp")" != "$want" ]; then
  echo "e2e: FAIL: the e2e cache $cache was installed from another package-lock.json; $fix" >&2
  exit 1
fi
export SWITCHBOARD_E2E_CACHE="$cache"
exec "$node" "$@"
