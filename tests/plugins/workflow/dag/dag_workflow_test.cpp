// The dag decider, driven by hand: phases under max_parallel, dependency outputs, cycle and
// unknown-dependency errors, failure policies, determinism and 10,000-node graphs.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "tests/plugins/support/decider_driver.hpp"

namespace switchboard::plugins {
namespace {

using nlohmann::json;
using namespace testing;  // NOLINT: the test helpers

const json kAgents = json::array({{{"id", "a1"}}, {{"id", "a2"}}});

json task(const std::string& id, const std::vector<std::string>& depends_on = {}) {
  return {{"id", id}, {"title", "do " + id}, {"depends_on", depends_on}};
}

class DagWorkflowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pattern_ = loadPatternForTest("dag");
    ASSERT_NE(pattern_, nullptr);
  }
  Result<std::unique_ptr<Decider>> make(const json& tasks, const json& params = json::object()) {
    return pattern_->createDecider(inputForTest(params, kAgents, tasks));
  }
  std::unique_ptr<Decider> decider(const json& tasks, const json& params = json::object()) {
    auto made = make(tasks, params);
    EXPECT_TRUE(made.ok()) << made.status().toString();
    return made.ok() ? std::move(*made) : nullptr;
  }
  std::shared_ptr<WorkflowPattern> pattern_;
};

std::map<std::string, std::string> taskStatuses(const Decision& decision) {
  std::map<std::string, std::string> out;
  const json result = parsedForTest(decision.result_json);
  for (const json& entry : result["tasks"]) out[entry["id"]] = entry["status"];
  return out;
}

TEST_F(DagWorkflowTest, PhasesRespectDependenciesAndMaxParallel) {
  // a, b, c, d, e are independent; f needs a and b; g needs f and c; h needs g.
  json tasks = json::array({task("a"), task("b"), task("c"), task("d"), task("e"),
                            task("f", {"a", "b"}), task("g", {"f", "c"}), task("h", {"g"})});
  auto d = decider(tasks, {{"max_parallel", 2}});
  ASSERT_NE(d, nullptr);
  std::set<std::string> done;
  RunForTest run = runToEndForTest(*d, [&](const StepSpec& s) {
    const std::string id = s.task_id;
    const json input = parsedForTest(s.input_json);
    for (const auto& [dep, output] : input["dependencies"].items()) {
      EXPECT_TRUE(done.count(dep)) << id << " started before " << dep << " finished";
      EXPECT_EQ(output, json({{"from", dep}}));
    }
    done.insert(id);
    return succeeded(s.key, {{"from", id}});
  });
  EXPECT_EQ(run.max_in_flight, 2u);
  EXPECT_EQ(run.dispatched.size(), 8u);
  EXPECT_EQ(run.dispatched[0].key, "task:a");
  EXPECT_EQ(run.dispatched[0].agent_id, "a1");
  EXPECT_EQ(run.dispatched[1].agent_id, "a2");
  ASSERT_EQ(run.final.kind, Decision::Kind::kComplete);
  json result = parsedForTest(run.final.result_json);
  EXPECT_EQ(result["phases"], json::parse(R"([["a","b","c","d","e"],["f"],["g"],["h"]])"));
  EXPECT_EQ(result["outputs"]["h"]["from"], "h");
  EXPECT_EQ(result["tasks"][7], json({{"id", "h"}, {"status", "succeeded"}, {"phase", 4}}));
}

TEST_F(DagWorkflowTest, CycleIsRejectedNamingItsTasks) {
  json tasks = json::array(
      {task("a", {"c"}), task("b", {"a"}), task("c", {"b"}), task("d", {"a"}), task("e")});
  auto made = make(tasks);
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(made.status().message().find("cycle: a -> c -> b -> a"), std::string::npos)
      << made.status().message();
  auto self = make(json::array({task("x"), task("loop", {"loop"})}));
  EXPECT_NE(self.status().message().find("cycle: loop -> loop"), std::string::npos)
      << self.status().message();
}

TEST_F(DagWorkflowTest, UnknownDependenciesAreAllNamed) {
  auto made = make(json::array({task("a"), task("b", {"x"}), task("c", {"a", "y"})}));
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(made.status().message().find("unknown dependencies: b -> x, c -> y"), std::string::npos)
      << made.status().message();
}

TEST_F(DagWorkflowTest, MalformedGraphsAreRejected) {
  EXPECT_EQ(make(json::array()).status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(make(json::array({task("a"), task("a")})).status().message().find("duplicate"),
            std::string::npos);
  EXPECT_EQ(make(json::array({{{"title", "no id"}}})).status().code(),
            StatusCode::kInvalidArgument);
  auto no_agents = pattern_->createDecider(
      inputForTest(json::object(), json::array(), json::array({task("a")})));
  EXPECT_EQ(no_agents.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(DagWorkflowTest, FailedTaskSkipsItsDependentsAndBlocks) {
  json tasks = json::array({task("a"), task("b", {"a"}), task("c", {"b"}), task("d"),
                            task("e", {"d"}), task("f", {"a", "d"})});
  auto d = decider(tasks);
  RunForTest run = runToEndForTest(*d, [](const StepSpec& s) {
    return s.task_id == "a" ? failed(s.key, "compile error") : succeeded(s.key, "ok");
  });
  EXPECT_EQ(run.dispatched.size(), 3u);  // a, d, e
  ASSERT_EQ(run.final.kind, Decision::Kind::kBlock);
  EXPECT_NE(run.final.reason.find("4 of 6 tasks did not complete"), std::string::npos)
      << run.final.reason;
  EXPECT_NE(run.final.reason.find("failed: a (failed: compile error)"), std::string::npos);
  EXPECT_NE(run.final.reason.find("could not run: b (needs a), c (needs a), f (needs a)"),
            std::string::npos)
      << run.final.reason;
  EXPECT_EQ(taskStatuses(run.final), (std::map<std::string, std::string>{{"a", "failed"},
                                                                         {"b", "skipped"},
                                                                         {"c", "skipped"},
                                                                         {"d", "succeeded"},
                                                                         {"e", "succeeded"},
                                                                         {"f", "skipped"}}));
  json result = parsedForTest(run.final.result_json);
  EXPECT_EQ(result["tasks"][2]["blocked_by"], "a");
}

TEST_F(DagWorkflowTest, OnFailureFailEndsAtOnce) {
  json tasks = json::array({task("a"), task("b"), task("c", {"a"})});
  auto d = decider(tasks, {{"on_failure", "fail"}});
  RunForTest run = runToEndForTest(*d, [](const StepSpec& s) {
    return s.task_id == "a" ? failed(s.key, "boom", StepStatus::kTimedOut) : succeeded(s.key, 1);
  });
  ASSERT_EQ(run.final.kind, Decision::Kind::kFail);
  EXPECT_EQ(run.final.reason, "task a timed_out: boom");
  EXPECT_EQ(taskStatuses(run.final)["b"], "cancelled");  // in flight when the run failed
  EXPECT_EQ(taskStatuses(run.final)["c"], "skipped");
}

TEST_F(DagWorkflowTest, StrictPhasesWaitForTheWholePreviousPhase) {
  json tasks = json::array({task("slow"), task("fast"), task("next", {"fast"})});
  for (const char* barrier : {"eager", "strict"}) {
    auto d = decider(tasks, {{"phase_barrier", barrier}});
    ASSERT_TRUE(d->start().ok());
    auto after_fast = d->onSettled(succeeded("task:fast", 1));
    ASSERT_TRUE(after_fast.ok());
    if (std::string(barrier) == "eager") {
      ASSERT_EQ(after_fast->steps.size(), 1u);
      EXPECT_EQ(after_fast->steps[0].key, "task:next");
    } else {
      EXPECT_TRUE(after_fast->steps.empty());
      auto after_slow = d->onSettled(succeeded("task:slow", 1));
      ASSERT_EQ(after_slow->steps.size(), 1u);
      EXPECT_EQ(after_slow->steps[0].key, "task:next");
    }
  }
}

TEST_F(DagWorkflowTest, UnexpectedOutcomesAreErrors) {
  auto d = decider(json::array({task("a"), task("b", {"a"})}));
  ASSERT_TRUE(d->start().ok());
  EXPECT_EQ(d->onSettled(succeeded("task:zzz", 1)).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(d->onSettled(succeeded("task:b", 1)).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(DagWorkflowTest, SameOutcomesGiveSameSteps) {
  json tasks = json::array();
  for (int i = 0; i < 40; ++i) {
    std::vector<std::string> deps;
    if (i >= 3) deps = {"t" + std::to_string(i / 3), "t" + std::to_string(i - 2)};
    tasks.push_back(task("t" + std::to_string(i), deps));
  }
  auto outcome = [](const StepSpec& s) {
    return s.task_id == "t7" ? failed(s.key, "x") : succeeded(s.key, s.task_id);
  };
  RunForTest a = runToEndForTest(*decider(tasks, {{"max_parallel", 3}}), outcome);
  RunForTest b = runToEndForTest(*decider(tasks, {{"max_parallel", 3}}), outcome);
  ASSERT_EQ(a.dispatched.size(), b.dispatched.size());
  for (std::size_t i = 0; i < a.dispatched.size(); ++i) {
    EXPECT_EQ(a.dispatched[i].key, b.dispatched[i].key);
    EXPECT_EQ(a.dispatched[i].input_json, b.dispatched[i].input_json);
  }
  EXPECT_EQ(a.final.reason, b.final.reason);
  EXPECT_EQ(a.final.result_json, b.final.result_json);
}

TEST_F(DagWorkflowTest, TenThousandTaskChainAndFanOut) {
  constexpr int kTasks = 10000;
  json chain = json::array({task("t0")});
  json fan = json::array({task("root")});
  for (int i = 1; i < kTasks; ++i) {
    chain.push_back(task("t" + std::to_string(i), {"t" + std::to_string(i - 1)}));
    fan.push_back(task("leaf" + std::to_string(i), {"root"}));
  }
  std::size_t largest_input = 0;
  auto outcome = [&](const StepSpec& s) {
    largest_input = std::max(largest_input, s.input_json.size());
    return succeeded(s.key, 1);
  };
  RunForTest chained = runToEndForTest(*decider(chain, {{"max_parallel", 0}}), outcome);
  EXPECT_EQ(chained.final.kind, Decision::Kind::kComplete);
  EXPECT_EQ(chained.dispatched.size(), std::size_t{kTasks});
  EXPECT_EQ(chained.max_in_flight, 1u);
  EXPECT_EQ(parsedForTest(chained.final.result_json)["phases"].size(), std::size_t{kTasks});
  EXPECT_LT(largest_input, 300u);  // inputs do not grow along the chain

  RunForTest fanned = runToEndForTest(*decider(fan, {{"max_parallel", 0}}), outcome);
  EXPECT_EQ(fanned.final.kind, Decision::Kind::kComplete);
  EXPECT_EQ(fanned.dispatched.size(), std::size_t{kTasks});
  EXPECT_EQ(fanned.max_in_flight, std::size_t{kTasks - 1});
  EXPECT_EQ(fanned.decisions, std::size_t{kTasks + 1});

  // A 10,000-long chain that closes into a cycle is found without recursion.
  chain[0]["depends_on"] = {"t" + std::to_string(kTasks - 1)};
  auto cyclic = make(chain);
  EXPECT_EQ(cyclic.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(cyclic.status().message().rfind("dag: cycle: t0 -> t9999 -> t9998", 0), 0u);
}

}  // namespace
}  // namespace switchboard::plugins
