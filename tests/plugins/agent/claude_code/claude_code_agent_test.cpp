// The claude_code agent type through the real plugin host and process supervisor, running
// the REAL Claude Code CLI (from the e2e cache) against a loopback fake of the Messages API
// (see claude_cli_fixture.hpp). The agents here use the default control channel.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "tests/plugins/agent/claude_code/claude_cli_fixture.hpp"

namespace switchboard::plugins {
namespace {

using testing::gone;
using testing::groupGone;
using testing::json;
using testing::processGroupOf;
using testing::Waiter;
using namespace std::chrono_literals;

class ClaudeCodeAgentTest : public testing::ClaudeCliFixture {};

TEST_F(ClaudeCodeAgentTest, CompletesATaskWithTextSessionTokensAndCost) {
  testing::FakeMessagesApi::Script script;
  script.text = "The answer is 42.";
  script.input_tokens = 21;
  script.output_tokens = 9;
  fake_.setScript(script);
  auto agent = make();
  ASSERT_TRUE(agent.ok()) << agent.status().toString();
  auto waiter = std::make_shared<Waiter>();
  auto call = (*agent)->call(request("What is six times seven?"), waiter);
  ASSERT_TRUE(call.ok()) << call.status().toString();
  AgentReply reply = waiter->wait();
  ASSERT_TRUE(reply.status.ok()) << reply.status.toString();

  json out = json::parse(reply.output_json);
  EXPECT_EQ(out["text"], "The answer is 42.");
  EXPECT_EQ(out["num_turns"], 1);
  EXPECT_EQ(out["terminal_reason"], "completed");
  EXPECT_FALSE(reply.session_id.empty());
  EXPECT_EQ(out["session_id"], reply.session_id);
  EXPECT_EQ(reply.usage.input_tokens, 21);
  EXPECT_EQ(reply.usage.output_tokens, 9);
  EXPECT_EQ(reply.usage.turns, 1);
  EXPECT_GT(reply.usage.cost_usd, 0.0);  // from the CLI's own price table
  EXPECT_GT(reply.usage.peak_rss_kb, 0);
  EXPECT_GT(reply.usage.cpu_ms, 0.0);
  EXPECT_GE(waiter->usageReports().size(), 2u);  // while streaming and at the end
  EXPECT_FALSE(waiter->progress().empty());
  EXPECT_EQ(waiter->done(), 1);

  // The prompt reached the API, in the agent's default workspace, with no MCP server.
  std::vector<testing::FakeMessagesApi::Request> seen = fake_.messageRequests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_NE(seen[0].body.find("What is six times seven?"), std::string::npos);
  EXPECT_NE(seen[0].body.find((tmp_.path() / "data" / "workspaces" / "ag_cc").string()),
            std::string::npos);
  EXPECT_TRUE(fake_.unknownPaths().empty()) << fake_.unknownPaths().front();
}

TEST_F(ClaudeCodeAgentTest, SecondRequestResumesTheSession) {
  testing::FakeMessagesApi::Script first;
  first.text = "Noted: the codeword is PELICAN.";
  fake_.setScript(first);
  auto agent = make();
  ASSERT_TRUE(agent.ok()) << agent.status().toString();
  auto w1 = std::make_shared<Waiter>();
  ASSERT_TRUE((*agent)->call(request("Remember the codeword PELICAN.", "rq_1"), w1).ok());
  AgentReply r1 = w1->wait();
  ASSERT_TRUE(r1.status.ok()) << r1.status.toString();

  testing::FakeMessagesApi::Script second;
  second.text = "The codeword was PELICAN.";
  second.input_tokens = 30;
  second.output_tokens = 8;
  fake_.setScript(second);
  auto w2 = std::make_shared<Waiter>();
  ASSERT_TRUE((*agent)->call(request("What was the codeword?", "rq_2"), w2).ok());
  AgentReply r2 = w2->wait();
  ASSERT_TRUE(r2.status.ok()) << r2.status.toString();

  EXPECT_EQ(r2.session_id, r1.session_id);  // --resume keeps the id
  EXPECT_EQ(json::parse(r2.output_json)["text"], "The codeword was PELICAN.");
  std::vector<testing::FakeMessagesApi::Request> seen = fake_.messageRequests();
  ASSERT_EQ(seen.size(), 2u);
  // The second request carries the first conversation.
  EXPECT_NE(seen[1].body.find("Remember the codeword PELICAN."), std::string::npos);
  EXPECT_NE(seen[1].body.find("Noted: the codeword is PELICAN."), std::string::npos);
  EXPECT_NE(seen[1].body.find("What was the codeword?"), std::string::npos);
  // Usage is this call's, not the session's running total.
  EXPECT_EQ(r2.usage.input_tokens, 30);
  EXPECT_EQ(r2.usage.output_tokens, 8);
  EXPECT_GT(r2.usage.cost_usd, 0.0);
}

TEST_F(ClaudeCodeAgentTest, HangIsKilledAtOurTimeoutWithNothingLeftBehind) {
  testing::FakeMessagesApi::Script script;
  script.hang = true;
  fake_.setScript(script);
  auto agent = make(json{{"timeout_ms", 600000}});
  ASSERT_TRUE(agent.ok()) << agent.status().toString();
  auto waiter = std::make_shared<Waiter>();
  AgentRequest r = request("This will never be answered.");
  r.timeout_ms = 3000;  // smaller than the agent's: wins
  auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE((*agent)->call(r, waiter).ok());
  int pid = waitForClaudePid();
  ASSERT_GT(pid, 0) << "claude did not start";
  int pgid = processGroupOf(pid);
  EXPECT_EQ(pgid, pid);  // it leads a group of its own
  AgentReply reply = waiter->wait(15s);
  auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(reply.status.code(), StatusCode::kDeadlineExceeded) << reply.status.toString();
  EXPECT_NE(reply.status.message().find("3000 ms"), std::string::npos) << reply.status.message();
  EXPECT_GE(elapsed, 2900ms);
  EXPECT_LT(elapsed, 8s);
  EXPECT_TRUE(gone(pid)) << "pid " << pid << " still exists";
  EXPECT_TRUE(groupGone(pgid)) << "process group " << pgid << " still exists";
  EXPECT_GE(fake_.messageRequests().size(), 1u);
}

TEST_F(ClaudeCodeAgentTest, OverBudgetEndsResourceExhaustedWithWhatWasSpent) {
  testing::FakeMessagesApi::Script script;
  script.text = std::string(2000, 'x');
  script.output_tokens = 40000;
  fake_.setScript(script);
  auto agent = make(json{{"max_budget_usd", 5.0}});
  ASSERT_TRUE(agent.ok()) << agent.status().toString();
  auto waiter = std::make_shared<Waiter>();
  AgentRequest r = request("Write a very long essay.");
  r.max_cost_usd = 0.0001;  // what is left of the execution's budget: smaller, wins
  ASSERT_TRUE((*agent)->call(r, waiter).ok());
  AgentReply reply = waiter->wait();
  EXPECT_EQ(reply.status.code(), StatusCode::kResourceExhausted) << reply.status.toString();
  EXPECT_NE(reply.status.message().find("budget of $0.0001"), std::string::npos)
      << reply.status.message();
  EXPECT_GT(reply.usage.cost_usd, 0.0001);
  EXPECT_EQ(reply.usage.output_tokens, 40000);
  EXPECT_TRUE(reply.output_json.empty());
}

TEST_F(ClaudeCodeAgentTest, BudgetOfTheAgentConfigAloneAlsoStops) {
  testing::FakeMessagesApi::Script script;
  script.text = std::string(2000, 'y');
  script.output_tokens = 40000;
  fake_.setScript(script);
  auto agent = make(json{{"max_budget_usd", 0.0001}});
  ASSERT_TRUE(agent.ok()) << agent.status().toString();
  auto waiter = std::make_shared<Waiter>();
  ASSERT_TRUE((*agent)->call(request("Write another very long essay."), waiter).ok());
  AgentReply reply = waiter->wait();
  EXPECT_EQ(reply.status.code(), StatusCode::kResourceExhausted) << reply.status.toString();
  EXPECT_NE(reply.status.message().find("budget of $0.0001 after spending $"), std::string::npos)
      << reply.status.message();
  EXPECT_GT(reply.usage.cost_usd, 0.0001);
}

TEST_F(ClaudeCodeAgentTest, CancelDuringAHangKillsTheGroupPromptly) {
  testing::FakeMessagesApi::Script script;
  script.hang = true;
  fake_.setScript(script);
  auto agent = make();
  ASSERT_TRUE(agent.ok()) << agent.status().toString();
  auto waiter = std::make_shared<Waiter>();
  auto call = (*agent)->call(request("Hang, please."), waiter);
  ASSERT_TRUE(call.ok()) << call.status().toString();
  int pid = waitForClaudePid();
  ASSERT_GT(pid, 0);
  int pgid = processGroupOf(pid);
  ASSERT_TRUE(waitForHangingRequest()) << "claude never called the API";
  auto cancelled_at = std::chrono::steady_clock::now();
  (*call)->cancel();
  (*call)->cancel();  // idempotent
  AgentReply reply = waiter->wait(10s);
  EXPECT_EQ(reply.status.code(), StatusCode::kCancelled) << reply.status.toString();
  EXPECT_LT(std::chrono::steady_clock::now() - cancelled_at, 3s);
  EXPECT_EQ(waiter->done(), 1);
  EXPECT_TRUE(gone(pid));
  EXPECT_TRUE(groupGone(pgid));
}

TEST_F(ClaudeCodeAgentTest, ConcurrentCallsRunOneAtATimeAndShareTheSession) {
  testing::FakeMessagesApi::Script script;
  script.text = "First answer.";
  script.delay_ms = 700;
  fake_.setScript(script);
  auto agent = make();
  ASSERT_TRUE(agent.ok()) << agent.status().toString();
  auto wa = std::make_shared<Waiter>();
  auto wb = std::make_shared<Waiter>();
  auto wc = std::make_shared<Waiter>();
  ASSERT_TRUE((*agent)->call(request("Question A", "rq_a"), wa).ok());
  ASSERT_TRUE((*agent)->call(request("Question B", "rq_b"), wb).ok());
  auto c = (*agent)->call(request("Question C", "rq_c"), wc);
  ASSERT_TRUE(c.ok());
  auto cancelled_at = std::chrono::steady_clock::now();
  (*c)->cancel();  // queued: answered at once, never started
  AgentReply rc = wc->wait(5s);
  EXPECT_EQ(rc.status.code(), StatusCode::kCancelled) << rc.status.toString();
  EXPECT_LT(std::chrono::steady_clock::now() - cancelled_at, 500ms);
  AgentReply ra = wa->wait();
  AgentReply rb = wb->wait();
  ASSERT_TRUE(ra.status.ok()) << ra.status.toString();
  ASSERT_TRUE(rb.status.ok()) << rb.status.toString();
  EXPECT_EQ(rb.session_id, ra.session_id);  // B waited for A and resumed its session
  std::vector<testing::FakeMessagesApi::Request> seen = fake_.messageRequests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_NE(seen[1].body.find("Question A"), std::string::npos);
  EXPECT_NE(seen[1].body.find("Question B"), std::string::npos);
  for (const auto& r : seen) EXPECT_EQ(r.body.find("Question C"), std::string::npos);
}

TEST_F(ClaudeCodeAgentTest, MissingProgramIsNotFound) {
  auto agent = make(json{{"claude_path", (tmp_.path() / "no-such-claude").string()}});
  ASSERT_TRUE(agent.ok()) << agent.status().toString();
  auto waiter = std::make_shared<Waiter>();
  auto call = (*agent)->call(request("hello"), waiter);
  ASSERT_FALSE(call.ok());
  EXPECT_EQ(call.status().code(), StatusCode::kNotFound);
  EXPECT_NE(call.status().message().find("no-such-claude"), std::string::npos)
      << call.status().message();
  EXPECT_NE(call.status().message().find("claude_path"), std::string::npos)
      << call.status().message();
  EXPECT_EQ(waiter->done(), 0);  // a call that never started gets no onDone
}

TEST_F(ClaudeCodeAgentTest, ConfigIsStrictAndRequestsNeedAPrompt) {
  EXPECT_FALSE(testing::validateAgainstSchema(type_->agentConfigSchema(), R"({"bogus":1})").ok());
  EXPECT_FALSE(testing::validateAgainstSchema(type_->agentConfigSchema(),
                                              R"({"mcp_servers":{"gw":{"command":"x","bogus":1}}})")
                   .ok());
  EXPECT_TRUE(
      testing::validateAgainstSchema(
          type_->agentConfigSchema(),
          R"({"mcp_servers":{"gw":{"type":"http","url":"http://127.0.0.1:1/mcp"}},"max_turns":3,
                      "allowed_tools":["Read"],"permission_mode":"plan"})")
          .ok());
  auto rejected = testing::loadPluginForTest<AgentType>(
      "agent", "claude_code", R"({"timeout_ms":5})", tmp_.path() / "data");
  EXPECT_EQ(rejected.status().code(), StatusCode::kInvalidArgument);
  auto agent = make();
  ASSERT_TRUE(agent.ok());
  AgentRequest empty;
  empty.input_json = R"({"prompt":""})";
  auto call = (*agent)->call(empty, std::make_shared<Waiter>());
  EXPECT_EQ(call.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace switchboard::plugins
