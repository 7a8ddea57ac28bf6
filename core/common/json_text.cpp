#include "core/common/json_text.hpp"

#include <string>

namespace switchboard::core {

nlohmann::json jsonOrText(std::string_view text) {
  if (text.empty()) return nullptr;
  nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
  if (parsed.is_discarded()) return std::string(text);
  return parsed;
}

}  // namespace switchboard::core
