// Protocol eras and versions: which MCP revisions this server speaks and how a version is
// negotiated.
//
// Legacy era = 2025-06-18 and 2025-11-25 (and 2025-03-26 clients, served with the
// 2025-06-18 shapes): initialize handshake, sessions. Modern era = 2026-07-28: no
// handshake, per-request `_meta` envelope. mcp/README.md describes both.
//
// Thread safety: pure functions over constants.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace switchboard::mcp::protocol {

enum class Era { kLegacy, kModern };

inline constexpr std::string_view kModernVersion = "2026-07-28";
inline constexpr std::string_view kLatestLegacyVersion = "2025-11-25";

// Legacy versions accepted in initialize, newest first.
const std::vector<std::string>& legacyVersions();
// Versions a modern request may name (today just 2026-07-28).
const std::vector<std::string>& modernVersions();

bool isLegacyVersion(std::string_view version);
bool isModernVersion(std::string_view version);
// initialize: the client's version when supported, otherwise our newest legacy version.
std::string negotiateLegacyVersion(std::string_view requested);

// Log levels (RFC 5424 names as used by MCP): rank 0 (debug) .. 7 (emergency), -1 unknown.
int logLevelRank(std::string_view level);

}  // namespace switchboard::mcp::protocol
