// The sequential pattern's plugin config (empty) and its params schema.
#include <gtest/gtest.h>

#include "tests/plugins/support/decider_driver.hpp"

namespace switchboard::plugins {
namespace {

using testing::loadPatternForTest;
using testing::loadPluginForTest;
using testing::validateAgainstSchema;

TEST(SequentialWorkflowConfig, PluginConfigIsEmptyAndStrict) {
  EXPECT_TRUE(loadPluginForTest<WorkflowPattern>("workflow", "sequential", "{}").ok());
  auto rejected = loadPluginForTest<WorkflowPattern>("workflow", "sequential", R"({"x":1})");
  EXPECT_EQ(rejected.status().code(), StatusCode::kInvalidArgument);
}

TEST(SequentialWorkflowConfig, ParamsSchemaAcceptsValidParams) {
  auto pattern = loadPatternForTest("sequential");
  ASSERT_NE(pattern, nullptr);
  EXPECT_FALSE(pattern->description().empty());
  const std::string schema = pattern->paramsSchema();
  for (const char* params : {
           "{}",
           R"({"on_failure":"continue"})",
           R"({"steps":[{"prompt":"a"},{"agent":"x","prompt":"b","timeout_ms":10,"max_attempts":2},
                        {"capability":"review","prompt":"c"}],"on_failure":"fail"})",
       }) {
    Status status = validateAgainstSchema(schema, params);
    EXPECT_TRUE(status.ok()) << params << ": " << status.toString();
  }
}

TEST(SequentialWorkflowConfig, ParamsSchemaRejectsInvalidParams) {
  auto pattern = loadPatternForTest("sequential");
  ASSERT_NE(pattern, nullptr);
  const std::string schema = pattern->paramsSchema();
  for (const char* params : {
           R"({"stesp":[]})",
           R"({"steps":[]})",
           R"({"steps":[{"agent":"x"}]})",
           R"({"steps":[{"prompt":"a","model":"m"}]})",
           R"({"on_failure":"retry"})",
           R"({"steps":[{"prompt":"a","timeout_ms":-5}]})",
       }) {
    EXPECT_EQ(validateAgainstSchema(schema, params).code(), StatusCode::kInvalidArgument)
        << params;
  }
}

}  // namespace
}  // namespace switchboard::plugins
