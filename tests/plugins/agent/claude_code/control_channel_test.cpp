// ControlChannel: the lines written to the CLI's stdin, and the answer to each control
// request the parser hands over (lines in the shape Claude Code 2.1.330 printed).
#include "plugins/agent/claude_code/control_channel.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "plugins/agent/claude_code/stream_json_parser.hpp"

namespace switchboard::plugins {
namespace {

using nlohmann::json;

// What the CLI printed for a Write permission prompt (copied from a real 2.1.330 run).
constexpr const char* kWritePrompt =
    R"({"type":"control_request","request_id":"0e59907b-0bd9-403c-b8ae-b918a5f95ed1","request":)"
    R"({"subtype":"can_use_tool","tool_name":"Write","display_name":"Write","input":)"
    R"({"file_path":"/tmp/ccx/ws/w.txt","content":"x"},"description":"w.txt",)"
    R"("permission_suggestions":[{"type":"setMode","mode":"acceptEdits","destination":"session"}],)"
    R"("tool_use_id":"toolu_1"}})";

ControlRequest parsed(const std::string& line) {
  StreamJsonParser parser;
  StreamJsonParser::Update update = parser.feed(line);
  EXPECT_TRUE(update.control.has_value()) << line;
  return update.control ? *update.control : ControlRequest{};
}

std::shared_ptr<const ToolPolicy> policy(const json& config) {
  Result<ToolPolicy> p = ToolPolicy::parse(&config);
  EXPECT_TRUE(p.ok()) << p.status().toString();
  return std::make_shared<const ToolPolicy>(p.ok() ? *p : ToolPolicy{});
}

json body(const std::string& line) {
  EXPECT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line only";
  return json::parse(line, nullptr, false);
}

TEST(ControlChannel, ThePromptIsOneUserMessageLine) {
  json m = body(ControlChannel::userMessage("two\nlines and \"quotes\""));
  EXPECT_EQ(m, (json{{"type", "user"},
                     {"message", {{"role", "user"}, {"content", "two\nlines and \"quotes\""}}}}));
}

TEST(ControlChannel, InterruptsCarryFreshIds) {
  ControlChannel channel(nullptr);
  json a = body(channel.interruptRequest());
  json b = body(channel.interruptRequest());
  EXPECT_EQ(a["type"], "control_request");
  EXPECT_EQ(a["request"], (json{{"subtype", "interrupt"}}));
  EXPECT_NE(a["request_id"], b["request_id"]);
}

TEST(ControlChannel, AllowedToolGetsItsInputBackUnchanged) {
  ControlChannel channel(policy({{"allow", {"Write(/tmp/ccx/*)"}}}));
  ControlRequest request = parsed(kWritePrompt);
  EXPECT_EQ(request.subtype, "can_use_tool");
  ControlChannel::Answer answer = channel.answer(request);
  json reply = body(answer.line);
  EXPECT_EQ(reply["type"], "control_response");
  EXPECT_EQ(reply["response"]["subtype"], "success");
  EXPECT_EQ(reply["response"]["request_id"], "0e59907b-0bd9-403c-b8ae-b918a5f95ed1");
  EXPECT_EQ(reply["response"]["response"],
            (json{{"behavior", "allow"},
                  {"updatedInput", {{"file_path", "/tmp/ccx/ws/w.txt"}, {"content", "x"}}}}));
  ASSERT_TRUE(answer.decision.has_value());
  EXPECT_EQ(*answer.decision, (json{{"tool_use_id", "toolu_1"},
                                    {"tool", "Write"},
                                    {"input", "/tmp/ccx/ws/w.txt"},
                                    {"decision", "allow"},
                                    {"rule", "Write(/tmp/ccx/*)"}}));
  EXPECT_EQ(answer.progress, "tool allowed: Write /tmp/ccx/ws/w.txt (rule \"Write(/tmp/ccx/*)\")");
}

TEST(ControlChannel, DeniedToolGetsThePolicysMessage) {
  ControlChannel channel(policy({{"allow", {"Bash"}}, {"deny_message", "Writes need review."}}));
  ControlChannel::Answer answer = channel.answer(parsed(kWritePrompt));
  json reply = body(answer.line);
  json response = reply["response"]["response"];
  EXPECT_EQ(response["behavior"], "deny");
  EXPECT_EQ(response["message"], "Writes need review. (no allow rule matches this Write call)");
  EXPECT_FALSE(response.contains("updatedInput"));
  ASSERT_TRUE(answer.decision.has_value());
  EXPECT_EQ((*answer.decision)["decision"], "deny");
  EXPECT_TRUE((*answer.decision)["rule"].is_null());
  EXPECT_EQ((*answer.decision)["message"], response["message"]);
  EXPECT_EQ(answer.progress.rfind("tool denied: Write /tmp/ccx/ws/w.txt (the policy's default)", 0),
            0u)
      << answer.progress;
}

TEST(ControlChannel, UnknownRequestsGetAnErrorNotSilence) {
  ControlChannel channel(nullptr);
  ControlChannel::Answer answer = channel.answer(parsed(
      R"({"type":"control_request","request_id":"r7","request":{"subtype":"elicitation","x":1}})"));
  json reply = body(answer.line);
  EXPECT_EQ(reply["response"]["subtype"], "error");
  EXPECT_EQ(reply["response"]["request_id"], "r7");
  EXPECT_NE(reply["response"]["error"].get<std::string>().find("elicitation"), std::string::npos);
  EXPECT_FALSE(answer.decision.has_value());
  EXPECT_NE(answer.progress.find("elicitation"), std::string::npos);

  ControlChannel::Answer nameless = channel.answer(parsed(
      R"({"type":"control_request","request_id":"r8","request":{"subtype":"can_use_tool"}})"));
  EXPECT_EQ(body(nameless.line)["response"]["subtype"], "error");
  EXPECT_FALSE(nameless.decision.has_value());
}

TEST(ControlChannel, LongInputsAreCutOnACharacterBoundary) {
  std::string command = "echo " + std::string(300, 'x') + "\xc3\xa9";  // ends in 'é'
  ControlRequest request;
  request.request_id = "r1";
  request.subtype = "can_use_tool";
  request.request = {{"subtype", "can_use_tool"},
                     {"tool_name", "Bash"},
                     {"input", {{"command", std::string(199, 'a') + "\xc3\xa9" + command}}}};
  ControlChannel::Answer answer = ControlChannel(nullptr).answer(request);
  ASSERT_TRUE(answer.decision.has_value());
  std::string input = (*answer.decision)["input"];
  EXPECT_EQ(input, std::string(199, 'a') + "...");
  EXPECT_NO_THROW((void)answer.decision->dump());  // valid UTF-8
}

TEST(StreamJsonParserControl, HandsOverRequestsAndFlagsTheResult) {
  StreamJsonParser parser;
  EXPECT_FALSE(parser.feed(R"({"type":"control_request","request":{"subtype":"x"}})").control)
      << "a request without an id cannot be answered";
  StreamJsonParser::Update refused = parser.feed(
      R"({"type":"control_response","response":{"subtype":"error","request_id":"a","error":"nope"}})");
  EXPECT_EQ(refused.progress, "claude refused a control request: nope");
  StreamJsonParser::Update result = parser.feed(
      R"({"type":"result","subtype":"success","is_error":false,"result":"ok","session_id":"s"})");
  EXPECT_TRUE(result.result);
  EXPECT_FALSE(result.control.has_value());
}

}  // namespace
}  // namespace switchboard::plugins
