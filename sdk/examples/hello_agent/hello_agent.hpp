// HelloAgentType and HelloAgent: the example agent plugin. An agent answers
// {"prompt": "world"} with {"text": "Hello, world!"} after the configured delay, on a thread
// of its own; cancel() ends the wait at once and the call finishes as Cancelled.
//
// Ownership: the host owns the type and every agent (and keeps this library loaded while
// they live). An agent joins all its call threads in its destructor, so no plugin code
// runs after the host drops it. Thread safety: call() may run concurrently.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "switchboard/agent.hpp"

namespace hello {

struct HelloConfig {
  std::string greeting = "Hello";
  std::chrono::milliseconds delay{0};
};

class HelloAgent final : public switchboard::Agent {
 public:
  explicit HelloAgent(HelloConfig config) : config_(std::move(config)) {}
  ~HelloAgent() override;

  switchboard::Result<std::unique_ptr<switchboard::AgentCall>> call(
      const switchboard::AgentRequest& request,
      std::shared_ptr<switchboard::AgentCallback> callback) override;

 private:
  struct CallState {
    std::mutex mutex;
    std::condition_variable wake;
    bool cancelled = false;
    bool finished = false;
  };
  class Call;
  void run(std::shared_ptr<CallState> state, std::string prompt,
           std::shared_ptr<switchboard::AgentCallback> callback) const;

  HelloConfig config_;
  std::mutex threads_mutex_;
  std::vector<std::pair<std::shared_ptr<CallState>, std::thread>> threads_;
};

class HelloAgentType final : public switchboard::AgentType {
 public:
  explicit HelloAgentType(HelloConfig defaults) : defaults_(std::move(defaults)) {}
  std::string agentConfigSchema() const override;
  switchboard::Result<std::unique_ptr<switchboard::Agent>> createAgent(
      const switchboard::AgentSpec& spec) override;

 private:
  HelloConfig defaults_;
};

// Reads the instance config (already validated against config.schema.json by the host).
switchboard::Result<HelloConfig> parseConfig(std::string_view config_json, HelloConfig defaults);

}  // namespace hello
