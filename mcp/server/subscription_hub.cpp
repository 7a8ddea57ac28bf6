#include "mcp/server/subscription_hub.hpp"

#include <algorithm>

#include "mcp/jsonrpc/message.hpp"
#include "mcp/protocol/envelope.hpp"

namespace switchboard::mcp::server {
namespace {

const char* methodFor(ListKind kind) {
  switch (kind) {
    case ListKind::kTools:
      return "notifications/tools/list_changed";
    case ListKind::kPrompts:
      return "notifications/prompts/list_changed";
    case ListKind::kResources:
    case ListKind::kResourceTemplates:
      return "notifications/resources/list_changed";
  }
  return "";
}

}  // namespace

nlohmann::json SubscriptionHub::Filter::toJson() const {
  nlohmann::json out = nlohmann::json::object();
  if (tools) out["toolsListChanged"] = true;
  if (prompts) out["promptsListChanged"] = true;
  if (resources) out["resourcesListChanged"] = true;
  if (has_uris) out["resourceSubscriptions"] = uris;
  if (has_task_ids) out["taskIds"] = task_ids;
  return out;
}

void SubscriptionHub::attachSession(const std::shared_ptr<protocol::Session>& session) {
  std::lock_guard lock(mutex_);
  sessions_.erase(std::remove_if(sessions_.begin(), sessions_.end(),
                                 [](const auto& weak) { return weak.expired(); }),
                  sessions_.end());
  sessions_.push_back(session);
}

void SubscriptionHub::listen(nlohmann::json id, Filter filter,
                             std::shared_ptr<ResponseStream> stream,
                             std::shared_ptr<std::atomic<bool>> cancelled) {
  auto listener = std::make_shared<Listener>(
      Listener{std::move(id), std::move(filter), std::move(stream), std::move(cancelled)});
  std::lock_guard lock(mutex_);
  listener->stream->push(
      jsonrpc::makeNotification("notifications/subscriptions/acknowledged",
                                {{"notifications", listener->filter.toJson()},
                                 {"_meta", {{protocol::kMetaSubscriptionId, listener->id}}}}));
  listeners_.push_back(std::move(listener));
}

void SubscriptionHub::fanOut(const std::string& method, const nlohmann::json& params,
                             bool (*wants)(const Filter&, const std::string&),
                             const std::string& uri) {
  std::vector<std::shared_ptr<protocol::Session>> sessions;
  std::vector<std::shared_ptr<Listener>> listeners;
  {
    std::lock_guard lock(mutex_);
    for (const auto& weak : sessions_) {
      if (auto session = weak.lock()) sessions.push_back(std::move(session));
    }
    listeners = listeners_;
  }
  bool is_update = method == "notifications/resources/updated";
  bool listen_only = method == "notifications/tasks";  // the 2025 era has no such thing
  for (const auto& session : sessions) {
    if (listen_only || !session->initialized() || session->closed()) continue;
    if (is_update && !session->subscribed(uri)) continue;
    session->notify(jsonrpc::makeNotification(method, params));
  }
  for (const auto& listener : listeners) {
    if (!wants(listener->filter, uri)) continue;
    nlohmann::json tagged = params.is_object() ? params : nlohmann::json::object();
    tagged["_meta"] = {{protocol::kMetaSubscriptionId, listener->id}};
    listener->stream->push(jsonrpc::makeNotification(method, std::move(tagged)));
  }
  reap();
}

void SubscriptionHub::listChanged(ListKind kind) {
  static auto wants_tools = [](const Filter& f, const std::string&) { return f.tools; };
  static auto wants_prompts = [](const Filter& f, const std::string&) { return f.prompts; };
  static auto wants_resources = [](const Filter& f, const std::string&) { return f.resources; };
  bool (*wants)(const Filter&, const std::string&) = wants_resources;
  if (kind == ListKind::kTools) wants = wants_tools;
  if (kind == ListKind::kPrompts) wants = wants_prompts;
  fanOut(methodFor(kind), nullptr, wants, "");
}

void SubscriptionHub::resourceUpdated(const std::string& uri) {
  static auto wants = [](const Filter& f, const std::string& u) {
    return std::find(f.uris.begin(), f.uris.end(), u) != f.uris.end();
  };
  fanOut("notifications/resources/updated", {{"uri", uri}}, wants, uri);
}

bool SubscriptionHub::wantsTask(const std::string& task_id) const {
  std::lock_guard lock(mutex_);
  for (const auto& listener : listeners_) {
    const auto& ids = listener->filter.task_ids;
    if (std::find(ids.begin(), ids.end(), task_id) != ids.end()) return true;
  }
  return false;
}

void SubscriptionHub::taskUpdated(const std::string& task_id, const nlohmann::json& detailed) {
  static auto wants = [](const Filter& f, const std::string& id) {
    return std::find(f.task_ids.begin(), f.task_ids.end(), id) != f.task_ids.end();
  };
  fanOut("notifications/tasks", detailed, wants, task_id);
}

void SubscriptionHub::reap() {
  std::vector<std::shared_ptr<Listener>> gone;
  {
    std::lock_guard lock(mutex_);
    auto keep = std::partition(listeners_.begin(), listeners_.end(), [](const auto& l) {
      return !l->cancelled->load() && !l->stream->closed();
    });
    gone.assign(keep, listeners_.end());
    listeners_.erase(keep, listeners_.end());
  }
  for (const auto& listener : gone) listener->stream->abandon();
}

void SubscriptionHub::shutdown(const nlohmann::json& server_info) {
  std::vector<std::shared_ptr<Listener>> all;
  {
    std::lock_guard lock(mutex_);
    all.swap(listeners_);
    sessions_.clear();
  }
  for (const auto& listener : all) {
    listener->stream->finish(
        jsonrpc::makeResult(listener->id, {{"resultType", "complete"},
                                           {"_meta",
                                            {{protocol::kMetaSubscriptionId, listener->id},
                                             {protocol::kMetaServerInfo, server_info}}}}),
        200);
  }
}

std::size_t SubscriptionHub::listenerCount() const {
  std::lock_guard lock(mutex_);
  return listeners_.size();
}

}  // namespace switchboard::mcp::server
