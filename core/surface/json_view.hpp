// JSON views of the gateway's values as the tool output schemas and resources show them:
// executions and their steps (schemas/tools/execution_get.json), usage, timestamps.
//
// Free functions over plain values; no shared state.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/common/ids.hpp"
#include "core/common/json_text.hpp"
#include "core/common/usage_json.hpp"
#include "core/engine/execution_types.hpp"
#include "switchboard/usage.hpp"

namespace switchboard::core {

nlohmann::json stepToJson(const StepSnapshot& step);
// {id, pattern, status, reason?, progress, steps?, usage, result?, error?, budget,
//  created_at, ended_at?, parent_execution_id?}
nlohmann::json executionToJson(const ExecutionSnapshot& execution, bool with_steps);
// Steps that have settled (any terminal step status).
std::int64_t settledSteps(const ExecutionCounts& counts);

}  // namespace switchboard::core
