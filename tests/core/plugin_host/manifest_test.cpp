#include "core/plugin_host/manifest.hpp"

#include <gtest/gtest.h>

namespace switchboard::core {
namespace {

SchemaValidator manifestSchema() {
  auto schema = SchemaValidator::fromFile(std::filesystem::path(SWITCHBOARD_SOURCE_DIR) /
                                          "schemas/plugin-manifest.schema.json");
  if (!schema.ok()) ADD_FAILURE() << schema.status().toString();
  return std::move(*schema);
}

nlohmann::json minimal() {
  return {{"manifest_version", 1},
          {"name", "example.agent.hello"},
          {"kind", "agent"},
          {"version", "1.2.3"},
          {"abi", 1},
          {"library", "hello"},
          {"description", "Hi."},
          {"status", "alpha"}};
}

TEST(Manifest, ReadsEveryFieldWithDefaults) {
  auto manifest = Manifest::fromJson(minimal(), manifestSchema());
  ASSERT_TRUE(manifest.ok()) << manifest.status().toString();
  EXPECT_EQ(manifest->name, "example.agent.hello");
  EXPECT_EQ(manifest->shortName(), "hello");
  EXPECT_TRUE(manifest->default_enabled);
  EXPECT_EQ(manifest->config_schema, "");
  EXPECT_TRUE(manifest->permissions.empty());
  EXPECT_EQ(manifest->libraryPath("/p"), std::filesystem::path("/p/hello.so"));

  nlohmann::json full = minimal();
  full["default"] = false;
  full["config_schema"] = "config.schema.json";
  full["provides"] = {"greeting"};
  full["permissions"] = {"network", "subprocess"};
  auto loaded = Manifest::fromJson(full, manifestSchema());
  ASSERT_TRUE(loaded.ok()) << loaded.status().toString();
  EXPECT_FALSE(loaded->default_enabled);
  EXPECT_EQ(loaded->config_schema, "config.schema.json");
  EXPECT_EQ(loaded->provides, std::vector<std::string>{"greeting"});
  EXPECT_EQ(loaded->permissions, (std::vector<std::string>{"network", "subprocess"}));
}

TEST(Manifest, RejectsWhatTheSchemaRejects) {
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, nlohmann::json>>{{"name", "NoDots"},
                                                           {"kind", "tool"},
                                                           {"version", "1.0"},
                                                           {"abi", "1"},
                                                           {"library", "../evil"},
                                                           {"config_schema", "../outside.json"},
                                                           {"permissions", {"root"}},
                                                           {"status", "beta"},
                                                           {"unknown", 1}}) {
    nlohmann::json doc = minimal();
    doc[key] = value;
    auto manifest = Manifest::fromJson(doc, manifestSchema());
    EXPECT_FALSE(manifest.ok()) << key;
    EXPECT_NE(manifest.status().message().find("schema violation"), std::string::npos);
  }
}

TEST(Manifest, MissingFileIsNotFound) {
  auto manifest = Manifest::load("/nonexistent/dir", manifestSchema());
  EXPECT_EQ(manifest.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace switchboard::core
