// OpenAIStream: reads a streamed chat completion. Each event's data is a
// chat.completion.chunk whose choices[0].delta.content adds text (reasoning_content, sent by
// some local servers, counts towards the output estimate only) and whose finish_reason gives
// the stop reason; the chunk with `usage` (the last one, asked for with include_usage) gives
// every token count, final; `[DONE]` ends the stream. A chunk {"error": {...}} is an error
// event, recorded with the HTTP status of its numeric code or type (429 for rate limits and
// quota, 400 for invalid requests, else 500).
//
// Thread safety: none; one per stream.
#pragma once

#include "plugins/support/model_api/stream_decoder.hpp"

namespace switchboard::plugins {

class OpenAIStream final : public StreamDecoder {
 public:
  // InvalidArgument when the data is neither [DONE] nor a chunk (or error) object.
  Status onEvent(std::string_view name, std::string_view data) override;
};

}  // namespace switchboard::plugins
