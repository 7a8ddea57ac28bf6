// The command agent type through the real plugin host and its process supervisor, with
// real programs (/bin/sh, cat, echo, sleep).
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "tests/plugins/support/agent_waiter.hpp"
#include "tests/plugins/support/plugin_loader.hpp"

namespace switchboard::plugins {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

using Waiter = testing::AgentWaiter;

class CommandAgentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto type = testing::loadPluginForTest<AgentType>("agent", "command");
    ASSERT_TRUE(type.ok()) << type.status().toString();
    type_ = *type;
  }
  Result<std::unique_ptr<Agent>> make(json config, const std::string& id = "ag_test") {
    Status valid = testing::validateAgainstSchema(type_->agentConfigSchema(), config.dump());
    if (!valid.ok()) return valid;
    AgentSpec spec;
    spec.id = id;
    spec.name = id;
    spec.config_json = config.dump();
    return type_->createAgent(spec);
  }
  static AgentRequest request(const std::string& prompt) {
    AgentRequest r;
    r.request_id = "rq_1";
    r.input_json = json{{"prompt", prompt}}.dump();
    return r;
  }
  std::shared_ptr<AgentType> type_;
};

json sh(const std::string& script) { return json{{"argv", {"/bin/sh", "-c", script}}}; }

TEST_F(CommandAgentTest, SendsTheRequestAsJsonAndReturnsTheJsonReply) {
  auto agent = make(json{{"argv", {"cat"}}});
  ASSERT_TRUE(agent.ok()) << agent.status().toString();
  auto waiter = std::make_shared<Waiter>();
  auto call = (*agent)->call(request("hello"), waiter);
  ASSERT_TRUE(call.ok()) << call.status().toString();
  AgentReply reply = waiter->wait();
  ASSERT_TRUE(reply.status.ok()) << reply.status.toString();
  EXPECT_EQ(json::parse(reply.output_json), json({{"prompt", "hello"}}));
  EXPECT_EQ(reply.usage.turns, 1);
  EXPECT_GT(reply.usage.peak_rss_kb, 0);
  EXPECT_GE(reply.usage.cpu_ms, 0.0);
}

TEST_F(CommandAgentTest, RecordsTheUsageTheProgramReports) {
  auto agent =
      make(sh("cat >/dev/null; echo "
              "'{\"text\":\"done\",\"usage\":{\"input_tokens\":3,\"output_tokens\":4,\"cost_usd\":"
              "0.25}}'"));
  ASSERT_TRUE(agent.ok());
  auto waiter = std::make_shared<Waiter>();
  ASSERT_TRUE((*agent)->call(request("x"), waiter).ok());
  AgentReply reply = waiter->wait();
  ASSERT_TRUE(reply.status.ok()) << reply.status.toString();
  EXPECT_EQ(json::parse(reply.output_json)["text"], "done");
  EXPECT_EQ(reply.usage.input_tokens, 3);
  EXPECT_EQ(reply.usage.output_tokens, 4);
  EXPECT_DOUBLE_EQ(reply.usage.cost_usd, 0.25);
}

TEST_F(CommandAgentTest, TextOutputAndArgumentsThatNeverMeetAShell) {
  auto agent = make(json{
      {"argv", {"echo", "$HOME; rm -rf /tmp/nothing"}}, {"input", "none"}, {"output", "text"}});
  ASSERT_TRUE(agent.ok());
  auto waiter = std::make_shared<Waiter>();
  ASSERT_TRUE((*agent)->call(request("x"), waiter).ok());
  AgentReply reply = waiter->wait();
  ASSERT_TRUE(reply.status.ok()) << reply.status.toString();
  EXPECT_EQ(json::parse(reply.output_json), json({{"text", "$HOME; rm -rf /tmp/nothing"}}));
}

TEST_F(CommandAgentTest, PromptInputEnvAndWorkingDirectory) {
  json config = sh("read p; echo \"$p|$GREETING|$(pwd)\"");
  config["input"] = "prompt";
  config["output"] = "text";
  config["env"] = {{"GREETING", "hi there"}};
  config["cwd"] = "/tmp";
  auto agent = make(config);
  ASSERT_TRUE(agent.ok());
  auto waiter = std::make_shared<Waiter>();
  AgentRequest r = request("the prompt");
  ASSERT_TRUE((*agent)->call(r, waiter).ok());
  AgentReply reply = waiter->wait();
  ASSERT_TRUE(reply.status.ok()) << reply.status.toString();
  EXPECT_EQ(json::parse(reply.output_json)["text"], "the prompt|hi there|/tmp");
}

TEST_F(CommandAgentTest, AFailingProgramReportsItsExitCodeAndStderr) {
  auto agent = make(sh("echo 'model not loaded' >&2; exit 4"));
  ASSERT_TRUE(agent.ok());
  auto waiter = std::make_shared<Waiter>();
  ASSERT_TRUE((*agent)->call(request("x"), waiter).ok());
  AgentReply reply = waiter->wait();
  EXPECT_EQ(reply.status.code(), StatusCode::kInternal);
  EXPECT_NE(reply.status.message().find("exited with code 4"), std::string::npos)
      << reply.status.message();
  EXPECT_NE(reply.status.message().find("model not loaded"), std::string::npos);
}

TEST_F(CommandAgentTest, JsonOutputThatIsNotJsonIsAnError) {
  auto agent = make(json{{"argv", {"echo", "not json"}}, {"output", "json"}, {"input", "none"}});
  ASSERT_TRUE(agent.ok());
  auto waiter = std::make_shared<Waiter>();
  ASSERT_TRUE((*agent)->call(request("x"), waiter).ok());
  EXPECT_EQ(waiter->wait().status.code(), StatusCode::kInvalidArgument);
}

TEST_F(CommandAgentTest, AMissingProgramFailsToStartWithItsName) {
  auto agent = make(json{{"argv", {"switchboard-no-such-tool"}}});
  ASSERT_TRUE(agent.ok());
  auto call = (*agent)->call(request("x"), std::make_shared<Waiter>());
  ASSERT_FALSE(call.ok());
  EXPECT_EQ(call.status().code(), StatusCode::kNotFound);
  EXPECT_NE(call.status().message().find("switchboard-no-such-tool"), std::string::npos);

  auto persistent = make(json{{"argv", {"switchboard-no-such-tool"}}, {"mode", "persistent"}});
  ASSERT_FALSE(persistent.ok());
  EXPECT_EQ(persistent.status().code(), StatusCode::kNotFound);
}

TEST_F(CommandAgentTest, CancelStopsTheProcessPromptly) {
  auto agent = make(json{{"argv", {"sleep", "30"}}, {"input", "none"}, {"kill_grace_ms", 200}});
  ASSERT_TRUE(agent.ok());
  auto waiter = std::make_shared<Waiter>();
  auto call = (*agent)->call(request("x"), waiter);
  ASSERT_TRUE(call.ok());
  std::this_thread::sleep_for(50ms);
  auto start = std::chrono::steady_clock::now();
  (*call)->cancel();
  AgentReply reply = waiter->wait(5s);
  EXPECT_EQ(reply.status.code(), StatusCode::kCancelled) << reply.status.toString();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST_F(CommandAgentTest, DestroyingTheAgentFinishesItsCallsAsCancelled) {
  auto agent = make(json{{"argv", {"sleep", "30"}}, {"input", "none"}});
  ASSERT_TRUE(agent.ok());
  auto waiter = std::make_shared<Waiter>();
  ASSERT_TRUE((*agent)->call(request("x"), waiter).ok());
  agent->reset();
  EXPECT_EQ(waiter->wait(2s).status.code(), StatusCode::kCancelled);
  EXPECT_EQ(waiter->done(), 1);
}

TEST_F(CommandAgentTest, PersistentModeAnswersOneLinePerRequest) {
  json config = sh("n=0; while read line; do n=$((n+1)); echo \"{\\\"n\\\":$n}\"; done");
  config["mode"] = "persistent";
  auto agent = make(config);
  ASSERT_TRUE(agent.ok()) << agent.status().toString();
  for (int i = 1; i <= 3; ++i) {
    auto waiter = std::make_shared<Waiter>();
    ASSERT_TRUE((*agent)->call(request("q"), waiter).ok());
    AgentReply reply = waiter->wait();
    ASSERT_TRUE(reply.status.ok()) << reply.status.toString();
    EXPECT_EQ(json::parse(reply.output_json)["n"], i);  // the same process counted them
  }
}

TEST_F(CommandAgentTest, PersistentModeSendsTheRequestIdAndInput) {
  json config = json{{"argv", {"cat"}}, {"mode", "persistent"}};
  auto agent = make(config);
  ASSERT_TRUE(agent.ok());
  auto waiter = std::make_shared<Waiter>();
  ASSERT_TRUE((*agent)->call(request("ping"), waiter).ok());
  AgentReply reply = waiter->wait();
  ASSERT_TRUE(reply.status.ok());
  json echoed = json::parse(reply.output_json);
  EXPECT_EQ(echoed["request_id"], "rq_1");
  EXPECT_EQ(echoed["input"]["prompt"], "ping");
}

TEST_F(CommandAgentTest, APersistentProcessThatDiesFailsItsCallsAsUnavailable) {
  json config = sh("read line; kill -9 $$");
  config["mode"] = "persistent";
  auto agent = make(config);
  ASSERT_TRUE(agent.ok());
  auto waiter = std::make_shared<Waiter>();
  ASSERT_TRUE((*agent)->call(request("q"), waiter).ok());
  AgentReply reply = waiter->wait();
  EXPECT_EQ(reply.status.code(), StatusCode::kUnavailable);
  EXPECT_NE(reply.status.message().find("killed by signal 9"), std::string::npos)
      << reply.status.message();
  auto next = (*agent)->call(request("q"), std::make_shared<Waiter>());
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.status().code(), StatusCode::kUnavailable);
}

TEST_F(CommandAgentTest, PersistentCancelRestartsTheProcessForTheNextRequest) {
  json config = sh(
      "while read line; do case \"$line\" in *slow*) sleep 30;; esac; echo '{\"ok\":true}'; done");
  config["mode"] = "persistent";
  config["kill_grace_ms"] = 100;
  auto agent = make(config);
  ASSERT_TRUE(agent.ok());
  auto slow = std::make_shared<Waiter>();
  auto call = (*agent)->call(request("slow"), slow);
  ASSERT_TRUE(call.ok());
  std::this_thread::sleep_for(100ms);
  (*call)->cancel();
  EXPECT_EQ(slow->wait(3s).status.code(), StatusCode::kCancelled);
  auto fast = std::make_shared<Waiter>();
  ASSERT_TRUE((*agent)->call(request("fast"), fast).ok());
  AgentReply reply = fast->wait();
  ASSERT_TRUE(reply.status.ok()) << reply.status.toString();
  EXPECT_EQ(json::parse(reply.output_json)["ok"], true);
}

TEST_F(CommandAgentTest, RejectsAConfigWithoutAProgram) {
  AgentSpec spec;
  spec.id = "ag_bad";
  spec.config_json = "{}";
  auto agent = type_->createAgent(spec);
  ASSERT_FALSE(agent.ok());
  EXPECT_EQ(agent.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(agent.status().message().find("argv"), std::string::npos);
}

}  // namespace
}  // namespace switchboard::plugins
