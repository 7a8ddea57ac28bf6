// Usage as JSON, the one shape every view and stored record uses: the token counts, their
// total, turns, cost in USD, and the CPU time and peak RSS of the processes that ran.
// One field list drives all three functions, so the object and the text never differ.
//
// Thread safety: free functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "switchboard/usage.hpp"

namespace switchboard::core {

nlohmann::json usageToJson(const Usage& usage);
// The same object as usageToJson(), appended as JSON text: for writers that build records
// as text on a hot path (the engine's journal) without a DOM.
void appendUsageJson(std::string& out, const Usage& usage);
// Missing or mistyped fields read as 0 (a record written before a field existed).
Usage usageFromJson(const nlohmann::json& j);

}  // namespace switchboard::core
