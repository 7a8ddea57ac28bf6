// CallProfile: what the server has learned about one tool's calls, to decide whether a
// call may run on the transport's own thread instead of the worker pool (no thread hop).
//
// A tool qualifies after kQuickCallsNeeded calls that each used nothing of its
// RequestContext that talks to the client or waits for it (progress, log, clientRequest,
// clientSupports, cancelled, notifyCatalogChanged), used under kQuickLimit of CPU time,
// and did not block: a call whose wall time passed kQuickLimit while its thread gave up
// the CPU voluntarily (sleep, I/O, a lock) is a blocking call. Being preempted is not
// blocking, so a quick tool still qualifies on a busy machine. One call that fails these
// tests disqualifies the tool for good (until it is registered again): such a tool may
// block, stream or ask, and must not hold the transport's thread. Transports ask for
// inline calls where they can afford them (HTTP: one thread per connection; stdio: the
// reader, for the microseconds such a call takes); see Server::handleRequest.
//
// Thread safety: every method is safe from any thread (relaxed atomics; the decision is a
// hint, a race only delays or advances it by a call).
#pragma once

#include <atomic>
#include <chrono>

namespace switchboard::mcp::server {

class CallProfile {
 public:
  static constexpr int kQuickCallsNeeded = 32;
  static constexpr std::chrono::microseconds kQuickLimit{2000};

  bool runsInline() const {
    return !slow_.load(std::memory_order_relaxed) &&
           quick_.load(std::memory_order_relaxed) >= kQuickCallsNeeded;
  }

  // One finished call: wall and CPU time, voluntary context switches during it, whether
  // it used its RequestContext.
  void record(std::chrono::nanoseconds wall, std::chrono::nanoseconds cpu, long voluntary_switches,
              bool used_context) {
    bool blocked = wall > kQuickLimit && voluntary_switches > 0;
    if (used_context || cpu > kQuickLimit || blocked) {
      slow_.store(true, std::memory_order_relaxed);
      return;
    }
    if (quick_.load(std::memory_order_relaxed) < kQuickCallsNeeded) {
      quick_.fetch_add(1, std::memory_order_relaxed);
    }
  }

 private:
  std::atomic<bool> slow_{false};
  std::atomic<int> quick_{0};
};

}  // namespace switchboard::mcp::server
