#include "core/app/cli.hpp"

#include <spdlog/spdlog.h>

#include <exception>
#include <iostream>
#include <map>
#include <optional>
#include <system_error>

#include "core/app/logging.hpp"
#include "core/config/paths.hpp"

namespace switchboard::core {

CommandContext::CommandContext(Config config, std::filesystem::path schema_dir, std::ostream& out,
                               std::ostream& err)
    : config_(std::move(config)), schema_dir_(std::move(schema_dir)), out_(out), err_(err) {
  if (std::optional<std::filesystem::path> bundled = bundledPluginDir(executableDir())) {
    plugin_dirs_.push_back(*bundled);
  }
  plugin_dirs_.insert(plugin_dirs_.end(), config_.plugin_dirs.begin(), config_.plugin_dirs.end());
}

CommandContext::~CommandContext() = default;

std::vector<PluginKind> gatewayOnFirstUseKinds() {
  return {PluginKind::kAgent, PluginKind::kWorkflow, PluginKind::kStorage};
}

PluginRegistry& CommandContext::plugins(bool gateway) {
  if (registry_) return *registry_;
  std::error_code ec;
  std::filesystem::create_directories(config_.data_dir, ec);
  if (ec) spdlog::warn("cannot create data dir {}: {}", config_.data_dir.string(), ec.message());
  registry_ = std::make_unique<PluginRegistry>(nullptr, config_.data_dir,
                                               schema_dir_ / "plugin-manifest.schema.json");
  PluginSelection selection;
  selection.enable = config_.plugins.enable;
  selection.disable = config_.plugins.disable;
  for (const auto& [name, value] : config_.plugins.config) selection.configs[name] = value.dump();
  if (selection.configs.find(config_.storage.backend) == selection.configs.end()) {
    selection.configs[config_.storage.backend] = config_.storage.config.dump();
  }
  if (gateway) selection.on_first_use = gatewayOnFirstUseKinds();
  registry_->discover(plugin_dirs_, selection);
  for (const std::string& wanted : selection.enable) {
    bool found = false;
    for (const PluginInfo& info : registry_->plugins()) {
      std::string short_name = info.name.substr(info.name.rfind('.') + 1);
      if (info.name == wanted || short_name == wanted) found = true;
    }
    if (!found) spdlog::warn("no plugin named '{}' was found to enable", wanted);
  }
  return *registry_;
}

namespace {

struct GlobalOptions {
  std::optional<std::string> config_file;
  std::vector<std::string> plugin_dirs;
  std::vector<std::string> enable;
  std::optional<std::string> log_level;
  bool log_json = false;
};

}  // namespace

int runCli(int argc, const char* const* argv, const std::vector<CommandSpec>& commands) {
  CLI::App app("switchboard: a multi-agent orchestrator served over MCP", "switchboard");
  app.require_subcommand(1);
  app.fallthrough();  // global options are accepted after the subcommand too
  GlobalOptions global;
  app.add_option("--config", global.config_file, "JSON config file (schemas/config.schema.json)")
      ->check(CLI::ExistingFile);
  app.add_option("--plugin-dir", global.plugin_dirs, "Extra plugin folder (repeatable)")
      ->check(CLI::ExistingDirectory);
  app.add_option("--plugins", global.enable,
                 "Enable a plugin that is off by default, by name or short name (repeatable)")
      ->delimiter(',');
  app.add_option("--log-level", global.log_level, "debug | info | warn | error")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}));
  app.add_flag("--log-json", global.log_json, "Log JSON lines to stderr");

  std::vector<std::pair<CLI::App*, CommandRun>> runs;
  for (const CommandSpec& spec : commands) {
    CLI::App* command = app.add_subcommand(spec.name, spec.description);
    runs.emplace_back(command, spec.define(*command));
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e, std::cout, std::cerr);
    return code == 0 ? 0 : 2;
  }

  // Logging goes to stderr from here on, even before the config is known.
  (void)configureLogging(global.log_level.value_or("info"), global.log_json ? "json" : "text");

  std::filesystem::path schema_dir = schemaDir(executableDir());
  std::optional<std::filesystem::path> config_file;
  if (global.config_file) config_file = std::filesystem::path(*global.config_file);
  Result<Config> config =
      Config::load(config_file, schema_dir / "config.schema.json", Config::processEnvironment());
  if (!config.ok()) {
    std::cerr << "switchboard: " << config.status().message() << "\n";
    return 2;
  }
  if (global.log_level) config->log.level = *global.log_level;
  if (global.log_json) config->log.format = "json";
  std::vector<std::filesystem::path> dirs(global.plugin_dirs.begin(), global.plugin_dirs.end());
  dirs.insert(dirs.end(), config->plugin_dirs.begin(), config->plugin_dirs.end());
  config->plugin_dirs = std::move(dirs);
  config->plugins.enable.insert(config->plugins.enable.end(), global.enable.begin(),
                                global.enable.end());
  Status logging = configureLogging(config->log.level, config->log.format);
  if (!logging.ok()) {
    std::cerr << "switchboard: " << logging.message() << "\n";
    return 2;
  }

  CommandContext context(std::move(*config), schema_dir, std::cout, std::cerr);
  for (auto& [command, run] : runs) {
    if (!command->parsed()) continue;
    try {
      return run(context);
    } catch (const std::exception& e) {
      spdlog::error("{} failed: {}", command->get_name(), e.what());
      return 1;
    }
  }
  return 2;  // unreachable: require_subcommand(1)
}

}  // namespace switchboard::core
