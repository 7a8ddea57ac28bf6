// HttpTransport::handlePost: one JSON-RPC message POSTed to the MCP endpoint. See
// http_transport.hpp for the rules.
#include <httplib.h>

#include "mcp/transport/http_exchange.hpp"
#include "mcp/transport/http_transport.hpp"
#include "mcp/transport/http_util.hpp"
#include "mcp/transport/message_router.hpp"

namespace switchboard::mcp::transport {

void HttpTransport::handlePost(const httplib::Request& req, httplib::Response& res) {
  if (!isJsonContentType(req)) {
    writeJsonError(res, 415, nullptr,
                   jsonrpc::Error{jsonrpc::kInvalidRequest,
                                  "Unsupported Media Type: Content-Type must be application/json",
                                  nullptr, 415});
    return;
  }
  jsonrpc::CodecLimits limits;
  limits.max_bytes = options_.max_body_bytes;
  jsonrpc::Decoded decoded = jsonrpc::Codec::decode(req.body, limits);
  if (!decoded.ok()) {
    writeJsonError(res, 400, decoded.error_id, decoded.error);
    return;
  }
  jsonrpc::Message& message = *decoded.message;
  std::optional<std::string> header_version;
  if (std::optional<std::string_view> version = header(req, "MCP-Protocol-Version")) {
    header_version.emplace(*version);
  }
  std::string session_id(header(req, "Mcp-Session-Id").value_or(""));
  bool modern = MessageRouter::claimsModern(message, header_version);

  if (!message.isRequest()) {
    // Notifications and answers to server->client requests: 202, no body.
    if (!modern && !session_id.empty()) {
      std::shared_ptr<protocol::Session> session = findSession(session_id);
      if (!session) {
        writeJsonError(res, 404, nullptr, sessionNotFound());
        return;
      }
      if (message.isResponse()) {
        server_.handleResponse(message, *session);
      } else {
        server_.handleNotification(message, session);
      }
    }
    res.status = 202;
    return;
  }

  std::shared_ptr<protocol::Session> session;
  bool new_session = false;
  if (!modern) {
    if (header_version && !protocol::isLegacyVersion(*header_version)) {
      writeJsonError(
          res, 400, message.id,
          jsonrpc::Error{jsonrpc::kInvalidRequest,
                         "Unsupported MCP-Protocol-Version: " + *header_version, nullptr, 400});
      return;
    }
    if (message.method == "initialize") {
      session = createSession();
      if (!session) {
        writeJsonError(res, 503, message.id,
                       jsonrpc::Error{jsonrpc::kInternalError, "too many sessions; try again later",
                                      nullptr, 503});
        return;
      }
      new_session = true;
    } else if (!session_id.empty()) {
      session = findSession(session_id);
      if (!session) {
        writeJsonError(res, 404, message.id, sessionNotFound());
        return;
      }
    }
  }
  MessageRouter router(server_);
  protocol::HeaderCheck::HeaderLookup lookup =
      [&req](std::string_view name) -> std::optional<std::string> {
    std::optional<std::string_view> value = header(req, name);
    if (!value) return std::nullopt;
    return std::string(*value);
  };
  protocol::ClientContext client;
  if (auto error =
          router.prepare(message, header_version, modern ? &lookup : nullptr, session, client)) {
    writeJsonError(res, error->http_status, message.id, *error);
    return;
  }
  bool can_stream = acceptsEventStream(req);
  bool long_lived = message.method == "subscriptions/listen";
  if (long_lived && !can_stream) {
    writeJsonError(
        res, 406, message.id,
        jsonrpc::Error{jsonrpc::kInvalidRequest,
                       "subscriptions/listen needs Accept: text/event-stream", nullptr, 406});
    return;
  }
  auto exchange = newExchange(can_stream, modern ? nullptr : session);
  server::Call call{std::move(message), std::move(client), session, exchange};
  call.allow_inline = true;  // this connection's own thread; nothing else waits on it
  server_.handleRequest(std::move(call));

  HttpExchange::First first = HttpExchange::First::kStream;
  if (!long_lived) first = exchange->waitFirst(options_.upgrade_after);
  if (new_session) {
    if (first == HttpExchange::First::kJson && exchange->httpStatus() != 200) {
      removeSession(session->id());
    } else {
      res.set_header("Mcp-Session-Id", session->id());
    }
  }
  switch (first) {
    case HttpExchange::First::kJson:
      res.status = exchange->httpStatus();
      res.body = exchange->takeResponseText();  // set_content would copy it
      res.set_header("Content-Type", "application/json");
      return;
    case HttpExchange::First::kStream:
      if (!modern) keepResumable(session, exchange);
      stream(res, std::move(exchange));
      return;
    case HttpExchange::First::kNothing:
      // Cancelled or shutting down before any answer.
      writeJsonError(res, 200, nullptr,
                     jsonrpc::Error{jsonrpc::kInternalError, "request cancelled", nullptr, 200});
      return;
  }
}

}  // namespace switchboard::mcp::transport
