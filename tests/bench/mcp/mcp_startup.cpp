// mcp_startup: cold start and idle memory of an MCP server. Each run starts the server
// command and measures the time from fork/exec to the first successful response:
//   http:  read the "http://HOST:PORT..." the server prints (stdout or stderr; port 0 is
//          fine), connect, POST the era's opening request (initialize / server/discover);
//   stdio: write the opening request at once and wait for its answer.
// Then it completes the handshake, makes --calls tools/call, sleeps --idle-ms and reads VmRSS
// from /proc/<pid>/status. Reports the median over --runs of both; any failure marks the
// run failed. On a loaded machine the wall-clock cold start includes time spent waiting for a
// CPU, so the server's own CPU time until the first response is reported beside it.
//
//   mcp_startup --transport http|stdio [--runs N] [--era legacy|modern] [--calls K]
//               [--idle-ms MS] [--tool echo] [--arguments JSON] [--label NAME] -- CMD ARGS...
// prints one JSON line; exit status 0 when ok, 1 on errors, 2 on bad usage.
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "tests/bench/mcp/child_process.hpp"
#include "tests/bench/mcp/mcp_http_client.hpp"
#include "tests/bench/mcp/mcp_stdio_client.hpp"

namespace {

using namespace switchboard::bench;
using switchboard::Result;
using switchboard::Status;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string transport;
  int runs = 7;
  std::string era = "legacy";
  std::string protocolVersion;
  int calls = 20;
  int idleMs = 500;
  std::string tool = "echo";
  std::string arguments = R"({"text":"hello"})";
  std::string label;
  std::string serverLog = "/dev/null";
  bool anyId = false;
  int timeoutMs = 10'000;
  std::vector<std::string> command;
};

struct Sample {
  double coldMs = 0;
  double coldCpuMs = 0;  // the server's CPU time up to the first response
  long rssKb = 0;
};

// Reads and discards the server's output until told to stop, so it never blocks on a pipe.
class Drain {
 public:
  explicit Drain(int fd) : thread_([this, fd] { run(fd); }) {}
  ~Drain() {
    stop_ = true;
    thread_.join();
  }
  Drain(const Drain&) = delete;
  Drain& operator=(const Drain&) = delete;

 private:
  void run(int fd) {
    char buf[4096];
    while (!stop_) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      if (::read(fd, buf, sizeof buf) <= 0) return;
    }
  }
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

double msSince(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

Status settleAndMeasure(ChildProcess& child, int idleMs, Sample& sample) {
  std::this_thread::sleep_for(std::chrono::milliseconds(idleMs));
  auto rss = child.rssKb();
  if (!rss.ok()) return rss.status();
  sample.rssKb = *rss;
  return {};
}

Result<Sample> runHttp(const Options& o, const McpRequestBuilder& builder) {
  SpawnOptions spawnOptions;
  spawnOptions.stderrMode = SpawnOptions::Stderr::kIntoStdout;
  auto t0 = Clock::now();
  auto child = ChildProcess::spawn(o.command, spawnOptions);
  if (!child.ok()) return child.status();
  LineReader reader(child->stdoutFd());
  Result<HttpUrl> url = Status::unavailable("no listening line");
  while (!url.ok()) {
    int left = o.timeoutMs - static_cast<int>(msSince(t0));
    auto line = reader.readLine(std::max(left, 0));
    if (!line.ok()) return line.status().withContext("waiting for the listening line");
    std::size_t at = line->find("http://");
    if (at == std::string_view::npos) continue;
    std::string_view token = line->substr(at);
    token = token.substr(0, token.find_first_of(" \t\"'"));
    url = parseHttpUrl(token);
  }
  Drain drain(child->stdoutFd());
  McpHttpClient client(*url, builder, o.timeoutMs, !o.anyId);
  Status connected = client.connect();
  while (!connected.ok() && msSince(t0) < o.timeoutMs) {  // printed before listen()?
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    connected = client.connect();
  }
  SB_RETURN_IF_ERROR(connected);
  SB_RETURN_IF_ERROR(client.open());
  Sample sample;
  sample.coldMs = msSince(t0);
  if (auto cpu = child->cpuMs(); cpu.ok()) sample.coldCpuMs = *cpu;
  SB_RETURN_IF_ERROR(client.finishHandshake());
  for (int i = 0; i < o.calls; ++i) SB_RETURN_IF_ERROR(client.callTool());
  SB_RETURN_IF_ERROR(settleAndMeasure(*child, o.idleMs, sample));
  child->terminate(0, 2000);
  return sample;
}

Result<Sample> runStdio(const Options& o, const McpRequestBuilder& builder) {
  SpawnOptions spawnOptions;
  spawnOptions.stderrPath = o.serverLog;
  auto t0 = Clock::now();
  auto child = ChildProcess::spawn(o.command, spawnOptions);
  if (!child.ok()) return child.status();
  McpStdioClient client(child->stdinFd(), child->stdoutFd(), builder, o.timeoutMs);
  SB_RETURN_IF_ERROR(client.open());
  Sample sample;
  sample.coldMs = msSince(t0);
  if (auto cpu = child->cpuMs(); cpu.ok()) sample.coldCpuMs = *cpu;
  SB_RETURN_IF_ERROR(client.finishHandshake());
  for (int i = 0; i < o.calls; ++i) SB_RETURN_IF_ERROR(client.callTool());
  SB_RETURN_IF_ERROR(settleAndMeasure(*child, o.idleMs, sample));
  child->terminate(2000, 2000);
  return sample;
}

template <typename T>
T median(std::vector<T> v) {
  if (v.empty()) return T{};
  std::sort(v.begin(), v.end());
  std::size_t mid = v.size() / 2;
  return v.size() % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

int run(int argc, char** argv) {
  Options o;
  CLI::App app{"Cold start and idle RSS of an MCP server (tests/bench/mcp)"};
  app.add_option("--transport", o.transport, "http or stdio")
      ->required()
      ->check(CLI::IsMember({"http", "stdio"}));
  app.add_option("--runs", o.runs, "server starts; medians are reported")
      ->check(CLI::Range(1, 100));
  app.add_option("--era", o.era, "legacy or modern");
  app.add_option("--protocol-version", o.protocolVersion, "default: the era's version");
  app.add_option("--calls", o.calls, "tools/call made before measuring RSS")
      ->check(CLI::Range(0, 100'000));
  app.add_option("--idle-ms", o.idleMs, "idle time before reading RSS")
      ->check(CLI::Range(0, 60'000));
  app.add_option("--tool", o.tool, "tool to call");
  app.add_option("--arguments", o.arguments, "tool arguments, a JSON object");
  app.add_option("--label", o.label, "name of the server, copied into the output");
  app.add_option("--server-log", o.serverLog, "where a stdio server's stderr goes");
  app.add_flag("--any-id", o.anyId, "accept any response id (for the fixed-body bare server)");
  app.add_option("--timeout-ms", o.timeoutMs, "longest wait per step")
      ->check(CLI::Range(1, 600'000));
  app.add_option("command", o.command, "server command and arguments (after --)")->required();
  CLI11_PARSE(app, argc, argv);
  ::signal(SIGPIPE, SIG_IGN);

  auto era = parseEra(o.era);
  if (!era.ok()) {
    std::fprintf(stderr, "mcp_startup: %s\n", era.status().toString().c_str());
    return 2;
  }
  if (o.protocolVersion.empty()) o.protocolVersion = std::string(defaultProtocolVersion(*era));
  auto builder = McpRequestBuilder::create(*era, o.protocolVersion, o.tool, o.arguments);
  if (!builder.ok()) {
    std::fprintf(stderr, "mcp_startup: %s\n", builder.status().toString().c_str());
    return 2;
  }

  std::vector<double> cold;
  std::vector<double> coldCpu;
  std::vector<long> rss;
  int errors = 0;
  std::string firstError;
  for (int i = 0; i < o.runs; ++i) {
    auto sample = o.transport == "http" ? runHttp(o, *builder) : runStdio(o, *builder);
    if (!sample.ok()) {
      if (errors++ == 0) firstError = sample.status().toString();
      continue;
    }
    cold.push_back(sample->coldMs);
    coldCpu.push_back(sample->coldCpuMs);
    rss.push_back(sample->rssKb);
  }
  bool ok = errors == 0 && !cold.empty();
  nlohmann::json report = {
      {"tool", "mcp_startup"},
      {"label", o.label},
      {"transport", o.transport},
      {"era", o.era},
      {"runs", o.runs},
      {"cold_start_ms", cold},
      {"cold_start_ms_median", median(cold)},
      {"cold_start_ms_min", cold.empty() ? 0.0 : *std::min_element(cold.begin(), cold.end())},
      {"cold_start_cpu_ms_median", median(coldCpu)},
      {"rss_idle_kb", rss},
      {"rss_idle_kb_median", median(rss)},
      {"errors", errors},
      {"ok", ok}};
  if (!firstError.empty()) report["first_error"] = firstError;
  std::printf("%s\n", report.dump().c_str());
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mcp_startup: %s\n", e.what());
    return 2;
  }
}
