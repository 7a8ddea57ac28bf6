// valijson reports schema errors by exception only when asked to; otherwise it aborts.
// This file is the one place in switchboard_core that includes valijson.
// GCC 12 reports a false -Wmaybe-uninitialized inside std::regex (used by valijson) when
// optimising with sanitizers (GCC bug 105562); it is not about our code.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#ifndef VALIJSON_USE_EXCEPTIONS
#define VALIJSON_USE_EXCEPTIONS 1
#endif

#include "core/plugin_host/schema_validator.hpp"

#include <exception>
#include <fstream>
#include <sstream>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

namespace switchboard::core {
namespace {

// valijson's context is {"<root>", "[key]", "[0]", ...}; we print a JSON pointer.
std::string pointerOf(const std::vector<std::string>& context) {
  std::string out;
  for (const std::string& part : context) {
    if (part == "<root>") continue;
    std::string token = part;
    if (token.size() >= 2 && token.front() == '[' && token.back() == ']') {
      token = token.substr(1, token.size() - 2);
    }
    if (token.size() >= 2 && token.front() == '"' && token.back() == '"') {
      token = token.substr(1, token.size() - 2);
    }
    out += "/" + token;
  }
  return out.empty() ? "/" : out;
}

// Messages valijson adds for every enclosing level of a nested failure; the leaf message
// (reported separately) already says what is wrong and where.
bool isWrapperMessage(const std::string& message) {
  return message.rfind("Failed to validate against schema associated with property name", 0) == 0 ||
         message.rfind("Failed to validate item #", 0) == 0;
}

}  // namespace

Result<SchemaValidator> SchemaValidator::fromText(std::string_view schema_json,
                                                  std::string origin) {
  nlohmann::json document = nlohmann::json::parse(schema_json, nullptr, false);
  if (document.is_discarded()) {
    return Status::invalidArgument("schema " + origin + " is not valid JSON");
  }
  if (!document.is_object() && !document.is_boolean()) {
    return Status::invalidArgument("schema " + origin + " must be a JSON object");
  }
  SchemaValidator validator;
  auto schema = std::make_shared<valijson::Schema>();
  try {
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(document);
    parser.populateSchema(adapter, *schema);
  } catch (const std::exception& e) {
    return Status::invalidArgument("schema " + origin + " cannot be compiled: " + e.what());
  }
  validator.schema_ = std::move(schema);
  validator.document_ = std::make_shared<const nlohmann::json>(std::move(document));
  validator.origin_ = std::move(origin);
  return validator;
}

Result<SchemaValidator> SchemaValidator::fromFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::notFound("cannot read schema file " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return fromText(text.str(), path.string());
}

std::vector<std::string> SchemaValidator::violations(const nlohmann::json& document) const {
  std::vector<std::string> out;
  // One validator per thread: it caches the std::regex of every `pattern` it has met, and
  // compiling those is most of the cost of a validation (a fresh validator per call spent
  // ~40 % of the gateway's start-up compiling the manifest schema's patterns again and
  // again). The cache is keyed by the pattern text, so sharing it between schemas is safe.
  thread_local valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter adapter(document);
  bool valid = false;
  try {
    valid = validator.validate(*schema_, adapter, &results);
  } catch (const std::exception& e) {
    out.push_back(std::string("/: validation aborted: ") + e.what());
    return out;
  }
  if (valid) return out;
  std::vector<std::string> wrappers;
  for (const valijson::ValidationResults::Error& error : results) {
    std::string description = error.description;
    if (!description.empty() && description.back() == '.') description.pop_back();
    std::string line = pointerOf(error.context) + ": " + description;
    (isWrapperMessage(error.description) ? wrappers : out).push_back(std::move(line));
  }
  if (out.empty()) out = std::move(wrappers);
  if (out.empty()) out.push_back("/: does not match the schema");
  return out;
}

Status SchemaValidator::validate(const nlohmann::json& document) const {
  std::vector<std::string> found = violations(document);
  if (found.empty()) return Status();
  std::string message;
  for (const std::string& line : found) {
    if (!message.empty()) message += "; ";
    message += line;
  }
  return Status::invalidArgument(message);
}

Status SchemaValidator::validateText(std::string_view json_text) const {
  nlohmann::json document = nlohmann::json::parse(json_text, nullptr, false);
  if (document.is_discarded()) return Status::invalidArgument("not valid JSON");
  return validate(document);
}

}  // namespace switchboard::core
