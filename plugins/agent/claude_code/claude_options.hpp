// ClaudeOptions: one Claude Code agent's settings (the plugin config merged with the
// agent's config, agent_config.schema.json), read once when the agent is created, and the
// command line of one request.
//
// Thread safety: immutable after parse().
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "switchboard/agent.hpp"
#include "switchboard/process.hpp"
#include "switchboard/status.hpp"

namespace switchboard::plugins {

// The plugin instance config (config.schema.json) and the host's data folder.
struct ClaudePluginSettings {
  std::string claude_path = "claude";
  std::map<std::string, std::string> env;
  std::string data_dir;

  // InvalidArgument when config_json is not an object of the schema's shape.
  static Result<ClaudePluginSettings> parse(std::string_view config_json,
                                            std::string_view data_dir);
};

// What one request runs, and the limits that applied to it.
struct ClaudeInvocation {
  std::vector<std::string> argv;
  std::int64_t timeout_ms = 0;
  std::int64_t max_turns = 0;   // 0 = none passed
  double max_budget_usd = 0.0;  // 0 = none passed
  std::string resumed_session;  // "" = a new session
};

struct ClaudeOptions {
  std::string program;
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

  // InvalidArgument when the agent config is malformed, or when there is neither a
  // workspace nor a data folder to put one in. Does not touch the file system.
  static Result<ClaudeOptions> parse(const ClaudePluginSettings& plugin, const AgentSpec& spec);

  // The command line of `request`; `remembered_session` is resumed unless the request names
  // its own. InvalidArgument when the request input is not JSON or has an empty prompt.
  Result<ClaudeInvocation> invocation(const AgentRequest& request,
                                      const std::string& remembered_session) const;

  ProcessSpec processSpec(std::vector<std::string> argv, const std::string& owner) const;
};

}  // namespace switchboard::plugins
