// The engine's in-memory state of one execution and its steps, and their stored forms.
//
// Internal to core/engine. An ExecutionState is owned by the Engine and touched only
// under the Engine's lock. Step records are written often (twice per attempt), so their
// JSON is produced by hand here, not through nlohmann; reading them back (recovery, get()
// of an execution no longer in memory) uses nlohmann and never throws.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/common/agent_directory.hpp"
#include "core/engine/execution_types.hpp"
#include "switchboard/agent.hpp"
#include "switchboard/storage.hpp"
#include "switchboard/workflow.hpp"

namespace switchboard::core {

inline constexpr const char* kExecutionsCollection = "executions";

struct StepState {
  StepSpec spec;
  StepStatus status = StepStatus::kPending;
  std::int32_t attempts = 0;
  std::string agent_id;  // resolved agent of the last attempt
  std::string output_json;
  std::string error;
  Usage usage;          // all attempts, the current one included
  Usage attempt_usage;  // the current attempt so far
  std::int64_t queued_at_ms = 0;
  std::int64_t started_at_ms = 0;
  std::int64_t ended_at_ms = 0;
  std::int64_t seq = 0;
  // Run-time only.
  bool requested = false;  // the (current) decider asked for it
  bool waiting_retry = false;
  std::uint64_t token = 0;  // identifies the current attempt; 0 = none in flight
  std::int64_t attempt_started_steady_us = 0;
  std::unique_ptr<AgentCall> call;
  std::shared_ptr<Agent> agent;  // keeps the agent alive while its call runs
};

struct ExecutionState {
  std::uint64_t uid = 0;  // engine-local handle used by callbacks and timers
  std::string id;
  std::string pattern_name;
  std::shared_ptr<WorkflowPattern> pattern;
  std::unique_ptr<Decider> decider;
  ExecutionInput input;
  ExecutionOptions options;
  ExecutionStatus status = ExecutionStatus::kQueued;
  std::string result_json;
  std::string error;
  std::int64_t created_at_ms = 0;
  std::int64_t started_at_ms = 0;
  std::int64_t ended_at_ms = 0;
  std::string parent_id;
  std::string rewound_from_step;

  std::vector<StepState> steps;
  std::unordered_map<std::string, std::size_t> index;  // key -> steps[i]
  std::deque<std::size_t> ready;                       // pending, waiting for a slot
  ExecutionCounts counts;
  Usage usage;
  std::int64_t next_seq = 1;
  std::int32_t in_flight = 0;
  bool needs_start = false;         // decider.start() not yet called
  bool waiting_global = false;      // queued for a global concurrency slot
  bool replaying = false;           // recover/rewind is feeding the journal to the decider
  bool terminal_committed = false;  // the terminal record is durable; waiters may wake
  bool stored = false;              // a record of it has been committed (or it was loaded)

  // Adjusts counts when a step moves from one status to another.
  void countMove(StepStatus from, StepStatus to);
  StepSnapshot stepSnapshot(const StepState& step) const;
  // Steps in journal (seq) order when `with_steps`.
  ExecutionSnapshot snapshot(bool with_steps) const;
};

// {"key","status",...} of one step; input and output are embedded as JSON.
std::string encodeStep(const StepState& step);
// Fills `step` from a stored record. DataLoss when the record is unreadable.
Status decodeStep(const StepRecord& record, StepState& step);

std::string encodeExecution(const ExecutionState& exec);
// Fills the persistent fields of `exec` (not steps). DataLoss when unreadable.
Status decodeExecution(const std::string& json, ExecutionState& exec);

// Usage arithmetic for cumulative reports: a - b, field by field.
Usage usageMinus(const Usage& a, const Usage& b);

}  // namespace switchboard::core
