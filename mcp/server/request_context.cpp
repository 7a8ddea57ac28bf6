#include "mcp/server/request_context.hpp"

#include <spdlog/spdlog.h>

#include <future>

#include "mcp/jsonrpc/message.hpp"
#include "mcp/protocol/era.hpp"
#include "mcp/server/server_task.hpp"

namespace switchboard::mcp::server {

RequestContext::RequestContext(nlohmann::json request_id, nlohmann::json params,
                               protocol::ClientContext client,
                               std::shared_ptr<protocol::Session> session,
                               std::shared_ptr<ResponseStream> stream,
                               std::chrono::seconds request_timeout)
    : request_id_(std::move(request_id)),
      params_(params.is_object() ? std::move(params) : nlohmann::json::object()),
      client_(std::move(client)),
      session_(std::move(session)),
      stream_(std::move(stream)),
      request_timeout_(request_timeout) {}

void RequestContext::progress(double progress, double total, std::string_view message) noexcept {
  used_context_.store(true, std::memory_order_relaxed);
  if (isTask()) return;  // a task has no stream for progress
  try {
    auto meta = params_.find("_meta");
    if (meta == params_.end() || !meta->is_object() || !meta->contains("progressToken")) return;
    const nlohmann::json& token = (*meta)["progressToken"];
    if (!token.is_string() && !token.is_number_integer()) return;
    {
      std::lock_guard lock(progress_mutex_);
      if (progress <= last_progress_) return;
      last_progress_ = progress;
    }
    nlohmann::json params = {{"progressToken", token}, {"progress", progress}};
    if (total >= 0) params["total"] = total;
    if (!message.empty()) params["message"] = std::string(message);
    stream_->push(jsonrpc::makeNotification("notifications/progress", std::move(params)));
  } catch (const std::exception& e) {
    spdlog::warn("mcp: progress notification dropped: {}", e.what());
  }
}

void RequestContext::log(std::string_view level, const nlohmann::json& data) {
  used_context_.store(true, std::memory_order_relaxed);
  if (isTask()) return;  // a task has no stream for logs
  int rank = protocol::logLevelRank(level);
  if (rank < 0) return;
  std::string floor =
      client_.modern() ? client_.log_level : (session_ ? session_->logLevel() : std::string());
  if (client_.modern() && floor.empty()) return;  // 2026-07-28: no logLevel, no logs
  if (!floor.empty() && rank < protocol::logLevelRank(floor)) return;
  stream_->push(jsonrpc::makeNotification("notifications/message",
                                          {{"level", std::string(level)}, {"data", data}}));
}

void RequestContext::log(std::string_view level, std::string_view data_json) noexcept {
  try {
    nlohmann::json data = nlohmann::json::parse(data_json, nullptr, false);
    if (data.is_discarded()) data = std::string(data_json);
    log(level, data);
  } catch (const std::exception& e) {
    spdlog::warn("mcp: log notification dropped: {}", e.what());
  }
}

bool RequestContext::cancelled() const noexcept {
  used_context_.store(true, std::memory_order_relaxed);
  // A task: only tasks/cancel (or its expiry) cancels it; its request is long answered.
  if (isTask()) return task_cancel_ && task_cancel_->load();
  // 2026-07-28 HTTP: closing the response stream is the cancellation. 2025 era: a
  // disconnect is not (the client sends notifications/cancelled), so the work finishes.
  return cancelled_->load() || (client_.modern() && stream_->closed());
}

Status RequestContext::becomeTask() noexcept {
  used_context_.store(true, std::memory_order_relaxed);
  try {
    if (isTask()) return Status();
    if (!task_hook_) {
      return Status::failedPrecondition("this tool does not run as a task (taskSupport forbidden)");
    }
    Result<std::string> id = task_hook_(*this, nullptr);
    return id.ok() ? Status() : id.status();
  } catch (const std::exception& e) {
    return Status::internal(std::string("becomeTask failed: ") + e.what());
  }
}

Result<std::string> RequestContext::becomeBackedTask(const Persist& persist) {
  used_context_.store(true, std::memory_order_relaxed);
  if (isTask()) return task_id_;
  if (!task_hook_) {
    return Status::failedPrecondition("this tool does not run as a task (taskSupport forbidden)");
  }
  return task_hook_(*this, &persist);
}

void RequestContext::enterTask(const std::shared_ptr<ServerTask>& task) {
  task_ = task;
  task_id_ = task->id();
  task_cancel_ = task->cancelFlag();
  backed_ = false;
  task_mode_.store(true, std::memory_order_release);
}

void RequestContext::enterBackedTask(std::string task_id) {
  task_id_ = std::move(task_id);
  task_cancel_ = std::make_shared<std::atomic<bool>>(false);  // the backing cancels its work
  backed_ = true;
  task_mode_.store(true, std::memory_order_release);
}

void RequestContext::beginTaskRound(std::string carried_state) {
  input_requests_ = nlohmann::json::object();
  missing_capability_ = nullptr;
  state_in_ = std::move(carried_state);
  state_out_.clear();
  state_out_set_ = false;
}

bool RequestContext::clientSupports(std::string_view method) const noexcept {
  used_context_.store(true, std::memory_order_relaxed);
  return client_.supports(method);
}

void RequestContext::setRequestState(std::string_view state) noexcept {
  try {
    state_out_ = std::string(state);
    state_out_set_ = true;
  } catch (...) {
  }
}

void RequestContext::notifyCatalogChanged() noexcept {
  used_context_.store(true, std::memory_order_relaxed);
  try {
    if (catalog_hook_) catalog_hook_();
  } catch (const std::exception& e) {
    spdlog::warn("mcp: catalog refresh failed: {}", e.what());
  }
}

Result<std::string> RequestContext::clientRequest(std::string_view key, std::string_view method,
                                                  std::string_view params_json) noexcept {
  try {
    nlohmann::json params = nlohmann::json::parse(params_json, nullptr, false);
    if (params.is_discarded()) return Status::invalidArgument("clientRequest: params is not JSON");
    Result<nlohmann::json> answer = ask(std::string(key), std::string(method), std::move(params));
    if (!answer.ok()) return answer.status();
    return answer->dump();
  } catch (const std::exception& e) {
    return Status::internal(std::string("clientRequest failed: ") + e.what());
  }
}

Result<nlohmann::json> RequestContext::ask(const std::string& key, const std::string& method,
                                           nlohmann::json params) {
  used_context_.store(true, std::memory_order_relaxed);
  if (method != "sampling/createMessage" && method != "elicitation/create" &&
      method != "roots/list") {
    return Status::invalidArgument("clientRequest: unsupported method " + method);
  }
  if (!client_.supports(method)) {
    missing_capability_ = protocol::ClientContext::capabilityFor(method);
    return Status::failedPrecondition("the client did not declare the capability " +
                                      missing_capability_.begin().key() + " needed for " + method);
  }
  if (!client_.modern()) return askLegacy(method, std::move(params));
  if (std::shared_ptr<ServerTask> task = task_.lock()) {
    if (std::optional<nlohmann::json> given = task->answer(key)) {
      SB_RETURN_IF_ERROR(validateAnswer(key, method, *given));
      return *given;
    }
  }
  auto responses = params_.find("inputResponses");
  if (responses != params_.end() && responses->is_object()) {
    auto answer = responses->find(key);
    if (answer != responses->end()) {
      SB_RETURN_IF_ERROR(validateAnswer(key, method, *answer));
      return *answer;
    }
  }
  input_requests_[key] = {{"method", method}, {"params", std::move(params)}};
  return Status::unavailable(std::string(switchboard::kInputRequired));
}

Status RequestContext::validateAnswer(const std::string& key, const std::string& method,
                                      const nlohmann::json& answer) {
  auto bad = [&](const char* what) {
    return Status::invalidArgument("inputResponses[\"" + key + "\"] must be " + what);
  };
  if (!answer.is_object()) return bad("an object");
  if (method == "elicitation/create") {
    auto action = answer.find("action");
    if (action == answer.end() || !action->is_string() ||
        (*action != "accept" && *action != "decline" && *action != "cancel")) {
      return bad("an ElicitResult with action accept|decline|cancel");
    }
    if (answer.contains("content") && !answer["content"].is_object()) {
      return bad("an ElicitResult whose content is an object");
    }
  } else if (method == "sampling/createMessage") {
    if (!answer.contains("role") || !answer.contains("content")) {
      return bad("a CreateMessageResult with role and content");
    }
  } else if (method == "roots/list") {
    if (!answer.contains("roots") || !answer["roots"].is_array()) {
      return bad("a ListRootsResult with a roots array");
    }
  }
  return Status();
}

Result<nlohmann::json> RequestContext::askLegacy(const std::string& method, nlohmann::json params) {
  if (!session_) {
    return Status::failedPrecondition(
        "asking the client needs a session: initialize first and send Mcp-Session-Id");
  }
  if (inline_) {
    // Only a tool that never asked before runs inline (CallProfile); from now on it runs
    // on the worker pool, where the question can be streamed.
    return Status::unavailable("the server ran this call inline and cannot ask the client " +
                               method + " during it; call the tool again");
  }
  nlohmann::json id = session_->nextRequestId();
  std::future<nlohmann::json> answer = session_->expectResponse(id);
  if (!stream_->push(jsonrpc::makeRequest(id, method, std::move(params)))) {
    session_->forgetResponse(id);
    return Status::unavailable("the client is gone");
  }
  auto deadline = std::chrono::steady_clock::now() + request_timeout_;
  while (answer.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready) {
    if (cancelled() || std::chrono::steady_clock::now() > deadline) {
      session_->forgetResponse(id);
      if (cancelled()) return Status::cancelled("request cancelled");
      return Status::deadlineExceeded("the client did not answer " + method + " in time");
    }
  }
  nlohmann::json message = answer.get();
  if (message.contains("error")) {
    const nlohmann::json& error = message["error"];
    return Status::unavailable("the client answered " + method +
                               " with an error: " + error.value("message", error.dump()));
  }
  return message.value("result", nlohmann::json::object());
}

}  // namespace switchboard::mcp::server
