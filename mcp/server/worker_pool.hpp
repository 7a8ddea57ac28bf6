// WorkerPool: up to `threads` threads running handler jobs, so a slow tool never blocks
// the transport's reader or other tools.
//
// Threads start on demand (a job that finds no idle thread starts one, up to the limit)
// and then stay, so an idle server holds only the threads it has needed so far. Jobs
// must not throw (the server wraps handlers). stop() finishes running jobs, drops queued
// ones (or, with Drain::kRun, runs them first) and joins; submit() after stop() returns
// false.
//
// Thread safety: submit() from any thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace switchboard::mcp::server {

class WorkerPool {
 public:
  explicit WorkerPool(std::size_t threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  enum class Drain { kDrop, kRun };

  bool submit(std::function<void()> job);
  void stop(Drain queued = Drain::kDrop);

 private:
  void run();
  const std::size_t max_threads_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  std::size_t idle_ = 0;  // threads waiting for a job
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace switchboard::mcp::server
