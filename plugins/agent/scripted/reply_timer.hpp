// ReplyTimer: delivers delayed scripted replies from one thread per agent type.
//
// A PendingReply is one call waiting for its moment; whoever finishes it first (the timer
// when it is due, cancel(), or shutdown) calls the host's onDone() and the others do
// nothing, so onDone() runs exactly once. ReplyTimer keeps a min-heap ordered by due time
// and one thread, started on first use, that sleeps until the earliest is due. A
// cancelled reply is finished at once and its heap entry is dropped when it comes up.
// Destroying the timer finishes every reply still waiting with a Cancelled status.
//
// Thread safety: schedule() and PendingReply::finish() may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

#include "switchboard/agent.hpp"

namespace switchboard::plugins {

class PendingReply {
 public:
  PendingReply(std::shared_ptr<AgentCallback> callback, AgentReply reply)
      : callback_(std::move(callback)), reply_(std::move(reply)) {}

  // Delivers the prepared reply, unless the call already finished.
  void deliver() noexcept;
  // Finishes the call with `status` (e.g. Cancelled) unless it already finished.
  void finish(Status status) noexcept;
  bool finished() const noexcept { return done_.load(std::memory_order_acquire); }

 private:
  std::atomic<bool> done_{false};
  std::shared_ptr<AgentCallback> callback_;  // released by whoever finishes the call
  AgentReply reply_;
};

class ReplyTimer {
 public:
  using Clock = std::chrono::steady_clock;

  ReplyTimer() = default;
  ~ReplyTimer();
  ReplyTimer(const ReplyTimer&) = delete;
  ReplyTimer& operator=(const ReplyTimer&) = delete;

  // Delivers `reply` at `due`. Unavailable when the timer thread cannot be started.
  Status schedule(Clock::time_point due, std::shared_ptr<PendingReply> reply);

 private:
  struct Entry {
    Clock::time_point due;
    std::uint64_t order;  // FIFO among equal due times
    std::shared_ptr<PendingReply> reply;
    bool operator>(const Entry& other) const {
      return due != other.due ? due > other.due : order > other.order;
    }
  };

  void run() noexcept;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> queue_;
  std::uint64_t next_order_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace switchboard::plugins
