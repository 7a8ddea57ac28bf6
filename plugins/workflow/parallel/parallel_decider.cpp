#include "plugins/workflow/parallel/parallel_decider.hpp"

#include <charconv>
#include <utility>

#include "plugins/support/decider_support.hpp"

namespace switchboard::plugins {
namespace {

using nlohmann::json;

const char* joinName(ParallelDecider::Join join) {
  switch (join) {
    case ParallelDecider::Join::kAll:
      return "all";
    case ParallelDecider::Join::kAny:
      return "any";
    case ParallelDecider::Join::kQuorum:
      return "quorum";
  }
  return "unknown";
}

constexpr std::size_t kNamedInReason = 20;  // failed branches listed by name in a reason

}  // namespace

ParallelDecider::ParallelDecider(std::vector<Branch> branches, std::string objective, Policy policy)
    : branches_(std::move(branches)),
      objective_(std::move(objective)),
      policy_(policy),
      states_(branches_.size()) {}

StepSpec ParallelDecider::specFor(std::size_t index) const {
  StepSpec spec = stepSpecFor(branches_[index], keyOf(index));
  json input = stepInputFor(branches_[index], objective_);
  input["branch"] = {{"index", index + 1}, {"of", branches_.size()}};
  spec.input_json = dumpJson(input);
  return spec;
}

void ParallelDecider::dispatchMore(Decision& decision) {
  while (next_ < branches_.size() &&
         (policy_.max_parallel == 0 || in_flight_ < policy_.max_parallel)) {
    states_[next_].status = StepStatus::kRunning;
    states_[next_].dispatched = true;
    decision.steps.push_back(specFor(next_));
    ++next_;
    ++in_flight_;
  }
}

Result<Decision> ParallelDecider::start() {
  if (final_) return *final_;
  if (next_ != 0) return Status::failedPrecondition("start() called twice");
  Decision decision;
  dispatchMore(decision);
  return decision;
}

Result<Decision> ParallelDecider::onSettled(const StepOutcome& outcome) {
  if (final_) return *final_;
  std::size_t number = 0;
  const std::string_view key = outcome.key;
  const std::string_view prefix = "branch-";
  const bool parsed =
      key.substr(0, prefix.size()) == prefix &&
      std::from_chars(key.data() + prefix.size(), key.data() + key.size(), number).ec ==
          std::errc() &&
      number >= 1 && number <= branches_.size() && keyOf(number - 1) == key;
  if (!parsed) return Status::invalidArgument("parallel: unknown step '" + outcome.key + "'");
  const std::size_t index = number - 1;
  State& state = states_[index];
  if (state.status != StepStatus::kRunning) {
    return Status::invalidArgument("parallel: step " + outcome.key + " is not in flight");
  }
  if (!isSettled(outcome.status)) {
    return Status::invalidArgument("parallel: step " + outcome.key + " has not settled");
  }
  state.status = outcome.status;
  --in_flight_;
  if (outcome.status == StepStatus::kSucceeded) {
    state.output_json = outcome.output_json;
    ++succeeded_;
    if (succeeded_ >= policy_.required) return finish(Decision::Kind::kComplete, "");
  } else {
    state.error = outcome.error;
    ++failed_;
    failed_order_.push_back(index);
    if (policy_.fail_fast) {
      std::string reason = "branch " + outcome.key;
      if (!branches_[index].task_id.empty()) reason += " (task " + branches_[index].task_id + ")";
      reason += std::string(" ") + stepStatusName(outcome.status) + " under fail_fast";
      if (!outcome.error.empty()) reason += ": " + outcome.error;
      return finish(Decision::Kind::kFail, std::move(reason));
    }
  }
  if (succeeded_ + failed_ == branches_.size()) {
    return finish(Decision::Kind::kBlock,
                  std::string("join '") + joinName(policy_.join) + "' needs " +
                      std::to_string(policy_.required) + " of " + std::to_string(branches_.size()) +
                      " branches to succeed but only " + std::to_string(succeeded_) +
                      " did; not succeeded: " + failedList());
  }
  Decision decision;
  dispatchMore(decision);
  return decision;
}

std::string ParallelDecider::failedList() const {
  std::string out;
  for (std::size_t i = 0; i < failed_order_.size() && i < kNamedInReason; ++i) {
    const State& state = states_[failed_order_[i]];
    if (!out.empty()) out += ", ";
    out += keyOf(failed_order_[i]) + " (" + stepStatusName(state.status);
    if (!state.error.empty()) out += ": " + state.error;
    out += ")";
  }
  if (failed_order_.size() > kNamedInReason) {
    out += " and " + std::to_string(failed_order_.size() - kNamedInReason) + " more";
  }
  return out;
}

Decision ParallelDecider::finish(Decision::Kind kind, std::string reason) {
  final_ = finalDecision(kind, std::move(reason), resultJson());
  return *final_;
}

std::string ParallelDecider::resultJson() const {
  json branches = json::array();
  json outputs = json::object();
  for (std::size_t i = 0; i < branches_.size(); ++i) {
    const State& state = states_[i];
    const Branch& branch = branches_[i];
    // Still running when the run ends: the engine cancels it. Never dispatched: skipped.
    StepStatus status = state.status;
    if (status == StepStatus::kRunning) status = StepStatus::kCancelled;
    if (status == StepStatus::kPending) status = StepStatus::kSkipped;
    json entry = {{"key", keyOf(i)}, {"status", stepStatusName(status)}};
    if (!branch.agent_id.empty()) entry["agent"] = branch.agent_id;
    if (!branch.capability.empty()) entry["capability"] = branch.capability;
    if (!branch.task_id.empty()) entry["task_id"] = branch.task_id;
    if (state.status == StepStatus::kSucceeded) {
      json output = parseOutput(state.output_json);
      entry["output"] = output;
      outputs[keyOf(i)] = std::move(output);
    }
    if (!state.error.empty()) entry["error"] = state.error;
    branches.push_back(std::move(entry));
  }
  json result = {{"join", joinName(policy_.join)},  {"required", policy_.required},
                 {"succeeded", succeeded_},         {"failed", failed_},
                 {"branches", std::move(branches)}, {"outputs", std::move(outputs)}};
  return dumpJson(result);
}

}  // namespace switchboard::plugins
