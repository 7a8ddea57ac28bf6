#include "plugins/agent/openai/openai_dialect.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace switchboard::plugins {

using nlohmann::json;

std::vector<std::pair<std::string, std::string>> OpenAIDialect::headers(
    const ModelSettings& settings) const {
  if (settings.api_key.empty()) return {};
  return {{"Authorization", "Bearer " + settings.api_key}};
}

std::string OpenAIDialect::requestBody(const ModelSettings& settings, const std::string& prompt,
                                       std::int64_t max_tokens) const {
  json messages = json::array();
  if (!settings.system_prompt.empty()) {
    messages.push_back({{"role", "system"}, {"content", settings.system_prompt}});
  }
  messages.push_back({{"role", "user"}, {"content", prompt}});
  json body = {{"model", settings.model}, {"messages", std::move(messages)}};
  body[settings.max_tokens_field] = max_tokens;
  if (settings.temperature) body["temperature"] = *settings.temperature;
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<ModelAnswer> OpenAIDialect::parseAnswer(std::string_view body) const {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::invalidArgument("the body is not JSON");
  if (!doc.is_object()) return Status::invalidArgument("the body is not an object");
  auto choices = doc.find("choices");
  if (choices == doc.end() || !choices->is_array() || choices->empty() ||
      !(*choices)[0].is_object()) {
    return Status::invalidArgument("the answer has no choices");
  }
  const json& choice = (*choices)[0];
  auto message = choice.find("message");
  if (message == choice.end() || !message->is_object()) {
    return Status::invalidArgument("choices[0] has no message");
  }
  ModelAnswer answer;
  if (auto content = message->find("content"); content != message->end()) {
    if (content->is_string()) {
      answer.text = content->get<std::string>();
    } else if (!content->is_null()) {
      return Status::invalidArgument("choices[0].message.content is not text");
    }
  }
  if (auto reason = choice.find("finish_reason"); reason != choice.end() && reason->is_string()) {
    answer.stop_reason = reason->get<std::string>();
  }
  auto usage = doc.find("usage");
  if (usage == doc.end() || usage->is_null()) return answer;
  if (!usage->is_object()) return Status::invalidArgument("usage is not an object");
  Result<std::int64_t> prompt = tokenCount(*usage, "prompt_tokens");
  if (!prompt.ok()) return prompt.status();
  Result<std::int64_t> completion = tokenCount(*usage, "completion_tokens");
  if (!completion.ok()) return completion.status();
  std::int64_t cached = 0;
  if (auto details = usage->find("prompt_tokens_details");
      details != usage->end() && details->is_object()) {
    Result<std::int64_t> n = tokenCount(*details, "cached_tokens");
    if (!n.ok()) return n.status();
    cached = std::min(*n, *prompt);
  }
  answer.usage.input_tokens = *prompt - cached;
  answer.usage.cache_read_tokens = cached;
  answer.usage.output_tokens = *completion;
  return answer;
}

}  // namespace switchboard::plugins
