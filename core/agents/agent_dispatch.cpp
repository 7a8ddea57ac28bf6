// AgentService: handing agents to the engine (resolve/callFinished) and ask().
#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "core/agents/agent_service.hpp"
#include "core/agents/agent_service_internal.hpp"
#include "core/agents/metered_agent.hpp"
#include "core/common/ids.hpp"

namespace switchboard::core {
namespace {

using nlohmann::json;

std::string label(const AgentRecord& r) { return "agent '" + r.name + "' (" + r.id + ")"; }

bool hasCapability(const AgentRecord& r, const std::string& capability) {
  return std::find(r.capabilities.begin(), r.capabilities.end(), capability) !=
         r.capabilities.end();
}

}  // namespace

Status AgentService::availableLocked(const Entry& e) const {
  const AgentRecord& r = e.record;
  switch (r.status) {
    case AgentStatus::kCreated:
      return Status::failedPrecondition(
          label(r) + " is created but not started; start it with agent_control action start");
    case AgentStatus::kPaused:
      return Status::failedPrecondition(label(r) +
                                        " is paused; resume it with agent_control action resume");
    case AgentStatus::kStopped:
      return Status::failedPrecondition(label(r) +
                                        " is stopped; start it with agent_control action start");
    case AgentStatus::kError:
      return Status::failedPrecondition(
          label(r) + " is in error (" + r.status_reason +
          "); fix it with agent_update, then agent_control action restart");
    case AgentStatus::kFailed:
      return Status::failedPrecondition(label(r) + " has failed (" + r.status_reason +
                                        "); agent_control action restart brings it back");
    case AgentStatus::kIdle:
    case AgentStatus::kBusy:
      break;
  }
  const AgentBudget& b = r.limits.budget;
  const AgentCounters& c = r.counters;
  std::int64_t tokens = c.input_tokens + c.output_tokens;
  if (b.max_tokens > 0 && tokens >= b.max_tokens) {
    return Status::resourceExhausted(
        label(r) + " has used its token budget (" + std::to_string(tokens) + " of " +
        std::to_string(b.max_tokens) + "); raise limits.budget.max_tokens with agent_update");
  }
  if (b.max_cost_usd > 0 && c.cost_usd >= b.max_cost_usd) {
    return Status::resourceExhausted(label(r) + " has used its cost budget (" +
                                     std::to_string(c.cost_usd) + " of " +
                                     std::to_string(b.max_cost_usd) +
                                     " USD); raise limits.budget.max_cost_usd with agent_update");
  }
  if (b.max_turns > 0 && c.turns >= b.max_turns) {
    return Status::resourceExhausted(
        label(r) + " has used its turn budget (" + std::to_string(c.turns) + " of " +
        std::to_string(b.max_turns) + "); raise limits.budget.max_turns with agent_update");
  }
  if (r.limits.max_concurrent > 0 && e.in_flight >= r.limits.max_concurrent) {
    return Status::unavailable(label(r) + " is at max_concurrent (" + std::to_string(e.in_flight) +
                               " calls in flight); try again when one finishes");
  }
  return Status();
}

Result<AgentHandle> AgentService::resolve(const std::string& agent_id,
                                          const std::string& capability) {
  if (agent_id.empty() && capability.empty()) {
    return Status::invalidArgument("resolve needs an agent id, an agent name or a capability");
  }
  // A few rounds: an agent reloaded from the store gets its runtime on first use, and by
  // capability an agent whose runtime cannot be made drops out (error) for the next round.
  for (int attempt = 0; attempt < 8; ++attempt) {
    std::string needs_runtime;
    AgentHandle handle;
    {
      std::lock_guard lock(mu_);
      Entry* chosen = nullptr;
      if (!agent_id.empty()) {
        chosen = findLocked(agent_id);
        if (!chosen)
          return Status::notFound("no agent '" + agent_id + "'; agent_list shows the agents");
        if (!capability.empty() && !hasCapability(chosen->record, capability)) {
          return Status::failedPrecondition(label(chosen->record) + " lacks capability '" +
                                            capability + "'");
        }
        SB_RETURN_IF_ERROR(availableLocked(*chosen));
      } else {
        std::vector<Entry*> candidates;
        for (auto& [id, e] : agents_) {
          if (hasCapability(e->record, capability)) candidates.push_back(e.get());
        }
        if (candidates.empty()) {
          return Status::notFound("no agent has capability '" + capability +
                                  "'; create one with agent_create");
        }
        // Round-robin: start after the agent picked last time for this capability.
        const std::string& last = round_robin_[capability];
        auto start = std::find_if(candidates.begin(), candidates.end(),
                                  [&](Entry* e) { return e->record.id > last; });
        std::rotate(candidates.begin(), start, candidates.end());
        std::string refusals;
        bool any_full = false;
        Entry* any_free = nullptr;
        for (Entry* e : candidates) {
          Status s = availableLocked(*e);
          if (!s.ok()) {
            any_full = any_full || s.code() == StatusCode::kUnavailable;
            refusals += (refusals.empty() ? "" : "; ") + s.message();
            continue;
          }
          if (e->in_flight == 0) {  // prefer an idle agent
            chosen = e;
            break;
          }
          if (!any_free) any_free = e;
        }
        if (!chosen) chosen = any_free;
        if (!chosen) {
          if (any_full)
            return Status::unavailable("every agent with capability '" + capability +
                                       "' is busy: " + refusals);
          return Status::failedPrecondition("no agent with capability '" + capability +
                                            "' can take work: " + refusals);
        }
      }
      if (!chosen->runtime) {
        needs_runtime = chosen->record.id;
      } else {
        if (agent_id.empty()) round_robin_[capability] = chosen->record.id;
        AgentStatus from = chosen->shown();
        ++chosen->in_flight;
        if (chosen->shown() != from && options_.busy_events) statusEventLocked(*chosen, from, "");
        handle = AgentHandle{chosen->record.id, chosen->runtime};
      }
    }
    if (needs_runtime.empty()) {
      outbox_.drain();
      return handle;
    }
    Status made = ensureRuntime(needs_runtime);
    if (!made.ok() && !agent_id.empty()) return made;
  }
  return Status::unavailable("the agent's runtime kept changing; try again");
}

Status AgentService::ensureRuntime(const std::string& id) {
  AgentRecord snapshot;
  std::uint64_t spec_version = 0;
  {
    std::lock_guard lock(mu_);
    auto it = agents_.find(id);
    if (it == agents_.end()) return Status::notFound("no agent '" + id + "'");
    if (it->second->runtime) return Status();
    snapshot = it->second->record;
    spec_version = it->second->spec_version;
  }
  Result<std::shared_ptr<Agent>> runtime = makeRuntime(snapshot);
  {
    std::lock_guard lock(mu_);
    auto it = agents_.find(id);
    if (it == agents_.end()) return Status::notFound("no agent '" + id + "'");
    Entry& e = *it->second;
    if (e.spec_version != spec_version || e.runtime) return Status();  // someone else moved on
    if (runtime.ok()) {
      e.runtime = std::move(*runtime);
      return Status();
    }
    if (e.record.status == AgentStatus::kIdle || e.record.status == AgentStatus::kPaused) {
      AgentStatus from = e.shown();
      e.record.status = AgentStatus::kError;
      e.record.status_reason = "could not start: " + runtime.status().toString();
      e.record.updated_at = nowRfc3339();
      e.record.health.last_error = e.record.status_reason;
      e.record.health.last_error_at = e.record.updated_at;
      ++e.version;
      statusEventLocked(e, from, e.record.status_reason);
    }
  }
  Status written = persist({id});
  if (!written.ok()) spdlog::warn("agents: could not store {}: {}", id, written.toString());
  outbox_.drain();
  return Status::failedPrecondition(
      "agent " + id + " could not be started and is now in error (" + runtime.status().toString() +
      "); fix it with agent_update, then agent_control action restart");
}

void AgentService::callFinished(const std::string& agent_id, const Status& status,
                                const Usage& usage, double wall_ms) {
  bool write = false;
  {
    std::lock_guard lock(mu_);
    auto it = agents_.find(agent_id);
    if (it == agents_.end()) return;  // deleted meanwhile
    Entry& e = *it->second;
    AgentStatus from = e.shown();
    e.in_flight = std::max<std::int64_t>(0, e.in_flight - 1);
    AgentCounters& c = e.record.counters;
    AgentHealth& h = e.record.health;
    ++c.requests;
    c.input_tokens += usage.input_tokens;
    c.output_tokens += usage.output_tokens;
    c.turns += usage.turns;
    c.cost_usd += usage.cost_usd;
    c.wall_ms_total += wall_ms;
    c.cpu_ms += usage.cpu_ms;
    c.peak_rss_kb = std::max(c.peak_rss_kb, usage.peak_rss_kb);
    meterLocked(agent_id)->setSpent(c);
    std::string reason;
    if (status.ok()) {
      ++c.successes;
      h.consecutive_failures = 0;
      h.consecutive_crashes = 0;
      h.last_success_at = nowRfc3339();
    } else if (status.code() == StatusCode::kCancelled) {
      ++c.cancelled;
    } else {
      ++c.failures;
      ++h.consecutive_failures;
      h.last_error = status.toString();
      h.last_error_at = nowRfc3339();
      if (options_.error_after_failures > 0 &&
          h.consecutive_failures >= options_.error_after_failures &&
          (e.record.status == AgentStatus::kIdle || e.record.status == AgentStatus::kPaused)) {
        e.record.status = AgentStatus::kError;
        e.record.status_reason = std::to_string(h.consecutive_failures) +
                                 " failed calls in a row; last: " + h.last_error;
        e.record.updated_at = h.last_error_at;
        reason = e.record.status_reason;
        ++e.version;
        write = true;
      }
    }
    e.counters_dirty = true;
    bool error_now = !reason.empty();
    if (e.shown() != from && (options_.busy_events || error_now))
      statusEventLocked(e, from, reason);
    if (std::chrono::steady_clock::now() - e.last_write >= options_.counter_flush_interval)
      write = true;
  }
  if (write) {
    Status s = persist({agent_id});
    if (!s.ok()) spdlog::warn("agents: could not store {}: {}", agent_id, s.toString());
  }
  outbox_.drain();
}

Status AgentService::flush() {
  std::vector<std::string> dirty;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, e] : agents_) {
      if (e->counters_dirty) dirty.push_back(id);
    }
  }
  if (dirty.empty()) return Status();
  return persist(dirty);
}

Result<AskResult> AgentService::ask(const std::string& id_or_name, const std::string& prompt,
                                    std::chrono::milliseconds timeout) {
  Result<AgentHandle> handle = resolve(id_or_name, "");
  if (!handle.ok()) return handle.status();
  const std::string id = handle->agent_id;
  if (timeout.count() <= 0) {
    std::lock_guard lock(mu_);
    auto it = agents_.find(id);
    std::int64_t limit = it == agents_.end() ? 0 : it->second->record.limits.timeout_ms;
    timeout = limit > 0 ? std::chrono::milliseconds(limit) : options_.default_ask_timeout;
  }
  auto state = std::make_shared<AskState>();
  AgentRequest request{newId("rq_"), json{{"prompt", prompt}}.dump(), timeout.count(), ""};
  auto started_at = std::chrono::steady_clock::now();
  auto elapsed_ms = [&] {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_at)
        .count();
  };
  AskResult result;
  result.agent_id = id;
  Result<std::unique_ptr<AgentCall>> started = [&]() -> Result<std::unique_ptr<AgentCall>> {
    try {
      return handle->agent->call(request, state);
    } catch (...) {
      return Status::internal("the agent threw from call()");
    }
  }();
  if (!started.ok()) {
    result.status = started.status();
    result.wall_ms = elapsed_ms();
    callFinished(id, result.status, {}, result.wall_ms);
    return result;
  }
  auto call = std::make_shared<AskCall>();
  call->runtime = handle->agent;
  call->call = std::move(*started);
  bool cancel_now = false;
  {
    std::lock_guard lock(mu_);
    auto it = agents_.find(id);
    // Stopped, restarted or deleted since resolve(): cancel at once.
    if (it != agents_.end() && it->second->runtime == call->runtime) {
      it->second->asks.insert(call);
    } else {
      cancel_now = true;
    }
  }
  if (cancel_now) call->cancel();
  bool timed_out = false;
  {
    std::unique_lock lock(state->mu);
    if (!state->cv.wait_for(lock, timeout, [&] { return state->done; })) {
      timed_out = true;
      lock.unlock();
      call->cancel();
      lock.lock();
      state->cv.wait_for(lock, options_.cancel_grace, [&] { return state->done; });
    }
    if (state->done) {
      result.status = state->reply.status;
      result.output = json::parse(state->reply.output_json, nullptr, false);
      if (result.output.is_discarded())
        result.output = state->reply.output_json.empty() ? json() : json(state->reply.output_json);
      result.usage = state->reply.usage;
    } else {
      result.usage = state->usage_so_far;
    }
  }
  if (timed_out) {
    result.status =
        Status::deadlineExceeded("agent " + id + " did not answer within " +
                                 std::to_string(timeout.count()) + " ms; the call was cancelled");
  }
  {
    std::lock_guard lock(mu_);
    if (auto it = agents_.find(id); it != agents_.end()) it->second->asks.erase(call);
  }
  if (result.output.is_object() && result.output.contains("text") &&
      result.output["text"].is_string()) {
    result.text = result.output["text"].get<std::string>();
  } else if (result.output.is_string()) {
    result.text = result.output.get<std::string>();
  } else if (!result.output.is_null()) {
    result.text = result.output.dump();
  }
  result.wall_ms = elapsed_ms();
  callFinished(id, result.status, result.usage, result.wall_ms);
  return result;
}

}  // namespace switchboard::core
