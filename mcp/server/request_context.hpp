// RequestContext: what a handler sees of the client request it is serving — the client
// (era, capabilities), cancellation, progress and log notifications, and questions to the
// client (server->client requests on the 2025 era, input_required rounds on 2026-07-28).
//
// It implements switchboard::ToolContext, so a plugin's ToolProvider gets the same object.
// It records whether the handler used it (usedContext(), for the server's CallProfile).
// Created by the Server for one request and shared with the worker running it; lives until
// the response is sent. Thread safety: the notification methods and cancelled() may be
// called from any thread; the MRTR state (clientRequest/requestState) belongs to the one
// thread running the handler.
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

class RequestContext : public switchboard::ToolContext {
 public:
  RequestContext(nlohmann::json request_id, nlohmann::json params,
                 protocol::ClientContext client, std::shared_ptr<protocol::Session> session,
                 std::shared_ptr<ResponseStream> stream, std::chrono::seconds request_timeout);

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

 private:
  Result<nlohmann::json> askLegacy(const std::string& method, nlohmann::json params);
  Status validateAnswer(const std::string& key, const std::string& method,
                        const nlohmann::json& answer) const;

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
  nlohmann::json input_requests_ = nlohmann::json::object();
  nlohmann::json missing_capability_;
  std::function<void()> catalog_hook_;
  mutable std::atomic<bool> used_context_{false};
  bool inline_ = false;
};

}  // namespace switchboard::mcp::server
