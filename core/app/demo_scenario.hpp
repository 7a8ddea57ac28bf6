// DemoScenario: the agents and tasks `switchboard demo` runs — a small research report.
//
// createDemoScenario() creates five scripted agents (planner, researcher-1, researcher-2,
// writer, reviewer; latencies 100-400 ms; token and cost usage per call) and eight tasks:
// a plan, four research topics that depend on it (any agent with the "research"
// capability), a draft that needs all four, a review of the draft and the final report.
// Everything goes through the AgentService and TaskService like any client's requests.
//
// Thread safety: call from one thread.
#pragma once

#include <string>
#include <vector>

#include "core/agents/agent_service.hpp"
#include "core/tasks/task_service.hpp"
#include "switchboard/status.hpp"

namespace switchboard::core {

struct DemoScenario {
  std::vector<std::string> agent_ids;  // creation order
  std::vector<std::string> task_ids;   // creation order (dependencies first)
};

// The first error of the services, with the agent or task it was creating as context.
Result<DemoScenario> createDemoScenario(AgentService& agents, TaskService& tasks);

}  // namespace switchboard::core
