// ScriptPlayer: one scripted agent. It answers each request from its script (the agent's
// config, see agent_config.schema.json): the first matching rule's reply or error, else the
// default reply, else an echo of the prompt; with optional usage, latency and injected
// failures, all derived from the request alone (no clock, no random source), so the same
// request and attempt always get the same answer.
//
// With no latency a call finishes inside call() (onDone() before it returns) with no
// thread and no heap work beyond the reply itself. With latency the reply waits on the
// agent type's single ReplyTimer thread; cancel() finishes it at once with Cancelled.
//
// Ownership: shares the ReplyTimer with its agent type. Thread safety: call() may run
// concurrently; the script is immutable and the attempt counts sit under a mutex.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "plugins/agent/scripted/reply_timer.hpp"
#include "switchboard/agent.hpp"

namespace switchboard::plugins {

class ScriptPlayer : public Agent {
 public:
  // InvalidArgument when config_json is not a valid script (e.g. a bad regular expression).
  static Result<std::unique_ptr<ScriptPlayer>> create(const AgentSpec& spec,
                                                      std::shared_ptr<ReplyTimer> timer);

  Result<std::unique_ptr<AgentCall>> call(const AgentRequest& request,
                                          std::shared_ptr<AgentCallback> callback) override;

 private:
  struct Rule {
    std::string substring;  // when not a regex
    std::optional<std::regex> regex;
    std::string reply_json;  // the whole output, ready to send
    std::string error;       // when set, the call fails with it
    std::optional<Usage> usage;
  };

  explicit ScriptPlayer(std::shared_ptr<ReplyTimer> timer) : timer_(std::move(timer)) {}
  Status parse(std::string_view config_json);
  // Counts this call among those with the same request id; returns the attempt (1-based).
  std::int64_t nextAttempt(const std::string& request_id);
  void forget(const std::string& request_id);
  AgentReply answer(const AgentRequest& request, std::int64_t attempt) const;

  std::shared_ptr<ReplyTimer> timer_;
  std::vector<Rule> rules_;
  std::optional<std::string> default_reply_json_;
  std::int64_t latency_ms_ = 0;
  std::int64_t jitter_ms_ = 0;
  std::int64_t fail_first_ = 0;
  double fail_rate_ = 0.0;
  std::string fail_message_ = "injected failure";
  Usage usage_;

  std::mutex attempts_mutex_;
  std::unordered_map<std::string, std::int64_t> attempts_;  // only when failures are injected
};

}  // namespace switchboard::plugins
