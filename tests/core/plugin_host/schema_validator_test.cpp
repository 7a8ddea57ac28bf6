#include "core/plugin_host/schema_validator.hpp"

#include <gtest/gtest.h>

namespace switchboard::core {
namespace {

constexpr const char* kSchema = R"({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "additionalProperties": false,
  "required": ["name"],
  "properties": {
    "name": {"type": "string", "pattern": "^[a-z]+$"},
    "items": {"type": "array", "items": {"type": "integer"}}
  }
})";

TEST(SchemaValidator, AcceptsAValidDocument) {
  auto validator = SchemaValidator::fromText(kSchema, "test");
  ASSERT_TRUE(validator.ok()) << validator.status().toString();
  EXPECT_TRUE(validator->validate({{"name", "abc"}, {"items", {1, 2}}}).ok());
}

TEST(SchemaValidator, ReportsEveryViolationWithItsPath) {
  auto validator = SchemaValidator::fromText(kSchema, "test");
  ASSERT_TRUE(validator.ok());
  nlohmann::json doc = {{"name", "ABC"}, {"items", {1, "x"}}, {"extra", true}};
  std::vector<std::string> found = validator->violations(doc);
  ASSERT_EQ(found.size(), 3u) << ::testing::PrintToString(found);
  Status status = validator->validate(doc);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("/name: Failed to match regex"), std::string::npos);
  EXPECT_NE(status.message().find("/items/1: Value type not permitted"), std::string::npos);
  EXPECT_NE(status.message().find("'extra'"), std::string::npos);
}

TEST(SchemaValidator, MissingRequiredProperty) {
  auto validator = SchemaValidator::fromText(kSchema, "test");
  ASSERT_TRUE(validator.ok());
  EXPECT_EQ(validator->validate(nlohmann::json::object()).message(),
            "/: Missing required property 'name'");
}

TEST(SchemaValidator, BadSchemasAreErrorsNotCrashes) {
  EXPECT_EQ(SchemaValidator::fromText("{not json", "s").status().message(),
            "schema s is not valid JSON");
  EXPECT_EQ(SchemaValidator::fromText("[1]", "s").status().message(),
            "schema s must be a JSON object");
  auto uncompilable = SchemaValidator::fromText(R"({"type": 7})", "s");
  ASSERT_FALSE(uncompilable.ok());
  EXPECT_NE(uncompilable.status().message().find("schema s cannot be compiled"), std::string::npos);
  auto remote = SchemaValidator::fromText(R"({"$ref": "http://example.com/x.json"})", "s");
  EXPECT_FALSE(remote.ok());
  EXPECT_EQ(SchemaValidator::fromFile("/nonexistent.json").status().code(), StatusCode::kNotFound);
}

TEST(SchemaValidator, ValidateTextRejectsNonJson) {
  auto validator = SchemaValidator::fromText(kSchema, "test");
  ASSERT_TRUE(validator.ok());
  EXPECT_EQ(validator->validateText("{").message(), "not valid JSON");
  EXPECT_TRUE(validator->validateText(R"({"name":"ok"})").ok());
}

}  // namespace
}  // namespace switchboard::core
