// Envelope: the 2026-07-28 `_meta` envelope — how a request claims the modern era and the
// validation ladder it then goes through (the 2026-07-28 request envelope and headers).
//
// A request claims the modern era when params._meta holds a reserved envelope key
// (io.modelcontextprotocol/protocolVersion, clientCapabilities, clientInfo, logLevel) or
// the MCP-Protocol-Version header names a version that is not a legacy one. A claimed
// request is then validated in this order: required fields present and well-typed
// (-32602), header equal to the `_meta` version (-32020), version supported (-32022). All
// three answer HTTP 400.
//
// Thread safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "mcp/jsonrpc/error_codes.hpp"
#include "mcp/protocol/client_context.hpp"

namespace switchboard::mcp::protocol {

inline constexpr const char* kMetaProtocolVersion = "io.modelcontextprotocol/protocolVersion";
inline constexpr const char* kMetaClientCapabilities = "io.modelcontextprotocol/clientCapabilities";
inline constexpr const char* kMetaClientInfo = "io.modelcontextprotocol/clientInfo";
inline constexpr const char* kMetaLogLevel = "io.modelcontextprotocol/logLevel";
inline constexpr const char* kMetaServerInfo = "io.modelcontextprotocol/serverInfo";
inline constexpr const char* kMetaSubscriptionId = "io.modelcontextprotocol/subscriptionId";

class Envelope {
 public:
  // header_version: the MCP-Protocol-Version header, or nullopt (absent, or stdio).
  static bool claimsModern(const nlohmann::json& params,
                           const std::optional<std::string>& header_version);

  // Runs the ladder; on success fills `out` (era kModern) and returns nullopt.
  static std::optional<jsonrpc::Error> validate(const nlohmann::json& params,
                                                const std::optional<std::string>& header_version,
                                                ClientContext& out);
};

}  // namespace switchboard::mcp::protocol
