// FakeAgentType: an in-process agent type for the agent service tests (the scripted
// plugin is used in agent_service_plugin_test.cpp when it is built).
//
// Config: {"reply": "...", "delay_ms": N, "fail": bool, "reject": bool}. An agent answers
// {"text": reply} (or "echo: <prompt>") after delay_ms on its own thread, with fixed usage;
// "fail" makes every call fail, "reject" makes createAgent() refuse the spec. cancel()
// ends a waiting call at once with a Cancelled status.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "core/agents/agent_type_catalog.hpp"
#include "switchboard/agent.hpp"

namespace switchboard::testing {

inline Usage fakeUsage() {
  Usage u;
  u.input_tokens = 10;
  u.output_tokens = 5;
  u.turns = 1;
  u.cost_usd = 0.25;
  return u;
}

class FakeAgent final : public Agent {
 public:
  explicit FakeAgent(nlohmann::json config) : config_(std::move(config)) {}
  ~FakeAgent() override {
    {
      std::lock_guard lock(state_->mu);
      state_->cancelled_all = true;
    }
    state_->cv.notify_all();
    for (std::thread& t : threads_) t.join();
  }

  Result<std::unique_ptr<AgentCall>> call(const AgentRequest& request,
                                          std::shared_ptr<AgentCallback> callback) override {
    auto input = nlohmann::json::parse(request.input_json, nullptr, false);
    std::string prompt = input.is_object() ? input.value("prompt", "") : "";
    std::string reply = config_.value("reply", "echo: " + prompt);
    int delay = config_.value("delay_ms", 0);
    bool fail = config_.value("fail", false);
    auto flag = std::make_shared<std::atomic<bool>>(false);
    auto state = state_;
    std::lock_guard lock(threads_mu_);
    threads_.emplace_back([=] {
      {
        std::unique_lock l(state->mu);
        state->cv.wait_for(l, std::chrono::milliseconds(delay),
                           [&] { return flag->load() || state->cancelled_all; });
      }
      AgentReply r;
      if (flag->load() || state->cancelled_all) {
        r.status = Status::cancelled("cancelled");
      } else if (fail) {
        r.status = Status::internal("injected failure");
        r.usage = fakeUsage();
      } else {
        r.output_json = nlohmann::json{{"text", reply}}.dump();
        r.usage = fakeUsage();
      }
      callback->onDone(std::move(r));
    });
    return std::unique_ptr<AgentCall>(std::make_unique<Call>(flag, state_));
  }

 private:
  struct Shared {
    std::mutex mu;
    std::condition_variable cv;
    bool cancelled_all = false;
  };
  struct Call final : AgentCall {
    Call(std::shared_ptr<std::atomic<bool>> f, std::shared_ptr<Shared> s)
        : flag(std::move(f)), state(std::move(s)) {}
    void cancel() noexcept override {
      {
        std::lock_guard lock(state->mu);
        flag->store(true);
      }
      state->cv.notify_all();
    }
    std::shared_ptr<std::atomic<bool>> flag;
    std::shared_ptr<Shared> state;
  };

  nlohmann::json config_;
  std::shared_ptr<Shared> state_ = std::make_shared<Shared>();
  std::mutex threads_mu_;
  std::vector<std::thread> threads_;
};

class FakeAgentType final : public AgentType {
 public:
  std::string agentConfigSchema() const override {
    return R"({"type": "object", "additionalProperties": false, "properties": {
      "reply": {"type": "string"}, "delay_ms": {"type": "integer", "minimum": 0},
      "fail": {"type": "boolean"}, "reject": {"type": "boolean"}}})";
  }
  Result<std::unique_ptr<Agent>> createAgent(const AgentSpec& spec) override {
    ++created;
    auto config = nlohmann::json::parse(spec.config_json, nullptr, false);
    if (config.is_discarded() || config.value("reject", false)) {
      return Status::invalidArgument("this spec is rejected (reject: true)");
    }
    return std::unique_ptr<Agent>(std::make_unique<FakeAgent>(config));
  }
  std::atomic<int> created{0};
};

// Catalog holding one FakeAgentType named "test.agent.fake" (short name "fake").
class FakeCatalog final : public core::AgentTypeCatalog {
 public:
  std::vector<std::string> agentTypeNames() const override {
    return available ? std::vector<std::string>{"test.agent.fake"} : std::vector<std::string>{};
  }
  Result<std::shared_ptr<AgentType>> agentType(const std::string& name) override {
    if (!available || name != "test.agent.fake")
      return Status::notFound("agent type " + name + " is not loaded");
    return std::shared_ptr<AgentType>(type);
  }
  std::shared_ptr<FakeAgentType> type = std::make_shared<FakeAgentType>();
  std::atomic<bool> available{true};
};

}  // namespace switchboard::testing
