// The MCP surface: adapters from the gateway's tools and resources to its services.
//
// registerSurface() puts every tool of schemas/tools (through a ToolCatalog, so each call
// is validated against the tool's schemas) and every switchboard:// resource on an mcp
// Server. One file per area adds its part: agent_tools, task_tools, workflow_tools,
// execution_tools, system_tools and resources. Handlers only translate: arguments to
// service calls, results to structuredContent plus a short text, and failures to tool
// errors that say what to do instead.
//
// Ownership: SurfaceServices borrows every service; they must outlive the Server's
// handlers (the Gateway shuts the Server down first). Thread safety: handlers run
// concurrently on the Server's workers; the services are thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/agents/agent_service.hpp"
#include "core/engine/engine.hpp"
#include "core/events/event_hub.hpp"
#include "core/plugin_host/plugin_registry.hpp"
#include "core/surface/tool_catalog.hpp"
#include "core/workflow/workflow_service.hpp"
#include "mcp/server/server.hpp"

namespace switchboard::core {

class TaskService;    // core/tasks/task_service.hpp
class WorkflowTasks;  // core/surface/workflow_tasks.hpp

struct SurfaceServices {
  PluginRegistry* plugins = nullptr;
  std::string storage_name;  // the storage plugin in use
  EventHub* events = nullptr;
  AgentService* agents = nullptr;
  TaskService* tasks = nullptr;
  Engine* engine = nullptr;
  WorkflowService* workflows = nullptr;
  // Optional: workflow_run with `wait` runs as an MCP task backed by its execution when the
  // client declared the tasks extension.
  std::shared_ptr<WorkflowTasks> workflow_tasks;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::string version;
  // Execution defaults for workflow_run (Config::engine).
  std::int64_t default_step_timeout_ms = 0;
  std::int32_t default_max_attempts = 3;
  std::int32_t default_max_concurrency = 16;
  // Set when the gateway shuts down: handlers waiting for executions return at once.
  std::shared_ptr<std::atomic<bool>> stopping = std::make_shared<std::atomic<bool>>(false);
};

// Registers every tool defined in `catalog` and every resource. InvalidArgument naming a
// tool the catalog defines but no adapter serves (or the reverse).
Status registerSurface(mcp::server::Server& server, const ToolCatalog& catalog,
                       const SurfaceServices& services);

// Per area (each in its own file). Each returns the first registration error.
Status registerAgentTools(mcp::server::Server& server, const ToolCatalog& catalog,
                          const SurfaceServices& services);
Status registerTaskTools(mcp::server::Server& server, const ToolCatalog& catalog,
                         const SurfaceServices& services);
Status registerWorkflowTools(mcp::server::Server& server, const ToolCatalog& catalog,
                             const SurfaceServices& services);
Status registerExecutionTools(mcp::server::Server& server, const ToolCatalog& catalog,
                              const SurfaceServices& services);
Status registerSystemTools(mcp::server::Server& server, const ToolCatalog& catalog,
                           const SurfaceServices& services);

// The switchboard:// resources, and the EventHub subscription that sends
// notifications/resources/updated when what they show changes. Returns the subscription
// id; the caller unsubscribes it before the server or services go away.
std::uint64_t registerResources(mcp::server::Server& server, const SurfaceServices& services);

// Helpers shared by the adapters.
// Optional string argument ("" when absent).
std::string stringArg(const nlohmann::json& arguments, const char* key);
// Optional integer argument (`fallback` when absent).
std::int64_t intArg(const nlohmann::json& arguments, const char* key, std::int64_t fallback);
// Optional list of strings ([] when absent); the tool's input schema has checked the items.
std::vector<std::string> stringListArg(const nlohmann::json& arguments, const char* key);
// A *_list tool's output: {"<key>": items, "next_cursor"?} and the text
// "<N> <noun>(s)[; more with cursor <cursor>]".
ToolOutput pageOutput(const char* key, nlohmann::json items, const std::string& noun,
                      const std::string& next_cursor);
// A plugin as plugin_list and switchboard://plugins show it (system_tools.cpp).
nlohmann::json pluginToJson(const PluginInfo& info);
// One task as task_get shows it, or NotFound saying how to find tasks (task_tools.cpp).
Result<nlohmann::json> taskView(TaskService& tasks, const std::string& id);
// Number of tasks per status name (task_tools.cpp).
Result<nlohmann::json> taskCounts(TaskService& tasks);
// The execution as execution_get shows it, or NotFound saying how to find executions.
Result<nlohmann::json> executionView(Engine& engine, const std::string& id, bool with_steps);
// What workflow_run returns for execution `id` (workflow_tools.cpp): {execution} (with
// its steps when `waited`, i.e. it ended) and the one-line text.
Result<ToolOutput> workflowRunOutput(Engine& engine, const std::string& id, bool waited);

}  // namespace switchboard::core
