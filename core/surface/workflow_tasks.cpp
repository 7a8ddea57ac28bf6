#include "core/surface/workflow_tasks.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/surface/json_view.hpp"
#include "core/surface/surface.hpp"
#include "mcp/jsonrpc/error_codes.hpp"

namespace switchboard::core {
namespace {

using mcp::server::TaskState;
using McpTaskStatus = mcp::server::TaskStatus;
using nlohmann::json;

constexpr std::int64_t kPollIntervalMs = 1000;
constexpr std::int64_t kStoreWaitMs = 10000;

TaskState failedState(TaskState state, const std::string& why) {
  state.status = McpTaskStatus::kFailed;
  state.status_message = why;
  state.error = mcp::jsonrpc::internalError(why).toJson();
  return state;
}

}  // namespace

WorkflowTasks::WorkflowTasks(StorageBackend* storage, Engine* engine, EventHub* events)
    : storage_(storage), engine_(engine), events_(events) {}

WorkflowTasks::~WorkflowTasks() { detach(); }

void WorkflowTasks::attach(mcp::server::Server* server) {
  std::lock_guard lock(server_mutex_);
  server_ = server;
  if (subscription_ != 0 || events_ == nullptr) return;
  subscription_ =
      events_->subscribe("execution/", [this](const std::vector<Event>& events, std::uint64_t) {
        for (const Event& e : events) {
          if (e.type != "execution.status") continue;
          std::string execution_id = e.topic.substr(std::string("execution/").size());
          std::string task_id;
          bool ended = false;
          {
            std::lock_guard known(mutex_);
            auto it = task_of_.find(execution_id);
            if (it == task_of_.end()) continue;
            task_id = it->second;
            json data = json::parse(e.data_json, nullptr, false);
            std::optional<ExecutionStatus> status =
                data.is_object() && data.contains("status") && data["status"].is_string()
                    ? parseExecutionStatus(data["status"].get<std::string>())
                    : std::nullopt;
            ended = status && isTerminal(*status);
            if (ended) task_of_.erase(it);
          }
          std::lock_guard notifying(server_mutex_);
          if (server_ != nullptr) server_->notifyTaskUpdated(task_id);
        }
      });
}

void WorkflowTasks::detach() {
  std::uint64_t subscription = 0;
  {
    std::lock_guard lock(server_mutex_);
    server_ = nullptr;
    std::swap(subscription, subscription_);
  }
  if (subscription != 0 && events_ != nullptr) events_->unsubscribe(subscription);
}

void WorkflowTasks::remember(const std::string& execution_id, const std::string& task_id) {
  std::lock_guard lock(mutex_);
  task_of_[execution_id] = task_id;
}

Result<std::string> WorkflowTasks::link(mcp::server::RequestContext& context,
                                        const std::string& execution_id) {
  if (!context.client().hasExtension(mcp::protocol::kTasksExtension)) {
    return Status::failedPrecondition("the client did not declare the tasks extension");
  }
  SB_RETURN_IF_ERROR(engine_->waitStored(execution_id, kStoreWaitMs));
  return context.becomeBackedTask([this, &execution_id](const std::string& task_id) -> Status {
    WriteBatch batch;
    batch.puts.push_back(Record{kCollection, task_id,
                                json{{"execution_id", execution_id},
                                     {"tool", "workflow_run"},
                                     {"created_at_ms", mcp::server::nowUnixMs()}}
                                    .dump()});
    SB_RETURN_IF_ERROR(storage_->apply(batch));
    remember(execution_id, task_id);
    return Status();
  });
}

Result<WorkflowTasks::Link> WorkflowTasks::read(const std::string& task_id) {
  Result<std::optional<std::string>> record = storage_->get(kCollection, task_id);
  if (!record.ok()) return record.status();
  if (!record->has_value()) return Status::notFound("no workflow task " + task_id);
  json doc = json::parse(**record, nullptr, false);
  if (!doc.is_object() || !doc.contains("execution_id") || !doc["execution_id"].is_string() ||
      !doc.contains("created_at_ms") || !doc["created_at_ms"].is_number_integer()) {
    return Status::dataLoss("the record of task " + task_id + " is unreadable");
  }
  return Link{doc["execution_id"].get<std::string>(), doc["created_at_ms"].get<std::int64_t>()};
}

Result<TaskState> WorkflowTasks::load(const std::string& task_id) {
  Result<Link> link = read(task_id);
  if (!link.ok() && link.status().code() != StatusCode::kDataLoss) return link.status();
  TaskState state;
  state.task_id = task_id;
  state.poll_interval_ms = kPollIntervalMs;
  state.ttl_ms = std::nullopt;  // as long as the execution is stored
  if (!link.ok()) return failedState(state, link.status().message());
  state.created_at_ms = link->created_at_ms;
  state.updated_at_ms = link->created_at_ms;
  const std::string& id = link->execution_id;
  Result<ExecutionSnapshot> snap = engine_->get(id, false);
  if (!snap.ok()) {
    return failedState(
        state, "execution " + id + " of this task cannot be read: " + snap.status().toString());
  }
  state.updated_at_ms = std::max({state.created_at_ms, snap->started_at_ms, snap->ended_at_ms});
  if (isTerminal(snap->status)) {
    // Its end event may have gone by (or belonged to another gateway): nothing to follow.
    std::lock_guard lock(mutex_);
    task_of_.erase(id);
  }
  std::string status(executionStatusName(snap->status));
  switch (snap->status) {
    case ExecutionStatus::kQueued:
    case ExecutionStatus::kRunning:
    case ExecutionStatus::kPaused:
      remember(id, task_id);
      state.status = McpTaskStatus::kWorking;
      state.status_message = "execution " + id + " is " + status + "; steps settled " +
                             std::to_string(settledSteps(snap->counts)) + "/" +
                             std::to_string(snap->counts.total);
      return state;
    case ExecutionStatus::kCancelled:
      state.status = McpTaskStatus::kCancelled;
      state.status_message =
          "execution " + id + " was cancelled" + (snap->error.empty() ? "" : ": " + snap->error);
      return state;
    default:
      break;
  }
  Result<ToolOutput> output = workflowRunOutput(*engine_, id, true);
  if (!output.ok()) {
    return failedState(
        state, "execution " + id + " ended but cannot be read: " + output.status().toString());
  }
  state.status = McpTaskStatus::kCompleted;
  state.status_message = "execution " + id + " ended " + status;
  state.result = json{{"content", json::array({json{{"type", "text"}, {"text", output->text}}})},
                      {"structuredContent", std::move(output->structured)},
                      {"resultType", "complete"}};
  return state;
}

Status WorkflowTasks::cancel(const std::string& task_id) {
  Result<Link> link = read(task_id);
  if (!link.ok()) {
    // A task whose record is unreadable is ours but has nothing left to cancel.
    return link.status().code() == StatusCode::kDataLoss ? Status() : link.status();
  }
  Status cancelled = engine_->cancel(link->execution_id);
  // Ended already (or gone): the ack is the same; the task shows how it ended.
  if (cancelled.code() == StatusCode::kFailedPrecondition ||
      cancelled.code() == StatusCode::kNotFound) {
    return Status();
  }
  return cancelled;
}

Status WorkflowTasks::update(const std::string& task_id, const json&) {
  // Executions never ask the client, so no answer is outstanding: all are ignored.
  Result<Link> link = read(task_id);
  if (!link.ok() && link.status().code() != StatusCode::kDataLoss) return link.status();
  return Status();
}

}  // namespace switchboard::core
