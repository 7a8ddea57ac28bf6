#include "mcp/server/server_task.hpp"

#include <gtest/gtest.h>

#include "mcp/server/task_state.hpp"

namespace switchboard::mcp::server {
namespace {

using nlohmann::json;

json question(const char* method) {
  return {{"method", method},
          {"params", {{"message", "?"}, {"requestedSchema", {{"type", "object"}}}}}};
}

json accept(json content) { return {{"action", "accept"}, {"content", std::move(content)}}; }

TEST(ServerTask, StartsWorkingWithItsLifetimeHints) {
  ServerTask task("t1", 1000, 60000, 500);
  TaskState s = task.state();
  EXPECT_EQ(s.status, TaskStatus::kWorking);
  EXPECT_EQ(s.created_at_ms, 1000);
  json wire = s.taskJson();
  EXPECT_EQ(wire["taskId"], "t1");
  EXPECT_EQ(wire["status"], "working");
  EXPECT_EQ(wire["ttlMs"], 60000);
  EXPECT_EQ(wire["pollIntervalMs"], 500);
  EXPECT_EQ(wire["createdAt"], "1970-01-01T00:00:01.000Z");
  EXPECT_FALSE(wire.contains("result"));
  EXPECT_FALSE(wire.contains("ttl"));
  EXPECT_FALSE(wire.contains("pollInterval"));
}

TEST(ServerTask, NeverExpiresBeforeItsTtl) {
  ServerTask task("t1", 1000, 50, 0);
  EXPECT_FALSE(task.expiredAt(1000));
  EXPECT_FALSE(task.expiredAt(1049));
  EXPECT_TRUE(task.expiredAt(1050));
}

TEST(ServerTask, PartialAnswersKeepItWaitingAndUnknownKeysAreIgnored) {
  ServerTask task("t1", 0, 60000, 0);
  ASSERT_TRUE(task.park(
      {{"a", question("elicitation/create")}, {"b", question("elicitation/create")}}, "carried"));
  TaskState s = task.state();
  EXPECT_EQ(s.status, TaskStatus::kInputRequired);
  EXPECT_EQ(s.detailedJson()["inputRequests"].size(), 2u);
  EXPECT_EQ(task.carriedState(), "carried");

  Result<bool> ready = task.accept({{"nope", {{"ignored", true}}}});
  ASSERT_TRUE(ready.ok());
  EXPECT_FALSE(*ready);
  ready = task.accept({{"a", accept({{"x", 1}})}, {"zzz", 5}});
  ASSERT_TRUE(ready.ok());
  EXPECT_FALSE(*ready);
  s = task.state();
  EXPECT_EQ(s.status, TaskStatus::kInputRequired);
  EXPECT_FALSE(s.input_requests.contains("a"));
  EXPECT_TRUE(s.input_requests.contains("b"));
  ASSERT_TRUE(task.answer("a").has_value());
  EXPECT_EQ((*task.answer("a"))["content"]["x"], 1);
  EXPECT_FALSE(task.answer("b").has_value());

  // An answer to a key already answered is ignored, not stored again.
  ready = task.accept({{"a", accept({{"x", 2}})}});
  ASSERT_TRUE(ready.ok());
  EXPECT_EQ((*task.answer("a"))["content"]["x"], 1);

  ready = task.accept({{"b", accept(json::object())}});
  ASSERT_TRUE(ready.ok());
  EXPECT_TRUE(*ready);
  EXPECT_EQ(task.state().status, TaskStatus::kWorking);
  EXPECT_FALSE(task.state().detailedJson().contains("inputRequests"));
}

TEST(ServerTask, AMisshapenAnswerIsRefusedAndNothingIsStored) {
  ServerTask task("t1", 0, 60000, 0);
  ASSERT_TRUE(
      task.park({{"a", question("elicitation/create")}, {"b", question("roots/list")}}, ""));
  Result<bool> ready =
      task.accept({{"a", accept(json::object())}, {"b", {{"roots", "not a list"}}}});
  ASSERT_FALSE(ready.ok());
  EXPECT_EQ(ready.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(ready.status().message().find("\"b\""), std::string::npos) << ready.status().message();
  EXPECT_FALSE(task.answer("a").has_value());
  EXPECT_EQ(task.state().input_requests.size(), 2u);
  ready = task.accept({{"a", 12345}});
  EXPECT_FALSE(ready.ok());
}

TEST(ServerTask, CancelEndsAWaitingTaskAtOnceButOnlyFlagsARunningOne) {
  ServerTask waiting("w", 0, 60000, 0);
  ASSERT_TRUE(waiting.park({{"a", question("elicitation/create")}}, ""));
  EXPECT_TRUE(waiting.requestCancel());
  EXPECT_EQ(waiting.state().status, TaskStatus::kCancelled);
  EXPECT_TRUE(waiting.cancelFlag()->load());

  ServerTask running("r", 0, 60000, 0);
  EXPECT_FALSE(running.requestCancel());
  EXPECT_EQ(running.state().status, TaskStatus::kWorking);
  EXPECT_TRUE(running.cancelFlag()->load());
  // A handler that asks for input after the cancel does not park the task.
  EXPECT_TRUE(running.park({{"a", question("elicitation/create")}}, ""));
  EXPECT_EQ(running.state().status, TaskStatus::kCancelled);
}

TEST(ServerTask, TerminalStatesAreFinal) {
  ServerTask task("t", 0, 60000, 0);
  ASSERT_TRUE(task.fail({{"code", -32603}, {"message", "boom"}}, "boom"));
  EXPECT_FALSE(task.complete({{"content", json::array()}}));
  EXPECT_FALSE(task.cancelled("late"));
  EXPECT_FALSE(task.requestCancel());
  json detailed = task.state().detailedJson();
  EXPECT_EQ(detailed["status"], "failed");
  EXPECT_EQ(detailed["error"]["code"], -32603);
  EXPECT_FALSE(detailed.contains("result"));
  EXPECT_EQ(detailed["statusMessage"], "boom");
}

TEST(ServerTask, CompletedInlinesTheResultIncludingToolErrors) {
  ServerTask task("t", 0, 60000, 0);
  ASSERT_TRUE(task.complete(
      {{"content", json::array({{{"type", "text"}, {"text", "no"}}})}, {"isError", true}}));
  json detailed = task.state().detailedJson();
  EXPECT_EQ(detailed["status"], "completed");
  EXPECT_EQ(detailed["result"]["isError"], true);
  EXPECT_FALSE(detailed.contains("error"));
}

TEST(ServerTask, AMisshapenIsErrorFromAPluginStillCompletesTheTask) {
  ServerTask task("t", 0, 60000, 0);
  ASSERT_TRUE(task.complete({{"content", json::array()}, {"isError", 1}}));
  TaskState s = task.state();
  EXPECT_EQ(s.status, TaskStatus::kCompleted);
  EXPECT_EQ(s.status_message, "completed");
}

}  // namespace
}  // namespace switchboard::mcp::server
