// ScriptedAgent: the `scripted` agent type. Creates ScriptPlayers from agent specs and owns
// the one ReplyTimer thread that all of its agents share for delayed replies.
//
// Ownership: the host owns the type and keeps it alive while its agents live; each agent
// also shares the timer, so a late reply never touches a destroyed timer.
// Thread safety: createAgent() may be called from any thread.
#pragma once

#include <memory>
#include <string>

#include "plugins/agent/scripted/reply_timer.hpp"
#include "switchboard/agent.hpp"

namespace switchboard::plugins {

class ScriptedAgent : public AgentType {
 public:
  ScriptedAgent() : timer_(std::make_shared<ReplyTimer>()) {}

  std::string agentConfigSchema() const override;
  // InvalidArgument when the spec's config is not a valid script.
  Result<std::unique_ptr<Agent>> createAgent(const AgentSpec& spec) override;

 private:
  std::shared_ptr<ReplyTimer> timer_;
};

}  // namespace switchboard::plugins
