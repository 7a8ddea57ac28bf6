// ControlChannel: the host's side of Claude Code's stream-json control protocol for one run
// (`claude -p --input-format stream-json --permission-prompt-tool stdio`, notes §3.3-3.4).
// It makes every line written to the CLI's stdin: the prompt as one user message, the
// answer to each control request the CLI sends, and the interrupt that asks it to stop.
//
// Answers:
//   can_use_tool → the agent's ToolPolicy decides: {"behavior":"allow","updatedInput":<the
//     input, unchanged>} or {"behavior":"deny","message":<the policy's message>}; the
//     decision is also returned as a record for the reply's "tool_decisions" and as a
//     progress line ("tool allowed: Bash git status (rule \"Bash(git *)\")").
//   any other subtype (hook_callback, elicitation, mcp_message, ...) → an error response
//     naming the subtype, so the CLI never waits for an answer that will not come.
//
// Thread safety: answer() and userMessage() are const and pure; interruptRequest() counts
// its ids and must not race with itself (the run calls it under its lock).
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "plugins/agent/claude_code/stream_json_parser.hpp"
#include "plugins/agent/claude_code/tool_policy.hpp"

namespace switchboard::plugins {

class ControlChannel {
 public:
  struct Answer {
    std::string line;                        // the control_response, '\n'-terminated
    std::string progress;                    // one line for the host
    std::optional<nlohmann::json> decision;  // can_use_tool only: see decisionRecord
  };

  explicit ControlChannel(std::shared_ptr<const ToolPolicy> policy);

  // {"type":"user","message":{"role":"user","content":<prompt>}} and '\n'.
  static std::string userMessage(std::string_view prompt);
  // A control_request {"subtype":"interrupt"} with a fresh request id, and '\n'.
  std::string interruptRequest();
  Answer answer(const ControlRequest& request) const;

  // The record of one can_use_tool decision: {"tool_use_id", "tool", "input" (the matched
  // field, or the input JSON, cut to 200 bytes), "decision": "allow"|"deny", "rule" (or
  // null when the default decided), "message" (deny only)}.
  static nlohmann::json decisionRecord(const ControlRequest& request, const ToolDecision& decision);

 private:
  std::shared_ptr<const ToolPolicy> policy_;
  std::uint64_t next_id_ = 1;
};

}  // namespace switchboard::plugins
