// Exports the scripted agent type. Its instance config is empty; each agent's script is
// its own config (see agent_config.schema.json).
#include <memory>

#include "plugins/agent/scripted/scripted_agent.hpp"
#include "switchboard/export.hpp"

namespace switchboard::plugins {
namespace {

Result<std::unique_ptr<AgentType>> makeScriptedAgent(const PluginContext& /*context*/) {
  return std::unique_ptr<AgentType>(std::make_unique<ScriptedAgent>());
}

}  // namespace
}  // namespace switchboard::plugins

SB_PLUGIN(switchboard::AgentType, "switchboard.agent.scripted", "0.1.0",
          switchboard::plugins::makeScriptedAgent)
