// AnthropicDialect: the Anthropic Messages API. POST <base>/v1/messages with x-api-key and
// anthropic-version 2023-06-01; the body holds the model, max_tokens, the optional system
// prompt and temperature, and one user message. An answer is a "message" object: its text
// blocks joined, stop_reason, and usage (input, output, cache read and cache creation
// tokens; input and output are required). An error body is
// {"type":"error","error":{"type","message"}}.
//
// Thread safety: immutable.
#pragma once

#include "plugins/support/model_api/model_dialect.hpp"

namespace switchboard::plugins {

class AnthropicDialect final : public ModelDialect {
 public:
  std::string path() const override { return "/v1/messages"; }
  std::vector<std::pair<std::string, std::string>> headers(
      const ModelSettings& settings) const override;
  std::string requestBody(const ModelSettings& settings, const std::string& prompt,
                          std::int64_t max_tokens) const override;
  Result<ModelAnswer> parseAnswer(std::string_view body) const override;
};

}  // namespace switchboard::plugins
