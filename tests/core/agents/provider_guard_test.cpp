// ProviderGuard with a controllable fake agent: requests and tokens per minute queue calls,
// cancel while queued, and the circuit breaker's open, half-open and closed states.
#include "core/agents/provider_guard.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace switchboard::core {
namespace {

using namespace std::chrono_literals;

// Answers every call at once with the next scripted status and `tokens` output tokens.
class FakeAgent final : public Agent {
 public:
  std::vector<Status> script;  // consumed front to back; OK when empty
  std::int64_t tokens = 0;
  std::atomic<int> calls{0};
  Result<std::unique_ptr<AgentCall>> call(const AgentRequest&,
                                          std::shared_ptr<AgentCallback> cb) override {
    Status status;
    {
      std::lock_guard lock(mu_);
      if (!script.empty()) {
        status = script.front();
        script.erase(script.begin());
      }
    }
    ++calls;
    AgentReply reply;
    reply.status = status;
    reply.usage.output_tokens = tokens;
    cb->onDone(std::move(reply));
    return std::unique_ptr<AgentCall>();
  }

 private:
  std::mutex mu_;
};

class Waiter final : public AgentCallback {
 public:
  void onProgress(std::string_view) noexcept override {}
  void onUsage(const Usage&) noexcept override {}
  void onDone(AgentReply r) noexcept override {
    std::lock_guard lock(mu_);
    status_ = r.status;
    done_ = true;
    cv_.notify_all();
  }
  bool wait(std::chrono::milliseconds t) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, t, [&] { return done_; });
  }
  Status status() {
    std::lock_guard lock(mu_);
    return status_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  Status status_;
};

TEST(ProviderGuard, QueuesCallsOverTheRequestRate) {
  auto guard = std::make_shared<ProviderGuard>("test", ProviderLimits{2, 0, 0, 1000});
  auto fake = std::make_shared<FakeAgent>();
  auto agent = guard->wrap(fake);
  std::vector<std::shared_ptr<Waiter>> waiters;
  std::vector<std::unique_ptr<AgentCall>> calls;
  for (int i = 0; i < 3; ++i) {
    waiters.push_back(std::make_shared<Waiter>());
    auto call = agent->call(AgentRequest{}, waiters.back());
    ASSERT_TRUE(call.ok()) << call.status().toString();
    calls.push_back(std::move(*call));
  }
  EXPECT_TRUE(waiters[0]->wait(1s));
  EXPECT_TRUE(waiters[1]->wait(1s));
  EXPECT_FALSE(waiters[2]->wait(200ms)) << "the third call of the minute ran at once";
  EXPECT_EQ(fake->calls.load(), 2);
  EXPECT_EQ(guard->state()["queued"], 1);
  EXPECT_EQ(guard->state()["requests_last_minute"], 2);
  // Cancelling the waiting call finishes it without running it.
  calls[2]->cancel();
  ASSERT_TRUE(waiters[2]->wait(1s));
  EXPECT_EQ(waiters[2]->status().code(), StatusCode::kCancelled);
  EXPECT_EQ(fake->calls.load(), 2);
  EXPECT_EQ(guard->state()["queued"], 0);
}

TEST(ProviderGuard, QueuesCallsOverTheTokenRate) {
  auto guard = std::make_shared<ProviderGuard>("test", ProviderLimits{0, 100, 0, 1000});
  auto fake = std::make_shared<FakeAgent>();
  fake->tokens = 150;
  auto agent = guard->wrap(fake);
  auto first = std::make_shared<Waiter>();
  ASSERT_TRUE(agent->call(AgentRequest{}, first).ok());
  ASSERT_TRUE(first->wait(1s));
  auto second = std::make_shared<Waiter>();
  auto call = agent->call(AgentRequest{}, second);
  ASSERT_TRUE(call.ok());
  EXPECT_FALSE(second->wait(200ms))
      << "150 tokens of a 100/minute budget were used; the call should wait";
  EXPECT_EQ(guard->state()["tokens_last_minute"], 150);
  guard->stop();
  ASSERT_TRUE(second->wait(1s));
  EXPECT_EQ(second->status().code(), StatusCode::kCancelled);
}

TEST(ProviderGuard, OpensTheCircuitAfterFailuresThenTriesOnceAndCloses) {
  auto guard = std::make_shared<ProviderGuard>("anthropic", ProviderLimits{0, 0, 3, 150});
  auto fake = std::make_shared<FakeAgent>();
  fake->script = {Status::unavailable("529 overloaded"), Status::invalidArgument("bad prompt"),
                  Status::unavailable("529"), Status::deadlineExceeded("slow")};
  auto agent = guard->wrap(fake);
  auto once = [&] {
    auto w = std::make_shared<Waiter>();
    auto call = agent->call(AgentRequest{}, w);
    if (!call.ok()) return call.status();
    w->wait(1s);
    return w->status();
  };
  EXPECT_EQ(once().code(), StatusCode::kUnavailable);
  EXPECT_EQ(once().code(), StatusCode::kInvalidArgument);  // the caller's fault: not counted
  EXPECT_EQ(once().code(), StatusCode::kUnavailable);
  EXPECT_EQ(guard->state()["circuit"], "closed");
  EXPECT_EQ(once().code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(guard->state()["circuit"], "open");
  Status refused = once();
  EXPECT_EQ(refused.code(), StatusCode::kUnavailable);
  EXPECT_NE(refused.message().find("circuit breaker is open after 3 failed calls"),
            std::string::npos)
      << refused.message();
  EXPECT_EQ(fake->calls.load(), 4);  // the refused call never reached the provider
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(guard->state()["circuit"], "half_open");
  EXPECT_TRUE(once().ok());  // the trial call succeeds
  EXPECT_EQ(guard->state()["circuit"], "closed");
  EXPECT_TRUE(once().ok());
}

}  // namespace
}  // namespace switchboard::core
