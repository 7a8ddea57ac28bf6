// Engine overhead with zero-latency scripted agents: a chain and a fan-out of N steps on
// the bundled memory and sqlite storage plugins (sqlite: WAL, one transaction per engine
// batch), loaded through the real plugin host. The scripted agent (plugins/agent/scripted,
// latency 0) answers inside call(), so what is measured is the engine: deciding,
// journaling (two step records and two events per step), committing and dispatching.
//
//   engine_bench [--steps 1000,10000,100000] [--stores memory,sqlite] [--shapes chain,fanout]
//                [--sync normal|full] [--dir /tmp]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/engine/engine.hpp"
#include "core/events/event_hub.hpp"
#include "tests/core/engine/support/test_patterns.hpp"
#include "tests/plugins/support/plugin_loader.hpp"

namespace sb = switchboard;

namespace {

// Every step goes to one scripted agent that answers {} with no latency.
class OneAgentDirectory : public sb::core::AgentDirectory {
 public:
  explicit OneAgentDirectory(std::shared_ptr<sb::Agent> agent) : agent_(std::move(agent)) {}
  sb::Result<sb::core::AgentHandle> resolve(const std::string&, const std::string&) override {
    return sb::core::AgentHandle{"a", agent_};
  }
  void callFinished(const std::string&, const sb::Status&, const sb::Usage&, double) override {}

 private:
  std::shared_ptr<sb::Agent> agent_;
};

sb::Result<std::shared_ptr<sb::Agent>> scriptedAgent() {
  auto type = sb::plugins::testing::loadPluginForTest<sb::AgentType>("agent", "scripted");
  if (!type.ok()) return type.status();
  sb::AgentSpec spec;
  spec.id = "a";
  spec.config_json = R"({"default_reply":{},"usage":{"output_tokens":1}})";
  auto agent = (*type)->createAgent(spec);
  if (!agent.ok()) return agent.status();
  std::shared_ptr<sb::AgentType> keep = *type;  // the agent keeps its type's library loaded
  return std::shared_ptr<sb::Agent>(agent->release(), [keep](sb::Agent* a) { delete a; });
}

double cpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');) out.push_back(item);
  return out;
}

int runOne(const std::string& store_name, const std::string& shape, int n, const std::string& sync,
           const std::string& dir) {
  std::string path = dir + "/engine_bench_" + shape + "_" + std::to_string(n) + ".db";
  for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(path + s);
  std::string store_config = store_name == "sqlite"
                                 ? R"({"path":")" + path + R"(","synchronous":")" + sync + R"("})"
                                 : std::string("{}");
  auto store = sb::plugins::testing::loadPluginForTest<sb::StorageBackend>("storage", store_name,
                                                                           store_config, dir);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().toString().c_str());
    return 1;
  }
  auto agent = scriptedAgent();
  if (!agent.ok()) {
    std::fprintf(stderr, "%s\n", agent.status().toString().c_str());
    return 1;
  }
  OneAgentDirectory directory(*agent);
  sb::core::EventHub hub(store->get());
  if (!hub.open().ok()) return 1;
  sb::core::EngineConfig config;
  config.storage = store->get();
  config.directory = &directory;
  config.events = &hub;
  config.resolver = sb::testing::resolveTestPattern;
  config.global_max_concurrency = n;
  sb::core::Engine engine(config);
  sb::ExecutionInput input;
  input.params_json = "{\"n\":" + std::to_string(n) + ",\"agent\":\"a\"}";
  sb::core::ExecutionOptions options;
  options.max_concurrency = n;
  double cpu0 = cpuSeconds();
  auto t0 = std::chrono::steady_clock::now();
  auto id = engine.startExecution(shape, nullptr, input, options);
  if (!id.ok()) return 1;
  auto status = engine.waitFor(*id, 600000);
  auto t1 = std::chrono::steady_clock::now();
  double cpu = cpuSeconds() - cpu0;
  auto snap = engine.get(*id, false);
  if (!status.ok() || *status != sb::core::ExecutionStatus::kCompleted || !snap.ok() ||
      snap->counts.succeeded != n) {
    std::fprintf(stderr, "%s %s %d: did not complete\n", store_name.c_str(), shape.c_str(), n);
    return 1;
  }
  double secs = std::chrono::duration<double>(t1 - t0).count();
  std::printf("%-7s %-7s %7d steps  %9.0f steps/s  %7.2f us/step  %7.2f cpu-us/step\n",
              store_name.c_str(), shape.c_str(), n, n / secs, secs * 1e6 / n, cpu * 1e6 / n);
  std::fflush(stdout);
  if (store_name == "sqlite") {
    store->reset();
    for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(path + s);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string steps = "1000,10000,100000", stores = "memory,sqlite", shapes = "chain,fanout";
  std::string sync = "normal", dir = std::filesystem::temp_directory_path().string();
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--steps")
      steps = argv[i + 1];
    else if (flag == "--stores")
      stores = argv[i + 1];
    else if (flag == "--shapes")
      shapes = argv[i + 1];
    else if (flag == "--sync")
      sync = argv[i + 1];
    else if (flag == "--dir")
      dir = argv[i + 1];
    else {
      std::fprintf(stderr, "unknown flag %s\n", argv[i]);
      return 2;
    }
  }
  int rc = 0;
  for (const std::string& store : split(stores)) {
    for (const std::string& shape : split(shapes)) {
      for (const std::string& n : split(steps)) rc |= runOne(store, shape, std::stoi(n), sync, dir);
    }
  }
  return rc;
}
