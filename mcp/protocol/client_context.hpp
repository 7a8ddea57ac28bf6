// ClientContext: what the server knows about the client for one request — era, protocol
// version, declared capabilities and (modern) requested log level.
//
// Legacy requests get it from the session's initialize; modern requests from their own
// `_meta` envelope (never from earlier traffic), including the extensions the client
// declared for that one request (capabilities.extensions). A value, cheap to copy: every
// request copies it (into its Call and its RequestContext), so the capabilities are shared
// and never changed once declared.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "mcp/protocol/era.hpp"

namespace switchboard::mcp::protocol {

// The 2026-07-28 Tasks extension (SEP-2663).
inline constexpr const char* kTasksExtension = "io.modelcontextprotocol/tasks";

struct ClientContext {
  Era era = Era::kLegacy;
  std::string version = std::string(kLatestLegacyVersion);
  std::shared_ptr<const nlohmann::json> capabilities;  // null: none declared
  std::string log_level;  // modern: the request's logLevel; empty = send no logs

  bool modern() const { return era == Era::kModern; }
  void setCapabilities(nlohmann::json declared) {
    capabilities = std::make_shared<const nlohmann::json>(std::move(declared));
  }
  // True when the client declared what `method` (sampling/createMessage,
  // elicitation/create, roots/list) needs.
  bool supports(std::string_view method) const;
  // True when the request declared capabilities.extensions[id] (modern era only).
  bool hasExtension(std::string_view id) const;
  // {"sampling":{}} etc.: the capability `method` needs (null for unknown methods).
  static nlohmann::json capabilityFor(std::string_view method);
};

inline bool ClientContext::supports(std::string_view method) const {
  if (!capabilities || !capabilities->is_object()) return false;
  if (method == "sampling/createMessage") return capabilities->contains("sampling");
  if (method == "roots/list") return capabilities->contains("roots");
  if (method == "elicitation/create") {
    auto it = capabilities->find("elicitation");
    if (it == capabilities->end()) return false;
    // {} means form only; {"url":{}} alone means URL mode only.
    return !it->is_object() || it->empty() || it->contains("form");
  }
  return false;
}

inline bool ClientContext::hasExtension(std::string_view id) const {
  if (!modern() || !capabilities || !capabilities->is_object()) return false;
  auto extensions = capabilities->find("extensions");
  if (extensions == capabilities->end() || !extensions->is_object()) return false;
  auto it = extensions->find(std::string(id));
  return it != extensions->end() && it->is_object();
}

inline nlohmann::json ClientContext::capabilityFor(std::string_view method) {
  if (method == "sampling/createMessage") return {{"sampling", nlohmann::json::object()}};
  if (method == "roots/list") return {{"roots", nlohmann::json::object()}};
  if (method == "elicitation/create") return {{"elicitation", nlohmann::json::object()}};
  return nullptr;
}

}  // namespace switchboard::mcp::protocol
