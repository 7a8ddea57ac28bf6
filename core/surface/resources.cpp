// The switchboard:// resources and their update notifications.
#include <set>
#include <string>

#include "core/surface/json_view.hpp"
#include "core/surface/surface.hpp"

namespace switchboard::core {
namespace {

using mcp::server::RequestContext;
using mcp::server::ResourceDef;
using mcp::server::ResourceTemplateDef;
using nlohmann::json;

constexpr const char* kMime = "application/json";
constexpr std::int64_t kMaxEventsShown = 10000;

json contents(const std::string& uri, const json& value) {
  return json{
      {"contents", json::array({json{{"uri", uri}, {"mimeType", kMime}, {"text", value.dump()}}})}};
}

// The {id} of `uri` = prefix + id + suffix; empty when it does not have that shape.
std::string idOf(const std::string& uri, const std::string& prefix, const std::string& suffix) {
  if (uri.size() <= prefix.size() + suffix.size() || uri.compare(0, prefix.size(), prefix) != 0 ||
      uri.compare(uri.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return {};
  }
  std::string id = uri.substr(prefix.size(), uri.size() - prefix.size() - suffix.size());
  return id.find('/') == std::string::npos ? id : std::string();
}

Result<json> allAgents(AgentService& agents) {
  json items = json::array();
  std::string cursor;
  do {
    Result<AgentPage> page = agents.list(AgentFilter{}, cursor, 500);
    if (!page.ok()) return page.status();
    for (const AgentRecord& a : page->agents) items.push_back(toJson(a));
    cursor = page->next_cursor;
  } while (!cursor.empty());
  return json{{"agents", std::move(items)}};
}

Result<json> executionEvents(EventHub& hub, const std::string& id) {
  const std::string topic = "execution/" + id;
  json items = json::array();
  std::int64_t after = 0;
  bool truncated = false;
  while (true) {
    Result<std::vector<Event>> page = hub.history(after, 1000, topic);
    if (!page.ok()) return page.status();
    for (const Event& e : *page) {
      after = e.id;
      if (e.topic != topic) continue;
      if (static_cast<std::int64_t>(items.size()) >= kMaxEventsShown) {
        truncated = true;
        break;
      }
      json parsed = json::parse(e.toJson(), nullptr, false);
      items.push_back(parsed.is_discarded() ? json(e.toJson()) : std::move(parsed));
    }
    if (truncated || page->size() < 1000) break;
  }
  json out{{"execution_id", id}, {"events", std::move(items)}};
  if (truncated) out["truncated"] = true;
  return out;
}

// The resource URIs an event changes.
void urisFor(const Event& e, std::set<std::string>& out) {
  auto slash = e.topic.find('/');
  if (slash == std::string::npos) return;
  std::string kind = e.topic.substr(0, slash);
  std::string id = e.topic.substr(slash + 1);
  if (kind == "agent") {
    out.insert("switchboard://agents");
    out.insert("switchboard://agents/" + id);
  } else if (kind == "task") {
    out.insert("switchboard://tasks/" + id);
  } else if (kind == "execution") {
    out.insert("switchboard://executions/" + id);
    out.insert("switchboard://executions/" + id + "/events");
  }
}

}  // namespace

std::uint64_t registerResources(mcp::server::Server& server, const SurfaceServices& s) {
  AgentService* agents = s.agents;
  server.addResource(
      ResourceDef{"switchboard://agents", "agents", "Agents",
                  "Every agent with its status, counters and health.", kMime, nullptr},
      [agents](const std::string& uri, RequestContext&) -> Result<json> {
        Result<json> all = allAgents(*agents);
        if (!all.ok()) return all.status();
        return contents(uri, *all);
      });
  server.addResourceTemplate(
      ResourceTemplateDef{"switchboard://agents/{id}", "agent", "Agent",
                          "One agent (by id or name), as agent_get shows it.", kMime, nullptr},
      [agents](const std::string& uri, RequestContext&) -> Result<json> {
        Result<AgentRecord> a = agents->get(idOf(uri, "switchboard://agents/", ""));
        if (!a.ok()) return a.status();
        return contents(uri, toJson(*a));
      });
  TaskService* tasks = s.tasks;
  server.addResourceTemplate(
      ResourceTemplateDef{"switchboard://tasks/{id}", "task", "Task",
                          "One task with its status, result, subtasks and revisions.", kMime,
                          nullptr},
      [tasks](const std::string& uri, RequestContext&) -> Result<json> {
        Result<json> t = taskView(*tasks, idOf(uri, "switchboard://tasks/", ""));
        if (!t.ok()) return t.status();
        return contents(uri, *t);
      });
  Engine* engine = s.engine;
  server.addResourceTemplate(
      ResourceTemplateDef{"switchboard://executions/{id}", "execution", "Execution",
                          "One execution with every step, as execution_get shows it.", kMime,
                          nullptr},
      [engine](const std::string& uri, RequestContext&) -> Result<json> {
        Result<json> e = executionView(*engine, idOf(uri, "switchboard://executions/", ""), true);
        if (!e.ok()) return e.status();
        return contents(uri, *e);
      });
  EventHub* hub = s.events;
  server.addResourceTemplate(
      ResourceTemplateDef{"switchboard://executions/{id}/events", "execution-events",
                          "Execution event log",
                          "The events of one execution in order (status changes, every step "
                          "starting, retrying and settling).",
                          kMime, nullptr},
      [hub, engine](const std::string& uri, RequestContext&) -> Result<json> {
        std::string id = idOf(uri, "switchboard://executions/", "/events");
        Result<json> exists = executionView(*engine, id, false);
        if (!exists.ok()) return exists.status();
        Result<json> events = executionEvents(*hub, id);
        if (!events.ok()) return events.status();
        return contents(uri, *events);
      });
  PluginRegistry* registry = s.plugins;
  server.addResource(
      ResourceDef{"switchboard://plugins", "plugins", "Plugins",
                  "Every plugin found, with its state and, when it failed, why.", kMime, nullptr},
      [registry](const std::string& uri, RequestContext&) -> Result<json> {
        json items = json::array();
        for (const PluginInfo& info : registry->plugins()) items.push_back(pluginToJson(info));
        return contents(uri, json{{"plugins", std::move(items)}});
      });

  return s.events->subscribe("", [&server](const std::vector<Event>& events, std::uint64_t) {
    std::set<std::string> uris;
    for (const Event& e : events) urisFor(e, uris);
    for (const std::string& uri : uris) server.notifyResourceUpdated(uri);
  });
}

}  // namespace switchboard::core
