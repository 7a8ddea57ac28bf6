// parseJsonObject: a plugin or agent config text as a JSON object, or InvalidArgument
// "<what> is not a JSON object". Empty text is {}. Never throws.
//
// Lives in switchboard_plugin_support. Thread safety: a pure function.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "switchboard/status.hpp"

namespace switchboard::plugins {

Result<nlohmann::json> parseJsonObject(std::string_view text, std::string_view what);

}  // namespace switchboard::plugins
