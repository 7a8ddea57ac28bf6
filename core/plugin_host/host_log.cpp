#include "core/plugin_host/host_log.hpp"

#include <spdlog/spdlog.h>

namespace switchboard::core {

HostLog::HostLog(std::string plugin_name, std::shared_ptr<ProcessSupervisor> supervisor)
    : plugin_name_(std::move(plugin_name)), supervisor_(std::move(supervisor)) {}

Result<std::unique_ptr<Process>> HostLog::spawn(
    const ProcessSpec& spec, std::shared_ptr<ProcessObserver> observer) noexcept {
  if (!supervisor_) return Status::unavailable("this host runs no processes");
  return supervisor_->spawn(spec, std::move(observer));
}

void HostLog::log(LogLevel level, std::string_view message) noexcept {
  spdlog::level::level_enum spd = spdlog::level::info;
  switch (level) {
    case LogLevel::kDebug:
      spd = spdlog::level::debug;
      break;
    case LogLevel::kInfo:
      spd = spdlog::level::info;
      break;
    case LogLevel::kWarning:
      spd = spdlog::level::warn;
      break;
    case LogLevel::kError:
      spd = spdlog::level::err;
      break;
  }
  try {
    spdlog::log(spd, "[plugin {}] {}", plugin_name_, message);
  } catch (...) {
    // Logging must never take the caller down; a failed log line is dropped.
  }
}

}  // namespace switchboard::core
