// The parallel pattern's plugin config (empty) and its params schema.
#include <gtest/gtest.h>

#include "tests/plugins/support/decider_driver.hpp"

namespace switchboard::plugins {
namespace {

using testing::loadPatternForTest;
using testing::loadPluginForTest;
using testing::validateAgainstSchema;

TEST(ParallelWorkflowConfig, PluginConfigIsEmptyAndStrict) {
  EXPECT_TRUE(loadPluginForTest<WorkflowPattern>("workflow", "parallel", "{}").ok());
  auto rejected = loadPluginForTest<WorkflowPattern>("workflow", "parallel", R"({"x":1})");
  EXPECT_EQ(rejected.status().code(), StatusCode::kInvalidArgument);
}

TEST(ParallelWorkflowConfig, ParamsSchemaAcceptsValidParams) {
  auto pattern = loadPatternForTest("parallel");
  ASSERT_NE(pattern, nullptr);
  EXPECT_FALSE(pattern->description().empty());
  const std::string schema = pattern->paramsSchema();
  for (const char* params : {
           "{}",
           R"({"join":"any","failure":"fail_fast"})",
           R"({"join":"quorum","quorum":2,"failure":"settle_all","max_parallel":3})",
           R"({"branches":[{"prompt":"a"},{"agent":"x","timeout_ms":5},{"capability":"c"}]})",
       }) {
    Status status = validateAgainstSchema(schema, params);
    EXPECT_TRUE(status.ok()) << params << ": " << status.toString();
  }
}

TEST(ParallelWorkflowConfig, ParamsSchemaRejectsInvalidParams) {
  auto pattern = loadPatternForTest("parallel");
  ASSERT_NE(pattern, nullptr);
  const std::string schema = pattern->paramsSchema();
  for (const char* params : {
           R"({"branch":[]})",
           R"({"branches":[]})",
           R"({"branches":[{"prompt":"a","weight":1}]})",
           R"({"join":"most"})",
           R"({"join":"quorum","quorum":0})",
           R"({"failure":"ignore"})",
           R"({"max_parallel":-1})",
       }) {
    EXPECT_EQ(validateAgainstSchema(schema, params).code(), StatusCode::kInvalidArgument)
        << params;
  }
}

}  // namespace
}  // namespace switchboard::plugins
