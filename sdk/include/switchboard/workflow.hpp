// Workflow plugins: a WorkflowPattern makes a Decider for each execution.
//
// A Decider is a deterministic function of the execution's input and the steps that have
// settled so far. The engine calls start() once, then onSettled() for every step as it
// settles, in the order the journal recorded them, and carries out the returned Decision.
// After a crash the engine makes a new Decider and replays the journal into it; a
// deterministic decider then asks again for exactly the steps it asked for before, and
// the engine dispatches only those that had not settled. So a decider must keep no state
// that does not follow from its input and the outcomes it was shown, must never read a
// clock or a random source, and should decide incrementally (cost per call independent
// of how many steps came before).
//
// Ownership: the host owns the Decider. Thread safety: the engine never calls one Decider
// from two threads at once. Methods must not throw.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "switchboard/plugin.hpp"
#include "switchboard/status.hpp"

namespace switchboard {

// What an execution was started with. All JSON text.
struct ExecutionInput {
  std::string execution_id;
  std::string params_json = "{}";  // validated against the pattern's paramsSchema()
  std::string agents_json = "[]";  // [{"id","name","role","capabilities":[..]}...] the run may use
  std::string tasks_json = "[]";   // [{"id","title","description","depends_on":[..],...}...]
  std::string objective;           // free text, when the run was given an objective
};

// One step the decider wants dispatched. `key` is unique within the execution and
// deterministic (the same journal yields the same key).
struct StepSpec {
  std::string key;
  std::string agent_id;           // who runs it; empty means "any agent with `capability`"
  std::string capability;         // used when agent_id is empty
  std::string task_id;            // the task this step works on, if any
  std::string input_json = "{}";  // becomes AgentRequest::input_json
  std::int64_t timeout_ms = 0;    // 0 = the execution's default
  std::int32_t max_attempts = 0;  // 0 = the execution's default
};

enum class StepStatus : std::int32_t {
  kPending = 0,  // journaled, not yet dispatched
  kRunning = 1,
  kSucceeded = 2,
  kFailed = 3,  // all attempts failed
  kCancelled = 4,
  kTimedOut = 5,  // the last attempt timed out
  kSkipped = 6,
  kBudgetExceeded = 7,
};

// A settled step as the decider sees it.
struct StepOutcome {
  std::string key;
  StepStatus status = StepStatus::kPending;
  std::string output_json;  // the agent's output when succeeded
  std::string error;        // why it did not succeed
  std::int32_t attempts = 0;
};

struct Decision {
  enum class Kind : std::int32_t {
    kContinue = 0,  // dispatch `steps` (maybe none) and wait for more outcomes
    kComplete = 1,  // the execution succeeded with `result_json`
    kFail = 2,      // the execution failed, `reason` says why
    kBlock = 3,     // the execution can never finish (e.g. a join that cannot release)
  };
  Kind kind = Kind::kContinue;
  std::vector<StepSpec> steps;
  std::string result_json;
  std::string reason;
};

class Decider {
 public:
  virtual ~Decider() = default;
  virtual Result<Decision> start() = 0;
  virtual Result<Decision> onSettled(const StepOutcome& outcome) = 0;
};

class WorkflowPattern : public PluginObject {
 public:
  static constexpr PluginKind kKind = PluginKind::kWorkflow;
  // One sentence for workflow_patterns.
  virtual std::string description() const = 0;
  // JSON Schema (draft-07 text) of ExecutionInput::params_json.
  virtual std::string paramsSchema() const = 0;
  // InvalidArgument when the input cannot form a valid run (e.g. a cycle in a DAG).
  virtual Result<std::unique_ptr<Decider>> createDecider(const ExecutionInput& input) = 0;
};

}  // namespace switchboard
