#include "tests/bench/mcp/mcp_http_client.hpp"

#include <optional>

#include "tests/bench/mcp/mcp_response_check.hpp"

namespace switchboard::bench {
namespace {

std::string hostHeaderOf(const HttpUrl& url) {
  bool v6 = url.host.find(':') != std::string::npos;
  return (v6 ? "[" + url.host + "]" : url.host) + ":" + std::to_string(url.port);
}

}  // namespace

McpHttpClient::McpHttpClient(const HttpUrl& url, const McpRequestBuilder& builder, int timeoutMs,
                             bool checkIds)
    : builder_(builder),
      connection_(url.host, url.port, timeoutMs),
      hostHeader_(hostHeaderOf(url)),
      path_(url.path),
      checkIds_(checkIds) {}

Status McpHttpClient::post(std::string_view method, std::string_view name, bool handshake,
                           std::string_view body, HttpResponse& response) {
  std::string request =
      builder_.httpPost(hostHeader_, path_, method, name, sessionId_, handshake, body);
  auto result = connection_.roundTrip(request);
  if (!result.ok()) return result.status().withContext(std::string(method));
  response = std::move(*result);
  return {};
}

Status McpHttpClient::open() {
  std::int64_t id = nextId_++;
  bool legacy = builder_.era() == Era::kLegacy;
  std::string body = builder_.opening(id);
  HttpResponse response;
  SB_RETURN_IF_ERROR(post(builder_.openingMethod(), "", legacy, body, response));
  auto message = extractResponse(response.contentType, response.body,
                                 checkIds_ ? std::optional<std::int64_t>(id) : std::nullopt);
  if (!message.ok()) {
    return message.status().withContext(std::string(builder_.openingMethod()) + " (HTTP " +
                                        std::to_string(response.status) + ")");
  }
  SB_RETURN_IF_ERROR(checkResult(*message, builder_.era(), false)
                         .withContext(std::string(builder_.openingMethod())));
  if (legacy) {
    const auto& result = (*message)["result"];
    auto version = result.find("protocolVersion");
    if (version != result.end() && *version != builder_.protocolVersion()) {
      return Status::failedPrecondition("server negotiated protocol version " + version->dump() +
                                        ", not " + builder_.protocolVersion());
    }
    sessionId_ = response.sessionId;
  }
  return {};
}

Status McpHttpClient::finishHandshake() {
  if (builder_.era() == Era::kModern) return {};
  HttpResponse response;
  std::string body = builder_.initializedNotification();
  SB_RETURN_IF_ERROR(post("notifications/initialized", "", true, body, response));
  if (response.status / 100 != 2) {
    return Status::internal("notifications/initialized answered HTTP " +
                            std::to_string(response.status) + ": " + response.body);
  }
  return {};
}

Status McpHttpClient::handshake() {
  if (builder_.era() == Era::kModern) return {};
  SB_RETURN_IF_ERROR(open());
  return finishHandshake();
}

Status McpHttpClient::callTool() {
  std::int64_t id = nextId_++;
  std::string body = builder_.toolsCall(id);
  HttpResponse response;
  SB_RETURN_IF_ERROR(post("tools/call", builder_.toolName(), false, body, response));
  Status s = checkToolCallResponse(response.contentType, response.body,
                                   checkIds_ ? std::optional<std::int64_t>(id) : std::nullopt,
                                   builder_.era());
  if (!s.ok()) return s.withContext("tools/call (HTTP " + std::to_string(response.status) + ")");
  return {};
}

}  // namespace switchboard::bench
