#include "core/agents/agent_record.hpp"

#include "core/common/enum_names.hpp"

namespace switchboard::core {
namespace {

using nlohmann::json;

constexpr EnumNames<AgentStatus, 7> kStatusNames{{{
    {AgentStatus::kCreated, "created"},
    {AgentStatus::kIdle, "idle"},
    {AgentStatus::kBusy, "busy"},
    {AgentStatus::kPaused, "paused"},
    {AgentStatus::kStopped, "stopped"},
    {AgentStatus::kError, "error"},
    {AgentStatus::kFailed, "failed"},
}}};

constexpr EnumNames<AgentAction, 5> kActionNames{{{
    {AgentAction::kStart, "start"},
    {AgentAction::kStop, "stop"},
    {AgentAction::kPause, "pause"},
    {AgentAction::kResume, "resume"},
    {AgentAction::kRestart, "restart"},
}}};

// Reads an optional non-negative number; InvalidArgument naming `path` otherwise.
template <typename T>
Status readNonNegative(const json& object, const char* key, const std::string& path, T* out) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return Status();
  bool integral_wanted = std::is_integral_v<T>;
  if (!it->is_number() || (integral_wanted && !it->is_number_integer())) {
    return Status::invalidArgument(path + key + " must be a " +
                                   (integral_wanted ? "whole number" : "number"));
  }
  T value = it->get<T>();
  if (value < 0) return Status::invalidArgument(path + key + " must not be negative");
  *out = value;
  return Status();
}

Status rejectUnknownKeys(const json& object, std::initializer_list<std::string_view> known,
                         const std::string& path) {
  for (const auto& [key, value] : object.items()) {
    bool found = false;
    for (std::string_view k : known) found = found || k == key;
    if (!found) return Status::invalidArgument("unknown key " + path + key);
  }
  return Status();
}

json countersToJson(const AgentCounters& c) {
  return {{"requests", c.requests},
          {"successes", c.successes},
          {"failures", c.failures},
          {"cancelled", c.cancelled},
          {"input_tokens", c.input_tokens},
          {"output_tokens", c.output_tokens},
          {"turns", c.turns},
          {"cost_usd", c.cost_usd},
          {"wall_ms_total", c.wall_ms_total},
          {"cpu_ms", c.cpu_ms},
          {"peak_rss_kb", c.peak_rss_kb}};
}

json healthToJson(const AgentHealth& h) {
  return {{"consecutive_failures", h.consecutive_failures},
          {"last_error", h.last_error},
          {"last_error_at", h.last_error_at},
          {"last_success_at", h.last_success_at},
          {"consecutive_crashes", h.consecutive_crashes},
          {"crashes", h.crashes},
          {"restarts", h.restarts},
          {"last_crash", h.last_crash},
          {"last_crash_at", h.last_crash_at}};
}

}  // namespace

std::string_view agentStatusName(AgentStatus status) { return kStatusNames.name(status); }

std::optional<AgentStatus> parseAgentStatus(std::string_view name) {
  return kStatusNames.parse(name);
}

std::string_view agentActionName(AgentAction action) { return kActionNames.name(action); }

std::optional<AgentAction> parseAgentAction(std::string_view name) {
  return kActionNames.parse(name);
}

json limitsToJson(const AgentLimits& limits) {
  return {{"timeout_ms", limits.timeout_ms},
          {"max_concurrent", limits.max_concurrent},
          {"budget",
           {{"max_tokens", limits.budget.max_tokens},
            {"max_cost_usd", limits.budget.max_cost_usd},
            {"max_turns", limits.budget.max_turns}}}};
}

Result<AgentLimits> limitsFromJson(const json& object) {
  AgentLimits limits;
  if (object.is_null()) return limits;
  if (!object.is_object()) return Status::invalidArgument("limits must be an object");
  SB_RETURN_IF_ERROR(
      rejectUnknownKeys(object, {"timeout_ms", "max_concurrent", "budget"}, "limits."));
  SB_RETURN_IF_ERROR(readNonNegative(object, "timeout_ms", "limits.", &limits.timeout_ms));
  SB_RETURN_IF_ERROR(readNonNegative(object, "max_concurrent", "limits.", &limits.max_concurrent));
  auto budget = object.find("budget");
  if (budget != object.end() && !budget->is_null()) {
    if (!budget->is_object()) return Status::invalidArgument("limits.budget must be an object");
    const std::string path = "limits.budget.";
    SB_RETURN_IF_ERROR(
        rejectUnknownKeys(*budget, {"max_tokens", "max_cost_usd", "max_turns"}, path));
    SB_RETURN_IF_ERROR(readNonNegative(*budget, "max_tokens", path, &limits.budget.max_tokens));
    SB_RETURN_IF_ERROR(readNonNegative(*budget, "max_cost_usd", path, &limits.budget.max_cost_usd));
    SB_RETURN_IF_ERROR(readNonNegative(*budget, "max_turns", path, &limits.budget.max_turns));
  }
  return limits;
}

json toJson(const AgentRecord& agent) {
  json out = toStoredJson(agent);
  out["in_flight"] = agent.in_flight;
  return out;
}

json toStoredJson(const AgentRecord& a) {
  return {{"id", a.id},
          {"name", a.name},
          {"role", a.role},
          {"type", a.type},
          {"model", a.model},
          {"system_prompt", a.system_prompt},
          {"capabilities", a.capabilities},
          {"config", a.config},
          {"limits", limitsToJson(a.limits)},
          {"status", agentStatusName(a.status)},
          {"status_reason", a.status_reason},
          {"counters", countersToJson(a.counters)},
          {"health", healthToJson(a.health)},
          {"created_at", a.created_at},
          {"updated_at", a.updated_at}};
}

Result<AgentRecord> agentFromStoredJson(const json& j) {
  if (!j.is_object()) return Status::dataLoss("stored agent is not a JSON object");
  AgentRecord a;
  // Every field is checked before it is read, so a damaged record never throws.
  auto str = [&](const char* key, std::string* out) -> bool {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return false;
    *out = it->get<std::string>();
    return true;
  };
  if (!str("id", &a.id) || !str("name", &a.name) || !str("type", &a.type)) {
    return Status::dataLoss("stored agent lacks id, name or type");
  }
  std::string status;
  if (!str("status", &status) || !parseAgentStatus(status) || status == "busy") {
    return Status::dataLoss("stored agent " + a.id + " has no valid status");
  }
  a.status = *parseAgentStatus(status);
  (void)str("role", &a.role);
  (void)str("model", &a.model);
  (void)str("system_prompt", &a.system_prompt);
  (void)str("status_reason", &a.status_reason);
  (void)str("created_at", &a.created_at);
  (void)str("updated_at", &a.updated_at);
  if (auto it = j.find("capabilities"); it != j.end() && it->is_array()) {
    for (const auto& c : *it) {
      if (c.is_string()) a.capabilities.push_back(c.get<std::string>());
    }
  }
  if (auto it = j.find("config"); it != j.end() && it->is_object()) a.config = *it;
  if (auto it = j.find("limits"); it != j.end()) {
    Result<AgentLimits> limits = limitsFromJson(*it);
    if (!limits.ok())
      return Status::dataLoss("stored agent " + a.id + ": " + limits.status().message());
    a.limits = *limits;
  }
  auto num = [](const json& o, const char* key, auto* out) {
    auto it = o.find(key);
    if (it != o.end() && it->is_number()) *out = it->get<std::remove_pointer_t<decltype(out)>>();
  };
  if (auto it = j.find("counters"); it != j.end() && it->is_object()) {
    AgentCounters& c = a.counters;
    num(*it, "requests", &c.requests);
    num(*it, "successes", &c.successes);
    num(*it, "failures", &c.failures);
    num(*it, "cancelled", &c.cancelled);
    num(*it, "input_tokens", &c.input_tokens);
    num(*it, "output_tokens", &c.output_tokens);
    num(*it, "turns", &c.turns);
    num(*it, "cost_usd", &c.cost_usd);
    num(*it, "wall_ms_total", &c.wall_ms_total);
    num(*it, "cpu_ms", &c.cpu_ms);
    num(*it, "peak_rss_kb", &c.peak_rss_kb);
  }
  if (auto it = j.find("health"); it != j.end() && it->is_object()) {
    num(*it, "consecutive_failures", &a.health.consecutive_failures);
    auto hs = [&](const char* key, std::string* out) {
      auto f = it->find(key);
      if (f != it->end() && f->is_string()) *out = f->get<std::string>();
    };
    hs("last_error", &a.health.last_error);
    hs("last_error_at", &a.health.last_error_at);
    hs("last_success_at", &a.health.last_success_at);
    hs("last_crash", &a.health.last_crash);
    hs("last_crash_at", &a.health.last_crash_at);
    num(*it, "consecutive_crashes", &a.health.consecutive_crashes);
    num(*it, "crashes", &a.health.crashes);
    num(*it, "restarts", &a.health.restarts);
  }
  return a;
}

}  // namespace switchboard::core
