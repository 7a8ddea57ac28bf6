// ClaudeOptions: one Claude Code agent's settings (the plugin config merged with the
// agent's config, agent_config.schema.json), read once when the agent is created, and the
// command line of one request.
//
// Two ways to run claude:
//   control channel (the default): `--input-format stream-json --permission-prompt-tool
//     stdio` with a stdin pipe; the prompt goes in as one user message, can_use_tool prompts
//     are answered from the tool policy, and cancel sends an interrupt (control_channel.hpp).
//   "control_channel": false: the prompt is the last argument and stdin is /dev/null;
//     nothing is ever asked (the CLI denies what its own rules do not allow) and cancel is
//     SIGTERM. A tool_policy needs the channel, so the two are rejected together.
// With "git_worktree" the processes run in the agent's worktree (worktree_plan.hpp) instead
// of the workspace itself.
//
// Thread safety: immutable after parse().
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plugins/agent/claude_code/tool_policy.hpp"
#include "plugins/agent/claude_code/worktree_plan.hpp"
#include "switchboard/agent.hpp"
#include "switchboard/process.hpp"
#include "switchboard/status.hpp"

namespace switchboard::plugins {

// The plugin instance config (config.schema.json) and the host's data folder.
struct ClaudePluginSettings {
  std::string claude_path = "claude";
  std::string git_path = "git";
  std::map<std::string, std::string> env;
  std::string data_dir;

  // InvalidArgument when config_json is not an object of the schema's shape.
  static Result<ClaudePluginSettings> parse(std::string_view config_json,
                                            std::string_view data_dir);
};

// What one request runs, and the limits that applied to it.
struct ClaudeInvocation {
  std::vector<std::string> argv;
  std::string prompt;  // in argv, or (control channel) the user message to write
  std::int64_t timeout_ms = 0;
  std::int64_t max_turns = 0;   // 0 = none passed
  double max_budget_usd = 0.0;  // 0 = none passed
  std::string resumed_session;  // "" = a new session
};

struct ClaudeOptions {
  std::string program;
  std::string git_program = "git";
  std::string workspace;
  std::vector<std::string> env;  // NAME=value, added to the inherited environment
  std::int64_t timeout_ms = 600000;
  std::int64_t kill_grace_ms = 2000;
  std::int64_t max_turns = 0;
  double max_budget_usd = 0.0;
  std::string permission_mode;
  std::vector<std::string> allowed_tools;
  std::vector<std::string> disallowed_tools;
  std::string mcp_config_json = R"({"mcpServers":{}})";
  std::string model;
  std::string system_prompt;
  bool control_channel = true;
  std::shared_ptr<const ToolPolicy> tool_policy = std::make_shared<const ToolPolicy>();
  std::optional<WorktreeOptions> worktree;

  // InvalidArgument when the agent config is malformed (the message names the field), when
  // there is neither a workspace nor a data folder to put one in, or when a tool_policy is
  // given that the CLI would not consult for every tool (no control channel, allowed_tools,
  // or a permission_mode other than default/manual). Does not touch the file system.
  static Result<ClaudeOptions> parse(const ClaudePluginSettings& plugin, const AgentSpec& spec);

  // The command line of `request`; `remembered_session` is resumed unless the request names
  // its own. InvalidArgument when the request input is not JSON or has an empty prompt.
  Result<ClaudeInvocation> invocation(const AgentRequest& request,
                                      const std::string& remembered_session) const;

  // Where claude runs: the worktree when there is one, else the workspace.
  const std::string& cwd() const { return worktree ? worktree->path : workspace; }
  // claude's process: in cwd(), with a stdin pipe when the control channel is on.
  ProcessSpec processSpec(std::vector<std::string> argv, const std::string& owner) const;
  // The base of the git processes of WorktreeSetup (argv = {git_program}).
  ProcessSpec gitProcessSpec(const std::string& owner) const;
};

}  // namespace switchboard::plugins
