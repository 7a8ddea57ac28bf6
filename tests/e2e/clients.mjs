// End-to-end test with the official TypeScript MCP clients against the server under test.
//
//   node clients.mjs --client sdk1|client2 --transport stdio|http
//                    (--switchboard <binary> | --stdio-cmd '[...]' --http-cmd '[...]')
//
// sdk1    = @modelcontextprotocol/sdk 1.32 Client: the legacy era (initialize, 2025-11-25).
// client2 = @modelcontextprotocol/client 2.4 Client pinned to 2026-07-28: the modern era
//           (server/discover, per-request _meta, subscriptions/listen).
// Steps, each must pass: connect; tools/list has the conformance fixtures; tools/call
// test_simple_text; resources/read test://static-text; tools/call test_tool_with_progress
// delivers >= 3 non-decreasing progress notifications; tools/call test_trigger_tool_change
// delivers notifications/tools/list_changed (legacy: on the session; modern: on a
// subscriptions/listen stream) and a new tools/list differs from the old one; close; the
// server process exits after SIGTERM (HTTP) or after the client closes stdin (stdio).
// The server runs with its own fresh data folder (lib/harness.mjs serverEnv()).
// Prints one line per step and a summary `E2E-CLIENT <client> <transport> PASS|FAIL`.
import { kServerOptions, parseArgs, pkg, serverCommands, serverEnv, startHttpServer, stopChild, withTimeout } from './lib/harness.mjs';

const kSimpleText = 'This is a simple text response for testing.';
const kStaticText = 'This is the content of the static text resource.';
const kFixtureTools = ['test_simple_text', 'test_tool_with_progress', 'test_trigger_tool_change'];
const kStepMs = 15000;

const opts = parseArgs(process.argv.slice(2), { ...kServerOptions, client: 'value', transport: 'value' });
if (!['sdk1', 'client2'].includes(opts.client)) throw new Error('--client must be sdk1 or client2');
if (!['stdio', 'http'].includes(opts.transport)) throw new Error('--transport must be stdio or http');
const cmds = serverCommands(opts);
const cmd = cmds[opts.transport];
if (!cmd) throw new Error(`no ${opts.transport} server command given`);

// A uniform face over the two client generations.
function makeClient(kind, onListChanged) {
  if (kind === 'sdk1') {
    const { Client } = pkg('@modelcontextprotocol/sdk/client/index.js');
    const { ToolListChangedNotificationSchema, CallToolResultSchema } = pkg('@modelcontextprotocol/sdk/types.js');
    const client = new Client({ name: 'switchboard-e2e-sdk1', version: '1.0.0' }, { capabilities: {} });
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => onListChanged());
    return {
      client,
      stdioTransport: (c) => {
        const { StdioClientTransport } = pkg('@modelcontextprotocol/sdk/client/stdio.js');
        return new StdioClientTransport({ command: c[0], args: c.slice(1), env: serverEnv(), stderr: 'pipe' });
      },
      httpTransport: (url) => {
        const { StreamableHTTPClientTransport } = pkg('@modelcontextprotocol/sdk/client/streamableHttp.js');
        return new StreamableHTTPClientTransport(new URL(url));
      },
      callTool: (params, options) => client.callTool(params, CallToolResultSchema, options),
      afterConnect: async () => {},
      era: () => 'legacy',
    };
  }
  const { Client, StreamableHTTPClientTransport } = pkg('@modelcontextprotocol/client');
  const client = new Client({ name: 'switchboard-e2e-client2', version: '1.0.0' },
    { capabilities: {}, versionNegotiation: { mode: { pin: '2026-07-28' } } });
  client.setNotificationHandler('notifications/tools/list_changed', () => onListChanged());
  let subscription;
  return {
    client,
    stdioTransport: (c) => {
      const { StdioClientTransport } = pkg('@modelcontextprotocol/client/stdio');
      return new StdioClientTransport({ command: c[0], args: c.slice(1), env: serverEnv(), stderr: 'pipe' });
    },
    httpTransport: (url) => new StreamableHTTPClientTransport(new URL(url)),
    callTool: (params, options) => client.callTool(params, options),
    afterConnect: async () => {
      subscription = await client.listen({ toolsListChanged: true });
    },
    beforeClose: async () => subscription?.close(),
    era: () => `${client.getProtocolEra()} ${client.getNegotiatedProtocolVersion()}`,
  };
}

const results = [];
async function step(name, fn) {
  const t0 = performance.now();
  try {
    const detail = await withTimeout(Promise.resolve().then(fn), kStepMs, name);
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${(performance.now() - t0).toFixed(0)} ms)${detail ? ` — ${detail}` : ''}`);
    return true;
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}: ${e.stack ?? e}`);
    return false;
  }
}

function expect(cond, msg) {
  if (!cond) throw new Error(msg);
}

const toolNames = (list) => list.tools.map((t) => t.name).sort();

let listChangedCount = 0;
let listChangedWaiter = null;
const c = makeClient(opts.client, () => {
  ++listChangedCount;
  listChangedWaiter?.();
});

let server = null; // HTTP server child
let stderrTail = () => '';
let transport = null;
const connected = await step(`connect over ${opts.transport}`, async () => {
  if (opts.transport === 'http') {
    server = await startHttpServer(cmd);
    stderrTail = server.stderrTail;
    transport = c.httpTransport(server.url);
  } else {
    transport = c.stdioTransport(cmd);
    const lines = [];
    transport.stderr?.on('data', (d) => {
      lines.push(...d.toString().split('\n').filter(Boolean));
      if (lines.length > 200) lines.splice(0, lines.length - 200);
    });
    stderrTail = () => lines.map((l) => `[server stderr] ${l}`).join('\n');
  }
  await c.client.connect(transport);
  await c.afterConnect();
  const v = c.client.getServerVersion();
  return `server ${v?.name} ${v?.version}, era ${c.era()}`;
});

if (connected) {
  let before = [];
  await step('tools/list has the fixtures', async () => {
    const list = await c.client.listTools();
    before = toolNames(list);
    const missing = kFixtureTools.filter((t) => !before.includes(t));
    expect(missing.length === 0, `missing tools ${missing.join(', ')}; got ${before.join(', ')}`);
    for (const t of list.tools) expect(t.inputSchema?.type === 'object', `tool ${t.name} has no object inputSchema`);
    return `${before.length} tools`;
  });
  await step('tools/call test_simple_text', async () => {
    const r = await c.callTool({ name: 'test_simple_text', arguments: {} });
    expect(!r.isError, `isError set: ${JSON.stringify(r)}`);
    expect(r.content?.[0]?.type === 'text' && r.content[0].text === kSimpleText, `unexpected result ${JSON.stringify(r)}`);
  });
  await step('resources/read test://static-text', async () => {
    const r = await c.client.readResource({ uri: 'test://static-text' });
    const item = r.contents?.[0];
    expect(item?.uri === 'test://static-text' && item.text === kStaticText, `unexpected contents ${JSON.stringify(r)}`);
  });
  await step('progress notifications', async () => {
    // Counted twice: on the wire (a hook in front of the client's transport handler, so
    // every notification is seen in order) and through the SDK's onprogress callback. The
    // SDKs dispatch notifications asynchronously but responses synchronously, so a progress
    // notification that arrives in the same read as the result can miss onprogress; the
    // wire count is the exact one, onprogress must still deliver at least one.
    const wire = [];
    const api = [];
    const inner = transport.onmessage;
    transport.onmessage = (msg, extra) => {
      if (msg?.method === 'notifications/progress') wire.push(msg.params?.progress);
      return inner.call(transport, msg, extra);
    };
    let r;
    try {
      r = await c.callTool({ name: 'test_tool_with_progress', arguments: {} },
        { onprogress: (p) => api.push(p.progress) });
    } finally {
      transport.onmessage = inner;
    }
    expect(!r.isError, `isError set: ${JSON.stringify(r)}`);
    expect(wire.length >= 3, `expected >= 3 progress notifications, got ${wire.length} (${wire.join(', ')})`);
    expect(wire.every((p, i) => typeof p === 'number' && (i === 0 || p >= wire[i - 1])),
      `progress not non-decreasing numbers: ${wire.join(', ')}`);
    expect(api.length >= 1, 'the SDK delivered no progress to onprogress');
    return `wire ${wire.join(', ')}; onprogress ${api.join(', ')}`;
  });
  await step('tools/list_changed notification', async () => {
    const countBefore = listChangedCount;
    const arrived = new Promise((resolve) => {
      listChangedWaiter = resolve;
    });
    const r = await c.callTool({ name: 'test_trigger_tool_change', arguments: {} });
    expect(!r.isError, `isError set: ${JSON.stringify(r)}`);
    if (listChangedCount === countBefore) await withTimeout(arrived, 5000, 'waiting for notifications/tools/list_changed');
    const after = toolNames(await c.client.listTools({}, { cacheMode: 'refresh' }));
    expect(JSON.stringify(after) !== JSON.stringify(before),
      `tools/list did not change after list_changed (still ${after.join(', ')})`);
    const added = after.filter((t) => !before.includes(t));
    const removed = before.filter((t) => !after.includes(t));
    return `added [${added.join(', ')}] removed [${removed.join(', ')}]`;
  });
  await step('close', async () => {
    await c.beforeClose?.();
    await c.client.close();
  });
}

if (!connected) await transport?.close?.().catch(() => {}); // do not leave a stdio child behind

if (server) {
  await step('server exits on SIGTERM', async () => {
    const r = await stopChild(server.child);
    return `code ${r.code} signal ${r.signal}`;
  });
}

const failed = results.filter((r) => !r.ok);
if (failed.length > 0) {
  const tail = stderrTail();
  if (tail) console.log(`--- server output (last lines) ---\n${tail}`);
}
console.log(`E2E-CLIENT ${opts.client} ${opts.transport} ${failed.length === 0 ? 'PASS' : 'FAIL'} ` +
  `steps=${results.length} failed=${failed.length}`);
process.exit(failed.length === 0 ? 0 : 1);
