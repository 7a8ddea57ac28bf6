// TaskBacking: a tool that keeps the state of its tasks itself, durably, instead of in the
// server's memory — so tasks/get, tasks/update and tasks/cancel keep working for a task
// after the process that created it is gone (a restart, another instance on the same
// store).
//
// A tool declares one in its ToolDef (task_backing) and creates a backed task from its
// handler with RequestContext::becomeBackedTask(), which mints the task id and lets the
// handler record it durably before the CreateTaskResult is sent. From then on the server
// asks the backing for everything about that task. For a task id the server does not
// know, it asks every backing of its registered tools in turn; the first that does not
// answer NotFound owns it. A backing that learns its task changed may call
// Server::notifyTaskUpdated() so notifications/tasks reach listeners.
//
// Ownership: shared by the ToolDefs that name it and the server. Thread safety: every
// method may be called from any thread, concurrently.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "mcp/server/task_state.hpp"
#include "switchboard/status.hpp"

namespace switchboard::mcp::server {

class TaskBacking {
 public:
  virtual ~TaskBacking() = default;
  // The task as it is now. NotFound when the task id is not one of this backing's.
  virtual Result<TaskState> load(const std::string& task_id) = 0;
  // Asks the work to stop (cooperative; the task may still end completed). OK when the
  // task is already terminal; NotFound when it is not one of this backing's.
  virtual Status cancel(const std::string& task_id) = 0;
  // Answers (tasks/update inputResponses, an object) to the task's input requests;
  // answers to keys that are not outstanding are ignored. NotFound as above;
  // InvalidArgument for an answer whose shape does not fit its request.
  virtual Status update(const std::string& task_id, const nlohmann::json& input_responses) = 0;
};

}  // namespace switchboard::mcp::server
