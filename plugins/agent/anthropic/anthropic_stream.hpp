// AnthropicStream: reads a streamed Messages API answer. message_start carries the input
// (and cache) tokens; content_block_start and content_block_delta carry text (text_delta),
// and thinking or tool input that count towards the output estimate but not the text;
// message_delta carries the stop reason and the cumulative output tokens (final);
// message_stop ends the stream; ping and event types this does not know are skipped, as
// the API asks. An `error` event ({"type":"error","error":{"type","message"}}) is recorded
// with the HTTP status of its type (overloaded_error 529, rate_limit_error 429, ...).
//
// Thread safety: none; one per stream.
#pragma once

#include "plugins/support/model_api/stream_decoder.hpp"

namespace switchboard::plugins {

class AnthropicStream final : public StreamDecoder {
 public:
  // InvalidArgument when the data is not JSON or an event of a known type is malformed.
  Status onEvent(std::string_view name, std::string_view data) override;
};

}  // namespace switchboard::plugins
