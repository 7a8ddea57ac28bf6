#include "core/engine/execution_state.hpp"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/common/usage_json.hpp"

namespace switchboard::core {
namespace {

using nlohmann::json;

std::int64_t* countSlot(ExecutionCounts& c, StepStatus s) {
  switch (s) {
    case StepStatus::kPending:
      return &c.pending;
    case StepStatus::kRunning:
      return &c.running;
    case StepStatus::kSucceeded:
      return &c.succeeded;
    case StepStatus::kFailed:
      return &c.failed;
    case StepStatus::kCancelled:
      return &c.cancelled;
    case StepStatus::kTimedOut:
      return &c.timed_out;
    case StepStatus::kSkipped:
      return &c.skipped;
    case StepStatus::kBudgetExceeded:
      return &c.budget_exceeded;
  }
  return &c.pending;
}

void appendString(std::string& out, const std::string& s) {
  out += '"';
  for (unsigned char ch : s) {
    switch (ch) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (ch < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", ch);
          out += buf;
        } else {
          out += static_cast<char>(ch);
        }
    }
  }
  out += '"';
}

void appendField(std::string& out, const char* name) {
  out += ",\"";
  out += name;
  out += "\":";
}

void appendInt(std::string& out, const char* name, std::int64_t v) {
  appendField(out, name);
  out += std::to_string(v);
}

std::string rawOr(const json& j, const char* key, const char* fallback) {
  if (!j.contains(key) || j[key].is_null()) return fallback;
  return j[key].dump();
}

std::string str(const json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_string()) return {};
  return j[key].get<std::string>();
}

std::int64_t num(const json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_number_integer()) return 0;
  return j[key].get<std::int64_t>();
}

}  // namespace

void ExecutionState::countMove(StepStatus from, StepStatus to) {
  --*countSlot(counts, from);
  ++*countSlot(counts, to);
}

StepSnapshot ExecutionState::stepSnapshot(const StepState& s) const {
  StepSnapshot out;
  out.key = s.spec.key;
  out.status = s.status;
  out.agent_id = s.agent_id.empty() ? s.spec.agent_id : s.agent_id;
  out.capability = s.spec.capability;
  out.task_id = s.spec.task_id;
  out.input_json = s.spec.input_json;
  out.attempts = s.attempts;
  out.output_json = s.output_json;
  out.error = s.error;
  out.usage = s.usage;
  out.queued_at_ms = s.queued_at_ms;
  out.started_at_ms = s.started_at_ms;
  out.ended_at_ms = s.ended_at_ms;
  out.seq = s.seq;
  return out;
}

ExecutionSnapshot ExecutionState::snapshot(bool with_steps) const {
  ExecutionSnapshot out;
  out.id = id;
  out.pattern = pattern_name;
  out.status = status;
  out.result_json = result_json;
  out.error = error;
  out.counts = counts;
  out.usage = usage;
  out.created_at_ms = created_at_ms;
  out.started_at_ms = started_at_ms;
  out.ended_at_ms = ended_at_ms;
  out.parent_id = parent_id;
  out.rewound_from_step = rewound_from_step;
  out.options = options;
  if (with_steps) {
    out.steps.reserve(steps.size());
    for (const StepState& s : steps) out.steps.push_back(stepSnapshot(s));
    std::sort(out.steps.begin(), out.steps.end(),
              [](const StepSnapshot& a, const StepSnapshot& b) { return a.seq < b.seq; });
  }
  return out;
}

std::string encodeStep(const StepState& s) {
  std::string out;
  out.reserve(256 + s.spec.input_json.size() + s.output_json.size());
  out += "{\"key\":";
  appendString(out, s.spec.key);
  appendField(out, "status");
  out += '"';
  out += stepStatusName(s.status);
  out += '"';
  appendField(out, "agent_id");
  appendString(out, s.spec.agent_id);
  appendField(out, "ran_on");
  appendString(out, s.agent_id);
  appendField(out, "capability");
  appendString(out, s.spec.capability);
  appendField(out, "task_id");
  appendString(out, s.spec.task_id);
  appendField(out, "input");
  out += s.spec.input_json.empty() ? "{}" : s.spec.input_json;
  appendInt(out, "timeout_ms", s.spec.timeout_ms);
  appendInt(out, "max_attempts", s.spec.max_attempts);
  appendInt(out, "attempts", s.attempts);
  appendField(out, "output");
  out += s.output_json.empty() ? "null" : s.output_json;
  appendField(out, "error");
  appendString(out, s.error);
  appendField(out, "usage");
  appendUsageJson(out, s.usage);
  appendInt(out, "queued_at_ms", s.queued_at_ms);
  appendInt(out, "started_at_ms", s.started_at_ms);
  appendInt(out, "ended_at_ms", s.ended_at_ms);
  out += '}';
  return out;
}

Status decodeStep(const StepRecord& record, StepState& s) {
  json j = json::parse(record.json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::dataLoss("step " + record.key + " of " + record.execution_id +
                            " is not a JSON object");
  }
  std::optional<StepStatus> status = parseStepStatus(str(j, "status"));
  if (!status) return Status::dataLoss("step " + record.key + " has an unknown status");
  s.spec.key = record.key;
  s.spec.agent_id = str(j, "agent_id");
  s.spec.capability = str(j, "capability");
  s.spec.task_id = str(j, "task_id");
  s.spec.input_json = rawOr(j, "input", "{}");
  s.spec.timeout_ms = num(j, "timeout_ms");
  s.spec.max_attempts = static_cast<std::int32_t>(num(j, "max_attempts"));
  s.status = *status;
  s.agent_id = str(j, "ran_on");
  s.attempts = static_cast<std::int32_t>(num(j, "attempts"));
  s.output_json = rawOr(j, "output", "");
  s.error = str(j, "error");
  s.usage = j.contains("usage") ? usageFromJson(j["usage"]) : Usage{};
  s.queued_at_ms = num(j, "queued_at_ms");
  s.started_at_ms = num(j, "started_at_ms");
  s.ended_at_ms = num(j, "ended_at_ms");
  s.seq = record.seq;
  return Status();
}

std::string encodeExecution(const ExecutionState& e) {
  json j = {{"id", e.id},
            {"pattern", e.pattern_name},
            {"status", executionStatusName(e.status)},
            {"input",
             {{"params", e.input.params_json},
              {"agents", e.input.agents_json},
              {"tasks", e.input.tasks_json},
              {"objective", e.input.objective}}},
            {"options", e.options.toJson()},
            {"result", e.result_json},
            {"error", e.error},
            {"created_at_ms", e.created_at_ms},
            {"started_at_ms", e.started_at_ms},
            {"ended_at_ms", e.ended_at_ms},
            {"parent_id", e.parent_id},
            {"rewound_from_step", e.rewound_from_step},
            {"usage", usageToJson(e.usage)},
            {"counts", countsToJson(e.counts)}};
  return j.dump();
}

Status decodeExecution(const std::string& text, ExecutionState& e) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::dataLoss("execution record is not a JSON object");
  }
  std::optional<ExecutionStatus> status = parseExecutionStatus(str(j, "status"));
  if (!status) return Status::dataLoss("execution record has an unknown status");
  e.id = str(j, "id");
  e.pattern_name = str(j, "pattern");
  e.status = *status;
  if (j.contains("input") && j["input"].is_object()) {
    const json& in = j["input"];
    e.input.params_json = str(in, "params");
    e.input.agents_json = str(in, "agents");
    e.input.tasks_json = str(in, "tasks");
    e.input.objective = str(in, "objective");
  }
  e.input.execution_id = e.id;
  if (j.contains("options")) {
    Result<ExecutionOptions> options = ExecutionOptions::fromJson(j["options"]);
    if (!options.ok()) return Status::dataLoss("execution options: " + options.status().message());
    e.options = *options;
  }
  e.result_json = str(j, "result");
  e.error = str(j, "error");
  e.created_at_ms = num(j, "created_at_ms");
  e.started_at_ms = num(j, "started_at_ms");
  e.ended_at_ms = num(j, "ended_at_ms");
  e.parent_id = str(j, "parent_id");
  e.rewound_from_step = str(j, "rewound_from_step");
  if (j.contains("usage")) e.usage = usageFromJson(j["usage"]);
  if (j.contains("counts")) e.counts = countsFromJson(j["counts"]);
  return Status();
}

Usage usageMinus(const Usage& a, const Usage& b) {
  Usage u;
  u.input_tokens = a.input_tokens - b.input_tokens;
  u.output_tokens = a.output_tokens - b.output_tokens;
  u.cache_read_tokens = a.cache_read_tokens - b.cache_read_tokens;
  u.cache_creation_tokens = a.cache_creation_tokens - b.cache_creation_tokens;
  u.turns = a.turns - b.turns;
  u.cost_usd = a.cost_usd - b.cost_usd;
  u.cpu_ms = a.cpu_ms - b.cpu_ms;
  u.peak_rss_kb = a.peak_rss_kb;  // a peak, not a sum: the later report holds it
  return u;
}

}  // namespace switchboard::core
