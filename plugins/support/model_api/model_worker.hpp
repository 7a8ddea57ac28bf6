// ModelWorker: one API model agent. Each call() runs on its own thread: one HTTP POST to the
// provider (see ModelAttempt), streamed unless the settings say `stream: false`, retried on
// 429, 5xx and transport errors (see retry_policy.hpp) with the server's Retry-After or
// backoff, inside the call's deadline — but only while no byte of a 2xx stream has arrived:
// once an answer has begun, the provider has taken the prompt and what it used is spent, so
// a stream that breaks ends the call instead of silently paying twice. Usage and cost (from
// the price table) are reported while the answer streams and when it ends.
//
// max_tokens is the configured one lowered to what is left of the request's token budget
// and to what its dollar budget buys at the output price (see CallBudget); the budgets are
// checked on every streamed event. With memory (agent config memory.max_turns) the earlier
// turns go before the prompt, and a call that succeeds is remembered (ConversationMemory).
//
// Results: OK with output {"text", "model", "stop_reason"}; Cancelled after cancel();
// DeadlineExceeded when the deadline (the request's timeout or the agent's timeout_ms,
// whichever is shorter) passes; Unavailable for 429/5xx/transport errors once retries are
// spent, for a stream that broke after it began, and for an error event of a retryable type
// inside a stream (the host may retry the step); PermissionDenied for 401/403 (or such an
// error event); InvalidArgument for other 4xx; Internal for a 2xx body or stream that is not
// an answer (malformed); ResourceExhausted when the usage goes over what is left of a budget
// (the stream is stopped at once). Every reply after a stream began carries what it spent.
// Messages name the status and the provider's own error text, never the key (it is scrubbed
// from anything a server echoes).
//
// Ownership: the host owns the worker; the worker owns its call threads and joins them
// when destroyed, after cancelling what still runs. Thread safety: call() may be invoked
// concurrently; calls run in parallel (with memory, each sees the turns finished before it
// started).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "plugins/support/model_api/conversation_memory.hpp"
#include "plugins/support/model_api/model_call_state.hpp"
#include "plugins/support/model_api/model_dialect.hpp"
#include "plugins/support/model_api/model_settings.hpp"
#include "switchboard/agent.hpp"
#include "switchboard/plugin.hpp"

namespace switchboard::plugins {

class ModelWorker final : public Agent {
 public:
  // `memory` null: every request stands alone.
  ModelWorker(std::shared_ptr<const ModelDialect> dialect, ModelSettings settings, Host* host,
              std::string agent_id, std::shared_ptr<ConversationMemory> memory);
  ~ModelWorker() override;

  // InvalidArgument when the request has no prompt.
  Result<std::unique_ptr<AgentCall>> call(const AgentRequest& request,
                                          std::shared_ptr<AgentCallback> callback) override;

 private:
  void reapFinished();  // joins the threads of calls that ended; holds mu_

  const std::shared_ptr<const ModelDialect> dialect_;
  const std::shared_ptr<const ModelSettings> settings_;
  Host* const host_;
  const std::string agent_id_;
  const std::shared_ptr<ConversationMemory> memory_;
  std::mutex mu_;
  std::vector<std::pair<std::shared_ptr<ModelCallState>, std::thread>> calls_;
};

}  // namespace switchboard::plugins
