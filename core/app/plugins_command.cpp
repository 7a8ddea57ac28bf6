// `switchboard plugins list [--json]`: every plugin found, with its state and error.
// Always exits 0 once the command line and config are valid: a broken plugin is a row.
#include <algorithm>
#include <iomanip>
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "core/app/cli.hpp"

namespace switchboard::core {
namespace {

nlohmann::json toJson(const PluginInfo& info) {
  return {{"name", info.name},
          {"kind", info.kind},
          {"version", info.version},
          {"status", std::string(pluginStateName(info.state))},
          {"error", info.error},
          {"dir", info.dir.string()},
          {"description", info.description}};
}

void printTable(const std::vector<PluginInfo>& plugins, std::ostream& out) {
  std::size_t name_width = 4;
  for (const PluginInfo& info : plugins) name_width = std::max(name_width, info.name.size());
  out << std::left << std::setw(static_cast<int>(name_width) + 2) << "NAME" << std::setw(10)
      << "KIND" << std::setw(10) << "VERSION" << std::setw(10) << "STATUS"
      << "DETAILS\n";
  for (const PluginInfo& info : plugins) {
    out << std::left << std::setw(static_cast<int>(name_width) + 2) << info.name << std::setw(10)
        << (info.kind.empty() ? "-" : info.kind) << std::setw(10)
        << (info.version.empty() ? "-" : info.version) << std::setw(10)
        << pluginStateName(info.state)
        << (info.state == PluginState::kLoaded ? info.description : info.error) << "\n";
  }
}

}  // namespace

CommandSpec pluginsCommand() {
  return {"plugins", "Inspect plugins", [](CLI::App& command) -> CommandRun {
            command.require_subcommand(1);
            auto json = std::make_shared<bool>(false);
            CLI::App* list =
                command.add_subcommand("list", "List plugins with their state and error");
            list->add_flag("--json", *json, "Print a JSON array");
            return [json](CommandContext& context) {
              std::vector<PluginInfo> plugins = context.plugins().plugins();
              if (*json) {
                nlohmann::json array = nlohmann::json::array();
                for (const PluginInfo& info : plugins) array.push_back(toJson(info));
                context.out() << array.dump(2) << "\n";
                return 0;
              }
              if (plugins.empty()) {
                context.out() << "no plugins found in:";
                for (const auto& dir : context.pluginDirs()) context.out() << " " << dir.string();
                if (context.pluginDirs().empty()) context.out() << " (no plugin folders)";
                context.out() << "\n";
                return 0;
              }
              printTable(plugins, context.out());
              return 0;
            };
          }};
}

}  // namespace switchboard::core
