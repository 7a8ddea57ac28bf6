#include "plugins/support/decider_support.hpp"

#include <utility>

namespace switchboard::plugins {

using nlohmann::json;

const char* stepStatusName(StepStatus status) {
  switch (status) {
    case StepStatus::kPending:
      return "pending";
    case StepStatus::kRunning:
      return "running";
    case StepStatus::kSucceeded:
      return "succeeded";
    case StepStatus::kFailed:
      return "failed";
    case StepStatus::kCancelled:
      return "cancelled";
    case StepStatus::kTimedOut:
      return "timed_out";
    case StepStatus::kSkipped:
      return "skipped";
    case StepStatus::kBudgetExceeded:
      return "budget_exceeded";
  }
  return "unknown";
}

std::string dumpJson(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

json parseOutput(const std::string& output_json) {
  json parsed = json::parse(output_json, nullptr, false);
  return parsed.is_discarded() ? json(output_json) : parsed;
}

Decision finalDecision(Decision::Kind kind, std::string reason, std::string result_json) {
  Decision decision;
  decision.kind = kind;
  decision.reason = std::move(reason);
  decision.result_json = std::move(result_json);
  return decision;
}

}  // namespace switchboard::plugins
