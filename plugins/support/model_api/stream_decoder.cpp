#include "plugins/support/model_api/stream_decoder.hpp"

#include <algorithm>

namespace switchboard::plugins {

Usage StreamState::usageSoFar() const {
  Usage u = answer.usage;
  if (!output_final) {
    const std::int64_t estimate = std::max(deltas, (streamed_bytes + 3) / 4);
    u.output_tokens = std::max(u.output_tokens, estimate);
  }
  return u;
}

}  // namespace switchboard::plugins
