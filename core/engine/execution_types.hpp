// Value types of the execution engine: statuses, options, and the snapshots get() returns.
//
// ExecutionOptions are given to Engine::startExecution and stored with the execution;
// ExecutionSnapshot is built on demand from the engine's state (or the store) and is a
// plain copy: the caller owns it and may read it from any thread.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "switchboard/status.hpp"
#include "switchboard/usage.hpp"
#include "switchboard/workflow.hpp"

namespace switchboard::core {

enum class ExecutionStatus : std::int32_t {
  kQueued = 0,
  kRunning = 1,
  kPaused = 2,
  kCompleted = 3,
  kFailed = 4,
  kCancelled = 5,
  kBudgetExceeded = 6,
  kBlocked = 7,   // the pattern can never finish (an unreleasable join, no route); see error
  kTimedOut = 8,  // the execution timeout fired
};

std::string_view executionStatusName(ExecutionStatus status);
std::optional<ExecutionStatus> parseExecutionStatus(std::string_view name);
bool isTerminal(ExecutionStatus status);

std::string_view stepStatusName(StepStatus status);
std::optional<StepStatus> parseStepStatus(std::string_view name);
bool isSettled(StepStatus status);

struct BackoffPolicy {
  std::int64_t initial_ms = 200;
  double multiplier = 2.0;
  std::int64_t max_ms = 30000;
  double jitter = 0.2;  // each delay is reduced by up to this fraction, at random
};

struct BudgetLimits {          // 0 = unlimited
  std::int64_t max_steps = 0;  // distinct steps the execution may start
  std::int64_t max_tokens = 0;
  double max_cost_usd = 0.0;
  std::int64_t max_wall_ms = 0;
};

struct ExecutionOptions {
  std::int32_t max_concurrency = 16;      // in-flight steps of this execution; >= 1
  std::int64_t step_timeout_ms = 0;       // per attempt; 0 = none (a step's own wins)
  std::int64_t execution_timeout_ms = 0;  // 0 = none; ends as timed_out
  std::int32_t max_attempts = 3;          // per step (a step's own wins); >= 1
  BackoffPolicy backoff;
  BudgetLimits budget;

  nlohmann::json toJson() const;
  // Missing keys keep their defaults; InvalidArgument for wrong types or ranges.
  static Result<ExecutionOptions> fromJson(const nlohmann::json& json);
  Status validate() const;
};

struct StepSnapshot {
  std::string key;
  StepStatus status = StepStatus::kPending;
  std::string agent_id;  // the agent that ran (or runs) the last attempt
  std::string capability;
  std::string task_id;
  std::string input_json = "{}";
  std::int32_t attempts = 0;
  std::string output_json;  // empty unless succeeded
  std::string error;
  Usage usage;
  std::int64_t queued_at_ms = 0;
  std::int64_t started_at_ms = 0;  // first attempt
  std::int64_t ended_at_ms = 0;
  std::int64_t seq = 0;

  nlohmann::json toJson() const;
};

struct ExecutionCounts {
  std::int64_t total = 0;
  std::int64_t pending = 0;
  std::int64_t running = 0;
  std::int64_t succeeded = 0;
  std::int64_t failed = 0;
  std::int64_t cancelled = 0;
  std::int64_t timed_out = 0;
  std::int64_t skipped = 0;
  std::int64_t budget_exceeded = 0;
};

// The counts as stored and shown: {"total", "pending", ..., "budget_exceeded"}. Missing or
// mistyped fields read as 0.
nlohmann::json countsToJson(const ExecutionCounts& counts);
ExecutionCounts countsFromJson(const nlohmann::json& j);

struct ExecutionSnapshot {
  std::string id;
  std::string pattern;
  ExecutionStatus status = ExecutionStatus::kQueued;
  std::string result_json;  // set when completed
  std::string error;        // why it did not complete (or the block reason)
  ExecutionCounts counts;
  Usage usage;
  std::int64_t created_at_ms = 0;
  std::int64_t started_at_ms = 0;
  std::int64_t ended_at_ms = 0;
  std::string parent_id;          // set on an execution made by rewind()
  std::string rewound_from_step;  // the step it was rewound to
  ExecutionOptions options;
  std::vector<StepSnapshot> steps;  // journal order (seq); empty when not requested

  nlohmann::json toJson() const;
};

struct ExecutionFilter {
  std::vector<ExecutionStatus> statuses;  // empty = any
  std::string pattern;                    // empty = any
};

struct ExecutionPage {
  std::vector<ExecutionSnapshot> items;  // without steps
  std::string next_cursor;               // empty when there are no more
};

}  // namespace switchboard::core
