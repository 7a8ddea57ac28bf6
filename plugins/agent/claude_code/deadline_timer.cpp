#include "plugins/agent/claude_code/deadline_timer.hpp"

namespace switchboard::plugins {

DeadlineTimer::DeadlineTimer() : thread_([this] { run(); }) {}

DeadlineTimer::~DeadlineTimer() {
  decltype(tasks_) dropped;  // destroyed outside the lock
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    dropped.swap(tasks_);
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

DeadlineTimer::Id DeadlineTimer::schedule(Clock::time_point when, std::function<void()> task) {
  Id id = 0;
  {
    std::lock_guard lock(mu_);
    id = next_id_++;
    tasks_.emplace(when, std::make_pair(id, std::move(task)));
  }
  changed_.notify_all();
  return id;
}

void DeadlineTimer::cancel(Id id) {
  std::function<void()> dropped;  // destroyed outside the lock
  std::lock_guard lock(mu_);
  for (auto it = tasks_.begin(); it != tasks_.end(); ++it) {
    if (it->second.first == id) {
      dropped = std::move(it->second.second);
      tasks_.erase(it);
      break;
    }
  }
}

void DeadlineTimer::run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (tasks_.empty()) {
      changed_.wait(lock);
      continue;
    }
    auto first = tasks_.begin();
    const Clock::time_point due = first->first;  // a copy: cancel() may erase the entry while we wait
    if (Clock::now() < due) {
      changed_.wait_until(lock, due);
      continue;
    }
    std::function<void()> task = std::move(first->second.second);
    tasks_.erase(first);
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
