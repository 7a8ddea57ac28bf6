// Checks the workflow patterns' config tests share: the plugin config is empty and strict,
// and the params schema accepts (or rejects) each of the params a test lists. Failures name
// the pattern and the params.
//
// Header-only; test code only; not thread-safe.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

#include "tests/plugins/support/decider_driver.hpp"

namespace switchboard::plugins::testing {

inline void expectEmptyStrictPluginConfig(const std::string& pattern) {
  EXPECT_TRUE(loadPluginForTest<WorkflowPattern>("workflow", pattern, "{}").ok()) << pattern;
  auto rejected = loadPluginForTest<WorkflowPattern>("workflow", pattern, R"({"x":1})");
  EXPECT_EQ(rejected.status().code(), StatusCode::kInvalidArgument) << pattern;
}

// Also checks that the pattern describes itself.
inline void expectParamsAccepted(const std::string& pattern,
                                 std::initializer_list<const char*> params_list) {
  auto loaded = loadPatternForTest(pattern);
  ASSERT_NE(loaded, nullptr) << pattern;
  EXPECT_FALSE(loaded->description().empty()) << pattern;
  const std::string schema = loaded->paramsSchema();
  for (const char* params : params_list) {
    Status status = validateAgainstSchema(schema, params);
    EXPECT_TRUE(status.ok()) << pattern << " " << params << ": " << status.toString();
  }
}

inline void expectParamsRejected(const std::string& pattern,
                                 std::initializer_list<const char*> params_list) {
  auto loaded = loadPatternForTest(pattern);
  ASSERT_NE(loaded, nullptr) << pattern;
  const std::string schema = loaded->paramsSchema();
  for (const char* params : params_list) {
    EXPECT_EQ(validateAgainstSchema(schema, params).code(), StatusCode::kInvalidArgument)
        << pattern << " " << params;
  }
}

}  // namespace switchboard::plugins::testing
