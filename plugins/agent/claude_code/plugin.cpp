// Exports the claude_code agent type. Its instance config holds defaults for every agent
// (config.schema.json); each agent's own config is agent_config.schema.json.
#include <memory>

#include "plugins/agent/claude_code/claude_code_agent.hpp"
#include "switchboard/export.hpp"

namespace switchboard::plugins {
namespace {

Result<std::unique_ptr<AgentType>> makeClaudeCodeAgent(const PluginContext& context) {
  if (context.host == nullptr)
    return Status::invalidArgument("the claude_code agent needs a host to run processes");
  Result<ClaudePluginSettings> settings =
      ClaudePluginSettings::parse(context.config_json, context.data_dir);
  if (!settings.ok()) return settings.status();
  return std::unique_ptr<AgentType>(
      std::make_unique<ClaudeCodeAgent>(context.host, std::move(*settings)));
}

}  // namespace
}  // namespace switchboard::plugins

SB_PLUGIN(switchboard::AgentType, "switchboard.agent.claude_code", "0.1.0",
          switchboard::plugins::makeClaudeCodeAgent)
