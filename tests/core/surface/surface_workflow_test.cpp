// workflow_run beyond the happy path: progress notifications while waiting, control of a
// running execution, cancellation of the MCP request, resources and their notifications,
// and a gateway restart on sqlite.
#include <gtest/gtest.h>

#include <thread>

#include "mcp/protocol/session.hpp"
#include "tests/core/surface/gateway_harness.hpp"

namespace switchboard::core::testing {
namespace {

json slowAgent(int latency_ms) { return json{{"latency_ms", latency_ms}}; }

class SurfaceWorkflowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    harness_ = std::make_unique<GatewayHarness>("memory", dir_.path());
    ASSERT_TRUE(harness_->status().ok()) << harness_->status().toString();
  }
  std::string statusOf(const std::string& id) {
    json got =
        harness_->callTool("execution_get", {{"execution_id", id}, {"include_steps", false}});
    return got["structuredContent"]["execution"].value("status", "");
  }
  TempDir dir_;
  std::unique_ptr<GatewayHarness> harness_;
};

TEST_F(SurfaceWorkflowTest, WaitSendsProgressAsStepsSettle) {
  harness_->makeAgent("a", slowAgent(30));
  auto stream = std::make_shared<RecordingStream>();
  json run = harness_->callTool(
      "workflow_run",
      {{"pattern", "sequential"},
       {"objective", "count"},
       {"wait", true},
       {"params",
        {{"steps",
          json::array({{{"prompt", "one"}}, {{"prompt", "two"}}, {{"prompt", "three"}}})}}}},
      stream, json{{"progressToken", "tok-1"}});
  ASSERT_FALSE(GatewayHarness::isError(run)) << GatewayHarness::text(run);
  EXPECT_EQ(run["structuredContent"]["execution"]["status"], "completed");
  int progress = 0;
  double last = -1;
  for (const json& message : stream->pushed()) {
    if (message.value("method", "") != "notifications/progress") continue;
    ++progress;
    EXPECT_EQ(message["params"]["progressToken"], "tok-1");
    EXPECT_GT(message["params"]["progress"].get<double>(), last);
    last = message["params"]["progress"].get<double>();
  }
  EXPECT_GE(progress, 2) << "expected a progress notification per settled step";
}

TEST_F(SurfaceWorkflowTest, RunReturnsAtOnceAndCanBePausedResumedAndCancelled) {
  harness_->makeAgent("slow", slowAgent(300));
  json steps = json::array();
  for (int i = 0; i < 6; ++i) steps.push_back({{"prompt", "step " + std::to_string(i)}});
  json run = harness_->callTool("workflow_run",
                                {{"pattern", "sequential"}, {"params", {{"steps", steps}}}});
  ASSERT_FALSE(GatewayHarness::isError(run)) << GatewayHarness::text(run);
  std::string id = run["structuredContent"]["execution"]["id"];
  std::string first = run["structuredContent"]["execution"]["status"];
  EXPECT_TRUE(first == "queued" || first == "running") << first;

  json paused =
      harness_->callTool("execution_control", {{"execution_id", id}, {"action", "pause"}});
  ASSERT_FALSE(GatewayHarness::isError(paused)) << GatewayHarness::text(paused);
  EXPECT_EQ(paused["structuredContent"]["execution"]["status"], "paused");
  json again = harness_->callTool("execution_control", {{"execution_id", id}, {"action", "pause"}});
  EXPECT_TRUE(GatewayHarness::isError(again));
  json resumed =
      harness_->callTool("execution_control", {{"execution_id", id}, {"action", "resume"}});
  EXPECT_FALSE(GatewayHarness::isError(resumed)) << GatewayHarness::text(resumed);
  json cancelled =
      harness_->callTool("execution_control", {{"execution_id", id}, {"action", "cancel"}});
  ASSERT_FALSE(GatewayHarness::isError(cancelled)) << GatewayHarness::text(cancelled);
  ASSERT_TRUE(harness_->gateway().engine().waitFor(id, 10000).ok());
  EXPECT_EQ(statusOf(id), "cancelled");
  json rewind_without_step =
      harness_->callTool("execution_control", {{"execution_id", id}, {"action", "rewind"}});
  EXPECT_TRUE(GatewayHarness::isError(rewind_without_step));
}

TEST_F(SurfaceWorkflowTest, CancellingTheRequestCancelsTheExecution) {
  harness_->makeAgent("slow", slowAgent(5000));
  auto session = std::make_shared<mcp::protocol::Session>("s1");
  auto stream = std::make_shared<RecordingStream>();
  json params{{"name", "workflow_run"},
              {"arguments", {{"pattern", "sequential"}, {"objective", "wait"}, {"wait", true}}}};
  std::thread caller(
      [&] { harness_->request("tools/call", params, stream, session, json("req-7")); });
  // Wait until the execution exists, then cancel the request as notifications/cancelled does.
  std::string id;
  for (int i = 0; i < 100 && id.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    json list = harness_->callTool("execution_list", json::object());
    if (!list["structuredContent"]["executions"].empty()) {
      id = list["structuredContent"]["executions"][0]["id"];
    }
  }
  ASSERT_FALSE(id.empty());
  EXPECT_TRUE(session->cancel(json("req-7")));
  caller.join();
  ASSERT_TRUE(harness_->gateway().engine().waitFor(id, 10000).ok());
  EXPECT_EQ(statusOf(id), "cancelled");
}

TEST_F(SurfaceWorkflowTest, ResourcesShowStateAndNotifySubscribers) {
  auto session = std::make_shared<mcp::protocol::Session>("s2");
  std::mutex mu;
  std::vector<json> notes;
  session->initialize("2025-11-25", json::object());
  session->markInitialized();
  session->setSink([&](const json& message) {
    std::lock_guard<std::mutex> lock(mu);
    notes.push_back(message);
    return true;
  });
  harness_->gateway().server().attachSession(session);
  json sub =
      harness_->request("resources/subscribe", {{"uri", "switchboard://agents"}}, nullptr, session);
  EXPECT_TRUE(sub.contains("result")) << sub.dump();

  std::string agent = harness_->makeAgent("watched", slowAgent(1));
  json read = harness_->request("resources/read", {{"uri", "switchboard://agents/" + agent}});
  ASSERT_TRUE(read.contains("result")) << read.dump();
  json shown = json::parse(read["result"]["contents"][0]["text"].get<std::string>());
  EXPECT_EQ(shown["name"], "watched");
  json all = harness_->request("resources/read", {{"uri", "switchboard://agents"}});
  EXPECT_NE(all["result"]["contents"][0]["text"].get<std::string>().find("watched"),
            std::string::npos);

  json task = harness_->callTool("task_create", {{"title", "look"}});
  std::string task_id = task["structuredContent"]["task"]["id"];
  json task_read = harness_->request("resources/read", {{"uri", "switchboard://tasks/" + task_id}});
  EXPECT_TRUE(task_read.contains("result")) << task_read.dump();

  json run = harness_->callTool("workflow_run",
                                {{"pattern", "sequential"}, {"objective", "x"}, {"wait", true}});
  std::string ex = run["structuredContent"]["execution"]["id"];
  json ex_read = harness_->request("resources/read", {{"uri", "switchboard://executions/" + ex}});
  EXPECT_TRUE(ex_read.contains("result")) << ex_read.dump();
  json events =
      harness_->request("resources/read", {{"uri", "switchboard://executions/" + ex + "/events"}});
  ASSERT_TRUE(events.contains("result")) << events.dump();
  json log = json::parse(events["result"]["contents"][0]["text"].get<std::string>());
  EXPECT_GE(log["events"].size(), 3u);
  json plugins = harness_->request("resources/read", {{"uri", "switchboard://plugins"}});
  EXPECT_TRUE(plugins.contains("result"));
  json missing = harness_->request("resources/read", {{"uri", "switchboard://executions/ex_none"}});
  EXPECT_TRUE(missing.contains("error")) << missing.dump();

  bool notified = false;
  for (int i = 0; i < 50 && !notified; ++i) {
    {
      std::lock_guard<std::mutex> lock(mu);
      for (const json& n : notes) {
        if (n.value("method", "") == "notifications/resources/updated" &&
            n["params"]["uri"] == "switchboard://agents") {
          notified = true;
        }
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(notified);
}

TEST(GatewayTest, StartsStopsAndKeepsStateOnSqlite) {
  TempDir dir;
  std::string agent;
  {
    GatewayHarness first("sqlite", dir.path());
    ASSERT_TRUE(first.status().ok()) << first.status().toString();
    agent = first.makeAgent("durable", json{{"latency_ms", 1}});
    json run = first.callTool("workflow_run",
                              {{"pattern", "sequential"}, {"objective", "x"}, {"wait", true}});
    EXPECT_EQ(run["structuredContent"]["execution"]["status"], "completed");
    first.gateway().shutdown();
    first.gateway().shutdown();  // idempotent
  }
  GatewayHarness second("sqlite", dir.path());
  ASSERT_TRUE(second.status().ok()) << second.status().toString();
  json got = second.callTool("agent_get", {{"agent_id", "durable"}});
  EXPECT_EQ(got["structuredContent"]["agent"]["id"], agent);
  EXPECT_EQ(got["structuredContent"]["agent"]["counters"]["requests"], 1);
  json list = second.callTool("execution_list", json::object());
  EXPECT_EQ(list["structuredContent"]["executions"].size(), 1u);
}

TEST(GatewayTest, UnknownStorageIsAClearStartError) {
  TempDir dir;
  GatewayHarness harness("no-such-store", dir.path());
  EXPECT_EQ(harness.status().code(), StatusCode::kNotFound);
  EXPECT_NE(harness.status().message().find("no-such-store"), std::string::npos);
}

}  // namespace
}  // namespace switchboard::core::testing
