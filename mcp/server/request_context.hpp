// RequestContext: what a handler sees of the client request it is serving — the client
// (era, capabilities), cancellation, progress and log notifications, and questions to the
// client (server->client requests on the 2025 era, input_required rounds on 2026-07-28).
//
// It implements switchboard::ToolContext, so a plugin's ToolProvider gets the same object.
// It records whether the handler used it (usedContext(), for the server's CallProfile).
//
// Tasks (2026-07-28 io.modelcontextprotocol/tasks): becomeTask() / becomeBackedTask() turn
// the call into a task through the hook the Server installs for tools that allow tasks;
// the CreateTaskResult is sent at once and the handler goes on. From then on the context
// belongs to the task: cancelled() follows tasks/cancel, progress and logs are dropped,
// and clientRequest() questions are answered by tasks/update (the Server runs the handler
// again with the same context; see ServerTask).
//
// Created by the Server for one request and shared with the worker running it; lives until
// the response is sent, or, for a task, until the task ends. Thread safety: the
// notification methods and cancelled() may be called from any thread; the MRTR and task
// state (clientRequest/requestState/becomeTask) belongs to the one thread running the
// handler.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "mcp/protocol/client_context.hpp"
#include "mcp/protocol/session.hpp"
#include "mcp/server/response_stream.hpp"
#include "switchboard/tool_provider.hpp"

namespace switchboard::mcp::server {

class ServerTask;

class RequestContext : public switchboard::ToolContext,
                       public std::enable_shared_from_this<RequestContext> {
 public:
  using Persist = std::function<Status(const std::string& task_id)>;
  // Does the work of becomeTask() (persist == null) and becomeBackedTask(); returns the
  // task id. Installed by the Server.
  using TaskHook = std::function<Result<std::string>(RequestContext&, const Persist* persist)>;

  RequestContext(nlohmann::json request_id, nlohmann::json params, protocol::ClientContext client,
                 std::shared_ptr<protocol::Session> session, std::shared_ptr<ResponseStream> stream,
                 std::chrono::seconds request_timeout);

  // ToolContext.
  void progress(double progress, double total, std::string_view message) noexcept override;
  void log(std::string_view level, std::string_view data_json) noexcept override;
  // notifications/cancelled (both eras), or the client closed a 2026-07-28 stream.
  bool cancelled() const noexcept override;
  bool clientSupports(std::string_view method) const noexcept override;
  Result<std::string> clientRequest(std::string_view key, std::string_view method,
                                    std::string_view params_json) noexcept override;
  std::string requestState() const override { return state_in_; }
  void setRequestState(std::string_view state) noexcept override;
  void notifyCatalogChanged() noexcept override;
  Status becomeTask() noexcept override;

  // The same in JSON, for handlers inside the process.
  Result<nlohmann::json> ask(const std::string& key, const std::string& method,
                             nlohmann::json params);
  void log(std::string_view level, const nlohmann::json& data);

  // Host side.
  const protocol::ClientContext& client() const { return client_; }
  const nlohmann::json& requestId() const { return request_id_; }
  const nlohmann::json& params() const { return params_; }
  const std::shared_ptr<std::atomic<bool>>& cancelFlag() const { return cancelled_; }
  void setVerifiedState(std::string state) { state_in_ = std::move(state); }
  const nlohmann::json& inputRequests() const { return input_requests_; }
  const std::string& stateOut() const { return state_out_; }
  bool stateOutSet() const { return state_out_set_; }
  // The capability a clientRequest() lacked ({"sampling":{}}), or null.
  const nlohmann::json& missingCapability() const { return missing_capability_; }
  void setCatalogChangedHook(std::function<void()> hook) { catalog_hook_ = std::move(hook); }
  // True once the handler used any of the ToolContext methods above that talk to the
  // client or wait for it (CallProfile: such a handler never runs inline).
  bool usedContext() const { return used_context_.load(std::memory_order_relaxed); }
  // The call runs on the transport's thread, which cannot deliver a legacy
  // server->client request while it waits: clientRequest() then fails at once instead of
  // waiting for an answer that cannot come.
  void setInline(bool running_inline) { inline_ = running_inline; }

  // Tasks, host side.
  // Makes the call a task that the tool keeps itself (ToolDef::task_backing): the server
  // mints the task id and calls persist(id), which must record it durably (its error is
  // returned, and then no task exists); the CreateTaskResult is read back from the
  // backing and sent. Returns the task id. FailedPrecondition as becomeTask(), or when the
  // tool has no backing.
  Result<std::string> becomeBackedTask(const Persist& persist);
  void setTaskHook(TaskHook hook) { task_hook_ = std::move(hook); }
  // Set by the hook once the CreateTaskResult is sent.
  void enterTask(const std::shared_ptr<ServerTask>& task);
  void enterBackedTask(std::string task_id);
  bool isTask() const { return task_mode_.load(std::memory_order_acquire); }
  bool isBackedTask() const { return isTask() && backed_; }
  std::shared_ptr<ServerTask> task() const { return task_.lock(); }
  const std::string& taskId() const { return task_id_; }
  // Before the handler runs again for its task: forgets the last round's questions and
  // makes `carried_state` what requestState() returns.
  void beginTaskRound(std::string carried_state);
  // InvalidArgument unless `answer` is shaped like the result of `method` (an ElicitResult,
  // CreateMessageResult or ListRootsResult).
  static Status validateAnswer(const std::string& key, const std::string& method,
                               const nlohmann::json& answer);

 private:
  Result<nlohmann::json> askLegacy(const std::string& method, nlohmann::json params);

  const nlohmann::json request_id_;
  const nlohmann::json params_;
  const protocol::ClientContext client_;
  const std::shared_ptr<protocol::Session> session_;
  const std::shared_ptr<ResponseStream> stream_;
  const std::chrono::seconds request_timeout_;
  std::shared_ptr<std::atomic<bool>> cancelled_ = std::make_shared<std::atomic<bool>>(false);
  std::mutex progress_mutex_;
  double last_progress_ = -1e300;
  std::string state_in_;
  std::string state_out_;
  bool state_out_set_ = false;
  nlohmann::json input_requests_;  // null until the first question (an object after)
  nlohmann::json missing_capability_;
  std::function<void()> catalog_hook_;
  mutable std::atomic<bool> used_context_{false};
  bool inline_ = false;
  TaskHook task_hook_;
  std::atomic<bool> task_mode_{false};
  bool backed_ = false;
  std::string task_id_;
  std::weak_ptr<ServerTask> task_;
  std::shared_ptr<std::atomic<bool>> task_cancel_;  // the task's cancel flag
};

}  // namespace switchboard::mcp::server
