#include "core/workflow/workflow_service.hpp"

#include <set>
#include <utility>

#include "core/plugin_host/schema_validator.hpp"

namespace switchboard::core {
namespace {

using nlohmann::json;

json agentEntry(const AgentRecord& a) {
  return json{{"id", a.id}, {"name", a.name}, {"role", a.role}, {"capabilities", a.capabilities}};
}

}  // namespace

std::string patternShortName(const std::string& full) {
  std::string::size_type dot = full.rfind('.');
  return dot == std::string::npos ? full : full.substr(dot + 1);
}

WorkflowService::WorkflowService(PatternCatalog* patterns, Engine* engine, AgentService* agents,
                                 TaskService* tasks, EventHub* events)
    : patterns_(patterns),
      engine_(engine),
      agents_(agents),
      tasks_(tasks),
      recorder_(events, engine, tasks) {}

std::vector<PatternInfo> WorkflowService::patterns() {
  std::vector<PatternInfo> out;
  for (const std::string& full : patterns_->names()) {
    Result<std::shared_ptr<WorkflowPattern>> p = patterns_->pattern(full);
    if (!p.ok()) continue;
    json schema = json::parse((*p)->paramsSchema(), nullptr, false);
    if (schema.is_discarded() || !schema.is_object()) schema = json::object();
    out.push_back({patternShortName(full), full, (*p)->description(), std::move(schema)});
  }
  return out;
}

Result<std::string> WorkflowService::patternName(const std::string& name) const {
  return patterns_->fullName(name);
}

Result<std::string> WorkflowService::start(const RunRequest& request) {
  Result<std::string> full = patterns_->fullName(request.pattern);
  if (!full.ok()) return full.status();
  Result<std::shared_ptr<WorkflowPattern>> pattern = patterns_->pattern(*full);
  if (!pattern.ok()) return pattern.status();
  Result<SchemaValidator> schema =
      SchemaValidator::fromText((*pattern)->paramsSchema(), *full + " params");
  if (schema.ok()) {
    Status valid = schema->validate(request.params);
    if (!valid.ok()) {
      return Status::invalidArgument("params do not fit pattern " + patternShortName(*full) + ": " +
                                     valid.message() +
                                     "; workflow_patterns shows its params_schema");
    }
  }
  SB_RETURN_IF_ERROR(request.options.validate());

  ExecutionInput input;
  input.params_json = request.params.dump();
  Result<json> agents = agentsForRun(request.agent_ids);
  if (!agents.ok()) return agents.status();
  input.agents_json = agents->dump();
  if (!request.task_ids.empty()) {
    Result<json> tasks = tasksForRun(request.task_ids);
    if (!tasks.ok()) return tasks.status();
    input.tasks_json = tasks->dump();
  }
  input.objective = request.objective;

  Result<std::string> id = engine_->startExecution(*full, *pattern, input, request.options);
  if (id.ok() && !request.task_ids.empty()) recorder_.watch(*id);
  return id;
}

void WorkflowService::awaitTaskResults(const std::string& execution_id) {
  recorder_.watch(execution_id);
}

Result<json> WorkflowService::agentsForRun(const std::optional<std::vector<std::string>>& ids) {
  json out = json::array();
  if (ids) {
    for (const std::string& id : *ids) {
      Result<AgentRecord> a = agents_->get(id);
      if (!a.ok()) return a.status();
      out.push_back(agentEntry(*a));
    }
    return out;
  }
  std::string cursor;
  do {
    Result<AgentPage> page = agents_->list(AgentFilter{}, cursor, 500);
    if (!page.ok()) return page.status();
    for (const AgentRecord& a : page->agents) out.push_back(agentEntry(a));
    cursor = page->next_cursor;
  } while (!cursor.empty());
  return out;
}

Result<json> WorkflowService::tasksForRun(const std::vector<std::string>& ids) {
  std::set<std::string> in_run(ids.begin(), ids.end());
  json out = json::array();
  for (const std::string& id : ids) {
    Result<TaskRecord> task = tasks_->get(id);
    if (!task.ok()) return task.status();
    std::vector<std::string> deps;
    for (const std::string& dep : task->depends_on) {
      if (in_run.count(dep) != 0) {
        deps.push_back(dep);
        continue;
      }
      Result<TaskRecord> other = tasks_->get(dep);
      if (other.ok() && other->status == TaskStatus::kCompleted) continue;  // already done
      return Status::failedPrecondition("task " + id + " depends on " + dep +
                                        ", which is not in this run and not completed; add " + dep +
                                        " to tasks");
    }
    json item = toJson(*task);
    item["depends_on"] = deps;
    // The names patterns read: who runs the task, or which capability it needs.
    if (!task->assigned_agent.empty()) {
      item["agent"] = task->assigned_agent;
      item["agent_id"] = task->assigned_agent;
    }
    if (!task->required_capabilities.empty()) item["capability"] = task->required_capabilities[0];
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace switchboard::core
