// ModelWorker: one API model agent. Each call() runs on its own thread: one HTTP POST to the
// provider, retried on 429, 5xx and transport errors (see retry_policy.hpp) with the
// server's Retry-After or backoff, inside the call's deadline; then usage and cost (from
// the price table) are reported and the call ends.
//
// Results: OK with output {"text", "model", "stop_reason"}; Cancelled after cancel();
// DeadlineExceeded when the deadline (the request's timeout or the agent's timeout_ms,
// whichever is shorter) passes; Unavailable for 429/5xx/transport errors once retries are
// spent (the host may retry the step); PermissionDenied for 401/403; InvalidArgument for
// other 4xx; Internal for a 2xx body that is not an answer; ResourceExhausted when the
// answer alone is over what is left of a budget. Messages name the status and the
// provider's own error text, never the key (it is scrubbed from anything a server echoes).
//
// Ownership: the host owns the worker; the worker owns its call threads and joins them
// when destroyed, after cancelling what still runs. Thread safety: call() may be invoked
// concurrently; calls run in parallel.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "plugins/support/model_api/model_dialect.hpp"
#include "plugins/support/model_api/model_settings.hpp"
#include "switchboard/agent.hpp"
#include "switchboard/plugin.hpp"

namespace switchboard::plugins {

class ModelWorker final : public Agent {
 public:
  ModelWorker(std::shared_ptr<const ModelDialect> dialect, ModelSettings settings, Host* host,
              std::string agent_id);
  ~ModelWorker() override;

  // InvalidArgument when the request has no prompt.
  Result<std::unique_ptr<AgentCall>> call(const AgentRequest& request,
                                          std::shared_ptr<AgentCallback> callback) override;

  struct CallState;  // one call's cancellation state, shared with its handle

 private:
  void reapFinished();  // joins the threads of calls that ended; holds mu_

  const std::shared_ptr<const ModelDialect> dialect_;
  const std::shared_ptr<const ModelSettings> settings_;
  Host* const host_;
  const std::string agent_id_;
  std::mutex mu_;
  std::vector<std::pair<std::shared_ptr<CallState>, std::thread>> calls_;
};

}  // namespace switchboard::plugins
