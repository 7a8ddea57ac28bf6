// HeaderCheck: the 2026-07-28 Streamable HTTP rule that mirrored headers equal the body
// (Mcp-Method, Mcp-Name, Mcp-Param-*; the 2026-07-28 Streamable HTTP transport).
//
// Header values are trimmed; a value of the form =?base64?...?= is decoded first (invalid
// base64 is a mismatch). Any failure is -32020 HeaderMismatch with HTTP 400.
//
// Thread safety: pure functions.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "mcp/jsonrpc/error_codes.hpp"

namespace switchboard::mcp::protocol {

class HeaderCheck {
 public:
  // Returns a header's value (names are case-insensitive), or nullopt when absent.
  using HeaderLookup = std::function<std::optional<std::string>(std::string_view name)>;

  // method/params: the request body. tool_input_schema: for tools/call, the called tool's
  // inputSchema (its properties' x-mcp-header names Mcp-Param-* headers), else null.
  static std::optional<jsonrpc::Error> check(std::string_view method, const nlohmann::json& params,
                                             const HeaderLookup& header,
                                             const nlohmann::json& tool_input_schema);

  // Decodes =?base64?...?=; values without both markers are returned unchanged.
  // nullopt: the markers are there but the base64 is invalid.
  static std::optional<std::string> decodeValue(std::string_view raw);
};

}  // namespace switchboard::mcp::protocol
