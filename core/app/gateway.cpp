#include "core/app/gateway.hpp"

#include <spdlog/spdlog.h>

#include <map>
#include <utility>

#include "core/surface/surface.hpp"

namespace switchboard::core {
namespace {

std::map<std::string, std::string> pluginConfigs(const Config& config) {
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : config.plugins.config) out[name] = value.dump();
  return out;
}

// The full name of a loaded storage plugin given its full or short name ("sqlite").
Result<std::string> resolveStorageName(PluginRegistry& registry, const std::string& name) {
  std::vector<std::string> loaded = registry.usable(PluginKind::kStorage);
  for (const std::string& full : loaded) {
    if (full == name) return full;
  }
  for (const std::string& full : loaded) {
    std::string::size_type dot = full.rfind('.');
    if (dot != std::string::npos && full.substr(dot + 1) == name) return full;
  }
  std::string names;
  for (const std::string& full : loaded) names += (names.empty() ? "" : ", ") + full;
  std::string why = "storage backend '" + name +
                    "' is not loaded (loaded: " + (names.empty() ? std::string("none") : names) +
                    ")";
  for (const PluginInfo& p : registry.plugins()) {
    if (p.name == name && !p.error.empty()) why += "; it failed: " + p.error;
  }
  return Status::notFound(why + "; `switchboard plugins` shows why plugins failed");
}

}  // namespace

Gateway::Gateway(PluginRegistry& registry, GatewayOptions options)
    : registry_(registry), options_(std::move(options)) {}

Gateway::~Gateway() { shutdown(); }

Result<std::unique_ptr<Gateway>> Gateway::start(PluginRegistry& registry, GatewayOptions options) {
  std::unique_ptr<Gateway> gateway(new Gateway(registry, std::move(options)));
  Status started = gateway->startAll();
  if (!started.ok()) {
    gateway->shutdown();
    return started;
  }
  return gateway;
}

Status Gateway::startAll() {
  const Config& config = options_.config;
  std::map<std::string, std::string> configs = pluginConfigs(config);

  Result<std::unique_ptr<DataDirLock>> lock = DataDirLock::acquire(config.data_dir);
  if (!lock.ok()) return lock.status();
  data_dir_lock_ = std::move(*lock);

  Result<std::string> backend = resolveStorageName(registry_, config.storage.backend);
  if (!backend.ok()) return backend.status();
  storage_name_ = *backend;
  Result<std::shared_ptr<StorageBackend>> storage =
      registry_.create<StorageBackend>(storage_name_, config.storage.config.dump());
  if (!storage.ok()) return storage.status().withContext("storage " + storage_name_);
  storage_ = *storage;

  events_ = std::make_unique<EventHub>(storage_.get());
  SB_RETURN_IF_ERROR(events_->open().withContext("event hub"));
  EventHub* hub = events_.get();
  EventSink sink = [hub](std::string topic, std::string type, nlohmann::json data) {
    Status published = hub->publish(std::move(topic), std::move(type), data.dump());
    if (!published.ok()) spdlog::error("event not stored: {}", published.toString());
  };

  agent_types_ = std::make_unique<PluginAgentTypes>(&registry_, configs);
  AgentServiceOptions agent_options;
  for (const auto& [name, p] : config.providers) {
    agent_options.providers[name] =
        ProviderLimits{p.requests_per_minute, p.tokens_per_minute, p.failure_threshold, p.open_ms};
  }
  agents_ = std::make_unique<AgentService>(agent_types_.get(), storage_, sink, agent_options);
  Result<std::int64_t> agents = agents_->load();
  if (!agents.ok()) return agents.status().withContext("loading agents");
  // Crashes of agent processes climb the agent's recovery ladder.
  AgentService* crashed_agents = agents_.get();
  registry_.supervisor().setCrashHandler(
      [crashed_agents](const std::string& owner, const ProcessExit&, const std::string& detail) {
        Result<AgentRecord> after = crashed_agents->reportCrash(owner, detail);
        if (!after.ok())
          spdlog::warn("agents: crash of {} not handled: {}", owner, after.status().toString());
      });

  AgentService* agent_service = agents_.get();
  TaskServiceOptions task_options;
  task_options.check_agent = [agent_service](const std::string& agent) -> Status {
    Result<AgentRecord> found = agent_service->get(agent);
    return found.ok() ? Status() : found.status();
  };
  tasks_ = std::make_unique<TaskService>(storage_, sink, std::move(task_options));
  Result<std::int64_t> tasks = tasks_->load();
  if (!tasks.ok()) return tasks.status().withContext("loading tasks");

  patterns_ = std::make_unique<PatternCatalog>(&registry_, configs);
  EngineConfig engine_config;
  engine_config.storage = storage_.get();
  engine_config.directory = agents_.get();
  engine_config.events = events_.get();
  engine_config.resolver = patterns_->resolver();
  engine_ = std::make_unique<Engine>(std::move(engine_config));
  Result<std::int64_t> recovered = engine_->recover();
  if (!recovered.ok()) return recovered.status().withContext("recovering executions");
  recovered_ = *recovered;
  workflows_ = std::make_unique<WorkflowService>(patterns_.get(), engine_.get(), agents_.get(),
                                                 tasks_.get(), events_.get());
  workflow_tasks_ = std::make_shared<WorkflowTasks>(storage_.get(), engine_.get(), events_.get());

  Result<ToolCatalog> catalog =
      ToolCatalog::load(options_.schema_dir / "tools", options_.check_output);
  if (!catalog.ok()) return catalog.status().withContext("tool schemas");
  mcp::server::ServerInfo info;
  info.name = "switchboard";
  info.title = "Switchboard";
  info.version = SWITCHBOARD_VERSION;
  info.instructions =
      "Switchboard runs agents and durable multi-agent workflows. Create agents "
      "(agent_create), tasks (task_create), then run a pattern over them (workflow_run; "
      "workflow_patterns lists the patterns) and follow it with execution_get or the "
      "switchboard://executions/{id} resource.";
  server_ = std::make_unique<mcp::server::Server>(info);
  SurfaceServices services;
  services.plugins = &registry_;
  services.storage_name = storage_name_;
  services.events = events_.get();
  services.agents = agents_.get();
  services.tasks = tasks_.get();
  services.engine = engine_.get();
  services.workflows = workflows_.get();
  services.workflow_tasks = workflow_tasks_;
  services.version = SWITCHBOARD_VERSION;
  services.stopping = stopping_;
  services.default_step_timeout_ms = config.engine.default_step_timeout_ms;
  services.default_max_attempts = config.engine.default_max_attempts;
  services.default_max_concurrency = config.engine.max_concurrent_steps;
  SB_RETURN_IF_ERROR(registerSurface(*server_, *catalog, services));
  resource_subscription_ = registerResources(*server_, services);
  workflow_tasks_->attach(server_.get());

  for (const std::string& name : registry_.usable(PluginKind::kTools)) {
    auto config_it = configs.find(name);
    Result<std::shared_ptr<ToolProvider>> provider = registry_.create<ToolProvider>(
        name, config_it == configs.end() ? std::string("{}") : config_it->second);
    Status added = provider.ok() ? server_->addToolProvider(*provider) : provider.status();
    if (!added.ok()) spdlog::error("tool provider {} not served: {}", name, added.toString());
  }
  spdlog::info("gateway started: storage {}, {} agent(s), {} task(s), {} execution(s) recovered",
               storage_name_, *agents, *tasks, recovered_);
  return Status();
}

void Gateway::shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  stopping_->store(true);            // workflow_run calls waiting for executions return now
  if (server_) server_->shutdown();  // running handlers finish first
  if (workflow_tasks_) workflow_tasks_->detach();
  if (events_ && resource_subscription_ != 0) events_->unsubscribe(resource_subscription_);
  server_.reset();
  workflow_tasks_.reset();
  workflows_.reset();
  engine_.reset();  // cancels in-flight calls; the journal lets the next start recover
  patterns_.reset();
  tasks_.reset();
  registry_.supervisor().setCrashHandler(nullptr);
  if (agents_) {
    Status flushed = agents_->flush();
    if (!flushed.ok()) spdlog::warn("agent counters not stored: {}", flushed.toString());
  }
  agents_.reset();
  agent_types_.reset();
  events_.reset();
  storage_.reset();
  data_dir_lock_.reset();
}

}  // namespace switchboard::core
