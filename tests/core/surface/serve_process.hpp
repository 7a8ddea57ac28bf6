// ServerProcess and McpHttpClient: `switchboard serve --http 127.0.0.1:0` as a child
// process on a given data directory, and one MCP session with it over Streamable HTTP
// (cpp-httplib), for the process-level surface tests.
//
// ServerProcess owns the child: the constructor starts it and waits (up to 60 s) for its
// `listening on` line; a thread keeps reading its stderr afterwards so the child never
// blocks on a full pipe, and log() returns everything it wrote. The destructor SIGKILLs a
// child that is still running. McpHttpClient is one session; use it from one thread.
#pragma once

#include <fcntl.h>
#include <httplib.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace switchboard::core::testing {

using nlohmann::json;

class ServerProcess {
 public:
  explicit ServerProcess(const std::filesystem::path& data_dir) {
    int err_pipe[2];
    if (pipe2(err_pipe, O_CLOEXEC) != 0) return;
    // Everything the child needs is built before fork(): after it only async-signal-safe
    // calls (other test threads may hold the allocator's locks).
    const std::string binary = SWITCHBOARD_BINARY;
    std::vector<std::string> args{binary, "serve", "--http", "127.0.0.1:0", "--log-level", "warn"};
    std::vector<std::string> env{"SWITCHBOARD_DATA_DIR=" + data_dir.string()};
    for (char** e = environ; *e != nullptr; ++e) {
      if (std::string(*e).rfind("SWITCHBOARD_DATA_DIR=", 0) != 0) env.emplace_back(*e);
    }
    std::vector<char*> argv, envp;
    for (std::string& a : args) argv.push_back(a.data());
    for (std::string& e : env) envp.push_back(e.data());
    argv.push_back(nullptr);
    envp.push_back(nullptr);
    pid_ = fork();
    if (pid_ == 0) {
      dup2(err_pipe[1], 2);  // the duplicate does not inherit O_CLOEXEC
      execve(argv[0], argv.data(), envp.data());
      _exit(127);
    }
    close(err_pipe[1]);
    err_fd_ = err_pipe[0];
    if (pid_ < 0) return;
    readUntilListening();
    reader_ = std::thread([this] { drain(); });
  }
  ~ServerProcess() {
    if (pid_ > 0 && !ended_) {
      ::kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (reader_.joinable()) reader_.join();  // EOF once the child is gone
    if (err_fd_ >= 0) close(err_fd_);
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // SIGTERM; the exit code (or -1 when it did not exit normally).
  int stop() { return end(SIGTERM); }
  // SIGKILL, as a crash; true when the child died of it.
  bool kill() {
    int status = end(SIGKILL);
    return status == -SIGKILL;
  }
  int port() const { return port_; }
  std::string log() {
    std::lock_guard<std::mutex> lock(mu_);
    return log_;
  }

 private:
  // Exit code, or minus the signal that ended the child, or -1.
  int end(int signal) {
    if (pid_ <= 0 || ended_) return -1;
    ended_ = true;
    ::kill(pid_, signal);
    int status = 0;
    if (waitpid(pid_, &status, 0) != pid_) return -1;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return WIFSIGNALED(status) ? -WTERMSIG(status) : -1;
  }
  void readUntilListening() {
    const std::regex listening("listening on http://127\\.0\\.0\\.1:(\\d+)/mcp\n");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    std::smatch match;
    std::string text;
    char buffer[256];
    while (!std::regex_search(text, match, listening)) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      pollfd p{err_fd_, POLLIN, 0};
      if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
      ssize_t n = read(err_fd_, buffer, sizeof(buffer));
      if (n <= 0) break;
      text.append(buffer, static_cast<std::size_t>(n));
    }
    if (std::regex_search(text, match, listening)) port_ = std::stoi(match[1].str());
    std::lock_guard<std::mutex> lock(mu_);
    log_ = text;
  }
  void drain() {
    char buffer[1024];
    while (true) {
      ssize_t n = read(err_fd_, buffer, sizeof(buffer));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;
      std::lock_guard<std::mutex> lock(mu_);
      log_.append(buffer, static_cast<std::size_t>(n));
    }
  }

  pid_t pid_ = -1;
  int err_fd_ = -1;
  int port_ = 0;
  bool ended_ = false;
  std::thread reader_;
  std::mutex mu_;
  std::string log_;
};

// One MCP session (protocol 2025-11-25) over Streamable HTTP.
class McpHttpClient {
 public:
  explicit McpHttpClient(int port) : http_("127.0.0.1", port) {
    http_.set_read_timeout(120, 0);
    http_.set_tcp_nodelay(true);
  }
  bool initialize() {
    json init = send("initialize", {{"protocolVersion", "2025-11-25"},
                                    {"capabilities", json::object()},
                                    {"clientInfo", {{"name", "surface-test"}, {"version", "1"}}}});
    if (!init.contains("result")) {
      last_error_ = init.dump();
      return false;
    }
    http_.Post("/mcp", baseHeaders(),
               json{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}}.dump(),
               "application/json");
    if (session_.empty()) last_error_ = "initialize answered without Mcp-Session-Id";
    return !session_.empty();
  }
  // Why initialize() last returned false.
  const std::string& lastError() const { return last_error_; }
  // tools/call; the CallToolResult, or {"isError": true, "response": ...} when there is none.
  json call(const std::string& tool, json args) {
    json response = send("tools/call", {{"name", tool}, {"arguments", std::move(args)}});
    return response.value("result", json{{"isError", true}, {"response", response}});
  }

 private:
  httplib::Headers baseHeaders() const {
    httplib::Headers headers{{"Accept", "application/json, text/event-stream"}};
    if (!session_.empty()) {
      headers.emplace("Mcp-Session-Id", session_);
      headers.emplace("MCP-Protocol-Version", "2025-11-25");
    }
    return headers;
  }
  json send(const std::string& method, json params) {
    int id = next_id_++;
    json body{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
    auto res = http_.Post("/mcp", baseHeaders(), body.dump(), "application/json");
    if (!res) return json{{"error", "no response: " + httplib::to_string(res.error())}};
    if (res->has_header("Mcp-Session-Id")) session_ = res->get_header_value("Mcp-Session-Id");
    if (res->get_header_value("Content-Type").find("text/event-stream") == std::string::npos) {
      json parsed = json::parse(res->body, nullptr, false);
      return parsed.is_discarded() ? json{{"error", res->body}} : parsed;
    }
    // SSE: the response is the data line whose message carries our id.
    std::istringstream lines(res->body);
    std::string line;
    while (std::getline(lines, line)) {
      if (line.rfind("data:", 0) != 0) continue;
      json message = json::parse(line.substr(5), nullptr, false);
      if (!message.is_discarded() && message.contains("id") && message["id"] == id) return message;
    }
    return json{{"error", "no response in the event stream"}};
  }

  httplib::Client http_;
  std::string session_;
  std::string last_error_;
  int next_id_ = 1;
};

}  // namespace switchboard::core::testing
