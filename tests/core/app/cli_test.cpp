// The real `switchboard` binary, run as a process.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "switchboard/version.hpp"
#include "tests/core/app/subprocess.hpp"

namespace switchboard::testing {
namespace {

std::map<std::string, std::string> isolatedEnv() {
  return {{"SWITCHBOARD_DATA_DIR", ::testing::TempDir() + "/sb_cli_data"},
          {"SWITCHBOARD_PLUGIN_DIRS", ""},
          {"SWITCHBOARD_LOG_LEVEL", ""},
          {"SWITCHBOARD_LOG_FORMAT", ""}};
}

ProcessResult run(const std::vector<std::string>& args,
                  std::map<std::string, std::string> env = isolatedEnv()) {
  return runProcess(SWITCHBOARD_BINARY, args, env);
}

std::string emptyDir(const std::string& name) {
  std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

TEST(Cli, VersionPrintsVersionAbiAndTag) {
  ProcessResult result = run({"version"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, std::string("switchboard ") + SWITCHBOARD_VERSION + " (abi " +
                            std::to_string(SB_ABI_VERSION) + ", " SB_ABI_TAG ")\n");
}

TEST(Cli, PluginsListJsonIsAnArray) {
  ProcessResult result = run({"plugins", "list", "--json", "--plugin-dir", emptyDir("sb_empty")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  nlohmann::json listed = nlohmann::json::parse(result.out, nullptr, false);
  ASSERT_TRUE(listed.is_array()) << result.out;
  for (const nlohmann::json& row : listed) {
    for (const char* key : {"name", "kind", "version", "status", "error", "dir", "description"}) {
      EXPECT_TRUE(row.contains(key)) << key;
    }
  }
}

TEST(Cli, PluginsListTextNamesTheFoldersWhenEmpty) {
  std::string dir = emptyDir("sb_empty_text");
  std::map<std::string, std::string> env = isolatedEnv();
  ProcessResult result = run({"plugins", "list", "--plugin-dir", dir});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  // Either the bundled plugins are listed as a table, or nothing was found anywhere.
  if (result.out.rfind("NAME", 0) != 0) {
    EXPECT_NE(result.out.find("no plugins found in:"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find(dir), std::string::npos) << result.out;
  }
}

TEST(Cli, BadFlagsExitTwo) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{},
                                             {"frobnicate"},
                                             {"version", "--bogus"},
                                             {"--log-level", "loud", "version"},
                                             {"plugins"},
                                             {"plugins", "list", "--plugin-dir", "/nonexistent"},
                                             {"--config", "/nonexistent.json", "version"},
                                             {"serve", "--http", "nohost"},
                                             {"serve", "--http", "127.0.0.1:99999"},
                                             {"serve", "--stdio", "--http", "127.0.0.1:1"}}) {
    ProcessResult result = run(args);
    EXPECT_EQ(result.exit_code, 2) << ::testing::PrintToString(args) << result.err;
    EXPECT_FALSE(result.err.empty()) << ::testing::PrintToString(args);
  }
}

TEST(Cli, HelpExitsZero) {
  ProcessResult result = run({"--help"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("plugins"), std::string::npos);
  EXPECT_NE(result.out.find("--plugin-dir"), std::string::npos);
}

TEST(Cli, InvalidConfigFileExitsTwoWithTheMessage) {
  std::string file = ::testing::TempDir() + "/sb_cli_bad_config.json";
  std::ofstream(file) << R"({"log": {"level": "loud"}})";
  ProcessResult result = run({"--config", file, "plugins", "list"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("config file " + file +
                            " is invalid: /log/level: Failed to match "
                            "against any enum values"),
            std::string::npos)
      << result.err;
  EXPECT_TRUE(result.out.empty());
}

TEST(Cli, InvalidEnvironmentExitsTwo) {
  std::map<std::string, std::string> env = isolatedEnv();
  env["SWITCHBOARD_LOG_FORMAT"] = "xml";
  ProcessResult result = run({"version"}, env);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("SWITCHBOARD_LOG_FORMAT='xml'"), std::string::npos) << result.err;
}

TEST(Cli, ServeWithoutATransportUsesTheConfiguredHttpAddress) {
  std::string config = ::testing::TempDir() + "/sb_serve_config.json";
  std::ofstream(config) << R"({"http":{"host":"0.0.0.0","port":0}})";
  ProcessResult result = run({"--config", config, "serve"});
  // A non-loopback host without a token is refused, naming the configured host.
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("0.0.0.0"), std::string::npos) << result.err;
  EXPECT_TRUE(result.out.empty());
}

TEST(Cli, JsonLogsAreJsonLinesOnStderr) {
  std::string dir = emptyDir("sb_json_logs");
  std::filesystem::create_directories(dir + "/broken");
  std::ofstream(dir + "/broken/plugin.json") << "{not json";
  ProcessResult result = run({"--log-json", "plugins", "list", "--plugin-dir", dir});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  ASSERT_FALSE(result.err.empty());
  std::istringstream lines(result.err);
  std::string line;
  bool saw_broken = false;
  while (std::getline(lines, line)) {
    nlohmann::json entry = nlohmann::json::parse(line, nullptr, false);
    ASSERT_TRUE(entry.is_object()) << line;
    EXPECT_TRUE(entry.contains("ts") && entry.contains("level") && entry.contains("msg"));
    if (entry["msg"].get<std::string>().find("is not valid JSON") != std::string::npos) {
      saw_broken = true;
      EXPECT_EQ(entry["level"], "warning");
    }
  }
  EXPECT_TRUE(saw_broken) << result.err;
  EXPECT_NE(result.out.find("failed"), std::string::npos);
}

TEST(Cli, LogLevelFlagSilencesWarnings) {
  std::string dir = emptyDir("sb_quiet_logs");
  std::filesystem::create_directories(dir + "/broken");
  std::ofstream(dir + "/broken/plugin.json") << "{not json";
  ProcessResult result = run({"--log-level", "error", "plugins", "list", "--plugin-dir", dir});
  ASSERT_EQ(result.exit_code, 0);
  EXPECT_TRUE(result.err.empty()) << result.err;
}

}  // namespace
}  // namespace switchboard::testing
