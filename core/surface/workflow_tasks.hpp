// WorkflowTasks: MCP tasks (2026-07-28 Tasks extension, io.modelcontextprotocol/tasks)
// whose state is a durable execution — what lets `workflow_run` with `wait` run as a task
// that outlives the gateway process.
//
// link() turns the running workflow_run call into a task backed here: once the engine has
// stored the execution, it records {task id -> execution id} in the store (collection
// "mcp_tasks", one record per task) before the CreateTaskResult is sent, so tasks/get
// works at once, after a restart, and on any gateway over the same store. The task has no
// state of its own; load() reads it from the execution:
//   queued, running, paused                          -> working (statusMessage: status, steps)
//   cancelled                                        -> cancelled
//   completed, failed, budget_exceeded, blocked,
//   timed_out                                        -> completed; result = what workflow_run
//        with wait returns for the ended execution (its status and error are in
//        structuredContent.execution). `failed` is kept for JSON-RPC errors (SEP-2663):
//   a task record or execution that cannot be read    -> failed with a -32603 error.
// ttlMs is null (the task lasts as long as its execution is stored); pollIntervalMs 1000.
// cancel() cancels the execution (which reaches its in-flight agent calls); update() has
// nothing to answer (executions never ask the client). While attached to a Server, every
// status change of a linked execution is passed on as Server::notifyTaskUpdated().
//
// Ownership: borrows the storage, engine and event hub (they must outlive it); shared with
// the ToolDef of workflow_run. Thread safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/engine/engine.hpp"
#include "core/events/event_hub.hpp"
#include "mcp/server/request_context.hpp"
#include "mcp/server/server.hpp"
#include "mcp/server/task_backing.hpp"
#include "switchboard/storage.hpp"

namespace switchboard::core {

class WorkflowTasks : public mcp::server::TaskBacking {
 public:
  static constexpr const char* kCollection = "mcp_tasks";

  WorkflowTasks(StorageBackend* storage, Engine* engine, EventHub* events);
  ~WorkflowTasks() override;

  // Sends notifyTaskUpdated() to `server` for status changes of linked executions until
  // detach() (call it before the server goes away).
  void attach(mcp::server::Server* server);
  void detach();

  // Makes the workflow_run call `context` a task backed by execution `execution_id`;
  // returns the task id. FailedPrecondition when the client did not declare the
  // extension; the store's error when the link cannot be recorded; DeadlineExceeded when
  // the engine does not store the execution within 10 s.
  Result<std::string> link(mcp::server::RequestContext& context, const std::string& execution_id);

  // TaskBacking.
  Result<mcp::server::TaskState> load(const std::string& task_id) override;
  Status cancel(const std::string& task_id) override;
  Status update(const std::string& task_id, const nlohmann::json& input_responses) override;

 private:
  struct Link {
    std::string execution_id;
    std::int64_t created_at_ms = 0;
  };
  // NotFound when no record has this task id; DataLoss when it is unreadable.
  Result<Link> read(const std::string& task_id);
  void remember(const std::string& execution_id, const std::string& task_id);

  StorageBackend* const storage_;
  Engine* const engine_;
  EventHub* const events_;
  std::mutex server_mutex_;  // held while notifying, so detach() waits for it
  mcp::server::Server* server_ = nullptr;
  std::uint64_t subscription_ = 0;
  std::mutex mutex_;
  // Execution id -> task id, for executions seen running; forgotten when they end.
  std::map<std::string, std::string> task_of_;
};

}  // namespace switchboard::core
