// Checked steps and checked tool calls for the end-to-end scenario scripts.
//
// Steps: each step runs under a time limit, prints `ok|FAIL <name> (<ms> ms) — detail`,
// and a failing step does not stop the next ones (each step creates what it needs or
// reads what an earlier step left in `state`, and says so when that is missing).
// ToolChecker: tools/list once, every outputSchema compiled with Ajv (the validator the
// SDKs use; it is installed in the cache as their dependency); every successful tools/call must carry text content and a
// structuredContent that matches its tool's outputSchema, checked here whether or not the
// client SDK checked it too. ok() wants a success, err() wants a tool error
// (isError: true) whose text names what to do (a regular expression).
import { pkg, withTimeout } from './harness.mjs';

export function expect(cond, msg) {
  if (!cond) throw new Error(msg);
}

// JSON text with object keys sorted, so equal JSON values give equal text.
export function canonical(value) {
  return JSON.stringify(value, (_, v) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));
}

export function eq(actual, expected, what) {
  const a = canonical(actual);
  const e = canonical(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class Steps {
  constructor(stepMs) {
    this.stepMs = stepMs;
    this.results = [];
  }

  async step(name, fn) {
    const t0 = performance.now();
    try {
      const detail = await withTimeout(Promise.resolve().then(fn), this.stepMs, name);
      this.results.push({ name, ok: true });
      console.log(`ok   ${name} (${(performance.now() - t0).toFixed(0)} ms)${detail ? ` — ${detail}` : ''}`);
      return true;
    } catch (e) {
      this.results.push({ name, ok: false });
      console.log(`FAIL ${name} (${(performance.now() - t0).toFixed(0)} ms): ${e.stack ?? e}`);
      return false;
    }
  }

  failed() {
    return this.results.filter((r) => !r.ok);
  }
}

function textOf(result) {
  return (result?.content ?? []).filter((c) => c.type === 'text').map((c) => c.text).join('\n');
}

export class ToolChecker {
  constructor(face) {
    this.face = face;
    this.tools = new Map();      // name -> Tool from tools/list
    this.validators = new Map(); // name -> compiled outputSchema
    this.succeeded = new Set();  // tools seen answering successfully
    const Ajv = pkg('ajv');
    this.ajv = new (Ajv.default ?? Ajv)({ strict: false, allErrors: true });
  }

  // tools/list; compiles every outputSchema. Returns the tools.
  async load() {
    const list = await this.face.listTools();
    for (const tool of list.tools) {
      this.tools.set(tool.name, tool);
      if (tool.outputSchema) this.validators.set(tool.name, this.ajv.compile(tool.outputSchema));
    }
    return list.tools;
  }

  // tools/call with the result's shape checked; returns the CallToolResult.
  async call(name, args, options = {}) {
    const r = await this.face.callTool(name, args, options);
    expect(Array.isArray(r.content) && r.content.length > 0 && textOf(r).length > 0,
      `${name}: the result has no text content: ${JSON.stringify(r)}`);
    if (r.isError) return r;
    const validate = this.validators.get(name);
    expect(validate !== undefined, `${name}: tools/list gave no outputSchema for it`);
    expect(r.structuredContent && typeof r.structuredContent === 'object',
      `${name}: a success without structuredContent: ${JSON.stringify(r)}`);
    expect(validate(r.structuredContent), `${name}: structuredContent does not match the outputSchema: ` +
      `${this.ajv.errorsText(validate.errors)}; got ${JSON.stringify(r.structuredContent)}`);
    this.succeeded.add(name);
    return r;
  }

  // A call that must succeed; returns its structuredContent.
  async ok(name, args, options = {}) {
    const r = await this.call(name, args, options);
    expect(!r.isError, `${name}(${JSON.stringify(args)}) failed: ${textOf(r)}`);
    return r.structuredContent;
  }

  // A call that must be a tool error whose text matches `hint`; returns the text.
  async err(name, args, hint) {
    const r = await this.call(name, args);
    expect(r.isError === true, `${name}(${JSON.stringify(args)}) should be a tool error, got ${JSON.stringify(r)}`);
    const text = textOf(r);
    expect(hint.test(text), `${name}: the error does not say what to do (want ${hint}): ${text}`);
    return text;
  }
}

// Reads a switchboard:// resource and returns its JSON body (checks uri and mimeType).
export async function readJson(face, uri) {
  const r = await face.readResource(uri);
  const item = r.contents?.[0];
  expect(r.contents?.length === 1 && item.uri === uri, `${uri}: unexpected contents ${JSON.stringify(r).slice(0, 400)}`);
  eq(item.mimeType, 'application/json', `${uri} mimeType`);
  return JSON.parse(item.text);
}
