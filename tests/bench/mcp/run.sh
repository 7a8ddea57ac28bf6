#!/usr/bin/env bash
# The MCP transport benchmark: tools/call of a trivial tool against switchboard,
# the official TypeScript SDK server (ts_server.mjs) and a bare cpp-httplib server, all in
# one run, on 127.0.0.1 only. Builds nothing.
#
#   tests/bench/mcp/run.sh <build-dir>
#
# Needs: <build-dir>/switchboard and <build-dir>/tests/bench/mcp/{mcp_load,stdio_load,
# mcp_startup,bare_server} (cmake --build <build-dir> --target switchboard bench_mcp), and
# the e2e cache with Node 22 and the SDK packages (bash tests/e2e/setup.sh).
#
# Measures, per server:
#   HTTP   mcp_load: C = 1, 16, 64 keep-alive connections calling back to back, each with its
#          own session in the legacy era; calls/s, p50, p99. The same for the modern era.
#   stdio  stdio_load: pipelined calls (window 128); calls/s.
#   start  mcp_startup: fork/exec to the first successful response (median of N starts, and
#          the server's own CPU time until then), and VmRSS when idle after 20 calls.
# The TypeScript server runs as `--sdk v1` (@modelcontextprotocol/sdk 1.32, stateful
# Streamable HTTP answering with SSE: its JSON-response mode leaks ~10 KB per call)
# for the legacy-era comparison, and as `--sdk v2` (@modelcontextprotocol/server
# 2.4, stateless, the only TS server that speaks 2026-07-28) for the modern-era rows.
#
# Prints the result tables and the targets as Markdown on stdout; progress on stderr;
# raw JSON lines in $MCP_BENCH_OUT/results.jsonl. Exit status: 0 when every measurement ran
# without errors, 1 when one failed (or, with MCP_BENCH_ENFORCE=1, when a target is missed),
# 2 on bad usage or missing prerequisites.
#
# Environment (all optional):
#   MCP_BENCH_SERVERS     which servers to run, default "switchboard ts bare"
#   MCP_BENCH_DURATION    measured seconds per load phase (3); MCP_BENCH_WARMUP (0.5)
#   MCP_BENCH_STARTS      server starts for the cold-start median (7; the TS server: 5)
#   MCP_BENCH_ROUNDS      repeat the load phases (1); the tables show each phase's median
#                         round by calls/s, a failed round fails the phase
#   MCP_BENCH_TOOL        tool to call (test_simple_text: a fixed text, served by the
#                         conformance plugin and by ts_server.mjs); MCP_BENCH_ARGUMENTS ('{}')
#   MCP_BENCH_SWITCHBOARD_ARGS  extra `switchboard serve` arguments ("--plugins conformance";
#                         set it empty for none)
#   MCP_BENCH_OUT         where results and server logs go (a new temporary folder)
#   MCP_BENCH_ENFORCE     1: exit 1 when a target is missed
#   SWITCHBOARD_E2E_CACHE the e2e cache (default ~/.cache/switchboard-e2e)
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
log() { echo "bench-mcp: $*" >&2; }
die() {
  log "error: $*"
  exit 2
}

[ $# -eq 1 ] || die "usage: $0 <build-dir>"
build="$(cd "$1" 2>/dev/null && pwd)" || die "no build directory $1"
tools="$build/tests/bench/mcp"
switchboard="$build/switchboard"
cache="${SWITCHBOARD_E2E_CACHE:-$HOME/.cache/switchboard-e2e}"
node="$cache/node/bin/node"
servers="${MCP_BENCH_SERVERS:-switchboard ts bare}"
duration="${MCP_BENCH_DURATION:-3}"
warmup="${MCP_BENCH_WARMUP:-0.5}"
starts="${MCP_BENCH_STARTS:-7}"
rounds="${MCP_BENCH_ROUNDS:-1}"
[[ "$rounds" =~ ^[1-9][0-9]?$ ]] || die "MCP_BENCH_ROUNDS must be 1..99"
tool="${MCP_BENCH_TOOL:-test_simple_text}"
default_arguments='{}'
arguments="${MCP_BENCH_ARGUMENTS:-$default_arguments}"
read -r -a sb_args <<<"${MCP_BENCH_SWITCHBOARD_ARGS---plugins conformance}"
out="${MCP_BENCH_OUT:-$(mktemp -d /tmp/switchboard-bench-mcp.XXXXXX)}"
mkdir -p "$out" || die "cannot create $out"
results="$out/results.jsonl"
: >"$results"

want() { [[ " $servers " == *" $1 "* ]]; }
for t in mcp_load stdio_load mcp_startup bare_server; do
  [ -x "$tools/$t" ] || die "$tools/$t not built (cmake --build $build --target bench_mcp)"
done
if want switchboard; then
  [ -x "$switchboard" ] || die "$switchboard not built (cmake --build $build --target switchboard)"
fi
[ -x "$node" ] || die "no Node 22 in $cache (run: bash tests/e2e/setup.sh)"
export SWITCHBOARD_E2E_CACHE="$cache"
export CI=true # ts_server.mjs and friends: no TTY niceties

failed=0
common=(--tool "$tool" --arguments "$arguments")

# record LABEL TOOL-COMMAND...: runs a measurement, appends its JSON line, notes failures.
record() {
  local label="$1"
  shift
  local line
  line="$("$@" 2>>"$out/tools.log")"
  local rc=$?
  if [ -z "$line" ]; then
    line="{\"label\":\"$label\",\"ok\":false,\"first_error\":\"no output (exit $rc), see $out/tools.log\"}"
  fi
  echo "$line" >>"$results"
  if [ $rc -ne 0 ]; then
    failed=1
    log "  FAILED: $line"
    log "  (server logs and tools.log are in $out)"
  else
    log "  $line"
  fi
}

declare -A urls   # label -> endpoint of a running HTTP server
server_pids=()
# start_http LABEL CMD...: starts an HTTP server on port 0 and stores the URL from its
# "listening on http://.../mcp" line (stdout or stderr) in urls[LABEL].
start_http() {
  local label="$1"
  shift
  local serverlog="$out/$label-http.log"
  "$@" >"$serverlog" 2>&1 &
  local pid=$!
  server_pids+=("$pid")
  for _ in $(seq 300); do
    local url
    url="$(grep -o -m1 'listening on http://[^ ]*/mcp' "$serverlog" | sed 's/^listening on //')"
    if [ -n "$url" ]; then
      urls[$label]="$url"
      log "$label listening on $url"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  log "  FAILED: $label did not report its address; log: $serverlog"
  echo "{\"label\":\"$label\",\"transport\":\"http\",\"ok\":false,\"first_error\":\"the server did not report its address, see $serverlog\"}" >>"$results"
  failed=1
  return 1
}
stop_servers() {
  local pid
  for pid in "${server_pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${server_pids[@]}"; do
    for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  server_pids=()
}
trap stop_servers EXIT

# http_phase LABEL ERA C [extra mcp_load args]: one mcp_load run, if LABEL's server is up.
http_phase() {
  local label="$1" era="$2" c="$3"
  shift 3
  [ -n "${urls[$label]:-}" ] || return 0
  log "$label HTTP $era C=$c"
  record "$label" "$tools/mcp_load" --url "${urls[$label]}" --concurrency "$c" \
    --duration "$duration" --warmup "$warmup" --era "$era" --label "$label" "${common[@]}" "$@"
}

log "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores; results in $out"
ts=("$node" "$here/ts_server.mjs")

# 1. HTTP. All servers run side by side (idle ones cost nothing) and the phases of one
# concurrency follow each other, so a change in the machine's load skews the ratios least.
want bare && start_http bare-httplib "$tools/bare_server"
want switchboard && start_http switchboard "$switchboard" serve --http 127.0.0.1:0 "${sb_args[@]}"
if want ts; then
  start_http ts-sdk-v1 "${ts[@]}" --http 127.0.0.1:0 --sdk v1
  start_http ts-sdk-v2 "${ts[@]}" --http 127.0.0.1:0 --sdk v2
fi
# Prime every server (JIT, allocator, sessions) with 2 s of unrecorded load: a Node server
# measured straight after its start is several times slower than a minute later.
for label in "${!urls[@]}"; do
  era=legacy extra=()
  [ "$label" = ts-sdk-v2 ] && era=modern
  [ "$label" = bare-httplib ] && extra=(--any-id)
  log "$label: priming"
  "$tools/mcp_load" --url "${urls[$label]}" --concurrency 16 --warmup 2 --duration 0.1 \
    --era "$era" "${common[@]}" "${extra[@]}" >/dev/null 2>>"$out/tools.log" ||
    log "  priming $label failed (see the measured phases)"
done
for round in $(seq "$rounds"); do
  [ "$rounds" -gt 1 ] && log "round $round of $rounds"
  for c in 1 16 64; do
    http_phase bare-httplib legacy "$c" --any-id
    http_phase switchboard legacy "$c"
    http_phase ts-sdk-v1 legacy "$c"
    http_phase switchboard modern "$c"
    http_phase ts-sdk-v2 modern "$c"
  done
done
stop_servers

# 2. stdio, pipelined.
stdio_phase() {
  local label="$1" era="$2"
  shift 2
  log "$label stdio $era"
  record "$label" "$tools/stdio_load" --duration "$duration" --era "$era" --label "$label" \
    --server-log "$out/$label-stdio.log" "${common[@]}" -- "$@"
}
for round in $(seq "$rounds"); do
  want bare && stdio_phase bare-httplib legacy "$tools/bare_server" --stdio
  if want switchboard; then
    stdio_phase switchboard legacy "$switchboard" serve --stdio "${sb_args[@]}"
    stdio_phase switchboard modern "$switchboard" serve --stdio "${sb_args[@]}"
  fi
  if want ts; then
    stdio_phase ts-sdk-v1 legacy "${ts[@]}" --stdio --sdk v1
    stdio_phase ts-sdk-v2 modern "${ts[@]}" --stdio --sdk v2
  fi
done

# 3. Cold start and idle RSS.
startup_phase() {
  local label="$1" transport="$2" runs="$3"
  shift 3
  log "$label cold start, $transport"
  record "$label" "$tools/mcp_startup" --transport "$transport" --runs "$runs" --label "$label" \
    "${common[@]}" "$@"
}
if want switchboard; then
  startup_phase switchboard http "$starts" -- "$switchboard" serve --http 127.0.0.1:0 "${sb_args[@]}"
  startup_phase switchboard stdio "$starts" -- "$switchboard" serve --stdio "${sb_args[@]}"
fi
if want ts; then
  ts_starts=$((starts < 5 ? starts : 5))
  startup_phase ts-sdk-v1 http "$ts_starts" -- "${ts[@]}" --http 127.0.0.1:0 --sdk v1
  startup_phase ts-sdk-v1 stdio "$ts_starts" -- "${ts[@]}" --stdio --sdk v1
fi
if want bare; then
  startup_phase bare-httplib http "$starts" --any-id -- "$tools/bare_server"
  startup_phase bare-httplib stdio "$starts" -- "$tools/bare_server" --stdio
fi

# The report: Markdown tables and the targets, computed from results.jsonl.
"$node" - "$results" "$tool" <<'EOF'
const fs = require('node:fs');
const [file, tool] = process.argv.slice(2);
const rows = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const num = (v, d = 0) => (typeof v === 'number' ? v.toFixed(d) : '—');
const val = (r, v, d = 0) => (r.ok ? num(v, d) : '—');
const find = (p) => rows.find((r) => Object.entries(p).every(([k, v]) => r[k] === v));
const status = (r) => (r.ok ? 'ok' : `FAILED: ${(r.first_error ?? '').slice(0, 80)}`);

console.log(`Trivial tool \`${tool}\`, loopback, ${require('node:os').cpus().length} cores, ` +
  `load average before the run ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}.\n`);
console.log('| Server | Transport | Era | Concurrency | calls/s | p50 µs | p99 µs | client CPU % | Result |');
console.log('|---|---|---|---|---:|---:|---:|---:|---|');
// With MCP_BENCH_ROUNDS > 1 a phase ran several times: keep its median round by calls/s, or
// its first failed round.
const phases = new Map();
for (const r of rows.filter((x) => x.tool === 'mcp_load' || x.tool === 'stdio_load')) {
  const key = [r.label, r.tool, r.era, r.concurrency ?? r.window].join('|');
  if (!phases.has(key)) phases.set(key, []);
  phases.get(key).push(r);
}
const loads = [...phases.values()].map((runs) => {
  const bad = runs.find((r) => !r.ok);
  if (bad) return bad;
  const sorted = [...runs].sort((a, b) => a.calls_per_s - b.calls_per_s);
  return { ...sorted[Math.floor((sorted.length - 1) / 2)], rounds: runs.length };
});
const others = rows.filter((x) => x.tool !== 'mcp_load' && x.tool !== 'stdio_load');
rows.length = 0;
rows.push(...loads, ...others);
for (const r of rows.filter((x) => x.tool === 'mcp_load' || x.tool === 'stdio_load' || (!x.tool && !x.ok))) {
  const conc = r.tool === 'stdio_load' ? `pipelined (${r.window})` : r.concurrency ?? '—';
  console.log(`| ${r.label} | ${r.transport ?? '—'} | ${r.era ?? '—'} | ${conc} | ${val(r, r.calls_per_s)} | ` +
    `${val(r, r.p50_us)} | ${val(r, r.p99_us)} | ${val(r, r.client_cpu_pct)} | ${status(r)} |`);
}
console.log('\n| Server | Transport | Cold start median ms (min) | Server CPU to first response ms | Idle RSS MB | Result |');
console.log('|---|---|---:|---:|---:|---|');
for (const r of rows.filter((x) => x.tool === 'mcp_startup')) {
  console.log(`| ${r.label} | ${r.transport} | ${val(r, r.cold_start_ms_median, 1)} (${val(r, r.cold_start_ms_min, 1)}) | ` +
    `${val(r, r.cold_start_cpu_ms_median, 1)} | ${val(r, r.rss_idle_kb_median / 1024, 1)} | ${status(r)} |`);
}

const ok = (r) => r && r.ok;
const targets = [];
const target = (name, value, goal, met, fmt) =>
  targets.push({ name, value: value === undefined ? 'not measured' : fmt(value), goal,
    met: value === undefined ? 'n/a' : met(value) ? 'yes' : '**no**' });
const ratio = (a, b) => (ok(a) && ok(b) && b.calls_per_s > 0 ? a.calls_per_s / b.calls_per_s : undefined);
const x = (v) => `${v.toFixed(1)}×`;
// Each era against the TypeScript server that speaks it: SDK 1.x for 2025-11-25, 2.x (the
// only one with 2026-07-28) for the modern era.
for (const [era, ts] of [['legacy', 'ts-sdk-v1'], ['modern', 'ts-sdk-v2']]) {
  for (const c of [1, 16, 64]) {
    const q = { tool: 'mcp_load', era, concurrency: c };
    target(`HTTP calls/s, switchboard / TS SDK, ${era}, C=${c}`,
      ratio(find({ ...q, label: 'switchboard' }), find({ ...q, label: ts })), '≥ 10×', (v) => v >= 10, x);
  }
  target(`stdio calls/s, switchboard / TS SDK, ${era} (pipelined)`,
    ratio(find({ tool: 'stdio_load', era, label: 'switchboard' }),
      find({ tool: 'stdio_load', era, label: ts })), '≥ 10×', (v) => v >= 10, x);
}
const q16 = { tool: 'mcp_load', era: 'legacy', concurrency: 16 };
const bare = ratio(find({ ...q16, label: 'switchboard' }), find({ ...q16, label: 'bare-httplib' }));
target('HTTP calls/s, switchboard / bare cpp-httplib, C=16', bare, '≥ 80 %', (v) => v >= 0.8,
  (v) => `${(100 * v).toFixed(0)} %`);
const sb16 = find({ ...q16, label: 'switchboard' });
target('switchboard p99 at C=16', ok(sb16) ? sb16.p99_us : undefined, '< 2000 µs', (v) => v < 2000, (v) => `${v} µs`);
for (const t of ['http', 'stdio']) {
  const s = find({ tool: 'mcp_startup', transport: t, label: 'switchboard' });
  target(`switchboard cold start (${t}), median`, ok(s) ? s.cold_start_ms_median : undefined, '< 20 ms',
    (v) => v < 20, (v) => `${v.toFixed(1)} ms`);
  target(`switchboard idle RSS (${t})`, ok(s) ? s.rss_idle_kb_median / 1024 : undefined, '< 15 MB',
    (v) => v < 15, (v) => `${v.toFixed(1)} MB`);
}
console.log('\n| Target | Measured | Goal | Met |');
console.log('|---|---:|---|---|');
for (const t of targets) console.log(`| ${t.name} | ${t.value} | ${t.goal} | ${t.met} |`);
const missed = targets.some((t) => t.met !== 'yes');
process.exit(missed ? 3 : 0);
EOF
report_rc=$?
if [ "$report_rc" -ne 0 ] && [ "$report_rc" -ne 3 ]; then
  log "the report could not be made from $results"
  failed=1
fi
if [ "$report_rc" -eq 3 ] && [ "${MCP_BENCH_ENFORCE:-0}" = 1 ]; then failed=1; fi
log "raw results: $results"
exit "$failed"
