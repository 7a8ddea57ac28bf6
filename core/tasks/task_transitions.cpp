// TaskService: dependency checks, derived statuses and every status change.
#include <algorithm>
#include <utility>

#include "core/common/ids.hpp"
#include "core/tasks/task_service.hpp"
#include "core/tasks/task_service_internal.hpp"

namespace switchboard::core {
namespace {

using nlohmann::json;

std::string joinIds(const std::vector<std::string>& ids, const char* sep = ", ") {
  std::string out;
  for (const std::string& id : ids) out += (out.empty() ? "" : sep) + id;
  return out;
}

Status notFound(const std::string& id) {
  return Status::notFound("no task '" + id + "'; task_list shows the tasks");
}

}  // namespace

Status TaskService::checkDependenciesLocked(const std::string& id,
                                            const std::vector<std::string>& deps) const {
  std::vector<std::string> unknown;
  for (const std::string& dep : deps) {
    if (dep == id) return Status::invalidArgument("task " + id + " cannot depend on itself");
    if (!tasks_.count(dep)) unknown.push_back(dep);
  }
  if (!unknown.empty()) return Status::notFound("unknown dependency ids: " + joinIds(unknown));
  // A cycle appears when `id` is reachable from one of its new dependencies.
  for (const std::string& dep : deps) {
    std::map<std::string, std::string> came_from{{dep, ""}};
    std::vector<std::string> stack{dep};
    while (!stack.empty()) {
      std::string cur = stack.back();
      stack.pop_back();
      if (cur == id) {
        std::vector<std::string> path{id};
        for (std::string at = came_from[id]; !at.empty(); at = came_from[at]) path.push_back(at);
        std::vector<std::string> cycle{id};
        cycle.insert(cycle.end(), path.rbegin(), path.rend());
        return Status::invalidArgument("dependencies would form a cycle: " +
                                       joinIds(cycle, " -> "));
      }
      auto it = tasks_.find(cur);
      if (it == tasks_.end()) continue;
      for (const std::string& next : it->second.depends_on) {
        if (came_from.emplace(next, cur).second) stack.push_back(next);
      }
    }
  }
  return Status();
}

std::pair<TaskStatus, std::string> TaskService::deriveLocked(const TaskRecord& t) const {
  std::vector<std::string> waiting;
  for (const std::string& dep : t.depends_on) {
    auto it = tasks_.find(dep);
    if (it == tasks_.end()) return {TaskStatus::kBlocked, "dependency " + dep + " does not exist"};
    const TaskRecord& d = it->second;
    switch (d.status) {
      case TaskStatus::kCompleted:
        break;
      case TaskStatus::kFailed:
        return {TaskStatus::kBlocked, "dependency " + dep + " failed"};
      case TaskStatus::kCancelled:
        return {TaskStatus::kBlocked, "dependency " + dep + " was cancelled"};
      case TaskStatus::kBlocked:
        return {TaskStatus::kBlocked,
                "dependency " + dep + " is blocked (" + d.status_reason + ")"};
      default:
        waiting.push_back(dep + " (" + std::string(taskStatusName(d.status)) + ")");
    }
  }
  if (!waiting.empty()) return {TaskStatus::kPending, "waiting for " + joinIds(waiting)};
  return {t.assigned_agent.empty() ? TaskStatus::kReady : TaskStatus::kAssigned, ""};
}

void TaskService::setStatusLocked(TaskRecord& t, TaskStatus to, const std::string& reason,
                                  std::vector<std::string>* changed) {
  if (t.status == to && t.status_reason == reason) return;
  TaskStatus from = t.status;
  t.status = to;
  t.status_reason = reason;
  t.updated_at = nowRfc3339();
  changed->push_back(t.id);
  json data{{"task", toJson(viewLocked(t))},
            {"from", taskStatusName(from)},
            {"to", taskStatusName(to)},
            {"reason", reason}};
  outbox_.push("task/" + t.id, from == to ? "task.updated" : "task.status", std::move(data));
  if (from != to || to == TaskStatus::kBlocked) refreshDependentsLocked(t.id, changed);
}

void TaskService::refreshDependentsLocked(const std::string& id,
                                          std::vector<std::string>* changed) {
  auto deps = dependents_.find(id);
  if (deps == dependents_.end()) return;
  std::vector<std::string> ids(deps->second.begin(), deps->second.end());
  for (const std::string& dependent : ids) {
    auto it = tasks_.find(dependent);
    if (it == tasks_.end()) continue;
    TaskRecord& t = it->second;
    if (t.status == TaskStatus::kRunning || isTerminal(t.status)) continue;
    auto [status, reason] = deriveLocked(t);
    setStatusLocked(t, status, reason, changed);  // recurses into its own dependents
  }
}

void TaskService::cancelTreeLocked(TaskRecord& t, const std::string& reason, const std::string& by,
                                   std::vector<std::string>* changed) {
  if (isTerminal(t.status)) return;
  t.revisions.push_back(
      {nowRfc3339(), by, "cancelled", json(), json{{"status", "cancelled"}, {"reason", reason}}});
  setStatusLocked(t, TaskStatus::kCancelled, reason, changed);
  auto kids = children_.find(t.id);
  if (kids == children_.end()) return;
  std::vector<std::string> ids(kids->second.begin(), kids->second.end());
  for (const std::string& child : ids) {
    auto it = tasks_.find(child);
    if (it != tasks_.end())
      cancelTreeLocked(it->second, "parent task " + t.id + " was cancelled", by, changed);
  }
}

Result<TaskRecord> TaskService::cancel(const std::string& id, const std::string& reason,
                                       const std::string& by) {
  return transition(id, [&](TaskRecord& t, std::vector<std::string>* changed) -> Status {
    if (isTerminal(t.status)) {
      return Status::failedPrecondition(
          "task " + id + " is " + std::string(taskStatusName(t.status)) +
          "; only pending, ready, assigned, running or blocked tasks can be cancelled");
    }
    cancelTreeLocked(t, reason.empty() ? "cancelled" : reason, by, changed);
    return Status();
  });
}

Result<TaskRecord> TaskService::markRunning(const std::string& id, const std::string& agent,
                                            const std::string& by) {
  return transition(id, [&](TaskRecord& t, std::vector<std::string>* changed) -> Status {
    switch (t.status) {
      case TaskStatus::kReady:
      case TaskStatus::kAssigned:
      case TaskStatus::kFailed:
        break;  // failed -> running is a retry
      case TaskStatus::kPending:
        return Status::failedPrecondition("task " + id + " is pending: " + t.status_reason);
      case TaskStatus::kBlocked:
        return Status::failedPrecondition("task " + id + " is blocked: " + t.status_reason);
      default:
        return Status::failedPrecondition(
            "task " + id + " is " + std::string(taskStatusName(t.status)) +
            "; only ready, assigned or failed tasks can start running");
    }
    if (!agent.empty()) t.assigned_agent = agent;
    t.revisions.push_back({nowRfc3339(), by, "running", json(),
                           json{{"status", "running"}, {"agent", t.assigned_agent}}});
    setStatusLocked(t, TaskStatus::kRunning, "", changed);
    return Status();
  });
}

Result<TaskRecord> TaskService::setResult(const std::string& id, TaskStatus outcome,
                                          const json& result, const std::string& by,
                                          const Usage& usage) {
  if (outcome != TaskStatus::kCompleted && outcome != TaskStatus::kFailed) {
    return Status::invalidArgument("a result's outcome is completed or failed, not " +
                                   std::string(taskStatusName(outcome)));
  }
  return transition(id, [&](TaskRecord& t, std::vector<std::string>* changed) -> Status {
    if (t.status == TaskStatus::kPending || t.status == TaskStatus::kBlocked) {
      return Status::failedPrecondition("task " + id + " is " +
                                        std::string(taskStatusName(t.status)) + " (" +
                                        t.status_reason + "); it cannot have a result yet");
    }
    if (t.status == TaskStatus::kCancelled) {
      return Status::failedPrecondition("task " + id + " is cancelled; it takes no result");
    }
    t.result = result;
    t.usage += usage;
    t.revisions.push_back({nowRfc3339(), by, std::string(taskStatusName(outcome)), result, json()});
    TaskStatus before = t.status;
    setStatusLocked(t, outcome, "", changed);
    if (before == outcome) {  // a revised result: status unchanged
      t.updated_at = nowRfc3339();
      changed->push_back(id);
      eventLocked(t, "task.updated");
    }
    return Status();
  });
}

Result<TaskRecord> TaskService::transition(
    const std::string& id,
    const std::function<Status(TaskRecord&, std::vector<std::string>*)>& change) {
  std::vector<std::string> changed;
  TaskRecord view;
  {
    std::lock_guard lock(mu_);
    auto it = tasks_.find(id);
    if (it == tasks_.end()) return notFound(id);
    SB_RETURN_IF_ERROR(change(it->second, &changed));
    view = viewLocked(it->second);
  }
  if (changed.empty()) return view;  // nothing to store or announce
  Status written = persist(changed);
  outbox_.drain();
  if (!written.ok()) return written.withContext("task " + id + " changed but not stored");
  return view;
}

Result<TaskRecord> TaskService::update(const std::string& id, const TaskUpdate& u,
                                       const std::string& by) {
  if (u.title) SB_RETURN_IF_ERROR(validateTaskTitle(*u.title));
  std::optional<std::vector<std::string>> caps;
  if (u.required_capabilities) {
    Result<std::vector<std::string>> normalized =
        normalizeTaskCapabilities(*u.required_capabilities);
    if (!normalized.ok()) return normalized.status();
    caps = std::move(*normalized);
  }
  if (u.assigned_agent && !u.assigned_agent->empty() && options_.check_agent) {
    SB_RETURN_IF_ERROR(options_.check_agent(*u.assigned_agent).withContext("assigned_agent"));
  }
  return transition(id, [&](TaskRecord& t, std::vector<std::string>* changed) -> Status {
    json change = json::object();
    std::optional<std::vector<std::string>> deps;
    if (u.depends_on) {
      deps.emplace();
      for (const std::string& dep : *u.depends_on) {
        if (std::find(deps->begin(), deps->end(), dep) == deps->end()) deps->push_back(dep);
      }
      if (*deps != t.depends_on) {
        if (t.status == TaskStatus::kRunning || isTerminal(t.status)) {
          return Status::failedPrecondition("task " + id + " is " +
                                            std::string(taskStatusName(t.status)) +
                                            "; its dependencies can change only before it runs");
        }
        SB_RETURN_IF_ERROR(checkDependenciesLocked(id, *deps));
      } else {
        deps.reset();
      }
    }
    auto set = [&](auto& field, const auto& value, const char* name) {
      if (field == value) return;
      field = value;
      change[name] = value;
    };
    if (u.title) set(t.title, *u.title, "title");
    if (u.description) set(t.description, *u.description, "description");
    if (u.expected_output) set(t.expected_output, *u.expected_output, "expected_output");
    if (u.priority && *u.priority != t.priority) {
      t.priority = *u.priority;
      change["priority"] = taskPriorityName(t.priority);
    }
    if (u.assigned_agent) set(t.assigned_agent, *u.assigned_agent, "assigned_agent");
    if (caps) set(t.required_capabilities, *caps, "required_capabilities");
    if (deps) {
      for (const std::string& dep : t.depends_on) dependents_[dep].erase(id);
      for (const std::string& dep : *deps) dependents_[dep].insert(id);
      set(t.depends_on, *deps, "depends_on");
    }
    if (change.empty()) return Status();  // nothing changed: no revision, no event
    t.updated_at = nowRfc3339();
    t.revisions.push_back(
        {t.updated_at, by, std::string(taskStatusName(t.status)), json(), change});
    changed->push_back(id);
    eventLocked(t, "task.updated");
    if (t.status != TaskStatus::kRunning && !isTerminal(t.status)) {
      auto [status, reason] = deriveLocked(t);
      setStatusLocked(t, status, reason, changed);
    }
    return Status();
  });
}

}  // namespace switchboard::core
