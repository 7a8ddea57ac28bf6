// Pipelined tools/call driver for an MCP server over stdio.
//
//   node stdio_pipeline.mjs --server-cmd '["cmd","arg",...]' [--era legacy|modern]
//        [--calls 20000] [--window 64] [--tool test_simple_text] [--args '{}']
//        [--label name] [--json]
//
// Spawns the server, measures cold start (spawn to the first response: the initialize result
// for the legacy era, a tools/call result for the modern era) and idle RSS, then keeps
// `window` tools/call requests in flight (one JSON message per line) until `calls` responses
// have arrived, and prints
//   BENCH transport=stdio label=.. era=.. window=W calls=N seconds=S calls_per_s=..
//         p50_ms=.. p99_ms=.. errors=E cold_start_ms=.. rss_idle_kib=.. rss_after_load_kib=..
// Finally closes stdin and expects the server to exit (SIGTERM after 5 s).
import { spawn } from 'node:child_process';
import { killOnExit, parseArgs, stopChild } from '../../e2e/lib/harness.mjs';
import { checkToolResult, fmt, initializeRequest, percentile, report, rssKiB, toolCallRequest } from './common.mjs';

const opts = parseArgs(process.argv.slice(2), { 'server-cmd': 'value', era: 'value', calls: 'value',
  window: 'value', tool: 'value', args: 'value', label: 'value', json: 'flag' });
if (!opts['server-cmd']) throw new Error('--server-cmd is required');
const cmd = JSON.parse(opts['server-cmd']);
const era = opts.era ?? 'legacy';
if (!['legacy', 'modern'].includes(era)) throw new Error('--era must be legacy or modern');
const total = Number(opts.calls ?? 20000);
const window = Number(opts.window ?? 64);
const tool = opts.tool ?? 'test_simple_text';
const toolArgs = JSON.parse(opts.args ?? '{}');

const t0 = performance.now();
const child = spawn(cmd[0], cmd.slice(1), { stdio: ['pipe', 'pipe', 'inherit'] });
killOnExit(child);
const pending = new Map(); // id -> {resolve, reject}
let buf = '';
child.stdout.setEncoding('utf8');
child.stdout.on('data', (chunk) => {
  buf += chunk;
  let nl;
  while ((nl = buf.indexOf('\n')) >= 0) {
    const line = buf.slice(0, nl).trim();
    buf = buf.slice(nl + 1);
    if (!line) continue;
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      console.error(`non-JSON line on stdout: ${line.slice(0, 200)}`);
      continue;
    }
    if (msg.id === undefined || msg.method !== undefined) continue; // notifications, server requests
    const p = pending.get(msg.id);
    if (p) {
      pending.delete(msg.id);
      p.resolve(msg);
    }
  }
});
const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
child.on('error', (e) => {
  console.error(`cannot start ${cmd[0]}: ${e.message}`);
  process.exit(1);
});

function send(payload) {
  return new Promise((resolve, reject) => {
    pending.set(payload.id, { resolve, reject });
    child.stdin.write(`${JSON.stringify(payload)}\n`);
  });
}

let nextId = 1;
let coldMs;
if (era === 'legacy') {
  const init = await send(initializeRequest(nextId++));
  coldMs = performance.now() - t0;
  if (init.error) throw new Error(`initialize failed: ${JSON.stringify(init.error)}`);
  child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
} else {
  const id = nextId++;
  checkToolResult(await send(toolCallRequest(era, id, tool, toolArgs)), id);
  coldMs = performance.now() - t0;
}
await new Promise((r) => setTimeout(r, 500));
const idleRss = rssKiB(child.pid);

// Warm-up, then the measured pipelined run.
async function pipeline(n) {
  const latencies = [];
  let errors = 0;
  let issued = 0;
  const start = performance.now();
  async function lane() {
    while (issued < n) {
      ++issued;
      const id = nextId++;
      const s = performance.now();
      try {
        checkToolResult(await send(toolCallRequest(era, id, tool, toolArgs)), id);
        latencies.push(performance.now() - s);
      } catch (e) {
        if (errors++ === 0) console.error(`first error: ${e.message}`);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(window, n) }, lane));
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return { calls: latencies.length, seconds, errors, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}
await pipeline(Math.min(1000, total));
const r = await pipeline(total);
const loadRss = rssKiB(child.pid);
report({ transport: 'stdio', label: opts.label ?? 'spawned', era, window, calls: r.calls, seconds: fmt(r.seconds, 2),
  calls_per_s: fmt(r.calls / r.seconds, 0), p50_ms: fmt(r.p50), p99_ms: fmt(r.p99), errors: r.errors,
  cold_start_ms: fmt(coldMs, 1), rss_idle_kib: idleRss, rss_after_load_kib: loadRss }, opts.json);

child.stdin.end();
const done = await Promise.race([exited, new Promise((res) => setTimeout(() => res(null), 5000))]);
if (done === null) {
  console.error('server did not exit within 5 s of stdin EOF; sending SIGTERM');
  await stopChild(child).catch((e) => console.error(e.message));
  process.exitCode = 1;
}
