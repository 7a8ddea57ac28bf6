#include "plugins/agent/openai/openai_dialect.hpp"

#include <algorithm>

#include "plugins/agent/openai/openai_stream.hpp"

namespace switchboard::plugins {

using nlohmann::json;

std::vector<std::pair<std::string, std::string>> OpenAIDialect::headers(
    const ModelSettings& settings) const {
  if (settings.api_key.empty()) return {};
  return {{"Authorization", "Bearer " + settings.api_key}};
}

std::string OpenAIDialect::requestBody(const ModelSettings& settings,
                                       const std::vector<ModelTurn>& history,
                                       const std::string& prompt, std::int64_t max_tokens) const {
  json messages = json::array();
  if (!settings.system_prompt.empty()) {
    messages.push_back({{"role", "system"}, {"content", settings.system_prompt}});
  }
  for (const ModelTurn& turn : history) {
    messages.push_back({{"role", "user"}, {"content", turn.user}});
    messages.push_back({{"role", "assistant"}, {"content", turn.assistant}});
  }
  messages.push_back({{"role", "user"}, {"content", prompt}});
  json body = {{"model", settings.model}, {"messages", std::move(messages)}};
  body[settings.max_tokens_field] = max_tokens;
  if (settings.temperature) body["temperature"] = *settings.temperature;
  if (settings.stream) {
    body["stream"] = true;
    body["stream_options"] = {{"include_usage", true}};
  }
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<Usage> OpenAIDialect::readUsage(const json& usage) {
  Result<std::int64_t> prompt = tokenCount(usage, "prompt_tokens");
  if (!prompt.ok()) return prompt.status();
  Result<std::int64_t> completion = tokenCount(usage, "completion_tokens");
  if (!completion.ok()) return completion.status();
  std::int64_t cached = 0;
  if (auto details = usage.find("prompt_tokens_details");
      details != usage.end() && details->is_object()) {
    Result<std::int64_t> n = tokenCount(*details, "cached_tokens");
    if (!n.ok()) return n.status();
    cached = std::min(*n, *prompt);
  }
  Usage u;
  u.input_tokens = *prompt - cached;
  u.cache_read_tokens = cached;
  u.output_tokens = *completion;
  return u;
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
  Result<Usage> counted = readUsage(*usage);
  if (!counted.ok()) return counted.status();
  answer.usage = *counted;
  return answer;
}

std::unique_ptr<StreamDecoder> OpenAIDialect::streamDecoder() const {
  return std::make_unique<OpenAIStream>();
}

}  // namespace switchboard::plugins
