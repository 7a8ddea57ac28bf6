#include "plugins/workflow/parallel/parallel_workflow.hpp"

#include <exception>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

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

std::string stringField(const json& object, const char* name) {
  auto found = object.find(name);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

Result<json> parseArray(const std::string& text, const char* what) {
  json parsed = json::parse(text.empty() ? std::string("[]") : text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_array()) {
    return Status::invalidArgument(std::string(what) + " must be a JSON array");
  }
  return parsed;
}

Result<std::vector<ParallelDecider::Branch>> makeBranches(const json& params, const json& agents,
                                                          const json& tasks,
                                                          const std::string& objective) {
  std::vector<std::string> agent_ids;
  for (const json& agent : agents) {
    if (agent.is_object() && !stringField(agent, "id").empty()) agent_ids.push_back(agent["id"]);
  }
  std::vector<ParallelDecider::Branch> branches;
  if (auto listed = params.find("branches"); listed != params.end() && listed->is_array()) {
    for (const json& item : *listed) {
      if (!item.is_object()) return Status::invalidArgument("parallel: branches[] must be objects");
      ParallelDecider::Branch branch;
      branch.agent_id = stringField(item, "agent");
      branch.capability = stringField(item, "capability");
      branch.prompt = item.contains("prompt") ? stringField(item, "prompt") : objective;
      branch.timeout_ms = item.value("timeout_ms", std::int64_t{0});
      branch.max_attempts = item.value("max_attempts", std::int32_t{0});
      branches.push_back(std::move(branch));
    }
  } else if (!tasks.empty()) {
    for (const json& task : tasks) {
      if (!task.is_object()) return Status::invalidArgument("parallel: tasks[] must be objects");
      ParallelDecider::Branch branch;
      branch.task_id = stringField(task, "id");
      branch.agent_id = stringField(task, "agent");
      if (branch.agent_id.empty()) branch.agent_id = stringField(task, "agent_id");
      branch.capability = stringField(task, "capability");
      branch.task = task;
      const std::string title = stringField(task, "title");
      const std::string description = stringField(task, "description");
      branch.prompt = title.empty() || description.empty() ? title + description
                                                           : title + "\n\n" + description;
      branches.push_back(std::move(branch));
    }
  } else if (!objective.empty()) {
    for (const std::string& id : agent_ids) {
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
  std::size_t next = 0;
  for (std::size_t i = 0; i < branches.size(); ++i) {
    if (!branches[i].agent_id.empty() || !branches[i].capability.empty()) continue;
    if (agent_ids.empty()) {
      return Status::invalidArgument("parallel: " + ParallelDecider::keyOf(i) +
                                     " names no agent or capability and the run has no agents");
    }
    branches[i].agent_id = agent_ids[next++ % agent_ids.size()];
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
    json params = json::parse(input.params_json.empty() ? "{}" : input.params_json, nullptr, false);
    if (params.is_discarded() || !params.is_object()) {
      return Status::invalidArgument("parallel: params must be a JSON object");
    }
    Result<json> agents = parseArray(input.agents_json, "agents");
    if (!agents.ok()) return agents.status();
    Result<json> tasks = parseArray(input.tasks_json, "tasks");
    if (!tasks.ok()) return tasks.status();
    Result<std::vector<ParallelDecider::Branch>> branches =
        makeBranches(params, *agents, *tasks, input.objective);
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
    policy.fail_fast = failure.empty() ? policy.join == ParallelDecider::Join::kAll
                                       : failure == "fail_fast";
    policy.max_parallel = static_cast<std::size_t>(params.value("max_parallel", std::int64_t{0}));
    return std::unique_ptr<Decider>(
        std::make_unique<ParallelDecider>(std::move(*branches), input.objective, policy));
  } catch (const std::exception& e) {
    return Status::invalidArgument(std::string("parallel: ") + e.what());
  }
}

}  // namespace switchboard::plugins
