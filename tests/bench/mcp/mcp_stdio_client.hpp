// McpStdioClient: an MCP client on a server's stdin/stdout pipes (one JSON message per line),
// as the benchmark tools need it: the era's handshake and sequential tools/call, each
// response checked (mcp_response_check.hpp). Lines that are not the awaited response
// (notifications, or stray output) are skipped. The fds belong to the caller (ChildProcess);
// the builder must outlive the client. Not thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "switchboard/status.hpp"
#include "tests/bench/mcp/line_reader.hpp"
#include "tests/bench/mcp/mcp_request_builder.hpp"

namespace switchboard::bench {

// Writes all of `data` to `fd`, retrying short writes. kUnavailable on errors (EPIPE when the
// server has gone; callers ignore SIGPIPE).
Status writeAll(int fd, std::string_view data);

class McpStdioClient {
 public:
  McpStdioClient(int in, int out, const McpRequestBuilder& builder, int timeoutMs);

  // The era's opening request, initialize (legacy) or server/discover (modern), and its
  // successful result. kDeadlineExceeded after timeoutMs, kUnavailable when the server closes.
  Status open();
  // notifications/initialized (legacy); nothing for the modern era.
  Status finishHandshake();
  // open() then finishHandshake() for the legacy era; nothing for the modern era.
  Status handshake();
  // One tools/call, waited for; OK only for a successful, non-isError result.
  Status callTool();

  // The reader of the server's stdout, for callers that take over after the handshake.
  LineReader& reader() { return reader_; }
  // The next id this client would use; ids below it are taken.
  std::int64_t nextId() const { return nextId_; }

 private:
  Result<nlohmann::json> awaitResponse(std::int64_t id);

  int in_;
  LineReader reader_;
  const McpRequestBuilder& builder_;
  int timeoutMs_;
  std::int64_t nextId_ = 1;
};

}  // namespace switchboard::bench
