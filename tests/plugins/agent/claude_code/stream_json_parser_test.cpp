// The stream-json parser and the reply rules on recorded transcripts (samples/): usage once
// per message id, per-invocation figures after --resume, and the status of every ending.
#include "plugins/agent/claude_code/stream_json_parser.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "plugins/agent/claude_code/claude_reply.hpp"

namespace switchboard::plugins {
namespace {

using nlohmann::json;

std::vector<std::string> sampleLines(const std::string& name) {
  std::ifstream in(std::string(SB_CLAUDE_SAMPLES) + "/" + name);
  EXPECT_TRUE(in.good()) << "missing sample " << name;
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

StreamJsonParser parsed(const std::string& name, std::size_t drop_last = 0) {
  StreamJsonParser parser;
  std::vector<std::string> lines = sampleLines(name);
  for (std::size_t i = 0; i + drop_last < lines.size(); ++i) parser.feed(lines[i]);
  return parser;
}

RunEnd exited(int code) {
  RunEnd end;
  end.exit.exit_code = code;
  return end;
}

TEST(ClaudeStreamJsonParser, SuccessGivesTextSessionAndTheResultsUsage) {
  StreamJsonParser parser = parsed("success-simple.jsonl");
  ASSERT_TRUE(parser.result().has_value());
  EXPECT_FALSE(parser.result()->is_error);
  EXPECT_EQ(parser.sessionId(), "5f0c2a8e-3d4b-4f7a-9c1e-2b6d8e4a1f30");
  EXPECT_EQ(parser.usage().input_tokens, 3);
  EXPECT_EQ(parser.usage().output_tokens, 31);
  EXPECT_EQ(parser.usage().cache_read_tokens, 18000);
  EXPECT_EQ(parser.usage().cache_creation_tokens, 2100);
  EXPECT_DOUBLE_EQ(parser.usage().cost_usd, 0.0412);
  EXPECT_EQ(parser.usage().turns, 1);

  AgentReply reply = makeClaudeReply(parser, exited(0));
  ASSERT_TRUE(reply.status.ok()) << reply.status.toString();
  json out = json::parse(reply.output_json);
  EXPECT_EQ(out["text"],
            "The build script is `make -C build`; tests run with `ctest --output-on-failure`.");
  EXPECT_EQ(out["session_id"], "5f0c2a8e-3d4b-4f7a-9c1e-2b6d8e4a1f30");
  EXPECT_EQ(out["num_turns"], 1);
  EXPECT_EQ(out["terminal_reason"], "completed");
  EXPECT_EQ(reply.session_id, "5f0c2a8e-3d4b-4f7a-9c1e-2b6d8e4a1f30");
}

TEST(ClaudeStreamJsonParser, CountsUsageOncePerMessageIdWhileStreaming) {
  // Without the result line: two of the four assistant events share msg_01SampleMulti0001.
  StreamJsonParser parser = parsed("tool-use-multi-turn.jsonl", 1);
  EXPECT_FALSE(parser.result().has_value());
  EXPECT_EQ(parser.usage().turns, 3);
  EXPECT_EQ(parser.usage().input_tokens, 9);
  EXPECT_EQ(parser.usage().cache_creation_tokens, 2100 + 380 + 290);
  EXPECT_EQ(parser.sessionId(), "c3d9f6a1-2b4e-4d8f-a7c0-5e1b3d9f7a22");
}

TEST(ClaudeStreamJsonParser, GivesShortProgressForTextAndToolCalls) {
  StreamJsonParser parser;
  std::vector<std::string> progress;
  for (const std::string& line : sampleLines("tool-use-multi-turn.jsonl")) {
    StreamJsonParser::Update update = parser.feed(line);
    if (!update.progress.empty()) progress.push_back(update.progress);
  }
  ASSERT_GE(progress.size(), 4u);
  EXPECT_EQ(progress[1], "I'll check which workers are running first.");
  EXPECT_EQ(progress[2], "tool: mcp__gateway__list_workers");
  EXPECT_EQ(progress[3], "tool: Bash");
  for (const std::string& p : progress) EXPECT_LE(p.size(), 163u);
}

TEST(ClaudeStreamJsonParser, ToleratesNonJsonLinesAndUnknownEvents) {
  StreamJsonParser parser;
  parser.feed("Warning: something on stdout");
  parser.feed("[1,2,3]");
  parser.feed(R"({"type":"stream_event","event":{"type":"message_start"}})");
  parser.feed(R"({"type":"system","subtype":"api_retry","attempt":1})");
  parser.feed(R"({"type":"assistant","message":"not an object"})");
  parser.feed(R"({"type":"result","is_error":"yes"})");
  EXPECT_EQ(parser.skippedLines(), 2);
  ASSERT_TRUE(parser.result().has_value());
  EXPECT_TRUE(parser.result()->is_error);  // not a boolean false: not a success
}

TEST(ClaudeStreamJsonParser, ResumedRunReportsOnlyThisInvocation) {
  // Real 2.1.330 output of a third --resume: total_cost_usd and modelUsage are session-wide.
  StreamJsonParser parser = parsed("real-2.1.330-resumed.jsonl");
  ASSERT_TRUE(parser.result().has_value());
  EXPECT_NEAR(parser.result()->total_cost_usd, 0.000564, 1e-9);
  EXPECT_EQ(parser.usage().input_tokens, 12);
  EXPECT_EQ(parser.usage().output_tokens, 7);
  EXPECT_NEAR(parser.usage().cost_usd, 0.000188, 1e-9);
}

TEST(ClaudeReply, BudgetStopIsResourceExhaustedWithWhatWasSpent) {
  StreamJsonParser parser = parsed("real-2.1.330-budget.jsonl");
  RunEnd end = exited(1);
  end.max_budget_usd = 0.0001;
  AgentReply reply = makeClaudeReply(parser, end);
  EXPECT_EQ(reply.status.code(), StatusCode::kResourceExhausted) << reply.status.toString();
  EXPECT_NE(reply.status.message().find("$0.0001"), std::string::npos) << reply.status.message();
  EXPECT_NE(reply.status.message().find("$0.000188"), std::string::npos) << reply.status.message();
  EXPECT_NEAR(reply.usage.cost_usd, 0.000188, 1e-9);
  EXPECT_EQ(reply.usage.output_tokens, 7);  // the result's own usage says 0
}

TEST(ClaudeReply, MaxTurnsIsResourceExhausted) {
  StreamJsonParser parser = parsed("error-max-turns.jsonl");
  RunEnd end = exited(1);
  end.max_turns = 2;
  AgentReply reply = makeClaudeReply(parser, end);
  EXPECT_EQ(reply.status.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(reply.status.message(), "max turns 2 reached");
  EXPECT_EQ(reply.usage.turns, 3);
  EXPECT_DOUBLE_EQ(reply.usage.cost_usd, 0.1177);
  EXPECT_EQ(reply.session_id, "8b7e1d42-6a90-4c3f-b5d8-0e2f4a6c8b11");
}

TEST(ClaudeReply, IsErrorWinsOverSubtypeSuccess) {
  StreamJsonParser parser = parsed("error-not-logged-in.jsonl");
  AgentReply reply = makeClaudeReply(parser, exited(1));
  // Not transient: retrying without a login fails again.
  EXPECT_EQ(reply.status.code(), StatusCode::kInternal) << reply.status.toString();
  EXPECT_NE(reply.status.message().find("Not logged in"), std::string::npos);
  EXPECT_EQ(reply.usage.turns, 1);
  EXPECT_EQ(reply.usage.totalTokens(), 0);  // the synthetic message costs nothing
}

TEST(ClaudeReply, TransientApiErrorsAreUnavailable) {
  for (
      const char* line :
      {R"({"type":"result","subtype":"success","is_error":true,"result":"API Error: Connection refused",)"
       R"("terminal_reason":"api_error","api_error":"connection_failed","session_id":"s1"})",
       R"({"type":"result","subtype":"success","is_error":true,"result":"API Error: 429",)"
       R"("terminal_reason":"api_error","api_error_status":429,"session_id":"s1"})"}) {
    StreamJsonParser parser;
    parser.feed(line);
    AgentReply reply = makeClaudeReply(parser, exited(1));
    EXPECT_EQ(reply.status.code(), StatusCode::kUnavailable) << reply.status.toString();
    EXPECT_NE(reply.status.message().find("API Error"), std::string::npos)
        << reply.status.message();
  }
}

TEST(ClaudeReply, OtherErrorsAreInternalWithTheErrorsAndStderr) {
  StreamJsonParser parser = parsed("interrupted-sigint.jsonl");
  RunEnd end = exited(0);
  end.stderr_text = "first line\nsome trouble\n";
  AgentReply reply = makeClaudeReply(parser, end);
  EXPECT_EQ(reply.status.code(), StatusCode::kInternal);
  EXPECT_NE(reply.status.message().find("error_during_execution"), std::string::npos);
  EXPECT_NE(reply.status.message().find("[ede_diagnostic]"), std::string::npos);
  EXPECT_NE(reply.status.message().find("stderr: first line some trouble"), std::string::npos);
}

TEST(ClaudeReply, NoResultLineIsUnavailableWithTheExitAndStderr) {
  StreamJsonParser parser = parsed("success-simple.jsonl", 1);
  RunEnd end = exited(143);
  end.stderr_text = "boom\n";
  AgentReply reply = makeClaudeReply(parser, end);
  EXPECT_EQ(reply.status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(reply.status.message(),
            "claude exited with code 143 without a result line; stderr: boom");
  EXPECT_EQ(reply.usage.turns, 1);  // what streamed is still reported
}

TEST(ClaudeReply, UnknownSessionIsNotFound) {
  StreamJsonParser parser;
  RunEnd end = exited(1);
  end.stderr_text = "No conversation found with session ID: 1234\n";
  EXPECT_EQ(makeClaudeReply(parser, end).status.code(), StatusCode::kNotFound);
}

TEST(ClaudeReply, OurStopsDecideTheStatus) {
  StreamJsonParser parser = parsed("interrupted-sigint.jsonl");
  RunEnd end;
  end.exit.signal = 15;
  end.exit.killed_by_host = true;
  end.timeout_ms = 3000;
  end.stopped_by = RunEnd::StoppedBy::kTimeout;
  AgentReply timed_out = makeClaudeReply(parser, end);
  EXPECT_EQ(timed_out.status.code(), StatusCode::kDeadlineExceeded);
  EXPECT_NE(timed_out.status.message().find("3000 ms"), std::string::npos);
  end.stopped_by = RunEnd::StoppedBy::kCancel;
  EXPECT_EQ(makeClaudeReply(parser, end).status.code(), StatusCode::kCancelled);
}

}  // namespace
}  // namespace switchboard::plugins
