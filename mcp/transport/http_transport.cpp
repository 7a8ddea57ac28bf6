#include "mcp/transport/http_transport.hpp"

#include <httplib.h>
#include <openssl/crypto.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdio>
#include <random>

#include "mcp/server/worker_pool.hpp"
#include "mcp/transport/http_exchange.hpp"
#include "mcp/transport/http_util.hpp"

namespace switchboard::mcp::transport {

HttpTransport::HttpTransport(server::Server& server, HttpOptions options)
    : server_(server), options_(std::move(options)) {}

HttpTransport::~HttpTransport() { stop(); }

namespace {
constexpr time_t kKeepAliveIdleSeconds = 2;
// cpp-httplib (Debian's shared build) listens with a backlog of 5: when many clients
// connect at once the kernel drops connections from the full accept queue and some of
// them fail with a reset. The listening socket is re-listened with this backlog.
constexpr int kListenBacklog = 1024;

// cpp-httplib's own ThreadPool starts all its threads at once; this one starts a thread
// when a connection finds none idle (up to the limit), so an idle gateway holds a few
// threads instead of `threads` stacks. Connections queued at shutdown are still served:
// each job owns an accepted socket that only the job closes.
class ConnectionThreads : public httplib::TaskQueue {
 public:
  explicit ConnectionThreads(std::size_t max_threads) : pool_(max_threads) {}
  void enqueue(std::function<void()> fn) override { pool_.submit(std::move(fn)); }
  void shutdown() override { pool_.stop(server::WorkerPool::Drain::kRun); }

 private:
  server::WorkerPool pool_;
};
}  // namespace

Result<int> HttpTransport::start() {
  if (http_) return Status::failedPrecondition("HttpTransport already started");
  if (!isLoopbackHost(options_.host) && options_.bearer_token.empty()) {
    return Status::failedPrecondition("refusing to serve MCP on non-loopback address " +
                                      options_.host +
                                      " without a bearer token (set one, or bind to 127.0.0.1)");
  }
  http_ = std::make_unique<httplib::Server>();
  std::size_t threads = std::max<std::size_t>(options_.threads, 4);
  http_->new_task_queue = [threads] { return new ConnectionThreads(threads); };
  http_->set_tcp_nodelay(true);
  int listen_fd = -1;
  http_->set_socket_options([&listen_fd](socket_t sock) {
    httplib::default_socket_options(sock);  // SO_REUSEADDR, as without this hook
    if (listen_fd < 0) listen_fd = sock;    // the first socket made is the listening one
  });
  http_->set_keep_alive_max_count(1000000);
  // cpp-httplib 0.11 keeps a worker on each idle keep-alive connection and checks for stop
  // only between requests, so this also bounds how long stop() waits (Node's default is 5 s).
  http_->set_keep_alive_timeout(kKeepAliveIdleSeconds);
  http_->set_payload_max_length(options_.max_body_bytes);
  http_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    try {
      return preRoute(req, res) ? httplib::Server::HandlerResponse::Handled
                                : httplib::Server::HandlerResponse::Unhandled;
    } catch (const std::exception& e) {
      writeJsonError(res, 500, nullptr, jsonrpc::internalError(e.what()));
      return httplib::Server::HandlerResponse::Handled;
    }
  });
  auto guarded =
      [this](void (HttpTransport::*handler)(const httplib::Request&, httplib::Response&)) {
        return [this, handler](const httplib::Request& req, httplib::Response& res) {
          try {
            (this->*handler)(req, res);
          } catch (const std::exception& e) {
            spdlog::error("mcp http: {} {} failed: {}", req.method, req.path, e.what());
            writeJsonError(res, 500, nullptr, jsonrpc::internalError("internal error"));
          }
        };
      };
  http_->Post(options_.path, guarded(&HttpTransport::handlePost));
  http_->Get(options_.path, guarded(&HttpTransport::handleGet));
  http_->Delete(options_.path, guarded(&HttpTransport::handleDelete));
  auto not_allowed = [](const httplib::Request&, httplib::Response& res) {
    res.status = 405;
    res.set_header("Allow", "GET, POST, DELETE");
  };
  http_->Put(options_.path, not_allowed);
  http_->Patch(options_.path, not_allowed);
  http_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"status\":\"ok\"}", "application/json");
  });
  int bound = options_.port == 0
                  ? http_->bind_to_any_port(options_.host)
                  : (http_->bind_to_port(options_.host, options_.port) ? options_.port : -1);
  if (bound <= 0) {
    http_.reset();
    return Status::unavailable("cannot bind " + options_.host + ":" +
                               std::to_string(options_.port));
  }
  if (listen_fd < 0 || ::listen(listen_fd, kListenBacklog) != 0) {
    spdlog::warn(
        "mcp http: could not raise the listen backlog; many clients connecting at "
        "once may see resets");
  }
  http_->set_socket_options(httplib::default_socket_options);  // listen_fd is going away
  port_ = bound;
  thread_ = std::thread([this] {
    try {
      http_->listen_after_bind();
    } catch (const std::exception& e) {
      spdlog::error("mcp http: server thread failed: {}", e.what());
    }
  });
  // stop() only reaches a server that is already listening: wait for it.
  for (int i = 0; i < 2000 && !http_->is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return port_;
}

void HttpTransport::stop() {
  if (!http_) return;
  std::vector<std::shared_ptr<HttpExchange>> open;
  std::map<std::string, std::shared_ptr<protocol::Session>> sessions;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (auto& weak : exchanges_) {
      if (auto exchange = weak.lock()) open.push_back(std::move(exchange));
    }
    exchanges_.clear();
    for (auto& [key, exchange] : resumable_) open.push_back(exchange);
    resumable_.clear();
    sessions.swap(sessions_);
  }
  for (auto& exchange : open) exchange->close();
  for (auto& [id, session] : sessions) session->close();
  http_->stop();
  if (thread_.joinable()) thread_.join();
  http_.reset();
}

std::shared_ptr<HttpExchange> HttpTransport::newExchange(
    bool can_stream, const std::shared_ptr<protocol::Session>& session) {
  std::string stream_id;
  if (session && can_stream) {
    // "s" and the number in at least 12 digits (snprintf would cost more than the rest).
    std::string number = std::to_string(next_stream_.fetch_add(1) + 1);
    stream_id.reserve(1 + std::max<std::size_t>(12, number.size()));
    stream_id.push_back('s');
    if (number.size() < 12) stream_id.append(12 - number.size(), '0');
    stream_id += number;
  }
  auto exchange = std::make_shared<HttpExchange>(can_stream, options_.sse_keepalive, stream_id);
  std::lock_guard lock(mutex_);
  if (stopping_) {
    exchange->close();
    return exchange;
  }
  if (exchanges_.size() > 256) {
    exchanges_.erase(std::remove_if(exchanges_.begin(), exchanges_.end(),
                                    [](const auto& weak) { return weak.expired(); }),
                     exchanges_.end());
  }
  exchanges_.push_back(exchange);
  return exchange;
}

void HttpTransport::keepResumable(const std::shared_ptr<protocol::Session>& session,
                                  const std::shared_ptr<HttpExchange>& exchange) {
  if (!session || exchange->streamId().empty()) return;
  std::lock_guard lock(mutex_);
  if (stopping_) return;
  std::string prefix = session->id() + "/";
  resumable_[prefix + exchange->streamId()] = exchange;
  // Keep at most 64 per session: drop the oldest finished ones first, then the oldest.
  auto in_session = [&](auto it) {
    return it != resumable_.end() && it->first.rfind(prefix, 0) == 0;
  };
  std::size_t count = 0;
  for (auto it = resumable_.lower_bound(prefix); in_session(it); ++it) ++count;
  for (auto it = resumable_.lower_bound(prefix); count > 64 && in_session(it);) {
    if (it->second->finished() && !it->second->attached()) {
      it = resumable_.erase(it);
      --count;
    } else {
      ++it;
    }
  }
  while (count > 64) {
    auto oldest = resumable_.lower_bound(prefix);
    oldest->second->close();
    resumable_.erase(oldest);
    --count;
  }
}

void HttpTransport::stream(httplib::Response& res, std::shared_ptr<HttpExchange> exchange,
                           std::size_t from) {
  res.status = 200;
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Accel-Buffering", "no");
  auto cursor = std::make_shared<std::size_t>(from);
  unsigned generation = exchange->attach();
  res.set_chunked_content_provider(
      "text/event-stream",
      [exchange, cursor, generation](size_t, httplib::DataSink& sink) {
        return exchange->pump(sink, cursor.get(), generation);
      },
      [exchange](bool) {
        exchange->detach();
        exchange->disconnected();
      });
}

void HttpTransport::resume(const std::string& session_id, const std::string& last_event_id,
                           httplib::Response& res) {
  std::shared_ptr<HttpExchange> exchange;
  auto dash = last_event_id.rfind('-');
  if (dash != std::string::npos) {
    std::lock_guard lock(mutex_);
    auto it = resumable_.find(session_id + "/" + last_event_id.substr(0, dash));
    if (it != resumable_.end()) exchange = it->second;
  }
  std::optional<std::size_t> from = exchange ? exchange->resumeFrom(last_event_id) : std::nullopt;
  if (!from || exchange->closed()) {
    writeJsonError(
        res, 404, nullptr,
        jsonrpc::Error{jsonrpc::kInvalidRequest,
                       "No stream to resume for Last-Event-ID " + last_event_id, nullptr, 404});
    return;
  }
  stream(res, std::move(exchange), *from);
}

bool HttpTransport::preRoute(const httplib::Request& req, httplib::Response& res) {
  if (req.path != options_.path && req.path != "/healthz") return false;
  bool loopback_bind = isLoopbackHost(options_.host);
  std::string host = hostOf(header(req, "Host").value_or(""));
  bool host_ok = isLoopbackHost(host) || contains(options_.allowed_hosts, host) ||
                 (!loopback_bind && options_.allowed_hosts.empty());
  if (!host_ok) {
    writeJsonError(
        res, 403, nullptr,
        jsonrpc::Error{jsonrpc::kInvalidRequest, "Forbidden: Host not allowed", nullptr, 403});
    return true;
  }
  if (std::optional<std::string_view> origin = header(req, "Origin")) {
    if (!contains(options_.allowed_origins, *origin) && !isLoopbackHost(originHost(*origin))) {
      writeJsonError(
          res, 403, nullptr,
          jsonrpc::Error{jsonrpc::kInvalidRequest, "Forbidden: Origin not allowed", nullptr, 403});
      return true;
    }
  }
  if (req.path == options_.path && !options_.bearer_token.empty()) {
    std::string expected = "Bearer " + options_.bearer_token;
    std::string_view given = header(req, "Authorization").value_or("");
    if (given.size() != expected.size() ||
        CRYPTO_memcmp(given.data(), expected.data(), expected.size()) != 0) {
      res.set_header("WWW-Authenticate", "Bearer");
      writeJsonError(
          res, 401, nullptr,
          jsonrpc::Error{jsonrpc::kInvalidRequest,
                         "Unauthorized: send Authorization: Bearer <token>", nullptr, 401});
      return true;
    }
  }
  return false;
}

std::shared_ptr<protocol::Session> HttpTransport::createSession() {
  std::random_device device;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 32; ++i) id.push_back(kHex[device() & 0xF]);
  auto session = std::make_shared<protocol::Session>(id);
  std::vector<std::shared_ptr<protocol::Session>> expired;
  {
    std::lock_guard lock(mutex_);
    auto now = protocol::Session::Clock::now();
    for (auto it = sessions_.begin(); it != sessions_.end();) {
      if (now - it->second->lastUsed() > options_.session_idle_timeout) {
        expired.push_back(it->second);
        get_streams_.erase(it->first);
        it = sessions_.erase(it);
      } else {
        ++it;
      }
    }
    if (sessions_.size() >= options_.max_sessions) return nullptr;
    sessions_[id] = session;
  }
  for (auto& old : expired) old->close();
  return session;
}

std::shared_ptr<protocol::Session> HttpTransport::findSession(const std::string& id) {
  std::shared_ptr<protocol::Session> session;
  {
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(id);
    if (it == sessions_.end()) return nullptr;
    session = it->second;
    if (protocol::Session::Clock::now() - session->lastUsed() > options_.session_idle_timeout) {
      sessions_.erase(it);
      get_streams_.erase(id);
      session->close();
      return nullptr;
    }
  }
  session->touch();
  return session;
}

void HttpTransport::removeSession(const std::string& id) {
  std::shared_ptr<protocol::Session> session;
  std::shared_ptr<HttpExchange> get_stream;
  {
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(id);
    if (it == sessions_.end()) return;
    session = it->second;
    sessions_.erase(it);
    if (auto s = get_streams_.find(id); s != get_streams_.end()) {
      get_stream = s->second.lock();
      get_streams_.erase(s);
    }
    std::string prefix = id + "/";
    for (auto r = resumable_.lower_bound(prefix);
         r != resumable_.end() && r->first.rfind(prefix, 0) == 0;) {
      r->second->close();
      r = resumable_.erase(r);
    }
  }
  session->close();
  if (get_stream) get_stream->abandon();
}

void HttpTransport::handleGet(const httplib::Request& req, httplib::Response& res) {
  std::string version(header(req, "MCP-Protocol-Version").value_or(""));
  if (!version.empty() && !protocol::isLegacyVersion(version)) {
    res.status = 405;
    res.set_header("Allow", "POST");
    return;
  }
  if (!acceptsEventStream(req)) {
    writeJsonError(
        res, 406, nullptr,
        jsonrpc::Error{jsonrpc::kInvalidRequest,
                       "Not Acceptable: GET needs Accept: text/event-stream", nullptr, 406});
    return;
  }
  std::string id(header(req, "Mcp-Session-Id").value_or(""));
  if (id.empty()) {
    writeJsonError(
        res, 400, nullptr,
        jsonrpc::Error{jsonrpc::kInvalidRequest, "Bad Request: the GET stream needs Mcp-Session-Id",
                       nullptr, 400});
    return;
  }
  std::shared_ptr<protocol::Session> session = findSession(id);
  if (!session) {
    writeJsonError(res, 404, nullptr, sessionNotFound());
    return;
  }
  if (std::optional<std::string_view> last_event_id = header(req, "Last-Event-ID")) {
    resume(id, std::string(*last_event_id), res);
    return;
  }
  std::shared_ptr<HttpExchange> previous;
  {
    std::lock_guard lock(mutex_);
    auto existing = get_streams_.find(id);
    if (existing != get_streams_.end()) previous = existing->second.lock();
  }
  if (previous && !previous->closed() && previous->attached()) {
    writeJsonError(res, 409, nullptr,
                   jsonrpc::Error{jsonrpc::kInvalidRequest,
                                  "Conflict: this session already has a GET stream", nullptr, 409});
    return;
  }
  if (previous) previous->close();
  auto exchange = newExchange(true, session);
  keepResumable(session, exchange);
  {
    std::lock_guard lock(mutex_);
    get_streams_[id] = exchange;
  }
  std::weak_ptr<HttpExchange> weak = exchange;
  session->setSink([weak](const nlohmann::json& message) {
    auto target = weak.lock();
    return target && target->push(message);
  });
  stream(res, std::move(exchange));
}

void HttpTransport::handleDelete(const httplib::Request& req, httplib::Response& res) {
  std::string version(header(req, "MCP-Protocol-Version").value_or(""));
  if (!version.empty() && !protocol::isLegacyVersion(version)) {
    res.status = 405;
    res.set_header("Allow", "POST");
    return;
  }
  std::string id(header(req, "Mcp-Session-Id").value_or(""));
  if (id.empty()) {
    writeJsonError(res, 400, nullptr,
                   jsonrpc::Error{jsonrpc::kInvalidRequest,
                                  "Bad Request: DELETE needs Mcp-Session-Id", nullptr, 400});
    return;
  }
  if (!findSession(id)) {
    writeJsonError(res, 404, nullptr, sessionNotFound());
    return;
  }
  removeSession(id);
  res.status = 200;
}

}  // namespace switchboard::mcp::transport
