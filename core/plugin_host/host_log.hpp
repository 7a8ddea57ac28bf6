// HostLog: the switchboard::Host given to one plugin. Its log() writes through spdlog's
// default logger, attributed to the plugin ("[plugin <name>] message"); spawn() starts the
// process under the registry's ProcessSupervisor, which it keeps alive.
//
// The registry makes one per loaded plugin and keeps it alive as long as any object the
// plugin created (it is owned together with the plugin's library).
// Thread safety: log() may be called from any thread (spdlog loggers are thread-safe).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/supervisor/process_supervisor.hpp"
#include "switchboard/plugin.hpp"

namespace switchboard::core {

class HostLog final : public Host {
 public:
  HostLog(std::string plugin_name, std::shared_ptr<ProcessSupervisor> supervisor);
  void log(LogLevel level, std::string_view message) noexcept override;
  Result<std::unique_ptr<Process>> spawn(
      const ProcessSpec& spec, std::shared_ptr<ProcessObserver> observer) noexcept override;
  const std::string& pluginName() const { return plugin_name_; }

 private:
  std::string plugin_name_;
  std::shared_ptr<ProcessSupervisor> supervisor_;
};

}  // namespace switchboard::core
