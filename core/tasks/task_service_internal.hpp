// Private to TaskService (task_service.cpp, task_transitions.cpp): field checks shared by
// create() and update(). Not for use elsewhere.
#pragma once

#include <string>
#include <vector>

#include "switchboard/status.hpp"

namespace switchboard::core {

// InvalidArgument unless the title is 1..200 characters.
Status validateTaskTitle(const std::string& title);
// Drops duplicates; InvalidArgument for an empty, over-long or space-holding capability.
Result<std::vector<std::string>> normalizeTaskCapabilities(const std::vector<std::string>& in);

}  // namespace switchboard::core
