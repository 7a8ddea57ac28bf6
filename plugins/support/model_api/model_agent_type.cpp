#include "plugins/support/model_api/model_agent_type.hpp"

#include <exception>

#include "plugins/support/model_api/model_worker.hpp"

namespace switchboard::plugins {

ModelAgentType::ModelAgentType(std::shared_ptr<const ModelDialect> dialect, ModelDefaults defaults,
                               std::string_view plugin_config, std::string agent_config_schema,
                               Host* host)
    : dialect_(std::move(dialect)),
      defaults_(std::move(defaults)),
      plugin_config_(plugin_config),
      agent_config_schema_(std::move(agent_config_schema)),
      host_(host) {}

Result<std::unique_ptr<Agent>> ModelAgentType::createAgent(const AgentSpec& spec) {
  try {
    Result<ModelSettings> settings = ModelSettings::parse(defaults_, plugin_config_, spec);
    if (!settings.ok()) return settings.status();
    return std::unique_ptr<Agent>(
        std::make_unique<ModelWorker>(dialect_, std::move(*settings), host_, spec.id));
  } catch (const std::exception& e) {
    return Status::internal(defaults_.type_name + " agent: " + e.what());
  }
}

}  // namespace switchboard::plugins
