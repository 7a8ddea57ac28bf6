// StdioTransport: MCP over a pair of file descriptors (stdin/stdout), one JSON message
// per line (the MCP stdio transport).
//
// A reader thread (the caller of run()) decodes lines and hands requests to the Server;
// handlers run on the Server's worker pool, so responses go out as they complete, in any
// order, while reading continues (a client's answer to a server->client request can
// arrive while the asking tool waits). Only protocol goes to stdout; malformed lines get
// a JSON-RPC error and reading goes on. The era is decided per message (a request with
// the 2026-07-28 `_meta` envelope is modern; everything else is served as the session
// negotiated by initialize), and the connection has one Session.
//
// run() returns on EOF or stop(): it stops reading, waits up to `drain_timeout` for
// requests in flight, then cancels the rest. stop() is async-signal-safe (it writes to a
// pipe), so a SIGTERM handler may call it; runStdio() installs such handlers.
//
// Thread safety: run() once, from one thread; stop() from anywhere.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>

#include "mcp/jsonrpc/codec.hpp"
#include "mcp/server/server.hpp"
#include "mcp/transport/line_writer.hpp"

namespace switchboard::mcp::transport {

struct StdioOptions {
  int in_fd = 0;
  int out_fd = 1;
  jsonrpc::CodecLimits limits;
  std::chrono::milliseconds drain_timeout{10000};
};

class StdioTransport {
 public:
  StdioTransport(server::Server& server, StdioOptions options = {});
  ~StdioTransport();
  StdioTransport(const StdioTransport&) = delete;
  StdioTransport& operator=(const StdioTransport&) = delete;

  // Serves until EOF or stop(). Internal when the input cannot be read at all.
  Status run();
  void stop() noexcept;

 private:
  class Stream;
  void handleLine(std::string_view line);
  void writeError(const nlohmann::json& id, const jsonrpc::Error& error);

  server::Server& server_;
  const StdioOptions options_;
  std::shared_ptr<LineWriter> writer_;  // shared with streams that may outlive run()
  std::shared_ptr<protocol::Session> session_;
  int stop_pipe_[2] = {-1, -1};
  std::shared_ptr<std::atomic<int>> in_flight_ = std::make_shared<std::atomic<int>>(0);
};

// Serves `server` on stdin/stdout until EOF, SIGTERM or SIGINT; ignores SIGPIPE. Returns
// the process exit code (0 on a clean shutdown).
int runStdio(server::Server& server);

}  // namespace switchboard::mcp::transport
