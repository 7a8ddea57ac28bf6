// The engine over the real bundled plugins, loaded through PluginRegistry from
// <build>/plugins: storage sqlite, agent scripted, workflow sequential.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/engine/engine.hpp"
#include "core/events/event_hub.hpp"
#include "core/plugin_host/plugin_registry.hpp"
#include "tests/core/engine/support/test_agents.hpp"

namespace switchboard::testing {
namespace {

using core::ExecutionStatus;

struct Plugins {
  Plugins()
      : registry(
            nullptr, std::filesystem::temp_directory_path(),
            std::filesystem::path(SWITCHBOARD_SOURCE_DIR) / "schemas/plugin-manifest.schema.json") {
    registry.discover({std::filesystem::path(SWITCHBOARD_BUILD_DIR) / "plugins"}, {});
  }
  std::shared_ptr<StorageBackend> sqlite(const std::string& path) {
    auto s = registry.create<StorageBackend>("switchboard.storage.sqlite",
                                             "{\"path\":" + nlohmann::json(path).dump() + "}");
    EXPECT_TRUE(s.ok()) << s.status().toString();
    return s.ok() ? *s : nullptr;
  }
  std::shared_ptr<Agent> scripted(const std::string& id, const std::string& config) {
    auto type = registry.create<AgentType>("switchboard.agent.scripted", "{}");
    EXPECT_TRUE(type.ok()) << type.status().toString();
    if (!type.ok()) return nullptr;
    AgentSpec spec;
    spec.id = id;
    spec.name = id;
    spec.config_json = config;
    auto agent = (*type)->createAgent(spec);
    EXPECT_TRUE(agent.ok()) << agent.status().toString();
    if (!agent.ok()) return nullptr;
    return core::holdWith(*type, std::move(*agent));
  }
  std::shared_ptr<WorkflowPattern> sequential() {
    auto p = registry.create<WorkflowPattern>("switchboard.workflow.sequential", "{}");
    EXPECT_TRUE(p.ok()) << p.status().toString();
    return p.ok() ? *p : nullptr;
  }
  core::PluginRegistry registry;
};

std::string freshDb(const std::string& name) {
  auto dir =
      std::filesystem::temp_directory_path() / ("sb_engine_plugins_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string p = (dir / name).string();
  for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(p + s);
  return p;
}

std::string steps(int n, const std::string& agent) {
  nlohmann::json list = nlohmann::json::array();
  for (int i = 0; i < n; ++i)
    list.push_back({{"agent", agent}, {"prompt", "step " + std::to_string(i)}});
  return nlohmann::json{{"steps", list}}.dump();
}

struct PluginRig {
  PluginRig(Plugins& plugins, StorageBackend* store) : hub(store) {
    EXPECT_TRUE(hub.open().ok());
    pattern = plugins.sequential();
    core::EngineConfig config;
    config.storage = store;
    config.directory = &directory;
    config.events = &hub;
    config.resolver =
        [p = pattern](const std::string& name) -> Result<std::shared_ptr<WorkflowPattern>> {
      if (name != "sequential") return Status::notFound("no pattern " + name);
      return p;
    };
    engine = std::make_unique<core::Engine>(config);
  }
  ~PluginRig() { engine.reset(); }
  TestDirectory directory;
  core::EventHub hub;
  std::shared_ptr<WorkflowPattern> pattern;
  std::unique_ptr<core::Engine> engine;
};

TEST(EnginePlugins, SequentialOverScriptedAgentsOnSqliteWithInjectedFailures) {
  Plugins plugins;
  auto store = plugins.sqlite(freshDb("run.db"));
  ASSERT_TRUE(store);
  PluginRig run(plugins, store.get());
  auto agent = plugins.scripted("w", R"({"latency_ms":1,"default_reply":{"ok":true},
      "fail":{"first_attempts":1},"usage":{"input_tokens":3,"cost_usd":0.01}})");
  ASSERT_TRUE(agent);
  run.directory.add("w", agent);
  ExecutionInput input;
  input.params_json = steps(25, "w");
  core::ExecutionOptions options;
  options.backoff = {1, 2.0, 5, 0.0};
  auto id = run.engine->startExecution("sequential", run.pattern, input, options);
  ASSERT_TRUE(id.ok()) << id.status().toString();
  auto status = run.engine->waitFor(*id, 20000);
  ASSERT_TRUE(status.ok());
  auto snap = run.engine->get(*id);
  ASSERT_TRUE(snap.ok());
  ASSERT_EQ(*status, ExecutionStatus::kCompleted) << snap->error;
  EXPECT_EQ(snap->counts.succeeded, 25);
  for (const auto& s : snap->steps)
    EXPECT_EQ(s.attempts, 2) << s.key;  // first attempt injected to fail
  EXPECT_EQ(run.directory.finishedCalls("w"), 50);
}

TEST(EnginePlugins, RestartOnThePluginSqliteFileKeepsSettledSteps) {
  Plugins plugins;
  std::string path = freshDb("restart.db");
  std::string id;
  std::map<std::string, int> before;
  {
    auto store = plugins.sqlite(path);
    ASSERT_TRUE(store);
    PluginRig run(plugins, store.get());
    run.directory.add("w", plugins.scripted("w", R"({"latency_ms":5})"));
    ExecutionInput input;
    input.params_json = steps(40, "w");
    auto r = run.engine->startExecution("sequential", run.pattern, input, {});
    ASSERT_TRUE(r.ok());
    id = *r;
    for (int i = 0; i < 500; ++i) {
      auto s = run.engine->get(id, false);
      if (s.ok() && s->counts.succeeded >= 10) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  auto store = plugins.sqlite(path);
  ASSERT_TRUE(store);
  PluginRig run(plugins, store.get());
  run.directory.add("w", plugins.scripted("w", R"({"latency_ms":1})"));
  // What the file holds after the stop, read before recovery: a step may still have
  // settled between a snapshot of the running engine and its stop.
  {
    auto s = run.engine->get(id);
    ASSERT_TRUE(s.ok());
    for (const auto& step : s->steps) {
      if (step.status == StepStatus::kSucceeded) before[step.key] = step.attempts;
    }
  }
  ASSERT_GE(before.size(), 10u);
  auto resumed = run.engine->recover();
  ASSERT_TRUE(resumed.ok()) << resumed.status().toString();
  EXPECT_EQ(*resumed, 1);
  auto status = run.engine->waitFor(id, 20000);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(*status, ExecutionStatus::kCompleted);
  auto snap = run.engine->get(id);
  ASSERT_TRUE(snap.ok());
  EXPECT_EQ(snap->counts.succeeded, 40);
  for (const auto& step : snap->steps) {
    auto b = before.find(step.key);
    if (b != before.end()) {
      EXPECT_EQ(step.attempts, b->second) << step.key;
    }
  }
  // Only the steps that had not settled were called after the restart.
  EXPECT_EQ(static_cast<std::size_t>(run.directory.finishedCalls("w")), 40 - before.size());
}

}  // namespace
}  // namespace switchboard::testing
