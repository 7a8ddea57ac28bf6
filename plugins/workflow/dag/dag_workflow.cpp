#include "plugins/workflow/dag/dag_workflow.hpp"

#include <algorithm>
#include <exception>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <utility>
#include <vector>

#include "plugins/support/workflow_input.hpp"
#include "plugins/workflow/dag/dag_decider.hpp"

namespace switchboard::plugins {
namespace {

using nlohmann::json;
using Task = DagDecider::Task;

constexpr const char* kParamsSchema = R"({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "dag params",
  "description": "The graph is the run's tasks: each task's depends_on lists the ids it waits for.",
  "type": "object",
  "properties": {
    "max_parallel": {"type": "integer", "minimum": 0, "default": 4, "description": "Tasks in flight at once; 0 means no cap."},
    "on_failure": {
      "enum": ["block_dependents", "fail"],
      "default": "block_dependents",
      "description": "block_dependents: skip every task that depends on a failed one, run the rest, then end blocked naming what could not run. fail: the first failed task fails the run."
    },
    "phase_barrier": {
      "enum": ["eager", "strict"],
      "default": "eager",
      "description": "eager: a task starts as soon as its own dependencies succeeded. strict: a phase starts only when every earlier phase has settled."
    }
  },
  "additionalProperties": false
})";

// Reads the tasks and resolves depends_on to indices (deduplicated, in the order given).
Result<std::vector<Task>> readTasks(const json& list) {
  std::vector<Task> tasks;
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const json& item = list[i];
    Task task;
    task.id = item.is_object() ? stringField(item, "id") : std::string();
    if (task.id.empty()) {
      return Status::invalidArgument("dag: tasks[" + std::to_string(i) + "] has no id");
    }
    if (!index.emplace(task.id, i).second) {
      return Status::invalidArgument("dag: duplicate task id " + task.id);
    }
    WorkItem fields = workItemFromTask(item);
    task.agent_id = std::move(fields.agent_id);
    task.capability = std::move(fields.capability);
    task.task = std::move(fields.task);
    task.prompt = std::move(fields.prompt);
    tasks.push_back(std::move(task));
  }
  std::string unknown;
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    auto deps = list[i].find("depends_on");
    if (deps == list[i].end() || deps->is_null()) continue;
    if (!deps->is_array()) {
      return Status::invalidArgument("dag: depends_on of " + tasks[i].id + " must be an array");
    }
    for (const json& dep : *deps) {
      auto found = dep.is_string() ? index.find(dep.get<std::string>()) : index.end();
      if (found == index.end()) {
        unknown += (unknown.empty() ? "" : ", ") + tasks[i].id + " -> " +
                   (dep.is_string() ? dep.get<std::string>() : dep.dump());
        continue;
      }
      std::vector<std::size_t>& on = tasks[i].depends_on;
      if (std::find(on.begin(), on.end(), found->second) == on.end()) on.push_back(found->second);
    }
  }
  if (!unknown.empty()) return Status::invalidArgument("dag: unknown dependencies: " + unknown);
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    for (std::size_t dep : tasks[i].depends_on) tasks[dep].dependents.push_back(i);
  }
  return tasks;
}

// Finds one cycle among `candidates` (tasks Kahn's algorithm could not order) with an
// iterative depth-first search, and names it: "a -> b -> a", each depending on the next.
std::string describeCycle(const std::vector<Task>& tasks, const std::vector<bool>& candidates) {
  enum Color : char { kWhite, kGray, kBlack };
  std::vector<Color> color(tasks.size(), kWhite);
  std::vector<std::pair<std::size_t, std::size_t>> stack;  // (task, next dependency slot)
  for (std::size_t root = 0; root < tasks.size(); ++root) {
    if (!candidates[root] || color[root] != kWhite) continue;
    stack.push_back({root, 0});
    color[root] = kGray;
    while (!stack.empty()) {
      auto& [node, slot] = stack.back();
      if (slot == tasks[node].depends_on.size()) {
        color[node] = kBlack;
        stack.pop_back();
        continue;
      }
      const std::size_t next = tasks[node].depends_on[slot++];
      if (!candidates[next] || color[next] == kBlack) continue;
      if (color[next] == kGray) {
        std::string out;
        auto from = std::find_if(stack.begin(), stack.end(),
                                 [&](const auto& entry) { return entry.first == next; });
        for (auto it = from; it != stack.end(); ++it) out += tasks[it->first].id + " -> ";
        return out + tasks[next].id;
      }
      color[next] = kGray;
      stack.push_back({next, 0});
    }
  }
  return "(not found)";
}

// Computes each task's level; InvalidArgument naming a cycle when there is one.
Status computeLevels(std::vector<Task>& tasks) {
  std::vector<std::size_t> unmet(tasks.size());
  std::vector<std::size_t> queue;
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    unmet[i] = tasks[i].depends_on.size();
    if (unmet[i] == 0) queue.push_back(i);
  }
  for (std::size_t head = 0; head < queue.size(); ++head) {
    const std::size_t index = queue[head];
    for (std::size_t dependent : tasks[index].dependents) {
      tasks[dependent].level = std::max(tasks[dependent].level, tasks[index].level + 1);
      if (--unmet[dependent] == 0) queue.push_back(dependent);
    }
  }
  if (queue.size() == tasks.size()) return Status();
  std::vector<bool> candidates(tasks.size(), false);
  for (std::size_t i = 0; i < tasks.size(); ++i) candidates[i] = unmet[i] != 0;
  return Status::invalidArgument("dag: cycle: " + describeCycle(tasks, candidates));
}

}  // namespace

std::string DagWorkflow::description() const {
  return "Runs tasks with dependencies in phases under a concurrency cap; a cycle or an "
         "unknown dependency is rejected, and the dependents of a failed task are skipped.";
}

std::string DagWorkflow::paramsSchema() const { return kParamsSchema; }

Result<std::unique_ptr<Decider>> DagWorkflow::createDecider(const ExecutionInput& input) {
  try {
    Result<WorkflowInput> parsed = WorkflowInput::parse(input, "dag", "dag: ");
    if (!parsed.ok()) return parsed.status();
    const json& params = parsed->params();
    if (parsed->tasks().empty()) return Status::invalidArgument("dag: the run has no tasks");
    Result<std::vector<Task>> tasks = readTasks(parsed->tasks());
    if (!tasks.ok()) return tasks.status();
    SB_RETURN_IF_ERROR(computeLevels(*tasks));
    for (Task& task : *tasks) {
      SB_RETURN_IF_ERROR(parsed->assignAgent(task.agent_id, task.capability, "task " + task.id));
    }

    DagDecider::Policy policy;
    policy.max_parallel = static_cast<std::size_t>(params.value("max_parallel", std::int64_t{4}));
    policy.fail_on_failure = stringField(params, "on_failure") == "fail";
    policy.strict_phases = stringField(params, "phase_barrier") == "strict";
    return std::unique_ptr<Decider>(
        std::make_unique<DagDecider>(std::move(*tasks), input.objective, policy));
  } catch (const std::exception& e) {
    return Status::invalidArgument(std::string("dag: ") + e.what());
  }
}

}  // namespace switchboard::plugins
