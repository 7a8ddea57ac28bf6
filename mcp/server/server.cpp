#include "mcp/server/server.hpp"

#include <spdlog/spdlog.h>

#include "mcp/jsonrpc/codec.hpp"
#include "mcp/protocol/envelope.hpp"
#include "mcp/protocol/result_shaper.hpp"
#include "mcp/server/provider_bridge.hpp"

namespace switchboard::mcp::server {
namespace {

// Task ids one listen stream may follow (each is looked up when the stream opens).
constexpr std::size_t kMaxListenTaskIds = 256;

}  // namespace

Server::Server(ServerInfo info, ServerOptions options)
    : info_(std::move(info)),
      info_json_(info_.toJson()),
      info_text_(jsonrpc::Codec::encode(info_json_)),
      options_(options),
      tasks_(TaskManager::Options{options.max_tasks, options.task_ttl_ms,
                                  options.task_poll_interval_ms},
             [this] { return registry_.taskBackings(); }),
      pool_(options.worker_threads) {
  // method -> handler, served in the legacy era, the modern era, on the worker pool.
  methods_ = {
      {"initialize", {&Server::initialize, true, false, false}},
      {"ping", {&Server::ping, true, false, false}},
      {"logging/setLevel", {&Server::setLogLevel, true, false, false}},
      {"resources/subscribe", {&Server::subscribe, true, false, false}},
      {"resources/unsubscribe", {&Server::unsubscribe, true, false, false}},
      {"server/discover", {&Server::discover, false, true, false}},
      {"subscriptions/listen", {&Server::listen, false, true, false}},
      {"tools/list", {&Server::listTools, true, true, false}},
      {"tools/call", {&Server::callTool, true, true, true}},
      {"resources/list", {&Server::listResources, true, true, false}},
      {"resources/templates/list", {&Server::listResourceTemplates, true, true, false}},
      {"resources/read", {&Server::readResource, true, true, true}},
      {"prompts/list", {&Server::listPrompts, true, true, false}},
      {"prompts/get", {&Server::getPrompt, true, true, true}},
      {"completion/complete", {&Server::complete, true, true, false}},
      // The Tasks extension (2026-07-28 only; tasks/result and tasks/list do not exist).
      {"tasks/get", {&Server::tasksGet, false, true, false}},
      {"tasks/update", {&Server::tasksUpdate, false, true, false}},
      {"tasks/cancel", {&Server::tasksCancel, false, true, false}},
  };
}

Server::~Server() { shutdown(); }

void Server::shutdown() {
  if (shut_down_.exchange(true)) return;
  hub_.shutdown(info_json_);
  tasks_.shutdown();  // running task handlers see cancelled() and return
  pool_.stop();
}

void Server::addTool(ToolDef def, ToolHandler handler) {
  registry_.addTool(std::move(def), std::move(handler));
  hub_.listChanged(ListKind::kTools);
}

bool Server::removeTool(const std::string& name) {
  if (!registry_.removeTool(name)) return false;
  hub_.listChanged(ListKind::kTools);
  return true;
}

void Server::addResource(ResourceDef def, ResourceHandler handler) {
  registry_.addResource(std::move(def), std::move(handler));
  hub_.listChanged(ListKind::kResources);
}

bool Server::removeResource(const std::string& uri) {
  if (!registry_.removeResource(uri)) return false;
  hub_.listChanged(ListKind::kResources);
  return true;
}

void Server::addResourceTemplate(ResourceTemplateDef def, ResourceHandler handler) {
  registry_.addResourceTemplate(std::move(def), std::move(handler));
  hub_.listChanged(ListKind::kResourceTemplates);
}

bool Server::removeResourceTemplate(const std::string& uri_template) {
  if (!registry_.removeResourceTemplate(uri_template)) return false;
  hub_.listChanged(ListKind::kResourceTemplates);
  return true;
}

void Server::addPrompt(PromptDef def, PromptHandler handler) {
  registry_.addPrompt(std::move(def), std::move(handler));
  hub_.listChanged(ListKind::kPrompts);
}

bool Server::removePrompt(const std::string& name) {
  if (!registry_.removePrompt(name)) return false;
  hub_.listChanged(ListKind::kPrompts);
  return true;
}

Status Server::addToolProvider(std::shared_ptr<switchboard::ToolProvider> provider) {
  if (!provider) return Status::invalidArgument("addToolProvider: null provider");
  auto bridge = std::make_shared<ProviderBridge>(std::move(provider));
  SB_RETURN_IF_ERROR(bridge->sync(*this));
  std::lock_guard lock(bridges_mutex_);
  bridges_.push_back(std::move(bridge));
  return Status();
}

void Server::notifyResourceUpdated(const std::string& uri) { hub_.resourceUpdated(uri); }

void Server::notifyListChanged(ListKind kind) { hub_.listChanged(kind); }

void Server::attachSession(const std::shared_ptr<protocol::Session>& session) {
  hub_.attachSession(session);
}

nlohmann::json Server::toolInputSchema(const std::string& name) const {
  auto tool = registry_.tool(name);
  return tool ? tool->def.input_schema : nlohmann::json();
}

nlohmann::json Server::capabilities(protocol::Era era) const {
  nlohmann::json caps = {{"tools", {{"listChanged", true}}},
                         {"resources", {{"subscribe", true}, {"listChanged", true}}},
                         {"prompts", {{"listChanged", true}}},
                         {"completions", nlohmann::json::object()},
                         {"logging", nlohmann::json::object()}};
  if (era == protocol::Era::kModern) {
    caps["extensions"] = {{protocol::kTasksExtension, nlohmann::json::object()}};
  }
  return caps;
}

void Server::respond(Call& call, nlohmann::json result) {
  protocol::ResultShaper::shape(result, call.client, call.request.method, info_json_,
                                protocol::CacheHints{options_.cache_ttl_ms, "public"});
  call.stream->finish(jsonrpc::makeResult(call.request.id, std::move(result)), 200);
}

void Server::fail(Call& call, const jsonrpc::Error& error) {
  call.stream->finish(jsonrpc::makeErrorResponse(call.request.id, error), error.http_status);
}

void Server::handleRequest(Call call) {
  auto it = methods_.find(call.request.method);
  bool served =
      it != methods_.end() && (call.client.modern() ? it->second.modern : it->second.legacy);
  if (!served) {
    jsonrpc::Error error = jsonrpc::methodNotFound(call.request.method);
    if (call.client.modern()) {
      error.http_status = 404;
      if (call.request.method == "initialize") {
        error.message +=
            " (this is a 2026-07-28 request; for 2025-11-25 or 2025-06-18 send "
            "initialize without the io.modelcontextprotocol/* _meta envelope)";
      }
    }
    fail(call, error);
    return;
  }
  if (!it->second.async) {
    runGuarded(call, it->second.method);
    return;
  }
  if (call.allow_inline && it->second.method == &Server::callTool && inlineTool(call)) {
    call.running_inline = true;
    runGuarded(call, it->second.method);
    return;
  }
  runAsync(std::move(call), it->second.method);
}

std::shared_ptr<const Registry::Tool> Server::inlineTool(const Call& call) const {
  const nlohmann::json& params = call.request.params;
  if (!params.is_object()) return nullptr;
  auto name = params.find("name");
  if (name == params.end() || !name->is_string()) return nullptr;
  auto tool = registry_.tool(name->get_ref<const std::string&>());
  // A call that may become a task must not hold the transport's thread: its
  // CreateTaskResult goes out while the handler runs on.
  return tool && tool->def.task_support == TaskSupport::kForbidden && tool->profile->runsInline()
             ? tool
             : nullptr;
}

void Server::runGuarded(Call& call, Method method) {
  try {
    (this->*method)(call);
  } catch (const std::exception& e) {
    spdlog::error("mcp: {} failed: {}", call.request.method, e.what());
    fail(call, jsonrpc::internalError(std::string("internal error: ") + e.what()));
  } catch (...) {
    fail(call, jsonrpc::internalError("internal error"));
  }
}

void Server::runAsync(Call call, Method method) {
  auto shared = std::make_shared<Call>(std::move(call));
  bool queued = pool_.submit([this, shared, method] { runGuarded(*shared, method); });
  if (!queued) fail(*shared, jsonrpc::internalError("the server is shutting down"));
}

void Server::handleNotification(const jsonrpc::Message& message,
                                const std::shared_ptr<protocol::Session>& session) {
  if (!session) return;
  if (message.method == "notifications/initialized") {
    session->markInitialized();
  } else if (message.method == "notifications/cancelled") {
    if (message.params.is_object() && message.params.contains("requestId")) {
      session->cancel(message.params["requestId"]);
      hub_.reap();
    }
  }
  // Every other notification (roots/list_changed, progress, ...) needs no action here.
}

bool Server::handleResponse(const jsonrpc::Message& message, protocol::Session& session) {
  nlohmann::json answer = nlohmann::json::object();
  if (!message.error.is_null()) {
    answer["error"] = message.error;
  } else {
    answer["result"] = message.result;
  }
  return session.deliverResponse(message.id, std::move(answer));
}

void Server::initialize(Call& call) {
  const nlohmann::json& params = call.request.params;
  if (!params.is_object() || !params.contains("protocolVersion") ||
      !params["protocolVersion"].is_string()) {
    fail(call, jsonrpc::invalidParams("initialize: params.protocolVersion (string) is required"));
    return;
  }
  std::string version =
      protocol::negotiateLegacyVersion(params["protocolVersion"].get<std::string>());
  nlohmann::json caps = params.value("capabilities", nlohmann::json::object());
  if (call.session) {
    call.session->initialize(version, std::move(caps));
    hub_.attachSession(call.session);
  }
  call.client.version = version;
  nlohmann::json result = {{"protocolVersion", version},
                           {"capabilities", capabilities(protocol::Era::kLegacy)},
                           {"serverInfo", info_.toJson()}};
  if (!info_.instructions.empty()) result["instructions"] = info_.instructions;
  respond(call, std::move(result));
}

void Server::ping(Call& call) { respond(call, nlohmann::json::object()); }

void Server::discover(Call& call) {
  nlohmann::json result = {{"supportedVersions", protocol::modernVersions()},
                           {"capabilities", capabilities(protocol::Era::kModern)}};
  if (!info_.instructions.empty()) result["instructions"] = info_.instructions;
  respond(call, std::move(result));
}

void Server::setLogLevel(Call& call) {
  const nlohmann::json& params = call.request.params;
  if (!params.is_object() || !params.contains("level") || !params["level"].is_string() ||
      protocol::logLevelRank(params["level"].get<std::string>()) < 0) {
    fail(call, jsonrpc::invalidParams(
                   "logging/setLevel: params.level must be one of debug, info, notice, warning, "
                   "error, critical, alert, emergency"));
    return;
  }
  if (call.session) call.session->setLogLevel(params["level"].get<std::string>());
  respond(call, nlohmann::json::object());
}

void Server::list(Call& call, ListKind kind, const char* field) {
  const nlohmann::json& params = call.request.params;
  std::string cursor;
  bool has_cursor = false;
  if (params.is_object() && params.contains("cursor") && !params["cursor"].is_null()) {
    if (!params["cursor"].is_string()) {
      fail(call, jsonrpc::invalidParams("params.cursor must be a string"));
      return;
    }
    cursor = params["cursor"].get<std::string>();
    has_cursor = true;
  }
  Result<Registry::Page> page =
      registry_.list(kind, has_cursor ? &cursor : nullptr, options_.page_size);
  if (!page.ok()) {
    fail(call, jsonrpc::errorFromStatus(page.status()));
    return;
  }
  nlohmann::json result = nlohmann::json::object();
  result[field] = std::move(page->items);  // not a braced list, which would deep-copy them
  if (!page->next_cursor.empty()) result["nextCursor"] = page->next_cursor;
  respond(call, std::move(result));
}

void Server::listTools(Call& call) { list(call, ListKind::kTools, "tools"); }
void Server::listResources(Call& call) { list(call, ListKind::kResources, "resources"); }
void Server::listResourceTemplates(Call& call) {
  list(call, ListKind::kResourceTemplates, "resourceTemplates");
}
void Server::listPrompts(Call& call) { list(call, ListKind::kPrompts, "prompts"); }

void Server::subscribe(Call& call) {
  const nlohmann::json& params = call.request.params;
  if (!params.is_object() || !params.contains("uri") || !params["uri"].is_string()) {
    fail(call, jsonrpc::invalidParams("params.uri (string) is required"));
    return;
  }
  if (!call.session) {
    fail(call,
         jsonrpc::invalidParams(
             "resources/subscribe needs a session: initialize first and send Mcp-Session-Id"));
    return;
  }
  call.session->subscribe(params["uri"].get<std::string>());
  respond(call, nlohmann::json::object());
}

void Server::unsubscribe(Call& call) {
  const nlohmann::json& params = call.request.params;
  if (!params.is_object() || !params.contains("uri") || !params["uri"].is_string()) {
    fail(call, jsonrpc::invalidParams("params.uri (string) is required"));
    return;
  }
  if (call.session) call.session->unsubscribe(params["uri"].get<std::string>());
  respond(call, nlohmann::json::object());
}

void Server::listen(Call& call) {
  const nlohmann::json& params = call.request.params;
  auto requested = params.is_object() ? params.find("notifications") : params.end();
  if (requested == params.end() || !requested->is_object()) {
    fail(call, jsonrpc::invalidParams("subscriptions/listen: params.notifications (object) is "
                                      "required"));
    return;
  }
  SubscriptionHub::Filter filter;
  filter.tools = requested->value("toolsListChanged", false) == true;
  filter.prompts = requested->value("promptsListChanged", false) == true;
  filter.resources = requested->value("resourcesListChanged", false) == true;
  if (auto uris = requested->find("resourceSubscriptions");
      uris != requested->end() && uris->is_array()) {
    filter.has_uris = true;
    for (const auto& uri : *uris) {
      if (uri.is_string()) filter.uris.push_back(uri.get<std::string>());
    }
  }
  if (auto ids = requested->find("taskIds"); ids != requested->end()) {
    bool strings = ids->is_array();
    for (const auto& id : strings ? *ids : nlohmann::json::array())
      strings = strings && id.is_string();
    if (!strings || ids->size() > kMaxListenTaskIds) {
      fail(call, jsonrpc::invalidParams("subscriptions/listen: notifications.taskIds must be an "
                                        "array of at most " +
                                        std::to_string(kMaxListenTaskIds) + " task ids (strings)"));
      return;
    }
    bool declared = call.client.hasExtension(protocol::kTasksExtension);
    if (!declared && !ids->empty()) {
      fail(call, jsonrpc::Error{
                     jsonrpc::kMissingRequiredClientCapability,
                     "notifications.taskIds needs the io.modelcontextprotocol/tasks "
                     "extension declared in this request's clientCapabilities",
                     {{"requiredCapabilities",
                       {{"extensions", {{protocol::kTasksExtension, nlohmann::json::object()}}}}}},
                     400});
      return;
    }
    // Without the extension (and so without ids) there is nothing to acknowledge.
    filter.has_task_ids = declared;
    for (const auto& id : *ids) {
      // Only tasks that exist are acknowledged (and ever notified).
      if (tasks_.state(id.get<std::string>()).ok())
        filter.task_ids.push_back(id.get<std::string>());
    }
  }
  auto cancelled = std::make_shared<std::atomic<bool>>(false);
  if (call.session) call.session->track(call.request.id, cancelled);
  hub_.listen(call.request.id, std::move(filter), call.stream, cancelled);
}

}  // namespace switchboard::mcp::server
