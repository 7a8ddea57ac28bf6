// Engine: the loop — inbox, timers, deciding, dispatching and the group commit.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <nlohmann/json.hpp>
#include <utility>

#include "core/engine/engine.hpp"
#include "core/engine/engine_internal.hpp"

namespace switchboard::core {
namespace {

bool retryable(const Status& s) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kPermissionDenied:
    case StatusCode::kUnimplemented:
    case StatusCode::kCancelled:
      return false;
    default:
      return true;
  }
}

std::string stepEventData(const ExecutionState& exec, const StepState& step) {
  std::string out = "{\"execution_id\":";
  out += nlohmann::json(exec.id).dump();
  out += ",\"key\":";
  out += nlohmann::json(step.spec.key).dump();
  out += ",\"status\":\"";
  out += stepStatusName(step.status);
  out += "\",\"attempts\":";
  out += std::to_string(step.attempts);
  out += '}';
  return out;
}

}  // namespace

void Engine::loop() {
  std::vector<InboxItem> items;
  std::int64_t next_due_us = 0;  // 0 = no timer
  bool more = false;
  while (true) {
    {
      std::unique_lock<std::mutex> il(inbox_->mu);
      auto ready = [&] { return inbox_->stop || inbox_->wake || !inbox_->items.empty(); };
      if (!more) {
        if (next_due_us == 0) {
          inbox_->cv.wait(il, ready);
        } else {
          auto due = std::chrono::steady_clock::time_point(std::chrono::microseconds(next_due_us));
          inbox_->cv.wait_until(il, due, ready);
        }
      }
      if (inbox_->stop) return;
      items.swap(inbox_->items);
      inbox_->wake = false;
    }
    std::unique_lock<std::mutex> lock(mu_);
    try {
      for (InboxItem& item : items) handleItem(item);
      items.clear();
      fireTimers(steadyUs());
      std::vector<std::uint64_t> starting;
      starting.swap(to_start_);
      for (std::uint64_t uid : starting) {
        auto it = execs_.find(uid);
        if (it != execs_.end() && it->second->needs_start && !isTerminal(it->second->status)) {
          startDecider(*it->second);
        }
      }
      // Pump until no execution can start more (a pump may free nothing, so one pass each).
      std::vector<std::uint64_t> dirty;
      dirty.swap(dirty_);
      for (std::uint64_t uid : dirty) {
        auto it = execs_.find(uid);
        if (it != execs_.end()) pump(*it->second);
      }
      commit(lock);
      evictTerminal();
    } catch (const std::exception& e) {
      spdlog::error("engine loop: {}", e.what());
      items.clear();
    }
    next_due_us = timers_.empty() ? 0 : timers_.front().due_us;
    more = !batch_.empty() || !dirty_.empty() || !to_start_.empty() || !to_dispatch_.empty() ||
           !finished_uncommitted_.empty() || !staged_events_.empty();
  }
}

void Engine::handleItem(InboxItem& item) {
  auto it = execs_.find(item.uid);
  if (item.kind == InboxItem::kDone) {
    config_.directory->callFinished(item.agent_id, item.reply.status, item.reply.usage,
                                    item.wall_ms);
  }
  if (it == execs_.end()) return;
  ExecutionState& exec = *it->second;
  if (item.step >= exec.steps.size()) return;
  StepState& step = exec.steps[item.step];
  if (step.token != item.token || step.status != StepStatus::kRunning) return;  // stale
  const Usage& so_far = item.kind == InboxItem::kDone ? item.reply.usage : item.usage;
  Usage delta = usageMinus(so_far, step.attempt_usage);
  step.attempt_usage = so_far;
  step.usage += delta;
  exec.usage += delta;
  if (item.kind == InboxItem::kUsage) {
    checkBudget(exec);
    return;
  }
  step.call.reset();
  step.agent.reset();
  releaseSlot(exec, step);
  step.token = 0;
  if (item.reply.status.ok()) {
    std::string output = std::move(item.reply.output_json);
    if (output.empty()) {
      output = "null";
    } else if (!nlohmann::json::accept(output)) {
      output = nlohmann::json(output).dump();  // keep what the agent said, as a string
    }
    settle(exec, item.step, StepStatus::kSucceeded, std::move(output), "");
  } else {
    Status why = item.reply.status;
    if (why.code() == StatusCode::kCancelled) {
      why = Status::cancelled("the agent reported the call cancelled: " + why.message());
    }
    attemptFailed(exec, item.step, why, false);
  }
  if (!isTerminal(exec.status)) checkBudget(exec);
}

void Engine::fireTimers(std::int64_t now_us) {
  auto later = std::greater<Timer>();
  while (!timers_.empty() && timers_.front().due_us <= now_us) {
    std::pop_heap(timers_.begin(), timers_.end(), later);
    Timer t = timers_.back();
    timers_.pop_back();
    auto it = execs_.find(t.uid);
    if (it == execs_.end()) continue;
    ExecutionState& exec = *it->second;
    if (isTerminal(exec.status)) continue;
    if (t.kind == kExecutionTimeout) {
      finish(exec, ExecutionStatus::kTimedOut,
             "the execution timeout of " + std::to_string(exec.options.execution_timeout_ms) +
                 " ms passed",
             StepStatus::kTimedOut);
      continue;
    }
    if (t.kind == kWallBudget) {
      finish(exec, ExecutionStatus::kBudgetExceeded,
             "the wall-time budget of " + std::to_string(exec.options.budget.max_wall_ms) +
                 " ms was used up",
             StepStatus::kBudgetExceeded);
      continue;
    }
    if (t.step >= exec.steps.size()) continue;
    StepState& step = exec.steps[t.step];
    if (step.token != t.token) continue;
    if (t.kind == kRetryDue && step.waiting_retry) {
      step.waiting_retry = false;
      step.token = 0;
      exec.ready.push_back(t.step);
      dirty_.push_back(exec.uid);
    } else if (t.kind == kStepTimeout && step.status == StepStatus::kRunning) {
      if (step.call) step.call->cancel();
      step.call.reset();
      step.agent.reset();
      releaseSlot(exec, step);
      step.token = 0;
      std::int64_t ms =
          step.spec.timeout_ms > 0 ? step.spec.timeout_ms : exec.options.step_timeout_ms;
      attemptFailed(exec, t.step,
                    Status::deadlineExceeded("attempt " + std::to_string(step.attempts) +
                                             " timed out after " + std::to_string(ms) + " ms"),
                    true);
    }
  }
}

void Engine::startDecider(ExecutionState& exec) {
  exec.needs_start = false;
  exec.started_at_ms = wallMs();
  if (exec.status == ExecutionStatus::kQueued) setStatus(exec, ExecutionStatus::kRunning);
  std::int64_t now = steadyUs();
  if (exec.options.execution_timeout_ms > 0) {
    timers_.push_back(
        {now + exec.options.execution_timeout_ms * 1000, kExecutionTimeout, exec.uid, 0, 0});
    std::push_heap(timers_.begin(), timers_.end(), std::greater<Timer>());
  }
  if (exec.options.budget.max_wall_ms > 0) {
    timers_.push_back({now + exec.options.budget.max_wall_ms * 1000, kWallBudget, exec.uid, 0, 0});
    std::push_heap(timers_.begin(), timers_.end(), std::greater<Timer>());
  }
  Result<Decision> decision = Status::internal("decider threw");
  try {
    decision = exec.decider->start();
  } catch (...) {
  }
  applyDecision(exec, std::move(decision));
}

void Engine::settle(ExecutionState& exec, std::size_t i, StepStatus status, std::string output,
                    std::string error) {
  StepState& step = exec.steps[i];
  exec.countMove(step.status, status);
  step.status = status;
  step.output_json = std::move(output);
  step.error = std::move(error);
  step.waiting_retry = false;
  step.ended_at_ms = wallMs();
  writeStep(exec, step, "step.settled");
  if (isTerminal(exec.status)) return;
  StepOutcome outcome{step.spec.key, status, step.output_json, step.error, step.attempts};
  Result<Decision> decision = Status::internal("decider threw");
  try {
    decision = exec.decider->onSettled(outcome);
  } catch (...) {
  }
  applyDecision(exec, std::move(decision));
}

void Engine::applyDecision(ExecutionState& exec, Result<Decision> result) {
  if (isTerminal(exec.status)) return;
  if (!result.ok()) {
    finish(exec, ExecutionStatus::kFailed,
           "the workflow pattern failed: " + result.status().toString(), StepStatus::kCancelled);
    return;
  }
  Decision& d = *result;
  switch (d.kind) {
    case Decision::Kind::kContinue:
      for (StepSpec& spec : d.steps) {
        addStep(exec, std::move(spec));
        if (isTerminal(exec.status)) return;
      }
      if (!exec.replaying && exec.counts.pending + exec.counts.running == 0) {
        finish(exec, ExecutionStatus::kBlocked,
               "the workflow pattern asked for no further steps but did not finish (" +
                   std::to_string(exec.counts.total) + " steps settled)",
               StepStatus::kCancelled);
      }
      return;
    case Decision::Kind::kComplete:
      exec.result_json = d.result_json.empty() ? "null" : d.result_json;
      if (!nlohmann::json::accept(exec.result_json)) {
        exec.result_json = nlohmann::json(exec.result_json).dump();
      }
      finish(exec, ExecutionStatus::kCompleted, "", StepStatus::kCancelled);
      return;
    case Decision::Kind::kFail:
      finish(exec, ExecutionStatus::kFailed, d.reason.empty() ? "the workflow failed" : d.reason,
             StepStatus::kCancelled);
      return;
    case Decision::Kind::kBlock:
      finish(exec, ExecutionStatus::kBlocked,
             d.reason.empty() ? "the workflow can never finish" : d.reason, StepStatus::kCancelled);
      return;
  }
}

void Engine::addStep(ExecutionState& exec, StepSpec spec) {
  auto found = exec.index.find(spec.key);
  if (found != exec.index.end()) {
    StepState& step = exec.steps[found->second];
    if (step.requested) return;  // asked twice: the first request stands
    step.requested = true;       // a journaled step the replayed decider asks for again
    if (!isSettled(step.status)) {
      exec.countMove(step.status, StepStatus::kPending);
      step.status = StepStatus::kPending;
      exec.ready.push_back(found->second);
      dirty_.push_back(exec.uid);
    }
    return;
  }
  if (exec.options.budget.max_steps > 0 && exec.counts.total >= exec.options.budget.max_steps) {
    finish(exec, ExecutionStatus::kBudgetExceeded,
           "the step budget of " + std::to_string(exec.options.budget.max_steps) +
               " steps was used up; step " + spec.key + " was not started",
           StepStatus::kBudgetExceeded);
    return;
  }
  if (spec.input_json.empty()) spec.input_json = "{}";
  if (!nlohmann::json::accept(spec.input_json)) {
    finish(exec, ExecutionStatus::kFailed,
           "the workflow pattern gave step " + spec.key + " an input that is not JSON",
           StepStatus::kCancelled);
    return;
  }
  StepState step;
  step.spec = std::move(spec);
  step.requested = true;
  step.queued_at_ms = wallMs();
  exec.index.emplace(step.spec.key, exec.steps.size());
  exec.ready.push_back(exec.steps.size());
  exec.steps.push_back(std::move(step));
  ++exec.counts.total;
  ++exec.counts.pending;
  dirty_.push_back(exec.uid);
}

void Engine::attemptFailed(ExecutionState& exec, std::size_t i, const Status& why, bool timed_out) {
  StepState& step = exec.steps[i];
  step.error = why.toString();
  std::int32_t max =
      step.spec.max_attempts > 0 ? step.spec.max_attempts : exec.options.max_attempts;
  if (isTerminal(exec.status)) return;
  if (why.code() == StatusCode::kResourceExhausted) {
    // An agent's budget (or a limit the agent enforces, like max turns) ran out: retrying
    // cannot help, and the work cannot go on as planned.
    exec.countMove(step.status, StepStatus::kBudgetExceeded);
    step.status = StepStatus::kBudgetExceeded;
    step.ended_at_ms = wallMs();
    writeStep(exec, step, "step.settled");
    finish(exec, ExecutionStatus::kBudgetExceeded,
           "step " + step.spec.key + " exceeded a budget: " + why.message() +
               " (the execution had spent " + std::to_string(exec.usage.totalTokens()) +
               " tokens, $" + std::to_string(exec.usage.cost_usd) + ")",
           StepStatus::kCancelled);
    return;
  }
  if ((timed_out || retryable(why)) && step.attempts < max) {
    exec.countMove(step.status, StepStatus::kPending);
    step.status = StepStatus::kPending;
    step.waiting_retry = true;
    step.token = next_token_++;
    const BackoffPolicy& b = exec.options.backoff;
    double delay = static_cast<double>(b.initial_ms) * std::pow(b.multiplier, step.attempts - 1);
    delay = std::min(delay, static_cast<double>(b.max_ms));
    if (b.jitter > 0) {
      delay *= 1.0 - b.jitter * std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
    }
    writeStep(exec, step, "step.retrying");
    timers_.push_back({steadyUs() + static_cast<std::int64_t>(delay * 1000.0), kRetryDue, exec.uid,
                       i, step.token});
    std::push_heap(timers_.begin(), timers_.end(), std::greater<Timer>());
    return;
  }
  std::string error = step.error;
  settle(exec, i, timed_out ? StepStatus::kTimedOut : StepStatus::kFailed, "", std::move(error));
}

void Engine::pump(ExecutionState& exec) {
  while (exec.status == ExecutionStatus::kRunning && !exec.ready.empty()) {
    if (exec.in_flight >= exec.options.max_concurrency) return;
    if (global_in_flight_ >= config_.global_max_concurrency) {
      if (!exec.waiting_global) {
        exec.waiting_global = true;
        global_waiters_.push_back(exec.uid);
      }
      return;
    }
    std::size_t i = exec.ready.front();
    exec.ready.pop_front();
    const StepState& step = exec.steps[i];
    if (step.status != StepStatus::kPending || step.waiting_retry) continue;
    startAttempt(exec, i);
  }
}

void Engine::startAttempt(ExecutionState& exec, std::size_t i) {
  StepState& step = exec.steps[i];
  exec.countMove(step.status, StepStatus::kRunning);
  step.status = StepStatus::kRunning;
  ++step.attempts;
  step.token = next_token_++;
  step.attempt_usage = Usage{};
  if (step.started_at_ms == 0) step.started_at_ms = wallMs();
  ++exec.in_flight;
  ++global_in_flight_;
  writeStep(exec, step, "step.running");
  to_dispatch_.push_back({exec.uid, i, step.token});
}

void Engine::releaseSlot(ExecutionState& exec, StepState& step) {
  if (step.token == 0 || step.status != StepStatus::kRunning) return;
  --exec.in_flight;
  --global_in_flight_;
  dirty_.push_back(exec.uid);
  if (!global_waiters_.empty()) {
    for (std::uint64_t uid : global_waiters_) {
      auto it = execs_.find(uid);
      if (it == execs_.end()) continue;
      it->second->waiting_global = false;
      dirty_.push_back(uid);
    }
    global_waiters_.clear();
  }
}

void Engine::dispatch(std::uint64_t uid, std::size_t i, std::uint64_t token) {
  auto it = execs_.find(uid);
  if (it == execs_.end()) return;
  ExecutionState& exec = *it->second;
  StepState& step = exec.steps[i];
  if (step.token != token || step.status != StepStatus::kRunning) return;
  Result<AgentHandle> handle = config_.directory->resolve(step.spec.agent_id, step.spec.capability);
  if (!handle.ok()) {
    releaseSlot(exec, step);
    step.token = 0;
    attemptFailed(exec, i, handle.status().withContext("finding the agent"), false);
    return;
  }
  step.agent_id = handle->agent_id;
  step.agent = handle->agent;
  AgentRequest request;
  request.request_id = exec.id + "/" + step.spec.key;
  request.input_json = step.spec.input_json;
  std::int64_t timeout_ms =
      step.spec.timeout_ms > 0 ? step.spec.timeout_ms : exec.options.step_timeout_ms;
  request.timeout_ms = timeout_ms;
  // What is left of the execution's budgets, so agents that can stop themselves do.
  const BudgetLimits& budget = exec.options.budget;
  if (budget.max_cost_usd > 0)
    request.max_cost_usd = std::max(budget.max_cost_usd - exec.usage.cost_usd, 1e-9);
  if (budget.max_tokens > 0) {
    request.max_tokens = std::max<std::int64_t>(budget.max_tokens - exec.usage.totalTokens(), 1);
  }
  auto callback = std::make_shared<Callback>(inbox_, uid, i, token, step.agent_id);
  Result<std::unique_ptr<AgentCall>> call = Status::internal("the agent threw from call()");
  try {
    call = step.agent->call(request, callback);
  } catch (...) {
  }
  if (!call.ok()) {
    // resolve() counted the call as started; the directory must hear that it ended.
    config_.directory->callFinished(step.agent_id, call.status(), Usage{}, 0.0);
    step.agent.reset();
    releaseSlot(exec, step);
    step.token = 0;
    attemptFailed(exec, i, call.status().withContext("starting the agent call"), false);
    return;
  }
  step.call = std::move(*call);
  if (timeout_ms > 0) {
    timers_.push_back({steadyUs() + timeout_ms * 1000, kStepTimeout, uid, i, token});
    std::push_heap(timers_.begin(), timers_.end(), std::greater<Timer>());
  }
}

void Engine::checkBudget(ExecutionState& exec) {
  if (isTerminal(exec.status)) return;
  const BudgetLimits& b = exec.options.budget;
  std::string why;
  if (b.max_tokens > 0 && exec.usage.totalTokens() > b.max_tokens) {
    why = "the token budget of " + std::to_string(b.max_tokens) + " was exceeded (" +
          std::to_string(exec.usage.totalTokens()) + " tokens used)";
  } else if (b.max_cost_usd > 0 && exec.usage.cost_usd > b.max_cost_usd) {
    why = "the cost budget of $" + std::to_string(b.max_cost_usd) + " was exceeded ($" +
          std::to_string(exec.usage.cost_usd) + " spent)";
  }
  if (!why.empty())
    finish(exec, ExecutionStatus::kBudgetExceeded, why, StepStatus::kBudgetExceeded);
}

void Engine::finish(ExecutionState& exec, ExecutionStatus status, std::string error,
                    StepStatus running_to) {
  if (isTerminal(exec.status)) return;
  exec.status = status;
  exec.error = std::move(error);
  exec.ended_at_ms = wallMs();
  if (exec.counts.pending + exec.counts.running > 0) {
    for (StepState& step : exec.steps) {
      if (isSettled(step.status)) continue;
      StepStatus to =
          status == ExecutionStatus::kCancelled ? StepStatus::kCancelled : StepStatus::kSkipped;
      if (step.status == StepStatus::kRunning && step.token != 0) {
        if (step.call) step.call->cancel();
        step.call.reset();
        step.agent.reset();
        releaseSlot(exec, step);
        to = running_to;
      }
      step.token = 0;
      exec.countMove(step.status, to);
      step.status = to;
      step.waiting_retry = false;
      step.ended_at_ms = exec.ended_at_ms;
      if (step.error.empty()) step.error = "execution ended: " + exec.error;
      writeStep(exec, step, "step.settled");
    }
  }
  exec.ready.clear();
  writeExecution(exec);
  finished_uncommitted_.push_back(exec.uid);
}

void Engine::setStatus(ExecutionState& exec, ExecutionStatus status) {
  exec.status = status;
  writeExecution(exec);
}

void Engine::writeStep(ExecutionState& exec, StepState& step, const char* event_type) {
  step.seq = exec.next_seq++;
  batch_.steps.push_back(StepRecord{exec.id, step.spec.key, step.seq, encodeStep(step)});
  staged_events_.push_back(
      EventHub::pending("execution/" + exec.id, event_type, stepEventData(exec, step)));
}

void Engine::writeExecution(ExecutionState& exec) {
  batch_.puts.push_back(Record{kExecutionsCollection, exec.id, encodeExecution(exec)});
  std::string data = "{\"execution_id\":" + nlohmann::json(exec.id).dump() + ",\"status\":\"" +
                     std::string(executionStatusName(exec.status)) +
                     "\",\"error\":" + nlohmann::json(exec.error).dump() + "}";
  staged_events_.push_back(
      EventHub::pending("execution/" + exec.id, "execution.status", std::move(data)));
}

void Engine::commit(std::unique_lock<std::mutex>& lock) {
  if (batch_.empty() && to_dispatch_.empty() && finished_uncommitted_.empty() &&
      staged_events_.empty()) {
    return;
  }
  WriteBatch batch;
  std::swap(batch, batch_);
  std::vector<Event> events;
  events.swap(staged_events_);
  std::vector<Dispatch> dispatches;
  dispatches.swap(to_dispatch_);
  std::vector<std::uint64_t> finished;
  finished.swap(finished_uncommitted_);
  // Events are numbered at commit time, under the hub's lock, so ids reach the store in
  // order even while the agent and task services publish from other threads.
  lock.unlock();
  Status status = config_.events->commit(config_.storage, batch, std::move(events));
  lock.lock();
  if (!status.ok()) {
    // Nothing of this batch is durable, so nothing that depends on it may happen. Stop
    // the affected executions in memory; a restart recovers them from the journal.
    spdlog::error("engine: the store rejected a batch: {}", status.toString());
    for (const StepRecord& r : batch.steps) {
      ExecutionState* exec = find(r.execution_id);
      if (exec != nullptr && !isTerminal(exec->status)) {
        finish(*exec, ExecutionStatus::kFailed, "the store rejected a write: " + status.toString(),
               StepStatus::kCancelled);
      }
    }
    batch_ = WriteBatch{};  // finish() wrote again; the store is failing, drop it
    staged_events_.clear();
    to_dispatch_.clear();
    finished.insert(finished.end(), finished_uncommitted_.begin(), finished_uncommitted_.end());
    finished_uncommitted_.clear();
    dispatches.clear();
  }
  bool newly_stored = false;
  if (status.ok()) {
    for (const Record& r : batch.puts) {
      if (r.collection != kExecutionsCollection) continue;
      ExecutionState* exec = find(r.id);
      if (exec != nullptr && !exec->stored) newly_stored = exec->stored = true;
    }
  }
  for (std::uint64_t uid : finished) {
    auto it = execs_.find(uid);
    if (it == execs_.end()) continue;
    it->second->terminal_committed = true;
    terminal_order_.push_back(uid);
  }
  if (!finished.empty() || newly_stored) done_cv_.notify_all();
  for (const Dispatch& d : dispatches) dispatch(d.uid, d.step, d.token);
}

}  // namespace switchboard::core
