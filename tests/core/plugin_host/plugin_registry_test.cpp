#include "core/plugin_host/plugin_registry.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/core/plugin_host/fixture_expectations.hpp"

namespace switchboard::core {
namespace {

const std::filesystem::path kFixtures = SWITCHBOARD_FIXTURE_DIR;
const std::filesystem::path kManifestSchema =
    std::filesystem::path(SWITCHBOARD_SOURCE_DIR) / "schemas/plugin-manifest.schema.json";

class RecordingCallback final : public AgentCallback {
 public:
  void onProgress(std::string_view) noexcept override {}
  void onUsage(const Usage&) noexcept override {}
  void onDone(AgentReply reply) noexcept override {
    done = true;
    output = reply.output_json;
  }
  bool done = false;
  std::string output;
};

bool mapped(const std::string& fragment) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    if (line.find(fragment) != std::string::npos) return true;
  }
  return false;
}

const PluginInfo* find(const std::vector<PluginInfo>& infos, const std::string& folder) {
  for (const PluginInfo& info : infos) {
    if (info.dir.filename() == folder) return &info;
  }
  return nullptr;
}

TEST(PluginRegistry, EveryFixtureGetsItsOwnStateAndError) {
  PluginRegistry registry(nullptr, ::testing::TempDir(), kManifestSchema);
  registry.discover({kFixtures}, {});
  std::vector<PluginInfo> infos = registry.plugins();
  EXPECT_EQ(infos.size(), testing::fixtureExpectations().size());
  for (const testing::FixtureExpectation& expected : testing::fixtureExpectations()) {
    SCOPED_TRACE(expected.folder);
    const PluginInfo* info = find(infos, expected.folder);
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->name, expected.name);
    EXPECT_EQ(pluginStateName(info->state), expected.state);
    if (expected.error.empty()) {
      EXPECT_EQ(info->error, "");
    } else {
      EXPECT_NE(info->error.find(expected.error), std::string::npos) << info->error;
      // Specific: no other fixture's error fragment matches this error.
      for (const testing::FixtureExpectation& other : testing::fixtureExpectations()) {
        if (other.folder == expected.folder || other.error.empty()) continue;
        EXPECT_EQ(info->error.find(other.error), std::string::npos) << other.folder;
      }
    }
  }
  EXPECT_EQ(registry.usable(PluginKind::kAgent), std::vector<std::string>{"fixture.agent.good"});
  EXPECT_TRUE(registry.usable(PluginKind::kStorage).empty());
}

TEST(PluginRegistry, ManifestLoadedFromTheFolderItself) {
  PluginRegistry registry(nullptr, ::testing::TempDir(), kManifestSchema);
  registry.discover({kFixtures / "good"}, {});
  ASSERT_EQ(registry.plugins().size(), 1u);
  Result<PluginInfo> info = registry.info("fixture.agent.good");
  ASSERT_TRUE(info.ok()) << info.status().toString();
  EXPECT_EQ(info->kind, "agent");
  EXPECT_EQ(info->version, "1.0.0");
  EXPECT_EQ(info->config_schema_json, "{}");
}

TEST(PluginRegistry, SelectionEnablesAndDisables) {
  PluginRegistry registry(nullptr, ::testing::TempDir(), kManifestSchema);
  PluginSelection selection;
  selection.enable = {"disabled_by_default"};
  selection.disable = {"fixture.agent.good"};
  registry.discover({kFixtures / "good", kFixtures / "disabled_by_default"}, selection);
  std::vector<PluginInfo> infos = registry.plugins();
  ASSERT_EQ(infos.size(), 2u);
  EXPECT_EQ(infos[0].state, PluginState::kDisabled);
  EXPECT_EQ(infos[0].error, "disabled by configuration (plugins.disable)");
  EXPECT_EQ(infos[1].state, PluginState::kLoaded);
  EXPECT_EQ(registry.usable(PluginKind::kAgent),
            std::vector<std::string>{"fixture.agent.disabled_by_default"});
}

TEST(PluginRegistry, SameFolderTwiceIsScannedOnce) {
  PluginRegistry registry(nullptr, ::testing::TempDir(), kManifestSchema);
  registry.discover({kFixtures / "good", kFixtures / "." / "good"}, {});
  ASSERT_EQ(registry.plugins().size(), 1u);
  EXPECT_EQ(registry.plugins()[0].state, PluginState::kLoaded);
}

TEST(PluginRegistry, CreateValidatesConfigAgainstThePluginSchema) {
  PluginRegistry registry(nullptr, ::testing::TempDir(), kManifestSchema);
  PluginSelection selection;
  selection.configs["fixture.agent.config_rejected"] = R"({"greeting":"hi"})";
  registry.discover({kFixtures / "config_rejected"}, selection);
  ASSERT_EQ(registry.plugins().at(0).state, PluginState::kLoaded) << registry.plugins()[0].error;
  EXPECT_NE(registry.plugins()[0].config_schema_json.find("greeting"), std::string::npos);

  auto rejected = registry.create<AgentType>("fixture.agent.config_rejected", R"({"greeting":7})");
  ASSERT_FALSE(rejected.ok());
  EXPECT_EQ(rejected.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(rejected.status().message().find("/greeting: Value type not permitted"),
            std::string::npos)
      << rejected.status().message();

  auto unknown =
      registry.create<AgentType>("fixture.agent.config_rejected", R"({"greeting":"hi","extra":1})");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("'extra'"), std::string::npos);

  auto not_json = registry.create<AgentType>("fixture.agent.config_rejected", "{greeting");
  ASSERT_FALSE(not_json.ok());
  EXPECT_NE(not_json.status().message().find("is not valid JSON"), std::string::npos);

  auto made = registry.create<AgentType>("fixture.agent.config_rejected", R"({"greeting":"hi"})");
  ASSERT_TRUE(made.ok()) << made.status().toString();
}

TEST(PluginRegistry, PluginWithoutConfigSchemaAcceptsOnlyEmptyObject) {
  PluginRegistry registry(nullptr, ::testing::TempDir(), kManifestSchema);
  registry.discover({kFixtures / "good"}, {});
  auto rejected = registry.create<AgentType>("fixture.agent.good", R"({"a":1})");
  ASSERT_FALSE(rejected.ok());
  EXPECT_NE(rejected.status().message().find("takes no config"), std::string::npos);
  EXPECT_TRUE(registry.create<AgentType>("fixture.agent.good", "{}").ok());
}

TEST(PluginRegistry, CreateReportsUnknownFailedAndWrongKind) {
  PluginRegistry registry(nullptr, ::testing::TempDir(), kManifestSchema);
  registry.discover({kFixtures}, {});
  auto missing = registry.create<AgentType>("fixture.agent.nope", "{}");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "no plugin named 'fixture.agent.nope'");
  auto failed = registry.create<AgentType>("fixture.agent.factory_error", "{}");
  EXPECT_EQ(failed.status().code(), StatusCode::kNotFound);
  EXPECT_NE(failed.status().message().find("is failed: factory of"), std::string::npos);
  auto wrong_kind = registry.create<StorageBackend>("fixture.agent.good", "{}");
  EXPECT_EQ(wrong_kind.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(wrong_kind.status().message(),
            "plugin 'fixture.agent.good' is a agent plugin, not storage");
}

TEST(PluginRegistry, FactoryFailuresComeBackAsStatusWhenProbingIsOff) {
  PluginRegistry registry(nullptr, ::testing::TempDir(), kManifestSchema);
  PluginSelection selection;
  selection.probe = false;
  registry.discover({kFixtures / "factory_throws", kFixtures / "factory_error"}, selection);
  auto thrown = registry.create<AgentType>("fixture.agent.factory_throws", "{}");
  EXPECT_EQ(thrown.status().code(), StatusCode::kInternal);
  EXPECT_EQ(thrown.status().message(),
            "factory of fixture.agent.factory_throws failed: plugin factory threw: fixture "
            "factory exploded");
  auto refused = registry.create<AgentType>("fixture.agent.factory_error", "{}");
  EXPECT_EQ(refused.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(refused.status().message(),
            "factory of fixture.agent.factory_error failed: fixture factory refused");
}

TEST(PluginRegistry, LibraryStaysLoadedWhileAnObjectLives) {
  const std::string library = "fixture_good.so";
  ASSERT_FALSE(mapped(library));
  std::shared_ptr<AgentType> type;
  {
    PluginRegistry registry(nullptr, ::testing::TempDir(), kManifestSchema);
    registry.discover({kFixtures / "good"}, {});
    auto made = registry.create<AgentType>("fixture.agent.good", "{}");
    ASSERT_TRUE(made.ok()) << made.status().toString();
    type = *made;
  }
  // The registry is gone; the object (code in the library) must still work.
  ASSERT_TRUE(mapped(library));
  EXPECT_EQ(type->agentConfigSchema(), "{\"type\":\"object\"}");
  auto agent = type->createAgent(AgentSpec{});
  ASSERT_TRUE(agent.ok());
  std::shared_ptr<Agent> held = holdWith(type, std::move(*agent));
  type.reset();
  ASSERT_TRUE(mapped(library));  // held keeps the type, which keeps the library
  auto callback = std::make_shared<RecordingCallback>();
  AgentRequest request;
  request.request_id = "r1";
  auto call = held->call(request, callback);
  ASSERT_TRUE(call.ok());
  EXPECT_TRUE(callback->done);
  EXPECT_EQ(callback->output, R"({"text":"echo: r1","config":{}})");
  call->reset();
  held.reset();
  EXPECT_FALSE(mapped(library));
}

TEST(PluginRegistry, OnFirstUseKindsAreCheckedAtDiscoverAndLoadedByTheFirstCreate) {
  PluginRegistry registry(nullptr, ::testing::TempDir(), kManifestSchema);
  PluginSelection selection;
  selection.on_first_use = {PluginKind::kAgent};
  registry.discover({kFixtures / "good", kFixtures / "unresolved_symbol",
                     kFixtures / "wrong_abi_manifest", kFixtures / "missing_library"},
                    selection);
  auto state = [&](const std::string& folder) {
    std::vector<PluginInfo> infos = registry.plugins();
    const PluginInfo* info = find(infos, folder);
    return info == nullptr ? std::string("absent") : std::string(pluginStateName(info->state));
  };
  // What can be checked without running plugin code fails at discover...
  EXPECT_EQ(state("wrong_abi_manifest"), "failed");
  EXPECT_EQ(state("missing_library"), "failed");
  // ...and the rest waits, unloaded, for its first use.
  EXPECT_EQ(state("good"), "available");
  EXPECT_EQ(state("unresolved_symbol"), "available");
  EXPECT_FALSE(mapped("fixture_good.so"));
  EXPECT_EQ(registry.usable(PluginKind::kAgent),
            (std::vector<std::string>{"fixture.agent.good", "fixture.agent.unresolved_symbol"}));
  ASSERT_TRUE(registry.info("fixture.agent.good").ok());

  auto made = registry.create<AgentType>("fixture.agent.good", "{}");
  ASSERT_TRUE(made.ok()) << made.status().toString();
  EXPECT_EQ(state("good"), "loaded");
  EXPECT_TRUE(mapped("fixture_good.so"));
  EXPECT_EQ((*made)->agentConfigSchema(), "{\"type\":\"object\"}");

  // A library that cannot load fails its first create with the loader's error, and stays
  // failed.
  auto broken = registry.create<AgentType>("fixture.agent.unresolved_symbol", "{}");
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(broken.status().message().find("plugin 'fixture.agent.unresolved_symbol' failed to "
                                           "load: cannot load library: "),
            std::string::npos)
      << broken.status().message();
  EXPECT_NE(broken.status().message().find("undefined symbol: sb_fixture_missing_symbol"),
            std::string::npos);
  EXPECT_EQ(state("unresolved_symbol"), "failed");
  EXPECT_EQ(registry.usable(PluginKind::kAgent), std::vector<std::string>{"fixture.agent.good"});
  auto again = registry.create<AgentType>("fixture.agent.unresolved_symbol", "{}");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kNotFound);
  EXPECT_NE(again.status().message().find("is failed: cannot load library"), std::string::npos)
      << again.status().message();
}

TEST(PluginRegistry, ConcurrentFirstCreatesLoadTheLibraryOnce) {
  PluginRegistry registry(nullptr, ::testing::TempDir(), kManifestSchema);
  PluginSelection selection;
  selection.on_first_use = {PluginKind::kAgent};
  registry.discover({kFixtures / "good"}, selection);
  std::vector<std::shared_ptr<AgentType>> made(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < made.size(); ++i) {
    threads.emplace_back([&, i] {
      auto type = registry.create<AgentType>("fixture.agent.good", "{}");
      if (type.ok()) made[i] = *type;
    });
  }
  for (std::thread& t : threads) t.join();
  for (const auto& type : made) ASSERT_NE(type, nullptr);
  ASSERT_EQ(registry.plugins().size(), 1u);
  EXPECT_EQ(registry.plugins()[0].state, PluginState::kLoaded);
}

TEST(PluginRegistry, MissingManifestSchemaFailsEveryPlugin) {
  PluginRegistry registry(nullptr, ::testing::TempDir(), "/nonexistent/schema.json");
  EXPECT_FALSE(registry.manifestSchemaStatus().ok());
  registry.discover({kFixtures / "good"}, {});
  ASSERT_EQ(registry.plugins().size(), 1u);
  EXPECT_EQ(registry.plugins()[0].state, PluginState::kFailed);
  EXPECT_NE(registry.plugins()[0].error.find("plugin manifest schema unavailable"),
            std::string::npos);
}

TEST(PluginRegistry, MissingFolderIsSkipped) {
  PluginRegistry registry(nullptr, ::testing::TempDir(), kManifestSchema);
  registry.discover({"/nonexistent/plugins"}, {});
  EXPECT_TRUE(registry.plugins().empty());
}

}  // namespace
}  // namespace switchboard::core
