#include "mcp/server/server_task.hpp"

#include "mcp/server/request_context.hpp"

namespace switchboard::mcp::server {

ServerTask::ServerTask(std::string id, std::int64_t now_ms, std::int64_t ttl_ms,
                       std::int64_t poll_interval_ms)
    : id_(std::move(id)) {
  state_.task_id = id_;
  state_.created_at_ms = now_ms;
  state_.updated_at_ms = now_ms;
  state_.ttl_ms = ttl_ms;
  state_.poll_interval_ms = poll_interval_ms;
}

TaskState ServerTask::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

bool ServerTask::expiredAt(std::int64_t now_ms) const {
  std::lock_guard lock(mutex_);
  return state_.ttl_ms && now_ms >= state_.created_at_ms + *state_.ttl_ms;
}

void ServerTask::setRun(Run run) {
  std::lock_guard lock(mutex_);
  if (!isTerminal(state_.status)) run_ = std::move(run);
}

ServerTask::Run ServerTask::run() const {
  std::lock_guard lock(mutex_);
  return run_;
}

std::optional<nlohmann::json> ServerTask::answer(const std::string& key) const {
  std::lock_guard lock(mutex_);
  auto it = answers_.find(key);
  if (it == answers_.end()) return std::nullopt;
  return *it;
}

std::string ServerTask::carriedState() const {
  std::lock_guard lock(mutex_);
  return carried_state_;
}

bool ServerTask::finishLocked(TaskStatus status, std::string message, Run& dropped) {
  if (isTerminal(state_.status)) return false;
  state_.status = status;
  state_.status_message = std::move(message);
  state_.input_requests = nullptr;
  state_.updated_at_ms = nowUnixMs();
  // The handler is done: the context (and the client's stream) goes, outside the lock.
  dropped = std::move(run_);
  run_ = Run{};
  return true;
}

bool ServerTask::park(nlohmann::json questions, std::string carried_state) {
  Run dropped;
  std::lock_guard lock(mutex_);
  if (isTerminal(state_.status)) return false;
  if (cancel_->load()) {
    return finishLocked(TaskStatus::kCancelled, "cancelled by the client", dropped);
  }
  state_.status = TaskStatus::kInputRequired;
  state_.status_message =
      "waiting for the client to answer " + std::to_string(questions.size()) + " input request(s)";
  state_.input_requests = std::move(questions);
  state_.updated_at_ms = nowUnixMs();
  carried_state_ = std::move(carried_state);
  return true;
}

bool ServerTask::complete(nlohmann::json result) {
  Run dropped;
  std::lock_guard lock(mutex_);
  // A plugin's result is not trusted to be well formed: a non-boolean isError is no error.
  auto flag = result.is_object() ? result.find("isError") : result.end();
  bool is_error = flag != result.end() && flag->is_boolean() && flag->get<bool>();
  if (!finishLocked(TaskStatus::kCompleted,
                    is_error ? "completed with a tool error (see result)" : "completed", dropped)) {
    return false;
  }
  state_.result = std::move(result);
  return true;
}

bool ServerTask::fail(nlohmann::json error, std::string message) {
  Run dropped;
  std::lock_guard lock(mutex_);
  if (!finishLocked(TaskStatus::kFailed, std::move(message), dropped)) return false;
  state_.error = std::move(error);
  return true;
}

bool ServerTask::cancelled(std::string message) {
  Run dropped;
  std::lock_guard lock(mutex_);
  return finishLocked(TaskStatus::kCancelled, std::move(message), dropped);
}

Result<bool> ServerTask::accept(const nlohmann::json& responses) {
  std::lock_guard lock(mutex_);
  if (state_.status != TaskStatus::kInputRequired || !state_.input_requests.is_object()) {
    return false;  // nothing is outstanding: every answer is ignored
  }
  nlohmann::json& pending = state_.input_requests;
  for (const auto& [key, answer] : responses.items()) {
    auto question = pending.find(key);
    if (question == pending.end()) continue;
    SB_RETURN_IF_ERROR(RequestContext::validateAnswer(key, question->value("method", ""), answer));
  }
  std::size_t answered = 0;
  for (const auto& [key, answer] : responses.items()) {
    if (!pending.contains(key)) continue;
    answers_[key] = answer;
    pending.erase(key);
    ++answered;
  }
  if (answered == 0) return false;
  state_.updated_at_ms = nowUnixMs();
  if (!pending.empty()) {
    state_.status_message =
        "waiting for the client to answer " + std::to_string(pending.size()) + " input request(s)";
    return false;
  }
  state_.status = TaskStatus::kWorking;
  state_.status_message = "working (the client answered every input request)";
  state_.input_requests = nullptr;
  return true;
}

bool ServerTask::requestCancel() {
  Run dropped;
  std::lock_guard lock(mutex_);
  cancel_->store(true);
  if (state_.status != TaskStatus::kInputRequired) return false;
  return finishLocked(TaskStatus::kCancelled, "cancelled by the client", dropped);
}

void ServerTask::expire() {
  Run dropped;
  std::lock_guard lock(mutex_);
  cancel_->store(true);
  dropped = std::move(run_);
  run_ = Run{};
}

}  // namespace switchboard::mcp::server
