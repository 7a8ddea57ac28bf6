// SchemaValidator: checks JSON values against one definition of an official MCP
// schema.json, with valijson.
//
// valijson understands JSON Schema up to draft-07, and the 2025-11-25 and 2026-07-28
// files are draft 2020-12. They use only keywords that mean the same in draft-07 (type,
// properties, required, items, anyOf, enum, const, $ref, additionalProperties, ...), with
// definitions under "$defs"; the validator therefore rewrites "$defs" to "definitions"
// (and "#/$defs/" references to match) and parses the result as draft-07. Keywords
// valijson does not know are ignored, so this check can only be stricter where the
// schema uses draft-07 keywords — which covers every required field and type.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace switchboard::mcp::testing {

class SchemaValidator {
 public:
  explicit SchemaValidator(const std::string& schema_path);
  ~SchemaValidator();
  bool hasDefinition(const std::string& name) const;
  // Empty when `value` is valid for definitions/<name>; otherwise the violations.
  std::string validate(const std::string& name, const nlohmann::json& value);

 private:
  struct Compiled;
  nlohmann::json document_;
  std::map<std::string, std::unique_ptr<Compiled>> cache_;
};

}  // namespace switchboard::mcp::testing
