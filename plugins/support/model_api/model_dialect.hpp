// ModelDialect: what one model API looks like on the wire — the path, the headers, the
// request body (streamed or not, with the conversation so far), how a whole answer, a
// stream of events (through a StreamDecoder) or an error body is read. ModelWorker does the
// rest (timeouts, retries, cancellation, metering, memory) the same way for every dialect.
//
// Implementations: plugins/agent/anthropic (Messages API), plugins/agent/openai (chat
// completions). Thread safety: implementations are immutable; every method is const and may
// be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plugins/support/model_api/model_settings.hpp"
#include "switchboard/status.hpp"
#include "switchboard/usage.hpp"

namespace switchboard::plugins {

struct ModelAnswer {
  std::string text;
  std::string stop_reason;
  Usage usage;  // tokens only; the worker adds turns and cost
};

// One earlier exchange of a conversation: what the user asked and what the model answered.
struct ModelTurn {
  std::string user;
  std::string assistant;
};

class StreamDecoder;

class ModelDialect {
 public:
  virtual ~ModelDialect() = default;
  // Appended to the base URL's path prefix: "/v1/messages".
  virtual std::string path() const = 0;
  // Authentication and version headers (the key goes only here).
  virtual std::vector<std::pair<std::string, std::string>> headers(
      const ModelSettings& settings) const = 0;
  // The earlier turns go before `prompt` as alternating user and assistant messages; the
  // body asks for a stream when settings.stream is set.
  virtual std::string requestBody(const ModelSettings& settings,
                                  const std::vector<ModelTurn>& history, const std::string& prompt,
                                  std::int64_t max_tokens) const = 0;
  // A 2xx body. InvalidArgument saying what is wrong when it is not an answer.
  virtual Result<ModelAnswer> parseAnswer(std::string_view body) const = 0;
  // A new decoder for one streamed answer.
  virtual std::unique_ptr<StreamDecoder> streamDecoder() const = 0;
  // The provider's own message in an error body, "" when none. The default reads the
  // shape both Anthropic and OpenAI use, {"error": {"type", "message"}} ("type: message"),
  // and the {"error": "text"} or {"message": "text"} of some local servers.
  virtual std::string errorMessage(std::string_view body) const;
};

// A token count in a usage object: absent or null is 0; anything but an integer >= 0 is
// InvalidArgument naming the field.
Result<std::int64_t> tokenCount(const nlohmann::json& usage, const char* field);

}  // namespace switchboard::plugins
