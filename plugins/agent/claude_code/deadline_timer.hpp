// DeadlineTimer: one thread that runs a task when its deadline passes, for the wall-clock
// timeouts of Claude Code runs.
//
// The thread starts with the object and is joined by the destructor, so it never outlives
// the plugin's library. Tasks run on that thread, one at a time, without the timer's lock
// held; they must be short (they only signal a process) and must not destroy the timer.
// Tasks should hold weak references to what they act on.
//
// Thread safety: every method may be called from any thread, including from a task.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

namespace switchboard::plugins {

class DeadlineTimer {
 public:
  using Clock = std::chrono::steady_clock;
  using Id = std::uint64_t;

  DeadlineTimer();
  ~DeadlineTimer();
  DeadlineTimer(const DeadlineTimer&) = delete;
  DeadlineTimer& operator=(const DeadlineTimer&) = delete;

  // Runs `task` once at `when` unless cancelled first. Returns an id for cancel().
  Id schedule(Clock::time_point when, std::function<void()> task);
  // Drops a task that has not started; a no-op for an unknown or finished id.
  void cancel(Id id);

 private:
  void run();

  std::mutex mu_;
  std::condition_variable changed_;
  std::multimap<Clock::time_point, std::pair<Id, std::function<void()>>> tasks_;
  Id next_id_ = 1;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after the members it uses exist
};

}  // namespace switchboard::plugins
