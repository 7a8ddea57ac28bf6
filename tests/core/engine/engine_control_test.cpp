// Engine controls: retries with backoff, timeouts, pause/resume/cancel, budgets.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/core/engine/engine_rig.hpp"

namespace switchboard::testing {
namespace {

using core::ExecutionStatus;
using Clock = std::chrono::steady_clock;

std::int64_t msBetween(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count();
}

TEST(EngineControl, RetriesWithExponentialBackoff) {
  MemoryStore store;
  Rig rig(&store);
  auto agent = rig.addAgent("a", [](const AgentRequest& r, int attempt) {
    Behaviour b = accumulate(r);
    if (r.request_id.ends_with("/s00001") && attempt < 3) b.status = Status::unavailable("flaky");
    return b;
  });
  core::ExecutionOptions options;
  options.max_attempts = 3;
  options.backoff = {40, 2.0, 1000, 0.0};
  std::string id = rig.start("chain", chainParams(3), options);
  ASSERT_EQ(rig.wait(id), ExecutionStatus::kCompleted);
  core::ExecutionSnapshot snap = rig.get(id);
  EXPECT_EQ(snap.steps[0].attempts, 1);
  EXPECT_EQ(snap.steps[1].attempts, 3);
  EXPECT_EQ(snap.steps[2].attempts, 1);
  EXPECT_EQ(agent->callsFor(id + "/s00001"), 3);  // same request id on every attempt
  auto times = agent->callTimes();
  ASSERT_EQ(times.size(), 5u);
  EXPECT_GE(msBetween(times[1], times[2]), 40);  // 1st retry after initial_ms
  EXPECT_GE(msBetween(times[2], times[3]), 80);  // 2nd after initial_ms * multiplier
  EXPECT_LT(msBetween(times[1], times[3]), 1000);
}

TEST(EngineControl, ExhaustedRetriesFailTheStepAndNonRetryableErrorsDoNotRetry) {
  MemoryStore store;
  Rig rig(&store);
  rig.addAgent("a", [](const AgentRequest& r, int) {
    Behaviour b = accumulate(r);
    b.status = r.request_id.ends_with("/s00000") ? Status::internal("boom")
                                                 : Status::invalidArgument("bad prompt");
    return b;
  });
  core::ExecutionOptions options;
  options.max_attempts = 2;
  options.backoff = {1, 2.0, 5, 0.5};
  std::string id = rig.start("chain", chainParams(3), options);
  ASSERT_EQ(rig.wait(id), ExecutionStatus::kFailed);
  core::ExecutionSnapshot snap = rig.get(id);
  ASSERT_EQ(snap.steps.size(), 1u);
  EXPECT_EQ(snap.steps[0].attempts, 2);
  EXPECT_EQ(snap.steps[0].status, StepStatus::kFailed);
  EXPECT_NE(snap.steps[0].error.find("boom"), std::string::npos);

  ExecutionInput input;
  input.params_json = "{\"n\":1}";
  MemoryStore store2;
  Rig rig2(&store2);
  rig2.addAgent("a", [](const AgentRequest&, int) {
    Behaviour b;
    b.status = Status::invalidArgument("bad prompt");
    return b;
  });
  std::string id2 = rig2.start("chain", chainParams(1), options);
  ASSERT_EQ(rig2.wait(id2), ExecutionStatus::kFailed);
  EXPECT_EQ(rig2.get(id2).steps[0].attempts, 1);
}

TEST(EngineControl, StepTimeoutCancelsTheCallAndRetries) {
  MemoryStore store;
  Rig rig(&store);
  auto agent = rig.addAgent("a", answersAfter(5000));
  core::ExecutionOptions options;
  options.step_timeout_ms = 30;
  options.max_attempts = 2;
  options.backoff = {1, 1.0, 1, 0.0};
  auto t0 = Clock::now();
  std::string id = rig.start("chain", chainParams(2), options);
  ASSERT_EQ(rig.wait(id), ExecutionStatus::kFailed);
  EXPECT_LT(msBetween(t0, Clock::now()), 2000);
  core::ExecutionSnapshot snap = rig.get(id);
  EXPECT_EQ(snap.steps[0].status, StepStatus::kTimedOut);
  EXPECT_EQ(snap.steps[0].attempts, 2);
  EXPECT_NE(snap.steps[0].error.find("timed out after 30 ms"), std::string::npos);
  EXPECT_EQ(agent->cancels(), 2);  // each timed-out attempt was cancelled at the agent
}

TEST(EngineControl, ExecutionTimeoutEndsTimedOutAndCancelsInFlightCalls) {
  MemoryStore store;
  Rig rig(&store);
  auto agent = rig.addAgent("a", answersAfter(5000));
  core::ExecutionOptions options;
  options.execution_timeout_ms = 50;
  std::string id = rig.start("fanout", "{\"n\":3}", options);
  ASSERT_EQ(rig.wait(id, 3000), ExecutionStatus::kTimedOut);
  core::ExecutionSnapshot snap = rig.get(id);
  EXPECT_EQ(snap.counts.timed_out, 3);
  EXPECT_EQ(agent->cancels(), 3);
}

TEST(EngineControl, PauseStopsDispatchAndResumeContinues) {
  MemoryStore store;
  Rig rig(&store);
  auto agent = rig.addAgent("a", [](const AgentRequest& r, int) { return accumulate(r, 20); });
  std::string id = rig.start("chain", chainParams(6));
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  ASSERT_TRUE(rig.engine->pause(id).ok());
  EXPECT_EQ(rig.engine->pause(id).code(), StatusCode::kFailedPrecondition);
  std::this_thread::sleep_for(std::chrono::milliseconds(60));  // the in-flight step ends
  int calls = agent->totalCalls();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(agent->totalCalls(), calls);  // nothing new dispatched while paused
  core::ExecutionSnapshot paused = rig.get(id);
  EXPECT_EQ(paused.status, ExecutionStatus::kPaused);
  EXPECT_EQ(paused.counts.running, 0);
  EXPECT_LT(paused.counts.succeeded, 6);
  ASSERT_TRUE(rig.engine->resume(id).ok());
  EXPECT_EQ(rig.engine->resume(id).code(), StatusCode::kFailedPrecondition);
  ASSERT_EQ(rig.wait(id), ExecutionStatus::kCompleted);
  EXPECT_EQ(nlohmann::json::parse(rig.get(id).result_json)["last"]["acc"], 21);
  EXPECT_EQ(rig.engine->pause(id).code(), StatusCode::kFailedPrecondition);
}

TEST(EngineControl, CancelReachesTheInFlightCall) {
  MemoryStore store;
  Rig rig(&store);
  auto agent = rig.addAgent("a", answersAfter(10000));
  std::string id = rig.start("fanout", "{\"n\":2}");
  for (int i = 0; i < 200 && agent->totalCalls() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  auto t0 = Clock::now();
  ASSERT_TRUE(rig.engine->cancel(id).ok());
  ASSERT_EQ(rig.wait(id, 2000), ExecutionStatus::kCancelled);
  EXPECT_LT(msBetween(t0, Clock::now()), 1000);
  EXPECT_EQ(agent->cancels(), 2);
  core::ExecutionSnapshot snap = rig.get(id);
  EXPECT_EQ(snap.counts.cancelled, 2);
  for (const auto& s : snap.steps) EXPECT_EQ(s.status, StepStatus::kCancelled);
  EXPECT_EQ(rig.engine->cancel(id).code(), StatusCode::kFailedPrecondition);
  for (int i = 0; i < 100 && rig.directory.finishedCalls("a") < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(rig.directory.finishedCalls("a"), 2);
}

TEST(EngineControl, TokenBudgetIsEnforcedWhileUsageStreams) {
  MemoryStore store;
  Rig rig(&store);
  auto agent = rig.addAgent("a", [](const AgentRequest&, int) {
    Behaviour b;
    b.delay_ms = 3000;
    b.usage.input_tokens = 1000;  // streamed in 10 parts of ~100 over 3 s
    b.usage_ticks = 10;
    return b;
  });
  core::ExecutionOptions options;
  options.budget.max_tokens = 250;
  auto t0 = Clock::now();
  std::string id = rig.start("chain", chainParams(3), options);
  ASSERT_EQ(rig.wait(id, 5000), ExecutionStatus::kBudgetExceeded);
  EXPECT_LT(msBetween(t0, Clock::now()), 2500);  // stopped mid-call, not after it
  core::ExecutionSnapshot snap = rig.get(id);
  EXPECT_GT(snap.usage.input_tokens, 250);  // what was spent is reported
  EXPECT_LT(snap.usage.input_tokens, 1000);
  EXPECT_EQ(snap.steps[0].status, StepStatus::kBudgetExceeded);
  EXPECT_NE(snap.error.find("token budget"), std::string::npos);
  EXPECT_EQ(agent->cancels(), 1);
}

TEST(EngineControl, CostStepAndWallBudgets) {
  MemoryStore store;
  Rig rig(&store);
  rig.addAgent("a", [](const AgentRequest& r, int) { return accumulate(r); });  // $0.001 each
  core::ExecutionOptions cost;
  cost.budget.max_cost_usd = 0.0035;
  std::string id = rig.start("chain", chainParams(10), cost);
  ASSERT_EQ(rig.wait(id), ExecutionStatus::kBudgetExceeded);
  EXPECT_EQ(rig.get(id).counts.succeeded, 4);

  core::ExecutionOptions steps;
  steps.budget.max_steps = 3;
  id = rig.start("chain", chainParams(10), steps);
  ASSERT_EQ(rig.wait(id), ExecutionStatus::kBudgetExceeded);
  core::ExecutionSnapshot snap = rig.get(id);
  EXPECT_EQ(snap.counts.succeeded, 3);
  EXPECT_EQ(snap.counts.total, 3);
  EXPECT_NE(snap.error.find("step budget"), std::string::npos);

  MemoryStore store2;
  Rig slow(&store2);
  slow.addAgent("a", [](const AgentRequest& r, int) { return accumulate(r, 30); });
  core::ExecutionOptions wall;
  wall.budget.max_wall_ms = 100;
  id = slow.start("chain", chainParams(50), wall);
  ASSERT_EQ(slow.wait(id), ExecutionStatus::kBudgetExceeded);
  snap = slow.get(id);
  EXPECT_GT(snap.counts.succeeded, 0);
  EXPECT_LT(snap.counts.succeeded, 50);
  EXPECT_NE(snap.error.find("wall-time"), std::string::npos);
}

}  // namespace
}  // namespace switchboard::testing
