// SchemaValidator: one compiled JSON Schema (draft-07, via valijson) that validates
// nlohmann::json documents and reports every violation with its path.
//
// Loading never throws: a schema that is not JSON or that valijson cannot compile comes
// back as InvalidArgument. validate() returns OK or InvalidArgument whose message lists
// each violation as "<json pointer>: <what is wrong>", joined by "; ". Unknown keys are
// rejected only where the schema says additionalProperties: false (ours always do).
//
// Ownership: the compiled schema is shared between copies (copies are cheap).
// Thread safety: validate() is const and may be called from any number of threads.
#pragma once

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "switchboard/status.hpp"

namespace valijson {
class Schema;
}

namespace switchboard::core {

class SchemaValidator {
 public:
  // InvalidArgument when `schema_json` is not JSON or not a schema valijson can compile.
  // `origin` names the schema in messages (e.g. a file path).
  static Result<SchemaValidator> fromText(std::string_view schema_json, std::string origin);
  // NotFound when the file cannot be read; otherwise as fromText().
  static Result<SchemaValidator> fromFile(const std::filesystem::path& path);

  // OK, or InvalidArgument listing every violation.
  Status validate(const nlohmann::json& document) const;
  // As validate(), after parsing `json_text` (InvalidArgument when it is not JSON).
  Status validateText(std::string_view json_text) const;

  // The individual violations ("<path>: <message>"); empty when `document` is valid.
  std::vector<std::string> violations(const nlohmann::json& document) const;

  const std::string& origin() const { return origin_; }
  // The schema document as loaded.
  const nlohmann::json& document() const { return *document_; }

 private:
  SchemaValidator() = default;
  std::shared_ptr<const valijson::Schema> schema_;
  std::shared_ptr<const nlohmann::json> document_;
  std::string origin_;
};

}  // namespace switchboard::core
