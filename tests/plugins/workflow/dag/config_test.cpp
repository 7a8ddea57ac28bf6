// The dag pattern's plugin config (empty) and its params schema.
#include <gtest/gtest.h>

#include "tests/plugins/support/pattern_config_checks.hpp"

namespace switchboard::plugins {
namespace {

using testing::expectEmptyStrictPluginConfig;
using testing::expectParamsAccepted;
using testing::expectParamsRejected;

TEST(DagWorkflowConfig, PluginConfigIsEmptyAndStrict) { expectEmptyStrictPluginConfig("dag"); }

TEST(DagWorkflowConfig, ParamsSchemaAcceptsValidParams) {
  expectParamsAccepted("dag",
                       {
                           "{}",
                           R"({"max_parallel":1})",
                           R"({"max_parallel":0,"on_failure":"fail","phase_barrier":"strict"})",
                           R"({"on_failure":"block_dependents","phase_barrier":"eager"})",
                       });
}

TEST(DagWorkflowConfig, ParamsSchemaRejectsInvalidParams) {
  expectParamsRejected("dag", {
                                  R"({"max_paralel":2})",
                                  R"({"max_parallel":-1})",
                                  R"({"max_parallel":"4"})",
                                  R"({"on_failure":"continue"})",
                                  R"({"phase_barrier":"lazy"})",
                                  R"({"tasks":[]})",
                              });
}

}  // namespace
}  // namespace switchboard::plugins
