// Exports the anthropic agent type: ModelAgentType speaking AnthropicDialect. Its instance
// config (config.schema.json) holds defaults and the price table; each agent's own config
// is agent_config.schema.json.
#include <memory>

#include "plugins/agent/anthropic/anthropic_dialect.hpp"
#include "plugins/support/model_api/model_agent_type.hpp"
#include "switchboard/export.hpp"

namespace switchboard::plugins {
namespace {

// agent_config.schema.json, embedded at build time.
constexpr const char* kAgentConfigSchema =
#include "anthropic_agent_config_schema.inc"
    ;

Result<std::unique_ptr<AgentType>> makeAnthropicAgent(const PluginContext& context) {
  ModelDefaults defaults{"anthropic", "https://api.anthropic.com", "ANTHROPIC_API_KEY",
                         /*key_required=*/true};
  return std::unique_ptr<AgentType>(std::make_unique<ModelAgentType>(
      std::make_shared<AnthropicDialect>(), std::move(defaults), context.config_json,
      kAgentConfigSchema, context.host, context.data_dir));
}

}  // namespace
}  // namespace switchboard::plugins

SB_PLUGIN(switchboard::AgentType, "switchboard.agent.anthropic", "0.1.0",
          switchboard::plugins::makeAnthropicAgent)
