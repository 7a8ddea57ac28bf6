#!/usr/bin/env bash
# Runs the Node-side MCP benchmark for every server given, in one go, and prints BENCH lines:
#   bash tests/bench/mcp/node_bench.sh [--switchboard <binary>] [--duration S] [--calls N]
# Always measures the official TypeScript SDK servers (ts_server.mjs --sdk v1 and v2); adds
# `switchboard serve --plugins conformance` when a binary is given. Needs the e2e cache
# (bash .ci/install-deps --test). Tool: test_simple_text {} (present in the conformance plugin
# and in ts_server.mjs); override with BENCH_TOOL and BENCH_ARGS, e.g.
# BENCH_TOOL=echo BENCH_ARGS='{"text":"hello"}' for ts_server.mjs alone.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${SWITCHBOARD_E2E_CACHE:-$HOME/.cache/switchboard-e2e}"
node="$cache/node/bin/node"
[ -x "$node" ] || { echo "bench: no Node 22 in $cache; run \`bash .ci/install-deps --test\` first" >&2; exit 1; }
export SWITCHBOARD_E2E_CACHE="$cache"
sb="" duration=5 calls=20000
while [ $# -gt 0 ]; do
  case "$1" in
    --switchboard) sb="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --calls) calls="$2"; shift 2 ;;
    *) echo "bench: unknown option $1" >&2; exit 2 ;;
  esac
done
no_args='{}'
tool="${BENCH_TOOL:-test_simple_text}" args="${BENCH_ARGS:-$no_args}"
common=(--tool "$tool" --args "$args")

# server <label> <era> <stdio-cmd-json> <http-cmd-json>
server() {
  "$node" "$here/http_load.mjs" --label "$1" --era "$2" --server-cmd "$4" --duration "$duration" "${common[@]}"
  "$node" "$here/stdio_pipeline.mjs" --label "$1" --era "$2" --server-cmd "$3" --calls "$calls" "${common[@]}"
}
ts() { printf '["%s","%s","%s","%s","--sdk","%s"]' "$node" "$here/ts_server.mjs" "$1" "$2" "$3"; }
ts_stdio() { printf '["%s","%s","--stdio","--sdk","%s"]' "$node" "$here/ts_server.mjs" "$1"; }

if [ -n "$sb" ]; then
  for era in legacy modern; do
    server switchboard "$era" "[\"$sb\",\"serve\",\"--stdio\",\"--plugins\",\"conformance\"]" \
      "[\"$sb\",\"serve\",\"--http\",\"127.0.0.1:0\",\"--plugins\",\"conformance\"]"
  done
fi
server ts-sdk-1.32 legacy "$(ts_stdio v1)" "$(ts --http 127.0.0.1:0 v1)"
server ts-server-2.4 legacy "$(ts_stdio v2)" "$(ts --http 127.0.0.1:0 v2)"
server ts-server-2.4 modern "$(ts_stdio v2)" "$(ts --http 127.0.0.1:0 v2)"
