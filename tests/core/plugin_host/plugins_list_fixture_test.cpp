// `switchboard plugins list --json --plugin-dir <fixtures>` run as a real process: every
// broken fixture is listed as failed with its own error, and the command exits 0.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/core/app/subprocess.hpp"
#include "tests/core/plugin_host/fixture_expectations.hpp"

namespace switchboard::testing {
namespace {

std::map<std::string, std::string> isolatedEnv() {
  return {{"SWITCHBOARD_DATA_DIR", ::testing::TempDir() + "/sb_fixture_data"},
          {"SWITCHBOARD_PLUGIN_DIRS", ""},
          {"SWITCHBOARD_LOG_LEVEL", "error"}};
}

// The row of the plugin found in `folder` (bundled plugins are listed too), or null.
const nlohmann::json* rowFor(const nlohmann::json& listed, const std::string& folder) {
  for (const nlohmann::json& item : listed) {
    if (std::filesystem::path(item.at("dir").get<std::string>()).filename() == folder) {
      return &item;
    }
  }
  return nullptr;
}

TEST(PluginsListCommand, ListsEveryFixtureWithItsOwnErrorAndExitsZero) {
  ProcessResult run = runProcess(
      SWITCHBOARD_BINARY, {"plugins", "list", "--json", "--plugin-dir", SWITCHBOARD_FIXTURE_DIR},
      isolatedEnv());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json listed = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_TRUE(listed.is_array()) << run.out;
  for (const FixtureExpectation& expected : fixtureExpectations()) {
    SCOPED_TRACE(expected.folder);
    const nlohmann::json* row = rowFor(listed, expected.folder);
    ASSERT_NE(row, nullptr);
    EXPECT_EQ(row->at("name"), expected.name);
    EXPECT_EQ(row->at("status"), expected.state);
    std::string error = row->at("error");
    if (expected.error.empty()) {
      EXPECT_EQ(error, "");
    } else {
      EXPECT_NE(error.find(expected.error), std::string::npos) << error;
    }
    for (const char* key : {"kind", "version", "description"}) EXPECT_TRUE(row->contains(key));
  }
}

TEST(PluginsListCommand, ConfigFileFeedsThePluginInstanceConfig) {
  std::string config_path = ::testing::TempDir() + "/sb_fixture_config.json";
  std::ofstream(config_path)
      << R"({"plugins":{"config":{"fixture.agent.config_rejected":{"greeting":"hello"}}}})";
  ProcessResult run =
      runProcess(SWITCHBOARD_BINARY,
                 {"--config", config_path, "plugins", "list", "--json", "--plugin-dir",
                  std::string(SWITCHBOARD_FIXTURE_DIR) + "/config_rejected"},
                 isolatedEnv());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json listed = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_TRUE(listed.is_array()) << run.out;
  const nlohmann::json* row = rowFor(listed, "config_rejected");
  ASSERT_NE(row, nullptr) << run.out;
  EXPECT_EQ(row->at("status"), "loaded") << row->at("error");
}

TEST(PluginsListCommand, PluginsFlagEnablesANonDefaultPlugin) {
  ProcessResult run =
      runProcess(SWITCHBOARD_BINARY,
                 {"plugins", "list", "--json", "--plugins", "disabled_by_default", "--plugin-dir",
                  std::string(SWITCHBOARD_FIXTURE_DIR) + "/disabled_by_default"},
                 isolatedEnv());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json listed = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_TRUE(listed.is_array()) << run.out;
  const nlohmann::json* row = rowFor(listed, "disabled_by_default");
  ASSERT_NE(row, nullptr) << run.out;
  EXPECT_EQ(row->at("status"), "loaded") << row->at("error");
}

TEST(PluginsListCommand, TableShowsStateAndError) {
  ProcessResult run =
      runProcess(SWITCHBOARD_BINARY, {"plugins", "list", "--plugin-dir", SWITCHBOARD_FIXTURE_DIR},
                 isolatedEnv());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("NAME"), std::string::npos);
  EXPECT_NE(run.out.find("fixture.agent.good"), std::string::npos);
  EXPECT_NE(run.out.find("undefined symbol: sb_fixture_missing_symbol"), std::string::npos);
  EXPECT_NE(run.out.find("loaded"), std::string::npos);
}

}  // namespace
}  // namespace switchboard::testing
