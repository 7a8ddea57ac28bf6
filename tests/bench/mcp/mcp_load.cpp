// mcp_load: HTTP load generator for MCP tools/call. C threads, each with its own keep-alive
// connection (TCP_NODELAY) and its own MCP client (legacy era: its own session), call one
// tool back to back. After a warm-up, calls that start and end inside the measured window
// are counted and their latencies recorded; every failed call (transport error, HTTP error,
// JSON-RPC error, isError, wrong id) counts as an error and marks the run failed.
//
//   mcp_load --url http://127.0.0.1:PORT/mcp [--concurrency C] [--duration S | --calls N]
//            [--warmup S] [--era legacy|modern] [--protocol-version V] [--tool echo]
//            [--arguments '{"text":"hello"}'] [--label NAME] [--any-id]
// prints one JSON line: {"calls_per_s":..,"p50_us":..,"p99_us":..,"errors":..,"ok":..,...};
// client_cpu_pct is the generator's own CPU use (100 = one core): on a small machine the
// client competes with the server for the same cores, so read it next to the result.
// exit status 0 when ok, 1 when the run had errors, 2 on bad usage.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <latch>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <vector>

#include "tests/bench/mcp/latency_histogram.hpp"
#include "tests/bench/mcp/mcp_http_client.hpp"

namespace {

// CPU seconds (user + system) this process has used so far, all threads.
double cpuSeconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  auto secs = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return secs(u.ru_utime) + secs(u.ru_stime);
}

using namespace switchboard::bench;
using Clock = std::chrono::steady_clock;

enum Phase : int { kWarmup = 0, kMeasure = 1, kStop = 2 };

struct Options {
  std::string url;
  int concurrency = 1;
  double duration = 3.0;
  double warmup = 0.5;
  long calls = 0;  // > 0: fixed number of calls instead of a duration
  std::string era = "legacy";
  std::string protocolVersion;
  std::string tool = "echo";
  std::string arguments = R"({"text":"hello"})";
  std::string label;
  bool anyId = false;
  int timeoutMs = 10'000;
};

struct WorkerResult {
  LatencyHistogram histogram;
  std::uint64_t calls = 0;
  std::uint64_t errors = 0;
  int reconnects = 0;
  std::string firstError;
};

struct Shared {
  std::atomic<int> phase{kWarmup};
  std::atomic<long> tickets{0};
};

void fail(WorkerResult& r, const switchboard::Status& s) {
  if (r.errors++ == 0) r.firstError = s.toString();
}

void worker(const Options& o, const HttpUrl& url, const McpRequestBuilder& builder, Shared& shared,
            std::latch& ready, std::latch& go, WorkerResult& r) {
  std::optional<McpHttpClient> client;
  switchboard::Status handshake;
  try {
    client.emplace(url, builder, o.timeoutMs, !o.anyId);
    handshake = client->handshake();
  } catch (const std::exception& e) {
    handshake = switchboard::Status::internal(std::string("exception: ") + e.what());
  }
  ready.count_down();
  go.wait();
  if (!handshake.ok()) {
    fail(r, handshake.withContext("handshake"));
    return;
  }
  try {
    for (;;) {
      int before = shared.phase.load(std::memory_order_relaxed);
      if (before == kStop) break;
      if (o.calls > 0 && shared.tickets.fetch_add(1, std::memory_order_relaxed) >= o.calls) break;
      auto t0 = Clock::now();
      switchboard::Status s = client->callTool();
      auto t1 = Clock::now();
      if (!s.ok()) {
        fail(r, s);
        std::this_thread::sleep_for(std::chrono::milliseconds(1));  // no hot loop on errors
        continue;
      }
      bool measured = o.calls > 0 || (before == kMeasure &&
                                      shared.phase.load(std::memory_order_relaxed) == kMeasure);
      if (measured) {
        ++r.calls;
        r.histogram.record(static_cast<std::uint64_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(t1 - t0).count()));
      }
    }
  } catch (const std::exception& e) {
    fail(r, switchboard::Status::internal(std::string("exception: ") + e.what()));
  }
  r.reconnects = client->reconnects();
}

int run(int argc, char** argv) {
  Options o;
  CLI::App app{"MCP tools/call load generator over Streamable HTTP (tests/bench/mcp)"};
  app.add_option("--url", o.url, "server endpoint, http://HOST:PORT/PATH")->required();
  app.add_option("--concurrency,-c", o.concurrency, "connections, one thread each")
      ->check(CLI::Range(1, 1024));
  app.add_option("--duration", o.duration, "measured seconds")->check(CLI::Range(0.1, 600.0));
  app.add_option("--warmup", o.warmup, "seconds of unmeasured calls first")
      ->check(CLI::Range(0.0, 60.0));
  app.add_option("--calls", o.calls, "a fixed number of calls instead of --duration (no warm-up)")
      ->check(CLI::Range(1L, 100'000'000L));
  app.add_option("--era", o.era, "legacy (2025-11-25 handshake) or modern (2026-07-28 _meta)");
  app.add_option("--protocol-version", o.protocolVersion, "default: the era's version");
  app.add_option("--tool", o.tool, "tool to call");
  app.add_option("--arguments", o.arguments, "tool arguments, a JSON object");
  app.add_option("--label", o.label, "name of the server, copied into the output");
  app.add_flag("--any-id", o.anyId, "accept any response id (for the fixed-body bare server)");
  app.add_option("--timeout-ms", o.timeoutMs, "per-request timeout")->check(CLI::Range(1, 600'000));
  CLI11_PARSE(app, argc, argv);

  auto era = parseEra(o.era);
  auto url = parseHttpUrl(o.url);
  if (!era.ok() || !url.ok()) {
    std::fprintf(stderr, "mcp_load: %s\n",
                 (!era.ok() ? era.status() : url.status()).toString().c_str());
    return 2;
  }
  if (o.protocolVersion.empty()) o.protocolVersion = std::string(defaultProtocolVersion(*era));
  auto builder = McpRequestBuilder::create(*era, o.protocolVersion, o.tool, o.arguments);
  if (!builder.ok()) {
    std::fprintf(stderr, "mcp_load: %s\n", builder.status().toString().c_str());
    return 2;
  }

  Shared shared;
  if (o.calls > 0) shared.phase = kMeasure;
  std::vector<WorkerResult> results(static_cast<std::size_t>(o.concurrency));
  std::latch ready(o.concurrency);
  std::latch go(1);
  std::vector<std::thread> threads;
  for (int i = 0; i < o.concurrency; ++i) {
    threads.emplace_back(worker, std::cref(o), std::cref(*url), std::cref(*builder),
                         std::ref(shared), std::ref(ready), std::ref(go), std::ref(results[i]));
  }
  ready.wait();  // every client has done its handshake
  auto start = Clock::now();
  double cpuStart = cpuSeconds();
  go.count_down();
  if (o.calls == 0) {
    std::this_thread::sleep_for(std::chrono::duration<double>(o.warmup));
    start = Clock::now();
    cpuStart = cpuSeconds();
    shared.phase = kMeasure;
    std::this_thread::sleep_for(std::chrono::duration<double>(o.duration));
    shared.phase = kStop;
  }
  auto end = Clock::now();
  double cpuEnd = cpuSeconds();
  for (auto& t : threads) t.join();
  if (o.calls > 0) {
    end = Clock::now();
    cpuEnd = cpuSeconds();
  }

  WorkerResult total;
  for (const auto& r : results) {
    total.histogram.merge(r.histogram);
    total.calls += r.calls;
    if (total.errors == 0 && r.errors > 0) total.firstError = r.firstError;
    total.errors += r.errors;
    total.reconnects += r.reconnects;
  }
  double seconds = std::chrono::duration<double>(end - start).count();
  bool ok = total.errors == 0 && total.calls > 0;
  nlohmann::json report = {
      {"tool", "mcp_load"},
      {"label", o.label},
      {"transport", "http"},
      {"url", o.url},
      {"era", o.era},
      {"protocol_version", o.protocolVersion},
      {"concurrency", o.concurrency},
      {"seconds", seconds},
      {"calls", total.calls},
      {"errors", total.errors},
      {"calls_per_s", seconds > 0 ? static_cast<double>(total.calls) / seconds : 0.0},
      {"p50_us", total.histogram.percentile(0.50)},
      {"p99_us", total.histogram.percentile(0.99)},
      {"max_us", total.histogram.max()},
      {"reconnects", total.reconnects},
      {"client_cpu_pct", seconds > 0 ? 100.0 * (cpuEnd - cpuStart) / seconds : 0.0},
      {"ok", ok}};
  if (!total.firstError.empty()) report["first_error"] = total.firstError;
  std::printf("%s\n", report.dump().c_str());
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mcp_load: %s\n", e.what());
    return 2;
  }
}
