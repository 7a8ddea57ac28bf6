// ModelSettings: the plugin config merged with the agent's, the base URL, the price table
// and where the API key comes from.
#include "plugins/support/model_api/model_settings.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <nlohmann/json.hpp>

namespace switchboard::plugins {
namespace {

using nlohmann::json;

const ModelDefaults kDefaults{"anthropic", "https://api.anthropic.com", "SB_TEST_DEFAULT_KEY",
                              true};

AgentSpec spec(json config, std::string model = "m1") {
  AgentSpec s;
  s.id = "ag_1";
  s.model = std::move(model);
  s.config_json = config.dump();
  return s;
}

TEST(ModelBaseUrl, SplitsOriginAndPrefix) {
  Result<BaseUrl> a = BaseUrl::parse("https://api.openai.com/v1/");
  ASSERT_TRUE(a.ok()) << a.status().toString();
  EXPECT_EQ(a->origin, "https://api.openai.com");
  EXPECT_EQ(a->prefix, "/v1");
  Result<BaseUrl> b = BaseUrl::parse("http://127.0.0.1:8080");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->origin, "http://127.0.0.1:8080");
  EXPECT_EQ(b->prefix, "");
  for (const char* bad : {"api.anthropic.com", "ftp://x", "http://", "http://user@host/"}) {
    EXPECT_EQ(BaseUrl::parse(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(ModelSettings, AgentConfigOverridesThePluginsAndThePriceTableIsByModel) {
  json plugin = {{"api_key", "plugin-key"},
                 {"max_retries", 5},
                 {"timeout_ms", 1000},
                 {"prices", {{"m1", {{"input_per_mtok", 3}, {"output_per_mtok", 15}}}}}};
  Result<ModelSettings> s = ModelSettings::parse(kDefaults, plugin.dump(),
                                                 spec({{"timeout_ms", 50}, {"temperature", 0.5}}));
  ASSERT_TRUE(s.ok()) << s.status().toString();
  EXPECT_EQ(s->api_key, "plugin-key");
  EXPECT_EQ(s->max_retries, 5);
  EXPECT_EQ(s->timeout_ms, 50);
  EXPECT_EQ(s->temperature, 0.5);
  EXPECT_EQ(s->base.origin, "https://api.anthropic.com");
  ASSERT_TRUE(s->price.has_value());
  Usage u;
  u.input_tokens = 1000000;
  u.output_tokens = 100000;
  EXPECT_DOUBLE_EQ(s->price->cost(u), 3.0 + 1.5);

  Result<ModelSettings> unpriced =
      ModelSettings::parse(kDefaults, plugin.dump(), spec(json::object(), "m2"));
  ASSERT_TRUE(unpriced.ok());
  EXPECT_FALSE(unpriced->price.has_value());
  Result<ModelSettings> own = ModelSettings::parse(
      kDefaults, plugin.dump(), spec({{"price", {{"output_per_mtok", 1}}}}, "m2"));
  ASSERT_TRUE(own.ok());
  ASSERT_TRUE(own->price.has_value());
  EXPECT_EQ(own->price->output_per_mtok, 1);
}

TEST(ModelSettings, KeyComesFromTheConfigOrTheNamedVariableAndIsRequired) {
  ::unsetenv("SB_TEST_DEFAULT_KEY");
  ::setenv("SB_TEST_AGENT_KEY", "from-agent-env", 1);
  Result<ModelSettings> env =
      ModelSettings::parse(kDefaults, "{}", spec({{"api_key_env", "SB_TEST_AGENT_KEY"}}));
  ASSERT_TRUE(env.ok()) << env.status().toString();
  EXPECT_EQ(env->api_key, "from-agent-env");
  Result<ModelSettings> own = ModelSettings::parse(
      kDefaults, "{}", spec({{"api_key", "inline"}, {"api_key_env", "SB_TEST_AGENT_KEY"}}));
  ASSERT_TRUE(own.ok());
  EXPECT_EQ(own->api_key, "inline");
  ::setenv("SB_TEST_DEFAULT_KEY", "from-default", 1);
  EXPECT_EQ(ModelSettings::parse(kDefaults, "{}", spec(json::object()))->api_key, "from-default");
  ::unsetenv("SB_TEST_DEFAULT_KEY");

  Result<ModelSettings> none =
      ModelSettings::parse(kDefaults, "{}", spec({{"api_key_env", "SB_TEST_NO_SUCH"}}));
  EXPECT_EQ(none.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(none.status().message().find("$SB_TEST_NO_SUCH"), std::string::npos)
      << none.status().message();
  EXPECT_NE(none.status().message().find("$SB_TEST_DEFAULT_KEY"), std::string::npos);

  ModelDefaults optional = kDefaults;
  optional.key_required = false;
  Result<ModelSettings> keyless = ModelSettings::parse(optional, "{}", spec(json::object()));
  ASSERT_TRUE(keyless.ok());
  EXPECT_EQ(keyless->api_key, "");
}

TEST(ModelSettings, MalformedSettingsAreClearErrors) {
  EXPECT_NE(ModelSettings::parse(kDefaults, R"({"api_key":"k"})", spec(json::object(), ""))
                .status()
                .message()
                .find("needs a model"),
            std::string::npos);
  EXPECT_EQ(
      ModelSettings::parse(kDefaults, R"({"api_key":"k","base_url":"nope"})", spec(json::object()))
          .status()
          .code(),
      StatusCode::kInvalidArgument);
  EXPECT_EQ(ModelSettings::parse(kDefaults, R"({"api_key":"k"})", spec({{"max_tokens", 0}}))
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ModelSettings::parse(kDefaults, "[1]", spec(json::object())).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(ModelSettings, StreamIsOnByDefaultAndMemoryIsTheAgentsOwn) {
  Result<ModelSettings> plain =
      ModelSettings::parse(kDefaults, R"({"api_key":"k"})", spec(json::object()));
  ASSERT_TRUE(plain.ok()) << plain.status().toString();
  EXPECT_TRUE(plain->stream);
  EXPECT_EQ(plain->memory_max_turns, 0);
  Result<ModelSettings> off =
      ModelSettings::parse(kDefaults, R"({"api_key":"k","stream":false})", spec(json::object()));
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(off->stream);
  Result<ModelSettings> on =
      ModelSettings::parse(kDefaults, R"({"api_key":"k","stream":false})",
                           spec({{"stream", true}, {"memory", {{"max_turns", 7}}}}));
  ASSERT_TRUE(on.ok()) << on.status().toString();
  EXPECT_TRUE(on->stream);
  EXPECT_EQ(on->memory_max_turns, 7);
  for (json bad : {json{{"stream", "yes"}}, json{{"memory", {{"max_turns", 0}}}},
                   json{{"memory", 5}}, json{{"memory", {{"max_turns", 2}, {"extra", 1}}}}}) {
    EXPECT_EQ(ModelSettings::parse(kDefaults, R"({"api_key":"k"})", spec(bad)).status().code(),
              StatusCode::kInvalidArgument)
        << bad.dump();
  }
}

}  // namespace
}  // namespace switchboard::plugins
