#include "mcp/server/worker_pool.hpp"

namespace switchboard::mcp::server {

WorkerPool::WorkerPool(std::size_t threads) : max_threads_(threads == 0 ? 1 : threads) {
  threads_.reserve(max_threads_);
}

WorkerPool::~WorkerPool() { stop(); }

bool WorkerPool::submit(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    jobs_.push_back(std::move(job));
    // Idle threads each take one queued job; start another when the queue outgrows them.
    if (jobs_.size() > idle_ && threads_.size() < max_threads_) {
      threads_.emplace_back([this] { run(); });
    }
  }
  wake_.notify_one();
  return true;
}

void WorkerPool::stop(Drain queued) {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
    if (queued == Drain::kDrop) jobs_.clear();
    threads.swap(threads_);
  }
  wake_.notify_all();
  for (auto& thread : threads) {
    if (thread.joinable() && thread.get_id() != std::this_thread::get_id()) thread.join();
  }
  // A pool stopped from one of its own jobs leaves that thread to finish on its own.
  for (auto& thread : threads) {
    if (thread.joinable()) thread.detach();
  }
}

void WorkerPool::run() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mutex_);
      ++idle_;
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      --idle_;
      if (jobs_.empty()) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();
  }
}

}  // namespace switchboard::mcp::server
