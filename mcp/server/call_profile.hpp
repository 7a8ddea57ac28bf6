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
// Measuring a call in full costs four system calls (thread CPU time and voluntary switches,
// before and after), about a tenth of a quick call over HTTP. So a tool that has qualified
// with no strikes is timed by the wall clock alone (wantsFullMeasure() is false): a call
// that stays under kQuickLimit of wall time is quick whatever else happened. A call past
// kQuickLimit cannot be told apart from being preempted, so it has the tool's next call
// measured in full; one call in kSampleEvery on each thread is measured in full as well.
// A tool that blocks or computes on most calls is found within two calls as before; one
// that blocks rarely (in fewer than about one call in a hundred) may keep running inline.
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
  static constexpr int kSampleEvery = 64;
  static constexpr std::chrono::microseconds kQuickLimit{2000};

  bool runsInline() const {
    return !slow_.load(std::memory_order_relaxed) &&
           quick_.load(std::memory_order_relaxed) >= kQuickCallsNeeded;
  }

  // Whether the next call must be measured in full and reported with record(); when
  // false, report it with recordWall().
  bool wantsFullMeasure() {
    if (slow_.load(std::memory_order_relaxed)) return false;  // nothing more to learn
    if (quick_.load(std::memory_order_relaxed) < kQuickCallsNeeded ||
        strikes_.load(std::memory_order_relaxed) > 0) {
      return true;
    }
    if (check_next_.load(std::memory_order_relaxed) &&
        check_next_.exchange(false, std::memory_order_relaxed)) {
      return true;
    }
    thread_local unsigned calls = 0;
    return ++calls % kSampleEvery == 0;
  }

  // One finished call measured in full: wall and CPU time, voluntary context switches
  // during it, whether it used its RequestContext.
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
    quickCall();
  }

  // One finished call timed by the wall clock alone (wantsFullMeasure() was false).
  void recordWall(std::chrono::nanoseconds wall, bool used_context) {
    if (used_context) {
      slow_.store(true, std::memory_order_relaxed);
    } else if (wall > kQuickLimit) {
      check_next_.store(true, std::memory_order_relaxed);  // blocked, computed or preempted
    } else {
      quickCall();
    }
  }

 private:
  void quickCall() {
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

  std::atomic<bool> slow_{false};
  std::atomic<bool> check_next_{false};
  std::atomic<int> quick_{0};
  std::atomic<int> strikes_{0};
};

}  // namespace switchboard::mcp::server
