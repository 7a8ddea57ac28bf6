// Closed-loop HTTP load generator for MCP tools/call over Streamable HTTP.
//
//   node http_load.mjs (--url http://127.0.0.1:PORT/mcp | --server-cmd '["cmd",...]')
//        [--era legacy|modern] [--concurrency 1,16,64] [--duration 5] [--warmup 1]
//        [--tool test_simple_text] [--args '{}'] [--label name] [--json]
//
// Each of C workers owns one keep-alive TCP connection (and, for the legacy era, one MCP
// session: initialize + notifications/initialized; a server that issues no Mcp-Session-Id is
// used statelessly) and sends tools/call back to back: the next request leaves when the
// previous response has been read completely. Per concurrency level it prints
//   BENCH transport=http label=.. era=.. concurrency=C calls=N seconds=S calls_per_s=..
//         p50_ms=.. p99_ms=.. errors=E client_cpu_pct=..
// client_cpu_pct is this generator's own CPU use; near 100 (of one core) it is the
// bottleneck, not the server. With --server-cmd the server is started here (it must print
// `listening on http://…/mcp` on stderr), and cold start (spawn to first tools/call
// response) and RSS (idle after start, and after the load) are reported too.
import http from 'node:http';
import { parseArgs, startHttpServer, stopChild } from '../../e2e/lib/harness.mjs';
import { checkToolResult, fmt, initializeRequest, kLegacyVersion, kModernVersion, parseMessages, percentile, report,
  rssKiB, toolCallRequest } from './common.mjs';

const opts = parseArgs(process.argv.slice(2), { url: 'value', 'server-cmd': 'value', era: 'value',
  concurrency: 'value', duration: 'value', warmup: 'value', tool: 'value', args: 'value', label: 'value',
  json: 'flag' });
const era = opts.era ?? 'legacy';
if (!['legacy', 'modern'].includes(era)) throw new Error('--era must be legacy or modern');
if (!opts.url === !opts['server-cmd']) throw new Error('give exactly one of --url or --server-cmd');
const levels = (opts.concurrency ?? '1,16,64').split(',').map(Number);
const duration = Number(opts.duration ?? 5) * 1000;
const warmup = Number(opts.warmup ?? 1) * 1000;
const tool = opts.tool ?? 'test_simple_text';
const toolArgs = JSON.parse(opts.args ?? '{}');
const label = opts.label ?? (opts['server-cmd'] ? 'spawned' : 'url');

// One POST on a dedicated keep-alive agent; resolves {status, headers, body}.
function post(agent, url, headers, payload) {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(payload);
    const req = http.request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      });
    req.on('error', reject);
    req.end(body);
  });
}

class Worker {
  constructor(url) {
    this.url = url;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    this.nextId = 1;
    this.headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  }

  async open() {
    if (era === 'modern') {
      Object.assign(this.headers, { 'mcp-protocol-version': kModernVersion, 'mcp-method': 'tools/call', 'mcp-name': tool });
      return;
    }
    const init = await post(this.agent, this.url, this.headers, initializeRequest(0));
    if (init.status !== 200) throw new Error(`initialize: HTTP ${init.status} ${init.body}`);
    const sid = init.headers['mcp-session-id'];
    if (sid) this.headers['mcp-session-id'] = sid;
    this.headers['mcp-protocol-version'] = kLegacyVersion;
    const note = await post(this.agent, this.url, this.headers, { jsonrpc: '2.0', method: 'notifications/initialized' });
    if (note.status >= 300) throw new Error(`notifications/initialized: HTTP ${note.status}`);
  }

  async call() {
    const id = this.nextId++;
    const r = await post(this.agent, this.url, this.headers, toolCallRequest(era, id, tool, toolArgs));
    if (r.status !== 200) throw new Error(`tools/call: HTTP ${r.status} ${r.body.slice(0, 200)}`);
    checkToolResult(parseMessages(r.headers['content-type'], r.body).find((m) => m.id === id), id);
  }

  close() {
    this.agent.destroy();
  }
}

async function runLevel(url, concurrency) {
  const workers = Array.from({ length: concurrency }, () => new Worker(url));
  await Promise.all(workers.map((w) => w.open()));
  const latencies = [];
  let errors = 0;
  let firstError = null;
  let measuring = false;
  const t0 = performance.now();
  const stopAt = t0 + warmup + duration;
  let measureStart = 0;
  let cpuStart = null;
  setTimeout(() => {
    measuring = true;
    measureStart = performance.now();
    cpuStart = process.cpuUsage();
  }, warmup);
  await Promise.all(workers.map(async (w) => {
    while (performance.now() < stopAt) {
      const s = performance.now();
      try {
        await w.call();
        if (measuring) latencies.push(performance.now() - s);
      } catch (e) {
        ++errors;
        firstError ??= e;
        if (errors > 1000) return;
      }
    }
  }));
  const seconds = (performance.now() - measureStart) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  workers.forEach((w) => w.close());
  latencies.sort((a, b) => a - b);
  if (firstError) console.error(`first error at concurrency ${concurrency}: ${firstError.message}`);
  return { calls: latencies.length, seconds, errors, p50: percentile(latencies, 50), p99: percentile(latencies, 99),
    cpuPct: ((cpu.user + cpu.system) / 1000 / (seconds * 1000)) * 100 };
}

let server = null;
let url = opts.url;
let coldMs = NaN;
let idleRss = NaN;
if (opts['server-cmd']) {
  const t0 = performance.now();
  server = await startHttpServer(JSON.parse(opts['server-cmd']));
  url = server.url;
  const w = new Worker(url);
  await w.open();
  await w.call();
  coldMs = performance.now() - t0;
  w.close();
  await new Promise((r) => setTimeout(r, 500));
  idleRss = rssKiB(server.child.pid);
}
try {
  for (const c of levels) {
    const r = await runLevel(url, c);
    report({ transport: 'http', label, era, concurrency: c, calls: r.calls, seconds: fmt(r.seconds, 2),
      calls_per_s: fmt(r.calls / r.seconds, 0), p50_ms: fmt(r.p50), p99_ms: fmt(r.p99), errors: r.errors,
      client_cpu_pct: fmt(r.cpuPct, 0) }, opts.json);
  }
  if (server) {
    report({ transport: 'http', label, era, cold_start_ms: fmt(coldMs, 1), rss_idle_kib: idleRss,
      rss_after_load_kib: rssKiB(server.child.pid) }, opts.json);
  }
} finally {
  if (server) await stopChild(server.child).catch((e) => console.error(e.message));
}
