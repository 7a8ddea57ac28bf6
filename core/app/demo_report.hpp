// DemoReport: what `switchboard demo` prints — live progress lines while the execution
// runs, then the result, the step timeline and the per-agent counts.
//
// Every figure is read from the engine (the execution and its journal), the agent service
// (counters) and the task service (titles); nothing is made up here. Names come from the
// services: a step's agent id is shown by the agent's name, its task id by the title.
//
// Thread safety: onEvents() may be called from the event hub's delivery thread while the
// command's thread waits; printing is serialised by a mutex.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <ostream>
#include <string>
#include <vector>

#include "core/agents/agent_service.hpp"
#include "core/engine/engine.hpp"
#include "core/events/event_hub.hpp"
#include "core/tasks/task_service.hpp"

namespace switchboard::core {

class DemoReport {
 public:
  DemoReport(std::ostream& out, Engine& engine, AgentService& agents, TaskService& tasks);

  // Remembers agent names and task titles for the lines that follow.
  void learnNames();
  // Prints one line per step start, retry and settle of `execution_id`.
  void onEvents(const std::string& execution_id, const std::vector<Event>& events);
  // The final sections. Returns the execution's status.
  Result<ExecutionStatus> printSummary(const std::string& execution_id);

 private:
  std::string agentName(const std::string& id) const;
  std::string stepLabel(const StepSnapshot& step) const;
  void printTimeline(const ExecutionSnapshot& execution);
  void printAgents();

  std::ostream& out_;
  Engine& engine_;
  AgentService& agents_;
  TaskService& tasks_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::map<std::string, std::string> agent_names_;  // id -> name
  std::map<std::string, std::string> task_titles_;  // id -> title
  std::mutex mu_;
};

}  // namespace switchboard::core
