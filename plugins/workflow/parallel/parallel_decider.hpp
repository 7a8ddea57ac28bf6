// ParallelDecider: fans out N branches and joins them.
//
// join "all" needs every branch to succeed, "any" one, "quorum" `required` of them. As
// soon as the join is satisfied the run completes (branches still running are reported
// as cancelled, since the engine cancels them, and undispatched ones as skipped).
// failure "fail_fast": the first branch that does not succeed fails the run. "settle_all":
// failures do not end the run; when every branch has settled and the join is still not
// satisfied the run ends kBlock with a reason naming the failed branches (never a silent
// success). max_parallel > 0 caps how many branches are in flight.
//
// Result (attached to every terminal decision): {"join", "required", "succeeded", "failed",
// "branches": [{"key", "status", "agent"?, "capability"?, "task_id"?, "output"? ,
// "error"?}], "outputs": {key: output of each succeeded branch}}.
//
// Deterministic; O(1) per onSettled() (outputs are kept as text and parsed once, for the
// result). Ownership: owned by the engine. Thread safety: one caller at a time.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "plugins/support/workflow_input.hpp"
#include "switchboard/workflow.hpp"

namespace switchboard::plugins {

class ParallelDecider : public Decider {
 public:
  enum class Join { kAll, kAny, kQuorum };

  using Branch = WorkItem;  // from plugins/support/workflow_input.hpp

  struct Policy {
    Join join = Join::kAll;
    std::size_t required = 0;  // successes the join needs
    bool fail_fast = true;
    std::size_t max_parallel = 0;  // 0: no cap
  };

  ParallelDecider(std::vector<Branch> branches, std::string objective, Policy policy);

  Result<Decision> start() override;
  // InvalidArgument for an unknown branch key or a branch that is not in flight.
  Result<Decision> onSettled(const StepOutcome& outcome) override;

  static std::string keyOf(std::size_t index) { return "branch-" + std::to_string(index + 1); }

 private:
  struct State {
    StepStatus status = StepStatus::kPending;
    bool dispatched = false;
    std::string output_json;
    std::string error;
  };

  void dispatchMore(Decision& decision);
  StepSpec specFor(std::size_t index) const;
  std::string failedList() const;
  std::string resultJson() const;
  Decision finish(Decision::Kind kind, std::string reason);

  std::vector<Branch> branches_;
  std::string objective_;
  Policy policy_;
  std::vector<State> states_;
  std::size_t next_ = 0;  // first branch not yet dispatched
  std::size_t in_flight_ = 0;
  std::size_t succeeded_ = 0;
  std::size_t failed_ = 0;
  std::vector<std::size_t> failed_order_;  // failed branches in the order they settled
  std::optional<Decision> final_;
};

}  // namespace switchboard::plugins
