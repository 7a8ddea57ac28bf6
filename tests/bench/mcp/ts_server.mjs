// Reference MCP server built on the official TypeScript SDK, used (1) as the comparison
// server of the MCP benchmark and (2) to validate the e2e harness before/besides Switchboard.
//
//   node ts_server.mjs --stdio                    [--sdk v1|v2]
//   node ts_server.mjs --http 127.0.0.1:0         [--sdk v1|v2]
//
// --sdk v1 (default): @modelcontextprotocol/sdk 1.32 McpServer; HTTP is the stateful
//   Streamable HTTP transport (Mcp-Session-Id, GET stream), protocol 2025-11-25 and older.
// --sdk v2: @modelcontextprotocol/server 2.4 createMcpHandler / serveStdio, serving
//   2026-07-28 and (statelessly) the 2025 era from one endpoint.
// HTTP prints `listening on http://<host>:<port>/mcp` on stderr once bound.
// Packages come from the e2e cache (tests/e2e/setup.sh; $SWITCHBOARD_E2E_CACHE).
//
// Surface (a subset of the conformance fixtures, plus the benchmark tool):
//   tool echo {text}            -> text content = text
//   tool test_simple_text       -> "This is a simple text response for testing."
//   tool test_tool_with_progress-> progress 0/50/100 of 100 (~50 ms apart), then "Progress complete"
//   tool test_trigger_tool_change -> toggles tool test_dynamic_tool, emits tools/list_changed
//   resource test://static-text -> "This is the content of the static text resource."
import http from 'node:http';
import { parseArgs, pkg } from '../../e2e/lib/harness.mjs';

const opts = parseArgs(process.argv.slice(2), { stdio: 'flag', http: 'value', sdk: 'value' });
const sdk = opts.sdk ?? 'v1';
if (!['v1', 'v2'].includes(sdk)) throw new Error('--sdk must be v1 or v2');
if (!opts.stdio === !opts.http) throw new Error('give exactly one of --stdio or --http HOST:PORT');

const { z } = pkg('zod');
const kSimpleText = 'This is a simple text response for testing.';
const kStaticText = 'This is the content of the static text resource.';
const info = { name: `ts-sdk-${sdk}-reference`, version: '1.0.0' };
let dynamicToolPresent = false; // shared by every server instance of this process
const onToolsChanged = new Set(); // callbacks that push the change to live instances

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Registers the surface on a McpServer of either SDK generation (same registerTool shape).
function populate(server, notifyProgress) {
  const reg = (name, description, shape, cb) =>
    server.registerTool(name, { description, inputSchema: shape }, cb);
  reg('echo', 'Returns its text argument', { text: z.string() },
    async ({ text }) => ({ content: [{ type: 'text', text }] }));
  reg('test_simple_text', 'Returns a fixed text', {},
    async () => ({ content: [{ type: 'text', text: kSimpleText }] }));
  reg('test_tool_with_progress', 'Reports progress 0, 50, 100 then returns', {},
    async (_args, extra) => {
      for (const p of [0, 50, 100]) {
        await notifyProgress(extra, p, 100);
        if (p < 100) await sleep(50);
      }
      return { content: [{ type: 'text', text: 'Progress complete' }] };
    });
  const dynamic = reg('test_dynamic_tool', 'Present after an odd number of test_trigger_tool_change calls', {},
    async () => ({ content: [{ type: 'text', text: 'dynamic' }] }));
  if (!dynamicToolPresent) dynamic.disable();
  reg('test_trigger_tool_change', 'Toggles test_dynamic_tool and emits tools/list_changed', {},
    async () => {
      dynamicToolPresent = !dynamicToolPresent;
      for (const cb of onToolsChanged) cb();
      return { content: [{ type: 'text', text: `test_dynamic_tool ${dynamicToolPresent ? 'added' : 'removed'}` }] };
    });
  server.registerResource('static-text', 'test://static-text',
    { description: 'A static text resource', mimeType: 'text/plain' },
    async (uri) => ({ contents: [{ uri: uri.href ?? String(uri), mimeType: 'text/plain', text: kStaticText }] }));
  return dynamic;
}

// Keeps one live instance's test_dynamic_tool in step with the shared flag.
function track(server, dynamic) {
  const cb = () => {
    if (dynamicToolPresent) dynamic.enable();
    else dynamic.disable();
  };
  onToolsChanged.add(cb);
  return () => onToolsChanged.delete(cb);
}

function splitHostPort(s) {
  const i = s.lastIndexOf(':');
  if (i <= 0) throw new Error(`--http wants HOST:PORT, got ${s}`);
  return [s.slice(0, i), Number(s.slice(i + 1))];
}

function announce(server) {
  const { address, port } = server.address();
  process.stderr.write(`listening on http://${address}:${port}/mcp\n`);
}

async function readBody(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const text = Buffer.concat(chunks).toString();
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text; // let the transport answer the parse error
  }
}

async function runV1() {
  const { McpServer } = pkg('@modelcontextprotocol/sdk/server/mcp.js');
  const progressV1 = async (extra, progress, total) => {
    const token = extra._meta?.progressToken;
    if (token === undefined) return;
    await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress, total } });
  };
  const make = () => {
    const server = new McpServer(info, { capabilities: { tools: { listChanged: true }, resources: {} } });
    const untrack = track(server, populate(server, progressV1));
    return { server, untrack };
  };
  if (opts.stdio) {
    const { StdioServerTransport } = pkg('@modelcontextprotocol/sdk/server/stdio.js');
    const { server } = make();
    await server.connect(new StdioServerTransport());
    return;
  }
  const { StreamableHTTPServerTransport } = pkg('@modelcontextprotocol/sdk/server/streamableHttp.js');
  const { isInitializeRequest } = pkg('@modelcontextprotocol/sdk/types.js');
  const { randomUUID } = await import('node:crypto');
  const sessions = new Map();
  const httpServer = http.createServer(async (req, res) => {
    try {
      if (!req.url.startsWith('/mcp')) {
        res.writeHead(404).end();
        return;
      }
      const body = req.method === 'POST' ? await readBody(req) : undefined;
      const sid = req.headers['mcp-session-id'];
      let transport = sid ? sessions.get(sid) : undefined;
      if (!transport) {
        if (sid || req.method !== 'POST' || !isInitializeRequest(body)) {
          res.writeHead(sid ? 404 : 400, { 'content-type': 'application/json' }).end(JSON.stringify(
            { jsonrpc: '2.0', id: null, error: { code: -32000, message: sid ? 'Session not found' : 'No session' } }));
          return;
        }
        const { server, untrack } = make();
        transport = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (id) => sessions.set(id, transport),
        });
        transport.onclose = () => {
          untrack();
          if (transport.sessionId) sessions.delete(transport.sessionId);
        };
        await server.connect(transport);
      }
      await transport.handleRequest(req, res, body);
    } catch (e) {
      process.stderr.write(`request failed: ${e.stack ?? e}\n`);
      if (!res.headersSent) res.writeHead(500).end();
    }
  });
  httpServer.keepAliveTimeout = 60000;
  const [host, port] = splitHostPort(opts.http);
  httpServer.listen(port, host, () => announce(httpServer));
  process.on('SIGTERM', () => {
    httpServer.closeAllConnections();
    httpServer.close(() => process.exit(0));
  });
}

async function runV2() {
  const { McpServer } = pkg('@modelcontextprotocol/server');
  const progressV2 = async (ctx, progress, total) => {
    const token = ctx.mcpReq._meta?.progressToken;
    if (token === undefined) return;
    await ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: token, progress, total } });
  };
  const make = () => {
    const server = new McpServer(info, { capabilities: { tools: { listChanged: true }, resources: {} } });
    const dynamic = populate(server, progressV2);
    return { server, dynamic };
  };
  if (opts.stdio) {
    const { serveStdio } = pkg('@modelcontextprotocol/server/stdio');
    serveStdio(() => {
      const { server, dynamic } = make();
      track(server, dynamic);
      return server;
    });
    return;
  }
  const { createMcpHandler } = pkg('@modelcontextprotocol/server');
  const { toNodeHandler, localhostHostValidation, localhostOriginValidation } = pkg('@modelcontextprotocol/node');
  const handler = createMcpHandler(() => make().server);
  onToolsChanged.add(() => handler.notify.toolsChanged());
  const node = toNodeHandler(handler);
  const hostOk = localhostHostValidation();
  const originOk = localhostOriginValidation();
  const httpServer = http.createServer((req, res) => {
    if (!req.url.startsWith('/mcp')) {
      res.writeHead(404).end();
      return;
    }
    if (!hostOk(req, res) || !originOk(req, res)) return;
    node(req, res).catch((e) => {
      process.stderr.write(`request failed: ${e.stack ?? e}\n`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  httpServer.keepAliveTimeout = 60000;
  const [host, port] = splitHostPort(opts.http);
  httpServer.listen(port, host, () => announce(httpServer));
  process.on('SIGTERM', () => {
    httpServer.closeAllConnections();
    httpServer.close(() => process.exit(0));
  });
}

await (sdk === 'v1' ? runV1() : runV2());
