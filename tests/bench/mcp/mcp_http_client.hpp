// McpHttpClient: one MCP client over one keep-alive Streamable HTTP connection, as the
// benchmark tools need it: the era's handshake, then tools/call of one tool, each response
// checked (mcp_response_check.hpp). Legacy era: initialize captures Mcp-Session-Id and is
// followed by notifications/initialized. Modern era: no handshake; open() sends
// server/discover, which cold-start measurements use as the first request.
// Holds a reference to a builder that must outlive it. One client per thread; not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "switchboard/status.hpp"
#include "tests/bench/mcp/http_connection.hpp"
#include "tests/bench/mcp/mcp_request_builder.hpp"

namespace switchboard::bench {

class McpHttpClient {
 public:
  // With `checkIds` false a response may carry any id (for the fixed-body bare server).
  McpHttpClient(const HttpUrl& url, const McpRequestBuilder& builder, int timeoutMs, bool checkIds);

  // Opens the TCP connection. kUnavailable when nothing listens yet.
  Status connect() { return connection_.connect(); }
  // The era's opening request: initialize (legacy) or server/discover (modern). Fails when
  // the answer is not a successful result or, for legacy, names another protocol version.
  Status open();
  // The rest of the legacy handshake (notifications/initialized, any 2xx accepted); nothing
  // in the modern era.
  Status finishHandshake();
  // open() then finishHandshake() for the legacy era; nothing for the modern era.
  Status handshake();
  // One tools/call; OK only for a successful, non-isError result.
  Status callTool();

  int reconnects() const { return connection_.reconnects(); }

 private:
  // Sends one POST and stores the raw answer in `response`; connection errors only.
  Status post(std::string_view method, std::string_view name, bool handshake, std::string_view body,
              HttpResponse& response);

  const McpRequestBuilder& builder_;
  HttpConnection connection_;
  std::string hostHeader_;
  std::string path_;
  bool checkIds_;
  std::string sessionId_;
  std::int64_t nextId_ = 1;
};

}  // namespace switchboard::bench
