// Engine: loading executions from the store, recovery after a restart, and rewind.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <utility>

#include "core/engine/engine.hpp"
#include "core/engine/engine_internal.hpp"

namespace switchboard::core {

std::string Engine::newId() {
  char buf[48];
  std::snprintf(buf, sizeof buf, "ex_%011llx%05llx", static_cast<unsigned long long>(wallMs()),
                static_cast<unsigned long long>(id_counter_++ & 0xfffff));
  return buf;
}

ExecutionState* Engine::find(const std::string& id) {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return nullptr;
  return execs_.at(it->second).get();
}

ExecutionState& Engine::adopt(std::unique_ptr<ExecutionState> exec) {
  exec->uid = next_uid_++;
  by_id_[exec->id] = exec->uid;
  ExecutionState& ref = *exec;
  execs_.emplace(ref.uid, std::move(exec));
  return ref;
}

void Engine::evictTerminal() {
  while (terminal_order_.size() > config_.max_terminal_in_memory) {
    std::uint64_t uid = terminal_order_.front();
    terminal_order_.erase(terminal_order_.begin());
    auto it = execs_.find(uid);
    if (it == execs_.end()) continue;
    by_id_.erase(it->second->id);
    execs_.erase(it);
  }
}

Result<std::unique_ptr<ExecutionState>> Engine::load(const std::string& id) {
  Result<std::optional<std::string>> record = config_.storage->get(kExecutionsCollection, id);
  if (!record.ok()) return record.status();
  if (!record->has_value()) return Status::notFound("no execution with id " + id);
  auto exec = std::make_unique<ExecutionState>();
  SB_RETURN_IF_ERROR(decodeExecution(**record, *exec).withContext("execution " + id));
  exec->stored = true;
  Result<std::vector<StepRecord>> steps = config_.storage->steps(id);
  if (!steps.ok()) return steps.status();
  exec->counts = ExecutionCounts{};
  exec->usage = Usage{};
  exec->steps.reserve(steps->size());
  for (const StepRecord& r : *steps) {
    StepState step;
    SB_RETURN_IF_ERROR(decodeStep(r, step));
    exec->next_seq = std::max(exec->next_seq, r.seq + 1);
    exec->usage += step.usage;
    ++exec->counts.total;
    ++exec->counts.pending;
    exec->countMove(StepStatus::kPending, step.status);
    auto found = exec->index.find(step.spec.key);
    if (found != exec->index.end()) {  // a store that kept two rows: the later seq wins
      exec->steps[found->second] = std::move(step);
      continue;
    }
    exec->index.emplace(step.spec.key, exec->steps.size());
    exec->steps.push_back(std::move(step));
  }
  return exec;
}

Status Engine::replay(ExecutionState& exec) {
  exec.replaying = true;
  exec.needs_start = false;
  if (exec.started_at_ms == 0) exec.started_at_ms = wallMs();
  if (exec.status == ExecutionStatus::kQueued) setStatus(exec, ExecutionStatus::kRunning);
  std::int64_t now_wall = wallMs();
  std::int64_t now = steadyUs();
  auto arm = [&](std::int64_t limit_ms, int kind) {
    if (limit_ms <= 0) return;
    std::int64_t left_ms = std::max<std::int64_t>(0, exec.started_at_ms + limit_ms - now_wall);
    timers_.push_back({now + left_ms * 1000, kind, exec.uid, 0, 0});
    std::push_heap(timers_.begin(), timers_.end(), std::greater<Timer>());
  };
  arm(exec.options.execution_timeout_ms, kExecutionTimeout);
  arm(exec.options.budget.max_wall_ms, kWallBudget);

  std::vector<std::size_t> settled;
  for (std::size_t i = 0; i < exec.steps.size(); ++i) {
    if (isSettled(exec.steps[i].status)) settled.push_back(i);
  }
  std::sort(settled.begin(), settled.end(),
            [&](std::size_t a, std::size_t b) { return exec.steps[a].seq < exec.steps[b].seq; });
  Result<Decision> decision = Status::internal("decider threw");
  try {
    decision = exec.decider->start();
  } catch (...) {
  }
  applyDecision(exec, std::move(decision));
  for (std::size_t i : settled) {
    if (isTerminal(exec.status)) break;
    const StepState& step = exec.steps[i];
    if (!step.requested) {
      spdlog::warn("engine: execution {}: journaled step {} was not asked for on replay; ignored",
                   exec.id, step.spec.key);
      continue;
    }
    StepOutcome outcome{step.spec.key, step.status, step.output_json, step.error, step.attempts};
    Result<Decision> next = Status::internal("decider threw");
    try {
      next = exec.decider->onSettled(outcome);
    } catch (...) {
    }
    applyDecision(exec, std::move(next));
  }
  exec.replaying = false;
  if (isTerminal(exec.status)) return Status();
  // Unsettled journal steps the decider no longer asks for will never run.
  for (StepState& step : exec.steps) {
    if (!step.requested && !isSettled(step.status)) {
      exec.countMove(step.status, StepStatus::kSkipped);
      step.status = StepStatus::kSkipped;
      step.error = "not asked for again after recovery";
      writeStep(exec, step, "step.settled");
    }
  }
  if (exec.counts.pending + exec.counts.running == 0) {
    finish(exec, ExecutionStatus::kBlocked,
           "after replaying its journal the workflow pattern asked for no further steps but did "
           "not finish",
           StepStatus::kCancelled);
  }
  dirty_.push_back(exec.uid);
  return Status();
}

Result<std::int64_t> Engine::recover() {
  if (!config_.resolver) return Status::failedPrecondition("recover() needs a pattern resolver");
  std::int64_t resumed = 0;
  std::string after;
  while (true) {
    Result<std::vector<Record>> records = config_.storage->list(kExecutionsCollection, after, 200);
    if (!records.ok()) return records.status();
    for (const Record& r : *records) {
      after = r.id;
      ExecutionState head;
      if (!decodeExecution(r.json, head).ok() || isTerminal(head.status)) continue;
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (find(r.id) != nullptr) continue;
      }
      Result<std::unique_ptr<ExecutionState>> loaded = load(r.id);
      if (!loaded.ok()) {
        spdlog::error("engine: cannot reload execution {}: {}", r.id, loaded.status().toString());
        continue;
      }
      std::unique_ptr<ExecutionState> exec = std::move(*loaded);
      std::string failure;
      Result<std::shared_ptr<WorkflowPattern>> pattern = config_.resolver(exec->pattern_name);
      if (!pattern.ok()) {
        failure = "its workflow pattern " + exec->pattern_name +
                  " is not available after the restart: " + pattern.status().toString();
      } else {
        exec->pattern = *pattern;
        Result<std::unique_ptr<Decider>> decider = exec->pattern->createDecider(exec->input);
        if (decider.ok()) {
          exec->decider = std::move(*decider);
        } else {
          failure = "its workflow pattern rejected the input after the restart: " +
                    decider.status().toString();
        }
      }
      std::lock_guard<std::mutex> lock(mu_);
      ExecutionState& e = adopt(std::move(exec));
      if (!failure.empty()) {
        finish(e, ExecutionStatus::kFailed, failure, StepStatus::kCancelled);
      } else {
        SB_RETURN_IF_ERROR(replay(e));
      }
      ++resumed;
    }
    if (records->size() < 200) break;
  }
  wake();
  return resumed;
}

Result<std::string> Engine::rewind(const std::string& id, const std::string& step_key) {
  std::unique_ptr<ExecutionState> source;
  std::shared_ptr<WorkflowPattern> pattern;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (ExecutionState* live = find(id)) {
      source = std::make_unique<ExecutionState>();
      source->pattern_name = live->pattern_name;
      source->input = live->input;
      source->options = live->options;
      for (const StepState& s : live->steps) {
        StepState copy;
        copy.spec = s.spec;
        copy.status = s.status;
        copy.attempts = s.attempts;
        copy.agent_id = s.agent_id;
        copy.output_json = s.output_json;
        copy.error = s.error;
        copy.usage = s.usage;
        copy.queued_at_ms = s.queued_at_ms;
        copy.started_at_ms = s.started_at_ms;
        copy.ended_at_ms = s.ended_at_ms;
        copy.seq = s.seq;
        source->index.emplace(copy.spec.key, source->steps.size());
        source->steps.push_back(std::move(copy));
      }
      pattern = live->pattern;
    }
  }
  if (!source) {
    Result<std::unique_ptr<ExecutionState>> loaded = load(id);
    if (!loaded.ok()) return loaded.status();
    source = std::move(*loaded);
  }
  auto target = source->index.find(step_key);
  if (target == source->index.end()) {
    return Status::notFound("execution " + id + " has no step " + step_key +
                            "; execution_get lists its steps");
  }
  std::int64_t cut = source->steps[target->second].seq;
  if (!pattern) {
    if (!config_.resolver) return Status::failedPrecondition("rewind needs a pattern resolver");
    Result<std::shared_ptr<WorkflowPattern>> resolved = config_.resolver(source->pattern_name);
    if (!resolved.ok()) return resolved.status();
    pattern = *resolved;
  }
  auto exec = std::make_unique<ExecutionState>();
  {
    std::lock_guard<std::mutex> lock(mu_);
    exec->id = newId();
  }
  exec->input = source->input;
  exec->input.execution_id = exec->id;
  Result<std::unique_ptr<Decider>> decider = pattern->createDecider(exec->input);
  if (!decider.ok()) return decider.status().withContext("pattern " + source->pattern_name);
  exec->pattern_name = source->pattern_name;
  exec->pattern = std::move(pattern);
  exec->decider = std::move(*decider);
  exec->options = source->options;
  exec->parent_id = id;
  exec->rewound_from_step = step_key;
  exec->created_at_ms = wallMs();
  std::vector<StepState*> prefix;
  for (StepState& s : source->steps) {
    if (isSettled(s.status) && s.seq < cut) prefix.push_back(&s);
  }
  std::sort(prefix.begin(), prefix.end(),
            [](const StepState* a, const StepState* b) { return a->seq < b->seq; });
  for (StepState* s : prefix) {
    StepState copy = std::move(*s);
    copy.requested = false;
    exec->index.emplace(copy.spec.key, exec->steps.size());
    exec->steps.push_back(std::move(copy));
    ++exec->counts.total;
    ++exec->counts.pending;
    exec->countMove(StepStatus::kPending, exec->steps.back().status);
    exec->usage += exec->steps.back().usage;
  }
  std::string new_id = exec->id;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ExecutionState& e = adopt(std::move(exec));
    writeExecution(e);
    for (StepState& s : e.steps) writeStep(e, s, "step.copied");
    SB_RETURN_IF_ERROR(replay(e));
  }
  wake();
  return new_id;
}

}  // namespace switchboard::core
