// StreamDecoder: reads one streamed answer of a model API, one server-sent event at a time,
// into a StreamState: the text so far, the stop reason, the provider's usage figures as they
// arrive, whether the stream reached its end event, and an error event if one came.
//
// While a stream runs, providers report output tokens only at the end (Anthropic's
// message_delta, OpenAI's usage chunk), so StreamState::usageSoFar() estimates them from the
// text streamed so far — one token per 4 bytes, and at least one per delta — until the
// provider's own count arrives; then it is the provider's. Input tokens are the provider's
// (Anthropic sends them first, in message_start; OpenAI only in its last chunk).
//
// Implementations: AnthropicStream, OpenAIStream (one per call, made by the dialect).
// Thread safety: none; one decoder per stream, used by one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "plugins/support/model_api/model_dialect.hpp"
#include "switchboard/status.hpp"
#include "switchboard/usage.hpp"

namespace switchboard::plugins {

// An error event inside a 2xx stream, with the HTTP status its error type stands for
// (overloaded_error 529, rate limits 429, server errors 500, invalid requests 400, ...).
struct StreamError {
  int status = 500;
  std::string message;  // "overloaded_error: Overloaded"
};

struct StreamState {
  ModelAnswer answer;                // text and stop reason so far; usage as the provider sent it
  std::int64_t deltas = 0;           // text (or reasoning) deltas received
  std::int64_t streamed_bytes = 0;   // their bytes, for the estimate
  bool output_final = false;         // answer.usage.output_tokens is the provider's final count
  bool complete = false;             // the end event came (message_stop, [DONE])
  std::optional<StreamError> error;  // an error event came; the stream is over

  // The usage so far (tokens only): the provider's figures, with output tokens estimated
  // from the streamed text until the provider's final count arrives.
  Usage usageSoFar() const;
  // Whether the output tokens of usageSoFar() are an estimate.
  bool outputEstimated() const { return !output_final; }
};

class StreamDecoder {
 public:
  virtual ~StreamDecoder() = default;
  // One event: its `event:` name ("" when none) and its data. InvalidArgument saying what is
  // wrong when it is not an event of this API. An error event is not an error here: it is
  // recorded in state().error.
  virtual Status onEvent(std::string_view name, std::string_view data) = 0;
  const StreamState& state() const { return state_; }

 protected:
  StreamState state_;
};

}  // namespace switchboard::plugins
