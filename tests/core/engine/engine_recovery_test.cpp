// Engine durability: restart on the same sqlite file, rewind.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "tests/core/engine/engine_rig.hpp"

namespace switchboard::testing {
namespace {

using core::ExecutionStatus;

std::string tempDb(const std::string& name) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("sb_engine_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::filesystem::path p = dir / name;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(p.string() + suffix);
  return p.string();
}

TEST(EngineRecovery, RestartOnTheSameSqliteFileNeverRerunsSettledSteps) {
  std::string path = tempDb("restart.db");
  std::string id;
  std::map<std::string, int> settled_before;  // key -> attempts
  {
    auto store = openSqliteStore(path);
    ASSERT_TRUE(store.ok()) << store.status().toString();
    Rig rig(store->get());
    rig.addAgent("a", [](const AgentRequest& r, int) { return accumulate(r, 4); });
    id = rig.start("chain", chainParams(40));
    for (int i = 0; i < 400 && rig.get(id).counts.succeeded < 10; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    // The rig (engine included) is destroyed mid-run: nothing more is written.
  }
  {
    auto store = openSqliteStore(path);
    ASSERT_TRUE(store.ok());
    Result<std::vector<StepRecord>> steps = (*store)->steps(id);
    ASSERT_TRUE(steps.ok());
    for (const StepRecord& r : *steps) {
      core::StepState s;
      ASSERT_TRUE(core::decodeStep(r, s).ok());
      if (s.status == StepStatus::kSucceeded) settled_before[s.spec.key] = s.attempts;
    }
  }
  ASSERT_GE(settled_before.size(), 10u);
  ASSERT_LT(settled_before.size(), 40u);

  auto store = openSqliteStore(path);
  ASSERT_TRUE(store.ok());
  Rig rig(store->get());
  auto agent = rig.addAgent("a", [](const AgentRequest& r, int) { return accumulate(r, 1); });
  Result<std::int64_t> resumed = rig.engine->recover();
  ASSERT_TRUE(resumed.ok()) << resumed.status().toString();
  EXPECT_EQ(*resumed, 1);
  ASSERT_EQ(rig.wait(id), ExecutionStatus::kCompleted);
  core::ExecutionSnapshot snap = rig.get(id);
  EXPECT_EQ(nlohmann::json::parse(snap.result_json)["last"]["acc"], 40 * 41 / 2);
  EXPECT_EQ(snap.counts.succeeded, 40);
  for (const std::string& request : agent->requestLog()) {
    std::string key = request.substr(request.find('/') + 1);
    EXPECT_EQ(settled_before.count(key), 0u) << key << " settled before the restart ran again";
  }
  for (const auto& step : snap.steps) {
    auto before = settled_before.find(step.key);
    if (before != settled_before.end()) {
      EXPECT_EQ(step.attempts, before->second) << step.key;
    }
  }
  EXPECT_EQ(static_cast<std::size_t>(agent->totalCalls()), 40 - settled_before.size());
  // Event ids continue after the restart.
  Result<std::vector<core::Event>> events = rig.hub.history(0, 100000, "execution/" + id);
  ASSERT_TRUE(events.ok());
  std::set<std::int64_t> ids;
  for (const auto& e : *events) ids.insert(e.id);
  EXPECT_EQ(ids.size(), events->size());
}

TEST(EngineRecovery, PausedExecutionStaysPausedAfterRecovery) {
  std::string path = tempDb("paused.db");
  std::string id;
  {
    auto store = openSqliteStore(path);
    ASSERT_TRUE(store.ok());
    Rig rig(store->get());
    rig.addAgent("a", [](const AgentRequest& r, int) { return accumulate(r, 5); });
    id = rig.start("chain", chainParams(20));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ASSERT_TRUE(rig.engine->pause(id).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
  }
  auto store = openSqliteStore(path);
  ASSERT_TRUE(store.ok());
  Rig rig(store->get());
  auto agent = rig.addAgent("a", [](const AgentRequest& r, int) { return accumulate(r); });
  ASSERT_TRUE(rig.engine->recover().ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(rig.get(id).status, ExecutionStatus::kPaused);
  EXPECT_EQ(agent->totalCalls(), 0);
  ASSERT_TRUE(rig.engine->resume(id).ok());
  ASSERT_EQ(rig.wait(id), ExecutionStatus::kCompleted);
  EXPECT_EQ(nlohmann::json::parse(rig.get(id).result_json)["last"]["acc"], 210);
}

TEST(EngineRecovery, UnknownPatternAfterRestartFailsWithTheReason) {
  std::string path = tempDb("pattern.db");
  std::string id;
  {
    auto store = openSqliteStore(path);
    ASSERT_TRUE(store.ok());
    Rig rig(store->get());
    rig.addAgent("a", [](const AgentRequest& r, int) { return accumulate(r, 1000); });
    ExecutionInput input;
    input.params_json = chainParams(3);
    Result<std::string> r =
        rig.engine->startExecution("vanished", std::make_shared<ChainPattern>(), input, {});
    ASSERT_TRUE(r.ok());
    id = *r;
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
  }
  auto store = openSqliteStore(path);
  ASSERT_TRUE(store.ok());
  Rig rig(store->get());
  ASSERT_TRUE(rig.engine->recover().ok());
  ASSERT_EQ(rig.wait(id), ExecutionStatus::kFailed);
  EXPECT_NE(rig.get(id).error.find("vanished"), std::string::npos);
}

TEST(EngineRecovery, RewindForksFromTheJournalPrefixAndLeavesTheOriginal) {
  MemoryStore store;
  Rig rig(&store);
  auto agent = rig.addAgent("a", [](const AgentRequest& r, int) { return accumulate(r); });
  std::string id = rig.start("chain", chainParams(6));
  ASSERT_EQ(rig.wait(id), ExecutionStatus::kCompleted);
  core::ExecutionSnapshot original = rig.get(id);

  Result<std::string> fork = rig.engine->rewind(id, "s00003");
  ASSERT_TRUE(fork.ok()) << fork.status().toString();
  ASSERT_EQ(rig.wait(*fork), ExecutionStatus::kCompleted);
  core::ExecutionSnapshot snap = rig.get(*fork);
  EXPECT_EQ(snap.parent_id, id);
  EXPECT_EQ(snap.rewound_from_step, "s00003");
  EXPECT_EQ(snap.result_json, original.result_json);
  EXPECT_EQ(snap.counts.succeeded, 6);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(agent->callsFor(*fork + "/" + stepKey('s', i)), 0);
  for (int i = 3; i < 6; ++i) EXPECT_EQ(agent->callsFor(*fork + "/" + stepKey('s', i)), 1);
  EXPECT_EQ(rig.get(id).toJson(), original.toJson());  // untouched

  EXPECT_EQ(rig.engine->rewind(id, "nope").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(rig.engine->rewind("ex_nope", "s00001").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace switchboard::testing
