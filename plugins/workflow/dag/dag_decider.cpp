#include "plugins/workflow/dag/dag_decider.hpp"

#include <utility>

#include "plugins/support/decider_support.hpp"

namespace switchboard::plugins {
namespace {

using nlohmann::json;

constexpr std::size_t kNamedInReason = 20;  // tasks listed by name in a reason

}  // namespace

DagDecider::DagDecider(std::vector<Task> tasks, std::string objective, Policy policy)
    : tasks_(std::move(tasks)),
      objective_(std::move(objective)),
      policy_(policy),
      states_(tasks_.size()) {
  std::size_t levels = 0;
  for (std::size_t i = 0; i < tasks_.size(); ++i) {
    by_key_.emplace(keyOf(tasks_[i].id), i);
    states_[i].unmet = tasks_[i].depends_on.size();
    if (tasks_[i].level + 1 > levels) levels = tasks_[i].level + 1;
  }
  waiting_by_level_.resize(levels);
  unsettled_by_level_.assign(levels, 0);
  for (const Task& task : tasks_) ++unsettled_by_level_[task.level];
}

StepSpec DagDecider::specFor(std::size_t index) const {
  const Task& task = tasks_[index];
  StepSpec spec;
  spec.key = keyOf(task.id);
  spec.agent_id = task.agent_id;
  spec.capability = task.capability;
  spec.task_id = task.id;
  json input = json::object();
  input["prompt"] = task.prompt;
  input["task"] = task.task;
  if (!objective_.empty()) input["objective"] = objective_;
  json dependencies = json::object();
  for (std::size_t dep : task.depends_on) {
    dependencies[tasks_[dep].id] = parseOutput(states_[dep].output_json);
  }
  input["dependencies"] = std::move(dependencies);
  input["phase"] = task.level + 1;
  spec.input_json = dumpJson(input);
  return spec;
}

void DagDecider::makeReady(std::size_t index) {
  if (policy_.strict_phases && tasks_[index].level > open_level_) {
    waiting_by_level_[tasks_[index].level].push_back(index);
  } else {
    ready_.push_back(index);
  }
}

// Counts a task as settled and, in strict mode, opens the next phases that became free.
void DagDecider::settle(std::size_t index) {
  ++settled_;
  --unsettled_by_level_[tasks_[index].level];
  if (!policy_.strict_phases) return;
  while (open_level_ < unsettled_by_level_.size() && unsettled_by_level_[open_level_] == 0) {
    ++open_level_;
    if (open_level_ < waiting_by_level_.size()) {
      for (std::size_t waiting : waiting_by_level_[open_level_]) ready_.push_back(waiting);
      waiting_by_level_[open_level_].clear();
    }
  }
}

void DagDecider::skipDependents(std::size_t failed) {
  std::vector<std::size_t> stack(tasks_[failed].dependents.begin(),
                                 tasks_[failed].dependents.end());
  while (!stack.empty()) {
    const std::size_t index = stack.back();
    stack.pop_back();
    State& state = states_[index];
    if (state.status != StepStatus::kPending) continue;  // skipped already (or settled)
    state.status = StepStatus::kSkipped;
    state.blocked_by = failed;
    settle(index);
    for (std::size_t next : tasks_[index].dependents) stack.push_back(next);
  }
}

void DagDecider::dispatchMore(Decision& decision) {
  while (!ready_.empty() && (policy_.max_parallel == 0 || in_flight_ < policy_.max_parallel)) {
    const std::size_t index = ready_.front();
    ready_.pop_front();
    states_[index].status = StepStatus::kRunning;
    ++in_flight_;
    decision.steps.push_back(specFor(index));
  }
}

Result<Decision> DagDecider::start() {
  if (final_) return *final_;
  if (started_) return Status::failedPrecondition("start() called twice");
  started_ = true;
  for (std::size_t i = 0; i < tasks_.size(); ++i) {
    if (states_[i].unmet == 0) makeReady(i);
  }
  Decision decision;
  dispatchMore(decision);
  return decision;
}

Result<Decision> DagDecider::onSettled(const StepOutcome& outcome) {
  if (final_) return *final_;
  auto found = by_key_.find(outcome.key);
  if (found == by_key_.end()) {
    return Status::invalidArgument("dag: unknown step '" + outcome.key + "'");
  }
  const std::size_t index = found->second;
  State& state = states_[index];
  if (state.status != StepStatus::kRunning) {
    return Status::invalidArgument("dag: step " + outcome.key + " is not in flight");
  }
  if (!isSettled(outcome.status)) {
    return Status::invalidArgument("dag: step " + outcome.key + " has not settled");
  }
  state.status = outcome.status;
  --in_flight_;
  if (outcome.status == StepStatus::kSucceeded) {
    state.output_json = outcome.output_json;
    ++succeeded_;
    settle(index);
    for (std::size_t dependent : tasks_[index].dependents) {
      if (--states_[dependent].unmet == 0 && states_[dependent].status == StepStatus::kPending) {
        makeReady(dependent);
      }
    }
  } else {
    state.error = outcome.error;
    if (policy_.fail_on_failure) {
      settle(index);
      std::string reason = "task " + tasks_[index].id + " " + stepStatusName(outcome.status);
      if (!outcome.error.empty()) reason += ": " + outcome.error;
      return finish(Decision::Kind::kFail, std::move(reason));
    }
    settle(index);
    skipDependents(index);
  }
  if (settled_ == tasks_.size()) {
    if (succeeded_ == tasks_.size()) return finish(Decision::Kind::kComplete, "");
    return finish(Decision::Kind::kBlock, blockReason());
  }
  Decision decision;
  dispatchMore(decision);
  if (decision.steps.empty() && in_flight_ == 0) {
    return Status::internal("dag: " + std::to_string(tasks_.size() - settled_) +
                            " tasks are neither ready nor running");
  }
  return decision;
}

std::string DagDecider::blockReason() const {
  std::string failed;
  std::string skipped;
  std::size_t failed_count = 0;
  std::size_t skipped_count = 0;
  for (std::size_t i = 0; i < tasks_.size(); ++i) {
    const State& state = states_[i];
    if (state.status == StepStatus::kSucceeded) continue;
    if (state.status == StepStatus::kSkipped) {
      if (skipped_count++ < kNamedInReason) {
        skipped += (skipped.empty() ? "" : ", ") + tasks_[i].id + " (needs " +
                   tasks_[*state.blocked_by].id + ")";
      }
    } else if (failed_count++ < kNamedInReason) {
      failed += (failed.empty() ? "" : ", ") + tasks_[i].id + " (" + stepStatusName(state.status) +
                (state.error.empty() ? "" : ": " + state.error) + ")";
    }
  }
  auto more = [](std::size_t count) {
    return count > kNamedInReason ? " and " + std::to_string(count - kNamedInReason) + " more"
                                  : std::string();
  };
  std::string reason = std::to_string(failed_count + skipped_count) + " of " +
                       std::to_string(tasks_.size()) +
                       " tasks did not complete; failed: " + failed + more(failed_count);
  if (skipped_count > 0) reason += "; could not run: " + skipped + more(skipped_count);
  return reason;
}

Decision DagDecider::finish(Decision::Kind kind, std::string reason) {
  final_ = finalDecision(kind, std::move(reason), resultJson());
  return *final_;
}

std::string DagDecider::resultJson() const {
  json outputs = json::object();
  json phases = json::array();
  for (std::size_t level = 0; level < unsettled_by_level_.size(); ++level) {
    phases.push_back(json::array());
  }
  json tasks = json::array();
  for (std::size_t i = 0; i < tasks_.size(); ++i) {
    const State& state = states_[i];
    // Running when the run ends: the engine cancels it. Never started: skipped.
    StepStatus status = state.status;
    if (status == StepStatus::kRunning) status = StepStatus::kCancelled;
    if (status == StepStatus::kPending) status = StepStatus::kSkipped;
    json entry = {
        {"id", tasks_[i].id}, {"status", stepStatusName(status)}, {"phase", tasks_[i].level + 1}};
    if (!state.error.empty()) entry["error"] = state.error;
    if (state.blocked_by) entry["blocked_by"] = tasks_[*state.blocked_by].id;
    if (state.status == StepStatus::kSucceeded) {
      outputs[tasks_[i].id] = parseOutput(state.output_json);
    }
    phases[tasks_[i].level].push_back(tasks_[i].id);
    tasks.push_back(std::move(entry));
  }
  return dumpJson(json{
      {"outputs", std::move(outputs)}, {"phases", std::move(phases)}, {"tasks", std::move(tasks)}});
}

}  // namespace switchboard::plugins
