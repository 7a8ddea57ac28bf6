// The scripted agent type's configs: the plugin instance config (empty) and each agent's
// script, validated against agentConfigSchema() the way the host validates it.
#include <gtest/gtest.h>

#include <string>

#include "switchboard/agent.hpp"
#include "tests/plugins/support/plugin_loader.hpp"

namespace switchboard::plugins {
namespace {

using testing::loadPluginForTest;
using testing::validateAgainstSchema;

std::shared_ptr<AgentType> loadType() {
  auto type = loadPluginForTest<AgentType>("agent", "scripted", "{}");
  EXPECT_TRUE(type.ok()) << type.status().toString();
  return type.ok() ? *type : nullptr;
}

TEST(ScriptedAgentConfig, PluginConfigIsEmptyAndStrict) {
  EXPECT_TRUE(loadPluginForTest<AgentType>("agent", "scripted", "{}").ok());
  auto rejected = loadPluginForTest<AgentType>("agent", "scripted", R"({"latency_ms":5})");
  ASSERT_FALSE(rejected.ok());
  EXPECT_EQ(rejected.status().code(), StatusCode::kInvalidArgument);
}

TEST(ScriptedAgentConfig, ValidScriptsPassTheSchemaAndCreateAgents) {
  auto type = loadType();
  ASSERT_NE(type, nullptr);
  const std::string schema = type->agentConfigSchema();
  for (const char* config : {
           "{}",
           R"({"default_reply":"ok"})",
           R"({"default_reply":{"plan":[1,2]},"latency_ms":10,"jitter_ms":5})",
           R"({"rules":[{"match":"hello","reply":"hi"},{"match":{"regex":"^a.*z$"},
               "reply":{"score":8},"usage":{"input_tokens":3,"cost_usd":0.5}},
               {"match":"boom","error":"exploded"}]})",
           R"({"fail":{"first_attempts":2,"rate":0.25,"message":"flaky"},
               "usage":{"input_tokens":1,"output_tokens":2,"cache_read_tokens":3,
                        "cache_creation_tokens":4,"cost_usd":0.01}})",
       }) {
    EXPECT_TRUE(validateAgainstSchema(schema, config).ok())
        << config << ": " << validateAgainstSchema(schema, config).toString();
    AgentSpec spec;
    spec.id = "a1";
    spec.config_json = config;
    auto agent = type->createAgent(spec);
    EXPECT_TRUE(agent.ok()) << config << ": " << agent.status().toString();
  }
}

TEST(ScriptedAgentConfig, InvalidScriptsAreRejectedBySchema) {
  auto type = loadType();
  ASSERT_NE(type, nullptr);
  const std::string schema = type->agentConfigSchema();
  for (const char* config : {
           R"({"reply":"unknown top-level key"})",
           R"({"rules":[{"match":"x"}]})",
           R"({"rules":[{"match":"","reply":"empty match"}]})",
           R"({"rules":[{"match":{"regex":"a","flags":"i"},"reply":"x"}]})",
           R"({"rules":[{"match":"x","reply":"y","weight":2}]})",
           R"({"latency_ms":-1})",
           R"({"fail":{"rate":1.5}})",
           R"({"fail":{"first_attempts":1,"retry":true}})",
           R"({"usage":{"tokens":5}})",
           R"([])",
       }) {
    Status status = validateAgainstSchema(schema, config);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << config;
  }
}

TEST(ScriptedAgentConfig, BadRegexIsRejectedByCreateAgent) {
  auto type = loadType();
  ASSERT_NE(type, nullptr);
  AgentSpec spec;
  spec.id = "broken";
  spec.config_json = R"({"rules":[{"match":{"regex":"(unclosed"},"reply":"x"}]})";
  auto agent = type->createAgent(spec);
  ASSERT_FALSE(agent.ok());
  EXPECT_EQ(agent.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(agent.status().message().find("rules[0]"), std::string::npos)
      << agent.status().message();
  spec.config_json = "not json";
  EXPECT_EQ(type->createAgent(spec).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace switchboard::plugins
