#include "core/app/demo_scenario.hpp"

#include <nlohmann/json.hpp>

namespace switchboard::core {
namespace {

using nlohmann::json;

json usage(int input, int output, double cost) {
  return json{{"input_tokens", input}, {"output_tokens", output}, {"cost_usd", cost}};
}

// What either researcher answers, by topic.
json researchRules() {
  return json::array(
      {json{{"match", "market"}, {"reply", "Market: demand grows 18% a year; three segments."}},
       json{{"match", "technology"}, {"reply", "Technology: two mature stacks, one emerging."}},
       json{{"match", "users"}, {"reply", "Users: teams of 5-50 want audit trails."}},
       json{{"match", "competitors"}, {"reply", "Competitors: four vendors, none durable."}}});
}

struct AgentDef {
  const char* name;
  const char* role;
  const char* capability;
  json config;
};

std::vector<AgentDef> agentDefs() {
  return {
      {"planner", "planner", "plan",
       json{{"latency_ms", 300},
            {"usage", usage(1200, 450, 0.0104)},
            {"default_reply",
             json{{"plan", json::array({"market", "technology", "users", "competitors"})},
                  {"text",
                   "Research the four topics in parallel, then draft, review, finalise."}}}}},
      {"researcher-1", "researcher", "research",
       json{{"latency_ms", 250},
            {"jitter_ms", 150},
            {"usage", usage(900, 620, 0.0120)},
            {"rules", researchRules()},
            {"default_reply", "Findings recorded with sources."}}},
      {"researcher-2", "researcher", "research",
       json{{"latency_ms", 200},
            {"jitter_ms", 200},
            {"usage", usage(850, 580, 0.0112)},
            {"rules", researchRules()},
            {"default_reply", "Findings recorded with sources."}}},
      {"writer", "writer", "write",
       json{{"latency_ms", 400},
            {"usage", usage(2600, 1500, 0.0303)},
            {"rules",
             json::array({json{{"match", "Final"},
                               {"reply", "Final report: 4 sections, 2 recommendations."}}})},
            {"default_reply", "Draft: an overview, one section per topic, open questions."}}},
      {"reviewer", "reviewer", "review",
       json{{"latency_ms", 150},
            {"usage", usage(1900, 320, 0.0105)},
            {"default_reply", json{{"score", 8.2},
                                   {"verdict", "accept"},
                                   {"notes", "Clear; cite the user study."}}}}},
  };
}

struct TaskDef {
  const char* title;
  const char* description;
  const char* agent;            // assigned agent name, or ""
  const char* capability;       // required capability, or ""
  std::vector<int> depends_on;  // indexes into the task list
  TaskPriority priority;
};

std::vector<TaskDef> taskDefs() {
  return {
      {"Plan the report",
       "Split the report on the new product line into topics.",
       "planner",
       "",
       {},
       TaskPriority::kHigh},
      {"Research the market",
       "Size and growth of the market.",
       "",
       "research",
       {0},
       TaskPriority::kNormal},
      {"Research the technology",
       "Which technology stacks are in use.",
       "",
       "research",
       {0},
       TaskPriority::kNormal},
      {"Research the users",
       "What users need and what they complain about.",
       "",
       "research",
       {0},
       TaskPriority::kNormal},
      {"Research the competitors",
       "Who else sells this and how.",
       "",
       "research",
       {0},
       TaskPriority::kNormal},
      {"Draft the report",
       "Combine the four research notes into a draft.",
       "writer",
       "",
       {1, 2, 3, 4},
       TaskPriority::kNormal},
      {"Review the draft",
       "Score the draft and list fixes.",
       "reviewer",
       "",
       {5},
       TaskPriority::kNormal},
      {"Final report",
       "Apply the review and write the final report.",
       "writer",
       "",
       {6},
       TaskPriority::kHigh},
  };
}

}  // namespace

Result<DemoScenario> createDemoScenario(AgentService& agents, TaskService& tasks) {
  DemoScenario scenario;
  for (const AgentDef& def : agentDefs()) {
    AgentCreateRequest request;
    request.name = def.name;
    request.role = def.role;
    request.type = "scripted";
    request.model = "scripted";
    request.capabilities = {def.capability};
    request.config = def.config;
    Result<AgentRecord> agent = agents.create(request);
    if (!agent.ok()) return agent.status().withContext(std::string("agent ") + def.name);
    scenario.agent_ids.push_back(agent->id);
  }
  for (const TaskDef& def : taskDefs()) {
    TaskCreateRequest request;
    request.title = def.title;
    request.description = def.description;
    request.priority = def.priority;
    if (def.agent[0] != '\0') request.assigned_agent = def.agent;
    if (def.capability[0] != '\0') request.required_capabilities = {def.capability};
    for (int index : def.depends_on) request.depends_on.push_back(scenario.task_ids.at(index));
    Result<TaskRecord> task = tasks.create(request, "demo");
    if (!task.ok()) return task.status().withContext(std::string("task '") + def.title + "'");
    scenario.task_ids.push_back(task->id);
  }
  return scenario;
}

}  // namespace switchboard::core
