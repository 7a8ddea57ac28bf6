// ModelAgentType: an agent type whose agents are ModelWorkers speaking one ModelDialect.
// The `anthropic` and `openai` plugins are each one of these with their own dialect,
// defaults and agent config schema.
//
// Ownership: the host owns the type and keeps it alive while its agents live; agents share
// the dialect. Thread safety: createAgent() may be called from any thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "plugins/support/model_api/model_dialect.hpp"
#include "plugins/support/model_api/model_settings.hpp"
#include "switchboard/agent.hpp"
#include "switchboard/plugin.hpp"

namespace switchboard::plugins {

class ModelAgentType : public AgentType {
 public:
  ModelAgentType(std::shared_ptr<const ModelDialect> dialect, ModelDefaults defaults,
                 std::string_view plugin_config, std::string agent_config_schema, Host* host);

  std::string agentConfigSchema() const override { return agent_config_schema_; }
  // InvalidArgument when the settings cannot describe a working agent (see ModelSettings).
  Result<std::unique_ptr<Agent>> createAgent(const AgentSpec& spec) override;

 private:
  const std::shared_ptr<const ModelDialect> dialect_;
  const ModelDefaults defaults_;
  const std::string plugin_config_;
  const std::string agent_config_schema_;
  Host* const host_;
};

}  // namespace switchboard::plugins
