// workflow_run as an MCP task (2026-07-28 Tasks extension) on a real gateway: the task is
// the durable execution — its status follows the execution, tasks/get returns what
// workflow_run with wait returns, tasks/cancel cancels the execution and its in-flight
// agent calls, and the task is still there after a restart on sqlite.
#include "core/surface/workflow_tasks.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "mcp/protocol/client_context.hpp"
#include "tests/core/surface/gateway_harness.hpp"

namespace switchboard::core::testing {
namespace {

const json kTasks = {{"extensions", {{"io.modelcontextprotocol/tasks", json::object()}}}};

json run(const std::string& agent, int steps) {
  json list = json::array();
  for (int i = 0; i < steps; ++i)
    list.push_back({{"agent", agent}, {"prompt", "step " + std::to_string(i)}});
  return {{"pattern", "sequential"},
          {"wait", true},
          {"agents", {agent}},
          {"params", {{"steps", list}}}};
}

json createTask(GatewayHarness& h, const json& args) {
  return h.modernRequest("tools/call", {{"name", "workflow_run"}, {"arguments", args}}, kTasks);
}

json getTask(GatewayHarness& h, const std::string& id) {
  return h.modernRequest("tasks/get", {{"taskId", id}}, kTasks);
}

// tasks/get until the task is terminal (or `seconds` pass); the last tasks/get result.
json pollTerminal(GatewayHarness& h, const std::string& id, int seconds = 30) {
  json task;
  for (int i = 0; i < seconds * 20; ++i) {
    task = getTask(h, id)["result"];
    std::string status = task.value("status", "");
    if (status == "completed" || status == "failed" || status == "cancelled") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return task;
}

class WorkflowTasksTest : public ::testing::Test {
 protected:
  void start(const std::string& storage) {
    harness_ = std::make_unique<GatewayHarness>(storage, dir_.path());
    ASSERT_TRUE(harness_->status().ok()) << harness_->status().toString();
  }
  TempDir dir_;
  std::unique_ptr<GatewayHarness> harness_;
};

TEST_F(WorkflowTasksTest, WaitBecomesATaskWhoseResultIsWhatWorkflowRunReturns) {
  start("memory");
  std::string agent = harness_->makeAgent("a", {{"latency_ms", 40}, {"default_reply", "done"}});
  json created = createTask(*harness_, run(agent, 3));
  json& c = created["result"];
  ASSERT_EQ(c["resultType"], "task") << created.dump();
  EXPECT_EQ(c["status"], "working");
  EXPECT_TRUE(c["ttlMs"].is_null());
  EXPECT_EQ(c["pollIntervalMs"], 1000);
  EXPECT_NE(c["statusMessage"].get<std::string>().find("execution ex_"), std::string::npos);
  EXPECT_FALSE(c.contains("content"));
  std::string id = c["taskId"];
  EXPECT_TRUE(getTask(*harness_, id).contains("result"));  // readable at once

  json task = pollTerminal(*harness_, id);
  ASSERT_EQ(task["status"], "completed") << task.dump();
  const json& result = task["result"];
  EXPECT_EQ(result["resultType"], "complete");
  const json& execution = result["structuredContent"]["execution"];
  EXPECT_EQ(execution["status"], "completed");
  ASSERT_EQ(execution["steps"].size(), 3u);
  EXPECT_EQ(execution["steps"][2]["output"], json({{"text", "done"}}));
  // The same shape as the synchronous call (the text differs only in the execution id).
  json sync = harness_->callTool("workflow_run", run(agent, 3));
  EXPECT_EQ(sync["structuredContent"]["execution"]["status"], "completed");
  for (const auto& [key, value] : sync["structuredContent"]["execution"].items()) {
    EXPECT_TRUE(execution.contains(key)) << key;
  }
  EXPECT_EQ(GatewayHarness::text(result).find("execution " + execution["id"].get<std::string>()),
            0u);
  // execution_get agrees with the task.
  json view = harness_->callTool("execution_get", {{"execution_id", execution["id"]}});
  EXPECT_EQ(view["structuredContent"]["execution"]["status"], "completed");
}

TEST_F(WorkflowTasksTest, WithoutTheExtensionOrWithoutWaitNothingChanges) {
  start("memory");
  std::string agent = harness_->makeAgent("a", {{"latency_ms", 10}});
  json sync = harness_->modernRequest(
      "tools/call", {{"name", "workflow_run"}, {"arguments", run(agent, 1)}}, json::object());
  EXPECT_EQ(sync["result"]["resultType"], "complete") << sync.dump();
  EXPECT_EQ(sync["result"]["structuredContent"]["execution"]["status"], "completed");
  json args = run(agent, 1);
  args["wait"] = false;
  json at_once = createTask(*harness_, args);
  EXPECT_EQ(at_once["result"]["resultType"], "complete") << at_once.dump();
  EXPECT_FALSE(at_once["result"].contains("taskId"));
  // Bad arguments are a tool error, never a task.
  json bad = createTask(*harness_, {{"pattern", "no-such-pattern"}, {"wait", true}});
  EXPECT_EQ(bad["result"]["isError"], true) << bad.dump();
}

TEST_F(WorkflowTasksTest, CancelCancelsTheExecutionAndItsInFlightAgentCall) {
  start("memory");
  std::string agent = harness_->makeAgent("slow", {{"latency_ms", 20000}});
  json created = createTask(*harness_, run(agent, 3));
  std::string id = created["result"]["taskId"];
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  json ack = harness_->modernRequest("tasks/cancel", {{"taskId", id}}, kTasks);
  EXPECT_EQ(ack["result"]["resultType"], "complete") << ack.dump();
  auto start = std::chrono::steady_clock::now();
  json task = pollTerminal(*harness_, id, 10);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  ASSERT_EQ(task["status"], "cancelled") << task.dump();
  EXPECT_FALSE(task.contains("result"));
  std::string message = task["statusMessage"];
  std::string execution = message.substr(10, message.find(' ', 10) - 10);  // "execution <id> ..."
  json view = harness_->callTool("execution_get", {{"execution_id", execution}});
  EXPECT_EQ(view["structuredContent"]["execution"]["status"], "cancelled");
  EXPECT_EQ(view["structuredContent"]["execution"]["steps"][0]["status"], "cancelled");
  // Cancel again: the same ack.
  ack = harness_->modernRequest("tasks/cancel", {{"taskId", id}}, kTasks);
  EXPECT_EQ(ack["result"]["resultType"], "complete");
}

TEST_F(WorkflowTasksTest, ListenStreamsHearTheExecutionEnd) {
  start("memory");
  std::string agent = harness_->makeAgent("a", {{"latency_ms", 300}});
  json created = createTask(*harness_, run(agent, 2));
  std::string id = created["result"]["taskId"];
  auto listen = std::make_shared<RecordingStream>();
  mcp::server::Call call;
  call.request.kind = mcp::jsonrpc::MessageKind::kRequest;
  call.request.id = "L1";
  call.request.method = "subscriptions/listen";
  call.request.params = {{"notifications", {{"taskIds", {id}}}}};
  call.client.era = mcp::protocol::Era::kModern;
  call.client.version = "2026-07-28";
  call.client.setCapabilities(kTasks);
  call.stream = listen;
  harness_->gateway().server().handleRequest(std::move(call));
  json last;
  for (int i = 0; i < 400; ++i) {
    auto pushed = listen->pushed();
    if (!pushed.empty()) last = pushed.back();
    if (last.value("method", "") == "notifications/tasks" &&
        last["params"]["status"] == "completed")
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ASSERT_EQ(last.value("method", ""), "notifications/tasks") << last.dump();
  EXPECT_EQ(last["params"]["taskId"], id);
  EXPECT_EQ(last["params"]["status"], "completed");
  EXPECT_EQ(last["params"]["result"]["structuredContent"]["execution"]["status"], "completed");
  EXPECT_EQ(listen->pushed()[0]["params"]["notifications"]["taskIds"], json::array({id}));
}

TEST_F(WorkflowTasksTest, ATaskSurvivesARestartOfTheGateway) {
  start("sqlite");
  std::string agent = harness_->makeAgent("a", {{"latency_ms", 700}, {"default_reply", "ok"}});
  json created = createTask(*harness_, run(agent, 3));
  std::string id = created["result"]["taskId"];
  ASSERT_FALSE(id.empty()) << created.dump();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  harness_.reset();  // the gateway goes away with the execution in flight
  start("sqlite");
  json first = getTask(*harness_, id);
  ASSERT_TRUE(first.contains("result")) << first.dump();
  json task = pollTerminal(*harness_, id, 60);
  ASSERT_EQ(task["status"], "completed") << task.dump();
  const json& execution = task["result"]["structuredContent"]["execution"];
  EXPECT_EQ(execution["status"], "completed");
  EXPECT_EQ(execution["steps"].size(), 3u);
  EXPECT_EQ(getTask(*harness_, "0123456789abcdef0123456789abcdef")["error"]["code"], -32602);
}

TEST_F(WorkflowTasksTest, ABrokenLinkIsAFailedTaskNotACrash) {
  start("memory");
  WriteBatch batch;
  batch.puts.push_back(Record{WorkflowTasks::kCollection, "lost",
                              json{{"execution_id", "ex_missing"}, {"created_at_ms", 1}}.dump()});
  batch.puts.push_back(Record{WorkflowTasks::kCollection, "garbled", "{not json"});
  ASSERT_TRUE(harness_->gateway().storage().apply(batch).ok());
  for (const char* id : {"lost", "garbled"}) {
    json task = getTask(*harness_, id)["result"];
    EXPECT_EQ(task["status"], "failed") << task.dump();
    EXPECT_EQ(task["error"]["code"], -32603);
    EXPECT_FALSE(task.contains("result"));
    json ack = harness_->modernRequest("tasks/cancel", {{"taskId", id}}, kTasks);
    EXPECT_EQ(ack["result"]["resultType"], "complete") << ack.dump();
  }
  // The server keeps serving.
  EXPECT_FALSE(GatewayHarness::isError(harness_->callTool("system_status", json::object())));
}

}  // namespace
}  // namespace switchboard::core::testing
