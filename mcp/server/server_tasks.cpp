// Server: the Tasks extension (2026-07-28, io.modelcontextprotocol/tasks) — creating a task
// from a running tools/call, recording how its handler rounds end, running it again after
// tasks/update, and the tasks/get, tasks/update and tasks/cancel methods. See server.hpp
// and mcp/README.md (the Tasks extension).
#include <spdlog/spdlog.h>

#include "mcp/protocol/result_shaper.hpp"
#include "mcp/server/server.hpp"

namespace switchboard::mcp::server {
namespace {

constexpr std::size_t kMaxTaskIdLength = 256;

jsonrpc::Error missingTasksExtension(const std::string& what) {
  return jsonrpc::Error{
      jsonrpc::kMissingRequiredClientCapability,
      what +
          " needs the io.modelcontextprotocol/tasks extension: declare it in this request's "
          "_meta[\"io.modelcontextprotocol/clientCapabilities\"].extensions",
      {{"requiredCapabilities",
        {{"extensions", {{protocol::kTasksExtension, nlohmann::json::object()}}}}}},
      400};
}

}  // namespace

Result<std::string> Server::startTask(const TaskOrigin& origin, RequestContext& context,
                                      const RequestContext::Persist* persist) {
  if (!origin.client.modern() || !origin.client.hasExtension(protocol::kTasksExtension)) {
    return Status::failedPrecondition(
        "the client did not declare the io.modelcontextprotocol/tasks extension on this "
        "request, so the call runs synchronously");
  }
  if (shut_down_.load()) return Status::unavailable("the server is shutting down");
  TaskState seed;
  if (persist == nullptr) {
    Result<std::shared_ptr<ServerTask>> task = tasks_.create();
    if (!task.ok()) return task.status();
    const nlohmann::json& params = context.params();
    auto args = params.find("arguments");
    nlohmann::json arguments =
        args == params.end() || args->is_null() ? nlohmann::json::object() : *args;
    (*task)->setRun(ServerTask::Run{origin.tool, std::move(arguments), context.shared_from_this()});
    context.enterTask(*task);
    seed = (*task)->state();
  } else {
    std::shared_ptr<TaskBacking> backing = origin.tool->def.task_backing;
    if (!backing) {
      return Status::failedPrecondition("tool " + origin.tool->def.name +
                                        " keeps no task state of its own (no task backing)");
    }
    std::string id = TaskManager::newId();
    SB_RETURN_IF_ERROR((*persist)(id));
    Result<TaskState> state = backing->load(id);
    if (!state.ok()) {
      return Status::internal(
          "task " + id + " was recorded but cannot be read back: " + state.status().toString());
    }
    tasks_.remember(id, backing);
    context.enterBackedTask(id);
    seed = std::move(state).value();
  }
  // From now on only tasks/cancel cancels the work, never notifications/cancelled.
  if (origin.session) origin.session->untrack(origin.request_id);
  nlohmann::json result = seed.taskJson();
  result["resultType"] = "task";
  protocol::ResultShaper::shape(result, origin.client, "tools/call", info_json_,
                                protocol::CacheHints{options_.cache_ttl_ms, "public"});
  origin.stream->finish(jsonrpc::makeResult(origin.request_id, std::move(result)), 200);
  return seed.task_id;
}

void Server::finishTaskRun(const std::shared_ptr<ServerTask>& task, RequestContext& context,
                           Result<nlohmann::json> outcome) {
  bool changed = false;
  if (outcome.ok()) {
    nlohmann::json result = std::move(outcome).value();
    if (!result.is_object()) {
      changed =
          task->fail(jsonrpc::internalError("the handler returned a non-object result").toJson(),
                     "the handler returned a non-object result");
    } else {
      // The result as the request would have returned it on 2026-07-28, without the
      // response's own _meta (the task id is the tasks/get result's own field).
      result["resultType"] = "complete";
      if (!result.contains("content")) result["content"] = nlohmann::json::array();
      changed = task->complete(std::move(result));
    }
  } else {
    const Status& status = outcome.status();
    if (status.code() == StatusCode::kUnavailable && status.message() == kInputRequired) {
      if (context.inputRequests().empty()) {
        changed = task->fail(jsonrpc::internalError("the handler asked for client input but "
                                                    "recorded no question")
                                 .toJson(),
                             "the handler asked for client input but recorded no question");
      } else {
        changed = task->park(context.inputRequests(),
                             context.stateOutSet() ? context.stateOut() : std::string());
      }
    } else if (status.code() == StatusCode::kCancelled) {
      changed = task->cancelled(status.message().empty() ? "cancelled" : status.message());
    } else if (!context.missingCapability().is_null() &&
               status.code() == StatusCode::kFailedPrecondition) {
      jsonrpc::Error error{jsonrpc::kMissingRequiredClientCapability,
                           status.message(),
                           {{"requiredCapabilities", context.missingCapability()}},
                           400};
      changed = task->fail(error.toJson(), status.message());
    } else {
      jsonrpc::Error error = jsonrpc::errorFromStatus(status);
      changed = task->fail(error.toJson(), error.message);
    }
  }
  if (changed) taskChanged(task);
}

void Server::runTaskAgain(const std::shared_ptr<ServerTask>& task) {
  bool queued = pool_.submit([this, task] {
    ServerTask::Run run = task->run();
    if (!run.context || !run.tool) return;  // it ended meanwhile (cancelled, expired)
    try {
      run.context->beginTaskRound(task->carriedState());
      Result<nlohmann::json> outcome = invokeTool(*run.tool, run.arguments, *run.context);
      finishTaskRun(task, *run.context, std::move(outcome));
    } catch (const std::exception& e) {
      spdlog::error("mcp: task {} failed: {}", task->id(), e.what());
      if (task->fail(jsonrpc::internalError(std::string("internal error: ") + e.what()).toJson(),
                     e.what())) {
        taskChanged(task);
      }
    }
  });
  if (!queued && task->fail(jsonrpc::internalError("the server is shutting down").toJson(),
                            "the server is shutting down")) {
    taskChanged(task);
  }
}

void Server::taskChanged(const std::shared_ptr<ServerTask>& task) {
  if (!hub_.wantsTask(task->id())) return;
  std::lock_guard announcing(task->announceMutex());
  hub_.taskUpdated(task->id(), task->state().detailedJson());
}

void Server::notifyTaskUpdated(const std::string& task_id) {
  if (!hub_.wantsTask(task_id)) return;
  Result<TaskState> state = tasks_.state(task_id);
  if (state.ok()) hub_.taskUpdated(task_id, state->detailedJson());
}

bool Server::taskIdParam(Call& call, std::string& task_id) {
  if (!call.client.hasExtension(protocol::kTasksExtension)) {
    fail(call, missingTasksExtension(call.request.method));
    return false;
  }
  const nlohmann::json& params = call.request.params;
  auto id = params.is_object() ? params.find("taskId") : params.end();
  if (id == params.end() || !id->is_string() || id->get_ref<const std::string&>().empty() ||
      id->get_ref<const std::string&>().size() > kMaxTaskIdLength) {
    fail(call, jsonrpc::invalidParams(call.request.method +
                                      ": params.taskId (the id from the CreateTaskResult, a "
                                      "non-empty string) is required"));
    return false;
  }
  task_id = id->get<std::string>();
  return true;
}

void Server::tasksGet(Call& call) {
  std::string id;
  if (!taskIdParam(call, id)) return;
  Result<TaskState> state = tasks_.state(id);
  if (!state.ok()) {
    fail(call, jsonrpc::errorFromStatus(state.status()));
    return;
  }
  respond(call, state->detailedJson());
}

void Server::tasksUpdate(Call& call) {
  std::string id;
  if (!taskIdParam(call, id)) return;
  const nlohmann::json& params = call.request.params;
  auto responses = params.find("inputResponses");
  if (responses == params.end() || !responses->is_object()) {
    fail(call, jsonrpc::invalidParams(
                   "tasks/update: params.inputResponses must be an object mapping the keys of "
                   "the task's inputRequests to their results"));
    return;
  }
  Result<TaskManager::Found> found = tasks_.find(id);
  if (!found.ok()) {
    fail(call, jsonrpc::errorFromStatus(found.status()));
    return;
  }
  if (found->task) {
    Result<bool> ready = found->task->accept(*responses);
    if (!ready.ok()) {
      fail(call, jsonrpc::errorFromStatus(ready.status()));
      return;
    }
    taskChanged(found->task);
    if (*ready) runTaskAgain(found->task);
  } else {
    Status updated = found->backing->update(id, *responses);
    if (!updated.ok()) {
      fail(call, jsonrpc::errorFromStatus(updated));
      return;
    }
    notifyTaskUpdated(id);
  }
  respond(call, nlohmann::json::object());
}

void Server::tasksCancel(Call& call) {
  std::string id;
  if (!taskIdParam(call, id)) return;
  Result<TaskManager::Found> found = tasks_.find(id);
  if (!found.ok()) {
    fail(call, jsonrpc::errorFromStatus(found.status()));
    return;
  }
  if (found->task) {
    // Terminal tasks stay as they are: the ack is the same (idempotent).
    if (found->task->requestCancel()) taskChanged(found->task);
  } else {
    Status cancelled = found->backing->cancel(id);
    if (!cancelled.ok()) {
      fail(call, jsonrpc::errorFromStatus(cancelled));
      return;
    }
    notifyTaskUpdated(id);
  }
  respond(call, nlohmann::json::object());
}

}  // namespace switchboard::mcp::server
