// Agents that run real processes under the gateway's supervisor, through the MCP surface:
// cost and resource figures of a parallel workflow over 20 command agents, the crash
// recovery ladder, budgets enforced on streamed usage, and secrets kept out of every view
// and every log line.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/core/surface/gateway_harness.hpp"
#include "tests/core/surface/log_capture.hpp"

namespace switchboard::core::testing {
namespace {

using namespace std::chrono_literals;

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout = 5s) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (condition()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return condition();
}

json shAgent(const std::string& name, const std::string& script, json extra = json::object()) {
  json config{{"argv", {"/bin/sh", "-c", script}}};
  for (auto& [k, v] : extra.items()) config[k] = v;
  return json{{"name", name}, {"type", "command"}, {"config", config}};
}

class SupervisedAgentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    harness_ = std::make_unique<GatewayHarness>("sqlite", dir_.path());
    ASSERT_TRUE(harness_->status().ok()) << harness_->status().toString();
  }
  std::string create(const json& args) {
    json result = harness_->callTool("agent_create", args);
    EXPECT_FALSE(GatewayHarness::isError(result)) << GatewayHarness::text(result);
    return result["structuredContent"]["agent"].value("id", "");
  }
  json agent(const std::string& id) {
    return harness_->callTool("agent_get", {{"agent_id", id}})["structuredContent"]["agent"];
  }
  TempDir dir_;
  std::unique_ptr<GatewayHarness> harness_;
};

TEST_F(SupervisedAgentsTest, AParallelRunOverTwentyCommandAgentsReportsCostAndResources) {
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i) {
    // Reads the request, burns a little CPU, reports its usage and cost.
    const std::string script =
        "cat >/dev/null; i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done; "
        "echo '{\"text\":\"worker " +
        std::to_string(i) +
        " done\",\"usage\":{\"input_tokens\":100,\"output_tokens\":" + std::to_string(10 + i) +
        ",\"cost_usd\":0.01}}'";
    ids.push_back(create(shAgent("worker-" + std::to_string(i), script)));
  }
  json run = harness_->callTool("workflow_run", {{"pattern", "parallel"},
                                                 {"agents", ids},
                                                 {"objective", "do your part"},
                                                 {"wait", true},
                                                 {"max_concurrency", 20}});
  ASSERT_FALSE(GatewayHarness::isError(run)) << GatewayHarness::text(run);
  const std::string ex = run["structuredContent"]["execution"]["id"];
  json got = harness_->callTool("execution_get", {{"execution_id", ex}, {"include_steps", true}});
  ASSERT_FALSE(GatewayHarness::isError(got)) << GatewayHarness::text(got);
  json e = got["structuredContent"]["execution"];
  EXPECT_EQ(e["status"], "completed") << e.dump();
  EXPECT_EQ(e["usage"]["input_tokens"], 2000);
  EXPECT_EQ(e["usage"]["output_tokens"], 20 * 10 + 190);
  EXPECT_NEAR(e["usage"]["cost_usd"].get<double>(), 0.20, 1e-9);
  EXPECT_GT(e["usage"]["cpu_ms"].get<double>(), 0.0);
  EXPECT_GT(e["usage"]["peak_rss_kb"].get<std::int64_t>(), 0);
  ASSERT_TRUE(e.contains("steps")) << e.dump();
  ASSERT_EQ(e["steps"].size(), 20u);
  for (const json& step : e["steps"]) {
    EXPECT_EQ(step["status"], "succeeded");
    EXPECT_NEAR(step["usage"]["cost_usd"].get<double>(), 0.01, 1e-12);
    EXPECT_GT(step["usage"]["peak_rss_kb"].get<std::int64_t>(), 0);
  }
  for (int i = 0; i < 20; ++i) {
    json a = agent(ids[static_cast<std::size_t>(i)]);
    EXPECT_EQ(a["counters"]["requests"], 1);
    EXPECT_EQ(a["counters"]["output_tokens"], 10 + i);
    EXPECT_NEAR(a["counters"]["cost_usd"].get<double>(), 0.01, 1e-12);
    EXPECT_GT(a["counters"]["peak_rss_kb"].get<std::int64_t>(), 0);
    EXPECT_EQ(a["resources"]["processes_started"], 1);
    EXPECT_EQ(a["resources"]["processes_running"], 0);
    EXPECT_GT(a["resources"]["cpu_ms"].get<double>(), 0.0);
    EXPECT_EQ(a["resources"]["crashes"], 0);
  }
}

TEST_F(SupervisedAgentsTest, ACrashedAgentIsRestartedTwiceThenMarkedFailed) {
  const std::string pid_file = (dir_.path() / "pid").string();
  const std::string id = create(
      shAgent("fragile", "echo $$ > " + pid_file + "; while read l; do echo '{\"ok\":true}'; done",
              {{"mode", "persistent"}}));
  auto readPid = [&]() -> int {
    std::ifstream in(pid_file);
    int pid = 0;
    in >> pid;
    return pid;
  };
  int pid = 0;
  ASSERT_TRUE(eventually([&] { return (pid = readPid()) > 0; }));
  json ok = harness_->callTool("agent_ask", {{"agent_id", id}, {"prompt", "are you there"}});
  ASSERT_FALSE(GatewayHarness::isError(ok)) << GatewayHarness::text(ok);

  // No request between the crashes: a success would reset the ladder.
  for (int crash = 1; crash <= 3; ++crash) {
    std::filesystem::remove(pid_file);
    auto killed_at = std::chrono::steady_clock::now();
    ASSERT_EQ(::kill(pid, SIGKILL), 0);  // not sent by the supervisor: a crash
    ASSERT_TRUE(eventually([&] { return agent(id)["health"]["crashes"] == crash; }, 1s))
        << "crash " << crash << " not detected within a second: " << agent(id).dump();
    EXPECT_LT(std::chrono::steady_clock::now() - killed_at, 1s);
    if (crash < 3) {
      pid = 0;
      ASSERT_TRUE(eventually([&] { return (pid = readPid()) > 0; })) << "not restarted";
      ASSERT_TRUE(eventually([&] { return agent(id)["health"]["restarts"] == crash; }));
      json a = agent(id);
      EXPECT_EQ(a["status"], "idle") << a.dump();
      EXPECT_EQ(a["health"]["consecutive_crashes"], crash);
      EXPECT_NE(a["status_reason"].get<std::string>().find(
                    "restarted by the supervisor after crash " + std::to_string(crash) + " of 3"),
                std::string::npos)
          << a.dump();
      EXPECT_EQ(a["resources"]["processes_running"], 1);
    } else {
      ASSERT_TRUE(eventually([&] { return agent(id)["status"] == "failed"; }, 1s))
          << agent(id).dump();
      json a = agent(id);
      EXPECT_NE(a["status_reason"].get<std::string>().find("crashed 3 times in a row"),
                std::string::npos)
          << a.dump();
      EXPECT_NE(a["status_reason"].get<std::string>().find("killed by signal 9"),
                std::string::npos);
      EXPECT_EQ(a["resources"]["processes_running"], 0);
      EXPECT_EQ(a["resources"]["crashes"], 3);
    }
  }
  json refused = harness_->callTool("agent_ask", {{"agent_id", id}, {"prompt", "hello?"}});
  EXPECT_TRUE(GatewayHarness::isError(refused));
  // A person's restart starts a fresh ladder and a fresh process.
  json restarted = harness_->callTool("agent_control", {{"agent_id", id}, {"action", "restart"}});
  ASSERT_FALSE(GatewayHarness::isError(restarted)) << GatewayHarness::text(restarted);
  EXPECT_EQ(agent(id)["health"]["consecutive_crashes"], 0);
  json served = harness_->callTool("agent_ask", {{"agent_id", id}, {"prompt", "back?"}});
  EXPECT_FALSE(GatewayHarness::isError(served)) << GatewayHarness::text(served);

  Result<std::vector<Event>> events = harness_->gateway().events().history(0, 10000, "agent/" + id);
  ASSERT_TRUE(events.ok()) << events.status().toString();
  int crashed = 0, restarts = 0;
  for (const Event& ev : *events) {
    if (ev.type != "agent.health") continue;
    json data = json::parse(ev.data_json);
    crashed += data["event"] == "crashed";
    restarts += data["event"] == "restarted";
  }
  EXPECT_GE(crashed, 3);
  EXPECT_GE(restarts, 2);
}

TEST_F(SupervisedAgentsTest, AnAgentBudgetEndsTheRunAsBudgetExceededWithWhatWasSpent) {
  // Each call reports 600 tokens; the agent may spend 1000 in its life.
  const std::string id =
      create(json{{"name", "spender"},
                  {"type", "command"},
                  {"config",
                   {{"argv",
                     {"/bin/sh", "-c",
                      "cat >/dev/null; echo '{\"text\":\"ok\",\"usage\":{\"input_tokens\":500,"
                      "\"output_tokens\":100,\"cost_usd\":0.5}}'"}}}},
                  {"limits", {{"budget", {{"max_tokens", 1000}}}}}});
  json steps = json::array({{{"prompt", "one"}, {"agent", id}},
                            {{"prompt", "two"}, {"agent", id}},
                            {{"prompt", "three"}, {"agent", id}}});
  json run = harness_->callTool(
      "workflow_run", {{"pattern", "sequential"}, {"params", {{"steps", steps}}}, {"wait", true}});
  ASSERT_FALSE(GatewayHarness::isError(run)) << GatewayHarness::text(run);
  json e = harness_->callTool("execution_get",
                              {{"execution_id", run["structuredContent"]["execution"]["id"]},
                               {"include_steps", true}})["structuredContent"]["execution"];
  EXPECT_EQ(e["status"], "budget_exceeded") << e.dump();
  EXPECT_NE(
      e["error"].get<std::string>().find("token budget of 1000 was exceeded (1200 tokens spent"),
      std::string::npos)
      << e.dump();
  ASSERT_EQ(e["steps"].size(), 2u);  // sequential: the third step was never planned
  EXPECT_EQ(e["steps"][0]["status"], "succeeded");
  EXPECT_EQ(e["steps"][1]["status"], "budget_exceeded");
  EXPECT_EQ(e["steps"][1]["attempts"], 1);  // not retried
  EXPECT_EQ(e["usage"]["input_tokens"], 1000);
}

TEST(SupervisedAgentsSecrets, NoSecretAppearsInResultsResourcesEventsOrLogs) {
  const std::string secret = "sk-live-SWITCHBOARD-SECRET-4242";
  LogCapture logs;
  TempDir dir;
  std::string seen;
  {
    GatewayHarness harness("sqlite", dir.path());
    ASSERT_TRUE(harness.status().ok()) << harness.status().toString();
    auto record = [&](const json& j) { seen += j.dump() + "\n"; };
    // The program proves it got the key (compared with a file only it reads) without
    // printing it.
    const std::string key_file = (dir.path() / "expected_key").string();
    std::ofstream(key_file) << secret;
    json args =
        shAgent("keyholder",
                "cat >/dev/null; if [ \"$OPENAI_API_KEY\" = \"$(cat " + key_file +
                    ")\" ]; then echo '{\"key_ok\":true}'; else echo '{\"key_ok\":false}'; fi",
                {{"env", {{"OPENAI_API_KEY", secret}, {"MODE", "fast"}}}});
    json created = harness.callTool("agent_create", args);
    record(created);
    ASSERT_FALSE(GatewayHarness::isError(created)) << GatewayHarness::text(created);
    const std::string id = created["structuredContent"]["agent"]["id"];
    EXPECT_EQ(created["structuredContent"]["agent"]["config"]["env"]["OPENAI_API_KEY"],
              "[redacted]");
    EXPECT_EQ(created["structuredContent"]["agent"]["config"]["env"]["MODE"], "fast");

    json got = harness.callTool("agent_get", {{"agent_id", id}});
    record(got);
    // Sending back the redacted config (as a client that edits what it read would) keeps the key.
    json config = got["structuredContent"]["agent"]["config"];
    config["env"]["MODE"] = "slow";
    json updated = harness.callTool("agent_update", {{"agent_id", id}, {"config", config}});
    record(updated);
    ASSERT_FALSE(GatewayHarness::isError(updated)) << GatewayHarness::text(updated);
    json asked = harness.callTool("agent_ask", {{"agent_id", id}, {"prompt", "check the key"}});
    record(asked);
    EXPECT_EQ(asked["structuredContent"]["output"]["key_ok"], true) << asked.dump();
    record(harness.callTool("agent_list", json::object()));
    record(harness.request("resources/read", {{"uri", "switchboard://agents/" + id}}));
    record(harness.request("resources/read", {{"uri", "switchboard://agents"}}));
    json run = harness.callTool(
        "workflow_run", {{"pattern", "sequential"},
                         {"params", {{"steps", json::array({{{"prompt", "go"}, {"agent", id}}})}}},
                         {"wait", true}});
    record(run);
    record(harness.callTool(
        "execution_get",
        {{"execution_id", run["structuredContent"]["execution"]["id"]}, {"include_steps", true}}));
    record(harness.callTool("system_status", json::object()));
    Result<std::vector<Event>> events = harness.gateway().events().history(0, 100000, "");
    ASSERT_TRUE(events.ok());
    for (const Event& e : *events) seen += e.data_json + "\n";
  }
  EXPECT_NE(seen.find("[redacted]"), std::string::npos);
  std::size_t at = seen.find(secret);
  EXPECT_EQ(at, std::string::npos)
      << "the secret leaked into a result, resource or event: "
      << seen.substr(at == std::string::npos ? 0 : (at > 300 ? at - 300 : 0), 400);
  EXPECT_FALSE(logs.text().empty());
  EXPECT_EQ(logs.text().find(secret), std::string::npos) << "the secret leaked into the log";
}

}  // namespace
}  // namespace switchboard::core::testing
