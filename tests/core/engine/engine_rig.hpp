// A test rig: a store, agents, an event hub and an engine, destroyed in a safe order.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/engine/engine.hpp"
#include "core/events/event_hub.hpp"
#include "tests/core/engine/support/test_agents.hpp"
#include "tests/core/engine/support/test_patterns.hpp"
#include "tests/core/engine/support/test_storage.hpp"

namespace switchboard::testing {

struct Rig {
  explicit Rig(StorageBackend* store, std::int32_t global_cap = 1024,
               std::size_t keep_terminal = 256)
      : hub(store) {
    EXPECT_TRUE(hub.open().ok());
    core::EngineConfig config;
    config.storage = store;
    config.directory = &directory;
    config.events = &hub;
    config.resolver = resolveTestPattern;
    config.global_max_concurrency = global_cap;
    config.max_terminal_in_memory = keep_terminal;
    engine = std::make_unique<core::Engine>(config);
  }
  ~Rig() { engine.reset(); }

  std::shared_ptr<TestAgent> addAgent(const std::string& id, TestAgent::Script script) {
    auto agent = std::make_shared<TestAgent>(std::move(script), &scheduler);
    directory.add(id, agent);
    return agent;
  }

  std::string start(const std::string& pattern, const std::string& params,
                    core::ExecutionOptions options = {}) {
    ExecutionInput input;
    input.params_json = params;
    Result<std::shared_ptr<WorkflowPattern>> p = resolveTestPattern(pattern);
    EXPECT_TRUE(p.ok());
    Result<std::string> id = engine->startExecution(pattern, *p, input, options);
    EXPECT_TRUE(id.ok()) << id.status().toString();
    return id.ok() ? *id : std::string();
  }

  core::ExecutionStatus wait(const std::string& id, std::int64_t ms = 10000) {
    Result<core::ExecutionStatus> s = engine->waitFor(id, ms);
    EXPECT_TRUE(s.ok()) << s.status().toString();
    return s.ok() ? *s : core::ExecutionStatus::kQueued;
  }

  core::ExecutionSnapshot get(const std::string& id) {
    Result<core::ExecutionSnapshot> s = engine->get(id);
    EXPECT_TRUE(s.ok()) << s.status().toString();
    return s.ok() ? *s : core::ExecutionSnapshot{};
  }

  TestDirectory directory;
  Scheduler scheduler;
  core::EventHub hub;
  std::unique_ptr<core::Engine> engine;
};

// A script that answers every request with an empty output after `delay_ms`.
inline TestAgent::Script answersAfter(std::int64_t delay_ms) {
  return [delay_ms](const AgentRequest&, int) {
    Behaviour b;
    b.delay_ms = delay_ms;
    return b;
  };
}

// Replies {"acc": prev.acc + i} so a chain's result depends on every step.
inline Behaviour accumulate(const AgentRequest& request, std::int64_t delay_ms = 0) {
  nlohmann::json in = nlohmann::json::parse(request.input_json, nullptr, false);
  std::int64_t acc = 0;
  if (in.is_object() && in["prev"].is_object()) acc = in["prev"].value("acc", std::int64_t{0});
  Behaviour b;
  b.delay_ms = delay_ms;
  b.output_json = "{\"acc\":" + std::to_string(acc + in.value("i", 0) + 1) + "}";
  b.usage.input_tokens = 10;
  b.usage.output_tokens = 5;
  b.usage.cost_usd = 0.001;
  return b;
}

inline std::string chainParams(int n, const std::string& extra = "") {
  return "{\"n\":" + std::to_string(n) + ",\"agent\":\"a\"" + extra + "}";
}

}  // namespace switchboard::testing
