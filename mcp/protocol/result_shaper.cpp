#include "mcp/protocol/result_shaper.hpp"

#include "mcp/protocol/envelope.hpp"

namespace switchboard::mcp::protocol {
namespace {

void shapeLegacyTool(nlohmann::json& tool, const std::string& version) {
  if (!tool.is_object()) return;
  if (auto out = tool.find("outputSchema"); out != tool.end()) {
    if (!out->is_object() || out->value("type", "") != "object") tool.erase("outputSchema");
  }
  if (version != "2025-11-25") {
    tool.erase("icons");
    tool.erase("execution");
  }
}

}  // namespace

bool ResultShaper::isCacheable(std::string_view method) {
  return method == "server/discover" || method == "tools/list" || method == "prompts/list" ||
         method == "resources/list" || method == "resources/templates/list" ||
         method == "resources/read";
}

void ResultShaper::shape(nlohmann::json& result, const ClientContext& client,
                         std::string_view method, const nlohmann::json& server_info,
                         const CacheHints& hints) {
  if (!result.is_object()) result = nlohmann::json::object();
  if (client.modern()) {
    if (!result.contains("resultType")) result["resultType"] = "complete";
    if (isCacheable(method) && result["resultType"] == "complete") {
      if (!result.contains("ttlMs")) result["ttlMs"] = hints.ttl_ms;
      if (!result.contains("cacheScope")) result["cacheScope"] = hints.scope;
    }
    if (!result.contains("_meta") || !result["_meta"].is_object()) {
      result["_meta"] = nlohmann::json::object();
    }
    result["_meta"][kMetaServerInfo] = server_info;
    return;
  }
  result.erase("resultType");
  result.erase("ttlMs");
  result.erase("cacheScope");
  if (method == "tools/call") {
    if (auto sc = result.find("structuredContent"); sc != result.end() && !sc->is_object()) {
      result.erase(sc);
    }
    if (!result.contains("content")) result["content"] = nlohmann::json::array();
  } else if (method == "tools/list") {
    if (auto tools = result.find("tools"); tools != result.end() && tools->is_array()) {
      for (auto& tool : *tools) shapeLegacyTool(tool, client.version);
    }
  }
}

}  // namespace switchboard::mcp::protocol
