// OpenAIDialect: OpenAI-compatible chat completions. POST <base>/chat/completions with
// "Authorization: Bearer <key>" when there is a key; the body holds the model, the system
// message (the agent's system prompt) and one user message, the token limit (max_tokens or
// max_completion_tokens) and the optional temperature. An answer has choices[0].message
// (content may be null: text "") and finish_reason; usage (prompt_tokens, completion_tokens,
// prompt_tokens_details.cached_tokens) may be absent on local servers, which gives 0 tokens.
// Cached prompt tokens are counted as cache reads, not again as input.
//
// Thread safety: immutable.
#pragma once

#include "plugins/support/model_api/model_dialect.hpp"

namespace switchboard::plugins {

class OpenAIDialect final : public ModelDialect {
 public:
  std::string path() const override { return "/chat/completions"; }
  std::vector<std::pair<std::string, std::string>> headers(
      const ModelSettings& settings) const override;
  std::string requestBody(const ModelSettings& settings, const std::string& prompt,
                          std::int64_t max_tokens) const override;
  Result<ModelAnswer> parseAnswer(std::string_view body) const override;
};

}  // namespace switchboard::plugins
