// Every tool of the MCP surface through the Server's own dispatch, on a real gateway:
// successes (with structuredContent checked against each outputSchema), bad arguments,
// unknown ids and illegal transitions.
#include <gtest/gtest.h>

#include <map>
#include <thread>

#include "tests/core/surface/gateway_harness.hpp"

namespace switchboard::core::testing {
namespace {

json quickAgent() {
  return json{{"latency_ms", 5},
              {"usage", {{"input_tokens", 10}, {"output_tokens", 5}, {"cost_usd", 0.001}}}};
}

class SurfaceToolsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    harness_ = std::make_unique<GatewayHarness>(GetParam(), dir_.path());
    ASSERT_TRUE(harness_->status().ok()) << harness_->status().toString();
  }
  TempDir dir_;
  std::unique_ptr<GatewayHarness> harness_;
};

TEST_P(SurfaceToolsTest, ListsEveryToolWithBothSchemas) {
  json response = harness_->request("tools/list", json::object());
  ASSERT_TRUE(response.contains("result")) << response.dump();
  std::set<std::string> names;
  for (const json& tool : response["result"]["tools"]) {
    names.insert(tool["name"].get<std::string>());
    EXPECT_TRUE(tool.contains("outputSchema")) << tool["name"];
    EXPECT_EQ(tool["inputSchema"]["additionalProperties"], false) << tool["name"];
  }
  EXPECT_EQ(names.size(), 19u);
  for (const char* name : {"agent_create", "agent_ask", "task_cancel", "workflow_run",
                           "execution_control", "system_status", "plugin_list"}) {
    EXPECT_EQ(names.count(name), 1u) << name;
  }
}

TEST_P(SurfaceToolsTest, BadArgumentsAreToolErrorsForEveryTool) {
  json response = harness_->request("tools/list", json::object());
  for (const json& tool : response["result"]["tools"]) {
    std::string name = tool["name"];
    json result = harness_->callTool(name, json{{"no_such_argument", 1}});
    EXPECT_TRUE(GatewayHarness::isError(result)) << name;
    EXPECT_NE(GatewayHarness::text(result).find("invalid arguments for " + name), std::string::npos)
        << GatewayHarness::text(result);
  }
  json wrong_type = harness_->callTool("agent_create", json{{"name", 5}, {"type", "scripted"}});
  EXPECT_TRUE(GatewayHarness::isError(wrong_type));
  EXPECT_NE(GatewayHarness::text(wrong_type).find("/name"), std::string::npos)
      << GatewayHarness::text(wrong_type);
}

TEST_P(SurfaceToolsTest, UnknownIdsSayWhereToLook) {
  struct Case {
    const char* tool;
    json args;
    const char* hint;
  };
  std::vector<Case> cases = {
      {"agent_get", {{"agent_id", "nobody"}}, "agent_list"},
      {"agent_ask", {{"agent_id", "nobody"}, {"prompt", "hi"}}, "agent_list"},
      {"agent_delete", {{"agent_id", "nobody"}}, "agent_list"},
      {"agent_control", {{"agent_id", "nobody"}, {"action", "pause"}}, "agent_list"},
      {"task_get", {{"task_id", "tk_nothing"}}, "task"},
      {"task_cancel", {{"task_id", "tk_nothing"}}, "task"},
      {"execution_get", {{"execution_id", "ex_nothing"}}, "execution_list"},
      {"execution_control",
       {{"execution_id", "ex_nothing"}, {"action", "cancel"}},
       "execution_list"},
      {"workflow_run", {{"pattern", "no_such_pattern"}, {"objective", "x"}}, "workflow_patterns"},
  };
  for (const Case& c : cases) {
    json result = harness_->callTool(c.tool, c.args);
    EXPECT_TRUE(GatewayHarness::isError(result)) << c.tool;
    EXPECT_NE(GatewayHarness::text(result).find(c.hint), std::string::npos)
        << c.tool << ": " << GatewayHarness::text(result);
  }
}

TEST_P(SurfaceToolsTest, AgentLifecycleAndIllegalTransitions) {
  std::string id = harness_->makeAgent("helper", quickAgent(), {"help"});
  ASSERT_FALSE(id.empty());
  json got = harness_->callTool("agent_get", {{"agent_id", "helper"}});
  EXPECT_EQ(got["structuredContent"]["agent"]["id"], id);
  EXPECT_EQ(got["structuredContent"]["agent"]["status"], "idle");

  json dup = harness_->callTool("agent_create", {{"name", "helper"}, {"type", "scripted"}});
  EXPECT_TRUE(GatewayHarness::isError(dup));

  json illegal = harness_->callTool("agent_control", {{"agent_id", id}, {"action", "resume"}});
  EXPECT_TRUE(GatewayHarness::isError(illegal));
  EXPECT_NE(GatewayHarness::text(illegal).find("pause"), std::string::npos)
      << GatewayHarness::text(illegal);

  json paused = harness_->callTool("agent_control", {{"agent_id", id}, {"action", "pause"}});
  EXPECT_EQ(paused["structuredContent"]["agent"]["status"], "paused");
  EXPECT_EQ(paused["structuredContent"]["previous_status"], "idle");
  json refused = harness_->callTool("agent_ask", {{"agent_id", id}, {"prompt", "hello"}});
  EXPECT_TRUE(GatewayHarness::isError(refused));
  harness_->callTool("agent_control", {{"agent_id", id}, {"action", "resume"}});

  json answer = harness_->callTool("agent_ask", {{"agent_id", id}, {"prompt", "hello there"}});
  ASSERT_FALSE(GatewayHarness::isError(answer)) << GatewayHarness::text(answer);
  EXPECT_EQ(answer["structuredContent"]["text"], "hello there");
  EXPECT_EQ(answer["structuredContent"]["usage"]["input_tokens"], 10);

  json updated = harness_->callTool("agent_update", {{"agent_id", id}, {"role", "assistant"}});
  EXPECT_EQ(updated["structuredContent"]["agent"]["role"], "assistant");
  json listed = harness_->callTool("agent_list", {{"role", "assistant"}});
  ASSERT_EQ(listed["structuredContent"]["agents"].size(), 1u);
  EXPECT_EQ(listed["structuredContent"]["agents"][0]["counters"]["requests"], 1);

  json deleted = harness_->callTool("agent_delete", {{"agent_id", id}});
  EXPECT_EQ(deleted["structuredContent"]["deleted"], true);
  EXPECT_TRUE(GatewayHarness::isError(harness_->callTool("agent_get", {{"agent_id", id}})));
}

TEST_P(SurfaceToolsTest, WithWaitTheOutcomesAreOnTheTasksWhenTheRunReturns) {
  // The hub's delivery thread records a run's outcomes on its tasks when the execution
  // ends; workflow_run with wait must not return while it is still writing them (the e2e
  // orchestrator test once saw a task still "ready" right after such a call).
  harness_->makeAgent("worker", quickAgent(), {"work"});
  for (int round = 0; round < 50; ++round) {
    std::string first = harness_->callTool(
        "task_create", {{"title", "first"},
                        {"required_capabilities", {"work"}}})["structuredContent"]["task"]["id"];
    std::string second = harness_->callTool(
        "task_create", {{"title", "second"},
                        {"depends_on", {first}},
                        {"required_capabilities", {"work"}}})["structuredContent"]["task"]["id"];
    json run = harness_->callTool("workflow_run",
                                  {{"pattern", "dag"}, {"tasks", {first, second}}, {"wait", true}});
    ASSERT_FALSE(GatewayHarness::isError(run)) << GatewayHarness::text(run);
    ASSERT_EQ(run["structuredContent"]["execution"]["status"], "completed") << run.dump();
    for (const std::string& id : {first, second}) {
      json task = harness_->callTool("task_get", {{"task_id", id}})["structuredContent"]["task"];
      ASSERT_EQ(task["status"], "completed") << "round " << round << ": " << task.dump();
    }
  }
}

TEST_P(SurfaceToolsTest, TasksRunAsADagAndEveryToolMatchesItsOutputSchema) {
  harness_->makeAgent("worker-a", quickAgent(), {"work"});
  harness_->makeAgent("worker-b", quickAgent(), {"work"});
  json a =
      harness_->callTool("task_create", {{"title", "first"}, {"required_capabilities", {"work"}}});
  std::string a_id = a["structuredContent"]["task"]["id"];
  json b = harness_->callTool("task_create", {{"title", "second"},
                                              {"depends_on", {a_id}},
                                              {"required_capabilities", {"work"}},
                                              {"priority", "high"}});
  std::string b_id = b["structuredContent"]["task"]["id"];
  EXPECT_EQ(b["structuredContent"]["task"]["status"], "pending");
  json c = harness_->callTool(
      "task_create", {{"title", "third"}, {"depends_on", {a_id}}, {"assigned_agent", "worker-b"}});
  std::string c_id = c["structuredContent"]["task"]["id"];
  json bad_dep =
      harness_->callTool("task_create", {{"title", "x"}, {"depends_on", {"tk_missing"}}});
  EXPECT_TRUE(GatewayHarness::isError(bad_dep));

  json listed = harness_->callTool("task_list", {{"limit", 2}});
  EXPECT_EQ(listed["structuredContent"]["tasks"].size(), 2u);
  EXPECT_TRUE(listed["structuredContent"].contains("next_cursor"));
  json rest =
      harness_->callTool("task_list", {{"cursor", listed["structuredContent"]["next_cursor"]}});
  EXPECT_EQ(rest["structuredContent"]["tasks"].size(), 1u);
  harness_->callTool("task_update", {{"task_id", c_id}, {"description", "the third one"}});
  json got = harness_->callTool("task_get", {{"task_id", c_id}});
  EXPECT_EQ(got["structuredContent"]["task"]["description"], "the third one");

  json patterns = harness_->callTool("workflow_patterns", json::object());
  std::set<std::string> names;
  for (const json& p : patterns["structuredContent"]["patterns"])
    names.insert(p["name"].get<std::string>());
  EXPECT_EQ(names.count("dag"), 1u);

  json run = harness_->callTool("workflow_run", {{"pattern", "dag"},
                                                 {"tasks", {a_id, b_id, c_id}},
                                                 {"params", {{"max_parallel", 2}}},
                                                 {"wait", true}});
  ASSERT_FALSE(GatewayHarness::isError(run)) << GatewayHarness::text(run);
  const json& e = run["structuredContent"]["execution"];
  EXPECT_EQ(e["status"], "completed") << e.dump();
  EXPECT_EQ(e["steps"].size(), 3u);
  EXPECT_EQ(e["progress"]["succeeded"], 3);
  for (const json& step : e["steps"]) EXPECT_EQ(step["attempts"], 1);
  std::string ex_id = e["id"];
  // With wait, the run's outcomes are on its tasks when the call returns.
  json b_done = harness_->callTool("task_get", {{"task_id", b_id}});
  EXPECT_EQ(b_done["structuredContent"]["task"]["status"], "completed") << b_done.dump();
  EXPECT_EQ(b_done["structuredContent"]["task"]["result"]["text"].is_string(), true)
      << b_done.dump();

  json fetched = harness_->callTool("execution_get", {{"execution_id", ex_id}});
  EXPECT_EQ(fetched["structuredContent"]["execution"]["usage"]["input_tokens"], 30);
  json listed_ex = harness_->callTool("execution_list", {{"status", "completed"}});
  EXPECT_EQ(listed_ex["structuredContent"]["executions"].size(), 1u);
  json cancel_done =
      harness_->callTool("execution_control", {{"execution_id", ex_id}, {"action", "cancel"}});
  EXPECT_TRUE(GatewayHarness::isError(cancel_done)) << cancel_done.dump();
  std::string last_key = e["steps"][2]["key"];
  json rewound = harness_->callTool(
      "execution_control", {{"execution_id", ex_id}, {"action", "rewind"}, {"step_key", last_key}});
  ASSERT_FALSE(GatewayHarness::isError(rewound)) << GatewayHarness::text(rewound);
  EXPECT_EQ(rewound["structuredContent"]["forked_from"], ex_id);
  std::string fork = rewound["structuredContent"]["execution"]["id"];
  EXPECT_NE(fork, ex_id);

  json status = harness_->callTool("system_status", json::object());
  EXPECT_EQ(status["structuredContent"]["agents"]["idle"].get<int>() +
                status["structuredContent"]["agents"].value("busy", 0),
            2);
  json plugins = harness_->callTool("plugin_list", {{"kind", "storage"}});
  EXPECT_GE(plugins["structuredContent"]["plugins"].size(), 2u);

  harness_->callTool("agent_get", {{"agent_id", "worker-a"}});
  harness_->callTool("agent_list", json::object());
  harness_->callTool("agent_update", {{"agent_id", "worker-a"}, {"model", "m"}});
  harness_->callTool("agent_control", {{"agent_id", "worker-a"}, {"action", "restart"}});
  harness_->callTool("agent_ask", {{"agent_id", "worker-a"}, {"prompt", "p"}});
  json extra = harness_->callTool("task_create", {{"title", "to cancel"}});
  json cancelled =
      harness_->callTool("task_cancel", {{"task_id", extra["structuredContent"]["task"]["id"]}});
  EXPECT_EQ(cancelled["structuredContent"]["task"]["status"], "cancelled");
  std::string tmp = harness_->makeAgent("temp", quickAgent());
  harness_->callTool("agent_delete", {{"agent_id", tmp}});

  std::set<std::string> validated = harness_->validated();
  EXPECT_EQ(validated.size(), 19u) << "some tools were never seen succeeding";
}

// The gateway loads an agent type, pattern or storage plugin when it is first used; until
// then plugin_list says it is available, and system_status counts it as usable.
TEST_P(SurfaceToolsTest, PluginsOfAGatewayLoadOnFirstUse) {
  auto states = [&](const std::string& kind) {
    std::map<std::string, std::string> out;
    json listed = harness_->callTool("plugin_list", {{"kind", kind}});
    for (const json& p : listed["structuredContent"]["plugins"]) out[p["name"]] = p["status"];
    return out;
  };
  const std::string storage = "switchboard.storage." + GetParam();
  const std::string other =
      GetParam() == "memory" ? "switchboard.storage.sqlite" : "switchboard.storage.memory";
  EXPECT_EQ(states("storage")[storage], "loaded");
  EXPECT_EQ(states("storage")[other], "available");
  EXPECT_EQ(states("agent")["switchboard.agent.scripted"], "available");
  EXPECT_EQ(states("agent")["switchboard.agent.command"], "available");
  EXPECT_EQ(states("workflow")["switchboard.workflow.dag"], "available");
  json status = harness_->callTool("system_status", json::object());
  EXPECT_NE(status["structuredContent"]["plugins"]["agent"].dump().find("scripted"),
            std::string::npos)
      << status.dump();

  harness_->makeAgent("first", quickAgent());
  EXPECT_EQ(states("agent")["switchboard.agent.scripted"], "loaded");
  EXPECT_EQ(states("agent")["switchboard.agent.command"], "available");
  json patterns = harness_->callTool("workflow_patterns", json::object());
  EXPECT_FALSE(GatewayHarness::isError(patterns));
  EXPECT_GE(patterns["structuredContent"]["patterns"].size(), 3u);
  EXPECT_EQ(states("workflow")["switchboard.workflow.dag"], "loaded");
}

INSTANTIATE_TEST_SUITE_P(Storage, SurfaceToolsTest, ::testing::Values("memory", "sqlite"));

}  // namespace
}  // namespace switchboard::core::testing
