// Session: the state one client connection keeps with the server.
//
// HTTP legacy clients get one per Mcp-Session-Id; a stdio connection gets exactly one
// whatever its era (modern requests then use only its cancellation and pending-request
// tables, never its handshake state). Holds the negotiated version and client
// capabilities, the logging floor, resource subscriptions, the session-wide notification
// sink (stdout, or the HTTP GET stream), the server->client requests awaiting an answer,
// and the client requests in flight (so notifications/cancelled can reach them).
//
// Thread safety: every method is safe from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "mcp/protocol/client_context.hpp"

namespace switchboard::mcp::protocol {

class Session {
 public:
  // Delivers one message; returns false when it could not be sent.
  using Sink = std::function<bool(const nlohmann::json&)>;
  using Clock = std::chrono::steady_clock;

  explicit Session(std::string id);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const std::string& id() const { return id_; }

  void initialize(std::string version, nlohmann::json capabilities);
  bool initializeReceived() const;
  void markInitialized();
  bool initialized() const;
  // The legacy ClientContext negotiated by initialize.
  ClientContext context() const;

  void setLogLevel(std::string level);
  std::string logLevel() const;  // empty: never set

  void subscribe(const std::string& uri);
  void unsubscribe(const std::string& uri);
  bool subscribed(const std::string& uri) const;

  // Session-wide notifications (list_changed, resources/updated).
  void setSink(Sink sink);
  void clearSink();
  bool notify(const nlohmann::json& message);

  // Server->client requests: a fresh id, a future for the answer, delivery of the answer.
  nlohmann::json nextRequestId();
  std::future<nlohmann::json> expectResponse(const nlohmann::json& id);
  void forgetResponse(const nlohmann::json& id);
  // False when no request with that id is pending.
  bool deliverResponse(const nlohmann::json& id, nlohmann::json message);

  // Client requests in flight, by id, for notifications/cancelled.
  void track(const nlohmann::json& id, std::shared_ptr<std::atomic<bool>> cancelled);
  void untrack(const nlohmann::json& id);
  bool cancel(const nlohmann::json& id);

  // Cancels everything in flight, fails pending server->client requests, drops the sink.
  void close();
  bool closed() const;

  void touch();
  Clock::time_point lastUsed() const;

 private:
  const std::string id_;
  mutable std::mutex mutex_;
  std::string version_;
  std::shared_ptr<const nlohmann::json> capabilities_;  // shared with every ClientContext
  bool initialize_received_ = false;
  bool initialized_ = false;
  bool closed_ = false;
  std::string log_level_;
  std::set<std::string> subscriptions_;
  Sink sink_;
  long long next_request_id_ = 0;
  std::map<std::string, std::promise<nlohmann::json>> pending_;
  std::map<std::string, std::shared_ptr<std::atomic<bool>>> in_flight_;
  Clock::time_point last_used_ = Clock::now();
};

}  // namespace switchboard::mcp::protocol
