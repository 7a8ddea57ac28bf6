#include "core/config/config.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/plugin_host/schema_validator.hpp"

namespace switchboard::core {
namespace {

using nlohmann::json;

std::filesystem::path expandPath(const std::string& text, const std::filesystem::path& base,
                                 const Config::Environment& env) {
  if (text == "~" || text.rfind("~/", 0) == 0) {
    std::optional<std::string> home = env("HOME");
    if (home && !home->empty())
      return std::filesystem::path(*home) / text.substr(text.size() > 1 ? 2 : 1);
  }
  std::filesystem::path path(text);
  if (path.is_relative() && !base.empty()) return (base / path).lexically_normal();
  return path;
}

std::filesystem::path defaultDataDir(const Config::Environment& env) {
  std::optional<std::string> xdg = env("XDG_DATA_HOME");
  if (xdg && !xdg->empty()) return std::filesystem::path(*xdg) / "switchboard";
  std::optional<std::string> home = env("HOME");
  if (home && !home->empty()) return std::filesystem::path(*home) / ".local/share/switchboard";
  return std::filesystem::path(".switchboard");
}

std::vector<std::string> strings(const json& array) {
  std::vector<std::string> out;
  for (const json& item : array) out.push_back(item.get<std::string>());
  return out;
}

// The schema has already checked every type, so the accessors below cannot throw.
void applyFile(const json& doc, const std::filesystem::path& base, const Config::Environment& env,
               Config& config) {
  if (doc.contains("data_dir"))
    config.data_dir = expandPath(doc["data_dir"].get<std::string>(), base, env);
  if (doc.contains("log")) {
    const json& log = doc["log"];
    config.log.level = log.value("level", config.log.level);
    config.log.format = log.value("format", config.log.format);
  }
  if (doc.contains("plugin_dirs")) {
    config.plugin_dirs.clear();
    for (const std::string& dir : strings(doc["plugin_dirs"])) {
      config.plugin_dirs.push_back(expandPath(dir, base, env));
    }
  }
  if (doc.contains("plugins")) {
    const json& plugins = doc["plugins"];
    if (plugins.contains("enable")) config.plugins.enable = strings(plugins["enable"]);
    if (plugins.contains("disable")) config.plugins.disable = strings(plugins["disable"]);
    if (plugins.contains("config")) {
      for (const auto& [name, value] : plugins["config"].items())
        config.plugins.config[name] = value;
    }
  }
  if (doc.contains("storage")) {
    const json& storage = doc["storage"];
    config.storage.backend = storage.value("backend", config.storage.backend);
    if (storage.contains("config")) config.storage.config = storage["config"];
  }
  if (doc.contains("http")) {
    const json& http = doc["http"];
    config.http.host = http.value("host", config.http.host);
    config.http.port = http.value("port", config.http.port);
    config.http.token = http.value("token", config.http.token);
    if (http.contains("allowed_origins"))
      config.http.allowed_origins = strings(http["allowed_origins"]);
    config.http.max_body_bytes = http.value("max_body_bytes", config.http.max_body_bytes);
  }
  if (auto providers = doc.find("providers"); providers != doc.end() && providers->is_object()) {
    for (const auto& [name, p] : providers->items()) {
      Config::Provider provider;
      provider.requests_per_minute = p.value("requests_per_minute", provider.requests_per_minute);
      provider.tokens_per_minute = p.value("tokens_per_minute", provider.tokens_per_minute);
      provider.failure_threshold = p.value("failure_threshold", provider.failure_threshold);
      provider.open_ms = p.value("open_ms", provider.open_ms);
      config.providers[name] = provider;
    }
  }
  if (doc.contains("engine")) {
    const json& engine = doc["engine"];
    config.engine.max_concurrent_steps =
        engine.value("max_concurrent_steps", config.engine.max_concurrent_steps);
    config.engine.default_step_timeout_ms =
        engine.value("default_step_timeout_ms", config.engine.default_step_timeout_ms);
    config.engine.default_max_attempts =
        engine.value("default_max_attempts", config.engine.default_max_attempts);
  }
}

Status oneOf(const std::string& variable, const std::string& value,
             std::initializer_list<const char*> allowed) {
  std::string list;
  for (const char* option : allowed) {
    if (value == option) return Status();
    list += list.empty() ? "" : ", ";
    list += option;
  }
  return Status::invalidArgument(variable + "='" + value + "': expected one of " + list);
}

Status applyEnvironment(const Config::Environment& env, Config& config) {
  if (auto v = env("SWITCHBOARD_DATA_DIR"); v && !v->empty()) {
    config.data_dir = expandPath(*v, {}, env);
  }
  if (auto v = env("SWITCHBOARD_LOG_LEVEL"); v && !v->empty()) {
    SB_RETURN_IF_ERROR(oneOf("SWITCHBOARD_LOG_LEVEL", *v, {"debug", "info", "warn", "error"}));
    config.log.level = *v;
  }
  if (auto v = env("SWITCHBOARD_LOG_FORMAT"); v && !v->empty()) {
    SB_RETURN_IF_ERROR(oneOf("SWITCHBOARD_LOG_FORMAT", *v, {"text", "json"}));
    config.log.format = *v;
  }
  if (auto v = env("SWITCHBOARD_PLUGIN_DIRS"); v) {
    config.plugin_dirs.clear();
    std::stringstream parts(*v);
    std::string part;
    while (std::getline(parts, part, ':')) {
      if (!part.empty()) config.plugin_dirs.push_back(expandPath(part, {}, env));
    }
  }
  if (auto v = env("SWITCHBOARD_STORAGE"); v && !v->empty()) config.storage.backend = *v;
  if (auto v = env("SWITCHBOARD_HTTP_TOKEN"); v) config.http.token = *v;
  return Status();
}

}  // namespace

Config::Environment Config::processEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

Result<Config> Config::defaults(const Environment& env) {
  Config config;
  config.data_dir = defaultDataDir(env);
  SB_RETURN_IF_ERROR(applyEnvironment(env, config));
  return config;
}

Result<Config> Config::load(const std::optional<std::filesystem::path>& file,
                            const std::filesystem::path& schema_path, const Environment& env) {
  Config config;
  config.data_dir = defaultDataDir(env);
  if (file) {
    std::ifstream in(*file, std::ios::binary);
    if (!in) return Status::notFound("cannot read config file " + file->string());
    std::ostringstream text;
    text << in.rdbuf();
    json doc = json::parse(text.str(), nullptr, false);
    if (doc.is_discarded()) {
      return Status::invalidArgument("config file " + file->string() + " is not valid JSON");
    }
    Result<SchemaValidator> schema = SchemaValidator::fromFile(schema_path);
    if (!schema.ok()) return schema.status().withContext("config schema unavailable");
    Status valid = schema->validate(doc);
    if (!valid.ok()) {
      return Status::invalidArgument("config file " + file->string() +
                                     " is invalid: " + valid.message());
    }
    std::error_code ec;
    std::filesystem::path absolute = std::filesystem::absolute(*file, ec);
    applyFile(doc, (ec ? *file : absolute).parent_path(), env, config);
    config.source = *file;
  }
  SB_RETURN_IF_ERROR(applyEnvironment(env, config));
  return config;
}

}  // namespace switchboard::core
