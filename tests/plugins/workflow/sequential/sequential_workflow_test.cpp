// The sequential decider, driven by hand: order, inputs, failures, determinism and scale.
#include <gtest/gtest.h>

#include <string>

#include "tests/plugins/support/decider_driver.hpp"

namespace switchboard::plugins {
namespace {

using nlohmann::json;
using namespace testing;  // NOLINT: the test helpers

class SequentialWorkflowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pattern_ = loadPatternForTest("sequential");
    ASSERT_NE(pattern_, nullptr);
  }
  std::unique_ptr<Decider> decider(const ExecutionInput& input) {
    auto made = pattern_->createDecider(input);
    EXPECT_TRUE(made.ok()) << made.status().toString();
    return made.ok() ? std::move(*made) : nullptr;
  }
  std::shared_ptr<WorkflowPattern> pattern_;
};

const json kAgents = json::array({{{"id", "a1"}}, {{"id", "a2"}}});

TEST_F(SequentialWorkflowTest, StepsRunInOrderEachSeeingThePreviousOutput) {
  auto d = decider(inputForTest({{"steps",
                                  {{{"prompt", "draft"}},
                                   {{"prompt", "edit"}, {"agent", "ed"}},
                                   {{"prompt", "ship"}, {"capability", "release"}}}}},
                                kAgents, json::array(), "write a post"));
  ASSERT_NE(d, nullptr);
  auto first = d->start();
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->kind, Decision::Kind::kContinue);
  ASSERT_EQ(first->steps.size(), 1u);
  EXPECT_EQ(first->steps[0].key, "step-1");
  EXPECT_EQ(first->steps[0].agent_id, "a1");
  json input = parsedForTest(first->steps[0].input_json);
  EXPECT_EQ(input["prompt"], "draft");
  EXPECT_EQ(input["objective"], "write a post");
  EXPECT_FALSE(input.contains("previous"));

  auto second = d->onSettled(succeeded("step-1", {{"text", "v1"}}));
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->steps.size(), 1u);
  EXPECT_EQ(second->steps[0].agent_id, "ed");
  EXPECT_EQ(parsedForTest(second->steps[0].input_json)["previous"], json({{"text", "v1"}}));

  auto third = d->onSettled(succeeded("step-2", {{"text", "v2"}}));
  ASSERT_EQ(third->steps.size(), 1u);
  EXPECT_EQ(third->steps[0].capability, "release");
  EXPECT_TRUE(third->steps[0].agent_id.empty());
  EXPECT_EQ(parsedForTest(third->steps[0].input_json)["previous"]["text"], "v2");

  auto done = d->onSettled(succeeded("step-3", {{"text", "shipped"}}));
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->kind, Decision::Kind::kComplete);
  EXPECT_TRUE(done->steps.empty());
  json result = parsedForTest(done->result_json);
  EXPECT_EQ(result["output"]["text"], "shipped");
  ASSERT_EQ(result["steps"].size(), 3u);
  EXPECT_EQ(result["steps"][2], json({{"key", "step-3"}, {"status", "succeeded"}}));
}

TEST_F(SequentialWorkflowTest, OneStepPerTaskWithAgentsRoundRobin) {
  json tasks = json::array({{{"id", "t1"}, {"title", "One"}, {"description", "first"}},
                            {{"id", "t2"}, {"title", "Two"}, {"agent", "special"}},
                            {{"id", "t3"}, {"title", "Three"}},
                            {{"id", "t4"}, {"title", "Four"}}});
  auto d = decider(inputForTest(json::object(), kAgents, tasks));
  ASSERT_NE(d, nullptr);
  RunForTest run =
      runToEndForTest(*d, [](const StepSpec& s) { return succeeded(s.key, s.task_id); });
  ASSERT_EQ(run.dispatched.size(), 4u);
  EXPECT_EQ(run.dispatched[0].agent_id, "a1");
  EXPECT_EQ(run.dispatched[1].agent_id, "special");
  EXPECT_EQ(run.dispatched[2].agent_id, "a2");
  EXPECT_EQ(run.dispatched[3].agent_id, "a1");
  EXPECT_EQ(run.dispatched[0].task_id, "t1");
  json input = parsedForTest(run.dispatched[0].input_json);
  EXPECT_EQ(input["prompt"], "One\n\nfirst");
  EXPECT_EQ(input["task"]["id"], "t1");
  EXPECT_EQ(parsedForTest(run.dispatched[3].input_json)["previous"], "t3");
  EXPECT_EQ(run.final.kind, Decision::Kind::kComplete);
  EXPECT_EQ(parsedForTest(run.final.result_json)["output"], "t4");
  EXPECT_EQ(run.max_in_flight, 1u);
}

TEST_F(SequentialWorkflowTest, ObjectiveAloneMakesOneStep) {
  auto d = decider(inputForTest(json::object(), kAgents, json::array(), "summarise"));
  ASSERT_NE(d, nullptr);
  RunForTest run = runToEndForTest(*d, [](const StepSpec& s) { return succeeded(s.key, "ok"); });
  ASSERT_EQ(run.dispatched.size(), 1u);
  EXPECT_EQ(parsedForTest(run.dispatched[0].input_json)["prompt"], "summarise");
  EXPECT_EQ(run.final.kind, Decision::Kind::kComplete);
}

TEST_F(SequentialWorkflowTest, InputsThatCannotRunAreRejected) {
  auto nothing = pattern_->createDecider(inputForTest(json::object(), kAgents, json::array()));
  EXPECT_EQ(nothing.status().code(), StatusCode::kInvalidArgument);
  auto no_agents =
      pattern_->createDecider(inputForTest(json::object(), json::array(), json::array(), "do it"));
  EXPECT_EQ(no_agents.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(no_agents.status().message().find("no agent"), std::string::npos);
  ExecutionInput broken = inputForTest(json::object(), kAgents, json::array(), "x");
  broken.tasks_json = "{not json";
  EXPECT_EQ(pattern_->createDecider(broken).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(SequentialWorkflowTest, FailedStepFailsTheRunNamingIt) {
  json tasks = json::array({{{"id", "t1"}}, {{"id", "t2"}}, {{"id", "t3"}}});
  auto d = decider(inputForTest(json::object(), kAgents, tasks));
  ASSERT_NE(d, nullptr);
  RunForTest run = runToEndForTest(*d, [](const StepSpec& s) {
    return s.key == "step-2" ? failed(s.key, "model refused") : succeeded(s.key, "ok");
  });
  EXPECT_EQ(run.dispatched.size(), 2u);
  EXPECT_EQ(run.final.kind, Decision::Kind::kFail);
  EXPECT_NE(run.final.reason.find("step-2"), std::string::npos);
  EXPECT_NE(run.final.reason.find("t2"), std::string::npos);
  EXPECT_NE(run.final.reason.find("model refused"), std::string::npos);
  json result = parsedForTest(run.final.result_json);
  EXPECT_EQ(result["steps"][1]["status"], "failed");
  EXPECT_EQ(result["steps"][2]["status"], "skipped");
  // After the end, the decider keeps answering with the same terminal decision.
  auto again = d->onSettled(succeeded("step-3", "late"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->kind, Decision::Kind::kFail);
}

TEST_F(SequentialWorkflowTest, ContinueOnFailureGoesOnWithTheLastGoodOutput) {
  json tasks = json::array({{{"id", "t1"}}, {{"id", "t2"}}, {{"id", "t3"}}});
  auto d = decider(inputForTest({{"on_failure", "continue"}}, kAgents, tasks));
  ASSERT_NE(d, nullptr);
  RunForTest run = runToEndForTest(*d, [](const StepSpec& s) {
    return s.key == "step-2" ? failed(s.key, "timeout", StepStatus::kTimedOut)
                             : succeeded(s.key, s.key);
  });
  ASSERT_EQ(run.dispatched.size(), 3u);
  EXPECT_EQ(parsedForTest(run.dispatched[2].input_json)["previous"], "step-1");
  EXPECT_EQ(run.final.kind, Decision::Kind::kComplete);
  json result = parsedForTest(run.final.result_json);
  EXPECT_EQ(result["steps"][1]["status"], "timed_out");
  EXPECT_EQ(result["steps"][1]["error"], "timeout");

  auto all_fail = decider(inputForTest({{"on_failure", "continue"}}, kAgents, tasks));
  RunForTest failed_run =
      runToEndForTest(*all_fail, [](const StepSpec& s) { return failed(s.key, "no"); });
  EXPECT_EQ(failed_run.final.kind, Decision::Kind::kFail);  // never a silent success
}

TEST_F(SequentialWorkflowTest, UnexpectedOutcomeIsAnError) {
  auto d = decider(inputForTest(json::object(), kAgents, json::array(), "x"));
  ASSERT_TRUE(d->start().ok());
  EXPECT_EQ(d->onSettled(succeeded("step-7", "?")).status().code(), StatusCode::kInvalidArgument);
  StepOutcome running{"step-1", StepStatus::kRunning, "", "", 1};
  EXPECT_EQ(d->onSettled(running).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(SequentialWorkflowTest, SameOutcomesGiveSameSteps) {
  json tasks = json::array();
  for (int i = 0; i < 30; ++i) tasks.push_back({{"id", "t" + std::to_string(i)}});
  auto outcome = [](const StepSpec& s) {
    return s.key == "step-9" ? failed(s.key, "x") : succeeded(s.key, {{"from", s.key}});
  };
  auto first = decider(inputForTest({{"on_failure", "continue"}}, kAgents, tasks));
  auto second = decider(inputForTest({{"on_failure", "continue"}}, kAgents, tasks));
  RunForTest a = runToEndForTest(*first, outcome);
  RunForTest b = runToEndForTest(*second, outcome);
  ASSERT_EQ(a.dispatched.size(), b.dispatched.size());
  for (std::size_t i = 0; i < a.dispatched.size(); ++i) {
    EXPECT_EQ(a.dispatched[i].key, b.dispatched[i].key);
    EXPECT_EQ(a.dispatched[i].agent_id, b.dispatched[i].agent_id);
    EXPECT_EQ(a.dispatched[i].input_json, b.dispatched[i].input_json);
  }
  EXPECT_EQ(a.final.result_json, b.final.result_json);
}

TEST_F(SequentialWorkflowTest, TenThousandStepChainCostsTheSamePerStep) {
  constexpr std::size_t kSteps = 10000;
  json tasks = json::array();
  for (std::size_t i = 0; i < kSteps; ++i) tasks.push_back({{"id", "t" + std::to_string(i)}});
  auto d = decider(inputForTest(json::object(), kAgents, tasks));
  ASSERT_NE(d, nullptr);
  std::size_t largest_input = 0;
  RunForTest run = runToEndForTest(*d, [&](const StepSpec& s) {
    largest_input = std::max(largest_input, s.input_json.size());
    return succeeded(s.key, {{"text", "ok"}});
  });
  EXPECT_EQ(run.dispatched.size(), kSteps);
  EXPECT_EQ(run.decisions, kSteps + 1);
  EXPECT_EQ(run.final.kind, Decision::Kind::kComplete);
  EXPECT_LT(largest_input, 200u);  // a step's input does not grow with the chain
  EXPECT_EQ(parsedForTest(run.final.result_json)["steps"].size(), kSteps);
}

}  // namespace
}  // namespace switchboard::plugins
