// PluginAgentTypes: the AgentTypeCatalog of the gateway, backed by the plugin registry.
//
// Each loaded agent plugin is instantiated once, on first use, with the plugin config the
// gateway's config gives for it ("{}" when none), and the object is reused for every agent
// of that type. The registry must outlive this object; the type objects keep their
// libraries loaded.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/agents/agent_type_catalog.hpp"
#include "core/plugin_host/plugin_registry.hpp"

namespace switchboard::core {

class PluginAgentTypes final : public AgentTypeCatalog {
 public:
  // `plugin_configs` maps a plugin name to its instance config (JSON text).
  PluginAgentTypes(PluginRegistry* registry, std::map<std::string, std::string> plugin_configs);

  std::vector<std::string> agentTypeNames() const override;
  Result<std::shared_ptr<AgentType>> agentType(const std::string& name) override;

 private:
  PluginRegistry* registry_;
  std::map<std::string, std::string> plugin_configs_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<AgentType>> types_;  // guarded by mu_
};

}  // namespace switchboard::core
