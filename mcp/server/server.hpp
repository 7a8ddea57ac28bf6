// Server: an MCP server that knows nothing about agents — a thread-safe catalog of tools,
// resources, resource templates and prompts, and the dispatch of every client request of
// both protocol eras (2025-06-18/2025-11-25 and 2026-07-28) to it.
//
// Transports (stdio, Streamable HTTP) decode messages, establish the request's
// protocol::ClientContext (from the session or the `_meta` envelope) and hand requests to
// handleRequest(); the response goes to the Call's ResponseStream, possibly later and from
// a worker thread (tools/call, prompts/get and resources/read run on the worker pool, so a
// slow handler never blocks the transport or other requests; a tool that has proven quick
// and self-contained (CallProfile) runs on the transport's thread when the Call allows it,
// saving two thread switches per call). Catalog changes send
// list_changed to initialized legacy sessions and to listen streams that asked for them.
//
// Tasks: the 2026-07-28 extension io.modelcontextprotocol/tasks (SEP-2663) is advertised in
// server/discover. A tool whose ToolDef allows tasks may turn a tools/call into a task from
// its handler (RequestContext::becomeTask, or becomeBackedTask for tools that keep their
// tasks' state themselves): the CreateTaskResult goes out at once, the handler goes on on
// its worker, and tasks/get, tasks/update and tasks/cancel (which need the extension
// declared on their own request: -32021 otherwise) follow the task; listen streams opened
// with notifications.taskIds get notifications/tasks. The 2025-11-25 core tasks
// (tasks/result, tasks/list, the `task` request parameter) are not implemented.
//
// Ownership: the Server owns its registry, worker pool and subscription hub; it shares
// Sessions with the transports. It must outlive the transports using it.
// Thread safety: every public method is safe from any thread.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "mcp/jsonrpc/message.hpp"
#include "mcp/protocol/client_context.hpp"
#include "mcp/protocol/request_state_sealer.hpp"
#include "mcp/protocol/session.hpp"
#include "mcp/server/definitions.hpp"
#include "mcp/server/registry.hpp"
#include "mcp/server/request_context.hpp"
#include "mcp/server/response_stream.hpp"
#include "mcp/server/subscription_hub.hpp"
#include "mcp/server/task_manager.hpp"
#include "mcp/server/worker_pool.hpp"
#include "switchboard/tool_provider.hpp"

namespace switchboard::mcp::server {

class ProviderBridge;

// One client request on its way through the server.
struct Call {
  jsonrpc::Message request;                    // kind == kRequest
  protocol::ClientContext client;              // era, version, capabilities
  std::shared_ptr<protocol::Session> session;  // legacy session / stdio connection, or null
  std::shared_ptr<ResponseStream> stream;      // where the response goes
  // The transport may run quick tool calls on its own thread (see CallProfile): HTTP,
  // where each connection has its own thread and a call blocks only its own connection,
  // and stdio, whose reader a proven-quick call holds up for microseconds.
  bool allow_inline = false;
  bool running_inline = false;  // set by the server
};

class Server {
 public:
  explicit Server(ServerInfo info = {}, ServerOptions options = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Catalog. Each change notifies listeners (tools/prompts/resources list_changed).
  void addTool(ToolDef def, ToolHandler handler);
  bool removeTool(const std::string& name);
  void addResource(ResourceDef def, ResourceHandler handler);
  bool removeResource(const std::string& uri);
  void addResourceTemplate(ResourceTemplateDef def, ResourceHandler handler);
  bool removeResourceTemplate(const std::string& uri_template);
  void addPrompt(PromptDef def, PromptHandler handler);
  bool removePrompt(const std::string& name);
  // Serves a plugin's catalog and forwards calls to it. InvalidArgument when its
  // catalogJson() is not the documented shape.
  Status addToolProvider(std::shared_ptr<switchboard::ToolProvider> provider);
  // Sends resources/updated to subscribers of `uri` (legacy subscribe, modern listen).
  void notifyResourceUpdated(const std::string& uri);
  // Sends list_changed for changes made directly through registry().
  void notifyListChanged(ListKind kind);
  // Sends notifications/tasks with the task's current state to the listen streams that
  // asked for it (for backed tasks, whose changes the server does not see itself).
  void notifyTaskUpdated(const std::string& task_id);

  // Dispatch (for transports).
  void handleRequest(Call call);
  void handleNotification(const jsonrpc::Message& message,
                          const std::shared_ptr<protocol::Session>& session);
  // A client's answer to a server->client request. False when nothing awaited it.
  bool handleResponse(const jsonrpc::Message& message, protocol::Session& session);
  // Lets the session receive session-wide notifications once initialized.
  void attachSession(const std::shared_ptr<protocol::Session>& session);
  // The inputSchema of a tool (null if unknown), for the Mcp-Param-* header check.
  nlohmann::json toolInputSchema(const std::string& name) const;

  nlohmann::json capabilities(protocol::Era era) const;
  const ServerInfo& info() const { return info_; }
  const ServerOptions& options() const { return options_; }
  Registry& registry() { return registry_; }

  // The tasks (in memory and backed) the server knows.
  TaskManager& tasks() { return tasks_; }

  // Ends listen streams, cancels running tasks, stops the worker pool (running handlers
  // finish first).
  void shutdown();

 private:
  using Method = void (Server::*)(Call&);
  struct MethodEntry {
    Method method;
    bool legacy;
    bool modern;
    bool async;
  };

  // What a task needs of the tools/call that created it, to answer it.
  struct TaskOrigin {
    nlohmann::json request_id;
    protocol::ClientContext client;
    std::shared_ptr<ResponseStream> stream;
    std::shared_ptr<protocol::Session> session;
    std::shared_ptr<const Registry::Tool> tool;
  };

  void respond(Call& call, nlohmann::json result);
  void fail(Call& call, const jsonrpc::Error& error);
  void runAsync(Call call, Method method);
  // The tool of a tools/call when it has proven quick (CallProfile), else null.
  std::shared_ptr<const Registry::Tool> inlineTool(const Call& call) const;
  // Runs a method on this thread, turning exceptions into internal errors.
  void runGuarded(Call& call, Method method);
  std::shared_ptr<RequestContext> makeContext(Call& call);
  // A modern request's requestState is sealed to its method and what it names
  // (bound_to: the tool, prompt or resource): "method\nname".
  static std::string stateBinding(const Call& call, std::string_view bound_to);
  // Turns a handler's outcome into the response (input_required, -32021, errors).
  void finishHandler(Call& call, RequestContext& context, Result<nlohmann::json> outcome,
                     std::string_view bound_to);
  std::optional<jsonrpc::Error> openRequestState(Call& call, RequestContext& context,
                                                 std::string_view bound_to);
  // Runs a tool handler, turning exceptions into isError results.
  Result<nlohmann::json> invokeTool(const Registry::Tool& tool, const nlohmann::json& arguments,
                                    RequestContext& context);
  // The tool's text_handler, with a throw turned into an isError result.
  Result<std::string> invokeToolText(const Registry::Tool& tool, const nlohmann::json& arguments,
                                     RequestContext& context);
  // Sends a tool's CallToolResult text without rebuilding it when ResultShaper allows
  // (shapeToolResultText shapes it in place); false, with the text untouched: the caller
  // parses it and goes the usual way.
  bool respondToolText(Call& call, RequestContext& context, std::string& text);

  // server_tasks.cpp
  // The hook behind becomeTask()/becomeBackedTask() (persist null: in memory).
  Result<std::string> startTask(const TaskOrigin& origin, RequestContext& context,
                                const RequestContext::Persist* persist);
  // Records how a handler round of an in-memory task ended.
  void finishTaskRun(const std::shared_ptr<ServerTask>& task, RequestContext& context,
                     Result<nlohmann::json> outcome);
  // Runs the handler of a task again on the pool (after tasks/update answered it).
  void runTaskAgain(const std::shared_ptr<ServerTask>& task);
  void taskChanged(const std::shared_ptr<ServerTask>& task);
  // tasks/*: the extension gate and params.taskId; false when it already failed the call.
  bool taskIdParam(Call& call, std::string& task_id);

  void initialize(Call& call);
  void ping(Call& call);
  void discover(Call& call);
  void setLogLevel(Call& call);
  void listTools(Call& call);
  void callTool(Call& call);
  void listResources(Call& call);
  void listResourceTemplates(Call& call);
  void readResource(Call& call);
  void subscribe(Call& call);
  void unsubscribe(Call& call);
  void listPrompts(Call& call);
  void getPrompt(Call& call);
  void complete(Call& call);
  void listen(Call& call);
  void tasksGet(Call& call);
  void tasksUpdate(Call& call);
  void tasksCancel(Call& call);
  void list(Call& call, ListKind kind, const char* field);

  const ServerInfo info_;
  const nlohmann::json info_json_;  // info_.toJson(), sent with every modern-era result
  const std::string info_text_;     // info_json_ as JSON text
  const ServerOptions options_;
  Registry registry_;
  SubscriptionHub hub_;
  protocol::RequestStateSealer sealer_;
  std::unordered_map<std::string, MethodEntry> methods_;
  std::mutex bridges_mutex_;
  std::vector<std::shared_ptr<ProviderBridge>> bridges_;
  TaskManager tasks_;
  WorkerPool pool_;
  std::atomic<bool> shut_down_{false};
};

}  // namespace switchboard::mcp::server
