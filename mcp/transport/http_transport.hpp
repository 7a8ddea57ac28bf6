// HttpTransport: MCP Streamable HTTP on cpp-httplib, serving both eras at one endpoint
// (as mcp/README.md describes it), plus GET /healthz.
//
// POST /mcp: one JSON-RPC message. Requests that claim 2026-07-28 (envelope or
// MCP-Protocol-Version header) are validated (envelope, Mcp-Method/Mcp-Name/Mcp-Param-*)
// and served statelessly; everything else is legacy: initialize mints an Mcp-Session-Id
// (random, 128 bits), later requests carry it (unknown or expired: 404), and requests
// without one are served statelessly with default legacy capabilities (so a one-line curl
// works). Answers are JSON, or SSE once the handler streams (see HttpExchange).
// Notifications and client responses: 202. GET /mcp (legacy, with a session): the
// standalone SSE stream for session-wide notifications (one per session, 409 otherwise).
// DELETE /mcp ends a session. Modern GET/DELETE: 405. Legacy SSE events carry ids
// "<stream>-<n>"; GET with Last-Event-ID resumes that stream (replaying what was missed);
// up to 64 streams per session are kept for resumption.
//
// Guards, in order: Host must be a loopback name (or configured) and Origin, when present,
// loopback or configured (403: DNS rebinding); bearer token when configured (401);
// Content-Type application/json (415); body limit (413); JSON (400, -32700).
// Sockets use TCP_NODELAY and keep-alive; up to `threads` workers, started on demand,
// serve connections (each open SSE stream, and each idle keep-alive connection for up to
// 2 s, holds one). Tool calls that have proven quick run on the connection's worker
// (Call::allow_inline). start() refuses a non-loopback bind
// without a token.
//
// Thread safety: start() and stop() from one owner thread; everything else is internal.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "mcp/jsonrpc/codec.hpp"
#include "mcp/server/server.hpp"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace switchboard::mcp::transport {

class HttpExchange;

struct HttpOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port (start() returns it)
  std::string path = "/mcp";
  std::string bearer_token;                  // empty: no authentication
  std::vector<std::string> allowed_origins;  // e.g. "https://app.example.com", besides loopback
  std::vector<std::string> allowed_hosts;    // Host names besides loopback names
  std::size_t max_body_bytes = 4 * 1024 * 1024;
  std::size_t threads = 96;
  std::size_t max_sessions = 10000;
  std::chrono::seconds session_idle_timeout{1800};
  std::chrono::milliseconds sse_keepalive{15000};
  // How long a request may run silently before its answer switches to an SSE stream.
  std::chrono::milliseconds upgrade_after{1000};
};

class HttpTransport {
 public:
  HttpTransport(server::Server& server, HttpOptions options);
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  // Binds and starts serving on a background thread; returns the bound port.
  // FailedPrecondition: non-loopback host without a bearer token; Unavailable: bind failed.
  Result<int> start();
  // Ends open streams and sessions, stops accepting, joins the server thread.
  void stop();
  int port() const { return port_; }

 private:
  bool preRoute(const httplib::Request& req, httplib::Response& res);
  void handlePost(const httplib::Request& req, httplib::Response& res);
  void handleGet(const httplib::Request& req, httplib::Response& res);
  void handleDelete(const httplib::Request& req, httplib::Response& res);
  // Answers with the exchange's SSE events from index `from` on.
  void stream(httplib::Response& res, std::shared_ptr<HttpExchange> exchange, std::size_t from = 0);
  // session: the legacy session (gives the exchange a stream id), or null.
  std::shared_ptr<HttpExchange> newExchange(bool can_stream,
                                            const std::shared_ptr<protocol::Session>& session);
  // Makes a legacy session's exchange resumable (GET + Last-Event-ID) once it answers as
  // an SSE stream; one answered as plain JSON has no event ids to resume from.
  void keepResumable(const std::shared_ptr<protocol::Session>& session,
                     const std::shared_ptr<HttpExchange>& exchange);
  // GET + Last-Event-ID: reattaches to a resumable stream of the session.
  void resume(const std::string& session_id, const std::string& last_event_id,
              httplib::Response& res);
  std::shared_ptr<protocol::Session> createSession();
  // nullptr when unknown or expired (expired sessions are closed and forgotten).
  std::shared_ptr<protocol::Session> findSession(const std::string& id);
  void removeSession(const std::string& id);

  server::Server& server_;
  const HttpOptions options_;
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<protocol::Session>> sessions_;
  std::map<std::string, std::weak_ptr<HttpExchange>> get_streams_;
  // Resumable streams by "<session id>/<stream id>" (stream ids sort by creation).
  std::map<std::string, std::shared_ptr<HttpExchange>> resumable_;
  std::atomic<unsigned long long> next_stream_{0};
  std::vector<std::weak_ptr<HttpExchange>> exchanges_;
  bool stopping_ = false;
};

}  // namespace switchboard::mcp::transport
