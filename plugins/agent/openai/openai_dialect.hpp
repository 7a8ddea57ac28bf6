// OpenAIDialect: OpenAI-compatible chat completions. POST <base>/chat/completions with
// "Authorization: Bearer <key>" when there is a key; the body holds the model, the system
// message (the agent's system prompt), the earlier turns of the conversation and the new user
// message, the token limit (max_tokens or max_completion_tokens), the optional temperature,
// and `"stream": true, "stream_options": {"include_usage": true}` unless streaming is off.
// A whole answer has choices[0].message (content may be null: text "") and finish_reason;
// usage (prompt_tokens, completion_tokens, prompt_tokens_details.cached_tokens) may be absent
// on local servers, which gives 0 tokens. Cached prompt tokens are counted as cache reads,
// not again as input. A streamed answer is read by OpenAIStream.
//
// Thread safety: immutable.
#pragma once

#include <nlohmann/json.hpp>

#include "plugins/support/model_api/model_dialect.hpp"

namespace switchboard::plugins {

class OpenAIDialect final : public ModelDialect {
 public:
  std::string path() const override { return "/chat/completions"; }
  std::vector<std::pair<std::string, std::string>> headers(
      const ModelSettings& settings) const override;
  std::string requestBody(const ModelSettings& settings, const std::vector<ModelTurn>& history,
                          const std::string& prompt, std::int64_t max_tokens) const override;
  Result<ModelAnswer> parseAnswer(std::string_view body) const override;
  std::unique_ptr<StreamDecoder> streamDecoder() const override;

  // A usage object's tokens (cached prompt tokens as cache reads). InvalidArgument naming a
  // count that is not one.
  static Result<Usage> readUsage(const nlohmann::json& usage);
};

}  // namespace switchboard::plugins
