// Usage as JSON, the one shape every view and stored record uses: the token counts, their
// total, turns, cost in USD, and the CPU time and peak RSS of the processes that ran.
//
// Thread safety: free functions.
#pragma once

#include <nlohmann/json.hpp>

#include "switchboard/usage.hpp"

namespace switchboard::core {

nlohmann::json usageToJson(const Usage& usage);
// Missing or mistyped fields read as 0 (a record written before a field existed).
Usage usageFromJson(const nlohmann::json& j);

}  // namespace switchboard::core
