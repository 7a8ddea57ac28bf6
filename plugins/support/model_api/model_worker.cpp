#include "plugins/support/model_api/model_worker.hpp"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <system_error>
#include <nlohmann/json.hpp>

#include "plugins/support/model_api/retry_policy.hpp"

namespace switchboard::plugins {

struct ModelWorker::CallState {
  std::mutex mu;
  std::condition_variable cv;
  bool cancelled = false;
  httplib::Client* active = nullptr;  // the attempt in flight, stopped by cancel()
  std::atomic<bool> finished{false};

  void cancel() {
    std::lock_guard lock(mu);
    cancelled = true;
    if (active != nullptr) active->stop();
    cv.notify_all();
  }
};

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

class ModelCall final : public AgentCall {
 public:
  explicit ModelCall(std::weak_ptr<ModelWorker::CallState> state) : state_(std::move(state)) {}
  void cancel() noexcept override {
    if (auto state = state_.lock()) state->cancel();
  }

 private:
  std::weak_ptr<ModelWorker::CallState> state_;
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

std::string money(double usd) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "$%.6g", usd);
  return buf;
}

// Everything that may reach a message passes through here: a server can echo the key.
std::string scrub(std::string text, const std::string& key) {
  if (key.size() < 4) return text;
  for (std::size_t at = text.find(key); at != std::string::npos; at = text.find(key, at)) {
    text.replace(at, key.size(), "[redacted]");
  }
  return text;
}

std::string firstBytes(std::string_view body) {
  constexpr std::size_t kMax = 200;
  std::string out(body.substr(0, kMax));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return body.size() > kMax ? out + "..." : out;
}

Status finalError(const ModelSettings& s, int status, const std::string& what) {
  const std::string who = s.type_name + " API";
  if (status == 0) return Status::unavailable("cannot reach the " + who + " at " + s.base.origin + ": " + what);
  std::string code = " (HTTP " + std::to_string(status) + ")";
  if (status == 429) return Status::unavailable(who + " rate limit" + code + ": " + what);
  if (isRetryable(status)) return Status::unavailable(who + " unavailable" + code + ": " + what);
  if (status == 401 || status == 403) {
    return Status::permissionDenied(who + " refused the key" + code + ": " + what);
  }
  if (status == 404) return Status::notFound(who + " has no such model or path" + code + ": " + what);
  if (status >= 400) return Status::invalidArgument(who + " rejected the request" + code + ": " + what);
  return Status::internal(who + " answered" + code + ": " + what);
}

struct CallInput {
  std::shared_ptr<const ModelDialect> dialect;
  std::shared_ptr<const ModelSettings> settings;
  Host* host = nullptr;
  std::string agent_id;
  AgentRequest request;
  std::string prompt;
  std::shared_ptr<AgentCallback> callback;
};

// One attempt's outcome: an answer, or the HTTP status (0 = none) and what went wrong.
struct Attempt {
  bool cancelled = false;
  int status = 0;
  std::string error;
  std::string retry_after;
  std::string retry_after_ms;
  std::optional<ModelAnswer> answer;
  bool malformed = false;
};

Attempt attemptOnce(const CallInput& in, ModelWorker::CallState& state, const std::string& body,
                    Clock::time_point deadline) {
  const ModelSettings& s = *in.settings;
  Attempt out;
  httplib::Client client(s.base.origin);
  if (!client.is_valid()) {
    out.error = "the client cannot be made for " + s.base.origin;
    return out;
  }
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  left = std::max(left, std::chrono::milliseconds(1));
  client.set_connection_timeout(std::min(left, std::chrono::milliseconds(s.connect_timeout_ms)));
  // A little past the deadline, so that a read that times out is seen as the deadline.
  client.set_read_timeout(left + std::chrono::milliseconds(20));
  client.set_write_timeout(left + std::chrono::milliseconds(20));
  client.set_keep_alive(false);
  httplib::Headers headers;
  for (auto& [name, value] : in.dialect->headers(s)) headers.emplace(name, value);
  {
    std::lock_guard lock(state.mu);
    if (state.cancelled) {
      out.cancelled = true;
      return out;
    }
    state.active = &client;
  }
  httplib::Result res = client.Post((s.base.prefix + in.dialect->path()).c_str(), headers, body,
                                    "application/json");
  {
    std::lock_guard lock(state.mu);
    state.active = nullptr;
    out.cancelled = state.cancelled;
  }
  if (out.cancelled) return out;
  if (!res) {
    out.error = Clock::now() >= deadline ? "no answer before the deadline"
                                         : "transport error: " + httplib::to_string(res.error());
    return out;
  }
  out.status = res->status;
  out.retry_after = res->get_header_value("Retry-After");
  out.retry_after_ms = res->get_header_value("retry-after-ms");
  if (res->status >= 200 && res->status < 300) {
    Result<ModelAnswer> answer = in.dialect->parseAnswer(res->body);
    if (answer.ok()) {
      out.answer = std::move(*answer);
    } else {
      out.malformed = true;
      out.error = answer.status().message() + "; the body starts: " + firstBytes(res->body);
    }
    return out;
  }
  std::string message = in.dialect->errorMessage(res->body);
  out.error = message.empty() ? firstBytes(res->body) : message;
  return out;
}

AgentReply runCall(const CallInput& in, ModelWorker::CallState& state) {
  const ModelSettings& s = *in.settings;
  AgentReply reply;
  std::int64_t timeout_ms = s.timeout_ms;
  if (in.request.timeout_ms > 0) timeout_ms = std::min(timeout_ms, in.request.timeout_ms);
  const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  std::int64_t max_tokens = s.max_tokens;
  if (in.request.max_tokens > 0) max_tokens = std::min(max_tokens, in.request.max_tokens);
  const std::string body = in.dialect->requestBody(s, in.prompt, max_tokens);
  const std::uint64_t seed = std::hash<std::string>{}(in.request.request_id + in.agent_id);

  for (int attempt = 0;; ++attempt) {
    if (Clock::now() >= deadline) {
      reply.status = Status::deadlineExceeded("no answer from the " + s.type_name + " API within " +
                                              std::to_string(timeout_ms) + " ms");
      return reply;
    }
    Attempt a = attemptOnce(in, state, body, deadline);
    if (a.cancelled) {
      reply.status = Status::cancelled("cancelled");
      return reply;
    }
    if (a.answer) {
      reply.usage = a.answer->usage;
      reply.usage.turns = 1;
      if (s.price) {
        reply.usage.cost_usd = s.price->cost(reply.usage);
      } else {
        in.callback->onProgress("no price for model " + s.model +
                                " in the price table: its cost is recorded as $0");
      }
      in.callback->onUsage(reply.usage);
      const Usage& u = reply.usage;
      if (in.request.max_cost_usd > 0 && u.cost_usd > in.request.max_cost_usd) {
        reply.status = Status::resourceExhausted("over the budget of " + money(in.request.max_cost_usd) +
                                                 " after spending " + money(u.cost_usd));
        return reply;
      }
      if (in.request.max_tokens > 0 && u.totalTokens() > in.request.max_tokens) {
        reply.status = Status::resourceExhausted(
            "over the token budget of " + std::to_string(in.request.max_tokens) + " after using " +
            std::to_string(u.totalTokens()));
        return reply;
      }
      json output = {{"text", a.answer->text}, {"model", s.model}, {"stop_reason", a.answer->stop_reason}};
      reply.output_json = output.dump();
      return reply;
    }
    const std::string error = scrub(a.error, s.api_key);
    if (a.malformed) {
      reply.status = Status::internal("malformed answer from the " + s.type_name + " API: " + error);
      return reply;
    }
    std::string tries = attempt == 0 ? "" : " (after " + std::to_string(attempt + 1) + " attempts)";
    if (a.status == 0 && Clock::now() >= deadline) {
      reply.status = Status::deadlineExceeded("no answer from the " + s.type_name + " API within " +
                                              std::to_string(timeout_ms) + " ms" + tries);
      return reply;
    }
    if (!isRetryable(a.status) || attempt >= s.max_retries) {
      reply.status = finalError(s, a.status, error + tries);
      return reply;
    }
    std::optional<std::int64_t> asked =
        serverRetryWaitMs(a.retry_after_ms, a.retry_after, std::chrono::system_clock::now());
    if (asked && *asked > s.max_retry_wait_ms) {
      reply.status = finalError(s, a.status, error + "; the server asks to wait " +
                                                 std::to_string(*asked) + " ms, more than max_retry_wait_ms");
      return reply;
    }
    std::int64_t wait_ms = asked ? *asked : backoffMs(attempt + 1, s.retry_base_ms, seed);
    if (Clock::now() + std::chrono::milliseconds(wait_ms) >= deadline) {
      if (a.status == 0) {
        reply.status = Status::deadlineExceeded("no answer from the " + s.type_name + " API within " +
                                                std::to_string(timeout_ms) + " ms" + tries + ": " + error);
        return reply;
      }
      reply.status = finalError(s, a.status, error + "; no time left to retry before the deadline");
      return reply;
    }
    std::string what = (a.status == 0 ? std::string("no answer") : "HTTP " + std::to_string(a.status)) +
                       " (" + error + "); retry " + std::to_string(attempt + 1) + " of " +
                       std::to_string(s.max_retries) + " in " + std::to_string(wait_ms) + " ms" +
                       (asked ? " as the server asked" : "");
    in.callback->onProgress(what);
    if (in.host != nullptr) in.host->log(LogLevel::kWarning, s.type_name + " agent " + in.agent_id + ": " + what);
    std::unique_lock lock(state.mu);
    if (state.cv.wait_for(lock, std::chrono::milliseconds(wait_ms), [&] { return state.cancelled; })) {
      reply.status = Status::cancelled("cancelled");
      return reply;
    }
  }
}

}  // namespace

ModelWorker::ModelWorker(std::shared_ptr<const ModelDialect> dialect, ModelSettings settings,
                         Host* host, std::string agent_id)
    : dialect_(std::move(dialect)),
      settings_(std::make_shared<const ModelSettings>(std::move(settings))),
      host_(host),
      agent_id_(std::move(agent_id)) {}

ModelWorker::~ModelWorker() {
  std::vector<std::pair<std::shared_ptr<CallState>, std::thread>> calls;
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
  CallInput in{dialect_, settings_, host_, agent_id_, request, promptOf(request.input_json),
               std::move(callback)};
  if (in.prompt.empty()) return Status::invalidArgument("the request has no prompt");
  auto state = std::make_shared<CallState>();
  std::lock_guard lock(mu_);
  reapFinished();
  try {
    std::thread thread([state, in = std::move(in)] {
      AgentReply reply = runCall(in, *state);
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
