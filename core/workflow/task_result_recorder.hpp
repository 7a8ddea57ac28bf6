// TaskResultRecorder: writes what an execution did back to the tasks it ran.
//
// workflow_run (and the demo) call watch() for each execution started over tasks. When
// that execution reaches a terminal status, the recorder reads its journal once and, in
// journal order, records each task step's outcome with TaskService::setResult: completed
// with the step's output, or failed with {"error": ..., "execution_id": ...}. Tasks whose
// steps never ran keep their status. Executions recovered after a restart are not
// watched (their tasks keep the status they had).
//
// A watch() of an execution that has ended returns once its outcomes are on the tasks,
// whichever thread records them: workflow_run with `wait` calls it after the execution
// ended, so that a task_get right after the call sees them (the hub's delivery thread may
// be recording them at that moment).
//
// Ownership: borrows the hub, engine and task service, which must outlive it; the
// destructor unsubscribes. Thread safety: watch() from any thread, but not from the hub's
// delivery thread (it may wait for that thread); the hub's delivery thread runs the
// recording of executions that end while watched.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "core/engine/engine.hpp"
#include "core/events/event_hub.hpp"

namespace switchboard::core {

class TaskService;

class TaskResultRecorder {
 public:
  TaskResultRecorder(EventHub* events, Engine* engine, TaskService* tasks);
  ~TaskResultRecorder();
  TaskResultRecorder(const TaskResultRecorder&) = delete;
  TaskResultRecorder& operator=(const TaskResultRecorder&) = delete;

  // Idempotent; records at once when the execution has already ended, or waits for the
  // recording under way on another thread.
  void watch(const std::string& execution_id);

 private:
  void onEvents(const std::vector<Event>& events);
  // Records the results once: the first caller for an id writes them, a caller that comes
  // while they are being written waits until they are.
  void record(const std::string& execution_id);
  void writeResults(const std::string& execution_id);

  EventHub* events_;
  Engine* engine_;
  TaskService* tasks_;
  std::mutex mu_;
  std::condition_variable recording_done_;
  std::set<std::string> watched_;
  std::set<std::string> recording_;  // claimed by a record() that has not finished
  std::set<std::string> recorded_;
  std::uint64_t subscription_ = 0;
};

}  // namespace switchboard::core
