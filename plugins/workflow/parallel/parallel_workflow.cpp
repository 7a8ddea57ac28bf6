#include "plugins/workflow/parallel/parallel_workflow.hpp"

#include <exception>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "plugins/support/workflow_input.hpp"
#include "plugins/workflow/parallel/parallel_decider.hpp"

namespace switchboard::plugins {
namespace {

using nlohmann::json;

constexpr const char* kParamsSchema = R"({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "parallel params",
  "type": "object",
  "properties": {
    "branches": {
      "description": "The branches. Default: one per task, or one per agent given the objective.",
      "type": "array",
      "minItems": 1,
      "items": {
        "type": "object",
        "properties": {
          "agent": {"type": "string", "minLength": 1, "description": "Agent id that runs the branch."},
          "capability": {"type": "string", "minLength": 1, "description": "Any agent with this capability runs it."},
          "prompt": {"type": "string", "description": "What the branch asks (default: the objective)."},
          "timeout_ms": {"type": "integer", "minimum": 0},
          "max_attempts": {"type": "integer", "minimum": 0, "maximum": 100}
        },
        "additionalProperties": false
      }
    },
    "join": {
      "enum": ["all", "any", "quorum"],
      "default": "all",
      "description": "How many branches must succeed: all, any one, or `quorum` of them."
    },
    "quorum": {"type": "integer", "minimum": 1, "description": "Successes needed when join is quorum."},
    "failure": {
      "enum": ["fail_fast", "settle_all"],
      "description": "fail_fast: the first failed branch fails the run (the rest are cancelled). settle_all: every branch settles; a join that is then unsatisfied ends blocked. Default: fail_fast for join all, settle_all otherwise."
    },
    "max_parallel": {"type": "integer", "minimum": 0, "default": 0, "description": "Branches in flight at once; 0 means no cap."}
  },
  "additionalProperties": false
})";

Result<std::vector<ParallelDecider::Branch>> makeBranches(WorkflowInput& input,
                                                          const std::string& objective) {
  const json& params = input.params();
  std::vector<ParallelDecider::Branch> branches;
  if (auto listed = params.find("branches"); listed != params.end() && listed->is_array()) {
    for (const json& item : *listed) {
      if (!item.is_object()) return Status::invalidArgument("parallel: branches[] must be objects");
      branches.push_back(workItemFromParams(item, objective));
    }
  } else if (!input.tasks().empty()) {
    for (const json& task : input.tasks()) {
      if (!task.is_object()) return Status::invalidArgument("parallel: tasks[] must be objects");
      branches.push_back(workItemFromTask(task));
    }
  } else if (!objective.empty()) {
    for (const std::string& id : input.agentIds()) {
      ParallelDecider::Branch branch;
      branch.agent_id = id;
      branch.prompt = objective;
      branches.push_back(std::move(branch));
    }
  }
  if (branches.empty()) {
    return Status::invalidArgument(
        "parallel: no branches; give params.branches, tasks, or agents and an objective");
  }
  for (std::size_t i = 0; i < branches.size(); ++i) {
    SB_RETURN_IF_ERROR(
        input.assignAgent(branches[i].agent_id, branches[i].capability, ParallelDecider::keyOf(i)));
  }
  return branches;
}

}  // namespace

std::string ParallelWorkflow::description() const {
  return "Runs branches at the same time and joins them (all, any or a quorum), failing fast "
         "or letting every branch settle; every branch's status is in the result.";
}

std::string ParallelWorkflow::paramsSchema() const { return kParamsSchema; }

Result<std::unique_ptr<Decider>> ParallelWorkflow::createDecider(const ExecutionInput& input) {
  try {
    Result<WorkflowInput> parsed = WorkflowInput::parse(input, "parallel", "");
    if (!parsed.ok()) return parsed.status();
    const json& params = parsed->params();
    Result<std::vector<ParallelDecider::Branch>> branches = makeBranches(*parsed, input.objective);
    if (!branches.ok()) return branches.status();

    ParallelDecider::Policy policy;
    const std::string join = stringField(params, "join");
    policy.join = join == "any"      ? ParallelDecider::Join::kAny
                  : join == "quorum" ? ParallelDecider::Join::kQuorum
                                     : ParallelDecider::Join::kAll;
    const std::size_t count = branches->size();
    policy.required = policy.join == ParallelDecider::Join::kAll ? count : 1;
    if (policy.join == ParallelDecider::Join::kQuorum) {
      auto quorum = params.find("quorum");
      if (quorum == params.end() || !quorum->is_number_integer()) {
        return Status::invalidArgument("parallel: join quorum needs params.quorum");
      }
      const std::int64_t needed = quorum->get<std::int64_t>();
      if (needed < 1 || static_cast<std::size_t>(needed) > count) {
        return Status::invalidArgument("parallel: quorum " + std::to_string(needed) +
                                       " must be between 1 and the " + std::to_string(count) +
                                       " branches");
      }
      policy.required = static_cast<std::size_t>(needed);
    } else if (params.contains("quorum")) {
      return Status::invalidArgument("parallel: quorum applies only to join \"quorum\"");
    }
    const std::string failure = stringField(params, "failure");
    policy.fail_fast =
        failure.empty() ? policy.join == ParallelDecider::Join::kAll : failure == "fail_fast";
    policy.max_parallel = static_cast<std::size_t>(params.value("max_parallel", std::int64_t{0}));
    return std::unique_ptr<Decider>(
        std::make_unique<ParallelDecider>(std::move(*branches), input.objective, policy));
  } catch (const std::exception& e) {
    return Status::invalidArgument(std::string("parallel: ") + e.what());
  }
}

}  // namespace switchboard::plugins
