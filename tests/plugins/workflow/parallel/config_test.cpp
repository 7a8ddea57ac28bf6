// The parallel pattern's plugin config (empty) and its params schema.
#include <gtest/gtest.h>

#include "tests/plugins/support/pattern_config_checks.hpp"

namespace switchboard::plugins {
namespace {

using testing::expectEmptyStrictPluginConfig;
using testing::expectParamsAccepted;
using testing::expectParamsRejected;

TEST(ParallelWorkflowConfig, PluginConfigIsEmptyAndStrict) {
  expectEmptyStrictPluginConfig("parallel");
}

TEST(ParallelWorkflowConfig, ParamsSchemaAcceptsValidParams) {
  expectParamsAccepted(
      "parallel",
      {
          "{}",
          R"({"join":"any","failure":"fail_fast"})",
          R"({"join":"quorum","quorum":2,"failure":"settle_all","max_parallel":3})",
          R"({"branches":[{"prompt":"a"},{"agent":"x","timeout_ms":5},{"capability":"c"}]})",
      });
}

TEST(ParallelWorkflowConfig, ParamsSchemaRejectsInvalidParams) {
  expectParamsRejected("parallel", {
                                       R"({"branch":[]})",
                                       R"({"branches":[]})",
                                       R"({"branches":[{"prompt":"a","weight":1}]})",
                                       R"({"join":"most"})",
                                       R"({"join":"quorum","quorum":0})",
                                       R"({"failure":"ignore"})",
                                       R"({"max_parallel":-1})",
                                   });
}

}  // namespace
}  // namespace switchboard::plugins
