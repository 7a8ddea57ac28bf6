// End-to-end test of Switchboard's orchestrator surface through the official TypeScript
// MCP clients:
//
//   node orchestrator.mjs --client sdk1|client2 --transport stdio|http --switchboard <binary>
//
// (or --stdio-cmd/--http-cmd JSON arrays). The server runs with its own fresh data folder
// and the bundled plugins (no conformance fixtures). Steps: tools/list has the 19 tools,
// each with input and output schemas; scripted agents: agent_create/list (paged,
// filtered)/get/update, agent_control through every legal transition and an illegal one,
// agent_ask, agent_delete; tasks: task_create with priorities and dependencies, task_list
// paged to the end, task_get, task_update, task_cancel (dependents blocked); workflows
// and executions (lib/orchestrator_workflows.mjs); system_status and plugin_list; every
// switchboard:// resource kind; unknown ids and bad arguments are tool errors that say
// what to do, and the server keeps serving. Every successful structuredContent is checked
// against its tool's outputSchema (lib/tool_checks.mjs).
// Prints one line per step and a summary `E2E-ORCHESTRATOR <client> <transport> PASS|FAIL`.
import { kServerOptions, parseArgs, serverCommands } from './lib/harness.mjs';
import { McpFace } from './lib/mcp_face.mjs';
import { workflowSteps } from './lib/orchestrator_workflows.mjs';
import { eq, expect, readJson, Steps, ToolChecker } from './lib/tool_checks.mjs';

const kTools = ['agent_ask', 'agent_control', 'agent_create', 'agent_delete', 'agent_get', 'agent_list',
  'agent_update', 'execution_control', 'execution_get', 'execution_list', 'plugin_list', 'system_status',
  'task_cancel', 'task_create', 'task_get', 'task_list', 'task_update', 'workflow_patterns', 'workflow_run'];
const kStepMs = 60000; // generous: the binary may run under AddressSanitizer

const opts = parseArgs(process.argv.slice(2), { ...kServerOptions, client: 'value', transport: 'value' });
if (!['stdio', 'http'].includes(opts.transport)) throw new Error('--transport must be stdio or http');
const cmd = serverCommands(opts, { defaultPlugins: null })[opts.transport];
if (!cmd) throw new Error(`no ${opts.transport} server command given`);

const face = new McpFace(opts.client);
const tc = new ToolChecker(face);
const steps = new Steps(kStepMs);
const st = { agents: {}, tasks: {} };

// Scripted agents (plugins/agent/scripted/agent_config.schema.json): no API key, fixed replies.
const kAgents = {
  alpha: { role: 'writer', capabilities: ['write'], config: { rules: [{ match: 'ping', reply: 'pong' }],
    default_reply: 'alpha done', latency_ms: 60, usage: { input_tokens: 10, output_tokens: 5, cost_usd: 0.001 } } },
  beta: { role: 'reviewer', capabilities: ['review'], config: { default_reply: { verdict: 'approved' },
    latency_ms: 60, usage: { input_tokens: 7, output_tokens: 3 } } },
  flaky: { role: 'worker', capabilities: ['retry'], config: { default_reply: 'recovered', latency_ms: 30,
    fail: { first_attempts: 1, message: 'transient glitch' } } },
  slow: { role: 'worker', capabilities: ['slow'], config: { default_reply: 'slow done', latency_ms: 400 } },
  gamma: { role: 'temp', capabilities: ['misc'], config: { default_reply: 'gamma says hi' } },
};

const connected = await steps.step(`connect (${opts.client} over ${opts.transport})`, async () => {
  await face.connect(opts.transport, cmd);
  const v = face.client.getServerVersion();
  return `server ${v?.name} ${v?.version}, era ${face.era()}`;
});

if (connected) {
  await steps.step('tools/list: the 19 tools with input and output schemas', async () => {
    const tools = await tc.load();
    eq(tools.map((t) => t.name).sort(), kTools, 'tool names');
    for (const t of tools) {
      expect(t.inputSchema?.type === 'object' && t.outputSchema?.type === 'object',
        `${t.name}: inputSchema/outputSchema must be object schemas`);
      expect(t.description?.length > 20, `${t.name}: no real description`);
    }
    return `${tools.length} tools`;
  });

  await steps.step('agent_create scripted agents', async () => {
    for (const [name, spec] of Object.entries(kAgents)) {
      const { agent } = await tc.ok('agent_create', { name, type: 'scripted', ...spec });
      st.agents[name] = agent.id;
      // The short type name resolves to the plugin's full name.
      eq([agent.name, agent.type, agent.role, agent.status], [name, 'switchboard.agent.scripted', spec.role, 'idle'], `agent ${name}`);
      eq(agent.capabilities, spec.capabilities, `agent ${name} capabilities`);
      eq(agent.config, spec.config, `agent ${name} config`);
      expect(/^\S+$/.test(agent.id) && agent.id !== name, `agent ${name} id ${agent.id}`);
    }
    await tc.err('agent_create', { name: 'alpha', type: 'scripted' }, /alpha/);
    return Object.entries(st.agents).map(([k, v]) => `${k}=${v}`).join(' ');
  });

  await steps.step('agent_list paged and filtered; agent_get by id and name', async () => {
    const seen = [];
    let cursor;
    let pages = 0;
    do {
      const page = await tc.ok('agent_list', cursor ? { limit: 2, cursor } : { limit: 2 });
      expect(page.agents.length <= 2, `page of ${page.agents.length} with limit 2`);
      seen.push(...page.agents.map((x) => x.name));
      cursor = page.next_cursor;
      ++pages;
    } while (cursor && pages < 10);
    eq([...seen].sort(), Object.keys(kAgents).sort(), 'every agent, once, across pages');
    eq(pages, 3, 'pages of 2 for 5 agents');
    eq((await tc.ok('agent_list', { role: 'reviewer' })).agents.map((x) => x.name), ['beta'], 'role reviewer');
    eq((await tc.ok('agent_list', { capability: 'retry' })).agents.map((x) => x.name), ['flaky'], 'capability retry');
    eq((await tc.ok('agent_list', { status: 'paused' })).agents.length, 0, 'paused agents');
    const byName = (await tc.ok('agent_get', { agent_id: 'beta' })).agent;
    const byId = (await tc.ok('agent_get', { agent_id: st.agents.beta })).agent;
    eq([byName.id, byId.name], [st.agents.beta, 'beta'], 'agent_get by name and by id');
    eq(byId.counters.requests, 0, 'beta requests before any call');
    return `${seen.length} agents in ${pages} pages`;
  });

  await steps.step('agent_ask one agent', async () => {
    const r = await tc.ok('agent_ask', { agent_id: st.agents.alpha, prompt: 'ping, are you there?' });
    eq([r.agent_id, r.status, r.text], [st.agents.alpha, 'succeeded', 'pong'], 'answer');
    eq(r.output, { text: 'pong' }, 'output');
    eq([r.usage.input_tokens, r.usage.output_tokens, r.usage.cost_usd], [10, 5, 0.001], 'usage');
    expect(typeof r.duration_ms === 'number' && r.duration_ms >= 50, `duration_ms ${r.duration_ms} (latency 60 ms)`);
    const other = await tc.ok('agent_ask', { agent_id: 'alpha', prompt: 'hello' });
    eq(other.text, 'alpha done', 'default reply');
    const { agent } = await tc.ok('agent_get', { agent_id: 'alpha' });
    eq([agent.counters.requests, agent.counters.successes, agent.counters.input_tokens], [2, 2, 20], 'alpha counters');
    return `"${r.text}" in ${r.duration_ms} ms`;
  });

  await steps.step('agent_update and agent_control transitions, illegal ones refused', async () => {
    const id = st.agents.gamma;
    const up = (await tc.ok('agent_update', { agent_id: id, role: 'tester', capabilities: ['qa'],
      config: { default_reply: 'updated reply' } })).agent;
    eq([up.role, up.capabilities, up.config], ['tester', ['qa'], { default_reply: 'updated reply' }], 'updated fields');
    eq((await tc.ok('agent_get', { agent_id: 'gamma' })).agent.role, 'tester', 'agent_get after update');
    eq((await tc.ok('agent_ask', { agent_id: id, prompt: 'x' })).text, 'updated reply', 'reply after a config update');
    const seq = [['pause', 'idle', 'paused'], ['resume', 'paused', 'idle'], ['stop', 'idle', 'stopped'],
      ['start', 'stopped', 'idle'], ['restart', 'idle', 'idle'], ['pause', 'idle', 'paused'], ['restart', 'paused', 'idle']];
    for (const [action, from, to] of seq) {
      const r = await tc.ok('agent_control', { agent_id: id, action });
      eq([r.previous_status, r.agent.status], [from, to], `${action}`);
      if (action === 'pause') {
        await tc.err('agent_ask', { agent_id: id, prompt: 'are you paused?' }, /paused|resume/i);
      }
    }
    const illegal = await tc.err('agent_control', { agent_id: id, action: 'resume' }, /cannot resume.*idle.*pause, stop, restart/);
    await tc.ok('agent_control', { agent_id: id, action: 'stop' });
    await tc.err('agent_control', { agent_id: id, action: 'stop' }, /legal from stopped: start, restart/);
    await tc.err('agent_ask', { agent_id: id, prompt: 'stopped?' }, /stopped|start/i);
    await tc.ok('agent_control', { agent_id: id, action: 'start' });
    return `illegal: "${illegal}"`;
  });

  await steps.step('task_create/list/get/update/cancel', async () => {
    const mk = async (args) => (await tc.ok('task_create', args)).task;
    const t1 = await mk({ title: 'collect data', priority: 'high', description: 'from the logs' });
    const t2 = await mk({ title: 'analyse', priority: 'critical', depends_on: [t1.id], expected_output: 'a table' });
    const t3 = await mk({ title: 'report', priority: 'low', depends_on: [t2.id] });
    const t4 = await mk({ title: 'cleanup' });
    const t5 = await mk({ title: 'answer', assigned_agent: st.agents.alpha });
    const sub = await mk({ title: 'cleanup part', parent_id: t4.id });
    eq([t1.status, t1.priority, t2.status, t2.priority, t2.depends_on], ['ready', 'high', 'pending', 'critical', [t1.id]], 't1/t2');
    eq([t3.priority, t4.priority, t5.status, t5.assigned_agent], ['low', 'normal', 'assigned', st.agents.alpha], 't3/t4/t5');
    const ids = [t1, t2, t3, t4, t5, sub].map((t) => t.id);
    const seen = [];
    let cursor;
    let pages = 0;
    do {
      const page = await tc.ok('task_list', cursor ? { limit: 2, cursor } : { limit: 2 });
      expect(page.tasks.length <= 2, `page of ${page.tasks.length} with limit 2`);
      seen.push(...page.tasks.map((t) => t.id));
      cursor = page.next_cursor;
      ++pages;
    } while (cursor && pages < 20);
    eq([...seen].sort(), [...ids].sort(), 'every task, once, across pages');
    expect(pages >= 3, `6 tasks in ${pages} page(s) of 2`);
    eq((await tc.ok('task_list', { status: 'pending' })).tasks.map((t) => t.id).sort(), [t2.id, t3.id].sort(), 'pending tasks');
    eq((await tc.ok('task_list', { parent_id: t4.id })).tasks.map((t) => t.id), [sub.id], 'subtasks of t4');
    const got = (await tc.ok('task_get', { task_id: t2.id })).task;
    eq([got.title, got.expected_output, got.depends_on], ['analyse', 'a table', [t1.id]], 'task_get t2');
    eq((await tc.ok('task_get', { task_id: t4.id })).task.subtasks, [sub.id], 't4 subtasks');
    const upd = (await tc.ok('task_update', { task_id: t4.id, title: 'cleanup v2', priority: 'critical', description: 'all of it' })).task;
    eq([upd.title, upd.priority, upd.description], ['cleanup v2', 'critical', 'all of it'], 'task_update fields');
    const done = (await tc.ok('task_update', { task_id: t5.id, result: { answer: 42 } })).task;
    eq([done.status, done.result], ['completed', { answer: 42 }], 'task_update result');
    const c = await tc.ok('task_cancel', { task_id: t1.id, reason: 'no longer needed' });
    eq(c.task.status, 'cancelled', 'cancelled status');
    expect(c.blocked.includes(t2.id), `t2 should be blocked by cancelling t1: ${JSON.stringify(c.blocked)}`);
    eq((await tc.ok('task_get', { task_id: t2.id })).task.status, 'blocked', 't2 after cancel');
    await tc.err('task_cancel', { task_id: t1.id }, /cancelled/);
    st.tasks = { t1, t2, t3, t4, t5, sub };
    return `${ids.length} tasks in ${pages} pages; blocked ${c.blocked.length}`;
  });

  await workflowSteps(steps, face, tc, st);

  await steps.step('system_status and plugin_list', async () => {
    const s = await tc.ok('system_status', {});
    expect(/^\d+\.\d+\.\d+/.test(s.version) && s.uptime_s > 0, `version ${s.version}, uptime ${s.uptime_s}`);
    eq(s.storage, 'switchboard.storage.sqlite', 'storage (the default)');
    eq([...s.plugins.workflow].sort(), ['switchboard.workflow.dag', 'switchboard.workflow.parallel',
      'switchboard.workflow.sequential'], 'workflow plugins');
    expect(s.plugins.agent.includes('switchboard.agent.scripted') && s.plugins.agent.includes('switchboard.agent.command'),
      `agent plugins: ${JSON.stringify(s.plugins.agent)}`);
    eq(s.plugins.failed, 0, 'failed plugins');
    const agents = Object.values(s.agents).reduce((x, y) => x + y, 0);
    eq(agents, Object.keys(st.agents).length, 'agents counted');
    eq(s.agents, { idle: Object.keys(st.agents).length }, 'agents by status (all idle)');
    eq(s.tasks.cancelled, 1, 'cancelled tasks');
    eq(s.tasks.blocked >= 1 && s.tasks.completed >= 5, true, `task counts ${JSON.stringify(s.tasks)}`);
    eq([s.executions.completed, s.executions.cancelled], [4, 1], 'execution counts');
    const all = (await tc.ok('plugin_list', {})).plugins;
    const wf = (await tc.ok('plugin_list', { kind: 'workflow' })).plugins;
    eq(wf.map((p) => p.name).sort(), s.plugins.workflow.slice().sort(), 'plugin_list kind workflow');
    expect(wf.every((p) => p.kind === 'workflow' && p.status === 'loaded' && p.version.length > 0), `workflow plugins ${JSON.stringify(wf)}`);
    expect(all.some((p) => p.name === 'switchboard.storage.memory') && all.length >= 6, `plugin_list ${all.map((p) => p.name)}`);
    return `version ${s.version}; ${all.length} plugins; tasks ${JSON.stringify(s.tasks)}`;
  });

  await steps.step('resources: every switchboard:// kind', async () => {
    const listed = (await face.client.listResources()).resources.map((r) => r.uri);
    for (const u of ['switchboard://agents', 'switchboard://plugins']) expect(listed.includes(u), `resources/list lacks ${u}: ${listed}`);
    const templates = (await face.client.listResourceTemplates()).resourceTemplates.map((r) => r.uriTemplate).sort();
    eq(templates, ['switchboard://agents/{id}', 'switchboard://executions/{id}', 'switchboard://executions/{id}/events',
      'switchboard://tasks/{id}'], 'resource templates');
    const agents = await readJson(face, 'switchboard://agents');
    eq(agents.agents.map((x) => x.name).sort(), Object.keys(kAgents).sort(), 'switchboard://agents');
    eq((await readJson(face, `switchboard://agents/${st.agents.beta}`)).name, 'beta', 'agents/{id}');
    eq((await readJson(face, 'switchboard://agents/alpha')).id, st.agents.alpha, 'agents/{name}');
    const t2 = await readJson(face, `switchboard://tasks/${st.tasks.t2.id}`);
    eq([t2.title, t2.status], ['analyse', 'blocked'], 'tasks/{id}');
    const ex = await readJson(face, `switchboard://executions/${st.dag.id}`);
    eq([ex.status, ex.steps.length], ['completed', 4], 'executions/{id}');
    const ev = await readJson(face, `switchboard://executions/${st.dag.id}/events`);
    eq(ev.execution_id, st.dag.id, 'events execution_id');
    const types = ev.events.map((e) => e.type);
    expect(types.filter((t) => t.startsWith('step.')).length >= 8, `events ${types.join(', ')}`);
    expect(ev.events.every((e, i) => i === 0 || e.id > ev.events[i - 1].id), 'events out of order');
    const plugins = await readJson(face, 'switchboard://plugins');
    expect(plugins.plugins.some((p) => p.name === 'switchboard.agent.scripted' && p.status === 'loaded'), 'plugins resource');
    let threw = null;
    try {
      await face.readResource('switchboard://executions/ex_missing');
    } catch (e) {
      threw = e;
    }
    // The protocol's resource-not-found error: -32002 (legacy era) or -32602 (modern era),
    // naming the URI.
    expect(threw && [-32002, -32602].includes(threw.code) && /switchboard:\/\/executions\/ex_missing/.test(threw.message),
      `reading an unknown execution should fail with resource-not-found naming the URI: ${threw?.code} ${threw?.message}`);
    return `${ev.events.length} events; types ${[...new Set(types)].join(', ')}`;
  });

  await steps.step('unknown ids and bad arguments are tool errors; the server keeps serving', async () => {
    const cases = [
      ['agent_get', { agent_id: 'ag_missing' }, /ag_missing.*agent_list/],
      ['agent_ask', { agent_id: 'ag_missing', prompt: 'hi' }, /agent_list/],
      ['agent_update', { agent_id: 'ag_missing', role: 'x' }, /agent_list/],
      ['agent_delete', { agent_id: 'ag_missing' }, /agent_list/],
      ['task_get', { task_id: 'tk_missing' }, /tk_missing.*task_list/],
      ['task_update', { task_id: 'tk_missing', title: 'x' }, /task_list/],
      ['task_cancel', { task_id: 'tk_missing' }, /task_list/],
      ['execution_get', { execution_id: 'ex_missing' }, /ex_missing.*execution_list/],
      ['execution_control', { execution_id: 'ex_missing', action: 'pause' }, /execution_list/],
      ['workflow_run', { pattern: 'no_such_pattern' }, /no_such_pattern.*workflow_patterns/],
      ['workflow_run', { pattern: 'sequential', params: { steps: 'all of them' } }, /params do not fit pattern sequential.*workflow_patterns/],
      ['workflow_run', { pattern: 'sequential', objective: 'x', agents: ['ag_missing'] }, /agent_list/],
      ['workflow_run', { pattern: 'dag', tasks: ['tk_missing'] }, /tk_missing/],
      ['agent_create', { name: 'x' }, /invalid arguments for agent_create.*type.*inputSchema/],
      ['agent_create', { name: 'bad name!', type: 'scripted' }, /invalid arguments for agent_create.*name/],
      ['agent_create', { name: 'nobody', type: 'no_such_type' }, /no_such_type/],
      ['agent_create', { name: 'badcfg', type: 'scripted', config: { latency_ms: 'slow' } }, /latency_ms/],
      ['agent_control', { agent_id: 'alpha', action: 'explode' }, /invalid arguments for agent_control.*action/],
      ['task_create', { title: 'x', priority: 'urgent' }, /invalid arguments for task_create.*priority/],
      ['task_create', { title: 'x', depends_on: ['tk_missing'] }, /tk_missing.*task_list/],
      ['task_create', { title: 'x', parent_id: 'tk_missing' }, /tk_missing.*task_list/],
      ['task_update', { task_id: st.tasks.t4?.id ?? 'tk_x', depends_on: ['tk_missing'] }, /tk_missing.*task_list/],
      ['task_list', { limit: 0 }, /invalid arguments for task_list.*limit/],
      ['execution_list', { surprise: true }, /invalid arguments for execution_list/],
      ['execution_control', { execution_id: st.par?.id ?? 'ex_x', action: 'cancel' }, /completed|ended|finished/i],
    ];
    const wrong = [];
    for (const [name, args, hint] of cases) await tc.err(name, args, hint).catch((e) => wrong.push(e.message));
    expect(wrong.length === 0, `${wrong.length} of ${cases.length} cases wrong:\n  ${wrong.join('\n  ')}`);
    let unknown;
    try {
      const r = await face.callTool('no_such_tool', {});
      unknown = r.isError ? r.content?.[0]?.text : `not an error: ${JSON.stringify(r)}`;
    } catch (e) {
      unknown = e.message;
    }
    expect(/no_such_tool/.test(unknown), `calling an unknown tool: ${unknown}`);
    const s = await tc.ok('system_status', {});
    eq(Object.values(s.agents).reduce((x, y) => x + y, 0), Object.keys(st.agents).length, 'agents after the errors');
    return `${cases.length} tool errors; unknown tool: "${unknown}"`;
  });

  await steps.step('agent_delete', async () => {
    const r = await tc.ok('agent_delete', { agent_id: 'gamma' });
    eq([r.deleted, r.agent_id], [true, st.agents.gamma], 'deleted');
    await tc.err('agent_get', { agent_id: st.agents.gamma }, /agent_list/);
    eq((await tc.ok('agent_list', {})).agents.length, Object.keys(kAgents).length - 1, 'agents left');
  });

  await steps.step('every tool answered successfully at least once', async () => {
    const missing = kTools.filter((t) => !tc.succeeded.has(t));
    expect(missing.length === 0, `never seen succeeding: ${missing.join(', ')}`);
  });

  await steps.step('close; the server exits', () => face.close());
} else {
  await face.close().catch(() => {});
}

const failed = steps.failed();
if (failed.length > 0) {
  const tail = face.stderrTail();
  if (tail) console.log(`--- server output (last lines) ---\n${tail}`);
}
console.log(`E2E-ORCHESTRATOR ${opts.client} ${opts.transport} ${failed.length === 0 ? 'PASS' : 'FAIL'} ` +
  `steps=${steps.results.length} failed=${failed.length}`);
process.exit(failed.length === 0 ? 0 : 1);
