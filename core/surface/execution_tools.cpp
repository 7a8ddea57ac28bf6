// The execution_* tools: adapters from MCP arguments to the Engine.
#include <string>

#include "core/surface/json_view.hpp"
#include "core/surface/surface.hpp"

namespace switchboard::core {
namespace {

using mcp::server::RequestContext;
using nlohmann::json;

std::string summary(const json& e) {
  std::string text = "execution " + e["id"].get<std::string>() + " (" +
                     e["pattern"].get<std::string>() + ") is " + e["status"].get<std::string>();
  const json& p = e["progress"];
  text += "; steps settled " + std::to_string(p["settled"].get<std::int64_t>()) + "/" +
          std::to_string(p["total"].get<std::int64_t>());
  if (e.contains("error")) text += "; " + e["error"].get<std::string>();
  return text;
}

Result<ToolOutput> get(Engine& engine, const json& args) {
  Result<json> e =
      executionView(engine, stringArg(args, "execution_id"), args.value("include_steps", true));
  if (!e.ok()) return e.status();
  std::string text = summary(*e);
  return ToolOutput{json{{"execution", std::move(*e)}}, text};
}

Result<ToolOutput> list(const SurfaceServices& s, const json& args) {
  ExecutionFilter filter;
  std::string status = stringArg(args, "status");
  if (!status.empty()) {
    std::optional<ExecutionStatus> parsed = parseExecutionStatus(status);
    if (!parsed) {
      // A status the engine never gives (e.g. input_required): nothing can match.
      return ToolOutput{json{{"executions", json::array()}}, "0 execution(s)"};
    }
    filter.statuses.push_back(*parsed);
  }
  std::string pattern = stringArg(args, "pattern");
  if (!pattern.empty()) {
    Result<std::string> full = s.workflows->patternName(pattern);
    filter.pattern = full.ok() ? *full : pattern;
  }
  Result<ExecutionPage> page =
      s.engine->list(filter, stringArg(args, "cursor"), intArg(args, "limit", 50));
  if (!page.ok()) return page.status();
  json items = json::array();
  for (const ExecutionSnapshot& e : page->items) items.push_back(executionToJson(e, false));
  json out{{"executions", std::move(items)}};
  std::string text = std::to_string(page->items.size()) + " execution(s)";
  if (!page->next_cursor.empty()) {
    out["next_cursor"] = page->next_cursor;
    text += "; more with cursor " + page->next_cursor;
  }
  return ToolOutput{std::move(out), text};
}

Result<ToolOutput> control(Engine& engine, const json& args) {
  std::string id = stringArg(args, "execution_id");
  std::string action = stringArg(args, "action");
  Result<json> before = executionView(engine, id, false);
  if (!before.ok()) return before.status();
  if (action == "rewind") {
    std::string step = stringArg(args, "step_key");
    if (step.empty()) {
      return Status::invalidArgument(
          "rewind needs step_key: the first step to run again (execution_get lists the steps)");
    }
    Result<std::string> fork = engine.rewind(id, step);
    if (!fork.ok()) return fork.status();
    Result<json> e = executionView(engine, *fork, false);
    if (!e.ok()) return e.status();
    std::string text = "rewound " + id + " to step " + step + ": new " + summary(*e);
    return ToolOutput{json{{"execution", std::move(*e)}, {"forked_from", id}, {"action", action}},
                      text};
  }
  Status done;
  if (action == "pause") {
    done = engine.pause(id);
  } else if (action == "resume") {
    done = engine.resume(id);
  } else if (action == "cancel") {
    done = engine.cancel(id);
  } else {
    return Status::invalidArgument("action must be pause, resume, cancel or rewind");
  }
  if (!done.ok()) return done;
  Result<json> e = executionView(engine, id, false);
  if (!e.ok()) return e.status();
  std::string text = action + ": " + summary(*e);
  return ToolOutput{json{{"execution", std::move(*e)},
                         {"action", action},
                         {"previous_status", (*before)["status"]}},
                    text};
}

}  // namespace

Result<json> executionView(Engine& engine, const std::string& id, bool with_steps) {
  Result<ExecutionSnapshot> e = engine.get(id, with_steps);
  if (!e.ok()) {
    if (e.status().code() == StatusCode::kNotFound) {
      return Status::notFound("no execution '" + id + "'; execution_list shows the executions");
    }
    return e.status();
  }
  return executionToJson(*e, with_steps);
}

Status registerExecutionTools(mcp::server::Server& server, const ToolCatalog& catalog,
                              const SurfaceServices& services) {
  Engine* engine = services.engine;
  SB_RETURN_IF_ERROR(catalog.add(server, "execution_get", [engine](const json& a, RequestContext&) {
    return get(*engine, a);
  }));
  SB_RETURN_IF_ERROR(
      catalog.add(server, "execution_list",
                  [services](const json& a, RequestContext&) { return list(services, a); }));
  SB_RETURN_IF_ERROR(
      catalog.add(server, "execution_control",
                  [engine](const json& a, RequestContext&) { return control(*engine, a); }));
  return Status();
}

}  // namespace switchboard::core
