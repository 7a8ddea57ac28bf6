// ResultShaper: makes one successful result valid for the era and version it is sent in
// (spec-checklist.md §3.3 table).
//
// Modern (2026-07-28): adds resultType "complete" when absent, ttlMs/cacheScope on
// cacheable results (server/discover, the four lists, resources/read), and serverInfo in
// _meta. Legacy: removes those fields again, keeps structuredContent only when it is an
// object, drops a tool's outputSchema whose root is not an object, and removes fields the
// 2025-06-18 schema does not know (icons, execution) for that version.
//
// Thread safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "mcp/protocol/client_context.hpp"

namespace switchboard::mcp::protocol {

struct CacheHints {
  long long ttl_ms = 0;
  std::string scope = "public";
};

class ResultShaper {
 public:
  static bool isCacheable(std::string_view method);
  static void shape(nlohmann::json& result, const ClientContext& client, std::string_view method,
                    const nlohmann::json& server_info, const CacheHints& hints);
};

}  // namespace switchboard::mcp::protocol
