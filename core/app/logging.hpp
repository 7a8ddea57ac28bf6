// Logging set-up: spdlog's default logger writes to stderr, as text lines
// ("2026-11-22T05:00:00.123 info message") or as JSON lines
// ({"ts":"...","level":"info","logger":"switchboard","msg":"..."}). stdout stays free for
// command output and the stdio transport.
//
// Thread safety: call once at start-up, before other threads log.
#pragma once

#include <string>

#include "switchboard/status.hpp"

namespace switchboard::core {

// InvalidArgument for an unknown level (debug|info|warn|error) or format (text|json).
Status configureLogging(const std::string& level, const std::string& format);

}  // namespace switchboard::core
