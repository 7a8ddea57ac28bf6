// The `switchboard` command line: global options, config loading, logging set-up, and
// dispatch to subcommands given as a table of CommandSpecs.
//
// Adding a command is one function returning a CommandSpec: `define` adds the command's
// own options (and sub-commands) to its CLI11 App and returns the function that runs it
// once the command line parsed. The runner gets a CommandContext: the loaded Config (file,
// environment and flags applied), output streams, and the PluginRegistry, which discovers
// plugins the first time it is asked for.
//
// Exit codes: what the command returns; 2 for a bad command line or config; 1 when a
// command throws (caught here, logged).
// Thread safety: runCli() is meant to be called once, from main().
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "core/config/config.hpp"
#include "core/plugin_host/plugin_registry.hpp"

namespace switchboard::core {

// The plugin kinds a gateway (serve, demo) loads on first use rather than at start: it uses
// one storage backend and usually few agent types and patterns. Tool providers all serve
// tools, so they load at start.
std::vector<PluginKind> gatewayOnFirstUseKinds();

class CommandContext {
 public:
  CommandContext(Config config, std::filesystem::path schema_dir, std::ostream& out,
                 std::ostream& err);
  ~CommandContext();

  const Config& config() const { return config_; }
  const std::filesystem::path& schemaDir() const { return schema_dir_; }
  // Folders scanned for plugins: the bundled folder (if any), --plugin-dir flags, then
  // the config's plugin_dirs.
  const std::vector<std::filesystem::path>& pluginDirs() const { return plugin_dirs_; }
  // The registry, with plugins discovered (and probed) on the first call, which also
  // decides whether the kinds of gatewayOnFirstUseKinds() load on first use.
  PluginRegistry& plugins(bool gateway = false);

  std::ostream& out() { return out_; }
  std::ostream& err() { return err_; }

 private:
  Config config_;
  std::filesystem::path schema_dir_;
  std::vector<std::filesystem::path> plugin_dirs_;
  std::unique_ptr<PluginRegistry> registry_;
  std::ostream& out_;
  std::ostream& err_;
};

using CommandRun = std::function<int(CommandContext& context)>;

struct CommandSpec {
  std::string name;
  std::string description;
  // Adds the command's options to `command`; returns what runs the command.
  std::function<CommandRun(CLI::App& command)> define;
};

// Parses argv, loads the config, sets up logging and runs the chosen command.
int runCli(int argc, const char* const* argv, const std::vector<CommandSpec>& commands);

// The commands of this build (core/app/*_command.cpp).
CommandSpec versionCommand();
CommandSpec pluginsCommand();
CommandSpec serveCommand();

}  // namespace switchboard::core
