// Fast reading of JSON text with simdjson, for what every call goes through: the request
// (readMessageFast, parseFast) and a tool provider's result (scanObject). simdjson validates the
// whole text (grammar and UTF-8) in one SIMD pass, several times faster than nlohmann's parser;
// nlohmann::json stays the DOM the server works with.
//
// Both give up (nullopt / false) on anything simdjson refuses and on text over
// kFastMaxBytes; callers then use nlohmann's parser, whose results and error messages stay
// the reference. Where both accept a text they read the same values: integers >= 0 become
// unsigned as nlohmann makes them, a repeated key keeps its last value as in nlohmann.
//
// Thread safety: each thread uses its own simdjson parser (sized for kFastMaxBytes at most).
#pragma once

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "mcp/jsonrpc/message.hpp"

namespace switchboard::mcp::jsonrpc {

inline constexpr std::size_t kFastMaxBytes = 64 * 1024;
// Deeper text is left to nlohmann's parser (its DOM is built without recursion).
inline constexpr int kFastMaxDepth = 128;

// `text` as a DOM, or nullopt: not JSON, over kFastMaxBytes, an integer outside 64 bits
// (nlohmann reads it as a float), or nested deeper than max_depth (capped at
// kFastMaxDepth): more than max_depth arrays and objects open at any value or key.
std::optional<nlohmann::json> parseFast(std::string_view text, int max_depth = kFastMaxDepth);

// `text` as a JSON-RPC request or notification, read straight from simdjson without a DOM
// of the whole message: "jsonrpc" "2.0", a non-empty string "method", an "id" that is a
// string or a 64-bit integer (absent: a notification), "params" an object or absent,
// each at most once; other members are skipped. nullopt for anything else (responses,
// and every message Codec::fromJson would refuse) and where parseFast gives up.
std::optional<Message> readMessageFast(std::string_view text, int max_depth = kFastMaxDepth);

enum class JsonKind { kNull, kBool, kNumber, kString, kArray, kObject };

// Checks that `text` is one valid JSON object and calls visit(key, kind, size) for its
// members in order (keys unescaped; repeated keys each time; size: the number of items or
// members of an array or object, 0 for other values). False when the text is not a JSON
// object simdjson accepts, is over kFastMaxBytes, or visit returned false.
bool scanObject(
    std::string_view text,
    const std::function<bool(std::string_view key, JsonKind kind, std::size_t size)>& visit);

}  // namespace switchboard::mcp::jsonrpc
