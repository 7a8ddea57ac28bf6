#include "core/surface/json_view.hpp"

namespace switchboard::core {

using nlohmann::json;

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
