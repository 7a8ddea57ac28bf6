// The agent_* tools: adapters from MCP arguments to AgentService.
#include <chrono>
#include <string>
#include <vector>

#include "core/agents/agent_record.hpp"
#include "core/plugin_host/plugin_registry.hpp"
#include "core/surface/json_view.hpp"
#include "core/surface/surface.hpp"

namespace switchboard::core {
namespace {

using mcp::server::RequestContext;
using nlohmann::json;

std::string describe(const AgentRecord& a) {
  return "agent '" + a.name + "' (" + a.id + ", " + a.type + ") is " +
         std::string(agentStatusName(a.status));
}

Result<ToolOutput> agentOutput(const Result<AgentRecord>& agent, const std::string& verb) {
  if (!agent.ok()) return agent.status();
  std::string text = describe(agent.value());
  if (!verb.empty()) text = verb + " " + text;
  return ToolOutput{json{{"agent", toJson(agent.value())}}, text};
}

Result<ToolOutput> create(AgentService& agents, const json& args) {
  AgentCreateRequest request;
  request.name = stringArg(args, "name");
  request.type = stringArg(args, "type");
  request.role = stringArg(args, "role");
  request.model = stringArg(args, "model");
  request.system_prompt = stringArg(args, "system_prompt");
  request.capabilities = stringListArg(args, "capabilities");
  if (args.contains("config")) request.config = args["config"];
  if (args.contains("limits")) {
    Result<AgentLimits> limits = limitsFromJson(args["limits"]);
    if (!limits.ok()) return limits.status();
    request.limits = *limits;
  }
  return agentOutput(agents.create(request), "created");
}

Result<ToolOutput> list(AgentService& agents, const json& args) {
  AgentFilter filter;
  std::string status = stringArg(args, "status");
  if (!status.empty()) filter.status = parseAgentStatus(status);
  filter.role = stringArg(args, "role");
  filter.capability = stringArg(args, "capability");
  Result<AgentPage> page =
      agents.list(filter, stringArg(args, "cursor"), intArg(args, "limit", 50));
  if (!page.ok()) return page.status();
  json items = json::array();
  for (const AgentRecord& a : page->agents) items.push_back(toJson(a));
  return pageOutput("agents", std::move(items), "agent", page->next_cursor);
}

Result<ToolOutput> update(AgentService& agents, const json& args) {
  AgentUpdate u;
  if (args.contains("name")) u.name = args["name"].get<std::string>();
  if (args.contains("role")) u.role = args["role"].get<std::string>();
  if (args.contains("model")) u.model = args["model"].get<std::string>();
  if (args.contains("system_prompt")) u.system_prompt = args["system_prompt"].get<std::string>();
  if (args.contains("capabilities")) u.capabilities = stringListArg(args, "capabilities");
  if (args.contains("config")) u.config = args["config"];
  if (args.contains("limits")) {
    Result<AgentLimits> limits = limitsFromJson(args["limits"]);
    if (!limits.ok()) return limits.status();
    u.limits = *limits;
  }
  return agentOutput(agents.update(stringArg(args, "agent_id"), u), "updated");
}

Result<ToolOutput> control(AgentService& agents, const json& args) {
  std::string id = stringArg(args, "agent_id");
  std::optional<AgentAction> action = parseAgentAction(stringArg(args, "action"));
  if (!action) {
    return Status::invalidArgument("action must be start, stop, pause, resume or restart");
  }
  Result<AgentRecord> before = agents.get(id);
  if (!before.ok()) return before.status();
  Result<AgentRecord> after = agents.control(id, *action, "agent_control");
  if (!after.ok()) return after.status();
  json out{{"agent", toJson(*after)},
           {"previous_status", std::string(agentStatusName(before->status))}};
  return ToolOutput{std::move(out),
                    std::string(agentActionName(*action)) + ": " + describe(*after)};
}

Result<ToolOutput> remove(AgentService& agents, const json& args) {
  std::string id = stringArg(args, "agent_id");
  Result<AgentRecord> agent = agents.get(id);
  if (!agent.ok()) return agent.status();
  Status removed = agents.remove(agent->id, args.value("force", false));
  if (!removed.ok()) return removed;
  return ToolOutput{json{{"deleted", true}, {"agent_id", agent->id}, {"name", agent->name}},
                    "deleted agent '" + agent->name + "' (" + agent->id + ")"};
}

Result<ToolOutput> ask(AgentService& agents, const json& args) {
  std::chrono::milliseconds timeout(intArg(args, "timeout_ms", 0));
  Result<AskResult> answer =
      agents.ask(stringArg(args, "agent_id"), stringArg(args, "prompt"), timeout);
  if (!answer.ok()) return answer.status();
  const AskResult& a = *answer;
  if (!a.status.ok()) {
    // The call ran and failed: the caller sees the outcome as a tool error it can act on.
    return Status(a.status.code(),
                  "agent " + a.agent_id + " did not answer: " + a.status.message());
  }
  json out{{"agent_id", a.agent_id}, {"status", "succeeded"},         {"text", a.text},
           {"output", a.output},     {"usage", usageToJson(a.usage)}, {"duration_ms", a.wall_ms}};
  std::string text = a.text.empty() ? a.output.dump() : a.text;
  return ToolOutput{std::move(out), text};
}

}  // namespace

Status registerAgentTools(mcp::server::Server& server, const ToolCatalog& catalog,
                          const SurfaceServices& services) {
  AgentService* agents = services.agents;
  auto bind = [&](const char* name, Result<ToolOutput> (*fn)(AgentService&, const json&)) {
    return catalog.add(server, name, [agents, fn](const json& args, RequestContext&) {
      return fn(*agents, args);
    });
  };
  SB_RETURN_IF_ERROR(bind("agent_create", &create));
  SB_RETURN_IF_ERROR(bind("agent_list", &list));
  PluginRegistry* plugins = services.plugins;
  SB_RETURN_IF_ERROR(
      catalog.add(server, "agent_get", [agents, plugins](const json& args, RequestContext&) {
        Result<ToolOutput> out = agentOutput(agents->get(stringArg(args, "agent_id")), "");
        if (out.ok() && plugins != nullptr) {
          // What the supervisor sees of the agent's processes right now.
          const std::string id = out->structured["agent"].value("id", "");
          OwnerResources r = plugins->supervisor().resources(id);
          out->structured["agent"]["resources"] =
              json{{"processes_running", r.running},
                   {"processes_started", r.started},
                   {"crashes", r.crashes},
                   {"rss_kb", r.rss_kb},
                   {"peak_rss_kb", r.peak_rss_kb},
                   {"cpu_ms", r.cpu_ms},
                   {"last_sample_age_ms", r.last_sample_age_ms}};
        }
        return out;
      }));
  SB_RETURN_IF_ERROR(bind("agent_update", &update));
  SB_RETURN_IF_ERROR(bind("agent_control", &control));
  SB_RETURN_IF_ERROR(bind("agent_delete", &remove));
  SB_RETURN_IF_ERROR(bind("agent_ask", &ask));
  return Status();
}

}  // namespace switchboard::core
