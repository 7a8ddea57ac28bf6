// Config: the gateway's settings — built-in defaults, then a JSON file (validated against
// schemas/config.schema.json, unknown keys rejected), then environment overrides:
//   SWITCHBOARD_DATA_DIR      data_dir
//   SWITCHBOARD_LOG_LEVEL     log.level   (debug | info | warn | error)
//   SWITCHBOARD_LOG_FORMAT    log.format  (text | json)
//   SWITCHBOARD_PLUGIN_DIRS   plugin_dirs (colon-separated; replaces the file's list)
//   SWITCHBOARD_STORAGE       storage.backend
//   SWITCHBOARD_HTTP_TOKEN    http.token
// Relative paths in the file are resolved against the file's folder; a leading "~/" is
// the home folder. Command-line flags are applied by the caller, after load().
//
// Config is a plain value; load() never throws.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "switchboard/status.hpp"

namespace switchboard::core {

struct Config {
  // Looks up an environment variable; nullopt when unset.
  using Environment = std::function<std::optional<std::string>(const std::string& name)>;

  struct Log {
    std::string level = "info";   // debug | info | warn | error
    std::string format = "text";  // text | json
  };
  struct Plugins {
    std::vector<std::string> enable;
    std::vector<std::string> disable;
    std::map<std::string, nlohmann::json> config;  // plugin name -> instance config object
  };
  struct Storage {
    std::string backend = "switchboard.storage.sqlite";
    nlohmann::json config = nlohmann::json::object();
  };
  struct Http {
    std::string host = "127.0.0.1";
    int port = 8765;
    std::string token;
    std::vector<std::string> allowed_origins;
    std::int64_t max_body_bytes = 4 * 1024 * 1024;
  };
  struct Engine {
    int max_concurrent_steps = 16;
    std::int64_t default_step_timeout_ms = 600000;
    int default_max_attempts = 3;
  };

  struct Provider {  // see core/agents/provider_guard.hpp
    std::int64_t requests_per_minute = 0;
    std::int64_t tokens_per_minute = 0;
    std::int64_t failure_threshold = 5;
    std::int64_t open_ms = 30000;
  };

  std::filesystem::path data_dir;
  Log log;
  std::vector<std::filesystem::path> plugin_dirs;
  Plugins plugins;
  Storage storage;
  Http http;
  Engine engine;
  std::map<std::string, Provider> providers;  // by agent type short name
  std::filesystem::path source;               // the file loaded, empty when none

  // Defaults plus environment overrides (no file). InvalidArgument for a bad variable.
  static Result<Config> defaults(const Environment& env);
  // Defaults, then `file` (if given), then environment overrides. NotFound when the file
  // cannot be read; InvalidArgument (naming the file and every violation) when it is not
  // JSON or does not match the schema, or when an environment variable is invalid.
  static Result<Config> load(const std::optional<std::filesystem::path>& file,
                             const std::filesystem::path& schema_path, const Environment& env);
  // The process environment (getenv).
  static Environment processEnvironment();
};

}  // namespace switchboard::core
