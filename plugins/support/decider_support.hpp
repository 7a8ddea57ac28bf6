// Helpers the bundled Deciders share for reading outcomes and writing decisions and results:
// the wire name of a StepStatus, JSON dumping that never throws on bad UTF-8, an agent's
// output read back as JSON, and the terminal Decision a Decider keeps and repeats.
//
// Part of switchboard_plugin_support (SDK headers and nlohmann only). Free functions without
// state: safe from any thread.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "switchboard/workflow.hpp"

namespace switchboard::plugins {

// "pending", "running", "succeeded", "failed", "cancelled", "timed_out", "skipped",
// "budget_exceeded" ("unknown" for a value outside the enum).
const char* stepStatusName(StepStatus status);

// True once an outcome is final (neither pending nor running).
inline bool isSettled(StepStatus status) {
  return status != StepStatus::kPending && status != StepStatus::kRunning;
}

// Compact JSON; invalid UTF-8 is replaced, never thrown on.
std::string dumpJson(const nlohmann::json& value);

// An agent's output as JSON; text that is not JSON is kept as a string.
nlohmann::json parseOutput(const std::string& output_json);

// The terminal decision of `kind` with `reason` and `result_json`.
Decision finalDecision(Decision::Kind kind, std::string reason, std::string result_json);

}  // namespace switchboard::plugins
