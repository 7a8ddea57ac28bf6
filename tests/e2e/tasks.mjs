// End-to-end test of the 2026-07-28 Tasks extension (io.modelcontextprotocol/tasks) on the
// orchestrator surface: `workflow_run` with `wait` as an MCP task backed by its durable
// execution, over Streamable HTTP, against `switchboard serve --http` with the bundled
// plugins (scripted agents, no API key).
//
//   node tasks.mjs (--switchboard <binary> | --http-cmd '[...]')
//
// The official TypeScript client 2.4 does not implement the Tasks extension (it has no
// tasks/update and rejects a tools/call result with resultType "task" as an unsupported
// result type), so the task traffic is raw fetch on the 2026-07-28 wire, with the headers
// and `_meta` envelope a 2026-07-28 client sends (Mcp-Method, Mcp-Name = params.taskId on
// tasks/*). The client 2.4 is used for what it does support: a client that does not declare
// the extension still gets ordinary workflow_run results.
//
// Steps, each must pass: discover advertises the extension; agents; a workflow_run task
// is readable at once, followed to completed with tasks/get honouring pollIntervalMs, and
// its result is workflow_run's own (execution completed, steps and outputs); the same call
// without the extension answers synchronously; tasks/cancel cancels the execution (its
// status follows: cancelled, execution_get agrees); a listen stream opened with taskIds
// receives notifications/tasks up to completed; the gateway is stopped while a task runs and
// restarted on the same data folder: tasks/get still answers for the finished and the
// interrupted task, and the interrupted one completes (the execution was recovered); bad
// requests get the documented errors (-32021, -32602, -32020) and the server keeps serving;
// the TypeScript client 2.4 gets a plain result. Prints `E2E-TASKS PASS|FAIL steps=N failed=N`.
import { freshDataDir, kServerOptions, parseArgs, pkg, serverCommands, serverEnv, startHttpServer, stopChild } from './lib/harness.mjs';
import { eq, expect, sleep, Steps } from './lib/tool_checks.mjs';

const kTasks = 'io.modelcontextprotocol/tasks';
const kTerminal = ['completed', 'failed', 'cancelled'];
const opts = parseArgs(process.argv.slice(2), { ...kServerOptions });
const cmd = serverCommands(opts, { defaultPlugins: null }).http;
if (!cmd) throw new Error('no HTTP server command given');
const steps = new Steps(120000); // generous: the binary may run under AddressSanitizer

let nextId = 1;
// One request on the 2026-07-28 wire; {status, msg} with msg the JSON-RPC response.
async function rpc(url, method, params = {}, { ext = true, headers = {} } = {}) {
  const id = nextId++;
  const body = {
    jsonrpc: '2.0', id, method,
    params: {
      ...params,
      _meta: {
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientCapabilities': ext ? { extensions: { [kTasks]: {} } } : {},
        'io.modelcontextprotocol/clientInfo': { name: 'switchboard-e2e-tasks', version: '1.0.0' },
      },
    },
  };
  const h = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream',
    'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': method };
  const name = method === 'tools/call' ? params.name : method.startsWith('tasks/') ? params.taskId : undefined;
  if (typeof name === 'string') h['Mcp-Name'] = name;
  Object.assign(h, headers);
  const res = await fetch(url, { method: 'POST', headers: h, body: JSON.stringify(body) });
  const text = await res.text();
  let msg;
  if ((res.headers.get('content-type') ?? '').includes('text/event-stream')) {
    for (const line of text.split(/\r?\n/)) {
      if (!line.startsWith('data:')) continue;
      const m = JSON.parse(line.slice(5));
      if (m.id === id) msg = m;
    }
  } else {
    msg = JSON.parse(text);
  }
  expect(msg && msg.id === id, `${method}: no response with id ${id} in ${text.slice(0, 300)}`);
  return { status: res.status, msg };
}

async function ok(url, method, params, options) {
  const { status, msg } = await rpc(url, method, params, options);
  expect(status === 200 && msg.result, `${method}: expected a result, got HTTP ${status} ${JSON.stringify(msg)}`);
  return msg.result;
}

async function tool(url, name, args, options) {
  const r = await ok(url, 'tools/call', { name, arguments: args }, options);
  expect(r.resultType === 'task' || !r.isError, `${name} failed: ${JSON.stringify(r)}`);
  return r;
}

async function rpcError(url, method, params, options, code, httpStatus) {
  const { status, msg } = await rpc(url, method, params, options);
  eq(msg.error?.code, code, `${method} error code (${JSON.stringify(msg)})`);
  if (httpStatus) eq(status, httpStatus, `${method} HTTP status`);
  return msg.error;
}

// tasks/get until terminal, waiting pollIntervalMs between polls as the server asks.
async function pollTask(url, taskId, limitMs = 60000) {
  const t0 = performance.now();
  for (let polls = 1; ; ++polls) {
    const t = await ok(url, 'tasks/get', { taskId });
    eq(t.resultType, 'complete', 'tasks/get resultType');
    eq(t.taskId, taskId, 'tasks/get taskId');
    if (kTerminal.includes(t.status)) return { task: t, polls };
    expect(performance.now() - t0 < limitMs, `task ${taskId} still ${t.status} after ${limitMs} ms`);
    expect(Number.isInteger(t.pollIntervalMs) && t.pollIntervalMs > 0, `pollIntervalMs ${t.pollIntervalMs}`);
    await sleep(t.pollIntervalMs);
  }
}

function checkCreated(r) {
  eq(r.resultType, 'task', `resultType (${JSON.stringify(r)})`);
  expect(/^[0-9a-f]{32}$/.test(r.taskId), `taskId ${r.taskId} is not 128 random bits in hex`);
  eq(r.status, 'working', 'initial status');
  eq(r.ttlMs, null, 'ttlMs (a workflow task lasts as long as its execution)');
  expect(Number.isInteger(r.pollIntervalMs), 'pollIntervalMs');
  for (const k of ['createdAt', 'lastUpdatedAt']) expect(!Number.isNaN(Date.parse(r[k])), `${k} ${r[k]}`);
  for (const k of ['task', 'ttl', 'pollInterval', 'requestState', 'result', 'content']) {
    expect(!(k in r), `CreateTaskResult carries ${k}`);
  }
}

const kAgents = {
  quick: { config: { default_reply: 'quick done', latency_ms: 50 } },
  slow: { config: { default_reply: 'slow done', latency_ms: 1500 } },
};
const sequential = (agent, n) => ({
  pattern: 'sequential', wait: true, agents: [agent],
  params: { steps: Array.from({ length: n }, (_, i) => ({ agent, prompt: `step ${i + 1}` })) },
});

const dataDir = freshDataDir();
const env = serverEnv(dataDir);
let server = null;
const ids = {};
const st = {};
try {
  await steps.step('start the gateway; server/discover advertises the tasks extension', async () => {
    server = await startHttpServer(cmd, { env });
    const d = await ok(server.url, 'server/discover', {});
    eq(d.capabilities.extensions?.[kTasks], {}, 'capabilities.extensions[tasks]');
    expect(!('tasks' in d.capabilities), 'no 2025-11-25 capabilities.tasks');
    return server.url;
  });

  await steps.step('agent_create two scripted agents', async () => {
    for (const [name, spec] of Object.entries(kAgents)) {
      const r = await tool(server.url, 'agent_create', { name, type: 'scripted', ...spec });
      ids[name] = r.structuredContent.agent.id;
    }
    return JSON.stringify(ids);
  });

  await steps.step('workflow_run wait as a task: readable at once, polled to completed, result is the run\'s', async () => {
    const created = await tool(server.url, 'workflow_run', sequential(ids.quick, 3));
    checkCreated(created);
    st.done = created.taskId;
    const first = await ok(server.url, 'tasks/get', { taskId: created.taskId });
    expect(['working', 'completed'].includes(first.status), `first tasks/get status ${first.status}`);
    const { task, polls } = await pollTask(server.url, created.taskId);
    eq(task.status, 'completed', `status (${JSON.stringify(task)})`);
    const e = task.result.structuredContent.execution;
    eq(e.status, 'completed', 'execution status');
    eq(e.steps.map((s) => s.output), [{ text: 'quick done' }, { text: 'quick done' }, { text: 'quick done' }], 'step outputs');
    expect(task.result.content[0].text.includes(e.id), 'result text names the execution');
    expect(!task.result._meta?.['io.modelcontextprotocol/related-task'], 'no related-task _meta');
    st.doneExecution = e.id;
    return `task ${created.taskId} = execution ${e.id}, ${polls} polls`;
  });

  await steps.step('the same call without the extension answers synchronously', async () => {
    const r = await tool(server.url, 'workflow_run', sequential(ids.quick, 1), { ext: false });
    eq(r.resultType, 'complete', 'resultType');
    expect(!('taskId' in r), 'no taskId');
    eq(r.structuredContent.execution.status, 'completed', 'execution status');
    return r.structuredContent.execution.id;
  });

  await steps.step('tasks/cancel cancels the execution; the task follows it to cancelled', async () => {
    const created = await tool(server.url, 'workflow_run', sequential(ids.slow, 4));
    checkCreated(created);
    await sleep(300);
    const ack = await ok(server.url, 'tasks/cancel', { taskId: created.taskId });
    eq(Object.keys(ack).filter((k) => k !== '_meta'), ['resultType'], 'cancel ack is empty');
    const { task } = await pollTask(server.url, created.taskId);
    eq(task.status, 'cancelled', `status (${JSON.stringify(task)})`);
    const again = await ok(server.url, 'tasks/cancel', { taskId: created.taskId });
    eq(again.resultType, 'complete', 'idempotent cancel ack');
    const execId = /execution (\S+)/.exec(task.statusMessage)?.[1];
    const view = await tool(server.url, 'execution_get', { execution_id: execId });
    eq(view.structuredContent.execution.status, 'cancelled', 'execution_get status');
    return `${created.taskId}: ${task.statusMessage}`;
  });

  await steps.step('a listen stream opened with taskIds receives notifications/tasks up to completed', async () => {
    const created = await tool(server.url, 'workflow_run', sequential(ids.quick, 2));
    const body = { jsonrpc: '2.0', id: 'listen-1', method: 'subscriptions/listen', params: {
      notifications: { taskIds: [created.taskId, 'not-a-task'] },
      _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientCapabilities': { extensions: { [kTasks]: {} } } } } };
    const controller = new AbortController();
    const res = await fetch(server.url, { method: 'POST', signal: controller.signal, body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream',
        'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': 'subscriptions/listen' } });
    eq(res.status, 200, 'listen HTTP status');
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    const seen = [];
    let buf = '';
    const t0 = performance.now();
    try {
      while (!seen.some((m) => m.method === 'notifications/tasks' && kTerminal.includes(m.params.status))) {
        expect(performance.now() - t0 < 60000, `no terminal notifications/tasks: ${JSON.stringify(seen)}`);
        const { value, done } = await reader.read();
        if (done) break;
        buf += decoder.decode(value, { stream: true });
        const lines = buf.split(/\r?\n/);
        buf = lines.pop();
        for (const l of lines) if (l.startsWith('data:')) seen.push(JSON.parse(l.slice(5)));
      }
    } finally {
      controller.abort();
    }
    eq(seen[0].method, 'notifications/subscriptions/acknowledged', 'first frame');
    eq(seen[0].params.notifications.taskIds, [created.taskId], 'acknowledged taskIds (unknown ids dropped)');
    const last = seen.filter((m) => m.method === 'notifications/tasks').pop();
    eq(last?.params.status, 'completed', `last notification (${JSON.stringify(seen)})`);
    eq(last.params.taskId, created.taskId, 'notification taskId');
    eq(last.params._meta['io.modelcontextprotocol/subscriptionId'], 'listen-1', 'subscriptionId');
    eq(last.params.result.structuredContent.execution.status, 'completed', 'inlined result');
    return `${seen.length} frames`;
  });

  await steps.step('bad requests get their errors and the server keeps serving', async () => {
    await rpcError(server.url, 'tasks/get', { taskId: st.done }, { ext: false }, -32021, 400);
    await rpcError(server.url, 'tasks/get', { taskId: 'no-such-task' }, {}, -32602);
    await rpcError(server.url, 'tasks/get', { taskId: st.done }, { headers: { 'Mcp-Name': 'someone-else' } }, -32020, 400);
    await rpcError(server.url, 'tasks/update', { taskId: st.done, inputResponses: 'yes' }, {}, -32602);
    await rpcError(server.url, 'tasks/result', { taskId: st.done }, {}, -32601, 404);
    await rpcError(server.url, 'tasks/list', {}, {}, -32601, 404);
    const ack = await ok(server.url, 'tasks/update', { taskId: st.done, inputResponses: { nothing: { action: 'accept' } } });
    eq(ack.resultType, 'complete', 'update ack (no outstanding requests: ignored)');
    eq((await ok(server.url, 'tasks/get', { taskId: st.done })).status, 'completed', 'still serving');
  });

  await steps.step('stop the gateway while a task runs; restart it on the same data folder', async () => {
    const created = await tool(server.url, 'workflow_run', sequential(ids.slow, 3));
    checkCreated(created);
    st.interrupted = created.taskId;
    await sleep(800); // the first step is in flight
    await stopChild(server.child);
    server = await startHttpServer(cmd, { env });
    return `task ${st.interrupted} interrupted; restarted at ${server.url}`;
  });

  await steps.step('after the restart tasks/get answers for both tasks and the interrupted one completes', async () => {
    const done = await ok(server.url, 'tasks/get', { taskId: st.done });
    eq(done.status, 'completed', 'finished task after restart');
    eq(done.result.structuredContent.execution.id, st.doneExecution, 'same execution');
    const { task, polls } = await pollTask(server.url, st.interrupted);
    eq(task.status, 'completed', `interrupted task (${JSON.stringify(task)})`);
    const e = task.result.structuredContent.execution;
    eq(e.status, 'completed', 'recovered execution status');
    eq(e.steps.map((s) => s.status), ['succeeded', 'succeeded', 'succeeded'], 'step statuses');
    return `${polls} polls; execution ${e.id}`;
  });

  await steps.step('the TypeScript client 2.4 (no tasks extension) gets an ordinary result', async () => {
    const { Client, StreamableHTTPClientTransport } = pkg('@modelcontextprotocol/client');
    const client = new Client({ name: 'switchboard-e2e-tasks-client2', version: '1.0.0' },
      { capabilities: {}, versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    try {
      const r = await client.callTool({ name: 'workflow_run', arguments: sequential(ids.quick, 1) });
      expect(!r.isError, `workflow_run failed: ${JSON.stringify(r)}`);
      eq(r.structuredContent.execution.status, 'completed', 'execution status');
      return `era ${client.getProtocolEra()} ${client.getNegotiatedProtocolVersion()}`;
    } finally {
      await client.close();
    }
  });
} finally {
  if (server) await steps.step('stop the gateway (SIGTERM)', () => stopChild(server.child).then(() => ''));
}
const failed = steps.failed();
if (failed.length > 0 && server) console.log(`--- server output (last lines) ---\n${server.stderrTail()}`);
console.log(`E2E-TASKS ${failed.length === 0 ? 'PASS' : 'FAIL'} steps=${steps.results.length} failed=${failed.length}`);
process.exit(failed.length === 0 ? 0 : 1);
