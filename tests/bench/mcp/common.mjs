// Helpers shared by the Node MCP benchmark drivers: JSON-RPC request bodies for either
// protocol era, response parsing (JSON or SSE), percentiles, process RSS, output lines.
import fs from 'node:fs';

export const kLegacyVersion = '2025-11-25';
export const kModernVersion = '2026-07-28';
const kClientInfo = { name: 'switchboard-bench', version: '1.0.0' };

export function modernMeta() {
  return {
    'io.modelcontextprotocol/protocolVersion': kModernVersion,
    'io.modelcontextprotocol/clientInfo': kClientInfo,
    'io.modelcontextprotocol/clientCapabilities': {},
  };
}

export function initializeRequest(id) {
  return { jsonrpc: '2.0', id, method: 'initialize',
    params: { protocolVersion: kLegacyVersion, capabilities: {}, clientInfo: kClientInfo } };
}

export function toolCallRequest(era, id, name, args) {
  const params = { name, arguments: args };
  if (era === 'modern') params._meta = modernMeta();
  return { jsonrpc: '2.0', id, method: 'tools/call', params };
}

// The JSON-RPC messages in an HTTP response body (application/json or text/event-stream).
export function parseMessages(contentType, body) {
  if ((contentType ?? '').includes('text/event-stream')) {
    const out = [];
    for (const line of body.split('\n')) {
      if (line.startsWith('data:')) {
        const data = line.slice(5).trim();
        if (data) out.push(JSON.parse(data));
      }
    }
    return out;
  }
  if (body.trim().length === 0) return [];
  const v = JSON.parse(body);
  return Array.isArray(v) ? v : [v];
}

// Throws unless `msg` is a successful, non-isError response.
export function checkToolResult(msg, id) {
  if (!msg || msg.id !== id) throw new Error(`no response with id ${id}`);
  if (msg.error) throw new Error(`JSON-RPC error ${msg.error.code}: ${msg.error.message}`);
  if (msg.result?.isError) throw new Error(`tool error: ${JSON.stringify(msg.result.content)}`);
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

// Resident set size of a process in KiB (Linux /proc), or NaN.
export function rssKiB(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

export const fmt = (x, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : 'nan');

// One result line: `BENCH key=value ...` (machine-readable) and, with --json, a JSON line.
export function report(fields, asJson) {
  if (asJson) console.log(JSON.stringify(fields));
  else console.log(`BENCH ${Object.entries(fields).map(([k, v]) => `${k}=${v}`).join(' ')}`);
}
