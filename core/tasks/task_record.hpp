// TaskRecord: a unit of work as the gateway stores and shows it, and the requests that make
// and change one. Plain values; conversion to and from JSON lives here too.
//
// Priority is one of four named levels, low < normal < high < critical (not an integer:
// names read better in tool arguments and leave no doubt about which end is urgent).
//
// Status: pending (waiting for dependencies), ready (dependencies completed, nobody on
// it), assigned (ready, with an assigned agent), running, completed, failed, cancelled,
// blocked (can never become ready as things stand: a dependency failed, was cancelled or
// is itself blocked; status_reason says which). pending, ready, assigned and blocked are
// derived from the dependencies and recomputed whenever one of them changes.
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
#include "switchboard/usage.hpp"

namespace switchboard::core {

enum class TaskStatus {
  kPending,
  kReady,
  kAssigned,
  kRunning,
  kCompleted,
  kFailed,
  kCancelled,
  kBlocked
};
std::string_view taskStatusName(TaskStatus status);
std::optional<TaskStatus> parseTaskStatus(std::string_view name);
// completed, failed or cancelled.
bool isTerminal(TaskStatus status);

enum class TaskPriority { kLow = 0, kNormal = 1, kHigh = 2, kCritical = 3 };
std::string_view taskPriorityName(TaskPriority priority);
std::optional<TaskPriority> parseTaskPriority(std::string_view name);

// One entry of a task's history: a result that was set, or a change of fields.
struct TaskRevision {
  std::string at;
  std::string by;
  std::string status;     // the status after the revision
  nlohmann::json result;  // set by setResult(), else null
  nlohmann::json change;  // {"field": new value, ...} for update()/cancel(), else null
};

struct TaskRecord {
  std::string id;
  std::string title;
  std::string description;
  std::string expected_output;
  TaskPriority priority = TaskPriority::kNormal;
  TaskStatus status = TaskStatus::kPending;
  std::string status_reason;
  std::vector<std::string> depends_on;
  std::string assigned_agent;  // id or name of an agent; empty when unassigned
  std::vector<std::string> required_capabilities;
  std::string parent_id;
  std::vector<std::string> subtasks;  // derived from the children's parent_id (not stored)
  nlohmann::json result;              // null until a result is set
  Usage usage;                        // what every run of the task cost, summed
  std::vector<TaskRevision> revisions;
  std::string created_at;
  std::string updated_at;
};

struct TaskCreateRequest {
  std::string title;
  std::string description;
  std::string expected_output;
  TaskPriority priority = TaskPriority::kNormal;
  std::vector<std::string> depends_on;
  std::string assigned_agent;
  std::vector<std::string> required_capabilities;
  std::string parent_id;
};

// Fields left unset are unchanged.
struct TaskUpdate {
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<std::string> expected_output;
  std::optional<TaskPriority> priority;
  std::optional<std::vector<std::string>> depends_on;
  std::optional<std::string> assigned_agent;
  std::optional<std::vector<std::string>> required_capabilities;
};

// The record as shown to clients (with subtasks) and as stored (subtasks are not stored).
nlohmann::json toJson(const TaskRecord& task);
nlohmann::json toStoredJson(const TaskRecord& task);
// DataLoss when a stored record is not a valid task.
Result<TaskRecord> taskFromStoredJson(const nlohmann::json& json);

}  // namespace switchboard::core
