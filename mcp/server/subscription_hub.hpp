// SubscriptionHub: who hears about catalog and resource changes.
//
// Two kinds of listener: legacy sessions (session-wide list_changed and, for subscribed
// URIs, resources/updated — only once the session is initialized), and 2026-07-28
// `subscriptions/listen` streams, which get only the notification types they asked for,
// each tagged with _meta.subscriptionId (including notifications/tasks for the task ids
// they named, Tasks extension). Streams whose client went away or cancelled are
// dropped on the next fan-out; shutdown() ends the rest gracefully with a
// SubscriptionsListenResult.
//
// Thread safety: all methods are safe from any thread.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "mcp/protocol/session.hpp"
#include "mcp/server/registry.hpp"
#include "mcp/server/response_stream.hpp"

namespace switchboard::mcp::server {

class SubscriptionHub {
 public:
  struct Filter {
    bool tools = false;
    bool prompts = false;
    bool resources = false;
    std::vector<std::string> uris;
    bool has_uris = false;
    std::vector<std::string> task_ids;  // notifications/tasks for these tasks
    bool has_task_ids = false;
    nlohmann::json toJson() const;
  };

  void attachSession(const std::shared_ptr<protocol::Session>& session);
  // Registers a listen stream and sends its acknowledgement first.
  void listen(nlohmann::json id, Filter filter, std::shared_ptr<ResponseStream> stream,
              std::shared_ptr<std::atomic<bool>> cancelled);
  void listChanged(ListKind kind);
  void resourceUpdated(const std::string& uri);
  // True when a listen stream asked for notifications/tasks about `task_id`.
  bool wantsTask(const std::string& task_id) const;
  // notifications/tasks with `detailed` (a DetailedTask) to the streams that asked for
  // `task_id`.
  void taskUpdated(const std::string& task_id, const nlohmann::json& detailed);
  // Drops listen streams that were cancelled or closed.
  void reap();
  void shutdown(const nlohmann::json& server_info);
  std::size_t listenerCount() const;

 private:
  struct Listener {
    nlohmann::json id;
    Filter filter;
    std::shared_ptr<ResponseStream> stream;
    std::shared_ptr<std::atomic<bool>> cancelled;
  };
  void fanOut(const std::string& method, const nlohmann::json& params,
              bool (*wants)(const Filter&, const std::string&), const std::string& uri);
  mutable std::mutex mutex_;
  std::vector<std::weak_ptr<protocol::Session>> sessions_;
  std::vector<std::shared_ptr<Listener>> listeners_;
};

}  // namespace switchboard::mcp::server
