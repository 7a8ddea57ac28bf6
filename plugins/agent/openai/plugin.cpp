// Exports the openai agent type: ModelAgentType speaking OpenAIDialect. Its instance
// config (config.schema.json) holds defaults and the price table; each agent's own config
// is agent_config.schema.json.
#include <memory>

#include "plugins/agent/openai/openai_dialect.hpp"
#include "plugins/support/model_api/model_agent_type.hpp"
#include "switchboard/export.hpp"

namespace switchboard::plugins {
namespace {

// agent_config.schema.json, embedded at build time.
constexpr const char* kAgentConfigSchema =
#include "openai_agent_config_schema.inc"
    ;

Result<std::unique_ptr<AgentType>> makeOpenAIAgent(const PluginContext& context) {
  ModelDefaults defaults{"openai", "https://api.openai.com/v1", "OPENAI_API_KEY",
                         /*key_required=*/false};
  return std::unique_ptr<AgentType>(std::make_unique<ModelAgentType>(
      std::make_shared<OpenAIDialect>(), std::move(defaults), context.config_json,
      kAgentConfigSchema, context.host, context.data_dir));
}

}  // namespace
}  // namespace switchboard::plugins

SB_PLUGIN(switchboard::AgentType, "switchboard.agent.openai", "0.1.0",
          switchboard::plugins::makeOpenAIAgent)
