// Codec: turns untrusted text into a jsonrpc::Message, and messages into single-line text.
//
// decode() never throws: broken JSON is -32700, anything that is JSON but not one valid
// JSON-RPC 2.0 message is -32600 (with the request id echoed when it could be read).
// Arrays (2025-03-26 batches) are refused, since every era served here forbids batching.
// Text over CodecLimits::max_bytes or nested deeper than max_depth is refused before or
// while parsing. encode() replaces invalid UTF-8 instead of throwing and never emits a
// newline, so its output is one stdio line or one SSE data field.
//
// Thread safety: stateless; safe from any thread.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "mcp/jsonrpc/error_codes.hpp"
#include "mcp/jsonrpc/message.hpp"

namespace switchboard::mcp::jsonrpc {

struct CodecLimits {
  std::size_t max_bytes = 4 * 1024 * 1024;
  int max_depth = 128;
};

struct Decoded {
  std::optional<Message> message;  // set on success
  Error error;                     // otherwise: why it was refused
  nlohmann::json error_id;         // the request id to echo in the error (null if unknown)
  bool ok() const { return message.has_value(); }
};

class Codec {
 public:
  static Decoded decode(std::string_view text, const CodecLimits& limits = {});
  // Classifies an already-parsed JSON value.
  static Decoded fromJson(nlohmann::json value);
  static std::string encode(const nlohmann::json& message);
  // A response {"jsonrpc":"2.0","id":id,"result":...} around a result that is already
  // JSON text: one object on one line (ResultShaper::shapeToolResultText's output).
  static std::string encodeResult(const nlohmann::json& id, std::string_view result_text);
};

}  // namespace switchboard::mcp::jsonrpc
