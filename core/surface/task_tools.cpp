// The task_* tools: adapters from MCP arguments to TaskService, and the task helpers other
// adapters use (workflow_run's task list, resources, system_status).
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "core/surface/surface.hpp"
#include "core/tasks/task_service.hpp"

namespace switchboard::core {
namespace {

using mcp::server::RequestContext;
using nlohmann::json;

// A NotFound that says where to look. The service's message is kept (it may name another
// id than `id`, e.g. an unknown dependency or parent); the hint is added when it lacks one.
Status notFound(const Status& status, const std::string& id) {
  if (status.code() != StatusCode::kNotFound) return status;
  if (status.message().find("task_list") != std::string::npos) return status;
  std::string what = status.message().empty() ? "no task '" + id + "'" : status.message();
  return Status::notFound(what + "; task_list shows the tasks");
}

std::string describe(const TaskRecord& t) {
  std::string text =
      "task '" + t.title + "' (" + t.id + ") is " + std::string(taskStatusName(t.status));
  if (!t.status_reason.empty()) text += ": " + t.status_reason;
  return text;
}

Result<ToolOutput> taskOutput(const Result<TaskRecord>& task, const std::string& id,
                              const std::string& verb) {
  if (!task.ok()) return notFound(task.status(), id);
  std::string text = describe(task.value());
  if (!verb.empty()) text = verb + " " + text;
  return ToolOutput{json{{"task", toJson(task.value())}}, text};
}

Result<ToolOutput> create(TaskService& tasks, const json& args) {
  TaskCreateRequest r;
  r.title = stringArg(args, "title");
  r.description = stringArg(args, "description");
  r.expected_output = stringArg(args, "expected_output");
  if (args.contains("priority")) {
    r.priority = parseTaskPriority(stringArg(args, "priority")).value_or(TaskPriority::kNormal);
  }
  r.depends_on = stringListArg(args, "depends_on");
  r.assigned_agent = stringArg(args, "assigned_agent");
  r.required_capabilities = stringListArg(args, "required_capabilities");
  r.parent_id = stringArg(args, "parent_id");
  return taskOutput(tasks.create(r, "mcp"), "", "created");
}

Result<ToolOutput> list(TaskService& tasks, const json& args) {
  TaskFilter filter;
  std::string status = stringArg(args, "status");
  if (!status.empty()) filter.status = parseTaskStatus(status);
  filter.assigned_agent = stringArg(args, "assigned_agent");
  if (args.contains("parent_id")) filter.parent_id = stringArg(args, "parent_id");
  Result<TaskPage> page = tasks.list(filter, stringArg(args, "cursor"), intArg(args, "limit", 50));
  if (!page.ok()) return page.status();
  json items = json::array();
  for (const TaskRecord& t : page->tasks) items.push_back(toJson(t));
  return pageOutput("tasks", std::move(items), "task", page->next_cursor);
}

Result<ToolOutput> update(TaskService& tasks, const json& args) {
  std::string id = stringArg(args, "task_id");
  TaskUpdate u;
  bool fields = false;
  auto str = [&](const char* key, std::optional<std::string>& field) {
    if (!args.contains(key)) return;
    field = args[key].get<std::string>();
    fields = true;
  };
  str("title", u.title);
  str("description", u.description);
  str("expected_output", u.expected_output);
  str("assigned_agent", u.assigned_agent);
  if (args.contains("priority")) {
    u.priority = parseTaskPriority(stringArg(args, "priority"));
    fields = true;
  }
  if (args.contains("depends_on")) {
    u.depends_on = stringListArg(args, "depends_on");
    fields = true;
  }
  if (args.contains("required_capabilities")) {
    u.required_capabilities = stringListArg(args, "required_capabilities");
    fields = true;
  }
  Result<TaskRecord> task = tasks.get(id);
  if (!task.ok()) return notFound(task.status(), id);
  if (fields) {
    task = tasks.update(id, u, "mcp");
    if (!task.ok()) return notFound(task.status(), id);
  }
  if (args.contains("result")) {
    task = tasks.setResult(id, TaskStatus::kCompleted, args["result"], "mcp");
  }
  return taskOutput(task, id, "updated");
}

Result<ToolOutput> cancel(TaskService& tasks, const json& args) {
  std::string id = stringArg(args, "task_id");
  std::string reason = stringArg(args, "reason");
  Result<TaskRecord> task =
      tasks.cancel(id, reason.empty() ? "cancelled by task_cancel" : reason, "mcp");
  if (!task.ok()) return notFound(task.status(), id);
  // The dependents that are blocked now.
  json blocked = json::array();
  std::string cursor;
  do {
    TaskFilter filter;
    filter.status = TaskStatus::kBlocked;
    Result<TaskPage> page = tasks.list(filter, cursor, 500);
    if (!page.ok()) break;
    for (const TaskRecord& t : page->tasks) {
      if (std::find(t.depends_on.begin(), t.depends_on.end(), id) != t.depends_on.end()) {
        blocked.push_back(t.id);
      }
    }
    cursor = page->next_cursor;
  } while (!cursor.empty());
  std::string text = "cancelled " + describe(*task);
  if (!blocked.empty()) text += "; " + std::to_string(blocked.size()) + " dependent(s) blocked";
  return ToolOutput{json{{"task", toJson(*task)}, {"blocked", std::move(blocked)}}, text};
}

}  // namespace

Result<json> taskView(TaskService& tasks, const std::string& id) {
  Result<TaskRecord> task = tasks.get(id);
  if (!task.ok()) return notFound(task.status(), id);
  return toJson(*task);
}

Result<json> taskCounts(TaskService& tasks) {
  json counts = json::object();
  std::string cursor;
  do {
    Result<TaskPage> page = tasks.list(TaskFilter{}, cursor, 500);
    if (!page.ok()) return page.status();
    for (const TaskRecord& t : page->tasks) {
      std::string status(taskStatusName(t.status));
      counts[status] = counts.value(status, 0) + 1;
    }
    cursor = page->next_cursor;
  } while (!cursor.empty());
  return counts;
}

Status registerTaskTools(mcp::server::Server& server, const ToolCatalog& catalog,
                         const SurfaceServices& services) {
  TaskService* tasks = services.tasks;
  auto bind = [&](const char* name, Result<ToolOutput> (*fn)(TaskService&, const json&)) {
    return catalog.add(server, name,
                       [tasks, fn](const json& args, RequestContext&) { return fn(*tasks, args); });
  };
  SB_RETURN_IF_ERROR(bind("task_create", &create));
  SB_RETURN_IF_ERROR(bind("task_list", &list));
  SB_RETURN_IF_ERROR(bind("task_get", [](TaskService& t, const json& args) {
    std::string id = stringArg(args, "task_id");
    return taskOutput(t.get(id), id, "");
  }));
  SB_RETURN_IF_ERROR(bind("task_update", &update));
  SB_RETURN_IF_ERROR(bind("task_cancel", &cancel));
  return Status();
}

}  // namespace switchboard::core
