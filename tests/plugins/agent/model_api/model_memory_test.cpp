// Conversation memory of the API model agents (agent config memory.max_turns), through the
// real plugin host against the loopback fake: what the next request sends (checked on what
// the fake received), the cap, failed calls left out, the file in the data folder that a new
// plugin instance (a gateway restart) reads back, and memory without a data folder.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "tests/plugins/agent/model_api/model_agent_fixture.hpp"
#include "tests/plugins/agent/model_api/stream_events.hpp"
#include "tests/plugins/support/temp_dir.hpp"

namespace switchboard::plugins::testing {
namespace {

using json = nlohmann::json;

class ModelMemoryTest : public ModelAgentFixture {
 protected:
  std::unique_ptr<Agent> agent(json extra, const std::string& model = "claude-test") {
    json config = {{"base_url", fake_.url()},
                   {"api_key", "sk-memory"},
                   {"retry_base_ms", 10},
                   {"max_retries", 0}};
    for (auto& [k, v] : extra.items()) config[k] = v;
    auto made = make(config, model, "", "ag_memo");
    EXPECT_TRUE(made.ok()) << made.status().toString();
    return made.ok() ? std::move(*made) : nullptr;
  }
  // Asks `prompt`, the fake answering `answer`; returns the messages the fake received.
  json turn(Agent& a, const std::string& prompt, const std::string& answer) {
    fake_.script({Reply::stream(AnthropicEvents::answer({answer}, 10, 2))});
    AgentReply reply = ask(a, request(prompt));
    EXPECT_TRUE(reply.status.ok()) << reply.status.toString();
    auto got = fake_.received();
    return got.empty() ? json() : bodyOf(got.back())["messages"];
  }
  static json messages(std::initializer_list<std::pair<const char*, const char*>> list) {
    json out = json::array();
    for (auto& [role, content] : list) out.push_back({{"role", role}, {"content", content}});
    return out;
  }
  TempDirForTest dir_;
};

TEST_F(ModelMemoryTest, TheNextRequestCarriesTheEarlierTurnsUpToTheCap) {
  load("anthropic", json::object(), dir_.path());
  auto a = agent({{"memory", {{"max_turns", 2}}}});
  ASSERT_TRUE(a);
  EXPECT_EQ(turn(*a, "one", "A1"), messages({{"user", "one"}}));
  EXPECT_EQ(turn(*a, "two", "A2"),
            messages({{"user", "one"}, {"assistant", "A1"}, {"user", "two"}}));
  turn(*a, "three", "A3");
  EXPECT_EQ(turn(*a, "four", "A4"), messages({{"user", "two"},
                                              {"assistant", "A2"},
                                              {"user", "three"},
                                              {"assistant", "A3"},
                                              {"user", "four"}}));
}

TEST_F(ModelMemoryTest, AFailedCallIsNotRemembered) {
  load("anthropic", json::object(), dir_.path());
  auto a = agent({{"memory", {{"max_turns", 5}}}});
  ASSERT_TRUE(a);
  turn(*a, "kept", "yes");
  fake_.script(
      {Reply{400, R"({"type":"error","error":{"type":"invalid_request_error","message":"no"}})"}});
  EXPECT_EQ(ask(*a, request("refused")).status.code(), StatusCode::kInvalidArgument);
  fake_.script({Reply::stream({AnthropicEvents::start(5), AnthropicEvents::delta("cut")}, 0,
                              /*broken=*/true)});
  EXPECT_EQ(ask(*a, request("broken")).status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(turn(*a, "next", "ok"),
            messages({{"user", "kept"}, {"assistant", "yes"}, {"user", "next"}}));
}

TEST_F(ModelMemoryTest, TheConversationSurvivesARestartThroughTheDataFolder) {
  load("anthropic", json::object(), dir_.path());
  {
    auto a = agent({{"memory", {{"max_turns", 4}}}});
    ASSERT_TRUE(a);
    turn(*a, "Remember 42.", "Noted: 42.");
  }
  const std::filesystem::path file = dir_.path() / "conversations" / "anthropic" / "ag_memo.json";
  ASSERT_TRUE(std::filesystem::exists(file));
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  type_.reset();  // the plugin instance goes away, as in a gateway restart
  load("anthropic", json::object(), dir_.path());
  auto again = agent({{"memory", {{"max_turns", 4}}}});
  ASSERT_TRUE(again);
  EXPECT_EQ(
      turn(*again, "What number?", "42."),
      messages({{"user", "Remember 42."}, {"assistant", "Noted: 42."}, {"user", "What number?"}}));
}

TEST_F(ModelMemoryTest, WithoutADataFolderTheConversationLivesInTheProcess) {
  load("anthropic", json::object());  // no data folder
  {
    auto a = agent({{"memory", {{"max_turns", 3}}}});
    ASSERT_TRUE(a);
    turn(*a, "first", "one");
  }
  auto restarted = agent({{"memory", {{"max_turns", 3}}}});  // the host remade the agent
  ASSERT_TRUE(restarted);
  EXPECT_EQ(turn(*restarted, "second", "two"),
            messages({{"user", "first"}, {"assistant", "one"}, {"user", "second"}}));
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path("conversations")));
}

TEST_F(ModelMemoryTest, WithoutMemoryEachRequestStandsAlone) {
  load("anthropic", json::object(), dir_.path());
  auto a = agent(json::object());
  ASSERT_TRUE(a);
  turn(*a, "one", "A1");
  EXPECT_EQ(turn(*a, "two", "A2"), messages({{"user", "two"}}));
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "conversations"));
}

TEST_F(ModelMemoryTest, OpenAIAgentsSendTheTurnsAfterTheSystemMessage) {
  ::unsetenv("OPENAI_API_KEY");
  load("openai", json::object(), dir_.path());
  auto made = make({{"base_url", fake_.url() + "/v1"}, {"memory", {{"max_turns", 1}}}}, "gpt-test",
                   "Be kind.", "ag_memo");
  ASSERT_TRUE(made.ok()) << made.status().toString();
  Agent& a = **made;
  fake_.script({Reply::stream(OpenAIEvents::answer({"Hello!"}, 3, 2))});
  ASSERT_TRUE(ask(a, request("Hi.")).status.ok());
  fake_.script({Reply::stream(OpenAIEvents::answer({"Fine."}, 3, 2))});
  ASSERT_TRUE(ask(a, request("How are you?")).status.ok());
  EXPECT_EQ(bodyOf(fake_.received()[0])["messages"], messages({{"system", "Be kind."},
                                                               {"user", "Hi."},
                                                               {"assistant", "Hello!"},
                                                               {"user", "How are you?"}}));
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "conversations" / "openai" / "ag_memo.json"));
}

TEST_F(ModelMemoryTest, MemorySettingsAreChecked) {
  load("anthropic", json::object(), dir_.path());
  for (json bad : {json{{"max_turns", 0}}, json{{"turns", 3}}, json(3)}) {
    auto made = make({{"base_url", fake_.url()}, {"api_key", "k"}, {"memory", bad}}, "claude-test");
    EXPECT_FALSE(made.ok()) << bad.dump();
  }
}

}  // namespace
}  // namespace switchboard::plugins::testing
