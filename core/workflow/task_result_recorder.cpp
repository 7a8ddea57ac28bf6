#include "core/workflow/task_result_recorder.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "core/common/json_text.hpp"
#include "core/tasks/task_service.hpp"

namespace switchboard::core {

TaskResultRecorder::TaskResultRecorder(EventHub* events, Engine* engine, TaskService* tasks)
    : events_(events), engine_(engine), tasks_(tasks) {
  subscription_ = events_->subscribe(
      "execution/", [this](const std::vector<Event>& batch, std::uint64_t) { onEvents(batch); });
}

TaskResultRecorder::~TaskResultRecorder() { events_->unsubscribe(subscription_); }

void TaskResultRecorder::watch(const std::string& execution_id) {
  {
    std::unique_lock<std::mutex> lock(mu_);
    recording_done_.wait(lock, [&] { return recording_.count(execution_id) == 0; });
    if (recorded_.count(execution_id) != 0) return;
    watched_.insert(execution_id);
  }
  // It may have ended before watch() was called.
  Result<ExecutionSnapshot> now = engine_->get(execution_id, false);
  if (now.ok() && isTerminal(now->status)) record(execution_id);
}

void TaskResultRecorder::onEvents(const std::vector<Event>& events) {
  for (const Event& e : events) {
    if (e.type != "execution.status") continue;
    nlohmann::json data = nlohmann::json::parse(e.data_json, nullptr, false);
    if (data.is_discarded() || !data.is_object()) continue;
    std::optional<ExecutionStatus> status =
        parseExecutionStatus(data.value("status", std::string()));
    if (!status || !isTerminal(*status)) continue;
    record(data.value("execution_id", std::string()));
  }
}

void TaskResultRecorder::record(const std::string& execution_id) {
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (recording_.count(execution_id) != 0) {  // another thread has it: wait for it
      recording_done_.wait(lock, [&] { return recording_.count(execution_id) == 0; });
      return;
    }
    if (watched_.erase(execution_id) == 0 || recorded_.count(execution_id) != 0) return;
    recording_.insert(execution_id);
  }
  // Released however writeResults() ends: a waiter must never wait for good.
  struct Release {
    TaskResultRecorder* self;
    const std::string& id;
    ~Release() {
      {
        std::lock_guard<std::mutex> lock(self->mu_);
        self->recording_.erase(id);
        self->recorded_.insert(id);
      }
      self->recording_done_.notify_all();
    }
  } release{this, execution_id};
  writeResults(execution_id);
}

void TaskResultRecorder::writeResults(const std::string& execution_id) {
  Result<ExecutionSnapshot> e = engine_->get(execution_id, true);
  if (!e.ok()) {
    spdlog::warn("task results of {} not recorded: {}", execution_id, e.status().toString());
    return;
  }
  for (const StepSnapshot& step : e->steps) {  // journal order: dependencies first
    if (step.task_id.empty() || !isSettled(step.status) || step.status == StepStatus::kSkipped) {
      continue;
    }
    Result<TaskRecord> recorded =
        step.status == StepStatus::kSucceeded
            ? tasks_->setResult(step.task_id, TaskStatus::kCompleted, jsonOrText(step.output_json),
                                execution_id, step.usage)
            : tasks_->setResult(step.task_id, TaskStatus::kFailed,
                                nlohmann::json{{"error", step.error},
                                               {"status", std::string(stepStatusName(step.status))},
                                               {"execution_id", execution_id}},
                                execution_id, step.usage);
    if (!recorded.ok()) {
      spdlog::warn("task {} result from {} not recorded: {}", step.task_id, execution_id,
                   recorded.status().toString());
    }
  }
}

}  // namespace switchboard::core
