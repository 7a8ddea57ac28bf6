#include "core/engine/execution_types.hpp"

#include <array>
#include <nlohmann/json.hpp>
#include <utility>

#include "core/agents/usage_json.hpp"

namespace switchboard::core {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 9> kExecutionNames = {
    "queued",    "running",         "paused",  "completed", "failed",
    "cancelled", "budget_exceeded", "blocked", "timed_out"};
constexpr std::array<std::string_view, 8> kStepNames = {"pending", "running",        "succeeded",
                                                        "failed",  "cancelled",      "timed_out",
                                                        "skipped", "budget_exceeded"};

json embedded(const std::string& text) {
  if (text.empty()) return nullptr;
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return text;
  return j;
}

template <typename T>
Status readNumber(const json& j, const char* key, T& out) {
  if (!j.contains(key)) return Status();
  const json& v = j[key];
  if constexpr (std::is_floating_point_v<T>) {
    if (!v.is_number()) return Status::invalidArgument(std::string(key) + " must be a number");
  } else {
    if (!v.is_number_integer()) {
      return Status::invalidArgument(std::string(key) + " must be an integer");
    }
  }
  out = v.get<T>();
  return Status();
}

}  // namespace

std::string_view executionStatusName(ExecutionStatus status) {
  auto i = static_cast<std::size_t>(status);
  return i < kExecutionNames.size() ? kExecutionNames[i] : "unknown";
}

std::optional<ExecutionStatus> parseExecutionStatus(std::string_view name) {
  for (std::size_t i = 0; i < kExecutionNames.size(); ++i) {
    if (kExecutionNames[i] == name) return static_cast<ExecutionStatus>(i);
  }
  return std::nullopt;
}

bool isTerminal(ExecutionStatus status) {
  return status != ExecutionStatus::kQueued && status != ExecutionStatus::kRunning &&
         status != ExecutionStatus::kPaused;
}

std::string_view stepStatusName(StepStatus status) {
  auto i = static_cast<std::size_t>(status);
  return i < kStepNames.size() ? kStepNames[i] : "unknown";
}

std::optional<StepStatus> parseStepStatus(std::string_view name) {
  for (std::size_t i = 0; i < kStepNames.size(); ++i) {
    if (kStepNames[i] == name) return static_cast<StepStatus>(i);
  }
  return std::nullopt;
}

bool isSettled(StepStatus status) {
  return status != StepStatus::kPending && status != StepStatus::kRunning;
}

std::string ExecutionOptions::toJson() const {
  json j = {{"max_concurrency", max_concurrency},
            {"step_timeout_ms", step_timeout_ms},
            {"execution_timeout_ms", execution_timeout_ms},
            {"max_attempts", max_attempts},
            {"backoff",
             {{"initial_ms", backoff.initial_ms},
              {"multiplier", backoff.multiplier},
              {"max_ms", backoff.max_ms},
              {"jitter", backoff.jitter}}},
            {"budget",
             {{"max_steps", budget.max_steps},
              {"max_tokens", budget.max_tokens},
              {"max_cost_usd", budget.max_cost_usd},
              {"max_wall_ms", budget.max_wall_ms}}}};
  return j.dump();
}

Result<ExecutionOptions> ExecutionOptions::fromJson(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::invalidArgument("execution options must be a JSON object");
  }
  ExecutionOptions o;
  SB_RETURN_IF_ERROR(readNumber(j, "max_concurrency", o.max_concurrency));
  SB_RETURN_IF_ERROR(readNumber(j, "step_timeout_ms", o.step_timeout_ms));
  SB_RETURN_IF_ERROR(readNumber(j, "execution_timeout_ms", o.execution_timeout_ms));
  SB_RETURN_IF_ERROR(readNumber(j, "max_attempts", o.max_attempts));
  if (j.contains("backoff")) {
    const json& b = j["backoff"];
    if (!b.is_object()) return Status::invalidArgument("backoff must be an object");
    SB_RETURN_IF_ERROR(readNumber(b, "initial_ms", o.backoff.initial_ms));
    SB_RETURN_IF_ERROR(readNumber(b, "multiplier", o.backoff.multiplier));
    SB_RETURN_IF_ERROR(readNumber(b, "max_ms", o.backoff.max_ms));
    SB_RETURN_IF_ERROR(readNumber(b, "jitter", o.backoff.jitter));
  }
  if (j.contains("budget")) {
    const json& b = j["budget"];
    if (!b.is_object()) return Status::invalidArgument("budget must be an object");
    SB_RETURN_IF_ERROR(readNumber(b, "max_steps", o.budget.max_steps));
    SB_RETURN_IF_ERROR(readNumber(b, "max_tokens", o.budget.max_tokens));
    SB_RETURN_IF_ERROR(readNumber(b, "max_cost_usd", o.budget.max_cost_usd));
    SB_RETURN_IF_ERROR(readNumber(b, "max_wall_ms", o.budget.max_wall_ms));
  }
  SB_RETURN_IF_ERROR(o.validate());
  return o;
}

Status ExecutionOptions::validate() const {
  if (max_concurrency < 1) return Status::invalidArgument("max_concurrency must be >= 1");
  if (max_attempts < 1) return Status::invalidArgument("max_attempts must be >= 1");
  if (step_timeout_ms < 0 || execution_timeout_ms < 0) {
    return Status::invalidArgument("timeouts must be >= 0 (0 = none)");
  }
  if (backoff.initial_ms < 0 || backoff.max_ms < 0 || backoff.multiplier < 1.0) {
    return Status::invalidArgument("backoff needs initial_ms >= 0, max_ms >= 0, multiplier >= 1");
  }
  if (backoff.jitter < 0.0 || backoff.jitter > 1.0) {
    return Status::invalidArgument("backoff.jitter must be within [0, 1]");
  }
  if (budget.max_steps < 0 || budget.max_tokens < 0 || budget.max_cost_usd < 0.0 ||
      budget.max_wall_ms < 0) {
    return Status::invalidArgument("budget limits must be >= 0 (0 = unlimited)");
  }
  return Status();
}

std::string StepSnapshot::toJson() const {
  json j = {{"key", key},
            {"status", stepStatusName(status)},
            {"agent_id", agent_id},
            {"capability", capability},
            {"task_id", task_id},
            {"input", embedded(input_json)},
            {"attempts", attempts},
            {"output", embedded(output_json)},
            {"error", error},
            {"usage", usageToJson(usage)},
            {"queued_at_ms", queued_at_ms},
            {"started_at_ms", started_at_ms},
            {"ended_at_ms", ended_at_ms},
            {"seq", seq}};
  return j.dump();
}

std::string ExecutionSnapshot::toJson() const {
  json steps_json = json::array();
  for (const StepSnapshot& s : steps) steps_json.push_back(json::parse(s.toJson()));
  json j = {{"id", id},
            {"pattern", pattern},
            {"status", executionStatusName(status)},
            {"result", embedded(result_json)},
            {"error", error},
            {"progress",
             {{"total", counts.total},
              {"pending", counts.pending},
              {"running", counts.running},
              {"succeeded", counts.succeeded},
              {"failed", counts.failed},
              {"cancelled", counts.cancelled},
              {"timed_out", counts.timed_out},
              {"skipped", counts.skipped},
              {"budget_exceeded", counts.budget_exceeded}}},
            {"usage", usageToJson(usage)},
            {"created_at_ms", created_at_ms},
            {"started_at_ms", started_at_ms},
            {"ended_at_ms", ended_at_ms},
            {"parent_id", parent_id},
            {"rewound_from_step", rewound_from_step},
            {"options", json::parse(options.toJson())},
            {"steps", std::move(steps_json)}};
  return j.dump();
}

}  // namespace switchboard::core
