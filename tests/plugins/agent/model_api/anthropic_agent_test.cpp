// The anthropic agent type through the real plugin host against a loopback fake of the
// Messages API, not streamed (`stream: false`): the request on the wire, usage and cost, and
// every failure a provider gives — 429 with Retry-After, 5xx, timeouts, dropped connections,
// malformed bodies, refused keys — plus cancellation, budgets and a key that never leaks.
#include <gtest/gtest.h>

#include <thread>

#include "tests/plugins/agent/model_api/model_agent_fixture.hpp"

namespace switchboard::plugins::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kKey = "sk-ant-test-Zq81x-MUST-NOT-LEAK";

std::string message(const std::string& text, int in, int out, int cache_read = 0,
                    int cache_write = 0) {
  return nlohmann::json{{"id", "msg_1"},
                        {"type", "message"},
                        {"role", "assistant"},
                        {"model", "claude-test"},
                        {"content", {{{"type", "text"}, {"text", text}}}},
                        {"stop_reason", "end_turn"},
                        {"usage",
                         {{"input_tokens", in},
                          {"output_tokens", out},
                          {"cache_read_input_tokens", cache_read},
                          {"cache_creation_input_tokens", cache_write}}}}
      .dump();
}

std::string error(const std::string& type, const std::string& text) {
  return nlohmann::json{{"type", "error"}, {"error", {{"type", type}, {"message", text}}}}.dump();
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class AnthropicAgentTest : public ModelAgentFixture {
 protected:
  void SetUp() override {
    load("anthropic", {{"prices",
                        {{"claude-test",
                          {{"input_per_mtok", 3.0},
                           {"output_per_mtok", 15.0},
                           {"cache_read_per_mtok", 0.3},
                           {"cache_write_per_mtok", 3.75}}}}}});
  }
  std::unique_ptr<Agent> agent(json extra = json::object(),
                               const std::string& model = "claude-test") {
    // Whole answers: the streamed ones are anthropic_stream_test.cpp's.
    json config = {
        {"base_url", fake_.url()}, {"api_key", kKey}, {"retry_base_ms", 10}, {"stream", false}};
    for (auto& [k, v] : extra.items()) config[k] = v;
    auto made = make(config, model, "Be brief.");
    EXPECT_TRUE(made.ok()) << made.status().toString();
    return made.ok() ? std::move(*made) : nullptr;
  }
};

TEST_F(AnthropicAgentTest, SendsAMessagesRequestAndRecordsTextUsageAndCost) {
  fake_.script({Reply{200, message("Hello there.", 1000, 200, 4000, 500)}});
  auto a = agent({{"max_tokens", 300}, {"temperature", 0.2}});
  ASSERT_TRUE(a);
  auto waiter = std::make_shared<AgentWaiter>();
  AgentReply reply = ask(*a, request("Say hello."), waiter);
  ASSERT_TRUE(reply.status.ok()) << reply.status.toString();
  json out = json::parse(reply.output_json);
  EXPECT_EQ(out["text"], "Hello there.");
  EXPECT_EQ(out["model"], "claude-test");
  EXPECT_EQ(out["stop_reason"], "end_turn");
  EXPECT_EQ(reply.usage.input_tokens, 1000);
  EXPECT_EQ(reply.usage.output_tokens, 200);
  EXPECT_EQ(reply.usage.cache_read_tokens, 4000);
  EXPECT_EQ(reply.usage.cache_creation_tokens, 500);
  EXPECT_EQ(reply.usage.turns, 1);
  EXPECT_NEAR(reply.usage.cost_usd, (1000 * 3.0 + 200 * 15.0 + 4000 * 0.3 + 500 * 3.75) / 1e6,
              1e-12);
  ASSERT_EQ(waiter->usageReports().size(), 1u);
  EXPECT_EQ(waiter->usageReports()[0].cost_usd, reply.usage.cost_usd);

  auto got = fake_.received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].path, "/v1/messages");
  EXPECT_EQ(got[0].headers["x-api-key"], kKey);
  EXPECT_EQ(got[0].headers["anthropic-version"], "2023-06-01");
  json body = bodyOf(got[0]);
  EXPECT_EQ(body["model"], "claude-test");
  EXPECT_EQ(body["max_tokens"], 300);
  EXPECT_EQ(body["system"], "Be brief.");
  EXPECT_DOUBLE_EQ(body["temperature"].get<double>(), 0.2);
  EXPECT_EQ(body["messages"], json::parse(R"([{"role":"user","content":"Say hello."}])"));
}

TEST_F(AnthropicAgentTest, RetriesA429AfterTheRetryAfterTheServerAsks) {
  fake_.script({Reply{429,
                      error("rate_limit_error", "Number of requests has exceeded your rate limit"),
                      {{"Retry-After", "1"}}},
                Reply{200, message("ok", 10, 2)}});
  auto a = agent();
  ASSERT_TRUE(a);
  auto waiter = std::make_shared<AgentWaiter>();
  Clock::time_point start = Clock::now();
  AgentReply reply = ask(*a, request("go"), waiter);
  ASSERT_TRUE(reply.status.ok()) << reply.status.toString();
  EXPECT_GE(Clock::now() - start, 1s);  // not the 10 ms backoff
  EXPECT_EQ(fake_.received().size(), 2u);
  auto progress = waiter->progress();
  ASSERT_FALSE(progress.empty());
  EXPECT_TRUE(contains(progress[0], "HTTP 429")) << progress[0];
  EXPECT_TRUE(contains(progress[0], "rate_limit_error")) << progress[0];
  EXPECT_TRUE(contains(progress[0], "1000 ms as the server asked")) << progress[0];
}

TEST_F(AnthropicAgentTest, ServerErrorsAreRetriedThenUnavailable) {
  fake_.script({Reply{500, error("api_error", "Internal server error")},
                Reply{529, error("overloaded_error", "Overloaded")},
                Reply{503, "<html>Service Unavailable</html>"}});
  auto a = agent({{"max_retries", 2}});
  ASSERT_TRUE(a);
  AgentReply reply = ask(*a, request("go"));
  EXPECT_EQ(reply.status.code(), StatusCode::kUnavailable) << reply.status.toString();
  EXPECT_TRUE(contains(reply.status.message(), "HTTP 503")) << reply.status.message();
  EXPECT_TRUE(contains(reply.status.message(), "Service Unavailable"));
  EXPECT_TRUE(contains(reply.status.message(), "after 3 attempts"));
  EXPECT_EQ(fake_.received().size(), 3u);
  EXPECT_EQ(reply.usage.totalTokens(), 0);
}

TEST_F(AnthropicAgentTest, ANonRetryableErrorIsFinalAtOnce) {
  fake_.script({Reply{400, error("invalid_request_error", "max_tokens: must be positive")}});
  auto a = agent();
  ASSERT_TRUE(a);
  AgentReply reply = ask(*a, request("go"));
  EXPECT_EQ(reply.status.code(), StatusCode::kInvalidArgument) << reply.status.toString();
  EXPECT_TRUE(
      contains(reply.status.message(), "invalid_request_error: max_tokens: must be positive"));
  EXPECT_EQ(fake_.received().size(), 1u);
}

TEST_F(AnthropicAgentTest, ATimeoutEndsTheCallAtItsDeadline) {
  fake_.script({Reply{200, message("too late", 1, 1), {}, 10000}});
  auto a = agent({{"timeout_ms", 400}});
  ASSERT_TRUE(a);
  Clock::time_point start = Clock::now();
  AgentReply reply = ask(*a, request("go"));
  EXPECT_EQ(reply.status.code(), StatusCode::kDeadlineExceeded) << reply.status.toString();
  EXPECT_TRUE(contains(reply.status.message(), "within 400 ms")) << reply.status.message();
  EXPECT_LT(Clock::now() - start, 3s);
}

TEST_F(AnthropicAgentTest, TheRequestsOwnTimeoutAppliesWhenShorter) {
  fake_.script({Reply{200, message("too late", 1, 1), {}, 10000}});
  auto a = agent();
  ASSERT_TRUE(a);
  AgentRequest r = request("go");
  r.timeout_ms = 300;
  Clock::time_point start = Clock::now();
  EXPECT_EQ(ask(*a, r).status.code(), StatusCode::kDeadlineExceeded);
  EXPECT_LT(Clock::now() - start, 3s);
}

TEST_F(AnthropicAgentTest, ADroppedConnectionIsRetried) {
  fake_.script({Reply{200, "", {}, 0, /*drop=*/true}, Reply{200, message("second try", 5, 5)}});
  auto a = agent();
  ASSERT_TRUE(a);
  auto waiter = std::make_shared<AgentWaiter>();
  AgentReply reply = ask(*a, request("go"), waiter);
  ASSERT_TRUE(reply.status.ok()) << reply.status.toString();
  EXPECT_EQ(json::parse(reply.output_json)["text"], "second try");
  EXPECT_EQ(fake_.received().size(), 2u);
  ASSERT_FALSE(waiter->progress().empty());
  EXPECT_TRUE(contains(waiter->progress()[0], "transport error")) << waiter->progress()[0];
}

TEST_F(AnthropicAgentTest, ConnectionsDroppedEveryTimeEndUnavailable) {
  fake_.script({Reply{200, "", {}, 0, /*drop=*/true}});
  auto a = agent({{"max_retries", 1}});
  ASSERT_TRUE(a);
  AgentReply reply = ask(*a, request("go"));
  EXPECT_EQ(reply.status.code(), StatusCode::kUnavailable) << reply.status.toString();
  EXPECT_TRUE(contains(reply.status.message(), "cannot reach the anthropic API"))
      << reply.status.message();
  EXPECT_EQ(fake_.received().size(), 2u);
}

TEST_F(AnthropicAgentTest, MalformedBodiesAreInternalErrorsAndNotRetried) {
  auto a = agent();
  ASSERT_TRUE(a);
  for (const std::string& body :
       {std::string("this is not json"), std::string(R"({"type":"message","usage":{}})"),
        std::string(R"({"type":"message","content":[{"type":"text","text":"x"}]})"),
        std::string(
            R"({"type":"message","content":[],"usage":{"input_tokens":-1,"output_tokens":2}})"),
        std::string("[]")}) {
    fake_.script({Reply{200, body}});
    AgentReply reply = ask(*a, request("go"));
    EXPECT_EQ(reply.status.code(), StatusCode::kInternal)
        << body << " -> " << reply.status.toString();
    EXPECT_TRUE(contains(reply.status.message(), "malformed answer from the anthropic API"))
        << reply.status.message();
    EXPECT_EQ(fake_.received().size(), 1u) << body;
  }
}

TEST_F(AnthropicAgentTest, ARefusedKeyIsPermissionDeniedAndTheKeyIsNeverEchoed) {
  // The server quotes the key back, as some proxies do.
  fake_.script(
      {Reply{401, error("authentication_error", std::string("invalid x-api-key ") + kKey)}});
  auto a = agent();
  ASSERT_TRUE(a);
  auto waiter = std::make_shared<AgentWaiter>();
  AgentReply reply = ask(*a, request("go"), waiter);
  EXPECT_EQ(reply.status.code(), StatusCode::kPermissionDenied) << reply.status.toString();
  EXPECT_TRUE(
      contains(reply.status.message(), "authentication_error: invalid x-api-key [redacted]"))
      << reply.status.message();
  EXPECT_FALSE(contains(reply.status.toString() + reply.output_json, kKey));
  for (const std::string& p : waiter->progress()) EXPECT_FALSE(contains(p, kKey));
  EXPECT_EQ(fake_.received().size(), 1u);

  // Also while retrying: the 429's echoed key stays out of the progress messages.
  fake_.script({Reply{429, error("rate_limit_error", kKey)}, Reply{200, message("ok", 1, 1)}});
  auto retried = std::make_shared<AgentWaiter>();
  ASSERT_TRUE(ask(*a, request("go"), retried).status.ok());
  ASSERT_FALSE(retried->progress().empty());
  for (const std::string& p : retried->progress()) EXPECT_FALSE(contains(p, kKey)) << p;
}

TEST_F(AnthropicAgentTest, ARetryAfterBeyondTheLimitEndsTheCallAtOnce) {
  fake_.script({Reply{429, error("rate_limit_error", "slow down"), {{"Retry-After", "120"}}}});
  auto a = agent();
  ASSERT_TRUE(a);
  Clock::time_point start = Clock::now();
  AgentReply reply = ask(*a, request("go"));
  EXPECT_EQ(reply.status.code(), StatusCode::kUnavailable);
  EXPECT_TRUE(contains(reply.status.message(), "asks to wait 120000 ms")) << reply.status.message();
  EXPECT_LT(Clock::now() - start, 2s);
  EXPECT_EQ(fake_.received().size(), 1u);
}

TEST_F(AnthropicAgentTest, CancelStopsARequestInFlightAndAWaitBetweenAttempts) {
  auto a = agent();
  ASSERT_TRUE(a);
  for (const Reply& hold :
       {Reply{200, message("late", 1, 1), {}, 20000},
        Reply{429, error("rate_limit_error", "wait"), {{"Retry-After", "30"}}}}) {
    fake_.script({hold});
    auto waiter = std::make_shared<AgentWaiter>();
    auto call = a->call(request("go"), waiter);
    ASSERT_TRUE(call.ok());
    std::this_thread::sleep_for(300ms);
    Clock::time_point start = Clock::now();
    (*call)->cancel();
    (*call)->cancel();  // idempotent
    AgentReply reply = waiter->wait(5s);
    EXPECT_EQ(reply.status.code(), StatusCode::kCancelled) << reply.status.toString();
    EXPECT_LT(Clock::now() - start, 2s);
    EXPECT_EQ(waiter->done(), 1);
  }
}

TEST_F(AnthropicAgentTest, DestroyingTheAgentCancelsWhatStillRuns) {
  fake_.script({Reply{200, message("late", 1, 1), {}, 20000}});
  auto a = agent();
  ASSERT_TRUE(a);
  auto waiter = std::make_shared<AgentWaiter>();
  ASSERT_TRUE(a->call(request("go"), waiter).ok());
  std::this_thread::sleep_for(200ms);
  Clock::time_point start = Clock::now();
  a.reset();
  EXPECT_LT(Clock::now() - start, 2s);
  EXPECT_EQ(waiter->wait(1s).status.code(), StatusCode::kCancelled);
}

TEST_F(AnthropicAgentTest, CallsRunInParallel) {
  fake_.script({Reply{200, message("ok", 1, 1), {}, 500}});
  auto a = agent();
  ASSERT_TRUE(a);
  std::vector<std::shared_ptr<AgentWaiter>> waiters;
  Clock::time_point start = Clock::now();
  for (int i = 0; i < 4; ++i) {
    waiters.push_back(std::make_shared<AgentWaiter>());
    ASSERT_TRUE(a->call(request("go"), waiters.back()).ok());
  }
  for (auto& w : waiters) EXPECT_TRUE(w->wait().status.ok());
  EXPECT_LT(Clock::now() - start, 1900ms);  // 4 x 500 ms one after another would be 2 s
}

TEST_F(AnthropicAgentTest, BudgetsLeftInTheRequestCapAndEndTheCall) {
  auto a = agent();
  ASSERT_TRUE(a);
  fake_.script({Reply{200, message("long", 100, 50)}});
  AgentRequest r = request("go");
  r.max_tokens = 80;
  AgentReply tokens = ask(*a, r);
  EXPECT_EQ(bodyOf(fake_.received()[0])["max_tokens"], 80);
  EXPECT_EQ(tokens.status.code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(contains(tokens.status.message(), "over the token budget of 80 after using 150"))
      << tokens.status.message();
  EXPECT_EQ(tokens.usage.totalTokens(), 150);  // what was spent is still reported

  fake_.script({Reply{200, message("costly", 100000, 10000)}});
  AgentRequest c = request("go");
  c.max_cost_usd = 0.01;
  AgentReply cost = ask(*a, c);
  EXPECT_EQ(cost.status.code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(contains(cost.status.message(), "over the budget of $0.01 after spending $0.45"))
      << cost.status.message();
}

TEST_F(AnthropicAgentTest, AModelWithoutAPriceCostsNothingAndSaysSo) {
  fake_.script({Reply{200, message("ok", 10, 10)}});
  auto a = agent(json::object(), "claude-unpriced");
  ASSERT_TRUE(a);
  auto waiter = std::make_shared<AgentWaiter>();
  AgentReply reply = ask(*a, request("go"), waiter);
  ASSERT_TRUE(reply.status.ok());
  EXPECT_EQ(reply.usage.cost_usd, 0.0);
  ASSERT_FALSE(waiter->progress().empty());
  EXPECT_TRUE(contains(waiter->progress()[0], "no price for model claude-unpriced"));
}

TEST_F(AnthropicAgentTest, ConfigAndRequestsAreChecked) {
  EXPECT_FALSE(make({{"base_url", fake_.url()}, {"api_key", kKey}, {"max_tokens", 0}}, "m").ok());
  EXPECT_FALSE(make({{"api_key", kKey}, {"unknown", 1}}, "m").ok());
  auto missing = make({{"base_url", fake_.url()}, {"api_key_env", "SB_TEST_UNSET_KEY"}}, "m");
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(contains(missing.status().message(), "$SB_TEST_UNSET_KEY"))
      << missing.status().message();
  auto nomodel = make({{"base_url", fake_.url()}, {"api_key", kKey}}, "");
  EXPECT_TRUE(contains(nomodel.status().message(), "needs a model"));
  auto a = agent();
  ASSERT_TRUE(a);
  AgentRequest empty;
  empty.input_json = R"({"prompt":""})";
  EXPECT_EQ(a->call(empty, std::make_shared<AgentWaiter>()).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(fake_.received().empty());
}

}  // namespace
}  // namespace switchboard::plugins::testing
