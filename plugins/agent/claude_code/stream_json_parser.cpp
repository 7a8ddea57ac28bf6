#include "plugins/agent/claude_code/stream_json_parser.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace switchboard::plugins {
namespace {

using nlohmann::json;

constexpr std::size_t kProgressChars = 160;

std::string str(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::int64_t integer(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_number()) return 0;
  if (it->is_number_float()) return static_cast<std::int64_t>(it->get<double>());
  return it->get<std::int64_t>();
}

double number(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_number() ? it->get<double>() : 0.0;
}

const json* member(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() ? &*it : nullptr;
}

// One line, at most kProgressChars bytes (cut on a UTF-8 boundary).
std::string shortText(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (text.size() <= kProgressChars) return text;
  std::size_t cut = kProgressChars;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "...";
}

// {input_tokens, output_tokens, cache_*} of an API message or of the result.
Usage apiUsage(const json& usage) {
  Usage u;
  if (!usage.is_object()) return u;
  u.input_tokens = integer(usage, "input_tokens");
  u.output_tokens = integer(usage, "output_tokens");
  u.cache_read_tokens = integer(usage, "cache_read_input_tokens");
  u.cache_creation_tokens = integer(usage, "cache_creation_input_tokens");
  return u;
}

// The sum over models of {inputTokens, outputTokens, ..., costUSD}; nullopt when absent.
std::optional<Usage> modelUsage(const json* per_model) {
  if (per_model == nullptr || !per_model->is_object() || per_model->empty()) return std::nullopt;
  Usage u;
  for (const auto& [model, m] : per_model->items()) {
    if (!m.is_object()) continue;
    u.input_tokens += integer(m, "inputTokens");
    u.output_tokens += integer(m, "outputTokens");
    u.cache_read_tokens += integer(m, "cacheReadInputTokens");
    u.cache_creation_tokens += integer(m, "cacheCreationInputTokens");
    u.cost_usd += number(m, "costUSD");
  }
  return u;
}

std::string progressOfAssistant(const json& message) {
  const json* content = member(message, "content");
  if (content == nullptr || !content->is_array()) return {};
  for (const json& block : *content) {
    if (!block.is_object()) continue;
    std::string type = str(block, "type");
    if (type == "text") {
      std::string text = str(block, "text");
      if (!text.empty()) return shortText(text);
    } else if (type == "tool_use") {
      return shortText("tool: " + str(block, "name"));
    } else if (type == "thinking") {
      return "thinking";
    }
  }
  return {};
}

ClaudeResult parseResult(const json& line, const Usage& streamed) {
  ClaudeResult r;
  auto is_error = line.find("is_error");
  r.is_error = is_error == line.end() || !is_error->is_boolean() || is_error->get<bool>();
  r.subtype = str(line, "subtype");
  if (auto text = line.find("result"); text != line.end() && text->is_string())
    r.text = text->get<std::string>();
  if (const json* errors = member(line, "errors"); errors != nullptr && errors->is_array()) {
    for (const json& e : *errors)
      r.errors.push_back(e.is_string() ? e.get<std::string>() : e.dump());
  }
  r.terminal_reason = str(line, "terminal_reason");
  r.session_id = str(line, "session_id");
  r.api_error = str(line, "api_error");
  r.api_error_status = integer(line, "api_error_status");
  r.num_turns = integer(line, "num_turns");
  r.total_cost_usd = number(line, "total_cost_usd");

  if (std::optional<Usage> since = modelUsage(member(line, "model_usage_since_last_result"))) {
    r.usage = *since;
  } else {
    const json* usage = member(line, "usage");
    r.usage = usage != nullptr ? apiUsage(*usage) : Usage{};
    r.usage.cost_usd = r.total_cost_usd;
  }
  // The result undercounts in some runs (a budget stop reports zero usage): never report
  // less than what streamed.
  r.usage.input_tokens = std::max(r.usage.input_tokens, streamed.input_tokens);
  r.usage.output_tokens = std::max(r.usage.output_tokens, streamed.output_tokens);
  r.usage.cache_read_tokens = std::max(r.usage.cache_read_tokens, streamed.cache_read_tokens);
  r.usage.cache_creation_tokens =
      std::max(r.usage.cache_creation_tokens, streamed.cache_creation_tokens);
  r.usage.turns = std::max(r.num_turns, streamed.turns);
  return r;
}

}  // namespace

StreamJsonParser::Update StreamJsonParser::feed(std::string_view text) {
  Update update;
  json line = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (line.is_discarded() || !line.is_object()) {
    ++skipped_;
    return update;
  }
  std::string type = str(line, "type");
  std::string session = str(line, "session_id");
  if (type == "system") {
    if (str(line, "subtype") == "init") {
      if (!session.empty()) session_id_ = session;
      model_ = str(line, "model");
      update.progress =
          shortText("claude started" + (model_.empty() ? std::string() : " (" + model_ + ")"));
    }
  } else if (type == "assistant") {
    if (session_id_.empty()) session_id_ = session;
    const json* message = member(line, "message");
    if (message == nullptr || !message->is_object()) return update;
    std::string id = str(*message, "id");
    // One event per content block: count each API message once; synthetic ones cost nothing.
    if ((id.empty() || message_ids_.insert(id).second) && str(*message, "model") != "<synthetic>") {
      if (const json* usage = member(*message, "usage")) usage_ += apiUsage(*usage);
      ++usage_.turns;
      update.usage_changed = true;
    }
    update.progress = progressOfAssistant(*message);
  } else if (type == "user") {
    if (session_id_.empty()) session_id_ = session;
  } else if (type == "result") {
    result_ = parseResult(line, usage_);
    if (!result_->session_id.empty()) session_id_ = result_->session_id;
    usage_ = result_->usage;
    update.usage_changed = true;
    update.result = true;
    update.progress =
        "claude finished: " + (result_->subtype.empty() ? std::string("result") : result_->subtype);
  } else if (type == "control_request") {
    const json* request = member(line, "request");
    std::string id = str(line, "request_id");
    if (request != nullptr && request->is_object() && !id.empty()) {
      update.control = ControlRequest{id, str(*request, "subtype"), *request};
    }
  } else if (type == "control_response") {
    const json* response = member(line, "response");
    if (response != nullptr && response->is_object() && str(*response, "subtype") == "error") {
      update.progress = shortText("claude refused a control request: " + str(*response, "error"));
    }
  }
  return update;
}

}  // namespace switchboard::plugins
