// MeteredAgent: wraps every agent runtime the AgentService makes, so that an agent's budget
// (limits.budget: tokens, dollars, turns over its life) holds while a call streams, not
// only between calls.
//
// The AgentMeter is the agent's spending as the service last recorded it plus its budget;
// the service updates it when a call finishes or the limits change. Each call's onUsage()
// adds the call's usage so far to what was recorded: once that exceeds a budget the call
// is cancelled and ends with ResourceExhausted saying what was spent (the engine then ends
// the step and its execution as budget_exceeded). Calls also get what is left of the
// budget in AgentRequest (max_cost_usd, max_tokens, max_turns) for agents that can stop
// themselves.
//
// Thread safety: AgentMeter guards itself; MeteredAgent::call() may run concurrently.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "core/agents/agent_record.hpp"
#include "switchboard/agent.hpp"

namespace switchboard::core {

class AgentMeter {
 public:
  void setBudget(const AgentBudget& budget);
  void setSpent(const AgentCounters& counters);
  // Why `call_so_far` on top of what was recorded breaks the budget; "" when it does not.
  std::string exceeded(const Usage& call_so_far) const;
  // `request` with its budget hints lowered to what is left of this budget.
  void applyHints(AgentRequest& request) const;

 private:
  mutable std::mutex mu_;
  AgentBudget budget_;
  std::int64_t tokens_ = 0;
  std::int64_t turns_ = 0;
  double cost_usd_ = 0.0;
};

class MeteredAgent final : public Agent {
 public:
  MeteredAgent(std::shared_ptr<Agent> inner, std::shared_ptr<AgentMeter> meter)
      : inner_(std::move(inner)), meter_(std::move(meter)) {}

  Result<std::unique_ptr<AgentCall>> call(const AgentRequest& request,
                                          std::shared_ptr<AgentCallback> callback) override;

 private:
  std::shared_ptr<Agent> inner_;
  std::shared_ptr<AgentMeter> meter_;
};

}  // namespace switchboard::core
