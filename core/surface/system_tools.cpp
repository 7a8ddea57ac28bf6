// system_status and plugin_list: what the gateway runs and what it holds.
#include <chrono>
#include <map>
#include <string>

#include "core/surface/surface.hpp"

namespace switchboard::core {
namespace {

using mcp::server::RequestContext;
using nlohmann::json;

Result<json> agentCounts(AgentService& agents) {
  json counts = json::object();
  std::string cursor;
  do {
    Result<AgentPage> page = agents.list(AgentFilter{}, cursor, 500);
    if (!page.ok()) return page.status();
    for (const AgentRecord& a : page->agents) {
      std::string status(agentStatusName(a.status));
      counts[status] = counts.value(status, 0) + 1;
    }
    cursor = page->next_cursor;
  } while (!cursor.empty());
  return counts;
}

Result<json> executionCounts(Engine& engine) {
  json counts = json::object();
  std::string cursor;
  do {
    Result<ExecutionPage> page = engine.list(ExecutionFilter{}, cursor, 500);
    if (!page.ok()) return page.status();
    for (const ExecutionSnapshot& e : page->items) {
      std::string status(executionStatusName(e.status));
      counts[status] = counts.value(status, 0) + 1;
    }
    cursor = page->next_cursor;
  } while (!cursor.empty());
  return counts;
}

Result<ToolOutput> status(const SurfaceServices& s) {
  json plugins{{"agent", json::array()},
               {"workflow", json::array()},
               {"storage", json::array()},
               {"tools", json::array()}};
  std::int64_t failed = 0;
  for (const PluginInfo& info : s.plugins->plugins()) {
    if (info.state == PluginState::kFailed) ++failed;
    bool usable = info.state == PluginState::kLoaded || info.state == PluginState::kAvailable;
    if (!usable || !plugins.contains(info.kind)) continue;
    plugins[info.kind].push_back(info.name);
  }
  plugins["failed"] = failed;
  Result<json> agents = agentCounts(*s.agents);
  if (!agents.ok()) return agents.status();
  Result<json> tasks = taskCounts(*s.tasks);
  if (!tasks.ok()) return tasks.status();
  Result<json> executions = executionCounts(*s.engine);
  if (!executions.ok()) return executions.status();
  double uptime =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - s.started).count();
  json out{{"version", s.version},
           {"uptime_s", uptime},
           {"storage", s.storage_name},
           {"plugins", std::move(plugins)},
           {"agents", std::move(*agents)},
           {"tasks", std::move(*tasks)},
           {"executions", std::move(*executions)},
           {"providers", s.agents->providerStates()},
           {"last_event_id", s.events->lastId()}};
  std::string text = "switchboard " + s.version + " on " + s.storage_name + ", up " +
                     std::to_string(static_cast<std::int64_t>(uptime)) + " s";
  return ToolOutput{std::move(out), text};
}

}  // namespace

json pluginToJson(const PluginInfo& info) {
  json out{{"name", info.name},
           {"kind", info.kind},
           {"version", info.version},
           {"status", std::string(pluginStateName(info.state))},
           {"description", info.description},
           {"dir", info.dir.string()}};
  if (!info.error.empty()) out["error"] = info.error;
  return out;
}

Status registerSystemTools(mcp::server::Server& server, const ToolCatalog& catalog,
                           const SurfaceServices& services) {
  SB_RETURN_IF_ERROR(catalog.add(server, "system_status", [services](const json&, RequestContext&) {
    return status(services);
  }));
  PluginRegistry* registry = services.plugins;
  SB_RETURN_IF_ERROR(catalog.add(
      server, "plugin_list", [registry](const json& args, RequestContext&) -> Result<ToolOutput> {
        std::string kind = stringArg(args, "kind");
        json items = json::array();
        std::int64_t failed = 0;
        for (const PluginInfo& info : registry->plugins()) {
          if (!kind.empty() && info.kind != kind) continue;
          if (info.state == PluginState::kFailed) ++failed;
          items.push_back(pluginToJson(info));
        }
        std::string text =
            std::to_string(items.size()) + " plugin(s), " + std::to_string(failed) + " failed";
        return ToolOutput{json{{"plugins", std::move(items)}}, text};
      }));
  return Status();
}

}  // namespace switchboard::core
