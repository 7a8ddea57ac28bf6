// The workflow_* tools: the loaded patterns, and starting (and optionally awaiting) an
// execution with progress notifications and cancellation — or, with `wait` and the
// 2026-07-28 tasks extension declared, as an MCP task backed by the execution
// (WorkflowTasks).
#include <spdlog/spdlog.h>

#include <string>
#include <vector>

#include "core/surface/json_view.hpp"
#include "core/surface/surface.hpp"
#include "core/surface/workflow_tasks.hpp"

namespace switchboard::core {
namespace {

using mcp::server::RequestContext;
using nlohmann::json;

constexpr std::int64_t kWaitSliceMs = 200;

Result<ToolOutput> patterns(WorkflowService& workflows) {
  json items = json::array();
  std::string text;
  for (const PatternInfo& p : workflows.patterns()) {
    items.push_back(json{{"name", p.name},
                         {"plugin", p.plugin},
                         {"description", p.description},
                         {"params_schema", p.params_schema}});
    text += (text.empty() ? "" : ", ") + p.name;
  }
  return ToolOutput{json{{"patterns", std::move(items)}},
                    text.empty() ? "no workflow patterns are loaded" : "patterns: " + text};
}

Result<ExecutionOptions> optionsFrom(const SurfaceServices& s, const json& args) {
  ExecutionOptions o;
  o.max_concurrency =
      static_cast<std::int32_t>(intArg(args, "max_concurrency", s.default_max_concurrency));
  o.step_timeout_ms = intArg(args, "step_timeout_ms", s.default_step_timeout_ms);
  o.execution_timeout_ms = intArg(args, "timeout_ms", 0);
  o.max_attempts = static_cast<std::int32_t>(intArg(args, "max_attempts", s.default_max_attempts));
  if (args.contains("budget")) {
    const json& b = args["budget"];
    o.budget.max_steps = intArg(b, "max_steps", 0);
    o.budget.max_tokens = intArg(b, "max_tokens", 0);
    o.budget.max_cost_usd = b.value("max_cost_usd", 0.0);
    o.budget.max_wall_ms = intArg(b, "max_wall_ms", 0);
  }
  SB_RETURN_IF_ERROR(o.validate());
  return o;
}

std::string eventMessage(const Event& event) {
  json data = json::parse(event.data_json, nullptr, false);
  if (data.is_discarded() || !data.is_object()) return event.type;
  if (event.type.rfind("step.", 0) == 0) {
    return "step " + data.value("key", std::string("?")) + " " +
           data.value("status", std::string("?"));
  }
  return "execution " + data.value("status", std::string("?"));
}

// Waits until the execution ends, sending progress (settled/total steps) as events arrive
// and cancelling the execution when the MCP request is cancelled.
Result<ExecutionStatus> await(const SurfaceServices& s, const std::string& id,
                              RequestContext& context) {
  const std::string topic = "execution/" + id;
  std::uint64_t subscription = s.events->subscribe(
      topic, [&s, &context, &id, &topic](const std::vector<Event>& events, std::uint64_t) {
        std::string message;
        for (const Event& e : events) {
          if (e.topic == topic) message = eventMessage(e);
        }
        if (message.empty()) return;
        Result<ExecutionSnapshot> snap = s.engine->get(id, false);
        if (!snap.ok()) return;
        context.progress(static_cast<double>(settledSteps(snap->counts)),
                         static_cast<double>(snap->counts.total), message);
      });
  bool cancel_sent = false;
  Result<ExecutionStatus> status = Status::internal("not waited");
  while (true) {
    status = s.engine->waitFor(id, kWaitSliceMs);
    if (!status.ok() || isTerminal(*status)) break;
    if (s.stopping->load()) {
      s.events->unsubscribe(subscription);
      return Status::unavailable("the gateway is shutting down; execution " + id +
                                 " continues when it restarts (execution_get shows it)");
    }
    if (!cancel_sent && context.cancelled()) {
      cancel_sent = true;
      (void)s.engine->cancel(id);  // FailedPrecondition when it ended meanwhile
    }
  }
  s.events->unsubscribe(subscription);
  if (status.ok() && cancel_sent) {
    return Status::cancelled("the request was cancelled, so execution " + id + " was cancelled");
  }
  return status;
}

Result<ToolOutput> run(const SurfaceServices& s, const json& args, RequestContext& context) {
  RunRequest request;
  request.pattern = stringArg(args, "pattern");
  if (args.contains("params")) request.params = args["params"];
  if (args.contains("agents")) request.agent_ids = stringListArg(args, "agents");
  request.task_ids = stringListArg(args, "tasks");
  request.objective = stringArg(args, "objective");
  Result<ExecutionOptions> options = optionsFrom(s, args);
  if (!options.ok()) return options.status();
  request.options = *options;
  Result<std::string> id = s.workflows->start(request);
  if (!id.ok()) return id.status();

  bool wait = args.value("wait", false);
  if (wait && s.workflow_tasks && context.client().hasExtension(mcp::protocol::kTasksExtension)) {
    // The client polls tasks/get instead of holding this request open; the task is the
    // execution, so it survives a restart of the gateway.
    Result<std::string> task = s.workflow_tasks->link(context, *id);
    if (task.ok()) return workflowRunOutput(*s.engine, *id, false);
    spdlog::warn("workflow_run: execution {} waits synchronously, it could not become a task: {}",
                 *id, task.status().toString());
  }
  if (wait) {
    Result<ExecutionStatus> ended = await(s, *id, context);
    if (!ended.ok()) return ended.status();
    // Record on the tasks now, so a task_get after this call sees the outcomes.
    if (!request.task_ids.empty()) s.workflows->awaitTaskResults(*id);
  }
  return workflowRunOutput(*s.engine, *id, wait);
}

}  // namespace

Result<ToolOutput> workflowRunOutput(Engine& engine, const std::string& id, bool waited) {
  Result<json> view = executionView(engine, id, waited);
  if (!view.ok()) return view.status();
  std::string text = "execution " + id + " (" +
                     patternShortName((*view)["pattern"].get<std::string>()) + ") is " +
                     (*view)["status"].get<std::string>();
  if (!waited) text += "; execution_get or switchboard://executions/" + id + " follows it";
  if (view->contains("error")) text += "; " + (*view)["error"].get<std::string>();
  return ToolOutput{json{{"execution", std::move(*view)}}, text};
}

Status registerWorkflowTools(mcp::server::Server& server, const ToolCatalog& catalog,
                             const SurfaceServices& services) {
  WorkflowService* workflows = services.workflows;
  SB_RETURN_IF_ERROR(
      catalog.add(server, "workflow_patterns",
                  [workflows](const json&, RequestContext&) { return patterns(*workflows); }));
  ToolCatalog::TaskOptions tasks;
  if (services.workflow_tasks) {
    tasks.support = mcp::server::TaskSupport::kOptional;
    tasks.backing = services.workflow_tasks;
  }
  SB_RETURN_IF_ERROR(catalog.add(
      server, "workflow_run",
      [services](const json& a, RequestContext& context) { return run(services, a, context); },
      std::move(tasks)));
  return Status();
}

}  // namespace switchboard::core
