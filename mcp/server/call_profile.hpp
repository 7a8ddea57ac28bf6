// CallProfile: what the server has learned about one tool's calls, to decide whether a
// call may run on the transport's own thread instead of the worker pool (no thread hop).
//
// A tool qualifies after kQuickCallsNeeded calls in a row that each used nothing of its
// RequestContext that talks to the client or waits for it (progress, log, clientRequest,
// clientSupports, cancelled, notifyCatalogChanged), used under kQuickLimit of CPU time,
// and did not block: a call whose wall time passed kQuickLimit while its thread gave up
// the CPU voluntarily (sleep, I/O, a lock) is a blocking call. Being preempted is not
// blocking, so a quick tool still qualifies on a busy machine.
// A call that used its context or kQuickLimit of CPU disqualifies the tool for good (until
// it is registered again): such a tool streams, asks or computes, and must not hold the
// transport's thread.
// A blocking call, on a worker or inline, is a strike and sends the tool back to the pool
// until it has kQuickCallsNeeded quick calls in a row again; kMaxStrikes strikes disqualify
// it for good, and kForgiveAfter quick calls in a row forgive one strike. The signals
// cannot tell a tool that sleeps from a quick one that met a busy lock (a malloc arena
// whose holder was preempted, on a machine with more busy threads than cores), so only
// repetition tells them apart: a tool that blocks does it again within a few calls and is
// out after kMaxStrikes, while a quick one under heavy load blocks once in many thousand
// calls and keeps running inline (before strikes were forgiven, a sustained load of quick
// calls ended up sending every one of them through the pool).
// Transports ask for inline calls where they can afford them (HTTP: one thread per
// connection; stdio: the reader, for the microseconds such a call takes); see
// Server::handleRequest.
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
  static constexpr int kMaxStrikes = 3;
  static constexpr int kForgiveAfter = 4096;
  static constexpr std::chrono::microseconds kQuickLimit{2000};

  bool runsInline() const {
    return !slow_.load(std::memory_order_relaxed) &&
           quick_.load(std::memory_order_relaxed) >= kQuickCallsNeeded;
  }

  // One finished call: wall and CPU time, voluntary context switches during it, whether
  // it used its RequestContext.
  void record(std::chrono::nanoseconds wall, std::chrono::nanoseconds cpu, long voluntary_switches,
              bool used_context) {
    if (used_context || cpu > kQuickLimit) {
      slow_.store(true, std::memory_order_relaxed);
      return;
    }
    if (wall > kQuickLimit && voluntary_switches > 0) {  // it blocked
      if (strikes_.fetch_add(1, std::memory_order_relaxed) + 1 >= kMaxStrikes) {
        slow_.store(true, std::memory_order_relaxed);
      }
      quick_.store(0, std::memory_order_relaxed);
      return;
    }
    if (strikes_.load(std::memory_order_relaxed) == 0 &&
        quick_.load(std::memory_order_relaxed) >= kQuickCallsNeeded) {
      return;  // qualified and nothing to forgive: no write to a line every call shares
    }
    int quick = quick_.fetch_add(1, std::memory_order_relaxed) + 1;
    if (quick >= kForgiveAfter) {
      quick_.store(kQuickCallsNeeded, std::memory_order_relaxed);  // still qualified
      int strikes = strikes_.load(std::memory_order_relaxed);
      if (strikes > 0) {
        strikes_.compare_exchange_strong(strikes, strikes - 1, std::memory_order_relaxed);
      }
    }
  }

 private:
  std::atomic<bool> slow_{false};
  std::atomic<int> quick_{0};
  std::atomic<int> strikes_{0};
};

}  // namespace switchboard::mcp::server
