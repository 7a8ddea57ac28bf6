// bare_server: the ceiling reference for the MCP HTTP benchmark. A cpp-httplib server
// configured the way switchboard's Streamable HTTP transport should be (TCP_NODELAY,
// keep-alive without a request limit, a thread pool of 64 + cores so each keep-alive
// connection keeps a thread) that answers every POST /mcp with one fixed JSON-RPC tools/call
// result, without parsing the request. Whatever switchboard does per call on top of this is
// its overhead.
//
//   bare_server [--host 127.0.0.1] [--port 0] [--threads N]
// prints "listening on http://HOST:PORT/mcp" on stderr; stops on SIGINT or SIGTERM.
//
//   bare_server --stdio
// the same for the stdio transport: every input line that has an "id" gets the fixed result
// with that id spliced in (found by text search, not parsed); other lines get no answer.
// Exits at end of input. It shows what the stdio load generator can drive at most.
#include <httplib.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>
#include <thread>

namespace {

// A successful tools/call result, valid for both eras (resultType is required by
// 2026-07-28 and ignored by the 2025 clients).
constexpr const char* kFixedBody =
    R"({"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"hello"}],)"
    R"("isError":false,"resultType":"complete"}})";

// The raw id value of a JSON-RPC message line ("7", "\"abc\""), or empty when there is none.
std::string_view findId(std::string_view line) {
  std::size_t at = line.find("\"id\":");
  if (at == std::string_view::npos) return {};
  std::string_view rest = line.substr(at + 5);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  return rest.substr(0, rest.find_first_of(",}"));
}

int serveStdio() {
  std::ios::sync_with_stdio(false);
  std::string line;
  std::string out;
  while (std::getline(std::cin, line)) {
    std::string_view id = findId(line);
    if (!id.empty()) {
      out += R"({"jsonrpc":"2.0","id":)";
      out += id;
      out += R"(,"result":{"content":[{"type":"text","text":"hello"}],)"
             R"("isError":false,"resultType":"complete"}})";
      out += '\n';
    }
    if (std::cin.rdbuf()->in_avail() <= 0 && !out.empty()) {  // flush before blocking
      std::fwrite(out.data(), 1, out.size(), stdout);
      std::fflush(stdout);
      out.clear();
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  return 0;
}

int run(int argc, char** argv) {
  std::string host = "127.0.0.1";
  int port = 0;
  unsigned threads = 64 + std::max(1u, std::thread::hardware_concurrency());
  bool stdio = false;
  CLI::App app{"Fixed-body cpp-httplib server: the ceiling reference for tests/bench/mcp"};
  app.add_option("--host", host, "address to bind");
  app.add_option("--port", port, "port to bind; 0 picks a free one")->check(CLI::Range(0, 65535));
  app.add_option("--threads", threads, "worker threads (one per keep-alive connection)")
      ->check(CLI::Range(1u, 4096u));
  app.add_flag("--stdio", stdio, "serve the stdio transport instead of HTTP");
  CLI11_PARSE(app, argc, argv);
  if (stdio) return serveStdio();

  // SIGINT/SIGTERM are handled by a sigwait thread, so block them before any thread starts.
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGINT);
  sigaddset(&stopSignals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

  httplib::Server server;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(1'000'000'000);
  server.set_keep_alive_timeout(30);
  server.Post("/mcp", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(kFixedBody, "application/json");
  });
  int bound =
      port == 0 ? server.bind_to_any_port(host) : (server.bind_to_port(host, port) ? port : -1);
  if (bound <= 0) {
    std::fprintf(stderr, "bare_server: cannot bind %s:%d\n", host.c_str(), port);
    return 1;
  }
  std::thread stopper([&server, stopSignals] {
    int signal = 0;
    sigwait(&stopSignals, &signal);
    server.stop();
  });
  stopper.detach();
  std::fprintf(stderr, "listening on http://%s:%d/mcp\n", host.c_str(), bound);
  std::fflush(stderr);
  return server.listen_after_bind() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bare_server: %s\n", e.what());
    return 1;
  }
}
