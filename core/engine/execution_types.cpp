#include "core/engine/execution_types.hpp"

#include <nlohmann/json.hpp>
#include <utility>

#include "core/common/enum_names.hpp"
#include "core/common/json_text.hpp"
#include "core/common/usage_json.hpp"

namespace switchboard::core {
namespace {

using nlohmann::json;

constexpr EnumNames<ExecutionStatus, 9> kExecutionNames{{{
    {ExecutionStatus::kQueued, "queued"},
    {ExecutionStatus::kRunning, "running"},
    {ExecutionStatus::kPaused, "paused"},
    {ExecutionStatus::kCompleted, "completed"},
    {ExecutionStatus::kFailed, "failed"},
    {ExecutionStatus::kCancelled, "cancelled"},
    {ExecutionStatus::kBudgetExceeded, "budget_exceeded"},
    {ExecutionStatus::kBlocked, "blocked"},
    {ExecutionStatus::kTimedOut, "timed_out"},
}}};

constexpr EnumNames<StepStatus, 8> kStepNames{{{
    {StepStatus::kPending, "pending"},
    {StepStatus::kRunning, "running"},
    {StepStatus::kSucceeded, "succeeded"},
    {StepStatus::kFailed, "failed"},
    {StepStatus::kCancelled, "cancelled"},
    {StepStatus::kTimedOut, "timed_out"},
    {StepStatus::kSkipped, "skipped"},
    {StepStatus::kBudgetExceeded, "budget_exceeded"},
}}};

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
  return kExecutionNames.name(status);
}

std::optional<ExecutionStatus> parseExecutionStatus(std::string_view name) {
  return kExecutionNames.parse(name);
}

bool isTerminal(ExecutionStatus status) {
  return status != ExecutionStatus::kQueued && status != ExecutionStatus::kRunning &&
         status != ExecutionStatus::kPaused;
}

std::string_view stepStatusName(StepStatus status) { return kStepNames.name(status); }

std::optional<StepStatus> parseStepStatus(std::string_view name) { return kStepNames.parse(name); }

bool isSettled(StepStatus status) {
  return status != StepStatus::kPending && status != StepStatus::kRunning;
}

json ExecutionOptions::toJson() const {
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
  return j;
}

Result<ExecutionOptions> ExecutionOptions::fromJson(const json& j) {
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

json countsToJson(const ExecutionCounts& c) {
  return {
      {"total", c.total},         {"pending", c.pending}, {"running", c.running},
      {"succeeded", c.succeeded}, {"failed", c.failed},   {"cancelled", c.cancelled},
      {"timed_out", c.timed_out}, {"skipped", c.skipped}, {"budget_exceeded", c.budget_exceeded}};
}

ExecutionCounts countsFromJson(const json& j) {
  ExecutionCounts c;
  if (!j.is_object()) return c;
  auto read = [&](const char* key, std::int64_t& out) {
    auto it = j.find(key);
    if (it != j.end() && it->is_number_integer()) out = it->get<std::int64_t>();
  };
  read("total", c.total);
  read("pending", c.pending);
  read("running", c.running);
  read("succeeded", c.succeeded);
  read("failed", c.failed);
  read("cancelled", c.cancelled);
  read("timed_out", c.timed_out);
  read("skipped", c.skipped);
  read("budget_exceeded", c.budget_exceeded);
  return c;
}

json StepSnapshot::toJson() const {
  json j = {{"key", key},
            {"status", stepStatusName(status)},
            {"agent_id", agent_id},
            {"capability", capability},
            {"task_id", task_id},
            {"input", jsonOrText(input_json)},
            {"attempts", attempts},
            {"output", jsonOrText(output_json)},
            {"error", error},
            {"usage", usageToJson(usage)},
            {"queued_at_ms", queued_at_ms},
            {"started_at_ms", started_at_ms},
            {"ended_at_ms", ended_at_ms},
            {"seq", seq}};
  return j;
}

json ExecutionSnapshot::toJson() const {
  json steps_json = json::array();
  for (const StepSnapshot& s : steps) steps_json.push_back(s.toJson());
  json j = {{"id", id},
            {"pattern", pattern},
            {"status", executionStatusName(status)},
            {"result", jsonOrText(result_json)},
            {"error", error},
            {"progress", countsToJson(counts)},
            {"usage", usageToJson(usage)},
            {"created_at_ms", created_at_ms},
            {"started_at_ms", started_at_ms},
            {"ended_at_ms", ended_at_ms},
            {"parent_id", parent_id},
            {"rewound_from_step", rewound_from_step},
            {"options", options.toJson()},
            {"steps", std::move(steps_json)}};
  return j;
}

}  // namespace switchboard::core
