// TaskState: what the 2026-07-28 Tasks extension (io.modelcontextprotocol/tasks, SEP-2663)
// shows of one task — its status, timestamps, lifetime hints and, depending on the status,
// the final result, the JSON-RPC error or the questions waiting for the client — and the
// wire shapes built from it (the Task fields of a CreateTaskResult, the DetailedTask of
// tasks/get and notifications/tasks).
//
// Statuses: working -> input_required <-> working -> completed | failed | cancelled.
// `completed` carries the request's own result (a CallToolResult, also when it has
// isError: true); `failed` is reserved for JSON-RPC errors and carries one.
//
// A plain value; the functions are pure.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::mcp::server {

enum class TaskStatus { kWorking, kInputRequired, kCompleted, kFailed, kCancelled };

std::string_view taskStatusName(TaskStatus status);
bool isTerminal(TaskStatus status);

// Milliseconds since the Unix epoch as ISO 8601 UTC ("2026-07-28T10:30:00.250Z").
std::string isoTime(std::int64_t unix_ms);
// The current wall-clock time in milliseconds since the Unix epoch.
std::int64_t nowUnixMs();

struct TaskState {
  std::string task_id;
  TaskStatus status = TaskStatus::kWorking;
  std::string status_message;  // empty: not sent
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
  std::optional<std::int64_t> ttl_ms;  // nullopt: unlimited (ttlMs: null)
  std::int64_t poll_interval_ms = 0;   // 0: not sent
  nlohmann::json result;               // completed: the request's result
  nlohmann::json error;                // failed: {code, message, data?}
  nlohmann::json input_requests;       // input_required: {key: {method, params}}

  // The Task fields: taskId, status, statusMessage?, createdAt, lastUpdatedAt, ttlMs,
  // pollIntervalMs? (a CreateTaskResult is this plus resultType "task").
  nlohmann::json taskJson() const;
  // DetailedTask: taskJson() plus result (completed), error (failed) or inputRequests
  // (input_required).
  nlohmann::json detailedJson() const;
};

}  // namespace switchboard::mcp::server
