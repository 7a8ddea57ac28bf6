// Test helpers for workflow deciders: load a pattern, build an ExecutionInput, make
// outcomes, and drive a decider to the end the way the engine does (settling dispatched
// steps one at a time, first dispatched first), recording what it asked for.
//
// Header-only; test code only; not thread-safe.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "switchboard/workflow.hpp"
#include "tests/plugins/support/plugin_loader.hpp"

namespace switchboard::plugins::testing {

inline std::shared_ptr<WorkflowPattern> loadPatternForTest(const std::string& name) {
  auto pattern = loadPluginForTest<WorkflowPattern>("workflow", name, "{}");
  EXPECT_TRUE(pattern.ok()) << pattern.status().toString();
  return pattern.ok() ? *pattern : nullptr;
}

inline ExecutionInput inputForTest(const nlohmann::json& params, const nlohmann::json& agents,
                                   const nlohmann::json& tasks, std::string objective = "") {
  ExecutionInput input;
  input.execution_id = "ex_test";
  input.params_json = params.dump();
  input.agents_json = agents.dump();
  input.tasks_json = tasks.dump();
  input.objective = std::move(objective);
  return input;
}

inline StepOutcome succeeded(const std::string& key, const nlohmann::json& output) {
  return StepOutcome{key, StepStatus::kSucceeded, output.dump(), "", 1};
}

inline StepOutcome failed(const std::string& key, const std::string& error,
                          StepStatus status = StepStatus::kFailed) {
  return StepOutcome{key, status, "", error, 3};
}

// What a run produced.
struct RunForTest {
  Decision final;                    // the terminal decision (kind kContinue if none came)
  std::vector<StepSpec> dispatched;  // every step asked for, in order
  std::size_t max_in_flight = 0;
  std::size_t decisions = 0;  // start() plus every onSettled()
  Status error;               // the first error a decider call returned
};

// Drives `decider` to a terminal decision. `outcome` decides how each dispatched step ends;
// steps settle in dispatch order. `max_steps` guards against a decider that never ends.
inline RunForTest runToEndForTest(Decider& decider,
                                  const std::function<StepOutcome(const StepSpec&)>& outcome,
                                  std::size_t max_steps = 1000000) {
  RunForTest run;
  std::deque<std::size_t> in_flight;
  auto take = [&](Result<Decision> result) {
    ++run.decisions;
    if (!result.ok()) {
      run.error = result.status();
      return false;
    }
    for (StepSpec& spec : result->steps) {
      in_flight.push_back(run.dispatched.size());
      run.dispatched.push_back(std::move(spec));
    }
    run.max_in_flight = std::max(run.max_in_flight, in_flight.size());
    if (result->kind != Decision::Kind::kContinue) {
      run.final = std::move(*result);
      return false;
    }
    return true;
  };
  if (!take(decider.start())) return run;
  while (!in_flight.empty() && run.dispatched.size() <= max_steps) {
    const StepSpec& spec = run.dispatched[in_flight.front()];
    in_flight.pop_front();
    if (!take(decider.onSettled(outcome(spec)))) return run;
  }
  return run;
}

inline nlohmann::json parsedForTest(const std::string& text) {
  nlohmann::json value = nlohmann::json::parse(text, nullptr, false);
  EXPECT_FALSE(value.is_discarded()) << text;
  return value;
}

}  // namespace switchboard::plugins::testing
