// The sequential pattern's plugin config (empty) and its params schema.
#include <gtest/gtest.h>

#include "tests/plugins/support/pattern_config_checks.hpp"

namespace switchboard::plugins {
namespace {

using testing::expectEmptyStrictPluginConfig;
using testing::expectParamsAccepted;
using testing::expectParamsRejected;

TEST(SequentialWorkflowConfig, PluginConfigIsEmptyAndStrict) {
  expectEmptyStrictPluginConfig("sequential");
}

TEST(SequentialWorkflowConfig, ParamsSchemaAcceptsValidParams) {
  expectParamsAccepted(
      "sequential",
      {
          "{}",
          R"({"on_failure":"continue"})",
          R"({"steps":[{"prompt":"a"},{"agent":"x","prompt":"b","timeout_ms":10,"max_attempts":2},
                 {"capability":"review","prompt":"c"}],"on_failure":"fail"})",
      });
}

TEST(SequentialWorkflowConfig, ParamsSchemaRejectsInvalidParams) {
  expectParamsRejected("sequential", {
                                         R"({"stesp":[]})",
                                         R"({"steps":[]})",
                                         R"({"steps":[{"agent":"x"}]})",
                                         R"({"steps":[{"prompt":"a","model":"m"}]})",
                                         R"({"on_failure":"retry"})",
                                         R"({"steps":[{"prompt":"a","timeout_ms":-5}]})",
                                     });
}

}  // namespace
}  // namespace switchboard::plugins
