#include "plugins/agent/scripted/scripted_agent.hpp"

#include <exception>

#include "plugins/agent/scripted/script_player.hpp"

namespace switchboard::plugins {
namespace {

// agent_config.schema.json, embedded at build time.
constexpr const char* kAgentConfigSchema =
#include "scripted_agent_config_schema.inc"
    ;

}  // namespace

std::string ScriptedAgent::agentConfigSchema() const { return kAgentConfigSchema; }

Result<std::unique_ptr<Agent>> ScriptedAgent::createAgent(const AgentSpec& spec) {
  try {
    Result<std::unique_ptr<ScriptPlayer>> player = ScriptPlayer::create(spec, timer_);
    if (!player.ok()) return player.status();
    return std::unique_ptr<Agent>(std::move(*player));
  } catch (const std::exception& e) {
    return Status::internal(std::string("scripted agent: ") + e.what());
  }
}

}  // namespace switchboard::plugins
