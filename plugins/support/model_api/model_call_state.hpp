// ModelCallState: one API model call's cancellation state, shared by the worker thread that
// runs the call, the AgentCall handle the host holds, and the worker (which cancels what
// still runs when it is destroyed). cancel() stops the HTTP request in flight (its socket is
// shut down, also in the middle of a stream) and wakes a wait between attempts.
//
// Thread safety: every member is guarded by `mu` except `finished`, which is atomic.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace httplib {
class Client;
}

namespace switchboard::plugins {

struct ModelCallState {
  std::mutex mu;
  std::condition_variable cv;
  bool cancelled = false;
  httplib::Client* active = nullptr;  // the attempt in flight
  std::atomic<bool> finished{false};  // the call's thread is done

  void cancel();
};

}  // namespace switchboard::plugins
