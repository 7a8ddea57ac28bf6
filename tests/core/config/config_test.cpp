#include "core/config/config.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

namespace switchboard::core {
namespace {

const std::filesystem::path kSchema =
    std::filesystem::path(SWITCHBOARD_SOURCE_DIR) / "schemas/config.schema.json";

Config::Environment envOf(std::map<std::string, std::string> values) {
  return [values = std::move(values)](const std::string& name) -> std::optional<std::string> {
    auto found = values.find(name);
    if (found == values.end()) return std::nullopt;
    return found->second;
  };
}

std::filesystem::path writeFile(const std::string& name, const std::string& text) {
  std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / "sb_config_test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / name) << text;
  return dir / name;
}

TEST(Config, DefaultsWithoutFileOrEnvironment) {
  auto config = Config::load(std::nullopt, kSchema, envOf({{"HOME", "/home/u"}}));
  ASSERT_TRUE(config.ok()) << config.status().toString();
  EXPECT_EQ(config->data_dir, std::filesystem::path("/home/u/.local/share/switchboard"));
  EXPECT_EQ(config->log.level, "info");
  EXPECT_EQ(config->log.format, "text");
  EXPECT_EQ(config->storage.backend, "switchboard.storage.sqlite");
  EXPECT_EQ(config->storage.config, nlohmann::json::object());
  EXPECT_EQ(config->http.host, "127.0.0.1");
  EXPECT_TRUE(config->plugin_dirs.empty());
  EXPECT_TRUE(config->source.empty());
}

TEST(Config, XdgDataHomeWins) {
  auto config = Config::defaults(envOf({{"HOME", "/home/u"}, {"XDG_DATA_HOME", "/xdg"}}));
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->data_dir, std::filesystem::path("/xdg/switchboard"));
}

TEST(Config, ReadsEveryFieldOfAValidFile) {
  std::filesystem::path file = writeFile("full.json", R"({
    "data_dir": "state",
    "log": {"level": "debug", "format": "json"},
    "plugin_dirs": ["/opt/sb", "extra", "~/mine"],
    "plugins": {"enable": ["conformance"], "disable": ["switchboard.agent.claude_code"],
                "config": {"switchboard.agent.scripted": {"latency_ms": 5}}},
    "storage": {"backend": "switchboard.storage.memory", "config": {"x": 1}},
    "http": {"host": "0.0.0.0", "port": 9000, "token": "t", "allowed_origins": ["http://a"],
             "max_body_bytes": 2048},
    "engine": {"max_concurrent_steps": 4, "default_step_timeout_ms": 1000,
               "default_max_attempts": 5}
  })");
  auto config = Config::load(file, kSchema, envOf({{"HOME", "/home/u"}}));
  ASSERT_TRUE(config.ok()) << config.status().toString();
  EXPECT_EQ(config->data_dir, file.parent_path() / "state");
  EXPECT_EQ(config->log.level, "debug");
  EXPECT_EQ(config->log.format, "json");
  ASSERT_EQ(config->plugin_dirs.size(), 3u);
  EXPECT_EQ(config->plugin_dirs[0], std::filesystem::path("/opt/sb"));
  EXPECT_EQ(config->plugin_dirs[1], file.parent_path() / "extra");
  EXPECT_EQ(config->plugin_dirs[2], std::filesystem::path("/home/u/mine"));
  EXPECT_EQ(config->plugins.enable, std::vector<std::string>{"conformance"});
  EXPECT_EQ(config->plugins.disable, std::vector<std::string>{"switchboard.agent.claude_code"});
  EXPECT_EQ(config->plugins.config.at("switchboard.agent.scripted")["latency_ms"], 5);
  EXPECT_EQ(config->storage.backend, "switchboard.storage.memory");
  EXPECT_EQ(config->storage.config["x"], 1);
  EXPECT_EQ(config->http.host, "0.0.0.0");
  EXPECT_EQ(config->http.port, 9000);
  EXPECT_EQ(config->http.token, "t");
  EXPECT_EQ(config->http.allowed_origins, std::vector<std::string>{"http://a"});
  EXPECT_EQ(config->http.max_body_bytes, 2048);
  EXPECT_EQ(config->engine.max_concurrent_steps, 4);
  EXPECT_EQ(config->engine.default_step_timeout_ms, 1000);
  EXPECT_EQ(config->engine.default_max_attempts, 5);
  EXPECT_EQ(config->source, file);
}

TEST(Config, InvalidFileNamesFileAndEveryViolation) {
  std::filesystem::path file =
      writeFile("bad.json", R"({"log": {"level": "loud"}, "http": {"port": 70000}, "colour": 1})");
  auto config = Config::load(file, kSchema, envOf({}));
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
  std::string message = config.status().message();
  EXPECT_NE(message.find("config file " + file.string() + " is invalid"), std::string::npos);
  EXPECT_NE(message.find("/log/level: Failed to match against any enum values"), std::string::npos)
      << message;
  EXPECT_NE(message.find("/http/port: Expected number less than or equal to 65535"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("'colour'"), std::string::npos) << message;
}

TEST(Config, NotJsonAndMissingFile) {
  auto not_json = Config::load(writeFile("nj.json", "{\"log\": "), kSchema, envOf({}));
  ASSERT_FALSE(not_json.ok());
  EXPECT_NE(not_json.status().message().find("is not valid JSON"), std::string::npos);
  auto missing = Config::load(std::filesystem::path("/nonexistent/c.json"), kSchema, envOf({}));
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "cannot read config file /nonexistent/c.json");
}

TEST(Config, EnvironmentOverridesTheFile) {
  std::filesystem::path file = writeFile(
      "env.json",
      R"({"data_dir": "/from/file", "log": {"level": "debug"}, "plugin_dirs": ["/file/dir"],
          "storage": {"backend": "switchboard.storage.sqlite"}, "http": {"token": "file"}})");
  auto config = Config::load(file, kSchema,
                             envOf({{"SWITCHBOARD_DATA_DIR", "/from/env"},
                                    {"SWITCHBOARD_LOG_LEVEL", "warn"},
                                    {"SWITCHBOARD_LOG_FORMAT", "json"},
                                    {"SWITCHBOARD_PLUGIN_DIRS", "/a:/b::/c"},
                                    {"SWITCHBOARD_STORAGE", "switchboard.storage.memory"},
                                    {"SWITCHBOARD_HTTP_TOKEN", "secret"}}));
  ASSERT_TRUE(config.ok()) << config.status().toString();
  EXPECT_EQ(config->data_dir, std::filesystem::path("/from/env"));
  EXPECT_EQ(config->log.level, "warn");
  EXPECT_EQ(config->log.format, "json");
  EXPECT_EQ(config->plugin_dirs, (std::vector<std::filesystem::path>{"/a", "/b", "/c"}));
  EXPECT_EQ(config->storage.backend, "switchboard.storage.memory");
  EXPECT_EQ(config->http.token, "secret");
}

TEST(Config, InvalidEnvironmentValueIsAnError) {
  auto level = Config::defaults(envOf({{"SWITCHBOARD_LOG_LEVEL", "loud"}}));
  ASSERT_FALSE(level.ok());
  EXPECT_EQ(level.status().message(),
            "SWITCHBOARD_LOG_LEVEL='loud': expected one of debug, info, warn, error");
  auto format = Config::defaults(envOf({{"SWITCHBOARD_LOG_FORMAT", "xml"}}));
  ASSERT_FALSE(format.ok());
  EXPECT_EQ(format.status().message(), "SWITCHBOARD_LOG_FORMAT='xml': expected one of text, json");
}

}  // namespace
}  // namespace switchboard::core
