// DagDecider: runs tasks with dependencies. A task becomes ready when all of its
// dependencies succeeded; at most max_parallel tasks are in flight (0: no cap); ready
// tasks start in the order they became ready (ties in tasks_json order). phase_barrier
// "eager" starts a task as soon as it is ready; "strict" also waits until every task of
// the earlier phases (topological levels) has settled.
//
// A task that does not succeed: with on_failure "fail" the run fails at once (the engine
// cancels the rest); with "block_dependents" every task that depends on it, directly or
// not, is skipped, independent tasks go on, and when nothing more can run the run ends
// kBlock with a reason naming the failed tasks and the tasks that could not run.
//
// Result (attached to every terminal decision): {"outputs": {task_id: output},
// "phases": [[task ids of level 0], [level 1], ...], "tasks": [{"id", "status", "phase",
// "error"?, "blocked_by"?}]}.
//
// Deterministic; each task and edge is visited a constant number of times over the run.
// Ownership: owned by the engine. Thread safety: one caller at a time.
#pragma once

#include <cstdint>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "switchboard/workflow.hpp"

namespace switchboard::plugins {

class DagDecider : public Decider {
 public:
  struct Task {
    std::string id;
    std::string agent_id;
    std::string capability;
    nlohmann::json task;  // the task as given
    std::string prompt;
    std::vector<std::size_t> depends_on;  // indices
    std::vector<std::size_t> dependents;  // indices
    std::size_t level = 0;                // phase: 1 + the deepest dependency's level
  };

  struct Policy {
    std::size_t max_parallel = 4;  // 0: no cap
    bool fail_on_failure = false;  // on_failure "fail" instead of "block_dependents"
    bool strict_phases = false;    // phase_barrier "strict"
  };

  // `tasks` must be acyclic with valid indices (DagWorkflow validates).
  DagDecider(std::vector<Task> tasks, std::string objective, Policy policy);

  Result<Decision> start() override;
  // InvalidArgument for an unknown step key or a task that is not in flight.
  Result<Decision> onSettled(const StepOutcome& outcome) override;

  static std::string keyOf(const std::string& task_id) { return "task:" + task_id; }

 private:
  struct State {
    StepStatus status = StepStatus::kPending;
    std::size_t unmet = 0;  // dependencies not yet succeeded
    std::string output_json;
    std::string error;
    std::optional<std::size_t> blocked_by;  // the failed task that made this one skip
  };

  void makeReady(std::size_t index);
  void settle(std::size_t index);
  void skipDependents(std::size_t failed);
  void dispatchMore(Decision& decision);
  StepSpec specFor(std::size_t index) const;
  std::string blockReason() const;
  std::string resultJson() const;
  Decision finish(Decision::Kind kind, std::string reason);

  std::vector<Task> tasks_;
  std::string objective_;
  Policy policy_;
  std::unordered_map<std::string, std::size_t> by_key_;
  std::vector<State> states_;
  std::deque<std::size_t> ready_;
  std::vector<std::vector<std::size_t>> waiting_by_level_;  // strict: ready, phase not open
  std::vector<std::size_t> unsettled_by_level_;
  std::size_t open_level_ = 0;  // strict: highest phase allowed to start
  std::size_t in_flight_ = 0;
  std::size_t settled_ = 0;
  std::size_t succeeded_ = 0;
  bool started_ = false;
  std::optional<Decision> final_;
};

}  // namespace switchboard::plugins
