#include "plugins/support/json_object.hpp"

#include <string>

namespace switchboard::plugins {

Result<nlohmann::json> parseJsonObject(std::string_view text, std::string_view what) {
  nlohmann::json value =
      nlohmann::json::parse(text.empty() ? std::string_view("{}") : text, nullptr,
                            /*allow_exceptions=*/false);
  if (value.is_discarded() || !value.is_object()) {
    return Status::invalidArgument(std::string(what) + " is not a JSON object");
  }
  return value;
}

}  // namespace switchboard::plugins
