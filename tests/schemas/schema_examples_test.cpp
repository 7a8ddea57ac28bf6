// Every schemas/examples/<schema>/valid/*.json passes its schema and every invalid/*.json
// fails it; every plugin.json under plugins/ and sdk/examples/ is a valid manifest whose
// config schema exists and compiles.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "core/plugin_host/manifest.hpp"
#include "core/plugin_host/schema_validator.hpp"

namespace switchboard::core {
namespace {

const std::filesystem::path kSource = SWITCHBOARD_SOURCE_DIR;
const std::filesystem::path kSchemas = kSource / "schemas";

std::vector<std::filesystem::path> jsonFiles(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> out;
  if (!std::filesystem::is_directory(dir)) return out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// schemas/<name>.schema.json, or a file of that name (or <name>.json) anywhere under schemas/.
std::optional<std::filesystem::path> schemaFor(const std::string& name) {
  if (std::filesystem::exists(kSchemas / (name + ".schema.json"))) {
    return kSchemas / (name + ".schema.json");
  }
  for (const auto& entry : std::filesystem::recursive_directory_iterator(kSchemas)) {
    if (entry.path().string().find("/examples/") != std::string::npos) continue;
    std::string file = entry.path().filename().string();
    if (file == name + ".schema.json" || file == name + ".json") return entry.path();
  }
  return std::nullopt;
}

nlohmann::json readJson(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str(), nullptr, false);
}

TEST(SchemaExamples, ValidPassAndInvalidFail) {
  ASSERT_TRUE(std::filesystem::is_directory(kSchemas / "examples"));
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kSchemas / "examples")) {
    if (!entry.is_directory()) continue;
    std::string name = entry.path().filename().string();
    SCOPED_TRACE(name);
    std::optional<std::filesystem::path> schema_path = schemaFor(name);
    ASSERT_TRUE(schema_path.has_value()) << "no schema for examples/" << name;
    nlohmann::json schema_doc = readJson(*schema_path);
    std::string draft = schema_doc.is_object() ? schema_doc.value("$schema", "") : "";
    if (!draft.empty() && draft.find("draft-07") == std::string::npos) {
      // valijson implements draft-07; other drafts are checked by their own owners' tests.
      std::cout << "[ SKIPPED  ] examples/" << name << ": schema is " << draft << "\n";
      continue;
    }
    auto validator = SchemaValidator::fromFile(*schema_path);
    ASSERT_TRUE(validator.ok()) << validator.status().toString();
    std::vector<std::filesystem::path> valid = jsonFiles(entry.path() / "valid");
    std::vector<std::filesystem::path> invalid = jsonFiles(entry.path() / "invalid");
    EXPECT_FALSE(valid.empty()) << "examples/" << name << "/valid is empty";
    EXPECT_FALSE(invalid.empty()) << "examples/" << name << "/invalid is empty";
    for (const auto& file : valid) {
      nlohmann::json doc = readJson(file);
      ASSERT_FALSE(doc.is_discarded()) << file;
      Status status = validator->validate(doc);
      EXPECT_TRUE(status.ok()) << file << ": " << status.message();
      ++checked;
    }
    for (const auto& file : invalid) {
      nlohmann::json doc = readJson(file);
      ASSERT_FALSE(doc.is_discarded()) << file << " must be JSON (wrong in one way only)";
      std::vector<std::string> violations = validator->violations(doc);
      EXPECT_FALSE(violations.empty()) << file << " was accepted";
      ++checked;
    }
  }
  EXPECT_GT(checked, 0);
}

TEST(SchemaExamples, EveryPluginManifestIsValid) {
  auto schema = SchemaValidator::fromFile(kSchemas / "plugin-manifest.schema.json");
  ASSERT_TRUE(schema.ok()) << schema.status().toString();
  int checked = 0;
  for (const std::filesystem::path& root : {kSource / "plugins", kSource / "sdk/examples"}) {
    if (!std::filesystem::is_directory(root)) continue;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
      if (entry.path().filename() != "plugin.json") continue;
      SCOPED_TRACE(entry.path().string());
      auto manifest = Manifest::load(entry.path().parent_path(), *schema);
      ASSERT_TRUE(manifest.ok()) << manifest.status().message();
      if (!manifest->config_schema.empty()) {
        auto config_schema =
            SchemaValidator::fromFile(entry.path().parent_path() / manifest->config_schema);
        EXPECT_TRUE(config_schema.ok()) << config_schema.status().message();
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 0) << "sdk/examples/hello_agent/plugin.json at least";
}

}  // namespace
}  // namespace switchboard::core
