// Gateway: the running orchestrator — storage, event hub, agent and task services, the
// durable engine, and the MCP server with the surface on top — started and stopped as one.
//
// start() builds, in this order: the lock on the data folder (DataDirLock), the storage backend
// (registry.create<StorageBackend> with the configured backend and its config), the EventHub
// (open(): ids continue after the stored ones), the AgentService (load()), the TaskService
// (load()), the pattern catalog and the Engine (recover(): unfinished executions continue from
// their journals), the WorkflowService that starts runs, then the mcp Server with every tool of
// schemas/tools, the switchboard:// resources and the tool-provider plugins (workflow_run's MCP
// tasks are its executions: WorkflowTasks). shutdown() (also run by the destructor) takes them down
// in the reverse order: the Server first (running handlers finish), then the resource
// notifications, the engine (in-flight calls are cancelled; their executions recover on the next
// start), the services (agent counters are flushed), the hub and the storage.
//
// Ownership: the PluginRegistry is borrowed and must outlive the Gateway; everything else
// is owned. Thread safety: the accessors may be used from any thread between start() and
// shutdown(); shutdown() must not run concurrently with itself.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "core/agents/agent_service.hpp"
#include "core/agents/plugin_agent_types.hpp"
#include "core/app/data_dir_lock.hpp"
#include "core/config/config.hpp"
#include "core/engine/engine.hpp"
#include "core/events/event_hub.hpp"
#include "core/plugin_host/plugin_registry.hpp"
#include "core/surface/tool_catalog.hpp"
#include "core/surface/workflow_tasks.hpp"
#include "core/tasks/task_service.hpp"
#include "core/workflow/pattern_catalog.hpp"
#include "core/workflow/workflow_service.hpp"
#include "mcp/server/server.hpp"
#include "switchboard/storage.hpp"

namespace switchboard::core {

struct GatewayOptions {
  Config config;
  std::filesystem::path schema_dir;  // holds tools/*.json
#ifdef NDEBUG
  bool check_output = false;  // validate every structuredContent against its outputSchema
#else
  bool check_output = true;
#endif
};

class Gateway {
 public:
  // The first failure, with what was being started as context (e.g. "storage
  // switchboard.storage.sqlite: ..."); whatever had started is shut down again.
  static Result<std::unique_ptr<Gateway>> start(PluginRegistry& registry, GatewayOptions options);
  ~Gateway();
  Gateway(const Gateway&) = delete;
  Gateway& operator=(const Gateway&) = delete;

  // Makes tool calls that wait for executions (workflow_run with wait) return at once, so
  // a transport can be stopped without waiting for long runs. Call before stopping the
  // transports; shutdown() does it too.
  void interruptWaits() { stopping_->store(true); }
  // Idempotent. The transports using server() must be stopped first.
  void shutdown();

  mcp::server::Server& server() { return *server_; }
  AgentService& agents() { return *agents_; }
  TaskService& tasks() { return *tasks_; }
  Engine& engine() { return *engine_; }
  EventHub& events() { return *events_; }
  WorkflowService& workflows() { return *workflows_; }
  StorageBackend& storage() { return *storage_; }
  const std::string& storageName() const { return storage_name_; }
  // Executions continued by recover() at start.
  std::int64_t recovered() const { return recovered_; }

 private:
  Gateway(PluginRegistry& registry, GatewayOptions options);
  Status startAll();

  PluginRegistry& registry_;
  GatewayOptions options_;
  std::string storage_name_;
  std::int64_t recovered_ = 0;

  // Declared in start order; shutdown() resets them in reverse.
  std::unique_ptr<DataDirLock> data_dir_lock_;
  std::shared_ptr<StorageBackend> storage_;
  std::unique_ptr<EventHub> events_;
  std::unique_ptr<PluginAgentTypes> agent_types_;
  std::unique_ptr<AgentService> agents_;
  std::unique_ptr<TaskService> tasks_;
  std::unique_ptr<PatternCatalog> patterns_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<WorkflowService> workflows_;
  std::shared_ptr<WorkflowTasks> workflow_tasks_;  // MCP tasks of workflow_run
  std::unique_ptr<mcp::server::Server> server_;
  std::uint64_t resource_subscription_ = 0;
  std::shared_ptr<std::atomic<bool>> stopping_ = std::make_shared<std::atomic<bool>>(false);
  bool shut_down_ = false;
};

}  // namespace switchboard::core
