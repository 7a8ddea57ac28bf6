#include "mcp/protocol/result_shaper.hpp"

#include <array>
#include <cstring>
#include <functional>

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

// What shapeToolResultText needs to know about a CallToolResult text: a SAX consumer
// for nlohmann::json::sax_parse that builds nothing and stops at the first thing that
// rules the text out.
class ToolResultScan {
 public:
  using Json = nlohmann::json;

  explicit ToolResultScan(bool modern) : modern_(modern) {}
  // After a complete parse: may the text be sent as it is?
  bool usable() const { return content_is_array_; }

  bool null() { return value('n'); }
  bool boolean(bool) { return value('b'); }
  bool number_integer(Json::number_integer_t) { return value('#'); }
  bool number_unsigned(Json::number_unsigned_t) { return value('#'); }
  bool number_float(Json::number_float_t, const Json::string_t&) { return value('#'); }
  bool string(Json::string_t&) { return value('s'); }
  bool binary(Json::binary_t&) { return false; }  // not produced by the JSON parser
  bool start_object(std::size_t) {
    if (depth_ == 1 && !value('o')) return false;
    ++depth_;
    return true;
  }
  bool end_object() {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) {
    if (!value('a')) return false;
    ++depth_;
    return true;
  }
  bool end_array() {
    --depth_;
    return true;
  }
  bool key(Json::string_t& name) {
    if (depth_ != 1) return true;
    // Repeated top-level keys: the DOM keeps the last one, the text would keep both.
    std::size_t hash = std::hash<std::string_view>{}(name);
    if (key_count_ == seen_.size()) return false;
    for (std::size_t i = 0; i < key_count_; ++i) {
      if (seen_[i] == hash) return false;
    }
    seen_[key_count_++] = hash;
    if (name == "content") {
      expect_ = 'a';
    } else if (name == "isError") {
      expect_ = 'b';
    } else if (name == "structuredContent") {
      expect_ = 'o';
    } else if (name == "resultType" || name == "ttlMs" || name == "cacheScope" ||
               (modern_ && name == "_meta")) {
      return false;
    } else {
      expect_ = 0;
    }
    content_key_ = name == "content";
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
    return false;
  }

 private:
  // A value starts at the current depth; kind: n b # s o a.
  bool value(char kind) {
    if (depth_ == 0) return false;  // the root must be an object (start_object at depth 0)
    if (depth_ != 1) return true;
    if (expect_ != 0 && kind != expect_) return false;
    if (content_key_) content_is_array_ = true;
    return true;
  }

  const bool modern_;
  int depth_ = 0;
  char expect_ = 0;  // the kind the current top-level key's value must be; 0: any
  bool content_key_ = false;
  bool content_is_array_ = false;
  std::array<std::size_t, 32> seen_{};  // hashes of the top-level keys so far
  std::size_t key_count_ = 0;
};

}  // namespace

std::optional<std::string> ResultShaper::shapeToolResultText(std::string_view text,
                                                             const ClientContext& client,
                                                             std::string_view server_info_text) {
  if (text.find_first_of("\r\n") != std::string_view::npos) return std::nullopt;
  std::size_t first = text.find_first_not_of(" \t");
  std::size_t last = text.find_last_not_of(" \t");
  if (first == std::string_view::npos || text[first] != '{' || text[last] != '}') {
    return std::nullopt;
  }
  text = text.substr(first, last - first + 1);
  ToolResultScan scan(client.modern());
  if (!nlohmann::json::sax_parse(text.begin(), text.end(), &scan) || !scan.usable()) {
    return std::nullopt;
  }
  if (!client.modern()) return std::string(text);
  // The object has a "content" key, so it is not empty: append after a comma.
  std::string out;
  constexpr std::string_view kResultType = R"(,"resultType":"complete","_meta":{")";
  constexpr std::string_view kInfoKey = R"(":)";
  out.reserve(text.size() + kResultType.size() + std::strlen(kMetaServerInfo) + kInfoKey.size() +
              server_info_text.size() + 2);
  out.append(text.substr(0, text.size() - 1));
  out.append(kResultType);
  out.append(kMetaServerInfo);
  out.append(kInfoKey);
  out.append(server_info_text);
  out.append("}}");
  return out;
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
