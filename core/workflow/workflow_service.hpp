// WorkflowService: starts workflow runs. It resolves the pattern (PatternCatalog), checks
// the params against the pattern's schema, builds the run's input from the agents and
// tasks it names, starts the execution on the Engine, and — for runs over tasks — writes
// each task step's outcome back to its task when the execution ends (TaskResultRecorder).
// The MCP surface and the demo both start runs through it, so a run means one thing.
//
// Ownership: borrows the catalog, engine, services and hub (they must outlive it); owns
// the recorder. Thread safety: every method may be called from any thread.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/agents/agent_service.hpp"
#include "core/engine/engine.hpp"
#include "core/events/event_hub.hpp"
#include "core/tasks/task_service.hpp"
#include "core/workflow/pattern_catalog.hpp"
#include "core/workflow/task_result_recorder.hpp"

namespace switchboard::core {

struct RunRequest {
  std::string pattern;  // full plugin name or its last component ("dag")
  nlohmann::json params = nlohmann::json::object();
  // The agents the run may use; nullopt: every agent.
  std::optional<std::vector<std::string>> agent_ids;
  std::vector<std::string> task_ids;  // the tasks it works on, if any
  std::string objective;
  ExecutionOptions options;
};

struct PatternInfo {
  std::string name;    // short name ("dag")
  std::string plugin;  // full plugin name
  std::string description;
  nlohmann::json params_schema;  // {} when the plugin's schema is not a JSON object
};

class WorkflowService {
 public:
  WorkflowService(PatternCatalog* patterns, Engine* engine, AgentService* agents,
                  TaskService* tasks, EventHub* events);
  WorkflowService(const WorkflowService&) = delete;
  WorkflowService& operator=(const WorkflowService&) = delete;

  // The patterns that can be used now, in name order (plugin_list shows why another cannot).
  std::vector<PatternInfo> patterns();
  // The full plugin name of a pattern named in full or by its short name; errors as
  // PatternCatalog::fullName().
  Result<std::string> patternName(const std::string& name) const;

  // Starts the run and returns the execution id. NotFound (unknown pattern, agent or task),
  // InvalidArgument (params that do not fit the pattern's schema, bad options, or input the
  // pattern rejects), FailedPrecondition (a task depends on one outside the run that has not
  // completed: the message says to add it).
  Result<std::string> start(const RunRequest& request);

  // For a run started over tasks that has ended: returns once its outcomes are on the
  // tasks (whichever thread records them), so a task_get afterwards sees them. Nothing
  // happens for other executions.
  void awaitTaskResults(const std::string& execution_id);

  // The tasks as ExecutionInput::tasks_json lists them: each task's JSON, with dependencies
  // on tasks outside the run dropped when those are completed. Errors as start().
  Result<nlohmann::json> tasksForRun(const std::vector<std::string>& ids);

 private:
  Result<nlohmann::json> agentsForRun(const std::optional<std::vector<std::string>>& ids);

  PatternCatalog* patterns_;
  Engine* engine_;
  AgentService* agents_;
  TaskService* tasks_;
  TaskResultRecorder recorder_;
};

// "dag" for "switchboard.workflow.dag".
std::string patternShortName(const std::string& full);

}  // namespace switchboard::core
