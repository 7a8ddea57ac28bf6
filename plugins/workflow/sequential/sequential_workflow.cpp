#include "plugins/workflow/sequential/sequential_workflow.hpp"

#include <exception>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "plugins/support/workflow_input.hpp"
#include "plugins/workflow/sequential/sequential_decider.hpp"

namespace switchboard::plugins {
namespace {

using nlohmann::json;

constexpr const char* kParamsSchema = R"({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "sequential params",
  "type": "object",
  "properties": {
    "steps": {
      "description": "The steps, in order. Default: one step per task, or one for the objective.",
      "type": "array",
      "minItems": 1,
      "items": {
        "type": "object",
        "properties": {
          "agent": {"type": "string", "minLength": 1, "description": "Agent id that runs the step."},
          "capability": {"type": "string", "minLength": 1, "description": "Any agent with this capability runs it."},
          "prompt": {"type": "string", "description": "What the step asks."},
          "timeout_ms": {"type": "integer", "minimum": 0},
          "max_attempts": {"type": "integer", "minimum": 0, "maximum": 100}
        },
        "required": ["prompt"],
        "additionalProperties": false
      }
    },
    "on_failure": {
      "enum": ["fail", "continue"],
      "default": "fail",
      "description": "fail: the first failed step fails the run. continue: go on with the next step."
    }
  },
  "additionalProperties": false
})";

}  // namespace

std::string SequentialWorkflow::description() const {
  return "Runs steps one after another, each seeing the previous step's output; a failed "
         "step fails the run (or, with on_failure continue, the chain goes on).";
}

std::string SequentialWorkflow::paramsSchema() const { return kParamsSchema; }

Result<std::unique_ptr<Decider>> SequentialWorkflow::createDecider(const ExecutionInput& input) {
  try {
    Result<WorkflowInput> parsed = WorkflowInput::parse(input, "sequential", "");
    if (!parsed.ok()) return parsed.status();
    const json& params = parsed->params();

    std::vector<SequentialDecider::Step> steps;
    if (auto listed = params.find("steps"); listed != params.end() && listed->is_array()) {
      for (const json& item : *listed) {
        if (!item.is_object())
          return Status::invalidArgument("sequential: steps[] must be objects");
        steps.push_back(workItemFromParams(item, ""));
      }
    } else if (!parsed->tasks().empty()) {
      for (const json& task : parsed->tasks()) {
        if (!task.is_object())
          return Status::invalidArgument("sequential: tasks[] must be objects");
        steps.push_back(workItemFromTask(task));
      }
    } else if (!input.objective.empty()) {
      SequentialDecider::Step step;
      step.prompt = input.objective;
      steps.push_back(std::move(step));
    }
    if (steps.empty()) {
      return Status::invalidArgument(
          "sequential: nothing to run; give params.steps, tasks or an objective");
    }
    for (std::size_t i = 0; i < steps.size(); ++i) {
      SB_RETURN_IF_ERROR(
          parsed->assignAgent(steps[i].agent_id, steps[i].capability, SequentialDecider::keyOf(i)));
    }
    const bool continue_on_failure = stringField(params, "on_failure") == "continue";
    return std::unique_ptr<Decider>(std::make_unique<SequentialDecider>(
        std::move(steps), input.objective, continue_on_failure));
  } catch (const std::exception& e) {
    return Status::invalidArgument(std::string("sequential: ") + e.what());
  }
}

}  // namespace switchboard::plugins
