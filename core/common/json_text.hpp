// jsonOrText(): how a JSON text that came from elsewhere (an agent's output, a step's
// input, a stored result) is embedded in a JSON value — parsed when it is JSON, kept as
// a string when it is not, null when it is empty.
//
// Thread safety: a free function.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace switchboard::core {

nlohmann::json jsonOrText(std::string_view text);

}  // namespace switchboard::core
