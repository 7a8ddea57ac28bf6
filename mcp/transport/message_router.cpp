#include "mcp/transport/message_router.hpp"

#include "mcp/protocol/envelope.hpp"

namespace switchboard::mcp::transport {

bool MessageRouter::claimsModern(const jsonrpc::Message& message,
                                 const std::optional<std::string>& header_version) {
  return protocol::Envelope::claimsModern(message.params, header_version);
}

std::optional<jsonrpc::Error> MessageRouter::prepare(
    const jsonrpc::Message& request, const std::optional<std::string>& header_version,
    const protocol::HeaderCheck::HeaderLookup* headers,
    const std::shared_ptr<protocol::Session>& session, protocol::ClientContext& out) const {
  if (!claimsModern(request, header_version)) {
    out = session ? session->context() : protocol::ClientContext{};
    return std::nullopt;
  }
  if (auto error = protocol::Envelope::validate(request.params, header_version, out)) {
    return error;
  }
  if (headers != nullptr) {
    nlohmann::json schema;
    if (request.method == "tools/call" && request.params.contains("name") &&
        request.params["name"].is_string()) {
      schema = server_.toolInputSchema(request.params["name"].get<std::string>());
    }
    if (auto error =
            protocol::HeaderCheck::check(request.method, request.params, *headers, schema)) {
      return error;
    }
  }
  return std::nullopt;
}

}  // namespace switchboard::mcp::transport
