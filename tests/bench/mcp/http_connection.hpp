// HttpConnection: one keep-alive HTTP/1.1 client connection over a raw TCP socket, for the
// MCP load generator. It is deliberately small so that the client spends as little CPU as
// possible on the two cores it shares with the server under test: TCP_NODELAY, one send()
// per request, a reusable receive buffer, and parsing of only the headers MCP needs.
//
// Responses may use Content-Length, chunked transfer coding (how servers stream SSE), or
// read-until-close. After a response that closes the connection, or after any I/O error, the
// next roundTrip() reconnects (counted in reconnects()). One connection per thread; the type
// is movable but not copyable and not thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "switchboard/status.hpp"

namespace switchboard::bench {

// The parts of "http://host:port/path" the tools need (no TLS, no user info).
struct HttpUrl {
  std::string host;
  int port = 0;
  std::string path;
};

// Parses "http://HOST:PORT/PATH"; IPv6 hosts in brackets. kInvalidArgument otherwise.
Result<HttpUrl> parseHttpUrl(std::string_view url);

struct HttpResponse {
  int status = 0;
  std::string contentType;  // media type, lower case, without parameters
  std::string sessionId;    // the Mcp-Session-Id header, if present
  bool keepAlive = true;    // false when the server closes the connection after this response
  std::string body;
};

class HttpConnection {
 public:
  HttpConnection(std::string host, int port, int timeoutMs);
  ~HttpConnection();
  HttpConnection(HttpConnection&& other) noexcept;
  HttpConnection& operator=(HttpConnection&&) = delete;
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Opens the connection now (otherwise the first roundTrip() does). kUnavailable when the
  // server refuses or cannot be reached.
  Status connect();

  // Sends one complete request (request line, headers, body) and reads one response.
  // kUnavailable on connection errors, kDeadlineExceeded on a timeout, kDataLoss on a
  // malformed response. The connection is closed after any error.
  Result<HttpResponse> roundTrip(std::string_view request);

  int reconnects() const { return reconnects_; }

 private:
  void close();
  Status sendAll(std::string_view data);
  Status fill();  // reads more bytes into buffer_
  Result<std::string_view> readLine();
  Status readExact(std::size_t n, std::string& out);
  Status readResponse(HttpResponse& response);

  std::string host_;
  int port_;
  int timeoutMs_;
  int fd_ = -1;
  int connects_ = 0;
  int reconnects_ = 0;
  std::string buffer_;
  std::size_t pos_ = 0;  // start of the unread bytes in buffer_
  std::size_t end_ = 0;  // end of the bytes received so far
};

}  // namespace switchboard::bench
