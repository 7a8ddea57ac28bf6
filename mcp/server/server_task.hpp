// ServerTask: one task the server keeps in memory — a tools/call whose handler called
// RequestContext::becomeTask() and goes on running after the CreateTaskResult was sent.
//
// It holds the task's state (TaskState), the run that produced it (the tool, its
// arguments and the RequestContext, kept until the task ends so the handler can run again
// after tasks/update), the answers the client gave to its input requests (kept for the
// task's lifetime, so a key is never asked twice) and the cancel flag the handler sees
// through cancelled().
//
// A handler round ends in one of: park() (it asked questions and returned input_required;
// status input_required until tasks/update answered every one, then working again and the
// caller runs the handler again), complete(), fail(), cancelled(). Terminal states are
// final: later transitions are ignored, and the run is dropped.
//
// Thread safety: every method may be called from any thread (one mutex).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "mcp/server/registry.hpp"
#include "mcp/server/task_state.hpp"
#include "switchboard/status.hpp"

namespace switchboard::mcp::server {

class RequestContext;

class ServerTask {
 public:
  struct Run {
    std::shared_ptr<const Registry::Tool> tool;
    nlohmann::json arguments;
    std::shared_ptr<RequestContext> context;
  };

  ServerTask(std::string id, std::int64_t now_ms, std::int64_t ttl_ms,
             std::int64_t poll_interval_ms);

  const std::string& id() const { return id_; }
  TaskState state() const;
  // True from createdAt + ttlMs on (never earlier).
  bool expiredAt(std::int64_t now_ms) const;
  const std::shared_ptr<std::atomic<bool>>& cancelFlag() const { return cancel_; }

  void setRun(Run run);
  // The run (empty once the task is terminal).
  Run run() const;

  // The client's answer to input request `key`, when tasks/update delivered one.
  std::optional<nlohmann::json> answer(const std::string& key) const;
  // The state the last round set (RequestContext::setRequestState), for the next round.
  std::string carriedState() const;

  // Ends a handler round; each returns true when the task changed (false when it was
  // already terminal).
  // The handler asked `questions` ({key: {method, params}}, not empty): input_required.
  // Ends cancelled instead when a cancel was requested meanwhile.
  bool park(nlohmann::json questions, std::string carried_state);
  bool complete(nlohmann::json result);
  bool fail(nlohmann::json error, std::string message);
  bool cancelled(std::string message);

  // tasks/update: stores the answers to outstanding questions and ignores the rest.
  // Returns true when no question is outstanding any more: the task is working again and
  // the caller must run the handler. InvalidArgument (nothing stored) when an answer does
  // not fit its question's method.
  Result<bool> accept(const nlohmann::json& responses);

  // tasks/cancel: sets the cancel flag. A task waiting for input ends cancelled at once
  // (returns true); a running handler sees cancelled() and ends the task itself.
  bool requestCancel();
  // The task's TTL passed and the server forgets it: a running handler sees cancelled(),
  // and the run is dropped.
  void expire();

  // Held by whoever reads the state to announce it and until the announcement is queued, so
  // announcements of one task go out in the order of the states they carry (each reads the
  // state afresh: the last one sent is never older than the one before it).
  std::mutex& announceMutex() const { return announce_mutex_; }

 private:
  bool finishLocked(TaskStatus status, std::string message, Run& dropped);

  const std::string id_;
  const std::shared_ptr<std::atomic<bool>> cancel_ = std::make_shared<std::atomic<bool>>(false);
  mutable std::mutex mutex_;
  mutable std::mutex announce_mutex_;  // never taken while mutex_ is held
  TaskState state_;
  Run run_;
  nlohmann::json answers_ = nlohmann::json::object();
  std::string carried_state_;
};

}  // namespace switchboard::mcp::server
