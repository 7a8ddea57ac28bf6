// ClaudeCodeAgent: the `claude_code` agent type. Its agents run the Claude Code CLI
// (`claude -p --output-format stream-json --verbose`) through the host's supervisor, one
// process per request, in the agent's own workspace (see ClaudeCodeWorker, ClaudeRun).
//
// Ownership: the host owns the type and keeps it alive while its agents live; the type
// owns the deadline timer its agents share (its thread is joined when the last of them
// is gone). Thread safety: createAgent() may be called from any thread.
#pragma once

#include <memory>
#include <string>

#include "plugins/agent/claude_code/claude_options.hpp"
#include "plugins/agent/claude_code/deadline_timer.hpp"
#include "switchboard/agent.hpp"
#include "switchboard/plugin.hpp"

namespace switchboard::plugins {

class ClaudeCodeAgent : public AgentType {
 public:
  ClaudeCodeAgent(Host* host, ClaudePluginSettings settings);

  std::string agentConfigSchema() const override;
  // InvalidArgument when the config is malformed or there is no workspace to use;
  // FailedPrecondition when the workspace cannot be created.
  Result<std::unique_ptr<Agent>> createAgent(const AgentSpec& spec) override;

 private:
  Host* host_;
  const ClaudePluginSettings settings_;
  std::shared_ptr<DeadlineTimer> timer_;
};

}  // namespace switchboard::plugins
