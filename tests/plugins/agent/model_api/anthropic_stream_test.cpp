// The anthropic agent type streaming (the default) against a loopback fake that serves the
// Messages API's server-sent events: text and usage as they arrive, a budget that stops the
// answer mid-stream and closes the connection, retries only before the first byte, error
// events, malformed events, a server that does not stream, cancel and the deadline.
#include <gtest/gtest.h>

#include <thread>

#include "tests/plugins/agent/model_api/model_agent_fixture.hpp"
#include "tests/plugins/agent/model_api/stream_events.hpp"

namespace switchboard::plugins::testing {
namespace {

using namespace std::chrono_literals;
using Events = AnthropicEvents;
using StreamEnd = FakeModelServer::StreamEnd;

constexpr const char* kKey = "sk-ant-stream-test-key";

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// `n` deltas of 40 bytes (10 estimated tokens each) after a message_start of `input` tokens.
std::vector<std::string> longAnswer(int n, int input) {
  std::vector<std::string> pieces(static_cast<std::size_t>(n), std::string(40, 'x'));
  return Events::answer(pieces, input, 10 * n);
}

class AnthropicStreamTest : public ModelAgentFixture {
 protected:
  void SetUp() override {
    load("anthropic",
         {{"prices", {{"claude-test", {{"input_per_mtok", 3.0}, {"output_per_mtok", 15.0}}}}}});
  }
  std::unique_ptr<Agent> agent(json extra = json::object()) {
    json config = {{"base_url", fake_.url()}, {"api_key", kKey}, {"retry_base_ms", 10}};
    for (auto& [k, v] : extra.items()) config[k] = v;
    auto made = make(config, "claude-test");
    EXPECT_TRUE(made.ok()) << made.status().toString();
    return made.ok() ? std::move(*made) : nullptr;
  }
};

TEST_F(AnthropicStreamTest, AsksForAStreamAndJoinsTheTextWithTheProvidersUsage) {
  fake_.script({Reply::stream(Events::answer({"Hel", "lo ", "there."}, 1000, 200))});
  auto a = agent();
  ASSERT_TRUE(a);
  auto waiter = std::make_shared<AgentWaiter>();
  AgentReply reply = ask(*a, request("Say hello."), waiter);
  ASSERT_TRUE(reply.status.ok()) << reply.status.toString();
  json out = json::parse(reply.output_json);
  EXPECT_EQ(out["text"], "Hello there.");
  EXPECT_EQ(out["stop_reason"], "end_turn");
  EXPECT_EQ(reply.usage.input_tokens, 1000);
  EXPECT_EQ(reply.usage.output_tokens, 200);  // message_delta's count, not the estimate
  EXPECT_EQ(reply.usage.turns, 1);
  EXPECT_NEAR(reply.usage.cost_usd, (1000 * 3.0 + 200 * 15.0) / 1e6, 1e-12);
  auto reports = waiter->usageReports();
  ASSERT_FALSE(reports.empty());
  EXPECT_EQ(reports.back().output_tokens, 200);
  EXPECT_EQ(reports.back().cost_usd, reply.usage.cost_usd);
  ASSERT_FALSE(waiter->progress().empty());
  EXPECT_TRUE(contains(waiter->progress()[0], "streaming")) << waiter->progress()[0];

  auto got = fake_.received();
  ASSERT_EQ(got.size(), 1u);
  json body = bodyOf(got[0]);
  EXPECT_EQ(body["stream"], true);
  EXPECT_EQ(body["messages"], json::parse(R"([{"role":"user","content":"Say hello."}])"));
  EXPECT_EQ(got[0].headers["accept"], "text/event-stream");
  EXPECT_EQ(fake_.streamEnd(0, 2s), StreamEnd::kFinished);
}

TEST_F(AnthropicStreamTest, ReportsUsageSeveralTimesWhileTheAnswerStreams) {
  fake_.script({Reply::stream(longAnswer(8, 500), /*gap_ms=*/80)});
  auto a = agent();
  ASSERT_TRUE(a);
  auto waiter = std::make_shared<AgentWaiter>();
  AgentReply reply = ask(*a, request("go"), waiter);
  ASSERT_TRUE(reply.status.ok()) << reply.status.toString();
  auto reports = waiter->usageReports();
  ASSERT_GE(reports.size(), 6u) << "usage was not reported while the answer streamed";
  EXPECT_EQ(reports.front().input_tokens, 500);  // message_start's count, before any text
  EXPECT_LE(reports.front().output_tokens, 1);
  EXPECT_GT(reports.front().cost_usd, 0.0);
  for (std::size_t i = 1; i + 1 < reports.size(); ++i) {
    EXPECT_GE(reports[i].output_tokens, reports[i - 1].output_tokens) << i;
    EXPECT_GT(reports[i].cost_usd, reports[0].cost_usd) << i;
  }
  EXPECT_EQ(reports.back().output_tokens, 80);
}

TEST_F(AnthropicStreamTest, ABudgetBrokenMidStreamStopsTheAnswerAndClosesTheConnection) {
  const std::vector<std::string> events = longAnswer(40, 100);
  fake_.script({Reply::stream(events, /*gap_ms=*/30)});
  auto a = agent();
  ASSERT_TRUE(a);
  AgentRequest r = request("Write a lot.");
  r.max_cost_usd = 0.001;  // the prompt costs $0.0003; each delta about $0.00015
  auto waiter = std::make_shared<AgentWaiter>();
  Clock::time_point start = Clock::now();
  AgentReply reply = ask(*a, r, waiter);
  EXPECT_LT(Clock::now() - start, 40 * 30ms);
  EXPECT_EQ(reply.status.code(), StatusCode::kResourceExhausted) << reply.status.toString();
  EXPECT_TRUE(contains(reply.status.message(), "over the budget of $0.001 after spending $0.00"))
      << reply.status.message();
  EXPECT_TRUE(contains(reply.status.message(), "stopped mid-stream")) << reply.status.message();
  EXPECT_EQ(reply.usage.input_tokens, 100);
  EXPECT_GT(reply.usage.output_tokens, 40);
  EXPECT_LT(reply.usage.output_tokens, 200);  // far from the 400 of the whole answer
  EXPECT_GT(reply.usage.cost_usd, 0.001);
  EXPECT_EQ(waiter->usageReports().back().cost_usd, reply.usage.cost_usd);

  std::size_t sent = 0;
  EXPECT_EQ(fake_.streamEnd(0, 5s, &sent), StreamEnd::kClientClosed);
  EXPECT_LT(sent, events.size());
  // And the answer asked for no more than the budget buys at the output price.
  EXPECT_EQ(bodyOf(fake_.received()[0])["max_tokens"], 66);
  bool said = false;
  for (const std::string& p : waiter->progress())
    said = said || contains(p, "max_tokens lowered to 66");
  EXPECT_TRUE(said);
}

TEST_F(AnthropicStreamTest, AStreamThatBreaksBeforeItsFirstByteIsRetried) {
  fake_.script(
      {Reply::stream({}, 0, /*broken=*/true), Reply::stream(Events::answer({"second"}, 5, 5))});
  auto a = agent();
  ASSERT_TRUE(a);
  auto waiter = std::make_shared<AgentWaiter>();
  AgentReply reply = ask(*a, request("go"), waiter);
  ASSERT_TRUE(reply.status.ok()) << reply.status.toString();
  EXPECT_EQ(json::parse(reply.output_json)["text"], "second");
  EXPECT_EQ(fake_.received().size(), 2u);
  ASSERT_FALSE(waiter->progress().empty());
  EXPECT_TRUE(contains(waiter->progress()[0], "transport error")) << waiter->progress()[0];
}

TEST_F(AnthropicStreamTest, AStreamThatStopsAfterItBeganIsNotRetriedAndReportsWhatWasSpent) {
  auto a = agent({{"max_retries", 3}});
  ASSERT_TRUE(a);
  const std::vector<std::string> begun = {Events::start(100) + Events::blockStart(),
                                          Events::delta("Half an ")};
  for (bool broken : {true, false}) {  // the connection drops; the stream ends without message_stop
    fake_.script(
        {Reply::stream(begun, 0, broken), Reply::stream(Events::answer({"whole"}, 100, 5))});
    AgentReply reply = ask(*a, request("go"));
    EXPECT_EQ(reply.status.code(), StatusCode::kUnavailable) << reply.status.toString();
    EXPECT_TRUE(contains(reply.status.message(), "not retried")) << reply.status.message();
    EXPECT_TRUE(contains(reply.status.message(), "spent")) << reply.status.message();
    EXPECT_EQ(fake_.received().size(), 1u) << "broken=" << broken;
    EXPECT_EQ(reply.usage.input_tokens, 100);
    EXPECT_GE(reply.usage.output_tokens, 1);
    EXPECT_GT(reply.usage.cost_usd, 0.0);
  }
}

TEST_F(AnthropicStreamTest, AnErrorEventIsAnErrorNotAnAnswer) {
  auto a = agent();
  ASSERT_TRUE(a);
  struct Case {
    std::string type;
    StatusCode code;
  };
  for (const Case& c : {Case{"overloaded_error", StatusCode::kUnavailable},
                        Case{"invalid_request_error", StatusCode::kInvalidArgument}}) {
    fake_.script({Reply::stream({Events::start(10) + Events::blockStart(), Events::delta("Par"),
                                 Events::error(c.type, "it went wrong")})});
    AgentReply reply = ask(*a, request("go"));
    EXPECT_EQ(reply.status.code(), c.code) << reply.status.toString();
    EXPECT_TRUE(contains(reply.status.message(), "error mid-stream: " + c.type + ": it went wrong"))
        << reply.status.message();
    EXPECT_TRUE(reply.output_json.empty());
    EXPECT_EQ(fake_.received().size(), 1u);
    EXPECT_EQ(reply.usage.input_tokens, 10);
  }
}

TEST_F(AnthropicStreamTest, MalformedEventsAreInternalErrors) {
  auto a = agent();
  ASSERT_TRUE(a);
  for (const std::string& bad :
       {std::string("data: {not json\n\n"), std::string("this is not an event stream\n\n"),
        sseEvent("content_block_delta", {{"type", "content_block_delta"},
                                         {"delta", {{"type", "text_delta"}, {"text", 5}}}}),
        sseEvent("message_start",
                 {{"type", "message_start"}, {"message", {{"usage", {{"input_tokens", -3}}}}}}),
        sseEvent("message_delta", {{"type", "message_delta"}, {"usage", "many"}})}) {
    fake_.script({Reply::stream({Events::start(10), bad, Events::end(3)})});
    AgentReply reply = ask(*a, request("go"));
    EXPECT_EQ(reply.status.code(), StatusCode::kInternal)
        << bad << " -> " << reply.status.toString();
    EXPECT_TRUE(contains(reply.status.message(), "malformed stream from the anthropic API"))
        << reply.status.message();
    EXPECT_EQ(fake_.received().size(), 1u) << bad;
  }
}

TEST_F(AnthropicStreamTest, AServerThatDoesNotStreamIsReadWhole) {
  json message = {{"type", "message"},
                  {"content", {{{"type", "text"}, {"text", "whole"}}}},
                  {"stop_reason", "end_turn"},
                  {"usage", {{"input_tokens", 4}, {"output_tokens", 2}}}};
  fake_.script({Reply{200, message.dump()}});
  auto a = agent();
  ASSERT_TRUE(a);
  auto waiter = std::make_shared<AgentWaiter>();
  AgentReply reply = ask(*a, request("go"), waiter);
  ASSERT_TRUE(reply.status.ok()) << reply.status.toString();
  EXPECT_EQ(json::parse(reply.output_json)["text"], "whole");
  EXPECT_EQ(reply.usage.output_tokens, 2);
  bool said = false;
  for (const std::string& p : waiter->progress()) said = said || contains(p, "without streaming");
  EXPECT_TRUE(said);
}

TEST_F(AnthropicStreamTest, CancelStopsAStreamAndKeepsWhatWasSpent) {
  fake_.script({Reply::stream(longAnswer(60, 50), /*gap_ms=*/50)});
  auto a = agent();
  ASSERT_TRUE(a);
  auto waiter = std::make_shared<AgentWaiter>();
  auto call = a->call(request("go"), waiter);
  ASSERT_TRUE(call.ok());
  std::this_thread::sleep_for(400ms);
  Clock::time_point start = Clock::now();
  (*call)->cancel();
  AgentReply reply = waiter->wait(5s);
  EXPECT_LT(Clock::now() - start, 1s);
  EXPECT_EQ(reply.status.code(), StatusCode::kCancelled) << reply.status.toString();
  EXPECT_TRUE(contains(reply.status.message(), "mid-answer")) << reply.status.message();
  EXPECT_EQ(reply.usage.input_tokens, 50);
  EXPECT_GT(reply.usage.output_tokens, 0);
  EXPECT_EQ(fake_.streamEnd(0, 5s), StreamEnd::kClientClosed);
}

TEST_F(AnthropicStreamTest, TheDeadlineEndsASlowStream) {
  fake_.script({Reply::stream(longAnswer(60, 50), /*gap_ms=*/50)});
  auto a = agent({{"timeout_ms", 500}});
  ASSERT_TRUE(a);
  Clock::time_point start = Clock::now();
  AgentReply reply = ask(*a, request("go"));
  EXPECT_EQ(reply.status.code(), StatusCode::kDeadlineExceeded) << reply.status.toString();
  EXPECT_TRUE(contains(reply.status.message(), "did not end within 500 ms"))
      << reply.status.message();
  EXPECT_LT(Clock::now() - start, 2s);
  EXPECT_GT(reply.usage.output_tokens, 0);
  EXPECT_EQ(fake_.streamEnd(0, 5s), StreamEnd::kClientClosed);
}

}  // namespace
}  // namespace switchboard::plugins::testing
