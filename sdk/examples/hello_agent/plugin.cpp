// The plugin's one export: SB_PLUGIN wraps makeHello in the versioned descriptor.
#include <memory>

#include "hello_agent.hpp"
#include "switchboard/export.hpp"

namespace {

switchboard::Result<std::unique_ptr<switchboard::AgentType>> makeHello(
    const switchboard::PluginContext& context) {
  switchboard::Result<hello::HelloConfig> config = hello::parseConfig(context.config_json, {});
  if (!config.ok()) return config.status();
  context.host->log(switchboard::LogLevel::kDebug, "greeting with '" + config->greeting + "'");
  return std::unique_ptr<switchboard::AgentType>(
      std::make_unique<hello::HelloAgentType>(std::move(*config)));
}

}  // namespace

SB_PLUGIN(switchboard::AgentType, "example.agent.hello", "1.0.0", makeHello)
