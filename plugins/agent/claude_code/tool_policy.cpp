#include "plugins/agent/claude_code/tool_policy.hpp"

#include <filesystem>

namespace switchboard::plugins {
namespace {

using nlohmann::json;

Status readRules(const json& config, const char* key, std::vector<ToolRule>& out) {
  auto it = config.find(key);
  if (it == config.end()) return {};
  if (!it->is_array()) {
    return Status::invalidArgument(std::string("tool_policy.") + key +
                                   " must be an array of rule strings");
  }
  for (const json& text : *it) {
    if (!text.is_string()) {
      return Status::invalidArgument(std::string("tool_policy.") + key + " must hold strings");
    }
    Result<ToolRule> rule = ToolRule::parse(text.get<std::string>());
    if (!rule.ok()) return rule.status().withContext(std::string("tool_policy.") + key);
    out.push_back(std::move(*rule));
  }
  return {};
}

// The path a file tool would change when it lies in a .claude folder (Claude Code's own
// settings, hooks and permissions), else "".
std::string claudeSettingsPath(std::string_view tool_name, const json& input) {
  if (tool_name != "Write" && tool_name != "Edit" && tool_name != "MultiEdit" &&
      tool_name != "NotebookEdit") {
    return {};
  }
  if (!input.is_object()) return {};
  auto field = input.find(std::string(ToolRule::patternField(tool_name)));
  if (field == input.end() || !field->is_string()) return {};
  const std::string& raw = field->get_ref<const std::string&>();
  for (const auto& part : std::filesystem::path(raw).lexically_normal()) {
    if (part == ".claude") return raw;
  }
  return {};
}

}  // namespace

Result<ToolPolicy> ToolPolicy::parse(const json* config) {
  ToolPolicy policy;
  if (config == nullptr) return policy;
  if (!config->is_object()) return Status::invalidArgument("tool_policy must be an object");
  for (const auto& [key, value] : config->items()) {
    if (key != "allow" && key != "deny" && key != "default" && key != "deny_message") {
      return Status::invalidArgument("tool_policy has no field \"" + key +
                                     "\" (allow, deny, default, deny_message)");
    }
  }
  policy.configured_ = true;
  SB_RETURN_IF_ERROR(readRules(*config, "allow", policy.allow_));
  SB_RETURN_IF_ERROR(readRules(*config, "deny", policy.deny_));
  if (auto it = config->find("default"); it != config->end()) {
    if (!it->is_string() || (*it != "allow" && *it != "deny")) {
      return Status::invalidArgument("tool_policy.default must be \"allow\" or \"deny\"");
    }
    policy.default_allow_ = *it == "allow";
  }
  if (auto it = config->find("deny_message"); it != config->end()) {
    if (!it->is_string() || it->get<std::string>().empty()) {
      return Status::invalidArgument("tool_policy.deny_message must be a non-empty string");
    }
    policy.deny_message_ = it->get<std::string>();
  }
  return policy;
}

ToolDecision ToolPolicy::decide(std::string_view tool_name, const json& input) const {
  ToolDecision decision;
  if (std::string path = claudeSettingsPath(tool_name, input); !path.empty()) {
    // Else an agent allowed to write could give its next run any permission it likes.
    decision.rule = std::string(kSettingsRule);
    decision.message = deny_message_ + " (" + std::string(tool_name) + " of " + path +
                       ": agents may not change Claude Code's own settings)";
    return decision;
  }
  for (const ToolRule& rule : deny_) {
    if (rule.matches(tool_name, input, ToolRule::Use::kDeny)) {
      decision.rule = rule.text();
      decision.message = deny_message_ + " (" + std::string(tool_name) +
                         " matches the deny rule \"" + rule.text() + "\")";
      return decision;
    }
  }
  for (const ToolRule& rule : allow_) {
    if (rule.matches(tool_name, input, ToolRule::Use::kAllow)) {
      decision.allow = true;
      decision.rule = rule.text();
      return decision;
    }
  }
  decision.allow = default_allow_;
  if (!decision.allow) {
    decision.message =
        deny_message_ + " (" +
        (configured_ ? "no allow rule matches this " + std::string(tool_name) + " call"
                     : std::string("the agent has no tool_policy, so every permission prompt is "
                                   "denied")) +
        ")";
  }
  return decision;
}

}  // namespace switchboard::plugins
