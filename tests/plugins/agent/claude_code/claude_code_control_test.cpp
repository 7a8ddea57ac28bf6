// The control channel with the REAL Claude Code CLI: the fake Messages API scripts the
// model asking for tools, the agent's tool_policy answers the CLI's can_use_tool prompts,
// and what the model is told comes back in the next API request. Cancel and timeout go
// through the interrupt and leave no process behind.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include "tests/plugins/agent/claude_code/claude_cli_fixture.hpp"

namespace switchboard::plugins {
namespace {

using testing::FakeMessagesApi;
using testing::gone;
using testing::groupGone;
using testing::json;
using testing::processGroupOf;
using testing::Waiter;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

class ClaudeCodeControlTest : public testing::ClaudeCliFixture {
 protected:
  fs::path workspace() const { return tmp_.path() / "data" / "workspaces" / "ag_cc"; }

  bool anyProgressContains(Waiter& waiter, const std::string& text) {
    for (const std::string& p : waiter.progress()) {
      if (p.find(text) != std::string::npos) return true;
    }
    return false;
  }

  // A stand-in for claude that never reads stdin and ignores SIGTERM-free requests: it
  // starts a child in its group and sleeps, so only a kill of the group ends both.
  fs::path deafClaude() {
    fs::path script = tmp_.path() / "deaf-claude.sh";
    std::ofstream(script) << "#!/bin/sh\nsleep 300 &\nsleep 300\n";
    ::chmod(script.c_str(), 0755);
    return script;
  }
};

TEST_F(ClaudeCodeControlTest, AnAllowedToolRunsAndTheRunCompletes) {
  FakeMessagesApi::Script script;
  script.tool_uses = {{"Bash", R"({"command":"touch allowed-marker.txt","description":"mark"})"}};
  script.text = "All done.";
  fake_.setScript(script);
  auto agent = make({{"tool_policy", {{"allow", {"Bash(touch *)"}}}}});
  ASSERT_TRUE(agent.ok()) << agent.status().toString();
  auto waiter = std::make_shared<Waiter>();
  ASSERT_TRUE((*agent)->call(request("Mark the workspace."), waiter).ok());
  AgentReply reply = waiter->wait(60s);
  ASSERT_TRUE(reply.status.ok()) << reply.status.toString();

  json out = json::parse(reply.output_json);
  EXPECT_EQ(out["text"], "All done.");
  EXPECT_TRUE(fs::exists(workspace() / "allowed-marker.txt")) << "the tool did not run";
  ASSERT_EQ(out["tool_decisions"].size(), 1u) << out.dump();
  EXPECT_EQ(out["tool_decisions"][0]["tool"], "Bash");
  EXPECT_EQ(out["tool_decisions"][0]["input"], "touch allowed-marker.txt");
  EXPECT_EQ(out["tool_decisions"][0]["decision"], "allow");
  EXPECT_EQ(out["tool_decisions"][0]["rule"], "Bash(touch *)");
  EXPECT_EQ(out["tool_decisions"][0]["tool_use_id"], fake_.toolUseId(0));
  EXPECT_TRUE(anyProgressContains(*waiter, "tool allowed: Bash touch allowed-marker.txt"));

  // The model got the tool's result, not an error.
  std::vector<json> bodies = requestBodies();
  ASSERT_EQ(bodies.size(), 2u);
  json result = toolResultIn(bodies[1], fake_.toolUseId(0));
  ASSERT_TRUE(result.is_object()) << bodies[1].dump().substr(0, 2000);
  EXPECT_FALSE(result.value("is_error", false)) << result.dump();
}

TEST_F(ClaudeCodeControlTest, DeniedToolsReachTheModelAsErrorsCarryingOurMessage) {
  const std::string target = (workspace() / "denied.txt").string();
  FakeMessagesApi::Script script;
  script.tool_uses = {
      {"Write", json{{"file_path", target}, {"content", "should never be written"}}.dump()},
      {"Bash", R"({"command":"ls && rm -f nothing-here.txt","description":"tidy"})"}};
  script.text = "Understood.";
  fake_.setScript(script);
  auto agent = make({{"tool_policy",
                      {{"allow", {"Bash"}},
                       {"deny", {"Bash(rm *)"}},
                       {"deny_message", "Writes go through the reviewer agent."}}}});
  ASSERT_TRUE(agent.ok()) << agent.status().toString();
  auto waiter = std::make_shared<Waiter>();
  ASSERT_TRUE((*agent)->call(request("Write a file, then tidy up."), waiter).ok());
  AgentReply reply = waiter->wait(60s);
  ASSERT_TRUE(reply.status.ok()) << reply.status.toString();
  EXPECT_FALSE(fs::exists(target)) << "a denied Write ran";

  std::vector<json> bodies = requestBodies();
  ASSERT_EQ(bodies.size(), 3u);
  json write = toolResultIn(bodies[1], fake_.toolUseId(0));
  ASSERT_TRUE(write.is_object()) << bodies[1].dump().substr(0, 2000);
  EXPECT_TRUE(write.value("is_error", false)) << write.dump();
  EXPECT_EQ(resultText(write),
            "Writes go through the reviewer agent. (no allow rule matches this Write call)");
  json rm = toolResultIn(bodies[2], fake_.toolUseId(1));
  ASSERT_TRUE(rm.is_object()) << bodies[2].dump().substr(0, 2000);
  EXPECT_TRUE(rm.value("is_error", false)) << rm.dump();
  EXPECT_EQ(resultText(rm),
            "Writes go through the reviewer agent. (Bash matches the deny rule \"Bash(rm *)\")");

  json out = json::parse(reply.output_json);
  ASSERT_EQ(out["tool_decisions"].size(), 2u) << out.dump();
  EXPECT_EQ(out["tool_decisions"][0]["decision"], "deny");
  EXPECT_EQ(out["tool_decisions"][0]["input"], target);
  EXPECT_TRUE(out["tool_decisions"][0]["rule"].is_null());
  EXPECT_EQ(out["tool_decisions"][1]["decision"], "deny");
  EXPECT_EQ(out["tool_decisions"][1]["rule"], "Bash(rm *)");
  EXPECT_TRUE(anyProgressContains(*waiter, "tool denied: Write " + target));
}

TEST_F(ClaudeCodeControlTest, WithoutAPolicyEveryPromptIsDeniedAndReported) {
  FakeMessagesApi::Script script;
  script.tool_uses = {{"Bash", R"({"command":"touch no-policy.txt","description":"mark"})"}};
  script.text = "Could not.";
  fake_.setScript(script);
  auto agent = make();
  ASSERT_TRUE(agent.ok()) << agent.status().toString();
  auto waiter = std::make_shared<Waiter>();
  ASSERT_TRUE((*agent)->call(request("Try to mark."), waiter).ok());
  AgentReply reply = waiter->wait(60s);
  ASSERT_TRUE(reply.status.ok()) << reply.status.toString();
  EXPECT_FALSE(fs::exists(workspace() / "no-policy.txt"));
  std::vector<json> bodies = requestBodies();
  ASSERT_EQ(bodies.size(), 2u);
  json result = toolResultIn(bodies[1], fake_.toolUseId(0));
  EXPECT_TRUE(result.value("is_error", false)) << result.dump();
  EXPECT_NE(resultText(result).find("the agent has no tool_policy"), std::string::npos)
      << resultText(result);
  EXPECT_EQ(json::parse(reply.output_json)["tool_decisions"][0]["decision"], "deny");
}

TEST_F(ClaudeCodeControlTest, CancelInterruptsClaudeWhichExitsByItselfLeavingNothing) {
  FakeMessagesApi::Script script;
  script.hang = true;
  fake_.setScript(script);
  auto agent = make({{"kill_grace_ms", 10000}});  // long: the interrupt alone must end it
  ASSERT_TRUE(agent.ok()) << agent.status().toString();
  auto waiter = std::make_shared<Waiter>();
  auto call = (*agent)->call(request("Hang, please."), waiter);
  ASSERT_TRUE(call.ok()) << call.status().toString();
  int pid = waitForClaudePid();
  ASSERT_GT(pid, 0);
  int pgid = processGroupOf(pid);
  ASSERT_TRUE(waitForHangingRequest()) << "claude never called the API";
  std::string cmdline = testing::readFile("/proc/" + std::to_string(pid) + "/cmdline");
  EXPECT_EQ(cmdline.find("Hang, please."), std::string::npos) << "the prompt is in argv";
  EXPECT_NE(cmdline.find("--permission-prompt-tool"), std::string::npos);
  auto cancelled_at = std::chrono::steady_clock::now();
  (*call)->cancel();
  AgentReply reply = waiter->wait(15s);
  EXPECT_EQ(reply.status.code(), StatusCode::kCancelled) << reply.status.toString();
  // Exited on its own after the interrupt (a kill would say "killed by signal").
  EXPECT_NE(reply.status.message().find("exited with code"), std::string::npos)
      << reply.status.message();
  EXPECT_LT(std::chrono::steady_clock::now() - cancelled_at, 5s);
  EXPECT_TRUE(gone(pid));
  EXPECT_TRUE(groupGone(pgid));
}

TEST_F(ClaudeCodeControlTest, TimeoutWithTheChannelIsDeadlineExceededLeavingNothing) {
  FakeMessagesApi::Script script;
  script.hang = true;
  fake_.setScript(script);
  auto agent = make();
  ASSERT_TRUE(agent.ok()) << agent.status().toString();
  auto waiter = std::make_shared<Waiter>();
  AgentRequest r = request("This will never be answered.");
  r.timeout_ms = 3000;
  ASSERT_TRUE((*agent)->call(r, waiter).ok());
  int pid = waitForClaudePid();
  ASSERT_GT(pid, 0);
  int pgid = processGroupOf(pid);
  AgentReply reply = waiter->wait(20s);
  EXPECT_EQ(reply.status.code(), StatusCode::kDeadlineExceeded) << reply.status.toString();
  EXPECT_NE(reply.status.message().find("3000 ms"), std::string::npos) << reply.status.message();
  EXPECT_TRUE(gone(pid));
  EXPECT_TRUE(groupGone(pgid));
}

TEST_F(ClaudeCodeControlTest, AProgramDeafToTheInterruptIsKilledAfterTheGrace) {
  auto agent = make({{"claude_path", deafClaude().string()}, {"kill_grace_ms", 500}});
  ASSERT_TRUE(agent.ok()) << agent.status().toString();
  auto waiter = std::make_shared<Waiter>();
  auto call = (*agent)->call(request("Nobody listens."), waiter);
  ASSERT_TRUE(call.ok()) << call.status().toString();
  int pid = waitForClaudePid();
  ASSERT_GT(pid, 0);
  int pgid = processGroupOf(pid);
  std::this_thread::sleep_for(300ms);  // let the shell start its child
  auto cancelled_at = std::chrono::steady_clock::now();
  (*call)->cancel();
  AgentReply reply = waiter->wait(10s);
  auto took = std::chrono::steady_clock::now() - cancelled_at;
  EXPECT_EQ(reply.status.code(), StatusCode::kCancelled) << reply.status.toString();
  EXPECT_NE(reply.status.message().find("killed by signal 9"), std::string::npos)
      << reply.status.message();
  EXPECT_GE(took, 450ms);  // the grace was given
  EXPECT_LT(took, 5s);
  EXPECT_TRUE(testing::groupDiesWithin(pgid, 2s)) << "the shell's child survived";
  EXPECT_TRUE(anyProgressContains(*waiter, "did not stop within 500 ms of the interrupt"));
}

TEST_F(ClaudeCodeControlTest, APromptTooLongForAnArgumentGoesThroughStdin) {
  // Linux caps one argument at 128 KiB (MAX_ARG_STRLEN); the channel has no such limit.
  std::string prompt = "Summarise: " + std::string(200 * 1024, 'p') + " END-OF-PROMPT";
  auto agent = make();
  ASSERT_TRUE(agent.ok()) << agent.status().toString();
  auto waiter = std::make_shared<Waiter>();
  ASSERT_TRUE((*agent)->call(request(prompt), waiter).ok());
  AgentReply reply = waiter->wait(60s);
  ASSERT_TRUE(reply.status.ok()) << reply.status.toString();
  std::vector<FakeMessagesApi::Request> seen = fake_.messageRequests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_NE(seen[0].body.find(std::string(1000, 'p') + " END-OF-PROMPT"), std::string::npos);
}

TEST_F(ClaudeCodeControlTest, WithoutTheChannelThePromptIsAnArgumentAndStdinIsNull) {
  FakeMessagesApi::Script script;
  script.hang = true;
  fake_.setScript(script);
  auto agent = make({{"control_channel", false}});
  ASSERT_TRUE(agent.ok()) << agent.status().toString();
  auto waiter = std::make_shared<Waiter>();
  auto call = (*agent)->call(request("argv-prompt-marker"), waiter);
  ASSERT_TRUE(call.ok());
  int pid = waitForClaudePid();
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(waitForHangingRequest());
  std::string cmdline = testing::readFile("/proc/" + std::to_string(pid) + "/cmdline");
  EXPECT_NE(cmdline.find("argv-prompt-marker"), std::string::npos);
  EXPECT_EQ(cmdline.find("--input-format"), std::string::npos);
  std::error_code ec;
  EXPECT_EQ(fs::read_symlink("/proc/" + std::to_string(pid) + "/fd/0", ec), "/dev/null");
  (*call)->cancel();
  AgentReply reply = waiter->wait(15s);
  EXPECT_EQ(reply.status.code(), StatusCode::kCancelled) << reply.status.toString();
  EXPECT_TRUE(gone(pid));
  EXPECT_TRUE(json::parse(reply.output_json.empty() ? "{}" : reply.output_json)
                  .value("tool_decisions", json())
                  .is_null());
}

}  // namespace
}  // namespace switchboard::plugins
