#include "plugins/agent/claude_code/claude_options.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "plugins/support/json_object.hpp"

namespace switchboard::plugins {
namespace {

using nlohmann::json;

Status readEnv(const json& config, std::map<std::string, std::string>& env) {
  auto it = config.find("env");
  if (it == config.end()) return {};
  if (!it->is_object()) return Status::invalidArgument("env must be an object of strings");
  for (const auto& [name, value] : it->items()) {
    if (!value.is_string() || name.empty() || name.find('=') != std::string::npos) {
      return Status::invalidArgument("env." + name + " must be a string");
    }
    env[name] = value.get<std::string>();
  }
  return {};
}

Status readRules(const json& config, const char* key, std::vector<std::string>& out) {
  auto it = config.find(key);
  if (it == config.end()) return {};
  if (!it->is_array())
    return Status::invalidArgument(std::string(key) + " must be an array of strings");
  for (const json& rule : *it) {
    if (!rule.is_string() || rule.get<std::string>().empty()) {
      return Status::invalidArgument(std::string(key) + " must hold non-empty strings");
    }
    out.push_back(rule.get<std::string>());
  }
  return {};
}

// Agent ids become folder names: keep them to one safe path component.
std::string folderName(const std::string& id) {
  std::string out;
  for (char c : id) {
    bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '-' || c == '.';
    out.push_back(safe ? c : '_');
  }
  if (out.empty() || out == "." || out == "..") out = "_" + out;
  return out;
}

std::string budgetText(double usd) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.10g", usd);
  return buffer;
}

Status readProgram(const json& config, const char* key, std::string& out) {
  auto it = config.find(key);
  if (it == config.end()) return {};
  if (!it->is_string() || it->get<std::string>().empty()) {
    return Status::invalidArgument(std::string(key) + " must be a non-empty string");
  }
  out = it->get<std::string>();
  return {};
}

std::int64_t smallerLimit(std::int64_t a, std::int64_t b) {
  if (a <= 0) return std::max<std::int64_t>(b, 0);
  if (b <= 0) return a;
  return std::min(a, b);
}

}  // namespace

Result<ClaudePluginSettings> ClaudePluginSettings::parse(std::string_view config_json,
                                                         std::string_view data_dir) {
  Result<json> config = parseJsonObject(config_json, "the claude_code plugin config");
  if (!config.ok()) return config.status();
  ClaudePluginSettings s;
  s.data_dir = std::string(data_dir);
  if (auto it = config->find("claude_path"); it != config->end()) {
    if (!it->is_string() || it->get<std::string>().empty()) {
      return Status::invalidArgument("claude_path must be a non-empty string");
    }
    s.claude_path = it->get<std::string>();
  }
  SB_RETURN_IF_ERROR(readProgram(*config, "git_path", s.git_path));
  SB_RETURN_IF_ERROR(readEnv(*config, s.env));
  return s;
}

Result<ClaudeOptions> ClaudeOptions::parse(const ClaudePluginSettings& plugin,
                                           const AgentSpec& spec) {
  Result<json> parsed = parseJsonObject(spec.config_json, "the claude_code agent config");
  if (!parsed.ok()) return parsed.status();
  const json& config = *parsed;
  ClaudeOptions o;
  o.program = plugin.claude_path;
  o.git_program = plugin.git_path;
  o.model = spec.model;
  o.system_prompt = spec.system_prompt;
  SB_RETURN_IF_ERROR(readProgram(config, "claude_path", o.program));
  SB_RETURN_IF_ERROR(readProgram(config, "git_path", o.git_program));
  if (auto it = config.find("workspace"); it != config.end()) {
    if (!it->is_string() || it->get<std::string>().empty()) {
      return Status::invalidArgument("workspace must be a non-empty string");
    }
    o.workspace = it->get<std::string>();
  } else if (!plugin.data_dir.empty()) {
    o.workspace =
        (std::filesystem::path(plugin.data_dir) / "workspaces" / folderName(spec.id)).string();
  } else {
    return Status::invalidArgument(
        "the agent has no workspace: set \"workspace\" (the gateway has no data folder)");
  }
  std::map<std::string, std::string> env = plugin.env;
  SB_RETURN_IF_ERROR(readEnv(config, env));
  for (const auto& [name, value] : env) o.env.push_back(name + "=" + value);

  auto readInt = [&](const char* key, std::int64_t& out, std::int64_t min) -> Status {
    auto it = config.find(key);
    if (it == config.end()) return {};
    if (!it->is_number_integer() || it->get<std::int64_t>() < min) {
      return Status::invalidArgument(std::string(key) +
                                     " must be an integer >= " + std::to_string(min));
    }
    out = it->get<std::int64_t>();
    return {};
  };
  SB_RETURN_IF_ERROR(readInt("timeout_ms", o.timeout_ms, 1));
  SB_RETURN_IF_ERROR(readInt("kill_grace_ms", o.kill_grace_ms, 0));
  SB_RETURN_IF_ERROR(readInt("max_turns", o.max_turns, 1));
  if (auto it = config.find("max_budget_usd"); it != config.end()) {
    if (!it->is_number() || it->get<double>() <= 0)
      return Status::invalidArgument("max_budget_usd must be > 0");
    o.max_budget_usd = it->get<double>();
  }
  if (auto it = config.find("permission_mode"); it != config.end()) {
    if (!it->is_string()) return Status::invalidArgument("permission_mode must be a string");
    o.permission_mode = it->get<std::string>();
  }
  SB_RETURN_IF_ERROR(readRules(config, "allowed_tools", o.allowed_tools));
  SB_RETURN_IF_ERROR(readRules(config, "disallowed_tools", o.disallowed_tools));
  if (auto it = config.find("mcp_servers"); it != config.end()) {
    if (!it->is_object()) return Status::invalidArgument("mcp_servers must be an object");
    o.mcp_config_json = json{{"mcpServers", *it}}.dump();
  }
  if (auto it = config.find("control_channel"); it != config.end()) {
    if (!it->is_boolean()) return Status::invalidArgument("control_channel must be true or false");
    o.control_channel = it->get<bool>();
  }
  auto policy_config = config.find("tool_policy");
  Result<ToolPolicy> policy =
      ToolPolicy::parse(policy_config == config.end() ? nullptr : &*policy_config);
  if (!policy.ok()) return policy.status();
  if (policy->configured() && !o.control_channel) {
    return Status::invalidArgument(
        "tool_policy needs the control channel (the CLI asks for permission only over it); "
        "remove \"control_channel\": false or the tool_policy");
  }
  if (policy->configured() && !o.permission_mode.empty() && o.permission_mode != "default" &&
      o.permission_mode != "manual") {
    return Status::invalidArgument(
        "with permission_mode " + o.permission_mode +
        " claude runs some tools without asking, so the tool_policy would not see them; "
        "leave permission_mode out (or \"default\") or drop the tool_policy");
  }
  if (policy->configured() && !o.allowed_tools.empty()) {
    return Status::invalidArgument(
        "allowed_tools are run without asking, so the tool_policy would not see them; "
        "move those rules to tool_policy.allow");
  }
  o.tool_policy = std::make_shared<const ToolPolicy>(std::move(*policy));
  if (auto it = config.find("git_worktree"); it != config.end()) {
    Result<WorktreeOptions> worktree =
        WorktreeOptions::parse(*it, o.workspace, folderName(spec.id));
    if (!worktree.ok()) return worktree.status();
    o.worktree = std::move(*worktree);
  }
  return o;
}

Result<ClaudeInvocation> ClaudeOptions::invocation(const AgentRequest& request,
                                                   const std::string& remembered_session) const {
  json input = json::parse(request.input_json.empty() ? std::string("{}") : request.input_json,
                           nullptr, false);
  if (input.is_discarded()) return Status::invalidArgument("the request input is not JSON");
  std::string prompt;
  if (input.is_object() && input.contains("prompt") && input["prompt"].is_string()) {
    prompt = input["prompt"].get<std::string>();
  } else if (input.is_string()) {
    prompt = input.get<std::string>();
  } else if (!(input.is_object() && input.empty())) {
    prompt = input.dump();
  }
  if (prompt.empty()) return Status::invalidArgument("the request has no prompt");

  ClaudeInvocation inv;
  inv.timeout_ms = smallerLimit(timeout_ms, request.timeout_ms);
  inv.max_turns = smallerLimit(max_turns, request.max_turns);
  inv.max_budget_usd = max_budget_usd;
  if (request.max_cost_usd > 0 &&
      (inv.max_budget_usd <= 0 || request.max_cost_usd < inv.max_budget_usd)) {
    inv.max_budget_usd = request.max_cost_usd;
  }
  inv.resumed_session = request.session_id.empty() ? remembered_session : request.session_id;
  inv.prompt = prompt;

  std::vector<std::string>& a = inv.argv;
  a = {program, "-p", "--output-format", "stream-json", "--verbose"};
  if (control_channel) {
    a.insert(a.end(), {"--input-format", "stream-json", "--permission-prompt-tool", "stdio"});
  }
  if (!model.empty()) a.insert(a.end(), {"--model", model});
  if (!system_prompt.empty()) a.insert(a.end(), {"--append-system-prompt", system_prompt});
  auto joinedRules = [](const std::vector<std::string>& rules) {
    std::string out;
    for (const std::string& r : rules) out += (out.empty() ? "" : ",") + r;
    return out;
  };
  if (!allowed_tools.empty()) a.insert(a.end(), {"--allowedTools", joinedRules(allowed_tools)});
  if (!disallowed_tools.empty())
    a.insert(a.end(), {"--disallowedTools", joinedRules(disallowed_tools)});
  if (!permission_mode.empty()) a.insert(a.end(), {"--permission-mode", permission_mode});
  // With a policy only the user's settings load: a checkout's .claude/settings*.json (which
  // the agent itself could write) never pre-approves a tool the policy would be asked about.
  if (tool_policy && tool_policy->configured()) a.insert(a.end(), {"--setting-sources", "user"});
  if (inv.max_turns > 0) a.insert(a.end(), {"--max-turns", std::to_string(inv.max_turns)});
  if (inv.max_budget_usd > 0)
    a.insert(a.end(), {"--max-budget-usd", budgetText(inv.max_budget_usd)});
  // Always strict: the user's own (or a checkout's .mcp.json) servers never load.
  a.insert(a.end(), {"--strict-mcp-config", "--mcp-config", mcp_config_json});
  if (!inv.resumed_session.empty()) a.insert(a.end(), {"--resume", inv.resumed_session});
  // After "--" a prompt that starts with '-' is not taken for an option. With the channel
  // the prompt goes to stdin instead (no argv size limit, not shown by ps).
  if (!control_channel) a.insert(a.end(), {"--", prompt});
  return inv;
}

ProcessSpec ClaudeOptions::processSpec(std::vector<std::string> argv,
                                       const std::string& owner) const {
  ProcessSpec spec;
  spec.argv = std::move(argv);
  spec.env = env;
  spec.inherit_env = true;
  spec.cwd = cwd();
  spec.owner = owner;
  // Without the channel stdin is /dev/null: -p with an open silent stdin waits 3 s for it.
  spec.pipe_stdin = control_channel;
  return spec;
}

ProcessSpec ClaudeOptions::gitProcessSpec(const std::string& owner) const {
  ProcessSpec spec;
  spec.argv = {git_program};
  spec.env = env;
  spec.env.insert(spec.env.end(), {"GIT_TERMINAL_PROMPT=0", "LC_ALL=C"});
  spec.inherit_env = true;
  spec.cwd = workspace;
  spec.owner = owner;
  return spec;
}

}  // namespace switchboard::plugins
