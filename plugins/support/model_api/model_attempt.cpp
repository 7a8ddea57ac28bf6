#include "plugins/support/model_api/model_attempt.hpp"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "plugins/support/model_api/sse_parser.hpp"

namespace switchboard::plugins {
namespace {

using namespace std::chrono_literals;
using Clock = ModelAttempt::Clock;

constexpr auto kUsageEvery = 50ms;
constexpr auto kProgressEvery = 2s;
constexpr std::size_t kMaxBodyBytes = std::size_t{8} << 20;  // a body that is not a stream

std::string firstBytes(std::string_view body) {
  constexpr std::size_t kMax = 200;
  std::string out(body.substr(0, kMax));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return body.size() > kMax ? out + "..." : out;
}

bool isEventStream(const httplib::Response& r) {
  std::string type = r.get_header_value("Content-Type");
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return type.rfind("text/event-stream", 0) == 0;
}

// The reading of one 2xx event stream: decoding, metering, budget checks and reports.
class StreamReader {
 public:
  StreamReader(const ModelDialect& dialect, const ModelSettings& settings, const CallBudget& budget,
               AgentCallback& callback, ModelAttempt::Outcome& out, Clock::time_point deadline)
      : settings_(settings),
        budget_(budget),
        callback_(callback),
        out_(out),
        deadline_(deadline),
        decoder_(dialect.streamDecoder()),
        parser_([this](std::string_view name, std::string_view data) {
          if (decoder_->state().error) return Status();  // the stream is over; skip the rest
          return decoder_->onEvent(name, data);
        }) {}

  // The content receiver's answer: true to read on.
  bool feed(const char* data, std::size_t size) {
    if (!out_.begun) {
      out_.begun = true;
      out_.spent.turns = 1;
      callback_.onProgress(settings_.type_name + " API: the answer is streaming from " +
                           settings_.model);
    }
    Status st = parser_.feed(std::string_view(data, size));
    return settle(st, /*at_end=*/false);
  }

  // After the body ended without a transport error.
  void finish() {
    if (!settle(parser_.finish(), /*at_end=*/true)) return;
    const StreamState& s = decoder_->state();
    if (s.complete || !s.answer.stop_reason.empty()) {
      out_.answer = s.answer;
      out_.answer->usage = s.usageSoFar();
      out_.output_estimated = s.outputEstimated();
      return;
    }
    if (out_.begun) {
      out_.error = "the stream ended before its end event, after " +
                   std::to_string(parser_.events()) + " events";
    } else {
      out_.status = 0;  // an empty stream is no answer at all: it may be tried again
      out_.error = "the stream ended before its first event";
    }
  }

 private:
  // Records a stop (malformed, error event, deadline, budget) in the outcome; true to go on.
  bool settle(const Status& parsed, bool at_end) {
    const StreamState& s = decoder_->state();
    out_.spent = pricedTurn(s.usageSoFar(), settings_);
    if (!out_.begun) out_.spent.turns = 0;
    if (s.error) {
      out_.error_event = s.error;
      report(true);
      return false;
    }
    if (!parsed.ok()) {
      out_.malformed = true;
      out_.error = parsed.message();
      report(true);
      return false;
    }
    if (std::string why = budget_.exceeded(out_.spent); !why.empty()) {
      out_.over_budget = std::move(why);
      report(true);
      return false;
    }
    if (!at_end && Clock::now() >= deadline_) {
      out_.deadline = true;
      report(true);
      return false;
    }
    report(false);
    return true;
  }

  void report(bool now_anyway) {
    const Usage& u = out_.spent;
    const bool exact_changed = u.input_tokens != reported_.input_tokens ||
                               u.cache_read_tokens != reported_.cache_read_tokens ||
                               u.cache_creation_tokens != reported_.cache_creation_tokens ||
                               decoder_->state().output_final != reported_final_;
    const bool grew = u.output_tokens != reported_.output_tokens;
    const Clock::time_point now = Clock::now();
    if (exact_changed || (grew && (now_anyway || now - reported_at_ >= kUsageEvery))) {
      callback_.onUsage(u);
      reported_ = u;
      reported_final_ = decoder_->state().output_final;
      reported_at_ = now;
    }
    if (now - progress_at_ >= kProgressEvery) {
      progress_at_ = now;
      callback_.onProgress(settings_.type_name + " API: " + std::to_string(u.output_tokens) +
                           " output tokens so far" +
                           (decoder_->state().output_final ? "" : " (estimated)") + ", " +
                           dollars(u.cost_usd));
    }
  }

  const ModelSettings& settings_;
  const CallBudget& budget_;
  AgentCallback& callback_;
  ModelAttempt::Outcome& out_;
  const Clock::time_point deadline_;
  std::unique_ptr<StreamDecoder> decoder_;
  SseParser parser_;
  Usage reported_;
  bool reported_final_ = false;
  Clock::time_point reported_at_{};
  Clock::time_point progress_at_ = Clock::now();
};

}  // namespace

Usage pricedTurn(Usage usage, const ModelSettings& settings) {
  usage.turns = 1;
  usage.cost_usd = settings.price ? settings.price->cost(usage) : 0.0;
  return usage;
}

ModelAttempt::Outcome ModelAttempt::run(ModelCallState& state, const std::string& body,
                                        Clock::time_point deadline) {
  const ModelSettings& s = settings_;
  Outcome out;
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

  httplib::Request req;
  req.method = "POST";
  req.path = s.base.prefix + dialect_.path();
  for (auto& [name, value] : dialect_.headers(s)) req.headers.emplace(name, value);
  req.headers.emplace("Content-Type", "application/json");
  if (s.stream) req.headers.emplace("Accept", "text/event-stream");
  req.body = body;
  std::unique_ptr<StreamReader> stream;
  std::string whole;  // a body that is not a 2xx event stream
  req.response_handler = [&](const httplib::Response& r) {
    if (state.cancelled.load()) return false;
    if (r.status >= 200 && r.status < 300 && isEventStream(r)) {
      stream = std::make_unique<StreamReader>(dialect_, s, budget_, callback_, out, deadline);
    }
    return true;
  };
  req.content_receiver = [&](const char* data, std::size_t size, std::uint64_t, std::uint64_t) {
    if (state.cancelled.load()) return false;
    if (stream) return stream->feed(data, size);
    if (whole.size() + size > kMaxBodyBytes) {
      out.malformed = true;
      out.error = "the answer is over " + std::to_string(kMaxBodyBytes >> 20) +
                  " MiB; the body starts: " + firstBytes(whole);
      return false;
    }
    whole.append(data, size);
    return true;
  };
  {
    std::lock_guard lock(state.mu);
    if (state.cancelled) {
      out.cancelled = true;
      return out;
    }
    state.active = &client;
  }
  httplib::Response res;
  httplib::Error error = httplib::Error::Success;
  const bool sent = client.send(req, res, error);
  {
    std::lock_guard lock(state.mu);
    state.active = nullptr;
    out.cancelled = state.cancelled;
  }
  if (out.cancelled || out.error_event || out.malformed || out.deadline ||
      !out.over_budget.empty()) {
    return out;
  }
  if (!sent) {
    out.status = 0;
    out.deadline = Clock::now() >= deadline;
    out.error = out.deadline ? "no answer before the deadline"
                             : "transport error: " + httplib::to_string(error);
    return out;
  }
  out.status = res.status;
  out.retry_after = res.get_header_value("Retry-After");
  out.retry_after_ms = res.get_header_value("retry-after-ms");
  if (stream) {
    stream->finish();
    return out;
  }
  if (res.status >= 200 && res.status < 300) {
    Result<ModelAnswer> answer = dialect_.parseAnswer(whole);
    if (answer.ok()) {
      out.answer = std::move(*answer);
      if (s.stream) {
        callback_.onProgress(
            s.type_name + " API: the server answered without streaming; usage is known at the end");
      }
    } else {
      out.malformed = true;
      out.error = answer.status().message() + "; the body starts: " + firstBytes(whole);
    }
    return out;
  }
  std::string message = dialect_.errorMessage(whole);
  out.error = message.empty() ? firstBytes(whole) : message;
  return out;
}

}  // namespace switchboard::plugins
