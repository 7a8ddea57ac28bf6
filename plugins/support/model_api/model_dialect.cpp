#include "plugins/support/model_api/model_dialect.hpp"

namespace switchboard::plugins {

using nlohmann::json;

std::string ModelDialect::errorMessage(std::string_view body) const {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return "";
  auto text = [](const json& v) { return v.is_string() ? v.get<std::string>() : std::string(); };
  if (auto err = doc.find("error"); err != doc.end()) {
    if (err->is_string()) return err->get<std::string>();
    if (err->is_object()) {
      std::string type = text(err->value("type", json()));
      std::string message = text(err->value("message", json()));
      if (type.empty()) return message;
      return message.empty() ? type : type + ": " + message;
    }
  }
  return text(doc.value("message", json()));
}

Result<std::int64_t> tokenCount(const json& usage, const char* field) {
  auto it = usage.find(field);
  if (it == usage.end() || it->is_null()) return std::int64_t{0};
  if (!it->is_number_integer() || it->get<std::int64_t>() < 0) {
    return Status::invalidArgument(std::string("usage.") + field + " is not a count");
  }
  return it->get<std::int64_t>();
}

}  // namespace switchboard::plugins
