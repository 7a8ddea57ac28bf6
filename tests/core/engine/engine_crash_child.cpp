// The process engine_crash_test SIGKILLs. Runs (or recovers) one "chain" execution on a
// SQLite file with the bundled sqlite storage plugin and in-test components (TestAgent,
// ChainPattern from tests/core/engine/support) and reports on stdout, one line each, flushed:
//   CALL <request_id>            the agent was called (before it answers)
//   SETTLED <key> <attempts>     a step's settled record is committed (event delivered)
//   STEP <key> <status> <attempts>  the final journal, after the execution ends
//   RESULT <status> <result json>
// Usage: engine_crash_child <db> run|recover <steps> <agent delay ms>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "core/engine/engine.hpp"
#include "core/events/event_hub.hpp"
#include "tests/core/engine/support/test_agents.hpp"
#include "tests/core/engine/support/test_patterns.hpp"
#include "tests/core/engine/support/test_storage.hpp"

namespace sb = switchboard;

namespace {
std::mutex out_mu;
void line(const std::string& text) {
  std::lock_guard<std::mutex> lock(out_mu);
  std::fprintf(stdout, "%s\n", text.c_str());
  std::fflush(stdout);
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s <db> run|recover <steps> <delay_ms>\n", argv[0]);
    return 2;
  }
  std::string mode = argv[2];
  int steps = std::atoi(argv[3]);
  std::int64_t delay = std::atoll(argv[4]);
  auto store = sb::testing::openSqliteStore(argv[1]);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().toString().c_str());
    return 1;
  }
  sb::testing::TestDirectory directory;
  sb::testing::Scheduler scheduler;
  directory.add("a", std::make_shared<sb::testing::TestAgent>(
                         [delay](const sb::AgentRequest& r, int) {
                           line("CALL " + r.request_id);
                           nlohmann::json in = nlohmann::json::parse(r.input_json, nullptr, false);
                           std::int64_t acc = 0;
                           if (in.is_object() && in["prev"].is_object())
                             acc = in["prev"].value("acc", 0);
                           sb::testing::Behaviour b;
                           b.delay_ms = delay;
                           b.output_json =
                               "{\"acc\":" + std::to_string(acc * 31 % 1000003 + in.value("i", 0)) +
                               "}";
                           b.usage.output_tokens = 1;
                           return b;
                         },
                         &scheduler));
  sb::core::EventHub hub(store->get());
  if (!hub.open().ok()) return 1;
  hub.subscribe("execution/", [](const std::vector<sb::core::Event>& events, std::uint64_t) {
    for (const auto& e : events) {
      if (e.type != "step.settled") continue;
      nlohmann::json d = nlohmann::json::parse(e.data_json, nullptr, false);
      if (d.is_discarded()) continue;
      line("SETTLED " + d.value("key", std::string()) + " " +
           std::to_string(d.value("attempts", 0)));
    }
  });
  sb::core::EngineConfig config;
  config.storage = store->get();
  config.directory = &directory;
  config.events = &hub;
  config.resolver = sb::testing::resolveTestPattern;
  sb::core::Engine engine(config);
  std::string id;
  if (mode == "run") {
    sb::ExecutionInput input;
    input.params_json = "{\"n\":" + std::to_string(steps) + ",\"agent\":\"a\"}";
    auto r = engine.startExecution("chain", nullptr, input, {});
    if (!r.ok()) return 1;
    id = *r;
  } else {
    auto resumed = engine.recover();
    if (!resumed.ok() || *resumed != 1) {
      std::fprintf(stderr, "recover: expected 1 execution\n");
      return 1;
    }
    auto page = engine.list({}, "", 10);
    if (!page.ok() || page->items.size() != 1) return 1;
    id = page->items[0].id;
  }
  auto status = engine.waitFor(id, 120000);
  if (!status.ok()) return 1;
  auto snap = engine.get(id);
  if (!snap.ok()) return 1;
  for (const auto& s : snap->steps) {
    line("STEP " + s.key + " " + std::string(sb::core::stepStatusName(s.status)) + " " +
         std::to_string(s.attempts));
  }
  line("RESULT " + std::string(sb::core::executionStatusName(snap->status)) + " " +
       snap->result_json);
  return 0;
}
