// End-to-end test with the real Claude Code CLI (@anthropic-ai/claude-code, pinned in
// package.json) as the MCP client, fully offline and isolated:
//
//   node claude_code.mjs (--switchboard <binary> | --stdio-cmd '[...]' --http-cmd '[...]')
//
// With a temporary HOME (and working directory inside it) it registers the server twice,
//   claude mcp add sb -e SWITCHBOARD_DATA_DIR=<fresh folder> -- <stdio command...>
//   claude mcp add --transport http sbh http://127.0.0.1:<port>/mcp
// then runs `claude mcp list`, which spawns/contacts every registered server and performs
// the MCP handshake plus tools/list; both entries must be reported "✔ Connected".
// `mcp add` and `mcp list` need no credentials and no network; auto-update, telemetry and
// other non-essential traffic are switched off, ANTHROPIC_BASE_URL points at a closed
// loopback port, and every claude invocation has a wall-clock limit.
// Last line: `E2E-CLAUDE-CODE <version> PASS|FAIL stdio=<status> http=<status>`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshDataDir, kServerOptions, parseArgs, pkgPath, serverCommands, startHttpServer, stopChild } from './lib/harness.mjs';

const opts = parseArgs(process.argv.slice(2), { ...kServerOptions, keep: 'flag' });
const cmds = serverCommands(opts);
if (!cmds.stdio || !cmds.http) throw new Error('need both a stdio and an HTTP server command');
const claude = pkgPath('@anthropic-ai/claude-code/bin/claude.exe');

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-claude-home-'));
const project = path.join(home, 'project');
fs.mkdirSync(project);

// The parent's environment minus anything that would leak a real Claude setup into the test.
const env = {};
for (const [k, v] of Object.entries(process.env)) {
  if (/^(CLAUDE|ANTHROPIC_|MCP_|XDG_CONFIG_HOME$|XDG_DATA_HOME$|XDG_CACHE_HOME$)/.test(k)) continue;
  env[k] = v;
}
Object.assign(env, {
  HOME: home,
  USERPROFILE: home,
  CI: 'true',
  DISABLE_AUTOUPDATER: '1',
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  DISABLE_TELEMETRY: '1',
  DISABLE_ERROR_REPORTING: '1',
  DISABLE_BUG_COMMAND: '1',
  ANTHROPIC_BASE_URL: 'http://127.0.0.1:9', // nothing listens there; mcp commands do not call the API
  MCP_TIMEOUT: '20000',
});

function runClaude(args, timeoutMs = 60000) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(claude, args, { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: -1, out, err: `${err}${e.message}`, ms: performance.now() - t0 });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: signal ? `signal ${signal}` : code, out, err, ms: performance.now() - t0 });
    });
  });
}

const problems = [];
function show(label, r) {
  console.log(`$ claude ${label}  -> exit ${r.code} (${r.ms.toFixed(0)} ms)`);
  for (const l of `${r.out}${r.err}`.trimEnd().split('\n')) if (l) console.log(`  ${l}`);
}

let server = null;
let version = '?';
let status = { sb: 'missing', sbh: 'missing' };
try {
  const v = await runClaude(['--version'], 20000);
  version = v.out.trim().split(' ')[0] || '?';
  if (v.code !== 0) problems.push(`claude --version failed: ${v.err}`);

  server = await startHttpServer(cmds.http);
  console.log(`HTTP server under test: ${server.url}`);

  // The stdio server gets its own data folder too (the HTTP one has one from startHttpServer).
  const stdioData = `SWITCHBOARD_DATA_DIR=${freshDataDir()}`;
  const addStdio = await runClaude(['mcp', 'add', 'sb', '-e', stdioData, '--', ...cmds.stdio]);
  show(`mcp add sb -e ${stdioData} -- ${cmds.stdio.join(' ')}`, addStdio);
  if (addStdio.code !== 0) problems.push('claude mcp add (stdio) failed');
  const addHttp = await runClaude(['mcp', 'add', '--transport', 'http', 'sbh', server.url]);
  show(`mcp add --transport http sbh ${server.url}`, addHttp);
  if (addHttp.code !== 0) problems.push('claude mcp add (http) failed');

  const list = await runClaude(['mcp', 'list'], 90000);
  show('mcp list', list);
  if (list.code !== 0) problems.push(`claude mcp list exited ${list.code}`);
  for (const name of ['sb', 'sbh']) {
    const line = list.out.split('\n').find((l) => l.startsWith(`${name}: `));
    if (!line) status[name] = 'missing';
    else if (/✔ Connected/.test(line)) status[name] = 'connected';
    else status[name] = line.slice(line.lastIndexOf(' - ') + 3).replace(/\s+/g, '_') || 'unknown';
    if (status[name] !== 'connected') problems.push(`${name} is not reported connected: ${line ?? '(no line)'}`);
  }
} catch (e) {
  problems.push(String(e.stack ?? e));
} finally {
  if (server) {
    try {
      await stopChild(server.child);
    } catch (e) {
      problems.push(String(e.message ?? e));
    }
  }
  if (opts.keep) console.log(`temporary HOME kept: ${home}`);
  else fs.rmSync(home, { recursive: true, force: true });
}

for (const p of problems) console.log(`FAIL ${p}`);
if (problems.length > 0 && server) console.log(`--- HTTP server output (last lines) ---\n${server.stderrTail()}`);
const pass = problems.length === 0;
console.log(`E2E-CLAUDE-CODE ${version} ${pass ? 'PASS' : 'FAIL'} stdio=${status.sb} http=${status.sbh}`);
process.exit(pass ? 0 : 1);
