// ResponseStream: where everything tied to one client request goes — notifications about
// it (progress, log), server->client requests made while handling it (legacy era), and
// finally its response.
//
// Implemented by the transports: stdio writes lines to stdout; Streamable HTTP answers
// with application/json when the response is all there is, or upgrades to an SSE stream
// as soon as something must be sent before the response.
//
// Thread safety: implementations must accept calls from any thread; finish() or
// abandon() is called exactly once, after which push() returns false.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace switchboard::mcp::server {

class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  // A message sent before the response. False when the client is gone.
  virtual bool push(const nlohmann::json& message) = 0;
  // The response; http_status is what an HTTP transport answers with when the response
  // is sent as plain JSON (it cannot be changed once a stream has started).
  virtual void finish(const nlohmann::json& response, int http_status) = 0;
  // The same for a response that is already JSON text: one object on one line, as
  // jsonrpc::Codec encodes it. The transports send it as it is; the default parses it.
  virtual void finishEncoded(std::string response, int http_status) {
    finish(nlohmann::json::parse(response), http_status);
  }
  // The request was cancelled by the client: end without a response where the transport
  // allows it (stdio); HTTP ends the exchange.
  virtual void abandon() = 0;
  // True once the client went away (closing an HTTP stream is cancellation on 2026-07-28).
  virtual bool closed() const = 0;
};

}  // namespace switchboard::mcp::server
