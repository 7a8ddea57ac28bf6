// TaskService: the tasks of the gateway — units of work with priorities, dependencies,
// assignment, subtasks, results and a revision history.
//
// Dependencies must name existing tasks and may not form a cycle (both rejected with the
// ids named). A task's status follows its dependencies: pending while any is unfinished,
// ready (or assigned, when it has an assigned agent) once all are completed, blocked when
// one failed, was cancelled or is blocked itself — dependents are recomputed, transitively,
// whenever a task's status changes. markRunning() and setResult() are how the engine and
// the MCP surface move work along; cancel() also cancels the task's unfinished subtasks.
//
// Every task is stored in the store's "tasks" collection before the method that changed
// it returns (load() reads them back), and every change emits an event on topic
// "task/<id>": task.created, task.updated, task.status (with "from", "to", "reason"); the
// payload's "task" is the task as toJson() shows it. When the store refuses a write the
// method returns that error; the change stays in memory (the next write stores it),
// except for create(), which is undone.
//
// Thread safety: every method may be called from any thread. One mutex guards the state;
// it is not held while writing to the store or calling the sink.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/common/event_outbox.hpp"
#include "core/common/event_sink.hpp"
#include "core/tasks/task_record.hpp"
#include "switchboard/storage.hpp"

namespace switchboard::core {

struct TaskServiceOptions {
  // Checks that an assigned agent (id or name) exists; returns NotFound otherwise.
  // Unset: assigned agents are not checked.
  std::function<Status(const std::string& agent)> check_agent;
};

struct TaskFilter {
  std::optional<TaskStatus> status;
  std::string assigned_agent;            // empty: any
  std::optional<std::string> parent_id;  // set to "": only top-level tasks
};

struct TaskPage {
  std::vector<TaskRecord> tasks;
  std::string next_cursor;  // empty when this is the last page
};

class TaskService {
 public:
  TaskService(std::shared_ptr<StorageBackend> store, EventSink events,
              TaskServiceOptions options = {});
  TaskService(const TaskService&) = delete;
  TaskService& operator=(const TaskService&) = delete;

  // Reads every stored task. Returns how many were loaded; unreadable records are skipped
  // and logged. The store's error when it cannot be read.
  Result<std::int64_t> load();

  // InvalidArgument (empty or over-long title, bad capability), NotFound (unknown
  // dependency ids, parent or assigned agent: named), FailedPrecondition (the parent is
  // cancelled).
  Result<TaskRecord> create(const TaskCreateRequest& request, const std::string& by = "");
  // Highest priority first, then oldest first. `cursor` is a next_cursor from an earlier
  // page; `limit` is clamped to 1..500 (0 means 50). InvalidArgument for a bad cursor.
  Result<TaskPage> list(const TaskFilter& filter, const std::string& cursor,
                        std::int64_t limit) const;
  // NotFound.
  Result<TaskRecord> get(const std::string& id) const;
  // Records a revision with the changed fields. NotFound; InvalidArgument (bad field, a
  // cycle: the message shows it, e.g. "tk_a -> tk_b -> tk_a"); FailedPrecondition when
  // dependencies change on a running or finished task.
  Result<TaskRecord> update(const std::string& id, const TaskUpdate& update,
                            const std::string& by = "");
  // Cancels the task and its unfinished subtasks; dependents become blocked with the
  // reason. NotFound; FailedPrecondition when it is already completed, failed or cancelled.
  Result<TaskRecord> cancel(const std::string& id, const std::string& reason,
                            const std::string& by = "");
  // ready/assigned/failed -> running, optionally assigning `agent`. NotFound;
  // FailedPrecondition otherwise (the message lists unfinished dependencies or the reason
  // the task is blocked).
  Result<TaskRecord> markRunning(const std::string& id, const std::string& agent,
                                 const std::string& by = "");
  // Records `result` with outcome completed or failed (a revision either way) and updates
  // dependents. Allowed from ready, assigned, running, completed and failed. `usage` (what
  // the run cost) is added to the task's usage.
  // InvalidArgument (outcome is another status), NotFound, FailedPrecondition.
  Result<TaskRecord> setResult(const std::string& id, TaskStatus outcome,
                               const nlohmann::json& result, const std::string& by = "",
                               const Usage& usage = {});
  // True when every dependency is completed and the task is ready or assigned. NotFound.
  Result<bool> isReady(const std::string& id) const;

 private:
  // Callers hold mu_.
  TaskRecord viewLocked(const TaskRecord& task) const;
  std::pair<TaskStatus, std::string> deriveLocked(const TaskRecord& task) const;
  void setStatusLocked(TaskRecord& task, TaskStatus to, const std::string& reason,
                       std::vector<std::string>* changed);
  void refreshDependentsLocked(const std::string& id, std::vector<std::string>* changed);
  void eventLocked(const TaskRecord& task, const std::string& type);
  Status checkDependenciesLocked(const std::string& id, const std::vector<std::string>& deps) const;
  void cancelTreeLocked(TaskRecord& task, const std::string& reason, const std::string& by,
                        std::vector<std::string>* changed);

  // Callers hold no lock.
  Status persist(const std::vector<std::string>& ids);
  // The one path of every change to an existing task: under mu_, finds task `id` (NotFound)
  // and applies `change`, which returns an error to refuse (nothing changed then) or adds
  // the ids of the tasks it changed; then, without the lock, writes those tasks, delivers the
  // events and returns the task as it is now, or the write error ("task <id> changed but
  // not stored").
  Result<TaskRecord> transition(
      const std::string& id,
      const std::function<Status(TaskRecord&, std::vector<std::string>*)>& change);

  std::shared_ptr<StorageBackend> store_;
  EventOutbox outbox_;
  TaskServiceOptions options_;

  mutable std::mutex mu_;
  std::map<std::string, TaskRecord> tasks_;
  std::map<std::string, std::set<std::string>> dependents_;  // dependency -> tasks needing it
  std::map<std::string, std::set<std::string>> children_;    // parent -> subtasks

  std::mutex write_mu_;  // orders store writes; never taken while holding mu_
};

}  // namespace switchboard::core
