// AgentDirectory: how the engine finds the agent that runs a step and reports what it cost.
//
// The engine asks for an agent by id (or, when a step names only a capability, for one
// agent having it), gets a handle it can call, and reports each finished call back so the
// directory can keep counters, costs, health and budgets per agent. Implemented by the
// agent service (core/agents); tests may implement it directly.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <memory>
#include <string>

#include "switchboard/agent.hpp"
#include "switchboard/status.hpp"
#include "switchboard/usage.hpp"

namespace switchboard::core {

struct AgentHandle {
  std::string agent_id;
  std::shared_ptr<Agent> agent;  // keeps the agent type's plugin loaded
};

class AgentDirectory {
 public:
  virtual ~AgentDirectory() = default;
  // NotFound (no such agent / no agent with the capability), FailedPrecondition (the agent
  // is paused, stopped or failed and cannot take work now: the message says which).
  virtual Result<AgentHandle> resolve(const std::string& agent_id,
                                      const std::string& capability) = 0;
  // Called once per finished call (any status) with what it used.
  virtual void callFinished(const std::string& agent_id, const Status& status, const Usage& usage,
                            double wall_ms) = 0;
};

}  // namespace switchboard::core
