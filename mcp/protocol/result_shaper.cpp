#include "mcp/protocol/result_shaper.hpp"

#include <array>
#include <cstring>

#include "mcp/jsonrpc/fast_json.hpp"
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

bool ResultShaper::shapeToolResultText(std::string& result, const ClientContext& client,
                                       std::string_view server_info_text) {
  std::string_view text = result;
  // Two memchr scans: find_first_of with a set looks up the set once per character.
  if (std::memchr(text.data(), '\n', text.size()) != nullptr ||
      std::memchr(text.data(), '\r', text.size()) != nullptr) {
    return false;
  }
  std::size_t first = text.find_first_not_of(" \t");
  std::size_t last = text.find_last_not_of(" \t");
  if (first == std::string_view::npos || text[first] != '{' || text[last] != '}') {
    return false;
  }
  text = text.substr(first, last - first + 1);
  // The top-level members: each key once, content an array, isError a boolean,
  // structuredContent an object, nothing that shape() would remove or merge.
  std::array<std::string_view, 32> keys;
  std::size_t key_count = 0;
  bool has_content = false;
  bool empty_content = false;
  bool has_structured = false;
  bool modern = client.modern();
  auto member = [&](std::string_view key, jsonrpc::JsonKind kind, std::size_t size) {
    if (key_count == keys.size()) return false;
    for (std::size_t i = 0; i < key_count; ++i) {
      if (keys[i] == key) return false;  // the DOM keeps the last, the text would keep both
    }
    keys[key_count++] = key;
    if (key == "content") {
      has_content = true;
      empty_content = size == 0;
      return kind == jsonrpc::JsonKind::kArray;
    }
    if (key == "isError") return kind == jsonrpc::JsonKind::kBool;
    if (key == "structuredContent") {
      has_structured = true;
      return kind == jsonrpc::JsonKind::kObject;
    }
    return key != "resultType" && key != "ttlMs" && key != "cacheScope" &&
           !(modern && key == "_meta");
  };
  // Structured content with an empty content array: the server adds the data as text
  // content (for clients without structured-content support), which needs the DOM.
  if (!jsonrpc::scanObject(text, member) || !has_content || (has_structured && empty_content)) {
    return false;
  }
  result.erase(last + 1);
  result.erase(0, first);
  if (!modern) return true;
  // The object has a "content" key, so it is not empty: append after a comma.
  constexpr std::string_view kResultType = R"(,"resultType":"complete","_meta":{")";
  constexpr std::string_view kInfoKey = R"(":)";
  result.pop_back();
  result.reserve(result.size() + kResultType.size() + std::strlen(kMetaServerInfo) +
                 kInfoKey.size() + server_info_text.size() + 3);
  result.append(kResultType);
  result.append(kMetaServerInfo);
  result.append(kInfoKey);
  result.append(server_info_text);
  result.append("}}");
  return true;
}

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
