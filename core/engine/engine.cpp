// Engine: construction, the public API and the agent callback. The loop is in
// engine_loop.cpp, loading/recovery/rewind in engine_recovery.cpp.
#include "core/engine/engine.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <utility>

#include "core/engine/engine_internal.hpp"

namespace switchboard::core {

Engine::Engine(EngineConfig config)
    : config_(std::move(config)), inbox_(std::make_shared<Inbox>()), rng_(config_.jitter_seed) {
  if (config_.global_max_concurrency < 1) config_.global_max_concurrency = 1;
  id_counter_ = std::random_device()() & 0xfffff;  // ids stay unique across restarts
  thread_ = std::thread([this] { loop(); });
}

Engine::~Engine() {
  {
    std::lock_guard<std::mutex> lock(inbox_->mu);
    inbox_->stop = true;
  }
  inbox_->cv.notify_all();
  thread_.join();
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [uid, exec] : execs_) {
    for (StepState& step : exec->steps) {
      if (step.call) step.call->cancel();
      step.call.reset();
    }
  }
}

void Engine::wake() {
  {
    std::lock_guard<std::mutex> lock(inbox_->mu);
    inbox_->wake = true;
  }
  inbox_->cv.notify_one();
}

Result<std::string> Engine::startExecution(const std::string& pattern_name,
                                           std::shared_ptr<WorkflowPattern> pattern,
                                           ExecutionInput input, ExecutionOptions options) {
  SB_RETURN_IF_ERROR(options.validate());
  if (!pattern) {
    if (!config_.resolver) return Status::invalidArgument("no pattern given and no resolver");
    Result<std::shared_ptr<WorkflowPattern>> resolved = config_.resolver(pattern_name);
    if (!resolved.ok()) return resolved.status();
    pattern = *resolved;
  }
  auto exec = std::make_unique<ExecutionState>();
  {
    std::lock_guard<std::mutex> lock(mu_);
    exec->id = newId();
  }
  input.execution_id = exec->id;
  Result<std::unique_ptr<Decider>> decider = pattern->createDecider(input);
  if (!decider.ok()) return decider.status().withContext("pattern " + pattern_name);
  exec->pattern_name = pattern_name;
  exec->pattern = std::move(pattern);
  exec->decider = std::move(*decider);
  exec->input = std::move(input);
  exec->options = options;
  exec->created_at_ms = wallMs();
  exec->needs_start = true;
  std::string id = exec->id;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ExecutionState& e = adopt(std::move(exec));
    writeExecution(e);
    to_start_.push_back(e.uid);
  }
  wake();
  return id;
}

Result<ExecutionSnapshot> Engine::get(const std::string& id, bool with_steps) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (ExecutionState* exec = find(id)) return exec->snapshot(with_steps);
  }
  Result<std::unique_ptr<ExecutionState>> loaded = load(id);
  if (!loaded.ok()) return loaded.status();
  return (*loaded)->snapshot(with_steps);
}

Result<ExecutionPage> Engine::list(const ExecutionFilter& filter, const std::string& cursor,
                                   std::int64_t limit) {
  if (limit <= 0) return Status::invalidArgument("limit must be positive");
  ExecutionPage page;
  std::string after = cursor;
  const std::int64_t chunk = std::max<std::int64_t>(limit, 100);
  while (static_cast<std::int64_t>(page.items.size()) < limit) {
    Result<std::vector<Record>> records =
        config_.storage->list(kExecutionsCollection, after, chunk);
    if (!records.ok()) return records.status();
    for (const Record& r : *records) {
      after = r.id;
      ExecutionSnapshot snap;
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (ExecutionState* exec = find(r.id)) snap = exec->snapshot(false);
      }
      if (snap.id.empty()) {
        ExecutionState stored;
        if (!decodeExecution(r.json, stored).ok()) continue;  // unreadable: get() reports it
        snap = stored.snapshot(false);
      }
      bool status_ok = filter.statuses.empty() ||
                       std::find(filter.statuses.begin(), filter.statuses.end(), snap.status) !=
                           filter.statuses.end();
      if (!status_ok || (!filter.pattern.empty() && snap.pattern != filter.pattern)) continue;
      page.items.push_back(std::move(snap));
      if (static_cast<std::int64_t>(page.items.size()) == limit) {
        page.next_cursor = r.id;
        break;
      }
    }
    if (static_cast<std::int64_t>(records->size()) < chunk) {
      if (static_cast<std::int64_t>(page.items.size()) < limit) page.next_cursor.clear();
      break;
    }
  }
  return page;
}

Status Engine::pause(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  ExecutionState* exec = find(id);
  if (exec == nullptr) {
    return Status::failedPrecondition(
        "execution " + id + " is not active (unknown or already ended); nothing to pause");
  }
  if (exec->status == ExecutionStatus::kPaused) {
    return Status::failedPrecondition("execution " + id + " is already paused; resume it instead");
  }
  if (isTerminal(exec->status)) {
    return Status::failedPrecondition("execution " + id + " has ended (" +
                                      std::string(executionStatusName(exec->status)) +
                                      "); rewind it to run part of it again");
  }
  setStatus(*exec, ExecutionStatus::kPaused);
  wake();
  return Status();
}

Status Engine::resume(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  ExecutionState* exec = find(id);
  if (exec == nullptr || exec->status != ExecutionStatus::kPaused) {
    std::string now =
        exec == nullptr ? "not active" : std::string(executionStatusName(exec->status));
    return Status::failedPrecondition("execution " + id + " is " + now +
                                      ", not paused; only a paused execution can be resumed");
  }
  setStatus(*exec, exec->started_at_ms == 0 && exec->needs_start ? ExecutionStatus::kQueued
                                                                 : ExecutionStatus::kRunning);
  dirty_.push_back(exec->uid);
  wake();
  return Status();
}

Status Engine::cancel(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  ExecutionState* exec = find(id);
  if (exec == nullptr || isTerminal(exec->status)) {
    std::string now =
        exec == nullptr ? "not active" : std::string(executionStatusName(exec->status));
    return Status::failedPrecondition(
        "execution " + id + " is " + now +
        "; only a queued, running or paused execution can be cancelled");
  }
  finish(*exec, ExecutionStatus::kCancelled, "cancelled on request", StepStatus::kCancelled);
  wake();
  return Status();
}

Result<ExecutionStatus> Engine::waitFor(const std::string& id, std::int64_t timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    ExecutionState* exec = find(id);
    if (exec == nullptr) break;
    if (isTerminal(exec->status) && exec->terminal_committed) return exec->status;
    if (done_cv_.wait_until(lock, deadline) == std::cv_status::timeout) {
      exec = find(id);
      if (exec != nullptr) return exec->status;
      break;
    }
  }
  lock.unlock();
  Result<std::unique_ptr<ExecutionState>> loaded = load(id);
  if (!loaded.ok()) return loaded.status();
  return (*loaded)->status;
}

Status Engine::waitStored(const std::string& id, std::int64_t timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    ExecutionState* exec = find(id);
    if (exec == nullptr) break;  // evicted: it was stored long ago, or never existed
    if (exec->stored) return Status();
    if (isTerminal(exec->status) && exec->terminal_committed) {
      return Status::unavailable("execution " + id +
                                 " ended before it could be stored: " + exec->error);
    }
    if (done_cv_.wait_until(lock, deadline) == std::cv_status::timeout) {
      exec = find(id);
      if (exec != nullptr && exec->stored) return Status();
      return Status::deadlineExceeded("execution " + id + " is not stored yet");
    }
  }
  lock.unlock();
  Result<std::optional<std::string>> record = config_.storage->get(kExecutionsCollection, id);
  if (!record.ok()) return record.status();
  if (!record->has_value()) return Status::notFound("no execution with id " + id);
  return Status();
}

}  // namespace switchboard::core
