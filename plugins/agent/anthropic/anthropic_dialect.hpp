// AnthropicDialect: the Anthropic Messages API. POST <base>/v1/messages with x-api-key and
// anthropic-version 2023-06-01; the body holds the model, max_tokens, the optional system
// prompt and temperature, the earlier turns of the conversation and the new user message,
// and `"stream": true` unless streaming is off. A whole answer is a "message" object: its
// text blocks joined, stop_reason, and usage (input, output, cache read and cache creation
// tokens; input and output are required). A streamed answer is read by AnthropicStream. An
// error body is {"type":"error","error":{"type","message"}}.
//
// Thread safety: immutable.
#pragma once

#include <nlohmann/json.hpp>

#include "plugins/support/model_api/model_dialect.hpp"

namespace switchboard::plugins {

class AnthropicDialect final : public ModelDialect {
 public:
  std::string path() const override { return "/v1/messages"; }
  std::vector<std::pair<std::string, std::string>> headers(
      const ModelSettings& settings) const override;
  std::string requestBody(const ModelSettings& settings, const std::vector<ModelTurn>& history,
                          const std::string& prompt, std::int64_t max_tokens) const override;
  Result<ModelAnswer> parseAnswer(std::string_view body) const override;
  std::unique_ptr<StreamDecoder> streamDecoder() const override;

  // Copies the token counts present (and not null) in an Anthropic usage object into
  // `usage`, leaving the others as they are. InvalidArgument naming a count that is not one.
  static Status readUsage(const nlohmann::json& from, Usage& usage);
};

}  // namespace switchboard::plugins
