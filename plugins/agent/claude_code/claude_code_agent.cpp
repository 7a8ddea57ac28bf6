#include "plugins/agent/claude_code/claude_code_agent.hpp"

#include <exception>
#include <filesystem>
#include <system_error>

#include "plugins/agent/claude_code/claude_code_worker.hpp"

namespace switchboard::plugins {
namespace {

// agent_config.schema.json, embedded at build time.
constexpr const char* kAgentConfigSchema =
#include "claude_code_agent_config_schema.inc"
    ;

}  // namespace

ClaudeCodeAgent::ClaudeCodeAgent(Host* host, ClaudePluginSettings settings)
    : host_(host), settings_(std::move(settings)), timer_(std::make_shared<DeadlineTimer>()) {}

std::string ClaudeCodeAgent::agentConfigSchema() const { return kAgentConfigSchema; }

Result<std::unique_ptr<Agent>> ClaudeCodeAgent::createAgent(const AgentSpec& spec) {
  try {
    Result<ClaudeOptions> options = ClaudeOptions::parse(settings_, spec);
    if (!options.ok()) return options.status();
    std::error_code ec;
    std::filesystem::create_directories(options->workspace, ec);
    if (ec || !std::filesystem::is_directory(options->workspace)) {
      return Status::failedPrecondition("cannot create the workspace " + options->workspace + ": " +
                                        (ec ? ec.message() : std::string("not a directory")));
    }
    return std::unique_ptr<Agent>(
        std::make_unique<ClaudeCodeWorker>(host_, spec.id, std::move(*options), timer_));
  } catch (const std::exception& e) {
    return Status::internal(std::string("claude_code agent: ") + e.what());
  }
}

}  // namespace switchboard::plugins
