#include "mcp/transport/stdio_transport.hpp"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <thread>

#include "mcp/transport/message_router.hpp"

namespace switchboard::mcp::transport {

// The stdio ResponseStream: everything goes to stdout, as it happens.
class StdioTransport::Stream : public server::ResponseStream {
 public:
  Stream(std::shared_ptr<LineWriter> writer, std::shared_ptr<std::atomic<int>> in_flight)
      : writer_(std::move(writer)), in_flight_(std::move(in_flight)) {
    if (in_flight_) in_flight_->fetch_add(1);
  }
  ~Stream() override { done(); }
  bool push(const nlohmann::json& message) override {
    return !finished_.load() && writer_->write(message);
  }
  void finish(const nlohmann::json& response, int) override {
    if (finished_.exchange(true)) return;
    writer_->write(response);
    done();
  }
  void finishEncoded(std::string response, int) override {
    if (finished_.exchange(true)) return;
    writer_->writeLine(std::move(response));
    done();
  }
  void abandon() override {
    finished_.store(true);
    done();
  }
  bool closed() const override { return writer_->closed(); }

 private:
  void done() {
    if (in_flight_ && !counted_down_.exchange(true)) in_flight_->fetch_sub(1);
  }
  std::shared_ptr<LineWriter> writer_;
  std::shared_ptr<std::atomic<int>> in_flight_;
  std::atomic<bool> finished_{false};
  std::atomic<bool> counted_down_{false};
};

StdioTransport::StdioTransport(server::Server& server, StdioOptions options)
    : server_(server),
      options_(options),
      writer_(std::make_shared<LineWriter>(options.out_fd)),
      session_(std::make_shared<protocol::Session>("stdio")) {
  if (::pipe(stop_pipe_) != 0) {
    stop_pipe_[0] = stop_pipe_[1] = -1;
  }
  // Session-wide notifications (legacy list_changed, resources/updated) go to stdout.
  session_->setSink(
      [writer = writer_](const nlohmann::json& message) { return writer->write(message); });
  server_.attachSession(session_);
}

StdioTransport::~StdioTransport() {
  session_->close();
  for (int fd : stop_pipe_) {
    if (fd >= 0) ::close(fd);
  }
}

void StdioTransport::stop() noexcept {
  if (stop_pipe_[1] >= 0) {
    char byte = 1;
    [[maybe_unused]] ssize_t n = ::write(stop_pipe_[1], &byte, 1);
  }
}

void StdioTransport::writeError(const nlohmann::json& id, const jsonrpc::Error& error) {
  writer_->write(jsonrpc::makeErrorResponse(id, error));
}

void StdioTransport::handleLine(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
    line.remove_suffix(1);
  }
  if (line.empty()) return;
  jsonrpc::Decoded decoded = jsonrpc::Codec::decode(line, options_.limits);
  if (!decoded.ok()) {
    writeError(decoded.error_id, decoded.error);
    return;
  }
  jsonrpc::Message& message = *decoded.message;
  if (message.isResponse()) {
    if (!server_.handleResponse(message, *session_)) {
      spdlog::debug("mcp stdio: response to unknown request {}", message.id.dump());
    }
    return;
  }
  if (message.isNotification()) {
    server_.handleNotification(message, session_);
    return;
  }
  MessageRouter router(server_);
  protocol::ClientContext client;
  if (auto error = router.prepare(message, std::nullopt, nullptr, session_, client)) {
    writeError(message.id, *error);
    return;
  }
  bool long_lived = message.method == "subscriptions/listen";
  auto stream = std::make_shared<Stream>(writer_, long_lived ? nullptr : in_flight_);
  server::Call call{std::move(message), std::move(client), session_, stream};
  // A tool that has proven quick runs on this thread (CallProfile): it holds up reading
  // for microseconds, and saves handing the call to a worker and its answer back.
  call.allow_inline = true;
  server_.handleRequest(std::move(call));
}

Status StdioTransport::run() {
  std::string buffer;
  std::vector<char> chunk(64 * 1024);
  bool discarding = false;  // inside a line that is already over the limit
  for (;;) {
    pollfd fds[2] = {{options_.in_fd, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    int ready = ::poll(fds, stop_pipe_[0] >= 0 ? 2 : 1, -1);
    if (ready < 0) {
      if (errno == EINTR) continue;
      return Status::internal("stdio: poll failed");
    }
    if (stop_pipe_[0] >= 0 && (fds[1].revents & POLLIN)) break;
    if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    ssize_t n = ::read(options_.in_fd, chunk.data(), chunk.size());
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      break;
    }
    if (n == 0) break;  // EOF: the client closed our stdin
    // The answers to the lines of this read go out together (see LineWriter).
    struct Batch {
      LineWriter& writer;
      explicit Batch(LineWriter& w) : writer(w) { writer.hold(); }
      ~Batch() { writer.release(); }
    } batch(*writer_);
    // A line that lies whole in this read is handled where it is; only one split across
    // reads is gathered in `buffer`.
    std::string_view data(chunk.data(), static_cast<std::size_t>(n));
    while (const void* newline = std::memchr(data.data(), '\n', data.size())) {
      std::string_view piece = data.substr(0, static_cast<const char*>(newline) - data.data());
      data.remove_prefix(piece.size() + 1);
      if (discarding) {
        discarding = false;  // the end of the line over the limit
      } else if (buffer.empty()) {
        handleLine(piece);
      } else {
        buffer.append(piece);
        handleLine(buffer);
        buffer.clear();
      }
    }
    if (!discarding) buffer.append(data);
    if (!discarding && buffer.size() > options_.limits.max_bytes) {
      writeError(nullptr,
                 jsonrpc::invalidRequest("message exceeds " +
                                         std::to_string(options_.limits.max_bytes) + " bytes"));
      buffer.clear();
      discarding = true;
    }
  }
  if (!buffer.empty() && !discarding) handleLine(buffer);
  // Let requests in flight answer, then cancel whatever is left.
  auto deadline = std::chrono::steady_clock::now() + options_.drain_timeout;
  while (in_flight_->load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  session_->close();
  return Status();
}

namespace {
std::atomic<StdioTransport*> g_signal_target{nullptr};
extern "C" void onStopSignal(int) {
  if (StdioTransport* target = g_signal_target.load()) target->stop();
}
}  // namespace

int runStdio(server::Server& server) {
  std::signal(SIGPIPE, SIG_IGN);
  StdioTransport transport(server);
  g_signal_target.store(&transport);
  struct sigaction action = {};
  action.sa_handler = onStopSignal;
  sigemptyset(&action.sa_mask);
  struct sigaction old_term = {};
  struct sigaction old_int = {};
  sigaction(SIGTERM, &action, &old_term);
  sigaction(SIGINT, &action, &old_int);
  Status status = transport.run();
  sigaction(SIGTERM, &old_term, nullptr);
  sigaction(SIGINT, &old_int, nullptr);
  g_signal_target.store(nullptr);
  server.shutdown();
  if (!status.ok()) {
    spdlog::error("mcp stdio: {}", status.toString());
    return 1;
  }
  return 0;
}

}  // namespace switchboard::mcp::transport
