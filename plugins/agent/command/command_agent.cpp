#include "plugins/agent/command/command_agent.hpp"

#include <exception>

#include "plugins/agent/command/command_worker.hpp"

namespace switchboard::plugins {
namespace {

// agent_config.schema.json, embedded at build time.
constexpr const char* kAgentConfigSchema =
#include "command_agent_config_schema.inc"
    ;

}  // namespace

std::string CommandAgent::agentConfigSchema() const { return kAgentConfigSchema; }

Result<std::unique_ptr<Agent>> CommandAgent::createAgent(const AgentSpec& spec) {
  try {
    Result<CommandOptions> options = CommandOptions::parse(spec.config_json);
    if (!options.ok()) return options.status();
    Result<std::unique_ptr<CommandWorker>> worker =
        CommandWorker::create(host_, spec, std::move(*options));
    if (!worker.ok()) return worker.status();
    return std::unique_ptr<Agent>(std::move(*worker));
  } catch (const std::exception& e) {
    return Status::internal(std::string("command agent: ") + e.what());
  }
}

}  // namespace switchboard::plugins
