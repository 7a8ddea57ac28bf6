// The anthropic and openai agent types inside a real gateway, through the MCP surface,
// against a loopback fake model API: an answer's tokens and cost reach agent_get and
// execution_get, a 429 is retried, and the API key stays out of every result, resource,
// event and log line — even when the server quotes it back.
#include <gtest/gtest.h>

#include "tests/core/surface/gateway_harness.hpp"
#include "tests/core/surface/log_capture.hpp"
#include "tests/plugins/support/fake_model_server.hpp"

namespace switchboard::core::testing {
namespace {

using FakeServer = switchboard::plugins::testing::FakeModelServer;
using Reply = FakeServer::Reply;

constexpr const char* kSecret = "sk-ant-live-GATEWAY-SECRET-9191";

std::string message(const std::string& text, int in, int out) {
  return json{{"type", "message"},
              {"content", {{{"type", "text"}, {"text", text}}}},
              {"stop_reason", "end_turn"},
              {"usage", {{"input_tokens", in}, {"output_tokens", out}}}}
      .dump();
}

std::string echoingError(int status) {
  return json{{"type", "error"},
              {"error", {{"type", status == 429 ? "rate_limit_error" : "authentication_error"},
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
    json created = harness.callTool(
        "agent_create",
        {{"name", "writer"},
         {"type", "anthropic"},
         {"model", "claude-test"},
         {"config",
          {{"base_url", fake.url()},
           {"api_key", kSecret},
           {"retry_base_ms", 10},
           {"price", {{"input_per_mtok", 3.0}, {"output_per_mtok", 15.0}}}}}});
    record(created);
    ASSERT_FALSE(GatewayHarness::isError(created)) << GatewayHarness::text(created);
    const std::string id = created["structuredContent"]["agent"]["id"];
    EXPECT_EQ(created["structuredContent"]["agent"]["config"]["api_key"], "[redacted]");

    fake.script({Reply{429, echoingError(429), {{"Retry-After", "0"}}}, Reply{200, message("Drafted.", 1000, 100)}});
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

    fake.script({Reply{200, message("Step done.", 2000, 200)}});
    json run = harness.callTool("workflow_run", {{"pattern", "sequential"},
                                                 {"params", {{"steps", json::array({{{"prompt", "go"}, {"agent", id}}})}}},
                                                 {"wait", true}});
    record(run);
    json e = harness.callTool("execution_get", {{"execution_id", run["structuredContent"]["execution"]["id"]},
                                                {"include_steps", true}});
    record(e);
    json execution = e["structuredContent"]["execution"];
    EXPECT_EQ(execution["status"], "completed") << execution.dump();
    EXPECT_EQ(execution["usage"]["input_tokens"], 2000);
    EXPECT_NEAR(execution["usage"]["cost_usd"].get<double>(), (2000 * 3.0 + 200 * 15.0) / 1e6, 1e-9);

    fake.script({Reply{401, echoingError(401)}});
    json refused = harness.callTool("agent_ask", {{"agent_id", id}, {"prompt", "Again."}});
    record(refused);
    EXPECT_TRUE(GatewayHarness::isError(refused));
    EXPECT_NE(GatewayHarness::text(refused).find("authentication_error"), std::string::npos)
        << GatewayHarness::text(refused);
    record(harness.callTool("agent_list", json::object()));
    record(harness.request("resources/read", {{"uri", "switchboard://agents/" + id}}));
    record(harness.callTool("system_status", json::object()));
    Result<std::vector<Event>> events = harness.gateway().events().history(0, 100000, "");
    ASSERT_TRUE(events.ok());
    for (const Event& ev : *events) seen += ev.data_json + "\n";
  }
  EXPECT_NE(seen.find("[redacted]"), std::string::npos);
  std::size_t at = seen.find(kSecret);
  EXPECT_EQ(at, std::string::npos) << "the key leaked into a result, resource or event: "
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
  json created = harness.callTool("agent_create", {{"name", "local"},
                                                   {"type", "openai"},
                                                   {"model", "llama-local"},
                                                   {"config", {{"base_url", fake.url() + "/v1"}, {"api_key_env", "SB_TEST_UNSET_OPENAI"}}}});
  ASSERT_FALSE(GatewayHarness::isError(created)) << GatewayHarness::text(created);
  const std::string id = created["structuredContent"]["agent"]["id"];
  fake.script({Reply{200, json{{"choices", {{{"message", {{"role", "assistant"}, {"content", "local hi"}}},
                                             {"finish_reason", "stop"}}}},
                               {"usage", {{"prompt_tokens", 7}, {"completion_tokens", 3}}}}
                              .dump()}});
  json asked = harness.callTool("agent_ask", {{"agent_id", id}, {"prompt", "hi"}});
  ASSERT_FALSE(GatewayHarness::isError(asked)) << GatewayHarness::text(asked);
  EXPECT_EQ(asked["structuredContent"]["output"]["text"], "local hi");
  json counters = harness.callTool("agent_get", {{"agent_id", id}})["structuredContent"]["agent"]["counters"];
  EXPECT_EQ(counters["input_tokens"], 7);
  EXPECT_EQ(counters["output_tokens"], 3);
  EXPECT_EQ(counters["cost_usd"], 0.0);  // no price given
}

}  // namespace
}  // namespace switchboard::core::testing
