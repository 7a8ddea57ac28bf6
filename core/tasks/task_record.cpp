#include "core/tasks/task_record.hpp"

#include "core/common/enum_names.hpp"
#include "core/common/usage_json.hpp"

namespace switchboard::core {
namespace {

using nlohmann::json;

constexpr EnumNames<TaskStatus, 8> kStatusNames{{{
    {TaskStatus::kPending, "pending"},
    {TaskStatus::kReady, "ready"},
    {TaskStatus::kAssigned, "assigned"},
    {TaskStatus::kRunning, "running"},
    {TaskStatus::kCompleted, "completed"},
    {TaskStatus::kFailed, "failed"},
    {TaskStatus::kCancelled, "cancelled"},
    {TaskStatus::kBlocked, "blocked"},
}}};

constexpr EnumNames<TaskPriority, 4> kPriorityNames{{{
    {TaskPriority::kLow, "low"},
    {TaskPriority::kNormal, "normal"},
    {TaskPriority::kHigh, "high"},
    {TaskPriority::kCritical, "critical"},
}}};

json revisionToJson(const TaskRevision& r) {
  json out{{"at", r.at}, {"by", r.by}, {"status", r.status}};
  if (!r.result.is_null()) out["result"] = r.result;
  if (!r.change.is_null()) out["change"] = r.change;
  return out;
}

bool readString(const json& j, const char* key, std::string* out) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return false;
  *out = it->get<std::string>();
  return true;
}

std::vector<std::string> readStrings(const json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& v : *it) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

}  // namespace

std::string_view taskStatusName(TaskStatus status) { return kStatusNames.name(status); }

std::optional<TaskStatus> parseTaskStatus(std::string_view name) {
  return kStatusNames.parse(name);
}

bool isTerminal(TaskStatus status) {
  return status == TaskStatus::kCompleted || status == TaskStatus::kFailed ||
         status == TaskStatus::kCancelled;
}

std::string_view taskPriorityName(TaskPriority priority) { return kPriorityNames.name(priority); }

std::optional<TaskPriority> parseTaskPriority(std::string_view name) {
  return kPriorityNames.parse(name);
}

json toJson(const TaskRecord& task) {
  json out = toStoredJson(task);
  out["subtasks"] = task.subtasks;
  return out;
}

json toStoredJson(const TaskRecord& t) {
  json revisions = json::array();
  for (const TaskRevision& r : t.revisions) revisions.push_back(revisionToJson(r));
  return {{"id", t.id},
          {"title", t.title},
          {"description", t.description},
          {"expected_output", t.expected_output},
          {"priority", taskPriorityName(t.priority)},
          {"status", taskStatusName(t.status)},
          {"status_reason", t.status_reason},
          {"depends_on", t.depends_on},
          {"assigned_agent", t.assigned_agent},
          {"required_capabilities", t.required_capabilities},
          {"parent_id", t.parent_id},
          {"result", t.result},
          {"usage", usageToJson(t.usage)},
          {"revisions", std::move(revisions)},
          {"created_at", t.created_at},
          {"updated_at", t.updated_at}};
}

Result<TaskRecord> taskFromStoredJson(const json& j) {
  if (!j.is_object()) return Status::dataLoss("stored task is not a JSON object");
  TaskRecord t;
  if (!readString(j, "id", &t.id) || !readString(j, "title", &t.title)) {
    return Status::dataLoss("stored task lacks id or title");
  }
  std::string status;
  std::string priority;
  if (!readString(j, "status", &status) || !parseTaskStatus(status)) {
    return Status::dataLoss("stored task " + t.id + " has no valid status");
  }
  if (!readString(j, "priority", &priority) || !parseTaskPriority(priority)) {
    return Status::dataLoss("stored task " + t.id + " has no valid priority");
  }
  t.status = *parseTaskStatus(status);
  t.priority = *parseTaskPriority(priority);
  (void)readString(j, "description", &t.description);
  (void)readString(j, "expected_output", &t.expected_output);
  (void)readString(j, "status_reason", &t.status_reason);
  (void)readString(j, "assigned_agent", &t.assigned_agent);
  (void)readString(j, "parent_id", &t.parent_id);
  (void)readString(j, "created_at", &t.created_at);
  (void)readString(j, "updated_at", &t.updated_at);
  t.depends_on = readStrings(j, "depends_on");
  t.required_capabilities = readStrings(j, "required_capabilities");
  if (auto it = j.find("result"); it != j.end()) t.result = *it;
  if (auto it = j.find("usage"); it != j.end()) t.usage = usageFromJson(*it);
  if (auto it = j.find("revisions"); it != j.end() && it->is_array()) {
    for (const auto& r : *it) {
      if (!r.is_object()) continue;
      TaskRevision rev;
      (void)readString(r, "at", &rev.at);
      (void)readString(r, "by", &rev.by);
      (void)readString(r, "status", &rev.status);
      if (auto f = r.find("result"); f != r.end()) rev.result = *f;
      if (auto f = r.find("change"); f != r.end()) rev.change = *f;
      t.revisions.push_back(std::move(rev));
    }
  }
  return t;
}

}  // namespace switchboard::core
