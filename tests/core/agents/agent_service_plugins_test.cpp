// AgentService and TaskService on the real plugins, loaded through the PluginRegistry:
// the scripted agent type, and the sqlite (a real file) and memory storage backends.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <thread>

#include "core/agents/agent_service.hpp"
#include "core/agents/plugin_agent_types.hpp"
#include "core/plugin_host/plugin_registry.hpp"
#include "core/tasks/task_service.hpp"

namespace switchboard::testing {
namespace {

using core::AgentStatus;
namespace fs = std::filesystem;

const fs::path kPluginDir = fs::path(SWITCHBOARD_BUILD_DIR) / "plugins";
const fs::path kManifestSchema =
    fs::path(SWITCHBOARD_SOURCE_DIR) / "schemas/plugin-manifest.schema.json";

class AgentServicePluginsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("agents_plugins_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    registry_ = std::make_unique<core::PluginRegistry>(nullptr, dir_, kManifestSchema);
    registry_->discover({kPluginDir / "agent_scripted", kPluginDir / "storage_sqlite",
                         kPluginDir / "storage_memory"},
                        {});
    for (const char* name : {"switchboard.agent.scripted", "switchboard.storage.sqlite",
                             "switchboard.storage.memory"}) {
      Result<core::PluginInfo> info = registry_->info(name);
      ASSERT_TRUE(info.ok()) << name << ": " << info.status().toString();
    }
    types_ = std::make_unique<core::PluginAgentTypes>(registry_.get(),
                                                      std::map<std::string, std::string>{});
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::shared_ptr<StorageBackend> sqlite() {
    nlohmann::json config{{"path", (dir_ / "switchboard.db").string()}};
    Result<std::shared_ptr<StorageBackend>> store =
        registry_->create<StorageBackend>("switchboard.storage.sqlite", config.dump());
    EXPECT_TRUE(store.ok()) << store.status().toString();
    return store.ok() ? *store : nullptr;
  }

  core::AgentCreateRequest scripted(const std::string& name, nlohmann::json config) {
    core::AgentCreateRequest r;
    r.name = name;
    r.type = "scripted";
    r.capabilities = {"answer"};
    r.config = std::move(config);
    return r;
  }

  fs::path dir_;
  std::unique_ptr<core::PluginRegistry> registry_;
  std::unique_ptr<core::PluginAgentTypes> types_;
};

TEST_F(AgentServicePluginsTest, AskGetsTheScriptedReply) {
  Result<std::shared_ptr<StorageBackend>> memory =
      registry_->create<StorageBackend>("switchboard.storage.memory", "{}");
  ASSERT_TRUE(memory.ok()) << memory.status().toString();
  core::AgentService agents(types_.get(), *memory, nullptr);
  nlohmann::json config{{"rules", {{{"match", "capital"}, {"reply", "Paris"}}}},
                        {"default_reply", {{"answer", 42}}},
                        {"usage", {{"input_tokens", 3}, {"output_tokens", 4}, {"cost_usd", 0.01}}}};
  Result<core::AgentRecord> a = agents.create(scripted("oracle", config));
  ASSERT_TRUE(a.ok()) << a.status().toString();
  EXPECT_EQ(a->type, "switchboard.agent.scripted");

  Result<core::AskResult> r =
      agents.ask("oracle", "What is the capital of France?", std::chrono::seconds(10));
  ASSERT_TRUE(r.ok()) << r.status().toString();
  ASSERT_TRUE(r->status.ok()) << r->status.toString();
  EXPECT_EQ(r->text, "Paris");
  EXPECT_EQ(r->usage.input_tokens, 3);
  r = agents.ask("oracle", "something else", std::chrono::seconds(10));
  ASSERT_TRUE(r.ok() && r->status.ok());
  EXPECT_EQ(r->output, nlohmann::json({{"answer", 42}}));
  core::AgentRecord after = agents.get("oracle").value();
  EXPECT_EQ(after.counters.successes, 2);
  EXPECT_EQ(after.counters.output_tokens, 8);

  // The scripted type's own schema rejects a bad config.
  Result<core::AgentRecord> bad = agents.create(scripted("bad", {{"latency_ms", -1}}));
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  Result<core::AgentRecord> unknown = agents.create(scripted("bad2", {{"no_such_key", 1}}));
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(AgentServicePluginsTest, ScriptedFailuresAndTimeoutsAreReported) {
  core::AgentService agents(types_.get(), sqlite(), nullptr);
  ASSERT_TRUE(
      agents.create(scripted("flaky", {{"fail", {{"rate", 1.0}, {"message", "injected"}}}})).ok());
  Result<core::AskResult> r = agents.ask("flaky", "x", std::chrono::seconds(10));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->status.ok());
  EXPECT_NE(r->status.message().find("injected"), std::string::npos) << r->status.toString();
  ASSERT_TRUE(agents.create(scripted("slow", {{"latency_ms", 60000}})).ok());
  auto start = std::chrono::steady_clock::now();
  r = agents.ask("slow", "x", std::chrono::milliseconds(100));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status.code(), StatusCode::kDeadlineExceeded);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(agents.get("slow")->in_flight, 0);
}

TEST_F(AgentServicePluginsTest, AgentsAndTasksSurviveARestartOnSqlite) {
  std::string agent_id;
  std::string t1;
  std::string t2;
  {
    std::shared_ptr<StorageBackend> store = sqlite();
    core::AgentService agents(types_.get(), store, nullptr);
    core::TaskService tasks(store, nullptr);
    Result<core::AgentRecord> a = agents.create(scripted("keeper", {{"default_reply", "kept"}}));
    ASSERT_TRUE(a.ok()) << a.status().toString();
    agent_id = a->id;
    ASSERT_TRUE(agents.create(scripted("pausing", nlohmann::json::object())).ok());
    ASSERT_TRUE(agents.control("pausing", core::AgentAction::kPause).ok());
    ASSERT_TRUE(agents.ask(agent_id, "hi", std::chrono::seconds(10)).ok());
    core::TaskCreateRequest r;
    r.title = "first";
    t1 = tasks.create(r).value().id;
    r.title = "second";
    r.depends_on = {t1};
    t2 = tasks.create(r).value().id;
    ASSERT_TRUE(tasks.markRunning(t1, agent_id).ok());
    ASSERT_TRUE(tasks.setResult(t1, core::TaskStatus::kCompleted, {{"text", "one"}}).ok());
  }
  ASSERT_TRUE(fs::exists(dir_ / "switchboard.db"));
  std::shared_ptr<StorageBackend> store = sqlite();
  core::AgentService agents(types_.get(), store, nullptr);
  core::TaskService tasks(store, nullptr);
  ASSERT_EQ(agents.load().value(), 2);
  ASSERT_EQ(tasks.load().value(), 2);
  core::AgentRecord a = agents.get("keeper").value();
  EXPECT_EQ(a.id, agent_id);
  EXPECT_EQ(a.status, AgentStatus::kIdle);
  EXPECT_EQ(a.counters.successes, 1);
  EXPECT_EQ(agents.get("pausing")->status, AgentStatus::kPaused);
  Result<core::AskResult> r = agents.ask("keeper", "again", std::chrono::seconds(10));
  ASSERT_TRUE(r.ok() && r->status.ok());
  EXPECT_EQ(r->text, "kept");
  EXPECT_EQ(tasks.get(t1)->result, nlohmann::json({{"text", "one"}}));
  EXPECT_EQ(tasks.get(t2)->status, core::TaskStatus::kReady);
}

}  // namespace
}  // namespace switchboard::testing
