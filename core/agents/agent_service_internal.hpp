// Private to AgentService (agent_service*.cpp): the per-agent entry and the state of one
// ask() call. Not for use elsewhere.
//
// Thread safety: Entry is guarded by AgentService::mu_. AskState is shared with the agent
// plugin (it is the call's callback) and guards itself; AskCall is owned by the service.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <string_view>

#include "core/agents/agent_service.hpp"

namespace switchboard::core {

// InvalidArgument unless `name` is 1..64 letters, digits, spaces, '_', '-', '.', starting
// with a letter or digit and not with "ag_".
Status validateAgentName(const std::string& name);
// Drops duplicates; InvalidArgument for an empty, over-long or space-holding capability.
Result<std::vector<std::string>> normalizeCapabilities(const std::vector<std::string>& in);
// `record` with the fields of `update` applied and checked (config is not checked against
// the type's schema here).
Result<AgentRecord> applyAgentUpdate(AgentRecord record, const AgentUpdate& update);

struct AgentService::Entry {
  AgentRecord record;  // status is the administrative one (never kBusy)
  std::shared_ptr<Agent> runtime;
  std::uint64_t version = 0;       // bumps on every change of the record
  std::uint64_t spec_version = 0;  // bumps when what the runtime was made from changes
  std::int64_t in_flight = 0;
  bool counters_dirty = false;
  std::chrono::steady_clock::time_point last_write{};
  std::set<std::shared_ptr<AskCall>> asks;

  AgentStatus shown() const {
    return record.status == AgentStatus::kIdle && in_flight > 0 ? AgentStatus::kBusy
                                                                : record.status;
  }
};

// The callback of one ask() call; the agent keeps it until onDone().
struct AskState final : AgentCallback {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  AgentReply reply;
  Usage usage_so_far;

  void onProgress(std::string_view) noexcept override {}
  void onUsage(const Usage& so_far) noexcept override {
    std::lock_guard lock(mu);
    usage_so_far = so_far;
  }
  void onDone(AgentReply r) noexcept override {
    std::lock_guard lock(mu);
    reply = std::move(r);
    done = true;
    cv.notify_all();
  }
};

struct AgentService::AskCall {
  std::shared_ptr<Agent> runtime;   // keeps the agent (and its library) alive...
  std::unique_ptr<AgentCall> call;  // ...while this handle lives; set before registration
  void cancel() const noexcept {
    if (call) call->cancel();
  }
};

}  // namespace switchboard::core
