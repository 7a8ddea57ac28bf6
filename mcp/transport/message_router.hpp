// MessageRouter: what both transports do with one decoded message before the Server sees
// it — pick the era of a request (the `_meta` envelope claim or the MCP-Protocol-Version
// header), run the modern validation ladder, build the Call, and
// route notifications and responses to the session.
//
// Thread safety: stateless apart from the Server reference; safe from any thread.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "mcp/jsonrpc/message.hpp"
#include "mcp/protocol/header_check.hpp"
#include "mcp/protocol/session.hpp"
#include "mcp/server/server.hpp"

namespace switchboard::mcp::transport {

class MessageRouter {
 public:
  explicit MessageRouter(server::Server& server) : server_(server) {}

  // The era claim of a request (true = modern).
  static bool claimsModern(const jsonrpc::Message& message,
                           const std::optional<std::string>& header_version);

  // Builds the client context of a request; on refusal returns the error to answer with.
  // headers: the HTTP headers (null for stdio, where no header check applies).
  // session: the legacy session / stdio connection, may be null.
  std::optional<jsonrpc::Error> prepare(const jsonrpc::Message& request,
                                        const std::optional<std::string>& header_version,
                                        const protocol::HeaderCheck::HeaderLookup* headers,
                                        const std::shared_ptr<protocol::Session>& session,
                                        protocol::ClientContext& out) const;

  server::Server& server() { return server_; }

 private:
  server::Server& server_;
};

}  // namespace switchboard::mcp::transport
