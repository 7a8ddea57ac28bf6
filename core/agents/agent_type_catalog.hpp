// AgentTypeCatalog: where the agent service gets agent types (AgentType plugin objects).
//
// The gateway uses PluginAgentTypes (plugin_agent_types.hpp), which asks the plugin
// registry; tests may implement the interface with in-process types.
//
// Thread safety: both methods may be called from any thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "switchboard/agent.hpp"
#include "switchboard/status.hpp"

namespace switchboard::core {

class AgentTypeCatalog {
 public:
  virtual ~AgentTypeCatalog() = default;
  // Full names of the agent types that can be used, sorted.
  virtual std::vector<std::string> agentTypeNames() const = 0;
  // The type object for a full name (the same object on every call is fine). NotFound when
  // the type is not loaded, or the error the plugin's factory returned.
  virtual Result<std::shared_ptr<AgentType>> agentType(const std::string& name) = 0;
};

}  // namespace switchboard::core
