// Engine basics: statuses, results, usage, events, concurrency caps, listing, blocked.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/core/engine/engine_rig.hpp"

namespace switchboard::testing {
namespace {

using core::ExecutionStatus;

TEST(Engine, ChainCompletesWithResultUsageAndEvents) {
  MemoryStore store;
  Rig rig(&store);
  auto agent = rig.addAgent("a", [](const AgentRequest& r, int) { return accumulate(r); });
  std::atomic<int> settled_events{0};
  rig.hub.subscribe("execution/", [&](const std::vector<core::Event>& events, std::uint64_t) {
    for (const core::Event& e : events) settled_events += e.type == "step.settled";
  });
  std::string id = rig.start("chain", chainParams(20));
  ASSERT_EQ(rig.wait(id), ExecutionStatus::kCompleted);
  core::ExecutionSnapshot snap = rig.get(id);
  EXPECT_EQ(nlohmann::json::parse(snap.result_json)["last"]["acc"], 20 * 21 / 2);
  EXPECT_EQ(snap.counts.total, 20);
  EXPECT_EQ(snap.counts.succeeded, 20);
  ASSERT_EQ(snap.steps.size(), 20u);
  for (std::size_t i = 0; i < snap.steps.size(); ++i) {
    EXPECT_EQ(snap.steps[i].key, stepKey('s', static_cast<int>(i)));
    EXPECT_EQ(snap.steps[i].attempts, 1);
    EXPECT_EQ(snap.steps[i].status, StepStatus::kSucceeded);
    EXPECT_EQ(snap.steps[i].agent_id, "a");
    EXPECT_EQ(snap.steps[i].usage.input_tokens, 10);
  }
  EXPECT_EQ(snap.usage.input_tokens, 200);
  EXPECT_NEAR(snap.usage.cost_usd, 0.02, 1e-9);
  EXPECT_EQ(rig.directory.finishedCalls("a"), 20);
  EXPECT_EQ(agent->totalCalls(), 20);
  nlohmann::json j = snap.toJson();
  EXPECT_EQ(j["status"], "completed");
  EXPECT_EQ(j["progress"]["succeeded"], 20);
  EXPECT_EQ(j["steps"][3]["output"]["acc"], 10);
  // Events were stored with the steps, in id order, and delivered.
  Result<std::vector<core::Event>> history = rig.hub.history(0, 1000, "execution/" + id);
  ASSERT_TRUE(history.ok());
  for (std::size_t i = 1; i < history->size(); ++i)
    EXPECT_LT((*history)[i - 1].id, (*history)[i].id);
  for (int i = 0; i < 100 && settled_events < 20; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(settled_events.load(), 20);
}

TEST(Engine, WaitStoredReturnsOnceTheExecutionRecordIsInTheStore) {
  MemoryStore store;
  Rig rig(&store);
  rig.addAgent("a", answersAfter(200));
  std::string id = rig.start("chain", chainParams(2));
  ASSERT_TRUE(rig.engine->waitStored(id, 5000).ok());
  Result<std::optional<std::string>> record = store.get("executions", id);
  ASSERT_TRUE(record.ok());
  EXPECT_TRUE(record->has_value());
  EXPECT_EQ(rig.engine->waitStored("ex_nope", 100).code(), StatusCode::kNotFound);
  // A store that rejects the write never stores it: the wait says so instead of hanging.
  store.fail_writes = true;
  std::string unstored = rig.start("chain", chainParams(2));
  Status waited = rig.engine->waitStored(unstored, 2000);
  EXPECT_FALSE(waited.ok());
  store.fail_writes = false;
  rig.wait(id);
}

TEST(Engine, FanOutRespectsTheExecutionConcurrencyCap) {
  MemoryStore store;
  Rig rig(&store);
  auto agent = rig.addAgent("a", answersAfter(3));
  core::ExecutionOptions options;
  options.max_concurrency = 4;
  std::string id = rig.start("fanout", "{\"n\":40}", options);
  ASSERT_EQ(rig.wait(id), ExecutionStatus::kCompleted);
  EXPECT_EQ(rig.get(id).result_json, "{\"succeeded\":40,\"failed\":0}");
  EXPECT_LE(agent->maxInFlight(), 4);
  EXPECT_GE(agent->maxInFlight(), 2);
}

TEST(Engine, GlobalConcurrencyCapSpansExecutions) {
  MemoryStore store;
  Rig rig(&store, /*global_cap=*/3);
  auto agent = rig.addAgent("a", answersAfter(3));
  core::ExecutionOptions options;
  options.max_concurrency = 10;
  std::string x = rig.start("fanout", "{\"n\":20}", options);
  std::string y = rig.start("fanout", "{\"n\":20}", options);
  EXPECT_EQ(rig.wait(x), ExecutionStatus::kCompleted);
  EXPECT_EQ(rig.wait(y), ExecutionStatus::kCompleted);
  EXPECT_LE(agent->maxInFlight(), 3);
  EXPECT_EQ(agent->totalCalls(), 40);
}

TEST(Engine, BlockDecisionEndsBlockedWithTheReason) {
  MemoryStore store;
  Rig rig(&store);
  rig.addAgent("a", [](const AgentRequest&, int) { return Behaviour{}; });
  std::string id = rig.start("block", "{}");
  ASSERT_EQ(rig.wait(id), ExecutionStatus::kBlocked);
  EXPECT_NE(rig.get(id).error.find("join needs 2 branches"), std::string::npos);
}

TEST(Engine, PatternThatStopsAskingEndsBlockedNotCompleted) {
  MemoryStore store;
  Rig rig(&store);
  rig.addAgent("a", [](const AgentRequest&, int) { return Behaviour{}; });
  std::string id = rig.start("stall", "{}");
  ASSERT_EQ(rig.wait(id), ExecutionStatus::kBlocked);
  EXPECT_NE(rig.get(id).error.find("did not finish"), std::string::npos);
}

TEST(Engine, UnknownAgentFailsTheStepWithoutRetrying) {
  MemoryStore store;
  Rig rig(&store);
  std::string id = rig.start("chain", "{\"n\":2,\"agent\":\"ghost\"}");
  ASSERT_EQ(rig.wait(id), ExecutionStatus::kFailed);
  core::ExecutionSnapshot snap = rig.get(id);
  ASSERT_EQ(snap.steps.size(), 1u);
  EXPECT_EQ(snap.steps[0].status, StepStatus::kFailed);
  EXPECT_EQ(snap.steps[0].attempts, 1);
  EXPECT_NE(snap.steps[0].error.find("no agent ghost"), std::string::npos);
  EXPECT_NE(snap.error.find("s00000"), std::string::npos);
}

TEST(Engine, RejectsBadOptionsAndBadInput) {
  MemoryStore store;
  Rig rig(&store);
  core::ExecutionOptions bad;
  bad.max_concurrency = 0;
  ExecutionInput input;
  Result<std::string> r =
      rig.engine->startExecution("chain", std::make_shared<ChainPattern>(), input, bad);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  input.params_json = "{\"n\":0}";
  r = rig.engine->startExecution("chain", std::make_shared<ChainPattern>(), input, {});
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(rig.engine->get("ex_missing").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(core::ExecutionOptions::fromJson(nlohmann::json::parse("{\"max_attempts\":\"x\"}"))
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  Result<core::ExecutionOptions> parsed = core::ExecutionOptions::fromJson(
      nlohmann::json::parse("{\"max_attempts\":5,\"budget\":{\"max_tokens\":9}}"));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->max_attempts, 5);
  EXPECT_EQ(parsed->budget.max_tokens, 9);
}

TEST(Engine, ListPagesAndGetReadsEvictedExecutionsFromTheStore) {
  MemoryStore store;
  Rig rig(&store, 1024, /*keep_terminal=*/0);
  rig.addAgent("a", [](const AgentRequest& r, int) { return accumulate(r); });
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(rig.start("chain", chainParams(3)));
  for (const std::string& id : ids) ASSERT_EQ(rig.wait(id), ExecutionStatus::kCompleted);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // let eviction happen
  core::ExecutionSnapshot snap = rig.get(ids[2]);
  EXPECT_EQ(snap.status, ExecutionStatus::kCompleted);
  EXPECT_EQ(snap.steps.size(), 3u);
  EXPECT_EQ(snap.counts.succeeded, 3);
  EXPECT_EQ(nlohmann::json::parse(snap.result_json)["last"]["acc"], 6);
  Result<core::ExecutionPage> page = rig.engine->list({}, "", 2);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_FALSE(page->next_cursor.empty());
  std::vector<std::string> seen;
  std::string cursor;
  do {
    page = rig.engine->list({}, cursor, 2);
    ASSERT_TRUE(page.ok());
    for (auto& item : page->items) seen.push_back(item.id);
    cursor = page->next_cursor;
  } while (!cursor.empty());
  EXPECT_EQ(seen.size(), 5u);
  core::ExecutionFilter only_failed;
  only_failed.statuses = {ExecutionStatus::kFailed};
  page = rig.engine->list(only_failed, "", 10);
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->items.empty());
}

TEST(Engine, StoreFailureStopsTheExecutionInsteadOfRunningAhead) {
  MemoryStore store;
  Rig rig(&store);
  auto agent = rig.addAgent("a", [](const AgentRequest& r, int) { return accumulate(r, 5); });
  std::string id = rig.start("chain", chainParams(50));
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  store.fail_writes = true;
  ASSERT_EQ(rig.wait(id), ExecutionStatus::kFailed);
  int calls = agent->totalCalls();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(agent->totalCalls(), calls);
  EXPECT_LT(calls, 50);
  EXPECT_NE(rig.get(id).error.find("store rejected"), std::string::npos);
}

}  // namespace
}  // namespace switchboard::testing
