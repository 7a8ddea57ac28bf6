// TaskService: construction, persistence, events, create/list/get.
// Status changes (update, cancel, markRunning, setResult) are in task_transitions.cpp.
#include "core/tasks/task_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <utility>

#include "core/common/ids.hpp"
#include "core/common/stored_records.hpp"
#include "core/tasks/task_service_internal.hpp"

namespace switchboard::core {
namespace {

using nlohmann::json;

constexpr std::int64_t kDefaultPage = 50;
constexpr std::int64_t kMaxPage = 500;
constexpr const char* kCollection = "tasks";

// Sort key: highest priority first, then by id (ids sort in creation order).
std::string sortKey(const TaskRecord& t) {
  return std::to_string(3 - static_cast<int>(t.priority)) + "." + t.id;
}

}  // namespace

Status validateTaskTitle(const std::string& title) {
  if (title.empty() || title.size() > 200)
    return Status::invalidArgument("title must be 1 to 200 characters");
  return Status();
}

Result<std::vector<std::string>> normalizeTaskCapabilities(const std::vector<std::string>& in) {
  std::vector<std::string> out;
  for (const std::string& c : in) {
    if (c.empty() || c.size() > 64) {
      return Status::invalidArgument("each required capability must be 1 to 64 characters");
    }
    if (std::any_of(c.begin(), c.end(),
                    [](char ch) { return std::isspace(static_cast<unsigned char>(ch)) != 0; })) {
      return Status::invalidArgument("required capability '" + c + "' must not contain spaces");
    }
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  }
  return out;
}

TaskService::TaskService(std::shared_ptr<StorageBackend> store, EventSink events,
                         TaskServiceOptions options)
    : store_(std::move(store)), outbox_(std::move(events), "tasks"), options_(std::move(options)) {}

Result<std::int64_t> TaskService::load() {
  std::int64_t loaded = 0;
  auto add_page = [&](const std::vector<Record>& page) {
    std::lock_guard lock(mu_);
    for (const Record& rec : page) {
      Result<TaskRecord> task = taskFromStoredJson(json::parse(rec.json, nullptr, false));
      if (!task.ok()) {
        spdlog::warn("tasks: skipping stored record {}: {}", rec.id, task.status().toString());
        continue;
      }
      if (tasks_.count(task->id)) continue;
      for (const std::string& dep : task->depends_on) dependents_[dep].insert(task->id);
      if (!task->parent_id.empty()) children_[task->parent_id].insert(task->id);
      std::string id = task->id;
      tasks_.emplace(std::move(id), std::move(*task));
      ++loaded;
    }
  };
  SB_RETURN_IF_ERROR(forEachStoredPage(*store_, kCollection, kMaxPage, add_page));
  return loaded;
}

Result<TaskRecord> TaskService::create(const TaskCreateRequest& request, const std::string& by) {
  SB_RETURN_IF_ERROR(validateTaskTitle(request.title));
  Result<std::vector<std::string>> caps = normalizeTaskCapabilities(request.required_capabilities);
  if (!caps.ok()) return caps.status();
  if (!request.assigned_agent.empty() && options_.check_agent) {
    SB_RETURN_IF_ERROR(options_.check_agent(request.assigned_agent).withContext("assigned_agent"));
  }
  TaskRecord t;
  t.id = newId("tk_");
  t.title = request.title;
  t.description = request.description;
  t.expected_output = request.expected_output;
  t.priority = request.priority;
  for (const std::string& dep : request.depends_on) {
    if (std::find(t.depends_on.begin(), t.depends_on.end(), dep) == t.depends_on.end())
      t.depends_on.push_back(dep);
  }
  t.assigned_agent = request.assigned_agent;
  t.required_capabilities = std::move(*caps);
  t.parent_id = request.parent_id;
  t.created_at = t.updated_at = nowRfc3339();
  const std::string id = t.id;
  {
    std::lock_guard lock(mu_);
    SB_RETURN_IF_ERROR(checkDependenciesLocked(id, t.depends_on));
    if (!t.parent_id.empty()) {
      auto parent = tasks_.find(t.parent_id);
      if (parent == tasks_.end()) return Status::notFound("no parent task '" + t.parent_id + "'");
      if (parent->second.status == TaskStatus::kCancelled) {
        return Status::failedPrecondition("parent task " + t.parent_id +
                                          " is cancelled; it takes no new subtasks");
      }
      children_[t.parent_id].insert(id);
    }
    auto [status, reason] = deriveLocked(t);
    t.status = status;
    t.status_reason = reason;
    for (const std::string& dep : t.depends_on) dependents_[dep].insert(id);
    tasks_.emplace(id, std::move(t));
  }
  (void)by;  // creation is not a revision; `by` is kept for symmetry with the other calls
  Status written = persist({id});
  TaskRecord view;
  {
    std::lock_guard lock(mu_);
    auto it = tasks_.find(id);
    if (!written.ok()) {
      if (it != tasks_.end()) {
        for (const std::string& dep : it->second.depends_on) dependents_[dep].erase(id);
        if (!it->second.parent_id.empty()) children_[it->second.parent_id].erase(id);
        tasks_.erase(it);
      }
      return written.withContext("task not created: the store refused it");
    }
    view = viewLocked(it->second);
    eventLocked(it->second, "task.created");
  }
  outbox_.drain();
  return view;
}

Result<TaskPage> TaskService::list(const TaskFilter& filter, const std::string& cursor,
                                   std::int64_t limit) const {
  if (!cursor.empty() && (cursor.size() < 5 || cursor[0] < '0' || cursor[0] > '3' ||
                          cursor.compare(1, 4, ".tk_") != 0)) {
    return Status::invalidArgument("cursor '" + cursor + "' is not a cursor from task_list");
  }
  if (limit <= 0) limit = kDefaultPage;
  limit = std::min(limit, kMaxPage);
  std::vector<std::pair<std::string, const TaskRecord*>> matches;
  TaskPage page;
  std::lock_guard lock(mu_);
  for (const auto& [id, t] : tasks_) {
    if (filter.status && t.status != *filter.status) continue;
    if (!filter.assigned_agent.empty() && t.assigned_agent != filter.assigned_agent) continue;
    if (filter.parent_id && t.parent_id != *filter.parent_id) continue;
    std::string key = sortKey(t);
    if (!cursor.empty() && key <= cursor) continue;
    matches.emplace_back(std::move(key), &t);
  }
  std::sort(matches.begin(), matches.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [key, t] : matches) {
    if (static_cast<std::int64_t>(page.tasks.size()) == limit) {
      page.next_cursor = sortKey(page.tasks.back());
      break;
    }
    page.tasks.push_back(viewLocked(*t));
  }
  return page;
}

Result<TaskRecord> TaskService::get(const std::string& id) const {
  std::lock_guard lock(mu_);
  auto it = tasks_.find(id);
  if (it == tasks_.end())
    return Status::notFound("no task '" + id + "'; task_list shows the tasks");
  return viewLocked(it->second);
}

Result<bool> TaskService::isReady(const std::string& id) const {
  std::lock_guard lock(mu_);
  auto it = tasks_.find(id);
  if (it == tasks_.end()) return Status::notFound("no task '" + id + "'");
  const TaskRecord& t = it->second;
  return t.status == TaskStatus::kReady || t.status == TaskStatus::kAssigned;
}

TaskRecord TaskService::viewLocked(const TaskRecord& task) const {
  TaskRecord view = task;
  auto it = children_.find(task.id);
  if (it != children_.end()) view.subtasks.assign(it->second.begin(), it->second.end());
  return view;
}

void TaskService::eventLocked(const TaskRecord& task, const std::string& type) {
  outbox_.push("task/" + task.id, type, json{{"task", toJson(viewLocked(task))}});
}

Status TaskService::persist(const std::vector<std::string>& ids) {
  std::lock_guard write_lock(write_mu_);
  WriteBatch batch;
  {
    // Snapshot the latest state under write_mu_, so writes never go back in time.
    std::lock_guard lock(mu_);
    std::set<std::string> seen;
    for (const std::string& id : ids) {
      if (!seen.insert(id).second) continue;
      auto it = tasks_.find(id);
      if (it == tasks_.end()) {
        batch.erases.push_back({kCollection, id});
      } else {
        batch.puts.push_back({kCollection, id, toStoredJson(it->second).dump()});
      }
    }
  }
  try {
    return store_->apply(batch);
  } catch (...) {
    return Status::internal("the store threw while writing tasks");
  }
}

}  // namespace switchboard::core
