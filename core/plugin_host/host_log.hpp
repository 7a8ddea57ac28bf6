// HostLog: the switchboard::Host given to one plugin. Its log() writes through spdlog's
// default logger, attributed to the plugin ("[plugin <name>] message").
//
// The registry makes one per loaded plugin and keeps it alive as long as any object the
// plugin created (it is owned together with the plugin's library).
// Thread safety: log() may be called from any thread (spdlog loggers are thread-safe).
#pragma once

#include <string>
#include <string_view>

#include "switchboard/plugin.hpp"

namespace switchboard::core {

class HostLog final : public Host {
 public:
  explicit HostLog(std::string plugin_name);
  void log(LogLevel level, std::string_view message) noexcept override;
  const std::string& pluginName() const { return plugin_name_; }

 private:
  std::string plugin_name_;
};

}  // namespace switchboard::core
