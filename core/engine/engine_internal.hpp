// Pieces shared by the Engine's implementation files (engine.cpp, engine_loop.cpp,
// engine_recovery.cpp): the inbox agent callbacks post to, and clock helpers.
// Internal to core/engine.
#pragma once

#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/engine/engine.hpp"

namespace switchboard::core {

enum TimerKind : int { kStepTimeout = 0, kRetryDue = 1, kExecutionTimeout = 2, kWallBudget = 3 };

struct Engine::InboxItem {
  enum Kind { kUsage, kDone } kind = kDone;
  std::uint64_t uid = 0;
  std::size_t step = 0;
  std::uint64_t token = 0;
  std::string agent_id;
  double wall_ms = 0;
  Usage usage;       // kUsage: cumulative so far
  AgentReply reply;  // kDone
};

// Agent callbacks append here; the loop drains it. Outlives the Engine when a late
// callback still holds it.
struct Engine::Inbox {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<InboxItem> items;
  bool wake = false;
  bool stop = false;

  void push(InboxItem item) {
    {
      std::lock_guard<std::mutex> lock(mu);
      items.push_back(std::move(item));
    }
    cv.notify_one();
  }
};

inline std::int64_t steadyUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

inline std::int64_t wallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Posts an agent's reports to the inbox; never touches engine state.
class Engine::Callback : public AgentCallback {
 public:
  Callback(std::shared_ptr<Inbox> inbox, std::uint64_t uid, std::size_t step, std::uint64_t token,
           std::string agent_id)
      : inbox_(std::move(inbox)),
        uid_(uid),
        step_(step),
        token_(token),
        agent_id_(std::move(agent_id)),
        started_us_(steadyUs()) {}

  void onProgress(std::string_view) noexcept override {}

  void onUsage(const Usage& so_far) noexcept override {
    try {
      InboxItem item;
      item.kind = InboxItem::kUsage;
      item.uid = uid_;
      item.step = step_;
      item.token = token_;
      item.usage = so_far;
      inbox_->push(std::move(item));
    } catch (...) {
      // Out of memory: a usage report may be dropped; onDone carries the total.
    }
  }

  void onDone(AgentReply reply) noexcept override {
    try {
      InboxItem item;
      item.kind = InboxItem::kDone;
      item.uid = uid_;
      item.step = step_;
      item.token = token_;
      item.agent_id = agent_id_;
      item.wall_ms = static_cast<double>(steadyUs() - started_us_) / 1000.0;
      item.reply = std::move(reply);
      inbox_->push(std::move(item));
    } catch (const std::exception& e) {
      spdlog::error("engine: lost an agent reply: {}", e.what());
    }
  }

 private:
  std::shared_ptr<Inbox> inbox_;
  std::uint64_t uid_;
  std::size_t step_;
  std::uint64_t token_;
  std::string agent_id_;
  std::int64_t started_us_;
};

}  // namespace switchboard::core
