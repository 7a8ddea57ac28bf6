// CaptureStream: a ResponseStream for tests that records what the server sends and lets
// the test wait for the response.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <vector>

#include "mcp/server/response_stream.hpp"

namespace switchboard::mcp::testing {

class CaptureStream : public server::ResponseStream {
 public:
  bool push(const nlohmann::json& message) override {
    std::lock_guard lock(mutex_);
    if (done_) return false;
    pushed_.push_back(message);
    changed_.notify_all();
    return true;
  }
  void finish(const nlohmann::json& response, int http_status) override {
    std::lock_guard lock(mutex_);
    if (done_) return;
    done_ = true;
    response_ = response;
    status_ = http_status;
    changed_.notify_all();
  }
  void abandon() override {
    std::lock_guard lock(mutex_);
    done_ = true;
    abandoned_ = true;
    changed_.notify_all();
  }
  bool closed() const override { return closed_; }

  // Waits for finish()/abandon(); returns the response (null on timeout or abandon).
  nlohmann::json wait(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [this] { return done_; });
    return response_;
  }
  // Waits until at least n messages were pushed.
  bool waitPushed(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return pushed_.size() >= n; });
  }
  std::vector<nlohmann::json> pushed() {
    std::lock_guard lock(mutex_);
    return pushed_;
  }
  int status() {
    std::lock_guard lock(mutex_);
    return status_;
  }
  bool abandoned() {
    std::lock_guard lock(mutex_);
    return abandoned_;
  }
  bool closed_ = false;

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<nlohmann::json> pushed_;
  nlohmann::json response_;
  int status_ = 0;
  bool done_ = false;
  bool abandoned_ = false;
};

}  // namespace switchboard::mcp::testing
