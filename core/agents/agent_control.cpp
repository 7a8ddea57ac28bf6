// AgentService: lifecycle control, update and removal.
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

std::vector<AgentAction> legalActions(AgentStatus status) {
  switch (status) {
    case AgentStatus::kCreated:
      return {AgentAction::kStart};
    case AgentStatus::kIdle:
    case AgentStatus::kBusy:
      return {AgentAction::kPause, AgentAction::kStop, AgentAction::kRestart};
    case AgentStatus::kPaused:
      return {AgentAction::kResume, AgentAction::kStop, AgentAction::kRestart};
    case AgentStatus::kStopped:
      return {AgentAction::kStart, AgentAction::kRestart};
    case AgentStatus::kError:
    case AgentStatus::kFailed:
      return {AgentAction::kStop, AgentAction::kRestart};
  }
  return {};
}

Status checkLegal(const AgentRecord& r, AgentStatus shown, AgentAction action) {
  std::vector<AgentAction> legal = legalActions(shown);
  if (std::find(legal.begin(), legal.end(), action) != legal.end()) return Status();
  std::string names;
  for (AgentAction a : legal)
    names += (names.empty() ? "" : ", ") + std::string(agentActionName(a));
  return Status::failedPrecondition("cannot " + std::string(agentActionName(action)) + " agent '" +
                                    r.name + "' (" + r.id + "): it is " +
                                    std::string(agentStatusName(shown)) + "; legal from " +
                                    std::string(agentStatusName(shown)) + ": " + names);
}

Status notFound(const std::string& id_or_name) {
  return Status::notFound("no agent '" + id_or_name + "'; agent_list shows the agents");
}

}  // namespace

Result<AgentRecord> AgentService::control(const std::string& id_or_name, AgentAction action,
                                          const std::string& reason) {
  if (action == AgentAction::kStart || action == AgentAction::kRestart) {
    std::string id;
    {
      std::lock_guard lock(mu_);
      Entry* e = findLocked(id_or_name);
      if (!e) return notFound(id_or_name);
      SB_RETURN_IF_ERROR(checkLegal(e->record, e->shown(), action));
      id = e->record.id;
      e->record.health.consecutive_crashes = 0;  // a person's (re)start: a fresh ladder
    }
    return startRuntime(id, action, reason);
  }
  std::vector<std::shared_ptr<AskCall>> asks;
  std::shared_ptr<Agent> old_runtime;  // destroyed after the lock is released
  AgentRecord view;
  {
    std::lock_guard lock(mu_);
    Entry* e = findLocked(id_or_name);
    if (!e) return notFound(id_or_name);
    AgentStatus from = e->shown();
    SB_RETURN_IF_ERROR(checkLegal(e->record, from, action));
    switch (action) {
      case AgentAction::kPause:
        e->record.status = AgentStatus::kPaused;
        break;
      case AgentAction::kResume:
        e->record.status = AgentStatus::kIdle;
        break;
      case AgentAction::kStop:
        e->record.status = AgentStatus::kStopped;
        old_runtime = std::move(e->runtime);  // engine calls in flight keep their own reference
        asks = takeAsksLocked(*e);
        break;
      default:
        break;
    }
    e->record.status_reason = reason;
    e->record.updated_at = nowRfc3339();
    ++e->version;
    statusEventLocked(*e, from, reason);
    view = viewLocked(*e);
  }
  return commitChange(std::move(view), asks);
}

Result<AgentRecord> AgentService::startRuntime(const std::string& id, AgentAction action,
                                               const std::string& reason) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    AgentRecord snapshot;
    std::uint64_t spec_version = 0;
    {
      std::lock_guard lock(mu_);
      auto it = agents_.find(id);
      if (it == agents_.end()) return notFound(id);
      snapshot = it->second->record;
      spec_version = it->second->spec_version;
    }
    Result<std::shared_ptr<Agent>> runtime = makeRuntime(snapshot);
    std::vector<std::shared_ptr<AskCall>> asks;
    std::shared_ptr<Agent> old_runtime;  // destroyed after the lock is released
    AgentRecord view;
    {
      std::lock_guard lock(mu_);
      auto it = agents_.find(id);
      if (it == agents_.end()) return notFound(id);
      Entry& e = *it->second;
      if (e.spec_version != spec_version) continue;  // changed meanwhile: make it again
      AgentStatus from = e.shown();
      // Someone else may have moved the agent while the runtime was being made.
      SB_RETURN_IF_ERROR(checkLegal(e.record, from, action));
      if (action == AgentAction::kRestart) asks = takeAsksLocked(e);
      e.record.updated_at = nowRfc3339();
      ++e.version;
      old_runtime = std::move(e.runtime);
      if (runtime.ok()) {
        e.runtime = std::move(*runtime);
        e.record.status = AgentStatus::kIdle;
        e.record.status_reason = reason;
        if (action == AgentAction::kRestart) e.record.health.consecutive_failures = 0;
      } else {
        e.record.status = AgentStatus::kError;
        e.record.status_reason = "could not " + std::string(agentActionName(action)) + ": " +
                                 runtime.status().toString();
        e.record.health.last_error = e.record.status_reason;
        e.record.health.last_error_at = e.record.updated_at;
      }
      statusEventLocked(e, from, e.record.status_reason);
      view = viewLocked(e);
    }
    cancelAsks(asks);
    Status written = persist({id});
    outbox_.drain();
    if (!runtime.ok()) {
      return runtime.status().withContext(
          "agent '" + view.name + "' (" + id +
          ") is now in error; fix it with agent_update and restart it");
    }
    if (!written.ok()) return written.withContext("agent " + id + " changed but not stored");
    return view;
  }
  return Status::aborted("agent " + id + " kept changing while it was being started; try again");
}

Result<AgentRecord> AgentService::markFailed(const std::string& id_or_name,
                                             const std::string& reason) {
  std::vector<std::shared_ptr<AskCall>> asks;
  std::shared_ptr<Agent> old_runtime;  // destroyed after the lock is released
  AgentRecord view;
  {
    std::lock_guard lock(mu_);
    Entry* e = findLocked(id_or_name);
    if (!e) return notFound(id_or_name);
    AgentStatus from = e->shown();
    e->record.status = AgentStatus::kFailed;
    e->record.status_reason = reason;
    e->record.updated_at = nowRfc3339();
    e->record.health.last_error = reason;
    e->record.health.last_error_at = e->record.updated_at;
    old_runtime = std::move(e->runtime);
    asks = takeAsksLocked(*e);
    ++e->version;
    statusEventLocked(*e, from, reason);
    view = viewLocked(*e);
  }
  return commitChange(std::move(view), asks);
}

Result<AgentRecord> AgentService::update(const std::string& id_or_name, const AgentUpdate& u) {
  if (u.limits) {
    Result<AgentLimits> limits = limitsFromJson(limitsToJson(*u.limits));
    if (!limits.ok()) return limits.status();
  }
  for (int attempt = 0; attempt < 3; ++attempt) {
    AgentRecord cur;
    std::uint64_t version = 0;
    bool running = false;
    {
      std::lock_guard lock(mu_);
      Entry* e = findLocked(id_or_name);
      if (!e) return notFound(id_or_name);
      cur = e->record;
      version = e->version;
      running = e->runtime != nullptr;
    }
    Result<AgentRecord> patched = applyAgentUpdate(cur, u);
    if (!patched.ok()) return patched.status();
    AgentRecord next = std::move(*patched);
    bool spec_changed = next.name != cur.name || next.role != cur.role || next.model != cur.model ||
                        next.system_prompt != cur.system_prompt || next.config != cur.config;
    if (u.config) SB_RETURN_IF_ERROR(validateConfig(cur.type, next.config));
    std::shared_ptr<Agent> runtime;
    if (spec_changed && running) {
      Result<std::shared_ptr<Agent>> made = makeRuntime(next);
      if (!made.ok())
        return made.status().withContext("agent type " + cur.type + " rejects the change");
      runtime = std::move(*made);
    }
    AgentRecord view;
    std::shared_ptr<Agent> old_runtime;  // destroyed after the lock is released
    {
      std::lock_guard lock(mu_);
      auto it = agents_.find(cur.id);
      if (it == agents_.end()) return notFound(id_or_name);
      Entry& e = *it->second;
      if (e.version != version) continue;  // changed meanwhile: start over
      if (next.name != cur.name) {
        if (names_.count(next.name)) {
          return Status::alreadyExists("an agent named '" + next.name + "' exists already (" +
                                       names_[next.name] + ")");
        }
        names_.erase(cur.name);
        names_[next.name] = cur.id;
      }
      // Counters, health and status may have moved since the snapshot: keep them.
      e.record.name = next.name;
      e.record.role = next.role;
      e.record.model = next.model;
      e.record.system_prompt = next.system_prompt;
      e.record.capabilities = next.capabilities;
      e.record.config = next.config;
      e.record.limits = next.limits;
      meterLocked(e.record.id)->setBudget(e.record.limits.budget);
      e.record.updated_at = nowRfc3339();
      ++e.version;
      if (spec_changed) {
        ++e.spec_version;
        old_runtime = std::move(e.runtime);
        e.runtime = runtime;  // null when the agent was not running: made on start
      }
      eventLocked(e, "agent.updated");
      view = viewLocked(e);
    }
    return commitChange(std::move(view), {});
  }
  return Status::aborted("agent '" + id_or_name + "' kept changing during the update; try again");
}

Status AgentService::remove(const std::string& id_or_name, bool force) {
  std::vector<std::shared_ptr<AskCall>> asks;
  std::unique_ptr<Entry> removed;  // destroyed (with its runtime) after the lock is released
  std::string id;
  {
    std::lock_guard lock(mu_);
    Entry* e = findLocked(id_or_name);
    if (!e) return notFound(id_or_name);
    if (e->in_flight > 0 && !force) {
      return Status::failedPrecondition(
          "agent '" + e->record.name + "' (" + e->record.id + ") is busy with " +
          std::to_string(e->in_flight) +
          " call(s) in flight; wait for them, stop the agent first, or delete with force");
    }
    id = e->record.id;
    asks = takeAsksLocked(*e);
    eventLocked(*e, "agent.deleted");
    names_.erase(e->record.name);
    meters_.erase(e->record.id);
    auto it = agents_.find(id);
    removed = std::move(it->second);
    agents_.erase(it);
  }
  cancelAsks(asks);
  Status written = persist({id});
  outbox_.drain();
  return written.withContext("agent " + id + " deleted but its stored record remains");
}

Result<AgentRecord> AgentService::reportCrash(const std::string& id, const std::string& detail) {
  std::int64_t crashes = 0;
  bool climb = false;
  {
    std::lock_guard lock(mu_);
    Entry* e = findLocked(id);
    if (!e) return notFound(id);
    AgentHealth& h = e->record.health;
    ++h.crashes;
    crashes = ++h.consecutive_crashes;
    h.last_crash = detail;
    h.last_crash_at = nowRfc3339();
    ++e->version;
    // Only a running agent climbs the ladder; a stopped, paused or failed one just records it.
    const AgentStatus status = e->record.status;
    climb = status == AgentStatus::kIdle || status == AgentStatus::kError;
    outbox_.push("agent/" + id, "agent.health",
                 json{{"agent", toJson(viewLocked(*e))},
                      {"event", "crashed"},
                      {"detail", detail},
                      {"consecutive_crashes", crashes},
                      {"action", !climb                           ? "none"
                                 : crashes < kCrashesBeforeFailed ? "restart"
                                                                  : "mark_failed"}});
  }
  spdlog::warn("agents: {} crashed ({} in a row): {}", id, crashes, detail);
  if (!climb) {
    Status written = persist({id});
    outbox_.drain();
    if (!written.ok()) return written;
    return get(id);
  }
  if (crashes >= kCrashesBeforeFailed) {
    return markFailed(id,
                      "crashed " + std::to_string(crashes) + " times in a row; last: " + detail);
  }
  Result<AgentRecord> restarted =
      startRuntime(id, AgentAction::kRestart,
                   "restarted by the supervisor after crash " + std::to_string(crashes) + " of " +
                       std::to_string(kCrashesBeforeFailed) + ": " + detail);
  {
    std::lock_guard lock(mu_);
    Entry* e = findLocked(id);
    if (e) {
      if (restarted.ok()) ++e->record.health.restarts;
      outbox_.push("agent/" + id, "agent.health",
                   json{{"agent", toJson(viewLocked(*e))},
                        {"event", restarted.ok() ? "restarted" : "restart_failed"},
                        {"detail", restarted.ok() ? std::string() : restarted.status().toString()},
                        {"consecutive_crashes", crashes}});
    }
  }
  Status written = persist({id});
  outbox_.drain();
  if (!restarted.ok()) return restarted.status();
  if (!written.ok()) return written;
  return get(id);
}

}  // namespace switchboard::core
