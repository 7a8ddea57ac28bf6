#include "tests/mcp/schema/schema_validator.hpp"

#include <fstream>
#include <sstream>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

namespace switchboard::mcp::testing {
namespace {

void rewriteRefs(nlohmann::json& node) {
  if (node.is_object()) {
    if (auto ref = node.find("$ref"); ref != node.end() && ref->is_string()) {
      std::string text = ref->get<std::string>();
      const std::string from = "#/$defs/";
      if (text.rfind(from, 0) == 0) *ref = "#/definitions/" + text.substr(from.size());
    }
    for (auto& [key, child] : node.items()) rewriteRefs(child);
  } else if (node.is_array()) {
    for (auto& child : node) rewriteRefs(child);
  }
}

}  // namespace

struct SchemaValidator::Compiled {
  nlohmann::json root;
  valijson::Schema schema;
};

SchemaValidator::SchemaValidator(const std::string& schema_path) {
  std::ifstream in(schema_path);
  std::stringstream text;
  text << in.rdbuf();
  document_ = nlohmann::json::parse(text.str(), nullptr, false);
  if (document_.is_discarded()) return;
  if (document_.contains("$defs")) {
    document_["definitions"] = document_["$defs"];
    document_.erase("$defs");
  }
  document_["$schema"] = "http://json-schema.org/draft-07/schema#";
  rewriteRefs(document_);
}

SchemaValidator::~SchemaValidator() = default;

bool SchemaValidator::hasDefinition(const std::string& name) const {
  return document_.is_object() && document_.contains("definitions") &&
         document_["definitions"].contains(name);
}

std::string SchemaValidator::validate(const std::string& name, const nlohmann::json& value) {
  if (!hasDefinition(name)) return "schema has no definition " + name;
  auto& compiled = cache_[name];
  if (!compiled) {
    compiled = std::make_unique<Compiled>();
    compiled->root = {{"$schema", "http://json-schema.org/draft-07/schema#"},
                      {"$ref", "#/definitions/" + name},
                      {"definitions", document_["definitions"]}};
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(compiled->root);
    parser.populateSchema(adapter, compiled->schema);
  }
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(value);
  if (validator.validate(compiled->schema, target, &results)) return "";
  std::string out;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    std::string path;
    for (const auto& part : error.context) path += part;
    out += path + ": " + error.description + "\n";
  }
  return out;
}

}  // namespace switchboard::mcp::testing
