// SequentialWorkflow: the `sequential` pattern. It turns an execution's input into a list
// of steps and makes a SequentialDecider that runs them one at a time.
//
// Where the steps come from, first that applies: params.steps; one step per task in
// tasks_json order; one step for the objective. A step's agent is the one it names, else
// its capability, else the run's agents taken round-robin.
//
// Thread safety: stateless; createDecider() may be called from any thread.
#pragma once

#include <memory>
#include <string>

#include "switchboard/workflow.hpp"

namespace switchboard::plugins {

class SequentialWorkflow : public WorkflowPattern {
 public:
  std::string description() const override;
  std::string paramsSchema() const override;
  // InvalidArgument when there is nothing to run, or a step has no agent to run it.
  Result<std::unique_ptr<Decider>> createDecider(const ExecutionInput& input) override;
};

}  // namespace switchboard::plugins
