#include "hello_agent.hpp"

#include <nlohmann/json.hpp>

namespace hello {

class HelloAgent::Call final : public switchboard::AgentCall {
 public:
  explicit Call(std::shared_ptr<CallState> state) : state_(std::move(state)) {}
  void cancel() noexcept override {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->cancelled = true;
    state_->wake.notify_all();
  }

 private:
  std::shared_ptr<CallState> state_;
};

switchboard::Result<HelloConfig> parseConfig(std::string_view config_json, HelloConfig defaults) {
  nlohmann::json config = nlohmann::json::parse(config_json, nullptr, false);
  if (!config.is_object()) return switchboard::Status::invalidArgument("config must be an object");
  HelloConfig out = std::move(defaults);
  if (config.contains("greeting") && config["greeting"].is_string()) {
    out.greeting = config["greeting"].get<std::string>();
  }
  if (config.contains("delay_ms") && config["delay_ms"].is_number_integer()) {
    out.delay = std::chrono::milliseconds(config["delay_ms"].get<std::int64_t>());
  }
  return out;
}

HelloAgent::~HelloAgent() {
  std::lock_guard<std::mutex> lock(threads_mutex_);
  for (auto& [state, thread] : threads_) {
    {
      std::lock_guard<std::mutex> state_lock(state->mutex);
      state->cancelled = true;
      state->wake.notify_all();
    }
    thread.join();
  }
}

switchboard::Result<std::unique_ptr<switchboard::AgentCall>> HelloAgent::call(
    const switchboard::AgentRequest& request,
    std::shared_ptr<switchboard::AgentCallback> callback) {
  nlohmann::json input = nlohmann::json::parse(request.input_json, nullptr, false);
  if (!input.is_object() || !input.contains("prompt") || !input["prompt"].is_string()) {
    return switchboard::Status::invalidArgument(R"(input must be {"prompt": "<text>"})");
  }
  auto state = std::make_shared<CallState>();
  std::lock_guard<std::mutex> lock(threads_mutex_);
  // Reap calls that have finished.
  for (auto it = threads_.begin(); it != threads_.end();) {
    bool finished = false;
    {
      std::lock_guard<std::mutex> state_lock(it->first->mutex);
      finished = it->first->finished;
    }
    if (finished) {
      it->second.join();
      it = threads_.erase(it);
    } else {
      ++it;
    }
  }
  threads_.emplace_back(
      state, std::thread(&HelloAgent::run, this, state, input["prompt"].get<std::string>(),
                         std::move(callback)));
  return std::unique_ptr<switchboard::AgentCall>(std::make_unique<Call>(state));
}

void HelloAgent::run(std::shared_ptr<CallState> state, std::string prompt,
                     std::shared_ptr<switchboard::AgentCallback> callback) const {
  callback->onProgress("composing a greeting");
  bool cancelled = false;
  {
    std::unique_lock<std::mutex> lock(state->mutex);
    state->wake.wait_for(lock, config_.delay, [&] { return state->cancelled; });
    cancelled = state->cancelled;
  }
  switchboard::AgentReply reply;
  reply.usage.turns = 1;
  if (cancelled) {
    reply.status = switchboard::Status::cancelled("cancelled before the greeting was ready");
  } else {
    reply.output_json = nlohmann::json{{"text", config_.greeting + ", " + prompt + "!"}}.dump();
    reply.usage.output_tokens = 1;
  }
  callback->onUsage(reply.usage);
  callback->onDone(std::move(reply));
  std::lock_guard<std::mutex> lock(state->mutex);
  state->finished = true;
}

std::string HelloAgentType::agentConfigSchema() const {
  return R"({"type":"object","additionalProperties":false,)"
         R"("properties":{"greeting":{"type":"string","minLength":1},)"
         R"("delay_ms":{"type":"integer","minimum":0,"maximum":60000}}})";
}

switchboard::Result<std::unique_ptr<switchboard::Agent>> HelloAgentType::createAgent(
    const switchboard::AgentSpec& spec) {
  switchboard::Result<HelloConfig> config = parseConfig(spec.config_json, defaults_);
  if (!config.ok()) return config.status();
  return std::unique_ptr<switchboard::Agent>(std::make_unique<HelloAgent>(std::move(*config)));
}

}  // namespace hello
