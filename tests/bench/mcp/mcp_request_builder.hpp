// McpRequestBuilder: the JSON-RPC messages and HTTP requests an MCP client sends, for one
// protocol era, pre-serialised so that the load loops only splice in an id.
//
// Legacy era (2025-06-18, 2025-11-25): initialize + notifications/initialized once, then
// requests that carry the negotiated MCP-Protocol-Version header and the Mcp-Session-Id the
// server issued (if any). Modern era (2026-07-28): no handshake; every request carries the
// `_meta` envelope (protocolVersion, clientCapabilities, clientInfo) and, over HTTP, the
// MCP-Protocol-Version, Mcp-Method and Mcp-Name headers (the 2026-07-28 envelope and headers).
// Immutable after construction, so one builder may be shared by all threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "switchboard/status.hpp"

namespace switchboard::bench {

enum class Era { kLegacy, kModern };

// "legacy" or "modern"; kInvalidArgument for anything else.
Result<Era> parseEra(std::string_view text);
std::string_view eraName(Era era);
// 2025-11-25 for the legacy era, 2026-07-28 for the modern one.
std::string_view defaultProtocolVersion(Era era);

class McpRequestBuilder {
 public:
  // `argumentsJson` must be a JSON object (checked: kInvalidArgument otherwise).
  static Result<McpRequestBuilder> create(Era era, std::string protocolVersion,
                                          std::string toolName, std::string_view argumentsJson);

  Era era() const { return era_; }
  const std::string& protocolVersion() const { return protocolVersion_; }
  const std::string& toolName() const { return toolName_; }

  // One JSON-RPC message each, without a trailing newline.
  std::string initialize(std::int64_t id) const;
  std::string initializedNotification() const;
  std::string discover(std::int64_t id) const;  // server/discover (modern era)
  std::string toolsCall(std::int64_t id) const;

  // The first request a client sends: initialize (legacy) or server/discover (modern).
  std::string opening(std::int64_t id) const {
    return era_ == Era::kLegacy ? initialize(id) : discover(id);
  }
  std::string_view openingMethod() const {
    return era_ == Era::kLegacy ? "initialize" : "server/discover";
  }

  // A complete HTTP/1.1 POST of `body` for JSON-RPC method `method` (and `name`, the tool
  // for tools/call). `sessionId` may be empty. `handshake` is true for initialize and
  // notifications/initialized, which are sent before a legacy version is negotiated.
  std::string httpPost(const std::string& hostHeader, const std::string& path,
                       std::string_view method, std::string_view name, const std::string& sessionId,
                       bool handshake, std::string_view body) const;

 private:
  McpRequestBuilder() = default;
  std::string metaJson() const;

  Era era_ = Era::kLegacy;
  std::string protocolVersion_;
  std::string toolName_;
  std::string callPrefix_;  // {"jsonrpc":"2.0","id":
  std::string callSuffix_;  // ,"method":"tools/call","params":{...}}
};

}  // namespace switchboard::bench
