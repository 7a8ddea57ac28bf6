// The openai agent type through the real plugin host against a loopback fake of chat
// completions, not streamed (`stream: false`): OpenAI's shape with a key and cached tokens,
// a local server without key or usage, retry-after-ms, 5xx and dropped connections,
// malformed answers and timeouts.
#include <gtest/gtest.h>
#include <stdlib.h>

#include "tests/plugins/agent/model_api/model_agent_fixture.hpp"

namespace switchboard::plugins::testing {
namespace {

using namespace std::chrono_literals;

std::string completion(const nlohmann::json& content, nlohmann::json usage) {
  nlohmann::json body = {{"id", "chatcmpl-1"},
                         {"object", "chat.completion"},
                         {"choices",
                          {{{"index", 0},
                            {"message", {{"role", "assistant"}, {"content", content}}},
                            {"finish_reason", "stop"}}}}};
  if (!usage.is_null()) body["usage"] = std::move(usage);
  return body.dump();
}

class OpenAIAgentTest : public ModelAgentFixture {
 protected:
  void SetUp() override {
    ::unsetenv("OPENAI_API_KEY");
    load("openai",
         {{"prices",
           {{"gpt-test",
             {{"input_per_mtok", 2.0}, {"output_per_mtok", 8.0}, {"cache_read_per_mtok", 0.5}}}}}});
  }
  std::unique_ptr<Agent> agent(json extra = json::object(), const std::string& model = "gpt-test") {
    // Whole answers: the streamed ones are openai_stream_test.cpp's.
    json config = {{"base_url", fake_.url() + "/v1"}, {"retry_base_ms", 10}, {"stream", false}};
    for (auto& [k, v] : extra.items()) config[k] = v;
    auto made = make(config, model, "You are terse.");
    EXPECT_TRUE(made.ok()) << made.status().toString();
    return made.ok() ? std::move(*made) : nullptr;
  }
};

TEST_F(OpenAIAgentTest, SendsAChatCompletionWithTheKeyAndCountsCachedTokensOnce) {
  fake_.script(
      {Reply{200, completion("Hi.", {{"prompt_tokens", 1200},
                                     {"completion_tokens", 30},
                                     {"total_tokens", 1230},
                                     {"prompt_tokens_details", {{"cached_tokens", 1000}}}})}});
  auto a = agent({{"api_key", "sk-openai-test-key"}, {"max_tokens", 64}});
  ASSERT_TRUE(a);
  AgentReply reply = ask(*a, request("Say hi."));
  ASSERT_TRUE(reply.status.ok()) << reply.status.toString();
  json out = json::parse(reply.output_json);
  EXPECT_EQ(out["text"], "Hi.");
  EXPECT_EQ(out["stop_reason"], "stop");
  EXPECT_EQ(reply.usage.input_tokens, 200);
  EXPECT_EQ(reply.usage.cache_read_tokens, 1000);
  EXPECT_EQ(reply.usage.output_tokens, 30);
  EXPECT_NEAR(reply.usage.cost_usd, (200 * 2.0 + 1000 * 0.5 + 30 * 8.0) / 1e6, 1e-12);

  auto got = fake_.received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].path, "/v1/chat/completions");
  EXPECT_EQ(got[0].headers["authorization"], "Bearer sk-openai-test-key");
  json body = bodyOf(got[0]);
  EXPECT_EQ(body["model"], "gpt-test");
  EXPECT_EQ(body["max_tokens"], 64);
  EXPECT_EQ(body["messages"], json::parse(R"([{"role":"system","content":"You are terse."},
                                             {"role":"user","content":"Say hi."}])"));
}

TEST_F(OpenAIAgentTest, ALocalServerNeedsNoKeyAndMayOmitUsage) {
  fake_.script({Reply{200, completion("local answer", nullptr)}});
  auto a = agent({{"max_tokens_field", "max_completion_tokens"}}, "llama-3-8b");
  ASSERT_TRUE(a);
  AgentReply reply = ask(*a, request("hello"));
  ASSERT_TRUE(reply.status.ok()) << reply.status.toString();
  EXPECT_EQ(json::parse(reply.output_json)["text"], "local answer");
  EXPECT_EQ(reply.usage.totalTokens(), 0);
  auto got = fake_.received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].headers.count("authorization"), 0u);
  json body = bodyOf(got[0]);
  EXPECT_EQ(body["max_completion_tokens"], 4096);
  EXPECT_FALSE(body.contains("max_tokens"));
}

TEST_F(OpenAIAgentTest, TheKeyComesFromOpenAIApiKeyByDefault) {
  ::setenv("OPENAI_API_KEY", "sk-from-env", 1);
  fake_.script({Reply{200, completion("ok", nullptr)}});
  auto a = agent();
  ::unsetenv("OPENAI_API_KEY");
  ASSERT_TRUE(a);
  ASSERT_TRUE(ask(*a, request("go")).status.ok());
  EXPECT_EQ(fake_.received()[0].headers["authorization"], "Bearer sk-from-env");
}

TEST_F(OpenAIAgentTest, RetriesHonourRetryAfterMsAndSurviveErrorsAndDrops) {
  fake_.script(
      {Reply{
           429,
           R"({"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}})",
           {{"retry-after-ms", "150"}, {"Retry-After", "30"}}},
       Reply{502, "Bad Gateway"}, Reply{200, "", {}, 0, /*drop=*/true},
       Reply{200, completion("finally", {{"prompt_tokens", 5}, {"completion_tokens", 1}})}});
  auto a = agent({{"max_retries", 3}});
  ASSERT_TRUE(a);
  auto waiter = std::make_shared<AgentWaiter>();
  Clock::time_point start = Clock::now();
  AgentReply reply = ask(*a, request("go"), waiter);
  ASSERT_TRUE(reply.status.ok()) << reply.status.toString();
  EXPECT_EQ(json::parse(reply.output_json)["text"], "finally");
  EXPECT_EQ(fake_.received().size(), 4u);
  EXPECT_GE(Clock::now() - start, 150ms);
  EXPECT_LT(Clock::now() - start, 10s);  // retry-after-ms won over Retry-After: 30
  auto progress = waiter->progress();
  ASSERT_GE(progress.size(), 3u);
  EXPECT_NE(progress[0].find("requests: Rate limit reached"), std::string::npos) << progress[0];
  EXPECT_NE(progress[0].find("150 ms as the server asked"), std::string::npos) << progress[0];
}

TEST_F(OpenAIAgentTest, MalformedAnswersAreInternal) {
  auto a = agent();
  ASSERT_TRUE(a);
  for (const std::string& body :
       {std::string(R"({"choices":[]})"), std::string(R"({"choices":[{"text":"legacy"}]})"),
        std::string(R"({"choices":[{"message":{"content":42}}]})"),
        completion("x", {{"prompt_tokens", "many"}}), std::string("<html>")}) {
    fake_.script({Reply{200, body}});
    AgentReply reply = ask(*a, request("go"));
    EXPECT_EQ(reply.status.code(), StatusCode::kInternal)
        << body << " -> " << reply.status.toString();
    EXPECT_EQ(fake_.received().size(), 1u);
  }
}

TEST_F(OpenAIAgentTest, ARefusalWithNullContentIsAnEmptyText) {
  fake_.script({Reply{200, completion(nullptr, {{"prompt_tokens", 3}, {"completion_tokens", 0}})}});
  auto a = agent();
  ASSERT_TRUE(a);
  AgentReply reply = ask(*a, request("go"));
  ASSERT_TRUE(reply.status.ok()) << reply.status.toString();
  EXPECT_EQ(json::parse(reply.output_json)["text"], "");
}

TEST_F(OpenAIAgentTest, AHangingServerIsCutAtTheTimeout) {
  fake_.script({Reply{200, completion("late", nullptr), {}, 10000}});
  auto a = agent({{"timeout_ms", 300}});
  ASSERT_TRUE(a);
  Clock::time_point start = Clock::now();
  AgentReply reply = ask(*a, request("go"));
  EXPECT_EQ(reply.status.code(), StatusCode::kDeadlineExceeded) << reply.status.toString();
  EXPECT_LT(Clock::now() - start, 3s);
}

TEST_F(OpenAIAgentTest, NothingListeningIsUnavailable) {
  auto a = agent({{"base_url", "http://127.0.0.1:1/v1"}, {"max_retries", 1}});
  ASSERT_TRUE(a);
  AgentReply reply = ask(*a, request("go"));
  EXPECT_EQ(reply.status.code(), StatusCode::kUnavailable) << reply.status.toString();
  EXPECT_NE(reply.status.message().find("cannot reach the openai API at http://127.0.0.1:1"),
            std::string::npos)
      << reply.status.message();
}

}  // namespace
}  // namespace switchboard::plugins::testing
