// ResultShaper: makes one successful result valid for the era and version it is sent in
// (the result shapes each revision defines).
//
// Modern (2026-07-28): adds resultType "complete" when absent, ttlMs/cacheScope on
// cacheable results (server/discover, the four lists, resources/read), and serverInfo in
// _meta. Legacy: removes those fields again, keeps structuredContent only when it is an
// object, drops a tool's outputSchema whose root is not an object, and removes fields the
// 2025-06-18 schema does not know (icons, execution) for that version.
//
// shapeToolResultText() does the same for a CallToolResult that arrives as JSON text (a
// tool provider plugin's) without building it: simdjson checks it (jsonrpc::scanObject),
// and when nothing must be removed or merged the text is sent as it is (legacy) or with
// resultType and _meta appended (modern). Otherwise the caller parses it and uses shape().
//
// Thread safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
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
  // The tools/call result to send for `text`, a CallToolResult as JSON text, when it can
  // go out without being rebuilt: a single JSON object on one line (no CR or LF, so it
  // frames on stdio and SSE as it is) with a "content" array, a boolean "isError" and an
  // object "structuredContent" when present (and then a non-empty "content": the server
  // adds the data as text content to an empty one), no repeated top-level key, none of
  // resultType, ttlMs and cacheScope, and on the modern era no _meta (which would have to
  // be merged). server_info_text: the serverInfo JSON text for the modern era's _meta.
  // Shapes `text` in place. False, with `text` untouched: parse it and use shape() (also
  // for invalid JSON, which that path reports).
  static bool shapeToolResultText(std::string& text, const ClientContext& client,
                                  std::string_view server_info_text);
};

}  // namespace switchboard::mcp::protocol
