// The dag pattern's plugin config (empty) and its params schema.
#include <gtest/gtest.h>

#include "tests/plugins/support/decider_driver.hpp"

namespace switchboard::plugins {
namespace {

using testing::loadPatternForTest;
using testing::loadPluginForTest;
using testing::validateAgainstSchema;

TEST(DagWorkflowConfig, PluginConfigIsEmptyAndStrict) {
  EXPECT_TRUE(loadPluginForTest<WorkflowPattern>("workflow", "dag", "{}").ok());
  auto rejected = loadPluginForTest<WorkflowPattern>("workflow", "dag", R"({"x":1})");
  EXPECT_EQ(rejected.status().code(), StatusCode::kInvalidArgument);
}

TEST(DagWorkflowConfig, ParamsSchemaAcceptsValidParams) {
  auto pattern = loadPatternForTest("dag");
  ASSERT_NE(pattern, nullptr);
  EXPECT_FALSE(pattern->description().empty());
  const std::string schema = pattern->paramsSchema();
  for (const char* params : {
           "{}",
           R"({"max_parallel":1})",
           R"({"max_parallel":0,"on_failure":"fail","phase_barrier":"strict"})",
           R"({"on_failure":"block_dependents","phase_barrier":"eager"})",
       }) {
    Status status = validateAgainstSchema(schema, params);
    EXPECT_TRUE(status.ok()) << params << ": " << status.toString();
  }
}

TEST(DagWorkflowConfig, ParamsSchemaRejectsInvalidParams) {
  auto pattern = loadPatternForTest("dag");
  ASSERT_NE(pattern, nullptr);
  const std::string schema = pattern->paramsSchema();
  for (const char* params : {
           R"({"max_paralel":2})",
           R"({"max_parallel":-1})",
           R"({"max_parallel":"4"})",
           R"({"on_failure":"continue"})",
           R"({"phase_barrier":"lazy"})",
           R"({"tasks":[]})",
       }) {
    EXPECT_EQ(validateAgainstSchema(schema, params).code(), StatusCode::kInvalidArgument)
        << params;
  }
}

}  // namespace
}  // namespace switchboard::plugins
