// Runs the official MCP conformance suite (@modelcontextprotocol/conformance, pinned in
// package.json) against the server under test over Streamable HTTP, for one frozen
// requirement set, with no expected-failures file.
//
//   node conformance.mjs --requirements 2025-11-25|2026-07-28
//                        (--switchboard <binary> | --http-cmd '[...]') [--out <dir>]
//
// The server is started on 127.0.0.1 port 0 and stopped afterwards. The test fails when any
// scenario the requirement set scores has a FAILURE check (or did not run), when any
// server scenario of the Tasks extension (io.modelcontextprotocol/tasks, `tasks-*`) that the
// suite runs for this revision has a FAILURE check (or did not run) — the suite never
// scores extensions, this script requires them — or when the suite itself exits non-zero.
// A tasks scenario whose checks are all SKIPPED (the suite's own harness does not test it
// yet) counts as passed and is also reported as skipped. WARNINGs and the other
// not-scored scenarios are reported, not failed.
// Last line (parseable):
//   CONFORMANCE requirements=<rev> result=PASS|FAIL required_passed=N required_total=N
//     tasks_passed=N tasks_total=N tasks_skipped=N
//     not_scored_passed=N not_scored_total=N checks_passed=N checks_failed=N warnings=N
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kServerOptions, nodeBinary, parseArgs, pkgPath, serverCommands, startHttpServer, stopChild } from './lib/harness.mjs';

const opts = parseArgs(process.argv.slice(2), { ...kServerOptions, requirements: 'value', out: 'value',
  timeout: 'value' });
if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.requirements ?? '')) throw new Error('--requirements <revision> is required');
const rev = opts.requirements;
const { http: cmd } = serverCommands(opts);
if (!cmd) throw new Error('no HTTP server command given');

const node = nodeBinary();
const cli = pkgPath('@modelcontextprotocol/conformance/dist/index.js');

// The scored server scenarios of this revision, and the Tasks-extension server scenarios
// it runs without scoring, as the suite itself lists them.
function listedScenarios() {
  const r = spawnSync(node, [cli, 'list', '--server', '--requirements', rev], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`conformance list failed: ${r.stderr}`);
  const lines = r.stdout.split('\n');
  const start = lines.findIndex((l) => l.startsWith('Server scenarios'));
  if (start < 0) throw new Error(`unexpected list output:\n${r.stdout}`);
  const names = [];
  for (const l of lines.slice(start + 1)) {
    const m = /^\s+- (\S+)$/.exec(l);
    if (!m) break;
    names.push(m[1]);
  }
  if (names.length === 0) throw new Error(`no required server scenarios for ${rev}`);
  // "Run and reported, but never scored:" / "  extension (N):" / "    - <name> [server]"
  const tasks = [];
  const ext = lines.findIndex((l) => /^\s+extension \(\d+\):$/.test(l));
  if (ext >= 0) {
    for (const l of lines.slice(ext + 1)) {
      const m = /^\s+- (\S+) \[(server|client)\]$/.exec(l);
      if (!m) break;
      if (m[2] === 'server' && m[1].startsWith('tasks-')) tasks.push(m[1]);
    }
  }
  if (rev === '2026-07-28' && tasks.length === 0) {
    throw new Error(`the suite lists no tasks-* extension scenarios for ${rev}:\n${r.stdout}`);
  }
  return { required: names, tasks };
}

function runSuite(url, outDir) {
  return new Promise((resolve, reject) => {
    const args = [cli, 'server', '--url', url, '--requirements', rev, '-o', outDir, '--timeout', opts.timeout ?? '15000'];
    console.log(`$ ${node} ${args.join(' ')}`);
    const child = spawn(node, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    child.stdout.pipe(process.stdout);
    child.stderr.pipe(process.stderr);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10 * 60 * 1000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

// <outDir>/server-<scenario>-<timestamp>/checks.json -> Map(scenario -> checks[])
function readResults(outDir) {
  const byScenario = new Map();
  for (const d of fs.readdirSync(outDir)) {
    const m = /^server-(.+)-\d{4}-\d{2}-\d{2}T[\d-]+Z$/.exec(d);
    const file = path.join(outDir, d, 'checks.json');
    if (!m || !fs.existsSync(file)) continue;
    let checks;
    try {
      checks = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      checks = [{ id: 'unreadable-checks-json', status: 'FAILURE', description: String(e) }];
    }
    byScenario.set(m[1], checks);
  }
  return byScenario;
}

const { required, tasks } = listedScenarios();
const outDir = opts.out ? path.resolve(opts.out) : fs.mkdtempSync(path.join(os.tmpdir(), `sb-conformance-${rev}-`));
fs.mkdirSync(outDir, { recursive: true });
for (const d of fs.readdirSync(outDir)) { // results of an earlier run in the same --out folder
  if (d.startsWith('server-')) fs.rmSync(path.join(outDir, d), { recursive: true, force: true });
}
let server = null;
let suite = null;
const problems = [];
try {
  server = await startHttpServer(cmd);
  console.log(`server under test: ${server.url}`);
  suite = await runSuite(server.url, outDir);
} catch (e) {
  problems.push(String(e.message ?? e));
} finally {
  if (server) {
    try {
      await stopChild(server.child);
    } catch (e) {
      problems.push(String(e.message ?? e));
    }
  }
}

const results = readResults(outDir);
let checksPassed = 0;
let checksFailed = 0;
let warnings = 0;
const requiredFailed = [];
const notScored = [];
const tasksFailed = [];
const tasksSkipped = [];
for (const [scenario, checks] of results) {
  checksPassed += checks.filter((c) => c.status === 'SUCCESS').length;
  checksFailed += checks.filter((c) => c.status === 'FAILURE').length;
  warnings += checks.filter((c) => c.status === 'WARNING').length;
  if (!required.includes(scenario)) notScored.push({ scenario, ok: !checks.some((c) => c.status === 'FAILURE') });
}
for (const scenario of tasks) {
  const checks = results.get(scenario);
  if (!checks) {
    tasksFailed.push(`${scenario}: no results (scenario did not run)`);
    continue;
  }
  const bad = checks.filter((c) => c.status === 'FAILURE');
  if (bad.length > 0) {
    tasksFailed.push(`${scenario}: ${bad.map((c) => `${c.id}${c.errorMessage ? ` (${c.errorMessage})` : ''}`).join('; ')}`);
  } else if (checks.length > 0 && checks.every((c) => c.status === 'SKIPPED')) {
    tasksSkipped.push(scenario);
  }
}
for (const scenario of required) {
  const checks = results.get(scenario);
  if (!checks) {
    requiredFailed.push(`${scenario}: no results (scenario did not run)`);
    continue;
  }
  const bad = checks.filter((c) => c.status === 'FAILURE');
  if (bad.length > 0) {
    requiredFailed.push(`${scenario}: ${bad.map((c) => `${c.id}${c.errorMessage ? ` (${c.errorMessage})` : ''}`).join('; ')}`);
  }
}
if (suite && suite.code !== 0 && requiredFailed.length === 0 && tasksFailed.length === 0) {
  problems.push(`the conformance CLI exited with ${suite.code ?? suite.signal} although every required scenario passed`);
}

console.log(`\n=== ${rev}: required server scenarios ===`);
for (const f of requiredFailed) console.log(`FAIL ${f}`);
if (tasks.length > 0) {
  console.log(`=== ${rev}: Tasks-extension server scenarios (required by this script) ===`);
  for (const f of tasksFailed) console.log(`FAIL ${f}`);
  for (const s of tasksSkipped) console.log(`SKIPPED by the suite itself: ${s}`);
}
for (const p of problems) console.log(`ERROR ${p}`);
if (problems.length > 0 && server) console.log(`--- server output (last lines) ---\n${server.stderrTail()}`);
console.log(`results: ${outDir}`);
const pass = requiredFailed.length === 0 && tasksFailed.length === 0 && problems.length === 0 &&
  suite?.code === 0;
console.log(`CONFORMANCE requirements=${rev} result=${pass ? 'PASS' : 'FAIL'} ` +
  `required_passed=${required.length - requiredFailed.length} required_total=${required.length} ` +
  `tasks_passed=${tasks.length - tasksFailed.length} tasks_total=${tasks.length} ` +
  `tasks_skipped=${tasksSkipped.length} ` +
  `not_scored_passed=${notScored.filter((s) => s.ok).length} not_scored_total=${notScored.length} ` +
  `checks_passed=${checksPassed} checks_failed=${checksFailed} warnings=${warnings}`);
process.exit(pass ? 0 : 1);
