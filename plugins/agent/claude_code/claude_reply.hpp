// makeClaudeReply: the AgentReply of one finished Claude Code run, from what its stdout
// said (the parser's result line, if any), how the process ended and why we stopped it.
//
// Rules (the CLI's result line is authoritative, see stream_json_parser.hpp):
//   cancelled by us: Cancelled; our timeout fired (and no successful result): DeadlineExceeded;
//   a result with is_error false: OK, output {"text", "session_id", "num_turns",
//   "terminal_reason"}, plus "tool_decisions" (the control channel's permission decisions,
//   ControlChannel::decisionRecord; "tool_decisions_dropped" counts any past the first 200)
//   and "worktree" (the git worktree claude ran in) when they apply;
//   error_max_budget_usd / budget_exhausted: ResourceExhausted with what was spent;
//   error_max_turns: ResourceExhausted "max turns N reached"; a transient API error (HTTP
//   429/5xx, api_error connection_failed, overloaded, rate limit, timeout): Unavailable;
//   any other error result (including "Not logged in"): Internal with the errors and the
//   stderr tail; no result line: NotFound when --resume named an unknown session, else
//   Unavailable "claude <ProcessExit::describe()> without a result line; stderr: <tail>".
// Usage is the parser's, plus cpu_ms and peak_rss_kb from the final process stats.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "plugins/agent/claude_code/stream_json_parser.hpp"
#include "switchboard/agent.hpp"
#include "switchboard/process.hpp"

namespace switchboard::plugins {

struct RunEnd {
  enum class StoppedBy { kNothing, kCancel, kTimeout };
  StoppedBy stopped_by = StoppedBy::kNothing;
  std::int64_t timeout_ms = 0;  // the limit that applied (for the timeout message)
  std::int64_t max_turns = 0;   // --max-turns passed, 0 = none
  double max_budget_usd = 0.0;  // --max-budget-usd passed, 0 = none
  ProcessExit exit;
  ProcessStats stats;
  std::string stderr_text;               // what the process wrote on stderr (its tail is quoted)
  nlohmann::json tool_decisions;         // array with the control channel, else null
  std::int64_t tool_decisions_seen = 0;  // how many there were (the array may be cut)
  std::string worktree;                  // the git worktree claude ran in, or ""
};

AgentReply makeClaudeReply(const StreamJsonParser& parsed, const RunEnd& end);

// The last `max` bytes of `text` as one trimmed line ("" when blank).
std::string stderrTail(std::string_view text, std::size_t max = 2000);

}  // namespace switchboard::plugins
