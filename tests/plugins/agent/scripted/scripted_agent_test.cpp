// Behaviour of scripted agents: rules, replies, usage, latency on one timer thread, cancel,
// and deterministic failure injection.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "switchboard/agent.hpp"
#include "tests/plugins/support/plugin_loader.hpp"

namespace switchboard::plugins {
namespace {

using nlohmann::json;
using testing::loadPluginForTest;
using Clock = std::chrono::steady_clock;

class RecordingCallback : public AgentCallback {
 public:
  void onProgress(std::string_view) noexcept override {}
  void onUsage(const Usage& so_far) noexcept override {
    std::lock_guard lock(mutex_);
    last_usage_ = so_far;
  }
  void onDone(AgentReply reply) noexcept override {
    std::lock_guard lock(mutex_);
    replies_.push_back(std::move(reply));
    done_at_ = Clock::now();
    changed_.notify_all();
  }
  std::size_t count() {
    std::lock_guard lock(mutex_);
    return replies_.size();
  }
  // The first reply, waiting up to `timeout` for it; Status DeadlineExceeded otherwise.
  AgentReply wait(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, timeout, [&] { return !replies_.empty(); })) {
      AgentReply none;
      none.status = Status::deadlineExceeded("no reply");
      return none;
    }
    return replies_.front();
  }
  Clock::time_point doneAt() {
    std::lock_guard lock(mutex_);
    return done_at_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<AgentReply> replies_;
  Usage last_usage_;
  Clock::time_point done_at_;
};

class ScriptedAgentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto made = loadPluginForTest<AgentType>("agent", "scripted", "{}");
    ASSERT_TRUE(made.ok()) << made.status().toString();
    type_ = *made;
  }
  void TearDown() override {
    agents_.clear();  // agents before their type (and its library)
    type_.reset();
  }

  Agent& agent(const std::string& config) {
    AgentSpec spec;
    spec.id = "agent" + std::to_string(agents_.size());
    spec.config_json = config;
    auto made = type_->createAgent(spec);
    EXPECT_TRUE(made.ok()) << made.status().toString();
    agents_.push_back(std::move(*made));
    return *agents_.back();
  }

  // One call; returns the callback (already holding the reply for zero latency).
  std::shared_ptr<RecordingCallback> call(Agent& target, const std::string& prompt,
                                          const std::string& request_id = "r1") {
    auto callback = std::make_shared<RecordingCallback>();
    AgentRequest request;
    request.request_id = request_id;
    request.input_json = json{{"prompt", prompt}}.dump();
    auto handle = target.call(request, callback);
    EXPECT_TRUE(handle.ok()) << handle.status().toString();
    return callback;
  }

  static std::size_t threadCount() {
    std::size_t n = 0;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task")) {
      (void)entry;
      ++n;
    }
    return n;
  }

  std::shared_ptr<AgentType> type_;
  std::vector<std::unique_ptr<Agent>> agents_;
};

TEST_F(ScriptedAgentTest, FirstMatchingRuleAnswers) {
  Agent& a = agent(R"({"rules":[
      {"match":"plan","reply":{"steps":["a","b"]}},
      {"match":{"regex":"^review\\s+\\d+$"},"reply":"looks good"},
      {"match":"review","reply":"second rule"}]})");
  EXPECT_EQ(json::parse(call(a, "make a plan")->wait().output_json),
            json::parse(R"({"steps":["a","b"]})"));
  EXPECT_EQ(call(a, "review 42")->wait().output_json, R"({"text":"looks good"})");
  EXPECT_EQ(call(a, "review this")->wait().output_json, R"({"text":"second rule"})");
  EXPECT_TRUE(call(a, "review 42")->wait().status.ok());
}

TEST_F(ScriptedAgentTest, DefaultReplyOtherwiseEcho) {
  Agent& with_default =
      agent(R"({"rules":[{"match":"x","reply":"y"}],"default_reply":"fallback"})");
  EXPECT_EQ(call(with_default, "nothing")->wait().output_json, R"({"text":"fallback"})");
  Agent& echo = agent("{}");
  EXPECT_EQ(call(echo, "say \"hi\"")->wait().output_json, R"({"text":"say \"hi\""})");

  // Without a "prompt" the whole input is the text rules look at.
  auto callback = std::make_shared<RecordingCallback>();
  AgentRequest request;
  request.request_id = "raw";
  request.input_json = R"({"task":{"title":"t"}})";
  ASSERT_TRUE(echo.call(request, callback).ok());
  EXPECT_EQ(json::parse(callback->wait().output_json)["text"], request.input_json);
}

TEST_F(ScriptedAgentTest, RuleErrorFailsTheCall) {
  Agent& a = agent(R"({"rules":[{"match":"boom","error":"the tool exploded"}]})");
  AgentReply reply = call(a, "boom now")->wait();
  EXPECT_EQ(reply.status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(reply.status.message(), "the tool exploded");
}

TEST_F(ScriptedAgentTest, ZeroLatencyFinishesInsideCallWithoutThreads) {
  Agent& a = agent(R"({"default_reply":"ok"})");
  const std::size_t threads_before = threadCount();
  for (int i = 0; i < 20000; ++i) {
    auto callback = call(a, "p", "r" + std::to_string(i));
    ASSERT_EQ(callback->count(), 1u);  // onDone ran before call() returned
  }
  EXPECT_EQ(threadCount(), threads_before);
}

TEST_F(ScriptedAgentTest, LatencyDelaysTheReplyOnOneSharedThread) {
  Agent& a = agent(R"({"default_reply":"late","latency_ms":150})");
  Agent& b = agent(R"({"default_reply":"later","latency_ms":200})");
  const std::size_t threads_before = threadCount();
  const Clock::time_point start = Clock::now();
  std::vector<std::shared_ptr<RecordingCallback>> callbacks;
  for (int i = 0; i < 100; ++i) {
    callbacks.push_back(call(i % 2 == 0 ? a : b, "p", "r" + std::to_string(i)));
  }
  EXPECT_EQ(callbacks.front()->count(), 0u);
  EXPECT_LE(threadCount(), threads_before + 1);  // one timer thread for the whole type
  for (std::size_t i = 0; i < callbacks.size(); ++i) {
    AgentReply reply = callbacks[i]->wait();
    ASSERT_TRUE(reply.status.ok()) << reply.status.toString();
    const auto elapsed = callbacks[i]->doneAt() - start;
    EXPECT_GE(elapsed, std::chrono::milliseconds(i % 2 == 0 ? 150 : 200));
  }
}

TEST_F(ScriptedAgentTest, CancelFinishesPromptlyWithCancelled) {
  Agent& a = agent(R"({"default_reply":"never","latency_ms":600000})");
  auto callback = std::make_shared<RecordingCallback>();
  AgentRequest request;
  request.request_id = "slow";
  auto handle = a.call(request, callback);
  ASSERT_TRUE(handle.ok());
  EXPECT_EQ(callback->count(), 0u);
  (*handle)->cancel();
  AgentReply reply = callback->wait(std::chrono::seconds(1));
  EXPECT_EQ(reply.status.code(), StatusCode::kCancelled);
  (*handle)->cancel();  // idempotent
  EXPECT_EQ(callback->count(), 1u);
}

TEST_F(ScriptedAgentTest, UnloadingTheTypeCancelsWaitingCalls) {
  Agent& a = agent(R"({"default_reply":"never","latency_ms":600000})");
  auto callback = call(a, "p");
  TearDown();
  EXPECT_EQ(callback->wait(std::chrono::seconds(1)).status.code(), StatusCode::kCancelled);
}

TEST_F(ScriptedAgentTest, FirstAttemptsFailPerRequestId) {
  Agent& a = agent(R"({"default_reply":"ok","fail":{"first_attempts":2,"message":"flaky"}})");
  for (int attempt = 1; attempt <= 2; ++attempt) {
    AgentReply reply = call(a, "p", "step-1")->wait();
    EXPECT_EQ(reply.status.code(), StatusCode::kUnavailable);
    EXPECT_NE(reply.status.message().find("flaky"), std::string::npos);
    EXPECT_NE(reply.status.message().find("attempt " + std::to_string(attempt)), std::string::npos);
  }
  EXPECT_TRUE(call(a, "p", "step-1")->wait().status.ok());
  EXPECT_FALSE(call(a, "p", "step-2")->wait().status.ok());  // a new request starts over
}

TEST_F(ScriptedAgentTest, FailureRateIsDeterministic) {
  const char* config = R"({"default_reply":"ok","fail":{"rate":0.5}})";
  Agent& a = agent(config);
  Agent& b = agent(config);
  int failures = 0;
  for (int i = 0; i < 400; ++i) {
    const std::string id = "req-" + std::to_string(i);
    const bool failed_a = !call(a, "p", id)->wait().status.ok();
    const bool failed_b = !call(b, "p", id)->wait().status.ok();
    EXPECT_EQ(failed_a, failed_b) << id;
    failures += failed_a ? 1 : 0;
  }
  EXPECT_GT(failures, 120);
  EXPECT_LT(failures, 280);
  Agent& never = agent(R"({"fail":{"rate":0}})");
  Agent& always = agent(R"({"fail":{"rate":1}})");
  for (int i = 0; i < 50; ++i) {
    EXPECT_TRUE(call(never, "p", std::to_string(i))->wait().status.ok());
    EXPECT_FALSE(call(always, "p", std::to_string(i))->wait().status.ok());
  }
}

TEST_F(ScriptedAgentTest, UsageComesFromTheRuleOrTheAgent) {
  Agent& a = agent(R"({"usage":{"input_tokens":10,"output_tokens":5,"cost_usd":0.002},
      "rules":[{"match":"big","reply":"x","usage":{"input_tokens":1000,"cost_usd":1.5}}]})");
  AgentReply plain = call(a, "small")->wait();
  EXPECT_EQ(plain.usage.input_tokens, 10);
  EXPECT_EQ(plain.usage.output_tokens, 5);
  EXPECT_DOUBLE_EQ(plain.usage.cost_usd, 0.002);
  EXPECT_EQ(plain.usage.turns, 1);
  AgentReply big = call(a, "big one")->wait();
  EXPECT_EQ(big.usage.input_tokens, 1000);
  EXPECT_EQ(big.usage.output_tokens, 0);
  EXPECT_DOUBLE_EQ(big.usage.cost_usd, 1.5);
}

TEST_F(ScriptedAgentTest, JitterAddsToTheLatency) {
  Agent& a = agent(R"({"default_reply":"ok","latency_ms":20,"jitter_ms":60})");
  const Clock::time_point start = Clock::now();
  auto callback = call(a, "p", "same");
  ASSERT_TRUE(callback->wait().status.ok());
  const auto elapsed = callback->doneAt() - start;
  EXPECT_GE(elapsed, std::chrono::milliseconds(20));
  EXPECT_LT(elapsed, std::chrono::seconds(5));
}

}  // namespace
}  // namespace switchboard::plugins
