// The anthropic and openai agent types inside a real gateway, through the MCP surface,
// against a loopback fake model API that streams: an answer's tokens and cost reach
// agent_get and execution_get, a 429 is retried, the API key stays out of every result,
// resource, event and log line — even when the server quotes it back, in an error body or
// in an error event mid-stream; an execution or agent budget broken while an answer streams
// stops it (the fake sees the connection closed) and ends budget_exceeded with what was
// spent; a conversation kept in memory survives a gateway restart.
#include <gtest/gtest.h>

#include "tests/core/surface/gateway_harness.hpp"
#include "tests/core/surface/log_capture.hpp"
#include "tests/plugins/agent/model_api/stream_events.hpp"
#include "tests/plugins/support/fake_model_server.hpp"

namespace switchboard::core::testing {
namespace {

using FakeServer = switchboard::plugins::testing::FakeModelServer;
using Reply = FakeServer::Reply;
using StreamEnd = FakeServer::StreamEnd;
using Events = switchboard::plugins::testing::AnthropicEvents;
using namespace std::chrono_literals;

constexpr const char* kSecret = "sk-ant-live-GATEWAY-SECRET-9191";

Reply message(const std::string& text, int in, int out) {
  return Reply::stream(Events::answer({text}, in, out));
}

// A long answer streamed slowly: after message_start (100 input tokens), 40 deltas of 40
// bytes, 30 ms apart. At $3/$15 per million tokens the prompt costs $0.0003 and each delta
// about $0.00015 (10 estimated tokens); the whole answer 400 output tokens, $0.0063.
std::vector<std::string> slowAnswer() {
  return Events::answer(std::vector<std::string>(40, std::string(40, 'x')), 100, 400);
}

json pricedAgent(const FakeServer& fake, const std::string& name) {
  return {{"name", name},
          {"type", "anthropic"},
          {"model", "claude-test"},
          {"config",
           {{"base_url", fake.url()},
            {"api_key", kSecret},
            {"retry_base_ms", 10},
            {"price", {{"input_per_mtok", 3.0}, {"output_per_mtok", 15.0}}}}}};
}

std::string echoingError(int status) {
  return json{{"type", "error"},
              {"error",
               {{"type", status == 429 ? "rate_limit_error" : "authentication_error"},
                {"message", std::string("bad or throttled key ") + kSecret}}}}
      .dump();
}

TEST(ModelApiGateway, CostsReachTheViewsAndTheKeyNeverLeaks) {
  FakeServer fake;
  ASSERT_TRUE(fake.running());
  LogCapture logs;
  TempDir dir;
  std::string seen;
  {
    GatewayHarness harness("sqlite", dir.path());
    ASSERT_TRUE(harness.status().ok()) << harness.status().toString();
    auto record = [&](const json& j) { seen += j.dump() + "\n"; };
    json created = harness.callTool("agent_create", pricedAgent(fake, "writer"));
    record(created);
    ASSERT_FALSE(GatewayHarness::isError(created)) << GatewayHarness::text(created);
    const std::string id = created["structuredContent"]["agent"]["id"];
    EXPECT_EQ(created["structuredContent"]["agent"]["config"]["api_key"], "[redacted]");

    fake.script(
        {Reply{429, echoingError(429), {{"Retry-After", "0"}}}, message("Drafted.", 1000, 100)});
    json asked = harness.callTool("agent_ask", {{"agent_id", id}, {"prompt", "Draft it."}});
    record(asked);
    ASSERT_FALSE(GatewayHarness::isError(asked)) << GatewayHarness::text(asked);
    EXPECT_EQ(asked["structuredContent"]["output"]["text"], "Drafted.");
    ASSERT_EQ(fake.received().size(), 2u);
    EXPECT_EQ(fake.received()[1].headers["x-api-key"], kSecret);  // the key did reach the API

    json agent = harness.callTool("agent_get", {{"agent_id", id}});
    record(agent);
    json counters = agent["structuredContent"]["agent"]["counters"];
    EXPECT_EQ(counters["requests"], 1) << counters.dump();
    EXPECT_EQ(counters["input_tokens"], 1000);
    EXPECT_EQ(counters["output_tokens"], 100);
    EXPECT_NEAR(counters["cost_usd"].get<double>(), (1000 * 3.0 + 100 * 15.0) / 1e6, 1e-9);

    fake.script({message("Step done.", 2000, 200)});
    json run = harness.callTool(
        "workflow_run", {{"pattern", "sequential"},
                         {"params", {{"steps", json::array({{{"prompt", "go"}, {"agent", id}}})}}},
                         {"wait", true}});
    record(run);
    json e = harness.callTool(
        "execution_get",
        {{"execution_id", run["structuredContent"]["execution"]["id"]}, {"include_steps", true}});
    record(e);
    json execution = e["structuredContent"]["execution"];
    EXPECT_EQ(execution["status"], "completed") << execution.dump();
    EXPECT_EQ(execution["usage"]["input_tokens"], 2000);
    EXPECT_NEAR(execution["usage"]["cost_usd"].get<double>(), (2000 * 3.0 + 200 * 15.0) / 1e6,
                1e-9);

    fake.script({Reply{401, echoingError(401)}});
    json refused = harness.callTool("agent_ask", {{"agent_id", id}, {"prompt", "Again."}});
    record(refused);
    EXPECT_TRUE(GatewayHarness::isError(refused));
    EXPECT_NE(GatewayHarness::text(refused).find("authentication_error"), std::string::npos)
        << GatewayHarness::text(refused);
    fake.script({Reply::stream(
        {Events::start(5),
         Events::error("authentication_error", std::string("key ") + kSecret + " revoked")})});
    json mid = harness.callTool("agent_ask", {{"agent_id", id}, {"prompt", "Once more."}});
    record(mid);
    EXPECT_TRUE(GatewayHarness::isError(mid));
    EXPECT_NE(GatewayHarness::text(mid).find(
                  "error mid-stream: authentication_error: key [redacted] revoked"),
              std::string::npos)
        << GatewayHarness::text(mid);
    record(harness.callTool("agent_list", json::object()));
    record(harness.request("resources/read", {{"uri", "switchboard://agents/" + id}}));
    record(harness.callTool("system_status", json::object()));
    Result<std::vector<Event>> events = harness.gateway().events().history(0, 100000, "");
    ASSERT_TRUE(events.ok());
    for (const Event& ev : *events) seen += ev.data_json + "\n";
  }
  EXPECT_NE(seen.find("[redacted]"), std::string::npos);
  std::size_t at = seen.find(kSecret);
  EXPECT_EQ(at, std::string::npos)
      << "the key leaked into a result, resource or event: "
      << seen.substr(at == std::string::npos ? 0 : (at > 300 ? at - 300 : 0), 400);
  EXPECT_NE(logs.text().find("retry 1 of 3"), std::string::npos) << "the retry was not logged";
  EXPECT_EQ(logs.text().find(kSecret), std::string::npos) << "the key leaked into the log";
}

TEST(ModelApiGateway, AnOpenAICompatibleLocalServerWorksWithoutAKey) {
  FakeServer fake;
  ASSERT_TRUE(fake.running());
  TempDir dir;
  GatewayHarness harness("memory", dir.path());
  ASSERT_TRUE(harness.status().ok()) << harness.status().toString();
  json created = harness.callTool(
      "agent_create",
      {{"name", "local"},
       {"type", "openai"},
       {"model", "llama-local"},
       {"config", {{"base_url", fake.url() + "/v1"}, {"api_key_env", "SB_TEST_UNSET_OPENAI"}}}});
  ASSERT_FALSE(GatewayHarness::isError(created)) << GatewayHarness::text(created);
  const std::string id = created["structuredContent"]["agent"]["id"];
  fake.script(
      {Reply::stream(switchboard::plugins::testing::OpenAIEvents::answer({"local ", "hi"}, 7, 3))});
  json asked = harness.callTool("agent_ask", {{"agent_id", id}, {"prompt", "hi"}});
  ASSERT_FALSE(GatewayHarness::isError(asked)) << GatewayHarness::text(asked);
  EXPECT_EQ(asked["structuredContent"]["output"]["text"], "local hi");
  json counters =
      harness.callTool("agent_get", {{"agent_id", id}})["structuredContent"]["agent"]["counters"];
  EXPECT_EQ(counters["input_tokens"], 7);
  EXPECT_EQ(counters["output_tokens"], 3);
  EXPECT_EQ(counters["cost_usd"], 0.0);  // no price given
}

TEST(ModelApiGateway, AnExecutionBudgetBrokenMidStreamStopsTheAnswerAsBudgetExceeded) {
  FakeServer fake;
  ASSERT_TRUE(fake.running());
  TempDir dir;
  GatewayHarness harness("sqlite", dir.path());
  ASSERT_TRUE(harness.status().ok()) << harness.status().toString();
  json created = harness.callTool("agent_create", pricedAgent(fake, "essayist"));
  ASSERT_FALSE(GatewayHarness::isError(created)) << GatewayHarness::text(created);
  const std::string id = created["structuredContent"]["agent"]["id"];
  const std::vector<std::string> events = slowAnswer();
  fake.script({Reply::stream(events, /*gap_ms=*/30)});
  json steps = json::array({{{"prompt", "Write a long essay."}, {"agent", id}},
                            {{"prompt", "And another."}, {"agent", id}}});
  json run = harness.callTool("workflow_run", {{"pattern", "sequential"},
                                               {"params", {{"steps", steps}}},
                                               {"budget", {{"max_cost_usd", 0.001}}},
                                               {"wait", true}});
  ASSERT_FALSE(GatewayHarness::isError(run)) << GatewayHarness::text(run);
  json e = harness.callTool("execution_get",
                            {{"execution_id", run["structuredContent"]["execution"]["id"]},
                             {"include_steps", true}})["structuredContent"]["execution"];
  EXPECT_EQ(e["status"], "budget_exceeded") << e.dump();
  ASSERT_EQ(e["steps"].size(), 1u) << e.dump();
  EXPECT_EQ(e["steps"][0]["status"], "budget_exceeded") << e.dump();
  EXPECT_EQ(e["steps"][0]["attempts"], 1);
  EXPECT_NE(e["error"].get<std::string>().find("budget"), std::string::npos) << e["error"];
  EXPECT_NE(e["error"].get<std::string>().find("spent"), std::string::npos) << e["error"];
  // What was spent: the prompt and part of the answer, over the budget but far from all of it.
  EXPECT_EQ(e["usage"]["input_tokens"], 100) << e["usage"].dump();
  EXPECT_GT(e["usage"]["cost_usd"].get<double>(), 0.001) << e["usage"].dump();
  EXPECT_LT(e["usage"]["output_tokens"].get<std::int64_t>(), 200) << e["usage"].dump();
  std::size_t sent = 0;
  EXPECT_EQ(fake.streamEnd(0, 5s, &sent), StreamEnd::kClientClosed);
  EXPECT_LT(sent, events.size());
  EXPECT_EQ(fake.received().size(), 1u);  // neither retried nor followed by the second step
}

TEST(ModelApiGateway, AnAgentBudgetBrokenMidStreamStopsTheAnswerWithWhatWasSpent) {
  FakeServer fake;
  ASSERT_TRUE(fake.running());
  TempDir dir;
  GatewayHarness harness("memory", dir.path());
  ASSERT_TRUE(harness.status().ok()) << harness.status().toString();
  json spec = pricedAgent(fake, "capped");
  spec["limits"] = {{"budget", {{"max_cost_usd", 0.001}}}};
  json created = harness.callTool("agent_create", spec);
  ASSERT_FALSE(GatewayHarness::isError(created)) << GatewayHarness::text(created);
  const std::string id = created["structuredContent"]["agent"]["id"];
  const std::vector<std::string> events = slowAnswer();
  fake.script({Reply::stream(events, /*gap_ms=*/30)});
  json asked = harness.callTool("agent_ask", {{"agent_id", id}, {"prompt", "Write at length."}});
  EXPECT_TRUE(GatewayHarness::isError(asked)) << asked.dump();
  const std::string text = GatewayHarness::text(asked);
  EXPECT_NE(text.find("budget"), std::string::npos) << text;
  EXPECT_NE(text.find("spen"), std::string::npos) << text;  // spent / spending
  std::size_t sent = 0;
  EXPECT_EQ(fake.streamEnd(0, 5s, &sent), StreamEnd::kClientClosed);
  EXPECT_LT(sent, events.size());
  json counters =
      harness.callTool("agent_get", {{"agent_id", id}})["structuredContent"]["agent"]["counters"];
  EXPECT_EQ(counters["input_tokens"], 100) << counters.dump();
  EXPECT_GT(counters["cost_usd"].get<double>(), 0.001) << counters.dump();
  EXPECT_LT(counters["output_tokens"].get<std::int64_t>(), 200) << counters.dump();
}

TEST(ModelApiGateway, AConversationKeptInMemorySurvivesAGatewayRestart) {
  FakeServer fake;
  ASSERT_TRUE(fake.running());
  TempDir dir;
  std::string id;
  {
    GatewayHarness harness("sqlite", dir.path());
    ASSERT_TRUE(harness.status().ok()) << harness.status().toString();
    json spec = pricedAgent(fake, "pal");
    spec["config"]["memory"] = {{"max_turns", 10}};
    json created = harness.callTool("agent_create", spec);
    ASSERT_FALSE(GatewayHarness::isError(created)) << GatewayHarness::text(created);
    id = created["structuredContent"]["agent"]["id"];
    fake.script({message("Noted: blue.", 20, 4)});
    json asked =
        harness.callTool("agent_ask", {{"agent_id", id}, {"prompt", "My colour is blue."}});
    ASSERT_FALSE(GatewayHarness::isError(asked)) << GatewayHarness::text(asked);
  }
  GatewayHarness restarted("sqlite", dir.path());
  ASSERT_TRUE(restarted.status().ok()) << restarted.status().toString();
  fake.script({message("Blue.", 30, 2)});
  json asked =
      restarted.callTool("agent_ask", {{"agent_id", id}, {"prompt", "What is my colour?"}});
  ASSERT_FALSE(GatewayHarness::isError(asked)) << GatewayHarness::text(asked);
  ASSERT_EQ(fake.received().size(), 1u);
  json sent = json::parse(fake.received()[0].body)["messages"];
  EXPECT_EQ(sent, json::parse(R"([{"role":"user","content":"My colour is blue."},
                                  {"role":"assistant","content":"Noted: blue."},
                                  {"role":"user","content":"What is my colour?"}])"))
      << sent.dump();
}

}  // namespace
}  // namespace switchboard::core::testing
