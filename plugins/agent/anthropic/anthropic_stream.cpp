#include "plugins/agent/anthropic/anthropic_stream.hpp"

#include <nlohmann/json.hpp>

#include "plugins/agent/anthropic/anthropic_dialect.hpp"

namespace switchboard::plugins {
namespace {

using nlohmann::json;

// The HTTP status the Messages API gives each error type.
int statusOfErrorType(const std::string& type) {
  if (type == "invalid_request_error") return 400;
  if (type == "authentication_error") return 401;
  if (type == "billing_error") return 402;
  if (type == "permission_error") return 403;
  if (type == "not_found_error") return 404;
  if (type == "request_too_large") return 413;
  if (type == "rate_limit_error") return 429;
  if (type == "timeout_error") return 504;
  if (type == "overloaded_error") return 529;
  return 500;  // api_error and types not known yet
}

std::string textOf(const json& v) { return v.is_string() ? v.get<std::string>() : std::string(); }

}  // namespace

Status AnthropicStream::onEvent(std::string_view name, std::string_view data) {
  json doc = json::parse(data, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Status::invalidArgument("the data of event \"" + std::string(name) +
                                   "\" is not a JSON object");
  }
  std::string type = doc.contains("type") ? textOf(doc["type"]) : std::string(name);
  if (type == "message_start") {
    auto message = doc.find("message");
    if (message == doc.end() || !message->is_object()) {
      return Status::invalidArgument("message_start has no message");
    }
    if (auto usage = message->find("usage"); usage != message->end()) {
      if (!usage->is_object())
        return Status::invalidArgument("message_start usage is not an object");
      SB_RETURN_IF_ERROR(AnthropicDialect::readUsage(*usage, state_.answer.usage));
    }
    return {};
  }
  if (type == "content_block_start" || type == "content_block_delta") {
    const char* key = type == "content_block_start" ? "content_block" : "delta";
    auto part = doc.find(key);
    if (part == doc.end() || !part->is_object()) {
      return Status::invalidArgument(type + " has no " + key);
    }
    const std::string kind = textOf(part->value("type", json()));
    const char* field = kind == "text" || kind == "text_delta"           ? "text"
                        : kind == "thinking" || kind == "thinking_delta" ? "thinking"
                        : kind == "input_json_delta"                     ? "partial_json"
                                                                         : nullptr;
    if (field == nullptr) return {};  // tool_use starts, signatures, kinds not known yet
    auto text = part->find(field);
    if (text == part->end()) return {};
    if (!text->is_string()) return Status::invalidArgument(type + "." + field + " is not text");
    const std::string& piece = text->get_ref<const std::string&>();
    if (kind == "text" || kind == "text_delta") state_.answer.text += piece;
    state_.streamed_bytes += static_cast<std::int64_t>(piece.size());
    if (type == "content_block_delta") ++state_.deltas;
    return {};
  }
  if (type == "message_delta") {
    if (auto delta = doc.find("delta"); delta != doc.end() && delta->is_object()) {
      if (auto stop = delta->find("stop_reason"); stop != delta->end() && stop->is_string()) {
        state_.answer.stop_reason = stop->get<std::string>();
      }
    }
    auto usage = doc.find("usage");
    if (usage == doc.end() || usage->is_null()) return {};  // the output stays estimated
    if (!usage->is_object()) return Status::invalidArgument("message_delta usage is not an object");
    SB_RETURN_IF_ERROR(AnthropicDialect::readUsage(*usage, state_.answer.usage));
    if (usage->contains("output_tokens")) state_.output_final = true;
    return {};
  }
  if (type == "message_stop") {
    state_.complete = true;
    return {};
  }
  if (type == "error") {
    StreamError error;
    std::string kind, message;
    if (auto e = doc.find("error"); e != doc.end() && e->is_object()) {
      kind = textOf(e->value("type", json()));
      message = textOf(e->value("message", json()));
    }
    error.status = statusOfErrorType(kind);
    error.message = kind.empty() ? message : (message.empty() ? kind : kind + ": " + message);
    if (error.message.empty()) error.message = "an error event without a message";
    state_.error = std::move(error);
    return {};
  }
  return {};  // ping, content_block_stop, and event types added later
}

}  // namespace switchboard::plugins
