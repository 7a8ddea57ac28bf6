#include "plugins/agent/claude_code/deadline_timer.hpp"

namespace switchboard::plugins {

DeadlineTimer::DeadlineTimer()
    : core_(std::make_shared<Core>()), thread_([core = core_] { run(*core); }) {}

DeadlineTimer::~DeadlineTimer() {
  decltype(core_->tasks) dropped;  // destroyed outside the lock
  {
    std::lock_guard lock(core_->mu);
    core_->stopping = true;
    dropped.swap(core_->tasks);
  }
  core_->changed.notify_all();
  if (!thread_.joinable()) return;
  if (thread_.get_id() == std::this_thread::get_id()) {
    thread_.detach();  // destroyed by one of our tasks: the thread ends after it returns
  } else {
    thread_.join();
  }
}

DeadlineTimer::Id DeadlineTimer::schedule(Clock::time_point when, std::function<void()> task) {
  Id id = 0;
  {
    std::lock_guard lock(core_->mu);
    id = core_->next_id++;
    core_->tasks.emplace(when, std::make_pair(id, std::move(task)));
  }
  core_->changed.notify_all();
  return id;
}

void DeadlineTimer::cancel(Id id) {
  std::function<void()> dropped;  // destroyed outside the lock (declared before it)
  std::lock_guard lock(core_->mu);
  for (auto it = core_->tasks.begin(); it != core_->tasks.end(); ++it) {
    if (it->second.first == id) {
      dropped = std::move(it->second.second);
      core_->tasks.erase(it);
      break;
    }
  }
}

void DeadlineTimer::run(Core& core) {
  std::unique_lock lock(core.mu);
  while (!core.stopping) {
    if (core.tasks.empty()) {
      core.changed.wait(lock);
      continue;
    }
    auto first = core.tasks.begin();
    const Clock::time_point due =
        first->first;  // a copy: cancel() may erase the entry while we wait
    if (Clock::now() < due) {
      core.changed.wait_until(lock, due);
      continue;
    }
    std::function<void()> task = std::move(first->second.second);
    core.tasks.erase(first);
    lock.unlock();
    try {
      task();
    } catch (...) {
      // Tasks do not throw by contract; the thread survives one that does.
    }
    task = nullptr;
    lock.lock();
  }
}

}  // namespace switchboard::plugins
