// ProviderGuard: what stands in front of one provider (an agent type: "anthropic",
// "openai", "claude_code", ...) for every agent that uses it: request and token rate
// limits per minute and a circuit breaker. Configured per provider in the gateway config
// (`providers`); a provider that is not configured has no guard.
//
// Rate limits queue calls rather than fail them: a call that would exceed
// requests_per_minute (calls started in the last 60 s) or tokens_per_minute (tokens
// reported by calls that ended in the last 60 s) waits, in order, until it fits; cancel()
// while it waits finishes it as Cancelled. The circuit breaker opens after
// failure_threshold calls in a row end Unavailable, DeadlineExceeded or Internal: for
// open_ms every new call fails at once with Unavailable saying when to retry; then one
// trial call goes through, and its success closes the circuit (a failure opens it again).
//
// Thread safety: every method may be called from any thread. One thread per guard,
// started when the first call has to wait; stop() (or destruction) finishes queued calls
// as Cancelled and joins it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "switchboard/agent.hpp"

namespace switchboard::core {

struct ProviderLimits {
  std::int64_t requests_per_minute = 0;  // 0: unlimited
  std::int64_t tokens_per_minute = 0;    // 0: unlimited
  std::int64_t failure_threshold = 5;    // 0: no circuit breaker
  std::int64_t open_ms = 30000;
};

class ProviderGuard : public std::enable_shared_from_this<ProviderGuard> {
 public:
  using Clock = std::chrono::steady_clock;
  ProviderGuard(std::string name, ProviderLimits limits)
      : name_(std::move(name)), limits_(limits) {}
  ~ProviderGuard();
  ProviderGuard(const ProviderGuard&) = delete;
  ProviderGuard& operator=(const ProviderGuard&) = delete;

  // `agent` wrapped so that its calls pass through this guard.
  std::shared_ptr<Agent> wrap(std::shared_ptr<Agent> agent);
  void stop();
  // {"provider", "circuit": closed|open|half_open, "failures_in_a_row", "queued",
  //  "requests_last_minute", "tokens_last_minute"}
  nlohmann::json state() const;

  struct Waiting;

 private:
  friend class GuardedAgent;
  friend class GuardedCall;
  // Unavailable when the circuit is open; otherwise starts `w` now or queues it.
  Result<std::unique_ptr<AgentCall>> admit(std::shared_ptr<Waiting> w);
  void ended(const Status& status, const Usage& usage, bool trial);
  void start(std::shared_ptr<Waiting> w);  // calls the agent; caller holds no lock
  bool fitsLocked(Clock::time_point now, Clock::time_point* retry_at);
  void pruneLocked(Clock::time_point now);
  void run();

  const std::string name_;
  const ProviderLimits limits_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Clock::time_point> started_;                          // request times, last 60 s
  std::deque<std::pair<Clock::time_point, std::int64_t>> tokens_;  // ended calls' tokens
  std::deque<std::shared_ptr<Waiting>> queue_;
  std::int64_t failures_in_a_row_ = 0;
  Clock::time_point open_until_{};
  bool trial_in_flight_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace switchboard::core
