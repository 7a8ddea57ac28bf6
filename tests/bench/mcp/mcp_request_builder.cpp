#include "tests/bench/mcp/mcp_request_builder.hpp"

#include <nlohmann/json.hpp>
#include <utility>

namespace switchboard::bench {
namespace {

using nlohmann::json;

const json kClientInfo = {{"name", "switchboard-bench"}, {"version", "0.1.0"}};

std::string envelope(std::int64_t id, std::string_view method, json params) {
  json message = {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
  message["params"] = std::move(params);
  return message.dump();
}

}  // namespace

Result<Era> parseEra(std::string_view text) {
  if (text == "legacy") return Era::kLegacy;
  if (text == "modern") return Era::kModern;
  return Status::invalidArgument("era must be legacy or modern, not '" + std::string(text) + "'");
}

std::string_view eraName(Era era) { return era == Era::kLegacy ? "legacy" : "modern"; }

std::string_view defaultProtocolVersion(Era era) {
  return era == Era::kLegacy ? "2025-11-25" : "2026-07-28";
}

Result<McpRequestBuilder> McpRequestBuilder::create(Era era, std::string protocolVersion,
                                                    std::string toolName,
                                                    std::string_view argumentsJson) {
  json arguments = json::parse(argumentsJson, nullptr, false);
  if (arguments.is_discarded() || !arguments.is_object()) {
    return Status::invalidArgument("tool arguments must be a JSON object: " +
                                   std::string(argumentsJson));
  }
  if (toolName.empty()) return Status::invalidArgument("empty tool name");
  McpRequestBuilder b;
  b.era_ = era;
  b.protocolVersion_ = std::move(protocolVersion);
  b.toolName_ = std::move(toolName);
  json params = {{"name", b.toolName_}, {"arguments", arguments}};
  if (era == Era::kModern) params["_meta"] = json::parse(b.metaJson());
  b.callPrefix_ = R"({"jsonrpc":"2.0","id":)";
  b.callSuffix_ = R"(,"method":"tools/call","params":)" + params.dump() + "}";
  return b;
}

std::string McpRequestBuilder::metaJson() const {
  json meta = {{"io.modelcontextprotocol/protocolVersion", protocolVersion_},
               {"io.modelcontextprotocol/clientCapabilities", json::object()},
               {"io.modelcontextprotocol/clientInfo", kClientInfo}};
  return meta.dump();
}

std::string McpRequestBuilder::initialize(std::int64_t id) const {
  return envelope(id, "initialize",
                  {{"protocolVersion", protocolVersion_},
                   {"capabilities", json::object()},
                   {"clientInfo", kClientInfo}});
}

std::string McpRequestBuilder::initializedNotification() const {
  return R"({"jsonrpc":"2.0","method":"notifications/initialized"})";
}

std::string McpRequestBuilder::discover(std::int64_t id) const {
  return envelope(id, "server/discover", {{"_meta", json::parse(metaJson())}});
}

std::string McpRequestBuilder::toolsCall(std::int64_t id) const {
  std::string out;
  out.reserve(callPrefix_.size() + 20 + callSuffix_.size());
  out += callPrefix_;
  out += std::to_string(id);
  out += callSuffix_;
  return out;
}

std::string McpRequestBuilder::httpPost(const std::string& hostHeader, const std::string& path,
                                        std::string_view method, std::string_view name,
                                        const std::string& sessionId, bool handshake,
                                        std::string_view body) const {
  std::string out;
  out.reserve(320 + body.size());
  out += "POST ";
  out += path;
  out += " HTTP/1.1\r\nHost: ";
  out += hostHeader;
  out += "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n";
  if (era_ == Era::kModern || !handshake) {
    out += "MCP-Protocol-Version: ";
    out += protocolVersion_;
    out += "\r\n";
  }
  if (era_ == Era::kModern) {
    out += "Mcp-Method: ";
    out += method;
    out += "\r\n";
    if (!name.empty()) {
      out += "Mcp-Name: ";
      out += name;
      out += "\r\n";
    }
  }
  if (!sessionId.empty()) {
    out += "Mcp-Session-Id: ";
    out += sessionId;
    out += "\r\n";
  }
  out += "Content-Length: ";
  out += std::to_string(body.size());
  out += "\r\n\r\n";
  out += body;
  return out;
}

}  // namespace switchboard::bench
