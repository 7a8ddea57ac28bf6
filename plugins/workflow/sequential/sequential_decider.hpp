// SequentialDecider: runs a fixed list of steps one at a time; step i's input carries step
// i-1's output as "previous". Deterministic and O(1) per onSettled() (plus the size of the
// outputs it passes on): it keeps only the position, the last output and one status per
// step for the result.
//
// Result (on complete, and attached to fail): {"output": last output, "steps": [{"key",
// "status", "task_id"?, "error"?}]}. With on_failure "fail" the first failed step fails the
// execution with a reason naming it; with "continue" the chain goes on (the next step gets
// the last successful output) and the run completes unless every step failed.
//
// Ownership: owned by the engine. Thread safety: none needed (one caller at a time).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "plugins/support/workflow_input.hpp"
#include "switchboard/workflow.hpp"

namespace switchboard::plugins {

class SequentialDecider : public Decider {
 public:
  using Step = WorkItem;  // from plugins/support/workflow_input.hpp

  SequentialDecider(std::vector<Step> steps, std::string objective, bool continue_on_failure);

  Result<Decision> start() override;
  // InvalidArgument when the outcome is not for the step in flight.
  Result<Decision> onSettled(const StepOutcome& outcome) override;

  static std::string keyOf(std::size_t index) { return "step-" + std::to_string(index + 1); }

 private:
  StepSpec specFor(std::size_t index) const;
  std::string resultJson() const;
  Decision finish(Decision::Kind kind, std::string reason);

  std::vector<Step> steps_;
  std::string objective_;
  bool continue_on_failure_;
  std::size_t current_ = 0;
  std::optional<nlohmann::json> previous_;  // last successful output
  std::vector<StepStatus> statuses_;
  std::vector<std::string> errors_;  // only for steps that did not succeed
  std::size_t succeeded_ = 0;
  std::optional<Decision> final_;
};

}  // namespace switchboard::plugins
