// The parallel decider, driven by hand: joins, failure policies, blocked joins, caps,
// determinism and a 10,000-branch fan-out.
#include <gtest/gtest.h>

#include <string>

#include "tests/plugins/support/decider_driver.hpp"

namespace switchboard::plugins {
namespace {

using nlohmann::json;
using namespace testing;  // NOLINT: the test helpers

const json kAgents = json::array({{{"id", "a1"}}, {{"id", "a2"}}, {{"id", "a3"}}, {{"id", "a4"}}});

class ParallelWorkflowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pattern_ = loadPatternForTest("parallel");
    ASSERT_NE(pattern_, nullptr);
  }
  std::unique_ptr<Decider> decider(const json& params, const json& tasks = json::array()) {
    auto made = pattern_->createDecider(inputForTest(params, kAgents, tasks, "compare options"));
    EXPECT_TRUE(made.ok()) << made.status().toString();
    return made.ok() ? std::move(*made) : nullptr;
  }
  std::shared_ptr<WorkflowPattern> pattern_;
};

// Statuses of the result's branches, in order.
std::vector<std::string> statuses(const Decision& decision) {
  std::vector<std::string> out;
  const json result = parsedForTest(decision.result_json);
  for (const json& branch : result["branches"]) {
    out.push_back(branch["status"]);
  }
  return out;
}

TEST_F(ParallelWorkflowTest, DefaultIsOneBranchPerAgentJoinedByAll) {
  auto d = decider(json::object());
  ASSERT_NE(d, nullptr);
  auto start = d->start();
  ASSERT_TRUE(start.ok());
  ASSERT_EQ(start->steps.size(), 4u);
  EXPECT_EQ(start->steps[3].key, "branch-4");
  EXPECT_EQ(start->steps[3].agent_id, "a4");
  EXPECT_EQ(parsedForTest(start->steps[0].input_json)["prompt"], "compare options");
  for (int i = 1; i <= 3; ++i) {
    auto next = d->onSettled(succeeded("branch-" + std::to_string(i), i));
    ASSERT_TRUE(next.ok());
    EXPECT_EQ(next->kind, Decision::Kind::kContinue);
    EXPECT_TRUE(next->steps.empty());
  }
  auto done = d->onSettled(succeeded("branch-4", 4));
  ASSERT_EQ(done->kind, Decision::Kind::kComplete);
  json result = parsedForTest(done->result_json);
  EXPECT_EQ(result["join"], "all");
  EXPECT_EQ(result["succeeded"], 4);
  EXPECT_EQ(result["outputs"]["branch-2"], 2);
  EXPECT_EQ(result["branches"][0]["output"], 1);
  EXPECT_EQ(result["branches"][0]["agent"], "a1");
}

TEST_F(ParallelWorkflowTest, OneBranchPerTask) {
  json tasks = json::array({{{"id", "t1"}, {"title", "A"}}, {{"id", "t2"}, {"capability", "db"}}});
  auto d = decider(json::object(), tasks);
  auto start = d->start();
  ASSERT_EQ(start->steps.size(), 2u);
  EXPECT_EQ(start->steps[0].task_id, "t1");
  EXPECT_EQ(start->steps[0].agent_id, "a1");
  EXPECT_EQ(start->steps[1].capability, "db");
  EXPECT_EQ(parsedForTest(start->steps[0].input_json)["task"]["title"], "A");
}

TEST_F(ParallelWorkflowTest, FailFastEndsOnTheFirstFailure) {
  auto d = decider({{"failure", "fail_fast"}});
  ASSERT_TRUE(d->start().ok());
  ASSERT_EQ(d->onSettled(succeeded("branch-2", "ok"))->kind, Decision::Kind::kContinue);
  auto failed_decision = d->onSettled(failed("branch-3", "rate limited"));
  ASSERT_TRUE(failed_decision.ok());
  EXPECT_EQ(failed_decision->kind, Decision::Kind::kFail);
  EXPECT_NE(failed_decision->reason.find("branch-3"), std::string::npos);
  EXPECT_NE(failed_decision->reason.find("rate limited"), std::string::npos);
  EXPECT_EQ(statuses(*failed_decision),
            (std::vector<std::string>{"cancelled", "succeeded", "failed", "cancelled"}));
}

TEST_F(ParallelWorkflowTest, SettleAllLetsEveryBranchFinishThenBlocks) {
  auto d = decider({{"failure", "settle_all"}});
  ASSERT_TRUE(d->start().ok());
  EXPECT_EQ(d->onSettled(failed("branch-1", "boom"))->kind, Decision::Kind::kContinue);
  EXPECT_EQ(d->onSettled(succeeded("branch-2", "ok"))->kind, Decision::Kind::kContinue);
  EXPECT_EQ(d->onSettled(failed("branch-4", "late", StepStatus::kTimedOut))->kind,
            Decision::Kind::kContinue);
  auto end = d->onSettled(succeeded("branch-3", "ok"));
  ASSERT_TRUE(end.ok());
  EXPECT_EQ(end->kind, Decision::Kind::kBlock);
  EXPECT_NE(end->reason.find("branch-1 (failed: boom)"), std::string::npos) << end->reason;
  EXPECT_NE(end->reason.find("branch-4 (timed_out: late)"), std::string::npos) << end->reason;
  EXPECT_EQ(statuses(*end),
            (std::vector<std::string>{"failed", "succeeded", "succeeded", "timed_out"}));
}

TEST_F(ParallelWorkflowTest, AnyCompletesOnTheFirstSuccess) {
  auto d = decider({{"join", "any"}});
  ASSERT_TRUE(d->start().ok());
  EXPECT_EQ(d->onSettled(failed("branch-2", "no"))->kind, Decision::Kind::kContinue);
  auto done = d->onSettled(succeeded("branch-3", {{"answer", 42}}));
  ASSERT_EQ(done->kind, Decision::Kind::kComplete);
  EXPECT_EQ(statuses(*done),
            (std::vector<std::string>{"cancelled", "failed", "succeeded", "cancelled"}));
  EXPECT_EQ(parsedForTest(done->result_json)["outputs"]["branch-3"]["answer"], 42);
}

TEST_F(ParallelWorkflowTest, AnyWithEveryBranchFailedBlocks) {
  auto d = decider({{"join", "any"}});
  RunForTest run = runToEndForTest(*d, [](const StepSpec& s) { return failed(s.key, "down"); });
  EXPECT_EQ(run.final.kind, Decision::Kind::kBlock);
  EXPECT_NE(run.final.reason.find("needs 1 of 4"), std::string::npos) << run.final.reason;
  for (int i = 1; i <= 4; ++i) {
    EXPECT_NE(run.final.reason.find("branch-" + std::to_string(i)), std::string::npos);
  }
}

TEST_F(ParallelWorkflowTest, QuorumThatCanNoLongerBeMetBlocks) {
  auto d = decider({{"join", "quorum"}, {"quorum", 3}, {"failure", "settle_all"}});
  RunForTest run = runToEndForTest(*d, [](const StepSpec& s) {
    return s.key == "branch-1" || s.key == "branch-3" ? failed(s.key, "bad") : succeeded(s.key, 1);
  });
  EXPECT_EQ(run.final.kind, Decision::Kind::kBlock);
  EXPECT_NE(run.final.reason.find("3 of 4"), std::string::npos) << run.final.reason;
  EXPECT_NE(run.final.reason.find("branch-1"), std::string::npos);
  EXPECT_NE(run.final.reason.find("branch-3"), std::string::npos);
  json result = parsedForTest(run.final.result_json);
  EXPECT_EQ(result["succeeded"], 2);
  EXPECT_EQ(result["failed"], 2);
}

TEST_F(ParallelWorkflowTest, QuorumCompletesWhenMet) {
  auto d = decider({{"join", "quorum"}, {"quorum", 2}});
  ASSERT_TRUE(d->start().ok());
  EXPECT_EQ(d->onSettled(failed("branch-4", "x"))->kind, Decision::Kind::kContinue);
  EXPECT_EQ(d->onSettled(succeeded("branch-1", 1))->kind, Decision::Kind::kContinue);
  auto done = d->onSettled(succeeded("branch-2", 2));
  EXPECT_EQ(done->kind, Decision::Kind::kComplete);
  EXPECT_EQ(statuses(*done),
            (std::vector<std::string>{"succeeded", "succeeded", "cancelled", "failed"}));
}

TEST_F(ParallelWorkflowTest, BadJoinParamsAreRejected) {
  for (const json& params :
       {json{{"join", "quorum"}}, json{{"join", "quorum"}, {"quorum", 5}},
        json{{"join", "quorum"}, {"quorum", 0}}, json{{"join", "all"}, {"quorum", 2}}}) {
    auto made = pattern_->createDecider(inputForTest(params, kAgents, json::array(), "x"));
    EXPECT_EQ(made.status().code(), StatusCode::kInvalidArgument) << params.dump();
  }
  auto empty = pattern_->createDecider(inputForTest(json::object(), kAgents, json::array()));
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(ParallelWorkflowTest, MaxParallelCapsBranchesInFlight) {
  json branches = json::array();
  for (int i = 0; i < 10; ++i) branches.push_back({{"prompt", "p" + std::to_string(i)}});
  auto d = decider({{"branches", branches}, {"max_parallel", 3}});
  RunForTest run = runToEndForTest(*d, [](const StepSpec& s) { return succeeded(s.key, 0); });
  EXPECT_EQ(run.max_in_flight, 3u);
  EXPECT_EQ(run.dispatched.size(), 10u);
  EXPECT_EQ(run.final.kind, Decision::Kind::kComplete);

  auto capped_any = decider({{"branches", branches}, {"max_parallel", 2}, {"join", "any"}});
  RunForTest any = runToEndForTest(*capped_any, [](const StepSpec& s) {
    return s.key == "branch-2" ? succeeded(s.key, 0) : failed(s.key, "x");
  });
  EXPECT_EQ(any.final.kind, Decision::Kind::kComplete);
  std::vector<std::string> got = statuses(any.final);
  EXPECT_EQ(got[0], "failed");
  EXPECT_EQ(got[1], "succeeded");
  EXPECT_EQ(got[2], "cancelled");  // dispatched when branch-1 failed, still running
  EXPECT_EQ(got[9], "skipped");    // never dispatched
}

TEST_F(ParallelWorkflowTest, SameOutcomesGiveSameSteps) {
  auto outcome = [](const StepSpec& s) {
    return s.key.back() == '3' ? failed(s.key, "x") : succeeded(s.key, s.key);
  };
  json branches = json::array();
  for (int i = 0; i < 25; ++i) branches.push_back({{"prompt", std::to_string(i)}});
  const json params = {{"branches", branches}, {"failure", "settle_all"}, {"max_parallel", 4}};
  RunForTest a = runToEndForTest(*decider(params), outcome);
  RunForTest b = runToEndForTest(*decider(params), outcome);
  ASSERT_EQ(a.dispatched.size(), b.dispatched.size());
  for (std::size_t i = 0; i < a.dispatched.size(); ++i) {
    EXPECT_EQ(a.dispatched[i].key, b.dispatched[i].key);
    EXPECT_EQ(a.dispatched[i].agent_id, b.dispatched[i].agent_id);
    EXPECT_EQ(a.dispatched[i].input_json, b.dispatched[i].input_json);
  }
  EXPECT_EQ(a.final.reason, b.final.reason);
  EXPECT_EQ(a.final.result_json, b.final.result_json);
}

TEST_F(ParallelWorkflowTest, TenThousandBranchFanOut) {
  constexpr std::size_t kBranches = 10000;
  json tasks = json::array();
  for (std::size_t i = 0; i < kBranches; ++i) tasks.push_back({{"id", "t" + std::to_string(i)}});
  auto d = decider(json::object(), tasks);
  ASSERT_NE(d, nullptr);
  RunForTest run = runToEndForTest(*d, [](const StepSpec& s) { return succeeded(s.key, 1); });
  EXPECT_EQ(run.dispatched.size(), kBranches);
  EXPECT_EQ(run.max_in_flight, kBranches);
  EXPECT_EQ(run.decisions, kBranches + 1);
  EXPECT_EQ(run.final.kind, Decision::Kind::kComplete);
  EXPECT_EQ(parsedForTest(run.final.result_json)["branches"].size(), kBranches);
  // A settle_all fan-out where everything fails names only the first branches.
  auto all_fail = decider({{"failure", "settle_all"}}, tasks);
  RunForTest blocked =
      runToEndForTest(*all_fail, [](const StepSpec& s) { return failed(s.key, "x"); });
  EXPECT_EQ(blocked.final.kind, Decision::Kind::kBlock);
  EXPECT_NE(blocked.final.reason.find("and 9980 more"), std::string::npos);
  EXPECT_LT(blocked.final.reason.size(), 2000u);
}

}  // namespace
}  // namespace switchboard::plugins
