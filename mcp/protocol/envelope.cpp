#include "mcp/protocol/envelope.hpp"

namespace switchboard::mcp::protocol {
namespace {

jsonrpc::Error badEnvelope(std::string message) {
  jsonrpc::Error error = jsonrpc::invalidParams(std::move(message));
  error.http_status = 400;
  return error;
}

}  // namespace

bool Envelope::claimsModern(const nlohmann::json& params,
                            const std::optional<std::string>& header_version) {
  if (header_version && !header_version->empty() && !isLegacyVersion(*header_version)) {
    return true;
  }
  if (!params.is_object()) return false;
  auto meta = params.find("_meta");
  if (meta == params.end() || !meta->is_object()) return false;
  return meta->contains(kMetaProtocolVersion) || meta->contains(kMetaClientCapabilities) ||
         meta->contains(kMetaClientInfo) || meta->contains(kMetaLogLevel);
}

std::optional<jsonrpc::Error> Envelope::validate(const nlohmann::json& params,
                                                 const std::optional<std::string>& header_version,
                                                 ClientContext& out) {
  const nlohmann::json* meta = nullptr;
  if (params.is_object()) {
    auto it = params.find("_meta");
    if (it != params.end() && it->is_object()) meta = &*it;
  }
  if (meta == nullptr) {
    return badEnvelope("params._meta with \"" + std::string(kMetaProtocolVersion) + "\" and \"" +
                       kMetaClientCapabilities + "\" is required");
  }
  auto version = meta->find(kMetaProtocolVersion);
  if (version == meta->end() || !version->is_string()) {
    return badEnvelope(std::string("params._meta[\"") + kMetaProtocolVersion +
                       "\"] is required and must be a string");
  }
  auto caps = meta->find(kMetaClientCapabilities);
  if (caps == meta->end() || !caps->is_object()) {
    return badEnvelope(std::string("params._meta[\"") + kMetaClientCapabilities +
                       "\"] is required and must be an object");
  }
  auto info = meta->find(kMetaClientInfo);
  if (info != meta->end() && !info->is_object()) {
    return badEnvelope(std::string("params._meta[\"") + kMetaClientInfo + "\"] must be an object");
  }
  std::string log_level;
  if (auto level = meta->find(kMetaLogLevel); level != meta->end()) {
    if (!level->is_string() || logLevelRank(level->get<std::string>()) < 0) {
      return badEnvelope(std::string("params._meta[\"") + kMetaLogLevel +
                         "\"] must be a logging level (debug ... emergency)");
    }
    log_level = level->get<std::string>();
  }
  const std::string& requested = version->get_ref<const std::string&>();
  if (header_version && *header_version != requested) {
    return jsonrpc::Error{jsonrpc::kHeaderMismatch,
                          "MCP-Protocol-Version header \"" + *header_version +
                              "\" does not match params._meta protocolVersion \"" + requested +
                              "\"",
                          nullptr, 400};
  }
  if (!isModernVersion(requested)) {
    return jsonrpc::Error{jsonrpc::kUnsupportedProtocolVersion,
                          "Unsupported protocol version \"" + requested +
                              "\"; supported: " + std::string(kModernVersion) +
                              " (or 2025-11-25/2025-06-18 via initialize)",
                          {{"supported", modernVersions()}, {"requested", requested}},
                          400};
  }
  out.era = Era::kModern;
  out.version = requested;
  out.setCapabilities(*caps);
  out.log_level = std::move(log_level);
  return std::nullopt;
}

}  // namespace switchboard::mcp::protocol
