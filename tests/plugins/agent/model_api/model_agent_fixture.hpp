// ModelAgentFixture: loads one API model agent plugin (anthropic or openai) through the
// real plugin host and points its agents at a FakeModelServer on loopback.
//
// Test code only.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/plugins/support/agent_waiter.hpp"
#include "tests/plugins/support/fake_model_server.hpp"
#include "tests/plugins/support/plugin_loader.hpp"

namespace switchboard::plugins::testing {

class ModelAgentFixture : public ::testing::Test {
 protected:
  using json = nlohmann::json;
  using Reply = FakeModelServer::Reply;
  using Clock = std::chrono::steady_clock;

  // `name` is the plugin ("anthropic"); `plugin_config` its instance config; `data_dir` the
  // gateway's data folder it is given (none by default).
  void load(const std::string& name, json plugin_config,
            const std::filesystem::path& data_dir = {}) {
    ASSERT_TRUE(fake_.running()) << "the fake model server did not start";
    auto type = loadPluginForTest<AgentType>("agent", name, plugin_config.dump(), data_dir);
    ASSERT_TRUE(type.ok()) << type.status().toString();
    type_ = *type;
  }
  // An agent of `model` with `config` (checked against the type's schema first).
  Result<std::unique_ptr<Agent>> make(json config, const std::string& model,
                                      const std::string& system_prompt = "",
                                      const std::string& id = "ag_model") {
    Status valid = validateAgainstSchema(type_->agentConfigSchema(), config.dump());
    if (!valid.ok()) return valid;
    AgentSpec spec;
    spec.id = id;
    spec.name = "model";
    spec.model = model;
    spec.system_prompt = system_prompt;
    spec.config_json = config.dump();
    return type_->createAgent(spec);
  }
  static AgentRequest request(const std::string& prompt) {
    AgentRequest r;
    r.request_id = "rq_1";
    r.input_json = json{{"prompt", prompt}}.dump();
    return r;
  }
  // Calls and waits for the reply.
  AgentReply ask(Agent& agent, const AgentRequest& r,
                 std::shared_ptr<AgentWaiter> waiter = nullptr) {
    if (!waiter) waiter = std::make_shared<AgentWaiter>();
    auto call = agent.call(r, waiter);
    if (!call.ok()) {
      AgentReply failed;
      failed.status = call.status();
      return failed;
    }
    return waiter->wait();
  }
  static json bodyOf(const FakeModelServer::Received& r) {
    return json::parse(r.body, nullptr, false);
  }

  FakeModelServer fake_;
  std::shared_ptr<AgentType> type_;
};

}  // namespace switchboard::plugins::testing
