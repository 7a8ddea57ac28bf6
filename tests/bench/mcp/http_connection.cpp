#include "tests/bench/mcp/http_connection.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <utility>

namespace switchboard::bench {
namespace {

constexpr std::size_t kReadChunk = 16 * 1024;
constexpr std::size_t kMaxHeaderBytes = 64 * 1024;
constexpr std::size_t kMaxBodyBytes = 64 * 1024 * 1024;

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string errnoText(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

}  // namespace

Result<HttpUrl> parseHttpUrl(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    return Status::invalidArgument("not an http:// URL: " + std::string(url));
  }
  std::string_view rest = url.substr(kScheme.size());
  std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  HttpUrl out;
  out.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  std::string_view portText;
  if (!authority.empty() && authority.front() == '[') {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return Status::invalidArgument("bad IPv6 host in URL");
    out.host = std::string(authority.substr(1, close - 1));
    if (close + 1 < authority.size() && authority[close + 1] == ':') {
      portText = authority.substr(close + 2);
    }
  } else {
    std::size_t colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) portText = authority.substr(colon + 1);
  }
  if (portText.empty())
    return Status::invalidArgument("URL needs an explicit port: " + std::string(url));
  auto [end, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), out.port);
  if (ec != std::errc() || end != portText.data() + portText.size() || out.port <= 0 ||
      out.port > 65535 || out.host.empty()) {
    return Status::invalidArgument("bad host or port in URL: " + std::string(url));
  }
  return out;
}

HttpConnection::HttpConnection(std::string host, int port, int timeoutMs)
    : host_(std::move(host)), port_(port), timeoutMs_(timeoutMs), buffer_(kReadChunk, '\0') {}

HttpConnection::~HttpConnection() { close(); }

HttpConnection::HttpConnection(HttpConnection&& other) noexcept
    : host_(std::move(other.host_)),
      port_(other.port_),
      timeoutMs_(other.timeoutMs_),
      fd_(std::exchange(other.fd_, -1)),
      connects_(other.connects_),
      reconnects_(other.reconnects_),
      buffer_(std::move(other.buffer_)),
      pos_(other.pos_),
      end_(other.end_) {}

void HttpConnection::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  pos_ = end_ = 0;
}

Status HttpConnection::connect() {
  close();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string port = std::to_string(port_);
  if (int rc = ::getaddrinfo(host_.c_str(), port.c_str(), &hints, &found); rc != 0) {
    return Status::unavailable("cannot resolve " + host_ + ": " + ::gai_strerror(rc));
  }
  std::string lastError = "no address";
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      lastError = errnoText("socket");
      continue;
    }
    if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      lastError = errnoText("connect");
      ::close(fd);
      continue;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    timeval tv{timeoutMs_ / 1000, (timeoutMs_ % 1000) * 1000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    fd_ = fd;
    break;
  }
  ::freeaddrinfo(found);
  if (fd_ < 0) return Status::unavailable(host_ + ":" + port + ": " + lastError);
  if (connects_++ > 0) ++reconnects_;
  return {};
}

Status HttpConnection::sendAll(std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        return Status::deadlineExceeded("send timed out");
      return Status::unavailable(errnoText("send"));
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

Status HttpConnection::fill() {
  if (pos_ == end_) {
    pos_ = end_ = 0;
  } else if (pos_ > buffer_.size() / 2) {
    std::memmove(buffer_.data(), buffer_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  if (buffer_.size() - end_ < kReadChunk / 2) buffer_.resize(buffer_.size() * 2);
  for (;;) {
    ssize_t n = ::recv(fd_, buffer_.data() + end_, buffer_.size() - end_, 0);
    if (n > 0) {
      end_ += static_cast<std::size_t>(n);
      return {};
    }
    if (n == 0) return Status::unavailable("connection closed by the server");
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return Status::deadlineExceeded("read timed out");
    return Status::unavailable(errnoText("recv"));
  }
}

Result<std::string_view> HttpConnection::readLine() {
  std::size_t scanFrom = pos_;
  for (;;) {
    std::string_view avail(buffer_.data() + scanFrom, end_ - scanFrom);
    std::size_t nl = avail.find('\n');
    if (nl != std::string_view::npos) {
      std::size_t lineEnd = scanFrom + nl;
      std::string_view line(buffer_.data() + pos_, lineEnd - pos_);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      pos_ = lineEnd + 1;
      return line;
    }
    if (end_ - pos_ > kMaxHeaderBytes) return Status::dataLoss("response line too long");
    std::size_t offset = end_ - pos_;
    SB_RETURN_IF_ERROR(fill());
    scanFrom = pos_ + offset;
  }
}

Status HttpConnection::readExact(std::size_t n, std::string& out) {
  while (end_ - pos_ < n) {
    std::size_t have = end_ - pos_;
    out.append(buffer_.data() + pos_, have);
    pos_ = end_;
    n -= have;
    SB_RETURN_IF_ERROR(fill());
  }
  out.append(buffer_.data() + pos_, n);
  pos_ += n;
  return {};
}

Status HttpConnection::readResponse(HttpResponse& response) {
  auto statusLine = readLine();
  if (!statusLine.ok()) return statusLine.status();
  std::string_view line = *statusLine;
  // "HTTP/1.1 200 OK"
  if (line.size() < 12 || line.substr(0, 5) != "HTTP/") return Status::dataLoss("bad status line");
  bool http10 = line.substr(0, 8) == "HTTP/1.0";
  auto [end, ec] = std::from_chars(line.data() + 9, line.data() + 12, response.status);
  if (ec != std::errc() || end != line.data() + 12) return Status::dataLoss("bad status code");
  response.keepAlive = !http10;

  bool chunked = false;
  bool haveLength = false;
  std::size_t length = 0;
  for (;;) {
    auto header = readLine();
    if (!header.ok()) return header.status();
    std::string_view h = *header;
    if (h.empty()) break;
    std::size_t colon = h.find(':');
    if (colon == std::string_view::npos) return Status::dataLoss("bad header line");
    std::string_view name = h.substr(0, colon);
    std::string_view value = trim(h.substr(colon + 1));
    if (equalsIgnoreCase(name, "content-length")) {
      auto [e, err] = std::from_chars(value.data(), value.data() + value.size(), length);
      if (err != std::errc() || length > kMaxBodyBytes)
        return Status::dataLoss("bad Content-Length");
      haveLength = true;
    } else if (equalsIgnoreCase(name, "transfer-encoding")) {
      chunked = value.find("chunked") != std::string_view::npos;
    } else if (equalsIgnoreCase(name, "content-type")) {
      std::string_view media = trim(value.substr(0, value.find(';')));
      response.contentType.clear();
      for (char c : media) response.contentType.push_back(lower(c));
    } else if (equalsIgnoreCase(name, "mcp-session-id")) {
      response.sessionId = std::string(value);
    } else if (equalsIgnoreCase(name, "connection")) {
      if (equalsIgnoreCase(value, "close")) response.keepAlive = false;
      if (equalsIgnoreCase(value, "keep-alive")) response.keepAlive = true;
    }
  }

  bool noBody = response.status == 204 || response.status == 304 || response.status / 100 == 1;
  if (noBody) return {};
  if (chunked) {
    for (;;) {
      auto sizeLine = readLine();
      if (!sizeLine.ok()) return sizeLine.status();
      std::string_view s = *sizeLine;
      std::size_t size = 0;
      auto [e, err] = std::from_chars(s.data(), s.data() + s.size(), size, 16);
      if (err != std::errc() || e == s.data()) return Status::dataLoss("bad chunk size");
      if (response.body.size() + size > kMaxBodyBytes) return Status::dataLoss("body too large");
      if (size == 0) {
        for (;;) {  // trailers, then the empty line
          auto trailer = readLine();
          if (!trailer.ok()) return trailer.status();
          if (trailer->empty()) return {};
        }
      }
      SB_RETURN_IF_ERROR(readExact(size, response.body));
      auto crlf = readLine();
      if (!crlf.ok()) return crlf.status();
      if (!crlf->empty()) return Status::dataLoss("chunk not followed by CRLF");
    }
  }
  if (haveLength) return readExact(length, response.body);
  // No framing: the body runs until the server closes the connection.
  response.keepAlive = false;
  for (;;) {
    response.body.append(buffer_.data() + pos_, end_ - pos_);
    pos_ = end_;
    if (response.body.size() > kMaxBodyBytes) return Status::dataLoss("body too large");
    Status s = fill();
    if (s.code() == StatusCode::kUnavailable) return {};
    SB_RETURN_IF_ERROR(s);
  }
}

Result<HttpResponse> HttpConnection::roundTrip(std::string_view request) {
  if (fd_ < 0) SB_RETURN_IF_ERROR(connect());
  HttpResponse response;
  Status s = sendAll(request);
  if (s.ok()) s = readResponse(response);
  if (!s.ok()) {
    close();
    return s;
  }
  if (!response.keepAlive) close();
  return response;
}

}  // namespace switchboard::bench
