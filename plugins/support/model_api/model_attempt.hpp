// ModelAttempt: one HTTP request of an API model call — the POST, then the answer read as it
// arrives. A 2xx text/event-stream body goes through SseParser and the dialect's
// StreamDecoder event by event: usage so far (priced) is reported through the callback at
// most every 50 ms (at once when the provider's own figures change), with a short progress
// message when the stream starts and every 2 s, and checked against the request's budgets
// on every event; a budget broken, the deadline passing, an error event or a malformed event
// stops the read at once (the connection is closed). Any other body is read whole: a 2xx one
// is an answer (also when a stream was asked for and the server ignored it), any other an
// error whose provider message is kept.
//
// The outcome says what happened; ModelWorker decides about retries. `begun` marks a 2xx
// stream whose first bytes arrived: from then on the provider has taken the prompt and what
// it used is spent, so the attempt is not retried.
//
// Thread safety: one attempt runs on one thread; cancel it through its ModelCallState.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "plugins/support/model_api/call_budget.hpp"
#include "plugins/support/model_api/model_call_state.hpp"
#include "plugins/support/model_api/model_dialect.hpp"
#include "plugins/support/model_api/model_settings.hpp"
#include "plugins/support/model_api/stream_decoder.hpp"
#include "switchboard/agent.hpp"

namespace switchboard::plugins {

class ModelAttempt {
 public:
  using Clock = std::chrono::steady_clock;

  struct Outcome {
    bool cancelled = false;
    int status = 0;     // the HTTP status; 0 = no complete HTTP answer (a transport error)
    std::string error;  // what went wrong, for messages (may hold what a server echoed)
    std::string retry_after;
    std::string retry_after_ms;
    std::optional<ModelAnswer> answer;  // a complete answer; usage is tokens only
    bool output_estimated = false;      // a streamed answer without the provider's final count
    bool malformed = false;             // a 2xx body or stream that is not an answer
    bool begun = false;                 // bytes of a 2xx event stream arrived
    bool deadline = false;              // the deadline passed before the answer ended
    std::string over_budget;            // the usage broke a budget mid-stream: why
    std::optional<StreamError> error_event;
    Usage spent;  // a stream's usage so far, priced (turns 1 once begun)
  };

  ModelAttempt(const ModelDialect& dialect, const ModelSettings& settings, const CallBudget& budget,
               AgentCallback& callback)
      : dialect_(dialect), settings_(settings), budget_(budget), callback_(callback) {}

  Outcome run(ModelCallState& state, const std::string& body, Clock::time_point deadline);

 private:
  const ModelDialect& dialect_;
  const ModelSettings& settings_;
  const CallBudget& budget_;
  AgentCallback& callback_;
};

// `usage` with turns = 1 and its cost from the settings' price (0 without one).
Usage pricedTurn(Usage usage, const ModelSettings& settings);

}  // namespace switchboard::plugins
