// Crash recovery at the process level: a 200-step sequential execution on sqlite runs in
// `switchboard serve --http`; the server is SIGKILLed mid-run and started again on the
// same data directory. The execution then completes with the same result as an
// uninterrupted run in another data directory, and no step whose settle was durable
// before the kill ran again.
//
// What was durable at the kill is read from the store itself (the sqlite plugin opened in
// this process after the kill, before the restart), not from an earlier execution_get:
// steps may settle between that read and the kill. The proof that no settled step ran
// again is twofold: each such step keeps attempts 1 and the very output and timestamps
// journaled before the kill, and the agents' request counters grow in the restarted
// process by exactly the number of steps that were not settled in the journal.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "core/plugin_host/plugin_registry.hpp"
#include "switchboard/storage.hpp"
#include "tests/core/surface/gateway_harness.hpp"
#include "tests/core/surface/serve_process.hpp"

namespace switchboard::core::testing {
namespace {

constexpr int kSteps = 200;
constexpr int kKillAfterSettled = 40;
constexpr auto kRunDeadline = std::chrono::seconds(40);

bool settledStatus(const std::string& status) { return status != "pending" && status != "running"; }

// The store of a data directory no server is using, read through the sqlite plugin.
struct StoredState {
  std::map<std::string, json> steps;  // the journal of one execution, by step key
  std::int64_t agent_requests = 0;    // sum of the stored counters of the given agents
  int settled = 0;
  int running = 0;
};

StoredState readStore(const std::filesystem::path& data_dir, const std::string& execution_id,
                      const std::vector<std::string>& agent_ids) {
  StoredState out;
  PluginRegistry registry(nullptr, data_dir,
                          GatewayHarness::schemaDir() / "plugin-manifest.schema.json");
  PluginSelection selection;
  selection.probe = false;
  registry.discover({std::filesystem::path(SWITCHBOARD_BUILD_DIR) / "plugins" / "storage_sqlite"},
                    selection);
  Result<std::shared_ptr<StorageBackend>> store =
      registry.create<StorageBackend>("switchboard.storage.sqlite", "{}");
  EXPECT_TRUE(store.ok()) << store.status().toString();
  if (!store.ok()) return out;
  Result<std::vector<StepRecord>> steps = (*store)->steps(execution_id);
  EXPECT_TRUE(steps.ok()) << steps.status().toString();
  for (const StepRecord& r : steps.ok() ? *steps : std::vector<StepRecord>{}) {
    json step = json::parse(r.json, nullptr, false);
    EXPECT_TRUE(step.is_object()) << r.json;
    if (!step.is_object()) continue;
    const std::string status = step.value("status", "");
    if (status == "running") ++out.running;
    if (settledStatus(status)) ++out.settled;
    out.steps[r.key] = std::move(step);
  }
  for (const std::string& id : agent_ids) {
    Result<std::optional<std::string>> agent = (*store)->get("agents", id);
    EXPECT_TRUE(agent.ok() && agent->has_value()) << "agent " << id;
    if (!agent.ok() || !agent->has_value()) continue;
    json record = json::parse(**agent, nullptr, false);
    if (record.is_object() && record["counters"].is_object()) {
      out.agent_requests += record["counters"].value("requests", std::int64_t{0});
    }
  }
  return out;
}

// Two scripted agents that echo the prompt ({"text": prompt}) after 8 ms; returns their ids.
std::vector<std::string> createAgents(McpHttpClient& client) {
  std::vector<std::string> ids;
  for (const char* name : {"left", "right"}) {
    json agent = client.call(
        "agent_create",
        {{"name", name},
         {"type", "scripted"},
         {"config", {{"latency_ms", 8}, {"usage", {{"input_tokens", 3}, {"output_tokens", 5}}}}}});
    EXPECT_FALSE(agent.value("isError", false)) << agent.dump();
    ids.push_back(agent["structuredContent"]["agent"].value("id", ""));
  }
  return ids;
}

// Starts the 200-step chain (without waiting); returns the execution id. Each step sees
// the previous step's output, so the journal's inputs show the order the chain ran in.
std::string startChain(McpHttpClient& client, const std::vector<std::string>& agents) {
  json steps = json::array();
  for (int i = 1; i <= kSteps; ++i) {
    steps.push_back({{"prompt", "link " + std::to_string(i) + " of the chain"}});
  }
  json run = client.call(
      "workflow_run",
      {{"pattern", "sequential"}, {"agents", agents}, {"params", {{"steps", std::move(steps)}}}});
  EXPECT_FALSE(run.value("isError", false)) << run.dump();
  return run["structuredContent"]["execution"].value("id", "");
}

json getExecution(McpHttpClient& client, const std::string& id, bool with_steps) {
  json got = client.call("execution_get", {{"execution_id", id}, {"include_steps", with_steps}});
  EXPECT_FALSE(got.value("isError", false)) << got.dump();
  return got["structuredContent"]["execution"];
}

// Polls execution_get (without steps) until `done` holds or the deadline passes; the last view.
json pollExecution(McpHttpClient& client, const std::string& id,
                   const std::function<bool(const json&)>& done) {
  const auto deadline = std::chrono::steady_clock::now() + kRunDeadline;
  json view;
  while (std::chrono::steady_clock::now() < deadline) {
    view = getExecution(client, id, false);
    if (!view.is_object() || done(view)) return view;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));  // poll interval, not a sync
  }
  ADD_FAILURE() << "deadline passed; last view: " << view.dump();
  return view;
}

bool terminal(const json& execution) {
  const std::string status = execution.value("status", "");
  return status != "queued" && status != "running";
}

std::map<std::string, json> stepsByKey(const json& execution) {
  std::map<std::string, json> out;
  for (const json& step : execution.value("steps", json::array())) out[step["key"]] = step;
  return out;
}

std::int64_t requestsNow(McpHttpClient& client, const std::vector<std::string>& agents) {
  std::int64_t total = 0;
  for (const std::string& id : agents) {
    json agent = client.call("agent_get", {{"agent_id", id}});
    EXPECT_FALSE(agent.value("isError", false)) << agent.dump();
    total += agent["structuredContent"]["agent"]["counters"].value("requests", std::int64_t{0});
  }
  return total;
}

TEST(GatewayCrashTest, SigkillMidRunResumesWithoutRerunningSettledSteps) {
  // The uninterrupted run, for comparison.
  TempDir calm_dir;
  json calm;
  StoredState calm_store;
  {
    ServerProcess server(calm_dir.path());
    ASSERT_GT(server.port(), 0) << server.log();
    McpHttpClient client(server.port());
    ASSERT_TRUE(client.initialize());
    std::vector<std::string> agents = createAgents(client);
    std::string id = startChain(client, agents);
    ASSERT_FALSE(id.empty());
    ASSERT_EQ(pollExecution(client, id, terminal).value("status", ""), "completed");
    calm = getExecution(client, id, true);
    EXPECT_EQ(requestsNow(client, agents), kSteps);
    ASSERT_EQ(server.stop(), 0) << server.log();
    calm_store = readStore(calm_dir.path(), id, agents);
  }
  ASSERT_EQ(calm_store.steps.size(), static_cast<std::size_t>(kSteps));

  // The same chain, killed once some steps have settled.
  TempDir dir;
  std::vector<std::string> agents;
  std::string id;
  {
    ServerProcess server(dir.path());
    ASSERT_GT(server.port(), 0) << server.log();
    McpHttpClient client(server.port());
    ASSERT_TRUE(client.initialize());
    agents = createAgents(client);
    id = startChain(client, agents);
    ASSERT_FALSE(id.empty());
    json seen = pollExecution(client, id, [](const json& e) {
      return terminal(e) || e["progress"].value("settled", 0) >= kKillAfterSettled;
    });
    ASSERT_EQ(seen.value("status", ""), "running")
        << "the chain ended before the kill; it must still be running: " << seen.dump();
    ASSERT_TRUE(server.kill()) << server.log();
  }

  // What the kill left in the store.
  StoredState at_kill = readStore(dir.path(), id, agents);
  // execution_get may show a settle whose batch is still being committed: at most one here.
  EXPECT_GE(at_kill.settled, kKillAfterSettled - 1);
  ASSERT_LT(at_kill.settled, kSteps) << "the journal says the chain had finished";
  EXPECT_EQ(at_kill.running, 1) << "a sequential chain has exactly one step in flight";
  for (const auto& [key, step] : at_kill.steps) {
    if (!settledStatus(step.value("status", ""))) continue;
    EXPECT_EQ(step.value("status", ""), "succeeded") << step.dump();
    EXPECT_EQ(step.value("attempts", 0), 1) << step.dump();
  }

  // Restart on the same data directory: the engine recovers the execution on start.
  json final_view;
  {
    ServerProcess server(dir.path());
    ASSERT_GT(server.port(), 0) << "the restart failed: " << server.log();
    McpHttpClient client(server.port());
    ASSERT_TRUE(client.initialize());
    json ended = pollExecution(client, id, terminal);
    ASSERT_EQ(ended.value("status", ""), "completed") << ended.dump();
    final_view = getExecution(client, id, true);

    // Only the steps not settled in the journal were asked of an agent again.
    EXPECT_EQ(requestsNow(client, agents) - at_kill.agent_requests, kSteps - at_kill.settled)
        << "agent calls after the restart; " << at_kill.settled << " steps had settled";
    ASSERT_EQ(server.stop(), 0) << server.log();
  }

  // Same result and usage as the uninterrupted run.
  EXPECT_EQ(final_view["result"], calm["result"]);
  EXPECT_EQ(final_view["usage"]["input_tokens"], calm["usage"]["input_tokens"]);
  EXPECT_EQ(final_view["usage"]["output_tokens"], calm["usage"]["output_tokens"]);
  EXPECT_EQ(final_view["progress"]["succeeded"], kSteps);

  // Step by step, as execution_get shows them: settled before the kill means untouched;
  // in flight at the kill means a second attempt; the rest ran once.
  std::map<std::string, json> shown = stepsByKey(final_view);
  std::map<std::string, json> calm_shown = stepsByKey(calm);
  ASSERT_EQ(shown.size(), static_cast<std::size_t>(kSteps));
  int rerun = 0;
  for (const auto& [key, step] : shown) {
    EXPECT_EQ(step.value("status", ""), "succeeded") << step.dump();
    EXPECT_EQ(step["output"], calm_shown[key]["output"]) << key;
    auto journaled = at_kill.steps.find(key);
    if (journaled == at_kill.steps.end() || journaled->second["status"] == "pending") {
      EXPECT_EQ(step.value("attempts", 0), 1) << step.dump();
    } else if (journaled->second["status"] == "running") {
      ++rerun;
      EXPECT_EQ(step.value("attempts", 0), journaled->second.value("attempts", 0) + 1)
          << "the step in flight at the kill shows its second attempt: " << step.dump();
    } else {
      EXPECT_EQ(step.value("attempts", 0), 1) << "settled before the kill: " << step.dump();
      EXPECT_EQ(step["output"], journaled->second["output"]) << key;
    }
  }
  EXPECT_EQ(rerun, at_kill.running);

  // The final journal: steps settled before the kill kept their record (their times were
  // not rewritten by a second run), and every step saw the same input, hence the same
  // predecessor's output, as in the uninterrupted run.
  StoredState after = readStore(dir.path(), id, agents);
  ASSERT_EQ(after.steps.size(), static_cast<std::size_t>(kSteps));
  for (const auto& [key, step] : after.steps) {
    EXPECT_EQ(step["input"], calm_store.steps[key]["input"]) << key;
    EXPECT_EQ(step["output"], calm_store.steps[key]["output"]) << key;
    const json& before = at_kill.steps[key];
    if (before.is_object() && settledStatus(before.value("status", ""))) {
      for (const char* field : {"attempts", "output", "started_at_ms", "ended_at_ms"}) {
        EXPECT_EQ(step[field], before[field])
            << key << " changed " << field << " after the restart";
      }
    }
  }
  for (int i = 2; i <= kSteps; ++i) {
    const json& step = after.steps["step-" + std::to_string(i)];
    EXPECT_EQ(step["input"]["previous"], after.steps["step-" + std::to_string(i - 1)]["output"])
        << "step " << i << " did not see its predecessor's output";
  }
}

}  // namespace
}  // namespace switchboard::core::testing
