// In-test workflow patterns for the engine tests and benchmarks, deterministic and
// incremental (O(1) per onSettled):
//  - ChainPattern "chain": params {"n", "agent", "max_attempts"?, "timeout_ms"?}; step
//    s<i> gets {"i":i,"prev":<output of s<i-1>>}; completes with {"n","last"} or fails
//    when a step does not succeed.
//  - FanOutPattern "fanout": params {"n", "agent"}; n steps b<i> at once; completes with
//    {"succeeded","failed"} when all settle.
//  - BlockPattern "block": runs one step, then returns kBlock with a reason.
//  - StallPattern "stall": runs one step, then asks for nothing and never completes
//    (the engine must end it as blocked).
// Thread safety: patterns are immutable; deciders are used by one thread at a time.
#pragma once

#include <memory>
#include <string>

#include "switchboard/workflow.hpp"

namespace switchboard::testing {

class ChainPattern : public WorkflowPattern {
 public:
  std::string description() const override { return "test chain"; }
  std::string paramsSchema() const override { return "{}"; }
  Result<std::unique_ptr<Decider>> createDecider(const ExecutionInput& input) override;
};

class FanOutPattern : public WorkflowPattern {
 public:
  std::string description() const override { return "test fan-out"; }
  std::string paramsSchema() const override { return "{}"; }
  Result<std::unique_ptr<Decider>> createDecider(const ExecutionInput& input) override;
};

class BlockPattern : public WorkflowPattern {
 public:
  std::string description() const override { return "test block"; }
  std::string paramsSchema() const override { return "{}"; }
  Result<std::unique_ptr<Decider>> createDecider(const ExecutionInput& input) override;
};

class StallPattern : public WorkflowPattern {
 public:
  std::string description() const override { return "test stall"; }
  std::string paramsSchema() const override { return "{}"; }
  Result<std::unique_ptr<Decider>> createDecider(const ExecutionInput& input) override;
};

// "chain" | "fanout" | "block" | "stall" -> a pattern; NotFound otherwise.
Result<std::shared_ptr<WorkflowPattern>> resolveTestPattern(const std::string& name);

// Step keys: s00042 / b00042.
std::string stepKey(char prefix, int i);

}  // namespace switchboard::testing
