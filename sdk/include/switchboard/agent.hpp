// Agent plugins: an AgentType creates Agents; an Agent answers requests asynchronously.
//
// The host calls Agent::call() with a request and a callback, and gets back an AgentCall
// handle it may use to cancel. The agent reports progress and cumulative usage while it
// works and finishes by calling onDone() exactly once, from any thread, possibly before
// call() returns. After cancel() the agent must still call onDone() (with a Cancelled
// status) promptly, and must have stopped any process or request it started.
//
// Budgets: the host enforces agent and execution budgets itself, on the usage reported by
// onUsage() while the call streams: when one is used up it cancels the call. An agent that
// can stop its own work at a limit gets what is left in AgentRequest (max_cost_usd ...) and
// ends such a call with a ResourceExhausted status; the host records the step as
// budget_exceeded with what was spent. Report 429s and overloaded providers as Unavailable.
//
// Ownership: the host owns every Agent and AgentCall (and keeps the plugin's library
// loaded while they live); the agent shares ownership of the callback until onDone().
// Thread safety: call() may be invoked concurrently on one Agent; an Agent that cannot
// serve requests concurrently must queue them itself. Methods must not throw; the host
// also catches at the boundary and treats an exception as an internal error.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "switchboard/plugin.hpp"
#include "switchboard/status.hpp"
#include "switchboard/usage.hpp"

namespace switchboard {

// The agent as the user defined it. config_json was validated against the type's
// agentConfigSchema() by the host.
struct AgentSpec {
  std::string id;
  std::string name;
  std::string role;
  std::string model;
  std::string system_prompt;
  std::string config_json = "{}";
};

struct AgentRequest {
  std::string request_id;       // idempotency key: the same step retried keeps the same id
  std::string input_json;       // {"prompt": "...", "task": {...}, "context": {...}}
  std::int64_t timeout_ms = 0;  // 0 = none; the host enforces its own timeout regardless
  std::string session_id;       // conversation to resume, if the agent type has sessions
  // What is left of the budgets that apply to this call; 0 = no limit.
  double max_cost_usd = 0.0;
  std::int64_t max_tokens = 0;
  std::int64_t max_turns = 0;
};

struct AgentReply {
  Status status;            // OK only when the agent really finished its work
  std::string output_json;  // {"text": "..."} or any JSON value the agent produced
  Usage usage;              // total for this call
  std::string session_id;   // conversation handle to resume next time, if any
};

// Implemented by the host. Thread-safe; every method may be called from any thread.
class AgentCallback {
 public:
  virtual ~AgentCallback() = default;
  virtual void onProgress(std::string_view message) noexcept = 0;
  // Cumulative usage of this call so far; lets the host enforce budgets while it streams.
  virtual void onUsage(const Usage& so_far) noexcept = 0;
  // Exactly once per call.
  virtual void onDone(AgentReply reply) noexcept = 0;
};

// Handle of one running call. Destroying it does not cancel the call.
class AgentCall {
 public:
  virtual ~AgentCall() = default;
  // Asks the call to stop; idempotent; onDone() follows with a Cancelled status.
  virtual void cancel() noexcept = 0;
};

class Agent {
 public:
  virtual ~Agent() = default;
  // Starts one request. Returns an error only when the request could not be started at
  // all (then onDone() is never called).
  virtual Result<std::unique_ptr<AgentCall>> call(const AgentRequest& request,
                                                  std::shared_ptr<AgentCallback> callback) = 0;
};

class AgentType : public PluginObject {
 public:
  static constexpr PluginKind kKind = PluginKind::kAgent;
  // JSON Schema (draft-07 text) of AgentSpec::config_json for agents of this type.
  virtual std::string agentConfigSchema() const = 0;
  // InvalidArgument when the spec cannot describe a working agent of this type.
  virtual Result<std::unique_ptr<Agent>> createAgent(const AgentSpec& spec) = 0;
};

}  // namespace switchboard
