// The openai agent type streaming (the default) against a loopback fake that serves chat
// completion chunks: the request asks for usage in the stream, text and the usage chunk, an
// estimate when a local server sends no usage, a token budget that stops the answer
// mid-stream, error chunks, malformed chunks, and a server that omits [DONE].
#include <gtest/gtest.h>
#include <stdlib.h>

#include "tests/plugins/agent/model_api/model_agent_fixture.hpp"
#include "tests/plugins/agent/model_api/stream_events.hpp"

namespace switchboard::plugins::testing {
namespace {

using namespace std::chrono_literals;
using Events = OpenAIEvents;
using StreamEnd = FakeModelServer::StreamEnd;

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class OpenAIStreamTest : public ModelAgentFixture {
 protected:
  void SetUp() override {
    ::unsetenv("OPENAI_API_KEY");
    load("openai",
         {{"prices",
           {{"gpt-test",
             {{"input_per_mtok", 2.0}, {"output_per_mtok", 8.0}, {"cache_read_per_mtok", 0.5}}}}}});
  }
  std::unique_ptr<Agent> agent(json extra = json::object(), const std::string& model = "gpt-test") {
    json config = {{"base_url", fake_.url() + "/v1"}, {"retry_base_ms", 10}};
    for (auto& [k, v] : extra.items()) config[k] = v;
    auto made = make(config, model, "You are terse.");
    EXPECT_TRUE(made.ok()) << made.status().toString();
    return made.ok() ? std::move(*made) : nullptr;
  }
};

TEST_F(OpenAIStreamTest, AsksForUsageInTheStreamAndTakesItFromTheLastChunk) {
  std::vector<std::string> events = Events::answer({"Hi", " there", "."}, 0, 0);
  events[events.size() - 2] = Events::usage(1200, 30, 1000);
  fake_.script({Reply::stream(events)});
  auto a = agent({{"api_key", "sk-openai-stream"}});
  ASSERT_TRUE(a);
  auto waiter = std::make_shared<AgentWaiter>();
  AgentReply reply = ask(*a, request("Say hi."), waiter);
  ASSERT_TRUE(reply.status.ok()) << reply.status.toString();
  json out = json::parse(reply.output_json);
  EXPECT_EQ(out["text"], "Hi there.");
  EXPECT_EQ(out["stop_reason"], "stop");
  EXPECT_EQ(reply.usage.input_tokens, 200);
  EXPECT_EQ(reply.usage.cache_read_tokens, 1000);
  EXPECT_EQ(reply.usage.output_tokens, 30);
  EXPECT_NEAR(reply.usage.cost_usd, (200 * 2.0 + 1000 * 0.5 + 30 * 8.0) / 1e6, 1e-12);
  for (const std::string& p : waiter->progress()) EXPECT_FALSE(contains(p, "estimate")) << p;

  auto got = fake_.received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].headers["authorization"], "Bearer sk-openai-stream");
  json body = bodyOf(got[0]);
  EXPECT_EQ(body["stream"], true);
  EXPECT_EQ(body["stream_options"], json::parse(R"({"include_usage":true})"));
  EXPECT_EQ(body["messages"], json::parse(R"([{"role":"system","content":"You are terse."},
                                             {"role":"user","content":"Say hi."}])"));
}

TEST_F(OpenAIStreamTest, WithoutAUsageChunkTheOutputIsEstimatedAndSaidSo) {
  // A local server that sends neither usage nor [DONE]: the finish_reason ends the answer.
  fake_.script({Reply::stream({Events::chunk({{"content", "abcdefgh"}}),
                               Events::chunk({{"content", "ijkl"}}),
                               Events::chunk(json::object(), "stop")})});
  auto a = agent(json::object(), "llama-local");
  ASSERT_TRUE(a);
  auto waiter = std::make_shared<AgentWaiter>();
  AgentReply reply = ask(*a, request("hello"), waiter);
  ASSERT_TRUE(reply.status.ok()) << reply.status.toString();
  EXPECT_EQ(json::parse(reply.output_json)["text"], "abcdefghijkl");
  EXPECT_EQ(reply.usage.input_tokens, 0);
  EXPECT_EQ(reply.usage.output_tokens, 3);  // 12 bytes: 3 tokens, at least the 2 deltas
  bool said = false;
  for (const std::string& p : waiter->progress()) said = said || contains(p, "are an estimate");
  EXPECT_TRUE(said);
}

TEST_F(OpenAIStreamTest, ATokenBudgetStopsTheAnswerMidStream) {
  std::vector<std::string> pieces(100, "word");
  const std::vector<std::string> events = Events::answer(pieces, 10, 100);
  fake_.script({Reply::stream(events, /*gap_ms=*/15)});
  auto a = agent();
  ASSERT_TRUE(a);
  AgentRequest r = request("go on");
  r.max_tokens = 30;
  Clock::time_point start = Clock::now();
  AgentReply reply = ask(*a, r);
  EXPECT_LT(Clock::now() - start, 100 * 15ms);
  EXPECT_EQ(reply.status.code(), StatusCode::kResourceExhausted) << reply.status.toString();
  EXPECT_TRUE(contains(reply.status.message(), "over the token budget of 30"))
      << reply.status.message();
  EXPECT_GT(reply.usage.output_tokens, 30);
  EXPECT_LT(reply.usage.output_tokens, 60);
  EXPECT_EQ(bodyOf(fake_.received()[0])["max_tokens"], 30);
  std::size_t sent = 0;
  EXPECT_EQ(fake_.streamEnd(0, 5s, &sent), StreamEnd::kClientClosed);
  EXPECT_LT(sent, events.size());
}

TEST_F(OpenAIStreamTest, AnErrorChunkIsAnErrorAndIsNotRetried) {
  fake_.script(
      {Reply::stream(
           {Events::chunk({{"content", "Hal"}}),
            sseData(
                R"({"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}})")}),
       Reply::stream(Events::answer({"never"}, 1, 1))});
  auto a = agent();
  ASSERT_TRUE(a);
  AgentReply reply = ask(*a, request("go"));
  EXPECT_EQ(reply.status.code(), StatusCode::kUnavailable) << reply.status.toString();
  EXPECT_TRUE(contains(reply.status.message(), "error mid-stream: requests: Rate limit reached"))
      << reply.status.message();
  EXPECT_EQ(fake_.received().size(), 1u);
  EXPECT_GE(reply.usage.output_tokens, 1);
}

TEST_F(OpenAIStreamTest, MalformedChunksAreInternalErrors) {
  auto a = agent();
  ASSERT_TRUE(a);
  for (const std::string& bad : {sseData("{\"choices\": [{\"delta\": {\"content\": 42}}]}"),
                                 sseData("[1, 2]"), sseData("{\"choices\": \"none\"}"),
                                 sseData(R"({"choices":[],"usage":{"prompt_tokens":"many"}})"),
                                 std::string("nonsense without a field\n\n")}) {
    fake_.script({Reply::stream({Events::chunk({{"content", "ok"}}), bad, sseData("[DONE]")})});
    AgentReply reply = ask(*a, request("go"));
    EXPECT_EQ(reply.status.code(), StatusCode::kInternal)
        << bad << " -> " << reply.status.toString();
    EXPECT_TRUE(contains(reply.status.message(), "malformed stream from the openai API"))
        << reply.status.message();
    EXPECT_EQ(fake_.received().size(), 1u);
  }
}

TEST_F(OpenAIStreamTest, StreamingCanBeTurnedOffForServersThatCannot) {
  fake_.script({Reply{200, json{{"choices",
                                 {{{"message", {{"role", "assistant"}, {"content", "whole"}}},
                                   {"finish_reason", "stop"}}}}}
                               .dump()}});
  auto a = agent({{"stream", false}});
  ASSERT_TRUE(a);
  AgentReply reply = ask(*a, request("go"));
  ASSERT_TRUE(reply.status.ok()) << reply.status.toString();
  EXPECT_EQ(json::parse(reply.output_json)["text"], "whole");
  json body = bodyOf(fake_.received()[0]);
  EXPECT_FALSE(body.contains("stream"));
  EXPECT_FALSE(body.contains("stream_options"));
}

}  // namespace
}  // namespace switchboard::plugins::testing
