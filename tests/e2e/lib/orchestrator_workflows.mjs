// The workflow half of orchestrator.mjs: workflow_patterns; workflow_run with the
// sequential, parallel and dag patterns (waiting with a progressToken, and returning at
// once then polling execution_get); execution_get/execution_list; execution_control pause,
// resume and cancel on a slow execution while subscribed to its resource; rewind.
// `st` holds what the agent/task steps made: st.agents.{alpha,beta,flaky,slow} ids.
import { eq, expect, sleep } from './tool_checks.mjs';

const kTerminal = ['completed', 'failed', 'cancelled', 'budget_exceeded', 'blocked', 'timed_out'];

// Polls execution_get until the execution is terminal; returns it (with steps).
export async function pollUntilTerminal(tc, id, limitMs = 30000) {
  const t0 = performance.now();
  let polls = 0;
  for (;;) {
    const { execution } = await tc.ok('execution_get', { execution_id: id });
    ++polls;
    if (kTerminal.includes(execution.status)) return { execution, polls };
    expect(performance.now() - t0 < limitMs, `execution ${id} still ${execution.status} after ${limitMs} ms`);
    await sleep(100);
  }
}

// Calls a tool with a progress callback and returns {out, wire, api}: the progress
// notifications seen on the wire during the call and those the SDK gave onprogress.
async function callWithProgress(face, tc, name, args) {
  const from = face.wire.length;
  const api = [];
  const out = await tc.ok(name, args, { onprogress: (p) => api.push(p) });
  const wire = face.wire.slice(from).filter((n) => n.method === 'notifications/progress').map((n) => n.params);
  return { out, wire, api };
}

// Progress is steps settled of steps known so far: patterns that plan step by step
// (sequential) grow `total` as they go; both only grow, and end at the run's step count.
function checkProgress(wire, api, total) {
  expect(wire.length >= 2, `expected >= 2 progress notifications, got ${wire.length}: ${JSON.stringify(wire)}`);
  const tokens = new Set(wire.map((p) => JSON.stringify(p.progressToken)));
  eq(tokens.size, 1, 'progress notifications share one progressToken');
  const grows = (k) => wire.every((p, i) => typeof p[k] === 'number' && (i === 0 || p[k] >= wire[i - 1][k]));
  expect(grows('progress') && grows('total') && wire.every((p) => p.progress <= p.total),
    `progress/total not non-decreasing with progress <= total: ${JSON.stringify(wire)}`);
  eq(wire[wire.length - 1].total, total, `the last progress total (${JSON.stringify(wire)})`);
  expect(wire.every((p) => typeof p.message === 'string' && p.message.length > 0), 'progress without message');
  expect(api.length >= 1, 'the SDK delivered no progress to onprogress');
  return `progress ${wire.map((p) => `${p.progress}/${p.total}`).join(' ')} (onprogress ${api.length})`;
}

const byKey = (e) => Object.fromEntries(e.steps.map((s) => [s.key, s]));
const statuses = (e) => e.steps.map((s) => s.status);

export async function workflowSteps(steps, face, tc, st) {
  const a = st.agents;
  await steps.step('workflow_patterns lists sequential, parallel and dag', async () => {
    const { patterns } = await tc.ok('workflow_patterns', {});
    const names = patterns.map((p) => p.name).sort();
    eq(names, ['dag', 'parallel', 'sequential'], 'pattern names');
    for (const p of patterns) {
      expect(p.plugin === `switchboard.workflow.${p.name}`, `pattern ${p.name} from plugin ${p.plugin}`);
      expect(p.description.length > 0 && p.params_schema.type === 'object', `pattern ${p.name} lacks description or params_schema`);
    }
    expect('steps' in patterns.find((p) => p.name === 'sequential').params_schema.properties, 'sequential params_schema has no steps');
    return names.join(', ');
  });

  await steps.step('workflow_run sequential, wait + progressToken', async () => {
    const { out, wire, api } = await callWithProgress(face, tc, 'workflow_run', {
      pattern: 'sequential', objective: 'three steps', wait: true, max_attempts: 3,
      agents: [a.alpha, a.beta, a.flaky],
      params: { steps: [{ agent: a.alpha, prompt: 'ping one' }, { agent: a.beta, prompt: 'review it' },
        { agent: a.flaky, prompt: 'try it' }] },
    });
    const e = out.execution;
    eq(e.status, 'completed', `execution ${e.id} status (${e.error ?? ''})`);
    eq(e.pattern, 'switchboard.workflow.sequential', 'pattern');
    eq(statuses(e), ['succeeded', 'succeeded', 'succeeded'], 'step statuses');
    eq(e.steps.map((s) => s.attempts), [1, 1, 2], 'step attempts (flaky fails its first attempt)');
    eq(e.steps.map((s) => s.agent_id), [a.alpha, a.beta, a.flaky], 'step agents');
    eq(e.steps.map((s) => s.output), [{ text: 'pong' }, { verdict: 'approved' }, { text: 'recovered' }], 'step outputs');
    eq(e.steps[0].usage.input_tokens, 10, 'step 1 input_tokens');
    eq([e.usage.input_tokens, e.usage.output_tokens], [17, 8], 'execution usage tokens');
    eq(e.progress.total === 3 && e.progress.settled === 3 && e.progress.succeeded === 3, true,
      `progress counts ${JSON.stringify(e.progress)}`);
    eq(e.result.output, { text: 'recovered' }, 'result.output (the last step\'s)');
    eq(e.result.steps.map((s) => s.status), ['succeeded', 'succeeded', 'succeeded'], 'result.steps');
    st.seq = e;
    return `${e.id}; ${checkProgress(wire, api, 3)}`;
  });

  await steps.step('workflow_run parallel without wait, then poll execution_get', async () => {
    const out = await tc.ok('workflow_run', {
      pattern: 'parallel', objective: 'fan out', agents: [a.alpha, a.beta],
      params: { branches: [{ agent: a.alpha, prompt: 'ping a' }, { agent: a.beta, prompt: 'look b' },
        { capability: 'write', prompt: 'ping c' }], join: 'all' },
    });
    const first = out.execution;
    expect(['queued', 'running'].includes(first.status), `a run without wait should return queued/running, got ${first.status}`);
    expect(first.steps === undefined, 'a run without wait returns no steps');
    const { execution: e, polls } = await pollUntilTerminal(tc, first.id);
    eq(e.status, 'completed', `execution ${e.id} status (${e.error ?? ''})`);
    eq(statuses(e), ['succeeded', 'succeeded', 'succeeded'], 'branch statuses');
    eq(e.steps.map((s) => s.attempts), [1, 1, 1], 'branch attempts');
    eq(e.steps[2].agent_id, a.alpha, 'the capability "write" branch ran on alpha');
    eq([e.result.join, e.result.succeeded, e.result.failed], ['all', 3, 0], 'result join/succeeded/failed');
    eq(Object.values(e.result.outputs).map((o) => JSON.stringify(o)).sort(),
      [{ text: 'pong' }, { text: 'pong' }, { verdict: 'approved' }].map((o) => JSON.stringify(o)).sort(), 'result.outputs');
    eq(e.usage.input_tokens, 27, 'execution input_tokens (10 + 7 + 10)');
    st.par = e;
    return `${e.id} completed after ${polls} poll(s)`;
  });

  await steps.step('workflow_run dag over tasks, wait + progressToken', async () => {
    const mk = async (args) => (await tc.ok('task_create', args)).task.id;
    const d1 = await mk({ title: 'design the api', assigned_agent: a.alpha, priority: 'high' });
    const d2 = await mk({ title: 'review the design', depends_on: [d1], required_capabilities: ['review'] });
    const d3 = await mk({ title: 'ping the build', depends_on: [d1], assigned_agent: a.alpha });
    const d4 = await mk({ title: 'ship it', depends_on: [d2, d3], required_capabilities: ['write'], priority: 'critical' });
    const { out, wire, api } = await callWithProgress(face, tc, 'workflow_run', {
      pattern: 'dag', tasks: [d1, d2, d3, d4], wait: true, params: { max_parallel: 2 },
    });
    const e = out.execution;
    eq(e.status, 'completed', `execution ${e.id} status (${e.error ?? ''})`);
    const steps = Object.fromEntries(e.steps.map((s) => [s.task_id, s]));
    eq(Object.keys(steps).sort(), [d1, d2, d3, d4].sort(), 'one step per task');
    for (const s of e.steps) eq([s.status, s.attempts], ['succeeded', 1], `step for ${s.task_id}`);
    eq(steps[d2].agent_id, a.beta, 'the review task ran on the reviewer');
    const after = (x, y) => Date.parse(steps[x].started_at) >= Date.parse(steps[y].ended_at);
    expect(after(d2, d1) && after(d3, d1) && after(d4, d2) && after(d4, d3),
      `a task started before its dependencies ended: ${JSON.stringify(e.steps.map((s) => [s.task_id, s.started_at, s.ended_at]))}`);
    eq(e.result.phases, [[d1], [d2, d3], [d4]], 'result.phases');
    eq(e.result.outputs[d3], { text: 'pong' }, 'output of "ping the build"');
    eq(e.result.outputs[d2], { verdict: 'approved' }, 'output of the review');
    // With wait the outcomes are on the tasks when the call returns.
    for (const [id, output] of [[d2, { verdict: 'approved' }], [d4, { text: 'alpha done' }]]) {
      const task = (await tc.ok('task_get', { task_id: id })).task;
      eq([task.status, task.result], ['completed', output], `task ${id} right after the run`);
    }
    st.dag = e;
    st.dagTasks = [d1, d2, d3, d4];
    return `${e.id}; ${checkProgress(wire, api, 4)}`;
  });

  await steps.step('execution_control on a slow execution: subscribe, pause, resume, cancel', async () => {
    const prompts = Array.from({ length: 6 }, (_, i) => ({ agent: a.slow, prompt: `slow step ${i + 1}` }));
    const { execution: started } = await tc.ok('workflow_run', { pattern: 'sequential', agents: [a.slow], params: { steps: prompts } });
    const id = started.id;
    st.slow = id;
    const uri = `switchboard://executions/${id}`;
    const from = face.wire.length;
    const unsubscribe = await face.subscribe(uri);
    const paused = await tc.ok('execution_control', { execution_id: id, action: 'pause' });
    eq(paused.execution.status, 'paused', 'status after pause');
    expect(['queued', 'running'].includes(paused.previous_status), `previous_status ${paused.previous_status}`);
    const note = await face.waitForNotification((n) => n.method === 'notifications/resources/updated' && n.params?.uri === uri,
      from, 10000, `notifications/resources/updated for ${uri}`);
    await tc.err('execution_control', { execution_id: id, action: 'pause' }, /paus/i);
    // Paused: the step in flight may still settle; after that nothing new starts.
    let p1;
    for (let i = 0; i < 50; ++i) {
      p1 = (await tc.ok('execution_get', { execution_id: id })).execution;
      if (p1.progress.running === 0) break;
      await sleep(100);
    }
    eq([p1.status, p1.progress.running], ['paused', 0], 'paused, and the step in flight settled');
    await sleep(1200);
    const p2 = (await tc.ok('execution_get', { execution_id: id })).execution;
    eq(p2.status, 'paused', 'still paused');
    eq(p2.progress.settled, p1.progress.settled, 'steps settled while paused');
    eq(p2.progress.running, 0, 'steps running while paused');
    const resumed = await tc.ok('execution_control', { execution_id: id, action: 'resume' });
    expect(['running', 'queued'].includes(resumed.execution.status), `status after resume: ${resumed.execution.status}`);
    eq(resumed.previous_status, 'paused', 'previous_status after resume');
    // Resumed: steps settle again. Cancel once one more has.
    let r1;
    for (let i = 0; i < 100; ++i) {
      r1 = (await tc.ok('execution_get', { execution_id: id, include_steps: false })).execution;
      if (r1.progress.settled > p2.progress.settled) break;
      await sleep(50);
    }
    expect(r1.progress.settled > p2.progress.settled, `no step settled within 5 s of resume: ${JSON.stringify(r1.progress)}`);
    const cancelled = await tc.ok('execution_control', { execution_id: id, action: 'cancel' });
    expect(['running', 'cancelled', 'queued'].includes(cancelled.execution.status), `status after cancel: ${cancelled.execution.status}`);
    const { execution: e } = await pollUntilTerminal(tc, id);
    eq(e.status, 'cancelled', 'final status');
    const done = e.steps.filter((s) => s.status === 'succeeded').length;
    expect(done >= 1 && done < 6, `succeeded steps ${done} of 6 (${statuses(e).join(', ')})`);
    expect(e.steps.every((s) => ['succeeded', 'cancelled', 'skipped', 'pending'].includes(s.status)),
      `step statuses after cancel: ${statuses(e).join(', ')}`);
    expect(e.steps.length < 6 || e.steps.some((s) => s.status !== 'succeeded'), 'every step ran despite cancel');
    await tc.err('execution_control', { execution_id: id, action: 'resume' }, /cancelled|ended|finished|terminal/i);
    expect(face.updatedApi.includes(uri), `the SDK never gave the update for ${uri} to its resources/updated handler`);
    await unsubscribe();
    return `${id}: ${done}/6 steps before cancel; update ${JSON.stringify(note.params)}`;
  });

  await steps.step('execution_control rewind forks from a step', async () => {
    expect(st.seq, 'needs the sequential run of an earlier step');
    const key = st.seq.steps[1].key;
    await tc.err('execution_control', { execution_id: st.seq.id, action: 'rewind' }, /step_key/);
    await tc.err('execution_control', { execution_id: st.seq.id, action: 'rewind', step_key: 'no-such-step' }, /no-such-step|step/);
    const out = await tc.ok('execution_control', { execution_id: st.seq.id, action: 'rewind', step_key: key });
    const fork = out.execution;
    st.fork = fork;
    expect(fork.id !== st.seq.id, 'rewind returned the same execution');
    const { execution: e } = await pollUntilTerminal(tc, fork.id); // before any other check
    st.fork = e;
    eq(e.status, 'completed', `fork ${e.id} status (${e.error ?? ''})`);
    eq([e.parent_execution_id, e.rewound_from_step], [st.seq.id, key], 'fork parent_execution_id, rewound_from_step');
    eq(byKey(e)[st.seq.steps[0].key].output, { text: 'pong' }, 'the step before the rewind point is kept');
    eq(e.result.output, { text: 'recovered' }, 'fork result.output');
    eq([out.forked_from, out.action], [st.seq.id, 'rewind'], 'forked_from (as the outputSchema names it), action');
    return `${st.seq.id} -> ${e.id} from ${key}`;
  });

  await steps.step('execution_get without steps; execution_list with filters and pagination', async () => {
    expect(st.seq && st.par && st.dag && st.slow && st.fork, 'needs the runs of the earlier steps');
    const { execution } = await tc.ok('execution_get', { execution_id: st.par.id, include_steps: false });
    expect(execution.steps === undefined && execution.status === 'completed', `execution_get include_steps false: ${JSON.stringify(execution)}`);
    const seen = [];
    let cursor;
    let pages = 0;
    do {
      const page = await tc.ok('execution_list', cursor ? { limit: 2, cursor } : { limit: 2 });
      expect(page.executions.length <= 2, `page of ${page.executions.length} with limit 2`);
      seen.push(...page.executions.map((x) => x.id));
      cursor = page.next_cursor;
      ++pages;
    } while (cursor && pages < 20);
    const all = [st.seq.id, st.par.id, st.dag.id, st.slow, st.fork.id];
    eq([...seen].sort(), [...all].sort(), 'every execution, once, across pages');
    const completed = (await tc.ok('execution_list', { status: 'completed' })).executions.map((x) => x.id).sort();
    eq(completed, [st.seq.id, st.par.id, st.dag.id, st.fork.id].sort(), 'completed executions');
    eq((await tc.ok('execution_list', { status: 'cancelled' })).executions.map((x) => x.id), [st.slow], 'cancelled executions');
    eq((await tc.ok('execution_list', { pattern: 'dag' })).executions.map((x) => x.id), [st.dag.id], 'dag executions');
    eq((await tc.ok('execution_list', { status: 'running' })).executions.length, 0, 'running executions');
    return `${seen.length} executions in ${pages} pages`;
  });
}
