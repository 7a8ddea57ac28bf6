// The claude_code agent type inside a real gateway, through the MCP surface, running the
// REAL Claude Code CLI against the loopback fake Messages API: a task's text, session,
// tokens and cost reach agent_get and execution_get, a second ask resumes the session, and
// an execution whose dollar budget the CLI overruns ends as budget_exceeded with the spend.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/core/surface/gateway_harness.hpp"
#include "tests/plugins/support/fake_messages_api.hpp"

namespace switchboard::core::testing {
namespace {

namespace fs = std::filesystem;
using FakeApi = switchboard::plugins::testing::FakeMessagesApi;

class ClaudeCodeGatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(SB_CLAUDE_CLI))
        << "The Claude Code CLI is not installed at " << SB_CLAUDE_CLI
        << ": run `bash .ci/install-deps --test`";
    ASSERT_TRUE(fake_.running());
    home_ = dir_.path() / "home";
    fs::create_directories(home_);
    harness_ = std::make_unique<GatewayHarness>("sqlite", dir_.path() / "data");
    ASSERT_TRUE(harness_->status().ok()) << harness_->status().toString();
  }
  std::string createAgent(const std::string& name, json extra = json::object()) {
    json config{{"claude_path", SB_CLAUDE_CLI}, {"env", fake_.cliEnv(home_.string())}};
    for (auto& [k, v] : extra.items()) config[k] = v;
    json result = harness_->callTool("agent_create", {{"name", name},
                                                      {"type", "claude_code"},
                                                      {"model", "claude-opus-5-5"},
                                                      {"config", config}});
    EXPECT_FALSE(GatewayHarness::isError(result)) << GatewayHarness::text(result);
    return result["structuredContent"]["agent"].value("id", "");
  }
  TempDir dir_;
  fs::path home_;
  FakeApi fake_;
  std::unique_ptr<GatewayHarness> harness_;
};

TEST_F(ClaudeCodeGatewayTest, AsksRecordTextSessionTokensAndCostAndResume) {
  const std::string id = createAgent("coder");
  json first = harness_->callTool("agent_ask", {{"agent_id", id}, {"prompt", "Say hello."}});
  ASSERT_FALSE(GatewayHarness::isError(first)) << GatewayHarness::text(first);
  json out = first["structuredContent"];
  EXPECT_EQ(out["output"]["text"], "Hello from the fake Messages API.") << out.dump();
  const std::string session = out["output"].value("session_id", "");
  EXPECT_FALSE(session.empty());
  json second = harness_->callTool("agent_ask", {{"agent_id", id}, {"prompt", "Again."}});
  ASSERT_FALSE(GatewayHarness::isError(second)) << GatewayHarness::text(second);
  EXPECT_EQ(second["structuredContent"]["output"]["session_id"], session);
  json agent = harness_->callTool("agent_get", {{"agent_id", id}})["structuredContent"]["agent"];
  EXPECT_EQ(agent["counters"]["requests"], 2);
  EXPECT_GE(agent["counters"]["input_tokens"].get<std::int64_t>(), 24);
  EXPECT_GE(agent["counters"]["output_tokens"].get<std::int64_t>(), 14);
  EXPECT_GT(agent["counters"]["cost_usd"].get<double>(), 0.0);
  EXPECT_GT(agent["counters"]["peak_rss_kb"].get<std::int64_t>(), 0);
  EXPECT_EQ(agent["resources"]["processes_started"], 2);
  EXPECT_EQ(agent["resources"]["processes_running"], 0);
}

TEST_F(ClaudeCodeGatewayTest, AnExecutionOverItsDollarBudgetEndsBudgetExceeded) {
  FakeApi::Script script;
  script.text = std::string(2000, 'x');
  script.output_tokens = 40000;
  fake_.setScript(script);
  const std::string id = createAgent("essayist");
  json steps = json::array({{{"prompt", "Write a very long essay."}, {"agent", id}},
                            {{"prompt", "And another."}, {"agent", id}}});
  json run = harness_->callTool("workflow_run", {{"pattern", "sequential"},
                                                 {"params", {{"steps", steps}}},
                                                 {"budget", {{"max_cost_usd", 0.0001}}},
                                                 {"wait", true}});
  ASSERT_FALSE(GatewayHarness::isError(run)) << GatewayHarness::text(run);
  json e = harness_->callTool("execution_get",
                              {{"execution_id", run["structuredContent"]["execution"]["id"]},
                               {"include_steps", true}})["structuredContent"]["execution"];
  EXPECT_EQ(e["status"], "budget_exceeded") << e.dump();
  ASSERT_GE(e["steps"].size(), 1u);
  EXPECT_EQ(e["steps"][0]["status"], "budget_exceeded") << e.dump();
  EXPECT_EQ(e["steps"][0]["attempts"], 1);
  EXPECT_GT(e["usage"]["cost_usd"].get<double>(), 0.0001);
  EXPECT_EQ(e["usage"]["output_tokens"], 40000);
  EXPECT_NE(e["error"].get<std::string>().find("budget"), std::string::npos) << e["error"];
}

}  // namespace
}  // namespace switchboard::core::testing
