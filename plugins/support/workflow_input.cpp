#include "plugins/support/workflow_input.hpp"

#include <utility>

namespace switchboard::plugins {
namespace {

using nlohmann::json;

Result<json> parseArray(const std::string& text, const std::string& what) {
  json parsed = json::parse(text.empty() ? std::string("[]") : text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_array()) {
    return Status::invalidArgument(what + " must be a JSON array");
  }
  return parsed;
}

}  // namespace

Result<WorkflowInput> WorkflowInput::parse(const ExecutionInput& input, const std::string& pattern,
                                           const std::string& array_prefix) {
  WorkflowInput parsed;
  parsed.pattern_ = pattern;
  parsed.params_ =
      json::parse(input.params_json.empty() ? "{}" : input.params_json, nullptr, false);
  if (parsed.params_.is_discarded() || !parsed.params_.is_object()) {
    return Status::invalidArgument(pattern + ": params must be a JSON object");
  }
  Result<json> agents = parseArray(input.agents_json, array_prefix + "agents");
  if (!agents.ok()) return agents.status();
  Result<json> tasks = parseArray(input.tasks_json, array_prefix + "tasks");
  if (!tasks.ok()) return tasks.status();
  parsed.agents_ = std::move(*agents);
  parsed.tasks_ = std::move(*tasks);
  for (const json& agent : parsed.agents_) {
    if (agent.is_object() && !stringField(agent, "id").empty()) {
      parsed.agent_ids_.push_back(agent["id"].get<std::string>());
    }
  }
  return parsed;
}

Status WorkflowInput::assignAgent(std::string& agent_id, const std::string& capability,
                                  const std::string& what) {
  if (!agent_id.empty() || !capability.empty()) return Status();
  if (agent_ids_.empty()) {
    return Status::invalidArgument(pattern_ + ": " + what +
                                   " names no agent or capability and the run has no agents");
  }
  agent_id = agent_ids_[next_agent_++ % agent_ids_.size()];
  return Status();
}

std::string stringField(const json& object, const char* name) {
  auto found = object.find(name);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

std::string taskPrompt(const json& task) {
  const std::string title = stringField(task, "title");
  const std::string description = stringField(task, "description");
  return title.empty() || description.empty() ? title + description : title + "\n\n" + description;
}

WorkItem workItemFromTask(const json& task) {
  WorkItem item;
  item.task_id = stringField(task, "id");
  item.agent_id = stringField(task, "agent");
  if (item.agent_id.empty()) item.agent_id = stringField(task, "agent_id");
  item.capability = stringField(task, "capability");
  item.task = task;
  item.prompt = taskPrompt(task);
  return item;
}

WorkItem workItemFromParams(const json& entry, const std::string& default_prompt) {
  WorkItem item;
  item.agent_id = stringField(entry, "agent");
  item.capability = stringField(entry, "capability");
  item.prompt = entry.contains("prompt") ? stringField(entry, "prompt") : default_prompt;
  item.timeout_ms = entry.value("timeout_ms", std::int64_t{0});
  item.max_attempts = entry.value("max_attempts", std::int32_t{0});
  return item;
}

StepSpec stepSpecFor(const WorkItem& item, std::string key) {
  StepSpec spec;
  spec.key = std::move(key);
  spec.agent_id = item.agent_id;
  spec.capability = item.capability;
  spec.task_id = item.task_id;
  spec.timeout_ms = item.timeout_ms;
  spec.max_attempts = item.max_attempts;
  return spec;
}

json stepInputFor(const WorkItem& item, const std::string& objective) {
  json input = json::object();
  input["prompt"] = item.prompt;
  if (!item.task.is_null()) input["task"] = item.task;
  if (!objective.empty()) input["objective"] = objective;
  return input;
}

}  // namespace switchboard::plugins
