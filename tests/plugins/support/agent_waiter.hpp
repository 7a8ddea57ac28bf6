// AgentWaiter: an AgentCallback for agent plugin tests. Records progress messages and usage
// reports, and lets the test wait for onDone() (a wait that runs out gives an Aborted
// status that names the test, never a real reply).
//
// Test code only. Thread safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "switchboard/agent.hpp"

namespace switchboard::plugins::testing {

class AgentWaiter final : public AgentCallback {
 public:
  void onProgress(std::string_view message) noexcept override {
    std::lock_guard lock(mu_);
    progress_.emplace_back(message);
  }
  void onUsage(const Usage& u) noexcept override {
    std::lock_guard lock(mu_);
    usage_reports_.push_back(u);
  }
  void onDone(AgentReply reply) noexcept override {
    std::lock_guard lock(mu_);
    reply_ = std::move(reply);
    ++done_;
    cv_.notify_all();
  }
  AgentReply wait(std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, timeout, [&] { return done_ > 0; })) {
      AgentReply none;
      none.status = Status::aborted("test: no reply within the wait");
      return none;
    }
    return reply_;
  }
  int done() {
    std::lock_guard lock(mu_);
    return done_;
  }
  std::vector<std::string> progress() {
    std::lock_guard lock(mu_);
    return progress_;
  }
  std::vector<Usage> usageReports() {
    std::lock_guard lock(mu_);
    return usage_reports_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  AgentReply reply_;
  std::vector<std::string> progress_;
  std::vector<Usage> usage_reports_;
  int done_ = 0;
};

}  // namespace switchboard::plugins::testing
