#include "plugins/agent/anthropic/anthropic_dialect.hpp"

#include "plugins/agent/anthropic/anthropic_stream.hpp"

namespace switchboard::plugins {

using nlohmann::json;

std::vector<std::pair<std::string, std::string>> AnthropicDialect::headers(
    const ModelSettings& settings) const {
  return {{"x-api-key", settings.api_key}, {"anthropic-version", "2023-06-01"}};
}

std::string AnthropicDialect::requestBody(const ModelSettings& settings,
                                          const std::vector<ModelTurn>& history,
                                          const std::string& prompt,
                                          std::int64_t max_tokens) const {
  json messages = json::array();
  for (const ModelTurn& turn : history) {
    messages.push_back({{"role", "user"}, {"content", turn.user}});
    messages.push_back({{"role", "assistant"}, {"content", turn.assistant}});
  }
  messages.push_back({{"role", "user"}, {"content", prompt}});
  json body = {
      {"model", settings.model}, {"max_tokens", max_tokens}, {"messages", std::move(messages)}};
  if (!settings.system_prompt.empty()) body["system"] = settings.system_prompt;
  if (settings.temperature) body["temperature"] = *settings.temperature;
  if (settings.stream) body["stream"] = true;
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

Status AnthropicDialect::readUsage(const json& from, Usage& usage) {
  struct Field {
    const char* name;
    std::int64_t* into;
  };
  for (Field f :
       {Field{"input_tokens", &usage.input_tokens}, Field{"output_tokens", &usage.output_tokens},
        Field{"cache_read_input_tokens", &usage.cache_read_tokens},
        Field{"cache_creation_input_tokens", &usage.cache_creation_tokens}}) {
    auto it = from.find(f.name);
    if (it == from.end() || it->is_null()) continue;
    Result<std::int64_t> n = tokenCount(from, f.name);
    if (!n.ok()) return n.status();
    *f.into = *n;
  }
  return {};
}

Result<ModelAnswer> AnthropicDialect::parseAnswer(std::string_view body) const {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::invalidArgument("the body is not JSON");
  auto type = doc.find("type");  // end() when doc is not an object
  if (!doc.is_object() || type == doc.end() || *type != "message") {
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
    if (block.is_object() && block.contains("type") && block["type"] == "text" &&
        block.contains("text") && block["text"].is_string()) {
      answer.text += block["text"].get<std::string>();
    }
  }
  if (auto stop = doc.find("stop_reason"); stop != doc.end() && stop->is_string()) {
    answer.stop_reason = stop->get<std::string>();
  }
  SB_RETURN_IF_ERROR(readUsage(*usage, answer.usage));
  return answer;
}

std::unique_ptr<StreamDecoder> AnthropicDialect::streamDecoder() const {
  return std::make_unique<AnthropicStream>();
}

}  // namespace switchboard::plugins
