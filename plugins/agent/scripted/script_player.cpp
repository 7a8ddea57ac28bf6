#include "plugins/agent/scripted/script_player.hpp"

#include <chrono>
#include <exception>
#include <nlohmann/json.hpp>
#include <utility>

namespace switchboard::plugins {
namespace {

using nlohmann::json;

// A call that finished inside call(): nothing left to cancel.
class FinishedCall : public AgentCall {
 public:
  void cancel() noexcept override {}
};

class DelayedCall : public AgentCall {
 public:
  explicit DelayedCall(std::shared_ptr<PendingReply> reply) : reply_(std::move(reply)) {}
  void cancel() noexcept override {
    reply_->finish(Status::cancelled("the call was cancelled before the scripted reply"));
  }

 private:
  std::shared_ptr<PendingReply> reply_;
};

std::string dumpJson(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// A reply as sent: strings become {"text": ...}, other JSON is sent as given.
std::string replyJson(const json& reply) {
  return reply.is_string() ? dumpJson(json{{"text", reply}}) : dumpJson(reply);
}

Usage parseUsage(const json& value) {
  Usage usage;
  auto integer = [&](const char* name) -> std::int64_t {
    auto found = value.find(name);
    return found != value.end() && found->is_number_integer() ? found->get<std::int64_t>() : 0;
  };
  usage.input_tokens = integer("input_tokens");
  usage.output_tokens = integer("output_tokens");
  usage.cache_read_tokens = integer("cache_read_tokens");
  usage.cache_creation_tokens = integer("cache_creation_tokens");
  if (auto cost = value.find("cost_usd"); cost != value.end() && cost->is_number()) {
    usage.cost_usd = cost->get<double>();
  }
  return usage;
}

std::int64_t integerOr(const json& object, const char* name, std::int64_t fallback) {
  auto found = object.find(name);
  return found != object.end() && found->is_number_integer() ? found->get<std::int64_t>()
                                                             : fallback;
}

// FNV-1a over request id, attempt and a salt: the only source of "randomness".
std::uint64_t hashCall(std::string_view request_id, std::int64_t attempt, char salt) {
  std::uint64_t hash = 1469598103934665603ull;
  auto mix = [&](std::string_view bytes) {
    for (unsigned char c : bytes) {
      hash ^= c;
      hash *= 1099511628211ull;
    }
  };
  mix(request_id);
  mix(std::string_view(&salt, 1));
  mix(std::to_string(attempt));
  return hash;
}

}  // namespace

Result<std::unique_ptr<ScriptPlayer>> ScriptPlayer::create(const AgentSpec& spec,
                                                           std::shared_ptr<ReplyTimer> timer) {
  std::unique_ptr<ScriptPlayer> player(new ScriptPlayer(std::move(timer)));
  SB_RETURN_IF_ERROR(player->parse(spec.config_json).withContext("scripted agent " + spec.id));
  return player;
}

Status ScriptPlayer::parse(std::string_view config_json) {
  json config =
      json::parse(config_json.empty() ? std::string_view("{}") : config_json, nullptr, false);
  if (config.is_discarded() || !config.is_object()) {
    return Status::invalidArgument("config must be a JSON object");
  }
  if (auto rules = config.find("rules"); rules != config.end()) {
    if (!rules->is_array()) return Status::invalidArgument("rules must be an array");
    for (std::size_t i = 0; i < rules->size(); ++i) {
      const json& item = (*rules)[i];
      const std::string where = "rules[" + std::to_string(i) + "]";
      auto match = item.is_object() ? item.find("match") : item.end();
      if (!item.is_object() || match == item.end()) {
        return Status::invalidArgument(where + " needs a match");
      }
      Rule rule;
      if (match->is_string() && !match->get<std::string>().empty()) {
        rule.substring = match->get<std::string>();
      } else if (match->is_object() && match->contains("regex") && (*match)["regex"].is_string()) {
        try {
          rule.regex.emplace((*match)["regex"].get<std::string>(), std::regex::ECMAScript);
        } catch (const std::regex_error& e) {
          return Status::invalidArgument(
              where + ".match.regex is not a valid regular expression: " + e.what());
        }
      } else {
        return Status::invalidArgument(where + ".match must be a non-empty string or {\"regex\"}");
      }
      if (auto reply = item.find("reply"); reply != item.end()) rule.reply_json = replyJson(*reply);
      if (auto error = item.find("error"); error != item.end() && error->is_string()) {
        rule.error = error->get<std::string>();
      }
      if (rule.reply_json.empty() && rule.error.empty()) {
        return Status::invalidArgument(where + " needs a reply or an error");
      }
      if (auto usage = item.find("usage"); usage != item.end() && usage->is_object()) {
        rule.usage = parseUsage(*usage);
      }
      rules_.push_back(std::move(rule));
    }
  }
  if (auto reply = config.find("default_reply"); reply != config.end()) {
    default_reply_json_ = replyJson(*reply);
  }
  latency_ms_ = integerOr(config, "latency_ms", 0);
  jitter_ms_ = integerOr(config, "jitter_ms", 0);
  if (latency_ms_ < 0 || jitter_ms_ < 0) {
    return Status::invalidArgument("latency_ms and jitter_ms must not be negative");
  }
  if (auto fail = config.find("fail"); fail != config.end() && fail->is_object()) {
    fail_first_ = integerOr(*fail, "first_attempts", 0);
    if (auto rate = fail->find("rate"); rate != fail->end() && rate->is_number()) {
      fail_rate_ = rate->get<double>();
    }
    if (auto message = fail->find("message"); message != fail->end() && message->is_string()) {
      fail_message_ = message->get<std::string>();
    }
    if (fail_first_ < 0 || fail_rate_ < 0.0 || fail_rate_ > 1.0) {
      return Status::invalidArgument("fail.first_attempts must be >= 0 and fail.rate in [0, 1]");
    }
  }
  if (auto usage = config.find("usage"); usage != config.end() && usage->is_object()) {
    usage_ = parseUsage(*usage);
  }
  return Status();
}

std::int64_t ScriptPlayer::nextAttempt(const std::string& request_id) {
  std::lock_guard lock(attempts_mutex_);
  return ++attempts_[request_id];
}

void ScriptPlayer::forget(const std::string& request_id) {
  std::lock_guard lock(attempts_mutex_);
  attempts_.erase(request_id);
}

AgentReply ScriptPlayer::answer(const AgentRequest& request, std::int64_t attempt) const {
  AgentReply reply;
  reply.session_id = request.session_id;
  const Rule* matched = nullptr;
  std::string prompt;
  if (!rules_.empty() || !default_reply_json_) {
    json input = json::parse(request.input_json, nullptr, false);
    auto found = input.is_object() ? input.find("prompt") : input.end();
    prompt =
        found != input.end() && found->is_string() ? found->get<std::string>() : request.input_json;
    for (const Rule& rule : rules_) {
      const bool hit = rule.regex ? std::regex_search(prompt, *rule.regex)
                                  : prompt.find(rule.substring) != std::string::npos;
      if (hit) {
        matched = &rule;
        break;
      }
    }
  }
  reply.usage = matched != nullptr && matched->usage ? *matched->usage : usage_;
  reply.usage.turns = 1;
  if (matched != nullptr && !matched->error.empty()) {
    reply.status = Status::unavailable(matched->error);
    reply.output_json = "null";
  } else if (matched != nullptr) {
    reply.output_json = matched->reply_json;
  } else if (default_reply_json_) {
    reply.output_json = *default_reply_json_;
  } else {
    reply.output_json = dumpJson(json{{"text", prompt}});
  }
  const bool injecting = fail_first_ > 0 || fail_rate_ > 0.0;
  if (reply.status.ok() && injecting) {
    const double draw = static_cast<double>(hashCall(request.request_id, attempt, 'f') >> 11) *
                        (1.0 / 9007199254740992.0);
    if (attempt <= fail_first_ || draw < fail_rate_) {
      reply.status = Status::unavailable(fail_message_ + " (attempt " + std::to_string(attempt) +
                                         " of request " + request.request_id + ")");
      reply.output_json = "null";
    }
  }
  return reply;
}

Result<std::unique_ptr<AgentCall>> ScriptPlayer::call(const AgentRequest& request,
                                                      std::shared_ptr<AgentCallback> callback) {
  if (!callback) return Status::invalidArgument("call() needs a callback");
  try {
    const bool injecting = fail_first_ > 0 || fail_rate_ > 0.0;
    const std::int64_t attempt = injecting ? nextAttempt(request.request_id) : 1;
    AgentReply reply = answer(request, attempt);
    if (injecting && reply.status.ok()) forget(request.request_id);
    std::int64_t delay_ms = latency_ms_;
    if (jitter_ms_ > 0) {
      delay_ms += static_cast<std::int64_t>(hashCall(request.request_id, attempt, 'j') %
                                            static_cast<std::uint64_t>(jitter_ms_ + 1));
    }
    if (delay_ms == 0) {
      auto handle =
          std::make_unique<FinishedCall>();  // allocated first: nothing throws after onDone
      callback->onDone(std::move(reply));
      return std::unique_ptr<AgentCall>(std::move(handle));
    }
    auto pending = std::make_shared<PendingReply>(std::move(callback), std::move(reply));
    SB_RETURN_IF_ERROR(
        timer_->schedule(ReplyTimer::Clock::now() + std::chrono::milliseconds(delay_ms), pending));
    return std::unique_ptr<AgentCall>(std::make_unique<DelayedCall>(std::move(pending)));
  } catch (const std::exception& e) {
    return Status::internal(std::string("scripted agent: ") + e.what());
  }
}

}  // namespace switchboard::plugins
