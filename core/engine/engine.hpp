// Engine: runs workflow executions durably — decider in, agent calls out, journal in between.
//
// An execution is a WorkflowPattern's Decider plus a journal of steps. The engine calls
// the decider when the execution starts and each time a step settles, dispatches the
// steps it asks for to agents found through the AgentDirectory, and writes every change
// (step records, execution records, events) to the StorageBackend.
//
// Durability. Writes are grouped: each turn of the engine loop handles everything that
// arrived (agent replies, usage, timers, commands), collects the resulting writes in one
// WriteBatch, commits it (one transaction on sqlite), and only then lets anything that
// depends on it happen: agent calls are started, events are delivered, waiters wake. So a
// settled step is durable before any effect of the decision it fed is visible, and a
// step's "running, attempt n" record is durable before attempt n starts. recover()
// reloads non-terminal executions, replays their settled steps in seq order into fresh
// deciders and re-dispatches only the steps that had not settled (same request_id,
// attempts counted on). A settled step is never run again.
//
// Threads. One loop thread owns dispatching, timers (one heap: step timeouts, retry
// backoff, execution timeouts, wall budgets) and commits. Agent callbacks only append to
// an inbox and wake the loop, so a callback made inside Agent::call() (zero-latency
// agents) neither deadlocks nor recurses. Public methods may be called from any thread.
//
// Ownership: the engine borrows the storage, directory and hub (they must outlive it)
// and owns executions, deciders and in-flight AgentCall handles. Destroying the engine
// cancels in-flight calls and writes nothing more: a later engine on the same store
// recovers from the journal, as after a crash.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/common/agent_directory.hpp"
#include "core/engine/execution_state.hpp"
#include "core/engine/execution_types.hpp"
#include "core/events/event_hub.hpp"
#include "switchboard/status.hpp"
#include "switchboard/storage.hpp"
#include "switchboard/workflow.hpp"

namespace switchboard::core {

// name -> pattern, for executions reloaded from the store (recover, rewind).
using PatternResolver = std::function<Result<std::shared_ptr<WorkflowPattern>>(const std::string&)>;

struct EngineConfig {
  StorageBackend* storage = nullptr;           // required
  AgentDirectory* directory = nullptr;         // required
  EventHub* events = nullptr;                  // required
  PatternResolver resolver;                    // required for recover() and for rewinding
                                               // executions that are no longer in memory
  std::int32_t global_max_concurrency = 1024;  // in-flight steps over all executions
  std::uint64_t jitter_seed = 0x5eed;          // backoff jitter only; never decisions
  std::size_t max_terminal_in_memory = 256;    // older terminal executions are read from
                                               // the store on demand
};

class Engine {
 public:
  explicit Engine(EngineConfig config);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Creates the execution (status queued) and returns its id at once; the loop starts
  // it. InvalidArgument for bad options or when the pattern rejects the input
  // (createDecider's message).
  Result<std::string> startExecution(const std::string& pattern_name,
                                     std::shared_ptr<WorkflowPattern> pattern, ExecutionInput input,
                                     ExecutionOptions options);

  // NotFound for an unknown id; DataLoss when its stored form is unreadable.
  Result<ExecutionSnapshot> get(const std::string& id, bool with_steps = true);
  // Executions with id > cursor in id (= creation) order, without steps.
  Result<ExecutionPage> list(const ExecutionFilter& filter, const std::string& cursor,
                             std::int64_t limit);

  // FailedPrecondition when the transition is illegal (the message says the status and
  // what to do instead); NotFound for an unknown id.
  Status pause(const std::string& id);
  Status resume(const std::string& id);
  Status cancel(const std::string& id);
  // A new execution replaying the journal prefix settled before `step_key`; the step and
  // everything after it run again. The original is untouched. NotFound for an unknown id
  // or step.
  Result<std::string> rewind(const std::string& id, const std::string& step_key);

  // Blocks until the execution is terminal (and committed) or the timeout passes; returns
  // its status then. NotFound for an unknown id.
  Result<ExecutionStatus> waitFor(const std::string& id, std::int64_t timeout_ms);
  // Blocks until the execution's record is durable in the store (startExecution() returns
  // before the loop commits it). OK once it is; DeadlineExceeded after `timeout_ms`;
  // NotFound for an unknown id; the store's error when the batch holding it failed (the
  // execution then ends failed).
  Status waitStored(const std::string& id, std::int64_t timeout_ms);

  // Reloads every non-terminal execution from the store and continues it. Call once,
  // before startExecution. Returns how many were resumed; an execution whose pattern
  // cannot be resolved or whose decider fails on replay is ended as failed with the
  // reason (and counted as resumed).
  Result<std::int64_t> recover();

 private:
  struct InboxItem;
  struct Inbox;
  class Callback;
  struct Timer {
    std::int64_t due_us;
    int kind;  // TimerKind
    std::uint64_t uid;
    std::size_t step;
    std::uint64_t token;
    bool operator>(const Timer& o) const { return due_us > o.due_us; }
  };

  // engine_loop.cpp
  void loop();
  void handleItem(InboxItem& item);
  void fireTimers(std::int64_t now_us);
  void startDecider(ExecutionState& exec);
  void settle(ExecutionState& exec, std::size_t i, StepStatus status, std::string output,
              std::string error);
  void applyDecision(ExecutionState& exec, Result<Decision> decision);
  void addStep(ExecutionState& exec, StepSpec spec);
  void attemptFailed(ExecutionState& exec, std::size_t i, const Status& why, bool timed_out);
  void pump(ExecutionState& exec);
  void startAttempt(ExecutionState& exec, std::size_t i);
  void dispatch(std::uint64_t uid, std::size_t i, std::uint64_t token);
  void releaseSlot(ExecutionState& exec, StepState& step);
  void checkBudget(ExecutionState& exec);
  void finish(ExecutionState& exec, ExecutionStatus status, std::string error,
              StepStatus running_to);
  void setStatus(ExecutionState& exec, ExecutionStatus status);
  void writeStep(ExecutionState& exec, StepState& step, const char* event_type);
  void writeExecution(ExecutionState& exec);
  void commit(std::unique_lock<std::mutex>& lock);
  void wake();

  // engine_recovery.cpp
  Result<std::unique_ptr<ExecutionState>> load(const std::string& id);
  Status replay(ExecutionState& exec);
  ExecutionState* find(const std::string& id);
  void evictTerminal();
  ExecutionState& adopt(std::unique_ptr<ExecutionState> exec);
  std::string newId();

  EngineConfig config_;
  std::shared_ptr<Inbox> inbox_;

  std::mutex mu_;  // guards everything below
  std::condition_variable done_cv_;
  std::unordered_map<std::uint64_t, std::unique_ptr<ExecutionState>> execs_;
  std::unordered_map<std::string, std::uint64_t> by_id_;
  std::vector<std::uint64_t> terminal_order_;  // terminal executions, oldest first
  std::uint64_t next_uid_ = 1;
  std::uint64_t next_token_ = 1;
  std::int32_t global_in_flight_ = 0;
  std::vector<std::uint64_t> global_waiters_;
  std::vector<std::uint64_t> to_start_;
  std::vector<std::uint64_t> dirty_;  // executions that may have steps to dispatch
  std::vector<Timer> timers_;         // min-heap on due_us
  WriteBatch batch_;
  std::vector<Event> staged_events_;
  struct Dispatch {
    std::uint64_t uid;
    std::size_t step;
    std::uint64_t token;
  };
  std::vector<Dispatch> to_dispatch_;
  std::vector<std::uint64_t> finished_uncommitted_;
  std::mt19937_64 rng_;
  std::uint64_t id_counter_ = 0;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace switchboard::core
