#include "plugins/agent/scripted/reply_timer.hpp"

#include <exception>
#include <string>
#include <utility>

namespace switchboard::plugins {

void PendingReply::deliver() noexcept {
  if (done_.exchange(true, std::memory_order_acq_rel)) return;
  std::shared_ptr<AgentCallback> callback = std::move(callback_);
  callback->onUsage(reply_.usage);
  callback->onDone(std::move(reply_));
}

void PendingReply::finish(Status status) noexcept {
  if (done_.exchange(true, std::memory_order_acq_rel)) return;
  std::shared_ptr<AgentCallback> callback = std::move(callback_);
  AgentReply reply;
  reply.status = std::move(status);
  reply.output_json = "null";
  callback->onDone(std::move(reply));
}

ReplyTimer::~ReplyTimer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  // Whatever is still waiting will never be delivered now.
  while (!queue_.empty()) {
    queue_.top().reply->finish(Status::cancelled("the scripted agent type was unloaded"));
    queue_.pop();
  }
}

Status ReplyTimer::schedule(Clock::time_point due, std::shared_ptr<PendingReply> reply) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return Status::unavailable("the scripted agent type is shutting down");
    if (!thread_.joinable()) {
      try {
        thread_ = std::thread([this] { run(); });
      } catch (const std::exception& e) {
        return Status::unavailable(std::string("cannot start the reply timer: ") + e.what());
      }
    }
    queue_.push(Entry{due, next_order_++, std::move(reply)});
  }
  wake_.notify_one();
  return Status();
}

void ReplyTimer::run() noexcept {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (queue_.empty()) {
      wake_.wait(lock);
      continue;
    }
    const Clock::time_point due = queue_.top().due;
    if (queue_.top().reply->finished()) {  // cancelled: drop it now
      queue_.pop();
      continue;
    }
    if (Clock::now() < due) {
      wake_.wait_until(lock, due);
      continue;
    }
    std::shared_ptr<PendingReply> reply = queue_.top().reply;
    queue_.pop();
    lock.unlock();
    reply->deliver();  // the host's callback runs without our lock held
    lock.lock();
  }
}

}  // namespace switchboard::plugins
