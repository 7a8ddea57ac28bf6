// AgentRecord: the agent as the gateway stores and shows it, and the requests that make
// and change one. Plain values; conversion to and from JSON lives here too.
//
// Status is the administrative state (created, idle, paused, stopped, error, failed) plus
// `busy`, which is derived: an idle agent with calls in flight shows as busy. Only the
// administrative state is stored, so an agent reloaded after a restart is never busy.
// Counters and health are kept by the agent service from finished calls.
//
// Thread safety: plain values; no shared state.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "switchboard/status.hpp"

namespace switchboard::core {

enum class AgentStatus { kCreated, kIdle, kBusy, kPaused, kStopped, kError, kFailed };
std::string_view agentStatusName(AgentStatus status);
// nullopt for an unknown name.
std::optional<AgentStatus> parseAgentStatus(std::string_view name);

// Zero means "no limit" for every field.
struct AgentBudget {
  std::int64_t max_tokens = 0;  // input + output tokens over the agent's life
  double max_cost_usd = 0.0;
  std::int64_t max_turns = 0;
};

struct AgentLimits {
  std::int64_t timeout_ms = 0;      // per request (ask() and the engine's steps)
  std::int64_t max_concurrent = 0;  // calls in flight at once
  AgentBudget budget;
};

struct AgentCounters {
  std::int64_t requests = 0;  // finished calls of any outcome
  std::int64_t successes = 0;
  std::int64_t failures = 0;   // finished with an error other than cancelled
  std::int64_t cancelled = 0;  // finished with a Cancelled status
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  std::int64_t turns = 0;
  double cost_usd = 0.0;
  double wall_ms_total = 0.0;
  double cpu_ms = 0.0;           // CPU time of the processes its calls ran
  std::int64_t peak_rss_kb = 0;  // the highest resident set of one of them
};

struct AgentHealth {
  std::int64_t consecutive_failures = 0;
  std::string last_error;  // message of the last failed call or failed start
  std::string last_error_at;
  std::string last_success_at;
  std::int64_t consecutive_crashes = 0;  // process crashes since the last success
  std::int64_t crashes = 0;              // in all
  std::int64_t restarts = 0;             // by the recovery ladder
  std::string last_crash;
  std::string last_crash_at;
};

struct AgentRecord {
  std::string id;
  std::string name;
  std::string role;
  std::string type;  // full plugin name, e.g. "switchboard.agent.scripted"
  std::string model;
  std::string system_prompt;
  std::vector<std::string> capabilities;
  nlohmann::json config = nlohmann::json::object();
  AgentLimits limits;
  AgentStatus status = AgentStatus::kCreated;
  std::string status_reason;  // why the agent is in error/failed, or who paused/stopped it
  AgentCounters counters;
  AgentHealth health;
  std::int64_t in_flight = 0;  // calls running now (not stored)
  std::string created_at;
  std::string updated_at;
};

struct AgentCreateRequest {
  std::string name;
  std::string role;
  std::string type;  // plugin name or its last component ("scripted")
  std::string model;
  std::string system_prompt;
  std::vector<std::string> capabilities;
  nlohmann::json config = nlohmann::json::object();
  AgentLimits limits;
  bool start = true;  // false leaves the agent in `created` until control(kStart)
};

// Fields left unset are unchanged. A change of name, role, model, system_prompt or config
// recreates the agent's runtime (calls in flight finish on the old one).
struct AgentUpdate {
  std::optional<std::string> name;
  std::optional<std::string> role;
  std::optional<std::string> model;
  std::optional<std::string> system_prompt;
  std::optional<std::vector<std::string>> capabilities;
  std::optional<nlohmann::json> config;
  std::optional<AgentLimits> limits;
};

enum class AgentAction { kStart, kStop, kPause, kResume, kRestart };
std::string_view agentActionName(AgentAction action);
std::optional<AgentAction> parseAgentAction(std::string_view name);

nlohmann::json limitsToJson(const AgentLimits& limits);
// InvalidArgument naming the key for an unknown key, a wrong type or a negative value.
// Keys: timeout_ms, max_concurrent, budget {max_tokens, max_cost_usd, max_turns}; missing
// keys are zero (no limit).
Result<AgentLimits> limitsFromJson(const nlohmann::json& json);

// The record as shown to clients and events (includes in_flight).
nlohmann::json toJson(const AgentRecord& agent);
// The record as stored (no in_flight; status is the administrative state).
nlohmann::json toStoredJson(const AgentRecord& agent);
// DataLoss when a stored record is not a valid agent.
Result<AgentRecord> agentFromStoredJson(const nlohmann::json& json);

}  // namespace switchboard::core
