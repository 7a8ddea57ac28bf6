// Exports the command agent type. Its instance config is empty; each agent's program is
// its own config (see agent_config.schema.json).
#include <memory>

#include "plugins/agent/command/command_agent.hpp"
#include "switchboard/export.hpp"

namespace switchboard::plugins {
namespace {

Result<std::unique_ptr<AgentType>> makeCommandAgent(const PluginContext& context) {
  if (context.host == nullptr)
    return Status::invalidArgument("the command agent needs a host to run processes");
  return std::unique_ptr<AgentType>(std::make_unique<CommandAgent>(context.host));
}

}  // namespace
}  // namespace switchboard::plugins

SB_PLUGIN(switchboard::AgentType, "switchboard.agent.command", "0.1.0",
          switchboard::plugins::makeCommandAgent)
