// ParallelWorkflow: the `parallel` pattern. It turns an execution's input into branches and
// a join policy, and makes a ParallelDecider.
//
// Branches, first that applies: params.branches; one per task; one per agent, each given
// the objective. A branch's agent is the one it names, else its capability, else the run's
// agents round-robin. Defaults: join "all"; failure "fail_fast" for join all and
// "settle_all" for any and quorum (a failure there does not decide the join).
//
// Thread safety: stateless; createDecider() may be called from any thread.
#pragma once

#include <memory>
#include <string>

#include "switchboard/workflow.hpp"

namespace switchboard::plugins {

class ParallelWorkflow : public WorkflowPattern {
 public:
  std::string description() const override;
  std::string paramsSchema() const override;
  // InvalidArgument when there are no branches, a branch has no agent, or the quorum is not
  // between 1 and the number of branches.
  Result<std::unique_ptr<Decider>> createDecider(const ExecutionInput& input) override;
};

}  // namespace switchboard::plugins
