#include "core/surface/json_view.hpp"

#include <cstdio>
#include <ctime>

namespace switchboard::core {

using nlohmann::json;

std::string msToRfc3339(std::int64_t ms) {
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char date[32];
  std::size_t length = std::strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
  char millis[8];
  std::snprintf(millis, sizeof(millis), ".%03dZ", static_cast<int>(ms % 1000));
  return std::string(date, length) + millis;
}

json jsonOrText(std::string_view text) {
  if (text.empty()) return nullptr;
  json parsed = json::parse(text, nullptr, false);
  if (parsed.is_discarded()) return std::string(text);
  return parsed;
}

std::int64_t settledSteps(const ExecutionCounts& c) {
  return c.succeeded + c.failed + c.cancelled + c.timed_out + c.skipped + c.budget_exceeded;
}

json stepToJson(const StepSnapshot& step) {
  json out{{"key", step.key},
           {"status", std::string(stepStatusName(step.status))},
           {"attempts", step.attempts},
           {"usage", usageToJson(step.usage)}};
  if (!step.agent_id.empty()) out["agent_id"] = step.agent_id;
  if (!step.capability.empty()) out["capability"] = step.capability;
  if (!step.task_id.empty()) out["task_id"] = step.task_id;
  if (step.started_at_ms > 0) out["started_at"] = msToRfc3339(step.started_at_ms);
  if (step.ended_at_ms > 0) out["ended_at"] = msToRfc3339(step.ended_at_ms);
  if (step.started_at_ms > 0 && step.ended_at_ms >= step.started_at_ms) {
    out["duration_ms"] = static_cast<double>(step.ended_at_ms - step.started_at_ms);
  }
  if (!step.output_json.empty()) out["output"] = jsonOrText(step.output_json);
  if (!step.error.empty()) out["error"] = step.error;
  return out;
}

json executionToJson(const ExecutionSnapshot& e, bool with_steps) {
  const ExecutionCounts& c = e.counts;
  json out{{"id", e.id},
           {"pattern", e.pattern},
           {"status", std::string(executionStatusName(e.status))},
           {"progress",
            {{"total", c.total},
             {"settled", settledSteps(c)},
             {"running", c.running},
             {"pending", c.pending},
             {"succeeded", c.succeeded},
             {"failed", c.failed + c.timed_out + c.budget_exceeded},
             {"cancelled", c.cancelled},
             {"skipped", c.skipped}}},
           {"usage", usageToJson(e.usage)},
           {"budget",
            {{"max_steps", e.options.budget.max_steps},
             {"max_tokens", e.options.budget.max_tokens},
             {"max_cost_usd", e.options.budget.max_cost_usd},
             {"max_wall_ms", e.options.budget.max_wall_ms}}},
           {"created_at", msToRfc3339(e.created_at_ms)}};
  if (!e.error.empty()) {
    out["error"] = e.error;
    out["reason"] = e.error;
  }
  if (!e.result_json.empty()) out["result"] = jsonOrText(e.result_json);
  if (e.started_at_ms > 0) out["started_at"] = msToRfc3339(e.started_at_ms);
  if (e.ended_at_ms > 0) out["ended_at"] = msToRfc3339(e.ended_at_ms);
  if (!e.parent_id.empty()) out["parent_execution_id"] = e.parent_id;
  if (!e.rewound_from_step.empty()) out["rewound_from_step"] = e.rewound_from_step;
  if (with_steps) {
    json steps = json::array();
    for (const StepSnapshot& step : e.steps) steps.push_back(stepToJson(step));
    out["steps"] = std::move(steps);
  }
  return out;
}

}  // namespace switchboard::core
