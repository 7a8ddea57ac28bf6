#include "plugins/workflow/sequential/sequential_decider.hpp"

#include <utility>

#include "plugins/support/decider_support.hpp"

namespace switchboard::plugins {

using nlohmann::json;

SequentialDecider::SequentialDecider(std::vector<Step> steps, std::string objective,
                                     bool continue_on_failure)
    : steps_(std::move(steps)),
      objective_(std::move(objective)),
      continue_on_failure_(continue_on_failure),
      statuses_(steps_.size(), StepStatus::kPending),
      errors_(steps_.size()) {}

StepSpec SequentialDecider::specFor(std::size_t index) const {
  StepSpec spec = stepSpecFor(steps_[index], keyOf(index));
  json input = stepInputFor(steps_[index], objective_);
  if (previous_) input["previous"] = *previous_;
  input["step"] = {{"index", index + 1}, {"of", steps_.size()}};
  spec.input_json = dumpJson(input);
  return spec;
}

Result<Decision> SequentialDecider::start() {
  if (final_) return *final_;
  if (current_ != 0) return Status::failedPrecondition("start() called twice");
  Decision decision;
  decision.steps.push_back(specFor(0));
  return decision;
}

Result<Decision> SequentialDecider::onSettled(const StepOutcome& outcome) {
  if (final_) return *final_;
  if (current_ >= steps_.size() || outcome.key != keyOf(current_)) {
    return Status::invalidArgument("sequential: outcome for unexpected step '" + outcome.key +
                                   "'; waiting for " + keyOf(current_));
  }
  if (!isSettled(outcome.status)) {
    return Status::invalidArgument("sequential: step " + outcome.key + " has not settled");
  }
  statuses_[current_] = outcome.status;
  if (outcome.status == StepStatus::kSucceeded) {
    previous_ = parseOutput(outcome.output_json);
    ++succeeded_;
  } else {
    errors_[current_] = outcome.error;
    if (!continue_on_failure_) {
      const Step& step = steps_[current_];
      std::string reason = "step " + outcome.key;
      if (!step.task_id.empty()) reason += " (task " + step.task_id + ")";
      reason += std::string(" ") + stepStatusName(outcome.status);
      if (!outcome.error.empty()) reason += ": " + outcome.error;
      ++current_;
      return finish(Decision::Kind::kFail, std::move(reason));
    }
  }
  ++current_;
  if (current_ < steps_.size()) {
    Decision decision;
    decision.steps.push_back(specFor(current_));
    return decision;
  }
  if (succeeded_ == 0) {
    return finish(Decision::Kind::kFail,
                  "every one of the " + std::to_string(steps_.size()) + " steps failed");
  }
  return finish(Decision::Kind::kComplete, "");
}

Decision SequentialDecider::finish(Decision::Kind kind, std::string reason) {
  final_ = finalDecision(kind, std::move(reason), resultJson());
  return *final_;
}

std::string SequentialDecider::resultJson() const {
  json steps = json::array();
  for (std::size_t i = 0; i < steps_.size(); ++i) {
    // Steps after a failure that ended the run never started.
    StepStatus status = i < current_ ? statuses_[i] : StepStatus::kSkipped;
    json entry = {{"key", keyOf(i)}, {"status", stepStatusName(status)}};
    if (!steps_[i].task_id.empty()) entry["task_id"] = steps_[i].task_id;
    if (!errors_[i].empty()) entry["error"] = errors_[i];
    steps.push_back(std::move(entry));
  }
  json result = {{"output", previous_ ? *previous_ : json(nullptr)}, {"steps", std::move(steps)}};
  return dumpJson(result);
}

}  // namespace switchboard::plugins
