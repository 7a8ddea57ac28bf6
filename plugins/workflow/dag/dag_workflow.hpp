// DagWorkflow: the `dag` pattern. It validates a run's tasks as a dependency graph and
// makes a DagDecider.
//
// tasks_json: [{"id", "title", "description", "depends_on": [ids], "agent"?, "agent_id"?,
// "capability"?}]. createDecider() rejects, with InvalidArgument: no tasks, a task without
// an id, duplicate ids, dependencies on ids that do not exist (all named: "unknown
// dependencies: b -> x, c -> y"), and a cycle, named in order ("cycle: a -> b -> c -> a",
// where each task depends on the next). Tasks that name no agent or capability get the
// run's agents round-robin. Phases are topological levels, computed once (Kahn's algorithm,
// linear in tasks plus edges).
//
// Thread safety: stateless; createDecider() may be called from any thread.
#pragma once

#include <memory>
#include <string>

#include "switchboard/workflow.hpp"

namespace switchboard::plugins {

class DagWorkflow : public WorkflowPattern {
 public:
  std::string description() const override;
  std::string paramsSchema() const override;
  Result<std::unique_ptr<Decider>> createDecider(const ExecutionInput& input) override;
};

}  // namespace switchboard::plugins
