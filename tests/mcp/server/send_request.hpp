// sendRequest: hands one JSON-RPC request to a Server as a transport would, with a
// CaptureStream for what the server sends back (stream->wait() gives the response).
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "mcp/server/server.hpp"
#include "tests/mcp/server/capture_stream.hpp"

namespace switchboard::mcp::testing {

inline std::shared_ptr<CaptureStream> sendRequest(
    server::Server& server, nlohmann::json id, std::string method, nlohmann::json params,
    protocol::ClientContext client, std::shared_ptr<protocol::Session> session = nullptr) {
  auto stream = std::make_shared<CaptureStream>();
  jsonrpc::Message request;
  request.kind = jsonrpc::MessageKind::kRequest;
  request.id = std::move(id);
  request.method = std::move(method);
  request.params = std::move(params);
  server.handleRequest(
      server::Call{std::move(request), std::move(client), std::move(session), stream});
  return stream;
}

}  // namespace switchboard::mcp::testing
