#include "plugins/workflow/sequential/sequential_workflow.hpp"

#include <exception>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

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

std::string stringField(const json& object, const char* name) {
  auto found = object.find(name);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

Result<json> parseArray(const std::string& text, const char* what) {
  json parsed = json::parse(text.empty() ? std::string("[]") : text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_array()) {
    return Status::invalidArgument(std::string(what) + " must be a JSON array");
  }
  return parsed;
}

// Gives steps that name neither an agent nor a capability the run's agents in turn.
Status assignAgents(std::vector<SequentialDecider::Step>& steps, const json& agents) {
  std::vector<std::string> ids;
  for (const json& agent : agents) {
    if (agent.is_object() && !stringField(agent, "id").empty()) ids.push_back(agent["id"]);
  }
  std::size_t next = 0;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    SequentialDecider::Step& step = steps[i];
    if (!step.agent_id.empty() || !step.capability.empty()) continue;
    if (ids.empty()) {
      return Status::invalidArgument("sequential: " + SequentialDecider::keyOf(i) +
                                     " names no agent or capability and the run has no agents");
    }
    step.agent_id = ids[next++ % ids.size()];
  }
  return Status();
}

}  // namespace

std::string SequentialWorkflow::description() const {
  return "Runs steps one after another, each seeing the previous step's output; a failed "
         "step fails the run (or, with on_failure continue, the chain goes on).";
}

std::string SequentialWorkflow::paramsSchema() const { return kParamsSchema; }

Result<std::unique_ptr<Decider>> SequentialWorkflow::createDecider(const ExecutionInput& input) {
  try {
    json params = json::parse(input.params_json.empty() ? "{}" : input.params_json, nullptr, false);
    if (params.is_discarded() || !params.is_object()) {
      return Status::invalidArgument("sequential: params must be a JSON object");
    }
    Result<json> agents = parseArray(input.agents_json, "agents");
    if (!agents.ok()) return agents.status();
    Result<json> tasks = parseArray(input.tasks_json, "tasks");
    if (!tasks.ok()) return tasks.status();

    std::vector<SequentialDecider::Step> steps;
    if (auto listed = params.find("steps"); listed != params.end() && listed->is_array()) {
      for (const json& item : *listed) {
        if (!item.is_object()) return Status::invalidArgument("sequential: steps[] must be objects");
        SequentialDecider::Step step;
        step.agent_id = stringField(item, "agent");
        step.capability = stringField(item, "capability");
        step.prompt = stringField(item, "prompt");
        step.timeout_ms = item.value("timeout_ms", std::int64_t{0});
        step.max_attempts = item.value("max_attempts", std::int32_t{0});
        steps.push_back(std::move(step));
      }
    } else if (!tasks->empty()) {
      for (const json& task : *tasks) {
        if (!task.is_object()) return Status::invalidArgument("sequential: tasks[] must be objects");
        SequentialDecider::Step step;
        step.task_id = stringField(task, "id");
        step.agent_id = stringField(task, "agent");
        if (step.agent_id.empty()) step.agent_id = stringField(task, "agent_id");
        step.capability = stringField(task, "capability");
        step.task = task;
        const std::string title = stringField(task, "title");
        const std::string description = stringField(task, "description");
        step.prompt = title.empty() || description.empty() ? title + description
                                                           : title + "\n\n" + description;
        steps.push_back(std::move(step));
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
    SB_RETURN_IF_ERROR(assignAgents(steps, *agents));
    const bool continue_on_failure = stringField(params, "on_failure") == "continue";
    return std::unique_ptr<Decider>(std::make_unique<SequentialDecider>(
        std::move(steps), input.objective, continue_on_failure));
  } catch (const std::exception& e) {
    return Status::invalidArgument(std::string("sequential: ") + e.what());
  }
}

}  // namespace switchboard::plugins
