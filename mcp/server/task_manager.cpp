#include "mcp/server/task_manager.hpp"

#include <openssl/rand.h>

#include <random>

namespace switchboard::mcp::server {
namespace {

constexpr std::size_t kMaxRememberedOwners = 4096;

}  // namespace

TaskManager::TaskManager(Options options, Backings backings)
    : options_(options), backings_(std::move(backings)) {}

std::string TaskManager::newId() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    std::random_device device;  // the kernel's CSPRNG on Linux
    for (unsigned char& b : bytes) b = static_cast<unsigned char>(device());
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (unsigned char b : bytes) {
    id.push_back(kHex[b >> 4]);
    id.push_back(kHex[b & 0xF]);
  }
  return id;
}

void TaskManager::sweepLocked(std::int64_t now_ms,
                              std::vector<std::shared_ptr<ServerTask>>& expired) {
  for (auto it = tasks_.begin(); it != tasks_.end();) {
    if (it->second->expiredAt(now_ms)) {
      expired.push_back(std::move(it->second));
      it = tasks_.erase(it);
    } else {
      ++it;
    }
  }
}

Result<std::shared_ptr<ServerTask>> TaskManager::create() {
  std::vector<std::shared_ptr<ServerTask>> expired;
  std::shared_ptr<ServerTask> task;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return Status::unavailable("the server is shutting down");
    std::int64_t now = nowUnixMs();
    sweepLocked(now, expired);
    if (tasks_.size() < options_.max_tasks) {
      task = std::make_shared<ServerTask>(newId(), now, options_.ttl_ms, options_.poll_interval_ms);
      tasks_[task->id()] = task;
    }
  }
  for (const auto& gone : expired) gone->expire();
  if (!task) {
    return Status::resourceExhausted("the server already holds " +
                                     std::to_string(options_.max_tasks) +
                                     " tasks; try again once some have expired (each lives " +
                                     std::to_string(options_.ttl_ms) + " ms)");
  }
  return task;
}

void TaskManager::remember(const std::string& task_id,
                           const std::shared_ptr<TaskBacking>& backing) {
  std::lock_guard lock(mutex_);
  if (owners_.emplace(task_id, backing).second) owner_order_.push_back(task_id);
  while (owner_order_.size() > kMaxRememberedOwners) {
    owners_.erase(owner_order_.front());
    owner_order_.pop_front();
  }
}

Result<TaskManager::Found> TaskManager::find(const std::string& task_id) {
  std::vector<std::shared_ptr<ServerTask>> expired;
  std::shared_ptr<TaskBacking> owner;
  Found found;
  {
    std::lock_guard lock(mutex_);
    sweepLocked(nowUnixMs(), expired);
    if (auto it = tasks_.find(task_id); it != tasks_.end()) found.task = it->second;
    if (auto it = owners_.find(task_id); it != owners_.end()) owner = it->second.lock();
  }
  for (const auto& gone : expired) gone->expire();
  if (found.task) return found;
  if (owner) {
    found.backing = std::move(owner);
    return found;
  }
  for (const auto& backing :
       backings_ ? backings_() : std::vector<std::shared_ptr<TaskBacking>>{}) {
    Result<TaskState> state = backing->load(task_id);
    if (state.ok()) {
      remember(task_id, backing);
      found.backing = backing;
      return found;
    }
    if (state.status().code() != StatusCode::kNotFound) return state.status();
  }
  return Status::notFound("Unknown task " + task_id +
                          ": no task has this id (tasks are forgotten ttlMs after they were "
                          "created)");
}

Result<TaskState> TaskManager::state(const std::string& task_id) {
  Result<Found> found = find(task_id);
  if (!found.ok()) return found.status();
  if (found->task) return found->task->state();
  return found->backing->load(task_id);
}

std::size_t TaskManager::size() {
  std::vector<std::shared_ptr<ServerTask>> expired;
  std::size_t count = 0;
  {
    std::lock_guard lock(mutex_);
    sweepLocked(nowUnixMs(), expired);
    count = tasks_.size();
  }
  for (const auto& gone : expired) gone->expire();
  return count;
}

void TaskManager::shutdown() {
  std::map<std::string, std::shared_ptr<ServerTask>> all;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    all.swap(tasks_);
    owners_.clear();
    owner_order_.clear();
  }
  for (const auto& [id, task] : all) task->expire();
}

}  // namespace switchboard::mcp::server
