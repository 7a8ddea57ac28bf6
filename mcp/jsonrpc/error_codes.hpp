// The one table that turns a Status into a JSON-RPC error, and the JSON-RPC/MCP error codes.
//
// Codes follow JSON-RPC 2.0 and the MCP revisions served here (2025-06-18, 2025-11-25,
// 2026-07-28; the error codes each revision defines). An Error also carries the HTTP status
// the Streamable HTTP transport answers with when the error is the whole response (200 for
// ordinary errors, 400/404 for the 2026-07-28 envelope and routing errors).
//
// Thread safety: plain values and pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "switchboard/status.hpp"

namespace switchboard::mcp::jsonrpc {

inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
// 2025-06-18 / 2025-11-25 only: resources/read of an unknown URI.
inline constexpr int kResourceNotFound = -32002;
// 2026-07-28 only.
inline constexpr int kHeaderMismatch = -32020;
inline constexpr int kMissingRequiredClientCapability = -32021;
inline constexpr int kUnsupportedProtocolVersion = -32022;

struct Error {
  int code = kInternalError;
  std::string message;
  nlohmann::json data;    // null: no "data" member
  int http_status = 200;  // what an HTTP transport answers when this error is the response

  nlohmann::json toJson() const;
};

// The table: InvalidArgument and NotFound -> -32602, Unimplemented -> -32601, everything
// else -> -32603. The message is the Status message.
Error errorFromStatus(const Status& status);

Error parseError(std::string message);
Error invalidRequest(std::string message);
Error methodNotFound(std::string_view method);
Error invalidParams(std::string message);
Error internalError(std::string message);

}  // namespace switchboard::mcp::jsonrpc
