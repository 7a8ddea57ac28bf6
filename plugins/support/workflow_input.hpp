// WorkflowInput: what the bundled workflow patterns read from an ExecutionInput, parsed once
// and the same way for all of them: params as a JSON object, agents and tasks as JSON arrays,
// the ids of the run's agents, and WorkItems made from a task or from a params entry. It also
// hands the run's agents out in turn to items that name neither an agent nor a capability.
//
// Lives in switchboard_plugin_support (a static library the bundled plugins link PRIVATE);
// depends only on the SDK headers and nlohmann. Never throws on bad input: errors come back
// as InvalidArgument with the caller's wording. Ownership: a value type. Thread safety: none
// (one createDecider() call uses one WorkflowInput).
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "switchboard/status.hpp"
#include "switchboard/workflow.hpp"

namespace switchboard::plugins {

// One unit of work a pattern dispatches (a sequential step, a parallel branch).
struct WorkItem {
  std::string agent_id;
  std::string capability;
  std::string task_id;
  nlohmann::json task;  // null when the item is not from a task
  std::string prompt;
  std::int64_t timeout_ms = 0;
  std::int32_t max_attempts = 0;
};

class WorkflowInput {
 public:
  // Parses `input`. params must be an object ("<pattern>: params must be a JSON object");
  // agents and tasks must be arrays ("<array_prefix>agents must be a JSON array"). Empty text
  // counts as {} or [].
  static Result<WorkflowInput> parse(const ExecutionInput& input, const std::string& pattern,
                                     const std::string& array_prefix);

  const nlohmann::json& params() const { return params_; }
  const nlohmann::json& agents() const { return agents_; }
  const nlohmann::json& tasks() const { return tasks_; }
  // Ids of the agents that are objects with a non-empty string "id", in order.
  const std::vector<std::string>& agentIds() const { return agent_ids_; }

  // Sets `agent_id` to the next of the run's agents when both it and `capability` are empty.
  // InvalidArgument "<pattern>: <what> names no agent or capability and the run has no
  // agents" when there is none to give.
  Status assignAgent(std::string& agent_id, const std::string& capability, const std::string& what);

 private:
  std::string pattern_;
  nlohmann::json params_;
  nlohmann::json agents_;
  nlohmann::json tasks_;
  std::vector<std::string> agent_ids_;
  std::size_t next_agent_ = 0;
};

// object[name] when it is a string, otherwise "".
std::string stringField(const nlohmann::json& object, const char* name);

// A task's prompt: its title and description, joined by a blank line when both are there.
std::string taskPrompt(const nlohmann::json& task);

// A WorkItem for `task` (an object): task_id from "id", agent from "agent" or "agent_id",
// capability, the task itself and its prompt.
WorkItem workItemFromTask(const nlohmann::json& task);

// A WorkItem from a params entry (an object) with agent, capability, prompt, timeout_ms and
// max_attempts; `default_prompt` when the entry has no "prompt". Throws nlohmann's type_error
// on a wrongly typed number (createDecider catches it).
WorkItem workItemFromParams(const nlohmann::json& item, const std::string& default_prompt);

// The StepSpec that runs `item` under `key` (input_json left for the caller), and the input
// every pattern gives the agent: {"prompt", "task" (when from a task), "objective" (when
// there is one)}; the caller adds its own fields and dumps it into input_json.
StepSpec stepSpecFor(const WorkItem& item, std::string key);
nlohmann::json stepInputFor(const WorkItem& item, const std::string& objective);

}  // namespace switchboard::plugins
