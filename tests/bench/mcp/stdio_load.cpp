// stdio_load: pipelined tools/call throughput over the MCP stdio transport. Starts the server
// command, does the era's handshake over its stdin/stdout (legacy: initialize, then
// notifications/initialized; modern: none, each request carries `_meta`), then a writer
// thread keeps up to --window requests in flight while the main thread reads and checks the
// responses (any order; each id exactly once; a successful, non-isError result).
//
//   stdio_load [--calls N | --duration S [--warmup S]] [--window W] [--era legacy|modern]
//              [--tool echo] [--arguments JSON] [--label NAME] [--server-log FILE] -- CMD ARGS...
// prints one JSON line with calls_per_s; exit status 0 when ok, 1 on errors, 2 on bad usage.
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <nlohmann/json.hpp>
#include <semaphore>
#include <thread>
#include <vector>

#include "tests/bench/mcp/child_process.hpp"
#include "tests/bench/mcp/mcp_request_builder.hpp"
#include "tests/bench/mcp/mcp_response_check.hpp"
#include "tests/bench/mcp/mcp_stdio_client.hpp"

namespace {

// CPU seconds (user + system) this process has used so far, all threads.
double cpuSeconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  auto secs = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return secs(u.ru_utime) + secs(u.ru_stime);
}

using namespace switchboard::bench;
using switchboard::Status;
using Clock = std::chrono::steady_clock;

constexpr int kMaxWindow = 4096;
constexpr int kPollMs = 50;

struct Options {
  long calls = 0;
  double duration = 3.0;
  double warmup = 0.5;  // with --duration: calls answered in the first seconds are not counted
  int window = 128;
  std::string era = "legacy";
  std::string protocolVersion;
  std::string tool = "echo";
  std::string arguments = R"({"text":"hello"})";
  std::string label;
  std::string serverLog = "/dev/null";
  int timeoutMs = 10'000;
  std::vector<std::string> command;
};

struct Pipeline {
  std::counting_semaphore<2 * kMaxWindow> permits{0};
  std::atomic<long> sent{0};
  std::atomic<bool> writerDone{false};
  std::atomic<bool> abort{false};
  Status writeError;
};

// The writer thread: keeps the window full until the call count or the deadline is reached.
void writeRequests(const Options& o, const McpRequestBuilder& builder, int in,
                   Clock::time_point deadline, long firstId, Pipeline& p) {
  std::string batch;
  long sent = 0;  // requests written; their ids are firstId .. firstId + sent - 1
  while (!p.abort) {
    if (o.calls > 0 ? sent >= o.calls : Clock::now() >= deadline) break;
    p.permits.acquire();
    if (p.abort) break;
    long count = 1;
    while (count < 64 && (o.calls == 0 || sent + count < o.calls) && p.permits.try_acquire()) {
      ++count;
    }
    batch.clear();
    for (long i = 0; i < count; ++i) {
      batch += builder.toolsCall(firstId + sent + i);
      batch += '\n';
    }
    sent += count;
    p.sent.store(sent);  // before the write, so the reader never sees an unknown id
    Status s = writeAll(in, batch);
    if (!s.ok()) {
      p.writeError = s;
      break;
    }
  }
}

void writer(const Options& o, const McpRequestBuilder& builder, int in, Clock::time_point deadline,
            long firstId, Pipeline& p) {
  try {
    writeRequests(o, builder, in, deadline, firstId, p);
  } catch (const std::exception& e) {
    p.writeError = Status::internal(std::string("writer: ") + e.what());
  }
  p.writerDone = true;
}

int run(int argc, char** argv) {
  Options o;
  CLI::App app{"Pipelined MCP tools/call throughput over stdio (tests/bench/mcp)"};
  app.add_option("--calls", o.calls, "a fixed number of calls instead of --duration")
      ->check(CLI::Range(1L, 100'000'000L));
  app.add_option("--duration", o.duration, "seconds of sending")->check(CLI::Range(0.1, 600.0));
  app.add_option("--warmup", o.warmup, "unmeasured seconds first (with --duration)")
      ->check(CLI::Range(0.0, 60.0));
  app.add_option("--window", o.window, "requests in flight")->check(CLI::Range(1, kMaxWindow));
  app.add_option("--era", o.era, "legacy or modern");
  app.add_option("--protocol-version", o.protocolVersion, "default: the era's version");
  app.add_option("--tool", o.tool, "tool to call");
  app.add_option("--arguments", o.arguments, "tool arguments, a JSON object");
  app.add_option("--label", o.label, "name of the server, copied into the output");
  app.add_option("--server-log", o.serverLog, "where the server's stderr goes");
  app.add_option("--timeout-ms", o.timeoutMs, "longest wait for any response")
      ->check(CLI::Range(1, 600'000));
  app.add_option("command", o.command, "server command and arguments (after --)")->required();
  CLI11_PARSE(app, argc, argv);
  ::signal(SIGPIPE, SIG_IGN);

  auto era = parseEra(o.era);
  if (!era.ok()) {
    std::fprintf(stderr, "stdio_load: %s\n", era.status().toString().c_str());
    return 2;
  }
  if (o.protocolVersion.empty()) o.protocolVersion = std::string(defaultProtocolVersion(*era));
  auto builder = McpRequestBuilder::create(*era, o.protocolVersion, o.tool, o.arguments);
  if (!builder.ok()) {
    std::fprintf(stderr, "stdio_load: %s\n", builder.status().toString().c_str());
    return 2;
  }
  SpawnOptions spawnOptions;
  spawnOptions.stderrPath = o.serverLog;
  auto child = ChildProcess::spawn(o.command, spawnOptions);
  if (!child.ok()) {
    std::fprintf(stderr, "stdio_load: %s\n", child.status().toString().c_str());
    return 2;
  }
  McpStdioClient client(child->stdinFd(), child->stdoutFd(), *builder, o.timeoutMs);
  LineReader& reader = client.reader();

  std::uint64_t received = 0;  // responses, good or bad
  std::uint64_t succeeded = 0;
  std::uint64_t errors = 0;
  std::string firstError;
  auto fail = [&](const Status& s) {
    if (errors++ == 0) firstError = s.toString();
  };
  Pipeline p;
  Clock::time_point start = Clock::now();
  Clock::time_point end = start;
  double cpuStart = cpuSeconds();
  double cpuEnd = cpuStart;
  Status hs = client.handshake();
  if (!hs.ok()) {
    fail(hs.withContext("handshake"));
  } else {
    auto seconds = [](double s) {
      return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
    };
    start = Clock::now();
    cpuStart = cpuSeconds();
    bool warming = o.calls == 0 && o.warmup > 0;
    auto warmupEnd = start + seconds(warming ? o.warmup : 0.0);
    auto deadline = warmupEnd + seconds(o.duration);
    p.permits.release(o.window);
    long firstId = static_cast<long>(client.nextId());
    std::thread writerThread(writer, std::cref(o), std::cref(*builder), child->stdinFd(), deadline,
                             firstId, std::ref(p));
    std::vector<bool> seen;
    int idleMs = 0;
    while (!(p.writerDone && received == static_cast<std::uint64_t>(p.sent.load()))) {
      auto line = reader.readLine(kPollMs);
      if (!line.ok()) {
        if (line.status().code() == switchboard::StatusCode::kDeadlineExceeded &&
            (idleMs += kPollMs) < o.timeoutMs) {
          continue;
        }
        fail(line.status().withContext("waiting for responses"));
        break;
      }
      idleMs = 0;
      std::optional<std::int64_t> id;
      Status checked = checkToolCallResponse("application/json", *line, std::nullopt, *era, &id);
      // Not a response: a notification or a log line.
      if (checked.code() == switchboard::StatusCode::kDataLoss) continue;
      long n = id ? static_cast<long>(*id) - firstId : -1;
      if (n < 0 || n >= p.sent.load() || (static_cast<std::size_t>(n) < seen.size() && seen[n])) {
        fail(!checked.ok() ? checked.withContext("tools/call")
                           : Status::failedPrecondition(
                                 "unexpected response id " +
                                 (id ? std::to_string(*id) : std::string("(not an integer)"))));
        break;
      }
      if (seen.size() <= static_cast<std::size_t>(n))
        seen.resize(static_cast<std::size_t>(n) * 2 + 64);
      seen[n] = true;
      ++received;
      if (checked.ok()) {
        ++succeeded;
        if (warming && Clock::now() >= warmupEnd) {  // the measured window starts here
          warming = false;
          start = Clock::now();
          cpuStart = cpuSeconds();
          succeeded = 0;
        }
      } else {
        fail(checked.withContext("tools/call"));
      }
      p.permits.release();
    }
    end = Clock::now();
    cpuEnd = cpuSeconds();
    bool broken = !(p.writerDone && received == static_cast<std::uint64_t>(p.sent.load()));
    if (broken) ::kill(child->pid(), SIGKILL);  // unblocks a writer stuck on a full pipe
    p.abort = true;
    p.permits.release(o.window);
    writerThread.join();
    if (!p.writeError.ok()) fail(p.writeError);
  }
  child->terminate(2000, 2000);

  double seconds = std::chrono::duration<double>(end - start).count();
  bool ok = errors == 0 && succeeded > 0;
  nlohmann::json report = {
      {"tool", "stdio_load"},
      {"label", o.label},
      {"transport", "stdio"},
      {"era", o.era},
      {"protocol_version", o.protocolVersion},
      {"window", o.window},
      {"seconds", seconds},
      {"calls", succeeded},
      {"errors", errors},
      {"calls_per_s", seconds > 0 ? static_cast<double>(succeeded) / seconds : 0.0},
      {"client_cpu_pct", seconds > 0 ? 100.0 * (cpuEnd - cpuStart) / seconds : 0.0},
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
    std::fprintf(stderr, "stdio_load: %s\n", e.what());
    return 2;
  }
}
