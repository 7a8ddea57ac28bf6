// Shared plumbing for the end-to-end tests and the Node side of the MCP benchmark:
// locating the cache that tests/e2e/setup.sh fills, loading the pinned npm packages from it,
// parsing the common command-line options, and starting/stopping the server under test as a
// child process (stdio, or HTTP on 127.0.0.1 port 0 announced on stderr).
//
// Every server started through here gets its own fresh, empty data folder
// (SWITCHBOARD_DATA_DIR = a new temporary directory, removed when this process exits):
// a gateway locks its data folder, and ctest runs several e2e tests at once. Use
// serverEnv() for the environment of a stdio server a client spawns itself;
// startHttpServer() does it on its own unless given an `env`.
//
// Server under test. Every script takes either
//   --switchboard <path>          the built binary; the scripts add
//                                 `serve --stdio --plugins conformance` or
//                                 `serve --http 127.0.0.1:0 --plugins conformance`
//                                 (orchestrator.mjs: no --plugins, the bundled set;
//                                 `--plugins <list>` overrides either)
// or explicit commands (JSON arrays), e.g. for the TypeScript reference server:
//   --stdio-cmd '["node","ts_server.mjs","--stdio"]'
//   --http-cmd  '["node","ts_server.mjs","--http","127.0.0.1:0"]'
// An HTTP server must print `listening on http://127.0.0.1:<port>/mcp` on stderr.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const kListenPattern = /listening on (http:\/\/[^\s/]+\/mcp)\b/;

export function cacheDir() {
  return process.env.SWITCHBOARD_E2E_CACHE ?? path.join(os.homedir(), '.cache', 'switchboard-e2e');
}

export function assertCache(dir = cacheDir()) {
  const needed = [path.join(dir, 'node', 'bin', 'node'), path.join(dir, 'versions.txt'),
    path.join(dir, 'npm', 'node_modules')];
  const missing = needed.filter((p) => !fs.existsSync(p));
  if (missing.length > 0) {
    throw new Error(`the e2e cache ${dir} is missing or incomplete (${missing.join(', ')}); ` +
      'run `bash .ci/install-deps --test` (or `bash tests/e2e/setup.sh`) first');
  }
  return dir;
}

// require() rooted in <cache>/npm, so scripts in the repo load the pinned packages.
// Node 22 can require() the ESM-only packages too.
export function pkg(name) {
  const dir = assertCache();
  return createRequire(path.join(dir, 'npm', 'package.json'))(name);
}

export function pkgPath(rel) {
  return path.join(assertCache(), 'npm', 'node_modules', rel);
}

export function nodeBinary() {
  return path.join(assertCache(), 'node', 'bin', 'node');
}

// --name value pairs and bare --flags; unknown options are an error.
export function parseArgs(argv, known) {
  const out = {};
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const key = a.slice(2);
    if (!(key in known)) throw new Error(`unknown option ${a}; known: ${Object.keys(known).join(', ')}`);
    if (known[key] === 'flag') out[key] = true;
    else {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      out[key] = argv[++i];
    }
  }
  return out;
}

export const kServerOptions = { switchboard: 'value', 'stdio-cmd': 'value', 'http-cmd': 'value',
  plugins: 'value' };

// A new empty temporary folder for one server's data, removed when this process exits.
const dataDirs = [];
export function freshDataDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-e2e-data-'));
  if (dataDirs.length === 0) {
    process.on('exit', () => {
      for (const d of dataDirs) fs.rmSync(d, { recursive: true, force: true });
    });
  }
  dataDirs.push(dir);
  return dir;
}

// The environment for one server under test: this process's, with a fresh data folder.
export function serverEnv(dataDir = freshDataDir()) {
  return { ...process.env, SWITCHBOARD_DATA_DIR: dataDir };
}

// {stdio: [cmd...], http: [cmd...]} from --switchboard or --stdio-cmd/--http-cmd.
// With --switchboard the `--plugins` list is opts.plugins, else `defaultPlugins`
// (none when null).
export function serverCommands(opts, { defaultPlugins = 'conformance' } = {}) {
  const cmds = {};
  if (opts.switchboard) {
    const plugins = opts.plugins ?? defaultPlugins;
    const extra = plugins ? ['--plugins', plugins] : [];
    cmds.stdio = [opts.switchboard, 'serve', '--stdio', ...extra];
    cmds.http = [opts.switchboard, 'serve', '--http', '127.0.0.1:0', ...extra];
  }
  if (opts['stdio-cmd']) cmds.stdio = JSON.parse(opts['stdio-cmd']);
  if (opts['http-cmd']) cmds.http = JSON.parse(opts['http-cmd']);
  for (const [k, v] of Object.entries(cmds)) {
    if (!Array.isArray(v) || v.length === 0 || !v.every((s) => typeof s === 'string')) {
      throw new Error(`the ${k} server command must be a non-empty JSON array of strings`);
    }
    // A relative program path would break for clients that spawn from another directory.
    if (v[0].includes('/') && !path.isAbsolute(v[0])) v[0] = path.resolve(v[0]);
  }
  if (!cmds.stdio && !cmds.http) {
    throw new Error('say which server to test: --switchboard <binary>, or --stdio-cmd/--http-cmd');
  }
  return cmds;
}

// A running HTTP server child: {url, child, stderrTail(), stop()}. Without `env` it runs
// with serverEnv(): its own fresh data folder.
export async function startHttpServer(cmd, { timeoutMs = 15000, env = serverEnv() } = {}) {
  const child = spawn(cmd[0], cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env });
  killOnExit(child);
  const tail = [];
  const remember = (prefix) => (chunk) => {
    for (const line of chunk.toString().split('\n')) {
      if (line.length === 0) continue;
      tail.push(`${prefix}${line}`);
      if (tail.length > 200) tail.shift();
    }
  };
  child.stdout.on('data', remember('[server stdout] '));
  child.stderr.on('data', remember('[server stderr] '));
  const url = await new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => fail(new Error(`no "listening on http://…/mcp" line within ${timeoutMs} ms`)), timeoutMs);
    const fail = (e) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${e.message}\ncommand: ${JSON.stringify(cmd)}\n${tail.join('\n')}`));
    };
    const scan = (chunk) => {
      buf += chunk.toString();
      const m = kListenPattern.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stderr.on('data', scan);
    child.stdout.on('data', scan);
    child.on('error', (e) => fail(e));
    child.on('exit', (code, sig) => fail(new Error(`server exited early (code ${code}, signal ${sig})`)));
  });
  child.removeAllListeners('exit');
  child.on('error', () => {});
  return { url, child, stderrTail: () => tail.join('\n'), stop: () => stopChild(child) };
}

// Never leave a server behind when this process ends early (uncaught error, EPIPE, ...).
export function killOnExit(child) {
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.on('exit', kill);
  child.once('exit', () => process.off('exit', kill));
}

// SIGTERM, then wait up to `graceMs`; a server that needs SIGKILL is reported as an error.
export async function stopChild(child, graceMs = 5000) {
  if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode };
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.kill('SIGTERM');
  const timer = new Promise((resolve) => setTimeout(() => resolve(null), graceMs));
  const r = await Promise.race([exited, timer]);
  if (r === null) {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`server did not exit within ${graceMs} ms of SIGTERM (killed)`);
  }
  return r;
}

export function withTimeout(promise, ms, what) {
  let timer;
  const t = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, t]).finally(() => clearTimeout(timer));
}
