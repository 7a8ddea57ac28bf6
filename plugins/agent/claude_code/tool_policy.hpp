// ToolPolicy: how a Claude Code agent answers the CLI's permission prompts (can_use_tool
// control requests): the agent config's "tool_policy" object.
//
//   {"allow": ["Bash(git *)", "Write", "mcp__gateway__*"],   rules, see tool_rule.hpp
//    "deny": ["Bash(git push *)"],
//    "default": "deny",                                       when no rule matches
//    "deny_message": "Ask the reviewer agent instead."}       told to the model on a deny
//
// Write, Edit, MultiEdit and NotebookEdit of anything in a .claude folder (Claude Code's
// settings, hooks, permissions) are always denied, by the built-in rule kSettingsRule.
// A call matching any deny rule is denied; else one matching any allow rule is allowed;
// else the default decides ("deny" unless configured). A denied call's message is the
// deny_message (or a standard sentence) followed by the reason in parentheses, which names
// the deny rule that matched or says that no allow rule did.
//
// Without a "tool_policy" the agent has the empty policy: every prompt is denied (what
// `claude -p` does by itself), but now each one is reported.
//
// Thread safety: immutable after parse().
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "plugins/agent/claude_code/tool_rule.hpp"
#include "switchboard/status.hpp"

namespace switchboard::plugins {

struct ToolDecision {
  bool allow = false;
  std::string rule;     // the rule that decided; "" when the default did
  std::string message;  // a deny's message for the model; "" for an allow
};

class ToolPolicy {
 public:
  static constexpr std::string_view kStandardDenyMessage =
      "The agent's tool policy does not allow this tool call.";
  static constexpr std::string_view kSettingsRule = "(built in: no writes under .claude/)";

  // `config` is the "tool_policy" object, or null for none. InvalidArgument naming the
  // field or rule that is wrong.
  static Result<ToolPolicy> parse(const nlohmann::json* config);

  ToolDecision decide(std::string_view tool_name, const nlohmann::json& input) const;

  bool configured() const { return configured_; }

 private:
  std::vector<ToolRule> allow_;
  std::vector<ToolRule> deny_;
  bool default_allow_ = false;
  bool configured_ = false;
  std::string deny_message_ = std::string(kStandardDenyMessage);
};

}  // namespace switchboard::plugins
