// DeadlineTimer: one thread that runs a task when its deadline passes, for the wall-clock
// timeouts of Claude Code runs.
//
// The thread starts with the object and is joined by the destructor, so it never outlives
// the plugin's library. Tasks run on that thread, one at a time, without the timer's lock
// held; they must be short (they only signal a process) and should hold weak references
// to what they act on.
//
// One exception to the join: when a task drops the last reference to a shared timer (a
// run ending at its deadline while its agent and agent type are being destroyed), the
// destructor runs on the timer's own thread. It then detaches the thread, which returns
// from the task and ends on state it shares with the timer (never the destroyed object).
//
// Thread safety: every method may be called from any thread, including from a task.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
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
  // What the thread uses; shared so that a detached thread can still finish on it.
  struct Core {
    std::mutex mu;
    std::condition_variable changed;
    std::multimap<Clock::time_point, std::pair<Id, std::function<void()>>> tasks;
    Id next_id = 1;
    bool stopping = false;
  };
  static void run(Core& core);

  std::shared_ptr<Core> core_;
  std::thread thread_;  // last: starts after core_ exists
};

}  // namespace switchboard::plugins
