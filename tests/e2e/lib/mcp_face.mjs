// One face over the two official TypeScript client generations, for tests that drive a
// server's tools and resources (orchestrator.mjs):
//   sdk1    = @modelcontextprotocol/sdk 1.32 Client, legacy era (initialize, 2025-11-25);
//             resource updates through resources/subscribe.
//   client2 = @modelcontextprotocol/client 2.4 Client pinned to 2026-07-28, modern era;
//             resource updates through subscriptions/listen {resourceSubscriptions}.
// connect() starts the server (stdio: the client spawns it with serverEnv(), a fresh data
// folder; HTTP: startHttpServer()) and taps the transport so every notification the server
// sends is recorded in arrival order (the SDKs dispatch notifications asynchronously, so
// the tap is the exact record; their callbacks are checked as well where it matters).
import { pkg, serverEnv, startHttpServer, stopChild, withTimeout } from './harness.mjs';

export class McpFace {
  constructor(kind) {
    if (!['sdk1', 'client2'].includes(kind)) throw new Error('--client must be sdk1 or client2');
    this.kind = kind;
    this.wire = [];            // every notification, in order: {method, params}
    this.updatedApi = [];      // URIs the SDK handed to our resources/updated handler
    this.waiters = new Set();  // () => void, called on every notification
    this.server = null;        // HTTP server child
    this.stderrLines = [];
    const onUpdated = (n) => {
      this.updatedApi.push(n.params?.uri);
      this.#wake();
    };
    if (kind === 'sdk1') {
      const { Client } = pkg('@modelcontextprotocol/sdk/client/index.js');
      const types = pkg('@modelcontextprotocol/sdk/types.js');
      this.CallToolResultSchema = types.CallToolResultSchema;
      this.client = new Client({ name: 'switchboard-e2e-orchestrator-sdk1', version: '1.0.0' },
        { capabilities: {} });
      this.client.setNotificationHandler(types.ResourceUpdatedNotificationSchema, onUpdated);
    } else {
      const { Client } = pkg('@modelcontextprotocol/client');
      this.client = new Client({ name: 'switchboard-e2e-orchestrator-client2', version: '1.0.0' },
        { capabilities: {}, versionNegotiation: { mode: { pin: '2026-07-28' } } });
      this.client.setNotificationHandler('notifications/resources/updated', onUpdated);
    }
  }

  #wake() {
    for (const w of [...this.waiters]) w();
  }

  era() {
    if (this.kind === 'sdk1') return 'legacy';
    return `${this.client.getProtocolEra()} ${this.client.getNegotiatedProtocolVersion()}`;
  }

  async connect(transportKind, cmd) {
    if (transportKind === 'http') {
      this.server = await startHttpServer(cmd);
      this.transport = this.kind === 'sdk1'
        ? new (pkg('@modelcontextprotocol/sdk/client/streamableHttp.js').StreamableHTTPClientTransport)(new URL(this.server.url))
        : new (pkg('@modelcontextprotocol/client').StreamableHTTPClientTransport)(new URL(this.server.url));
    } else {
      const { StdioClientTransport } = this.kind === 'sdk1'
        ? pkg('@modelcontextprotocol/sdk/client/stdio.js') : pkg('@modelcontextprotocol/client/stdio');
      this.transport = new StdioClientTransport({ command: cmd[0], args: cmd.slice(1), env: serverEnv(),
        stderr: 'pipe' });
      this.transport.stderr?.on('data', (d) => {
        this.stderrLines.push(...d.toString().split('\n').filter(Boolean));
        if (this.stderrLines.length > 300) this.stderrLines.splice(0, this.stderrLines.length - 300);
      });
    }
    await this.client.connect(this.transport);
    // How a stdio server ended (the SDKs keep the child in `_process`; not public API).
    this.transport._process?.once('exit', (code, signal) => {
      this.stdioExit = { code, signal };
    });
    const inner = this.transport.onmessage;
    this.transport.onmessage = (msg, extra) => {
      if (msg && msg.method && msg.id === undefined) {
        this.wire.push({ method: msg.method, params: msg.params });
        this.#wake();
      }
      return inner.call(this.transport, msg, extra);
    };
  }

  stderrTail() {
    if (this.server) return this.server.stderrTail();
    return this.stderrLines.map((l) => `[server stderr] ${l}`).join('\n');
  }

  // The CallToolResult (tool errors included; protocol errors throw).
  callTool(name, args, options = {}) {
    const params = { name, arguments: args };
    if (this.kind === 'sdk1') return this.client.callTool(params, this.CallToolResultSchema, options);
    return this.client.callTool(params, options);
  }

  listTools() {
    return this.kind === 'sdk1' ? this.client.listTools() : this.client.listTools({}, { cacheMode: 'refresh' });
  }

  readResource(uri) {
    return this.kind === 'sdk1' ? this.client.readResource({ uri })
      : this.client.readResource({ uri }, { cacheMode: 'refresh' });
  }

  // Asks for notifications/resources/updated about `uri`; returns a function that ends it.
  async subscribe(uri) {
    if (this.kind === 'sdk1') {
      await this.client.subscribeResource({ uri });
      return () => this.client.unsubscribeResource({ uri });
    }
    const sub = await this.client.listen({ resourceSubscriptions: [uri] });
    return () => sub.close();
  }

  // Resolves with the first recorded notification (from index `from` on) that `match`es.
  waitForNotification(match, from, ms, what) {
    const found = () => this.wire.slice(from).find(match);
    let check;
    return withTimeout(new Promise((resolve) => {
      check = () => {
        const n = found();
        if (n) resolve(n);
      };
      this.waiters.add(check);
      check();
    }), ms, what).finally(() => this.waiters.delete(check));
  }

  // Closes the session; an HTTP server then gets SIGTERM. Either way the server must exit
  // in time with code 0 (a stdio server on the end of its stdin: the SDK's close() ends
  // stdin and signals only after a grace period), and its output must hold no sanitizer
  // report. Returns a line saying how the server ended.
  async close() {
    const pid = this.transport?.pid;
    await this.client.close();
    let how;
    if (this.server) {
      how = await stopChild(this.server.child);
    } else {
      for (let i = 0; i < 50 && !this.stdioExit; ++i) await new Promise((resolve) => setTimeout(resolve, 100));
      how = this.stdioExit;
      if (!how) throw new Error(`the stdio server (pid ${pid}) is still running 5 s after the client closed`);
    }
    const report = this.stderrTail().split('\n').find((l) => /AddressSanitizer|LeakSanitizer|runtime error:/.test(l));
    if (report) throw new Error(`sanitizer report in the server's output: ${report}`);
    if (how.code !== 0) throw new Error(`the server exited with code ${how.code} signal ${how.signal}`);
    return `${this.server ? 'HTTP server, after SIGTERM' : 'stdio server, after the end of stdin'}: exit code 0`;
  }
}
