#include "plugins/support/model_api/model_worker.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <system_error>

#include "plugins/support/model_api/call_budget.hpp"
#include "plugins/support/model_api/model_attempt.hpp"
#include "plugins/support/model_api/retry_policy.hpp"

namespace switchboard::plugins {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

class ModelCall final : public AgentCall {
 public:
  explicit ModelCall(std::weak_ptr<ModelCallState> state) : state_(std::move(state)) {}
  void cancel() noexcept override {
    if (auto state = state_.lock()) state->cancel();
  }

 private:
  std::weak_ptr<ModelCallState> state_;
};

// The prompt of an AgentRequest input: its "prompt" string, a bare string, or the JSON.
std::string promptOf(const std::string& input_json) {
  json input = json::parse(input_json.empty() ? std::string("{}") : input_json, nullptr, false);
  if (input.is_discarded()) return input_json;
  if (input.is_object() && input.contains("prompt") && input["prompt"].is_string()) {
    return input["prompt"].get<std::string>();
  }
  if (input.is_string()) return input.get<std::string>();
  if (input.is_object() && input.empty()) return "";
  return input.dump();
}

// Everything that may reach a message passes through here: a server can echo the key.
std::string scrub(std::string text, const std::string& key) {
  if (key.size() < 4) return text;
  for (std::size_t at = text.find(key); at != std::string::npos; at = text.find(key, at)) {
    text.replace(at, key.size(), "[redacted]");
  }
  return text;
}

// "1200 tokens (200 output, estimated), $0.0045 spent"
std::string spentText(const Usage& u, bool estimated) {
  return std::to_string(u.totalTokens()) + " tokens (" + std::to_string(u.output_tokens) +
         " output" + (estimated ? ", estimated" : "") + "), " + dollars(u.cost_usd) + " spent";
}

Status finalError(const ModelSettings& s, int status, const std::string& what) {
  const std::string who = s.type_name + " API";
  if (status == 0)
    return Status::unavailable("cannot reach the " + who + " at " + s.base.origin + ": " + what);
  std::string code = " (HTTP " + std::to_string(status) + ")";
  if (status == 429) return Status::unavailable(who + " rate limit" + code + ": " + what);
  if (isRetryable(status)) return Status::unavailable(who + " unavailable" + code + ": " + what);
  if (status == 401 || status == 403) {
    return Status::permissionDenied(who + " refused the key" + code + ": " + what);
  }
  if (status == 404)
    return Status::notFound(who + " has no such model or path" + code + ": " + what);
  if (status >= 400)
    return Status::invalidArgument(who + " rejected the request" + code + ": " + what);
  return Status::internal(who + " answered" + code + ": " + what);
}

// An error event inside a stream, with the code its HTTP equivalent would have.
Status streamError(const ModelSettings& s, const StreamError& e, const std::string& what) {
  std::string text = s.type_name + " API sent an error mid-stream: " + what;
  if (isRetryable(e.status)) return Status::unavailable(std::move(text));
  if (e.status == 401 || e.status == 403) return Status::permissionDenied(std::move(text));
  if (e.status >= 400 && e.status < 500) return Status::invalidArgument(std::move(text));
  return Status::internal(std::move(text));
}

struct CallInput {
  std::shared_ptr<const ModelDialect> dialect;
  std::shared_ptr<const ModelSettings> settings;
  Host* host = nullptr;
  std::string agent_id;
  std::shared_ptr<ConversationMemory> memory;
  AgentRequest request;
  std::string prompt;
  std::shared_ptr<AgentCallback> callback;
};

// The reply of a stream that began and then stopped without an answer. Not retried.
AgentReply afterBegun(const CallInput& in, const ModelAttempt::Outcome& a,
                      std::int64_t timeout_ms) {
  const ModelSettings& s = *in.settings;
  AgentReply reply;
  reply.usage = a.spent;
  in.callback->onUsage(reply.usage);
  const std::string spent = spentText(a.spent, true);
  if (a.error_event) {
    reply.status = streamError(s, *a.error_event,
                               scrub(a.error_event->message, s.api_key) + " (" + spent + ")");
  } else if (a.malformed) {
    reply.status = Status::internal("malformed stream from the " + s.type_name +
                                    " API: " + scrub(a.error, s.api_key) + " (" + spent + ")");
  } else if (a.deadline) {
    reply.status =
        Status::deadlineExceeded("the " + s.type_name + " API answer did not end within " +
                                 std::to_string(timeout_ms) + " ms (" + spent + ")");
  } else {
    reply.status = Status::unavailable(
        "the " + s.type_name + " API stream broke mid-answer (" + scrub(a.error, s.api_key) +
        "); not retried, because the answer had begun and what it used is spent: " + spent);
  }
  return reply;
}

AgentReply answered(const CallInput& in, ModelAttempt::Outcome& a, const CallBudget& budget) {
  const ModelSettings& s = *in.settings;
  AgentReply reply;
  reply.usage = pricedTurn(a.answer->usage, s);
  if (!s.price) {
    in.callback->onProgress("no price for model " + s.model +
                            " in the price table: its cost is recorded as $0");
  }
  if (a.output_estimated) {
    in.callback->onProgress(s.type_name + " API: the stream gave no usage; the " +
                            std::to_string(reply.usage.output_tokens) +
                            " output tokens are an estimate from the text");
  }
  in.callback->onUsage(reply.usage);
  if (std::string why = budget.exceeded(reply.usage); !why.empty()) {
    reply.status = Status::resourceExhausted(why);
    return reply;
  }
  json output = {
      {"text", a.answer->text}, {"model", s.model}, {"stop_reason", a.answer->stop_reason}};
  reply.output_json = output.dump(-1, ' ', false, json::error_handler_t::replace);
  if (in.memory) {
    Status kept = in.memory->append({in.prompt, a.answer->text});
    if (!kept.ok()) {
      std::string what = "the conversation could not be saved: " + kept.message();
      in.callback->onProgress(what);
      if (in.host != nullptr)
        in.host->log(LogLevel::kWarning, s.type_name + " agent " + in.agent_id + ": " + what);
    }
  }
  return reply;
}

AgentReply runCall(const CallInput& in, ModelCallState& state) {
  const ModelSettings& s = *in.settings;
  AgentReply reply;
  std::int64_t timeout_ms = s.timeout_ms;
  if (in.request.timeout_ms > 0) timeout_ms = std::min(timeout_ms, in.request.timeout_ms);
  const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  const CallBudget budget(in.request, s);
  std::string note;
  const std::int64_t max_tokens = budget.maxTokens(&note);
  if (!note.empty()) in.callback->onProgress(note);
  std::vector<ModelTurn> history;
  if (in.memory) history = in.memory->turns();
  const std::string body = in.dialect->requestBody(s, history, in.prompt, max_tokens);
  const std::uint64_t seed = std::hash<std::string>{}(in.request.request_id + in.agent_id);
  ModelAttempt attempt(*in.dialect, s, budget, *in.callback);

  for (int tried = 0;; ++tried) {
    if (Clock::now() >= deadline) {
      reply.status = Status::deadlineExceeded("no answer from the " + s.type_name + " API within " +
                                              std::to_string(timeout_ms) + " ms");
      return reply;
    }
    ModelAttempt::Outcome a = attempt.run(state, body, deadline);
    if (a.cancelled) {
      reply.usage = a.spent;
      reply.status = Status::cancelled(
          a.begun ? "cancelled mid-answer (" + spentText(a.spent, true) + ")" : "cancelled");
      return reply;
    }
    if (!a.over_budget.empty()) {
      reply.usage = a.spent;
      in.callback->onUsage(reply.usage);
      reply.status = Status::resourceExhausted(
          a.over_budget + "; the answer was stopped mid-stream (" + spentText(a.spent, true) + ")");
      return reply;
    }
    if (a.answer) return answered(in, a, budget);
    if (a.begun) return afterBegun(in, a, timeout_ms);
    const std::string error = scrub(a.error, s.api_key);
    if (a.malformed) {
      reply.status =
          Status::internal("malformed answer from the " + s.type_name + " API: " + error);
      return reply;
    }
    std::string tries = tried == 0 ? "" : " (after " + std::to_string(tried + 1) + " attempts)";
    if (a.status == 0 && Clock::now() >= deadline) {
      reply.status = Status::deadlineExceeded("no answer from the " + s.type_name + " API within " +
                                              std::to_string(timeout_ms) + " ms" + tries);
      return reply;
    }
    if (!isRetryable(a.status) || tried >= s.max_retries) {
      reply.status = finalError(s, a.status, error + tries);
      return reply;
    }
    std::optional<std::int64_t> asked =
        serverRetryWaitMs(a.retry_after_ms, a.retry_after, std::chrono::system_clock::now());
    if (asked && *asked > s.max_retry_wait_ms) {
      reply.status = finalError(s, a.status,
                                error + "; the server asks to wait " + std::to_string(*asked) +
                                    " ms, more than max_retry_wait_ms");
      return reply;
    }
    std::int64_t wait_ms = asked ? *asked : backoffMs(tried + 1, s.retry_base_ms, seed);
    if (Clock::now() + std::chrono::milliseconds(wait_ms) >= deadline) {
      if (a.status == 0) {
        reply.status =
            Status::deadlineExceeded("no answer from the " + s.type_name + " API within " +
                                     std::to_string(timeout_ms) + " ms" + tries + ": " + error);
        return reply;
      }
      reply.status = finalError(s, a.status, error + "; no time left to retry before the deadline");
      return reply;
    }
    std::string what =
        (a.status == 0 ? std::string("no answer") : "HTTP " + std::to_string(a.status)) + " (" +
        error + "); retry " + std::to_string(tried + 1) + " of " + std::to_string(s.max_retries) +
        " in " + std::to_string(wait_ms) + " ms" + (asked ? " as the server asked" : "");
    in.callback->onProgress(what);
    if (in.host != nullptr)
      in.host->log(LogLevel::kWarning, s.type_name + " agent " + in.agent_id + ": " + what);
    std::unique_lock lock(state.mu);
    if (state.cv.wait_for(lock, std::chrono::milliseconds(wait_ms),
                          [&] { return state.cancelled.load(); })) {
      reply.status = Status::cancelled("cancelled");
      return reply;
    }
  }
}

}  // namespace

ModelWorker::ModelWorker(std::shared_ptr<const ModelDialect> dialect, ModelSettings settings,
                         Host* host, std::string agent_id,
                         std::shared_ptr<ConversationMemory> memory)
    : dialect_(std::move(dialect)),
      settings_(std::make_shared<const ModelSettings>(std::move(settings))),
      host_(host),
      agent_id_(std::move(agent_id)),
      memory_(std::move(memory)) {}

ModelWorker::~ModelWorker() {
  std::vector<std::pair<std::shared_ptr<ModelCallState>, std::thread>> calls;
  {
    std::lock_guard lock(mu_);
    calls.swap(calls_);
  }
  for (auto& [state, thread] : calls) state->cancel();
  for (auto& [state, thread] : calls) thread.join();
}

void ModelWorker::reapFinished() {
  for (auto it = calls_.begin(); it != calls_.end();) {
    if (it->first->finished.load()) {
      it->second.join();
      it = calls_.erase(it);
    } else {
      ++it;
    }
  }
}

Result<std::unique_ptr<AgentCall>> ModelWorker::call(const AgentRequest& request,
                                                     std::shared_ptr<AgentCallback> callback) {
  if (callback == nullptr) return Status::invalidArgument("no callback");
  CallInput in{dialect_,
               settings_,
               host_,
               agent_id_,
               memory_,
               request,
               promptOf(request.input_json),
               std::move(callback)};
  if (in.prompt.empty()) return Status::invalidArgument("the request has no prompt");
  auto state = std::make_shared<ModelCallState>();
  std::lock_guard lock(mu_);
  reapFinished();
  try {
    std::thread thread([state, in = std::move(in)] {
      AgentReply reply;
      try {
        reply = runCall(in, *state);
      } catch (const std::exception& e) {
        reply.status = Status::internal(in.settings->type_name + " agent: " + e.what());
      }
      in.callback->onDone(std::move(reply));
      state->finished = true;
    });
    calls_.emplace_back(state, std::move(thread));
  } catch (const std::system_error& e) {
    return Status::unavailable(std::string("cannot start a thread for the call: ") + e.what());
  }
  return std::unique_ptr<AgentCall>(std::make_unique<ModelCall>(state));
}

}  // namespace switchboard::plugins
