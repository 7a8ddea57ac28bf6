#include "plugins/agent/anthropic/anthropic_dialect.hpp"

#include <nlohmann/json.hpp>

namespace switchboard::plugins {

using nlohmann::json;

std::vector<std::pair<std::string, std::string>> AnthropicDialect::headers(
    const ModelSettings& settings) const {
  return {{"x-api-key", settings.api_key}, {"anthropic-version", "2023-06-01"}};
}

std::string AnthropicDialect::requestBody(const ModelSettings& settings, const std::string& prompt,
                                          std::int64_t max_tokens) const {
  json body = {{"model", settings.model},
               {"max_tokens", max_tokens},
               {"messages", json::array({{{"role", "user"}, {"content", prompt}}})}};
  if (!settings.system_prompt.empty()) body["system"] = settings.system_prompt;
  if (settings.temperature) body["temperature"] = *settings.temperature;
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<ModelAnswer> AnthropicDialect::parseAnswer(std::string_view body) const {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::invalidArgument("the body is not JSON");
  if (!doc.is_object() || doc.value("type", "") != "message") {
    return Status::invalidArgument("the body is not a message object");
  }
  auto content = doc.find("content");
  if (content == doc.end() || !content->is_array()) {
    return Status::invalidArgument("the message has no content array");
  }
  auto usage = doc.find("usage");
  if (usage == doc.end() || !usage->is_object() || !usage->contains("input_tokens") ||
      !usage->contains("output_tokens")) {
    return Status::invalidArgument("the message has no usage with input_tokens and output_tokens");
  }
  ModelAnswer answer;
  for (const json& block : *content) {
    if (block.is_object() && block.value("type", "") == "text" && block.contains("text") &&
        block["text"].is_string()) {
      answer.text += block["text"].get<std::string>();
    }
  }
  if (auto stop = doc.find("stop_reason"); stop != doc.end() && stop->is_string()) {
    answer.stop_reason = stop->get<std::string>();
  }
  struct Field {
    const char* name;
    std::int64_t* into;
  };
  for (Field f : {Field{"input_tokens", &answer.usage.input_tokens},
                  Field{"output_tokens", &answer.usage.output_tokens},
                  Field{"cache_read_input_tokens", &answer.usage.cache_read_tokens},
                  Field{"cache_creation_input_tokens", &answer.usage.cache_creation_tokens}}) {
    Result<std::int64_t> n = tokenCount(*usage, f.name);
    if (!n.ok()) return n.status();
    *f.into = *n;
  }
  return answer;
}

}  // namespace switchboard::plugins
