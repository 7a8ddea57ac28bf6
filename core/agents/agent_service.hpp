// AgentService: the agents of the gateway — their records, lifecycle, runtimes and counters.
//
// It creates agents from agent-type plugins (validating each config against the type's
// agentConfigSchema()), keeps one runtime (switchboard::Agent) per started agent, persists
// every agent in the store's "agents" collection and reloads them with load(), and emits an
// event on topic "agent/<id>" for every change (types agent.created, agent.updated,
// agent.status, agent.deleted; the payload holds the agent as toJson() shows it, plus
// "from", "to" and "reason" for agent.status).
//
// It is also the engine's AgentDirectory: resolve() hands out a runtime (by id or name, or
// by capability with round-robin over available agents, honouring max_concurrent and the
// budget) and counts the call as in flight; every successful resolve() must be balanced by
// exactly one callFinished(), which updates counters and health. An idle agent with calls
// in flight shows as busy.
//
// Lifecycle (control()): created -start-> idle; idle/busy -pause-> paused -resume-> idle;
// idle/busy/paused/error/failed -stop-> stopped -start-> idle; every status except created
// -restart-> idle (runtime recreated). Runtimes are created on start, on restart, on a
// spec change, and lazily for agents reloaded from the store; a runtime that cannot be
// created puts the agent in `error` with the reason. Stop, restart and forced delete
// cancel the agent's ask() calls; engine calls in flight finish on the runtime they hold.
//
// Store writes: counters of finished calls are written at most once per
// counter_flush_interval per agent and on flush()/destruction; every other change is
// written before the method returns. When the store refuses a write, the method returns
// that error and the change stays in memory (the next successful write stores it).
//
// Thread safety: every method may be called from any thread. One mutex guards the state;
// it is never held while calling a plugin (agent types, agents, the store) or the sink.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "core/agents/agent_record.hpp"
#include "core/agents/agent_type_catalog.hpp"
#include "core/agents/provider_guard.hpp"
#include "core/common/agent_directory.hpp"
#include "core/common/event_outbox.hpp"
#include "core/common/event_sink.hpp"
#include "switchboard/agent.hpp"
#include "switchboard/storage.hpp"

namespace switchboard::core {

class AgentMeter;

struct AgentServiceOptions {
  // How often, at most, the counters of one agent are written while calls finish.
  std::chrono::milliseconds counter_flush_interval{1000};
  // After this many failed calls in a row the agent goes to `error` (0: never).
  std::int64_t error_after_failures = 0;
  // ask() timeout when neither the caller nor the agent's limits give one.
  std::chrono::milliseconds default_ask_timeout{300000};
  // How long ask() waits for an agent to finish after cancelling it on timeout.
  std::chrono::milliseconds cancel_grace{5000};
  // Emit agent.status for the idle <-> busy flips that calls starting and finishing cause
  // (two events per call on a lightly loaded agent). The shown status is the same either
  // way; turn off when events are costly (e.g. each one is a store write).
  bool busy_events = true;
  // Rate limits and circuit breakers by provider: the agent type's short name
  // ("anthropic" for switchboard.agent.anthropic). Providers not named have none.
  std::map<std::string, ProviderLimits> providers;
};

struct AgentFilter {
  std::optional<AgentStatus> status;
  std::string role;        // empty: any
  std::string capability;  // empty: any
};

struct AgentPage {
  std::vector<AgentRecord> agents;
  std::string next_cursor;  // empty when this is the last page
};

struct AskResult {
  std::string agent_id;
  Status status;          // the call's outcome (DeadlineExceeded when it timed out)
  std::string text;       // output "text" (or the output itself when it is a string)
  nlohmann::json output;  // the agent's output JSON (null when it gave none)
  Usage usage;
  double wall_ms = 0.0;
};

class AgentService final : public AgentDirectory {
 public:
  // `types` must outlive the service; `store` and `events` are required.
  AgentService(AgentTypeCatalog* types, std::shared_ptr<StorageBackend> store, EventSink events,
               AgentServiceOptions options = {});
  // Writes counters not yet stored; cancels ask() calls still running.
  ~AgentService() override;
  AgentService(const AgentService&) = delete;
  AgentService& operator=(const AgentService&) = delete;

  // Reads every stored agent (runtimes are created lazily). Returns how many were loaded;
  // unreadable records are skipped and logged. Unavailable/DataLoss when the store fails.
  Result<std::int64_t> load();

  // InvalidArgument (bad name, capability, limits or config: the message names the field
  // or lists each schema violation), NotFound (unknown type; lists the loaded types),
  // AlreadyExists (name taken), or the type's error when it cannot create the agent.
  Result<AgentRecord> create(const AgentCreateRequest& request);
  // Sorted by id (creation order). `cursor` is a next_cursor from an earlier page;
  // `limit` is clamped to 1..500 (0 means 50). InvalidArgument for a malformed cursor.
  Result<AgentPage> list(const AgentFilter& filter, const std::string& cursor,
                         std::int64_t limit) const;
  // By id or name. NotFound.
  Result<AgentRecord> get(const std::string& id_or_name) const;
  // NotFound, InvalidArgument, AlreadyExists (new name taken), or the type's error when a
  // changed spec cannot make a runtime (then nothing is changed).
  Result<AgentRecord> update(const std::string& id_or_name, const AgentUpdate& update);
  // NotFound, or FailedPrecondition for an illegal transition (the message lists the actions
  // legal from the current status). `reason` is recorded as status_reason.
  Result<AgentRecord> control(const std::string& id_or_name, AgentAction action,
                              const std::string& reason = "");
  // The supervisor saw one of the agent's processes crash. The recovery ladder: while the
  // crashes in a row are under kCrashesBeforeFailed the runtime is recreated (restart),
  // then the agent is marked failed with the reason; each step emits agent.health (event
  // crashed, restarted, restart_failed) besides agent.status. A successful call or a
  // person's start/restart resets the count. NotFound.
  static constexpr std::int64_t kCrashesBeforeFailed = 3;
  Result<AgentRecord> reportCrash(const std::string& id, const std::string& detail);
  // Marks the agent failed (the supervisor's last resort). NotFound.
  Result<AgentRecord> markFailed(const std::string& id_or_name, const std::string& reason);
  // NotFound, FailedPrecondition while busy unless `force` (which cancels its ask() calls).
  Status remove(const std::string& id_or_name, bool force);

  // One request to one agent, blocking until it finishes or times out (`timeout` zero:
  // the agent's limits.timeout_ms, else options.default_ask_timeout). Errors of resolve()
  // come back as the Result's status; the call's own outcome is AskResult::status.
  Result<AskResult> ask(const std::string& id_or_name, const std::string& prompt,
                        std::chrono::milliseconds timeout);

  // AgentDirectory. resolve(): by id or name when `agent_id` is set (the agent must then
  // also have `capability`, when one is given), else by capability. NotFound,
  // FailedPrecondition (not started, paused, stopped, error, failed: says which and what to
  // do), Unavailable (every candidate is at max_concurrent), ResourceExhausted (budget used).
  Result<AgentHandle> resolve(const std::string& agent_id, const std::string& capability) override;
  void callFinished(const std::string& agent_id, const Status& status, const Usage& usage,
                    double wall_ms) override;

  // Writes every agent whose counters changed since their last write.
  Status flush();
  // Loaded agent type names (full names).
  std::vector<std::string> agentTypes() const;
  // ProviderGuard::state() of each configured provider.
  nlohmann::json providerStates() const;

 private:
  struct Entry;
  struct AskCall;

  // Callers hold mu_.
  Entry* findLocked(const std::string& id_or_name);
  const Entry* findLocked(const std::string& id_or_name) const;
  AgentRecord viewLocked(const Entry& entry) const;
  void statusEventLocked(const Entry& entry, AgentStatus from, const std::string& reason);
  void eventLocked(const Entry& entry, const std::string& type);
  Status availableLocked(const Entry& entry) const;
  std::vector<std::shared_ptr<AskCall>> takeAsksLocked(Entry& entry);
  // The agent's budget meter (made on first use, from the record when there is one).
  std::shared_ptr<AgentMeter> meterLocked(const std::string& id);

  // Callers hold no lock.
  Result<std::string> resolveTypeName(const std::string& type) const;
  Status validateConfig(const std::string& type_name, const nlohmann::json& config);
  // Records which config keys the type's schema marks writeOnly (shown redacted).
  void rememberSecrets(const std::string& type_name, const std::string& schema_text);
  Result<std::shared_ptr<Agent>> makeRuntime(const AgentRecord& record);
  Result<AgentRecord> startRuntime(const std::string& id, AgentAction action,
                                   const std::string& reason);
  Status ensureRuntime(const std::string& id);
  Status persist(const std::vector<std::string>& ids);
  // Ends a change made under mu_: cancels `asks`, writes the agent, delivers the events and
  // returns `view`, or the write error ("agent <id> changed but not stored").
  Result<AgentRecord> commitChange(AgentRecord view,
                                   const std::vector<std::shared_ptr<AskCall>>& asks);
  static void cancelAsks(const std::vector<std::shared_ptr<AskCall>>& calls);

  AgentTypeCatalog* types_;
  std::shared_ptr<StorageBackend> store_;
  EventOutbox outbox_;
  AgentServiceOptions options_;

  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Entry>> agents_;       // by id
  std::map<std::string, std::string> names_;                   // name -> id
  std::map<std::string, std::string> round_robin_;             // capability -> last id picked
  std::map<std::string, std::shared_ptr<AgentMeter>> meters_;  // by id; shared with runtimes
  std::map<std::string, std::set<std::string>> write_only_;    // by type: secret config keys
  std::map<std::string, std::shared_ptr<ProviderGuard>>
      guards_;  // by provider; fixed after construction

  std::mutex write_mu_;  // orders store writes; never taken while holding mu_
};

}  // namespace switchboard::core
