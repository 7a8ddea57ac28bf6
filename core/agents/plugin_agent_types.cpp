#include "core/agents/plugin_agent_types.hpp"

#include <utility>

namespace switchboard::core {

PluginAgentTypes::PluginAgentTypes(PluginRegistry* registry,
                                   std::map<std::string, std::string> plugin_configs)
    : registry_(registry), plugin_configs_(std::move(plugin_configs)) {}

std::vector<std::string> PluginAgentTypes::agentTypeNames() const {
  return registry_->usable(PluginKind::kAgent);
}

Result<std::shared_ptr<AgentType>> PluginAgentTypes::agentType(const std::string& name) {
  {
    std::lock_guard lock(mu_);
    auto it = types_.find(name);
    if (it != types_.end()) return it->second;
  }
  auto config = plugin_configs_.find(name);
  // The factory runs without the lock; if two threads race, the first object stored wins.
  Result<std::shared_ptr<AgentType>> created = registry_->create<AgentType>(
      name, config == plugin_configs_.end() ? std::string_view("{}") : config->second);
  if (!created.ok()) return created.status();
  std::lock_guard lock(mu_);
  auto [it, inserted] = types_.emplace(name, *created);
  return it->second;
}

}  // namespace switchboard::core
