// ModelCallState: one API model call's cancellation state, shared by the worker thread that
// runs the call, the AgentCall handle the host holds, and the worker (which cancels what
// still runs when it is destroyed). cancel() stops the HTTP request in flight (its socket is
// shut down, also in the middle of a stream) and wakes a wait between attempts. A cancel that
// lands before the request has a socket (httplib's stop() then has nothing to shut) is seen
// by the attempt's callbacks, which read `cancelled` and end the transfer.
//
// Thread safety: `active` is guarded by `mu`; `cancelled` is written under `mu` (for `cv`)
// and may be read without it; `finished` is atomic.
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
  std::atomic<bool> cancelled{false};
  httplib::Client* active = nullptr;  // the attempt in flight
  std::atomic<bool> finished{false};  // the call's thread is done

  void cancel();
};

}  // namespace switchboard::plugins
